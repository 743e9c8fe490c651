// growth_chart.mjs — latency of a child's growth chart data (GET /api/v1/children/{id}/growth:
// every measurement with its WHO z-scores, percentiles, classes and grades, and the WHO curves
// the chart draws) over loopback. Target (issue 15): < 10 ms for one child.
// A child of 6 years with a measurement every month since birth (72, the worst a child in care
// has: 2006 standards to 60 months, then the 2007 reference, and the longest curves) is read R
// times (default 500) by its institution (a staff read, so each one also writes its audit row)
// and R times as the public curves of one indicator; prints p50/p99/max.
// Usage:
//   TUOYU_BIN=build/tuoyu node bench/growth_chart.mjs [R]     (TUOYU_DB_KIND=pg for PostgreSQL)
import { startServer } from '../tests/lib/server.mjs';
import { consent } from '../tests/lib/fixtures.mjs';

const R = Number(process.argv[2] || 500);
const srv = await startServer({ now: '2026-06-01T02:00:00Z' });
try {
  const admin = await srv.login('district-admin');
  const inst = (await admin.get('/api/v1/institutions?limit=1')).body.items[0].id;
  const op = await srv.login(`inst-${inst}`);
  const child = await op.post('/api/v1/children', { name: '基准宝宝', birth_date: '2020-05-15', sex: 2, birth_cert: 'B330099999' });
  if (child.status !== 201) throw new Error(child.text);
  const id = child.body.id;
  await consent(op, id); // the guardian's signed form: no measurement without it
  for (let mo = 0; mo < 72; mo++) {
    const day = new Date(Date.UTC(2020, 4 + mo, 20)).toISOString().slice(0, 10);
    const body = { measured_on: day, weight_kg: Math.round((3.3 + 0.45 * mo - 0.0028 * mo * mo) * 10) / 10,
      lenhei_cm: Math.round((50 + 2.2 * mo - 0.016 * mo * mo) * 10) / 10, measure: mo < 24 ? 'l' : 'h' };
    if (mo < 36) body.headc_cm = Math.round((34 + 10 * (1 - Math.exp(-mo / 8))) * 10) / 10;
    const r = await op.post(`/api/v1/children/${id}/measurements`, body);
    if (r.status !== 201) throw new Error(`${day}: ${r.text}`);
  }
  const anon = srv.client();
  const runs = [
    ['child growth (staff, audited)', () => op.get(`/api/v1/children/${id}/growth`)],
    ['public curves wfa 0-1826 days', () => anon.get('/api/v1/public/growth/curves/wfa/2')],
  ];
  for (const [what, call] of runs) {
    const first = await call();
    if (first.status !== 200) throw new Error(first.text);
    const times = [];
    for (let i = 0; i < R; i++) {
      const s = process.hrtime.bigint();
      const r = await call();
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (r.status !== 200) throw new Error(r.text);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
    console.log(`${process.env.TUOYU_DB_KIND || 'sqlite'} ${what}: ${first.text.length} bytes; ${R} requests ` +
      `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
  }
} finally {
  await srv.stop();
}
