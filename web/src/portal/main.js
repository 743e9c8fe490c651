// main.js — the family portal at /: search filed institutions (cards and map) and read an
// institution's page without logging in; once a family logs in, its own pages: children,
// applications (入托一件事) with offers and their explanation, place and visit bookings, messages.
import { createApp } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';
import App from './App.vue';
import SearchPage from './SearchPage.vue';
import { session, loadSession } from '../lib/session.js';
import { familyRemembered, forgetFamily } from './family/hint.js';
import '../theme.css';
import './portal.css';

// Back from 浙里办 single sign-on (the redirect URI is this page): code and state leave the address
// bar for sessionStorage, and the login page finishes the login (family/LoginPage.vue) — before the
// router reads the address.
const back = new URLSearchParams(window.location.search);
if (back.get('state') && (back.get('code') || back.get('error'))) {
  const sent = back.get('code') ? { code: back.get('code'), state: back.get('state') } : { error: back.get('error') };
  sessionStorage.setItem('tuoyu-sso-return', JSON.stringify(sent));
  window.history.replaceState(null, '', `${window.location.pathname}#/login?sso=1`);
}

const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', component: SearchPage, meta: { title: '找托育' } },
    { path: '/institutions/:id(\\d+)', component: () => import('./InstitutionPage.vue'), meta: { title: '机构详情' } },
    { path: '/filings', component: () => import('./FilingsPage.vue'), meta: { title: '备案公示' } },
    { path: '/activities', component: () => import('./ActivitiesPage.vue'), meta: { title: '养育照护活动' } },
    { path: '/login', component: () => import('./family/LoginPage.vue'), meta: { title: '家长登录' } },
    { path: '/me', component: () => import('./family/MyPage.vue'), meta: { title: '我的', family: true } },
    { path: '/children/:id(\\d+)/care', component: () => import('./family/CarePage.vue'), meta: { title: '在园情况', family: true } },
    { path: '/children/:id(\\d+)/growth', component: () => import('./family/GrowthPage.vue'), meta: { title: '成长曲线', family: true } },
    { path: '/children/:id(\\d+)/subsidy', component: () => import('./family/SubsidyPage.vue'), meta: { title: '育儿补贴', family: true } },
    { path: '/surveys/:token', component: () => import('./family/SurveyPage.vue'), meta: { title: '问卷调查', family: true } },
    { path: '/apply', component: () => import('./family/ApplyPage.vue'), meta: { title: '入托申请', family: true } },
    { path: '/applications/:id(\\d+)', component: () => import('./family/ApplicationPage.vue'), meta: { title: '申请详情', family: true } },
    { path: '/:pathMatch(.*)*', component: () => import('./NotFound.vue'), meta: { title: '页面不存在' } },
  ],
  scrollBehavior: () => ({ top: 0 }),
});

// Anonymous visitors never call /me: the session is looked up only when this browser has logged a
// family in before (family/hint.js); a family page without a session goes to the login page.
let loaded = null;
router.beforeEach(async (to) => {
  if (!session.loaded && familyRemembered()) {
    loaded = loaded || loadSession().then((ok) => { if (!ok) forgetFamily(); return ok; }, () => false);
    await loaded;
  }
  if (to.meta.family && !session.user) return { path: '/login', query: { redirect: to.fullPath } };
  return true;
});
router.afterEach((to) => { document.title = `${to.meta.title || '找托育'} · 瓯海托育`; });

createApp(App).use(router).mount('#app');
