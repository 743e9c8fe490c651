// care_sheet.mjs — the class sheet of 20 children saved in one request (issue 15 "Speed": p99 <
// 30 ms over loopback): a 托大班 of 20 children, placed and with their entry checks, on a fresh
// demo server; then R sheets, one per school day going forward (each a new day, so every save
// runs the admission gate and inserts 20 rows with its audit row in one transaction; every fifth
// sheet has an illness absence, which runs the outbreak warning). Prints p50/p99/max. A smoke
// run: `node bench/care_sheet.mjs 100`; the coordinator measures.
// Usage:
//   TUOYU_BIN=build/tuoyu node bench/care_sheet.mjs [R]     (TUOYU_DB_KIND=pg for PostgreSQL)
import { startServer } from '../tests/lib/server.mjs';
import { child, consent, uscc } from '../tests/lib/fixtures.mjs';

const R = Number(process.argv[2] || 100);
const srv = await startServer({ now: '2026-06-01T02:00:00Z' });
try {
  const admin = await srv.login('district-admin');
  const sec = await srv.login('security-admin');
  const inst = await admin.post('/api/v1/institutions', {
    name: '考勤基准托育园', uscc: uscc('91330304MA5000001'), town_code: '330304001', address: '景山街道基准路1号',
    lon: 120.65, lat: 28.0, operating_model: 'market', ownership: 'private', status: 'filed', premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 20, enrolled: 0, caregivers: 3 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  if (inst.status !== 201) throw new Error(inst.text);
  const { id, classes: [{ id: classId }] } = inst.body;
  await sec.post('/api/v1/users', { login: 'bench-care', name: '基准', role: 'institution_operator', institution_id: id, password: srv.password });
  const op = await srv.login('bench-care');
  const kids = [];
  for (let i = 0; i < 20; i++) {
    const k = await child(op, '2023-09-01', { name: `基准宝宝${i}` });
    await op.put(`/api/v1/children/${k}/placement`, { class_id: classId, start_date: '2025-01-01' });
    await consent(op, k); // the guardian's signed form: no health data without it
    for (const kind of ['health_check', 'vaccination'])
      await op.post(`/api/v1/children/${k}/entry-checks`, { kind, checked_on: '2024-12-20', result: 'pass' });
    kids.push(k);
  }
  const days = [];
  for (let t = Date.UTC(2025, 0, 2); days.length < R; t += 864e5)
    if (![0, 6].includes(new Date(t).getUTCDay())) days.push(new Date(t).toISOString().slice(0, 10));
  const times = [];
  for (const [n, date] of days.entries()) {
    const entries = kids.map((k, i) => (n % 5 === 0 && i === 0
      ? { child_id: k, status: 'absent', absence_cause: 'illness', symptom: '发热' }
      : { child_id: k, status: 'present', check_in: '08:10' }));
    const t0 = process.hrtime.bigint();
    const r = await op.post(`/api/v1/institutions/${id}/attendance`, { class_id: classId, date, entries });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 201) throw new Error(`${date}: ${r.text}`);
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
  console.log(`class sheet of 20 (${srv.database.kind}), ${R} saves: p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  max ${times[times.length - 1].toFixed(2)} ms`);
} finally {
  await srv.stop();
}
