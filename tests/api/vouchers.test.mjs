// vouchers.test.mjs — 托育券 over HTTP on both databases (issue 18 item 5): the district sets up an
// issue (bad terms refused, nothing written) and issues one voucher to each eligible child of a
// family account, once; the family redeems its child's voucher only at a filed 普惠 institution
// where the child is in care, and exactly once when two redemptions race; the institution claims
// it into the ledger (kind voucher, the face value, explained), once; an unredeemed voucher past
// its last day reads as expired and cannot be used; each party sees only its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

const NOW = '2026-06-10T02:00:00Z';
let srv, database, admin, family, op1, issueId;

before(async () => {
  srv = await startServer({ now: NOW });
  database = srv.database;
  admin = await srv.login('district-admin');
  family = await srv.login('family');
  op1 = await srv.login('inst-1');
});
after(async () => { await srv?.stop(); });

const terms = (extra = {}) => ({ name: '2026年家庭托育券', face_fen: 100000, valid_from: '2026-06-01', valid_to: '2026-09-30',
  min_age_months: 0, max_age_months: 36, basis: '瓯海区普惠托育基本公共服务试点工作方案 四(五)15', ...extra });

test('the district sets up an issue and issues it once to every eligible child of a family', async () => {
  for (const [body, code, field] of [
    [terms({ valid_to: '2026-05-31' }), 'bad_validity', 'valid_to'],
    [terms({ valid_from: '2026-01-01', valid_to: '2026-03-01' }), 'bad_validity', 'valid_to'],
    [terms({ min_age_months: 24, max_age_months: 12 }), 'bad_ages', 'max_age_months'],
    [terms({ face_fen: 0 }), 'out_of_range', 'face_fen'],
  ]) {
    const r = await admin.post('/api/v1/voucher-issues', body);
    assert.deepEqual([r.status, r.body.error?.code, r.body.error?.field], [422, code, field], JSON.stringify(body));
  }
  assert.deepEqual((await admin.get('/api/v1/voucher-issues')).body.items, [], 'nothing written');
  let r = await admin.post('/api/v1/voucher-issues', terms());
  assert.equal(r.status, 201, r.text);
  issueId = r.body.id;
  assert.equal(r.body.issued_on, null);
  r = await admin.post(`/api/v1/voucher-issues/${issueId}/issue`, {});
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.issued > 0);
  const issued = r.body.issued;
  // every one an eligible child of a family, each once
  const all = (await admin.get('/api/v1/vouchers?limit=500')).body.items;
  assert.equal(all.length, issued);
  assert.equal(new Set(all.map((v) => v.child_id)).size, issued);
  assert.ok(all.every((v) => v.state === 'issued' && /^TY-[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/.test(v.code)));
  r = await admin.post(`/api/v1/voucher-issues/${issueId}/issue`, {});
  assert.deepEqual([r.status, r.body.error.code], [409, 'already_issued']);
  assert.equal((await admin.get('/api/v1/vouchers?limit=500')).body.items.length, issued, 'not issued twice');
  // a family sees its own children's vouchers only; an operator none before one is used there
  const mine = (await family.get('/api/v1/vouchers')).body.items;
  const kids = (await family.get('/api/v1/children')).body.items.map((k) => k.id);
  assert.ok(mine.length > 0 && mine.every((v) => kids.includes(v.child_id)));
  assert.deepEqual((await op1.get('/api/v1/vouchers')).body.items, []);
  assert.equal((await (await srv.login('town-330304001')).get('/api/v1/vouchers')).status, 403);
  // the district's read of the list (children's names, masked) is audited with its count; the family's own is not
  const log = (await (await srv.login('auditor')).get('/api/v1/audit?action=vouchers.read&limit=50')).body.items;
  assert.ok(log.some((x) => x.login === 'district-admin' && x.fields.vouchers === issued), JSON.stringify(log.slice(0, 3)));
  assert.ok(!log.some((x) => x.login === 'family'));
});

test('redeemed only where the child is in care at a filed 普惠 institution, once under a race, then claimed once', async () => {
  const kid = (await family.get('/api/v1/children')).body.items.find((k) => k.institution_id === 1);
  assert.ok(kid, 'the demo family has a child of institution 1');
  const v = (await family.get('/api/v1/vouchers')).body.items.find((x) => x.child_id === kid.id);
  // not in care there yet
  let r = await family.post(`/api/v1/vouchers/${v.id}/redeem`, { institution_id: 1 });
  assert.deepEqual([r.status, r.body.error?.code, r.body.error?.field], [422, 'not_in_care', 'institution_id']);
  // an institution that is not 普惠
  const market = (await admin.get('/api/v1/institutions?status=filed&inclusive=0&limit=200')).body.items.find((i) => i.ownership === 'private');
  r = await family.post(`/api/v1/vouchers/${v.id}/redeem`, { institution_id: market.id });
  assert.deepEqual([r.status, r.body.error?.code], [422, 'not_inclusive']);
  // placed by the institution, the child's voucher is used there — by one of two racing requests
  const classId = (await admin.get('/api/v1/institutions/1')).body.classes[0].id;
  assert.equal((await op1.put(`/api/v1/children/${kid.id}/placement`, { class_id: classId, start_date: '2026-06-10' })).status, 201);
  const race = await Promise.all([1, 2, 3].map(() => family.post(`/api/v1/vouchers/${v.id}/redeem`, { institution_id: 1 })));
  assert.deepEqual(race.map((x) => x.status).sort(), [200, 409, 409], race.map((x) => x.text).join('\n'));
  assert.ok(race.filter((x) => x.status === 409).every((x) => x.body.error.code === 'already_redeemed'));
  const used = race.find((x) => x.status === 200).body;
  assert.deepEqual([used.state, used.institution_id], ['redeemed', 1]);
  // another family cannot touch it; the institution sees it now
  assert.equal((await op1.get('/api/v1/vouchers')).body.items.length, 1);
  // claimed: the face value in the ledger, explained; a second claim refused; another institution cannot
  const op3 = await srv.login('inst-3');
  assert.equal((await op3.post(`/api/v1/vouchers/${v.id}/claim`, {})).status, 404);
  r = await op1.post(`/api/v1/vouchers/${v.id}/claim`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'claimed');
  const row = (await admin.get(`/api/v1/funds/entitlements/${r.body.entitlement_id}`)).body;
  assert.deepEqual([row.kind, row.amount_fen, row.state, row.institution_id], ['voucher', 100000, 'computed', 1]);
  assert.equal(row.explanation.inputs.code, v.code);
  r = await op1.post(`/api/v1/vouchers/${v.id}/claim`, {});
  assert.deepEqual([r.status, r.body.error.code], [409, 'not_redeemed']);
  const issue = (await admin.get('/api/v1/voucher-issues')).body.items[0];
  assert.deepEqual([issue.redeemed, issue.claimed], [1, 1]);
});

test('after its last day an unused voucher is expired and cannot be used', async () => {
  const before = (await family.get('/api/v1/vouchers')).body.items.find((x) => x.state === 'issued');
  assert.ok(before);
  await srv.stop({ keepDatabase: true });
  srv = await startServer({ now: '2026-10-01T02:00:00Z', database });
  family = await srv.login('family');
  const after = (await family.get('/api/v1/vouchers')).body.items.find((x) => x.id === before.id);
  assert.deepEqual([after.state, after.state_name], ['expired', '已过期']);
  const r = await family.post(`/api/v1/vouchers/${before.id}/redeem`, { institution_id: 1 });
  assert.deepEqual([r.status, r.body.error.code], [409, 'expired']);
});
