// growth_flags.test.mjs — GET /api/v1/growth-flags over HTTP (issue 15 item 10): the children in
// care whose latest measurement grades 下 or 上 under WS/T 423 (beyond −2 / +2 SD): a child at
// z −2.5 listed, one at −1.9 not; only the latest measurement counts; a child who left is not
// listed; the health instructor sees the assigned institutions only, names masked; the child's
// own institution sees full names, audited; the town and district in their jurisdiction; paging;
// bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { child, consent, uscc } from '../lib/fixtures.mjs';

const TODAY = '2026-06-01';
const BIRTH = '2025-06-01'; // 365 days old today
const EARLIER = '2026-03-01';
let srv, admin, sec, instructor, town, otherTown, family, auditor;
let home, other; // {id, classId, op}
const kids = {};

/** Weights of a boy aged ageDays whose weight-for-age z-scores are closest to each wanted z, by
 * the engine itself (POST /api/v1/growth/zscores over a 10 g grid). */
async function weightsAt(ageDays, wanted) {
  const grid = Array.from({ length: 1000 }, (_, i) => Math.round(400 + i) / 100);
  const r = await admin.post('/api/v1/growth/zscores', { rows: grid.map((w) => ({ sex: 1, age_days: ageDays, weight_kg: w })) });
  assert.equal(r.status, 200, r.text);
  return wanted.map((z) => {
    let best = 0;
    r.body.results.forEach((x, i) => { if (Math.abs(x.wfa.z - z) < Math.abs(r.body.results[best].wfa.z - z)) best = i; });
    assert.ok(Math.abs(r.body.results[best].wfa.z - z) <= 0.02, `a weight at z ${z}`);
    return grid[best];
  });
}

async function institution() {
  const r = await admin.post('/api/v1/institutions', {
    name: '生长偏离测试托育园', uscc: uscc('91330304MB4777001'), town_code: '330304001',
    address: '景山街道测量路1号', lon: 120.65, lat: 28.0, operating_model: 'market', ownership: 'private', status: 'filed',
    premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_young', name: '托小一班', capacity: 20, enrolled: 0, caregivers: 3 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  assert.equal(r.status, 201, r.text);
  const u = await sec.post('/api/v1/users', { login: `op-flags-${r.body.id}`, name: '机构管理员', role: 'institution_operator', institution_id: r.body.id, password: srv.password });
  assert.equal(u.status, 201, u.text);
  return { id: r.body.id, classId: r.body.classes[0].id, op: await srv.login(`op-flags-${r.body.id}`) };
}

/** A boy of inst born BIRTH, placed, with consent, measured (weights by date). */
async function measured(inst, name, weights) {
  const id = await child(inst.op, BIRTH, { name, sex: 1 });
  assert.equal((await inst.op.put(`/api/v1/children/${id}/placement`, { class_id: inst.classId, start_date: '2026-01-05' })).status, 201);
  await consent(inst.op, id);
  for (const [day, w] of Object.entries(weights)) {
    const m = await inst.op.post(`/api/v1/children/${id}/measurements`, { measured_on: day, weight_kg: w });
    assert.equal(m.status, 201, m.text);
  }
  return id;
}

/** Every flagged child c sees (walking the pages), by child id. */
async function flagged(c, query = '') {
  const out = {};
  for (let cursor = null; ;) {
    const r = await c.get(`/api/v1/growth-flags?limit=500${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    for (const x of r.body.items) out[x.child_id] = x;
    if (!(cursor = r.body.next)) return out;
  }
}

before(async () => {
  srv = await startServer({ now: `${TODAY}T02:00:00Z` });
  admin = await srv.login('district-admin');
  sec = await srv.login('security-admin');
  instructor = await srv.login('health-instructor');
  town = await srv.login('town-330304001');
  otherTown = await srv.login('town-330304002');
  family = await srv.login('family');
  auditor = await srv.login('auditor');
  // the demo family's institution (景山, assigned to the demo health instructor) and a new one of
  // 景山 that is not assigned to it
  const homeId = (await family.get('/api/v1/children')).body.items[0].institution_id;
  const homeClass = (await admin.get(`/api/v1/institutions/${homeId}`)).body.classes[0].id;
  home = { id: homeId, classId: homeClass, op: await srv.login(`inst-${homeId}`) };
  other = await institution();
  const [low, near, normal] = await weightsAt(365, [-2.5, -1.9, 0]);
  const [lowBefore, normalBefore] = await weightsAt(273, [-2.5, 0]);
  kids.low = await measured(home, '偏离低宝', { [TODAY]: low });
  kids.near = await measured(home, '接近宝宝', { [TODAY]: near });
  kids.recovered = await measured(home, '回升宝宝', { [EARLIER]: lowBefore, [TODAY]: normal });
  kids.worsened = await measured(home, '下降宝宝', { [EARLIER]: normalBefore, [TODAY]: low });
  kids.left = await measured(home, '离园宝宝', { [TODAY]: low });
  assert.equal((await home.op.post(`/api/v1/children/${kids.left}/leave`, { date: TODAY, reason: '随父母迁居外地' })).status, 200);
  kids.unassigned = await measured(other, '外园宝宝', { [TODAY]: low });
});
after(async () => { await srv.stop(); });

test('a child at z −2.5 is listed with its institution, class, age, indicator, z and grade; one at −1.9 is not', async () => {
  const rows = await flagged(instructor);
  const x = rows[kids.low];
  assert.ok(x, 'the child at −2.5 is listed');
  assert.equal(x.institution_id, home.id);
  assert.equal(x.class_id, home.classId);
  assert.ok(x.institution_name && x.class_name);
  assert.deepEqual([x.measured_on, x.age_days, x.age_months], [TODAY, 365, 11]);
  assert.equal(x.flags.length, 1);
  const f = x.flags[0];
  assert.deepEqual([f.indicator, f.grade, f.grade_name, f.class], ['wfa', 1, '下', 'underweight']);
  assert.ok(Math.abs(f.z + 2.5) <= 0.02, `z ${f.z}`);
  // the same z as the child's growth page shows
  const g = await home.op.get(`/api/v1/children/${kids.low}/growth`);
  assert.equal(g.body.measurements.at(-1).zscores.wfa.z, f.z);
  assert.equal(rows[kids.near], undefined, 'the child at −1.9 (中下) is not listed');
});

test('only the latest measurement counts; a child who left is not listed', async () => {
  const rows = await flagged(home.op);
  assert.equal(rows[kids.recovered], undefined, 'flagged before, normal now: not listed');
  assert.ok(rows[kids.worsened], 'normal before, flagged now: listed');
  assert.equal(rows[kids.worsened].measured_on, TODAY);
  assert.equal(rows[kids.left], undefined, 'a child who left is not listed');
  assert.ok(rows[kids.low]);
});

test('the instructor sees the assigned institutions only, names masked; the institution its own children with full names (audited)', async () => {
  const ins = await flagged(instructor);
  assert.equal(ins[kids.unassigned], undefined, 'a child of an institution not assigned to the instructor');
  assert.ok(Object.values(ins).every((x) => x.institution_id !== other.id));
  assert.equal(ins[kids.low].child_name, '偏**宝', 'masked for the instructor');
  assert.equal(Object.keys(await flagged(instructor, `&institution_id=${other.id}`)).length, 0);
  const mine = await flagged(home.op);
  assert.equal(mine[kids.low].child_name, '偏离低宝', 'full name for the child\'s own institution');
  assert.ok(Object.values(mine).every((x) => x.institution_id === home.id));
  const theirs = await flagged(other.op);
  assert.deepEqual(Object.keys(theirs).map(Number), [kids.unassigned]);
  assert.equal(theirs[kids.unassigned].child_name, '外园宝宝');
  // the reveal is in the audit log, naming the child
  const log = await auditor.get('/api/v1/audit?limit=100&action=child.read');
  assert.equal(log.status, 200, log.text);
  assert.ok(log.body.items.some((a) => JSON.stringify(a).includes('/api/v1/growth-flags') && JSON.stringify(a).includes(String(kids.low))),
    'the full names shown are audited');
});

test('the town and the district in their jurisdiction, masked; the family and other roles not at all', async () => {
  const t = await flagged(town);
  assert.ok(t[kids.low] && t[kids.unassigned], 'the town sees both 景山 institutions');
  assert.equal(t[kids.low].child_name, '偏**宝');
  assert.equal(Object.keys(await flagged(otherTown, `&institution_id=${home.id}`)).length, 0, 'another town sees none of them');
  const d = await flagged(admin, `&institution_id=${other.id}`);
  assert.deepEqual(Object.keys(d).map(Number), [kids.unassigned]);
  assert.equal((await family.get('/api/v1/growth-flags')).status, 403);
  assert.equal((await (await srv.login('evaluator')).get('/api/v1/growth-flags')).status, 403);
});

test('paging walks every flagged child once, in child order; bad input', async () => {
  const all = Object.keys(await flagged(home.op)).map(Number);
  const seen = [];
  for (let cursor = null; ;) {
    const r = await home.op.get(`/api/v1/growth-flags?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.items.length <= 1);
    seen.push(...r.body.items.map((x) => x.child_id));
    if (!(cursor = r.body.next)) break;
  }
  assert.deepEqual(seen, all);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
  for (const q of ['institution_id=0', 'institution_id=abc', 'institution_id=-3']) {
    const r = await home.op.get(`/api/v1/growth-flags?${q}`);
    assert.equal(r.status, 400, q);
    assert.deepEqual([r.body.error.code, r.body.error.field], ['bad_id', 'institution_id']);
  }
  assert.equal((await home.op.get('/api/v1/growth-flags?limit=0')).status, 400);
});
