// labels.js — names the server holds for codes the web app shows (GET /api/v1/public/labels: the
// roles and the page each lands on, the class types with the age bands in force, the audit log's
// actions, targets and fields, the rules of compliance findings), read once per page load so that
// no list is copied here. Reactive: a page renders the codes until the names arrive.
import { reactive } from 'vue';
import { get } from './api.js';

export const labels = reactive({
  today: '',      // the server's business day (YYYY-MM-DD, Beijing time)
  roles: {},     // role code → name: { district_admin: '区卫健局管理员', … }
  personRoles: {}, // the roles of people (a machine client's role is made by the server's command, never granted)
  classAges: {}, // class type → its age band: { infant: '6–12个月', … }
  classBands: [], // the bands in the server's order: [{ code, min_months, max_months }, …]
  roleHomes: {},  // role code → the console page it lands on: { institution_operator: 'workbench', … }
  auditActions: {}, // audit action → name: { 'user.update': '修改用户账号', … }
  auditTargets: {}, // audit target type → name: { institution: '托育机构', … }
  fields: {},     // field code → name: { valid_from: '生效日期', … }
  rules: {},      // finding rule → name: { floor: '生活用房楼层', … }
  staffRoles: {}, // staff role → name: { caregiver: '保育人员', … }
  certKinds: [],  // certificate kinds: [{ code, name, roles: [role codes it fits], graded }]
  trainingKinds: {}, // training course kind → name: { prejob: '岗前培训', … }
  care: { symptoms: [], names: {}, weather: {} }, // 晨午检's coded symptoms [{ code, name, group }], care code → name, outdoor weather code → name
  videoAreas: {}, // camera area → name: { class: '班级活动室', … }
});

/** The name of a code in one of the tables, or the code itself while it has none. */
export function named(table, code) {
  if (code === null || code === undefined || code === '') return '—';
  return labels[table][code] || code;
}

let loading = null;

/**
 * The class type a child born on birth (YYYY-MM-DD) fits in the intake month (YYYY-MM): its
 * completed months on the month's first day (as the server counts them) within a band
 * [min_months, max_months), the first band in the server's order that fits; null when none does
 * or the labels are not loaded yet. Returns { code, months }.
 */
export function classTypeForAge(birth, intake) {
  if (!birth || !/^\d{4}-\d{2}$/.test(intake || '')) return null;
  const [by, bm, bd] = birth.split('-').map(Number);
  const [iy, im] = intake.split('-').map(Number);
  const months = (iy - by) * 12 + (im - bm) - (bd > 1 ? 1 : 0);
  if (months < 0) return null;
  const band = labels.classBands.find((b) => months >= b.min_months && months < b.max_months);
  return band ? { code: band.code, months } : { code: null, months };
}

/** Read the labels (once; again after a failure). Resolves when they are in `labels`. */
export function loadLabels() {
  loading = loading || get('/api/v1/public/labels').then(
    (r) => {
      labels.roles = Object.fromEntries(r.roles.map((x) => [x.code, x.name]));
      labels.personRoles = Object.fromEntries(r.roles.filter((x) => x.person).map((x) => [x.code, x.name]));
      labels.classAges = Object.fromEntries(r.class_types.map((t) => [t.code, `${t.min_months}–${t.max_months}个月`]));
      labels.classBands = r.class_types.map(({ code, min_months, max_months }) => ({ code, min_months, max_months }));
      labels.today = r.as_of;
      labels.roleHomes = Object.fromEntries(r.roles.map((x) => [x.code, x.home]));
      labels.auditActions = r.audit_actions;
      labels.auditTargets = r.audit_targets;
      labels.fields = r.fields;
      labels.rules = r.rules;
      labels.staffRoles = r.staff.roles;
      labels.certKinds = r.staff.cert_kinds;
      labels.trainingKinds = r.training_kinds;
      labels.care = r.care;
      labels.videoAreas = Object.fromEntries(r.video_areas.map((a) => [a.code, a.name]));
    },
    () => { loading = null; },
  );
  return loading;
}
