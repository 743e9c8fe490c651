// paging.test.mjs — generated from the route table: every list (a GET whose reply schema begins
// with items and next) pages the same way, called by a role allowed to. limit is honoured at the
// boundaries (exactly limit items and no next page; limit − 1 items and a next page holding the
// last one; limit + 1), pages of any size put together give the whole list in order with every
// item once, and a bad limit or cursor is 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { routeTable, buildFixtures, pathFor, rolesFor, LOGINS } from '../lib/routes.mjs';

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

async function clientOf(role) {
  if (!role) return new Client(srv.url);
  clients[role] = clients[role] || await srv.login(LOGINS[role]);
  return clients[role];
}

// The page at limit (and cursor), checked for shape.
async function page(c, path, limit, cursor = null) {
  const sep = path.includes('?') ? '&' : '?';
  const r = await c.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  assert.equal(r.status, 200, `${path} limit=${limit}: ${r.text.slice(0, 200)}`);
  assert.ok(Array.isArray(r.body.items), path);
  assert.ok(r.body.next === null || typeof r.body.next === 'string', path);
  return r.body;
}

// An item's identity in its list (programs and vacancies have no id of their own).
const key = (x) => JSON.stringify([x.id, x.institution_id, x.class_type, x.code]);

test('the route table has lists, and every list answers as one', () => {
  const lists = routes.filter(isList);
  assert.ok(lists.length >= 15, `${lists.length} lists`);
});

for (const r of routeTable().routes.filter(isList)) {
  test(`GET ${r.pattern}: limit, cursor and next at the boundaries`, async () => {
    // the first allowed role that sees two items or more (an inbox is its owner's alone)
    const path = pathFor(r.pattern, fx, true);
    let c, first;
    for (const role of rolesFor(r, policy)) {
      c = await clientOf(role);
      first = await page(c, path, 500);
      if (first.items.length >= 2) break;
    }
    const all = first.items;
    const n = all.length;
    assert.ok(n >= 2, `${path}: the fixtures give ${n} items, need at least 2`);
    if (first.next === null) {
      // exactly limit items: all of them, no next page
      const exact = await page(c, path, n);
      assert.deepEqual(exact.items.map(key), all.map(key));
      assert.equal(exact.next, null, `${path}: a page of exactly limit items that ends the list has no next`);
      // limit + 1: the same
      assert.equal((await page(c, path, n + 1)).next, null);
      // limit − 1: a next page that holds the last item and ends the list
      const short = await page(c, path, n - 1);
      assert.equal(short.items.length, n - 1);
      assert.ok(short.next, `${path}: limit ${n - 1} of ${n} has a next page`);
      const last = await page(c, path, n - 1, short.next);
      assert.deepEqual(last.items.map(key), [key(all[n - 1])]);
      assert.equal(last.next, null);
    } else {
      assert.equal(n, 500, `${path}: a first page with a next page is full`);
    }
    // pages of 1, 2 and 3 put together: the list in order, every item once
    for (const size of [1, 2, 3]) {
      const seen = [];
      let cursor = null;
      for (let i = 0; i < Math.min(Math.ceil(n / size), 8); i++) {
        const p = await page(c, path, size, cursor);
        assert.ok(p.items.length <= size);
        seen.push(...p.items);
        cursor = p.next;
        if (!cursor) break;
      }
      assert.deepEqual(seen.map(key), all.slice(0, seen.length).map(key), `${path}: pages of ${size}`);
    }
    // the default is 50
    assert.equal((await c.get(path)).body.items.length, Math.min(n, 50));
    // bad limits and cursors
    const sep = path.includes('?') ? '&' : '?';
    for (const [q, code] of [['limit=0', 'bad_limit'], ['limit=501', 'bad_limit'], ['limit=ten', 'bad_limit'], ['limit=05', 'bad_limit'],
      ['limit=-1', 'bad_limit'], ['cursor=abc', 'bad_cursor'], ['cursor=0', 'bad_cursor'], ['cursor=1.%21', 'bad_cursor']]) {
      const bad = await c.get(`${path}${sep}${q}`);
      assert.equal(bad.status, 400, `${path}?${q}: ${bad.text}`);
      assert.equal(bad.body.error.code, code, `${path}?${q}`);
      assert.equal(bad.body.error.field, code === 'bad_limit' ? 'limit' : 'cursor');
    }
  });
}
