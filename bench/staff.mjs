// staff.mjs — the staff registry's reads at district scale (issue 14 "Speed"): the district's
// findings from the registry and the staff records (GET /api/v1/staff/findings: 120 institutions,
// ~2,000 staff; target < 50 ms), the district's expiring-certificates list (GET
// /api/v1/staff/expiring; target p99 < 20 ms over loopback) and an .xlsx export of ~10,000 staff
// rows (GET /api/v1/staff/export; target < 1 s). The demo's roster (~1,550 people) is grown with
// part-time copies written straight into a fresh demo database with SQL (sqlite3 or psql), then
// the server is started on it. Prints p50/p99/max of R sequential requests (default 200) and the
// export's time and size. A smoke run: `node bench/staff.mjs 200`; the coordinator measures.
// Usage:
//   TUOYU_BIN=build/tuoyu node bench/staff.mjs [R]     (TUOYU_DB_KIND=pg for PostgreSQL)
import { execFileSync } from 'node:child_process';
import { startServer, freshDatabase } from '../tests/lib/server.mjs';

const R = Number(process.argv[2] || 200);
const db = freshDatabase();
const pg = db.kind === 'pg';
const run = (sql) => (pg ? execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', db.conninfo], { input: sql })
  : execFileSync('sqlite3', [db.db], { input: sql }));
const count = () => Number(String(pg ? execFileSync('psql', ['-tA', db.conninfo, '-c', 'SELECT COUNT(*) FROM staff_member'])
  : execFileSync('sqlite3', [db.db, 'SELECT COUNT(*) FROM staff_member'])).trim());
// part-time copies of a share of the roster (their own lookup hashes), certificates too
const grow = (tag, where) => run(`
BEGIN;
INSERT INTO staff_member (district_code, institution_id, name_sealed, name_masked, id_sealed, id_lookup, id_masked, role,
  employment, start_date, end_date, health_cert_date, health_cert_expiry, no_crime_cert_date, created_at, updated_at)
SELECT district_code, institution_id, name_sealed, name_masked, id_sealed, id_lookup || '-${tag}', id_masked, role,
  'part_time', start_date, end_date, health_cert_date, health_cert_expiry, no_crime_cert_date, created_at, updated_at
FROM staff_member WHERE id_lookup NOT LIKE '%-%' AND ${where};
INSERT INTO staff_certificate (district_code, staff_id, kind, grade, number, issuer, issue_date, expiry_date)
SELECT c.district_code, s.id, c.kind, c.grade, c.number, c.issuer, c.issue_date, c.expiry_date
FROM staff_member s JOIN staff_member o ON s.id_lookup = o.id_lookup || '-${tag}' JOIN staff_certificate c ON c.staff_id = o.id;
COMMIT;
ANALYZE;
`);

async function timed(c, path, n) {
  const first = await c.get(path);
  if (first.status !== 200) throw new Error(first.text);
  const times = [];
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    const r = await c.get(path);
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
    if (r.status !== 200) throw new Error(r.text);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
  return { first: first.body, line: `${n} requests p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms` };
}

grow('a', 'id % 3 = 0');
console.log(`${db.kind}: ${count()} staff`);
let srv = await startServer({ database: db });
try {
  const admin = await srv.login('district-admin');
  const f = await timed(admin, '/api/v1/staff/findings', R);
  console.log(`district findings (${f.first.institutions} institutions, ${f.first.items.length} findings): ${f.line}`);
  const x = await timed(admin, '/api/v1/staff/expiring', R);
  console.log(`district expiring list (${x.first.items.length} certificates until ${x.first.until}): ${x.line}`);
} finally {
  await srv.stop({ keepDatabase: true });
}
for (const tag of ['b', 'c', 'd', 'e', 'f']) grow(tag, '1 = 1');
console.log(`${db.kind}: ${count()} staff`);
srv = await startServer({ database: db });
try {
  const admin = await srv.login('district-admin');
  for (let i = 0; i < 3; i++) {
    const s = process.hrtime.bigint();
    const res = await fetch(`${srv.url}/api/v1/staff/export`, { headers: { cookie: admin.cookie } });
    const bytes = (await res.arrayBuffer()).byteLength;
    if (res.status !== 200) throw new Error(`export: ${res.status}`);
    console.log(`export .xlsx: ${(Number(process.hrtime.bigint() - s) / 1e6).toFixed(0)} ms, ${bytes} bytes`);
  }
} finally {
  await srv.stop();
  db.cleanup();
}
