// duty.test.mjs — caregivers on duty and the day pages over HTTP (issue 15 items 5 and 10): the
// operator checks caregivers in and out on duty for a class (only the institution's own
// caregivers, employed that day, assigned to the class or said to cover it, not in the future,
// never two duties of one person at once; nothing written on a refusal); the institution's 今日
// page gives attendance by class, the morning checks, the live ratio of present children against
// caregivers on duty held to the ratio.<type>.children_per_caregiver parameters, since when a
// ratio is broken and whether it stayed broken longer than duty.ratio_broken_minutes; the
// district's day page gives the same figures per institution, each regulator only their own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tuoyu } from '../lib/server.mjs';
import { child, consent, residentId, uscc } from '../lib/fixtures.mjs';

const TODAY = '2026-06-01';
let srv, admin, sec, op, otherOp, town, otherTown, family, auditor, instructor;
let inst, classOld, classYoung, otherInst, otherClass;
const staff = {};

async function institution(n, town_code) {
  const r = await admin.post('/api/v1/institutions', {
    name: `在岗测试托育园${n}`, uscc: uscc(`91330304MA5${String(n).padStart(6, '0')}`), town_code,
    address: '景山街道在岗路1号', lon: 120.65, lat: 28.0, operating_model: 'market', ownership: 'private', status: 'filed',
    premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 20, enrolled: 0, caregivers: 3 },
              { class_type: 'toddler_young', name: '托小一班', capacity: 15, enrolled: 0, caregivers: 3 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  assert.equal(r.status, 201, r.text);
  const u = await sec.post('/api/v1/users', { login: `op-duty-${r.body.id}`, name: '机构管理员', role: 'institution_operator', institution_id: r.body.id, password: srv.password });
  assert.equal(u.status, 201, u.text);
  return { id: r.body.id, classes: r.body.classes.map((k) => k.id), op: await srv.login(`op-duty-${r.body.id}`) };
}

let seq = 100;
async function person(who, instId, role, classIds = [], extra = {}) {
  const r = await who.post(`/api/v1/institutions/${instId}/staff`, {
    name: '在岗员工', id_number: residentId('1991-03-03', String(seq += 2)), role, employment: 'part_time',
    start_date: '2025-09-01', class_ids: classIds, ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

/** n children placed in classId by its operator who (op by default) with passed entry checks and
 * consent; their ids. */
async function kids(n, classId, who = op) {
  const ids = [];
  for (let i = 0; i < n; i++) {
    const id = await child(who, '2024-03-10', { name: `在岗宝宝${ids.length}` });
    assert.equal((await who.put(`/api/v1/children/${id}/placement`, { class_id: classId, start_date: '2026-05-01' })).status, 201);
    await consent(who, id);
    for (const kind of ['health_check', 'vaccination'])
      assert.equal((await who.post(`/api/v1/children/${id}/entry-checks`, { kind, checked_on: '2026-04-20', result: 'pass' })).status, 201);
    ids.push(id);
  }
  return ids;
}

const dutyIn = (staff_id, class_id, extra = {}) => op.post(`/api/v1/institutions/${inst}/duty`, { staff_id, class_id, ...extra });
const dutyOut = (staff_id, extra = {}) => op.post(`/api/v1/institutions/${inst}/duty/check-out`, { staff_id, ...extra });
const today = async (who = op, id = inst) => {
  const r = await who.get(`/api/v1/institutions/${id}/today`);
  assert.equal(r.status, 200, r.text);
  return r.body;
};
const classDay = (page, id) => page.classes.find((k) => k.class_id === id);

let oldKids, youngKids;

before(async () => {
  srv = await startServer({ now: `${TODAY}T01:00:00Z` }); // 09:00 in Beijing
  admin = await srv.login('district-admin');
  sec = await srv.login('security-admin');
  town = await srv.login('town-330304001');
  otherTown = await srv.login('town-330304002');
  family = await srv.login('family');
  auditor = await srv.login('auditor');
  instructor = await srv.login('health-instructor');
  ({ id: inst, classes: [classOld, classYoung], op } = await institution(1, '330304001'));
  ({ id: otherInst, classes: [otherClass], op: otherOp } = await institution(2, '330304002'));
  staff.a = await person(op, inst, 'caregiver', [classOld]);
  staff.b = await person(op, inst, 'caregiver', [classOld]);
  staff.c = await person(op, inst, 'caregiver', [classYoung]);
  staff.cook = await person(op, inst, 'cook');
  staff.left = await person(op, inst, 'caregiver', [classOld], { end_date: '2026-05-15' });
  staff.other = await person(otherOp, otherInst, 'caregiver', [otherClass]);
  // 托大 (1:7): 8 children arriving 08:00–08:07; 托小 (1:5): 4 present, one absent, one unmarked
  oldKids = await kids(8, classOld);
  youngKids = await kids(6, classYoung);
  const sheet = (class_id, entries) => op.post(`/api/v1/institutions/${inst}/attendance`, { class_id, date: TODAY, entries });
  let r = await sheet(classOld, oldKids.map((child_id, i) => ({ child_id, status: 'present', check_in: `08:0${i}` })));
  assert.equal(r.status, 201, r.text);
  r = await sheet(classYoung, [...youngKids.slice(0, 4).map((child_id) => ({ child_id, status: 'present', check_in: '08:10' })),
    { child_id: youngKids[4], status: 'absent', absence_cause: 'family' }]);
  assert.equal(r.status, 201, r.text);
  // morning checks: two of 托大 (one with fever), none of 托小
  for (const [id, t] of [[oldKids[0], 36.6], [oldKids[1], 38.4]])
    assert.equal((await op.post(`/api/v1/children/${id}/health-checks`, { date: TODAY, slot: 'morning', temperature_c: t, action: t > 38 ? 'observe' : 'none' })).status, 201);
});
after(async () => { await srv.stop(); });

test('check-in refused: another institution\'s staff, not a caregiver, left, not assigned, future, bad time — nothing written', async () => {
  const cases = [
    [dutyIn(staff.other, classOld), 'unknown_staff', 'staff_id'],
    [dutyIn(999999, classOld), 'unknown_staff', 'staff_id'],
    [dutyIn(staff.a, otherClass), 'unknown_class', 'class_id'],
    [dutyIn(staff.cook, classOld), 'not_caregiver', 'staff_id'],
    [dutyIn(staff.left, classOld), 'not_employed', 'staff_id'],
    [dutyIn(staff.c, classOld), 'not_assigned', 'class_id'],
    [dutyIn(staff.a, classOld, { date: '2026-06-02', time: '08:00' }), 'future_date', 'date'],
    [dutyIn(staff.a, classOld, { time: '23:59' }), 'future_time', 'time'],
    [dutyIn(staff.a, classOld, { time: '25:00' }), 'bad_time', 'time'],
    [dutyIn(staff.a, classOld, { date: '2026-05-29' }), 'required', 'time'],
  ];
  for (const [pending, code, field] of cases) {
    const r = await pending;
    assert.equal(r.status, 422, r.text);
    assert.deepEqual([r.body.error.code, r.body.error.field], [code, field]);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  assert.deepEqual((await today()).duties, []);
  // the other institution's operator cannot record duty here
  assert.equal((await otherOp.post(`/api/v1/institutions/${inst}/duty`, { staff_id: staff.a, class_id: classOld })).status, 404);
  assert.equal((await town.post(`/api/v1/institutions/${inst}/duty`, { staff_id: staff.a, class_id: classOld })).status, 403);
});

test('live ratio: 8 children in 托大 (1:7) with one caregiver is broken since the 8th arrived, a finding past duty.ratio_broken_minutes; a second caregiver mends it', async () => {
  let r = await dutyIn(staff.a, classOld, { time: '07:50' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.body.check_in, r.body.check_out, r.body.covering, r.body.class_name], ['07:50', null, false, '托大一班']);
  assert.ok(r.body.staff_name.includes('*'), 'the name is masked');
  r = await dutyIn(staff.c, classYoung, { time: '08:00' });
  assert.equal(r.status, 201, r.text);
  let page = await today();
  assert.equal(page.date, TODAY);
  assert.match(page.time, /^09:0\d$/);
  assert.equal(page.ratio_rule.broken_minutes_limit, 15);
  let old = classDay(page, classOld);
  assert.deepEqual([old.placed, old.present, old.absent, old.unmarked, old.present_now], [8, 8, 0, 0, 8]);
  assert.deepEqual(old.morning_checks, { done: 2, missing: 6, abnormal: 1 });
  assert.equal(old.ratio.state, 'broken');
  assert.deepEqual([old.ratio.present, old.ratio.on_duty, old.ratio.needed, old.ratio.children_per_caregiver], [8, 1, 2, 7]);
  assert.equal(old.ratio.broken_since, '08:07');
  assert.ok(old.ratio.broken_minutes >= 53, `${old.ratio.broken_minutes}`);
  assert.equal(old.ratio.finding, true);
  assert.deepEqual([old.ratio.longest_break.from, old.ratio.longest_break.to], ['08:07', null]);
  const young = classDay(page, classYoung);
  assert.deepEqual([young.placed, young.present, young.absent, young.unmarked], [6, 4, 1, 1]);
  assert.deepEqual(young.morning_checks, { done: 0, missing: 4, abnormal: 0 });
  assert.deepEqual([young.ratio.state, young.ratio.needed, young.ratio.children_per_caregiver, young.ratio.finding], ['ok', 1, 5, false]);
  assert.deepEqual([page.totals.present, page.totals.classes_broken, page.totals.findings], [12, 1, 1]);
  // the duty writes recorded the finding and told the operator (the town only past an hour): when
  // the first caregiver was entered, 托小 too had been without anyone since 08:10 — its finding
  // was withdrawn when its caregiver's duty from 08:00 was entered
  assert.deepEqual(page.findings.map((f) => [f.class_name, f.broken_from, f.broken_to, f.town_told]), [['托大一班', '08:07', null, false]]);
  assert.match(page.findings[0].rule, /托大一班（托大班，每名保育人员照护不超过 7 名）师幼比不足：08:07 起已持续 5\d 分钟，超过 15 分钟/);
  const told = (await op.get('/api/v1/inbox?limit=500')).body.items.filter((m) => m.kind === 'duty.ratio');
  assert.deepEqual(told.map((m) => m.subject).sort(), ['师幼比不足：在岗测试托育园1 托大一班', '师幼比不足：在岗测试托育园1 托小一班']);
  assert.equal((await town.get('/api/v1/inbox?limit=500')).body.items.filter((m) => m.kind === 'duty.ratio').length, 0);
  assert.equal((await auditor.get('/api/v1/audit?action=duty.finding')).body.items.length, 2);
  // a second caregiver on duty from 08:20, entered late: the break lasted 13 minutes, within the
  // limit — the finding recorded before it was entered is withdrawn
  r = await dutyIn(staff.b, classOld, { time: '08:20' });
  assert.equal(r.status, 201, r.text);
  page = await today();
  assert.deepEqual(page.findings, []);
  old = classDay(page, classOld);
  assert.deepEqual([old.ratio.state, old.ratio.on_duty, old.ratio.broken_since, old.ratio.finding], ['ok', 2, null, false]);
  assert.deepEqual(old.ratio.longest_break, { from: '08:07', to: '08:20', minutes: 13 });
});

test('check-out and overlapping duties: one duty of a person at a time, a check-out not before its check-in; children collected count out of the ratio', async () => {
  let r = await dutyIn(staff.a, classOld, { time: '08:30' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.error.code, 'overlapping_duty');
  assert.equal((await dutyOut(staff.a, { time: '07:40' })).body.error.code, 'bad_time');
  assert.equal((await dutyOut(staff.cook)).body.error.code, 'not_on_duty');
  assert.equal((await dutyOut(staff.other)).body.error.code, 'unknown_staff');
  r = await dutyOut(staff.b, { time: '08:40' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.check_in, r.body.check_out], ['08:20', '08:40']);
  assert.equal((await dutyOut(staff.b)).status, 409);
  // back on duty: not inside the duty that ended at 08:40, but after it
  assert.equal((await dutyIn(staff.b, classOld, { time: '08:35' })).body.error.code, 'overlapping_duty');
  // 托大 broken again from 08:40; one child collected at 08:50 leaves 7, which one caregiver keeps
  const page = await today();
  assert.equal(classDay(page, classOld).ratio.broken_since, '08:40');
  const collector = await op.post(`/api/v1/children/${oldKids[7]}/pickups`, { name: '王接送', relation: '母亲' });
  assert.equal(collector.status, 201, collector.text);
  const out = await op.post(`/api/v1/children/${oldKids[7]}/check-out`, { date: TODAY, time: '08:50', collected_by: collector.body.id });
  assert.equal(out.status, 200, out.text);
  const old = classDay(await today(), classOld);
  assert.deepEqual([old.present, old.present_now, old.ratio.state, old.ratio.present], [8, 7, 'ok', 7]);
  assert.deepEqual(old.ratio.longest_break, { from: '08:07', to: '08:20', minutes: 13 }, 'the longer of the two breaks (08:40–08:50 lasted 10)');
  // covering a class the caregiver is not assigned to, said so
  r = await dutyIn(staff.b, classYoung, { time: '08:55', covering: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.covering, true);
  const duties = (await today()).duties;
  assert.deepEqual(duties.map((d) => [d.class_name, d.check_in, d.check_out, d.covering]),
    [['托大一班', '07:50', null, false], ['托大一班', '08:20', '08:40', false], ['托小一班', '08:00', null, false], ['托小一班', '08:55', null, true]]);
  const log = await auditor.get('/api/v1/audit?action=duty.check_in');
  assert.equal(log.status, 200, log.text);
  assert.equal(log.body.items.length, 4);
});

test('scoping: the institution\'s page for its operator, its town, the district and its instructor; the district day page per regulator\'s jurisdiction', async () => {
  assert.equal((await otherOp.get(`/api/v1/institutions/${inst}/today`)).status, 404);
  assert.equal((await otherTown.get(`/api/v1/institutions/${inst}/today`)).status, 404);
  assert.equal((await family.get(`/api/v1/institutions/${inst}/today`)).status, 403);
  assert.equal((await town.get(`/api/v1/institutions/${inst}/today`)).status, 200);
  assert.equal((await admin.get(`/api/v1/institutions/${inst}/today`)).status, 200);
  assert.equal((await instructor.get(`/api/v1/institutions/${inst}/today`)).status, 404, 'not an institution the instructor is assigned to');
  const district = await admin.get('/api/v1/care/today');
  assert.equal(district.status, 200, district.text);
  const mine = district.body.items.find((x) => x.institution_id === inst);
  assert.deepEqual([mine.town_name, mine.classes, mine.placed, mine.present, mine.absent, mine.unmarked, mine.present_now],
    ['景山街道', 2, 14, 12, 1, 1, 11]);
  assert.deepEqual(mine.morning_checks, { done: 2, missing: 10, abnormal: 1 });
  assert.deepEqual([mine.classes_broken, mine.findings], [0, 0]);
  assert.ok(district.body.items.some((x) => x.institution_id === otherInst));
  assert.ok(district.body.totals.institutions >= 2);
  assert.ok(district.body.totals.present >= 12);
  const home = await town.get('/api/v1/care/today');
  assert.equal(home.status, 200, home.text);
  assert.ok(home.body.items.length > 0 && home.body.items.every((x) => x.town_code === '330304001'));
  assert.ok(home.body.items.some((x) => x.institution_id === inst));
  const away = await otherTown.get('/api/v1/care/today');
  assert.ok(!away.body.items.some((x) => x.institution_id === inst) && away.body.items.some((x) => x.institution_id === otherInst));
  for (const who of [op, family, instructor]) assert.equal((await who.get('/api/v1/care/today')).status, 403);
  assert.ok(!JSON.stringify(district.body).includes('在岗宝宝'), 'no names on the district page');
});

test('the rules are dated parameters: a shorter duty.ratio_broken_minutes makes the 13-minute break a finding; at 1:8 there was no break', async () => {
  // (after the tests above: 托大 was broken 08:07–08:20 and 08:40–08:50)
  let page = await today();
  assert.deepEqual([page.ratio_rule.broken_minutes_limit, classDay(page, classOld).ratio.finding], [15, false]);
  assert.ok(page.ratio_rule.basis.includes('国卫人口发〔2019〕58号'), page.ratio_rule.basis);
  const p = await admin.post('/api/v1/params', { key: 'duty.ratio_broken_minutes', value: '12', valid_from: TODAY, basis: '测试：缩短时限' });
  assert.equal(p.status, 201, p.text);
  page = await today();
  assert.equal(page.ratio_rule.broken_minutes_limit, 12);
  assert.equal(classDay(page, classOld).ratio.finding, true);
  assert.equal(page.totals.findings, 1);
  assert.equal((await admin.get('/api/v1/care/today')).body.items.find((x) => x.institution_id === inst).findings, 1);
  const r = await admin.post('/api/v1/params', { key: 'ratio.toddler_old.children_per_caregiver', value: '8', valid_from: TODAY, basis: '测试：1:8' });
  assert.equal(r.status, 201, r.text);
  const old = classDay(await today(), classOld);
  assert.deepEqual([old.ratio.state, old.ratio.needed, old.ratio.children_per_caregiver, old.ratio.longest_break, old.ratio.finding],
    ['ok', 1, 8, null, false]);
});

test('the finding of a break nobody touches: `tuoyu duty-scan` (cron) records it past duty.ratio_broken_minutes and tells the operator, past duty.ratio_town_minutes the town, each once', async () => {
  // two children in the other institution's 托大 from 08:00, nobody on duty
  const two = await kids(2, otherClass, otherOp);
  const sheet = await otherOp.post(`/api/v1/institutions/${otherInst}/attendance`, { class_id: otherClass, date: TODAY, entries: two.map((child_id, i) => ({ child_id, status: 'present', check_in: `08:0${i * 5}` })) });
  assert.equal(sheet.status, 201, sheet.text);
  const told = async (who) => (await who.get('/api/v1/inbox?limit=500')).body.items.filter((m) => m.kind === 'duty.ratio' && m.subject.includes('在岗测试托育园2'));
  const scan = (at) => {
    const r = tuoyu(['duty-scan', '--now', `${TODAY}T${at}:00Z`, ...srv.database.args]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  // (the limits in force: 12 minutes since the test above; the town's set to 45 minutes here, so that
  // the scans stay before the server's clock, which shows messages due by then)
  const p = await admin.post('/api/v1/params', { key: 'duty.ratio_town_minutes', value: '45', valid_from: TODAY, basis: '测试：45分钟报镇街' });
  assert.equal(p.status, 201, p.text);
  assert.equal(scan('00:10'), '0 0', '08:10: broken for 10 minutes');
  assert.equal(scan('00:30'), '1 0', '08:30: 30 minutes, past 12');
  assert.equal((await told(otherOp)).length, 1);
  assert.equal((await told(otherTown)).length, 0);
  let findings = (await otherOp.get(`/api/v1/institutions/${otherInst}/today`)).body.findings;
  assert.deepEqual(findings.map((f) => [f.broken_from, f.broken_to, f.minutes, f.town_told]), [['08:00', null, 30, false]]);
  assert.equal(scan('00:50'), '0 1', '08:50: 50 minutes, past the town\'s 45');
  assert.equal(scan('00:55'), '0 0', 'each told once');
  assert.equal((await told(otherOp)).length, 1);
  const town2 = await told(otherTown);
  assert.equal(town2.length, 1);
  assert.match(town2[0].subject, /师幼比不足持续/);
  assert.equal((await told(town)).length, 0, 'not the other town');
  // a caregiver on duty at 09:00 ends it: the record keeps the break, 60 minutes
  const r = await otherOp.post(`/api/v1/institutions/${otherInst}/duty`, { staff_id: staff.other, class_id: otherClass, time: '09:00' });
  assert.equal(r.status, 201, r.text);
  findings = (await otherOp.get(`/api/v1/institutions/${otherInst}/today`)).body.findings;
  assert.deepEqual(findings.map((f) => [f.broken_from, f.broken_to, f.minutes, f.town_told]), [['08:00', '09:00', 60, true]]);
  const scans = (await auditor.get('/api/v1/audit?action=duty.scan')).body.items;
  assert.equal(scans.length, 4);
});
