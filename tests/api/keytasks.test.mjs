// keytasks.test.mjs — the pilot's key-task plan (重点工作计划, issue 19 item 3): the demo holds the
// plan's tasks with owners and deadlines (one overdue); the district writes a task with milestones
// (bad owners, kinds and milestone dates refused with the field, nothing written); a town reports
// progress on its own tasks only; a task is done only with evidence; the plan by owner counts
// tasks, done and overdue; the district cancels with a reason; everything is in the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { pdfBytes, uploadTo } from '../lib/fixtures.mjs';

const HOME = '330304001', OTHER = '330304002';
let srv, admin, town, otherTown, reviewer, op, auditor, today;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
  town = await srv.login(`town-${HOME}`);
  otherTown = await srv.login(`town-${OTHER}`);
  reviewer = await srv.login('dept-reviewer');
  auditor = await srv.login('auditor');
  const inst = (await admin.get(`/api/v1/institutions?town=${HOME}&limit=1`)).body.items[0].id;
  op = await srv.login(`inst-${inst}`);
  today = (await admin.get('/api/v1/public/labels')).body.as_of;
});
after(async () => { await srv.stop(); });

const day = (n) => { const d = new Date(`${today}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); };
const expectError = (r, status, code, field) =>
  assert.deepEqual([r.status, r.body?.error?.code, field === undefined ? undefined : r.body?.error?.field], [status, code, field], r.text);

test('the plan of the demo, by owner, with what is overdue', async () => {
  const r = await reviewer.get('/api/v1/key-tasks');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.items.length >= 12);
  const dues = r.body.items.map((t) => t.due_on);
  assert.deepEqual(dues, [...dues].sort(), 'in deadline order');
  const late = r.body.items.filter((t) => t.overdue);
  assert.deepEqual(late.map((t) => [t.owner_name, t.state]), [['梧田街道', 'in_progress']], 'the one task past its deadline and not done');
  assert.ok(r.body.items.every((t) => t.overdue === (t.due_on < today && !['done', 'cancelled'].includes(t.state))));
  const dev = r.body.owners.find((o) => o.owner_code === 'development');
  assert.deepEqual([dev.owner_name, dev.tasks, dev.done], ['发展改革', 2, 1]);
  assert.equal(r.body.owners.reduce((s, o) => s + o.tasks, 0), r.body.items.length);
  const mine = await town.get(`/api/v1/key-tasks?owner_kind=town&owner_code=${HOME}`);
  assert.ok(mine.body.items.length >= 2 && mine.body.items.every((t) => t.owner_code === HOME));
  assert.deepEqual((await admin.get('/api/v1/key-tasks?overdue=1')).body.items.map((t) => t.id), late.map((t) => t.id));
  assert.equal((await op.get('/api/v1/key-tasks')).status, 403, 'institutions do not read the plan');
  // the dashboard's tile: the district's plan, and a town's own tasks
  const tile = (await admin.get('/api/v1/dashboard')).body.pilot.key_tasks;
  const live = r.body.items.filter((t) => t.state !== 'cancelled');
  assert.deepEqual(tile, { tasks: live.length, done: live.filter((t) => t.state === 'done').length, overdue: late.length });
  const own = (await town.get('/api/v1/dashboard')).body.pilot.key_tasks;
  assert.equal(own.tasks, mine.body.items.filter((t) => t.state !== 'cancelled').length);
});

test('the district writes a task; its owner reports progress, done only with evidence', async () => {
  const good = { item: '四(四)12', title: '镇街托育机构信息全部录入平台', owner_kind: 'town', owner_code: HOME, due_on: day(60),
    milestones: [{ title: '完成机构摸排', due_on: day(10) }, { title: '完成录入', due_on: day(50) }] };
  for (const [body, code, field] of [
    [{ ...good, owner_kind: 'village' }, 'bad_owner_kind', 'owner_kind'],
    [{ ...good, owner_code: '' }, 'owner_required', 'owner_code'],
    [{ ...good, owner_code: '330305001' }, 'unknown_owner', 'owner_code'],
    [{ ...good, owner_kind: 'department', owner_code: 'no_such' }, 'unknown_owner', 'owner_code'],
    [{ ...good, owner_kind: 'district' }, 'owner_not_allowed', 'owner_code'],
    [{ ...good, milestones: [{ title: '晚了', due_on: day(61) }] }, 'milestone_after_deadline', 'milestones[0].due_on'],
    [{ ...good, due_on: '2026-02-30' }, 'bad_date', 'due_on'],
  ]) expectError(await admin.post('/api/v1/key-tasks', body), 422, code, field);
  const before = (await admin.get('/api/v1/key-tasks')).body.items.length;
  expectError(await town.post('/api/v1/key-tasks', good), 403, 'forbidden');
  let r = await admin.post('/api/v1/key-tasks', good);
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  assert.equal((await admin.get('/api/v1/key-tasks')).body.items.length, before + 1, 'only the good one written');
  assert.deepEqual([r.body.state, r.body.owner_name, r.body.milestones.length, r.body.overdue], ['planned', '景山街道', 2, false]);

  // who may report: the town of the task, and the district; not another town, not a department
  expectError(await otherTown.post(`/api/v1/key-tasks/${id}/reports`, { state: 'in_progress', note: 'x' }), 404, 'not_found');
  expectError(await reviewer.post(`/api/v1/key-tasks/${id}/reports`, { state: 'in_progress', note: 'x' }), 403, 'forbidden');
  expectError(await town.post(`/api/v1/key-tasks/${id}/reports`, { state: 'planned', note: 'x' }), 422, 'bad_state', 'state');
  expectError(await town.post(`/api/v1/key-tasks/${id}/reports`, { state: 'in_progress', note: 'x', milestones_done: [2] }), 422, 'unknown_milestone', 'milestones_done[0]');
  r = await town.post(`/api/v1/key-tasks/${id}/reports`, { state: 'in_progress', note: '已完成 11 家机构摸排', milestones_done: [0] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.state, r.body.milestones[0].done_on, r.body.milestones[1].done_on, r.body.last_note], ['in_progress', today, null, '已完成 11 家机构摸排']);

  // done needs evidence: refused without, nothing changed; accepted once a file is attached
  expectError(await town.post(`/api/v1/key-tasks/${id}/reports`, { state: 'done', note: '全部录入' }), 422, 'evidence_required', 'state');
  r = await town.get(`/api/v1/key-tasks/${id}`);
  assert.deepEqual([r.body.state, r.body.updates.length], ['in_progress', 1]);
  expectError(await uploadTo(otherTown, `/api/v1/key-tasks/${id}/materials`, pdfBytes('他镇'), '他镇.pdf'), 404, 'not_found');
  assert.equal((await uploadTo(town, `/api/v1/key-tasks/${id}/materials`, pdfBytes('录入清单'), '录入清单.pdf')).status, 201);
  r = await town.post(`/api/v1/key-tasks/${id}/reports`, { state: 'done', note: '全部录入', milestones_done: [1] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.state, r.body.done_on, r.body.evidence, r.body.updates.map((u) => u.state)], ['done', today, 1, ['done', 'in_progress']]);
  expectError(await town.post(`/api/v1/key-tasks/${id}/reports`, { state: 'in_progress', note: '再报' }), 409, 'task_closed');
  expectError(await admin.post(`/api/v1/key-tasks/${id}/cancel`, { reason: '撤销' }), 409, 'task_closed');

  // the district moves a deadline (milestones kept with their done days) and cancels another task
  r = await admin.put(`/api/v1/key-tasks/${id}`, { ...good, due_on: day(90) });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.due_on, r.body.milestones[0].done_on], [day(90), today]);
  const other = (await admin.get(`/api/v1/key-tasks?owner_kind=town&owner_code=${OTHER}`)).body.items[0];
  expectError(await admin.post(`/api/v1/key-tasks/${other.id}/cancel`, {}), 422, 'required', 'reason');
  r = await admin.post(`/api/v1/key-tasks/${other.id}/cancel`, { reason: '并入区级任务' });
  assert.deepEqual([r.status, r.body.state, r.body.overdue], [200, 'cancelled', false]);

  for (const action of ['plan.create', 'plan.report', 'plan.update', 'plan.cancel'])
    assert.ok((await auditor.get(`/api/v1/audit?limit=50&action=${action}`)).body.items.length >= 1, action);
});
