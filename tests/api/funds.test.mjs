// funds.test.mjs — the subsidy ledger over HTTP on SQLite and PostgreSQL (issue 18 item 3): the
// district computes a construction subsidy (the engine's amount with its explanation: rule, inputs,
// cap applied, each parameter with its version and basis), the institution applies, its town
// reviews, the district approves — never whoever applied or reviewed (four eyes) —, approved rows
// go into a payment batch marked paid, a paid amount is corrected by a reversal row (once), a
// rejection needs its reason and ends the row; a batch with a rejected row is refused naming it
// and writes nothing; each town and institution sees only its own rows, with the totals of its
// filter; every move is in the history and the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

const HOME_TOWN = '330304001';
const OTHER_TOWN = '330304002';
let srv, admin, auditor, home, other, op, otherOp, town, otherTown;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
  auditor = await srv.login('auditor');
  home = (await admin.get(`/api/v1/institutions?town=${HOME_TOWN}&limit=1`)).body.items[0];
  other = (await admin.get(`/api/v1/institutions?town=${OTHER_TOWN}&limit=1`)).body.items[0];
  op = await srv.login(`inst-${home.id}`);
  otherOp = await srv.login(`inst-${other.id}`);
  town = await srv.login(`town-${HOME_TOWN}`);
  otherTown = await srv.login(`town-${OTHER_TOWN}`);
});
after(async () => { await srv.stop(); });

async function compute(inst, investmentFen) {
  const r = await admin.post('/api/v1/funds/construction', { institution_id: inst.id, investment_fen: investmentFen });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

async function move(who, id, event, comment) {
  return who.post(`/api/v1/funds/entitlements/${id}/events`, comment ? { event, comment } : { event });
}

async function approved(inst, fen) {
  const e = await compute(inst, fen);
  const instOp = inst.id === home.id ? op : otherOp, instTown = inst.id === home.id ? town : otherTown;
  for (const [who, event] of [[instOp, 'apply'], [instTown, 'review'], [admin, 'approve']]) {
    const r = await move(who, e.id, event);
    assert.equal(r.status, 200, `${event}: ${r.text}`);
  }
  return e.id;
}

test('a construction subsidy is computed with its explanation: the cap applied and each parameter with its basis', async () => {
  const own = home.ownership;
  const e = await compute(home, 100000000); // 1,000,000 yuan
  // public: 2 classes × 300,000 = 600,000; private: 49 % = 490,000 capped at 2 × 150,000
  assert.equal(e.amount_fen, own === 'public' ? 60000000 : 30000000);
  assert.equal(e.state, 'computed');
  assert.equal(e.kind, 'construction');
  assert.equal(e.town_code, HOME_TOWN);
  assert.equal(e.beneficiary, home.name);
  const x = e.explanation;
  assert.match(x.rule, /四\(五\)14/);
  assert.deepEqual(x.inputs, { ownership: own, investment_fen: 100000000 });
  assert.equal(x.caps[0].applied, true);
  assert.equal(x.caps[0].classes_counted, 2);
  assert.equal(x.amount_fen, e.amount_fen);
  assert.deepEqual(x.params.map((p) => p.key).sort(), ['subsidy.construction.classes_counted',
    'subsidy.construction.private_per_class_max_fen', 'subsidy.construction.private_share',
    'subsidy.construction.public_per_class_max_fen']);
  assert.ok(x.params.every((p) => p.basis.includes('四(五)14') && p.valid_from));
  assert.deepEqual(e.history.map((h) => [h.from, h.to]), [[null, 'computed']]);
  // bad input: a negative investment, an unknown institution — nothing written
  const before = (await admin.get('/api/v1/funds/entitlements?limit=1')).body.totals.count;
  let r = await admin.post('/api/v1/funds/construction', { institution_id: home.id, investment_fen: -1 });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'negative_investment');
  assert.equal(r.body.error.field, 'investment_fen');
  r = await admin.post('/api/v1/funds/construction', { institution_id: 99999999, investment_fen: 1 });
  assert.equal(r.status, 404);
  assert.equal((await admin.get('/api/v1/funds/entitlements?limit=1')).body.totals.count, before);
  // only the district computes
  r = await town.post('/api/v1/funds/construction', { institution_id: home.id, investment_fen: 1 });
  assert.equal(r.status, 403);
});

test('apply → review → approve → batch → paid, each by its own role; four eyes; the history and audit', async () => {
  const e = await compute(home, 20000000);
  // the town cannot apply for the institution, the operator cannot review, nobody skips a step
  assert.equal((await move(town, e.id, 'apply')).status, 403);
  assert.equal((await move(admin, e.id, 'approve')).body.error.code, 'event_not_allowed');
  assert.equal((await move(op, e.id, 'apply')).status, 200);
  assert.equal((await move(op, e.id, 'review')).status, 403);
  // another town's officer does not see it at all
  assert.equal((await move(otherTown, e.id, 'review')).status, 404);
  assert.equal((await move(town, e.id, 'review')).status, 200);
  const ok = await move(admin, e.id, 'approve');
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.state, 'approved');
  assert.deepEqual(ok.body.history.map((h) => h.to), ['computed', 'applied', 'reviewed', 'approved']);
  // the district applying for an institution cannot then approve it itself
  const f = await compute(home, 1000000);
  assert.equal((await move(admin, f.id, 'apply')).status, 200);
  assert.equal((await move(town, f.id, 'review')).status, 200);
  const self = await move(admin, f.id, 'approve');
  assert.equal(self.status, 409);
  assert.equal(self.body.error.code, 'self_approval');
  assert.equal((await admin.get(`/api/v1/funds/entitlements/${f.id}`)).body.state, 'reviewed');
  // the batch, paid
  const b = await admin.post('/api/v1/funds/batches', { name: '2026 年第四季度建设补助', entitlement_ids: [e.id] });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.body.count, 1);
  assert.equal(b.body.amount_fen, e.amount_fen);
  assert.equal((await admin.get(`/api/v1/funds/entitlements/${e.id}`)).body.state, 'batched');
  const paid = await admin.post(`/api/v1/funds/batches/${b.body.id}/paid`, {});
  assert.equal(paid.status, 200, paid.text);
  assert.equal(paid.body.state, 'paid');
  assert.equal(paid.body.items[0].state, 'paid');
  assert.equal((await admin.post(`/api/v1/funds/batches/${b.body.id}/paid`, {})).body.error.code, 'batch_paid');
  // audited: the approval and the payment
  const log = (await auditor.get('/api/v1/audit?target_type=funds_entitlement&limit=50')).body.items;
  assert.ok(log.some((a) => a.action === 'funds.approve' && a.target_id === String(e.id)));
  assert.ok((await auditor.get('/api/v1/audit?target_type=funds_batch&limit=10')).body.items.some((a) => a.target_id === String(b.body.id)));
});

test('a paid amount is corrected by one reversal row of the opposite amount; a rejection needs its reason', async () => {
  const id = await approved(home, 3000000);
  const b = await admin.post('/api/v1/funds/batches', { name: '冲销测试', entitlement_ids: [id] });
  await admin.post(`/api/v1/funds/batches/${b.body.id}/paid`, {});
  const orig = (await admin.get(`/api/v1/funds/entitlements/${id}`)).body;
  const rev = await admin.post(`/api/v1/funds/entitlements/${id}/reverse`, { reason: '投资额审计调减' });
  assert.equal(rev.status, 201, rev.text);
  assert.equal(rev.body.amount_fen, -orig.amount_fen);
  assert.equal(rev.body.reverses_id, id);
  assert.equal(rev.body.state, 'computed');
  assert.equal((await admin.get(`/api/v1/funds/entitlements/${id}`)).body.reversed_by, rev.body.id);
  assert.equal((await admin.get(`/api/v1/funds/entitlements/${id}`)).body.amount_fen, orig.amount_fen, 'never edited in place');
  const twice = await admin.post(`/api/v1/funds/entitlements/${id}/reverse`, { reason: '再次' });
  assert.equal(twice.body.error.code, 'already_reversed');
  // an unpaid row is rejected, not reversed
  const e = await compute(home, 1000);
  assert.equal((await admin.post(`/api/v1/funds/entitlements/${e.id}/reverse`, { reason: 'x' })).body.error.code, 'not_paid');
  await move(op, e.id, 'apply');
  const bare = await move(town, e.id, 'reject');
  assert.equal(bare.status, 422);
  assert.equal(bare.body.error.code, 'reason_required');
  const rej = await move(town, e.id, 'reject', '投资额不属于建设补助范围');
  assert.equal(rej.status, 200);
  assert.equal(rej.body.state, 'rejected');
  assert.equal(rej.body.reason, '投资额不属于建设补助范围');
  assert.equal((await move(op, e.id, 'apply')).body.error.code, 'event_not_allowed');
});

test('a batch with a rejected or unapproved row is refused naming it, and nothing is written', async () => {
  const good = await approved(home, 2000000);
  const bad = await compute(home, 1000);
  await move(op, bad.id, 'apply');
  await move(town, bad.id, 'reject', '材料不实');
  const r = await admin.post('/api/v1/funds/batches', { name: '含驳回', entitlement_ids: [good, bad.id] });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'not_approved');
  assert.equal(r.body.error.field, 'entitlement_ids[1]');
  assert.equal((await admin.get(`/api/v1/funds/entitlements/${good}`)).body.state, 'approved', 'the good row is not batched');
  assert.equal((await admin.post('/api/v1/funds/batches', { name: '重复', entitlement_ids: [good, good] })).body.error.code, 'duplicate_id');
  assert.equal((await admin.post('/api/v1/funds/batches', { name: '空', entitlement_ids: [] })).body.error.code, 'empty_batch');
  // two batches racing for one row: exactly one takes it
  const rs = await Promise.all([1, 2].map((k) => admin.post('/api/v1/funds/batches', { name: `并发${k}`, entitlement_ids: [good] })));
  assert.deepEqual(rs.map((x) => x.status).sort(), [201, 409]);
});

test('each sees its own: the town its town, the institution its own, with the totals of its filter', async () => {
  await approved(other, 4000000);
  const mine = (await op.get('/api/v1/funds/entitlements?limit=500')).body;
  assert.ok(mine.items.length > 0 && mine.items.every((x) => x.institution_id === home.id));
  assert.equal(mine.totals.count, mine.items.length);
  assert.equal(mine.totals.amount_fen, mine.items.reduce((a, x) => a + x.amount_fen, 0));
  const townRows = (await town.get('/api/v1/funds/entitlements?limit=500')).body.items;
  assert.ok(townRows.every((x) => x.town_code === HOME_TOWN));
  const all = (await admin.get('/api/v1/funds/entitlements?limit=500')).body;
  assert.ok(all.items.some((x) => x.town_code === OTHER_TOWN));
  const approvedOnly = (await admin.get('/api/v1/funds/entitlements?state=approved&limit=1')).body;
  assert.equal(approvedOnly.items.length, 1);
  assert.ok(approvedOnly.totals.count >= 1);
  const otherRow = all.items.find((x) => x.town_code === OTHER_TOWN);
  assert.equal((await op.get(`/api/v1/funds/entitlements/${otherRow.id}`)).status, 404);
  assert.equal((await town.get(`/api/v1/funds/entitlements/${otherRow.id}`)).status, 404);
  assert.equal((await admin.get('/api/v1/funds/entitlements?state=nonsense')).body.error.code, 'bad_state');
  // families and health instructors have no ledger
  const family = await srv.login('family');
  assert.equal((await family.get('/api/v1/funds/entitlements')).status, 403);
});
