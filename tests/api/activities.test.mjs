// activities.test.mjs — care-group activities over HTTP (issue 16 item 4; C6.3; seed 四(二)5): a
// growth station or institution schedules its own activity, a town one in its town, the district
// one in a town it names; capacity 0, a start in the past, an unknown age band or another town
// refused with nothing written; families register from the portal and exactly capacity of many
// concurrent registrations succeed (the rest 409 activity_full, never overbooked), a second
// registration of one family 409; the year's count by town against
// activities.care_groups_per_year; each reader sees only their own; no registration once started.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

const NOW = '2026-03-02T01:00:00Z'; // 09:00 Beijing
let srv, database, admin, station, town, stationInst, base;

const activity = (extra = {}) => ({ topic: '婴幼儿辅食添加', age_band: '0_12', capacity: 3, place: '驿站活动室', starts_at: '2026-03-10T09:30:00+08:00', host: '成长驿站', ...extra });

before(async () => {
  srv = await startServer({ now: NOW });
  database = srv.database;
  admin = await srv.login('district-admin');
  station = await srv.login('station-operator');
  stationInst = (await admin.get(`/api/v1/institutions/${station.user.institution_id}`)).body;
  town = await srv.login(`town-${stationInst.town_code}`);
  // the demo's year of activities (src/network/demo.c): what the tests add is counted from these
  const year = (await admin.get('/api/v1/care-group-activities?year=2026')).body;
  const byTown = (code) => year.by_town.find((t) => t.town_code === code).activities;
  base = { total: year.total, stationTown: byTown(stationInst.town_code), town8: byTown('330304008'),
    station: (await station.get('/api/v1/care-group-activities?year=2026')).body.total };
});
after(async () => { await srv?.stop(); });

test('scheduling: the station its own, a town its town, the district a named town; bad input refused, nothing written', async () => {
  const r = await station.post('/api/v1/care-group-activities', activity());
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.body.institution_id, r.body.town_code, r.body.starts_at, r.body.free, r.body.age_band_name],
    [stationInst.id, stationInst.town_code, '2026-03-10T01:30:00Z', 3, '0～12月龄']);
  const t = await town.post('/api/v1/care-group-activities', activity({ host: '社区卫生服务中心', capacity: 20 }));
  assert.equal(t.status, 201, t.text);
  assert.deepEqual([t.body.institution_id, t.body.town_code], [null, stationInst.town_code]);
  const d = await admin.post('/api/v1/care-group-activities', activity({ town_code: '330304008', host: '区妇幼保健中心' }));
  assert.equal(d.status, 201, d.text);
  const bad = [
    [admin, activity(), 422, 'required', 'town_code'],
    [admin, activity({ town_code: '330304999' }), 422, 'unknown_town', 'town_code'],
    [town, activity({ town_code: '330304008' }), 422, 'other_town', 'town_code'],
    [station, activity({ capacity: 0 }), 422, 'out_of_range', 'capacity'],
    [station, activity({ starts_at: '2026-03-02T08:59:00+08:00' }), 422, 'past_time', 'starts_at'],
    [station, activity({ starts_at: '2026-03-10 09:30' }), 422, null, 'starts_at'],
    [station, activity({ age_band: '3_6' }), 422, 'bad_age_band', 'age_band'],
    [await srv.login('family'), activity(), 403, 'forbidden', ''],
  ];
  for (const [who, body, status, code, field] of bad) {
    const res = await who.post('/api/v1/care-group-activities', body);
    assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
    if (code) assert.equal(res.body.error.code, code, res.text);
    assert.equal(res.body.error.field, field, res.text);
  }
  const all = (await admin.get('/api/v1/care-group-activities?year=2026')).body;
  assert.equal(all.total, base.total + 3, 'nothing written by the refusals');
  const auditor = await srv.login('auditor');
  assert.equal((await auditor.get('/api/v1/audit?action=activity.create')).body.items.length, 3);
});

test('concurrent registrations: exactly capacity succeed, never overbooked; one family once', async () => {
  const sec = await srv.login('security-admin');
  const id = (await station.post('/api/v1/care-group-activities', activity({ topic: '亲子游戏', capacity: 4 }))).body.id;
  const families = [];
  for (let i = 0; i < 12; i++) {
    const login = `act-family-${i}`;
    const u = await sec.post('/api/v1/users', { login, name: `家长${i}`, role: 'family', password: srv.password });
    assert.equal(u.status, 201, u.text);
    families.push(await srv.login(login));
  }
  const results = await Promise.all(families.map((f) => f.post('/api/v1/care-group-registrations', { activity_id: id })));
  const ok = results.filter((r) => r.status === 201);
  assert.equal(ok.length, 4, results.map((r) => r.status).join(','));
  for (const r of results.filter((x) => x.status !== 201)) {
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.error.code, 'activity_full');
  }
  const listed = (await station.get('/api/v1/care-group-activities')).body.activities.find((a) => a.id === id);
  assert.deepEqual([listed.registered, listed.free], [4, 0]);
  // the public list shows it full; a family's own registrations
  const pub = (await srv.client().get('/api/v1/public/care-group-activities')).body.activities.find((a) => a.id === id);
  assert.equal(pub.free, 0);
  const winner = families[results.findIndex((r) => r.status === 201)];
  assert.deepEqual((await winner.get('/api/v1/care-group-registrations')).body.registrations.map((a) => a.id), [id]);
  // twice: 409, and the count unchanged
  const other = (await station.post('/api/v1/care-group-activities', activity({ topic: '睡眠', capacity: 5 }))).body.id;
  assert.equal((await winner.post('/api/v1/care-group-registrations', { activity_id: other })).status, 201);
  const twice = await winner.post('/api/v1/care-group-registrations', { activity_id: other });
  assert.equal(twice.status, 409);
  assert.equal(twice.body.error.code, 'already_registered');
  assert.equal((await station.get('/api/v1/care-group-activities')).body.activities.find((a) => a.id === other).registered, 1);
  assert.equal((await winner.post('/api/v1/care-group-registrations', { activity_id: 999999 })).status, 404);
});

test('the year by town against the target; each reader only their own', async () => {
  const all = (await admin.get('/api/v1/care-group-activities?year=2026')).body;
  assert.equal(all.target, 200);
  assert.equal(all.total, base.total + 5);
  const mine = all.by_town.find((t) => t.town_code === stationInst.town_code);
  assert.equal(mine.activities, base.stationTown + 4);
  assert.equal(all.by_town.find((t) => t.town_code === '330304008').activities, base.town8 + 1);
  assert.equal(all.by_town.length, 13, 'every town, those without activities at 0');
  assert.equal(all.by_town.reduce((n, t) => n + t.activities, 0), all.total, 'the towns add up to the total');
  assert.equal((await admin.get('/api/v1/care-group-activities?year=2020')).body.total, 0);
  assert.equal((await admin.get('/api/v1/care-group-activities?year=26')).status, 400);
  // the town: its own; another town: none of them; an institution: its own only
  assert.equal((await town.get('/api/v1/care-group-activities?year=2026')).body.total, base.stationTown + 4);
  assert.equal((await (await srv.login('town-330304008')).get('/api/v1/care-group-activities?year=2026')).body.total, base.town8 + 1);
  const inst = (await admin.get(`/api/v1/institutions?town=${stationInst.town_code}&limit=5`)).body.items.find((i) => i.id !== stationInst.id);
  const sec = await srv.login('security-admin');
  assert.equal((await sec.post('/api/v1/users', { login: 'op-act', name: '机构', role: 'institution_operator', institution_id: inst.id, password: srv.password })).status, 201);
  assert.equal((await (await srv.login('op-act')).get('/api/v1/care-group-activities?year=2026')).body.total, 0);
  assert.equal((await station.get('/api/v1/care-group-activities?year=2026')).body.total, base.station + 3);
});

test('no registration once the activity has started', async () => {
  const id = (await station.post('/api/v1/care-group-activities', activity({ topic: '语言发展', starts_at: '2026-03-03T09:00:00+08:00' }))).body.id;
  await srv.stop({ keepDatabase: true });
  srv = await startServer({ now: '2026-03-03T02:00:00Z', database });
  const family = await srv.login('family');
  const r = await family.post('/api/v1/care-group-registrations', { activity_id: id });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'activity_started');
  assert.ok(!(await srv.client().get('/api/v1/public/care-group-activities')).body.activities.some((a) => a.id === id));
});

test('reminded before the start, cancelled before it, attendance once it has begun; nearest first; the targets count the year', async () => {
  // the server stands at 2026-03-03 10:00 Beijing (the previous test); an activity on the 20th, two places
  station = await srv.login('station-operator');
  const id = (await station.post('/api/v1/care-group-activities', activity({ topic: '入托适应', capacity: 2, starts_at: '2026-03-20T09:30:00+08:00' }))).body.id;
  const sec = await srv.login('security-admin');
  const fams = [];
  for (const login of ['att-a', 'att-b', 'att-c']) {
    assert.equal((await sec.post('/api/v1/users', { login, name: `欧阳${login}`, role: 'family', password: srv.password })).status, 201);
    fams.push(await srv.login(login));
  }
  const regs = [];
  for (const f of fams.slice(0, 2)) {
    const r = await f.post('/api/v1/care-group-registrations', { activity_id: id });
    assert.equal(r.status, 201, r.text);
    regs.push(r.body.id);
  }
  assert.equal((await fams[2].post('/api/v1/care-group-registrations', { activity_id: id })).body.error.code, 'activity_full');
  const kinds = async (f) => (await f.get('/api/v1/inbox?limit=500')).body.items.filter((m) => m.ref_type === 'care_group_registration').map((m) => m.kind);
  assert.deepEqual(await kinds(fams[0]), ['activity.registered'], 'the reminder waits until a day before');
  // a family cancels its own (not another's): the place goes back, the third registers
  assert.equal((await fams[1].post(`/api/v1/care-group-registrations/${regs[0]}/cancel`, {})).status, 404);
  const c = await fams[0].post(`/api/v1/care-group-registrations/${regs[0]}/cancel`, {});
  assert.equal(c.status, 200, c.text);
  assert.equal((await fams[0].get('/api/v1/care-group-registrations')).body.registrations.length, 0);
  const third = await fams[2].post('/api/v1/care-group-registrations', { activity_id: id });
  assert.equal(third.status, 201, third.text);
  // the host's list of families, masked; nobody else's to read; no attendance before the start
  const list = await station.get(`/api/v1/care-group-activities/${id}/registrations`);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.registrations.map((r) => [r.id, r.came]), [[regs[1], null], [third.body.id, null]]);
  assert.ok(list.body.registrations.every((r) => r.family_name.includes('*') && !r.family_name.includes('att')), JSON.stringify(list.body.registrations));
  assert.equal((await fams[1].get(`/api/v1/care-group-activities/${id}/registrations`)).status, 403);
  assert.equal((await (await srv.login('town-330304008')).get(`/api/v1/care-group-activities/${id}/registrations`)).status, 404, 'another town: not in its reach');
  const early = await station.post(`/api/v1/care-group-activities/${id}/attendance`, { came: [regs[1]] });
  assert.deepEqual([early.status, early.body.error.code], [409, 'not_started']);

  // the 20th, 11:00: the reminder came the day before (the cancelled family's was withdrawn)
  await srv.stop({ keepDatabase: true });
  srv = await startServer({ now: '2026-03-20T03:00:00Z', database });
  const [a, b, cc] = await Promise.all(['att-a', 'att-b', 'att-c'].map((l) => srv.login(l)));
  station = await srv.login('station-operator');
  assert.deepEqual((await kinds(cc)).sort(), ['activity.registered', 'activity.reminder']);
  assert.deepEqual(await kinds(a), ['activity.registered']);
  assert.equal((await b.post(`/api/v1/care-group-registrations/${regs[1]}/cancel`, {})).body.error.code, 'activity_started');
  // attendance: bad lists refused with nothing written, then one of the two came
  const other = (await station.post('/api/v1/care-group-activities', activity({ starts_at: '2026-04-01T09:30:00+08:00' }))).body.id;
  const bx = await b.post('/api/v1/care-group-registrations', { activity_id: other });
  for (const [came, code] of [[[bx.body.id], 'not_registered'], [[regs[1], regs[1]], 'duplicate']]) {
    const r = await station.post(`/api/v1/care-group-activities/${id}/attendance`, { came });
    assert.deepEqual([r.status, r.body.error.code], [422, code], r.text);
  }
  assert.ok((await station.get(`/api/v1/care-group-activities/${id}/registrations`)).body.registrations.every((r) => r.came === null));
  const took = await station.post(`/api/v1/care-group-activities/${id}/attendance`, { came: [regs[1]] });
  assert.equal(took.status, 200, took.text);
  assert.deepEqual((await station.get(`/api/v1/care-group-activities/${id}/registrations`)).body.registrations.map((r) => r.came), [true, false]);
  assert.equal((await b.get('/api/v1/care-group-registrations')).body.registrations.find((x) => x.id === id).came, true);
  const year = (await station.get('/api/v1/care-group-activities?year=2026')).body;
  assert.equal(year.activities.find((x) => x.id === id).attended, 1);
  assert.equal(year.by_town.find((t) => t.town_code === stationInst.town_code).attended, 1);
  // nearest first from the station: its activities (with their distance) before the town's own
  const admin2 = await srv.login('district-admin');
  await (await srv.login(`town-${stationInst.town_code}`)).post('/api/v1/care-group-activities', activity({ starts_at: '2026-03-25T09:30:00+08:00', host: '社区卫生服务中心' }));
  const near = (await srv.client().get(`/api/v1/public/care-group-activities?near=${stationInst.lon},${stationInst.lat}`)).body.activities;
  assert.ok(near.length >= 2);
  assert.equal(near[0].distance_km, 0);
  assert.equal(near[0].institution_id, stationInst.id);
  assert.equal(near.at(-1).distance_km, null, 'the town\'s own, without a position, last');
  const byTown = (await srv.client().get('/api/v1/public/care-group-activities?town=330304008')).body.activities;
  assert.ok(byTown.every((x) => x.town_code === '330304008'));
  assert.equal((await srv.client().get('/api/v1/public/care-group-activities?near=abc')).status, 400);
  // the dashboard's target counts this year's activities, as the list does
  const targets = (await admin2.get('/api/v1/network/targets')).body;
  assert.equal(targets.activities.count, (await admin2.get('/api/v1/care-group-activities')).body.total);
  assert.ok(targets.activities.count > 0);
});
