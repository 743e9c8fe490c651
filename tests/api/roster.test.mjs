// roster.test.mjs — an institution's children roster from a file (issue 21 item 3): the template
// as downloaded; a GBK CSV of children in Chinese (男/女, a town by name, a class by its name)
// registers and places them all, audited; a file with bad rows registers nobody and names each
// row, column and reason; a child already registered is named on its row; only the institution's
// operator imports into it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { gbkBytes, residentId } from '../lib/fixtures.mjs';
import { readSheet } from '../lib/xlsx.mjs';

let srv, admin, op, inst, klass, other;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
  const [a, b] = (await admin.get('/api/v1/institutions?town=330304005&limit=2')).body.items;
  inst = (await admin.get(`/api/v1/institutions/${a.id}`)).body;
  klass = inst.classes[0];
  op = await srv.login(`inst-${a.id}`);
  other = await srv.login(`inst-${b.id}`);
});
after(async () => { await srv.stop(); });

async function upload(c, instId, bytes) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), '名单.csv');
  const res = await fetch(`${c.url}/api/v1/institutions/${instId}/children/import`, { method: 'POST', headers: { cookie: c.cookie, 'X-CSRF-Token': c.csrf }, body: form });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}
const HEAD = '姓名,性别,出生日期,身份证号,出生医学证明编号,户籍镇街,班级,入班日期\r\n';

test('a roster in GBK registers and places every child; bad rows register nobody', async () => {
  const res = await fetch(`${op.url}/api/v1/children/import-template`, { headers: { cookie: op.cookie } });
  assert.equal(res.status, 200);
  assert.deepEqual(readSheet(Buffer.from(await res.arrayBuffer()))[0], HEAD.trim().split(','));
  const id1 = residentId('2024-03-08', '021'), count = async () => (await op.get('/api/v1/children?limit=500')).body.items.length;
  const before = await count();
  const bad = HEAD + `林一一,男,2024-03-08,${id1},,娄桥街道,${klass.name},2026-03-01\r\n` +
    `林二二,未知,2024-04-09,,Q330000001,,,\r\n` + `林三三,女,2024-05-10,,Q330000002,,小熊班,\r\n` + `林四四,女,2031-01-01,,Q330000003,,,\r\n`;
  let r = await upload(op, inst.id, gbkBytes(bad));
  assert.equal(r.status, 422, r.text);
  assert.deepEqual([r.body.error.code, r.body.error.field, r.body.error.message],
    ['import_rows', 'file', '导入文件有 3 处错误，未导入任何婴幼儿，请改正后重新导入']);
  assert.deepEqual(r.body.error.rows.map((x) => [x.row, x.field, x.code]), [[3, '性别', 'bad_sex'], [4, '班级', 'unknown_class'], [5, '出生日期', 'future_date']]);
  assert.equal(await count(), before, 'nobody registered');
  const good = HEAD + `林一一,男,2024-03-08,${id1},,娄桥街道,${klass.name},2026-03-01\r\n` + `林二二,女,2024-04-09,,Q330000001,,,\r\n`;
  r = await upload(op, inst.id, gbkBytes(good));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.imported, 2);
  assert.equal(await count(), before + 2);
  const placed = r.body.items.find((x) => x.class_id);
  const care = (await op.get(`/api/v1/children/${placed.id}/care`)).body;
  assert.equal(care.placement.class_id, klass.id);
  assert.equal(care.placement.start_date, '2026-03-01');
  const kid = (await op.get(`/api/v1/children/${placed.id}`)).body;
  assert.deepEqual([kid.name, kid.sex, kid.hukou_town], ['林一一', 1, '330304005']);
  const auditor = await srv.login('auditor');
  assert.equal((await auditor.get('/api/v1/audit?action=child.import')).body.items[0].fields.rows, 2);
  // the same child again: named on its row and column, nobody registered
  r = await upload(op, inst.id, Buffer.from('\ufeff' + HEAD + `林一一,男,2024-03-08,${id1},,,,\r\n`));
  assert.deepEqual(r.body.error.rows.map((x) => [x.row, x.field, x.code]), [[2, '身份证号', 'child_exists']]);
  // another institution's operator may not import into this one
  assert.equal((await upload(other, inst.id, Buffer.from(good))).status, 404);
});
