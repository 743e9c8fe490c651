// csrf.test.mjs — generated from the route table: every state-changing route (POST, PUT, PATCH,
// DELETE) refuses a logged-in request whose X-CSRF-Token is missing, made up, or the token of
// another session of the same user, with 403 `csrf` — and nothing changes: no audit row (every
// write appends one in its transaction), the record the route addresses reads the same, and the
// session still works. The caller is a role the policy allows, on a record in its reach, so a
// request let through would act. A new state-changing route is covered here at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, Client } from '../lib/server.mjs';
import { routeTable, buildFixtures, pathFor, LOGINS } from '../lib/routes.mjs';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const { routes, policy } = routeTable();
const writes = routes.filter((r) => UNSAFE.has(r.method) && r.action !== 'public');

// bodies the route would accept, so that a request let through would change the record (other
// routes get {}, which some accept too: PUT /users/{id} with {} writes an audit row)
const ACCEPTED_BODY = {
  'PUT /api/v1/institutions/{id}': { director: '伪造请求' },
  'PUT /api/v1/applications/{id}': { criteria: { disability: true } },
};

let srv, fx, auditor;
const sessions = {};   // role -> { c: the session under test, other: a second session of the same login }

before(async () => {
  srv = await startServer();
  fx = await buildFixtures(srv);
  auditor = await srv.login('auditor');
  for (const role of policy.session) sessions[role] = { c: await srv.login(LOGINS[role]), other: await srv.login(LOGINS[role]) };
});
after(async () => { await srv.stop(); });

// the role that makes the request: one the policy allows (any login for "session" routes, and for
// an action nobody may take: the CSRF check comes before the role's)
const roleFor = (r) => (r.action === 'session' ? policy.session : policy[r.action])[0] ?? policy.session[0];
const may = (role, action) => action === 'session' || (policy[action] || []).includes(role);

// the record a route addresses, read back: the GET route of the same path or of its nearest
// parent path with an {id}, when the role may read it
function readBack(r, role) {
  for (let p = r.pattern; p.includes('{id}'); p = p.slice(0, p.lastIndexOf('/'))) {
    const g = routes.find((x) => x.method === 'GET' && x.pattern === p && may(role, x.action));
    if (g) return g;
  }
  return null;
}

async function auditHead() {
  const r = await auditor.get('/api/v1/audit?limit=1');
  assert.equal(r.status, 200, r.text);
  return r.body.items[0].id;
}

test('the only state-changing route open without a session is the login', () => {
  assert.ok(writes.length >= 20, `${writes.length} state-changing routes`);
  const open = routes.filter((r) => UNSAFE.has(r.method) && r.action === 'public').map((r) => `${r.method} ${r.pattern}`);
  // the login, a family's sign-up, code login and password reset by SMS code (signup.test.mjs), and
  // 浙里办 single sign-on, whose callback is bound to the browser that started it (sso.test.mjs)
  assert.deepEqual(open.sort(), ['POST /api/v1/password-reset', 'POST /api/v1/session', 'POST /api/v1/session/sms',
    'POST /api/v1/signup', 'POST /api/v1/sms-codes', 'POST /api/v1/sso/callback', 'POST /api/v1/sso/start'], 'a public write has no session, hence no CSRF token: it needs its own test');
});

for (const r of writes) {
  test(`${r.method} ${r.pattern}: without the session's CSRF token → 403 csrf, nothing changed`, async () => {
    const role = roleFor(r);
    const { c, other } = sessions[role];
    const path = pathFor(r.pattern, fx, true);
    const body = ACCEPTED_BODY[`${r.method} ${r.pattern}`] ?? (r.method === 'DELETE' ? undefined : {});
    const back = readBack(r, role);
    const backPath = back && pathFor(back.pattern, fx, true);
    const before = back && await c.get(backPath);
    const tokenless = new Client(srv.url);
    tokenless.cookie = c.cookie;
    const attempts = [
      ['no X-CSRF-Token header', () => tokenless.request(r.method, path, body)],
      ['a made-up token', () => c.request(r.method, path, body, { 'X-CSRF-Token': randomBytes(32).toString('hex') })],
      ['an empty token', () => c.request(r.method, path, body, { 'X-CSRF-Token': '' })],
      ["another session's token", () => c.request(r.method, path, body, { 'X-CSRF-Token': other.csrf })],
    ];
    assert.notEqual(other.csrf, c.csrf, 'each session has its own token');
    for (const [what, send] of attempts) {
      const head = await auditHead();
      const res = await send();
      const where = `${role} ${r.method} ${path} with ${what}`;
      assert.equal(res.status, 403, `${where}: ${res.status} ${res.text}`);
      assert.equal(res.body?.error?.code, 'csrf', `${where}: ${res.text}`);
      assert.equal(await auditHead(), head, `${where}: an audit row was written`);
      assert.equal((await c.get('/api/v1/me')).status, 200, `${where}: the session no longer works`);
    }
    if (back) {
      const now = await c.get(backPath);
      assert.equal(now.status, before.status);
      assert.deepEqual(now.body, before.body, `${r.method} ${path} changed ${backPath}`);
    }
  });
}

test('control: with its own token the same request goes through', async () => {
  const r = routes.find((x) => x.method === 'PUT' && x.pattern === '/api/v1/institutions/{id}');
  const { c } = sessions[roleFor(r)];
  const path = pathFor(r.pattern, fx, true);
  const res = await c.put(path, ACCEPTED_BODY['PUT /api/v1/institutions/{id}']);
  assert.equal(res.status, 200, res.text);
  assert.equal((await c.get(path)).body.director, '伪造请求');
});
