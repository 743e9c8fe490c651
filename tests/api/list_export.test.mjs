// list_export.test.mjs — generated from the route table: every list (a GET whose reply begins
// with items and next) exports as a real .xlsx with ?export=xlsx (issue 21 item 4), called by a
// role allowed to: the same rows the JSON list gives over all its pages, in order — filters,
// jurisdiction and masking as on screen —, a column for each scalar member headed by its Chinese
// description, numbers as numbers, money (…_fen) in yuan with two decimals under a heading that
// says 元; the heading row frozen; the export audited with its row count; a bad value refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { routeTable, buildFixtures, pathFor, rolesFor, LOGINS } from '../lib/routes.mjs';
import { readSheet, unzip } from '../lib/xlsx.mjs';

let srv, routes, policy, fx;
const clients = {};
before(async () => {
  ({ routes, policy } = routeTable());
  srv = await startServer();
  fx = await buildFixtures(srv);
});
after(async () => { await srv.stop(); });

const isList = (r) => r.method === 'GET' && r.reply?.properties?.items && r.reply?.properties?.next &&
  Object.keys(r.reply.properties).indexOf('items') === 0;
const scalar = (s) => s && !['array', 'object'].includes(Array.isArray(s.type) ? s.type[0] : s.type);
const money = (name) => name.endsWith('_fen');
const heading = (name, s) => {
  const label = s.description || name;
  if (!money(name)) return label;
  return label.includes('（分）') ? label.replace('（分）', '（元）') : `${label}（元）`;
};

async function clientOf(role) {
  if (!role) return new Client(srv.url);
  clients[role] = clients[role] || await srv.login(LOGINS[role]);
  return clients[role];
}

// every item of the list over its pages
async function all(c, path) {
  const items = [];
  let cursor = null;
  for (;;) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await c.get(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, `${path}: ${r.text.slice(0, 200)}`);
    items.push(...r.body.items);
    if (!r.body.next) return items;
    cursor = r.body.next;
  }
}

async function exported(c, path, value = 'xlsx') {
  const sep = path.includes('?') ? '&' : '?';
  const res = await fetch(`${c.url}${path}${sep}export=${value}`, { headers: c.cookie ? { cookie: c.cookie } : {} });
  return { status: res.status, type: res.headers.get('content-type') || '', bytes: Buffer.from(await res.arrayBuffer()) };
}

for (const r of routeTable().routes.filter(isList)) {
  test(`GET ${r.pattern}?export=xlsx: every row of the list, as on screen`, async () => {
    const role = rolesFor(r, policy)[0];
    const c = await clientOf(role);
    const path = pathFor(r.pattern, fx, true);
    const items = await all(c, path);
    const res = await exported(c, path);
    assert.equal(res.status, 200, `${path}: ${res.bytes.toString().slice(0, 200)}`);
    assert.match(res.type, /spreadsheetml/);
    const sheet = readSheet(res.bytes);
    const columns = Object.entries(r.reply.properties.items.items.properties).filter(([, s]) => scalar(s));
    assert.deepEqual(sheet[0], columns.map(([name, s]) => heading(name, s)), 'headed by the descriptions');
    assert.match(unzip(res.bytes).get('xl/worksheets/sheet1.xml').toString(), /<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"\/>/, 'the heading frozen');
    assert.equal(sheet.length - 1, items.length, `${path}: every row`);
    items.forEach((item, i) => {
      columns.forEach(([name, s], k) => {
        const v = item[name], cell = sheet[i + 1][k] ?? '';
        if (v === null || v === undefined) assert.equal(cell, '', `${path} row ${i + 1} ${name}`);
        else if (typeof v === 'boolean') assert.equal(cell, v ? '是' : '否', `${path} row ${i + 1} ${name}`);
        else if (typeof v === 'number' && money(name)) assert.equal(Math.round(Number(cell) * 100), v, `${path} row ${i + 1} ${name}: ${cell} yuan ≠ ${v} fen`);
        // the JSON writes reals to 12 significant digits, the workbook the whole double
        else if (typeof v === 'number') assert.ok(Math.abs(Number(cell) - v) <= 1e-9 * Math.max(1, Math.abs(v)), `${path} row ${i + 1} ${name}: ${cell} ≠ ${v}`);
        else if (s.format !== 'date') assert.equal(cell, v, `${path} row ${i + 1} ${name}`);
      });
    });
  });
}

test('numbers and dates are cells of their kind; the export is audited; a bad value is refused', async () => {
  const admin = await clientOf('district_admin');
  const res = await exported(admin, '/api/v1/institutions?town=330304001');
  const xml = unzip(res.bytes).get('xl/worksheets/sheet1.xml').toString();
  assert.match(xml, /<c r="A2"[^>]*><v>\d+<\/v><\/c>/, 'the id is a number cell');
  // money in yuan: the public list's monthly fee (monthly_fee_fen) as a number in yuan
  const pub = await fetch(`${srv.url}/api/v1/public/institutions?export=xlsx`);
  const pubSheet = readSheet(Buffer.from(await pub.arrayBuffer()));
  const feeCol = pubSheet[0].findIndex((h) => h.includes('（元）'));
  assert.ok(feeCol >= 0, `a heading in 元: ${pubSheet[0]}`);
  const rows = readSheet(res.bytes).length - 1;
  const auditor = await clientOf('auditor');
  const logged = (await auditor.get('/api/v1/audit?action=list.export&limit=5')).body.items
    .find((x) => x.fields.list === '/api/v1/institutions' && x.fields.query === 'town=330304001&export=xlsx');
  assert.ok(logged, 'the export is in the audit log with its filters');
  assert.equal(logged.fields.rows, rows);
  const bad = await exported(admin, '/api/v1/institutions', 'csv');
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.bytes.toString()).error.code, 'bad_export');
});
