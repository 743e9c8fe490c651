// cases.test.mjs — 办托一件事 on the cases engine over HTTP, on SQLite and PostgreSQL: an operator
// files (submission checks name each missing material), the receipt is due 5 working days after
// 2024-09-30 (2024-10-12, across National Day), each department's reviewer sees exactly its own
// task and approves, the district administrator decides 备案, the institution is on the public
// 公示 list with its filing number and date; the deficiency path and the resubmission; who may
// not (403) and what the state does not allow (409 with the allowed events); reminders one
// working day before and overdue notices through the inbox; two administrators deciding one task
// at once (one wins, the other 409); a deadline in a year the calendar lacks (422 naming it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tuoyu } from '../lib/server.mjs';
import { child, pdfBytes, uploadTo } from '../lib/fixtures.mjs';

const NOW = '2024-09-30T02:00:00Z'; // 10:00 Beijing, a Monday before National Day
let srv, admin;
before(async () => {
  srv = await startServer({ now: NOW });
  admin = await srv.login('district-admin');
});
after(async () => { await srv.stop(); });

const REVIEWERS = { fire: 'dept-reviewer', market: 'dept-market', health: 'dept-health', education: 'dept-education', housing: 'dept-housing', emergency: 'dept-emergency' };
const used = new Set();

/** A pending (or filed) institution of an ordinary type (three departments review it), not used before. The
 * demo dates 普惠 recognitions around the real today, after this file's 2024 clock: the
 * administrator takes the recognition off first, so the record is valid on the clock's day. */
async function unusedInstitution(a = admin, anyModel = false, status = 'pending') {
  const r = await a.get(`/api/v1/institutions?status=${status}&limit=500`);
  assert.equal(r.status, 200, r.text);
  const inst = r.body.items.find((i) => !used.has(i.id) && (anyModel || !['family_point', 'kindergarten'].includes(i.operating_model)));
  assert.ok(inst, 'the demo has pending institutions');
  used.add(inst.id);
  const put = await a.put(`/api/v1/institutions/${inst.id}`, { inclusive: false, inclusive_since: null });
  assert.equal(put.status, 200, put.text);
  return inst;
}

/** A compliant record of institution id: one small class well within the rules, leased long. */
async function compliantRecord(id) {
  const rec = (await admin.get(`/api/v1/institutions/${id}`)).body;
  return { name: rec.name, town_code: rec.town_code, address: rec.address, lon: rec.lon, lat: rec.lat, premises: { tenure: 'owned', floor: 1, health_room_m2: 8, window_floor_ratio: 0.25 }, health_workers: 1 };
}

/** Open a filing as the operator, fill it compliant, attach every item of the checklist. */
async function preparedFiling(op, inst, { meals = false } = {}) {
  const c = await op.post('/api/v1/cases', { process: 'filing', institution_id: inst.id });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.body.state, 'draft');
  const id = c.body.id;
  const put = await op.put(`/api/v1/cases/${id}/institution`, await compliantRecord(inst.id));
  assert.equal(put.status, 200, put.text);
  assert.ok(Array.isArray(put.body.findings), 'findings answered while filling');
  const ck = await op.put(`/api/v1/cases/${id}/checklist`, { meals });
  assert.equal(ck.status, 200, ck.text);
  return { id, checklist: ck.body.checklist };
}

async function attachAll(op, id, checklist) {
  const materials = [];
  for (const item of checklist) {
    const up = await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`${id}-${item.item}`), `${item.name}.pdf`);
    assert.equal(up.status, 201, up.text);
    materials.push({ item: item.item, material_id: up.body.id });
  }
  const r = await op.put(`/api/v1/cases/${id}/checklist`, { materials });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.missing, []);
}

const event = (c, id, body) => c.post(`/api/v1/cases/${id}/events`, body);
const openTask = (kase, step) => kase.tasks.find((t) => t.state === 'open' && (!step || t.step === step));

test('办托一件事: operator files, every department reviews its own step, the administrator files, the public list shows it', async () => {
  const inst = await unusedInstitution();
  const op = await srv.login(`inst-${inst.id}`);
  const { id, checklist } = await preparedFiling(op, inst, { meals: true });
  assert.deepEqual(checklist.map((i) => i.item), ['business_licence', 'premises', 'staff_certificates', 'hygiene_report', 'fire_safety', 'food_licence', 'filing_form', 'undertaking']);
  // declared per step: each item names the steps that examine it
  const steps = Object.fromEntries(checklist.map((i) => [i.item, i.steps.map((x) => x.code)]));
  assert.deepEqual(steps.fire_safety, ['review_fire']);
  assert.deepEqual(steps.food_licence, ['review_market']);
  assert.deepEqual(steps.filing_form, ['receipt']);
  assert.equal(checklist.find((i) => i.item === 'hygiene_report').steps[0].name, '卫生评价审核（妇幼保健）');

  // 网上提交即刻办: the checks answer at once, each missing item named
  let r = await event(op, id, { event: 'submit', declaration: true });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'materials_missing');
  assert.equal(r.body.error.missing.length, 8);
  assert.match(r.body.error.message, /营业执照.*食品经营许可证.*承诺书/);
  await attachAll(op, id, checklist);
  r = await event(op, id, { event: 'submit' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'declaration_required');
  r = await event(op, id, { event: 'submit', declaration: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'submitted');
  assert.equal(r.body.submitted_on, '2024-09-30');
  // the receipt: 5 working days, National Day 10-01…10-07 off, Saturday 10-12 a working day
  assert.equal(openTask(r.body, 'receipt').due_on, '2024-10-12');

  // submitted: its materials are locked
  const late = await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes('late'), '迟到.pdf');
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, 'owner_locked');

  // the administrator's inbox: the receipt, 5 working days left
  r = await admin.get('/api/v1/tasks');
  assert.equal(r.status, 200, r.text);
  const receipt = r.body.items.find((t) => t.case_id === id);
  assert.equal(receipt.step, 'receipt');
  assert.equal(receipt.due_on, '2024-10-12');
  assert.equal(receipt.working_days_left, 5);
  assert.equal(receipt.overdue, false);
  assert.equal(r.body.total, 1);
  // nobody else may receive it; the state does not allow what it does not allow
  r = await event(op, id, { event: 'receive', task_id: receipt.id });
  assert.equal(r.status, 403, r.text);
  r = await event(op, id, { event: 'submit', declaration: true });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'event_not_allowed');
  assert.deepEqual(r.body.error.allowed.map((a) => a.event), ['receive', 'deficiency']);
  r = await event(admin, id, { event: 'receive', task_id: receipt.id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'review');
  const depts = r.body.tasks.filter((t) => t.state === 'open').map((t) => t.department).sort();
  assert.deepEqual(depts, ['fire', 'health', 'market']);
  for (const t of r.body.tasks.filter((x) => x.state === 'open')) assert.equal(t.due_on, '2024-10-25'); // 15 working days

  // each department's reviewer sees exactly its own task; the others none
  const reviewers = {};
  for (const [dept, login] of Object.entries(REVIEWERS)) {
    reviewers[dept] = await srv.login(login);
    const inbox = await reviewers[dept].get('/api/v1/tasks');
    assert.equal(inbox.status, 200, inbox.text);
    const mine = inbox.body.items.filter((t) => t.case_id === id);
    if (depts.includes(dept)) {
      assert.equal(mine.length, 1, `${dept} sees its own task`);
      assert.equal(mine[0].department, dept);
    } else {
      assert.equal(mine.length, 0, `${dept} sees nothing of this filing`);
    }
  }
  // a reviewer of another department may not decide the fire step
  const fireTask = (await reviewers.fire.get('/api/v1/tasks')).body.items.find((t) => t.case_id === id);
  r = await event(reviewers.market, id, { event: 'approve', task_id: fireTask.id });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'other_department');
  // the administrator may not review
  r = await event(admin, id, { event: 'approve', task_id: fireTask.id });
  assert.equal(r.status, 403);
  for (const dept of depts) {
    const t = (await reviewers[dept].get('/api/v1/tasks')).body.items.find((x) => x.case_id === id);
    r = await event(reviewers[dept], id, { event: 'approve', task_id: t.id, comment: '符合要求' });
    assert.equal(r.status, 200, r.text);
  }
  assert.equal(r.body.state, 'deciding');
  const decision = openTask(r.body, 'decision');
  assert.equal(decision.due_on, '2024-10-25');

  // 备案: the institution is filed and on the public list with its number and date
  r = await event(admin, id, { event: 'file', task_id: decision.id, comment: '予以备案' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'filed');
  assert.equal(r.body.final, true);
  assert.deepEqual(r.body.history.map((h) => h.event), ['submit', 'receive', 'approve', 'approve', 'approve', 'file']);
  assert.equal((await admin.get(`/api/v1/institutions/${inst.id}`)).body.status, 'filed');
  const pub = await srv.client().get('/api/v1/public/filings?limit=500');
  assert.equal(pub.status, 200);
  const entry = pub.body.items.find((f) => f.institution_id === inst.id);
  assert.equal(entry.filing_no, '330304-2024-0001');
  assert.equal(entry.filed_on, '2024-09-30');
  const search = await srv.client().get(`/api/v1/public/institutions/${inst.id}`);
  assert.equal(search.status, 200);
  // the administrator's list by state and town
  const byTown = await admin.get(`/api/v1/cases?state=filed&town=${inst.town_code}`);
  assert.equal(byTown.status, 200, byTown.text);
  assert.ok(byTown.body.items.some((c) => c.id === id));
  assert.ok(byTown.body.items.every((c) => c.state === 'filed' && c.town_code === inst.town_code));
  const otherTown = inst.town_code === '330304001' ? '330304002' : '330304001';
  assert.ok(!(await admin.get(`/api/v1/cases?town=${otherTown}`)).body.items.some((c) => c.id === id));
  // and the inbox is empty again
  assert.equal((await admin.get('/api/v1/tasks')).body.items.filter((t) => t.case_id === id).length, 0);
});

test('the dashboard\'s filed-this-year figure: the filings decided from 1 January to today, district and town', async () => {
  // nothing is cancelled yet: what the 公示 list shows decided in 2024 up to the clock's day
  const pub = (await srv.client().get('/api/v1/public/filings?limit=500')).body.items;
  const inYear = (f) => f.filed_on >= '2024-01-01' && f.filed_on <= '2024-09-30';
  const d = await admin.get('/api/v1/dashboard');
  assert.equal(d.status, 200, d.text);
  assert.equal(d.body.filings.year, '2024');
  assert.ok(d.body.filings.filed_this_year >= 1, 'the filing decided above counts');
  assert.equal(d.body.filings.filed_this_year, pub.filter(inYear).length);
  const town = pub.find((f) => f.filed_on === '2024-09-30').town_code;
  const t = await (await srv.login(`town-${town}`)).get('/api/v1/dashboard');
  assert.equal(t.status, 200, t.text);
  assert.equal(t.body.filings.filed_this_year, pub.filter((f) => inYear(f) && f.town_code === town).length);
});

test('deficiency: a department sends the filing back naming the items, the operator corrects and resubmits', async () => {
  const inst = await unusedInstitution();
  const op = await srv.login(`inst-${inst.id}`);
  const { id, checklist } = await preparedFiling(op, inst);
  await attachAll(op, id, checklist);
  let r = await event(op, id, { event: 'submit', declaration: true });
  assert.equal(r.status, 200, r.text);
  r = await event(admin, id, { event: 'receive', task_id: openTask(r.body, 'receipt').id });
  assert.equal(r.status, 200, r.text);
  const fire = await srv.login('dept-reviewer');
  const market = await srv.login('dept-market');
  const fireTask = openTask(r.body, 'review_fire');
  r = await event(fire, id, { event: 'return', task_id: fireTask.id });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'comment_required');
  r = await event(fire, id, { event: 'return', task_id: fireTask.id, comment: '消防安全检查合格证明已过期', items: ['fire_safety'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'deficient');
  assert.deepEqual(r.body.history.at(-1).items, ['fire_safety']);
  // the other departments' steps are closed: nothing left in their inbox
  assert.equal((await market.get('/api/v1/tasks')).body.items.filter((t) => t.case_id === id).length, 0);
  // the operator's correction task, 30 calendar days
  const mine = await op.get('/api/v1/tasks');
  const correct = mine.body.items.find((t) => t.case_id === id);
  assert.equal(correct.step, 'correct');
  assert.equal(correct.due_on, '2024-10-30');
  // unlocked: a new certificate replaces the old one
  const up = await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`${id}-new-fire`), '消防安全检查合格证明（新）.pdf');
  assert.equal(up.status, 201, up.text);
  const materials = r.body.data.materials.map((m) => (m.item === 'fire_safety' ? { item: m.item, material_id: up.body.id } : m));
  assert.equal((await op.put(`/api/v1/cases/${id}/checklist`, { materials })).status, 200);
  r = await event(op, id, { event: 'submit', declaration: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'submitted');
  assert.equal(openTask(r.body, 'receipt').due_on, '2024-10-12');
  assert.equal(r.body.tasks.find((t) => t.step === 'correct').state, 'done');
});

test('two administrators deciding one task at once: one wins, the other gets 409', async () => {
  const cli = tuoyu(['user', 'add', 'second-admin', '--role', 'district_admin', '--name', '第二管理员', '--password', srv.password, ...srv.database.args]);
  assert.equal(cli.status, 0, cli.stderr);
  const admin2 = await srv.login('second-admin');
  const inst = await unusedInstitution();
  const op = await srv.login(`inst-${inst.id}`);
  const { id, checklist } = await preparedFiling(op, inst);
  await attachAll(op, id, checklist);
  const r = await event(op, id, { event: 'submit', declaration: true });
  const task = openTask(r.body, 'receipt');
  const both = await Promise.all([
    event(admin, id, { event: 'receive', task_id: task.id }),
    event(admin2, id, { event: 'receive', task_id: task.id }),
  ]);
  assert.deepEqual(both.map((x) => x.status).sort(), [200, 409], both.map((x) => x.text).join('\n'));
  const lost = both.find((x) => x.status === 409);
  assert.ok(['task_closed', 'event_not_allowed', 'case_changed'].includes(lost.body.error.code), lost.text);
  const kase = (await admin.get(`/api/v1/cases/${id}`)).body;
  assert.equal(kase.history.filter((h) => h.event === 'receive').length, 1);
});

test('reminders one working day before and overdue notices reach the inbox; overdue tasks first and red', async () => {
  // a filing submitted on 2024-09-30 and left unreceived
  const inst = await unusedInstitution();
  const op = await srv.login(`inst-${inst.id}`);
  const { id, checklist } = await preparedFiling(op, inst);
  await attachAll(op, id, checklist);
  // the dashboard's filing figures: a draft is not counted, a submission is, its receipt not yet overdue
  const figures = async (a) => { const d = await a.get('/api/v1/dashboard'); assert.equal(d.status, 200, d.text); return d.body.filings; };
  const before = await figures(admin);
  assert.equal(before.receipts_overdue, 0);
  assert.equal((await event(op, id, { event: 'submit', declaration: true })).status, 200);
  const submitted = await figures(admin);
  assert.equal(submitted.submitted_open, before.submitted_open + 1);
  assert.equal(submitted.receipts_overdue, 0, 'due 2024-10-12, not overdue on 09-30');
  const town = await figures(await srv.login(`town-${inst.town_code}`));
  assert.ok(town.submitted_open >= 1 && town.submitted_open <= submitted.submitted_open);
  const kinds = async (srvAt) => {
    const a = await srvAt.login('district-admin');
    const inbox = await a.get('/api/v1/inbox?limit=500');
    assert.equal(inbox.status, 200, inbox.text);
    return { a, kinds: inbox.body.items.filter((m) => m.ref_type === 'case_task').map((m) => m.kind) };
  };
  assert.deepEqual((await kinds(srv)).kinds, []);
  // Friday 2024-10-11, 10:00: one working day before the receipt is due
  const friday = await startServer({ now: '2024-10-11T02:00:00Z', database: srv.database });
  try {
    const { a, kinds: k } = await kinds(friday);
    assert.ok(k.includes('case.task.reminder'), k.join());
    assert.ok(!k.includes('case.task.overdue'));
    const t = (await a.get('/api/v1/tasks')).body.items.find((x) => x.case_id === id);
    assert.equal(t.working_days_left, 1);
    assert.equal(t.overdue, false);
  } finally { await friday.stop({ keepDatabase: true }); }
  // Monday 2024-10-14: overdue
  const monday = await startServer({ now: '2024-10-14T02:00:00Z', database: srv.database });
  try {
    const { a, kinds: k } = await kinds(monday);
    assert.ok(k.includes('case.task.overdue'), k.join());
    const tasks = await a.get('/api/v1/tasks');
    const t = tasks.body.items.find((x) => x.case_id === id);
    assert.equal(t.overdue, true);
    assert.equal(t.working_days_left, -1);
    assert.ok(tasks.body.overdue >= 1);
    assert.equal(tasks.body.items[0].overdue, true, 'overdue first');
    // every filing still waiting for its receipt (all submitted on 09-30) is overdue on the dashboard
    const waiting = (await a.get('/api/v1/cases?state=submitted')).body.items.filter((c) => c.process === 'filing');
    assert.ok(waiting.some((c) => c.id === id));
    const m = await figures(a);
    assert.equal(m.receipts_overdue, waiting.length);
    assert.equal(m.submitted_open, submitted.submitted_open);
  } finally { await monday.stop({ keepDatabase: true }); }
});

test('a deadline in a year the calendar does not hold: 422 naming the year, nothing written', async () => {
  const late = await startServer({ now: '2026-12-28T02:00:00Z', database: srv.database });
  try {
    const a = await late.login('district-admin');
    const inst = await unusedInstitution(a);
    const op = await late.login(`inst-${inst.id}`);
    const { id, checklist } = await preparedFiling(op, inst);
    await attachAll(op, id, checklist);
    const r = await event(op, id, { event: 'submit', declaration: true });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.code, 'calendar_year_missing');
    assert.match(r.body.error.message, /2027/);
    const kase = (await op.get(`/api/v1/cases/${id}`)).body;
    assert.equal(kase.state, 'draft');
    assert.equal(kase.history.length, 0);
  } finally { await late.stop({ keepDatabase: true }); }
});

test('a calendar-day deadline in a year the calendar lacks: the notice goes out, the inbox shows the day with no count', async () => {
  const december = await startServer({ now: '2026-12-10T02:00:00Z', database: srv.database });
  try {
    const a = await december.login('district-admin');
    const inst = await unusedInstitution(a, true, 'filed');
    const op = await december.login(`inst-${inst.id}`);
    const c = await op.post('/api/v1/cases', { process: 'cancel', institution_id: inst.id });
    const up = await uploadTo(op, `/api/v1/cases/${c.body.id}/materials`, pdfBytes(`december-${c.body.id}`), '注销申请.pdf');
    await op.put(`/api/v1/cases/${c.body.id}/checklist`, { materials: [{ item: 'cancel_statement', material_id: up.body.id }] });
    let r = await event(op, c.body.id, { event: 'submit', declaration: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(openTask(r.body, 'decision').due_on, '2026-12-31'); // 15 working days
    r = await event(a, c.body.id, { event: 'deficiency', task_id: openTask(r.body, 'decision').id, comment: '缺少在托婴幼儿安置说明' });
    assert.equal(r.status, 200, r.text);
    const correct = openTask(r.body, 'correct');
    assert.equal(correct.due_on, '2027-01-09'); // 30 calendar days
    const inbox = await op.get('/api/v1/tasks');
    assert.equal(inbox.status, 200, inbox.text);
    const t = inbox.body.items.find((x) => x.id === correct.id);
    assert.equal(t.due_on, '2027-01-09');
    assert.equal(t.working_days_left, null);
    assert.equal(t.overdue, false);
  } finally { await december.stop({ keepDatabase: true }); }
});

test('cancellation runs on the same engine: the institution leaves the public list, families with applications naming it are told', async () => {
  const inst = await unusedInstitution(admin, false, 'filed');
  // a family with an application naming it is told of the cancellation
  const family = await srv.login('family');
  const classType = (await admin.get(`/api/v1/institutions/${inst.id}`)).body.classes[0].class_type;
  const birth = { infant: '2024-01-10', toddler_young: '2023-03-10', toddler_old: '2022-03-10', mixed: '2022-09-10' }[classType];
  const kid = await child(family, birth, { name: '注销测试' });
  const app = await family.post('/api/v1/applications', { child_id: kid, intake: '2024-11', choices: [{ institution_id: inst.id, class_type: classType }] });
  assert.equal(app.status, 201, app.text);
  const op = await srv.login(`inst-${inst.id}`);
  // a filing is only for institutions not yet filed
  let r = await op.post('/api/v1/cases', { process: 'filing', institution_id: inst.id });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'wrong_status');
  r = await op.post('/api/v1/cases', { process: 'cancel', institution_id: inst.id });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  assert.deepEqual(r.body.checklist.map((i) => i.item), ['cancel_statement']);
  const up = await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`cancel-${id}`), '注销申请.pdf');
  assert.equal((await op.put(`/api/v1/cases/${id}/checklist`, { materials: [{ item: 'cancel_statement', material_id: up.body.id }] })).status, 200);
  r = await event(op, id, { event: 'submit', declaration: true });
  assert.equal(r.status, 200, r.text);
  r = await event(admin, id, { event: 'file', task_id: openTask(r.body, 'decision').id, comment: '准予注销' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'cancelled');
  assert.equal((await admin.get(`/api/v1/institutions/${inst.id}`)).body.status, 'closed');
  assert.equal((await srv.client().get(`/api/v1/public/institutions/${inst.id}`)).status, 404);
  assert.ok(!(await srv.client().get('/api/v1/public/filings?limit=500')).body.items.some((f) => f.institution_id === inst.id));
  const told = (await family.get('/api/v1/inbox?limit=500')).body.items.filter((m) => m.kind === 'institution.cancelled');
  assert.equal(told.length, 1);
  assert.equal(told[0].ref_id, inst.id);
});

test('change filing: the departments review the changed record, the decision applies it and dates the change', async () => {
  const inst = await unusedInstitution(admin, false, 'filed');
  const op = await srv.login(`inst-${inst.id}`);
  let r = await op.post('/api/v1/cases', { process: 'change', institution_id: inst.id });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  assert.deepEqual(r.body.checklist.map((i) => i.item), ['filing_form', 'change_evidence']);
  r = await op.put(`/api/v1/cases/${id}/institution`, { ...(await compliantRecord(inst.id)), address: '瓯海区变更路8号' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data.institution.address, '瓯海区变更路8号');
  // the registry is unchanged until the decision
  assert.notEqual((await admin.get(`/api/v1/institutions/${inst.id}`)).body.address, '瓯海区变更路8号');
  await attachAll(op, id, r.body.checklist);
  r = await event(op, id, { event: 'submit', declaration: true });
  assert.equal(r.status, 200, r.text);
  r = await event(admin, id, { event: 'receive', task_id: openTask(r.body, 'receipt').id });
  assert.equal(r.status, 200, r.text);
  for (const t of r.body.tasks.filter((x) => x.state === 'open')) {
    const reviewer = await srv.login(REVIEWERS[t.department]);
    r = await event(reviewer, id, { event: 'approve', task_id: t.id });
    assert.equal(r.status, 200, r.text);
  }
  r = await event(admin, id, { event: 'file', task_id: openTask(r.body, 'decision').id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'changed');
  const after = (await admin.get(`/api/v1/institutions/${inst.id}`)).body;
  assert.equal(after.address, '瓯海区变更路8号');
  assert.equal(after.status, 'filed');
  const entry = (await srv.client().get('/api/v1/public/filings?limit=500')).body.items.find((f) => f.institution_id === inst.id);
  assert.equal(entry.changed_on, '2024-09-30');
});

test('家庭托育点: its own checklist, departments and carers rule', async () => {
  const inst = await unusedInstitution(admin, true);
  assert.equal((await admin.put(`/api/v1/institutions/${inst.id}`, { operating_model: 'family_point' })).status, 200);
  const op = await srv.login(`inst-${inst.id}`);
  let r = await op.post('/api/v1/cases', { process: 'filing', institution_id: inst.id });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  const record = { ...(await compliantRecord(inst.id)), fees: [{ item: '保育费', category: 'basic', amount_fen: 150000, unit: '月' }] };
  r = await op.put(`/api/v1/cases/${id}/institution`, { ...record, classes: [{ class_type: 'mixed', name: '混龄', capacity: 5, enrolled: 4, caregivers: 1 }] });
  assert.equal(r.status, 200, r.text);
  const carer = r.body.findings.find((f) => f.rule === 'family_point_carer');
  assert.ok(carer, JSON.stringify(r.body.findings));
  assert.equal(carer.severity, 'high');
  const checklist = r.body.checklist.map((i) => i.item);
  assert.ok(!checklist.includes('fire_safety') && !checklist.includes('hygiene_report'), checklist.join());
  assert.ok(checklist.includes('filing_form') && checklist.includes('undertaking'));
  await attachAll(op, id, r.body.checklist);
  r = await event(op, id, { event: 'submit', declaration: true });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'rule_findings');
  assert.ok(r.body.error.findings.some((f) => f.rule === 'family_point_carer'));
  r = await op.put(`/api/v1/cases/${id}/institution`, { ...record, classes: [{ class_type: 'mixed', name: '混龄', capacity: 5, enrolled: 4, caregivers: 2 }] });
  assert.equal(r.status, 200, r.text);
  assert.ok(!r.body.findings.some((f) => f.severity === 'high'), JSON.stringify(r.body.findings));
  r = await event(op, id, { event: 'submit', declaration: true });
  assert.equal(r.status, 200, r.text);
  r = await event(admin, id, { event: 'receive', task_id: openTask(r.body, 'receipt').id });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.tasks.filter((t) => t.state === 'open').map((t) => t.department).sort(), ['emergency', 'housing', 'market']);
});

test('a new reviewer is given a department by the security administrator and sees that department’s steps', async () => {
  const cli = tuoyu(['user', 'add', 'market-2', '--role', 'dept_reviewer', '--name', '市场监管审核员二', '--password', srv.password, ...srv.database.args]);
  assert.equal(cli.status, 0, cli.stderr);
  const sec = await srv.login('security-admin');
  const users = (await sec.get('/api/v1/users?limit=500')).body.items;
  const reviewer = users.find((u) => u.login === 'market-2');
  const notReviewer = users.find((u) => u.login === 'family');
  let r = await sec.put(`/api/v1/users/${notReviewer.id}/department`, { department: 'market' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'not_reviewer');
  r = await sec.put(`/api/v1/users/${reviewer.id}/department`, { department: 'nowhere' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'unknown_department');
  const m2 = await srv.login('market-2');
  assert.equal((await m2.get('/api/v1/tasks')).body.total, 0, 'no department: no department steps');
  r = await sec.put(`/api/v1/users/${reviewer.id}/department`, { department: 'market' });
  assert.equal(r.status, 200, r.text);
  const market = await srv.login('dept-market');
  const theirs = (await market.get('/api/v1/tasks')).body.total;
  assert.ok(theirs > 0, 'earlier tests left market steps open');
  assert.equal((await m2.get('/api/v1/tasks')).body.total, theirs);
  assert.equal((await admin.put(`/api/v1/users/${reviewer.id}/department`, { department: 'fire' })).status, 403);
});

test('an upload racing the submission: stored before the lock, or refused with nothing stored', async () => {
  const inst = await unusedInstitution(admin, true, 'filed');
  const op = await srv.login(`inst-${inst.id}`);
  const c = await op.post('/api/v1/cases', { process: 'cancel', institution_id: inst.id });
  assert.equal(c.status, 201, c.text);
  const id = c.body.id;
  const up = await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`race-${id}`), '注销申请.pdf');
  assert.equal((await op.put(`/api/v1/cases/${id}/checklist`, { materials: [{ item: 'cancel_statement', material_id: up.body.id }] })).status, 200);
  const [late, submitted] = await Promise.all([
    uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`race-late-${id}`), '补充说明.pdf'),
    event(op, id, { event: 'submit', declaration: true }),
  ]);
  assert.equal(submitted.status, 200, submitted.text);
  const listed = (await op.get(`/api/v1/cases/${id}/materials`)).body.items.map((m) => m.name);
  if (late.status === 201) {
    assert.deepEqual(listed.sort(), ['注销申请.pdf', '补充说明.pdf'].sort());
  } else {
    assert.equal(late.status, 409, late.text);
    assert.equal(late.body.error.code, 'owner_locked');
    assert.deepEqual(listed, ['注销申请.pdf']);
  }
  // and now it is locked
  const after = await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`race-after-${id}`), '再补充.pdf');
  assert.equal(after.status, 409);
});
