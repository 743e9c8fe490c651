// labels.js — names the server holds for codes the web app shows (GET /api/v1/public/labels: the
// roles, and the class types with the age bands in force), read once per page load so that no
// list is copied here. Reactive: a page renders the codes until the names arrive.
import { reactive } from 'vue';
import { get } from './api.js';

export const labels = reactive({
  roles: {},     // role code → name: { district_admin: '区卫健局管理员', … }
  classAges: {}, // class type → its age band: { infant: '6–12个月', … }
});

let loading = null;

/** Read the labels (once; again after a failure). Resolves when they are in `labels`. */
export function loadLabels() {
  loading = loading || get('/api/v1/public/labels').then(
    (r) => {
      labels.roles = Object.fromEntries(r.roles.map((x) => [x.code, x.name]));
      labels.classAges = Object.fromEntries(r.class_types.map((t) => [t.code, `${t.min_months}–${t.max_months}个月`]));
    },
    () => { loading = null; },
  );
  return loading;
}
