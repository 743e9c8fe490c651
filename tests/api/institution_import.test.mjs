// institution_import.test.mjs — institutions from the file a town sends (issue 21 items 1–3): the
// template as downloaded imports as it is (preview first, then all of it, audited); the Chinese
// headings and the words people write (社会机构市场办, 民办, 是, 托大班, a town's name, yuan) become the
// codes; a GBK CSV saved by Excel and a UTF-8 CSV with its mark import the same rows; a file with
// bad rows imports nothing and names each row, the column as the file writes it, the value and
// the reason; a column written twice is refused; only the district imports; the district's
// registry exported in the template's form imports into an empty database as an equal registry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, tuoyu, PASSWORD } from '../lib/server.mjs';
import { gbkBytes, uscc } from '../lib/fixtures.mjs';
import { readSheet, unzip, writeSheet, zip } from '../lib/xlsx.mjs';

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
});
after(async () => { await srv.stop(); });

async function upload(c, bytes, query = '') {
  const form = new FormData();
  form.append('file', new Blob([bytes]), '机构.xlsx');
  const res = await fetch(`${c.url}/api/v1/institutions/import${query}`, {
    method: 'POST', headers: { cookie: c.cookie, 'X-CSRF-Token': c.csrf }, body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}
const find = async (name) => (await admin.get(`/api/v1/institutions?q=${encodeURIComponent(name)}`)).body.items;
const full = async (name) => (await admin.get(`/api/v1/institutions/${(await find(name))[0].id}`)).body;

const HEAD = ['机构名称', '统一社会信用代码', '所属镇街', '地址', '经度', '纬度', '办托模式', '举办性质', '普惠', '备案状态', '场地权属',
  '租赁起始日期', '租赁截止日期', '所在楼层', '保健观察室面积（平方米）', '窗地面积比', '卫生保健人员数', '服务时间', '联系电话', '负责人', '班型', '班级名称', '托位数', '在托人数',
  '保育人员数', '收费项目', '收费类别', '收费标准（元）', '计费单位'];
const row = (over) => HEAD.map((h) => over[h] ?? '');
const csv = (rows) => rows.map((r) => r.map((v) => (/[",]/.test(v) ? `"${v}"` : v)).join(',')).join('\r\n') + '\r\n';

test('the template imports as it is: a preview, then the institution with its classes and fees, audited', async () => {
  const res = await fetch(`${admin.url}/api/v1/institutions/import-template`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition'), /institutions-template\.xlsx/);
  const template = Buffer.from(await res.arrayBuffer());
  const sheet = readSheet(template);
  assert.deepEqual(sheet[0], HEAD, 'the headings in Chinese, in order');
  // drop-downs of the words the import understands (the district's towns among them) and the notes
  const parts = unzip(template);
  const sheet1 = parts.get('xl/worksheets/sheet1.xml').toString();
  for (const [col, word] of [['C', '娄桥街道'], ['G', '社会机构市场办'], ['H', '民办'], ['U', '托大班']])
    assert.match(sheet1, new RegExp(`sqref="${col}2:${col}1048576"><formula1>"[^"]*${word}`), `${col}: ${word}`);
  assert.match(parts.get('xl/workbook.xml').toString(), /name="填写说明"/);
  assert.match(parts.get('xl/worksheets/sheet2.xml').toString(), /同一机构的其他班级/);
  let r = await upload(admin, template, '?dry_run=1');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { dry_run: true, count: 1, items: [{ id: null, name: '瓯海区示例托育园', town_code: '330304005', classes: 2, places: 35 }] });
  assert.equal((await find('瓯海区示例托育园')).length, 0, 'a preview writes nothing');
  r = await upload(admin, template);
  assert.equal(r.status, 201, r.text);
  assert.ok(r.body.items[0].id > 0);
  const inst = await full('瓯海区示例托育园');
  assert.equal(inst.operating_model, 'market');
  assert.equal(inst.ownership, 'private');
  assert.equal(inst.inclusive, true);
  assert.equal(inst.town_code, '330304005', '娄桥街道 by its name');
  assert.deepEqual([inst.premises.health_room_m2, inst.premises.window_floor_ratio], [8, 0.2], '8 m², and 1:5 as a ratio');
  assert.deepEqual(inst.classes.map((c) => [c.class_type, c.name, c.capacity, c.enrolled, c.caregivers]),
    [['toddler_old', '托大一班', 20, 15, 3], ['toddler_young', '托小一班', 15, 10, 3]]);
  assert.deepEqual(inst.fees.map((f) => [f.item, f.category, f.amount_fen, f.unit]),
    [['保育费（全日托）', 'basic', 250000, '月'], ['伙食费', 'other', 2000, '日']]);
  const auditor = await srv.login('auditor');
  const logged = (await auditor.get('/api/v1/audit?action=institution.import')).body.items;
  assert.equal(logged[0].fields.rows, 1);
  // the same file again: its code is taken now, named on its row
  r = await upload(admin, template);
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.error.rows.map((x) => [x.row, x.field, x.value]), [[2, '统一社会信用代码', '91330304MA20000010']]);
});

test('a GBK CSV as Excel saves it and a UTF-8 CSV with its mark import the same rows', async () => {
  const a = row({ 机构名称: '编码测试甲园', 统一社会信用代码: uscc('91330304MA3000001'), 所属镇街: '330304001', 地址: '景山街道一号', 经度: '120.63', 纬度: '27.99',
    办托模式: '社区小区配套办', 举办性质: '公办', 普惠: '否', 场地权属: '自有', 班型: '乳儿班', 托位数: '10', 收费项目: '保育费', 收费类别: '基本服务费', '收费标准（元）': '1,800.5', 计费单位: '月',
    '保健观察室面积（平方米）': '7.5', 窗地面积比: '22%' });
  const b = row({ ...Object.fromEntries(HEAD.map((h, i) => [h, a[i]])), 机构名称: '编码测试乙园', 统一社会信用代码: uscc('91330304MA3000002') });
  let r = await upload(admin, gbkBytes(csv([HEAD, a])));
  assert.equal(r.status, 201, r.text);
  r = await upload(admin, Buffer.from('\ufeff' + csv([HEAD, b])));
  assert.equal(r.status, 201, r.text);
  const [x, y] = [await full('编码测试甲园'), await full('编码测试乙园')];
  for (const k of ['town_code', 'address', 'operating_model', 'ownership', 'inclusive', 'classes', 'fees'])
    assert.deepEqual(k === 'classes' ? x[k].map(({ id, ...c }) => c) : x[k], k === 'classes' ? y[k].map(({ id, ...c }) => c) : y[k], k);
  assert.equal(x.operating_model, 'community');
  assert.equal(x.ownership, 'public');
  assert.equal(x.fees[0].amount_fen, 180050);
  assert.deepEqual([x.premises.health_room_m2, x.premises.window_floor_ratio], [7.5, 0.22]);
});

test('bad rows: nothing imported, each named by row, column as written, value and reason', async () => {
  const good = { 机构名称: '坏行测试园', 统一社会信用代码: uscc('91330304MA3000003'), 所属镇街: '景山街道', 地址: '某路', 经度: '120.63', 纬度: '27.99',
    办托模式: '社会机构市场办', 举办性质: '民办', 普惠: '是', 场地权属: '自有', 班型: '托大班', 托位数: '20' };
  const rows = [HEAD,
    row(good),
    row({ 班型: '托小班', 托位数: '500' }),                       // continuation: capacity out of range
    row({ ...good, 机构名称: '坏行测试二园', 统一社会信用代码: uscc('91330304MA3000004'), 所属镇街: '火星街道', 普惠: '也许' }),
    row({ ...good, 机构名称: '坏行测试三园', 统一社会信用代码: uscc('91330304MA3000005'), 收费项目: '伙食费', 收费类别: '其他', '收费标准（元）': '12.345', 计费单位: '日' }),
    row({ ...good, 机构名称: '坏行测试四园' }),                  // the first one's code again
    row({ ...good, 机构名称: '坏行测试五园', 统一社会信用代码: uscc('91330304MA3000006'), '保健观察室面积（平方米）': '六', 窗地面积比: '1比5' }),
    row({ ...good, 机构名称: '坏行测试六园', 统一社会信用代码: uscc('91330304MA3000007'), 窗地面积比: '150%' }),
  ];
  const r = await upload(admin, writeSheet(rows));
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'import_rows');
  assert.equal(r.body.error.field, 'file');
  assert.equal(r.body.error.message, `导入文件有 ${r.body.error.rows.length} 处错误，未导入任何机构，请改正后重新导入`);
  assert.deepEqual(r.body.error.rows.map((x) => [x.row, x.field, x.value, x.code]), [
    [3, '托位数', '500', 'out_of_range'],
    [4, '所属镇街', '火星街道', 'unknown_town'],
    [4, '普惠', '也许', 'bad_boolean'],
    [5, '收费标准（元）', '12.345', 'bad_amount'],
    [6, '统一社会信用代码', good.统一社会信用代码, 'duplicate_uscc'],
    [7, '保健观察室面积（平方米）', '六', 'not_a_number'],
    [7, '窗地面积比', '1比5', 'not_a_ratio'],
    [8, '窗地面积比', '150%', 'out_of_range'],
  ], 'in the order of the file');
  for (const x of r.body.error.rows) assert.match(x.reason, /[\u4e00-\u9fff]/, 'the reason in Chinese');
  // the report: the same rows, the cells at fault marked, each row's faults beside it
  const form = new FormData();
  form.append('file', new Blob([writeSheet(rows)]), '机构.xlsx');
  const rep = await fetch(`${admin.url}/api/v1/institutions/import-report`, { method: 'POST', headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.csrf }, body: form });
  assert.equal(rep.status, 200);
  const book = Buffer.from(await rep.arrayBuffer());
  const report = readSheet(book);
  assert.deepEqual(report[0], [...HEAD, '错误说明']);
  assert.equal(report.length, rows.length, 'every row of the file');
  assert.match(report[2][HEAD.length], /^托位数：/, 'row 3: its fault');
  assert.match(report[3][HEAD.length], /所属镇街：.*；普惠：/, 'row 4: both faults');
  assert.equal(report[1][HEAD.length] ?? '', '', 'row 2 is right');
  // the marked cells carry a style of their own: 托位数 of row 3 (W3), not of row 2 (W2)
  const cellStyle = (xml, ref) => (new RegExp(`<c r="${ref}"[^>]*? s="(\\d+)"`).exec(xml) || [])[1];
  const xml = unzip(book).get('xl/worksheets/sheet1.xml').toString();
  assert.ok(cellStyle(xml, 'W3'), 'W3 is marked');
  assert.notEqual(cellStyle(xml, 'W3'), cellStyle(xml, 'W2'));
  for (const n of ['坏行测试园', '坏行测试三园']) assert.equal((await find(n)).length, 0, `${n}: nothing written`);
  // English keys are reported as the file writes them
  const en = await upload(admin, Buffer.from('name,uscc,town_code,address,lon,lat,operating_model,ownership,premises_tenure\n英文园,X,330304001,路,200,27.9,market,private,owned\n'));
  assert.equal(en.status, 422);
  assert.deepEqual(en.body.error.rows.map((x) => x.field), ['uscc']);
});

test('a column twice or missing is refused whole; only the district imports', async () => {
  let r = await upload(admin, Buffer.from(csv([[...HEAD, '托位数'], row({ 机构名称: 'x' })])));
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'duplicate_column');
  assert.match(r.body.error.message, /列「托位数」出现了两次/);
  r = await upload(admin, Buffer.from(csv([HEAD.filter((h) => h !== '经度'), ['x']])));
  assert.equal(r.body.error.code, 'missing_column');
  assert.match(r.body.error.message, /经度/);
  r = await upload(admin, Buffer.from('\ufeff机构名称\r\n', 'utf16le'));
  assert.equal(r.body.error.code, 'utf16_file', 'a UTF-16 file: what to save it as instead');
  const town = await srv.login('town-330304001');
  r = await upload(town, Buffer.from(csv([HEAD])));
  assert.equal(r.status, 403);
});

test('round trip: the registry exported imports into an empty database as the same registry', async () => {
  const res = await fetch(`${admin.url}/api/v1/institutions/export`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200, res.status === 200 ? '' : await res.clone().text());
  const file = Buffer.from(await res.arrayBuffer());
  const sheet = readSheet(file);
  assert.deepEqual(sheet[0], HEAD);
  const empty = freshDatabase({ demo: false });
  const path = `${empty.dir}/registry.xlsx`;
  (await import('node:fs')).writeFileSync(path, file);
  let r = tuoyu(['import', 'institutions', path, ...empty.args]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  r = tuoyu(['user', 'add', 'admin2', '--role', 'district_admin', '--name', '导入核对', '--password', PASSWORD, ...empty.args]);
  assert.equal(r.status, 0, r.stderr);
  const copy = await startServer({ database: empty, extraArgs: ['--staff-totp', 'optional'] });
  try {
    const admin2 = await copy.login('admin2');
    const records = async (c) => {
      const list = (await c.get('/api/v1/institutions?limit=500')).body.items;
      const out = [];
      for (const x of list.sort((a, b) => a.uscc.localeCompare(b.uscc))) {
        const { id, updated_at, star_level, service_types, profit, inclusive_since, inclusive_basis, demonstration, ...rest } =
          (await c.get(`/api/v1/institutions/${x.id}`)).body;
        out.push({ ...rest, classes: rest.classes.map(({ id: classId, ...cl }) => cl) });
      }
      return out;
    };
    const [before, after] = [await records(admin), await records(admin2)];
    assert.ok(before.length >= 100);
    assert.equal(after.length, before.length);
    assert.deepEqual(after, before);
  } finally {
    await copy.stop();
  }
  const auditor = await srv.login('auditor');
  assert.equal((await auditor.get('/api/v1/audit?action=institution.export')).body.items[0].fields.rows, sheet.length - 1);
});

// a workbook around a worksheet's XML as a spreadsheet program writes it (formulas, merged cells)
function workbook(sheetXml) {
  const base = unzip(writeSheet([['x']]));
  const members = {};
  for (const [name, data] of base) members[name] = data.toString();
  members['xl/worksheets/sheet1.xml'] = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${sheetXml}</worksheet>`;
  return zip(members);
}
const inline = (ref, text) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

test('awkward workbooks: a formula gives its cached value, a merged heading reads, a cut or empty file is named', async () => {
  const col = (i) => (i >= 26 ? String.fromCharCode(64 + Math.floor(i / 26)) : '') + String.fromCharCode(65 + (i % 26));
  const values = { 机构名称: '公式测试园', 统一社会信用代码: uscc('91330304MA3000009'), 所属镇街: '景山街道', 地址: '某路9号', 经度: '120.63', 纬度: '27.99',
    办托模式: '社会机构市场办', 举办性质: '民办', 场地权属: '自有', 班型: '托大班' };
  // a title merged across the first row above the heading, and 托位数 as a formula (=10*2) with its cached value
  const head = `<row r="2">${HEAD.map((h, i) => inline(`${col(i)}2`, h)).join('')}</row>`;
  const cells = HEAD.map((h, i) => (h === '托位数' ? `<c r="${col(i)}3"><f>10*2</f><v>20</v></c>` : values[h] ? inline(`${col(i)}3`, values[h]) : '')).join('');
  const xml = `<sheetData><row r="1">${inline('A1', '瓯海区托育机构导入表')}</row>${head}<row r="3">${cells}</row></sheetData><mergeCells count="1"><mergeCell ref="A1:H1"/></mergeCells>`;
  let r = await upload(admin, workbook(xml), '?dry_run=1');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.items[0].places, 20, 'the cached value of the formula, never evaluated');
  const good = workbook(xml);
  r = await upload(admin, good.subarray(0, Math.floor(good.length / 2)));
  assert.deepEqual([r.status, r.body.error.code, r.body.error.field], [422, 'bad_xlsx', 'file']);
  r = await upload(admin, workbook('<sheetData/>'));
  assert.deepEqual([r.status, r.body.error.code], [422, 'missing_column']);
  assert.equal((await find('公式测试园')).length, 0, 'nothing written');
});
