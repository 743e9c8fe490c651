// signup.test.mjs — parents' own accounts (issue 12 items 1 and 2) over HTTP, on SQLite and
// PostgreSQL: a code sent by SMS (read here from the server's --sms-sink file) signs a parent up
// with the privacy notice's version recorded, logs in, sets a new password; codes expire, allow
// five tries, wait 60 s between sends, are limited per number and per address, and are stored
// only as keyed hashes; the number is sealed. The stored HTTP gateway (a fake one on loopback)
// receives the codes with its sealed credentials. An institution sees the verified number of the
// families who booked with it (audited), and no other's; the families get SMS for their bookings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, freshDatabase, Client, tuoyu } from '../lib/server.mjs';
import { child } from '../lib/fixtures.mjs';

const NOW = '2026-06-01T02:00:00Z'; // 10:00 Beijing
let db, srv, sink, admin, auditor;

before(async () => {
  db = freshDatabase();
  sink = join(db.dir, 'sms.txt');
  srv = await startServer({ database: db, now: NOW, extraArgs: ['--sms-sink', sink] });
  admin = await srv.login('district-admin');
  auditor = await srv.login('auditor');
});
after(async () => { await srv?.stop(); db?.cleanup(); });

// SQL against the server's database (sqlite3 or psql): the output's lines.
function sql(text) {
  const out = db.kind === 'pg'
    ? execFileSync('psql', ['-X', '-tA', '-d', db.conninfo, '-c', text], { encoding: 'utf8' })
    : execFileSync('sqlite3', [db.db, text], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean);
}

const sinkLines = () => (existsSync(sink) ? readFileSync(sink, 'utf8').split('\n').filter(Boolean) : []);

// Wait for the sender thread to write a message to number matching re; its text.
async function smsTo(number, re, skip = 0) {
  for (let i = 0; i < 100; i++) {
    const hits = sinkLines().map((l) => l.split('\t')).filter(([, n, t]) => n === number && re.test(t));
    if (hits.length > skip) return hits[hits.length - 1][2];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no SMS to ${number} matching ${re}; sink:\n${sinkLines().join('\n')}`);
}

let numberNo = 0;
const newNumber = () => `139${String(process.pid % 10000).padStart(4, '0')}${String(++numberNo).padStart(4, '0')}`;

// Ask for a code and read it from the sink.
async function code(c, mobile, purpose = 'signup') {
  const before = sinkLines().length;
  const r = await c.post('/api/v1/sms-codes', { mobile, purpose });
  assert.equal(r.status, 202, r.text);
  for (let i = 0; i < 100 && sinkLines().length === before; i++) await new Promise((res) => setTimeout(res, 100));
  return /验证码为 (\d{6})/.exec(await smsTo(mobile.replace(/\D/g, '').slice(-11), /验证码/))[1];
}

async function signUp(mobile = newNumber(), extra = {}) {
  const c = new Client(srv.url);
  const k = await code(c, mobile);
  const r = await c.post('/api/v1/signup', { mobile, code: k, name: '林晓梅', privacy_version: 1, ...extra });
  assert.equal(r.status, 201, r.text);
  c.csrf = r.body.csrf_token;
  c.user = r.body.user;
  return { c, mobile };
}

test('a parent signs up with an SMS code and consent; the number is sealed, the code hashed, neither in the audit log', async () => {
  const notice = await new Client(srv.url).get('/api/v1/privacy-notice');
  assert.equal(notice.status, 200);
  assert.deepEqual(notice.body, { version: 1, sms: true });
  const mobile = newNumber();
  const c = new Client(srv.url);
  const k = await code(c, `+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`); // normalised
  assert.match(k, /^\d{6}$/);
  // consent to the current notice is required
  const noConsent = await c.post('/api/v1/signup', { mobile, code: k, name: '林晓梅', privacy_version: 0 });
  assert.equal(noConsent.status, 422);
  assert.equal(noConsent.body.error.code, 'out_of_range');
  const old = await c.post('/api/v1/signup', { mobile, code: k, name: '林晓梅', privacy_version: 2 });
  assert.equal(old.status, 422);
  assert.equal(old.body.error.code, 'consent_required');
  assert.equal(old.body.error.field, 'privacy_version');
  const r = await c.post('/api/v1/signup', { mobile, code: k, name: '林晓梅', privacy_version: 1 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.user.role, 'family');
  assert.equal(r.body.user.name, '林晓梅');
  assert.ok(!r.body.user.login.includes(mobile), 'the login does not hold the number');
  c.csrf = r.body.csrf_token;
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.ok(me.body.actions.includes('visit.book'));
  // stored: sealed number, masked copy, consent version; the code only as a keyed hash
  const [row] = sql(`SELECT mobile_sealed, mobile_masked, privacy_version, privacy_consent_at FROM app_user WHERE id = ${r.body.user.id}`);
  const [sealed, masked, version, consentAt] = row.split('|');
  assert.match(sealed, /^v1:/);
  assert.ok(!sealed.includes(mobile));
  assert.equal(masked, `${mobile.slice(0, 3)}****${mobile.slice(7)}`);
  assert.equal(version, '1');
  assert.match(consentAt, /^2026-06-01T02:00/);
  const codes = sql(`SELECT code_hash, used_at IS NOT NULL FROM sms_code`);
  assert.ok(codes.length >= 1);
  for (const line of codes) assert.ok(!line.includes(k), 'no code stored in the clear');
  assert.ok(codes.some((l) => /^[0-9a-f]{64}\|(1|t)$/.test(l)), 'the used code is marked used');
  const queue = sql(`SELECT body_sealed, sent_at IS NOT NULL FROM sms_queue`);
  assert.ok(queue.every((l) => /^\|(1|t)$/.test(l)), `sent texts are wiped: ${queue}`);
  // a code is spent once
  const again = await new Client(srv.url).post('/api/v1/signup', { mobile, code: k, name: '林晓梅', privacy_version: 1 });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'mobile_registered');
  // audit: the signup with the masked number and the consent version; never the number or code
  const log = (await auditor.get('/api/v1/audit?limit=100')).body.items;
  const signup = log.find((a) => a.action === 'account.signup' && a.target_id === String(r.body.user.id));
  assert.ok(signup, 'the sign-up is audited');
  assert.equal(signup.fields.privacy_version, 1);
  assert.equal(signup.fields.mobile, masked);
  const text = JSON.stringify(log);
  assert.ok(!text.includes(mobile) && !text.includes(k), 'neither number nor code in the audit log');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE fields LIKE '%${mobile}%' OR fields LIKE '%${k}%'`)[0], '0');
  // bad input: number, code format
  const bad = await c.post('/api/v1/sms-codes', { mobile: '12345', purpose: 'signup' });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.code, 'mobile_invalid');
  assert.equal(bad.body.error.field, 'mobile');
  const badPurpose = await c.post('/api/v1/sms-codes', { mobile: newNumber(), purpose: 'spam' });
  assert.equal(badPurpose.body.error.code, 'bad_purpose');
  const registered = await c.post('/api/v1/sms-codes', { mobile, purpose: 'signup' });
  assert.equal(registered.status, 409);
  const unknown = await c.post('/api/v1/sms-codes', { mobile: newNumber(), purpose: 'login' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'mobile_unknown');
});

test('a code is refused after 5 wrong tries, a new one waits 60 s, and then logs in', async () => {
  const { mobile } = await signUp();
  const c = new Client(srv.url);
  const k = await code(c, mobile, 'login');
  const wrong = k === '000000' ? '111111' : '000000';
  for (let i = 1; i <= 4; i++) {
    const r = await c.post('/api/v1/session/sms', { mobile, code: wrong });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.code, 'code_wrong');
    assert.match(r.body.error.message, new RegExp(`还可尝试 ${5 - i} 次`));
  }
  const fifth = await c.post('/api/v1/session/sms', { mobile, code: wrong });
  assert.equal(fifth.status, 429);
  assert.equal(fifth.body.error.code, 'code_tries');
  const right = await c.post('/api/v1/session/sms', { mobile, code: k });
  assert.equal(right.status, 429, 'the right code no longer works after 5 wrong tries');
  assert.equal(right.body.error.code, 'code_tries');
  assert.equal(sql(`SELECT MAX(tries) FROM sms_code WHERE purpose = 'login'`)[0], '5');
  // a new code only after the resend interval
  const soon = await c.post('/api/v1/sms-codes', { mobile, purpose: 'login' });
  assert.equal(soon.status, 429);
  assert.equal(soon.body.error.code, 'code_resend');
  assert.ok(Number(soon.headers.get('retry-after')) > 0 && Number(soon.headers.get('retry-after')) <= 60);
  const badFormat = await c.post('/api/v1/session/sms', { mobile, code: '12ab56' });
  assert.equal(badFormat.body.error.code, 'code_invalid');
});

test('limits per number and per address are parameters (a server of its own: the changes stay there)', async () => {
  const own = freshDatabase();
  const ownSink = join(own.dir, 'sms.txt');
  const s2 = await startServer({ database: own, now: NOW, extraArgs: ['--sms-sink', ownSink] });
  try {
    const a2 = await s2.login('district-admin');
    const setParam = async (key, value) => {
      const r = await a2.post('/api/v1/params', { key, value, valid_from: '2026-06-01', basis: '测试：降低上限' });
      assert.equal(r.status, 201, r.text);
    };
    const c = new Client(s2.url);
    // per number: one a day; the resend interval set to 0 so the second try meets this limit
    await setParam('sms.max_per_number_per_day', '1');
    await setParam('sms.resend_seconds', '0');
    const mobile = newNumber();
    assert.equal((await c.post('/api/v1/sms-codes', { mobile, purpose: 'signup' })).status, 202);
    const r = await c.post('/api/v1/sms-codes', { mobile, purpose: 'signup' });
    assert.equal(r.status, 429, r.text);
    assert.equal(r.body.error.code, 'sms_limit_number');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    // per address: 2 codes an hour from this address, whatever the numbers (1 sent above)
    await setParam('sms.max_per_address_per_hour', '2');
    assert.equal((await c.post('/api/v1/sms-codes', { mobile: newNumber(), purpose: 'signup' })).status, 202);
    const r2 = await c.post('/api/v1/sms-codes', { mobile: newNumber(), purpose: 'signup' });
    assert.equal(r2.status, 429, r2.text);
    assert.equal(r2.body.error.code, 'sms_limit_address');
    assert.equal(r2.body.error.field, 'mobile');
  } finally {
    await s2.stop({ keepDatabase: true });
    own.cleanup();
  }
});

test('a password is optional; one set later by SMS code ends the sessions and logs in with the number', async () => {
  const { c, mobile } = await signUp();
  // no password: a password login fails for any password
  assert.equal((await new Client(srv.url).login(mobile, 'Anything-2026-x')).status, 401);
  assert.equal(sql(`SELECT COUNT(*) FROM login_attempt WHERE login LIKE '%${mobile.slice(3)}%'`)[0], '0', 'the failed login does not record the number');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE fields LIKE '%${mobile.slice(3)}%'`)[0], '0');
  const k = await code(new Client(srv.url), mobile, 'reset');
  const weak = await new Client(srv.url).post('/api/v1/password-reset', { mobile, code: k, password: '123' });
  assert.equal(weak.status, 422);
  assert.match(weak.body.error.code, /^password_/);
  const r = await new Client(srv.url).post('/api/v1/password-reset', { mobile, code: k, password: 'Lin-family-2026' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await c.get('/api/v1/me')).status, 401, 'a new password ends the old sessions');
  const p = await new Client(srv.url).login(mobile, 'Lin-family-2026');
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.user.role, 'family');
  const reused = await new Client(srv.url).post('/api/v1/password-reset', { mobile, code: k, password: 'Lin-family-2027' });
  assert.equal(reused.status, 422);
  assert.equal(reused.body.error.code, 'code_used');
  // sign-up with a password from the start
  const withPw = await signUp(newNumber(), { password: 'Chen-family-2026' });
  assert.equal((await new Client(srv.url).login(withPw.mobile, 'Chen-family-2026')).status, 200);
});

test('a code expires 5 minutes after it was sent, and a new one may be asked for 60 s after the last (the server restarted then)', async () => {
  const mobile = newNumber();
  const k = await code(new Client(srv.url), mobile);
  const sentAt = Number(sql('SELECT MAX(created_at) FROM sms_code')[0]);
  const restartAt = async (epoch) => {
    await srv.stop({ keepDatabase: true });
    srv = await startServer({ database: db, now: new Date(epoch * 1000).toISOString().replace('.000Z', 'Z'), extraArgs: ['--sms-sink', sink] });
    admin = await srv.login('district-admin');
    auditor = await srv.login('auditor');
  };
  await restartAt(sentAt + 300); // sms.code_ttl_seconds: valid for 300 s, so not at the 300th
  const r = await new Client(srv.url).post('/api/v1/signup', { mobile, code: k, name: '过期', privacy_version: 1 });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'code_expired');
  // a new one is allowed (the resend interval passed); asked again at once, it waits the whole interval
  const askedAt = Date.now();
  await code(new Client(srv.url), mobile); // waits for the text to reach the sink: a second or more on a busy machine
  const k2At = Number(sql('SELECT MAX(created_at) FROM sms_code')[0]);
  const soon = await new Client(srv.url).post('/api/v1/sms-codes', { mobile, purpose: 'signup' });
  assert.deepEqual([soon.status, soon.body.error.code], [429, 'code_resend']);
  // the server's clock runs on: the wait is the interval less the whole seconds gone since the code was asked for
  const gone = Math.ceil((Date.now() - askedAt) / 1000);
  const wait = Number(soon.headers.get('retry-after'));
  assert.ok(wait <= 60 && wait >= 60 - gone, `Retry-After ${wait}, ${gone} s after the code was asked for`);
  // sms.resend_seconds (60) after it, the next one is allowed and works
  await restartAt(k2At + 60);
  const k3 = await code(new Client(srv.url), mobile);
  const ok = await new Client(srv.url).post('/api/v1/signup', { mobile, code: k3, name: '准时', privacy_version: 1 });
  assert.equal(ok.status, 201, ok.text);
});

test('an institution sees the verified number of the families who book with it, audited; no other institution does', async () => {
  const { c: fam, mobile } = await signUp();
  const childId = await child(fam, '2024-09-15');
  const insts = (await admin.get('/api/v1/institutions?status=filed&limit=50')).body.items;
  const [mine, other] = insts;
  const op = await srv.login(`inst-${mine.id}`);
  const op2 = await srv.login(`inst-${other.id}`);
  const slot = await op.post(`/api/v1/institutions/${mine.id}/visit-slots`, {
    starts_at: '2026-06-20T09:30:00+08:00', ends_at: '2026-06-20T10:30:00+08:00', capacity: 5,
  });
  assert.equal(slot.status, 201, slot.text);
  const b = await fam.post('/api/v1/visit-bookings', { slot_id: slot.body.id, visitors: 2, child_id: childId });
  assert.equal(b.status, 201, b.text);
  // the family's confirmation says what happens next, in the reply, the inbox and by SMS
  assert.equal(b.body.next_steps.institution_address, (await admin.get(`/api/v1/institutions/${mine.id}`)).body.address);
  const inbox = (await fam.get('/api/v1/inbox')).body.items;
  const booked = inbox.find((m) => m.kind === 'visit.booked' && m.ref_id === b.body.id);
  assert.ok(booked, 'a confirmation in the inbox');
  assert.match(booked.body, /地址：/);
  assert.match(await smsTo(mobile, /参观预约成功/), /机构电话/);

  // the institution: full name and number in its slot list and its bookings list
  const slots = (await op.get(`/api/v1/institutions/${mine.id}/visit-slots`)).body.items;
  const seen = slots.find((s) => s.id === slot.body.id).bookings[0];
  assert.equal(seen.family_mobile, mobile);
  assert.equal(seen.family_name, '林晓梅');
  const visits = (await op.get('/api/v1/visit-bookings')).body.items.find((v) => v.id === b.body.id);
  assert.equal(visits.family_mobile, mobile);
  // audited as a read of the family's contact
  const log = (await auditor.get('/api/v1/audit?limit=50')).body.items;
  const read = log.find((a) => a.action === 'family.contact' && a.user_id === op.user.id);
  assert.ok(read, 'the institution\'s read of the number is audited');
  assert.ok(read.fields.users.includes(fam.user.id));
  // another institution: not its booking
  assert.equal((await op2.get(`/api/v1/institutions/${mine.id}/visit-slots`)).status, 404);
  const theirs = (await op2.get('/api/v1/visit-bookings')).body.items;
  assert.ok(!theirs.some((v) => v.id === b.body.id));
  assert.ok(!JSON.stringify(theirs).includes(mobile));
  // the district administrator sees it masked
  const district = (await admin.get('/api/v1/visit-bookings')).body.items.find((v) => v.id === b.body.id);
  assert.equal(district.family_mobile, `${mobile.slice(0, 3)}****${mobile.slice(7)}`);
  assert.equal(district.family_name, '林*梅');
  // the family sees its own
  const own = (await fam.get('/api/v1/visit-bookings')).body.items.find((v) => v.id === b.body.id);
  assert.equal(own.family_mobile, mobile);
});

test('a place booking and a submitted application: the institution sees the number, the family what happens next', async () => {
  const { c: fam, mobile } = await signUp();
  const childId = await child(fam, '2024-03-15');
  const vac = (await new Client(srv.url).get('/api/v1/public/vacancies?class_type=toddler_old&limit=50')).body.items
    .find((v) => v.free_places > 0);
  assert.ok(vac, 'a vacancy in the demo');
  const b = await fam.post('/api/v1/bookings', { child_id: childId, institution_id: vac.institution_id, class_type: 'toddler_old', start_month: '2026-09' });
  assert.equal(b.status, 201, b.text);
  assert.match(b.body.next_steps.documents, /出生医学证明/);
  assert.equal(b.body.next_steps.start, '2026-09');
  assert.match(await smsTo(mobile, /入托预约成功/), /入托时请带好/);
  const op = await srv.login(`inst-${vac.institution_id}`);
  const row = (await op.get('/api/v1/bookings')).body.items.find((x) => x.id === b.body.id);
  assert.equal(row.family_mobile, mobile);
  const other = (await admin.get('/api/v1/institutions?status=filed&limit=50')).body.items.find((i) => i.id !== vac.institution_id);
  const op2 = await srv.login(`inst-${other.id}`);
  assert.ok(!(await op2.get('/api/v1/bookings')).body.items.some((x) => x.id === b.body.id));

  // an application naming the institution
  const child2 = await child(fam, '2024-02-10');
  const a = await fam.post('/api/v1/applications', { child_id: child2, intake: '2026-09', choices: [{ institution_id: vac.institution_id, class_type: 'toddler_old' }] });
  assert.equal(a.status, 201, a.text);
  assert.equal((await fam.post(`/api/v1/applications/${a.body.id}/submit`, {})).status, 200);
  assert.ok((await fam.get('/api/v1/inbox')).body.items.some((m) => m.kind === 'application.submitted' && m.ref_id === a.body.id));
  await smsTo(mobile, /入托申请已提交/);
  const apps = (await op.get(`/api/v1/applications?institution_id=${vac.institution_id}`)).body.items;
  assert.equal(apps.find((x) => x.id === a.body.id).family_mobile, mobile);
  const apps2 = (await op2.get('/api/v1/applications')).body.items;
  assert.ok(!apps2.some((x) => x.id === a.body.id));
});

test('without a gateway or sink no code is sent (503); the sink is refused off loopback', async () => {
  const plain = await startServer();
  try {
    const r = await new Client(plain.url).post('/api/v1/sms-codes', { mobile: newNumber(), purpose: 'signup' });
    assert.equal(r.status, 503);
    assert.equal(r.body.error.code, 'sms_unavailable');
    assert.equal((await new Client(plain.url).get('/api/v1/privacy-notice')).body.sms, false);
  } finally { await plain.stop(); }
  // refused before anything listens: nothing leaves this machine
  const r = tuoyu(['serve', ...db.args, '--listen', '0.0.0.0:0', '--sms-sink', join(db.dir, 'never.txt')]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--sms-sink: only with a loopback --listen/);
  assert.ok(!existsSync(join(db.dir, 'never.txt')));
});

test('production: the stored HTTP gateway (credentials sealed) receives the code; a refusal is retried; the sink is then refused', async () => {
  const own = freshDatabase();
  const received = [];
  let refuse = 1;
  const gateway = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (refuse-- > 0) { res.writeHead(500).end(); return; } // the first message is refused once
      received.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise((r) => gateway.listen(0, '127.0.0.1', r));
  const cred = join(own.dir, 'sms-credentials');
  writeFileSync(cred, 'Bearer gw-secret-7731\n', { mode: 0o600 });
  let s2;
  try {
    // plain http:// only to this machine (the tests' fake gateway)
    const bad = tuoyu(['sms-gateway', ...own.args, '--url', 'http://example.org/x', '--credentials-file', cred]);
    assert.equal(bad.status, 2, bad.stderr);
    const set = tuoyu(['sms-gateway', ...own.args, '--url', `http://127.0.0.1:${gateway.address().port}/send`, '--credentials-file', cred]);
    assert.equal(set.status, 0, set.stderr);
    s2 = await startServer({ database: own, now: NOW });
    assert.match(s2.log(), /SMS: HTTP gateway/);
    const mobile = newNumber();
    assert.equal((await new Client(s2.url).post('/api/v1/sms-codes', { mobile, purpose: 'signup' })).status, 202);
    for (let i = 0; i < 100 && !received.length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(received.length, 1, 'delivered once, after the refusal');
    assert.equal(received[0].url, '/send');
    assert.equal(received[0].auth, 'Bearer gw-secret-7731');
    assert.equal(received[0].body.mobile, mobile);
    const k = /验证码为 (\d{6})/.exec(received[0].body.text)[1];
    const r = await new Client(s2.url).post('/api/v1/signup', { mobile, code: k, name: '网关', privacy_version: 1 });
    assert.equal(r.status, 201, r.text);
    // the credentials are stored sealed
    const stored = own.kind === 'pg'
      ? execFileSync('psql', ['-X', '-tA', '-d', own.conninfo, '-c', 'SELECT credentials_sealed FROM sms_gateway'], { encoding: 'utf8' })
      : execFileSync('sqlite3', [own.db, 'SELECT credentials_sealed FROM sms_gateway'], { encoding: 'utf8' });
    assert.match(stored.trim(), /^v1:/);
    assert.ok(!stored.includes('gw-secret'));
    await s2.stop({ keepDatabase: true });
    s2 = null;
    // a database with a gateway refuses the sink
    const sinkRefused = tuoyu(['serve', ...own.args, '--listen', '127.0.0.1:0', '--sms-sink', join(own.dir, 'sink.txt')]);
    assert.equal(sinkRefused.status, 2);
    assert.match(sinkRefused.stderr, /has an SMS gateway/);
  } finally {
    await s2?.stop({ keepDatabase: true });
    gateway.close();
    own.cleanup();
  }
});
