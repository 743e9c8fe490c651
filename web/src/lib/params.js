// params.js — dated policy parameters for the web app (GET /api/v1/params, read once per page
// load), so the UI shows the figures in force instead of copying them from the rules.
import { get } from './api.js';

let loaded = null;

/** The numeric value of parameter key in force today, or null when it cannot be read. */
export function paramNumber(key) {
  loaded = loaded || get('/api/v1/params').then(
    (r) => new Map(r.items.map((p) => [p.key, Number(p.value)])),
    () => { loaded = null; return new Map(); },
  );
  return loaded.then((m) => (m.has(key) ? m.get(key) : null));
}
