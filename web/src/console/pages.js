// pages.js — the console pages, each with the action it needs (from GET /api/v1/me) and its
// menu entry (data-qa nav-*). A page with `home` is in the menu of the roles that land on it
// (GET /api/v1/public/labels: each role's home), e.g. the institution's 工作台.
export const PAGES = [
  { path: '/workbench', action: 'visit_slot.manage', home: 'workbench', title: '工作台', qa: 'nav-workbench', component: () => import('./views/WorkbenchPage.vue') },
  { path: '/region', home: 'region', title: '区县比较', qa: 'nav-region', component: () => import('./views/RegionPage.vue') },
  { path: '/health', action: 'growth.flags', home: 'health', title: '医育结合', qa: 'nav-health', component: () => import('./views/HealthPage.vue') },
  { path: '/reviews', home: 'reviews', title: '我的评审', qa: 'nav-reviews', component: () => import('./views/RatingPage.vue') },
  { path: '/findings', action: 'findings.list', title: '合规问题', qa: 'nav-findings', component: () => import('./views/FindingsPage.vue') },
  { path: '/key-tasks', action: 'plan.read', title: '重点工作计划', qa: 'nav-key-tasks', component: () => import('./views/KeyTasksPage.vue') },
  { path: '/progress-reports', action: 'progress.read', title: '季度进度报送', qa: 'nav-progress', component: () => import('./views/ProgressReportsPage.vue') },
  { path: '/surveys', action: 'survey.read', title: '问卷调查', qa: 'nav-surveys', component: () => import('./views/SurveysPage.vue') },
  { path: '/population', action: 'population.read', title: '人口数据', qa: 'nav-population', component: () => import('./views/PopulationPage.vue') },
  { path: '/video', action: 'video.read', title: '可视托', qa: 'nav-video', component: () => import('./views/VideoPage.vue') },
  // the auditor reads the viewing log on the same page (its other sections need video.read)
  { path: '/video-views', action: 'video.views.read', title: '视频观看日志', qa: 'nav-video-views', component: () => import('./views/VideoPage.vue') },
  { path: '/welcome', home: 'welcome', title: '我的工作', qa: 'nav-welcome', component: () => import('./views/WelcomePage.vue') },
  { path: '/children', action: 'child.list', title: '婴幼儿成长', qa: 'nav-children', component: () => import('./views/ChildrenPage.vue') },
  { path: '/dashboard', action: 'dashboard.read', title: '一屏掌控', qa: 'nav-dashboard', component: () => import('./views/DashboardPage.vue') },
  { path: '/map', action: 'institution.list', title: '一图知晓', qa: 'nav-map', component: () => import('./views/MapPage.vue') },
  { path: '/institutions', action: 'institution.list', title: '托育机构', qa: 'nav-institutions', component: () => import('./views/InstitutionsPage.vue') },
  { path: '/tasks', action: 'task.list', title: '我的待办', qa: 'nav-tasks', component: () => import('./views/TasksPage.vue') },
  { path: '/cases', action: 'case.read', title: '办件', qa: 'nav-cases', component: () => import('./views/CasesPage.vue') },
  { path: '/ratings', action: 'case.read', title: '星级评定', qa: 'nav-ratings', component: () => import('./views/RatingPage.vue') },
  { path: '/premises', action: 'premises.read', title: '闲置房源', qa: 'nav-premises', component: () => import('./views/PremisesPage.vue') },
  { path: '/premises/available', action: 'premises.apply', title: '闲置房源', qa: 'nav-premises-available', component: () => import('./views/PremisesPage.vue') },
  { path: '/planning', action: 'planning.read', title: '规划分析', qa: 'nav-planning', component: () => import('./views/PlanningPage.vue') },
  { path: '/params', action: 'params.read', title: '政策参数', qa: 'nav-params', component: () => import('./views/ParamsPage.vue') },
  { path: '/calendar', action: 'calendar.manage', title: '工作日历', qa: 'nav-calendar', component: () => import('./views/CalendarPage.vue') },
  { path: '/audit', action: 'audit.read', title: '审计日志', qa: 'nav-audit', component: () => import('./views/AuditPage.vue') },
  { path: '/rounds', action: 'round.read', title: '入托分配', qa: 'nav-rounds', component: () => import('./views/RoundsPage.vue') },
  { path: '/staff', action: 'staff.manage', title: '员工', qa: 'nav-staff', component: () => import('./views/StaffPage.vue') },
  { path: '/staff-alerts', action: 'findings.list', title: '人员与证书', qa: 'nav-staff-alerts', component: () => import('./views/StaffAlertsPage.vue') },
  { path: '/training', action: 'training.read', title: '培训', qa: 'nav-training', component: () => import('./views/TrainingPage.vue') },
  { path: '/programs', action: 'visit_slot.manage', title: '托位与参观', qa: 'nav-programs', component: () => import('./views/ProgramsPage.vue') },
  { path: '/users', action: 'user.manage', title: '用户管理', qa: 'nav-users', component: () => import('./views/UsersPage.vue') },
  { path: '/account-requests', action: 'account_request.list', title: '账号审批', qa: 'nav-account-requests', component: () => import('./views/AccountRequestsPage.vue') },
  { path: '/incidents', action: 'incident.write', title: '意外伤害', qa: 'nav-incidents', component: () => import('./views/IncidentsPage.vue') },
  { path: '/incident-reports', action: 'report.acknowledge', title: '强制报告', qa: 'nav-incident-reports', component: () => import('./views/IncidentReportsPage.vue') },
  { path: '/class-sheet', action: 'attendance.write', title: '考勤晨检', qa: 'nav-class-sheet', component: () => import('./views/ClassSheetPage.vue') },
  { path: '/checkups', action: 'checkup.write', title: '健康检查', qa: 'nav-checkups', component: () => import('./views/CheckupsPage.vue') },
  { path: '/today', action: 'duty.write', title: '今日', qa: 'nav-today', component: () => import('./views/TodayPage.vue') },
  { path: '/duties', action: 'instructor_duty.read', title: '指导任务', qa: 'nav-duties', component: () => import('./views/DutiesPage.vue') },
  { path: '/childcare-subsidy', action: 'childsub.decide', title: '育儿补贴审核', qa: 'nav-childsub', component: () => import('./views/ChildSubsidyPage.vue') },
  { path: '/fees', action: 'fees.read', title: '收费目录', qa: 'nav-fees', component: () => import('./views/FeesPage.vue') },
  // the operator fills it in; the district opens one from 收费目录 (/fees/worksheet, main.js)
  { path: '/fee-worksheet', action: 'fees.worksheet.edit', title: '成本核算', qa: 'nav-fee-worksheet', component: () => import('./views/FeeWorksheetPage.vue') },
  { path: '/vouchers', action: 'vouchers.read', title: '托育券', qa: 'nav-vouchers', component: () => import('./views/VouchersPage.vue') },
  { path: '/funds', action: 'funds.read', title: '资金台账', qa: 'nav-funds', component: () => import('./views/FundsPage.vue') },
  { path: '/stations', action: 'station.read', title: '成长驿站', qa: 'nav-stations', component: () => import('./views/StationsPage.vue') },
  { path: '/activities', action: 'activity.manage', title: '养育照护活动', qa: 'nav-activities', component: () => import('./views/ActivitiesPage.vue') },
  { path: '/instructor-assignments', action: 'instructor_assignment.manage', title: '指导员分配', qa: 'nav-assignments', component: () => import('./views/InstructorAssignmentsPage.vue') },
];

/** The pages in the menu of a user: those its actions allow, and its own home page. */
export function menuOf(actions, home) {
  return PAGES.filter((p) => (p.home ? p.home === home : actions.includes(p.action)));
}
