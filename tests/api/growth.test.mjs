// growth.test.mjs — the growth engine over HTTP beyond the 2006 standards: the WHO 2007 reference
// (5–19 years) in the batch and in a child's growth evaluation from 60.0 months (as WHO's
// anthroplus computes it), and the public WHO reference curves a chart draws.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { consent } from '../lib/fixtures.mjs';

let srv, admin, op;
before(async () => {
  srv = await startServer({ now: '2026-06-01T02:00:00Z' });
  admin = await srv.login('district-admin');
  const instId = (await admin.get('/api/v1/institutions?town=330304005&limit=1')).body.items[0].id;
  op = await srv.login(`inst-${instId}`);
});
after(async () => { await srv.stop(); });

test('WHO curves are public, computed from the compiled tables, in the table\'s own unit', async () => {
  const anon = new Client(srv.url);
  let r = await anon.get('/api/v1/public/growth/curves/wfa/1?from=0&to=730');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.x_unit, 'day');
  assert.equal(r.body.columns.length, 8);
  assert.ok(r.body.points.length > 100 && r.body.points.length <= 600);
  // the default step keeps about 300 points on the table's grid: 730 days → every 3 days
  assert.equal(r.body.points[1][0] - r.body.points[0][0], 3);
  r = await anon.get('/api/v1/public/growth/curves/wfa/1?from=365&to=365');
  assert.deepEqual(r.body.points.map((p) => p[0]), [365]);
  assert.equal(r.body.points[0][4], 9.646, 'the median is M of wfa day 365 (boys)');
  // 2007 reference by month, from the 60-month row
  r = await anon.get('/api/v1/public/growth/curves/hfa2007/1?from=60&to=62&step=0.5');
  assert.equal(r.body.x_unit, 'month');
  assert.deepEqual(r.body.points.map((p) => p[0]), [60, 60.5, 61, 61.5, 62]);
  assert.equal(r.body.points[0][4], 109.7265);
  assert.ok(Math.abs(r.body.points[1][4] - (109.7265 + 110.2647) / 2) < 1e-9, 'interpolated between months');
  r = await anon.get('/api/v1/public/growth/curves/wfl/2?from=80&to=81&step=0.5');
  assert.equal(r.body.x_unit, 'cm');
  assert.equal(r.body.points.length, 3);
  // bad input: a clear code and field
  for (const [q, code, field] of [
    ['zz/1', 'bad_indicator', 'indicator'],
    ['wfa/3', 'bad_sex', 'sex'],
    ['wfa/1?from=abc', 'bad_number', 'from'],
    ['wfa/1?step=0.01', 'bad_range', 'x'],
    ['wfa/1?from=3000&to=4000', 'bad_range', 'x'],
  ]) {
    const b = await anon.get(`/api/v1/public/growth/curves/${q}`);
    assert.equal(b.status, 400, q);
    assert.equal(b.body.error.code, code, q);
    assert.equal(b.body.error.field, field, q);
  }
});

test('the 2007 batch gives z-scores from 60.0 months, as anthroplus does', async () => {
  const rows = [
    { sex: 1, age_months: 59.99, height_cm: 110, weight_kg: 19 },
    { sex: 1, age_months: 60, height_cm: 110, weight_kg: 19 },
    { sex: 1, age_months: 60.5, height_cm: 110, weight_kg: 19 },
    { sex: 2, age_months: 130, height_cm: 140, weight_kg: 33, oedema: true },
    { sex: 1, age_months: 100, height_cm: -1, weight_kg: 20 },
  ];
  const r = await admin.post('/api/v1/growth/zscores-2007', { rows });
  assert.equal(r.status, 200, r.text);
  const [before60, at60, mid, oedema, bad] = r.body.results;
  assert.deepEqual(before60, { hfa: null, wfa: null, bfa: null });
  // values from data/who-growth/anthroplus-agreement.csv (anthroplus 1.0.0.9000)
  assert.equal(at60.hfa.z, 0.06);
  assert.equal(mid.hfa.z, 0);
  assert.equal(at60.hfa.grade_name, '中');
  assert.equal(at60.bfa.class, 'normal');
  assert.equal(oedema.wfa, null, 'weight-for-age ends at 120 months');
  assert.equal(oedema.bfa, null, 'oedema: no BMI-for-age');
  assert.ok(oedema.hfa.z !== undefined);
  assert.deepEqual(bad, { error: 'bad_height' });
  // anonymous rows, but only for the roles the policy allows; the schema names a wrong member
  const fam = await srv.login('family');
  assert.equal((await fam.post('/api/v1/growth/zscores-2007', { rows: [] })).status, 403);
  const wrong = await admin.post('/api/v1/growth/zscores-2007', { rows: [{ sex: 1, age_months: '60' }] });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.error.field, 'rows[0].age_months');
});

test('a child of five or more gets the 2007 reference in its growth evaluation, and the curves for it', async () => {
  const child = (await op.post('/api/v1/children', { name: '赵小安', birth_date: '2021-03-01', sex: 1, birth_cert: 'P330012399' })).body;
  assert.ok(child.id, JSON.stringify(child));
  await consent(op, child.id);
  // 2026-02-28: 1825 days = 59.96 months (2006 standards); 2026-05-01: 1887 days = 62.0 months (2007)
  for (const body of [{ measured_on: '2026-02-28', weight_kg: 18.3, lenhei_cm: 110, measure: 'h' },
    { measured_on: '2026-05-01', weight_kg: 19, lenhei_cm: 111 }]) {
    const r = await op.post(`/api/v1/children/${child.id}/measurements`, body);
    assert.equal(r.status, 201, r.text);
  }
  const g = await op.get(`/api/v1/children/${child.id}/growth`);
  assert.equal(g.status, 200, g.text);
  const [under5, over5] = g.body.measurements;
  assert.ok(under5.zscores.wfa, 'below 60 months: the 2006 standards');
  assert.equal(under5.zscores_2007, undefined);
  assert.equal(over5.zscores.wfa, null, 'from 60 months the 2006 standards give nothing');
  assert.ok(over5.zscores_2007.hfa && over5.zscores_2007.wfa && over5.zscores_2007.bfa);
  // the engine's own numbers for the same measurement through the batch
  const months = 1887 / 30.4375;
  const b = await admin.post('/api/v1/growth/zscores-2007', { rows: [{ sex: 1, age_months: months, height_cm: 111, weight_kg: 19 }] });
  assert.deepEqual(over5.zscores_2007, b.body.results[0]);
  for (const k of ['wfa2007', 'hfa2007', 'bfa2007']) {
    assert.ok(g.body.curves[k].length > 0, k);
    assert.equal(g.body.curves[k][0][0], 60, `${k} starts at 60 months`);
  }
});

test('a measurement beyond WHO\'s plausibility limits is stored and shown with its flag; a typo is refused', async () => {
  const child = (await op.post('/api/v1/children', { name: '钱小满', birth_date: '2025-06-01', sex: 2, birth_cert: 'Q330012388' })).body;
  await consent(op, child.id);
  // 25 kg at one year: weight-for-age z far above +5 (WHO flags it), but a possible number
  let r = await op.post(`/api/v1/children/${child.id}/measurements`, { measured_on: '2026-06-01', weight_kg: 25, lenhei_cm: 74, measure: 'l' });
  assert.equal(r.status, 201, r.text);
  // grams for kilograms: outside what a child under 7 can weigh, refused with its field, nothing stored
  r = await op.post(`/api/v1/children/${child.id}/measurements`, { measured_on: '2026-06-01', weight_kg: 9400 });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'out_of_range');
  assert.equal(r.body.error.field, 'weight_kg');
  const g = (await op.get(`/api/v1/children/${child.id}/growth`)).body;
  assert.equal(g.measurements.length, 1);
  const z = g.measurements[0].zscores;
  assert.ok(z.wfa.z > 5 && z.wfa.flag === true, JSON.stringify(z.wfa));
  assert.equal(z.wfa.grade_name, '上');
  assert.equal(z.lhfa.flag, false);
});
