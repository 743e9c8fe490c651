// findings.mjs — the district's findings list and dashboard (issue 19 "Speed": the findings list
// over 120 institutions < 20 ms; the dashboard with a year of monthly snapshots p99 < 50 ms). The
// demo's ~120 institutions with their staff, and the eleven months before this one as snapshots
// (SQL, SQLite); R requests of each, one at a time, as the district administrator; p50/p99/max.
// Each institution's findings are kept until a write moves its findings stamp (migration 059), so
// the list is also timed right after a write to one staff member (made outside the timing, by
// another process, as an import would): that institution's findings are computed again; and after
// a parameter's new row, when every institution's are (as on the first read of a day).
// Usage: TUOYU_BIN=build/tuoyu node bench/findings.mjs [R=200]
import { spawnSync } from 'node:child_process';
import { freshDatabase, startServer } from '../tests/lib/server.mjs';

const R = Number(process.argv[2] || 200);
const db = freshDatabase();
const months = [];
for (let k = 11; k >= 1; k--) {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - k);
  months.push(d.toISOString().slice(0, 7));
}
const insert = months.map((m, k) => `INSERT INTO indicator_snapshot SELECT district_code, '${m}', code, 8, 4, ${800 + 10 * k}, ${400 + 5 * k}, 77000, 2023, 30, 'bench' FROM town;`).join('\n');
const r = spawnSync('sqlite3', ['-bail', db.db], { input: insert, encoding: 'utf8' });
if (r.status !== 0) throw new Error(r.stderr);
const srv = await startServer({ database: db, extraArgs: ['--quiet'] });
try {
  const admin = await srv.login('district-admin');
  const staff = spawnSync('sqlite3', [db.db, 'SELECT id FROM staff_member ORDER BY id'], { encoding: 'utf8' })
    .stdout.trim().split('\n');
  const runs = [['/api/v1/findings?limit=500'], ['/api/v1/findings?limit=50'], ['/api/v1/dashboard'],
    ['/api/v1/findings?limit=50', 'after a write'], ['/api/v1/dashboard', 'after a write'],
    ['/api/v1/findings?limit=50', 'after a parameter change']];
  for (const [path, after] of runs) {
    const times = [];
    let n = 0;
    for (let i = 0; i < R + 10; i++) {
      if (after) {
        // a parameter's new row: every institution's findings are computed again (as on a new day)
        const touch = after === 'after a write'
          ? `UPDATE staff_member SET updated_at = updated_at WHERE id = ${staff[i % staff.length]};`
          : `INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from) VALUES ('330304', 'bench.touch', '${i}', '', 'bench', 'LOCAL', 'bench', date('2000-01-01', '+${i} days'));`;
        const w = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db.db, touch], { encoding: 'utf8' });
        if (w.status !== 0) throw new Error(w.stderr);
      }
      const t0 = process.hrtime.bigint();
      const r = await admin.get(path);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      n = r.body.items ? r.body.items.length : `${r.body.district.open_findings} (trend of ${r.body.trend.length} months)`;
      if (i >= 10) times.push(ms); // the first ten warm the caches
    }
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    console.log(`${path}${after ? ` (${after})` : ''}: ${n} findings; p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${times.at(-1).toFixed(1)} ms over ${R}`);
  }
} finally {
  await srv.stop();
  db.cleanup();
}
