// cases_list.test.mjs — the administrator's list of all cases (issue 13 item 8: "all cases by
// state and town, overdue first"), on SQLite and PostgreSQL: a case whose open task is past its
// deadline comes before every case that is not, whatever their ids; then the cases by the earliest
// deadline of their open tasks, cases with no open task last; paging keeps that order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { pdfBytes, uploadTo } from '../lib/fixtures.mjs';

const NOW = '2024-09-30T02:00:00Z'; // a Monday; a receipt is due 5 working days on: 2024-10-12
let srv, admin;
before(async () => {
  srv = await startServer({ now: NOW });
  admin = await srv.login('district-admin');
});
after(async () => { await srv.stop(); });

/** A pending institution of an ordinary type, not 普惠 (the demo dates recognitions after 2024). */
async function pendingInstitutions(n) {
  const r = await admin.get('/api/v1/institutions?status=pending&limit=500');
  assert.equal(r.status, 200, r.text);
  const list = r.body.items.filter((i) => !['family_point', 'kindergarten'].includes(i.operating_model)).slice(0, n);
  assert.equal(list.length, n, 'the demo has enough pending institutions');
  for (const inst of list)
    assert.equal((await admin.put(`/api/v1/institutions/${inst.id}`, { inclusive: false, inclusive_since: null })).status, 200);
  return list;
}

/** Open a filing on inst as its operator; submitted: filled, every material attached, submitted. */
async function filing(inst, submitted) {
  const op = await srv.login(`inst-${inst.id}`);
  const c = await op.post('/api/v1/cases', { process: 'filing', institution_id: inst.id });
  assert.equal(c.status, 201, c.text);
  const id = c.body.id;
  if (!submitted) return id;
  const rec = (await admin.get(`/api/v1/institutions/${inst.id}`)).body;
  const put = await op.put(`/api/v1/cases/${id}/institution`, { name: rec.name, town_code: rec.town_code, address: rec.address, lon: rec.lon, lat: rec.lat, premises: { tenure: 'owned', floor: 1, health_room_m2: 8, window_floor_ratio: 0.25 }, health_workers: 1 });
  assert.equal(put.status, 200, put.text);
  const materials = [];
  for (const item of put.body.checklist) {
    const up = await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`order-${id}-${item.item}`), `${item.name}.pdf`);
    assert.equal(up.status, 201, up.text);
    materials.push({ item: item.item, material_id: up.body.id });
  }
  assert.equal((await op.put(`/api/v1/cases/${id}/checklist`, { materials })).status, 200);
  const s = await op.post(`/api/v1/cases/${id}/events`, { event: 'submit', declaration: true });
  assert.equal(s.status, 200, s.text);
  return id;
}

test('all cases: the overdue first, then by due date, open-ended last; paging keeps the order', async () => {
  const [a, b] = await pendingInstitutions(2);
  const draft = await filing(a, false);      // the lower id: no open task, no deadline
  const late = await filing(b, true);        // the higher id: its receipt due 2024-10-12
  assert.ok(draft < late);
  // Monday 2024-10-14: the receipt is overdue
  const monday = await startServer({ now: '2024-10-14T02:00:00Z', database: srv.database });
  try {
    const a14 = await monday.login('district-admin');
    const r = await a14.get('/api/v1/cases?limit=500');
    assert.equal(r.status, 200, r.text);
    const items = r.body.items;
    const at = (id) => items.findIndex((c) => c.id === id);
    assert.ok(at(late) >= 0 && at(draft) >= 0);
    assert.ok(at(late) < at(draft), 'the overdue case comes before the older draft (not id order)');
    const mine = items[at(late)];
    assert.equal(mine.due_on, '2024-10-12');
    assert.equal(mine.overdue, true);
    assert.equal(items[at(draft)].due_on, null);
    assert.equal(items[at(draft)].overdue, false);
    // every overdue case before every other; then due dates ascending, null last
    const firstNotOverdue = items.findIndex((c) => !c.overdue);
    assert.ok(items.slice(firstNotOverdue).every((c) => !c.overdue), 'overdue first');
    const keys = items.map((c) => c.due_on ?? '9999-12-31');
    assert.deepEqual(keys, [...keys].sort(), 'then by due date');
    // the same order one row at a time through the cursor
    const paged = [];
    for (let cursor = null, n = 0; n < items.length + 1; n++) {
      const p = await a14.get(`/api/v1/cases?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(p.status, 200, p.text);
      paged.push(...p.body.items.map((c) => c.id));
      if (!(cursor = p.body.next)) break;
    }
    assert.deepEqual(paged, items.map((c) => c.id));
    // filtered by state and town, still overdue first
    const town = await a14.get(`/api/v1/cases?state=submitted&town=${b.town_code}&limit=500`);
    assert.equal(town.status, 200, town.text);
    assert.ok(town.body.items.some((c) => c.id === late));
    assert.ok(town.body.items.every((c) => c.state === 'submitted' && c.town_code === b.town_code));
  } finally { await monday.stop({ keepDatabase: true }); }
});
