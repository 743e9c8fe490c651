// operating.test.mjs — a quarter's operating subsidies (issue 18 item 1: 生均保育经费 and 星级运营奖补)
// over HTTP on both databases: the children in care on each month's counting day (placements
// starting, ending, another institution's not counted) × the monthly standard, explained; the
// award withheld without a star level, with the reason; a dry run writes nothing; the round puts
// the rows in the ledger once (a second round passes them over, a rejected row is worked out
// again); a quarter not yet ended and a malformed one are refused; only the district may run it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { child, residentId, uscc } from '../lib/fixtures.mjs';
import { readSheet } from '../lib/xlsx.mjs';

const NOW = '2026-04-10T02:00:00Z'; // 2026-Q1 has ended
let srv, admin, op, inst, classId;

before(async () => {
  srv = await startServer({ now: NOW });
  admin = await srv.login('district-admin');
  const r = await admin.post('/api/v1/institutions', {
    name: '运营补贴测试托育园', uscc: uscc('12330304MB6000001'), town_code: '330304001', address: '景山街道运营路1号',
    lon: 120.64, lat: 27.99, operating_model: 'agency', ownership: 'public', inclusive: true, status: 'filed',
    premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 20, enrolled: 3, caregivers: 3 }],
    fees: [{ item: '保育费（全日托）', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  assert.equal(r.status, 201, r.text);
  inst = r.body.id;
  classId = r.body.classes[0].id;
  const sec = await srv.login('security-admin');
  const u = await sec.post('/api/v1/users', { login: 'op-operating', name: '机构', role: 'institution_operator', institution_id: inst, password: srv.password });
  assert.equal(u.status, 201, u.text);
  op = await srv.login('op-operating');
  // counting day 15: A in care all quarter (3 months), B from 20 February (March only), C left on
  // 10 February (January only)
  const place = async (name, start, leave) => {
    const kid = await child(op, '2024-06-15', { name });
    const p = await op.put(`/api/v1/children/${kid}/placement`, { class_id: classId, start_date: start });
    assert.equal(p.status, 201, p.text);
    if (leave) assert.equal((await op.post(`/api/v1/children/${kid}/leave`, { date: leave, reason: '搬家' })).status, 200);
  };
  // caregivers: one with a grade-4 保育师 certificate all quarter, one hired 1 March (March only)
  // whose grade-3 certificate is valid, one without a graded certificate
  const hire = async (seq, start, certificates) => {
    const r = await op.post(`/api/v1/institutions/${inst}/staff`, {
      name: '季度保育员', id_number: residentId('1990-01-01', seq), role: 'caregiver', employment: 'full_time', start_date: start,
      health_cert_date: '2026-01-02', no_crime_cert_date: '2025-08-20', class_ids: [], certificates });
    assert.equal(r.status, 201, r.text);
  };
  await hire('021', '2025-09-01', [{ kind: 'childcare_worker', grade: 4, number: 'BYS-Q-1', issuer: '温州市人社局', issue_date: '2024-06-30', expiry_date: '2029-06-29' }]);
  await hire('032', '2026-03-01', [{ kind: 'infant_carer', grade: 3, number: 'YYY-Q-2', issuer: '温州市人社局', issue_date: '2025-06-30', expiry_date: '2030-06-29' },
    { kind: 'childcare_worker', grade: 5, number: 'BYS-Q-3', issuer: '温州市人社局', issue_date: '2025-06-30', expiry_date: '2030-06-29' }]);
  await hire('043', '2025-09-01', []);
  await place('季度甲', '2026-01-10');
  await place('季度乙', '2026-02-20');
  await place('季度丙', '2026-01-05', '2026-02-10');
});
after(async () => { await srv?.stop(); });

const mine = (r) => r.body.institutions.find((x) => x.institution_id === inst);

test('a dry run works out the quarter and writes nothing; bad quarters are refused', async () => {
  for (const [quarter, code] of [['2026-Q2', 'quarter_not_ended'], ['2026-Q5', 'bad_quarter'], ['2026Q1', 'bad_quarter']]) {
    const r = await admin.post('/api/v1/funds/operating-rounds', { quarter, dry_run: true });
    assert.deepEqual([r.status, r.body.error?.code, r.body.error?.field], [422, code, 'quarter'], quarter);
  }
  const r = await admin.post('/api/v1/funds/operating-rounds', { quarter: '2026-Q1', dry_run: true });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.count_days, ['2026-01-15', '2026-02-15', '2026-03-15']);
  const x = mine(r);
  assert.deepEqual(x.children, [2, 1, 2]);
  assert.equal(x.child_months, 5);
  assert.equal(x.operating_fen, 5 * 10000, '5 child-months at 100 元');
  assert.deepEqual([x.stars, x.award_fen, x.award_withheld], [0, 0, '季末无生效的星级']);
  // 岗位补贴: grade 4 three months (3 × 400 元), the best grade (3) of the other for March (600 元)
  assert.equal(x.caregiver_months, 4);
  assert.equal(x.post_fen, 3 * 40000 + 60000);
  assert.equal(x.operating_entitlement_id, null);
  // a private institution that is not 普惠 is not in the round
  const all = (await admin.get('/api/v1/institutions?status=filed&inclusive=0&limit=200')).body.items.filter((i) => i.ownership === 'private');
  assert.ok(all.length > 0);
  assert.ok(!r.body.institutions.some((i) => all.some((a) => a.id === i.institution_id)));
  const ledger = (await admin.get('/api/v1/funds/entitlements?kind=operating&limit=200')).body.items;
  assert.equal(ledger.length, 0, 'a dry run writes nothing');
});

test('the round puts the quarter in the ledger once, explained; a reversed row is worked out again', async () => {
  let r = await admin.post('/api/v1/funds/operating-rounds', { quarter: '2026-Q1' });
  assert.equal(r.status, 200, r.text);
  const x = mine(r);
  assert.ok(x.operating_entitlement_id);
  assert.equal(r.body.totals.operating_fen, r.body.institutions.reduce((s, i) => s + (i.operating_entitlement_id ? i.operating_fen : 0), 0));
  const row = (await admin.get(`/api/v1/funds/entitlements/${x.operating_entitlement_id}`)).body;
  assert.deepEqual([row.kind, row.period, row.amount_fen, row.state], ['operating', '2026-Q1', 50000, 'computed']);
  assert.equal(row.explanation.amount_fen, 50000);
  assert.deepEqual(row.explanation.inputs.count_days.map((d) => d.children), [2, 1, 2]);
  assert.ok(row.explanation.params.some((p) => p.key === 'subsidy.operating.per_child_month_fen' && /四\(五\)15/.test(p.basis)));
  // a second round passes it over
  r = await admin.post('/api/v1/funds/operating-rounds', { quarter: '2026-Q1' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(mine(r).already_in_ledger, ['operating', 'post']);
  const post = (await admin.get(`/api/v1/funds/entitlements/${x.post_entitlement_id}`)).body;
  assert.deepEqual([post.kind, post.amount_fen], ['post', 180000]);
  assert.deepEqual(post.explanation.inputs.caregiver_months.map((m) => [m.day, m.grade]).sort(),
    [['2026-01-15', 4], ['2026-02-15', 4], ['2026-03-15', 3], ['2026-03-15', 4]]);
  assert.equal(mine(r).operating_entitlement_id, null);
  assert.equal(r.body.totals.operating_fen, 0, 'nothing new');
  // the town sees its institution's row; an operator its own; the audit has the round
  const town = await srv.login('town-330304001');
  assert.ok((await town.get('/api/v1/funds/entitlements?kind=operating&limit=200')).body.items.some((i) => i.id === x.operating_entitlement_id));
  assert.ok((await op.get('/api/v1/funds/entitlements?limit=200')).body.items.some((i) => i.id === x.operating_entitlement_id));
  const auditor = await srv.login('auditor');
  assert.equal((await auditor.get('/api/v1/audit?action=funds.operating_round')).body.items.length, 2, 'each round audited');
  // rejected (a count to correct: a paid row would be reversed instead), the institution is worked out again
  const rej = await admin.post(`/api/v1/funds/entitlements/${x.operating_entitlement_id}/events`, { event: 'reject', comment: '计数有误，重新测算' });
  assert.equal(rej.status, 200, rej.text);
  r = await admin.post('/api/v1/funds/operating-rounds', { quarter: '2026-Q1' });
  assert.ok(mine(r).operating_entitlement_id > x.operating_entitlement_id, JSON.stringify(mine(r)));
});

test('only the district runs a round', async () => {
  const town = await srv.login('town-330304001');
  for (const who of [town, op]) assert.equal((await who.post('/api/v1/funds/operating-rounds', { quarter: '2026-Q1', dry_run: true })).status, 403);
});

test("next year's budget, line by line: 育儿补贴 from the under-3s, operating from the children in care, the parameters of that year", async () => {
  let r = await admin.get('/api/v1/funds/forecast');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.year, 2027);
  const line = (kind) => r.body.lines.find((l) => l.kind === kind);
  const pop = (await admin.get('/api/v1/population')).body;
  const under3 = pop.towns.reduce((s, t) => s + t.under3, 0);
  assert.equal(line('childcare').inputs.population_year, pop.year);
  assert.equal(line('childcare').amount_fen, under3 * 12 * 30000, '300 元 a month, all twelve months');
  const op = line('operating');
  assert.ok(op.inputs.in_care >= 2, 'the two children still in care');
  assert.equal(op.amount_fen, op.inputs.in_care * 12 * 10000);
  assert.equal(line('star_award').amount_fen, 0, 'no star level in force in the demo');
  assert.equal(r.body.total_fen, r.body.lines.reduce((s, l) => s + l.amount_fen, 0));
  assert.match(r.body.not_included[0], /建设补助/);
  for (const y of ['2025', '2040', 'x']) assert.equal((await admin.get(`/api/v1/funds/forecast?year=${y}`)).status, 400, y);
  assert.equal((await (await srv.login('town-330304001')).get('/api/v1/funds/forecast')).status, 403);
});

test('the ledger summed by kind and by town, rejected rows left out, and as .xlsx for the finance bureau', async () => {
  const all = (await admin.get('/api/v1/funds/entitlements?kind=operating&limit=500')).body.items;
  const live = all.filter((x) => x.state !== 'rejected');
  let r = await admin.get('/api/v1/funds/totals?by=kind');
  assert.equal(r.status, 200, r.text);
  const op = r.body.items.find((x) => x.key === 'operating');
  assert.deepEqual([op.name, op.count, op.amount_fen], ['生均保育经费补助', live.length, live.reduce((s, x) => s + x.amount_fen, 0)]);
  r = await admin.get('/api/v1/funds/totals?by=town&year=2026');
  const town = r.body.items.find((x) => x.key === '330304001');
  assert.equal(town.name, '景山街道');
  assert.equal((await admin.get('/api/v1/funds/totals?by=town&year=2025')).body.items.length, 0, 'nothing made in 2025');
  assert.equal((await admin.get('/api/v1/funds/totals?by=colour')).status, 400);
  // a town officer sums its town only
  const officer = await srv.login('town-330304002');
  assert.ok((await officer.get('/api/v1/funds/totals?by=town')).body.items.every((x) => x.key === '330304002'));
  const res = await fetch(`${srv.url}/api/v1/funds/totals?by=kind&export=xlsx`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  const rows = readSheet(Buffer.from(await res.arrayBuffer()));
  assert.ok(rows.some((row) => row.includes('生均保育经费补助')), JSON.stringify(rows.slice(0, 3)));
});
