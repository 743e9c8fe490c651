// care.test.mjs — daily care over HTTP (issue 15 items 1–2): an admitted child placed in a class
// of its institution, which the family sees; the admission gate (管理规范 Art. 11: a passed health
// check and vaccination certificate before the first attendance, a re-check after three months
// away); authorised pick-up persons; a class sheet saved all or nothing — a child not in the
// class, a future day, a duplicate check-in racing another are refused with nothing written;
// check-out; leaving; the unexplained absences to follow up; entry checks (health data) read
// only by the institution, its health instructor and the family, staff reads audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { child, consent, uscc } from '../lib/fixtures.mjs';

const TODAY = '2026-06-01';
let srv, admin, sec, op, otherOp, family, instructor, town, auditor, inst, classA, classB, otherClass, home;

async function institution(n) {
  const r = await admin.post('/api/v1/institutions', {
    name: `照护测试托育园${n}`, uscc: uscc(`91330304MA4${String(n).padStart(6, '0')}`), town_code: '330304001',
    address: '景山街道照护路1号', lon: 120.65, lat: 28.0, operating_model: 'market', ownership: 'private', status: 'filed',
    premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 20, enrolled: 0, caregivers: 3 },
              { class_type: 'toddler_young', name: '托小一班', capacity: 15, enrolled: 0, caregivers: 3 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  assert.equal(r.status, 201, r.text);
  const u = await sec.post('/api/v1/users', { login: `op-care-${r.body.id}`, name: '机构管理员', role: 'institution_operator', institution_id: r.body.id, password: srv.password });
  assert.equal(u.status, 201, u.text);
  return { id: r.body.id, classes: r.body.classes.map((k) => k.id), op: await srv.login(`op-care-${r.body.id}`) };
}

before(async () => {
  srv = await startServer({ now: '2026-06-01T02:00:00Z' });
  admin = await srv.login('district-admin');
  sec = await srv.login('security-admin');
  family = await srv.login('family');
  instructor = await srv.login('health-instructor');
  town = await srv.login('town-330304001');
  auditor = await srv.login('auditor');
  ({ id: inst, classes: [classA, classB], op } = await institution(1));
  ({ classes: [otherClass], op: otherOp } = await institution(2));
  home = (await family.get('/api/v1/children')).body.items[0];
});
after(async () => { await srv.stop(); });

/** A child of the test institution, placed in classId from start, with passed entry checks dated
 * checked (none when null). */
async function placed(classId = classA, { start = '2026-01-05', checked = '2025-12-20', name = '照护宝宝' } = {}) {
  const id = await child(op, '2024-05-10', { name });
  const p = await op.put(`/api/v1/children/${id}/placement`, { class_id: classId, start_date: start });
  assert.equal(p.status, 201, p.text);
  await consent(op, id);
  if (checked)
    for (const kind of ['health_check', 'vaccination'])
      assert.equal((await op.post(`/api/v1/children/${id}/entry-checks`, { kind, checked_on: checked, result: 'pass' })).status, 201);
  return id;
}

const present = (child_id, extra = {}) => ({ child_id, status: 'present', check_in: '08:10', ...extra });
const sheet = (date, entries, class_id = classA) => op.post(`/api/v1/institutions/${inst}/attendance`, { class_id, date, entries });
const statuses = async (date, class_id = classA) =>
  (await op.get(`/api/v1/institutions/${inst}/attendance?class_id=${class_id}&date=${date}`)).body.items.map((x) => x.status);

test('placement: the operator places an admitted child in a class of its institution; the family sees it; a second placement or another institution\'s class refused', async () => {
  const id = await child(op, '2024-05-10');
  assert.equal((await op.put(`/api/v1/children/${id}/placement`, { class_id: otherClass, start_date: '2026-05-01' })).body.error.code, 'unknown_class');
  const p = await op.put(`/api/v1/children/${id}/placement`, { class_id: classA, start_date: '2026-05-01' });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.body.class_name, '托大一班');
  const again = await op.put(`/api/v1/children/${id}/placement`, { class_id: classA, start_date: '2026-05-02' });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'already_placed');
  // a move to the other class ends the first placement that day
  const moved = await op.put(`/api/v1/children/${id}/placement`, { class_id: classB, start_date: '2026-05-10' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal((await op.get(`/api/v1/children/${id}/care`)).body.placement.class_name, '托小一班');
  // the family's own child at the demo institution: its operator places it, the family sees it
  const homeOp = await srv.login(`inst-${home.institution_id}`);
  const homeClass = (await admin.get(`/api/v1/institutions/${home.institution_id}`)).body.classes[0];
  assert.equal((await homeOp.put(`/api/v1/children/${home.id}/placement`, { class_id: homeClass.id, start_date: '2026-05-01' })).status, 201);
  const seen = await family.get(`/api/v1/children/${home.id}/care`);
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.body.placement.class_name, homeClass.name);
  assert.equal((await town.get(`/api/v1/children/${home.id}/care`)).status, 403);
});

test('entry gate: no attendance before a passed health check and vaccination certificate; health data read by the institution, its instructor and the family only, staff reads audited', async () => {
  const id = await placed(classA, { checked: null });
  const refused = await sheet('2026-05-04', [present(id)]);
  assert.equal(refused.status, 422, refused.text);
  assert.equal(refused.body.error.code, 'entry_checks_missing');
  assert.equal(refused.body.error.field, 'entries[0].child_id');
  // a failed check does not open the gate; a health check alone does not either
  assert.equal((await op.post(`/api/v1/children/${id}/entry-checks`, { kind: 'health_check', checked_on: '2026-04-20', result: 'fail', note: '待复查' })).status, 201);
  assert.equal((await op.post(`/api/v1/children/${id}/entry-checks`, { kind: 'health_check', checked_on: '2026-04-27', result: 'pass' })).status, 201);
  assert.equal((await sheet('2026-05-04', [present(id)])).body.error.code, 'entry_checks_missing');
  assert.equal((await op.post(`/api/v1/children/${id}/entry-checks`, { kind: 'vaccination', checked_on: '2026-04-27', result: 'pass' })).status, 201);
  assert.equal((await sheet('2026-05-04', [present(id)])).status, 201);
  // bad checks: a future date, an unknown kind or material
  assert.equal((await op.post(`/api/v1/children/${id}/entry-checks`, { kind: 'vaccination', checked_on: '2026-06-02', result: 'pass' })).body.error.code, 'future_date');
  assert.equal((await op.post(`/api/v1/children/${id}/entry-checks`, { kind: 'xray', checked_on: '2026-05-02', result: 'pass' })).body.error.code, 'bad_kind');
  assert.equal((await op.post(`/api/v1/children/${id}/entry-checks`, { kind: 'vaccination', checked_on: '2026-05-02', result: 'pass', material_id: 999999 })).body.error.code, 'unknown_material');
  const checks = (await op.get(`/api/v1/children/${id}/entry-checks`)).body.items;
  assert.deepEqual(checks.map((c) => `${c.kind}:${c.result}`), ['vaccination:pass', 'health_check:pass', 'health_check:fail']);
  // health data: the instructor of the family's institution and the family read it; the
  // district and the town do not; another institution does not find the child
  const homeOp = await srv.login(`inst-${home.institution_id}`);
  assert.equal((await homeOp.post(`/api/v1/children/${home.id}/entry-checks`, { kind: 'health_check', checked_on: '2026-04-01', result: 'pass' })).status, 201);
  assert.equal((await instructor.get(`/api/v1/children/${home.id}/entry-checks`)).body.items.length, 1);
  assert.equal((await family.get(`/api/v1/children/${home.id}/entry-checks`)).body.items.length, 1);
  assert.equal((await admin.get(`/api/v1/children/${home.id}/entry-checks`)).status, 403);
  assert.equal((await town.get(`/api/v1/children/${home.id}/entry-checks`)).status, 403);
  assert.equal((await otherOp.get(`/api/v1/children/${id}/entry-checks`)).status, 404);
  const log = await auditor.get(`/api/v1/audit?action=care.health.read&target_id=${home.id}`);
  assert.equal(log.status, 200, log.text);
  assert.deepEqual(log.body.items.map((r) => r.login).sort(), ['health-instructor'], 'the instructor\'s read is audited, the family\'s own is not');
});

test('re-check: back after three months away (child.recheck_absence_months) only with a health check since', async () => {
  const id = await placed(classA, { start: '2025-12-01', checked: '2025-11-20' });
  assert.equal((await sheet('2026-01-05', [present(id)])).status, 201);
  assert.equal((await sheet('2026-04-03', [present(id)])).status, 201, 'less than three months away');
  const back = await sheet('2026-05-29', [present(id)]);
  assert.equal(back.status, 201, 'from 04-03 to 05-29 is under three months');
  const id2 = await placed(classA, { start: '2025-12-01', checked: '2025-11-20' });
  assert.equal((await sheet('2026-01-06', [present(id2)])).status, 201);
  const refused = await sheet('2026-04-06', [present(id2)]);
  assert.equal(refused.status, 422, refused.text);
  assert.equal(refused.body.error.code, 'recheck_required');
  assert.equal((await op.post(`/api/v1/children/${id2}/entry-checks`, { kind: 'health_check', checked_on: '2026-04-06', result: 'pass' })).status, 201);
  assert.equal((await sheet('2026-04-06', [present(id2)])).status, 201);
});

test('class sheet of 20: saved in one request; a child not in the class, a future day or one bad line writes nothing', async () => {
  const ids = [];
  for (let i = 0; i < 20; i++) ids.push(await placed(classA, { name: `全班${i}` }));
  const stranger = await placed(classB);
  const day = '2026-05-11';
  const entries = ids.map((id, i) => (i % 5 === 4 ? { child_id: id, status: 'absent', absence_cause: i === 4 ? 'illness' : null, symptom: i === 4 ? '发热' : null } : present(id)));
  const notInClass = await sheet(day, [...entries.slice(0, 19), present(stranger)]);
  assert.equal(notInClass.status, 422);
  assert.deepEqual([notInClass.body.error.code, notInClass.body.error.field], ['not_in_class', 'entries[19].child_id']);
  assert.ok((await statuses(day)).every((s) => s === null), 'nothing of the refused sheet was written');
  assert.equal((await sheet('2026-06-02', entries)).body.error.code, 'future_date');
  assert.equal((await sheet(day, [...entries, entries[0]])).body.error.code, 'duplicate_child');
  assert.equal((await sheet(day, [{ child_id: ids[0], status: 'present' }])).body.error.code, 'bad_time');
  assert.equal((await sheet(day, [{ child_id: ids[0], status: 'absent', absence_cause: 'holiday' }])).body.error.code, 'bad_cause');
  const saved = await sheet(day, entries);
  assert.equal(saved.status, 201, saved.text);
  const marked = (await statuses(day)).filter((s) => s);
  assert.equal(marked.filter((s) => s === 'present').length, 16);
  assert.equal(marked.filter((s) => s === 'absent').length, 4);
  // the unexplained absences (three of the four) are listed for follow-up, masked
  const follow = await op.get(`/api/v1/institutions/${inst}/absences?from=${day}&to=${day}`);
  assert.equal(follow.status, 200, follow.text);
  assert.deepEqual(follow.body.items.map((x) => x.child_id).sort((a, b) => a - b), [ids[9], ids[14], ids[19]].sort((a, b) => a - b));
  assert.ok(follow.body.items.every((x) => x.child_name.includes('*')));
  assert.equal((await instructor.get(`/api/v1/institutions/${inst}/absences`)).status, 404, 'not an institution assigned to the instructor');
  assert.equal((await town.get(`/api/v1/institutions/${inst}/absences`)).status, 200, 'the town reads');
  // the illness's symptom is health data: not on the sheet the town and the district read
  const townSheet = (await town.get(`/api/v1/institutions/${inst}/attendance?class_id=${classA}&date=${day}`)).body.items;
  assert.equal(townSheet.find((x) => x.child_id === ids[4]).absence_cause, 'illness');
  assert.ok(!JSON.stringify(townSheet).includes('发热'));
  assert.ok(!JSON.stringify((await admin.get(`/api/v1/children/${ids[4]}/care`)).body).includes('发热'));
});

test('a duplicate check-in racing another: one sheet is saved, the other gets 409 and writes nothing', async () => {
  const a = await placed(classB), b = await placed(classB);
  const day = '2026-05-12';
  const [r1, r2] = await Promise.all([sheet(day, [present(a), present(b)], classB), sheet(day, [present(b, { check_in: '08:30' }), present(a, { check_in: '08:30' })], classB)]);
  assert.deepEqual([r1.status, r2.status].sort(), [201, 409], `${r1.text} ${r2.text}`);
  const lost = r1.status === 409 ? r1 : r2;
  assert.equal(lost.body.error.code, 'already_recorded');
  const rows = (await op.get(`/api/v1/institutions/${inst}/attendance?class_id=${classB}&date=${day}`)).body.items.filter((x) => x.child_id === a || x.child_id === b);
  assert.equal(new Set(rows.map((x) => x.check_in)).size, 1, 'both rows come from the same sheet');
});

test('pick-up persons: brought and collected by an authorised person of the child; check-out once; leaving ends the placement', async () => {
  const id = await placed(classA), other = await placed(classA);
  const mum = await op.post(`/api/v1/children/${id}/pickups`, { name: '王丽华', relation: '母亲' });
  assert.equal(mum.status, 201, mum.text);
  assert.equal(mum.body.name, '王*华');
  const otherMum = (await op.post(`/api/v1/children/${other}/pickups`, { name: '李芳', relation: '母亲' })).body.id;
  const day = '2026-05-13';
  const wrong = await sheet(day, [present(id, { brought_by: otherMum })]);
  assert.deepEqual([wrong.status, wrong.body.error.code, wrong.body.error.field], [422, 'unknown_pickup', 'entries[0].brought_by']);
  assert.equal((await sheet(day, [present(id, { brought_by: mum.body.id })])).status, 201);
  assert.equal((await op.post(`/api/v1/children/${id}/check-out`, { date: day, time: '17:05', collected_by: otherMum })).body.error.code, 'unknown_pickup');
  const out = await op.post(`/api/v1/children/${id}/check-out`, { date: day, time: '17:05', collected_by: mum.body.id });
  assert.equal(out.status, 200, out.text);
  assert.equal((await op.post(`/api/v1/children/${id}/check-out`, { date: day, time: '17:10', collected_by: mum.body.id })).body.error.code, 'not_checked_in');
  const care = (await op.get(`/api/v1/children/${id}/care`)).body;
  assert.deepEqual(care.pickups.map((p) => p.relation), ['母亲']);
  assert.equal(care.attendance[0].check_out, '17:05');
  assert.deepEqual([care.attendance[0].brought_by, care.attendance[0].collected_by], [mum.body.id, mum.body.id], 'the history says who brought and who collected the child');
  const left = await op.post(`/api/v1/children/${id}/leave`, { date: '2026-05-20', reason: '随父母迁居外地' });
  assert.equal(left.status, 200, left.text);
  assert.equal((await op.get(`/api/v1/children/${id}/care`)).body.placement, null);
  assert.equal((await sheet('2026-05-21', [present(id)])).body.error.code, 'not_in_class');
  assert.equal((await op.post(`/api/v1/children/${id}/leave`, { date: '2026-05-21', reason: '重复' })).status, 409);
});

test('晨午检: temperature and coded symptoms; a fever sends a notice to the family\'s inbox; 50 °C, an unknown symptom, a future day or a child not in care refused with nothing written', async () => {
  const labels = (await family.get('/api/v1/public/labels')).body.care;
  assert.equal(labels.symptoms.find((s) => s.code === 'hfmd_signs').group, 'hfmd');
  assert.equal(labels.names.send_home, '通知家长接回');
  const homeOp = await srv.login(`inst-${home.institution_id}`);
  const path = `/api/v1/children/${home.id}/health-checks`;
  const hot = await homeOp.post(path, { date: '2026-05-01', slot: 'morning', temperature_c: 50, action: 'observe' });
  assert.deepEqual([hot.status, hot.body.error.code, hot.body.error.field], [422, 'bad_temperature', 'temperature_c']);
  assert.equal((await homeOp.post(path, { date: '2026-05-01', slot: 'morning', symptoms: ['sneezing'], action: 'observe' })).body.error.field, 'symptoms[0]');
  assert.equal((await homeOp.post(path, { date: '2026-06-02', slot: 'morning', action: 'none' })).body.error.code, 'future_date');
  assert.equal((await homeOp.post(path, { date: '2026-04-30', slot: 'morning', action: 'none' })).body.error.code, 'not_in_class', 'placed from 05-01');
  assert.equal((await homeOp.get(path)).body.items.length, 0, 'nothing written');
  const before = (await family.get('/api/v1/inbox?limit=500')).body.items.length;
  const fever = await homeOp.post(path, { date: '2026-06-01', slot: 'morning', temperature_c: 38.2, symptoms: ['cough'], action: 'send_home', note: '已隔离观察' });
  assert.equal(fever.status, 201, fever.text);
  assert.deepEqual(fever.body.symptoms, ['cough', 'fever'], 'a temperature at care.fever_threshold_c adds fever');
  assert.equal(fever.body.guardian_told, true);
  const inbox = (await family.get('/api/v1/inbox?limit=500')).body.items;
  assert.equal(inbox.length, before + 1);
  const notice = inbox.find((m) => m.kind === 'care.health_check');
  assert.ok(notice, JSON.stringify(inbox));
  assert.match(notice.body, /38\.2 ℃/);
  assert.match(notice.body, /咳嗽、发热/);
  assert.match(notice.body, /通知家长接回/);
  // a check that asks nothing of the guardian sends nothing
  assert.equal((await homeOp.post(path, { date: '2026-06-01', slot: 'noon', temperature_c: 36.6, action: 'none' })).body.guardian_told, false);
  assert.equal((await family.get('/api/v1/inbox?limit=500')).body.items.length, before + 1);
  const seen = (await family.get(path)).body.items;
  assert.deepEqual(seen.map((c) => c.slot), ['noon', 'morning']);
  assert.equal((await admin.get(path)).status, 403, 'health data: not the district');
  assert.equal((await instructor.get(path)).status, 200, 'the assigned health instructor reads');
});

test('outbreak early warning: three children of one class with fever within the window raise one alert to the operator, the assigned health instructor and the town; masked cases, the rule and its basis; acknowledged, then closed with an action', async () => {
  const homeOp = await srv.login(`inst-${home.institution_id}`);
  const homeClass = (await admin.get(`/api/v1/institutions/${home.institution_id}`)).body.classes[1];
  const kids = [];
  for (let i = 0; i < 4; i++) {
    const id = await child(homeOp, '2024-05-10', { name: `预警宝宝${i}` });
    assert.equal((await homeOp.put(`/api/v1/children/${id}/placement`, { class_id: homeClass.id, start_date: '2026-05-01' })).status, 201);
    await consent(homeOp, id);
    kids.push(id);
  }
  const fever = (id, date) => homeOp.post(`/api/v1/children/${id}/health-checks`, { date, slot: 'morning', temperature_c: 38.5, action: 'send_home' });
  const live = async (c) => (await c.get('/api/v1/care-alerts')).body.items.filter((a) => a.institution_id === home.institution_id && a.class_id === homeClass.id);
  assert.equal((await fever(kids[0], '2026-05-25')).status, 201);
  assert.equal((await fever(kids[1], '2026-05-29')).status, 201);
  assert.equal((await fever(kids[2], '2026-05-31')).status, 201);
  assert.equal((await live(homeOp)).length, 0, 'the first case is outside the three-day window');
  assert.equal((await fever(kids[1], '2026-05-31')).status, 201, 'the same child again counts once');
  assert.equal((await live(homeOp)).length, 0);
  assert.equal((await fever(kids[3], '2026-05-31')).status, 201);
  const [alert] = await live(homeOp);
  assert.ok(alert, 'raised');
  assert.equal(alert.group, 'fever');
  assert.equal(alert.cases, 3);
  assert.deepEqual(alert.children.map((k) => k.child_id).sort((a, b) => a - b), [kids[1], kids[2], kids[3]].sort((a, b) => a - b));
  assert.ok(alert.children.every((k) => k.name.includes('*')), 'cases masked');
  assert.match(alert.rule, /同一班级3天内有3名婴幼儿出现「发热」/);
  assert.match(alert.basis, /卫办疾控发〔2006〕65号/);
  assert.equal(alert.status, 'open');
  // a fourth child raises no second alert: the live one is updated
  const late = await child(homeOp, '2024-05-10', { name: '预警宝宝4' });
  assert.equal((await homeOp.put(`/api/v1/children/${late}/placement`, { class_id: homeClass.id, start_date: '2026-05-01' })).status, 201);
  await consent(homeOp, late);
  assert.equal((await fever(late, '2026-06-01')).status, 201);
  const updated = await live(homeOp);
  assert.equal(updated.length, 1);
  assert.equal(updated[0].cases, 4, 'the window ending 06-01 holds four children: three on 05-31, one on 06-01');
  assert.equal(updated[0].last_day, '2026-06-01');
  // who sees it: the instructor and the town; not another institution; every one got a message
  assert.equal((await live(instructor)).length, 1);
  assert.equal((await live(town)).length, 1);
  assert.equal((await live(otherOp)).length, 0);
  // with the family's child's fever of 06-01 (the 晨午检 test) the institution has five: an
  // institution alert besides (care.outbreak.institution_cases)
  const whole = (await homeOp.get('/api/v1/care-alerts')).body.items.filter((a) => a.institution_id === home.institution_id && a.class_id === null);
  assert.deepEqual(whole.map((a) => [a.group, a.cases]), [['fever', 5]]);
  assert.match(whole[0].rule, /同一机构/);
  for (const c of [homeOp, instructor, town]) {
    const notes = (await c.get('/api/v1/inbox?limit=500')).body.items.filter((m) => m.kind === 'care.outbreak');
    assert.equal(notes.length, 2, 'one message per alert raised, none for an update');
    assert.ok(notes.some((m) => /同一班级/.test(m.body)) && notes.some((m) => /同一机构/.test(m.body)));
  }
  // closed only once acknowledged, with an action
  const path = `/api/v1/care-alerts/${alert.id}`;
  assert.equal((await homeOp.post(`${path}/close`, { action: '全班消毒，病例居家隔离' })).status, 409);
  assert.equal((await town.post(`${path}/acknowledge`)).status, 403, 'the town reads, the institution and instructor act');
  assert.equal((await otherOp.post(`${path}/acknowledge`)).status, 404);
  assert.equal((await instructor.post(`${path}/acknowledge`)).status, 200);
  assert.equal((await homeOp.post(`${path}/acknowledge`)).status, 409);
  assert.equal((await homeOp.post(`${path}/close`, {})).status, 422);
  assert.equal((await homeOp.post(`${path}/close`, { action: '全班消毒，病例居家隔离，已报告社区卫生服务中心' })).status, 200);
  assert.equal((await live(homeOp)).length, 0);
  const closed = (await homeOp.get('/api/v1/care-alerts?status=closed')).body.items.find((a) => a.id === alert.id);
  assert.equal(closed.close_action, '全班消毒，病例居家隔离，已报告社区卫生服务中心');
});
