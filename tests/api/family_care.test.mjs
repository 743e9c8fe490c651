// family_care.test.mjs — the family's view of its own child in care (issue 15 items 10 and 11,
// family part): the demo family's child attending a demo institution, as the family reads it —
// placement, a month of attendance with who brought and collected the child (the pick-up
// persons' full names: nothing of its own child masked), the 晨午检 with a fever sent home, the
// notice of that check in the family's inbox (posted by the demo through the check route's own
// function, and by the route itself for a later check), entry checks, the health-check schedule,
// incidents and growth; another family, the town and the health instructor get no more than
// their roles allow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

let srv, family, other, instructor, town, kid, care;
const READS = ['care', 'health-checks', 'entry-checks', 'checkups', 'incidents', 'growth'];

before(async () => {
  srv = await startServer();
  family = await srv.login('family');
  instructor = await srv.login('health-instructor');
  town = await srv.login('town-330304001');
  const sec = await srv.login('security-admin');
  const u = await sec.post('/api/v1/users', { login: 'family-care-other', name: '另一位家长', role: 'family', password: srv.password });
  assert.equal(u.status, 201, u.text);
  other = await srv.login('family-care-other');
  // the family's child in care is the one with a placement (the demo's first child is admitted only)
  for (const c of (await family.get('/api/v1/children')).body.items) {
    const r = await family.get(`/api/v1/children/${c.id}/care`);
    assert.equal(r.status, 200, r.text);
    if (r.body.placement) [kid, care] = [c, r.body];
  }
  assert.ok(kid, 'the demo family has a child in care');
});
after(async () => { await srv.stop(); });

test('the family reads its child\'s placement and a month of attendance with who brought and collected it, by full name', async () => {
  assert.equal(care.placement.institution_id, kid.institution_id);
  assert.ok(care.placement.class_name && care.placement.start_date < (await family.get('/api/v1/public/labels')).body.as_of);
  assert.ok(care.pickups.length >= 1);
  for (const p of care.pickups) assert.ok(!p.name.includes('*'), `the family sees its pick-up person's full name: ${p.name}`);
  const present = care.attendance.filter((a) => a.status === 'present');
  assert.ok(care.attendance.length >= 15 && present.length >= 10, JSON.stringify(care.attendance));
  const ids = new Set(care.pickups.map((p) => p.id));
  for (const a of present) assert.ok(ids.has(a.brought_by) && a.check_in, JSON.stringify(a));
  assert.ok(present.some((a) => ids.has(a.collected_by) && a.check_out), 'collected by a pick-up person');
  for (const a of care.attendance.filter((x) => x.status === 'absent')) assert.ok(a.absence_cause, JSON.stringify(a));
  // the institution hands the child over by name too; the health instructor reads them masked
  const op = await srv.login(`inst-${kid.institution_id}`);
  assert.deepEqual((await op.get(`/api/v1/children/${kid.id}/care`)).body.pickups, care.pickups);
  const masked = (await instructor.get(`/api/v1/children/${kid.id}/care`)).body.pickups;
  assert.ok(masked.length === care.pickups.length && masked.every((p) => p.name.includes('*')), JSON.stringify(masked));
});

test('the family reads the morning checks, the fever sent home, and its notice in the inbox', async () => {
  const checks = (await family.get(`/api/v1/children/${kid.id}/health-checks`)).body.items;
  assert.ok(checks.length >= 10, 'a month of 晨检');
  const fever = checks.filter((c) => c.symptoms.includes('fever'));
  assert.equal(fever.length, 1, JSON.stringify(checks));
  assert.ok(fever[0].temperature_c >= 38 && fever[0].action === 'send_home' && fever[0].guardian_told, JSON.stringify(fever[0]));
  const inbox = (await family.get('/api/v1/inbox?limit=500')).body.items;
  const notice = inbox.find((m) => m.ref_type === 'care_health_check' && m.ref_id === fever[0].id);
  assert.ok(notice, JSON.stringify(inbox));
  assert.equal(notice.kind, 'care.health_check');
  assert.ok(notice.subject.includes(kid.name) && notice.body.includes(kid.name), 'the child by its full name');
  assert.match(notice.body, new RegExp(`${fever[0].date} .*体温 ${fever[0].temperature_c.toFixed(1)} ℃；症状：发热。处理：通知家长接回。`));
  assert.ok(!(await other.get('/api/v1/inbox?limit=500')).body.items.some((m) => m.ref_type === 'care_health_check'));
  // a later check the institution records through the route reaches the family the same way
  const op = await srv.login(`inst-${kid.institution_id}`);
  const noon = await op.post(`/api/v1/children/${kid.id}/health-checks`, { date: fever[0].date, slot: 'noon', temperature_c: 37.2, symptoms: ['cough'], action: 'notify_guardian', note: '多喝水' });
  assert.equal(noon.status, 201, noon.text);
  const told = (await family.get('/api/v1/inbox?limit=500')).body.items.find((m) => m.ref_type === 'care_health_check' && m.ref_id === noon.body.id);
  assert.ok(told, 'the route\'s notice');
  assert.equal(told.subject, `午检：${kid.name}有异常`);
  assert.equal(told.body, `${fever[0].date} ${kid.name}午检：体温 37.2 ℃；症状：咳嗽。处理：告知家长。多喝水`);
});

test('the family reads its child\'s entry checks, health-check schedule, incidents and growth series', async () => {
  const entry = (await family.get(`/api/v1/children/${kid.id}/entry-checks`)).body.items;
  assert.deepEqual(entry.map((x) => x.result), ['pass', 'pass']);
  const schedule = await family.get(`/api/v1/children/${kid.id}/checkups`);
  assert.equal(schedule.status, 200, schedule.text);
  assert.equal(schedule.body.care_from, care.placement.start_date);
  const incidents = await family.get(`/api/v1/children/${kid.id}/incidents`);
  assert.equal(incidents.status, 200, incidents.text);
  assert.ok(Array.isArray(incidents.body.items));
  const growth = (await family.get(`/api/v1/children/${kid.id}/growth`)).body;
  assert.ok(growth.measurements.length >= 3, 'a measurement series');
  assert.ok(growth.measurements.every((m) => Number.isFinite(m.zscores.wfa.z)), JSON.stringify(growth.measurements[0]));
});

test('another family is refused the child (404, its existence not revealed); the town may not read its care or health data (403)', async () => {
  for (const read of READS) {
    const r = await other.get(`/api/v1/children/${kid.id}/${read}`);
    assert.equal(r.status, 404, `${read}: ${r.text}`);
  }
  assert.equal((await other.get(`/api/v1/children/${kid.id}`)).status, 404);
  assert.equal((await other.get('/api/v1/children')).body.items.length, 0);
  for (const read of ['care', 'health-checks', 'entry-checks', 'checkups']) {
    const r = await town.get(`/api/v1/children/${kid.id}/${read}`);
    assert.equal(r.status, 403, `${read}: ${r.text}`);
  }
});
