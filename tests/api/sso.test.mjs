// sso.test.mjs — single sign-on with 浙里办 (issue 12 item 1) over HTTP, on SQLite and PostgreSQL,
// against a fake OpenID Connect provider on loopback (tests/lib/fake_idp.mjs): configuration by
// `tuoyu sso`; a first login makes a family account with the real-name identity verified (ID
// number sealed, hashed and masked like children's), the next logs in to it, a signed-in parent
// links it; a wrong, replayed, foreign-browser or expired state, a wrong nonce or audience, an
// expired token and a bad signature are each a 4xx with a stable code and write nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, freshDatabase, Client, tuoyu } from '../lib/server.mjs';
import { startFakeIdp } from '../lib/fake_idp.mjs';

let db, srv, idp, auditor;

// A resident ID number (GB 11643 check character) of body's 17 digits.
function idNumber(body) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((a, d, i) => a + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

function sql(text) {
  const out = db.kind === 'pg'
    ? execFileSync('psql', ['-X', '-tA', '-d', db.conninfo, '-c', text], { encoding: 'utf8' })
    : execFileSync('sqlite3', [db.db, text], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean);
}

// What a failed login must leave untouched: accounts, links, spent logins, verified identities.
const counts = () => sql("SELECT (SELECT COUNT(*) FROM app_user) || ' ' || (SELECT COUNT(*) FROM sso_identity) || ' ' || "
  + "(SELECT COUNT(*) FROM sso_login WHERE used_at IS NOT NULL) || ' ' || (SELECT COUNT(*) FROM app_user WHERE real_name_verified_at IS NOT NULL)")[0];

// Start a login (or a link, with a signed-in client), let the fake provider send the browser back:
// { browser, code, state, start }.
async function authorize(c = new Client(srv.url), { link = false, privacy = 1 } = {}) {
  const start = await c.post(link ? '/api/v1/sso/link' : '/api/v1/sso/start', { privacy_version: privacy });
  if (start.status !== 200) return { start };
  const browser = /tuoyu_sso=([^;]+)/.exec(start.headers.get('set-cookie'))[1];
  const back = await fetch(start.body.authorize_url, { redirect: 'manual' });
  assert.equal(back.status, 302, await back.text());
  const to = new URL(back.headers.get('location'));
  assert.equal(to.origin + to.pathname, `${srv.url}/`);
  return { start, browser, code: to.searchParams.get('code'), state: to.searchParams.get('state') };
}

// The web app's landing page handing code and state back, from the browser holding cookie.
async function callback({ browser, code, state }) {
  const c = new Client(srv.url);
  if (browser) c.cookie = `tuoyu_sso=${browser}`;
  const r = await c.post('/api/v1/sso/callback', { code, state });
  if (r.body?.csrf_token) c.csrf = r.body.csrf_token;
  return { r, client: c };
}

before(async () => {
  db = freshDatabase();
  srv = await startServer({ database: db });
  idp = await startFakeIdp();
  auditor = await srv.login('auditor');
});
after(async () => { await srv?.stop(); await idp?.stop(); db?.cleanup(); });

function configure(extra = []) {
  const secret = join(db.dir, 'sso-secret');
  writeFileSync(secret, `${idp.clientSecret}\n`, { mode: 0o600 });
  return tuoyu(['sso', ...db.args, '--issuer', idp.issuer, '--client-id', idp.clientId, '--client-secret-file', secret,
    '--redirect-uri', `${srv.url}/`, ...extra]);
}

test('not configured: no button, start answers 503; `tuoyu sso` refuses a plain-http issuer off loopback, then stores it sealed', async () => {
  assert.deepEqual((await new Client(srv.url).get('/api/v1/sso')).body, { enabled: false });
  const r = await new Client(srv.url).post('/api/v1/sso/start', { privacy_version: 1 });
  assert.equal(r.status, 503);
  assert.equal(r.body.error.code, 'sso_unavailable');
  const secret = join(db.dir, 'sso-secret-x');
  writeFileSync(secret, 'x\n', { mode: 0o600 });
  const bad = tuoyu(['sso', ...db.args, '--issuer', 'http://idp.example.org', '--client-id', 'a', '--client-secret-file', secret, '--redirect-uri', 'https://tuoyu.example/']);
  assert.equal(bad.status, 2, bad.stderr);
  const set = configure();
  assert.equal(set.status, 0, set.stderr);
  assert.deepEqual((await new Client(srv.url).get('/api/v1/sso')).body, { enabled: true });
  const stored = sql('SELECT client_secret_sealed FROM sso_config')[0];
  assert.match(stored, /^v1:/);
  assert.ok(!stored.includes(idp.clientSecret));
});

test('a first login makes a family account with the verified real-name identity; the next logs in to it', async () => {
  const id = idNumber('33030419880512002');
  idp.person = { sub: 'zlb-user-1001', name: '林小雨', id_number: id };
  const before = counts();
  const a = await authorize();
  assert.equal(a.start.body.expires_in, 600);
  const u = new URL(a.start.body.authorize_url);
  assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
  const { r, client } = await callback(a);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.user.role, 'family');
  assert.equal(r.body.user.name, '林小雨');
  // PKCE verifier and client_secret_basic reached the token endpoint
  const tr = idp.tokenRequests.at(-1);
  assert.match(tr.auth, /^Basic /);
  assert.ok(tr.form.code_verifier.length >= 43);
  const me = await client.get('/api/v1/me/identity');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.name, '林小雨');
  assert.equal(me.body.id_number, `330304********${id.slice(-4)}`);
  assert.equal(me.body.verified, true);
  assert.equal(me.body.source, 'zlb');
  assert.equal(me.body.sso_linked, true);
  // stored as children's ID numbers are: sealed, keyed hash, masked; consent recorded
  const [row] = sql(`SELECT id_sealed || '|' || id_lookup || '|' || id_masked || '|' || privacy_version FROM app_user WHERE id = ${r.body.user.id}`);
  const [sealed, lookup, masked, privacy] = row.split('|');
  assert.match(sealed, /^v1:/);
  assert.ok(!row.includes(id));
  assert.match(lookup, /^[0-9a-f]{64}$/);
  assert.equal(masked, me.body.id_number);
  assert.equal(privacy, '1');
  const [b, aft] = [before.split(' ').map(Number), counts().split(' ').map(Number)];
  assert.deepEqual(aft, [b[0] + 1, b[1] + 1, b[2] + 1, b[3] + 1]);
  // audit rows: the sign-up and the login
  const log = (await auditor.get(`/api/v1/audit?target_type=user&target_id=${r.body.user.id}`)).body.items.map((x) => x.action);
  assert.ok(log.includes('account.signup') && log.includes('session.login'), JSON.stringify(log));
  // the family can register a child straight away (a normal family session)
  assert.equal((await client.get('/api/v1/children')).status, 200);

  // the next login of the same subject is the same account
  const again = await callback(await authorize());
  assert.equal(again.r.status, 200, again.r.text);
  assert.equal(again.r.body.user.id, r.body.user.id);

  // replayed: the same state (and code) a second time
  const replay = await callback(a);
  assert.equal(replay.r.status, 400);
  assert.equal(replay.r.body.error.code, 'sso_state_used');
});

test('bad state, another browser, no consent: 4xx with a stable code, nothing written', async () => {
  idp.person = { sub: 'zlb-user-2002', name: '陈一', id_number: idNumber('33030419900101003') };
  const before = counts();
  const a = await authorize();
  const wrong = await callback({ ...a, state: 'x'.repeat(43) });
  assert.equal(wrong.r.status, 400);
  assert.equal(wrong.r.body.error.code, 'sso_state_invalid');
  const foreign = await callback({ ...a, browser: 'y'.repeat(43) });
  assert.equal(foreign.r.status, 400);
  assert.equal(foreign.r.body.error.code, 'sso_state_browser');
  const none = await callback({ ...a, browser: null });
  assert.equal(none.r.body.error.code, 'sso_state_browser');
  const consent = await authorize(new Client(srv.url), { privacy: 2 });
  assert.equal(consent.start.status, 422);
  assert.equal(consent.start.body.error.code, 'consent_required');
  assert.equal(counts(), before);
  // the untouched login still works once
  const ok = await callback(a);
  assert.equal(ok.r.status, 201, ok.r.text);
});

for (const [name, tamper, code] of [
  ['a wrong nonce', { nonce: 'not-the-one' }, 'sso_token_nonce'],
  ['a wrong audience', { aud: 'another-client' }, 'sso_token_audience'],
  ['an expired token', { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 3900 }, 'sso_token_expired'],
  ['a bad signature', { signWith: 'other' }, 'sso_token_signature'],
  ['another issuer', { iss: 'https://evil.example' }, 'sso_token_issuer'],
]) {
  test(`an ID token with ${name} is refused (${code}) and nothing is written`, async () => {
    idp.person = { sub: `zlb-${code}`, name: '王二', id_number: idNumber('33030419920202004') };
    const a = await authorize();
    const before = counts();
    idp.tamper = tamper;
    const { r } = await callback(a);
    assert.equal(r.status, 401, r.text);
    assert.equal(r.body.error.code, code);
    assert.equal(counts(), before);
    assert.equal(sql(`SELECT COUNT(*) FROM app_user WHERE name = '王二'`)[0], '0');
  });
}

test('a signed-in parent links 浙里办: the account is verified and later logs in by it; one subject, one account', async () => {
  const fam = await srv.login('family');
  const mine = (await fam.get('/api/v1/me/identity')).body;
  assert.equal(mine.verified, false);
  const id = idNumber('33030419870707005');
  idp.person = { sub: 'zlb-user-3003', name: '张家长', id_number: id };
  const a = await authorize(fam, { link: true });
  assert.equal(a.start.status, 200, a.start.text);
  const { r } = await callback(a);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.user.id, fam.user.id);
  const now = (await fam.get('/api/v1/me/identity')).body;
  assert.equal(now.verified, true);
  assert.equal(now.name, '张家长');
  const log = (await auditor.get(`/api/v1/audit?target_type=user&target_id=${fam.user.id}`)).body.items.map((x) => x.action);
  assert.ok(log.includes('account.sso_link'), JSON.stringify(log));
  // logging in by 浙里办 now reaches the same account
  const later = await callback(await authorize());
  assert.equal(later.r.body.user.id, fam.user.id);
  // a staff account cannot link
  const op = await srv.login('inst-1');
  assert.equal((await op.post('/api/v1/sso/link', { privacy_version: 1 })).status, 403);
  // another subject with the same ID number cannot take it to a second account
  idp.person = { sub: 'zlb-user-3004', name: '张家长', id_number: id };
  const before = counts();
  const dup = await callback(await authorize());
  assert.equal(dup.r.status, 409, dup.r.text);
  assert.equal(dup.r.body.error.code, 'id_number_registered');
  assert.equal(counts(), before);
});
