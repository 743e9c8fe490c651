// child_reads_audited.test.mjs — generated from the route table: every staff read of a child's data
// is in the audit log (个人信息保护法 Art. 28: a child's data is sensitive personal information).
// For every GET route under /api/v1/children/{id}, every staff role the policy lets call it reads
// the demo family's child (who attends the home institution, inside every scoped role's reach); the
// answer is 200 and the audit log then holds a new row by that login naming the child. The
// family's read of its own child is not a staff read and is not checked here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { routeTable, buildFixtures, pathFor, rolesFor, LOGINS } from '../lib/routes.mjs';

let srv, routes, policy, fx, auditor;
before(async () => {
  ({ routes, policy } = routeTable());
  srv = await startServer();
  fx = await buildFixtures(srv);
  auditor = await srv.login('auditor');
});
after(async () => { await srv?.stop(); });

const childRoutes = () => routes.filter((r) => r.method === 'GET' && r.pattern.startsWith('/api/v1/children/{id}'));

async function rowsAbout(login, childId) {
  const q = new URLSearchParams({ login, target_type: 'child', target_id: String(childId), limit: '500' });
  const r = await auditor.get(`/api/v1/audit?${q}`);
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}

test('the route table has the child routes this test reads', () => {
  const patterns = childRoutes().map((r) => r.pattern);
  for (const p of ['/api/v1/children/{id}', '/api/v1/children/{id}/growth', '/api/v1/children/{id}/care', '/api/v1/children/{id}/checkups'])
    assert.ok(patterns.includes(p), p);
});

test('every staff read of a child’s data is audited, by login and child', async () => {
  const missing = [];
  let reads = 0;
  for (const r of childRoutes()) {
    const staff = rolesFor(r, policy).filter((role) => role !== 'family' && role !== null);
    assert.ok(staff.length > 0, `${r.pattern}: no staff role may read it`);
    for (const role of staff) {
      const login = LOGINS[role];
      const c = await srv.login(login);
      fx.role = role;
      const before = (await rowsAbout(login, fx.homeChild.id)).length;
      const res = await c.get(pathFor(r.pattern, fx, true));
      assert.equal(res.status, 200, `${role} GET ${r.pattern}: ${res.status} ${res.text}`);
      reads++;
      const after = await rowsAbout(login, fx.homeChild.id);
      if (after.length <= before) missing.push(`${role} GET ${r.pattern}`);
    }
  }
  assert.ok(reads >= 10, `staff reads made: ${reads}`);
  assert.deepEqual(missing, [], 'staff reads of a child with no audit row');
});
