// cases_inbox.mjs — latency of a reviewer's task inbox (GET /api/v1/tasks, first page with its
// counts) over loopback with N open cases in the departments' review (default 10,000) and three
// tasks each (30,000: 消防, 市场监管, 卫生评价), due over sixty days around the server's clock.
// The cases and tasks are written straight into a fresh demo database with SQL (sqlite3 or psql),
// then the server is started on it. Prints p50/p99/max of R sequential requests (default 2,000)
// for the fire reviewer (N tasks of its department) and the district administrator (none).
// Usage:
//   TUOYU_BIN=build/tuoyu node bench/cases_inbox.mjs [N] [R]     (TUOYU_DB_KIND=pg for PostgreSQL)
import { execFileSync } from 'node:child_process';
import { startServer, freshDatabase } from '../tests/lib/server.mjs';

const N = Number(process.argv[2] || 10000), R = Number(process.argv[3] || 2000);
const db = freshDatabase();
const pg = db.kind === 'pg';
const dueExpr = pg ? "to_char(date '2024-10-01' + (c.id % 60)::int, 'YYYY-MM-DD')" : "date('2024-10-01', '+' || (c.id % 60) || ' days')";
const sql = `
BEGIN;
INSERT INTO case_file (district_code, process, institution_id, town_code, state, data, version, submitted_on, created_by, created_at, updated_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N}),
inst AS (SELECT id, town_code, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS total FROM institution)
SELECT '330304', 'filing', inst.id, inst.town_code, 'review', '{}', 1, '2024-09-30', 1, '2024-09-30T02:00:00Z', '2024-09-30T02:00:00Z'
FROM n JOIN inst ON inst.k = n.i % inst.total;
INSERT INTO case_task (district_code, case_id, institution_id, town_code, step, action, department, opened_on, due_on)
SELECT '330304', c.id, c.institution_id, c.town_code, s.step, 'case.review', s.dept, '2024-09-30', ${dueExpr}
FROM case_file c CROSS JOIN (SELECT 'review_fire' AS step, 'fire' AS dept UNION ALL SELECT 'review_market', 'market'
  UNION ALL SELECT 'review_health', 'health') s;
COMMIT;
ANALYZE;
`;
const t0 = Date.now();
if (pg) execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', db.conninfo], { input: sql });
else execFileSync('sqlite3', [db.db], { input: sql });
console.log(`${db.kind}: ${N} cases, ${3 * N} tasks written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const srv = await startServer({ now: '2024-10-20T02:00:00Z', database: db });
try {
  for (const login of ['dept-reviewer', 'district-admin']) {
    const c = await srv.login(login);
    const first = await c.get('/api/v1/tasks');
    if (first.status !== 200) throw new Error(first.text);
    const times = [];
    for (let i = 0; i < R; i++) {
      const s = process.hrtime.bigint();
      const r = await c.get('/api/v1/tasks');
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (r.status !== 200) throw new Error(r.text);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
    console.log(`${login}: total ${first.body.total}, overdue ${first.body.overdue}, page ${first.body.items.length}; ` +
      `${R} requests p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
  }
} finally {
  await srv.stop();
  db.cleanup();
}
