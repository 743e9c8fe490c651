// param_levels.test.mjs — parameters set above the district (issue 20 item 1: the jurisdiction tree,
// migration 067): a version set for Zhejiang or for Wenzhou applies to Ouhai unless a nearer level
// sets its own; the district's new version of an inherited key leaves the province's row in force
// for the others; and the kept dashboard follows a parameter written at a level above the
// district (its version sums the stamps of the district and the levels above it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../lib/server.mjs';

let srv, admin;
before(async () => {
  srv = await startServer({ now: '2026-06-01T02:00:00Z' });
  admin = await srv.login('district-admin');
});
after(async () => { await srv.stop(); });

// SQL at rest, as an operator of the province's deployment would write a provincial parameter
const atRest = (q) => (srv.database.kind === 'pg'
  ? execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', srv.database.conninfo], { input: q, encoding: 'utf8' })
  : execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.database.db], { input: q, encoding: 'utf8' })).trim();
const row = (code, value, from) => `INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from) VALUES ('${code}', 'test.level', '${value}', '个', '${code} 文件', 'LOCAL', '测试参数', '${from}');`;
const inForce = async (date) => (await admin.get(`/api/v1/params?date=${date}`)).body.items.find((x) => x.key === 'test.level');
const dbCalls = () => srv.dbCalls();

test('a parameter set for the province or the city applies to the district; the nearest level wins', async () => {
  assert.equal(await inForce('2026-06-01'), undefined);
  atRest(row('330000', '1', '2020-01-01') + row('330300', '2', '2026-03-01') + row('330100', '9', '2020-01-01'));
  const province = await inForce('2026-01-01');
  assert.equal(province.value, '1');
  assert.equal(province.basis, '330000 文件');
  assert.equal((await inForce('2026-06-01')).value, '2', "Wenzhou's version, nearer than Zhejiang's; Hangzhou's is not Ouhai's");

  // the district's own version of the inherited key: Wenzhou's stays in force (for the others)
  const put = await admin.post('/api/v1/params', { key: 'test.level', value: '3', valid_from: '2026-06-01', basis: '区级测试文件' });
  assert.equal(put.status, 201, put.text);
  assert.equal((await inForce('2026-06-01')).value, '3');
  assert.equal(atRest("SELECT COUNT(*) FROM param WHERE key = 'test.level' AND district_code = '330300' AND valid_to IS NULL"), '1');
  assert.equal((await inForce('2026-05-31')).value, '2');
});

test('the kept dashboard follows a parameter written above the district', async () => {
  // the month's first read takes its snapshot (which moves the version): the second is kept
  for (let i = 0; i < 2; i++) assert.equal((await admin.get('/api/v1/dashboard')).status, 200);
  let before = await dbCalls();
  await admin.get('/api/v1/dashboard');
  assert.ok((await dbCalls()) - before <= 4, 'kept: answered from the copy');
  atRest(row('330000', '5', '2021-01-01'));
  before = await dbCalls();
  assert.equal((await admin.get('/api/v1/dashboard')).status, 200);
  assert.ok((await dbCalls()) - before > 4, 'a provincial parameter moved the version: the dashboard is made again');
});

test('the province and a city set their own versions through the API; each district reads the nearest', async () => {
  const province = await srv.login('province-admin');
  const city = await srv.login('city-admin');
  const key = 'planning.places_per_1000_target';
  const read = async (c, district) => (await c.request('GET', '/api/v1/params?date=2026-07-01', undefined,
    { 'X-Tuoyu-District': district })).body.items.find((x) => x.key === key);
  const ouhaiBefore = await read(province, '330304');
  assert.equal(ouhaiBefore.set_by.code, '330304');
  assert.equal(ouhaiBefore.set_by.level, 'district');

  let r = await province.post('/api/v1/params', { key, value: '5.5', valid_from: '2026-07-01', basis: '浙江省托育服务发展规划（测试）' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.set_by.code, '330000');
  r = await city.post('/api/v1/params', { key, value: '6', valid_from: '2026-07-01', basis: '温州市实施方案（测试）' });
  assert.equal(r.status, 201, r.text);
  // 鹿城 (Wenzhou) reads the city's, 西湖区 (Hangzhou) the province's, Ouhai its own
  assert.deepEqual([(await read(province, '330302')).value, (await read(province, '330302')).set_by],
    ['6', { code: '330300', level: 'city', name: '温州市' }]);
  assert.deepEqual([(await read(province, '330106')).value, (await read(province, '330106')).set_by.name], ['5.5', '浙江省']);
  assert.deepEqual(await read(province, '330304'), ouhaiBefore, 'a district that set its own keeps it');
  assert.equal((await read(admin, '330304')).value, ouhaiBefore.value);
  // a second version of the province's on the same day is refused; the district's own versions
  // stay the district's to write
  r = await province.post('/api/v1/params', { key, value: '7', valid_from: '2026-07-01', basis: '重复' });
  assert.equal(r.status, 409, r.text);
  r = await admin.post('/api/v1/params', { key, value: '4.8', valid_from: '2026-07-01', basis: '区级测试文件' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.set_by.code, '330304');
  // each write is audited in the chain of the level it was made for
  assert.equal(atRest("SELECT COUNT(*) FROM audit_log WHERE action = 'params.update' AND district_code = '330000'"), '1');
  assert.equal(atRest("SELECT COUNT(*) FROM audit_log WHERE action = 'params.update' AND district_code = '330300'"), '1');
  assert.equal(atRest(`SELECT COUNT(*) FROM param WHERE key = '${key}' AND district_code IN ('330000', '330300') AND valid_to IS NULL`), '2');
});
