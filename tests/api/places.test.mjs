// places.test.mjs — figures families rely on (issue 12 items 3, 4, 5, 8): the monthly fee a card
// shows and the fee filter uses (not an hourly 计时托 price), each class's own free places beside the
// totals by class type, one place per child (a booking and an offer: accepting releases the
// booking and tells the family and the institution; booking is refused while an offer waits or
// after one was accepted), and the public list sorted by fee, distance or free places, page by
// page — on SQLite and PostgreSQL alike.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { child, toddlerProgram, uscc } from '../lib/fixtures.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';

let srv, admin, family, anon;
const NOW = '2026-06-01T02:00:00Z';
before(async () => {
  srv = await startServer({ now: NOW });
  admin = await srv.login('district-admin');
  family = await srv.login('family');
  anon = srv.client();
});
after(async () => { await srv.stop(); });

let no = 0;
// A filed institution in 梧田 with the given classes and fees; its id.
async function institution(name, classes, fees, extra = {}) {
  const r = await admin.post('/api/v1/institutions', {
    name, uscc: uscc(`91330304MB3${String(++no).padStart(6, '0')}`), town_code: '330304002',
    address: '梧田街道数字路1号', lon: 120.683, lat: 27.962, operating_model: 'market', ownership: 'private', status: 'filed',
    inclusive: false, premises: { tenure: 'owned', floor: 1 }, classes, fees, ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}
const toddlers = (...caps) => caps.map(([capacity, enrolled], i) => ({ class_type: 'toddler_old', name: `托大${i + 1}班`, capacity, enrolled, caregivers: 3 }));

test('the monthly fee is the full-day fee per month, never an hourly price; the fee filter uses it', async () => {
  const id = await institution('收费口径托育园', toddlers([20, 5]), [
    { item: '保育费（全日托）', category: 'basic', amount_fen: 520000, unit: '月' },
    { item: '计时托', category: 'basic', amount_fen: 4200, unit: '小时' },
    { item: '伙食费', category: 'other', amount_fen: 2000, unit: '日' },
  ]);
  const card = (await anon.get('/api/v1/public/institutions?limit=500')).body.items.find((x) => x.id === id);
  assert.equal(card.monthly_fee_fen, 520000, 'the card shows ¥5,200/月, not the hourly ¥42');
  assert.deepEqual(card.basic_fees.map((f) => [f.amount_fen, f.unit]), [[520000, '月'], [4200, '小时']], 'prices carry their unit');
  const cheap = (await anon.get('/api/v1/public/institutions?max_fee_fen=100000&limit=500')).body.items;
  assert.ok(!cheap.some((x) => x.id === id), '每月保育费不超过 ¥1,000 does not find a ¥5,200/月 institution');
  for (const x of cheap) assert.ok(x.monthly_fee_fen !== null && x.monthly_fee_fen <= 100000);
  assert.ok((await anon.get('/api/v1/public/institutions?max_fee_fen=520000&limit=500')).body.items.some((x) => x.id === id));
  const vac = (await anon.get('/api/v1/public/vacancies?limit=500')).body.items.find((x) => x.institution_id === id);
  assert.equal(vac.monthly_fee_fen, 520000);
  assert.ok(!(await anon.get('/api/v1/public/vacancies?max_fee_fen=100000&limit=500')).body.items.some((x) => x.institution_id === id));

  const hourlyOnly = await institution('只有计时托的托育点', toddlers([10, 0]), [{ item: '计时托', category: 'basic', amount_fen: 3500, unit: '小时' }]);
  const h = (await anon.get('/api/v1/public/institutions?limit=500')).body.items.find((x) => x.id === hourlyOnly);
  assert.equal(h.monthly_fee_fen, null, 'no monthly fee at all');
  assert.ok(!(await anon.get('/api/v1/public/institutions?max_fee_fen=100000&limit=500')).body.items.some((x) => x.id === hourlyOnly));
});

test("each class shows its own free places; the class type's total is apart", async () => {
  const id = await institution('分班空位托育园', toddlers([10, 4], [10, 5]), [{ item: '保育费', category: 'basic', amount_fen: 300000, unit: '月' }]);
  let page = (await anon.get(`/api/v1/public/institutions/${id}`)).body;
  assert.deepEqual(page.classes.map((c) => c.free_places), [6, 5], 'two 托大班 rows: 6 and 5, not the total 11 twice');
  assert.equal(page.vacancies.toddler_old, 11, 'the total by class type');
  const kid = await child(family);
  const b = await family.post('/api/v1/bookings', { child_id: kid, institution_id: id, class_type: 'toddler_old', start_month: '2026-07' });
  assert.equal(b.status, 201, b.text);
  page = (await anon.get(`/api/v1/public/institutions/${id}`)).body;
  assert.deepEqual(page.classes.map((c) => c.free_places), [5, 5], 'a held place takes the room of the class enrolment fills first');
  assert.equal(page.vacancies.toddler_old, 10);
  assert.equal(page.classes.reduce((a, c) => a + c.free_places, 0), page.vacancies.toddler_old, 'classes add up to the total');
  assert.equal((await family.del(`/api/v1/bookings/${b.body.id}`)).status, 200);
});

test('one place per child: accepting an offer releases the booking and tells both sides; booking waits for the answer', async () => {
  const intake = '2026-09';
  const booked = await toddlerProgram(admin, '先约托育园', 3);
  const offered = await toddlerProgram(admin, '录取托育园', 3);
  const third = await toddlerProgram(admin, '第三托育园', 3);
  const sec = await srv.login('security-admin');
  const u = await sec.post('/api/v1/users', { login: `op-${booked}`, name: '先约园管理员', role: 'institution_operator', institution_id: booked, password: PASSWORD });
  assert.equal(u.status, 201, u.text);
  const op = await srv.login(`op-${booked}`);
  const free = async (inst) => (await anon.get(`/api/v1/public/institutions/${inst}`)).body.vacancies.toddler_old;

  const kid = await child(family);
  const b = await family.post('/api/v1/bookings', { child_id: kid, institution_id: booked, class_type: 'toddler_old', start_month: intake });
  assert.equal(b.status, 201, b.text);
  assert.equal(await free(booked), 2);
  const app = await family.post('/api/v1/applications', { child_id: kid, intake, choices: [{ institution_id: offered, class_type: 'toddler_old' }], criteria: {} });
  assert.equal(app.status, 201, app.text);
  assert.equal((await family.post(`/api/v1/applications/${app.body.id}/submit`, {})).status, 200);
  const round = await admin.post('/api/v1/rounds', { intake, seed: 'a7'.repeat(32) });
  assert.equal(round.status, 201, round.text);
  const offer = (await family.get(`/api/v1/applications/${app.body.id}`)).body.offers.find((o) => o.status === 'offered');
  assert.ok(offer, 'the round made an offer');

  // a second booking is refused while the child holds one
  const other = await child(family);
  assert.equal((await family.post('/api/v1/bookings', { child_id: other, institution_id: third, class_type: 'toddler_old', start_month: intake })).status, 201, 'another child books freely');
  let r = await family.post('/api/v1/bookings', { child_id: kid, institution_id: third, class_type: 'toddler_old', start_month: intake });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'already_booked');

  const accepted = await family.post(`/api/v1/offers/${offer.id}/accept`, {});
  assert.equal(accepted.status, 200, accepted.text);
  assert.equal(accepted.body.released_booking_id, b.body.id, 'accepting the offer releases the booking');
  const mine = (await family.get('/api/v1/bookings')).body.items.find((x) => x.id === b.body.id);
  assert.equal(mine.status, 'cancelled');
  assert.equal(await free(booked), 3, 'the booked institution has its place back');
  const told = (await family.get('/api/v1/inbox')).body.items.find((m) => m.kind === 'booking.released');
  assert.ok(told, 'the family is told');
  assert.match(told.body, /先约托育园/);
  const opTold = (await op.get('/api/v1/inbox')).body.items.find((m) => m.kind === 'booking.released');
  assert.ok(opTold, 'the booked institution is told');
  assert.match(opTold.body, /已接受其他托育机构/);

  r = await family.post('/api/v1/bookings', { child_id: kid, institution_id: third, class_type: 'toddler_old', start_month: intake });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'already_placed', 'a child with an accepted offer books no second place');
  const log = (await (await srv.login('auditor')).get('/api/v1/audit?limit=50')).body.items;
  const row = log.find((x) => x.action === 'offer.accept' && x.target_id === String(offer.id));
  assert.ok(row, 'the accept is audited');

  // a child with an offer waiting (and no booking) cannot book until it answers
  const kid2 = await child(family);
  const app2 = await family.post('/api/v1/applications', { child_id: kid2, intake: '2026-10', choices: [{ institution_id: offered, class_type: 'toddler_old' }], criteria: {} });
  assert.equal(app2.status, 201, app2.text);
  assert.equal((await family.post(`/api/v1/applications/${app2.body.id}/submit`, {})).status, 200);
  assert.equal((await admin.post('/api/v1/rounds', { intake: '2026-10', seed: 'b8'.repeat(32) })).status, 201);
  r = await family.post('/api/v1/bookings', { child_id: kid2, institution_id: third, class_type: 'toddler_old', start_month: '2026-10' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.error.code, 'offer_pending');
  const offer2 = (await family.get(`/api/v1/applications/${app2.body.id}`)).body.offers.find((o) => o.status === 'offered');
  assert.equal((await family.post(`/api/v1/offers/${offer2.id}/decline`, {})).status, 200);
  r = await family.post('/api/v1/bookings', { child_id: kid2, institution_id: third, class_type: 'toddler_old', start_month: '2026-10' });
  assert.equal(r.status, 201, 'after declining, the family may book');
});

test('the public list sorts by monthly fee, distance or free places, and pages in that order', async () => {
  const all = async (query) => {
    const out = [];
    let cursor = '';
    for (;;) {
      const r = await anon.get(`/api/v1/public/institutions?limit=7${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      out.push(...r.body.items);
      if (!r.body.next) return out;
      cursor = r.body.next;
    }
  };
  const whole = (await anon.get('/api/v1/public/institutions?limit=500&sort=fee')).body.items;
  assert.ok(whole.length > 20);
  const fees = whole.map((x) => (x.monthly_fee_fen === null ? Infinity : x.monthly_fee_fen));
  for (let i = 1; i < fees.length; i++) assert.ok(fees[i - 1] <= fees[i], `by fee, lowest first, none last (${i})`);
  assert.deepEqual((await all('&sort=fee')).map((x) => x.id), whole.map((x) => x.id), 'pages follow the order');

  const near = '&near=120.632,27.992&radius_km=10&sort=distance';
  const byDistance = await all(near);
  assert.ok(byDistance.length > 5);
  for (let i = 1; i < byDistance.length; i++) assert.ok(byDistance[i - 1].distance_km <= byDistance[i].distance_km, 'nearest first');

  const byFree = await all('&sort=free_places&class_type=toddler_old');
  for (let i = 1; i < byFree.length; i++) assert.ok(byFree[i - 1].vacancies.toddler_old >= byFree[i].vacancies.toddler_old, 'most free places first');

  let r = await anon.get('/api/v1/public/institutions?sort=distance');
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'sort');
  r = await anon.get('/api/v1/public/institutions?sort=name');
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'bad_sort');
});
