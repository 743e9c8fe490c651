// users.test.mjs — accounts over real HTTP: separation of duties for privileged accounts (a change to
// a district administrator, security administrator or auditor is a request another privileged person
// approves; nobody approves their own, gives more than they hold, disables themselves or the last
// auditor; every step reaches the audit log and the auditors' inboxes), request expiry, the scope
// fields each role carries, and the password rules wherever a password is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, Client, PASSWORD, tuoyu } from '../lib/server.mjs';

let srv, sec, admin, auditor;
before(async () => {
  srv = await startServer();
  sec = await srv.login('security-admin');
  admin = await srv.login('district-admin');
  auditor = await srv.login('auditor');
});
after(async () => { await srv?.stop(); });

async function userId(login) {
  const u = (await sec.get('/api/v1/users?limit=500')).body.items.find((x) => x.login === login);
  assert.ok(u, `user ${login} exists`);
  return u.id;
}
async function auditActions(reader = auditor) {
  return (await reader.get('/api/v1/audit?limit=200')).body.items;
}
async function inbox(client) {
  return (await client.get('/api/v1/inbox')).body.items;
}

test('a new auditor exists only once another privileged person approves; every step reaches the auditors', async () => {
  const r = await sec.post('/api/v1/users', { login: 'auditor-two', name: '第二审计员', role: 'auditor', password: 'Second-audit-2026' });
  assert.equal(r.status, 202, r.text);
  const req = r.body.request;
  assert.equal(req.state, 'pending');
  assert.equal(req.kind, 'create');
  assert.equal(req.login, 'auditor-two');
  assert.equal(req.role, 'auditor');
  assert.equal(req.requested_by.login, 'security-admin');
  assert.equal(req.changes.password, undefined, 'the password itself is never shown');
  assert.equal(req.can_approve, false, 'not by the person who asked');
  assert.ok(Date.parse(req.expires_at) > Date.now());
  // not an account yet
  assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'auditor-two', password: 'Second-audit-2026' })).status, 401);
  assert.ok(!(await sec.get('/api/v1/users?limit=500')).body.items.some((u) => u.login === 'auditor-two'));
  // the auditor learns of it at once: audit row and inbox message
  const created = (await auditActions()).find((a) => a.action === 'account_request.create' && a.target_id === String(req.id));
  assert.ok(created, 'account_request.create audited');
  assert.ok((await inbox(auditor)).some((m) => m.kind === 'account_request.created' && m.ref_id === req.id && /审计员/.test(m.subject)));
  // the requester may not approve it
  let a = await sec.post(`/api/v1/account-requests/${req.id}/approve`, {});
  assert.equal(a.status, 403, a.text);
  assert.equal(a.body.error.code, 'self_approval');
  // the list shows it pending, approvable by the district administrator
  const listed = (await admin.get('/api/v1/account-requests?state=pending')).body.items.find((x) => x.id === req.id);
  assert.equal(listed.can_approve, true);
  // a second request for the same login is refused while this one is pending
  const dup = await sec.post('/api/v1/users', { login: 'auditor-two', name: '重复', role: 'auditor', password: 'Second-audit-2026' });
  assert.equal(dup.status, 409, dup.text);
  assert.equal(dup.body.error.code, 'request_pending');
  // approved by another privileged person: the account works
  a = await admin.post(`/api/v1/account-requests/${req.id}/approve`, {});
  assert.equal(a.status, 200, a.text);
  assert.equal(a.body.request.state, 'approved');
  assert.equal(a.body.request.decided_by.login, 'district-admin');
  const newId = a.body.request.target_user_id;
  assert.ok(newId > 0);
  const two = await srv.login('auditor-two', 'Second-audit-2026');
  assert.equal(two.user.role, 'auditor');
  // deciding again is refused
  a = await auditor.post(`/api/v1/account-requests/${req.id}/reject`, {});
  assert.equal(a.status, 409);
  assert.equal(a.body.error.code, 'not_pending');
  const log = await auditActions();
  assert.ok(log.some((x) => x.action === 'account_request.approve' && x.target_id === String(req.id) && x.login === 'district-admin'));
  assert.ok(log.some((x) => x.action === 'user.create' && x.target_id === String(newId)));
  assert.ok((await inbox(auditor)).some((m) => m.kind === 'account_request.approved' && m.ref_id === req.id));
  assert.ok((await inbox(sec)).some((m) => m.kind === 'account_request.approved' && m.ref_id === req.id), 'the requester is told');
  const verify = tuoyu(['audit', 'verify', ...srv.database.args]);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
});

test('resetting a privileged password or disabling a privileged account waits for approval; rejection changes nothing', async () => {
  const adminId = await userId('district-admin');
  // the attack: the security administrator resets the district administrator's password
  let r = await sec.put(`/api/v1/users/${adminId}`, { password: 'Taken-over-2026x' });
  assert.equal(r.status, 202, r.text);
  const req = r.body.request;
  assert.equal(req.kind, 'update');
  assert.deepEqual(req.changes, { password: true });
  assert.match(req.summary, /重置密码/);
  assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'district-admin', password: 'Taken-over-2026x' })).status, 401);
  assert.equal((await srv.login('district-admin')).user.login, 'district-admin', 'the old password still works');
  // nobody approves a request about their own account, nor one about an account above their role
  r = await admin.post(`/api/v1/account-requests/${req.id}/approve`, {});
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'own_account');
  r = await auditor.post(`/api/v1/account-requests/${req.id}/approve`, {});
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'role_above_own');
  r = await auditor.post(`/api/v1/account-requests/${req.id}/reject`, { note: '未经线下核实' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.request.state, 'rejected');
  assert.equal(r.body.request.note, '未经线下核实');
  assert.equal((await srv.login('district-admin')).user.login, 'district-admin');
  assert.ok((await auditActions()).some((x) => x.action === 'account_request.reject' && x.target_id === String(req.id)));
  assert.ok((await inbox(sec)).some((m) => m.kind === 'account_request.rejected' && m.ref_id === req.id));

  // disabling the second auditor (made in the test above) is a request too, approved by the auditor
  const twoId = await userId('auditor-two');
  r = await sec.put(`/api/v1/users/${twoId}`, { disabled: true });
  assert.equal(r.status, 202, r.text);
  assert.equal((await srv.login('auditor-two', 'Second-audit-2026')).user.login, 'auditor-two', 'still enabled while pending');
  r = await auditor.post(`/api/v1/account-requests/${r.body.request.id}/approve`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'auditor-two', password: 'Second-audit-2026' })).status, 401);
});

test('nobody raises an account above their own role', async () => {
  let r = await sec.post('/api/v1/users', { login: 'second-admin', name: '冒名管理员', role: 'district_admin', password: 'Second-admin-2026' });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.body.error.code, 'role_above_own');
  assert.equal(r.body.error.field, 'role');
  assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'second-admin', password: 'Second-admin-2026' })).status, 401);
  const officer = await userId('town-330304001');
  r = await sec.put(`/api/v1/users/${officer}`, { role: 'district_admin' });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.body.error.code, 'role_above_own');
  // re-roling to a privileged role below the district administrator is a request
  r = await sec.put(`/api/v1/users/${officer}`, { role: 'security_admin' });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.request.role, 'security_admin');
  r = await sec.post(`/api/v1/account-requests/${r.body.request.id}/reject`, {});
  assert.equal(r.status, 200, 'the requester may withdraw (reject) their own request');
  assert.equal((await srv.login('town-330304001')).user.role, 'town_officer');
});

test('the last auditor cannot be disabled, nobody disables themselves, unknown ids are 404', async () => {
  const auditorId = await userId('auditor');
  let r = await sec.put(`/api/v1/users/${auditorId}`, { disabled: true });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.error.code, 'last_auditor');
  r = await sec.put(`/api/v1/users/${auditorId}`, { role: 'evaluator' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.error.code, 'last_auditor');
  const me = await userId('security-admin');
  r = await sec.put(`/api/v1/users/${me}`, { disabled: true });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.error.code, 'self_disable');
  r = await sec.put('/api/v1/users/999999', { disabled: true });
  assert.equal(r.status, 404, r.text);
  assert.equal(r.body.error.code, 'not_found');
  r = await sec.put('/api/v1/users/999999', { password: 'Nobody-here-2026' });
  assert.equal(r.status, 404, r.text);
  r = await admin.post('/api/v1/account-requests/999999/approve', {});
  assert.equal(r.status, 404, r.text);
  // the auditor can still log in
  assert.equal((await srv.login('auditor')).user.role, 'auditor');
});

test('ordinary accounts change at once; the scope fields each role needs are checked', async () => {
  const base = { name: '范围测试', password: 'Scope-check-2026' };
  const bad = [
    [{ login: 'fam-town', role: 'family', town_code: '330304001' }, 'town_code', 'field_not_allowed'],
    [{ login: 'fam-inst', role: 'family', institution_id: 1 }, 'institution_id', 'field_not_allowed'],
    [{ login: 'rev-inst', role: 'dept_reviewer', institution_id: 1 }, 'institution_id', 'field_not_allowed'],
    [{ login: 'officer-none', role: 'town_officer' }, 'town_code', 'unknown_town'],
    [{ login: 'officer-bad', role: 'town_officer', town_code: '999999999' }, 'town_code', 'unknown_town'],
    [{ login: 'officer-inst', role: 'town_officer', town_code: '330304001', institution_id: 1 }, 'institution_id', 'field_not_allowed'],
    [{ login: 'op-none', role: 'institution_operator' }, 'institution_id', 'unknown_institution'],
    [{ login: 'op-zero', role: 'institution_operator', institution_id: 0 }, 'institution_id', 'out_of_range'],
    [{ login: 'op-town', role: 'institution_operator', institution_id: 1, town_code: '330304001' }, 'town_code', 'field_not_allowed'],
  ];
  for (const [fields, field, code] of bad) {
    const r = await sec.post('/api/v1/users', { ...base, ...fields });
    assert.equal(r.status, 422, `${fields.login}: ${r.text}`);
    assert.equal(r.body.error.field, field, fields.login);
    assert.equal(r.body.error.code, code, fields.login);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/, 'a Chinese message');
  }
  assert.ok(!(await sec.get('/api/v1/users?limit=500')).body.items.some((u) => bad.some(([f]) => f.login === u.login)), 'nothing written');
  let r = await sec.post('/api/v1/users', { ...base, login: 'fam-ok', role: 'family' });
  assert.equal(r.status, 201, r.text);
  r = await sec.post('/api/v1/users', { ...base, login: 'officer-ok', role: 'town_officer', town_code: '330304002' });
  assert.equal(r.status, 201, r.text);
  // an ordinary re-role happens at once and keeps the scope rules
  r = await sec.put(`/api/v1/users/${r.body.id}`, { role: 'town_officer', town_code: '330304003' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await srv.login('officer-ok', 'Scope-check-2026')).user.town_code, '330304003');
  r = await sec.put(`/api/v1/users/${await userId('fam-ok')}`, { role: 'family', town_code: '330304001' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'town_code');
  r = await sec.put(`/api/v1/users/${await userId('fam-ok')}`, {});
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'nothing_to_change');
});

test('passwords: length, not containing the login, not a common password — in the API and the CLI', async () => {
  const cases = [
    ['Short-1', 'password_too_short', /至少需要10个字符/],
    ['Pw-zhang-wei-2026', 'password_contains_login', /账号/],
    ['q1w2e3r4t5y6', 'password_common', /常见/],
    ['Woaini5201314', 'password_common', /常见/],
  ];
  for (const [password, code, message] of cases) {
    const r = await sec.post('/api/v1/users', { login: 'zhang-wei', name: '张伟', role: 'evaluator', password });
    assert.equal(r.status, 422, `${password}: ${r.text}`);
    assert.equal(r.body.error.code, code, password);
    assert.equal(r.body.error.field, 'password');
    assert.match(r.body.error.message, message);
  }
  let r = await sec.post('/api/v1/users', { login: 'zhang-wei', name: '张伟', role: 'evaluator', password: 'Wei-pass-2026x' });
  assert.equal(r.status, 201, r.text);
  // a reset checks the same rules against the account's login
  r = await sec.put(`/api/v1/users/${r.body.id}`, { password: 'ZHANG-WEI-new-1' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'password_contains_login');
  // ...and so does a privileged request before it is filed
  r = await sec.put(`/api/v1/users/${await userId('auditor')}`, { password: '1qaz2wsx3edc' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'password_common');
  // the CLI
  const cli = tuoyu(['user', 'add', 'li-na', '--role', 'evaluator', '--name', '李娜', '--password', 'li-na-Pass-2026', ...srv.database.args]);
  assert.equal(cli.status, 2, cli.stderr);
  assert.match(cli.stderr, /password: 密码不能包含账号名/);
  const cli2 = tuoyu(['user', 'passwd', 'zhang-wei', '--password', 'qwerty123456', ...srv.database.args]);
  assert.equal(cli2.status, 2, cli2.stderr);
  assert.match(cli2.stderr, /常见/);
});

test('a request nobody decides expires after the parameter, audited and told to the auditors', async () => {
  const database = freshDatabase();
  let s;
  try {
    s = await startServer({ database, now: '2026-03-02T09:00:00Z' });
    const sec2 = await s.login('security-admin');
    const r = await sec2.post('/api/v1/users', { login: 'late-auditor', name: '迟到审计员', role: 'auditor', password: 'Late-audit-2026' });
    assert.equal(r.status, 202, r.text);
    const { requested_at: at, expires_at: until } = r.body.request;
    assert.equal(Date.parse(until) - Date.parse(at), 72 * 3600 * 1000, '72 hours (auth.account_request_expiry_hours)');
    await s.stop({ keepDatabase: true });
    s = await startServer({ database, now: '2026-03-05T09:00:30Z' });
    const admin2 = await s.login('district-admin');
    const list = await admin2.get('/api/v1/account-requests');
    const item = list.body.items.find((x) => x.id === r.body.request.id);
    assert.equal(item.state, 'expired');
    assert.equal(item.can_approve, false);
    const a = await admin2.post(`/api/v1/account-requests/${item.id}/approve`, {});
    assert.equal(a.status, 409);
    assert.equal(a.body.error.code, 'not_pending');
    const aud = await s.login('auditor');
    const log = (await aud.get('/api/v1/audit?limit=50')).body.items;
    assert.ok(log.some((x) => x.action === 'account_request.expire' && x.target_id === String(item.id)));
    assert.ok((await aud.get('/api/v1/inbox')).body.items.some((m) => m.kind === 'account_request.expired' && m.ref_id === item.id));
    // the login is free again for a new request
    const again = await (await s.login('security-admin')).post('/api/v1/users', { login: 'late-auditor', name: '迟到审计员', role: 'auditor', password: 'Late-audit-2026' });
    assert.equal(again.status, 202, again.text);
  } finally {
    await s?.stop({ keepDatabase: true });
    database.cleanup();
  }
});

test('the user list: search by part of a login (any case) or name, paged, with town and institution names', async () => {
  const inst = (await admin.get('/api/v1/institutions?town=330304001&limit=1')).body.items[0];
  let r = await sec.get(`/api/v1/users?q=INST-${inst.id}`);
  assert.equal(r.status, 200, r.text);
  const mine = r.body.items.find((u) => u.login === `inst-${inst.id}`);
  assert.ok(mine, 'found in any case');
  assert.ok(r.body.items.every((u) => u.login.includes(`inst-${inst.id}`)));
  assert.equal(mine.institution_name, inst.name);
  const officer = (await sec.get('/api/v1/users?q=town-330304001')).body.items.find((u) => u.login === 'town-330304001');
  assert.equal(officer.town_name, '景山街道');
  r = await sec.get(`/api/v1/users?q=${encodeURIComponent('审计')}`);
  assert.ok(r.body.items.length >= 1 && r.body.items.every((u) => u.name.includes('审计')), 'by name');
  // % and _ are letters in a search, not patterns
  assert.equal((await sec.get('/api/v1/users?q=%25')).body.items.length, 0);
  // paging keeps the search
  const first = await sec.get('/api/v1/users?q=town-&limit=5');
  assert.equal(first.body.items.length, 5);
  const next = await sec.get(`/api/v1/users?q=town-&limit=5&cursor=${encodeURIComponent(first.body.next)}`);
  assert.ok(next.body.items.length >= 1 && next.body.items.every((u) => u.login.startsWith('town-')));
  assert.ok(next.body.items[0].id > first.body.items[4].id);
  r = await sec.get(`/api/v1/users?q=${'x'.repeat(101)}`);
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'q');
});
