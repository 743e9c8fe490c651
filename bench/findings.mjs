// findings.mjs — the district's findings list and dashboard (issue 19 "Speed": the findings list
// over 120 institutions < 20 ms; the dashboard with a year of monthly snapshots p99 < 50 ms). The
// demo's ~120 institutions with their staff, and the eleven months before this one as snapshots
// (SQL, SQLite); R requests of each, one at a time, as the district administrator; p50/p99/max.
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
  for (const path of ['/api/v1/findings?limit=500', '/api/v1/findings?limit=50', '/api/v1/dashboard']) {
    const times = [];
    let n = 0;
    for (let i = 0; i < R + 10; i++) {
      const t0 = process.hrtime.bigint();
      const r = await admin.get(path);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      n = r.body.items ? r.body.items.length : `${r.body.district.open_findings} (trend of ${r.body.trend.length} months)`;
      if (i >= 10) times.push(ms); // the first ten warm the caches
    }
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    console.log(`${path}: ${n} findings; p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${times.at(-1).toFixed(1)} ms over ${R}`);
  }
} finally {
  await srv.stop();
  db.cleanup();
}
