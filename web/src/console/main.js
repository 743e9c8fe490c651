// main.js — the staff console at /console: login, a menu built from the user's actions, and the
// pages (dashboard, map, institutions, parameters, audit log, users, account approvals) and the
// second-factor enrolment page. Any 401 sends the user back
// to the login page (session expiry).
import { createApp } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';
import {
  ElAlert, ElButton, ElCard, ElConfigProvider, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog,
  ElEmpty, ElForm, ElFormItem, ElInput, ElInputNumber, ElOption, ElSelect, ElSwitch, ElTable,
  ElTableColumn, ElTag, ElLoading,
} from 'element-plus';
import 'element-plus/dist/index.css';
import '../theme.css';
import './console.css';
import App from './App.vue';
import LoginPage from './views/LoginPage.vue';
import { onUnauthorized } from '../lib/api.js';
import { session, loadSession, clearSession, can } from '../lib/session.js';
import { PAGES } from './pages.js';


const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', component: LoginPage, meta: { title: '登录', public: true } },
    { path: '/', component: () => import('./views/HomePage.vue'), meta: { title: '首页' } },
    ...PAGES.map((p) => ({ path: p.path, component: p.component, meta: { title: p.title, action: p.action } })),
    { path: '/totp', component: () => import('./views/TotpPage.vue'), meta: { title: '动态口令', action: 'account.totp' } },
    { path: '/institutions/new', component: () => import('./views/InstitutionCreate.vue'), meta: { title: '新增托育机构', action: 'institution.create' } },
    { path: '/institutions/import', component: () => import('./views/InstitutionImportPage.vue'), meta: { title: '批量导入托育机构', action: 'institution.create' } },
    { path: '/cases/:id(\\d+)', component: () => import('./views/CasePage.vue'), meta: { title: '办件', action: 'case.read' } },
    { path: '/ratings/:id(\\d+)', component: () => import('./views/RatingPage.vue'), meta: { title: '星级评定', action: 'rating.read' } },
    { path: '/children/:id(\\d+)', component: () => import('./views/ChildPage.vue'), meta: { title: '婴幼儿', action: 'child.read' } },
    { path: '/children/:id(\\d+)/growth', component: () => import('./views/ChildGrowthPage.vue'), meta: { title: '生长发育', action: 'growth.read' } },
    { path: '/progress-reports/:id(\\d+)', component: () => import('./views/ProgressReportPage.vue'), meta: { title: '季度进度报告', action: 'progress.read' } },
    { path: '/institutions/:id(\\d+)/rectifications', component: () => import('./views/RectificationsPage.vue'), meta: { title: '整改与督查', action: 'rectify.read' } },
    // the district reads an institution's cost worksheet from 收费目录 (the operator's is in its menu)
    { path: '/fees/worksheet', component: () => import('./views/FeeWorksheetPage.vue'), meta: { title: '成本核算', action: 'fees.worksheet' } },
    { path: '/institutions/:id(\\d+)', component: () => import('./views/InstitutionProfile.vue'), meta: { title: '一键了解', action: 'institution.read' } },
    { path: '/:pathMatch(.*)*', component: () => import('./views/NotFound.vue'), meta: { title: '页面不存在' } },
  ],
});

router.beforeEach(async (to) => {
  if (!session.loaded) {
    try { await loadSession(); } catch { /* shown by the page */ }
  }
  if (to.meta.public) return true;
  if (!session.user) return { path: '/login', query: { redirect: to.fullPath } };
  // a session that may only bind a second factor sees nothing else
  if (session.enrolmentRequired && to.path !== '/totp') return { path: '/totp' };
  if (to.meta.action && !can(to.meta.action)) return { path: '/', query: { denied: to.fullPath } };
  return true;
});
router.afterEach((to) => { document.title = `${to.meta.title || '工作台'} · 瓯海区托育服务监管平台`; });

// Session expiry: any 401 from the API (outside the login itself) returns to the login page.
onUnauthorized(() => {
  if (!session.user) return;
  clearSession();
  session.expired = true;
  const here = router.currentRoute.value;
  if (!here.meta.public) router.replace({ path: '/login', query: { expired: '1', redirect: here.fullPath } });
});

const app = createApp(App);
for (const c of [ElAlert, ElButton, ElCard, ElConfigProvider, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog,
  ElEmpty, ElForm, ElFormItem, ElInput, ElInputNumber, ElOption, ElSelect, ElSwitch, ElTable, ElTableColumn, ElTag]) {
  app.component(c.name, c);
}
app.use(ElLoading);
app.config.globalProperties.$can = can;
app.use(router).mount('#app');
