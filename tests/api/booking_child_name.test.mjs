// booking_child_name.test.mjs — the child's name on place bookings (issue 12), on SQLite and
// PostgreSQL: the institution a booking is with reads the child's full name (child.read.full_name,
// the read audited), as does the family; everyone else sees it masked ("林*诺").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { child } from '../lib/fixtures.mjs';

let srv, admin, auditor, family;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
  auditor = await srv.login('auditor');
  family = await srv.login('family');
});
after(async () => { await srv?.stop(); });

const day = (d) => d.toISOString().slice(0, 10);

test("a place booking shows the child's full name to its institution (audited) and the family, masked elsewhere", async () => {
  const now = new Date(Date.now() + 8 * 3600e3); // Beijing's calendar, the server's
  const birth = day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 30, 10)));
  const next = day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))).slice(0, 7);
  const free = (await new (family.constructor)(srv.url).get('/api/v1/public/vacancies?class_type=toddler_old&limit=500')).body.items[0];
  const kid = await child(family, birth, { name: '林一诺', sex: 2 });
  const b = await family.post('/api/v1/bookings', { child_id: kid, institution_id: free.institution_id, class_type: 'toddler_old', start_month: next });
  assert.equal(b.status, 201, b.text);
  const rowOf = async (c) => (await c.get('/api/v1/bookings?limit=500')).body.items.find((x) => x.id === b.body.id);

  const op = await srv.login(`inst-${free.institution_id}`);
  assert.equal((await rowOf(op)).child_name, '林一诺');
  assert.equal((await rowOf(family)).child_name, '林一诺');
  assert.equal((await rowOf(admin)).child_name, '林*诺');
  assert.ok(!JSON.stringify((await op.get('/api/v1/bookings?limit=500')).body).includes('child_name_sealed'));

  // the institution's read of the full name is in the audit log
  const log = (await auditor.get('/api/v1/audit?action=child.read&limit=50')).body.items;
  const read = log.find((x) => x.login === `inst-${free.institution_id}` && (x.fields?.child_ids || []).includes(kid));
  assert.ok(read, JSON.stringify(log.slice(0, 3)));

  // another institution does not see the booking at all
  const other = (await admin.get('/api/v1/institutions?status=filed&limit=50')).body.items.find((i) => i.id !== free.institution_id);
  const op2 = await srv.login(`inst-${other.id}`);
  assert.equal(await rowOf(op2), undefined);
});
