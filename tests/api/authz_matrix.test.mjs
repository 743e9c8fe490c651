// authz_matrix.test.mjs — generated from the route table: every route × every role × a record
// inside and outside the user's jurisdiction gets the status the policy implies; and every
// sub-action a route lists (a finer rule its handler consults: regulated fields, moving an
// institution, full names) × every role allowed the route gets what the policy says of the
// sub-action. A route whose action or sub-action has no policy rule fails here (and the server
// refuses to start with it); so does a sub-action without a probe in tests/lib/routes.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { routeTable, buildFixtures, pathFor, minimal, rolesFor, LOGINS, HOME_TOWN, SUBACTION_PROBES } from '../lib/routes.mjs';

let srv, routes, policy, fx;
// roles whose reach is narrower than the district
const SCOPED = new Set(['town_officer', 'institution_operator', 'health_instructor', 'station_operator', 'family']);

before(async () => {
  ({ routes, policy } = routeTable());
  srv = await startServer();
  fx = await buildFixtures(srv);
});
after(async () => { await srv.stop(); });

// {} (answered 422 for required members, never 401/403/404) where a route takes a body; a body
// that passes the route's schema when the record is another town's, so the handler's scope
// check answers (the schema is checked before the handler)
const bodyFor = (r, valid = false) => (!r.body ? undefined : valid ? minimal(r.body) : {});

test('every route names an action the policy knows, and sub-actions the policy and the probes know', () => {
  assert.ok(routes.length >= 15);
  for (const r of routes) {
    assert.ok(r.action in policy, `${r.method} ${r.pattern}: action ${r.action} has no policy rule`);
    for (const s of r.subactions) {
      assert.ok(s in policy, `${r.method} ${r.pattern}: sub-action ${s} has no policy rule`);
      assert.ok(SUBACTION_PROBES[s], `${r.method} ${r.pattern}: sub-action ${s} has no probe in tests/lib/routes.mjs`);
    }
  }
  for (const s of ['institution.update.regulated', 'institution.transfer', 'child.read.full_name'])
    assert.ok(routes.some((r) => r.subactions.includes(s)), `a route consults ${s}`);
});

test('anonymous: public routes open, all others 401', async () => {
  const c = new Client(srv.url);
  for (const r of routes) {
    if (r.method !== 'GET' && r.action === 'public') continue; // POST /session is exercised elsewhere
    const res = await c.request(r.method, pathFor(r.pattern, fx, true), bodyFor(r));
    if (r.action === 'public') assert.notEqual(res.status, 401, `${r.method} ${r.pattern}`);
    else assert.equal(res.status, 401, `${r.method} ${r.pattern} without a session`);
  }
});

for (const role of Object.keys(LOGINS)) {
  test(`role ${role}: every route answers as the policy says`, async () => {
    let c = await srv.login(LOGINS[role]);
    fx.role = role; // records managed only by their host: this role's (pathFor)
    for (const r of routes) {
      if (r.action === 'public') continue;
      const allowed = r.action === 'session' || (policy[r.action] || []).includes(role);
      const withId = r.pattern.includes('{id}');
      const scopedTarget = withId && ['/api/v1/institutions/', '/api/v1/children/', '/api/v1/materials/', '/api/v1/cases/', '/api/v1/care-alerts/', '/api/v1/incidents/', '/api/v1/incident-reports/', '/api/v1/progress-reports/'].some((p) => r.pattern.startsWith(p));
      const res = await c.request(r.method, pathFor(r.pattern, fx, true), bodyFor(r));
      const what = `${role} ${r.method} ${r.pattern}`;
      if (!allowed) {
        assert.equal(res.status, 403, `${what}: expected 403, got ${res.status} ${res.text}`);
      } else {
        assert.ok(![401, 403, 404].includes(res.status), `${what} (own jurisdiction): got ${res.status} ${res.text}`);
        if (scopedTarget && SCOPED.has(role)) {
          const out = await c.request(r.method, pathFor(r.pattern, fx, false), bodyFor(r, true));
          assert.ok([403, 404].includes(out.status), `${what} on another town's record: got ${out.status}`);
        }
      }
      if (r.method === 'DELETE' && r.pattern === '/api/v1/session') c = await srv.login(LOGINS[role]);
    }
  });
}

// the roles the route lets in meet the sub-action: those the policy gives it see it allowed, the
// others refused (and across its routes each sub-action is seen both ways, so a probe that
// cannot tell them apart fails)
for (const sub of Object.keys(SUBACTION_PROBES)) {
  test(`sub-action ${sub}: each role allowed a route that consults it gets what the policy says`, async () => {
    const seen = new Set();
    for (const r of routes.filter((x) => x.subactions.includes(sub))) {
      for (const role of rolesFor(r, policy)) {
        const c = await srv.login(LOGINS[role]);
        const expected = policy[sub].includes(role) ? 'allowed' : 'refused';
        const got = await SUBACTION_PROBES[sub](c, r, fx);
        assert.equal(got, expected, `${role} ${r.method} ${r.pattern}: ${sub}`);
        seen.add(got);
      }
    }
    assert.deepEqual([...seen].sort(), ['allowed', 'refused'], `${sub} is both allowed and refused somewhere`);
  });
}

test('lists are scoped: a town officer sees only their town', async () => {
  const c = await srv.login(`town-${HOME_TOWN}`);
  let cursor = null, seen = 0;
  do {
    const r = await c.get(`/api/v1/institutions?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200);
    for (const it of r.body.items) assert.equal(it.town_code, HOME_TOWN);
    seen += r.body.items.length;
    cursor = r.body.next;
  } while (cursor);
  assert.ok(seen > 0);
  const op = await srv.login(`inst-${fx.homeId}`);
  const mine = await op.get('/api/v1/institutions');
  assert.deepEqual(mine.body.items.map((i) => i.id), [fx.homeId]);
});

test('applications: institutions reach those naming them; the declared criteria only where the policy says (application.read.criteria)', async () => {
  const readers = rolesFor({ action: 'application.read' }, policy);
  assert.ok(readers.includes('institution_operator'));
  for (const role of readers) {
    const c = await srv.login(LOGINS[role]);
    const r = await c.get(`/api/v1/applications/${fx.applicationId}`);
    assert.equal(r.status, 200, `${role}: ${r.text}`);
    assert.equal('criteria' in r.body, policy['application.read.criteria'].includes(role), `${role} and the criteria`);
    assert.ok((await c.get('/api/v1/applications?limit=500')).body.items.some((a) => a.id === fx.applicationId), role);
  }
  // the fixture's draft names a program of the home institution only
  const other = await srv.login(`inst-${fx.otherId}`);
  assert.equal((await other.get(`/api/v1/applications/${fx.applicationId}`)).status, 404);
  assert.ok(!(await other.get('/api/v1/applications?limit=500')).body.items.some((a) => a.id === fx.applicationId));
});
