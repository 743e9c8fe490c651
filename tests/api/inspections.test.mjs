// inspections.test.mjs — 督查 over HTTP on both databases (issue 19 item 5): the checklist holds the
// compliance rules and "other"; a town officer records an unannounced inspection of an institution
// of its town and each failed point becomes a rectification item (source inspection) in the same
// transaction; bad records (a future day, a failed point without what was found, an unknown or
// repeated point, "other" without a name, an unknown kind) are refused with the field and change
// nothing; the operator reads its inspections and may not record one; another town cannot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

let srv, admin, town, inst;
before(async () => {
  srv = await startServer({ now: '2026-06-10T02:00:00Z' });
  admin = await srv.login('district-admin');
  town = await srv.login('town-330304001');
  inst = (await admin.get('/api/v1/institutions?town=330304001&status=filed&limit=1')).body.items[0].id;
});
after(async () => { await srv?.stop(); });

const good = (extra = {}) => ({
  kind: 'unannounced', inspected_on: '2026-06-09', team: '区卫健局 王某、景山街道 李某', summary: '总体规范，两处问题限期整改',
  items: [
    { code: 'class_size', result: 'pass' },
    { code: 'fee_band', result: 'fail', note: '全日托保育费高于公示目录' },
    { code: 'other', name: '消防通道', result: 'fail', note: '消防通道堆放杂物' },
    { code: 'health_worker', result: 'na' },
  ],
  ...extra,
});

test('the checklist is the rules the platform checks, and "other"', async () => {
  const r = await town.get('/api/v1/inspection-checklist');
  assert.equal(r.status, 200, r.text);
  const codes = r.body.items.map((x) => x.code);
  for (const c of ['class_size', 'caregiver_ratio', 'fee_band', 'director_missing', 'health_cert_lapsed', 'other']) assert.ok(codes.includes(c), c);
  assert.equal(r.body.items.find((x) => x.code === 'fee_band').name, '收费超出价格政策');
});

test('bad records are refused with the field and change nothing', async () => {
  const bad = [
    [good({ kind: 'surprise' }), 'bad_kind', 'kind'],
    [good({ inspected_on: '2026-06-11' }), 'future_date', 'inspected_on'],
    [good({ items: [{ code: 'fee_band', result: 'fail' }] }), 'note_required', 'items[0].note'],
    [good({ items: [{ code: 'no_such_rule', result: 'pass' }] }), 'unknown_point', 'items[0].code'],
    [good({ items: [{ code: 'class_size', result: 'pass' }, { code: 'class_size', result: 'fail', note: 'x' }] }), 'duplicate_point', 'items[1].code'],
    [good({ items: [{ code: 'other', result: 'pass' }] }), 'other_needs_name', 'items[0].name'],
    [good({ items: [{ code: 'class_size', result: 'ok' }] }), 'bad_result', 'items[0].result'],
    [good({ items: [] }), 'empty_checklist', 'items'],
  ];
  for (const [body, code, field] of bad) {
    const r = await town.post(`/api/v1/institutions/${inst}/inspections`, body);
    assert.deepEqual([r.status, r.body.error?.code, r.body.error?.field], [422, code, field], JSON.stringify(body.items));
  }
  assert.deepEqual((await town.get(`/api/v1/institutions/${inst}/inspections`)).body.items, []);
  assert.equal((await town.get(`/api/v1/institutions/${inst}/rectifications`)).body.items.filter((i) => i.source === 'inspection').length, 0);
});

test('each failed point becomes a rectification item, all in one record', async () => {
  let r = await town.post(`/api/v1/institutions/${inst}/inspections`, good());
  assert.equal(r.status, 201, r.text);
  const insp = r.body;
  assert.deepEqual(insp.items.map((p) => [p.code, p.result, p.rectification_id !== null]),
    [['class_size', 'pass', false], ['fee_band', 'fail', true], ['other', 'fail', true], ['health_worker', 'na', false]]);
  const items = (await town.get(`/api/v1/institutions/${inst}/rectifications`)).body.items.filter((i) => i.source === 'inspection');
  assert.equal(items.length, 2);
  const fee = items.find((i) => i.id === insp.items[1].rectification_id);
  assert.deepEqual([fee.rule, fee.subject, fee.status], ['fee_band', `inspection:${insp.id}`, 'open']);
  assert.match(fee.finding, /收费超出价格政策：全日托保育费高于公示目录/);
  assert.ok(fee.due_on > '2026-06-10', 'a deadline after today');
  // the operator reads it and may not record one; another town cannot see it
  const op = await srv.login(`inst-${inst}`);
  assert.equal((await op.get(`/api/v1/institutions/${inst}/inspections`)).body.items[0].id, insp.id);
  assert.equal((await op.post(`/api/v1/institutions/${inst}/inspections`, good())).status, 403);
  const other = await srv.login('town-330304002');
  assert.equal((await other.get(`/api/v1/institutions/${inst}/inspections`)).status, 404);
  assert.equal((await other.post(`/api/v1/institutions/${inst}/inspections`, good())).status, 404);
  // a later inspection finding the same thing raises its own item
  r = await admin.post(`/api/v1/institutions/${inst}/inspections`, good({ kind: 'planned', inspected_on: '2026-06-10', items: [{ code: 'fee_band', result: 'fail', note: '仍未整改' }] }));
  assert.equal(r.status, 201, r.text);
  assert.equal((await town.get(`/api/v1/institutions/${inst}/rectifications`)).body.items.filter((i) => i.source === 'inspection').length, 3);
  const auditor = await srv.login('auditor');
  assert.equal((await auditor.get('/api/v1/audit?action=inspection.record')).body.items.length, 2);
});
