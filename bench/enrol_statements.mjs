// enrol_statements.mjs — database statements per enrolment request (入托一件事): the server's
// tuoyu_db_calls_total (statement executions, BEGIN/COMMIT included on SQLite) read from /metrics
// before and after each request, minus what the /metrics read itself costs. One request at a
// time, so the delta is that request's. Usage:
//   TUOYU_BIN=build/tuoyu node bench/enrol_statements.mjs        (TUOYU_DB_KIND=pg for PostgreSQL)
import { toddlerProgram } from '../tests/lib/fixtures.mjs';
import { startServer } from '../tests/lib/server.mjs';

const srv = await startServer({ now: '2026-06-01T02:00:00Z' });
try {
  const admin = await srv.login('district-admin'), family = await srv.login('family');
  const calls = async () => Number(/^tuoyu_db_calls_total (\d+)/m.exec((await admin.get('/metrics')).text)[1]);
  const probe = [];
  for (let i = 0; i < 3; i++) { const a = await calls(); probe.push((await calls()) - a); }
  const idle = Math.min(...probe);
  const rows = [];
  async function measure(label, f) {
    const before = await calls();
    const r = await f();
    const n = (await calls()) - before - idle;
    if (r.status >= 300) throw new Error(`${label}: ${r.status} ${r.text}`);
    rows.push([label, n]);
    return r;
  }
  const progs = [];
  for (let i = 0; i < 4; i++) progs.push(await toddlerProgram(admin, `语句计数托育园${i}`, 2));
  let cert = 700000000;
  const kid = async () => (await family.post('/api/v1/children', { name: '计数宝宝', birth_date: '2024-01-15', sex: 1, birth_cert: `S${++cert}` })).body.id;
  const choices = (ids) => ids.map((id) => ({ institution_id: id, class_type: 'toddler_old' }));
  const apps = [];
  for (let i = 0; i < 6; i++) {
    const k = await kid();
    const label = i === 0 ? 'POST /applications (3 choices)' : null;
    const body = { child_id: k, intake: '2026-09', choices: choices([progs[i % 4], progs[(i + 1) % 4], progs[(i + 2) % 4]]), criteria: { hardship: i % 2 === 0 } };
    const a = label ? await measure(label, () => family.post('/api/v1/applications', body)) : await family.post('/api/v1/applications', body);
    apps.push(a.body.id);
  }
  await measure('PUT /applications/{id} (3 choices)', () => family.put(`/api/v1/applications/${apps[0]}`, { choices: choices([progs[3], progs[2], progs[1]]) }));
  await measure('POST /applications/{id}/submit', () => family.post(`/api/v1/applications/${apps[0]}/submit`, {}));
  for (const id of apps.slice(1)) await family.post(`/api/v1/applications/${id}/submit`, {});
  await measure('GET /applications/{id} (family)', () => family.get(`/api/v1/applications/${apps[0]}`));
  await measure('GET /applications (family, 6 items)', () => family.get('/api/v1/applications'));
  const round = await measure('POST /rounds (6 applications, 8 places)', () => admin.post('/api/v1/rounds', { intake: '2026-09', seed: '42'.repeat(32) }));
  await measure('GET /rounds/{id}', () => admin.get(`/api/v1/rounds/${round.body.id}`));
  const offers = round.body.offers.filter((o) => o.status === 'offered');
  await measure('POST /offers/{id}/accept', () => family.post(`/api/v1/offers/${offers[0].id}/accept`, {}));
  await measure('POST /offers/{id}/decline', () => family.post(`/api/v1/offers/${offers[1].id}/decline`, {}));
  await measure('POST /rounds/{id}/rerun', () => admin.post(`/api/v1/rounds/${round.body.id}/rerun`, {}));
  const w = (await family.get('/api/v1/applications')).body.items.find((x) => ['offered', 'waitlisted'].includes(x.status));
  await measure(`POST /applications/{id}/withdraw (${w.status})`, () => family.post(`/api/v1/applications/${w.id}/withdraw`, {}));
  const bk = await kid();
  const b = await measure('POST /bookings (201)', () => family.post('/api/v1/bookings', { child_id: bk, institution_id: progs[0], class_type: 'toddler_old', start_month: '2026-07' }));
  await measure('POST /bookings (409 already_booked)', async () => {
    const r = await family.post('/api/v1/bookings', { child_id: bk, institution_id: progs[1], class_type: 'toddler_old', start_month: '2026-07' });
    return { ...r, status: r.status === 409 ? 200 : 500 };
  });
  await measure('DELETE /bookings/{id}', () => family.del(`/api/v1/bookings/${b.body.id}`));
  await measure('GET /public/vacancies', () => family.get('/api/v1/public/vacancies?limit=50'));
  console.log(`enrol_statements.mjs ${process.env.TUOYU_DB_KIND || 'sqlite'} (${idle} per /metrics read subtracted)`);
  for (const [label, n] of rows) console.log(`${String(n).padStart(5)}  ${label}`);
} finally {
  await srv.stop();
}
