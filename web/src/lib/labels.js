// labels.js — names the server holds for codes the web app shows (GET /api/v1/public/labels: the
// roles and the page each lands on, the class types with the age bands in force, the audit log's
// actions, targets and fields, the rules of compliance findings), read once per page load so that
// no list is copied here. Reactive: a page renders the codes until the names arrive.
import { reactive } from 'vue';
import { get } from './api.js';

export const labels = reactive({
  today: '',      // the server's business day (YYYY-MM-DD, Beijing time)
  roles: {},     // role code → name: { district_admin: '区卫健局管理员', … }
  classAges: {}, // class type → its age band: { infant: '6–12个月', … }
  roleHomes: {},  // role code → the console page it lands on: { institution_operator: 'workbench', … }
  auditActions: {}, // audit action → name: { 'user.update': '修改用户账号', … }
  auditTargets: {}, // audit target type → name: { institution: '托育机构', … }
  fields: {},     // field code → name: { valid_from: '生效日期', … }
  rules: {},      // finding rule → name: { floor: '生活用房楼层', … }
});

/** The name of a code in one of the tables, or the code itself while it has none. */
export function named(table, code) {
  if (code === null || code === undefined || code === '') return '—';
  return labels[table][code] || code;
}

let loading = null;

/** Read the labels (once; again after a failure). Resolves when they are in `labels`. */
export function loadLabels() {
  loading = loading || get('/api/v1/public/labels').then(
    (r) => {
      labels.roles = Object.fromEntries(r.roles.map((x) => [x.code, x.name]));
      labels.classAges = Object.fromEntries(r.class_types.map((t) => [t.code, `${t.min_months}–${t.max_months}个月`]));
      labels.today = r.as_of;
      labels.roleHomes = Object.fromEntries(r.roles.map((x) => [x.code, x.home]));
      labels.auditActions = r.audit_actions;
      labels.auditTargets = r.audit_targets;
      labels.fields = r.fields;
      labels.rules = r.rules;
    },
    () => { loading = null; },
  );
  return loading;
}
