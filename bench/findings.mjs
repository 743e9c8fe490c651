// findings.mjs — the district's findings list and dashboard (issue 19 "Speed": the findings list
// over 120 institutions < 20 ms; the dashboard answers quickly). The demo's ~120 institutions with
// their staff; R requests of each, one at a time, as the district administrator; p50/p99/max.
// Usage: TUOYU_BIN=build/tuoyu node bench/findings.mjs [R=200]   (TUOYU_DB_KIND=pg for PostgreSQL)
import { startServer } from '../tests/lib/server.mjs';

const R = Number(process.argv[2] || 200);
const srv = await startServer({ extraArgs: ['--quiet'] });
try {
  const admin = await srv.login('district-admin');
  for (const path of ['/api/v1/findings?limit=500', '/api/v1/dashboard']) {
    const times = [];
    let n = 0;
    for (let i = 0; i < R + 10; i++) {
      const t0 = process.hrtime.bigint();
      const r = await admin.get(path);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      n = r.body.items ? r.body.items.length : r.body.district.open_findings;
      if (i >= 10) times.push(ms); // the first ten warm the caches
    }
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    console.log(`${path}: ${n} findings; p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${times.at(-1).toFixed(1)} ms over ${R}`);
  }
} finally {
  await srv.stop();
}
