// fees.test.mjs — fee catalogues done right (issue 17 items 4, 5, 6, 8): a catalogue is a dated,
// published version; a change takes effect from a day not in the past (a retroactive one, a negative
// amount, an unknown unit, a unit its service type is not billed by are refused with the field named
// and nothing written); an announced change shows on the public page and takes over on its day with
// no job run; a later change withdraws the announcements it overtakes; 公办 prices are checked
// against the guided band and 社会办普惠 against the reference range, live, as findings with their
// basis; the district's list of catalogues exports as .xlsx; families compare and filter by the
// full-day monthly fee (never a half-day or hourly one); the operator's cost worksheet works out a
// suggested price; who may do what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { uscc } from '../lib/fixtures.mjs';
import { readSheet } from '../lib/xlsx.mjs';

const NOW = '2026-06-10T02:00:00Z'; // 10:00 Beijing
const TODAY = '2026-06-10';
let srv, database, admin, pub, priv;

function record(extra) {
  return {
    town_code: '330304001', address: '景山街道价格路1号', lon: 120.64, lat: 27.99, operating_model: 'agency',
    status: 'filed', premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 20, enrolled: 10, caregivers: 3 }],
    ...extra,
  };
}

before(async () => {
  srv = await startServer({ now: NOW });
  database = srv.database;
  admin = await srv.login('district-admin');
  // a 公办 institution whose catalogue came with the record (no service types: read from the units)
  let r = await admin.post('/api/v1/institutions', record({
    name: '公办价格测试托育园', uscc: uscc('12330304MB5000001'), ownership: 'public', inclusive: true,
    fees: [{ item: '保育费（全日托）', category: 'basic', amount_fen: 200000, unit: '月' },
      { item: '伙食费', category: 'other', amount_fen: 1500, unit: '日' }],
  }));
  assert.equal(r.status, 201, r.text);
  pub = r.body.id;
  // a 社会办普惠 one with a cheap half-day price beside its full-day price
  r = await admin.post('/api/v1/institutions', record({
    name: '普惠价格测试托育园', uscc: uscc('91330304MB5000002'), ownership: 'private', inclusive: true, operating_model: 'market',
    fees: [{ item: '半日托', category: 'basic', service_type: 'half_day', amount_fen: 150000, unit: '月' },
      { item: '全日托', category: 'basic', service_type: 'full_day', amount_fen: 520000, unit: '月' },
      { item: '计时托', category: 'basic', amount_fen: 4200, unit: '小时' }],
  }));
  assert.equal(r.status, 201, r.text);
  priv = r.body.id;
});
after(async () => { await srv?.stop(); });

test('the catalogue with the record is its first version; bad changes are refused and change nothing', async () => {
  let r = await admin.get(`/api/v1/institutions/${pub}/fees`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.changes.length, 1);
  assert.deepEqual([r.body.changes[0].state, r.body.changes[0].effective_from], ['in_force', TODAY]);
  assert.deepEqual(r.body.in_force.items.map((f) => [f.item, f.service_type, f.amount_fen, f.unit]),
    [['保育费（全日托）', 'full_day', 200000, '月'], ['伙食费', null, 1500, '日']]);
  assert.equal(r.body.monthly_full_day_fen, 200000);
  assert.equal(r.body.guidance.kind, 'guided', '公办: government-guided price');
  const band = r.body.guidance.bands.find((b) => b.service_type === 'full_day');
  assert.deepEqual([band.benchmark_fen, band.min_fen, band.max_fen], [200000, 180000, 220000]);
  assert.match(r.body.guidance.basis, /1477号/);
  assert.deepEqual(r.body.outside_band, []);

  const ok = { item: '保育费（全日托）', category: 'basic', service_type: 'full_day', amount_fen: 210000, unit: '月' };
  const bad = [
    [{ effective_from: '2026-06-09', items: [ok] }, 422, 'retroactive_change', 'effective_from'],
    [{ effective_from: TODAY, items: [{ ...ok, amount_fen: -100 }] }, 422, 'out_of_range', 'items[0].amount_fen'],
    [{ effective_from: TODAY, items: [ok, { ...ok, item: '周托', unit: '周' }] }, 422, 'bad_fee_unit', 'items[1].unit'],
    [{ effective_from: TODAY, items: [{ ...ok, service_type: 'hourly' }] }, 422, 'unit_mismatch', 'items[0].unit'],
    [{ effective_from: TODAY, items: [ok, { item: '伙食费', category: 'other', service_type: 'full_day', amount_fen: 1, unit: '日' }] },
      422, 'service_type_on_other', 'items[1].service_type'],
    [{ effective_from: TODAY, items: [ok, ok] }, 422, 'duplicate_fee', 'items[1].item'],
    [{ effective_from: TODAY, items: [] }, 422, 'empty_catalogue', 'items'],
    [{ effective_from: '2026-13-01', items: [ok] }, 422, 'bad_date', 'effective_from'],
  ];
  for (const [body, status, code, field] of bad) {
    r = await admin.put(`/api/v1/institutions/${pub}/fees`, body);
    assert.deepEqual([r.status, r.body?.error?.code, r.body?.error?.field], [status, code, field], JSON.stringify(body));
    assert.ok(r.body.error.message, 'a message in Chinese');
  }
  r = await admin.get(`/api/v1/institutions/${pub}/fees`);
  assert.equal(r.body.changes.length, 1, 'nothing written');
});

test('an announced change shows publicly, takes over on its day, and a later change withdraws what it overtakes', async () => {
  const items = (fen) => [{ item: '保育费（全日托）', category: 'basic', service_type: 'full_day', amount_fen: fen, unit: '月' },
    { item: '保育费（半日托）', category: 'basic', service_type: 'half_day', amount_fen: 120000, unit: '月' },
    { item: '伙食费', category: 'other', amount_fen: 1500, unit: '日' }];
  let r = await admin.put(`/api/v1/institutions/${pub}/fees`, { effective_from: '2026-07-01', note: '2026年秋季调价', items: items(210000) });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.changes.map((c) => [c.effective_from, c.state]), [['2026-07-01', 'announced'], [TODAY, 'in_force']]);
  assert.equal(r.body.in_force.items[0].amount_fen, 200000, 'the announced price is not charged before its day');
  assert.equal(r.body.changes[0].changed_by_name.length > 0, true);
  // a second announcement further on, then a change from 2026-08-01 overtakes it
  r = await admin.put(`/api/v1/institutions/${pub}/fees`, { effective_from: '2026-09-01', note: '再调', items: items(215000) });
  assert.equal(r.status, 200, r.text);
  r = await admin.put(`/api/v1/institutions/${pub}/fees`, { effective_from: '2026-08-01', note: '提前', items: items(230000) });
  assert.deepEqual(r.body.changes.map((c) => [c.effective_from, c.state]),
    [['2026-09-01', 'withdrawn'], ['2026-08-01', 'announced'], ['2026-07-01', 'announced'], [TODAY, 'in_force']]);
  // the public page: today's prices, what is announced, and which guidance applies
  const anon = srv.client();
  r = await anon.get(`/api/v1/public/institutions/${pub}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.monthly_fee_fen, 200000);
  assert.deepEqual(r.body.fees_announced.map((c) => [c.effective_from, c.items[0].amount_fen]), [['2026-08-01', 230000], ['2026-07-01', 210000]]);
  assert.equal(r.body.fee_guidance.name, '政府指导价');
  // the auditor sees each publication
  const auditor = await srv.login('auditor');
  const audited = (await auditor.get('/api/v1/audit?action=fees.publish&limit=50')).body.items;
  assert.equal(audited.filter((a) => a.target_id === String(pub)).length, 3);

  // on 2026-07-01 the first announcement is in force, with no job run; on 2026-08-01 the second,
  // whose 2,300 元 is above the guided band: a finding with its basis, in the district's lists
  await srv.stop({ keepDatabase: true });
  srv = await startServer({ now: '2026-07-01T01:00:00Z', database });
  admin = await srv.login('district-admin');
  r = await srv.client().get(`/api/v1/public/institutions/${pub}`);
  assert.equal(r.body.monthly_fee_fen, 210000);
  await srv.stop({ keepDatabase: true });
  srv = await startServer({ now: '2026-08-01T01:00:00Z', database });
  admin = await srv.login('district-admin');
  r = await admin.get(`/api/v1/institutions/${pub}/fees`);
  assert.equal(r.body.in_force.items[0].amount_fen, 230000);
  assert.deepEqual(r.body.changes.map((c) => c.state), ['withdrawn', 'in_force', 'past', 'past']);
  assert.equal(r.body.outside_band.length, 1);
  assert.match(r.body.outside_band[0].message, /全日托「保育费（全日托）」2300\.00 元\/月高于政府指导价允许范围 1800\.00–2200\.00 元/);
  const findings = (await admin.get(`/api/v1/findings?institution_id=${pub}`)).body.items;
  const f = findings.find((x) => x.rule === 'fee_band');
  assert.ok(f, JSON.stringify(findings));
  assert.match(f.basis, /1477号/);
  const listed = (await admin.get(`/api/v1/fees?town=330304001&service_type=full_day&limit=200`)).body.items;
  const row = listed.find((x) => x.institution_id === pub);
  assert.deepEqual([row.amount_fen, row.guidance, row.effective_from], [230000, '政府指导价', '2026-08-01']);
  assert.match(row.outside_band, /高于政府指导价/);
  assert.ok(listed.every((x) => x.service_type === 'full_day' && x.town_code === '330304001'));
});

test('the 社会办普惠 reference range; families compare by the full-day monthly fee, never the half-day one', async () => {
  const anon = srv.client();
  let r = await anon.get(`/api/v1/public/institutions/${priv}`);
  assert.equal(r.body.monthly_fee_fen, 520000, 'the full-day monthly item, not the cheaper half-day one');
  assert.deepEqual(r.body.fee_guidance.kind, 'reference');
  assert.deepEqual(r.body.basic_fees.map((f) => f.service_type), ['half_day', 'full_day', 'hourly']);
  // the filter by monthly fee reads the full-day item: 3,000 元 leaves it out although its half-day price is 1,500
  const within = async (max) => {
    const items = (await anon.get(`/api/v1/public/institutions?q=${encodeURIComponent('普惠价格测试')}&max_fee_fen=${max}`)).body.items;
    return items.map((x) => x.id);
  };
  assert.deepEqual(await within(300000), []);
  assert.deepEqual(await within(520000), [priv]);
  // 5,200 元 is above the reference range's 3,500
  r = await admin.get(`/api/v1/institutions/${priv}/fees`);
  assert.deepEqual(r.body.outside_band.map((x) => x.item), ['全日托']);
  assert.match(r.body.outside_band[0].message, /社会办普惠参考区间 1500\.00–3500\.00 元/);
});

test('the catalogues of the district as .xlsx; who may read and change them', async () => {
  const res = await fetch(`${srv.url}/api/v1/fees?export=xlsx&town=330304001`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  const rows = readSheet(Buffer.from(await res.arrayBuffer()));
  const names = rows.slice(1).map((x) => x.join('|'));
  assert.ok(names.some((x) => x.includes('公办价格测试托育园') && x.includes('2300')), names.slice(0, 3).join('\n'));

  // an operator changes its own catalogue, not another's; a town officer reads its town's list only
  const op = await srv.login('inst-1');
  const own = (await op.get('/api/v1/institutions/1/fees')).body;
  assert.ok(own.in_force, 'the demo institution has a catalogue');
  const items = own.in_force.items.map(({ service_name, ...f }) => f);
  let r = await op.put('/api/v1/institutions/1/fees', { effective_from: '2026-09-01', note: '运营调整', items });
  assert.equal(r.status, 200, r.text);
  r = await op.put(`/api/v1/institutions/${pub}/fees`, { effective_from: '2026-09-01', items });
  assert.ok([403, 404].includes(r.status), `${r.status}`);
  assert.ok([403, 404].includes((await op.get(`/api/v1/institutions/${pub}/fees`)).status));
  const town = await srv.login('town-330304002');
  const theirs = (await town.get('/api/v1/fees?limit=200')).body.items;
  assert.ok(theirs.length > 0 && theirs.every((x) => x.town_code === '330304002'));
  assert.ok([403, 404].includes((await town.put(`/api/v1/institutions/${pub}/fees`, { effective_from: '2026-09-01', items })).status));
  const family = await srv.login('family');
  assert.equal((await family.get('/api/v1/fees')).status, 403);
});

test("the operator's cost worksheet: a suggested price worked out from its costs, read by the district", async () => {
  const op = await srv.login('inst-1');
  let r = await op.get('/api/v1/institutions/1/fee-worksheets/2026');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.worksheet, null);
  assert.ok(r.body.draft.places > 0, 'a draft from the registry');
  assert.equal(r.body.local_income_fen, 7544800);
  assert.match(r.body.basis.local_income, /瓯海区/);
  const sheet = { staff_fen: 120000000, rent_fen: 30000000, utilities_fen: 6000000, materials_fen: 4000000, depreciation_fen: 5000000,
    other_fen: 3000000, food_fen: 18000000, subsidy_fen: 28000000, places: 80, avg_enrolled: 60, months: 12, note: '2026 年度' };
  for (const [body, code, field] of [[{ ...sheet, avg_enrolled: 81 }, 'bad_avg_enrolled', 'avg_enrolled'],
    [{ ...sheet, months: 0 }, 'bad_months', 'months'], [{ ...sheet, rent_fen: -1 }, 'negative_amount', 'rent_fen']]) {
    r = await op.put('/api/v1/institutions/1/fee-worksheets/2026', body);
    assert.deepEqual([r.status, r.body.error.code, r.body.error.field], [422, code, field]);
  }
  assert.equal((await op.get('/api/v1/institutions/1/fee-worksheets/2026')).body.worksheet, null, 'nothing written');
  assert.equal((await op.get('/api/v1/institutions/1/fee-worksheets/20x6')).status, 400);
  r = await op.put('/api/v1/institutions/1/fee-worksheets/2026', sheet);
  assert.equal(r.status, 200, r.text);
  const res = r.body.worksheet.result;
  // 1,400,000 元 over 720 child-months = 194,444 fen; the margin of the institution's kind on top
  assert.equal(res.care_cost_fen, 140000000);
  assert.equal(res.cost_per_child_month_fen, 194444);
  assert.equal(res.suggested_fee_fen, Math.round(194444 * (100 + r.body.margin_pct) / 100 / 100) * 100);
  // institution 1 is 公办: fees.margin_pct.public (0), no margin, so the cost rounded to the yuan's hundred fen
  assert.deepEqual([r.body.margin_pct, res.suggested_fee_fen], [0, 194400]);
  assert.equal(res.food_per_child_month_fen, 25000);
  assert.deepEqual(r.body.years, [2026]);
  // the district reads it for the price department; may not fill it in; a town may not read it
  assert.equal((await admin.get('/api/v1/institutions/1/fee-worksheets/2026')).body.worksheet.result.suggested_fee_fen, res.suggested_fee_fen);
  assert.equal((await admin.put('/api/v1/institutions/1/fee-worksheets/2026', sheet)).status, 403);
  const town = await srv.login('town-330304002');
  assert.equal((await town.get('/api/v1/institutions/1/fee-worksheets/2026')).status, 403);
});
