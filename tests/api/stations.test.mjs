// stations.test.mjs — 婴幼儿成长驿站 (issue 16 item 3): a station's site recorded by its town (bad
// services and areas refused, nothing written); the joint acceptance opened as a case only once
// the site is there and once at a time; the health bureau and the town each sign — the same party
// twice is refused, another town may not — and when both have, the station is accepted with its
// subsidy in the ledger, capped at subsidy.station_max_fen and explained; each station operator
// sees only its own station.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

let srv, admin, stations;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
  // the demo's newly registered stations, their sites not yet recorded
  stations = (await admin.get('/api/v1/stations?limit=500')).body.items.filter((s) => s.status === 'filed' && s.site === null);
  assert.ok(stations.length >= 2, 'the demo has stations');
});
after(async () => { await srv.stop(); });

const event = (c, caseId, ev, extra = {}) => c.post(`/api/v1/cases/${caseId}/events`, { event: ev, ...extra });

test('site, joint acceptance signed by both parties, the subsidy in the ledger; the network targets count it', async () => {
  const st = stations[0];
  const town = await srv.login(`town-${st.town_code}`);
  const before = (await admin.get('/api/v1/network/targets')).body;
  const ownBefore = (await town.get('/api/v1/network/targets')).body.stations.accepted; // the demo's accepted there
  assert.equal(before.stations.target, 20, 'the plan: at least 20 stations by the end of 2023');
  assert.equal(before.stations.stations, (await admin.get('/api/v1/stations?limit=500')).body.items.length);
  assert.ok(before.stations.stations >= 20 && before.stations.accepted >= 12, 'the demo: the plan\'s 20 stations, most accepted');
  // the site: bad input refused, nothing written
  let r = await town.put(`/api/v1/stations/${st.id}`, { area_m2: 120, services: ['parenting_guidance', 'karaoke'] });
  assert.deepEqual([r.status, r.body.error.code, r.body.error.field], [422, 'unknown_service', 'services[1]']);
  r = await town.put(`/api/v1/stations/${st.id}`, { area_m2: 0 });
  assert.equal(r.status, 422);
  assert.equal((await admin.get(`/api/v1/stations/${st.id}`)).body.site, null, 'nothing written');
  // no acceptance before the site is recorded
  r = await town.post(`/api/v1/stations/${st.id}/acceptance`);
  assert.deepEqual([r.status, r.body.error.code], [409, 'no_site']);
  r = await town.put(`/api/v1/stations/${st.id}`, { area_m2: 126.5, surroundings: '社区卫生服务中心旁', weekly_visits: 40,
    services: ['parenting_guidance', 'care_group'], investment_fen: 15000000 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.site, { area_m2: 126.5, surroundings: '社区卫生服务中心旁', weekly_visits: 40, services: ['parenting_guidance', 'care_group'], investment_fen: 15000000 });
  // the acceptance, once at a time
  r = await town.post(`/api/v1/stations/${st.id}/acceptance`);
  assert.equal(r.status, 201, r.text);
  const caseId = r.body.case_id;
  r = await town.post(`/api/v1/stations/${st.id}/acceptance`);
  assert.deepEqual([r.status, r.body.error.code], [409, 'case_open']);
  r = await event(town, caseId, 'submit', { declaration: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'joint');
  // the health bureau signs; signing again is refused; the case waits for the town
  r = await event(admin, caseId, 'sign_health');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'joint');
  r = await event(admin, caseId, 'sign_health');
  assert.deepEqual([r.status, r.body.error.code], [409, 'task_closed']);
  // another town may not sign; the district may not sign for the town
  const other = await srv.login(`town-${st.town_code === '330304001' ? '330304002' : '330304001'}`);
  assert.equal((await event(other, caseId, 'sign_town')).status, 404);
  assert.equal((await event(admin, caseId, 'sign_town')).status, 403);
  r = await event(town, caseId, 'sign_town');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'accepted');
  const accepted = (await admin.get(`/api/v1/stations/${st.id}`)).body;
  assert.ok(accepted.accepted_on);
  // the targets count the station accepted, and the town it covers; the town sees its own
  const after = (await admin.get('/api/v1/network/targets')).body;
  assert.equal(after.stations.accepted, before.stations.accepted + 1);
  assert.equal(after.stations.towns_covered, before.stations.towns_covered + (ownBefore === 0 ? 1 : 0), 'a town covered once');
  assert.equal(after.activities.target, 200);
  assert.ok(after.instructor_visits.quarter_owed >= after.instructor_visits.quarter_done);
  const own = (await town.get('/api/v1/network/targets')).body;
  assert.deepEqual([own.stations.accepted, own.stations.towns], [ownBefore + 1, 1]);
  assert.equal(accepted.open_case_id, null);
  // the subsidy: the assessed investment (150,000) capped at 100,000, explained
  const ledger = (await admin.get('/api/v1/funds/entitlements?kind=station&limit=500')).body.items.filter((x) => x.institution_id === st.id);
  assert.equal(ledger.length, 1);
  assert.equal(ledger[0].amount_fen, 10000000);
  const row = (await admin.get(`/api/v1/funds/entitlements/${ledger[0].id}`)).body;
  assert.equal(row.explanation.inputs.investment_fen, 15000000);
  assert.equal(row.explanation.caps[0].applied, true);
  assert.equal(row.explanation.params[0].key, 'subsidy.station_max_fen');
  // no second acceptance, and the assessed investment is fixed now
  assert.deepEqual([(await town.post(`/api/v1/stations/${st.id}/acceptance`)).body.error.code], ['accepted']);
  r = await town.put(`/api/v1/stations/${st.id}`, { area_m2: 126.5, investment_fen: 20000000 });
  assert.deepEqual([r.status, r.body.error.code], [409, 'accepted']);
});

test('a station operator sees its own station only; a returned acceptance names why', async () => {
  const op = await srv.login('station-operator');
  const mine = (await op.get('/api/v1/stations')).body.items;
  assert.equal(mine.length, 1);
  const others = stations.filter((s) => s.id !== mine[0].id);
  assert.equal((await op.get(`/api/v1/stations/${others[0].id}`)).status, 404);
  const st = stations[1];
  const town = await srv.login(`town-${st.town_code}`);
  assert.equal((await town.put(`/api/v1/stations/${st.id}`, { area_m2: 80, investment_fen: 6000000 })).status, 200);
  const caseId = (await town.post(`/api/v1/stations/${st.id}/acceptance`)).body.case_id;
  assert.equal((await event(town, caseId, 'submit', { declaration: true })).status, 200);
  let r = await event(town, caseId, 'return_town');
  assert.deepEqual([r.status, r.body.error.code], [422, 'comment_required']);
  r = await event(town, caseId, 'return_town', { comment: '消防通道被占用' });
  assert.equal(r.body.state, 'deficient');
});
