// exchange.test.mjs — the provincial exchange feed (issue 21 item 5): a machine client made with
// `tuoyu exchange-client add` reads every institution once with its stable source id, in change
// order, page by page; after a change it reads exactly the changed institutions; changed_since
// narrows the first read; JSON Lines carry the same records; the token opens nothing else and
// stops working when revoked; nobody can make a machine account through the API; records the
// platform sends back are created once and updated by its own id (or the credit code) after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, tuoyu, Client } from '../lib/server.mjs';
import { uscc } from '../lib/fixtures.mjs';

let srv, db, admin, token;
const NOW = '2026-06-01T02:00:00Z';
before(async () => {
  db = freshDatabase();
  srv = await startServer({ database: db, now: NOW });
  admin = await srv.login('district-admin');
  const r = tuoyu(['exchange-client', 'add', 'zheyou', '--name', '浙有善育', ...db.args]);
  assert.equal(r.status, 0, r.stderr);
  token = r.stdout.trim();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
});
after(async () => { await srv.stop(); });

const feed = (query = '', tok = token) =>
  fetch(`${srv.url}/api/v1/exchange/institutions${query}`, { headers: { authorization: `Bearer ${tok}` } });

// every page from cursor on: [records, last cursor]
async function readAll(cursor = null, extra = '') {
  const out = [];
  for (;;) {
    const res = await feed(`?limit=50${cursor ? `&cursor=${cursor}` : ''}${extra}`);
    assert.equal(res.status, 200, await res.clone().text());
    const body = await res.json();
    out.push(...body.items);
    if (!body.next) return [out, cursor];
    cursor = body.next;
  }
}

let firstRead, lastCursor;
test('the first read gives every institution once, in change order, with its source id and public record', async () => {
  [firstRead, lastCursor] = await readAll();
  const all = (await admin.get('/api/v1/institutions?limit=500')).body.items;
  assert.equal(firstRead.length, all.length);
  assert.deepEqual(firstRead.map((x) => x.id).sort((a, b) => a - b), all.map((x) => x.id).sort((a, b) => a - b));
  for (let i = 1; i < firstRead.length; i++) assert.ok(firstRead[i].seq > firstRead[i - 1].seq, 'change numbers rise');
  for (const x of firstRead) {
    assert.equal(x.source_id, `330304:${x.id}`);
    assert.ok(x.changed_at >= NOW && x.changed_at < '2026-06-01T02:10:00Z', x.changed_at); // the server's clock runs on from NOW
  }
  // a filed institution's record is its public detail
  const filed = firstRead.find((x) => x.status === 'filed');
  const pub = (await new Client(srv.url).get(`/api/v1/public/institutions/${filed.id}`)).body;
  const { source_id, seq, changed_at, status, ...record } = filed;
  assert.deepEqual(record, pub);
  assert.ok(Object.keys(filed.vacancies).length > 0 && Array.isArray(filed.classes));
  // another institution's status only, when it is not in the public registry
  const other = firstRead.find((x) => x.status !== 'filed');
  if (other) assert.deepEqual(Object.keys(other).sort(), ['changed_at', 'id', 'seq', 'source_id', 'status']);
  // nothing changed: nothing new
  const [again] = await readAll(String(firstRead.at(-1).seq));
  assert.deepEqual(again, []);
});

test('every filed record is the institution\'s public detail, read in statements that do not grow with the institutions', async () => {
  // one institution announces a price from September, then one from August that withdraws it
  const [a] = firstRead.filter((x) => x.status === 'filed');
  const items = (fen) => [{ item: '保育费（全日托）', category: 'basic', service_type: 'full_day', amount_fen: fen, unit: '月' }];
  for (const [from, fen] of [['2026-09-01', 210000], ['2026-08-01', 205000]]) {
    const r = await admin.put(`/api/v1/institutions/${a.id}/fees`, { effective_from: from, note: '秋季调价', items: items(fen) });
    assert.equal(r.status, 200, r.text);
  }
  const [all] = await readAll();
  const filed = all.filter((x) => x.status === 'filed');
  assert.deepEqual(filed.find((x) => x.id === a.id).fees_announced.map((x) => x.effective_from), ['2026-08-01']);
  const anyone = new Client(srv.url);
  for (const x of filed) {
    const { source_id, seq, changed_at, status, ...record } = x;
    assert.deepEqual(record, (await anyone.get(`/api/v1/public/institutions/${x.id}`)).body, `institution ${x.id}`);
  }
  // the fee histories, read for the whole district at once, are there to compare (levels in force:
  // rating_workflow.test.mjs)
  assert.ok(filed.some((x) => x.fees_announced.length > 0), 'fees announced');
  assert.ok(filed.some((x) => x.fees.length > 0), 'fees in force');
  // a read costs the same few statements however many institutions the district has (the token, the
  // change numbers, the district's institutions, levels and fee histories each read once): 14 on
  // SQLite with the demo's 136, where three an institution would be over 400
  await srv.quiet(100);
  const before = await srv.dbCalls();
  assert.equal((await feed('?limit=1')).status, 200);
  const statements = (await srv.dbCalls()) - before;
  assert.ok(statements <= 20, `${statements} statements for ${all.length} institutions`);
});

test('after changes it gives exactly the changed institutions, each once, with its new record', async () => {
  const [a, b] = firstRead.filter((x) => x.status === 'filed');
  let r = await admin.put(`/api/v1/institutions/${a.id}`, { address: '温州市瓯海区交换测试路1号' });
  assert.equal(r.status, 200, r.text);
  r = await admin.put(`/api/v1/institutions/${b.id}`, { opening_hours: '07:00-18:00' });
  assert.equal(r.status, 200, r.text);
  r = await admin.put(`/api/v1/institutions/${a.id}`, { opening_hours: '07:10-17:50' });
  assert.equal(r.status, 200, r.text);
  const [changed] = await readAll(String(firstRead.at(-1).seq));
  assert.deepEqual(changed.map((x) => x.id).sort((p, q) => p - q), [a.id, b.id].sort((p, q) => p - q));
  assert.equal(changed.find((x) => x.id === a.id).address, '温州市瓯海区交换测试路1号');
  assert.equal(changed.find((x) => x.id === a.id).opening_hours, '07:10-17:50');
  assert.equal(changed.find((x) => x.id === b.id).opening_hours, '07:00-18:00');
  assert.ok(changed.every((x) => x.seq > firstRead.at(-1).seq));
});

test('changed_since narrows the read; JSON Lines carry the same records', async () => {
  let res = await feed('?changed_since=2026-06-01T03:00:00Z');
  assert.deepEqual((await res.json()).items, [], 'nothing changed after 03:00 UTC');
  res = await feed('?changed_since=2026-06-01T10:00:00%2B08:00&limit=5'); // 02:00 UTC in Beijing time
  assert.equal((await res.json()).items.length, 5);
  res = await feed('?limit=3&format=jsonl');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/x-ndjson/);
  const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
  const json = (await (await feed('?limit=3')).json());
  assert.deepEqual(lines, json.items);
  assert.equal(res.headers.get('x-next-cursor'), json.next);
  for (const [q, code, field] of [['?changed_since=yesterday', 'bad_changed_since', 'changed_since'],
    ['?format=xml', 'bad_format', 'format'], ['?cursor=abc', 'bad_cursor', 'cursor']]) {
    const bad = await feed(q);
    assert.equal(bad.status, 400, q);
    const body = await bad.json();
    assert.deepEqual([body.error.code, body.error.field], [code, field], q);
  }
});

const send = (records, tok = token) => fetch(`${srv.url}/api/v1/exchange/institutions`, {
  method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: JSON.stringify({ records }),
});

test('records sent back: created once, then updated by the platform\'s id or the credit code; a bad one writes nothing', async () => {
  const rec = (over = {}) => ({
    name: '浙有善育幼儿园托班', uscc: uscc('52330304MJ0000001'), town_code: '330304003', address: '南白象街道某路2号', lon: 120.66, lat: 27.95,
    operating_model: 'kindergarten', ownership: 'public', status: 'filed', premises: { tenure: 'owned' },
    classes: [{ class_type: 'toddler_old', name: '托班', capacity: 20, enrolled: 12, caregivers: 2 }], ...over,
  });
  let res = await send([{ external_id: 'ZY-0001', record: rec() }]);
  assert.equal(res.status, 200, await res.clone().text());
  const [created] = (await res.json()).items;
  assert.equal(created.action, 'created');
  // the same id again, with a change: ours is updated, no second institution
  res = await send([{ external_id: 'ZY-0001', record: rec({ address: '南白象街道某路8号' }) }]);
  assert.deepEqual((await res.json()).items, [{ external_id: 'ZY-0001', id: created.id, action: 'updated' }]);
  let inst = (await admin.get(`/api/v1/institutions/${created.id}`)).body;
  assert.equal(inst.address, '南白象街道某路8号');
  assert.equal((await admin.get(`/api/v1/institutions?q=${encodeURIComponent('浙有善育幼儿园托班')}`)).body.items.length, 1);
  // a record of an institution we already hold, by its credit code, under a new id of theirs
  const ours = firstRead.find((x) => x.status === 'filed' && x.uscc);
  res = await send([{ external_id: 'ZY-0002', record: { uscc: ours.uscc, phone: '0577-86000000' } }]);
  assert.deepEqual((await res.json()).items, [{ external_id: 'ZY-0002', id: ours.id, action: 'updated' }]);
  assert.equal((await admin.get(`/api/v1/institutions/${ours.id}`)).body.phone, '0577-86000000');
  // a batch with a bad record: nothing of it written, the record named
  res = await send([{ external_id: 'ZY-0003', record: rec({ name: '另一托班', uscc: uscc('52330304MJ0000003') }) },
    { external_id: 'ZY-0004', record: rec({ name: '坏记录', uscc: uscc('52330304MJ0000004'), town_code: '999999999' }) }]);
  assert.equal(res.status, 422);
  const bad = await res.json();
  assert.deepEqual([bad.error.code, bad.error.field], ['unknown_town', 'records[1].record.town_code']);
  assert.equal((await admin.get(`/api/v1/institutions?q=${encodeURIComponent('另一托班')}`)).body.items.length, 0, 'all or nothing');
  res = await send([{ external_id: 'ZY-0005', record: { name: 'x', bogus: 1 } }]);
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.field, 'records[0].record.bogus');
  // each write audited with the platform's id
  const auditor = await srv.login('auditor');
  const logged = (await auditor.get('/api/v1/audit?action=exchange.import')).body.items;
  assert.deepEqual(logged.map((x) => x.fields.external_id).sort(), ['ZY-0001', 'ZY-0001', 'ZY-0002']);
});

test('the token opens nothing else, a wrong one nothing at all, and a revoked one stops working', async () => {
  for (const [method, path] of [['GET', '/api/v1/me'], ['GET', '/api/v1/institutions'], ['GET', '/api/v1/params'],
    ['DELETE', '/api/v1/session'], ['POST', '/api/v1/me/totp'], ['PUT', `/api/v1/institutions/${firstRead[0].id}`]]) {
    const res = await fetch(`${srv.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: method === 'GET' || method === 'DELETE' ? undefined : '{}' });
    assert.equal(res.status, 403, `${method} ${path}`);
  }
  assert.equal((await feed('', 'A'.repeat(43))).status, 401);
  assert.equal((await fetch(`${srv.url}/api/v1/exchange/institutions`)).status, 401);
  // the district may read the feed in the console's session too
  assert.equal((await admin.get('/api/v1/exchange/institutions?limit=1')).status, 200);
  // nobody gives a person's account the machine role
  const sec = await srv.login('security-admin');
  const made = await sec.post('/api/v1/users', { login: 'not-a-machine', name: '某人', role: 'exchange_client', password: 'Correct-Horse-42-Battery' });
  assert.equal(made.status, 403, made.text);
  const cli = tuoyu(['user', 'add', 'not-a-machine', '--role', 'exchange_client', '--name', '某人', ...db.args]);
  assert.equal(cli.status, 2);
  assert.match(cli.stderr, /tuoyu exchange-client add/);
  const r = tuoyu(['exchange-client', 'revoke', 'zheyou', ...db.args]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await feed()).status, 401);
  const auditor = await srv.login('auditor');
  const rows = (await auditor.get('/api/v1/audit?target_type=user&limit=20')).body.items.map((x) => x.action);
  assert.ok(rows.includes('exchange_client.add') && rows.includes('exchange_client.revoke'));
});
