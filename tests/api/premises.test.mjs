// premises.test.mjs — the register of idle state premises (国有闲置房源, C1.4) over HTTP, on SQLite
// and PostgreSQL: the district and each town (its own) enter, edit and withdraw entries, validated
// (coordinates inside the district, a known town, no floor 0; nothing written on bad input), each
// write audited; an available entry is one of planning's idle_premises candidates; a 普惠
// institution's operator sees the available entries and applies through a case of the "premises"
// process on the cases engine — a non-普惠 one gets 422 not_inclusive; the administrator allocates
// it on the case (the entry then belongs to the institution and leaves planning's candidates), a
// second allocation of the same entry is 409 (also when two race), a refusal closes the case.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

let srv, admin, auditor;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
  auditor = await srv.login('auditor');
});
after(async () => { await srv.stop(); });

const JINGSHAN = '330304001';
const WUTIAN = '330304002';
const entry = (over = {}) => ({ town_code: JINGSHAN, address: '景山街道测试路 1 号', lon: 120.625, lat: 27.985, area_m2: 300, floor: 1, owner_unit: '瓯海区机关事务管理中心', relief_terms: '前三年免租', rent_free_months: 36, ...over });

async function auditHead() {
  const r = await auditor.get('/api/v1/audit?limit=1');
  assert.equal(r.status, 200, r.text);
  return r.body.items[0];
}
const count = async (c, path) => (await c.get(`${path}${path.includes('?') ? '&' : '?'}limit=500`)).body.items.length;

/** Filed institutions, one 普惠 and not, each given an operator session (the 普惠 one recognised today). */
const usedInst = new Set();
async function filedInstitution(inclusive) {
  const r = await admin.get('/api/v1/institutions?status=filed&limit=500');
  assert.equal(r.status, 200, r.text);
  const inst = r.body.items.find((i) => !usedInst.has(i.id));
  assert.ok(inst, 'the demo has filed institutions');
  usedInst.add(inst.id);
  const today = new Date().toISOString().slice(0, 10);
  const put = await admin.put(`/api/v1/institutions/${inst.id}`, inclusive ? { inclusive: true, inclusive_since: '2024-01-01', inclusive_basis: '瓯海区普惠性托育机构认定（测试）' } : { inclusive: false, inclusive_since: null });
  assert.equal(put.status, 200, `${put.text} (${today})`);
  return { inst, op: await srv.login(`inst-${inst.id}`) };
}

const openTask = (kase) => kase.tasks.find((t) => t.state === 'open');

/** Apply for entry id as op and submit the case: the case as answered. */
async function applyAndSubmit(op, id) {
  const a = await op.post(`/api/v1/premises/${id}/applications`, { plan: '拟设托小班、托大班各一个，收托 35 人，按普惠价收费' });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.body.state, 'draft');
  const s = await op.post(`/api/v1/cases/${a.body.case_id}/events`, { event: 'submit', declaration: true });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.state, 'submitted');
  assert.equal(s.body.process, 'premises');
  return s.body;
}

test('the demo register: the district sees every entry, a town its own, a reviewer reads, others refused', async () => {
  const all = await admin.get('/api/v1/premises?limit=500');
  assert.equal(all.status, 200, all.text);
  assert.ok(all.body.items.length >= 5, 'a handful of demo entries');
  for (const p of all.body.items) {
    assert.ok(p.address && p.owner_unit && p.area_m2 > 0 && p.town_name);
    assert.ok(['available', 'applied', 'allocated', 'withdrawn'].includes(p.status));
  }
  const town = await srv.login(`town-${JINGSHAN}`);
  const mine = await town.get('/api/v1/premises?limit=500');
  assert.equal(mine.status, 200);
  assert.ok(mine.body.items.length >= 1);
  assert.ok(mine.body.items.every((p) => p.town_code === JINGSHAN));
  const other = all.body.items.find((p) => p.town_code !== JINGSHAN);
  assert.equal((await town.get(`/api/v1/premises/${other.id}`)).status, 404, 'another town\'s entry is out of reach');
  assert.equal((await town.get(`/api/v1/premises/${mine.body.items[0].id}`)).status, 200);
  const reviewer = await srv.login('dept-reviewer');
  assert.equal((await reviewer.get(`/api/v1/premises/${other.id}`)).status, 200);
  assert.equal((await reviewer.post('/api/v1/premises', entry())).status, 403);
  const family = await srv.login('family');
  assert.equal((await family.get('/api/v1/premises')).status, 403);
  assert.equal((await family.get('/api/v1/premises/available')).status, 403);
  assert.equal((await admin.get('/api/v1/premises?status=bogus')).status, 400);
  assert.equal((await admin.get(`/api/v1/premises?town=${WUTIAN}&limit=500`)).body.items.every((p) => p.town_code === WUTIAN), true);
});

test('entering and editing: validated, nothing written on bad input, audited, a town only its own', async () => {
  const n = await count(admin, '/api/v1/premises');
  const head = await auditHead();
  const bad = [
    [{ lon: 121.5 }, 'outside_district', 'lon'],
    [{ lat: 28.5 }, 'outside_district', 'lat'],
    [{ floor: 0 }, 'bad_floor', 'floor'],
    [{ town_code: '330304999' }, 'unknown_town', 'town_code'],
    [{ area_m2: 0 }, 'out_of_range', 'area_m2'],
    [{ rent_free_months: -1 }, 'out_of_range', 'rent_free_months'],
    [{ address: '   ' }, null, 'address'],
  ];
  for (const [over, code, field] of bad) {
    const r = await admin.post('/api/v1/premises', entry(over));
    assert.ok([400, 422].includes(r.status), `${JSON.stringify(over)}: ${r.status} ${r.text}`);
    if (code) assert.equal(r.body.error.code, code, r.text);
    assert.equal(r.body.error.field, field, r.text);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  assert.equal(await count(admin, '/api/v1/premises'), n, 'nothing written');
  assert.equal((await auditHead()).id, head.id, 'no audit row either');

  const town = await srv.login(`town-${JINGSHAN}`);
  const elsewhere = await town.post('/api/v1/premises', entry({ town_code: WUTIAN, lon: 120.683, lat: 27.962 }));
  assert.equal(elsewhere.status, 403, elsewhere.text);
  assert.equal(elsewhere.body.error.code, 'outside_jurisdiction');
  const made = await town.post('/api/v1/premises', entry({ address: '景山街道测试路 2 号（镇街登记）' }));
  assert.equal(made.status, 201, made.text);
  assert.equal(made.body.status, 'available');
  assert.equal(made.body.town_name, '景山街道');
  const log = await auditHead();
  assert.equal(log.action, 'premises.create');
  assert.equal(log.target_id, String(made.body.id));
  // edited by the district; moved to another town the town officer could no longer reach
  const edit = await admin.put(`/api/v1/premises/${made.body.id}`, entry({ address: '景山街道测试路 2 号（已核实）', area_m2: 320 }));
  assert.equal(edit.status, 200, edit.text);
  assert.equal(edit.body.area_m2, 320);
  assert.equal(edit.body.version, 2);
  assert.equal((await auditHead()).action, 'premises.update');
  const move = await town.put(`/api/v1/premises/${made.body.id}`, entry({ town_code: WUTIAN, lon: 120.683, lat: 27.962 }));
  assert.equal(move.status, 403, move.text);
  assert.equal((await admin.get(`/api/v1/premises/${made.body.id}`)).body.town_code, JINGSHAN);
});

test('planning reads the register: an available entry is an idle_premises candidate until it is withdrawn', async () => {
  const made = await admin.post('/api/v1/premises', entry({ address: '景山街道规划路 3 号' }));
  assert.equal(made.status, 201, made.text);
  const candidates = async () => (await admin.get('/api/v1/planning/candidates?limit=500')).body.items;
  const c = (await candidates()).find((x) => x.name === '国有闲置房源：景山街道规划路 3 号');
  assert.ok(c, 'the entry is a candidate site');
  assert.equal(c.kind, 'idle_premises');
  assert.equal(c.lon, 120.625);
  // withdrawn: gone from planning, no longer editable or open to application
  const w = await admin.post(`/api/v1/premises/${made.body.id}/withdraw`, { reason: '产权单位收回自用' });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.status, 'withdrawn');
  assert.equal(w.body.withdrawn_reason, '产权单位收回自用');
  assert.equal((await auditHead()).action, 'premises.withdraw');
  assert.ok(!(await candidates()).some((x) => x.name === '国有闲置房源：景山街道规划路 3 号'));
  const again = await admin.put(`/api/v1/premises/${made.body.id}`, entry());
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'premises_closed');
  const { op } = await filedInstitution(true);
  const late = await op.post(`/api/v1/premises/${made.body.id}/applications`, { plan: '测试' });
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, 'premises_unavailable');
  assert.ok(!(await op.get('/api/v1/premises/available?limit=500')).body.items.some((p) => p.id === made.body.id));
});

test('only a 普惠 institution may apply: 422 not_inclusive, nothing written', async () => {
  const made = await admin.post('/api/v1/premises', entry({ address: '景山街道普惠路 4 号' }));
  const { op } = await filedInstitution(false);
  const seen = await op.get('/api/v1/premises/available?limit=500');
  assert.equal(seen.status, 200, seen.text);
  assert.ok(seen.body.items.some((p) => p.id === made.body.id), 'operators see the available entries');
  const cases = await count(op, '/api/v1/cases');
  const head = await auditHead();
  const r = await op.post(`/api/v1/premises/${made.body.id}/applications`, { plan: '拟设托班两个' });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'not_inclusive');
  assert.equal(r.body.error.field, 'institution_id');
  assert.match(r.body.error.message, /普惠/);
  assert.equal(await count(op, '/api/v1/cases'), cases);
  assert.equal((await auditHead()).id, head.id);
  // and the generic route does not open this process (it needs the entry)
  const generic = await op.post('/api/v1/cases', { process: 'premises', institution_id: op.user.institution_id });
  assert.equal(generic.status, 422, generic.text);
  assert.equal(generic.body.error.code, 'opened_elsewhere');
});

test('apply → submit → the administrator allocates on the case: the entry is the institution\'s; a second allocation is 409', async () => {
  const made = (await admin.post('/api/v1/premises', entry({ address: '景山街道分配路 5 号' }))).body;
  const first = await filedInstitution(true);
  const second = await filedInstitution(true);
  const a = await applyAndSubmit(first.op, made.id);
  const b = await applyAndSubmit(second.op, made.id);
  // one open application per institution and entry
  const twice = await first.op.post(`/api/v1/premises/${made.id}/applications`, { plan: '再次申请' });
  assert.equal(twice.status, 409);
  assert.equal(twice.body.error.code, 'case_open');
  // applied: shown so, still open to others; the case is in the operator's 办件 and the admin's queue
  const shown = (await admin.get(`/api/v1/premises/${made.id}`)).body;
  assert.equal(shown.status, 'applied');
  assert.equal(shown.open_applications, 2);
  assert.ok((await first.op.get('/api/v1/cases?limit=500')).body.items.some((c) => c.id === a.id && c.process === 'premises'));
  assert.ok(!(await first.op.get('/api/v1/cases?limit=500')).body.items.some((c) => c.id === b.id), 'not another institution\'s case');
  const task = openTask(a);
  assert.equal(task.step, 'premises_review');
  // premises.review_working_days (15) working days after submission, on the public calendar
  const due = (await admin.get(`/api/v1/public/workdays/${a.submitted_on}?add=15`)).body.result;
  assert.equal(task.due_on, due, `review due 15 working days after ${a.submitted_on}`);
  const inbox = (await admin.get('/api/v1/tasks?limit=500')).body.items;
  assert.ok(inbox.some((t) => t.case_id === a.id && t.step_name === '区卫健局审核分配'));
  // the operator may not decide; the administrator allocates
  assert.equal((await first.op.post(`/api/v1/cases/${a.id}/events`, { event: 'allocate', task_id: task.id })).status, 403);
  const ok = await admin.post(`/api/v1/cases/${a.id}/events`, { event: 'allocate', task_id: task.id });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.state, 'allocated');
  assert.equal(ok.body.final, true);
  const after = (await admin.get(`/api/v1/premises/${made.id}`)).body;
  assert.equal(after.status, 'allocated');
  assert.equal(after.institution_id, first.inst.id);
  assert.equal(after.institution_name, first.inst.name);
  assert.equal(after.case_id, a.id);
  assert.ok(after.allocated_on);
  const log = (await auditor.get('/api/v1/audit?limit=5')).body.items;
  assert.ok(log.some((x) => x.action === 'premises.allocate' && x.target_id === String(made.id)));
  assert.ok(log.some((x) => x.action === 'case.event' && x.target_id === String(a.id)));
  assert.ok(!(await admin.get('/api/v1/planning/candidates?limit=500')).body.items.some((x) => x.name === '国有闲置房源：景山街道分配路 5 号'), 'allocated: no longer a candidate');
  assert.ok(!(await second.op.get('/api/v1/premises/available?limit=500')).body.items.some((p) => p.id === made.id));
  // the other application cannot take it too: 409, nothing changed; it is refused instead
  const taskB = openTask((await admin.get(`/api/v1/cases/${b.id}`)).body);
  const no = await admin.post(`/api/v1/cases/${b.id}/events`, { event: 'allocate', task_id: taskB.id });
  assert.equal(no.status, 409, no.text);
  assert.equal(no.body.error.code, 'premises_allocated');
  assert.equal((await admin.get(`/api/v1/cases/${b.id}`)).body.state, 'submitted');
  assert.equal((await admin.get(`/api/v1/premises/${made.id}`)).body.institution_id, first.inst.id);
  assert.equal((await admin.post(`/api/v1/cases/${b.id}/events`, { event: 'refuse', task_id: taskB.id })).body.error.code, 'comment_required');
  const refused = await admin.post(`/api/v1/cases/${b.id}/events`, { event: 'refuse', task_id: taskB.id, comment: '该房源已分配给其他机构' });
  assert.equal(refused.status, 200, refused.text);
  assert.equal(refused.body.state, 'refused');
  // an allocated entry is closed to edits and withdrawal
  assert.equal((await admin.post(`/api/v1/premises/${made.id}/withdraw`, { reason: 'x' })).body.error.code, 'premises_closed');
});

test('two allocations of one entry at once: one wins, the other 409, the entry allocated once', async () => {
  const made = (await admin.post('/api/v1/premises', entry({ address: '景山街道并发路 6 号' }))).body;
  const one = await filedInstitution(true);
  const two = await filedInstitution(true);
  const a = await applyAndSubmit(one.op, made.id);
  const b = await applyAndSubmit(two.op, made.id);
  // withdrawal refused while applications are open
  const w = await admin.post(`/api/v1/premises/${made.id}/withdraw`, { reason: '收回' });
  assert.equal(w.status, 409);
  assert.equal(w.body.error.code, 'applications_open');
  const admin2 = await srv.login('district-admin');
  const [ra, rb] = await Promise.all([
    admin.post(`/api/v1/cases/${a.id}/events`, { event: 'allocate', task_id: openTask(a).id }),
    admin2.post(`/api/v1/cases/${b.id}/events`, { event: 'allocate', task_id: openTask(b).id }),
  ]);
  const statuses = [ra.status, rb.status].sort();
  assert.deepEqual(statuses, [200, 409], `${ra.text} / ${rb.text}`);
  const loser = ra.status === 409 ? ra : rb;
  assert.equal(loser.body.error.code, 'premises_allocated');
  const winner = ra.status === 200 ? { c: a, inst: one.inst } : { c: b, inst: two.inst };
  const after = (await admin.get(`/api/v1/premises/${made.id}`)).body;
  assert.equal(after.status, 'allocated');
  assert.equal(after.institution_id, winner.inst.id);
  assert.equal(after.case_id, winner.c.id);
  const states = [(await admin.get(`/api/v1/cases/${a.id}`)).body.state, (await admin.get(`/api/v1/cases/${b.id}`)).body.state].sort();
  assert.deepEqual(states, ['allocated', 'submitted']);
});

test('return for correction and resubmission, then withdrawal by the operator', async () => {
  const made = (await admin.post('/api/v1/premises', entry({ address: '景山街道补正路 7 号' }))).body;
  const { op } = await filedInstitution(true);
  const a = await applyAndSubmit(op, made.id);
  const back = await admin.post(`/api/v1/cases/${a.id}/events`, { event: 'return', task_id: openTask(a).id, comment: '请补充普惠收费承诺' });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.body.state, 'deficient');
  assert.equal((await admin.get(`/api/v1/premises/${made.id}`)).body.status, 'available', 'a returned application is not pending');
  const re = await op.post(`/api/v1/cases/${a.id}/events`, { event: 'submit', declaration: true });
  assert.equal(re.status, 200, re.text);
  assert.equal(re.body.state, 'submitted');
  assert.equal((await admin.get(`/api/v1/premises/${made.id}`)).body.status, 'applied');
  // withdrawal is a transition of the operator's only from draft or deficient
  const wd = await op.post(`/api/v1/cases/${a.id}/events`, { event: 'withdraw' });
  assert.equal(wd.status, 409);
  assert.equal(wd.body.error.code, 'event_not_allowed');
});
