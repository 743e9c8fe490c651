// booking_cost.mjs — a fixed, sequential sequence of booking requests for counting instructions
// per request with valgrind callgrind (timing on the shared box is noisy; instruction counts are
// not). One family, one program of 20 places, N children (default 300): 20 bookings succeed
// (201), the other N − 20 are refused (409 program_full), 50 repeats are refused (409
// already_booked), 20 cancellations (200). bench/booking.sh runs it with the server under
// callgrind and prints the inclusive instructions per call of create_booking and cancel_booking.
//   TUOYU_BIN=build/tuoyu node bench/booking_cost.mjs [N]
import { startServer } from '../tests/lib/server.mjs';

const N = Number(process.argv[2] || 300);
const srv = await startServer({ now: '2026-06-01T02:00:00Z', extraArgs: ['--threads', '1', '--quiet'] });
const admin = await srv.login('district-admin'), family = await srv.login('family');
function uscc(body) {
  const cs = '0123456789ABCDEFGHJKLMNPQRTUWXY', w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...body].reduce((a, ch, i) => a + cs.indexOf(ch) * w[i], 0);
  return body + cs[(31 - (sum % 31)) % 31];
}
const inst = (await admin.post('/api/v1/institutions', {
  name: '计数托育园', uscc: uscc('91330304MA6000001'), town_code: '330304002', address: '梧田街道基准路3号', lon: 120.683,
  lat: 27.962, operating_model: 'market', ownership: 'private', status: 'filed', inclusive: true,
  premises: { tenure: 'owned', floor: 1 }, classes: [{ class_type: 'toddler_old', capacity: 20, enrolled: 0, caregivers: 4 }],
  fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
})).body.id;
const kids = [];
for (let i = 0; i < N; i++) kids.push((await family.post('/api/v1/children', { name: '计数宝宝', birth_date: '2024-01-15', sex: 1, birth_cert: `C${100000000 + i}` })).body.id);
const counts = {}, ids = [];
const note = (label, r) => { const k = `${label} ${r.status}${r.body && r.body.error ? ' ' + r.body.error.code : ''}`; counts[k] = (counts[k] || 0) + 1; };
const book = (kid) => family.post('/api/v1/bookings', { child_id: kid, institution_id: inst, class_type: 'toddler_old', start_month: '2026-07' });
for (const kid of kids) { const r = await book(kid); note('POST', r); if (r.status === 201) ids.push(r.body.id); }
for (const kid of kids.slice(0, 50)) note('POST', await book(kid));
for (const id of ids) note('DELETE', await family.del(`/api/v1/bookings/${id}`));
console.log(JSON.stringify(counts));
await srv.stop();
