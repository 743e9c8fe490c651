// population.test.mjs — towns' population by year (issue 19 item 2): the district enters a year's
// residents, under-3s and births with their source (bad towns, counts and years refused with the
// row and field named, nothing written); the dashboard's places per 1,000 residents divides by the
// latest year not after today's and says which; a town officer reads only their town and may not
// write; the entry is in the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { uploadTo } from '../lib/fixtures.mjs';
import { readSheet, writeSheet } from '../lib/xlsx.mjs';

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
});
after(async () => { await srv.stop(); });

test('a year entered by the district feeds the dashboard, which says the year; bad rows change nothing', async () => {
  let r = await admin.get('/api/v1/population');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.year, r.body.years], [2023, [2023]], 'the demo holds 2023');
  const towns = r.body.towns;
  assert.equal(towns.length, 13);
  const total = towns.reduce((s, t) => s + t.residents, 0);
  assert.equal(total, 1001600, 'the 2023 residents of the district');
  assert.ok(towns.every((t) => t.under3 > 0 && t.births > 0 && t.source));
  let dash = (await admin.get('/api/v1/dashboard')).body;
  assert.equal(dash.population_year, 2023);
  assert.equal(dash.district.residents, 1001600);
  const per1000 = dash.district.places_per_1000;

  const rows = towns.map((t) => ({ town_code: t.town_code, residents: t.residents * 2, under3: t.under3, births: t.births }));
  const thisYear = Number(dash.as_of.slice(0, 4));
  const bad = [
    [thisYear, { source: '统计年鉴', rows: [{ ...rows[0], town_code: '330305001' }] }, 'unknown_town', 'rows[0].town_code'],
    [thisYear, { source: '统计年鉴', rows: [rows[0], { ...rows[1], under3: rows[1].residents + 1 }] }, 'more_than_residents', 'rows[1].under3'],
    [thisYear, { source: '统计年鉴', rows: [rows[0], rows[0]] }, 'duplicate_town', 'rows[1].town_code'],
    [thisYear, { source: '统计年鉴', rows: [{ ...rows[0], residents: 0 }] }, 'out_of_range', 'rows[0].residents'],
    [1999, { source: '统计年鉴', rows }, 'bad_year', 'year'],
    [thisYear + 2, { source: '统计年鉴', rows }, 'bad_year', 'year'],
  ];
  for (const [year, body, code, field] of bad) {
    r = await admin.put(`/api/v1/population/${year}`, body);
    assert.deepEqual([r.status, r.body.error?.code, r.body.error?.field], [422, code, field], `${year} ${code}`);
  }
  assert.deepEqual((await admin.get('/api/v1/population')).body.years, [2023], 'nothing written');

  r = await admin.put(`/api/v1/population/${thisYear}`, { source: '区统计局 常住人口抽样', rows });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.years, [thisYear, 2023]);
  assert.equal(r.body.towns[0].residents, rows[0].residents);
  dash = (await admin.get('/api/v1/dashboard')).body;
  assert.equal(dash.population_year, thisYear, 'the dashboard says which year it divides by');
  assert.equal(dash.district.residents, 2 * 1001600);
  assert.ok(Math.abs(dash.district.places_per_1000 - per1000 / 2) < 0.02, `${dash.district.places_per_1000} is half ${per1000}`);
  // next year's figures (announced early) do not count before next year
  r = await admin.put(`/api/v1/population/${thisYear + 1}`, { source: '预测', rows: [{ town_code: rows[0].town_code, residents: 1 }] });
  assert.equal(r.status, 200, r.text);
  assert.equal((await admin.get('/api/v1/dashboard')).body.population_year, thisYear);
  // an earlier year stays readable
  r = await admin.get('/api/v1/population?year=2023');
  assert.equal(r.body.towns.reduce((s, t) => s + t.residents, 0), 1001600);
  assert.equal((await admin.get('/api/v1/population?year=abc')).status, 422);

  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?action=population.update')).body.items;
  assert.equal(log.length, 2);
});

test('a town officer reads their own town only and may not write; an institution may not read', async () => {
  const town = await srv.login('town-330304001');
  const r = await town.get('/api/v1/population?year=2023');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.towns.map((t) => t.town_code), ['330304001']);
  assert.equal((await town.put('/api/v1/population/2023', { source: 'x', rows: [{ town_code: '330304001', residents: 5 }] })).status, 403);
  assert.equal((await (await srv.login('inst-1')).get('/api/v1/population')).status, 403);
});

test('a year imported from the template: every town filled in, bad rows listed by line and column, all or nothing', async () => {
  const res = await fetch(`${admin.url}/api/v1/population/template`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  const sheet = readSheet(Buffer.from(await res.arrayBuffer()));
  assert.deepEqual(sheet[0], ['镇街代码', '镇街', '常住人口', '3岁以下婴幼儿数', '出生人口']);
  assert.equal(sheet.length, 14, 'a row per town');
  assert.deepEqual(sheet[1].slice(0, 2), ['330304001', '景山街道']);
  const year = 2022;
  const path = `/api/v1/population/${year}/import?source=${encodeURIComponent('2022年统计年鉴')}`;
  // a CSV with a bad count and a town of another district: both listed, nothing written
  const bad = '镇街代码,镇街,常住人口,3岁以下婴幼儿数,出生人口\r\n330304001,景山街道,十万,,\r\n330305001,外区,1000,,\r\n';
  let r = await uploadTo(admin, path, Buffer.from(bad), 'population.csv', 'text/csv');
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'import_rows');
  assert.equal(r.body.error.message, '导入文件有 1 处错误，未导入任何数据，请改正后重新导入');
  assert.deepEqual(r.body.error.rows.map((x) => [x.row, x.field, x.code]), [[2, '常住人口', 'not_count']]);
  r = await uploadTo(admin, path, Buffer.from(bad.replace('十万', '100000')), 'population.csv', 'text/csv');
  assert.deepEqual(r.body.error.rows.map((x) => [x.row, x.field, x.code]), [[3, '镇街代码', 'unknown_town']]);
  r = await uploadTo(admin, path, Buffer.from('镇街代码,镇街\r\n330304001,景山街道\r\n'), 'p.csv', 'text/csv');
  assert.deepEqual([r.status, r.body.error.code], [422, 'missing_column'], 'the residents column is required');
  assert.equal((await admin.get(`/api/v1/population?year=${year}`)).body.towns[0].residents, null, 'nothing written');
  // no source: refused before reading
  r = await uploadTo(admin, `/api/v1/population/${year}/import`, writeSheet(sheet), 'p.xlsx', 'application/octet-stream');
  assert.deepEqual([r.status, r.body.error.field], [422, 'source']);
  // the template as downloaded, figures changed: imported
  const rows = sheet.map((row, i) => (i === 0 ? row : [row[0], row[1], String(Number(row[2]) + i), row[3], row[4]]));
  r = await uploadTo(admin, path, writeSheet(rows), 'p.xlsx', 'application/octet-stream');
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body, { year, imported: 13 });
  const got = (await admin.get(`/api/v1/population?year=${year}`)).body.towns;
  assert.equal(got[0].residents, Number(sheet[1][2]) + 1);
  assert.equal(got[0].source, '2022年统计年鉴');
  const town = await srv.login('town-330304001');
  assert.equal((await uploadTo(town, path, writeSheet(rows), 'p.xlsx', 'application/octet-stream')).status, 403);
});
