// session.test.mjs — login, logout, /me, CSRF, timeouts and login throttling, over real HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, Client, PASSWORD, tuoyu } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('healthz and metrics answer without a session', async () => {
  const c = new Client(srv.url);
  const h = await c.get('/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.body.status, 'ok');
  await c.get('/api/v1/public/towns');
  // a request is counted when its reply has been sent, so give the counter a moment
  let m;
  for (let i = 0; i < 20; i++) {
    m = await c.get('/metrics');
    if (/route="\/api\/v1\/public\/towns"/.test(m.text)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(m.status, 200);
  assert.match(m.text, /tuoyu_http_requests_total\{[^}]*route="\/api\/v1\/public\/towns"[^}]*\} [1-9]/);
  assert.match(m.text, /tuoyu_http_request_duration_seconds_bucket/);
});

test('login sets an HttpOnly SameSite=Strict cookie and returns the user and a CSRF token', async () => {
  const c = new Client(srv.url);
  const r = await c.post('/api/v1/session', { login: 'district-admin', password: PASSWORD });
  assert.equal(r.status, 200);
  assert.equal(r.body.user.login, 'district-admin');
  assert.equal(r.body.user.role, 'district_admin');
  assert.ok(r.body.csrf_token.length >= 32);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /tuoyu_session=[A-Za-z0-9_-]{43,}/, 'token of at least 256 bits');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.doesNotMatch(cookie, /Secure/, 'plain HTTP on loopback: no Secure flag');
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.user.login, 'district-admin');
  assert.equal(me.body.csrf_token, r.body.csrf_token);
  assert.ok(me.body.actions.includes('institution.list'));
  assert.ok(!me.body.actions.includes('audit.read'), 'the administrator does not read the audit log');
});

test('wrong password is 401 and the same message as an unknown account', async () => {
  const a = await new Client(srv.url).post('/api/v1/session', { login: 'auditor', password: 'wrong-password-1' });
  const b = await new Client(srv.url).post('/api/v1/session', { login: 'nobody-here', password: 'wrong-password-1' });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.body.error.code, 'bad_credentials');
  assert.deepEqual(a.body.error, b.body.error);
});

test('bad login bodies are refused with field and code', async () => {
  const c = new Client(srv.url);
  let r = await c.request('POST', '/api/v1/session', '{"login": "x",');
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'bad_json');
  r = await c.post('/api/v1/session', { login: 'district-admin', password: PASSWORD, admin: true });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'unknown_field');
  assert.equal(r.body.error.field, 'admin');
  r = await c.post('/api/v1/session', { login: 'district-admin', password: 12345 });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'wrong_type');
  assert.equal(r.body.error.field, 'password');
});

test('state-changing requests need the CSRF token', async () => {
  const c = await srv.login('district-admin');
  const r = await c.request('DELETE', '/api/v1/session', undefined, { 'X-CSRF-Token': 'forged' });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'csrf');
  assert.equal((await c.get('/api/v1/me')).status, 200, 'the session survives a refused logout');
  const ok = await c.del('/api/v1/session');
  assert.equal(ok.status, 200);
  assert.equal((await c.get('/api/v1/me')).status, 401, 'logged out');
});

test('no session: 401 on every staff route', async () => {
  const c = new Client(srv.url);
  for (const path of ['/api/v1/me', '/api/v1/institutions', '/api/v1/dashboard', '/api/v1/audit', '/api/v1/params']) {
    const r = await c.get(path);
    assert.equal(r.status, 401, path);
    assert.equal(r.body.error.code, 'unauthenticated');
  }
});

test('five failed logins lock the account for 15 minutes, even for the right password', async () => {
  const c = new Client(srv.url);
  for (let i = 0; i < 5; i++) {
    const r = await c.post('/api/v1/session', { login: 'evaluator', password: `wrong-password-${i}` });
    assert.equal(r.status, 401);
  }
  const locked = await c.post('/api/v1/session', { login: 'evaluator', password: PASSWORD });
  assert.equal(locked.status, 429);
  assert.equal(locked.body.error.code, 'account_locked');
  // another account from the same address is not locked
  assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'auditor', password: PASSWORD })).status, 200);
});

test('idle timeout and lock expiry follow the clock', async () => {
  const database = freshDatabase();
  const t0 = '2026-03-02T09:00:00Z';
  let s = await startServer({ database, now: t0 });
  const c = await s.login('district-admin');
  for (let i = 0; i < 5; i++) await new Client(s.url).post('/api/v1/session', { login: 'auditor', password: 'nope-nope-nope' });
  await s.stop({ keepDatabase: true });
  // 10 minutes later: the session is valid and the account still locked (15 min)
  s = await startServer({ database, now: '2026-03-02T09:10:00Z' });
  let r = await fetch(s.url + '/api/v1/me', { headers: { cookie: c.cookie } });
  assert.equal(r.status, 200);
  assert.equal((await new Client(s.url).post('/api/v1/session', { login: 'auditor', password: PASSWORD })).status, 429);
  await s.stop({ keepDatabase: true });
  // 31 idle minutes after that use: expired, and the account lock has lapsed
  s = await startServer({ database, now: '2026-03-02T09:41:00Z' });
  r = await fetch(s.url + '/api/v1/me', { headers: { cookie: c.cookie } });
  assert.equal(r.status, 401);
  assert.equal((await r.json()).error.code, 'session_expired');
  assert.equal((await new Client(s.url).post('/api/v1/session', { login: 'auditor', password: PASSWORD })).status, 200);
  await s.stop({ keepDatabase: true });
  database.cleanup();
});

test('security headers on API and errors', async () => {
  const r = await fetch(srv.url + '/api/v1/public/towns');
  assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(r.headers.get('referrer-policy'));
  assert.ok(r.headers.get('x-request-id'));
  const nf = await fetch(srv.url + '/api/v1/nothing-here');
  assert.equal(nf.status, 404);
  assert.equal((await nf.json()).error.code, 'not_found');
});

test('a session just used is dropped at once by logout, a new password or disabling; by the CLI within 2 s', async () => {
  const sec = await srv.login('security-admin');
  const made = await sec.post('/api/v1/users', { login: 'cache-officer', name: '缓存测试', role: 'town_officer', town_code: '330304001', password: PASSWORD });
  assert.equal(made.status, 201, made.text);
  // logout: the same cookie, used a moment ago (so remembered by a worker), is refused next time
  const a = await srv.login('cache-officer');
  const stale = new Client(srv.url);
  stale.cookie = a.cookie;
  stale.csrf = a.csrf;
  assert.equal((await a.get('/api/v1/me')).status, 200);
  assert.equal((await stale.get('/api/v1/me')).status, 200);
  assert.equal((await a.del('/api/v1/session')).status, 200);
  assert.equal((await stale.get('/api/v1/me')).status, 401, 'a logged-out session is refused at once');
  // disabling through the API: at once
  const b = await srv.login('cache-officer');
  for (let i = 0; i < 4; i++) assert.equal((await b.get('/api/v1/me')).status, 200);
  assert.equal((await sec.put(`/api/v1/users/${made.body.id}`, { disabled: true })).status, 200);
  assert.equal((await b.get('/api/v1/me')).status, 401, 'a disabled account is refused at once');
  assert.equal((await sec.put(`/api/v1/users/${made.body.id}`, { disabled: false })).status, 200);
  // a new password through the API: at once
  const c = await srv.login('cache-officer');
  assert.equal((await c.get('/api/v1/me')).status, 200);
  assert.equal((await sec.put(`/api/v1/users/${made.body.id}`, { password: 'Another-pass-2023x' })).status, 200);
  assert.equal((await c.get('/api/v1/me')).status, 401, 'a new password ends the sessions at once');
  // the CLI is another process: its change takes effect within the cache's 2 seconds
  const d = await srv.login('cache-officer', 'Another-pass-2023x');
  assert.equal((await d.get('/api/v1/me')).status, 200);
  const r = tuoyu(['user', 'disable', 'cache-officer', ...srv.database.args]);
  assert.equal(r.status, 0, r.stderr);
  await new Promise((res) => setTimeout(res, 2100));
  assert.equal((await d.get('/api/v1/me')).status, 401, 'disabled by the CLI: refused within 2 s');
});
