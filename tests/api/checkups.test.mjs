// checkups.test.mjs — the health-check schedule over HTTP (issue 15 item 8, C5.4): a child's
// schedule with due windows (a child entering care at 20 months: the checks that closed before it
// came are not the institution's); a check recorded with its measurements, which land in the
// growth store; screenings (refer needs where to); bad input and missing consent write nothing;
// the due lists of the institution, the assigned health instructor and the family; who may.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tuoyu } from '../lib/server.mjs';
import { child, consent, uscc } from '../lib/fixtures.mjs';

let srv, admin, sec, family, instructor, town, op, otherOp, inst, classA, otherInst, home;

async function institution(n) {
  const r = await admin.post('/api/v1/institutions', {
    name: `体检测试托育园${n}`, uscc: uscc(`91330304MB4${String(n).padStart(6, '0')}`), town_code: '330304001',
    address: '景山街道体检路1号', lon: 120.65, lat: 28.0, operating_model: 'market', ownership: 'private', status: 'filed',
    premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 20, enrolled: 0, caregivers: 3 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  assert.equal(r.status, 201, r.text);
  const u = await sec.post('/api/v1/users', { login: `op-chk-${r.body.id}`, name: '机构管理员', role: 'institution_operator', institution_id: r.body.id, password: srv.password });
  assert.equal(u.status, 201, u.text);
  return { id: r.body.id, classId: r.body.classes[0].id, op: await srv.login(`op-chk-${r.body.id}`) };
}

before(async () => {
  srv = await startServer({ now: '2026-06-01T02:00:00Z' });
  admin = await srv.login('district-admin');
  sec = await srv.login('security-admin');
  family = await srv.login('family');
  instructor = await srv.login('health-instructor');
  town = await srv.login('town-330304001');
  ({ id: inst, classId: classA, op } = await institution(1));
  ({ id: otherInst, op: otherOp } = await institution(2));
  home = (await family.get('/api/v1/children')).body.items[0];
});
after(async () => { await srv.stop(); });

/** A child of the test institution born on birth, placed from start, with consent. */
async function placed(birth, start, withConsent = true) {
  const id = await child(op, birth, { name: '体检宝宝' });
  assert.equal((await op.put(`/api/v1/children/${id}/placement`, { class_id: classA, start_date: start })).status, 201);
  if (withConsent) await consent(op, id);
  return id;
}

/** The demo family's child placed at its institution from its birth (so every check is the
 * institution's); the home operator. */
async function placeHome() {
  const homeOp = await srv.login(`inst-${home.institution_id}`);
  const homeClass = (await admin.get(`/api/v1/institutions/${home.institution_id}`)).body.classes[0];
  const p = await homeOp.put(`/api/v1/children/${home.id}/placement`, { class_id: homeClass.id, start_date: home.birth_date });
  assert.ok([201, 409].includes(p.status), p.text);
  return homeOp;
}

const byCode = (schedule) => Object.fromEntries(schedule.map((x) => [x.code, x]));

test('schedule: a child entering care at 20 months — the 24-month check is due and the institution\'s, the 18-month one closed before it came', async () => {
  const id = await placed('2024-05-20', '2026-01-20');
  const r = await op.get(`/api/v1/children/${id}/checkups`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.care_from, '2026-01-20');
  const s = byCode(r.body.schedule);
  assert.deepEqual(r.body.schedule.map((x) => x.code), ['m3', 'm6', 'm8', 'm12', 'm18', 'm24', 'm30', 'm36']);
  assert.deepEqual([s.m24.opens, s.m24.closes, s.m24.status, s.m24.in_care], ['2026-05-20', '2026-06-19', 'due', true]);
  assert.deepEqual([s.m18.status, s.m18.in_care], ['overdue', false]);
  assert.equal(s.m30.status, 'upcoming');
  assert.equal(s.m24.name, '24月龄健康检查');
});

test('a check recorded with its measurements: the measurement lands in the growth store, the check is done (late when after its window); consent and bad input refused with nothing written', async () => {
  const id = await placed('2025-02-10', '2026-01-05');
  const body = { check_code: 'm12', checked_on: '2026-05-25', place: '景山街道社区卫生服务中心', examiner: '李医生', result: 'normal',
    measurement: { weight_kg: 10.1, lenhei_cm: 78.5, measure: 'l', headc_cm: 46.0 } };
  const before = (await op.get(`/api/v1/children/${id}/growth`)).body.measurements.length;
  for (const [patch, code, field] of [
    [{ check_code: 'm13' }, 'bad_check_code', 'check_code'],
    [{ check_code: 'entry' }, 'bad_check_code', 'check_code'],
    [{ result: 'fine' }, 'bad_result', 'result'],
    [{ checked_on: '2026-06-02' }, 'future_date', 'checked_on'],
    [{ checked_on: '2025-01-01' }, 'bad_date', 'checked_on'],
    [{ measurement: { weight_kg: 10.1, lenhei_cm: 78.5, measure: 'x' } }, null, null],
  ]) {
    const bad = await op.post(`/api/v1/children/${id}/checkups`, { ...body, ...patch });
    assert.equal(bad.status, 422, `${JSON.stringify(patch)}: ${bad.text}`);
    if (code) assert.deepEqual([bad.body.error.code, bad.body.error.field], [code, field]);
    else assert.match(bad.body.error.field, /^measurement\./);
  }
  const ok = await op.post(`/api/v1/children/${id}/checkups`, body);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.measurement.weight_kg, 10.1);
  const growth = (await op.get(`/api/v1/children/${id}/growth`)).body.measurements;
  assert.equal(growth.length, before + 1, 'one measurement, in the growth store');
  assert.equal(growth.at(-1).measured_on, '2026-05-25');
  const r = (await op.get(`/api/v1/children/${id}/checkups`)).body;
  const m12 = byCode(r.schedule).m12;
  assert.deepEqual([m12.status, m12.done_on, m12.timing], ['done', '2026-05-25', 'late']); // window 2026-02-10 … 03-09
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].measurement.id, ok.body.measurement.id);
  assert.equal(r.records[0].examiner, '李医生');
  // without the guardian's consent nothing is written, not even the measurement
  const bare = await placed('2025-02-10', '2026-01-05', false);
  const refused = await op.post(`/api/v1/children/${bare}/checkups`, body);
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'health_consent_missing');
  assert.equal((await op.get(`/api/v1/children/${bare}/growth`)).body.measurements.length, 0);
  assert.equal((await op.get(`/api/v1/children/${bare}/checkups`)).body.records.length, 0);
});

test('screenings: tool, result, referral (required when referred); read by the family and the instructor of the home institution, not another institution', async () => {
  const homeOp = await srv.login(`inst-${home.institution_id}`);
  const refer = { tool: 'mchat_rf', screened_on: '2026-05-30', result: 'refer', follow_up: '一个月后复查' };
  const bad = await homeOp.post(`/api/v1/children/${home.id}/screenings`, refer);
  assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.field], [422, 'required', 'referral_to']);
  assert.equal((await homeOp.post(`/api/v1/children/${home.id}/screenings`, { ...refer, tool: 'cbcl', referral_to: '区妇幼保健院' })).body.error.code, 'bad_tool');
  const ok = await instructor.post(`/api/v1/children/${home.id}/screenings`, { ...refer, referral_to: '区妇幼保健院儿童保健科' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal((await homeOp.post(`/api/v1/children/${home.id}/screenings`, { tool: 'warning_signs', screened_on: '2026-05-31', result: 'normal' })).status, 201);
  const seen = await family.get(`/api/v1/children/${home.id}/checkups`);
  assert.equal(seen.status, 200, seen.text);
  assert.deepEqual(seen.body.screenings.map((s) => [s.tool, s.result, s.referral_to]),
    [['warning_signs', 'normal', null], ['mchat_rf', 'refer', '区妇幼保健院儿童保健科']]);
  assert.equal((await otherOp.get(`/api/v1/children/${home.id}/checkups`)).status, 404);
  assert.equal((await otherOp.post(`/api/v1/children/${home.id}/screenings`, { tool: 'asq3', screened_on: '2026-05-30', result: 'normal' })).status, 404);
  assert.equal((await family.post(`/api/v1/children/${home.id}/screenings`, { tool: 'asq3', screened_on: '2026-05-30', result: 'normal' })).status, 403);
  assert.equal((await town.get(`/api/v1/children/${home.id}/checkups`)).status, 403);
});

test('due lists: the institution sees its children in care with due or overdue checks (full names, audited), another institution none of them; the instructor its assigned institutions (names masked); the family its own', async () => {
  const due = await placed('2024-05-20', '2026-01-20');       // the 24-month check due
  const overdue = await placed('2025-02-10', '2026-01-05');   // the 12-month check overdue
  const done = await placed('2024-05-20', '2026-01-20');
  assert.equal((await op.post(`/api/v1/children/${done}/checkups`, { check_code: 'm24', checked_on: '2026-05-28', place: '园内保健室', examiner: '王保健', result: 'normal' })).status, 201);
  const r = await op.get(`/api/v1/checkups/due?institution_id=${inst}`);
  assert.equal(r.status, 200, r.text);
  const rows = Object.fromEntries(r.body.items.map((x) => [x.child_id, x]));
  assert.deepEqual(rows[due].checks.map((c) => [c.code, c.status]), [['m24', 'due']]);
  assert.deepEqual(rows[overdue].checks.map((c) => [c.code, c.status]), [['m12', 'overdue']]);
  assert.equal(rows[done], undefined, 'a child whose due check is done is not listed');
  assert.equal(rows[due].child_name, '体检宝宝', 'full names for the child\'s own institution');
  const log = await (await srv.login('auditor')).get('/api/v1/audit?limit=100&action=child.read');
  assert.ok(log.body.items.some((a) => JSON.stringify(a).includes('/api/v1/checkups/due') && JSON.stringify(a).includes(String(due))),
    'the full names shown are audited');
  assert.ok(r.body.items.every((x) => x.institution_id === inst));
  const other = await otherOp.get('/api/v1/checkups/due');
  assert.equal(other.status, 200);
  assert.ok(other.body.items.every((x) => x.institution_id === otherInst));
  assert.equal((await otherOp.get(`/api/v1/checkups/due?institution_id=${inst}`)).body.items.length, 0, 'another institution sees none of them');
  // the family's own child at the home institution: the instructor and the family see it
  const homeOp = await placeHome();
  const homeDue = (await homeOp.get(`/api/v1/children/${home.id}/checkups`)).body.schedule.filter((c) => c.in_care && ['due', 'overdue'].includes(c.status));
  const mine = await family.get('/api/v1/checkups/due');
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.body.items.every((x) => x.family_user_id === family.user.id));
  const ins = await instructor.get('/api/v1/checkups/due');
  assert.equal(ins.status, 200, ins.text);
  assert.ok(ins.body.items.every((x) => x.institution_id === home.institution_id), 'only the assigned institution');
  assert.ok(!ins.body.items.some((x) => x.institution_id === inst));
  assert.ok(ins.body.items.every((x) => x.child_name.includes('*')), 'names masked for the instructor');
  const homeName = (await homeOp.get(`/api/v1/children/${home.id}`)).body.name;
  for (const list of [mine, await homeOp.get('/api/v1/checkups/due')]) {
    const row = list.body.items.find((x) => x.child_id === home.id);
    if (row) assert.equal(row.child_name, homeName, 'full name for the family and the child\'s institution');
  }
  assert.equal(mine.body.items.some((x) => x.child_id === home.id), homeDue.length > 0);
  assert.equal(ins.body.items.some((x) => x.child_id === home.id), homeDue.length > 0);
  assert.equal((await town.get('/api/v1/checkups/due')).status, 403);
});

test('reminders: `tuoyu checkup-reminders` tells the family once per check window through the inbox; a second run sends nothing new', async () => {
  await placeHome();
  const schedule = (await family.get(`/api/v1/children/${home.id}/checkups`)).body.schedule;
  // the latest check not done whose window opened by the server's day: on its first day it is due
  const check = schedule.filter((c) => c.status !== 'done' && c.in_care && c.opens <= '2026-06-01').at(-1);
  assert.ok(check, JSON.stringify(schedule));
  const now = `${check.opens}T02:00:00Z`;
  const inbox = async () => (await family.get('/api/v1/inbox?limit=500')).body.items.filter((m) => m.kind === 'checkup.reminder');
  const before = (await inbox()).length;
  // checkup.remind_before_days (7) before the window opens: not on the 8th day before, on the 7th
  const daysBefore = (n) => new Date(Date.parse(`${check.opens}T02:00:00Z`) - n * 86400e3).toISOString().replace('.000Z', 'Z');
  const early = tuoyu(['checkup-reminders', '--now', daysBefore(8), ...srv.database.args]);
  assert.equal(early.status, 0, early.stderr);
  assert.equal((await inbox()).length, before, 'nothing 8 days before the window');
  const run = tuoyu(['checkup-reminders', '--now', daysBefore(7), ...srv.database.args]);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(Number(run.stdout) >= 1, run.stdout);
  const after1 = await inbox();
  assert.equal(after1.length, before + 1, 'one reminder for the family\'s one child in care with a check due');
  const m = after1.find((x) => x.subject.includes(check.name));
  assert.ok(m, JSON.stringify(after1));
  assert.ok(m.body.includes(check.opens) && m.body.includes(check.closes), m.body);
  // again the day the window opens and its last day: nothing new
  for (const again of [now, `${check.closes}T02:00:00Z`]) {
    const r = tuoyu(['checkup-reminders', '--now', again, ...srv.database.args]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await inbox()).length, before + 1);
  }
  const second = tuoyu(['checkup-reminders', '--now', now, ...srv.database.args]);
  assert.equal(second.stdout.trim(), '0');
});
