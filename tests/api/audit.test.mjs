// audit.test.mjs — the auditor's audit log: filters (account, action, target, business days), the
// .xlsx export in Chinese (opened and read back; the export is itself audited), the chain check
// the console's 校验 button runs (the same as `tuoyu audit verify`: a changed row breaks it), and
// a Chinese name for every action and target the log holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, Client } from '../lib/server.mjs';
import { readSheet } from '../lib/xlsx.mjs';

let srv, admin, sec, auditor;
const TODAY = '2026-06-01';
before(async () => {
  srv = await startServer({ now: `${TODAY}T02:00:00Z` });
  admin = await srv.login('district-admin');
  sec = await srv.login('security-admin');
  auditor = await srv.login('auditor');
  let r = await admin.post('/api/v1/params', { key: 'enrol.max_choices', value: '4', valid_from: TODAY, basis: '测试：审计日志' });
  assert.equal(r.status, 201, r.text);
  r = await sec.post('/api/v1/users', { login: 'audit-test-user', name: '审计测试', role: 'family', password: 'Audit-test-pass-2026' });
  assert.equal(r.status, 201, r.text);
});
after(async () => { await srv.stop(); });

const rows = async (query) => {
  const r = await auditor.get(`/api/v1/audit?limit=100&${query}`);
  assert.equal(r.status, 200, r.text);
  return r.body.items;
};

// SQL against the server's database (sqlite3 or psql)
const sql = (text) => (srv.database.kind === 'pg'
  ? execFileSync('psql', ['-X', '-tA', '-d', srv.database.conninfo, '-c', text], { encoding: 'utf8' })
  : execFileSync('sqlite3', [srv.database.db, text], { encoding: 'utf8' }));

test('filters: by account, action, target and business days', async () => {
  const byAdmin = await rows('login=district-admin');
  assert.ok(byAdmin.length >= 2, 'the login and the parameter change');
  assert.ok(byAdmin.every((x) => x.login === 'district-admin'));
  const param = await rows('action=params.update');
  assert.equal(param.length, 1);
  assert.equal(param[0].target_id, 'enrol.max_choices');
  assert.deepEqual((await rows('target_type=param&target_id=enrol.max_choices')).map((x) => x.id), [param[0].id]);
  assert.equal((await rows('target_type=user&action=user.create')).length, 1);
  // the demo was generated on another day: a day range leaves it out, the day before holds nothing
  const today = await rows(`from=${TODAY}&to=${TODAY}`);
  assert.ok(today.length >= 4 && !today.some((x) => x.action === 'demo.generate'), JSON.stringify(today.map((x) => x.action)));
  assert.equal((await rows('from=2026-05-01&to=2026-05-31')).length, 0);
  assert.ok((await rows('action=demo.generate')).length === 1);
  // paging keeps the filter
  const first = await auditor.get(`/api/v1/audit?limit=1&from=${TODAY}`);
  const second = await auditor.get(`/api/v1/audit?limit=1&from=${TODAY}&cursor=${encodeURIComponent(first.body.next)}`);
  assert.ok(second.body.items[0].id < first.body.items[0].id);
  assert.notEqual(second.body.items[0].action, 'demo.generate');
});

test('bad filters: 422 naming the parameter, in Chinese', async () => {
  let r = await auditor.get('/api/v1/audit?from=2026-02-30');
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.field, 'from');
  r = await auditor.get('/api/v1/audit?from=2026-06-02&to=2026-06-01');
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'bad_range');
  assert.equal(r.body.error.field, 'to');
  assert.match(r.body.error.message, /2026年6月1日/);
  r = await auditor.get(`/api/v1/audit?login=${'x'.repeat(101)}`);
  assert.equal(r.body.error.field, 'login');
  r = await auditor.get('/api/v1/audit/export?to=2026-13-01');
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'to');
});

test('export: an .xlsx in Chinese of the filtered rows, and the export is audited', async () => {
  const expected = await rows(`from=${TODAY}&to=${TODAY}`);
  const res = await fetch(`${srv.url}/api/v1/audit/export?from=${TODAY}&to=${TODAY}`, { headers: { cookie: auditor.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="audit-2026-06-01\.xlsx"/);
  const sheet = readSheet(Buffer.from(await res.arrayBuffer()));
  assert.deepEqual(sheet[0].slice(0, 8), ['序号', '时间（北京时间）', '操作账号', '动作', '动作代码', '对象类型', '对象编号', '变更内容']);
  const body = sheet.slice(1);
  assert.deepEqual(body.map((r) => Number(r[0])), expected.map((x) => x.id), 'the same rows as the list, newest first');
  const param = body.find((r) => r[4] === 'params.update');
  assert.equal(param[3], '修改政策参数');
  assert.equal(param[5], '政策参数');
  assert.equal(param[2], 'district-admin');
  assert.match(param[1], /^2026年6月1日 10:00:\d\d$/, 'Beijing time');
  assert.match(param[7], /^值：\d+ → 4；依据文件：测试：审计日志；生效日期：2026年6月1日$/, 'a readable change, dates in words');
  assert.equal(body.find((r) => r[4] === 'user.create')[3], '新增用户账号');

  const logged = await rows('action=audit.export');
  assert.equal(logged.length, 1, 'the export wrote its audit row');
  assert.equal(logged[0].login, 'auditor');
  assert.equal(logged[0].target_type, 'audit_log');
  assert.deepEqual(logged[0].fields, { from: TODAY, to: TODAY, rows: body.length });

  const refused = await fetch(`${srv.url}/api/v1/audit/export`, { headers: { cookie: admin.cookie } });
  assert.equal(refused.status, 403);
});

test('every action and target in the log has a Chinese name (GET /api/v1/public/labels)', async () => {
  const l = (await new Client(srv.url).get('/api/v1/public/labels')).body;
  for (const x of await rows('')) {
    assert.ok(l.audit_actions[x.action], `no name for action ${x.action}`);
    assert.ok(l.audit_targets[x.target_type], `no name for target ${x.target_type}`);
    for (const k of Object.keys(x.fields)) assert.ok(l.fields[k], `no name for field ${k} of ${x.action}`);
  }
  assert.equal(l.rules.floor, '生活用房楼层');
  assert.equal(l.rules.class_size, '班级人数');
});

test('verify: the chain is intact, and a changed row is found (as tuoyu audit verify)', async () => {
  let r = await auditor.get('/api/v1/audit/verify');
  assert.equal(r.status, 200, r.text);
  const all = await rows('');
  assert.deepEqual(r.body, { intact: true, rows: all[0].id, first_bad_id: null });
  assert.equal((await admin.get('/api/v1/audit/verify')).status, 403);
  const victim = all.find((x) => x.action === 'params.update').id;
  sql(`UPDATE audit_log SET fields = '{"value":"9"}' WHERE id = ${victim}`);
  r = await auditor.get('/api/v1/audit/verify');
  assert.deepEqual(r.body, { intact: false, rows: victim, first_bad_id: victim });
});
