// session.test.mjs — login, logout, /me, CSRF, timeouts, login throttling per account and address
// (a second client address through local-address binding on 127.0.0.0/8), and the second factor
// of privileged staff outside the demo (enrolment-only sessions, enrolment, login with a code).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, freshDatabase, Client, PASSWORD, tuoyu } from '../lib/server.mjs';
import { totp, secretOf } from '../lib/totp.mjs';

// POST a login from another loopback address: the server sees it as remote address localAddress.
function loginFrom(localAddress, url, body) {
  const u = new URL(url + '/api/v1/session');
  const data = JSON.stringify(body);
  const agent = new http.Agent({ localAddress });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => { agent.destroy(); resolve({ status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : null }); });
    });
    req.on('error', (e) => { agent.destroy(); reject(e); });
    req.end(data);
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('healthz and metrics answer without a session', async () => {
  const c = new Client(srv.url);
  const h = await c.get('/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.body.status, 'ok');
  await c.get('/api/v1/public/towns');
  // a request is counted when its reply has been sent, and one scrape is not atomic (the counter
  // and the histogram are read one after the other), so wait for what is asserted: both
  const counted = /tuoyu_http_requests_total\{[^}]*route="\/api\/v1\/public\/towns"[^}]*\} [1-9]/;
  const timed = /tuoyu_http_request_duration_seconds_count\{route="\/api\/v1\/public\/towns"\} [1-9]/;
  let m;
  for (const deadline = Date.now() + 5000; ;) {
    m = await c.get('/metrics');
    if ((counted.test(m.text) && timed.test(m.text)) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(m.status, 200);
  assert.match(m.text, counted);
  assert.match(m.text, timed);
  assert.match(m.text, /tuoyu_http_request_duration_seconds_bucket\{route="\/api\/v1\/public\/towns",le="\+Inf"\} [1-9]/);
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

test('five failed logins lock the account at that address for 15 minutes, even for the right password', async () => {
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

test('idle timeout and lock expiry follow the clock', async (t) => {
  const database = freshDatabase();
  let s = null;
  t.after(async () => { await s?.stop({ keepDatabase: true }); database.cleanup(); }); // also when an assertion fails
  const t0 = '2026-03-02T09:00:00Z';
  s = await startServer({ database, now: t0 });
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
});

test('a session in use still ends at the absolute timeout after login, and its cookie says so', async (t) => {
  const database = freshDatabase();
  let s = null;
  t.after(async () => { await s?.stop({ keepDatabase: true }); database.cleanup(); });
  s = await startServer({ database, now: '2026-03-02T09:00:00Z' });
  const admin = await s.login('district-admin');
  const set = await admin.post('/api/v1/params', { key: 'session.absolute_timeout_seconds', value: '3600', valid_from: '2026-03-02', basis: '测试：缩短会话时限' });
  assert.equal(set.status, 201, set.text);
  const c = new Client(s.url);
  const login = await c.login('district-admin', PASSWORD);
  assert.equal(login.status, 200, login.text);
  const cookie = login.headers.getSetCookie().find((x) => x.startsWith('tuoyu_session='));
  assert.match(cookie, /Max-Age=3600(;|$)/, cookie);
  // used every 25 minutes (within the 30-minute idle timeout), it lives until an hour after login
  // (the server's clock runs on from --now: seconds of margin either side of the hour)
  for (const [at, status] of [['09:25:00', 200], ['09:50:00', 200], ['09:59:50', 200], ['10:00:10', 401]]) {
    await s.stop({ keepDatabase: true });
    s = await startServer({ database, now: `2026-03-02T${at}Z` });
    const r = await fetch(s.url + '/api/v1/me', { headers: { cookie: c.cookie } });
    assert.equal(r.status, status, `at ${at}`);
    if (status === 401) assert.equal((await r.json()).error.code, 'session_expired');
  }
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

test('an address failing many times is locked for that account, and the real user still logs in from another address', async () => {
  const attacker = (password) => loginFrom('127.0.0.2', srv.url, { login: 'dept-reviewer', password });
  for (let i = 0; i < 5; i++) assert.equal((await attacker(`wrong-guess-${i}`)).status, 401);
  for (let i = 0; i < 15; i++) {
    const r = await attacker(`wrong-guess-more-${i}`);
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, 'account_locked');
  }
  const locked = await attacker(PASSWORD);
  assert.equal(locked.status, 429, 'the attacker\'s address stays locked even with the right password');
  assert.equal(locked.body.error.code, 'account_locked');
  assert.ok(Number(locked.headers['retry-after']) > 800, 'for the lock time (login.lock_seconds, 900 s)');
  // the real user, from 127.0.0.1: never locked out; at most a short, stated wait
  const user = new Client(srv.url);
  let r;
  for (let i = 0; i < 3; i++) {
    r = await user.login('dept-reviewer', PASSWORD);
    if (r.status !== 429) break;
    assert.equal(r.body.error.code, 'login_delayed', r.text);
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 2, `first back-off step is login.backoff_base_seconds (+ under 1 s of rounding): ${wait}`);
    await sleep(wait * 1000 + 100);
  }
  assert.equal(r.status, 200, r.text);
  assert.equal((await user.get('/api/v1/me')).body.user.login, 'dept-reviewer');
});

test('failures from other addresses never lock the account: each further attempt waits twice as long', async () => {
  for (let i = 0; i < 5; i++) assert.equal((await loginFrom('127.0.0.3', srv.url, { login: 'health-instructor', password: `guess-${i}-wrong` })).status, 401);
  // from new addresses: a delay that doubles with each failure (1, 2, 4, 8 s)
  for (const [k, delay] of [[4, 1], [5, 2], [6, 4], [7, 8]]) {
    const r = await loginFrom(`127.0.0.${k}`, srv.url, { login: 'health-instructor', password: 'guess-again-wrong' });
    assert.equal(r.status, 429, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'login_delayed');
    const wait = Number(r.headers['retry-after']);
    // whole seconds: the wait runs to the end of the second after last failure + delay
    assert.ok(wait >= delay && wait <= delay + 1, `after ${k + 1} failures the wait is ${delay} s, got ${wait}`);
    await sleep(wait * 1000 + 100);
    assert.equal((await loginFrom(`127.0.0.${k}`, srv.url, { login: 'health-instructor', password: 'guess-again-wrong' })).status, 401);
  }
  const r = await loginFrom('127.0.0.8', srv.url, { login: 'health-instructor', password: PASSWORD });
  assert.equal(r.status, 429);
  assert.equal(r.body.error.code, 'login_delayed', 'a wait, not a lock');
  await sleep(Number(r.headers['retry-after']) * 1000 + 100);
  assert.equal((await loginFrom('127.0.0.8', srv.url, { login: 'health-instructor', password: PASSWORD })).status, 200);
});

test('with the second factor required, a privileged account without one may only enrol, then logs in with a code', async () => {
  const s = await startServer({ extraArgs: ['--staff-totp', 'required'] });
  try {
    assert.match(s.log(), /second factor \(TOTP\) of district_admin, security_admin and auditor: required/);
    const c = new Client(s.url);
    let r = await c.login('security-admin', PASSWORD);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.enrolment_required, true);
    const me = await c.get('/api/v1/me');
    assert.deepEqual(me.body.actions, ['account.totp']);
    assert.equal(me.body.enrolment_required, true);
    for (const path of ['/api/v1/users', '/api/v1/inbox', '/api/v1/account-requests']) {
      r = await c.get(path);
      assert.equal(r.status, 403, path);
      assert.equal(r.body.error.code, 'totp_enrolment_required', path);
    }
    // other staff are not held back (auth.totp_required_staff is 0)
    assert.equal((await s.login('town-330304001')).user.role, 'town_officer');
    r = await c.post('/api/v1/me/totp', {});
    assert.equal(r.status, 200, r.text);
    assert.match(r.body.uri, /^otpauth:\/\/totp\/tuoyu%20%E7%93%AF%E6%B5%B7%E6%89%98%E8%82%B2:security-admin\?secret=[A-Z2-7]{32}&issuer=/);
    const secret = secretOf(r.body.uri);
    assert.equal(r.body.secret, secret);
    const now = Date.now() / 1000;
    const wrong = [totp(secret, now, -1), totp(secret, now), totp(secret, now, 1)].includes('123456') ? '654321' : '123456';
    r = await c.post('/api/v1/me/totp/confirm', { code: wrong });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'bad_totp');
    assert.equal(r.body.error.field, 'code');
    r = await c.post('/api/v1/me/totp/confirm', { code: totp(secret) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.login_again, true);
    assert.equal((await c.get('/api/v1/me')).status, 401, 'the enrolment session has ended');
    r = await new Client(s.url).post('/api/v1/session', { login: 'security-admin', password: PASSWORD });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'totp_required');
    // the confirming code is used; the next step's code logs in
    const full = new Client(s.url);
    r = await full.post('/api/v1/session', { login: 'security-admin', password: PASSWORD, totp: totp(secret, Date.now() / 1000, 1) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.enrolment_required, false);
    full.csrf = r.body.csrf_token;
    assert.equal((await full.get('/api/v1/users')).status, 200);
    r = await full.post('/api/v1/me/totp', {});
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'totp_enrolled');
  } finally {
    await s.stop();
  }
});

test('by default the second factor is required unless the database holds the demonstration data', async () => {
  // the demo (this file's server): not required
  const demo = await new Client(srv.url).post('/api/v1/session', { login: 'auditor', password: PASSWORD });
  assert.equal(demo.status, 200, demo.text);
  assert.equal(demo.body.enrolment_required, false);
  // a production database: an account made with the CLI, served without flags
  const db = freshDatabase({ demo: false });
  let s;
  try {
    const r = tuoyu(['user', 'add', 'sec-one', '--role', 'security_admin', '--name', '安全管理员甲', '--password', 'Safety-first-2026', ...db.args]);
    assert.equal(r.status, 0, r.stderr);
    s = await startServer({ database: db });
    let login = await new Client(s.url).post('/api/v1/session', { login: 'sec-one', password: 'Safety-first-2026' });
    assert.equal(login.status, 200, login.text);
    assert.equal(login.body.enrolment_required, true);
    await s.stop({ keepDatabase: true });
    s = await startServer({ database: db, extraArgs: ['--staff-totp', 'optional'] });
    login = await new Client(s.url).post('/api/v1/session', { login: 'sec-one', password: 'Safety-first-2026' });
    assert.equal(login.body.enrolment_required, false, '--staff-totp optional relaxes it');
  } finally {
    await s?.stop({ keepDatabase: true });
    db.cleanup();
  }
});
