// registry.test.mjs — the institution registry over HTTP: lists and filters, jurisdiction,
// validation (nothing written on error), updates with audit rows, findings, the public search.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

let srv, admin;
before(async () => { srv = await startServer(); admin = await srv.login('district-admin'); });
after(async () => { await srv.stop(); });

async function listAll(c, query = '') {
  const items = [];
  let cursor = null;
  do {
    const r = await c.get(`/api/v1/institutions?limit=37${query}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.body.items);
    cursor = r.body.next;
  } while (cursor);
  return items;
}

const VALID = {
  name: '测试托育中心', uscc: '91350100M000100Y43', town_code: '330304005', address: '温州市瓯海区娄桥街道测试路1号',
  lon: 120.62, lat: 27.95, operating_model: 'market', ownership: 'private', status: 'pending',
  premises: { tenure: 'leased', lease_start: '2024-01-01', lease_end: '2029-12-31', floor: 2 },
  classes: [{ class_type: 'toddler_young', capacity: 15, enrolled: 10, caregivers: 2 }],
  fees: [{ item: '保育费', category: 'basic', amount_fen: 300000, unit: '月' }],
  service_types: ['full_day'],
};

test('the district administrator lists institutions from all 13 towns, with cursor pagination', async () => {
  const items = await listAll(admin);
  assert.ok(items.length >= 100, `only ${items.length}`);
  assert.equal(new Set(items.map((i) => i.town_code)).size, 13);
  assert.equal(new Set(items.map((i) => i.id)).size, items.length, 'no duplicates across pages');
  for (const k of ['id', 'name', 'uscc', 'town_code', 'operating_model', 'inclusive', 'lon', 'lat', 'places'])
    assert.ok(k in items[0], k);
  const models = new Set(items.map((i) => i.operating_model));
  assert.equal(models.size, 8, 'all 6+X operating models in the demo');
  const inclusive = items.filter((i) => i.inclusive).length / items.length;
  assert.ok(inclusive > 0.45 && inclusive < 0.75, `inclusive share ${inclusive}`);
});

test('filters: town, model, inclusive, text', async () => {
  const town = await listAll(admin, '&town=330304006');
  assert.ok(town.length > 0 && town.every((i) => i.town_code === '330304006'));
  const inc = await listAll(admin, '&inclusive=1&operating_model=market');
  assert.ok(inc.every((i) => i.inclusive && i.operating_model === 'market'));
  const text = await listAll(admin, `&q=${encodeURIComponent('泽雅')}`);
  assert.ok(text.length > 0 && text.every((i) => i.name.includes('泽雅') || i.address.includes('泽雅')));
  const none = await listAll(admin, `&q=${encodeURIComponent("%' OR 1=1 --")}`);
  assert.equal(none.length, 0, 'search text is data, not SQL');
  const bad = await admin.get('/api/v1/institutions?limit=100000');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'limit');
});

test('a town officer lists only their own town and cannot open another town\'s institution', async () => {
  const officer = await srv.login('town-330304001');
  const mine = await listAll(officer);
  assert.ok(mine.length > 0 && mine.every((i) => i.town_code === '330304001'));
  const other = (await listAll(admin, '&town=330304002'))[0];
  const r = await officer.get(`/api/v1/institutions/${other.id}`);
  assert.ok([403, 404].includes(r.status));
  const put = await officer.put(`/api/v1/institutions/${other.id}`, { name: '越权修改' });
  assert.ok([403, 404].includes(put.status));
  const after = await admin.get(`/api/v1/institutions/${other.id}`);
  assert.notEqual(after.body.name, '越权修改');
});

test('POST with a wrong USCC check character: 422 on field uscc, nothing written', async () => {
  const before = (await listAll(admin)).length;
  const r = await admin.post('/api/v1/institutions', { ...VALID, uscc: '91350100M000100Y44' });
  assert.ok([400, 422].includes(r.status));
  assert.equal(r.body.error.field, 'uscc');
  assert.equal(r.body.error.code, 'uscc_checksum');
  assert.match(r.body.error.message, /[\u4e00-\u9fff]/, 'message in Chinese');
  assert.equal((await listAll(admin)).length, before);
});

test('bad input: each gets a code, a field and a Chinese message, and writes nothing', async () => {
  const before = (await listAll(admin)).length;
  const cases = [
    [{ ...VALID, lat: 31.23 }, 422, 'lat'],
    [{ ...VALID, lon: 'east' }, 422, 'lon'],
    [{ ...VALID, premises: { ...VALID.premises, lease_end: '2029-02-30' } }, 422, 'premises.lease_end'],
    [{ ...VALID, classes: [{ class_type: 'toddler_young', capacity: 15, enrolled: 20, caregivers: 3 }] }, 422, 'classes[0].enrolled'],
    [{ ...VALID, classes: [{ class_type: 'big', capacity: 15, enrolled: 1, caregivers: 1 }] }, 422, 'classes[0].class_type'],
    [{ ...VALID, colour: 'red' }, 400, 'colour'],
    [{ ...VALID, town_code: '330304999' }, 422, 'town_code'],
    [{ ...VALID, operating_model: 'casino' }, 422, 'operating_model'],
    [{ ...VALID, name: '' }, 422, 'name'],
  ];
  for (const [body, status, field] of cases) {
    const r = await admin.post('/api/v1/institutions', body);
    assert.equal(r.status, status, `${field}: ${r.text}`);
    assert.equal(r.body.error.field, field);
    assert.ok(r.body.error.code);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  const malformed = await admin.request('POST', '/api/v1/institutions', '{"name": "x" "uscc": 1}');
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.error.code, 'bad_json');
  const huge = await admin.request('POST', '/api/v1/institutions', JSON.stringify({ ...VALID, address: 'x'.repeat(2 * 1024 * 1024) }));
  assert.equal(huge.status, 413);
  assert.equal((await listAll(admin)).length, before);
});

test('create, read back, update with an audit row, then findings computed from the parameters', async () => {
  const r = await admin.post('/api/v1/institutions', VALID);
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  const got = await admin.get(`/api/v1/institutions/${id}`);
  assert.equal(got.body.uscc, VALID.uscc);
  assert.equal(got.body.places, 15);
  assert.equal(got.body.classes[0].class_type, 'toddler_young');
  const dup = await admin.post('/api/v1/institutions', VALID);
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.field, 'uscc');

  // a 托小班 of 15 with 15 children and 2 caregivers breaks the 1:5 ratio; floor 4 breaks the ≤3 rule
  const upd = await admin.put(`/api/v1/institutions/${id}`, {
    classes: [{ id: got.body.classes[0].id, class_type: 'toddler_young', capacity: 15, enrolled: 15, caregivers: 2 }],
    premises: { tenure: 'leased', lease_start: '2024-01-01', lease_end: '2025-06-30', floor: 4 },
    director: '王丽华',
  });
  assert.equal(upd.status, 200, upd.text);
  assert.equal(upd.body.classes[0].id, got.body.classes[0].id, 'class kept its id');
  const reread = await admin.get(`/api/v1/institutions/${id}`);
  assert.equal(reread.body.premises.floor, 4, 'a read after the update sees it (no stale cache)');
  assert.equal(reread.body.classes[0].enrolled, 15);
  const f = await admin.get(`/api/v1/institutions/${id}/findings`);
  assert.equal(f.status, 200);
  const rules = f.body.items.map((x) => x.rule).sort();
  assert.ok(rules.includes('caregiver_ratio'), JSON.stringify(rules));
  assert.ok(rules.includes('floor'));
  assert.ok(rules.includes('lease_term') || rules.includes('lease_expired'));
  for (const x of f.body.items) { assert.ok(x.basis.length > 2, 'each finding cites its basis'); assert.ok(x.severity); }

  const auditor = await srv.login('auditor');
  const log = await auditor.get('/api/v1/audit?limit=20');
  const row = log.body.items.find((x) => x.action === 'institution.update' && x.target_id === String(id));
  assert.ok(row, 'update audited');
  assert.equal(row.login, 'district-admin');
  assert.ok(row.request_id);
  assert.equal(row.fields.director, '王*华', 'personal data masked in the audit log');
  assert.equal(row.fields.premises.floor, 4);
  assert.equal((await admin.get('/api/v1/audit')).status, 403, 'only the auditor reads the audit log');
});

test('an institution operator edits its own record but not regulator decisions', async () => {
  const inst = (await listAll(admin, '&town=330304003'))[0];
  const op = await srv.login(`inst-${inst.id}`);
  const ok = await op.put(`/api/v1/institutions/${inst.id}`, { opening_hours: '07:00-18:00' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.opening_hours, '07:00-18:00');
  const no = await op.put(`/api/v1/institutions/${inst.id}`, { inclusive: !inst.inclusive });
  assert.equal(no.status, 403);
  assert.equal(no.body.error.field, 'inclusive');
});

test('public search without login: filed institutions, filters, and a profile', async () => {
  const c = new Client(srv.url);
  const all = await c.get('/api/v1/public/institutions?limit=500');
  assert.equal(all.status, 200);
  assert.ok(all.body.items.length >= 90);
  const inc = await c.get('/api/v1/public/institutions?inclusive=1&class_type=infant&limit=500');
  for (const i of inc.body.items) { assert.ok(i.inclusive); assert.ok(i.vacancies.infant > 0); }
  const near = await c.get('/api/v1/public/institutions?near=120.632,27.992&radius_km=2&limit=500');
  assert.ok(near.body.items.length > 0);
  for (const i of near.body.items) assert.ok(i.distance_km <= 2);
  const cheap = await c.get('/api/v1/public/institutions?max_fee_fen=250000&limit=500');
  for (const i of cheap.body.items) assert.ok(i.monthly_fee_fen !== null && i.monthly_fee_fen <= 250000);
  const one = await c.get(`/api/v1/public/institutions/${all.body.items[0].id}`);
  assert.equal(one.status, 200);
  assert.ok(Array.isArray(one.body.fees));
  const bad = await c.get('/api/v1/public/institutions?near=abc');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'near');
});

test('dashboard figures: district-wide for the administrator, one town for its officer', async () => {
  const d = await admin.get('/api/v1/dashboard');
  assert.equal(d.status, 200);
  assert.equal(d.body.district.towns_total, 13);
  assert.equal(d.body.towns.length, 13);
  assert.equal(d.body.district.residents, 1001600);
  assert.equal(d.body.district.places_per_1000_target, 4.5);
  assert.equal(d.body.district.inclusive_share_target, 0.6);
  const sum = d.body.towns.reduce((a, t) => a + t.places, 0);
  assert.equal(sum, d.body.district.places);
  const expect = Math.round((d.body.district.places * 1000 / 1001600) * 100) / 100;
  assert.equal(d.body.district.places_per_1000, expect);
  const officer = await srv.login('town-330304008');
  const t = await officer.get('/api/v1/dashboard');
  assert.equal(t.body.scope, 'town');
  assert.deepEqual(t.body.towns.map((x) => x.code), ['330304008']);
});

test('parameters: read in force on a date; a new dated version is audited and applies from its date', async () => {
  const p = await admin.get('/api/v1/params?date=2026-01-01');
  const ratio = p.body.items.find((x) => x.key === 'ratio.infant.children_per_caregiver');
  assert.equal(ratio.value, '3');
  assert.match(ratio.basis, /58号/);
  const sub = await admin.get('/api/v1/params?date=2024-06-01');
  assert.ok(!sub.body.items.some((x) => x.key === 'subsidy.childcare.per_year_fen'), 'national subsidy not yet in force in 2024');
  const bad = await admin.get('/api/v1/params?date=2023-02-30');
  assert.equal(bad.status, 400);
  const r = await admin.post('/api/v1/params', { key: 'planning.places_per_1000_target', value: '5.5', valid_from: '2030-01-01', basis: '测试：新规划目标' });
  assert.equal(r.status, 201, r.text);
  assert.equal((await admin.get('/api/v1/params?date=2029-12-31')).body.items.find((x) => x.key === 'planning.places_per_1000_target').value, '4.5');
  assert.equal((await admin.get('/api/v1/params?date=2030-01-01')).body.items.find((x) => x.key === 'planning.places_per_1000_target').value, '5.5');
  const officer = await srv.login('town-330304001');
  assert.equal((await officer.post('/api/v1/params', { key: 'x', value: '1', valid_from: '2030-01-01', basis: 'y' })).status, 403);
});

// 托育机构卫生评价 (国卫办妇幼函〔2022〕): the record holds the health room's area and the children's
// rooms' window-to-floor ratio; the findings check them against premises.health_room_min_m2 (6 m²)
// and premises.window_area_min_share (0.2), the minimum itself allowed; null means not recorded.
test('the health room and daylight an institution records are checked against the 卫生评价 parameters', async () => {
  const inst = (await listAll(admin, '&town=330304005')).find((x) => x.operating_model !== 'family_point');
  const op = await srv.login(`inst-${inst.id}`);
  const premises = (await op.get(`/api/v1/institutions/${inst.id}`)).body.premises;
  const put = (figures) => op.put(`/api/v1/institutions/${inst.id}`, { premises: { ...premises, ...figures } });
  const findings = async () => {
    const r = await op.get(`/api/v1/institutions/${inst.id}/findings`);
    assert.equal(r.status, 200, r.text);
    return r.body.items.filter((f) => f.rule === 'health_room' || f.rule === 'window_area');
  };
  const params = (await admin.get('/api/v1/params')).body.items;
  const basis = params.find((p) => p.key === 'premises.health_room_min_m2').basis;
  assert.match(basis, /卫生评价/);

  let r = await put({ health_room_m2: 5.5, window_floor_ratio: 0.18 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.premises.health_room_m2, r.body.premises.window_floor_ratio], [5.5, 0.18]);
  assert.deepEqual((await findings()).map((f) => [f.rule, f.severity, f.message, f.basis]), [
    ['health_room', 'high', '保健观察室面积 5.5 平方米，小于 6 平方米', basis],
    ['window_area', 'high', '婴幼儿生活用房窗地面积比 18%，低于 20%', params.find((p) => p.key === 'premises.window_area_min_share').basis],
  ]);
  // the district's findings list and dashboard see them
  const listed = (await admin.get(`/api/v1/findings?institution_id=${inst.id}&limit=100`)).body.items;
  assert.ok(listed.some((f) => f.rule === 'health_room' && f.severity === 'high'), JSON.stringify(listed));

  r = await put({ health_room_m2: 6, window_floor_ratio: 0.2 }); // the minimums themselves
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(await findings(), []);
  r = await put({ health_room_m2: 0, window_floor_ratio: 0.2 });
  assert.deepEqual((await findings()).map((f) => [f.rule, f.severity, f.message]), [['health_room', 'high', '未设保健观察室']]);

  // out of range: 422 on the field, nothing written
  for (const [field, value] of [['window_floor_ratio', 1.5], ['window_floor_ratio', -0.1], ['health_room_m2', -2], ['health_room_m2', '8']]) {
    const bad = await put({ health_room_m2: 6, window_floor_ratio: 0.2, [field]: value });
    assert.equal(bad.status, 422, `${field} ${value}: ${bad.text}`);
    assert.equal(bad.body.error.field, `premises.${field}`);
  }
  assert.equal((await op.get(`/api/v1/institutions/${inst.id}`)).body.premises.health_room_m2, 0, 'nothing written');

  // null: not recorded, which the findings ask for (low)
  r = await put({ health_room_m2: null, window_floor_ratio: null });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.premises.health_room_m2, r.body.premises.window_floor_ratio], [null, null]);
  assert.deepEqual((await findings()).map((f) => [f.rule, f.severity, f.message]), [
    ['health_room', 'low', '未登记保健观察室面积（应不小于 6 平方米）'],
    ['window_area', 'low', '未登记婴幼儿生活用房窗地面积比（应不低于 20%）'],
  ]);
  // each change audited with the figures
  const log = (await (await srv.login('auditor')).get('/api/v1/audit?limit=50')).body.items
    .filter((a) => a.action === 'institution.update' && a.target_id === String(inst.id));
  assert.ok(log.some((a) => a.fields.premises?.health_room_m2 === 5.5 && a.fields.premises?.window_floor_ratio === 0.18), JSON.stringify(log.slice(0, 3)));
});
