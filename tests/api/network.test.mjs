// network.test.mjs — the health guidance network over HTTP (issue 16 items 1 and 2; C5.1, C5.2):
// the district assigns health instructors to institutions and ends assignments (audited, with
// their history, and the policy's jurisdiction follows at once); an instructor records visits,
// lectures and reviews only at the institutions assigned to them (another: 403, nothing written),
// never in the future or before their assignment; the compliance against the parameters — one
// visit a quarter, one lecture a half year, one review a year — over three server clocks: an
// institution filed in mid-quarter owes from the next quarter, an instructor reassigned in
// mid-quarter, a quarter overdue on the instructor's, the institution's, the town's and the
// district's lists and on no other town's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { uscc } from '../lib/fixtures.mjs';

const FEB = '2026-02-10', MAY = '2026-05-20', JUL = '2026-07-02';
let srv, database;
const ids = {};

async function institution(admin, n, town_code) {
  const r = await admin.post('/api/v1/institutions', {
    name: `指导网络测试园${n}`, uscc: uscc(`91330304MA6${String(n).padStart(6, '0')}`), town_code,
    address: '指导路1号', lon: 120.65, lat: 28.0, operating_model: 'market', ownership: 'private', status: 'filed',
    premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 20, enrolled: 0, caregivers: 3 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function user(sec, login, role, extra = {}) {
  const r = await sec.post('/api/v1/users', { login, name: `${login}姓名`, role, password: srv.password, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

/** A server at day (Beijing 09:00) on the test's database. */
async function serverAt(day) {
  if (srv) await srv.stop({ keepDatabase: true });
  srv = await startServer({ now: `${day}T01:00:00Z`, database });
  database = srv.database;
}

const duties = (c, id) => c.get(`/api/v1/institutions/${id}/instructor-duties`);
const period = (periods, inst, kind, start) => periods.find((p) => p.institution_id === inst && p.kind === kind && p.start === start);

before(async () => {
  await serverAt(FEB);
  const admin = await srv.login('district-admin'), sec = await srv.login('security-admin');
  ids.x = await institution(admin, 1, '330304001');   // 景山: A then B
  ids.y = await institution(admin, 2, '330304001');   // 景山: B, never visited
  ids.z = await institution(admin, 3, '330304002');   // 梧田: nobody
  ids.a = await user(sec, 'hi-net-a', 'health_instructor');
  ids.b = await user(sec, 'hi-net-b', 'health_instructor');
  ids.opX = await user(sec, 'op-net-x', 'institution_operator', { institution_id: ids.x });
});
after(async () => { await srv?.stop(); });

test('the district assigns an instructor: audited, with history; the jurisdiction follows; bad input refused, nothing written', async () => {
  const admin = await srv.login('district-admin'), town = await srv.login('town-330304001');
  const a = await srv.login('hi-net-a');
  // before the assignment the instructor does not reach the institution
  assert.equal((await duties(a, ids.x)).status, 404);
  const r = await admin.post(`/api/v1/institutions/${ids.x}/instructors`, { user_id: ids.a });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual({ from: r.body.from, to: r.body.to, user_id: r.body.user_id }, { from: FEB, to: null, user_id: ids.a });
  assert.equal((await duties(a, ids.x)).status, 200);
  assert.equal((await admin.post(`/api/v1/institutions/${ids.y}/instructors`, { user_id: ids.b })).status, 201);
  // refusals
  const bad = [
    [admin, ids.x, { user_id: ids.a }, 409, 'already_assigned'],
    [admin, ids.x, { user_id: ids.opX }, 422, 'not_instructor'],
    [admin, ids.x, { user_id: ids.b, from: '2026-02-11' }, 422, 'future_date'],
    [admin, ids.x, { user_id: ids.b, from: '2026-02-30' }, 422, 'bad_date'],
    [admin, ids.x, {}, 422, 'required'],
    [town, ids.x, { user_id: ids.b }, 403, 'forbidden'],
    [a, ids.x, { user_id: ids.b }, 403, 'forbidden'],
  ];
  for (const [who, inst, body, status, code] of bad) {
    const res = await who.post(`/api/v1/institutions/${inst}/instructors`, body);
    assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.error.code, code, res.text);
  }
  assert.equal((await admin.post(`/api/v1/institutions/${ids.x}/instructors/end`, { user_id: ids.b })).body.error.code, 'not_assigned');
  assert.equal((await admin.post(`/api/v1/institutions/${ids.x}/instructors/end`, { user_id: ids.a, to: '2026-02-09' })).body.error.code, 'before_from');
  const list = (await admin.get(`/api/v1/instructor-assignments?history=1&institution_id=${ids.x}`)).body.assignments;
  assert.deepEqual(list.map((x) => [x.user_id, x.from, x.to]), [[ids.a, FEB, null]]);
  // the town sees its town's assignments, another town none of them
  assert.ok((await town.get('/api/v1/instructor-assignments')).body.assignments.some((x) => x.institution_id === ids.y));
  const other = await srv.login('town-330304002');
  assert.ok(!(await other.get('/api/v1/instructor-assignments')).body.assignments.some((x) => [ids.x, ids.y].includes(x.institution_id)));
  // the screen's list of instructors counts their institutions
  const inst = (await admin.get('/api/v1/instructors')).body.instructors.find((x) => x.id === ids.a);
  assert.equal(inst.institutions, 1);
  assert.equal((await admin.get('/api/v1/instructor-assignments?institution_id=x')).status, 400);
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?action=instructor.assign')).body.items;
  assert.deepEqual(log.map((x) => x.fields.user_id).sort(), [ids.a, ids.b].sort(), JSON.stringify(log));
});

test('an instructor records duties only where assigned: 403 elsewhere, bad input 422, nothing written', async () => {
  const a = await srv.login('hi-net-a'), op = await srv.login('op-net-x'), admin = await srv.login('district-admin');
  const visit = { kind: 'visit', date: '2026-02-10', content: '膳食与卫生消毒检查', findings: '消毒记录不全', advice: '每日登记消毒', follow_up: '复查消毒记录', follow_up_by: '2026-03-10' };
  // another town's institution, and one of the same town assigned to another instructor: 403
  for (const inst of [ids.z, ids.y]) {
    const r = await a.post(`/api/v1/institutions/${inst}/instructor-duties`, visit);
    assert.equal(r.status, 403, r.text);
    assert.equal(r.body.error.code, 'not_assigned');
  }
  assert.equal((await op.post(`/api/v1/institutions/${ids.x}/instructor-duties`, visit)).status, 403);
  const bad = [
    [{ ...visit, kind: 'party' }, 'bad_kind', 'kind'],
    [{ ...visit, date: '2026-02-11' }, 'future_date', 'date'],
    [{ ...visit, date: '2026-02-09' }, 'before_assignment', 'date'],
    [{ ...visit, follow_up_by: '2026-02-01' }, 'bad_follow_up_by', 'follow_up_by'],
    [{ ...visit, kind: 'lecture' }, 'follow_up_not_visit', 'follow_up'],
    [{ ...visit, follow_up: undefined }, 'required', 'follow_up'],
    [{ ...visit, content: '' }, 'required', 'content'],
    [{ kind: 'visit', content: '检查' }, 'required', 'date'],
  ];
  for (const [body, code, field] of bad) {
    const r = await a.post(`/api/v1/institutions/${ids.x}/instructor-duties`, body);
    assert.equal(r.status, 422, `${code}: ${r.text}`);
    assert.deepEqual([r.body.error.code, r.body.error.field], [code, field], r.text);
  }
  for (const inst of [ids.x, ids.y, ids.z])
    assert.equal((await duties(admin, inst)).body.records.length, 0, 'nothing written');
  const r = await a.post(`/api/v1/institutions/${ids.x}/instructor-duties`, visit);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.kind_name, '实地指导');
  // the institution reads it; filed on 10 February, the first quarter is not owed but counts the visit
  const page = (await duties(op, ids.x)).body;
  assert.deepEqual(page.records.map((x) => [x.kind, x.date, x.findings, x.advice, x.follow_up_by, x.user_id]),
    [['visit', '2026-02-10', '消毒记录不全', '每日登记消毒', '2026-03-10', ids.a]]);
  assert.equal(page.rule.visits_per_quarter, 1);
  assert.equal(page.rule.grace_days, 0);
  const q1 = period(page.periods, ids.x, 'visit', '2026-01-01');
  assert.deepEqual([q1.state, q1.required, q1.done, q1.responsible_id], ['not_owed', 0, 1, ids.a]);
  const auditor = await srv.login('auditor');
  assert.equal((await auditor.get('/api/v1/audit?action=instructor.duty')).body.items.length, 1);
});

test('May: reassigned in mid-quarter, the new instructor is responsible and may not record before the assignment', async () => {
  await serverAt(MAY);
  const admin = await srv.login('district-admin');
  let r = await admin.post(`/api/v1/institutions/${ids.x}/instructors/end`, { user_id: ids.a, to: '2026-04-30' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.from, r.body.to], [FEB, '2026-04-30']);
  // a new period of the same pair may not overlap its history
  assert.equal((await admin.post(`/api/v1/institutions/${ids.x}/instructors`, { user_id: ids.a, from: '2026-04-30' })).body.error.code, 'overlaps_history');
  assert.equal((await admin.post(`/api/v1/institutions/${ids.x}/instructors`, { user_id: ids.b, from: '2026-05-01' })).status, 201);
  const a = await srv.login('hi-net-a'), b = await srv.login('hi-net-b');
  // the first instructor's jurisdiction ends with the assignment
  assert.equal((await duties(a, ids.x)).status, 404);
  assert.equal((await a.post(`/api/v1/institutions/${ids.x}/instructor-duties`, { kind: 'visit', date: '2026-04-20', content: '补登' })).body.error.code, 'not_assigned');
  const early = await b.post(`/api/v1/institutions/${ids.x}/instructor-duties`, { kind: 'visit', date: '2026-04-20', content: '指导' });
  assert.equal(early.body.error.code, 'before_assignment', early.text);
  // Q2 is due, on the new instructor
  let q2 = period((await duties(b, ids.x)).body.periods, ids.x, 'visit', '2026-04-01');
  assert.deepEqual([q2.state, q2.required, q2.done, q2.responsible_id, q2.due], ['due', 1, 0, ids.b, '2026-06-30']);
  assert.equal((await b.post(`/api/v1/institutions/${ids.x}/instructor-duties`, { kind: 'visit', date: MAY, content: '晨检流程指导', advice: '晨检记录当日完成' })).status, 201);
  q2 = period((await duties(b, ids.x)).body.periods, ids.x, 'visit', '2026-04-01');
  assert.deepEqual([q2.state, q2.done], ['done', 1]);
  // the history of x: A ended, B current
  const hist = (await admin.get(`/api/v1/instructor-assignments?history=1&institution_id=${ids.x}`)).body.assignments;
  assert.deepEqual(hist.map((x) => [x.user_id, x.from, x.to]), [[ids.a, FEB, '2026-04-30'], [ids.b, '2026-05-01', null]]);
  assert.deepEqual((await admin.get(`/api/v1/instructor-assignments?institution_id=${ids.x}`)).body.assignments.map((x) => x.user_id), [ids.b]);
  const auditor = await srv.login('auditor');
  assert.equal((await auditor.get('/api/v1/audit?action=instructor.unassign')).body.items.length, 1);
});

test('July: an unvisited quarter is overdue on the instructor\'s, the institution\'s, the town\'s and the district\'s lists, no other town\'s', async () => {
  await serverAt(JUL);
  const b = await srv.login('hi-net-b'), admin = await srv.login('district-admin');
  const town = await srv.login('town-330304001'), other = await srv.login('town-330304002');
  const overdue = (body) => body.periods.filter((p) => p.state === 'overdue' && [ids.x, ids.y, ids.z].includes(p.institution_id))
    .map((p) => [p.institution_id, p.kind, p.start]);
  // y: nobody visited in Q2 (assigned to b since February); x was visited; z has nobody assigned
  const want = [[ids.y, 'visit', '2026-04-01'], [ids.z, 'visit', '2026-04-01']];
  const district = (await admin.get('/api/v1/instructor-duties?state=overdue')).body;
  assert.deepEqual(overdue(district), want);
  const zq2 = period(district.periods, ids.z, 'visit', '2026-04-01');
  assert.equal(zq2.responsible_id, null, 'nobody assigned to z');
  assert.deepEqual(overdue((await town.get('/api/v1/instructor-duties?state=overdue')).body), [want[0]]);
  assert.deepEqual(overdue((await other.get('/api/v1/instructor-duties?state=overdue')).body), [want[1]]);
  const mine = (await b.get('/api/v1/instructor-duties?state=overdue')).body;
  assert.deepEqual(overdue(mine), [want[0]]);
  assert.equal(period(mine.periods, ids.y, 'visit', '2026-04-01').responsible_id, ids.b);
  const op = await srv.login('op-net-x');
  assert.deepEqual(overdue((await op.get('/api/v1/instructor-duties')).body), []);
  const x = (await duties(op, ids.x)).body.periods;
  assert.equal(period(x, ids.x, 'visit', '2026-04-01').state, 'done');
  assert.equal(period(x, ids.x, 'visit', '2026-07-01').state, 'due');
  // the half year that began before the filing is not owed; the second half is
  assert.equal(period(x, ids.x, 'lecture', '2026-01-01').state, 'not_owed');
  assert.equal(period(x, ids.x, 'lecture', '2026-07-01').state, 'due');
  // filters and the running quarter's totals
  assert.ok(district.periods.every((p) => p.state === 'overdue'));
  const all = (await admin.get('/api/v1/instructor-duties?town=330304001')).body;
  assert.ok(all.periods.every((p) => p.town_code === '330304001'));
  assert.ok(all.totals.quarter_visits.owed >= 2);
  assert.equal((await admin.get('/api/v1/instructor-duties?state=late')).status, 400);
  assert.equal((await admin.get('/api/v1/instructor-duties?town=33')).status, 400);
  assert.equal((await (await srv.login('family')).get('/api/v1/instructor-duties')).status, 403);
});

test('the three-tier network: the hub, each town\'s health centre, the child health centres, their instructors', async () => {
  const admin = await srv.login('district-admin'), town = await srv.login('town-330304001'), auditor = await srv.login('auditor');
  let r = await town.get('/api/v1/health-orgs');
  assert.equal(r.status, 200, r.text);
  const orgs = r.body.items;
  assert.deepEqual([orgs[0].kind, orgs[0].name, orgs[0].parent_id], ['mch_hub', '瓯海区妇幼保健中心', null]);
  assert.equal(orgs.filter((o) => o.kind === 'town_health').length, 13, 'one health centre per town');
  assert.ok(orgs.slice(1).every((o) => o.parent_id === orgs[0].id), 'the hub above every town centre');
  assert.deepEqual(orgs.filter((o) => o.child_health_centre).map((o) => o.name).sort(),
    ['三垟街道社区卫生服务中心', '娄桥街道社区卫生服务中心', '新桥街道社区卫生服务中心'].sort());
  assert.equal(orgs.find((o) => o.town_code === '330304108').name, '泽雅镇卫生院');
  assert.ok(orgs.every((o) => o.lon === null), 'no invented locations');
  // the demo instructor is a 儿保医生 of 新桥's centre
  const xinqiao = orgs.find((o) => o.town_code === '330304006');
  assert.deepEqual(xinqiao.instructors.map((i) => i.name), ['健康指导员（演示）']);
  // the district places an instructor; one organisation at a time
  const jingshan = orgs.find((o) => o.town_code === '330304001');
  assert.equal((await town.post(`/api/v1/health-orgs/${jingshan.id}/members`, { user_id: ids.a })).status, 403);
  assert.deepEqual([(r = await admin.post(`/api/v1/health-orgs/${jingshan.id}/members`, { user_id: ids.opX })).status, r.body.error?.code], [422, 'not_instructor']);
  assert.equal((await admin.post('/api/v1/health-orgs/999999/members', { user_id: ids.a })).status, 404);
  r = await admin.post(`/api/v1/health-orgs/${jingshan.id}/members`, { user_id: ids.a });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.items.find((o) => o.id === jingshan.id).instructors.some((i) => i.user_id === ids.a));
  r = await admin.post(`/api/v1/health-orgs/${xinqiao.id}/members`, { user_id: ids.a });
  assert.ok(!r.body.items.find((o) => o.id === jingshan.id).instructors.some((i) => i.user_id === ids.a), 'moved, not copied');
  assert.equal((await admin.get('/api/v1/instructors')).body.instructors.find((i) => i.id === ids.a).org_name, '新桥街道社区卫生服务中心');
  assert.ok((await auditor.get('/api/v1/audit?limit=10&action=health_org.member')).body.items.length >= 2);
  assert.equal((await (await srv.login('op-net-x')).get('/api/v1/health-orgs')).status, 403);
});
