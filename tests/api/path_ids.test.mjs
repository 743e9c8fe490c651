// path_ids.test.mjs — generated from the route table: every route with a record id in its path
// reads it with the one strict parser (docs/decisions.md): a positive decimal without sign,
// leading zero, spaces or fraction that fits a 64-bit integer. Anything else names no record and
// matches no route: 404 not_found, for anyone, before authentication, whatever the method.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { routeTable, buildFixtures, pathFor } from '../lib/routes.mjs';

let srv, routes, policy, fx, admin;

before(async () => {
  ({ routes, policy } = routeTable());
  srv = await startServer();
  fx = await buildFixtures(srv);
  admin = await srv.login('district-admin');
});
after(async () => { await srv.stop(); });

// as sent on the wire (percent escapes stay as they are)
const BAD = ['01', '+1', '1%00', '%201', '1%20', '1.0', '-1', '0', '1e3', '0x10', '9999999999999999999999',
  '9223372036854775808', '１', '1%2F2'];

test('a malformed id in any route path is 404 not_found, logged in or not', async () => {
  const withId = routes.filter((r) => /\{(id|[a-z_]+_id)\}/.test(r.pattern));
  assert.ok(withId.length >= 20, `${withId.length} routes`);
  const anon = new Client(srv.url);
  for (const r of withId) {
    const good = pathFor(r.pattern, fx, true);
    for (const bad of BAD) {
      const path = r.pattern.replace(/\{(id|[a-z_]+_id)\}/, bad);
      for (const c of [anon, admin]) {
        const res = await c.request(r.method, path, r.body?.type === 'object' ? {} : undefined);
        const what = `${r.method} ${path} ${c === anon ? 'anonymous' : 'district admin'}: ${res.status} ${res.text.slice(0, 160)}`;
        assert.equal(res.status, 404, what);
        assert.equal(res.body?.error?.code, 'not_found', what);
      }
    }
    assert.notEqual((await anon.request(r.method, good, undefined)).status, 404, `${r.method} ${good}: a good id still routes`);
  }
});

test('the largest id is read, and is simply not found', async () => {
  const r = await admin.get('/api/v1/institutions/9223372036854775807');
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'not_found');
  const ok = await admin.get(`/api/v1/institutions/${fx.homeId}`);
  assert.equal(ok.status, 200);
  // a NUL escape cannot cut a path short into another record's
  const cut = await admin.get(`/api/v1/institutions/${fx.homeId}%00`);
  assert.equal(cut.status, 404);
  assert.equal((await admin.get(`/api/v1/institutions/${fx.homeId}%000`)).status, 404);
});

test('an id filter in a list\'s query is read by the same parser, with one answer: 400 bad_id on the parameter', async () => {
  const instructor = await srv.login('health-instructor');
  const lists = [
    ['/api/v1/applications', 'institution_id'], ['/api/v1/growth-flags', 'institution_id'],
    ['/api/v1/checkups/due', 'institution_id', instructor], ['/api/v1/findings', 'institution_id'],
    ['/api/v1/cameras', 'institution_id'], ['/api/v1/staff/export', 'institution_id'],
    ['/api/v1/instructor-assignments', 'institution_id'], ['/api/v1/instructor-assignments', 'user_id'],
    ['/api/v1/funds/entitlements', 'institution_id'], ['/api/v1/funds/entitlements', 'batch_id'],
    [`/api/v1/institutions/${fx.homeId}/attendance`, 'class_id'],
  ];
  for (const [path, name, who = admin] of lists) {
    for (const bad of ['01', '+1', '1.0', '0', '-3', 'abc']) {
      const r = await who.get(`${path}?${name}=${encodeURIComponent(bad)}`);
      const what = `${path}?${name}=${bad}: ${r.status} ${r.text.slice(0, 160)}`;
      assert.equal(r.status, 400, what);
      assert.deepEqual([r.body.error.code, r.body.error.field], ['bad_id', name], what);
      assert.match(r.body.error.message, /应为正整数编号$/, what);
    }
    // absent or empty: no filter
    for (const q of ['', `?${name}=`]) assert.equal((await who.get(`${path}${q}`)).status, 200, `${path}${q}`);
  }
});
