// staff.test.mjs — the staff registry over HTTP (issue 14): people sealed and masked, ID numbers
// checked (GB 11643), certificates that fit the role and expire after they are issued, classes of
// the same institution, one person full time in one institution only (409 naming the other by
// masked name), nothing written on bad input; the registry's caregiver ratio read from the
// caregivers assigned and on duty; certificate findings with their basis; the expiring list for
// the town and the district.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { gbkBytes, residentId, uscc } from '../lib/fixtures.mjs';
import { readSheet, unzip, writeSheet } from '../lib/xlsx.mjs';

const TOWN = '330304002';   // 梧田街道
let srv, admin, sec, town, otherTown, instA, instB, opA, opB, classA, classB;

async function institution(name, n, enrolled) {
  const r = await admin.post('/api/v1/institutions', {
    name, uscc: uscc(`91330304MA3${String(n).padStart(6, '0')}`), town_code: TOWN,
    address: '梧田街道人员路1号', lon: 120.683, lat: 27.962, operating_model: 'market', ownership: 'private', status: 'filed',
    premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 20, enrolled, caregivers: 5 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  assert.equal(r.status, 201, r.text);
  const u = await sec.post('/api/v1/users', { login: `op-staff-${r.body.id}`, name: '机构管理员', role: 'institution_operator', institution_id: r.body.id, password: srv.password });
  assert.equal(u.status, 201, u.text);
  return { id: r.body.id, classId: r.body.classes[0].id, op: await srv.login(`op-staff-${r.body.id}`) };
}

before(async () => {
  srv = await startServer({ now: '2026-06-01T02:00:00Z' });
  admin = await srv.login('district-admin');
  sec = await srv.login('security-admin');
  town = await srv.login(`town-${TOWN}`);
  otherTown = await srv.login('town-330304001');
  ({ id: instA, classId: classA, op: opA } = await institution('人员测试托育园', 1, 14));
  ({ id: instB, classId: classB, op: opB } = await institution('梧田第二人员测试园', 2, 0));
});
after(async () => { await srv.stop(); });

const caregiver = (id, extra = {}) => ({
  name: '林晓燕', id_number: id, role: 'caregiver', employment: 'full_time', start_date: '2024-09-01',
  health_cert_date: '2026-03-01', no_crime_cert_date: '2024-08-20', class_ids: [],
  certificates: [{ kind: 'childcare_worker', grade: 4, number: 'BYS-2024-0001', issuer: '温州市人力资源和社会保障局', issue_date: '2024-06-30', expiry_date: '2029-06-29' }],
  ...extra,
});

const roster = async (op, inst) => (await op.get(`/api/v1/institutions/${inst}/staff`)).body.items;
const findings = async (inst) => (await admin.get(`/api/v1/institutions/${inst}/findings`)).body.items;

test('an operator registers a caregiver: ID checked, sealed, masked for the town and district unless asked for and allowed; reads audited', async () => {
  const id = residentId('1992-04-18', '024');
  const r = await opA.post(`/api/v1/institutions/${instA}/staff`, caregiver(id, { class_ids: [classA] }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.name, '林晓燕');
  assert.equal(r.body.id_masked, `330304********${id.slice(14)}`);
  assert.equal(r.body.health_cert_expiry, '2027-02-28', 'a health check holds 12 months (staff.health_check_interval_months)');
  assert.deepEqual(r.body.class_ids, [classA]);
  assert.equal(r.body.certificates[0].kind_name, '保育师');
  assert.ok(!JSON.stringify(r.body).includes(id), 'the full ID number never leaves the server');
  const staffId = r.body.id;
  // the operator reads its own roster in full when it asks; the town masked by default
  assert.equal((await opA.get(`/api/v1/institutions/${instA}/staff?full=1`)).body.items[0].name, '林晓燕');
  const masked = await town.get(`/api/v1/institutions/${instA}/staff`);
  assert.equal(masked.status, 200);
  assert.equal(masked.body.items[0].name, '林*燕');
  assert.equal((await town.get(`/api/v1/staff/${staffId}?full=1`)).body.name, '林晓燕', 'the town may ask for the full name');
  // another town does not see it at all, nor does another institution
  assert.equal((await otherTown.get(`/api/v1/staff/${staffId}`)).status, 404);
  assert.equal((await opB.get(`/api/v1/staff/${staffId}`)).status, 404);
  assert.equal((await opB.post(`/api/v1/institutions/${instA}/staff`, caregiver(residentId('1990-01-01', '013')))).status, 404);
  assert.equal((await town.post(`/api/v1/institutions/${instA}/staff`, caregiver(residentId('1990-01-01', '013')))).status, 403);
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?limit=50')).body.items;
  const read = log.find((x) => x.action === 'staff.read' && x.target_id === String(staffId));
  assert.ok(read, 'the unmasked read is audited');
  assert.equal(read.fields.full_name, true);
  assert.ok(log.some((x) => x.action === 'staff.list' && x.login === `town-${TOWN}` && x.fields.full_name === false));
  const created = log.find((x) => x.action === 'staff.create' && x.target_id === String(staffId));
  assert.equal(created.fields.id_number, `330304********${id.slice(14)}`, 'audit rows hold the masked number');
  assert.equal(created.fields.name, '林*燕');
});

test('bad input names the field, and nothing is written', async () => {
  const before = (await roster(opB, instB)).length;
  const good = residentId('1988-11-02', '035');
  const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  const cases = [
    [caregiver(bad), 'id_number', 'id_checksum'],
    [caregiver(good, { certificates: [{ kind: 'infant_carer', grade: 3, number: 'YYY-1', issuer: '温州市人社局', issue_date: '2025-01-10', expiry_date: '2024-12-31' }] }), 'certificates[0].expiry_date', 'expiry_before_issue'],
    [caregiver(good, { certificates: [{ kind: 'nurse', number: 'HS-1', issuer: '浙江省卫健委', issue_date: '2020-01-10' }] }), 'certificates[0].kind', 'cert_role_mismatch'],
    [caregiver(good, { role: 'security', certificates: [], class_ids: [classB] }), 'class_ids', 'class_for_caregiver'],
    [caregiver(good, { class_ids: [classA] }), 'class_ids[0]', 'class_other_institution'],
    [caregiver(good, { end_date: '2024-01-01' }), 'end_date', 'end_before_start'],
    [caregiver(good, { health_cert_date: '2026-07-01' }), 'health_cert_date', 'future_date'],
  ];
  for (const [body, field, code] of cases) {
    const r = await opB.post(`/api/v1/institutions/${instB}/staff`, body);
    assert.equal(r.status, 422, `${code}: ${r.text}`);
    assert.equal(r.body.error.field, field, r.text);
    assert.equal(r.body.error.code, code, r.text);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  assert.equal((await roster(opB, instB)).length, before, 'nothing written');
});

test('one person cannot be full time in two institutions: 409 naming the other by masked name; part time is allowed', async () => {
  const id = residentId('1985-07-07', '051');
  let r = await opA.post(`/api/v1/institutions/${instA}/staff`, caregiver(id, { name: '周建华', role: 'cook', certificates: [] }));
  assert.equal(r.status, 201, r.text);
  const before = (await roster(opB, instB)).length;
  r = await opB.post(`/api/v1/institutions/${instB}/staff`, caregiver(id, { name: '周建华', role: 'cook', certificates: [] }));
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.error.code, 'full_time_elsewhere');
  assert.ok(r.body.error.message.includes('人*****园'), r.body.error.message);
  assert.ok(!r.body.error.message.includes('人员测试托育园'), 'the other institution is named masked');
  assert.equal((await roster(opB, instB)).length, before, 'nothing written');
  r = await opB.post(`/api/v1/institutions/${instB}/staff`, caregiver(id, { name: '周建华', role: 'cook', employment: 'part_time', certificates: [] }));
  assert.equal(r.status, 201, 'part time beside a full-time post elsewhere is allowed');
  // the same person twice in one institution
  r = await opB.post(`/api/v1/institutions/${instB}/staff`, caregiver(id, { name: '周建华', role: 'cook', employment: 'part_time', certificates: [] }));
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'staff_exists');
  // turning the part-time post into a full-time one is refused the same way
  const partTimer = (await roster(opB, instB)).find((s) => s.role === 'cook');
  const put = await opB.put(`/api/v1/staff/${partTimer.id}`, caregiver(undefined, { name: '周建华', role: 'cook', certificates: [] }));
  assert.equal(put.status, 409, put.text);
  assert.equal(put.body.error.code, 'full_time_elsewhere');
});

test('two institutions racing to make one person full time: exactly one wins, the other gets 409', async () => {
  for (let round = 0; round < 5; round++) {
    const id = residentId('1989-02-02', String(201 + 2 * round));
    const body = caregiver(id, { name: '郑一鸣', role: 'cook', certificates: [] });
    const [a, b] = await Promise.all([
      opA.post(`/api/v1/institutions/${instA}/staff`, body),
      opB.post(`/api/v1/institutions/${instB}/staff`, body),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [201, 409], `${a.text} ${b.text}`);
    const lost = a.status === 409 ? a : b;
    assert.equal(lost.body.error.code, 'full_time_elsewhere');
  }
});

test('the caregiver ratio follows the caregivers assigned and on duty: one leaves, the finding appears', async () => {
  // 托大班 1:7 — 14 children need two caregivers; the first test assigned one
  let f = await findings(instA);
  let ratio = f.find((x) => x.rule === 'caregiver_ratio');
  assert.ok(ratio, JSON.stringify(f));
  assert.match(ratio.message, /保育人员 1 名/);
  const second = await opA.post(`/api/v1/institutions/${instA}/staff`, caregiver(residentId('1995-02-14', '046'), { name: '陈思思', class_ids: [classA] }));
  assert.equal(second.status, 201, second.text);
  f = await findings(instA);
  assert.ok(!f.some((x) => x.rule === 'caregiver_ratio'), JSON.stringify(f));
  // she leaves at the end of May: off duty on 2026-06-01, the ratio is broken again
  const s = second.body;
  const put = await opA.put(`/api/v1/staff/${s.id}`, { ...caregiver(undefined, { name: '陈思思', class_ids: [classA] }), id_number: undefined, end_date: '2026-05-31' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.on_duty, false);
  f = await findings(instA);
  assert.ok(f.some((x) => x.rule === 'caregiver_ratio' && x.class_id === classA), JSON.stringify(f));
});

test('a lapsed health certificate is a finding naming the person with its basis, and is on the town\'s and the district\'s lists', async () => {
  const r = await opA.post(`/api/v1/institutions/${instA}/staff`, caregiver(residentId('1979-12-01', '028'), {
    name: '王丽华', role: 'health', health_cert_date: '2025-05-10', class_ids: [],
    certificates: [{ kind: 'nurse', number: 'HS-2015-88', issuer: '浙江省卫生健康委员会', issue_date: '2015-06-01', expiry_date: '2026-06-20' }],
  }));
  assert.equal(r.status, 201, r.text);
  const f = await findings(instA);
  const lapsed = f.find((x) => x.rule === 'health_cert_lapsed' && x.staff_id === r.body.id);
  assert.ok(lapsed, JSON.stringify(f));
  assert.match(lapsed.message, /王\*华/);
  assert.ok(!lapsed.message.includes('王丽华'), 'findings name people masked');
  assert.match(lapsed.basis, /第二十八条/);
  const expiring = f.find((x) => x.rule === 'certificate_expiring' && x.staff_id === r.body.id);
  assert.ok(expiring, 'the nurse licence expires within 30 days');
  assert.match(expiring.message, /护士执业证书（HS-2015-88）/);
  // no director on duty is a finding too
  assert.ok(f.some((x) => x.rule === 'director_missing'));
  // the operator is told at once: the health certificate has lapsed, the licence expires within 30 days
  const told = async () => (await opA.get('/api/v1/inbox?limit=100')).body.items.filter((m) => m.ref_type === 'staff' && m.ref_id === r.body.id);
  let inbox = await told();
  assert.deepEqual(inbox.map((m) => m.kind).sort(), ['staff.cert_expiring', 'staff.cert_lapsed'], JSON.stringify(inbox));
  assert.ok(inbox.some((m) => m.kind === 'staff.cert_lapsed' && m.body.includes('王*华') && m.body.includes('健康证明')));
  assert.ok(inbox.some((m) => m.kind === 'staff.cert_expiring' && m.body.includes('HS-2015-88')));
  // saving the record again unchanged tells nobody twice
  const again = await opA.put(`/api/v1/staff/${r.body.id}`, { ...r.body, id_number: undefined });
  assert.equal(again.status, 200, again.text);
  assert.equal((await told()).length, 2);
  for (const who of [admin, town]) {
    const list = await who.get('/api/v1/staff/expiring');
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.until, '2026-07-01');
    const mine = list.body.items.filter((x) => x.staff_id === r.body.id);
    assert.deepEqual(mine.map((x) => [x.kind, x.lapsed]), [['health', true], ['nurse', false]]);
    assert.equal(mine[0].name, '王*华');
  }
  assert.ok((await otherTown.get('/api/v1/staff/expiring')).body.items.every((x) => x.town_code === '330304001'));
  assert.ok((await opB.get('/api/v1/staff/expiring')).body.items.every((x) => x.institution_id === instB));
  // the district's findings across institutions carry the same rows
  // (of the rule: the district's list passes 500 rows, and the new institution comes last)
  const all = await admin.get('/api/v1/findings?rule=health_cert_lapsed&limit=500');
  assert.equal(all.status, 200, all.text);
  assert.ok(all.body.items.some((x) => x.institution_id === instA && x.rule === 'health_cert_lapsed' && x.staff_id === r.body.id));
  const mineTown = (await town.get('/api/v1/findings?limit=500')).body.items;
  assert.ok(mineTown.length && mineTown.every((x) => x.town_code === TOWN));
  assert.equal((await opA.get('/api/v1/findings')).status, 403);
});

/** The .xlsx the client gets from path: its rows of cell texts. */
async function workbook(c, path) {
  const res = await fetch(`${c.url}${path}`, { headers: { cookie: c.cookie } });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="staff-2026-06-01\.xlsx"/);
  return readSheet(Buffer.from(await res.arrayBuffer()));
}

test('export: a real .xlsx of the staff in reach, names masked unless asked for and allowed, the export audited', async () => {
  const mine = await roster(opA, instA);
  const rows = await workbook(opA, `/api/v1/staff/export?institution_id=${instA}&full=1`);
  assert.deepEqual(rows[0].slice(0, 4), ['编号', '机构', '姓名', '身份证号（打码）']);
  assert.equal(rows.length - 1, mine.length, 'one row per person');
  const lin = rows.find((r) => r[2] === '林晓燕');
  assert.ok(lin, JSON.stringify(rows));
  assert.equal(lin[1], '人员测试托育园');
  assert.match(lin[3], /^330304\*{8}/);
  assert.match(lin[12], /保育师 四级 BYS-2024-0001/);
  // the town gets its town's staff masked unless it asks; another institution's operator only its own
  const townRows = await workbook(town, '/api/v1/staff/export');
  assert.ok(townRows.some((r) => r[2] === '林*燕'));
  assert.ok(!townRows.some((r) => r[2] === '林晓燕'));
  assert.ok(townRows.slice(1).every((r) => r[1] !== '' ), 'every row names its institution');
  const otherRows = await workbook(opB, '/api/v1/staff/export');
  assert.ok(otherRows.slice(1).every((r) => r[1] === '梧田第二人员测试园'), JSON.stringify(otherRows));
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?action=staff.export&limit=10')).body.items;
  assert.ok(log.some((x) => x.login === `op-staff-${instA}` && x.fields.rows === mine.length && x.fields.full_name === mine.length));
  assert.ok(log.some((x) => x.login === `town-${TOWN}` && x.fields.full_name === 0));
});

/** POST raw bytes to path as c. */
async function postBytes(c, path, bytes, type) {
  const res = await fetch(`${c.url}${path}`, { method: 'POST', headers: { cookie: c.cookie, 'X-CSRF-Token': c.csrf, 'content-type': type }, body: bytes });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}

const HEAD = ['姓名', '身份证号', '岗位', '用工形式', '入职日期', '离职日期', '所带班级', '健康证明日期', '无犯罪记录证明日期', '证书类型', '技能等级', '证书编号', '发证机关', '发证日期', '有效期至'];
const csv = (rows) => '\ufeff' + rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(',')).join('\r\n') + '\r\n';

test('import from CSV: all or nothing, every broken row named by row, column, value and reason', async () => {
  const before = (await roster(opB, instB)).length;
  const good1 = residentId('1991-03-03', '062'), good2 = residentId('1987-10-10', '071');
  const bad = good1.slice(0, 17) + (good1[17] === '1' ? '2' : '1');
  const broken = csv([
    HEAD,
    ['赵敏', good1, '保育人员', '全职', '2025-09-01', '', '托大一班', '2026-02-01', '2025-08-01', '育婴员', '三级', 'YY-77', '温州市人社局', '2025-01-10', '2030-01-09'],
    ['钱多多', bad, '炊事人员', '全职', '2025/9/1', '', '', '', '', '', '', '', '', '', ''],
    ['孙丽', good2, '保安人员', '兼职', '2025-13-01', '', '', '', '', '', '', '', '', '', ''],
    ['李华', residentId('1993-06-06', '082'), '保育人员', '全职', '2025-09-01', '', '小熊班', '', '', '', '', '', '', '', ''],
    ['周一', residentId('1994-06-06', '091'), '保安人员', '兼职', '2025-09-01', '', '', '', '', '护士执业证书', '', 'HS-1', '浙江省卫健委', '2020-01-01', ''],
  ]);
  let r = await postBytes(opB, `/api/v1/institutions/${instB}/staff/import`, Buffer.from(broken), 'text/csv');
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'import_rows');
  assert.deepEqual([r.body.error.field, r.body.error.message], ['file', '导入文件有 4 处错误，未导入任何人员，请改正后重新导入']);
  assert.deepEqual(r.body.error.rows.map((x) => [x.row, x.field, x.code]), [
    [3, '身份证号', 'id_checksum'], [4, '入职日期', 'bad_date'], [5, '所带班级', 'unknown_class'], [6, '证书类型', 'cert_role_mismatch'],
  ]);
  assert.equal(r.body.error.rows[0].value, bad);
  assert.equal(r.body.error.rows[2].value, '小熊班');
  assert.match(r.body.error.rows[0].reason, /校验位/);
  assert.equal((await roster(opB, instB)).length, before, 'nothing written');
  // a UTF-8 heading over a row typed in GBK: a file of two encodings, refused whole, naming the lines
  const mixed = Buffer.concat([Buffer.from(`${HEAD.slice(0, 5).join(',')}\r\n`), gbkBytes(`张三,${good1},保育人员,全职,2025-09-01\r\n`)]);
  r = await postBytes(opB, `/api/v1/institutions/${instB}/staff/import`, mixed, 'text/csv');
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'mixed_encoding');
  assert.match(r.body.error.message, /第 1 行是 UTF-8 中文，第 2 行不是/);
  assert.equal((await roster(opB, instB)).length, before, 'nothing written');
  // the good rows alone go in — saved by Excel on Chinese Windows, in GBK; a second row with the
  // same ID number adds a certificate
  const good = csv([
    HEAD,
    ['赵敏', good1, '保育人员', '全职', '2025/9/1', '', '托大一班', '2026-02-01', '2025-08-01', '育婴员', '三级', 'YY-77', '温州市人社局', '2025-01-10', '2030-01-09'],
    ['赵敏', good1, '', '', '', '', '', '', '', '教师资格证', '', 'JS-88', '温州市教育局', '2019-07-01', ''],
    ['孙丽', good2, '保安人员', '兼职', '2025-10-01', '', '', '2026-01-15', '2025-09-20', '保安员证', '', 'BA-5', '温州市公安局', '2018-05-05', ''],
  ]);
  r = await postBytes(opB, `/api/v1/institutions/${instB}/staff/import`, gbkBytes(good.replace(/^\uFEFF/, '')), 'text/csv');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.imported, 2);
  const zhao = (await opB.get(`/api/v1/institutions/${instB}/staff?full=1`)).body.items.find((x) => x.name === '赵敏');
  assert.ok(zhao);
  assert.equal(zhao.start_date, '2025-09-01');
  assert.deepEqual(zhao.class_ids, [classB]);
  assert.deepEqual(zhao.certificates.map((c) => [c.kind, c.grade]), [['infant_carer', 3], ['teacher', null]]);
  const auditor = await srv.login('auditor');
  assert.ok((await auditor.get('/api/v1/audit?action=staff.import&limit=5')).body.items.some((x) => x.target_id === String(instB) && x.fields.count === 2));
});

test('import from .xlsx: the template\'s columns, date cells as serial numbers; a person full time elsewhere refuses the whole file', async () => {
  // the template itself reads back with its columns and an example row
  const res = await fetch(`${opB.url}/api/v1/staff/import-template`, { headers: { cookie: opB.cookie } });
  assert.equal(res.status, 200);
  const templateBytes = Buffer.from(await res.arrayBuffer());
  const template = readSheet(templateBytes);
  assert.deepEqual(template[0], HEAD);
  assert.equal(template.length, 2);
  // the ID number column (B) is formatted as text, so an 18-digit number typed into Excel keeps its digits
  const zip = unzip(templateBytes);
  // drop-downs of the roles (C), employment (D), certificate kinds (J) and grades (K), and the notes
  const sheet1 = zip.get('xl/worksheets/sheet1.xml').toString();
  for (const [col, word] of [['C', '保育人员'], ['D', '兼职'], ['J', '保育师'], ['K', '五级']])
    assert.match(sheet1, new RegExp(`sqref="${col}2:${col}1048576"><formula1>"[^"]*${word}`), `${col}: ${word}`);
  assert.match(zip.get('xl/worksheets/sheet2.xml').toString(), /同一人有多张证书/);
  const style = Number(zip.get('xl/worksheets/sheet1.xml').toString().match(/<col min="2" max="2"[^>]* style="(\d+)"/)[1]);
  const styles = zip.get('xl/styles.xml').toString();
  const fmt = [...styles.match(/<cellXfs[^>]*>(.*?)<\/cellXfs>/)[1].matchAll(/<xf [^>]*numFmtId="(\d+)"/g)][style][1];
  assert.ok(fmt === '49' || new RegExp(`<numFmt numFmtId="${fmt}" formatCode="@"`).test(styles), `column B's number format ${fmt} is text`);
  const before = (await roster(opB, instB)).length;
  const fullTimeAtA = (await roster(opA, instA)).length;
  const lin = residentId('1992-04-18', '024'); // 林晓燕, full time at institution A (the first test)
  const newcomer = residentId('1996-01-20', '102');
  // 2026-03-01 is the spreadsheet serial 46082
  const rows = [HEAD,
    ['吴芳', newcomer, '保健人员', '全职', '2025-11-01', '', '', 46082, '2025-10-01', '卫生保健培训合格证明', '', 'WB-3', '瓯海区妇幼保健院', '2025-10-20', ''],
    ['林晓燕', lin, '炊事人员', '全职', '2025-11-01', '', '', '', '', '', '', '', '', '', ''],
  ];
  let r = await postBytes(opB, `/api/v1/institutions/${instB}/staff/import`, writeSheet(rows), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.body.error.rows.map((x) => [x.row, x.code]), [[3, 'full_time_elsewhere']]);
  assert.equal((await roster(opB, instB)).length, before, 'nothing written, not even the good row');
  r = await postBytes(opB, `/api/v1/institutions/${instB}/staff/import`, writeSheet(rows.slice(0, 2)), 'application/octet-stream');
  assert.equal(r.status, 201, r.text);
  const wu = r.body.items[0];
  assert.equal(wu.health_cert_date, '2026-03-01');
  assert.equal(wu.certificates[0].kind, 'health_training');
  assert.equal((await roster(opB, instB)).length, before + 1);
  assert.equal((await roster(opA, instA)).length, fullTimeAtA);
  // the template as downloaded (written by libxlsxwriter: deflated, shared strings) imports its example
  r = await postBytes(opB, `/api/v1/institutions/${instB}/staff/import`, Buffer.from(await (await fetch(`${opB.url}/api/v1/staff/import-template`, { headers: { cookie: opB.cookie } })).arrayBuffer()), 'application/octet-stream');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.items[0].name, '林晓燕');
  assert.deepEqual(r.body.items[0].class_ids, [classB]);
  // a file that is neither
  r = await postBytes(opB, `/api/v1/institutions/${instB}/staff/import`, Buffer.from('PK\x03\x04garbage'), 'application/octet-stream');
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'bad_xlsx');
});

test('post-subsidy inputs: each caregiver of the month with the best valid grade, days and months employed, names masked, audited', async () => {
  const res = await fetch(`${admin.url}/api/v1/staff/post-subsidy?month=2026-05`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  const rows = readSheet(Buffer.from(await res.arrayBuffer()));
  assert.deepEqual(rows[0], ['月份', '机构编号', '机构', '员工编号', '姓名（打码）', '用工形式', '资格证书', '技能等级', '本月在岗天数', '累计任职月数']);
  const lin = rows.find((r) => r[2] === '人员测试托育园' && r[4] === '林*燕');
  assert.ok(lin, 'the caregiver registered in the first test');
  // employed since 2024-09-01 with a 保育师 四级 valid to 2029: all of May, 21 whole months by 2026-05-31
  assert.deepEqual(lin.slice(5), ['全职', '保育师', '四级', '31', '21']);
  assert.ok(!rows.some((r) => r[2] === '人员测试托育园' && r[4] === '王*华'), 'only caregivers: the 保健人员 is not on it');
  assert.ok(rows.slice(1).every((r) => r[4].includes('*')));
  const bad = await admin.get('/api/v1/staff/post-subsidy?month=2026-13');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'month');
  const auditor = await srv.login('auditor');
  assert.ok((await auditor.get('/api/v1/audit?action=staff.post_subsidy&limit=5')).body.items.some((x) => x.fields.month === '2026-05'));
});
