// incidents.test.mjs — incidents and injuries, and mandatory reports, over HTTP (issue 15 item 4):
// an institution records an injury of a child in its care and tells the guardian through the
// inbox (or records that it did by phone); follow-ups are appended; closing waits for the
// guardian to be told; bad input is refused with a clear error and nothing written; a
// mandatory-report kind (管理规范 Art. 25, 35) goes at once to the town and the district, which
// see it in their own list and acknowledge it by a dated deadline (incident.report.ack_days)
// then record how it was handled; suspected domestic violence is withheld from the family;
// another institution and another town see nothing; every staff read is audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { child, uscc } from '../lib/fixtures.mjs';

// 2026-06-01 10:00 in Beijing
let srv, admin, sec, family, town, otherTown, instructor, auditor, home, homeOp, homeClass;
let inst, op, classA, otherInst, otherOp, otherClass;

async function institution(n, town_code) {
  const r = await admin.post('/api/v1/institutions', {
    name: `事件测试托育园${n}`, uscc: uscc(`91330304MA5${String(n).padStart(6, '0')}`), town_code,
    address: '事件路1号', lon: 120.65, lat: 28.0, operating_model: 'market', ownership: 'private', status: 'filed',
    premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 20, enrolled: 0, caregivers: 3 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  assert.equal(r.status, 201, r.text);
  const u = await sec.post('/api/v1/users', { login: `op-incident-${r.body.id}`, name: '机构管理员', role: 'institution_operator', institution_id: r.body.id, password: srv.password });
  assert.equal(u.status, 201, u.text);
  return { id: r.body.id, classId: r.body.classes[0].id, op: await srv.login(`op-incident-${r.body.id}`) };
}

/** A new child of institution (by its operator c) placed in classId from start. */
async function placed(c, classId, start = '2026-05-01') {
  const id = await child(c, '2024-05-10', { name: '事件宝宝' });
  const p = await c.put(`/api/v1/children/${id}/placement`, { class_id: classId, start_date: start });
  assert.equal(p.status, 201, p.text);
  return id;
}

const injury = (child_id, extra = {}) => ({
  child_id, kind: 'fall', occurred_at: '2026-06-01T09:30:00+08:00', place: '户外活动场', description: '奔跑时跌倒，膝盖擦伤',
  body_part: 'leg', severity: 'minor', first_aid: '清水冲洗、碘伏消毒', ...extra,
});
const inboxOf = async (c, kind) => (await c.get('/api/v1/inbox?limit=500')).body.items.filter((m) => m.kind === kind);

before(async () => {
  srv = await startServer({ now: '2026-06-01T02:00:00Z' });
  admin = await srv.login('district-admin');
  sec = await srv.login('security-admin');
  family = await srv.login('family');
  town = await srv.login('town-330304001');
  otherTown = await srv.login('town-330304002');
  instructor = await srv.login('health-instructor');
  auditor = await srv.login('auditor');
  ({ id: inst, classId: classA, op } = await institution(1, '330304001'));
  ({ id: otherInst, classId: otherClass, op: otherOp } = await institution(2, '330304002'));
  // the demo family's child, placed at its demo institution (景山)
  home = (await family.get('/api/v1/children')).body.items[0];
  homeOp = await srv.login(`inst-${home.institution_id}`);
  homeClass = (await admin.get(`/api/v1/institutions/${home.institution_id}`)).body.classes[0].id;
  assert.equal((await homeOp.put(`/api/v1/children/${home.id}/placement`, { class_id: homeClass, start_date: '2026-05-01' })).status, 201);
});
after(async () => {
  await srv.stop();
  srv.database.cleanup();
});

test('record: an injury of a child in care, the guardian told through the inbox; the family, the institution and its town see it, another institution and town do not', async () => {
  const before = (await inboxOf(family, 'incident.guardian')).length;
  const r = await homeOp.post(`/api/v1/institutions/${home.institution_id}/incidents`, injury(home.id, { notify_guardian: true }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.kind_name, '跌倒、坠落');
  assert.equal(r.body.severity_name, '轻微（局部处理即可）');
  assert.equal(r.body.guardian_channel, 'inbox');
  assert.match(r.body.guardian_notified_at, /^2026-06-01T02:00:/);
  assert.equal(r.body.occurred_at, '2026-06-01T01:30:00Z');
  assert.equal(r.body.mandatory, false);
  assert.equal(r.body.report, null);
  assert.equal(r.body.status, 'open');
  const notes = await inboxOf(family, 'incident.guardian');
  assert.equal(notes.length, before + 1, 'the family is told through its inbox');
  assert.match(notes[0].body, /跌倒、坠落/);
  // the family reads its own child's incident; the institution and its town list it
  assert.equal((await family.get(`/api/v1/incidents/${r.body.id}`)).status, 200);
  assert.ok((await family.get(`/api/v1/children/${home.id}/incidents`)).body.items.some((x) => x.id === r.body.id));
  assert.ok((await homeOp.get(`/api/v1/institutions/${home.institution_id}/incidents`)).body.items.some((x) => x.id === r.body.id));
  assert.ok((await town.get(`/api/v1/institutions/${home.institution_id}/incidents`)).body.items.some((x) => x.id === r.body.id));
  assert.equal((await admin.get(`/api/v1/incidents/${r.body.id}`)).status, 200);
  // another town, another institution: not found; the health instructor and other roles: no rule
  assert.equal((await otherTown.get(`/api/v1/incidents/${r.body.id}`)).status, 404);
  assert.equal((await otherTown.get(`/api/v1/institutions/${home.institution_id}/incidents`)).status, 404);
  assert.equal((await otherOp.get(`/api/v1/incidents/${r.body.id}`)).status, 404);
  assert.equal((await otherOp.get(`/api/v1/children/${home.id}/incidents`)).status, 404);
  assert.equal((await instructor.get(`/api/v1/incidents/${r.body.id}`)).status, 403);
  assert.equal((await town.post(`/api/v1/institutions/${home.institution_id}/incidents`, injury(home.id))).status, 403);
  // the child's name is masked in lists
  assert.match(r.body.child_name, /\*/);
});

test('bad input: a future time, no zone, an unknown kind, a child not in care that day, an injury without severity → clear error, nothing written', async () => {
  const kid = await placed(op, classA, '2026-05-20');
  const otherKid = await placed(otherOp, otherClass);
  const list = async () => (await op.get(`/api/v1/institutions/${inst}/incidents`)).body.items.length;
  const records = async () => (await auditor.get(`/api/v1/audit?action=incident.record&limit=500`)).body.items.length;
  const [n0, a0] = [await list(), await records()];
  const cases = [
    [{ occurred_at: '2026-06-01T10:30:00+08:00' }, 'future_time', 'occurred_at'],
    [{ occurred_at: '2026-06-01T09:30:00' }, 'bad_time', 'occurred_at'],
    [{ kind: 'alien' }, 'bad_kind', 'kind'],
    [{ body_part: 'tail' }, 'bad_body_part', 'body_part'],
    [{ severity: 'awful' }, 'bad_severity', 'severity'],
    [{ severity: 'none' }, 'injury_without_severity', 'severity'],
    [{ body_part: null }, 'severity_without_injury', 'body_part'],
    [{ hospital_note: '区人民医院' }, 'hospital_note_without_visit', 'hospital_note'],
    [{ guardian_notified_at: '2026-06-01T09:00:00+08:00', guardian_channel: 'phone' }, 'bad_notice_time', 'guardian_notified_at'],
    [{ guardian_notified_at: '2026-06-01T09:40:00+08:00', guardian_channel: 'letter' }, 'bad_channel', 'guardian_channel'],
    [{ guardian_notified_at: '2026-06-01T09:40:00+08:00', guardian_channel: 'phone', notify_guardian: true }, 'guardian_twice', 'guardian_notified_at'],
    [{ notify_guardian: true }, 'no_family_account', 'notify_guardian'],
    [{ police_reported_at: '2026-06-01T09:40:00+08:00' }, 'police_not_applicable', 'police_reported_at'],
    [{ occurred_at: '2026-05-19T09:30:00+08:00' }, 'not_in_care', 'child_id'],       // before the placement
    [{ child_id: otherKid }, 'not_in_care', 'child_id'],                             // another institution's child
    [{ child_id: 999999999 }, 'not_in_care', 'child_id'],
    [{ kind: 'suspected_domestic_violence', notify_guardian: true }, 'guardian_notice_withheld', 'notify_guardian'],
  ];
  for (const [extra, code, field] of cases) {
    const r = await op.post(`/api/v1/institutions/${inst}/incidents`, injury(kid, extra));
    assert.equal(r.status, 422, `${code}: ${r.text}`);
    assert.equal(r.body.error.code, code, JSON.stringify(extra));
    assert.equal(r.body.error.field, field, code);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/, 'a Chinese message');
  }
  // a member the schema refuses
  assert.equal((await op.post(`/api/v1/institutions/${inst}/incidents`, injury(kid, { place: '' }))).status, 422);
  assert.equal(await list(), n0, 'nothing written');
  assert.equal(await records(), a0, 'no audit row');
  // another institution's operator cannot record at this one
  assert.equal((await otherOp.post(`/api/v1/institutions/${inst}/incidents`, injury(kid))).status, 404);
});

test('follow-ups appended, told by phone, closed only once the guardian was told; nothing after closing', async () => {
  const kid = await placed(op, classA);
  const r = await op.post(`/api/v1/institutions/${inst}/incidents`, injury(kid, { kind: 'bite', body_part: 'arm', hospital: true, hospital_note: '区人民医院，无需缝合' }));
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  assert.equal((await op.post(`/api/v1/incidents/${id}/follow-ups`, { note: '次日复查，伤口愈合良好' })).status, 201);
  assert.equal((await op.post(`/api/v1/incidents/${id}/follow-ups`, { note: '与咬人幼儿家长沟通' })).status, 201);
  const closing = await op.post(`/api/v1/incidents/${id}/close`, { note: '已处理' });
  assert.equal(closing.status, 422, closing.text);
  assert.equal(closing.body.error.code, 'guardian_not_notified');
  assert.equal((await op.post(`/api/v1/incidents/${id}/notify-guardian`, { channel: 'inbox' })).body.error.code, 'no_family_account');
  assert.equal((await op.post(`/api/v1/incidents/${id}/notify-guardian`, { channel: 'phone' })).body.error.code, 'bad_notice_time');
  assert.equal((await op.post(`/api/v1/incidents/${id}/notify-guardian`, { channel: 'phone', notified_at: '2026-06-01T11:00:00+08:00' })).body.error.code, 'bad_notice_time');
  const told = await op.post(`/api/v1/incidents/${id}/notify-guardian`, { channel: 'phone', notified_at: '2026-06-01T09:45:00+08:00' });
  assert.equal(told.status, 200, told.text);
  assert.equal(told.body.guardian_notified_at, '2026-06-01T01:45:00Z');
  assert.equal((await op.post(`/api/v1/incidents/${id}/notify-guardian`, { channel: 'in_person', notified_at: '2026-06-01T09:50:00+08:00' })).body.error.code, 'already_notified');
  assert.equal((await op.post(`/api/v1/incidents/${id}/close`, { note: '伤口愈合，家长无异议' })).status, 200);
  assert.equal((await op.post(`/api/v1/incidents/${id}/close`, { note: '再次' })).body.error.code, 'incident_closed');
  assert.equal((await op.post(`/api/v1/incidents/${id}/follow-ups`, { note: '补记' })).body.error.code, 'incident_closed');
  const got = (await op.get(`/api/v1/incidents/${id}`)).body;
  assert.deepEqual(got.follow_ups.map((f) => f.note), ['次日复查，伤口愈合良好', '与咬人幼儿家长沟通']);
  assert.equal(got.status, 'closed');
  assert.equal(got.guardian_channel_name, '电话');
  assert.equal(got.hospital, true);
  // another institution's operator cannot add to it; a family sees only its own child's
  assert.equal((await otherOp.post(`/api/v1/incidents/${id}/follow-ups`, { note: 'x' })).status, 404);
  assert.equal((await family.get(`/api/v1/incidents/${id}`)).status, 404);
  assert.equal((await family.get(`/api/v1/children/${kid}/incidents`)).status, 404);
});

test('mandatory report: suspected abuse goes at once to the town and the district, acknowledged by the deadline then handled; another town and institution see nothing', async () => {
  const kid = await placed(op, classA);
  const townBefore = (await inboxOf(town, 'incident.report')).length;
  const otherBefore = (await inboxOf(otherTown, 'incident.report')).length;
  const r = await op.post(`/api/v1/institutions/${inst}/incidents`, injury(kid, { kind: 'suspected_abuse', body_part: 'back', severity: 'moderate', description: '背部多处条状淤青' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.mandatory, true);
  assert.equal(r.body.report.state, 'reported');
  assert.equal(r.body.report.due_on, '2026-06-02', 'incident.report.ack_days = 1 calendar day');
  const reportId = r.body.report.id;
  // told at once: the town's officer and the district administrator, not another town
  const told = await inboxOf(town, 'incident.report');
  assert.equal(told.length, townBefore + 1);
  assert.match(told[0].body, /第三十五条/);
  assert.doesNotMatch(told[0].body, /事件宝宝/, 'the child is masked');
  assert.ok((await inboxOf(admin, 'incident.report')).some((m) => m.subject.includes('事件测试托育园1')));
  assert.equal((await inboxOf(otherTown, 'incident.report')).length, otherBefore);
  // in their own lists: the town, the district, the institution; not another town or institution
  const ids = async (c) => (await c.get('/api/v1/incident-reports')).body.items.map((x) => x.report.id);
  assert.ok((await ids(town)).includes(reportId));
  assert.ok((await ids(admin)).includes(reportId));
  assert.ok((await ids(op)).includes(reportId));
  assert.ok(!(await ids(otherTown)).includes(reportId));
  assert.ok(!(await ids(otherOp)).includes(reportId));
  assert.equal((await family.get('/api/v1/incident-reports')).status, 403);
  assert.equal((await otherTown.get(`/api/v1/incidents/${r.body.id}`)).status, 404);
  // acknowledge: not by the institution (no rule), not by another town (not found); once
  assert.equal((await op.post(`/api/v1/incident-reports/${reportId}/acknowledge`, {})).status, 403);
  assert.equal((await otherTown.post(`/api/v1/incident-reports/${reportId}/acknowledge`, {})).status, 404);
  assert.equal((await town.post(`/api/v1/incident-reports/${reportId}/handle`, { outcome: '先处理' })).body.error.code, 'event_not_allowed');
  const ack = await town.post(`/api/v1/incident-reports/${reportId}/acknowledge`, {});
  assert.equal(ack.status, 200, ack.text);
  assert.equal(ack.body.state, 'acknowledged');
  const again = await admin.post(`/api/v1/incident-reports/${reportId}/acknowledge`, {});
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'event_not_allowed');
  assert.equal((await town.post(`/api/v1/incident-reports/${reportId}/handle`, {})).status, 422);
  const done = await town.post(`/api/v1/incident-reports/${reportId}/handle`, { outcome: '已会同公安核查，移送处理' });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.body.state, 'handled');
  // handled reports leave the open list, stay in the handled one
  assert.ok(!(await ids(town)).includes(reportId));
  assert.ok((await town.get('/api/v1/incident-reports?state=handled')).body.items.some((x) => x.report.id === reportId && x.report.outcome === '已会同公安核查，移送处理'));
  assert.equal((await town.get('/api/v1/incident-reports?state=lost')).body.error.code, 'bad_state');
  // the report's events are audited
  const log = (await auditor.get(`/api/v1/audit?target_type=incident_report&target_id=${reportId}`)).body.items.map((x) => x.action).sort();
  assert.deepEqual(log.filter((a) => a !== 'report.read'), ['report.acknowledge', 'report.handle']);
});

test('suspected domestic violence: reported to the regulators, withheld from the family (never told through the platform)', async () => {
  const familyBefore = (await family.get('/api/v1/inbox?limit=500')).body.items.length;
  const r = await homeOp.post(`/api/v1/institutions/${home.institution_id}/incidents`, injury(home.id, {
    kind: 'suspected_domestic_violence', description: '幼儿称在家被打，手臂有淤青', body_part: 'arm', severity: 'minor',
    police_reported_at: '2026-06-01T09:50:00+08:00', police_note: '景山派出所',
  }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.family_visible, false);
  assert.match(r.body.police_reported_at, /^2026-06-01T01:50/);
  assert.equal((await family.get(`/api/v1/incidents/${r.body.id}`)).status, 404);
  assert.ok(!(await family.get(`/api/v1/children/${home.id}/incidents`)).body.items.some((x) => x.id === r.body.id));
  assert.equal((await family.get('/api/v1/inbox?limit=500')).body.items.length, familyBefore, 'nothing to the family');
  assert.equal((await homeOp.post(`/api/v1/incidents/${r.body.id}/notify-guardian`, { channel: 'inbox' })).body.error.code, 'guardian_notice_withheld');
  // the institution, the town and the district see it and its report
  assert.ok((await homeOp.get(`/api/v1/children/${home.id}/incidents`)).body.items.some((x) => x.id === r.body.id));
  assert.equal((await town.get(`/api/v1/incidents/${r.body.id}`)).body.report.state, 'reported');
  assert.ok((await town.get('/api/v1/incident-reports')).body.items.some((x) => x.id === r.body.id));
  // closed without telling the guardian through the platform
  assert.equal((await homeOp.post(`/api/v1/incidents/${r.body.id}/close`, { note: '移交公安和镇街' })).status, 200);
});

test('the family never sees the report handling; every staff read is audited, the family\'s own is not', async () => {
  const r = await homeOp.post(`/api/v1/institutions/${home.institution_id}/incidents`, injury(home.id, {
    kind: 'suspected_abuse', description: '疑似被推搡', guardian_notified_at: '2026-06-01T09:40:00+08:00', guardian_channel: 'in_person',
    police_reported_at: '2026-06-01T09:45:00+08:00', police_note: '景山派出所，回执 123',
  }));
  assert.equal(r.status, 201, r.text);
  const seen = await family.get(`/api/v1/incidents/${r.body.id}`);
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.body.mandatory, true);
  assert.equal(seen.body.report, null, 'no report internals for the family');
  assert.equal(seen.body.police_reported_at, null);
  assert.equal(seen.body.police_note, null);
  const inList = (await family.get(`/api/v1/children/${home.id}/incidents`)).body.items.find((x) => x.id === r.body.id);
  assert.equal(inList.report, null);
  assert.equal(inList.police_note, null);
  const staff = (await town.get(`/api/v1/incidents/${r.body.id}`)).body;
  assert.equal(staff.report.state, 'reported');
  assert.equal(staff.police_note, '景山派出所，回执 123');
  assert.ok((await homeOp.get(`/api/v1/children/${home.id}/incidents`)).body.items.find((x) => x.id === r.body.id).report);
  await homeOp.get(`/api/v1/incidents/${r.body.id}`);
  const log = await auditor.get(`/api/v1/audit?action=incident.read&target_id=${r.body.id}`);
  assert.equal(log.status, 200, log.text);
  assert.deepEqual([...new Set(log.body.items.map((x) => x.login))].sort(), [`inst-${home.institution_id}`, 'town-330304001'].sort());
  // lists too
  const lists = await auditor.get('/api/v1/audit?action=incident.list&limit=500');
  assert.ok(lists.body.items.length > 0);
});

test('labels: kinds with their basis, body parts, severities', async () => {
  const labels = (await admin.get('/api/v1/public/labels')).body.incidents;
  const dv = labels.kinds.find((k) => k.code === 'suspected_domestic_violence');
  assert.equal(dv.mandatory, true);
  assert.equal(dv.family_visible, false);
  assert.match(dv.basis, /第二十五条/);
  assert.ok(labels.body_parts.length >= 10);
  assert.deepEqual(labels.severities.map((s) => s.code), ['none', 'minor', 'moderate', 'severe']);
  const param = (await admin.get('/api/v1/params')).body.items.find((p) => p.key === 'incident.report.ack_days');
  assert.ok(param, 'the acknowledgement deadline is a dated parameter');
  assert.match(param.basis, /第二十五条/);
});

// last: the server restarts two days later on the same database
test('deadline: a report not acknowledged by its day (incident.report.ack_days) is overdue and its town and the district are told; an acknowledged one is not', async () => {
  const kid = await placed(op, classA);
  const record = async () => (await op.post(`/api/v1/institutions/${inst}/incidents`, injury(kid, { kind: 'suspected_abuse', description: '疑似体罚' }))).body.report.id;
  const late = await record(), acked = await record();
  assert.equal((await town.post(`/api/v1/incident-reports/${acked}/acknowledge`, {})).status, 200);
  const overdue = async (c) => (await inboxOf(c, 'incident.report.overdue')).map((m) => m.ref_id);
  assert.deepEqual(await overdue(town), [], 'not yet due');
  await srv.stop({ keepDatabase: true });
  srv = await startServer({ database: srv.database, now: '2026-06-03T02:00:00Z' });
  const town2 = await srv.login('town-330304001'), admin2 = await srv.login('district-admin');
  const items = (await town2.get('/api/v1/incident-reports')).body.items;
  assert.equal(items.find((x) => x.report.id === late).report.overdue, true);
  assert.equal(items[0].report.overdue, true, 'the overdue first');
  assert.equal(items.find((x) => x.report.id === acked).report.overdue, false);
  for (const c of [town2, admin2]) {
    const ids = await overdue(c);
    assert.ok(ids.includes(late), 'the overdue notice is due');
    assert.ok(!ids.includes(acked), 'withdrawn when acknowledged');
  }
  assert.ok(!(await overdue(await srv.login('town-330304002'))).includes(late));
});
