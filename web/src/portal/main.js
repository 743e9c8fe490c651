// main.js — the family portal at /: search filed institutions (cards and map) and read an
// institution's page, without logging in.
import { createApp } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';
import App from './App.vue';
import SearchPage from './SearchPage.vue';
import '../theme.css';
import './portal.css';

const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', component: SearchPage, meta: { title: '找托育' } },
    { path: '/institutions/:id(\\d+)', component: () => import('./InstitutionPage.vue'), meta: { title: '机构详情' } },
    { path: '/:pathMatch(.*)*', component: () => import('./NotFound.vue'), meta: { title: '页面不存在' } },
  ],
  scrollBehavior: () => ({ top: 0 }),
});
router.afterEach((to) => { document.title = `${to.meta.title || '找托育'} · 瓯海托育`; });

createApp(App).use(router).mount('#app');
