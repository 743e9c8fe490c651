// province_demo.test.mjs — `tuoyu demo --scale province` (issue 20 item 2, its first part), in the
// CI-sized form (--fraction 0.01): beside the Ouhai demo, Zhejiang's other 89 districts with their
// 1,374 towns (real codes and names), residents summing to the province's 2023 total, institutions
// in proportion, a district administrator each and the province's parameters; the province
// administrator compares all 90 on the platform, a district administrator sees only its own; the
// same seed draws the same data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { freshDatabase, startServer, tuoyu, PASSWORD } from '../lib/server.mjs';

let db, srv;
const make = (database) => tuoyu(['demo', '--scale', 'province', '--fraction', '0.01', '--password', PASSWORD, ...database.args]);
const atRest = (database, q) => (database.kind === 'pg'
  ? execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', database.conninfo], { input: q, encoding: 'utf8' })
  : execFileSync('sqlite3', ['-cmd', '.timeout 5000', database.db], { input: q, encoding: 'utf8' })).trim();

before(async () => {
  db = freshDatabase({ demo: false });
  const r = make(db);
  assert.equal(r.status, 0, r.stderr);
  srv = await startServer({ database: db });
});
after(async () => { await srv?.stop(); db?.cleanup(); });

test('the province: 90 districts on the platform, 1,387 towns, 66.27 million residents', async () => {
  const province = await srv.login('province-admin');
  const r = await province.get('/api/v1/region/districts');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.districts.length, 90);
  assert.ok(r.body.districts.every((d) => d.on_platform), 'every district has its towns and institutions');
  assert.equal(r.body.totals.towns_total, 1387);
  assert.ok(Math.abs(r.body.totals.residents - 66270000) <= 100, `${r.body.totals.residents} residents`);
  // about 1 % of the province's 10,000 institutions beside Ouhai's own
  const ouhai = r.body.districts.find((d) => d.code === '330304');
  assert.ok(r.body.totals.institutions - ouhai.institutions >= 89 && r.body.totals.institutions - ouhai.institutions <= 150,
    `${r.body.totals.institutions - ouhai.institutions} institutions outside Ouhai`);
  assert.equal(ouhai.residents, 1001600, 'Ouhai keeps its own figures');
  // every district's targets: the province's parameters where the district has none of its own
  const shangcheng = r.body.districts.find((d) => d.code === '330102');
  assert.equal(shangcheng.name, '上城区');
  assert.equal(shangcheng.places_per_1000_target, ouhai.places_per_1000_target);
  assert.equal(atRest(db, "SELECT COUNT(*) FROM town WHERE district_code = '330102'"), '14');
  assert.equal(atRest(db, "SELECT name FROM town WHERE code = '330102001'"), '清波街道');
});

test('a district administrator of the province demo sees its own district only', async () => {
  const admin = await srv.login('district-admin-330102');
  const list = (await admin.get('/api/v1/institutions?limit=500')).body.items;
  assert.ok(list.length >= 1);
  assert.ok(list.every((i) => i.town_code.startsWith('330102')), 'only 上城区 institutions');
  const dash = (await admin.get('/api/v1/dashboard')).body.district;
  const row = (await (await srv.login('province-admin')).get('/api/v1/region/districts')).body.districts
    .find((d) => d.code === '330102');
  for (const k of ['institutions', 'places', 'residents', 'towns_total']) assert.equal(dash[k], row[k], k);
  // and Ouhai's administrator still sees Ouhai's
  const ouhai = (await (await srv.login('district-admin')).get('/api/v1/institutions?limit=5')).body.items;
  assert.ok(ouhai.every((i) => i.town_code.startsWith('330304')));
});

test('the same seed draws the same province; a bad fraction is refused', () => {
  const again = freshDatabase({ demo: false });
  try {
    assert.equal(make(again).status, 0);
    const q = "SELECT name || '|' || uscc || '|' || lon FROM institution WHERE district_code = '331102' ORDER BY id;";
    assert.equal(atRest(again, q), atRest(db, q));
    assert.ok(atRest(db, q).length > 0);
  } finally { again.cleanup(); }
  const empty = freshDatabase({ demo: false });
  try {
    for (const bad of ['0', '1.5', 'half']) {
      const r = tuoyu(['demo', '--scale', 'province', '--fraction', bad, ...empty.args]);
      assert.equal(r.status, 2, `${bad}: ${r.stderr}`);
      assert.match(r.stderr, /--fraction/);
    }
    assert.equal(tuoyu(['demo', '--scale', 'city', ...empty.args]).status, 2);
  } finally { empty.cleanup(); }
});
