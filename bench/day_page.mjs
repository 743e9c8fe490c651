// day_page.mjs — the district's day page (GET /api/v1/care/today, issue 15 "Speed": < 100 ms
// with a year of records, ~120 institutions × 6,000 children × 250 days) and the institution's
// 今日 page. Builds the database in bulk with SQL (not through the API) on a fresh demo database:
// CHILDREN children spread over the demo's classes, placed; DAYS school days of attendance up to
// today (one row per child and day, about 96% present, check-in 07:30–08:59, check-out 16:30–17:59
// except today, which is mid-morning), a morning check for each present child (3% with a symptom),
// as many caregivers per class on duty each day as its children need (one class in nine short of
// one from 09:00 today, so ratios break), and a few open outbreak alerts; then ANALYZE. Then the server at 10:00 (Beijing)
// of the last day answers R requests of each page, one at a time; prints p50/p99/max. A smoke run:
// `node bench/day_page.mjs 50 1000 20`; the coordinator measures with the defaults.
// Usage:
//   TUOYU_BIN=build/tuoyu node bench/day_page.mjs [R] [CHILDREN] [DAYS]    (TUOYU_DB_KIND=pg for PostgreSQL)
import { spawnSync } from 'node:child_process';
import { freshDatabase, startServer } from '../tests/lib/server.mjs';

const R = Number(process.argv[2] || 200);
const CHILDREN = Number(process.argv[3] || 6000);
const DAYS = Number(process.argv[4] || 250);
const TODAY = '2026-06-01'; // a Monday; the server's clock: 10:00 in Beijing

// the DAYS weekdays up to TODAY, oldest first (rows are inserted day by day, as the class sheets
// write them)
const days = [];
for (let t = Date.parse(`${TODAY}T00:00:00Z`); days.length < DAYS; t -= 864e5)
  if (![0, 6].includes(new Date(t).getUTCDay())) days.unshift(new Date(t).toISOString().slice(0, 10));

const db = freshDatabase();

/** Run SQL on the database (the sqlite3 or psql client). */
function sql(text) {
  const r = db.kind === 'pg'
    ? spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', db.conninfo], { input: text, encoding: 'utf8' })
    : spawnSync('sqlite3', ['-bail', db.db], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${r.stderr}\n${text.slice(0, 400)}`);
  return r.stdout;
}

const TS = `'${TODAY}T00:00:00Z'`;
// n(i), i = 0 … count−1
const numbers = (count) => `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})`;
// two digits of an integer expression
const two = (e) => `substr('0' || (${e}), -2)`;
const twoPg = (e) => `lpad(CAST(${e} AS TEXT), 2, '0')`;
const pad = db.kind === 'pg' ? twoPg : two;

function build() {
  const t0 = Date.now();
  sql(`
CREATE TABLE bench_class (r INTEGER PRIMARY KEY, id BIGINT, institution_id BIGINT, per INTEGER, need INTEGER);
INSERT INTO bench_class SELECT ROW_NUMBER() OVER (ORDER BY k.id) - 1, k.id, k.institution_id,
    CASE k.class_type WHEN 'infant' THEN 3 WHEN 'toddler_old' THEN 7 ELSE 5 END, 0
  FROM institution_class k JOIN institution i ON i.id = k.institution_id WHERE i.status <> 'closed';
CREATE TABLE bench_day (n INTEGER PRIMARY KEY, day TEXT);
INSERT INTO bench_day VALUES ${days.map((d, n) => `(${n}, '${d}')`).join(', ')};
CREATE TABLE bench_kid (i INTEGER PRIMARY KEY, child_id BIGINT, class_id BIGINT, institution_id BIGINT);
${numbers(CHILDREN)} INSERT INTO bench_kid SELECT n.i, NULL, c.id, c.institution_id FROM n
  JOIN bench_class c ON c.r = n.i % (SELECT COUNT(*) FROM bench_class);
INSERT INTO child (district_code, institution_id, name_sealed, name_masked, sex, birth_date, id_kind, id_sealed, id_lookup, id_masked, created_at, updated_at)
  SELECT '330304', institution_id, 'bench', '基*宝', 1 + i % 2, '2024-03-01', 'birth_cert', 'bench', 'bench-' || i, 'B****', ${TS}, ${TS} FROM bench_kid;
UPDATE bench_kid SET child_id = (SELECT id FROM child WHERE id_lookup = 'bench-' || bench_kid.i);
INSERT INTO care_placement (district_code, child_id, institution_id, class_id, start_date, created_at, updated_at)
  SELECT '330304', child_id, institution_id, class_id, '${days[0]}', ${TS}, ${TS} FROM bench_kid;
-- as many caregivers per class as its children need at the class type's ratio
UPDATE bench_class SET need = ((SELECT COUNT(*) FROM bench_kid b WHERE b.class_id = bench_class.id) + per - 1) / per;
${numbers(12)} INSERT INTO staff_member (district_code, institution_id, name_sealed, name_masked, id_sealed, id_lookup, id_masked, role, employment, start_date, created_at, updated_at)
  SELECT '330304', c.institution_id, 'bench', '保*员', 'bench', 'bench-staff-' || c.r || '-' || n.i, 'B****', 'caregiver', 'part_time', '2020-01-01', ${TS}, ${TS}
  FROM bench_class c JOIN n ON n.i < c.need;
INSERT INTO staff_class (district_code, staff_id, class_id)
  SELECT '330304', m.id, c.id FROM staff_member m JOIN bench_class c ON m.id_lookup LIKE 'bench-staff-' || c.r || '-%';
`);
  // attendance and morning checks, one day at a time (keeps each statement's memory small)
  const present = `(b.i * 7 + d.n * 13) % 25 <> 0`;
  const today = days.length - 1;
  sql(`${db.kind === 'pg' ? '' : 'BEGIN;'}
INSERT INTO care_attendance (district_code, child_id, institution_id, class_id, day, status, check_in, check_out, absence_cause, recorded_by, created_at, updated_at)
  SELECT '330304', b.child_id, b.institution_id, b.class_id, d.day,
    CASE WHEN ${present} THEN 'present' ELSE 'absent' END,
    CASE WHEN ${present} THEN (CASE WHEN b.i % 3 = 0 THEN '07:' || ${pad('30 + b.i % 30')} ELSE '08:' || ${pad('b.i % 60')} END) END,
    CASE WHEN ${present} AND d.n < ${today} THEN (CASE WHEN b.i % 2 = 0 THEN '16:' || ${pad('30 + b.i % 30')} ELSE '17:' || ${pad('b.i % 60')} END) END,
    CASE WHEN ${present} THEN NULL WHEN b.i % 3 = 0 THEN 'illness' WHEN b.i % 3 = 1 THEN 'family' END,
    NULL, ${TS}, ${TS}
  FROM bench_day d CROSS JOIN bench_kid b ORDER BY d.n, b.i;
INSERT INTO care_health_check (district_code, child_id, institution_id, class_id, day, slot, temperature_c, symptoms, action, guardian_told, created_at)
  SELECT '330304', b.child_id, b.institution_id, b.class_id, d.day, 'morning',
    CASE WHEN (b.i + d.n) % 33 = 0 THEN 38.1 ELSE 36.6 END,
    CASE WHEN (b.i + d.n) % 33 = 0 THEN 'fever' ELSE '' END,
    CASE WHEN (b.i + d.n) % 33 = 0 THEN 'observe' ELSE 'none' END, 0, ${TS}
  FROM bench_day d CROSS JOIN bench_kid b WHERE ${present} ORDER BY d.n, b.i;
-- each class's caregivers on duty every day, the first 07:20–18:10, the others 07:25–17:00 (the
-- evening's last children with fewer: short breaks); today one class in nine has its first
-- caregiver off at 09:00 (broken since, a finding by 09:15)
INSERT INTO duty_shift (district_code, staff_id, institution_id, class_id, day, check_in, check_out, covering, created_at, updated_at)
  SELECT '330304', sc.staff_id, c.institution_id, c.id, d.day,
    CASE WHEN m.id_lookup LIKE '%-0' THEN '07:20' ELSE '07:25' END,
    CASE WHEN d.n < ${today} THEN (CASE WHEN m.id_lookup LIKE '%-0' THEN '18:10' ELSE '17:00' END)
         WHEN m.id_lookup LIKE '%-0' AND c.r % 9 = 0 THEN '09:00' END,
    0, ${TS}, ${TS}
  FROM bench_class c JOIN staff_class sc ON sc.class_id = c.id JOIN staff_member m ON m.id = sc.staff_id AND m.id_lookup LIKE 'bench-staff-%'
  CROSS JOIN bench_day d ORDER BY d.n, c.r;
INSERT INTO care_alert (district_code, institution_id, class_id, grp, first_day, last_day, cases, children, rule, basis, status, raised_at, updated_at)
  SELECT '330304', c.institution_id, c.id, 'fever', '${TODAY}', '${TODAY}', 3, '[]', 'bench', 'bench', 'open', ${TS}, ${TS}
  FROM bench_class c WHERE c.r % 40 = 0;
DROP TABLE bench_kid; DROP TABLE bench_day; DROP TABLE bench_class;
${db.kind === 'pg' ? '' : 'COMMIT;'}
ANALYZE;
`);
  const counts = sql("SELECT (SELECT COUNT(*) FROM care_attendance) || ' attendance, ' || (SELECT COUNT(*) FROM care_health_check) || ' checks, ' || (SELECT COUNT(*) FROM duty_shift) || ' duties, ' || (SELECT COUNT(*) FROM care_placement WHERE end_date IS NULL) || ' placed';").trim();
  console.log(`built (${db.kind}) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${counts}`);
}

/** R requests of path, one at a time, after 5 to warm up: "p50 … p99 … max …". */
async function measure(client, path) {
  const times = [];
  for (let n = 0; n < R + 5; n++) {
    const t0 = process.hrtime.bigint();
    const r = await client.get(path);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`);
    if (n >= 5) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
  return `p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  max ${times[times.length - 1].toFixed(2)} ms`;
}

let srv;
try {
  build();
  srv = await startServer({ database: db, now: `${TODAY}T02:00:00Z` });
  const admin = await srv.login('district-admin');
  const page = (await admin.get('/api/v1/care/today')).body;
  console.log(`district page: ${page.items.length} institutions, ${page.totals.placed} placed, ${page.totals.present} present, ${page.totals.present_now} in now, ${page.totals.classes_broken} classes broken, ${page.totals.open_alerts} open alerts`);
  console.log(`GET /api/v1/care/today (district admin, ${db.kind}), ${R} requests: ${await measure(admin, '/api/v1/care/today')}`);
  const town = await srv.login('town-330304001');
  console.log(`GET /api/v1/care/today (town officer, ${db.kind}), ${R} requests: ${await measure(town, '/api/v1/care/today')}`);
  const inst = page.items.find((x) => x.placed > 0).institution_id;
  console.log(`GET /api/v1/institutions/${inst}/today (district admin, ${db.kind}), ${R} requests: ${await measure(admin, `/api/v1/institutions/${inst}/today`)}`);
} finally {
  await srv?.stop();
  db.cleanup();
}
