// children.test.mjs — children's records and growth over HTTP: sensitive data sealed and masked,
// ID numbers validated against birth date and sex, scoped reads that are audited, measurements
// validated, and the growth evaluation with WHO z-scores and reference curves; no reply to any
// role shows a full ID number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { routeTable, roleLogins, HOME_TOWN } from '../lib/routes.mjs';
import { consent } from '../lib/fixtures.mjs';

let srv, admin, op, instId;
before(async () => {
  srv = await startServer({ now: '2026-06-01T02:00:00Z' });
  admin = await srv.login('district-admin');
  instId = (await admin.get('/api/v1/institutions?town=330304005&limit=1')).body.items[0].id;
  op = await srv.login(`inst-${instId}`);
});
after(async () => { await srv.stop(); });

// 11010519491231002X is the standard's own valid example; for a child we build one born 2025-03-15, female
function idFor(birth, seq) {
  const body = `330304${birth.replaceAll('-', '')}${seq}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...body].reduce((a, ch, i) => a + Number(ch) * w[i], 0);
  return body + '10X98765432'[s % 11];
}

test('an institution registers a child: ID checked against birth date and sex, stored sealed, shown masked', async () => {
  const id = idFor('2025-03-15', '024'); // even sequence: female
  let r = await op.post('/api/v1/children', { name: '陈小雨', birth_date: '2025-03-15', sex: 1, id_number: id });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'id_sex_mismatch');
  r = await op.post('/api/v1/children', { name: '陈小雨', birth_date: '2025-03-16', sex: 2, id_number: id });
  assert.equal(r.body.error.code, 'id_birth_mismatch');
  r = await op.post('/api/v1/children', { name: '陈小雨', birth_date: '2025-03-15', sex: 2, id_number: id.slice(0, 17) + (id[17] === '1' ? '2' : '1') });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'id_number');
  assert.equal(r.body.error.code, 'id_checksum');
  r = await op.post('/api/v1/children', { name: '陈小雨', birth_date: '2025-03-15', sex: 2, id_number: id });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.name, '陈小雨', 'the child\'s own institution sees the name');
  assert.equal(r.body.id_masked, `330304********${id.slice(14)}`);
  assert.ok(!JSON.stringify(r.body).includes(id), 'the full ID number never leaves the server');
  const dup = await op.post('/api/v1/children', { name: '陈小雨', birth_date: '2025-03-15', sex: 2, id_number: id });
  assert.equal(dup.status, 409);
  // the district sees the record masked, and that read is audited
  const seen = await admin.get(`/api/v1/children/${r.body.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.name, '陈*雨');
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?limit=50')).body.items;
  assert.ok(log.some((x) => x.action === 'child.read' && x.login === 'district-admin' && x.target_id === String(r.body.id)));
  const created = log.find((x) => x.action === 'child.create' && x.target_id === String(r.body.id));
  assert.equal(created.fields.id_number, `330304********${id.slice(14)}`, 'audit rows hold the masked number');
  // another institution cannot see the child
  const other = (await admin.get('/api/v1/institutions?town=330304012&limit=1')).body.items[0].id;
  const op2 = await srv.login(`inst-${other}`);
  assert.equal((await op2.get(`/api/v1/children/${r.body.id}`)).status, 404);
  assert.ok((await op2.get('/api/v1/children')).body.items.every((c) => c.institution_id === other));
});

test('measurements are validated, and growth gives WHO z-scores with classes and reference curves', async () => {
  const child = (await op.post('/api/v1/children', { name: '王小明', birth_date: '2025-06-01', sex: 1, birth_cert: 'O330012345' })).body;
  assert.equal(child.id_kind, 'birth_cert');
  const bad = [
    [{ measured_on: '2025-05-30', weight_kg: 3.3 }, 'measured_on'],
    [{ measured_on: '2026-02-30', weight_kg: 3.3 }, 'measured_on'],
    [{ measured_on: '2025-12-01', weight_kg: 8100 }, 'weight_kg'],
    [{ measured_on: '2025-12-01', weight_kg: 8.1, measure: 'x', lenhei_cm: 70 }, 'measure'],
    [{ measured_on: '2025-12-01' }, 'weight_kg'],
    [{ measured_on: '2025-12-01', weight_kg: 8.1, height: 70 }, 'height'],
  ];
  for (const [body, field] of bad) {
    const r = await op.post(`/api/v1/children/${child.id}/measurements`, body);
    assert.ok([400, 422].includes(r.status), JSON.stringify(body));
    assert.equal(r.body.error.field, field);
  }
  // at 365 days a boy's WHO weight-for-age median is 9.6 kg (M = 9.6479): z ≈ 0
  await consent(op, child.id);
  let r = await op.post(`/api/v1/children/${child.id}/measurements`, { measured_on: '2026-06-01', weight_kg: 9.6479, lenhei_cm: 75.7, measure: 'l', headc_cm: 46.1 });
  assert.equal(r.status, 201, r.text);
  r = await op.post(`/api/v1/children/${child.id}/measurements`, { measured_on: '2025-09-01', weight_kg: 4.0, lenhei_cm: 60 });
  assert.equal(r.status, 201);
  const g = await op.get(`/api/v1/children/${child.id}/growth`);
  assert.equal(g.status, 200);
  assert.equal(g.body.measurements.length, 2);
  const [early, late] = g.body.measurements;
  assert.equal(late.age_days, 365);
  assert.equal(late.zscores.wfa.z, 0);
  assert.equal(late.zscores.wfa.class, 'normal');
  assert.equal(late.zscores.wfa.grade_name, '中');
  assert.ok(Math.abs(late.zscores.wfa.percentile - 50) < 0.5);
  assert.equal(early.zscores.wfa.class, 'severe_underweight', '4.0 kg at 92 days is below −3 SD (−3 SD ≈ 4.4 kg)');
  assert.ok(g.body.curves.wfa.length > 10);
  const pt = g.body.curves.wfa.find((p) => p[0] === 365) || g.body.curves.wfa[0];
  assert.equal(pt.length, 8);
  assert.ok(pt[1] < pt[4] && pt[4] < pt[7], '−3 SD < median < +3 SD');
});

test('the family sees its own child only; batch z-scores for staff', async () => {
  const fam = await srv.login('family');
  const mine = (await fam.get('/api/v1/children')).body.items;
  assert.equal(mine.length, 2, 'the demo family\'s two children: one admitted, one in care');
  assert.ok(mine.every((c) => c.family_user_id === fam.user.id), 'its own children only');
  assert.ok(mine.every((c) => !c.name.includes('*')), 'a family sees its own children\'s names');
  const g = await fam.get(`/api/v1/children/${mine[0].id}/growth`);
  assert.equal(g.status, 200);
  assert.ok(g.body.measurements.length >= 1);
  const batch = await admin.post('/api/v1/growth/zscores', { rows: [{ sex: 1, age_days: 365, weight_kg: 9.6479 }, { sex: 3, age_days: 10, weight_kg: 3 }] });
  assert.equal(batch.status, 200);
  assert.equal(batch.body.results[0].wfa.z, 0);
  assert.ok(batch.body.results[1].error);
  assert.equal((await fam.post('/api/v1/growth/zscores', { rows: [] })).status, 403);
});

test('every role that may read a child sees its ID number masked, and the full number appears in no reply', async () => {
  const { routes, policy } = routeTable();
  // a child of a 景山 institution (its health instructor's area), registered by the institution,
  // and a child registered by the demo family; both with a resident ID number known to the test
  const jingshan = (await admin.get(`/api/v1/institutions?town=${HOME_TOWN}&limit=1`)).body.items[0].id;
  const jsOp = await srv.login(`inst-${jingshan}`);
  const fam = await srv.login('family');
  const idA = idFor('2024-11-20', '035'), idB = idFor('2025-01-08', '046');
  const a = await jsOp.post('/api/v1/children', { name: '林小北', birth_date: '2024-11-20', sex: 1, id_number: idA });
  assert.equal(a.status, 201, a.text);
  const b = await fam.post('/api/v1/children', { name: '周小南', birth_date: '2025-01-08', sex: 2, id_number: idB });
  assert.equal(b.status, 201, b.text);
  const kids = [[a.body.id, idA], [b.body.id, idB]];
  const masked = (id) => `${id.slice(0, 6)}********${id.slice(14)}`;
  const leaks = (r) => [idA, idB].filter((id) => r.text.toUpperCase().includes(id));
  const logins = roleLogins(jingshan);

  const readers = [...new Set([...policy['child.read'], ...policy['child.list']])];
  assert.ok(readers.length >= 4, JSON.stringify(readers));
  for (const role of readers) {
    assert.ok(logins[role], `no demo login for role ${role}`);
    const c = await srv.login(logins[role]);
    // its record: the child it may read, masked
    let seen = 0;
    for (const [childId, id] of kids) {
      const r = await c.get(`/api/v1/children/${childId}`);
      assert.ok([200, 404].includes(r.status), `${role} GET child: ${r.status}`);
      assert.deepEqual(leaks(r), [], `${role}: GET /api/v1/children/${childId} shows the full ID number`);
      if (r.status !== 200) continue;
      seen++;
      assert.equal(r.body.id_masked, masked(id), `${role} reads the number masked`);
      const g = await c.get(`/api/v1/children/${childId}/growth`);
      assert.deepEqual(leaks(g), [], `${role}: the growth reply shows the full ID number`);
    }
    assert.ok(seen >= 1, `${role} may read a child: it reads one of the test's children`);
    // every page of its list
    const listed = new Map();
    for (let cursor = null; ;) {
      const r = await c.get(`/api/v1/children?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200);
      assert.deepEqual(leaks(r), [], `${role}: the children list shows the full ID number`);
      for (const it of r.body.items) listed.set(it.id, it);
      if (!(cursor = r.body.next)) break;
    }
    for (const [childId, id] of kids) if (listed.has(childId)) assert.equal(listed.get(childId).id_masked, masked(id), `${role}'s list masks it`);
    assert.ok(kids.some(([childId]) => listed.has(childId)), `${role} lists a child of the test`);
  }

  // nowhere else either: every GET route, for every role and without a session ({id}: the test's
  // children, or the 景山 institution)
  const gets = routes.filter((r) => r.method === 'GET' && (!r.pattern.includes('{id}') || /^\/api\/v1\/(children|institutions|public\/institutions)\/\{id\}/.test(r.pattern)));
  const paths = (pattern) => (pattern.startsWith('/api/v1/children/') ? kids.map(([childId]) => childId) : [jingshan]).map((id) => pattern.replace('{id}', String(id)));
  const everyone = [['anonymous', new Client(srv.url)]];
  for (const role of policy.session) everyone.push([role, await srv.login(logins[role])]);
  for (const [who, c] of everyone) {
    for (const r of gets) {
      for (const path of paths(r.pattern)) assert.deepEqual(leaks(await c.get(path)), [], `${who}: GET ${path} shows a full ID number`);
    }
  }
});
