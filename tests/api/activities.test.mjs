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
let srv, database, admin, station, town, stationInst;

const activity = (extra = {}) => ({ topic: '婴幼儿辅食添加', age_band: '0_12', capacity: 3, place: '驿站活动室', starts_at: '2026-03-10T09:30:00+08:00', host: '成长驿站', ...extra });

before(async () => {
  srv = await startServer({ now: NOW });
  database = srv.database;
  admin = await srv.login('district-admin');
  station = await srv.login('station-operator');
  stationInst = (await admin.get(`/api/v1/institutions/${station.user.institution_id}`)).body;
  town = await srv.login(`town-${stationInst.town_code}`);
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
  assert.equal(all.total, 3, 'nothing written by the refusals');
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
  assert.equal(all.total, 5);
  const mine = all.by_town.find((t) => t.town_code === stationInst.town_code);
  assert.equal(mine.activities, 4);
  assert.equal(all.by_town.find((t) => t.town_code === '330304008').activities, 1);
  assert.equal(all.by_town.length, 13, 'every town, those without activities at 0');
  assert.equal((await admin.get('/api/v1/care-group-activities?year=2025')).body.total, 0);
  assert.equal((await admin.get('/api/v1/care-group-activities?year=26')).status, 400);
  // the town: its own; another town: none of them; an institution: its own only
  assert.equal((await town.get('/api/v1/care-group-activities')).body.total, 4);
  assert.equal((await (await srv.login('town-330304008')).get('/api/v1/care-group-activities')).body.total, 1);
  const inst = (await admin.get(`/api/v1/institutions?town=${stationInst.town_code}&limit=5`)).body.items.find((i) => i.id !== stationInst.id);
  const sec = await srv.login('security-admin');
  assert.equal((await sec.post('/api/v1/users', { login: 'op-act', name: '机构', role: 'institution_operator', institution_id: inst.id, password: srv.password })).status, 201);
  assert.equal((await (await srv.login('op-act')).get('/api/v1/care-group-activities')).body.total, 0);
  assert.equal((await station.get('/api/v1/care-group-activities')).body.total, 3);
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
