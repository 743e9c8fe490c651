// rectify.test.mjs — rectification items over HTTP (issue 19 item 5): the town raises an item
// against an institution from a finding (its stable key kept), the deadline comes from the dated
// parameter rectify.deadline_days, an overdue notice waits in the town's and district's inbox; the
// operator answers with the institution's materials as evidence; closing without evidence is
// refused (422 no_evidence) with nothing written; closing with it withdraws the overdue notice;
// another town's officer and another institution's operator see nothing of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { pdfBytes, uploadMaterial } from '../lib/fixtures.mjs';

// 2026-06-01 10:00 in Beijing
let srv, database, admin, town, otherTown, auditor, inst, otherInst, op, otherOp;

const finding = { source: 'duty', rule: 'duty.ratio', subject: 'class:1', finding: '保育人员与婴幼儿比例低于标准' };
const path = (id, rest = '') => `/api/v1/institutions/${id}/rectifications${rest}`;
const auditOf = async (action) => (await auditor.get(`/api/v1/audit?limit=100&action=${action}`)).body.items;

before(async () => {
  srv = await startServer({ now: '2026-06-01T02:00:00Z' });
  database = srv.database;
  admin = await srv.login('district-admin');
  town = await srv.login('town-330304001');
  otherTown = await srv.login('town-330304002');
  auditor = await srv.login('auditor');
  inst = (await admin.get('/api/v1/institutions?town=330304001&limit=1')).body.items[0].id;
  otherInst = (await admin.get('/api/v1/institutions?town=330304002&limit=1')).body.items[0].id;
  op = await srv.login(`inst-${inst}`);
  otherOp = await srv.login(`inst-${otherInst}`);
});
after(async () => { await srv?.stop(); });

test('an inspection finding goes from raising to closure; closing without evidence is refused with nothing written', async () => {
  const r = await town.post(path(inst), finding);
  assert.equal(r.status, 201, r.text);
  const item = r.body;
  assert.equal(item.status, 'open');
  assert.equal(item.due_on, '2026-07-01'); // rectify.deadline_days = 30 after 2026-06-01
  assert.deepEqual([item.source, item.rule, item.subject], ['duty', 'duty.ratio', 'class:1']);
  // the same finding while the item is open: a conflict
  const again = await admin.post(path(inst), finding);
  assert.equal(again.status, 409, again.text);
  assert.equal(again.body.error.code, 'already_open');

  // no evidence yet: refused, and nothing written (status, audit)
  const early = await town.post(path(inst, `/${item.id}/close`), { review_note: '已整改' });
  assert.equal(early.status, 422, early.text);
  assert.equal(early.body.error.code, 'no_evidence');
  const still = (await town.get(path(inst))).body.items.find((x) => x.id === item.id);
  assert.equal(still.status, 'open');
  assert.equal(still.closed_at, null);
  assert.equal((await auditOf('rectify.close')).length, 0);

  // a response without materials is recorded but is still no evidence
  const bare = await op.post(path(inst, `/${item.id}/response`), { response: '已增配保育人员' });
  assert.equal(bare.status, 200, bare.text);
  assert.equal(bare.body.status, 'responded');
  const stillBare = await town.post(path(inst, `/${item.id}/close`), { review_note: '已整改' });
  assert.equal(stillBare.status, 422, stillBare.text);
  assert.equal(stillBare.body.error.code, 'no_evidence');

  // another institution's material is no evidence of this one's
  const foreign = await uploadMaterial(otherOp, otherInst, pdfBytes('foreign'), '他园材料.pdf');
  assert.equal(foreign.status, 201, foreign.text);
  const wrong = await op.post(path(inst, `/${item.id}/response`), { response: '已整改', material_ids: [foreign.body.id] });
  assert.equal(wrong.status, 422, wrong.text);
  assert.equal(wrong.body.error.code, 'bad_material');
  assert.deepEqual((await town.get(path(inst))).body.items.find((x) => x.id === item.id).response, '已增配保育人员');

  const m = await uploadMaterial(op, inst, pdfBytes('rectify'), '保育人员花名册.pdf');
  assert.equal(m.status, 201, m.text);
  const ok = await op.post(path(inst, `/${item.id}/response`), { response: '已增配保育人员两名', material_ids: [m.body.id] });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.body.evidence_material_ids, [m.body.id]);

  const closed = await town.post(path(inst, `/${item.id}/close`), { review_note: '经现场复核，已达标' });
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.body.status, 'closed');
  assert.equal(closed.body.review_note, '经现场复核，已达标');
  assert.equal((await auditOf('rectify.close')).length, 1);
  const twice = await town.post(path(inst, `/${item.id}/close`), { review_note: '再次' });
  assert.equal(twice.status, 409, twice.text);
  // once closed, the same finding may be raised again
  const reraised = await town.post(path(inst), finding);
  assert.equal(reraised.status, 201, reraised.text);
});

test('scoping: another town officer and another institution operator see and change nothing', async () => {
  const r = await town.post(path(inst), { source: 'staff', rule: 'staff.certificate', subject: 'staff:9', finding: '保育人员无证上岗' });
  assert.equal(r.status, 201, r.text);
  assert.equal((await otherTown.get(path(inst))).status, 404);
  assert.equal((await otherOp.get(path(inst))).status, 404);
  assert.equal((await otherTown.post(path(inst), finding)).status, 404);
  assert.equal((await otherTown.post(path(inst, `/${r.body.id}/close`), { review_note: 'x' })).status, 404);
  assert.equal((await otherOp.post(path(inst, `/${r.body.id}/response`), { response: 'x' })).status, 404);
  // the item is not found through another institution's path either
  assert.equal((await otherOp.post(path(otherInst, `/${r.body.id}/response`), { response: 'x' })).status, 404);
  // the operator reads their own institution's items, and may not raise or close
  const mine = await op.get(path(inst));
  assert.equal(mine.status, 200);
  assert.ok(mine.body.items.some((x) => x.id === r.body.id));
  assert.equal((await op.post(path(inst), finding)).status, 403);
  assert.equal((await op.post(path(inst, `/${r.body.id}/close`), { review_note: 'x' })).status, 403);
});

test('the overdue notice waits for the day after the deadline, for the town and the district only', async () => {
  const r = await admin.post(path(inst), { source: 'inspection', rule: 'fire.exit', finding: '安全出口堵塞' });
  assert.equal(r.status, 201, r.text);
  const overdue = async (c) => (await c.get('/api/v1/inbox?limit=500')).body.items.filter((x) => x.kind === 'rectify.overdue' && x.ref_id === r.body.id);
  assert.equal((await overdue(town)).length, 0); // not before the deadline has passed
  // the clock moves to the day after the deadline (2026-07-01)
  await srv.stop({ keepDatabase: true });
  srv = await startServer({ now: '2026-07-02T02:00:00Z', database });
  for (const login of ['town-330304001', 'district-admin']) assert.equal((await overdue(await srv.login(login))).length, 1, login);
  assert.equal((await overdue(await srv.login('town-330304002'))).length, 0);
  assert.equal((await overdue(await srv.login(`inst-${otherInst}`))).length, 0);
});
