// region.test.mjs — above the district (issue 20 item 1): the province's and the city's
// administrators compare the districts below them and read one district at a time, the one they
// name in X-Tuoyu-District, never one outside their jurisdiction; they write nothing there. And one
// deployment holding several districts: a district's accounts reach no other district's records,
// checked on every GET route with a record id of the route table against the records of the demo
// district (Ouhai) by an administrator of another district (鹿城区) of the same database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, tuoyu, PASSWORD } from '../lib/server.mjs';
import { routeTable, buildFixtures, pathFor } from '../lib/routes.mjs';

let srv, admin, province, city, fx, routes;
const LUCHENG = '330302';
before(async () => {
  srv = await startServer(); // no keeper (tests/lib/server.mjs): rows made by the reader, counted below
  admin = await srv.login('district-admin');
  province = await srv.login('province-admin');
  city = await srv.login('city-admin');
  ({ routes } = routeTable());
  fx = await buildFixtures(srv);
});
after(async () => { await srv.stop(); });

const userAdd = (login, role, jurisdiction) => tuoyu(['user', 'add', login, '--role', role, '--name', `${login} 测试`,
  '--password', PASSWORD, ...(jurisdiction ? ['--jurisdiction', jurisdiction] : []), ...srv.database.args]);
const atRest = (q) => (srv.database.kind === 'pg'
  ? execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', srv.database.conninfo], { input: q, encoding: 'utf8' })
  : execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.database.db], { input: q, encoding: 'utf8' })).trim();
const dbCalls = () => srv.dbCalls();
const inDistrict = (c, district, path) => c.request('GET', path, undefined, { 'X-Tuoyu-District': district });

test('the province compares its 90 districts, the city its 12; Ouhai as its own dashboard shows it', async () => {
  const p = await province.get('/api/v1/region/districts');
  assert.equal(p.status, 200, p.text);
  assert.deepEqual(p.body.jurisdiction, { code: '330000', level: 'province', name: '浙江省' });
  assert.equal(p.body.districts.length, 90);
  assert.equal(p.body.district, '330304', 'by default the deployment’s district');
  const c = await city.get('/api/v1/region/districts');
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.jurisdiction.name, '温州市');
  assert.deepEqual(c.body.districts.map((d) => d.code),
    ['330302', '330303', '330304', '330305', '330324', '330326', '330327', '330328', '330329', '330381', '330382', '330383']);
  assert.ok(c.body.districts.every((d) => d.city_name === '温州市'));

  const own = (await admin.get('/api/v1/dashboard')).body.district;
  const ouhai = c.body.districts.find((d) => d.code === '330304');
  assert.equal(ouhai.on_platform, true);
  for (const k of ['institutions', 'places', 'inclusive_places', 'residents', 'places_per_1000', 'inclusive_share',
    'towns_covered', 'towns_total', 'open_findings', 'places_per_1000_target', 'inclusive_share_target'])
    assert.equal(ouhai[k], own[k], k);
  assert.equal(c.body.districts.find((d) => d.code === LUCHENG).on_platform, false, 'no towns of 鹿城 here');
  assert.equal(c.body.totals.institutions, own.institutions, 'only Ouhai runs here: the totals are its');
  assert.equal(c.body.totals.places, own.places);

  for (const who of [admin, await srv.login('town-330304001'), await srv.login('family')])
    assert.equal((await who.get('/api/v1/region/districts')).status, 403, 'district roles compare nothing');
});

test('a regional administrator reads the district it names, only below it, and writes nothing', async () => {
  const list = (await admin.get('/api/v1/institutions?limit=5')).body.items.map((i) => i.id);
  assert.deepEqual((await city.get('/api/v1/institutions?limit=5')).body.items.map((i) => i.id), list);
  assert.deepEqual((await inDistrict(province, '330304', '/api/v1/institutions?limit=5')).body.items.map((i) => i.id), list);
  // another district of Wenzhou: its rows, none of Ouhai's
  const lucheng = await inDistrict(city, LUCHENG, '/api/v1/institutions?limit=5');
  assert.equal(lucheng.status, 200, lucheng.text);
  assert.deepEqual(lucheng.body.items, []);
  assert.equal((await inDistrict(city, LUCHENG, `/api/v1/institutions/${list[0]}`)).status, 404);
  // a district of Hangzhou is not the Wenzhou administrator's; nor is a made-up code, nor the city
  for (const code of ['330106', '999999', '330300']) {
    const r = await inDistrict(city, code, '/api/v1/institutions?limit=5');
    assert.equal(r.status, 403, `${code}: ${r.text}`);
    assert.equal(r.body.error.code, 'district_out_of_reach');
  }
  for (const code of ["330304' OR 1=1", '33030', '3303040', '33O304']) {
    const r = await inDistrict(city, code, '/api/v1/institutions?limit=5');
    assert.equal(r.status, 400, `${code}: ${r.text}`);
    assert.deepEqual([r.body.error.code, r.body.error.field], ['bad_district', 'X-Tuoyu-District']);
  }
  assert.equal((await inDistrict(province, '330106', '/api/v1/institutions?limit=5')).status, 200, 'Hangzhou is the province’s');
  // the console's way: the cookie, which plain download links carry too
  const withCookie = (c, value, path) => fetch(srv.url + path, { headers: { cookie: `${c.cookie}; tuoyu_district=${value}` } });
  let res = await withCookie(city, LUCHENG, '/api/v1/institutions?limit=5');
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).items, []);
  res = await withCookie(city, '330106', '/api/v1/institutions?limit=5');
  assert.deepEqual([res.status, (await res.json()).error.field], [403, 'tuoyu_district']);
  res = await withCookie(province, '330106', '/api/v1/institutions?export=xlsx');
  assert.equal(res.status, 200, 'an export of a district with no institutions');
  // district roles ignore the header: their own district
  assert.deepEqual((await inDistrict(admin, LUCHENG, '/api/v1/institutions?limit=5')).body.items.map((i) => i.id), list);
  // read-only, and no child's record
  assert.equal((await city.get(`/api/v1/children/${fx.homeChild.id}`)).status, 403);
  assert.equal((await city.post('/api/v1/institutions', { name: '不应建立' })).status, 403);
  assert.equal((await city.put(`/api/v1/institutions/${list[0]}`, { phone: '0577-88888888' })).status, 403);
});

test('accounts above the district are made on the command line, at the level of their role', async () => {
  let r = userAdd('prov-wrong', 'province_admin', '330300');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /省级行政区划/);
  r = userAdd('city-default', 'city_admin');
  assert.equal(r.status, 2, 'a city administrator of the deployment’s district is refused');
  r = userAdd('lishui-admin', 'city_admin', '331100');
  assert.equal(r.status, 0, r.stderr);
  const lishui = await srv.login('lishui-admin');
  const d = (await lishui.get('/api/v1/region/districts')).body;
  assert.equal(d.jurisdiction.name, '丽水市');
  assert.ok(!d.districts.some((x) => x.code === '330304'));
  assert.equal(d.district, '331100', 'Ouhai is not below Lishui: its own code, no district’s rows');
  assert.deepEqual((await lishui.get('/api/v1/institutions?limit=5')).body.items, []);
  // nobody in a district grants a regional role
  const sec = await srv.login('security-admin');
  const made = await sec.post('/api/v1/users', { login: 'prov-by-api', name: '不应建立', role: 'province_admin', password: 'Another-long-pass-1' });
  assert.equal(made.status, 403, made.text);
});

test('one database, two districts: another district’s administrator reaches none of Ouhai’s records', async () => {
  const r = userAdd('lucheng-admin', 'district_admin', LUCHENG);
  assert.equal(r.status, 0, r.stderr);
  const other = await srv.login('lucheng-admin');
  assert.deepEqual((await other.get('/api/v1/institutions?limit=5')).body.items, []);
  assert.deepEqual((await other.get('/api/v1/children?limit=5')).body.items, []);
  // a town of Ouhai is not Lucheng's: no town officer for it
  const town = tuoyu(['user', 'add', 'lucheng-town', '--role', 'town_officer', '--name', '测试', '--town', '330304001',
    '--password', PASSWORD, '--jurisdiction', LUCHENG, ...srv.database.args]);
  assert.equal(town.status, 2, town.stderr);
  assert.match(town.stderr, /镇街/);
  let checked = 0;
  const reached = [];
  for (const route of routes) {
    if (route.method !== 'GET' || route.action === 'public' || !/\{[a-z_]*id\}/.test(route.pattern)) continue;
    const path = pathFor(route.pattern, fx, true);
    const res = await other.get(path);
    if (![403, 404].includes(res.status)) reached.push(`${path} ${res.status} ${res.text.slice(0, 120)}`);
    checked++;
  }
  assert.deepEqual(reached, [], "another district's administrator reached these");
  assert.ok(checked >= 40, `${checked} routes with a record id`);
});

test('区县比较 is kept while nothing it is made from changes, and made again after any write to it', async () => {
  const ouhai = async () => (await province.get('/api/v1/region/districts')).body.districts.find((d) => d.code === '330304');
  // each district's row is kept under its own stamps: the first answer of a day computes all 90
  // (or this test's first answer: others may have been kept), a write computes one district again
  // a write at rest (an operator's SQL) to a town's population: the next answer is made again
  const year = atRest("SELECT MAX(year) FROM town_population WHERE district_code = '330304'");
  atRest(`INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from) VALUES ('330000', 'region.test.touch', '1', '', 'test', 'LOCAL', 'a province-level row: the targets of every district may change', '2000-01-01');`);
  let before = await dbCalls();
  const was = await ouhai();
  const all = (await dbCalls()) - before;
  atRest(`UPDATE town_population SET residents = residents + 100000 WHERE town_code = '330304001' AND year = ${year};`);
  before = await dbCalls();
  const first = await ouhai();
  const computed = (await dbCalls()) - before;
  assert.equal(first.residents, was.residents + 100000, 'not stale after a write');
  // then kept while nothing changes
  before = await dbCalls();
  assert.deepEqual(await ouhai(), first);
  const kept = (await dbCalls()) - before;
  assert.ok(kept <= 4 && computed > 5 && all > 10 * computed,
    `kept: ${kept} statements, one district again: ${computed}, all 90: ${all}`);
  // a write to an institution
  const inst = atRest("SELECT id FROM institution WHERE district_code = '330304' AND status <> 'closed' ORDER BY id LIMIT 1");
  atRest(`UPDATE institution SET status = 'closed' WHERE id = ${inst};`);
  assert.equal((await ouhai()).institutions, first.institutions - 1, 'not stale after a write');
  // another administrator's view is its own answer
  assert.equal((await (await srv.login('lishui-admin')).get('/api/v1/region/districts')).body.jurisdiction.name, '丽水市');
});
