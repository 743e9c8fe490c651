// visits.test.mjs — 预约参观 over HTTP: an institution publishes slots, families book and cancel,
// the public sees remaining places, a slot is never overbooked (60 families racing for 10
// places, on SQLite and PostgreSQL alike), scope by role, confirmation and reminder messages in
// the inbox (a reminder appears only once due: a second server on the same database runs a day
// later), withdrawn reminders, slot cancellation telling every family, and offer notices of a round.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, PASSWORD } from '../lib/server.mjs';
import { child, toddlerProgram } from '../lib/fixtures.mjs';

const NOW = '2026-06-01T02:00:00Z'; // 10:00 Beijing
let srv, admin, family, op, instId, sec;
before(async () => {
  srv = await startServer({ now: NOW });
  admin = await srv.login('district-admin');
  family = await srv.login('family');
  sec = await srv.login('security-admin');
  instId = (await family.get('/api/v1/children')).body.items[0].institution_id;
  op = await srv.login(`inst-${instId}`);
});
after(async () => { await srv.stop(); });

/** The server again on the same database with its clock at now; the file's logins made anew. */
async function restartAt(now) {
  await srv.stop({ keepDatabase: true });
  srv = await startServer({ now, database: srv.database });
  admin = await srv.login('district-admin');
  family = await srv.login('family');
  sec = await srv.login('security-admin');
}

let slotNo = 0;
async function slot(capacity = 5, day = '2026-06-05', who = op, inst = instId) {
  const hh = String(9 + (slotNo++ % 8)).padStart(2, '0');
  const r = await who.post(`/api/v1/institutions/${inst}/visit-slots`, {
    starts_at: `${day}T${hh}:00:00+08:00`, ends_at: `${day}T${hh}:45:00+08:00`, capacity, note: '请带好身份证',
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

let familyNo = 0;
async function newFamily() {
  const login = `visit-family-${++familyNo}`;
  const r = await sec.post('/api/v1/users', { login, name: `参观家长${familyNo}`, role: 'family', password: PASSWORD });
  assert.equal(r.status, 201, r.text);
  return srv.login(login);
}

test('an institution publishes a slot; the public sees it with places left; input is validated', async () => {
  const s = await slot(3);
  assert.equal(s.starts_at, '2026-06-05T01:00:00Z', 'stored in UTC');
  assert.equal(s.remaining, 3);
  assert.equal(s.status, 'open');
  const pub = await new Client(srv.url).get(`/api/v1/public/institutions/${instId}/visit-slots`);
  assert.equal(pub.status, 200);
  assert.ok(pub.body.items.filter((x) => x.id !== s.id).length >= 2, 'the demo publishes two slots per filed institution');
  const seen = pub.body.items.find((x) => x.id === s.id);
  assert.equal(seen.remaining, 3);
  assert.equal(seen.booked, undefined, 'the public sees places left, not who booked');
  const bad = async (body, field, code) => {
    const r = await op.post(`/api/v1/institutions/${instId}/visit-slots`, body);
    assert.equal(r.status, code === 'unknown_field' ? 400 : 422, r.text);
    assert.equal(r.body.error.field, field);
    assert.equal(r.body.error.code, code);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  };
  const ok = { starts_at: '2026-06-06T09:00:00+08:00', ends_at: '2026-06-06T10:00:00+08:00', capacity: 4 };
  await bad({ ...ok, starts_at: '2026-06-06 09:00' }, 'starts_at', 'bad_time');
  await bad({ ...ok, starts_at: '2026-05-30T09:00:00+08:00' }, 'starts_at', 'past_time');
  await bad({ ...ok, ends_at: '2026-06-06T08:00:00+08:00' }, 'ends_at', 'ends_before_start');
  await bad({ ...ok, capacity: 0 }, 'capacity', 'out_of_range');
  await bad({ ...ok, capacity: 2.5 }, 'capacity', 'wrong_type');
  await bad({ ...ok, colour: 'red' }, 'colour', 'unknown_field');
  // another institution's operator cannot publish here, a family cannot at all
  const other = (await admin.get('/api/v1/institutions?limit=50')).body.items.find((i) => i.id !== instId);
  const op2 = await srv.login(`inst-${other.id}`);
  assert.equal((await op2.post(`/api/v1/institutions/${instId}/visit-slots`, ok)).status, 404);
  assert.equal((await family.post(`/api/v1/institutions/${instId}/visit-slots`, ok)).status, 403);
  assert.equal((await op2.get(`/api/v1/institutions/${instId}/visit-slots`)).status, 404);
  assert.equal((await op2.del(`/api/v1/visit-slots/${s.id}`)).status, 404, "another institution cannot cancel this one's slot");
  const town = await srv.login(`town-${(await admin.get(`/api/v1/institutions/${other.id}`)).body.town_code}`);
  if (town.user.town_code !== (await admin.get(`/api/v1/institutions/${instId}`)).body.town_code) {
    assert.equal((await town.del(`/api/v1/visit-slots/${s.id}`)).status, 404, "another town's officer cannot either");
  }
});

test('a family books and cancels; twice is refused; the institution sees the name, the district a mask', async () => {
  const s = await slot(2);
  const b = await family.post('/api/v1/visit-bookings', { slot_id: s.id, visitors: 3 }); // visit.max_visitors_per_booking
  assert.equal(b.status, 201, b.text);
  assert.equal(b.body.status, 'booked');
  const again = await family.post('/api/v1/visit-bookings', { slot_id: s.id });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'already_booked');
  const tooMany = await family.post('/api/v1/visit-bookings', { slot_id: s.id, visitors: 4 });
  assert.equal(tooMany.status, 422);
  assert.deepEqual([tooMany.body.error.code, tooMany.body.error.field], ['bad_visitors', 'visitors']);
  const staff = (await op.get(`/api/v1/institutions/${instId}/visit-slots`)).body.items.find((x) => x.id === s.id);
  assert.equal(staff.booked, 1);
  assert.equal(staff.bookings.length, 1);
  assert.equal(staff.bookings[0].visitors, 3);
  // the institution reaches the families who book with it (issue 12 item 2); others see a mask
  // that keeps the account's note readable (not "家****）")
  assert.equal(staff.bookings[0].family_name, '家长（演示）', 'the institution sees its own booking\'s family name');
  const district = (await admin.get('/api/v1/visit-bookings')).body.items.find((x) => x.id === b.body.id);
  assert.equal(district.family_name, '家*（演示）', 'masked for the district');
  const mine = (await family.get('/api/v1/visit-bookings')).body.items;
  assert.ok(mine.some((x) => x.id === b.body.id && x.status === 'booked'));
  assert.ok((await op.get('/api/v1/visit-bookings')).body.items.some((x) => x.id === b.body.id));
  // another family cannot cancel it
  const f2 = await newFamily();
  assert.equal((await f2.del(`/api/v1/visit-bookings/${b.body.id}`)).status, 404);
  assert.ok(!(await f2.get('/api/v1/visit-bookings')).body.items.some((x) => x.id === b.body.id), 'families see only their own');
  assert.equal((await family.del(`/api/v1/visit-bookings/${b.body.id}`)).status, 200);
  assert.equal((await family.del(`/api/v1/visit-bookings/${b.body.id}`)).status, 409);
  const after1 = (await op.get(`/api/v1/institutions/${instId}/visit-slots`)).body.items.find((x) => x.id === s.id);
  assert.equal(after1.booked, 0, 'the place is free again');
  assert.equal(after1.bookings[0].status, 'cancelled');
  // the audit log has the booking and the cancellation
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?limit=200')).body.items.map((a) => a.action);
  assert.ok(log.includes('visit.book') && log.includes('visit.cancel') && log.includes('visit_slot.create'));
});

test('60 families racing for a slot of 10: exactly 10 bookings, 50 clear refusals', async () => {
  const s = await slot(10);
  const families = [];
  for (let i = 0; i < 60; i++) families.push(await newFamily());
  const results = await Promise.all(families.map((f) => f.post('/api/v1/visit-bookings', { slot_id: s.id, visitors: 1 })));
  const tally = results.reduce((a, r) => ({ ...a, [r.status]: (a[r.status] || 0) + 1 }), {});
  assert.equal(results.filter((r) => r.status === 201).length, 10, JSON.stringify(tally));
  const full = results.filter((r) => r.status === 409 && r.body.error.code === 'slot_full');
  assert.equal(full.length, 50, JSON.stringify(tally));
  assert.match(full[0].body.error.message, /约满/);
  const staff = (await op.get(`/api/v1/institutions/${instId}/visit-slots`)).body.items.find((x) => x.id === s.id);
  assert.equal(staff.booked, 10);
  assert.equal(staff.bookings.filter((b) => b.status === 'booked').length, 10);
  const pub = (await new Client(srv.url).get(`/api/v1/public/institutions/${instId}/visit-slots`)).body.items.find((x) => x.id === s.id);
  assert.equal(pub.remaining, 0);
});

test('inbox: confirmation now, the reminder only when due; cancelling a slot tells each family', async () => {
  const f = await newFamily();
  const s1 = await slot(3, '2026-06-03'); // reminder due 24 h before: 2026-06-02 Beijing
  const s2 = await slot(3, '2026-06-04');
  const b1 = await f.post('/api/v1/visit-bookings', { slot_id: s1.id });
  const b2 = await f.post('/api/v1/visit-bookings', { slot_id: s2.id });
  assert.equal(b1.status, 201);
  assert.equal(b2.status, 201);
  let inbox = (await f.get('/api/v1/inbox')).body;
  assert.equal(inbox.items.filter((m) => m.kind === 'visit.booked').length, 2);
  assert.equal(inbox.items.filter((m) => m.kind === 'visit.reminder').length, 0, 'reminders are not due yet');
  assert.equal(inbox.unread, 2);
  assert.match(inbox.items[0].body, /参观/);
  // cancel b2: its reminder is withdrawn
  assert.equal((await f.del(`/api/v1/visit-bookings/${b2.body.id}`)).status, 200);
  // the institution cancels s1's slot... after the later server check below; first mark read
  const mark = await f.post('/api/v1/inbox/read', { ids: [inbox.items[0].id] });
  assert.equal(mark.status, 200);
  assert.equal(mark.body.marked, 1);
  assert.equal((await f.get('/api/v1/inbox')).body.unread, 1);
  assert.equal((await f.post('/api/v1/inbox/read', {})).body.error.field, 'ids');
  // someone else's message cannot be marked
  const other = await newFamily();
  assert.equal((await other.post('/api/v1/inbox/read', { ids: [inbox.items[1].id] })).body.marked, 0);

  // a day and a half later, on the same database: s1's reminder is due, s2's was withdrawn
  await restartAt('2026-06-02T14:00:00Z');
  const later = srv;
  try {
    const f2 = await later.login(`visit-family-${familyNo - 1}`);
    inbox = (await f2.get('/api/v1/inbox')).body;
    const reminders = inbox.items.filter((m) => m.kind === 'visit.reminder');
    assert.equal(reminders.length, 1, JSON.stringify(inbox.items.map((m) => m.kind)));
    assert.equal(reminders[0].ref_id, b1.body.id);
    const t = new Date(Date.parse(s1.starts_at) + 8 * 3600e3).toISOString(); // Beijing time, in words
    const local = `${Number(t.slice(0, 4))}年${Number(t.slice(5, 7))}月${Number(t.slice(8, 10))}日 ${t.slice(11, 16)}`;
    assert.ok(local.startsWith('2026年6月3日 '));
    assert.ok(reminders[0].body.includes(local), `the text gives Beijing time ${local}: ${reminders[0].body}`);
    // the institution cancels the slot: the family is told
    const op2 = await later.login(`inst-${instId}`);
    const c = await op2.del(`/api/v1/visit-slots/${s1.id}`);
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.bookings_cancelled, 1);
    assert.equal((await op2.del(`/api/v1/visit-slots/${s1.id}`)).body.error.code, 'slot_closed');
    inbox = (await f2.get('/api/v1/inbox')).body;
    assert.ok(inbox.items.some((m) => m.kind === 'visit.slot_cancelled' && m.ref_id === b1.body.id));
    const mine = (await f2.get('/api/v1/visit-bookings')).body.items.find((x) => x.id === b1.body.id);
    assert.equal(mine.status, 'slot_cancelled');
    // a started or cancelled slot cannot be booked
    const f3 = await later.login(`visit-family-${familyNo}`);
    const r = await f3.post('/api/v1/visit-bookings', { slot_id: s1.id });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'slot_closed');
    assert.ok(!(await new Client(later.url).get(`/api/v1/public/institutions/${instId}/visit-slots`)).body.items.some((x) => x.id === s1.id));
  } finally {
    await restartAt(NOW);
  }
});

test('a round tells families in the inbox: offer with its deadline, or the waitlist', async () => {
  const inst = await toddlerProgram(admin, '通知测试托育园', 1);
  const kids = [];
  for (let i = 0; i < 2; i++) {
    const k = await child(family, '2024-03-15');
    const a = await family.post('/api/v1/applications', { child_id: k, intake: '2026-09', choices: [{ institution_id: inst, class_type: 'toddler_old' }] });
    assert.equal(a.status, 201, a.text);
    assert.equal((await family.post(`/api/v1/applications/${a.body.id}/submit`, {})).status, 200);
    kids.push(a.body.id);
  }
  const round = await admin.post('/api/v1/rounds', { intake: '2026-09', seed: '5a'.repeat(32) });
  assert.equal(round.status, 201, round.text);
  const inbox = (await family.get('/api/v1/inbox')).body.items;
  const offer = inbox.find((m) => m.kind === 'offer.made' && kids.includes(m.ref_id));
  const wait = inbox.find((m) => m.kind === 'round.waitlisted' && kids.includes(m.ref_id));
  assert.ok(offer, 'an offer notice');
  assert.ok(wait, 'a waitlist notice');
  assert.notEqual(offer.ref_id, wait.ref_id);
  assert.match(offer.body, /通知测试托育园/);
  // dates as people read them: 2026年9月, 9月12日
  const [y, m, d] = round.body.offers.find((o) => o.status === 'offered').deadline.split('-').map(Number);
  assert.match(offer.body, new RegExp(`（2026年9月入托）。请在 ${y}年${m}月${d}日 前登录确认`));
  assert.match(wait.body, /（2026年9月入托）本轮暂未获得录取/);
  // enrol.offer_reminder_days_before (2) days before the deadline, from that day's start in Beijing, a reminder
  const remindFrom = Date.parse(`${round.body.offers.find((o) => o.status === 'offered').deadline}T00:00:00+08:00`) - 2 * 86400e3;
  const remindersAt = async (ms) => {
    await restartAt(new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'));
    return (await family.get('/api/v1/inbox')).body.items.filter((x) => x.kind === 'offer.reminder' && kids.includes(x.ref_id));
  };
  try {
    assert.deepEqual(await remindersAt(remindFrom - 60e3), [], 'not the minute before');
    const due = await remindersAt(remindFrom + 60e3);
    assert.deepEqual(due.map((x) => x.ref_id), [offer.ref_id]);
    assert.match(due[0].body, new RegExp(`录取将于 ${y}年${m}月${d}日 截止确认`));
  } finally {
    await restartAt(NOW);
  }
});

test('repeating slots: every Saturday 9:30 for 8 weeks in one request, all or none', async () => {
  const inst = (await admin.get('/api/v1/institutions?limit=100')).body.items.map((x) => x.id).find((id) => id !== instId);
  const owner = await srv.login(`inst-${inst}`);
  const url = `/api/v1/institutions/${inst}/visit-slots`;
  const before = (await owner.get(`${url}?limit=100`)).body.items.length;
  // a slot already open in week 5 (2026-07-04): the series overlapping it creates nothing
  let r = await owner.post(url, { starts_at: '2026-07-04T10:00:00+08:00', ends_at: '2026-07-04T10:30:00+08:00', capacity: 2 });
  assert.equal(r.status, 201, r.text);
  const series = { starts_at: '2026-06-06T09:30:00+08:00', ends_at: '2026-06-06T10:30:00+08:00', capacity: 4, note: '每周六上午', weeks: 8 };
  r = await owner.post(`${url}/series`, series);
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.error.code, 'slot_overlap');
  assert.match(r.body.error.message, /2026年7月4日 10:00/);
  assert.equal((await owner.get(`${url}?limit=100`)).body.items.length, before + 1, 'no slot of the series was created');
  // without the clash: eight Saturdays at 9:30 Beijing time, each audited
  r = await owner.post(`${url}/series`, { ...series, starts_at: '2026-06-13T09:30:00+08:00', ends_at: '2026-06-13T10:00:00+08:00' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.items.map((x) => x.starts_at), [
    '2026-06-13', '2026-06-20', '2026-06-27', '2026-07-04', '2026-07-11', '2026-07-18', '2026-07-25', '2026-08-01',
  ].map((d) => `${d}T01:30:00Z`));
  assert.ok(r.body.items.every((x) => x.capacity === 4 && x.remaining === 4 && x.note === '每周六上午' && x.status === 'open'));
  assert.equal((await owner.get(`${url}?limit=100`)).body.items.length, before + 9);
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?action=visit_slot.create&limit=100')).body.items;
  for (const s of r.body.items) assert.ok(log.some((x) => x.target_id === String(s.id)), `slot ${s.id} audited`);
  // the weeks are bounded, and another institution's series is refused
  r = await owner.post(`${url}/series`, { ...series, starts_at: '2026-09-05T09:30:00+08:00', ends_at: '2026-09-05T10:00:00+08:00', weeks: 27 });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'weeks');
  r = await (await srv.login(`inst-${instId}`)).post(`${url}/series`, { ...series, starts_at: '2026-09-05T09:30:00+08:00', ends_at: '2026-09-05T10:00:00+08:00' });
  assert.equal(r.status, 404, 'not in its scope');
});
