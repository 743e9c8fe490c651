// labels.test.mjs — GET /api/v1/public/labels, the names the web app shows for codes, from their
// one home on the server: every role of the policy with its name, and every class type with the
// age band of the parameters in force today (a new dated version shows from its date).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { routeTable } from '../lib/routes.mjs';

let srv, admin;
const TODAY = '2026-06-01';
before(async () => {
  srv = await startServer({ now: `${TODAY}T02:00:00Z` });
  admin = await srv.login('district-admin');
});
after(async () => { await srv.stop(); });

const labels = async () => {
  const r = await new Client(srv.url).get('/api/v1/public/labels');
  assert.equal(r.status, 200, r.text);
  return r.body;
};

test('every role of the policy, with its name; without a login', async () => {
  const { policy } = routeTable();
  const l = await labels();
  assert.equal(l.as_of, TODAY);
  // the people's roles (those with a session), in the policy's order, then the data exchange's
  // machine clients, which never have one (a bearer token: tests/api/exchange.test.mjs)
  assert.deepEqual(l.roles.map((r) => r.code), [...policy.session, 'exchange_client'], 'the roles, in the policy\'s order');
  assert.deepEqual(l.roles.filter((r) => r.person).map((r) => r.code), policy.session, 'a person\'s roles: those the console grants');
  for (const r of l.roles) assert.match(r.name, /^[\u4e00-\u9fff]+$/, r.code);
  assert.equal(l.roles.find((r) => r.code === 'station_operator').name, '成长驿站');
  // where each role lands in the console: its work, or what it will do there
  const home = Object.fromEntries(l.roles.map((r) => [r.code, r.home]));
  assert.equal(home.institution_operator, 'workbench');
  assert.equal(home.auditor, 'audit');
  assert.equal(home.security_admin, 'users');
  assert.equal(home.dept_reviewer, 'tasks', 'a department reviewer lands on 我的待办 (the cases engine)');
  assert.equal(home.health_instructor, 'health', 'the health instructor lands on 医育结合');
  assert.equal(home.evaluator, 'reviews', 'an evaluator lands on 我的评审 (star rating)');
  assert.equal(home.station_operator, 'welcome');
  assert.equal(home.province_admin, 'region', 'the province and the city land on 区县比较');
  assert.equal(home.city_admin, 'region');
  const me = (await admin.get('/api/v1/me')).body;
  assert.equal(l.roles.find((r) => r.code === 'district_admin').name, me.user.role_name, 'the name /me gives');
});

test('class types with the age bands of the parameters in force, a new version from its date', async () => {
  const params = new Map((await admin.get(`/api/v1/params?date=${TODAY}`)).body.items.map((p) => [p.key, Number(p.value)]));
  let l = await labels();
  assert.deepEqual(l.class_types.map((t) => t.code), ['infant', 'toddler_young', 'toddler_old', 'mixed']);
  for (const t of l.class_types) {
    assert.equal(t.min_months, params.get(`class.${t.code}.min_months`), t.code);
    assert.equal(t.max_months, params.get(`class.${t.code}.max_months`), t.code);
    assert.ok(t.name.endsWith('班'), t.name);
  }
  const r = await admin.post('/api/v1/params', { key: 'class.mixed.min_months', value: '20', valid_from: TODAY, basis: '测试：混合班新月龄' });
  assert.equal(r.status, 201, r.text);
  l = await labels();
  assert.equal(l.class_types.find((t) => t.code === 'mixed').min_months, 20);
});
