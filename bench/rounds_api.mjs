// rounds_api.mjs — wall time of an allocation round over HTTP: N applications (default 2,000) of
// one family's children, 3 ranked choices each (a fixed pseudo-random pick) over 40 toddler_old
// programs of 30 places, then POST /api/v1/rounds (freeze, points, lottery, engine, offers, audit)
// and a waitlist re-run after 200 declines. Usage:
//   TUOYU_BIN=build/tuoyu node bench/rounds_api.mjs [N]      (TUOYU_DB_KIND=pg for PostgreSQL)
import { startServer } from '../tests/lib/server.mjs';
const N = Number(process.argv[2] || 2000);
const srv = await startServer({ now: '2026-06-01T02:00:00Z' });
const admin = await srv.login('district-admin'), family = await srv.login('family');
function uscc(body) {
  const cs = '0123456789ABCDEFGHJKLMNPQRTUWXY', w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...body].reduce((a, ch, i) => a + cs.indexOf(ch) * w[i], 0);
  return body + cs[(31 - (sum % 31)) % 31];
}
const progs = [];
for (let i = 0; i < 40; i++) {
  const r = await admin.post('/api/v1/institutions', {
    name: `基准托育园${i}`, uscc: uscc(`91330304MA9${String(i).padStart(6, '0')}`), town_code: '330304002', address: '梧田街道基准路1号',
    lon: 120.683, lat: 27.962, operating_model: 'market', ownership: 'private', status: 'filed', inclusive: true,
    premises: { tenure: 'owned', floor: 1 }, classes: [{ class_type: 'toddler_old', capacity: 30, enrolled: 0, caregivers: 5 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  if (r.status !== 201) throw new Error(r.text);
  progs.push(r.body.id);
}
let x = 12345;
const rnd = (n) => { x = (x * 1103515245 + 12345) % 2147483648; return (x >>> 16) % n; };
const t0 = Date.now();
const apps = [];
for (let i = 0; i < N; i++) {
  const kid = (await family.post('/api/v1/children', { name: '基准宝宝', birth_date: '2024-01-15', sex: 1, birth_cert: `B${100000000 + i}` })).body.id;
  const picks = [...new Set([rnd(40), rnd(40), rnd(40)])].map((p) => ({ institution_id: progs[p], class_type: 'toddler_old' }));
  const a = await family.post('/api/v1/applications', { child_id: kid, intake: '2026-09', choices: picks, criteria: { hardship: rnd(5) === 0 } });
  if (a.status !== 201) throw new Error(a.text);
  await family.post(`/api/v1/applications/${a.body.id}/submit`, {});
  apps.push(a.body.id);
}
console.log(`setup: ${N} children + applications in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const time = async (label, f) => { const s = process.hrtime.bigint(); const r = await f(); console.log(label, (Number(process.hrtime.bigint() - s) / 1e6).toFixed(0), 'ms', r.status); return r; };
const run = await time(`POST /api/v1/rounds (${N} applications)`, () => admin.post('/api/v1/rounds', { intake: '2026-09', seed: '42'.repeat(32) }));
const offers = run.body.offers.filter((o) => o.status === 'offered');
console.log('offers', offers.length, 'waitlisted', N - offers.length);
for (const o of offers.slice(0, 200)) await family.post(`/api/v1/offers/${o.id}/decline`, {});
const re = await time('POST /api/v1/rounds/{id}/rerun after 200 declines', () => admin.post(`/api/v1/rounds/${run.body.id}/rerun`, {}));
console.log('new offers', re.body.new_offers);
await srv.stop();
