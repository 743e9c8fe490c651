// training.test.mjs — training (一网办, issue 14 item 3) over HTTP: a town publishes courses and
// sessions for its own institutions (the district for all), operators enrol their own staff,
// two operators racing for the last place get one 201 and one 409, the publisher records
// attendance, hours per person per year against the minimum, the pre-job training finding
// appears and goes, completion by institution, the printable certificate; bad input answered on
// its field with nothing written; every write audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { residentId, uscc } from '../lib/fixtures.mjs';

const TOWN = '330304003';
const TODAY = '2026-06-01';
let srv, admin, sec, town, otherTown, instA, instB, opA, opB, staffA, staffB, otherOp, otherStaff;

async function institution(name, n, townCode = TOWN) {
  const r = await admin.post('/api/v1/institutions', {
    name, uscc: uscc(`91330304MA4${String(n).padStart(6, '0')}`), town_code: townCode,
    address: '培训路1号', lon: 120.64, lat: 27.97, operating_model: 'market', ownership: 'private', status: 'filed',
    premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 20, enrolled: 10, caregivers: 2 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  assert.equal(r.status, 201, r.text);
  const u = await sec.post('/api/v1/users', { login: `op-train-${r.body.id}`, name: '机构管理员', role: 'institution_operator', institution_id: r.body.id, password: srv.password });
  assert.equal(u.status, 201, u.text);
  return { id: r.body.id, op: await srv.login(`op-train-${r.body.id}`) };
}

async function person(op, inst, seq, name = '林晓燕') {
  const r = await op.post(`/api/v1/institutions/${inst}/staff`, {
    name, id_number: residentId('1993-02-11', seq), role: 'caregiver', employment: 'part_time', start_date: '2025-09-01',
    health_cert_date: '2026-03-01', no_crime_cert_date: '2025-08-20',
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

before(async () => {
  srv = await startServer({ now: `${TODAY}T02:00:00Z` });
  admin = await srv.login('district-admin');
  sec = await srv.login('security-admin');
  town = await srv.login(`town-${TOWN}`);
  otherTown = await srv.login('town-330304001');
  ({ id: instA, op: opA } = await institution('培训测试托育园', 1));
  ({ id: instB, op: opB } = await institution('培训测试第二园', 2));
  const other = await institution('别镇培训测试园', 3, '330304001');
  otherOp = other.op;
  staffA = await person(opA, instA, '024');
  staffB = await person(opB, instB, '026');
  otherStaff = await person(otherOp, other.id, '028');
});
after(async () => { await srv.stop(); });

const course = (extra = {}) => ({ kind: 'prejob', title: '托育从业人员岗前培训', provider: '瓯海区婴幼儿照护服务指导中心', description: '照护、安全、急救', ...extra });
const session = (extra = {}) => ({ day: TODAY, start_time: '09:00', end_time: '12:00', place: '区妇幼保健中心三楼', places: 30, hours: 4, ...extra });
const catalogue = async (c) => (await c.get('/api/v1/training/courses')).body.items;

test('a town publishes a course with sessions for its own institutions; bad input on its field, nothing written', async () => {
  const before = (await catalogue(admin)).length;
  for (const [body, code, field] of [
    [course({ kind: 'cooking' }), 'bad_kind', 'kind'],
    [course({ title: '  ' }), 'required', 'title'],
    [course({ town_code: '330304999' }), 'bad_town', 'town_code'],
  ]) {
    const r = await admin.post('/api/v1/training/courses', body);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.code, code);
    assert.equal(r.body.error.field, field);
  }
  assert.equal((await catalogue(admin)).length, before, 'nothing written');
  const c = await town.post('/api/v1/training/courses', course());
  assert.equal(c.status, 201, c.text);
  assert.equal(c.body.town_code, TOWN, 'a town officer publishes for their town');
  assert.equal(c.body.kind_name, '岗前培训');
  // another town's officer publishing for this town is outside their jurisdiction
  assert.equal((await otherTown.post('/api/v1/training/courses', course({ town_code: TOWN }))).status, 404);
  for (const [body, code, field] of [
    [session({ day: '2026-05-31' }), 'session_in_past', 'day'],
    [session({ end_time: '08:00' }), 'end_before_start', 'end_time'],
    [session({ start_time: '9点' }), 'bad_time', 'start_time'],
    [session({ places: 0 }), 'out_of_range', 'places'],
  ]) {
    const r = await town.post(`/api/v1/training/courses/${c.body.id}/sessions`, body);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.code, code);
    assert.equal(r.body.error.field, field);
  }
  const s = await town.post(`/api/v1/training/courses/${c.body.id}/sessions`, session());
  assert.equal(s.status, 201, s.text);
  assert.deepEqual([s.body.places, s.body.taken, s.body.free, s.body.hours], [30, 0, 30, 4]);
  assert.equal((await otherTown.post(`/api/v1/training/courses/${c.body.id}/sessions`, session())).status, 404);
  // a district course: the district adds its sessions, no town officer does
  const d = await admin.post('/api/v1/training/courses', course({ kind: 'first_aid', title: '婴幼儿急救', provider: '温州市急救中心' }));
  assert.equal(d.status, 201, d.text);
  assert.equal(d.body.town_code, null);
  assert.equal((await town.post(`/api/v1/training/courses/${d.body.id}/sessions`, session())).status, 404);
  // the catalogue: this town's operators see the town's course and the district's; another town's do not see it
  const mine = await catalogue(opA);
  assert.ok(mine.some((x) => x.id === c.body.id && x.sessions.some((y) => y.id === s.body.id)));
  assert.ok(mine.some((x) => x.id === d.body.id));
  const theirs = await catalogue(otherOp);
  assert.ok(!theirs.some((x) => x.id === c.body.id));
  assert.ok(theirs.some((x) => x.id === d.body.id));
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?limit=50')).body.items;
  assert.ok(log.some((x) => x.action === 'training.course_create' && x.target_id === String(c.body.id)));
  assert.ok(log.some((x) => x.action === 'training.session_create' && x.target_id === String(s.body.id)));
});

test('operators enrol their own staff; the last place goes to one of two racing operators', async () => {
  const c = await town.post('/api/v1/training/courses', course({ kind: 'periodic', title: '定期培训' }));
  const s = (await town.post(`/api/v1/training/courses/${c.body.id}/sessions`, session({ places: 1 }))).body;
  // bad input: another institution's person, no such person, another town's operator
  let r = await opA.post(`/api/v1/training/sessions/${s.id}/enrolments`, { staff_id: staffB });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.field, 'staff_id');
  r = await opA.post(`/api/v1/training/sessions/${s.id}/enrolments`, { staff_id: 999999 });
  assert.equal(r.status, 422, r.text);
  assert.equal((await otherOp.post(`/api/v1/training/sessions/${s.id}/enrolments`, { staff_id: otherStaff })).status, 404);
  assert.equal((await town.post(`/api/v1/training/sessions/${s.id}/enrolments`, { staff_id: staffA })).status, 403);
  const [a, b] = await Promise.all([
    opA.post(`/api/v1/training/sessions/${s.id}/enrolments`, { staff_id: staffA }),
    opB.post(`/api/v1/training/sessions/${s.id}/enrolments`, { staff_id: staffB }),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [201, 409], `${a.text} ${b.text}`);
  assert.equal([a, b].find((x) => x.status === 409).body.error.code, 'session_full');
  const roster = await town.get(`/api/v1/training/sessions/${s.id}/enrolments`);
  assert.equal(roster.status, 200, roster.text);
  assert.equal(roster.body.taken, 1);
  assert.equal(roster.body.items.length, 1);
  assert.equal(roster.body.items[0].name, '林*燕', 'the publisher sees names masked');
  // enrolling the same person twice
  const s2 = (await town.post(`/api/v1/training/courses/${c.body.id}/sessions`, session({ places: 5 }))).body;
  assert.equal((await opA.post(`/api/v1/training/sessions/${s2.id}/enrolments`, { staff_id: staffA })).status, 201);
  r = await opA.post(`/api/v1/training/sessions/${s2.id}/enrolments`, { staff_id: staffA });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'already_enrolled');
  assert.equal((await town.get(`/api/v1/training/sessions/${s2.id}/enrolments`)).body.taken, 1, 'the refused enrolment took no place');
});

test('attendance by the publisher gives hours; the pre-job finding goes; the certificate names the person', async () => {
  const hasPrejobFinding = async () => (await admin.get(`/api/v1/institutions/${instA}/findings`)).body.items
    .some((f) => f.rule === 'prejob_training_missing' && f.staff_id === staffA);
  assert.ok(await hasPrejobFinding(), 'a caregiver without 岗前培训 is a finding');
  const c = await town.post('/api/v1/training/courses', course({ title: '岗前培训 <第一期>' }));
  const s = (await town.post(`/api/v1/training/courses/${c.body.id}/sessions`, session({ hours: 8 }))).body;
  const later = (await town.post(`/api/v1/training/courses/${c.body.id}/sessions`, session({ day: '2026-06-10', hours: 8 }))).body;
  const en = (await opA.post(`/api/v1/training/sessions/${s.id}/enrolments`, { staff_id: staffA })).body;
  const enLater = (await opA.post(`/api/v1/training/sessions/${later.id}/enrolments`, { staff_id: staffA })).body;
  // not yet attended: no certificate; a session not yet held takes no attendance; operators do not mark
  let r = await opA.get(`/api/v1/training/enrolments/${en.id}/certificate`);
  assert.equal(r.status, 409);
  r = await town.put(`/api/v1/training/enrolments/${enLater.id}/attendance`, { attended: true });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'session_not_held');
  assert.equal((await opA.put(`/api/v1/training/enrolments/${en.id}/attendance`, { attended: true })).status, 403);
  assert.equal((await otherTown.put(`/api/v1/training/enrolments/${en.id}/attendance`, { attended: true })).status, 404);
  r = await town.put(`/api/v1/training/enrolments/${en.id}/attendance`, { attended: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.hours, 8);
  // hours this year against the minimum (a parameter, UNCERTAIN)
  const h = await opA.get(`/api/v1/institutions/${instA}/training`);
  assert.equal(h.status, 200, h.text);
  assert.equal(h.body.year, '2026');
  assert.equal(h.body.hours_min, 12);
  assert.match(h.body.hours_min_basis, /暂定/);
  const me = h.body.people.find((p) => p.staff_id === staffA);
  assert.equal(me.hours, 8);
  assert.equal(me.hours_met, false);
  assert.equal(me.prejob_date, TODAY);
  assert.ok(h.body.enrolments.some((x) => x.id === en.id && x.status === 'attended'));
  assert.equal((await opA.get(`/api/v1/institutions/${instA}/training?year=2025`)).body.people.find((p) => p.staff_id === staffA).hours, 0);
  assert.equal((await opA.get(`/api/v1/institutions/${instA}/training?year=20x6`)).status, 400);
  assert.equal((await otherOp.get(`/api/v1/institutions/${instA}/training`)).status, 404);
  assert.ok(!(await hasPrejobFinding()), 'attended 岗前培训: the finding is gone');
  // completion by institution, for the town and the district
  const comp = await town.get('/api/v1/training/completion');
  assert.equal(comp.status, 200, comp.text);
  const row = comp.body.items.find((x) => x.institution_id === instA);
  assert.deepEqual([row.on_duty, row.hours, row.prejob_missing], [1, 8, 0]);
  assert.ok(comp.body.items.every((x) => x.town_code === TOWN));
  assert.ok((await admin.get('/api/v1/training/completion')).body.items.some((x) => x.institution_id === instA));
  assert.equal((await opA.get('/api/v1/training/completion')).status, 403);
  // the certificate: a printable page naming the person in full, text escaped; the read audited
  const cert = await opA.get(`/api/v1/training/enrolments/${en.id}/certificate`);
  assert.equal(cert.status, 200, cert.text);
  assert.match(cert.headers.get('content-type'), /^text\/html/);
  assert.match(cert.headers.get('content-disposition'), /^attachment; filename="training-certificate-\d+\.html"/);
  const html = cert.text;
  assert.ok(html.includes('林晓燕') && html.includes('8 学时') && html.includes('培训测试托育园'), html);
  assert.ok(html.includes('岗前培训 &lt;第一期&gt;') && !html.includes('<第一期>'), 'course titles are escaped');
  assert.equal((await otherOp.get(`/api/v1/training/enrolments/${en.id}/certificate`)).status, 404);
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?limit=50')).body.items;
  assert.ok(log.some((x) => x.action === 'training.enrol' && x.target_id === String(en.id)));
  assert.ok(log.some((x) => x.action === 'training.attendance' && x.target_id === String(en.id)));
  assert.ok(log.some((x) => x.action === 'training.certificate' && x.target_id === String(en.id)));
});
