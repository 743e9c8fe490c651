// routes.mjs — what the tests generated from the route table share: the table itself (`tuoyu
// routes`: every route with its action, sub-actions, body and reply schemas, and the policy), a
// login for every role, a record for every path parameter (built through the API on a fresh demo
// server), a role allowed to call a route, a probe for every sub-action, and minimal valid
// request bodies made from a route's JSON Schema.
import assert from 'node:assert/strict';
import { child, consent, pdfBytes, residentId, uploadMaterial, uploadTo } from './fixtures.mjs';
import { tuoyu, Client } from './server.mjs';
import { readSheet } from './xlsx.mjs';

export const HOME_TOWN = '330304001';   // 景山街道: the town officer's town, the operator's and instructor's institutions
export const OTHER_TOWN = '330304002';  // 梧田街道: outside all three
// role → demo login (the institution operator's is set by buildFixtures)
export const LOGINS = {
  district_admin: 'district-admin', dept_reviewer: 'dept-reviewer', town_officer: `town-${HOME_TOWN}`,
  institution_operator: null, health_instructor: 'health-instructor', station_operator: 'station-operator',
  family: 'family', evaluator: 'evaluator', auditor: 'auditor', security_admin: 'security-admin',
  supervision_centre: 'supervision-centre', province_admin: 'province-admin', city_admin: 'city-admin',
};

/** The route table and policy as `tuoyu routes` prints them. */
export function routeTable() {
  const r = tuoyu(['routes']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const day = (d) => d.toISOString().slice(0, 10);

/** Records inside and outside the home town, one for every kind of {id}, made on srv. */
export async function buildFixtures(srv) {
  const fx = {};
  const admin = await srv.login('district-admin');
  fx.admin = admin;
  const anon = new Client(srv.url);
  fx.homeId = (await admin.get(`/api/v1/institutions?town=${HOME_TOWN}&limit=1`)).body.items[0].id;
  fx.otherId = (await admin.get(`/api/v1/institutions?town=${OTHER_TOWN}&limit=1`)).body.items[0].id;
  // idle state premises of the demo: one in the home town, one in the other
  fx.premisesId = (await admin.get(`/api/v1/premises?town=${HOME_TOWN}&limit=1`)).body.items[0].id;
  fx.otherPremisesId = (await admin.get(`/api/v1/premises?town=${OTHER_TOWN}&limit=1`)).body.items[0].id;
  // growth stations: the station operator's own (in the home town), and one of the other town
  fx.stationId = (await (await srv.login(LOGINS.station_operator)).get('/api/v1/stations')).body.items[0].id;
  fx.otherStationId = (await admin.get('/api/v1/stations?limit=500')).body.items.find((x) => x.town_code === OTHER_TOWN).id;
  LOGINS.institution_operator = `inst-${fx.homeId}`;
  const sec = await srv.login('security-admin');
  fx.someUserId = (await sec.get('/api/v1/users')).body.items[0].id;
  // the demo family's child attends the home institution; another child attends one elsewhere
  const family = await srv.login('family');
  fx.homeChild = (await family.get('/api/v1/children')).body.items[0];
  fx.familyName = family.user.name;
  assert.equal(fx.homeChild.institution_id, fx.homeId, 'the demo family child attends the first 景山 institution');
  for (let cursor = null; !fx.otherChild;) {
    const r = await admin.get(`/api/v1/children?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    fx.otherChild = r.body.items.find((k) => k.institution_id === fx.otherId);
    if (!(cursor = r.body.next)) break;
  }
  // two bookings of the family's: new children of 30 months, 托大班 places next month
  const now = new Date();
  const birthAt = (months) => day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1 - months, 10)));
  const next = day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))).slice(0, 7);
  const later = day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1))).slice(0, 7);
  const frees = (await anon.get('/api/v1/public/vacancies?class_type=toddler_old&limit=500')).body.items;
  fx.bookingIds = [];
  for (let i = 0; i < 2; i++) {
    const kid = await child(family, birthAt(31), { name: `矩阵测试${i}`, sex: 2 });
    const b = await family.post('/api/v1/bookings', { child_id: kid, institution_id: frees[i].institution_id, class_type: 'toddler_old', start_month: next });
    assert.equal(b.status, 201, b.text);
    fx.bookingIds.push(b.body.id);
  }
  fx.bookingId = fx.bookingIds[0];
  // and one at the home institution, which then sees the family's contact (family.contact)
  const homeFree = (await anon.get(`/api/v1/public/vacancies?limit=500`)).body.items.find((v) => v.institution_id === fx.homeId && v.free_places > 0);
  assert.ok(homeFree, 'the home institution has a free place');
  const homeAge = { infant: 8, toddler_young: 18, toddler_old: 30, mixed: 30 }[homeFree.class_type];
  const homeKid = await child(family, birthAt(homeAge), { name: '矩阵本机构', sex: 1 });
  const hb = await family.post('/api/v1/bookings', { child_id: homeKid, institution_id: fx.homeId, class_type: homeFree.class_type, start_month: next });
  assert.equal(hb.status, 201, hb.text);
  fx.bookingIds.push(hb.body.id);
  fx.homeBookedChild = { id: homeKid, name: '矩阵本机构' };
  // applications and rounds: a draft naming a program of the home institution, and two rounds
  // (two and three months ahead) that give the family offers at programs with free places
  const ageFor = { infant: 8, toddler_young: 18, toddler_old: 30, mixed: 30 };
  const homeClass = (await admin.get(`/api/v1/institutions/${fx.homeId}`)).body.classes[0].class_type;
  const kid2 = await child(family, birthAt(ageFor[homeClass]), { name: '矩阵申请' });
  const draft = await family.post('/api/v1/applications', { child_id: kid2, intake: next, choices: [{ institution_id: fx.homeId, class_type: homeClass }] });
  assert.equal(draft.status, 201, draft.text);
  fx.applicationId = draft.body.id;
  // 育儿补贴: the town's 30 working days reach into next year from November on, and a deadline is
  // never counted through a year the calendar does not hold (docs/decisions.md): a test year of
  // weekdays alone stands in for next year's notice while it is not in the demo
  const nextYear = Number((await admin.get('/api/v1/dashboard')).body.as_of.slice(0, 4)) + 1;
  if ((await anon.get(`/api/v1/public/calendar/${nextYear}`)).status === 404) {
    // (元旦, 1 January, is a holiday every year: 《全国年节及纪念日放假办法》)
    const cal = await admin.put(`/api/v1/calendar/${nextYear}`, { basis: '测试夹具：次年放假安排未录入，仅元旦和周末', days: [{ date: `${nextYear}-01-01`, kind: 'off', name: '元旦' }] });
    assert.equal(cal.status, 200, cal.text);
  }
  // 育儿补贴: the family applies for its two demo children in care (the list pages through two)
  const inCare = (await family.get('/api/v1/children')).body.items.filter((k) => k.institution_id).map((k) => k.id);
  assert.ok(inCare.length >= 2, 'the demo family has two children in care');
  for (const id of inCare.slice(0, 2)) {
    const a = await family.post(`/api/v1/children/${id}/childcare-subsidy`, { birth_cert_no: `O44${String(id).padStart(7, '0')}`, relation: 'mother', bank_name: '中国工商银行温州瓯海支行', bank_account: '3303 0401 2345 6789 0123' });
    assert.equal(a.status, 201, a.text);
  }
  fx.roundIds = [];
  fx.offerIds = [];
  const roomy = frees.filter((v) => v.free_places >= 3);
  for (const [i, intake] of [later, day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, 1))).slice(0, 7)].entries()) {
    const kid = await child(family, birthAt(31 + i), { name: `矩阵录取${i}`, sex: 2 });
    const app = await family.post('/api/v1/applications', { child_id: kid, intake, choices: [{ institution_id: roomy[i].institution_id, class_type: 'toddler_old' }] });
    assert.equal(app.status, 201, app.text);
    assert.equal((await family.post(`/api/v1/applications/${app.body.id}/submit`, {})).status, 200);
    const round = await admin.post('/api/v1/rounds', { intake, seed: `${i}b`.repeat(32) });
    assert.equal(round.status, 201, round.text);
    fx.roundIds.push(round.body.id);
    fx.offerIds.push(round.body.offers[0].id);
  }
  fx.roundId = fx.roundIds[0];
  fx.offerId = fx.offerIds[0];
  // two visit slots at the home institution, each booked by the family
  const op = await srv.login(`inst-${fx.homeId}`);
  fx.visitSlotIds = [];
  fx.visitBookingIds = [];
  // days counted from the server's business day (Beijing), as the demo's slots (+2, +5) are (from
  // 16:00 UTC the UTC date is a day behind), and in the evening, when no demo slot is open
  const bj = new Date(now.getTime() + 8 * 3600 * 1000);
  for (const days of [3, 4]) {
    const d = day(new Date(Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth(), bj.getUTCDate() + days)));
    const slot = await op.post(`/api/v1/institutions/${fx.homeId}/visit-slots`, { starts_at: `${d}T20:00:00+08:00`, ends_at: `${d}T21:00:00+08:00`, capacity: 5 });
    assert.equal(slot.status, 201, slot.text);
    fx.visitSlotIds.push(slot.body.id);
    const visit = await family.post('/api/v1/visit-bookings', { slot_id: slot.body.id, visitors: 1 });
    assert.equal(visit.status, 201, visit.text);
    fx.visitBookingIds.push(visit.body.id);
  }
  fx.visitSlotId = fx.visitSlotIds[0];
  fx.visitBookingId = fx.visitBookingIds[0];
  // a pending account request filed by a second security administrator (made with the CLI, the
  // server operator's path), so that no role of the matrix is its requester: the first allowed
  // role approves it, the others find it decided (409)
  const cli = tuoyu(['user', 'add', 'matrix-security', '--role', 'security_admin', '--name', '矩阵安全员', '--password', srv.password, ...srv.database.args]);
  assert.equal(cli.status, 0, cli.stderr);
  const sec2 = await srv.login('matrix-security');
  const filed = await sec2.post('/api/v1/users', { login: 'matrix-auditor', name: '矩阵审计员', role: 'auditor', password: srv.password });
  assert.equal(filed.status, 202, filed.text);
  fx.accountRequestId = filed.body.request.id;
  // materials: two of the home institution (lists have two items), one of the other town's
  fx.materialIds = [];
  for (const [inst, tag] of [[fx.homeId, 'home-1'], [fx.homeId, 'home-2'], [fx.otherId, 'other']]) {
    const up = await uploadMaterial(admin, inst, pdfBytes(tag), `矩阵材料-${tag}.pdf`);
    assert.equal(up.status, 201, up.text);
    fx.materialIds.push(up.body.id);
  }
  [fx.materialId, , fx.otherMaterialId] = fx.materialIds;
  // cases of the home institution (filed, so change filings and a cancellation): a draft, one
  // waiting for its receipt, one in the departments' review, a cancellation waiting for its
  // decision; and a draft of the other town's institution
  fx.cases = await homeCases(op, admin, fx);
  const otherOp = await srv.login(`inst-${fx.otherId}`);
  const otherCase = await otherOp.post('/api/v1/cases', { process: 'change', institution_id: fx.otherId });
  assert.equal(otherCase.status, 201, otherCase.text);
  fx.otherCaseId = otherCase.body.id;
  // a staff member of the home institution and one of the other town's
  const person = (seq) => ({ name: '矩阵员工', id_number: residentId('1990-05-05', seq), role: 'cook', employment: 'part_time', start_date: '2024-01-01' });
  const st = await op.post(`/api/v1/institutions/${fx.homeId}/staff`, person('101'));
  assert.equal(st.status, 201, st.text);
  fx.staffId = st.body.id;
  const otherSt = await otherOp.post(`/api/v1/institutions/${fx.otherId}/staff`, person('103'));
  assert.equal(otherSt.status, 201, otherSt.text);
  fx.otherStaffId = otherSt.body.id;
  // the subsidy ledger: a construction subsidy of the home institution and one of the other town's,
  // and a payment batch (of another approved entitlement)
  fx.entitlementId = (await admin.post('/api/v1/funds/construction', { institution_id: fx.homeId, investment_fen: 10000000 })).body.id;
  fx.otherEntitlementId = (await admin.post('/api/v1/funds/construction', { institution_id: fx.otherId, investment_fen: 10000000 })).body.id;
  fx.fundsBatchId = await fundsBatch(srv, admin, fx.homeId);
  // an assessment scheme (the district's: public, no jurisdiction)
  const schemes = await anon.get('/api/v1/public/rating-schemes');
  assert.equal(schemes.status, 200, schemes.text);
  fx.ratingSchemeId = schemes.body.items[0].id;
  // a star-rating assessment of the home institution, self-assessed with evidence and submitted:
  // waiting for the town's check
  fx.assessmentId = await submittedAssessment(op, fx.homeId, fx.ratingSchemeId, anon);
  // two more of home-town institutions concluded and in publicity, the demo evaluator their expert
  // (the evaluator's work list and the public notices each have two)
  const evaluator = await srv.login(LOGINS.evaluator);
  const townOfficer = await srv.login(LOGINS.town_officer);
  const homeFiled = (await admin.get(`/api/v1/institutions?town=${HOME_TOWN}&status=filed&limit=20`)).body.items;
  for (const inst of homeFiled.filter((i) => i.id !== fx.homeId).slice(0, 2)) {
    const id = await submittedAssessment(await srv.login(`inst-${inst.id}`), inst.id, fx.ratingSchemeId, anon);
    const task = (await townOfficer.get(`/api/v1/cases/${id}`)).body.tasks.find((t) => t.state === 'open');
    assert.equal((await townOfficer.post(`/api/v1/cases/${id}/events`, { event: 'pass', task_id: task.id })).status, 200);
    assert.equal((await admin.post(`/api/v1/assessments/${id}/experts`, { user_id: evaluator.user.id })).status, 201);
    const self = (await admin.get(`/api/v1/assessments/${id}`)).body.self_sheet;
    const scores = Object.entries(self).map(([item, v]) => (typeof v === 'boolean' ? { item, met: v } : { item, points: v }));
    assert.equal((await evaluator.put(`/api/v1/assessments/${id}/sheet`, { scores, submit: true })).status, 200);
    const expertTask = (await admin.get(`/api/v1/cases/${id}`)).body.tasks.find((t) => t.state === 'open');
    const concluded = await admin.post(`/api/v1/cases/${id}/events`, { event: 'conclude', task_id: expertTask.id });
    assert.equal(concluded.status, 200, concluded.text);
  }
  // a live outbreak alert at the home institution and one at the other town's: three children of
  // a class with fever today
  ({ alertId: fx.careAlertId, sheetChild: fx.sheetChild } = await careAlert(admin, op, fx.homeId));
  ({ alertId: fx.otherCareAlertId } = await careAlert(admin, otherOp, fx.otherId));
  // incidents: the demo family's child placed at the home institution with an injury, a suspected
  // abuse (a mandatory report) and a suspected domestic violence (withheld from the family); an
  // injury and a report of a child of the other town's institution
  [fx.incidentId, fx.reportIncidentId, fx.reportId, fx.withheldIncidentId] = await incidents(admin, op, fx.homeId, fx.homeChild.id, true);
  [fx.otherIncidentId, , fx.otherReportId] = await incidents(admin, otherOp, fx.otherId, fx.otherChild.id, false);
  // a rectification item at each institution (src/oversight/)
  for (const [key, inst] of [['rectifyId', fx.homeId], ['otherRectifyId', fx.otherId]]) {
    const r = await admin.post(`/api/v1/institutions/${inst}/rectifications`, { source: 'inspection', rule: 'matrix', finding: '矩阵整改' });
    assert.equal(r.status, 201, r.text);
    fx[key] = r.body.id;
  }
  // a quarterly progress report of each town, drafted by its officer (src/progress/)
  for (const [key, town] of [['progressId', HOME_TOWN], ['otherProgressId', OTHER_TOWN]]) {
    const r = await (await srv.login(`town-${town}`)).post('/api/v1/progress-reports', { town_code: town, period: (await admin.get('/api/v1/progress-reports')).body.period });
    assert.equal(r.status, 201, r.text);
    fx[key] = r.body.id;
  }
  // the home town's health centre (the network's organisations, migration 058)
  fx.healthOrgId = (await admin.get('/api/v1/health-orgs')).body.items.find((o) => o.town_code === HOME_TOWN).id;
  // the key-task plan of the demo: a task of the home town, one of the other (src/keytasks/)
  const plan = (await admin.get('/api/v1/key-tasks')).body.items;
  fx.keyTaskId = plan.find((t) => t.owner_code === HOME_TOWN).id;
  fx.otherKeyTaskId = plan.find((t) => t.owner_code === OTHER_TOWN).id;
  // two attachments each on the home town's report and task, so their lists page
  const homeOfficer = await srv.login(`town-${HOME_TOWN}`);
  for (const path of [`/api/v1/progress-reports/${fx.progressId}/materials`, `/api/v1/key-tasks/${fx.keyTaskId}/materials`])
    for (const tag of ['一', '二']) assert.equal((await uploadTo(homeOfficer, path, pdfBytes(`矩阵${tag}`), `矩阵${tag}.pdf`)).status, 201);
  // surveys (src/surveys/): a closed satisfaction survey of the home institution (so its operator
  // reads it), one of the other town's institution, and a published one the demo family may answer
  // by its link
  const surveyDay = (await admin.get('/api/v1/public/labels')).body.as_of;
  const surveyOf = async (institution_id, close) => {
    const r = await evaluator.post('/api/v1/surveys', { kind: 'satisfaction', title: '矩阵问卷', institution_id, opens_on: surveyDay, closes_on: '2099-12-31', questions: [{ type: 'scale', text: '满意度' }] });
    assert.equal(r.status, 201, r.text);
    const p = await evaluator.post(`/api/v1/surveys/${r.body.id}/publish`);
    if (close) assert.equal((await evaluator.post(`/api/v1/surveys/${r.body.id}/close`)).status, 200);
    return p.body;
  };
  fx.surveyId = (await surveyOf(fx.homeId, true)).id;
  fx.otherSurveyId = (await surveyOf(fx.otherId, true)).id;
  fx.surveyToken = (await surveyOf(fx.homeId, false)).token;
  // 可视托: a camera on the room of the demo family's child in care (the home institution grants
  // parents' viewing all day), and one at the other town's institution; both at a loopback port
  // where nothing listens, so a probe fails at once
  [fx.cameraId, fx.otherCameraId] = await cameras(admin, family, fx);
  // 托育券: an issue, issued; the demo family's voucher for its child in care at the home
  // institution, redeemed there and claimed by it (a ledger row of a second kind: the ledger's
  // totals by kind have two groups)
  [fx.voucherIssueId, fx.voucherId] = await vouchers(admin, family, op, fx);
  // the home child (its guardian consented) absent ill yesterday with a symptom: health data on
  // its care page
  const ill = await op.post(`/api/v1/institutions/${fx.homeId}/attendance`, { class_id: (await admin.get(`/api/v1/institutions/${fx.homeId}`)).body.classes[0].id, date: day(new Date(Date.now() + 8 * 3600e3 - 86400e3)), entries: [{ child_id: fx.homeChild.id, status: 'absent', absence_cause: 'illness', symptom: '矩阵症状' }] });
  assert.equal(ill.status, 201, ill.text);
  // a child of the home institution whose latest measurement is below −3 SD (GET /api/v1/growth-flags)
  fx.flaggedChild = await flaggedChild(admin, op, fx.homeId);
  // a development screening of the family's child: in its FHIR export for those who may read check-ups
  const screened = await op.post(`/api/v1/children/${fx.homeChild.id}/screenings`, { tool: 'warning_signs', screened_on: day(new Date(Date.now() - 86400e3)), result: 'normal' });
  assert.equal(screened.status, 201, screened.text);
  // a pick-up person of the family's child, named in full or masked on its care page
  const pickup = await op.post(`/api/v1/children/${fx.homeChild.id}/pickups`, { name: '矩阵接送', relation: '母亲' });
  assert.equal(pickup.status, 201, pickup.text);
  fx.homePickup = { id: pickup.body.id, name: '矩阵接送' };
  // training: a course of the home town with a session today, the home staff member enrolled and
  // attended; a course of the other town with its session and an enrolment
  const homeTown = await srv.login(`town-${HOME_TOWN}`), otherTown = await srv.login(`town-${OTHER_TOWN}`);
  const today = (await anon.get('/api/v1/public/labels')).body.as_of; // the server's day (Asia/Shanghai)
  const training = async (officer, operator, staffId) => {
    const c = await officer.post('/api/v1/training/courses', { kind: 'prejob', title: '矩阵岗前培训', provider: '矩阵讲师' });
    assert.equal(c.status, 201, c.text);
    const s = await officer.post(`/api/v1/training/courses/${c.body.id}/sessions`, { day: today, start_time: '09:00', end_time: '11:00', place: '矩阵会议室', places: 5, hours: 2 });
    assert.equal(s.status, 201, s.text);
    const en = await operator.post(`/api/v1/training/sessions/${s.body.id}/enrolments`, { staff_id: staffId });
    assert.equal(en.status, 201, en.text);
    assert.equal((await officer.put(`/api/v1/training/enrolments/${en.body.id}/attendance`, { attended: true })).status, 200);
    return [c.body.id, s.body.id, en.body.id];
  };
  [fx.courseId, fx.sessionId, fx.enrolmentId] = await training(homeTown, op, fx.staffId);
  [fx.otherCourseId, fx.otherSessionId, fx.otherEnrolmentId] = await training(otherTown, otherOp, fx.otherStaffId);
  // a second one, so that lists of requests have more than one page to walk
  const second = await sec2.post('/api/v1/users', { login: 'matrix-auditor-2', name: '矩阵审计员二', role: 'auditor', password: srv.password });
  assert.equal(second.status, 202, second.text);
  // care-group activities a month ahead: the station's (for the district, the town, the station)
  // and the home institution's (for its operator: an activity is managed by its own host); the
  // family registered for the station's
  const startsAt = new Date(Date.now() + 30 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const act = (host) => ({ topic: '矩阵测试活动', age_band: '0_36', capacity: 5, place: '活动室', starts_at: startsAt, host });
  const byStation = await (await srv.login(LOGINS.station_operator)).post('/api/v1/care-group-activities', act('成长驿站'));
  assert.equal(byStation.status, 201, byStation.text);
  const byInstitution = await (await srv.login(`inst-${fx.homeId}`)).post('/api/v1/care-group-activities', act('托育机构'));
  assert.equal(byInstitution.status, 201, byInstitution.text);
  fx.activityId = byStation.body.id;
  fx.activityIds = { institution_operator: byInstitution.body.id };
  const registered = await family.post('/api/v1/care-group-registrations', { activity_id: fx.activityId });
  assert.equal(registered.status, 201, registered.text);
  fx.registrationId = registered.body.id;
  return fx;
}

/** The id of the outbreak alert raised at institution inst when its operator op places three new
 * children in its first class and records each with fever at today's morning check, and the
 * first of them as the class sheet names it ({id, name, classId, day}). */
async function careAlert(admin, op, inst) {
  const today = day(new Date(Date.now() + 8 * 3600e3));
  const classId = (await admin.get(`/api/v1/institutions/${inst}`)).body.classes[0].id;
  const kids = [];
  for (let i = 0; i < 3; i++) {
    const kid = await child(op, '2024-06-15', { name: `矩阵预警${i}` });
    kids.push(kid);
    assert.equal((await op.put(`/api/v1/children/${kid}/placement`, { class_id: classId, start_date: today })).status, 201);
    await consent(op, kid);
    const r = await op.post(`/api/v1/children/${kid}/health-checks`, { date: today, slot: 'morning', temperature_c: 38.6, action: 'observe' });
    assert.equal(r.status, 201, r.text);
  }
  const alert = (await op.get('/api/v1/care-alerts')).body.items.find((a) => a.class_id === classId);
  assert.ok(alert, 'the outbreak alert was raised');
  return { alertId: alert.id, sheetChild: { id: kids[0], name: '矩阵预警0', classId, day: today } };
}

/** A boy of institution inst placed in its first class, with consent, weighed today at 97 % of
 * the WHO −3 SD weight for his age: {id, name}. */
async function flaggedChild(admin, op, inst) {
  const today = day(new Date(Date.now() + 8 * 3600e3));
  const birth = '2025-01-15';
  const kid = await child(op, birth, { name: '矩阵偏离', sex: 1 });
  const classId = (await admin.get(`/api/v1/institutions/${inst}`)).body.classes[0].id;
  assert.equal((await op.put(`/api/v1/children/${kid}/placement`, { class_id: classId, start_date: today })).status, 201);
  await consent(op, kid);
  const age = Math.round((Date.parse(today) - Date.parse(birth)) / 86400e3);
  const curve = await admin.get(`/api/v1/public/growth/curves/wfa/1?from=${age}&to=${age}`);
  assert.equal(curve.status, 200, curve.text);
  const m = await op.post(`/api/v1/children/${kid}/measurements`, { measured_on: today, weight_kg: Math.round(curve.body.points[0][1] * 97) / 100 });
  assert.equal(m.status, 201, m.text);
  return { id: kid, name: '矩阵偏离' };
}

/** Incidents of child kid, placed since its birth in the first class of institution inst by its
 * operator op: [an injury, a suspected abuse, its report, a suspected domestic violence (withheld)]. */
async function incidents(admin, op, inst, kid, withheld) {
  const classId = (await admin.get(`/api/v1/institutions/${inst}`)).body.classes[0].id;
  // placed from birth, so that the child's checks since birth are the institution's and the demo
  // family's child is on the due list (GET /api/v1/checkups/due)
  const birth = (await op.get(`/api/v1/children/${kid}`)).body.birth_date;
  const placed = await op.put(`/api/v1/children/${kid}/placement`, { class_id: classId, start_date: birth });
  assert.equal(placed.status, 201, placed.text);
  const at = new Date(Date.now() - 60e3).toISOString();
  const record = async (kind) => {
    const r = await op.post(`/api/v1/institutions/${inst}/incidents`, { child_id: kid, kind, occurred_at: at, place: '活动室', description: '矩阵事件', body_part: 'arm', severity: 'minor' });
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  const injury = await record('fall'), abuse = await record('suspected_abuse');
  return [injury.id, abuse.id, abuse.report.id, withheld ? (await record('suspected_domestic_violence')).id : null];
}

/** A case of process on the home institution moved to `until` (draft, submitted, review), with
 * `uploads` materials uploaded to a draft. */
async function homeCase(op, admin, fx, process, until, uploads = 0) {
  const c = await op.post('/api/v1/cases', { process, institution_id: fx.homeId });
  assert.equal(c.status, 201, c.text);
  const id = c.body.id;
  // a draft with materials uploaded but not yet matched to its checklist (lists have two items)
  for (let i = 0; i < uploads; i++)
    assert.equal((await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`fx-draft-${id}-${i}`), `草稿材料${i}.pdf`)).status, 201);
  if (until === 'draft') return id;
  if (process === 'change') {
    // the change: smaller classes, so the record passes the rules the submission checks
    const rec = (await admin.get(`/api/v1/institutions/${fx.homeId}`)).body;
    const classes = rec.classes.map((k) => ({ id: k.id, class_type: k.class_type, name: k.name, caregivers: k.caregivers, capacity: Math.min(k.capacity, 10), enrolled: Math.min(k.enrolled, 3) }));
    const put = await op.put(`/api/v1/cases/${id}/institution`, { classes });
    assert.equal(put.status, 200, put.text);
  }
  const materials = [];
  for (const item of c.body.checklist) {
    const up = await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`fx-${id}-${item.item}`), `${item.name}.pdf`);
    assert.equal(up.status, 201, up.text);
    materials.push({ item: item.item, material_id: up.body.id });
  }
  assert.equal((await op.put(`/api/v1/cases/${id}/checklist`, { materials })).status, 200);
  let r = await op.post(`/api/v1/cases/${id}/events`, { event: 'submit', declaration: true });
  assert.equal(r.status, 200, r.text);
  if (until === 'review') {
    r = await admin.post(`/api/v1/cases/${id}/events`, { event: 'receive', task_id: r.body.tasks.find((t) => t.state === 'open').id });
    assert.equal(r.status, 200, r.text);
  }
  return id;
}

async function homeCases(op, admin, fx) {
  return {
    draft: await homeCase(op, admin, fx, 'change', 'draft', 2),
    submitted: await homeCase(op, admin, fx, 'change', 'submitted'),
    review: await homeCase(op, admin, fx, 'change', 'review'),
    cancel: await homeCase(op, admin, fx, 'cancel', 'submitted'),
  };
}

/** A probe of an event's sub-action on case id: the event on a task that is not open (or, for
 * a submission, on a draft without its materials), so that nothing changes — refused (403
 * forbidden) before anything of the task, or allowed and then refused for the task (409) or the
 * materials (422). */
/** An assessment of institution instId under scheme schemeId, its self-assessment complete with
 * evidence for every item, submitted by op: its id. */
async function submittedAssessment(op, instId, schemeId, anon) {
  const scheme = (await anon.get(`/api/v1/public/rating-schemes/${schemeId}`)).body;
  const a = await op.post(`/api/v1/institutions/${instId}/assessments`, { scheme_id: schemeId });
  assert.equal(a.status, 201, a.text);
  const scores = [], evidence = [];
  for (const it of scheme.items) {
    scores.push(it.kind === 'veto' ? { item: it.code, met: true } : { item: it.code, points: it.max_points });
    const up = await uploadTo(op, `/api/v1/cases/${a.body.id}/materials`, pdfBytes(`rating-${a.body.id}-${it.code}`), '佐证.pdf');
    assert.equal(up.status, 201, up.text);
    evidence.push({ item: it.code, material_id: up.body.id });
  }
  assert.equal((await op.put(`/api/v1/assessments/${a.body.id}/self`, { scores, evidence })).status, 200);
  const sub = await op.post(`/api/v1/cases/${a.body.id}/events`, { event: 'submit', declaration: true });
  assert.equal(sub.status, 200, sub.text);
  return a.body.id;
}

function eventProbe(caseOf, body) {
  return async (c, route, fx) => {
    const res = await c.request(route.method, route.pattern.replace('{id}', String(caseOf(fx))), body);
    if (res.status === 403 && res.body?.error?.code === 'forbidden') return 'refused';
    if ((res.status === 409 && res.body?.error?.code === 'task_closed') || res.status === 422) return 'allowed';
    return answer(res);
  };
}

// ---- sub-actions ----

/** Every family_name inside reply (nested). */
function familyNames(reply, out = []) {
  if (!reply || typeof reply !== 'object') return out;
  if (typeof reply.family_name === 'string') out.push(reply.family_name);
  for (const v of Object.values(reply)) familyNames(v, out);
  return out;
}

// the demo family's name in a list of the caller's bookings, visits or applications (issue 12
// item 2): in full (its own, or the institution it booked with), or masked
async function familyContactProbe(c, route, fx) {
  const res = await c.request(route.method, `${pathFor(route.pattern, fx, true)}?limit=500`);
  if (res.status !== 200) return answer(res);
  const names = familyNames(res.body);
  if (names.includes(fx.familyName)) return 'allowed';
  return names.length && names.every((n) => n.includes('*')) ? 'refused' : `family names shown: ${names}`;
}

/** An object inside reply (itself, or nested) with this id and a name; undefined when none. */
function findRecord(reply, id) {
  if (!reply || typeof reply !== 'object') return undefined;
  if (reply.id === id && typeof reply.name === 'string') return reply;
  for (const v of Object.values(reply)) {
    const found = findRecord(v, id);
    if (found) return found;
  }
  return undefined;
}

const answer = (res) => `${res.status} ${res.text}`;
let probeCertNo = 100000000;

/**
 * How the authorization matrix exercises each sub-action a route lists (`subactions` in `tuoyu
 * routes`): probe(c, route, fx) makes the call that has the route's handler consult the
 * sub-action, on a record inside the caller's jurisdiction, puts back what an allowed call
 * changed (as the district administrator, fx.admin), and answers 'allowed', 'refused', or the
 * reply when it is neither. A sub-action without a probe here fails the matrix test.
 */
export const SUBACTION_PROBES = {
  'family.contact': familyContactProbe,
  'application.read.contact': familyContactProbe,
  // change a field only regulators decide: saved, or 403 regulator_field naming it
  'institution.update.regulated': async (c, route, fx) => {
    const path = pathFor(route.pattern, fx, true);
    const before = (await fx.admin.get(path)).body;
    const res = await c.request(route.method, path, { demonstration: !before.demonstration });
    if (res.status === 200) {
      assert.equal((await fx.admin.put(path, { demonstration: before.demonstration })).status, 200);
      return 'allowed';
    }
    const e = res.body?.error;
    return res.status === 403 && e?.code === 'regulator_field' && e.field === 'demonstration' ? 'refused' : answer(res);
  },
  // move the institution to another town: moved, or 403 outside_jurisdiction on town_code
  'institution.transfer': async (c, route, fx) => {
    const path = pathFor(route.pattern, fx, true);
    const before = (await fx.admin.get(path)).body;
    const res = await c.request(route.method, path, { town_code: before.town_code === OTHER_TOWN ? HOME_TOWN : OTHER_TOWN });
    if (res.status === 200) {
      assert.equal((await fx.admin.put(path, { town_code: before.town_code })).status, 200);
      return 'allowed';
    }
    const e = res.body?.error;
    return res.status === 403 && e?.code === 'outside_jurisdiction' && e.field === 'town_code' ? 'refused' : answer(res);
  },
  // a staff member's name asked for in full (?full=1): shown in full, or still masked — in a
  // JSON reply, or in the .xlsx an export answers (its rows: 编号, 机构, 姓名, …)
  'staff.read.personal': async (c, route, fx) => {
    const path = `${pathFor(route.pattern, fx, true)}?full=1`;
    let shown;
    if (route.reply?.type === 'string') {
      const res = await fetch(`${c.url}${path}`, { headers: { cookie: c.cookie } });
      if (res.status !== 200) return `${res.status} ${await res.text()}`;
      shown = readSheet(Buffer.from(await res.arrayBuffer())).find((row) => row[0] === String(fx.staffId))?.[2];
    } else {
      const res = await c.request(route.method, path);
      if (res.status !== 200) return answer(res);
      shown = findRecord(res.body, fx.staffId)?.name;
    }
    if (shown === '矩阵员工') return 'allowed';
    return shown === '矩**工' ? 'refused' : `name shown: ${shown}`;
  },
  // the events of a case, each a sub-action of case.event
  'case.submit': eventProbe((fx) => fx.cases.draft, { event: 'submit', declaration: true }),
  'case.receive': eventProbe((fx) => fx.cases.submitted, { event: 'receive', task_id: 999999999 }),
  'case.review': eventProbe((fx) => fx.cases.review, { event: 'approve', task_id: 999999999 }),
  'case.decide': eventProbe((fx) => fx.cases.cancel, { event: 'file', task_id: 999999999 }),
  'case.town_check': eventProbe((fx) => fx.assessmentId, { event: 'pass', task_id: 999999999 }),
  // the name a reply shows of a child in the caller's reach: in full, or masked. A new child
  // (POST) is the caller's own; a read is of the demo family's child at the home institution
  // (fx.homeChild, whose full name the family read), lists walked page by page; the place
  // bookings name the child the family booked at the home institution (fx.homeBookedChild).
  // an incident withheld from the family (suspected domestic violence): found, or not found
  'incident.read.withheld': async (c, route, fx) => {
    if (route.method === 'GET' && route.pattern.endsWith('/incidents')) {
      const res = await c.get(pathFor(route.pattern, fx, true));
      if (res.status !== 200) return res.status === 404 ? 'refused' : answer(res);
      return res.body.items.some((x) => x.id === fx.withheldIncidentId) ? 'allowed' : 'refused';
    }
    const body = { '/follow-ups': { note: '探针' }, '/notify-guardian': { channel: 'inbox' }, '/close': { note: '探针' } };
    const suffix = Object.keys(body).find((k) => route.pattern.endsWith(k));
    const res = await c.request(route.method, route.pattern.replace('{id}', String(fx.withheldIncidentId)), suffix ? body[suffix] : undefined);
    if (res.status === 404) return 'refused';
    return [200, 201, 409, 422].includes(res.status) ? 'allowed' : answer(res);
  },
  // the report of a mandatory incident shown with it, or not
  'report.read': async (c, route, fx) => {
    const list = route.pattern.endsWith('/incidents');
    const res = await c.get(list ? pathFor(route.pattern, fx, true) : route.pattern.replace('{id}', String(fx.reportIncidentId)));
    if (res.status !== 200) return answer(res);
    const incident = list ? res.body.items.find((x) => x.id === fx.reportIncidentId) : res.body;
    if (!incident) return 'report not in the list';
    return incident.report ? 'allowed' : 'refused';
  },
  // a stream viewed outside the parents' hours: staff view at any hour (201), a parent is refused
  // (403 outside_hours) while the home institution's grant excludes now; the all-day grant put back
  'video.view.any_hour': async (c, route, fx) => {
    const bj = new Date(Date.now() + 8 * 3600e3).getUTCHours(), away = String((bj + 12) % 24).padStart(2, '0');
    const grant = (h0, h1) => fx.admin.post(`/api/v1/institutions/${fx.homeId}/video-parent-access`, { valid_from: '2020-01-01', hours_from: h0, hours_to: h1, basis: '矩阵测试' });
    assert.equal((await grant(`${away}:00`, `${away}:59`)).status, 201);
    try {
      const res = await c.post(pathFor(route.pattern, fx, true));
      if (res.status === 201) return 'allowed';
      return res.status === 403 && res.body?.error?.code === 'outside_hours' ? 'refused' : answer(res);
    } finally {
      assert.equal((await grant('00:00', '24:00')).status, 201);
    }
  },
  // the child's screening in its FHIR export (GET /api/v1/children/{id}/fhir), or not
  'checkup.read': async (c, route, fx) => {
    const res = await c.get(pathFor(route.pattern, fx, true));
    if (res.status !== 200) return answer(res);
    return res.body.entry.some((e) => e.resource.code?.coding?.[0]?.system === 'urn:tuoyu:codesystem:development-screening') ? 'allowed' : 'refused';
  },
  // an illness absence's symptom in the child's attendance history, or not
  'care.health.read': async (c, route, fx) => {
    const res = await c.get(pathFor(route.pattern, fx, true));
    if (res.status !== 200) return answer(res);
    const ill = res.body.attendance.find((x) => x.absence_cause === 'illness');
    if (!ill) return 'no illness absence';
    return ill.symptom === '矩阵症状' ? 'allowed' : 'refused';
  },
  'child.read.full_name': async (c, route, fx) => {
    let shown, full;
    if (route.pattern === '/api/v1/institutions/{id}/attendance') {
      // the class sheet of today (read, or saved with the child absent): its first child
      const k = fx.sheetChild;
      full = k.name;
      const res = route.method === 'GET'
        ? await c.request('GET', `/api/v1/institutions/${fx.homeId}/attendance?class_id=${k.classId}&date=${k.day}`)
        : await c.request('POST', `/api/v1/institutions/${fx.homeId}/attendance`, { class_id: k.classId, date: k.day, entries: [{ child_id: k.id, status: 'absent', absence_cause: 'family' }] });
      if (![200, 201].includes(res.status)) return answer(res);
      shown = res.body.items.find((x) => x.child_id === k.id)?.child_name;
    } else if (route.pattern === '/api/v1/checkups/due' || route.pattern === '/api/v1/growth-flags') {
      // the demo family's child (checks overdue since birth) on the due list; the child weighed
      // below −3 SD on the growth flags
      const k = route.pattern === '/api/v1/checkups/due' ? fx.homeChild : fx.flaggedChild;
      full = k.name;
      const res = await c.request('GET', `${route.pattern}?institution_id=${fx.homeId}${route.pattern.includes('flags') ? '&limit=500' : ''}`);
      if (res.status !== 200) return answer(res);
      shown = res.body.items.find((x) => x.child_id === k.id)?.child_name;
    } else if (route.pattern === '/api/v1/bookings') {
      full = fx.homeBookedChild.name;
      const res = await c.request(route.method, `${route.pattern}?limit=500`);
      if (res.status !== 200) return answer(res);
      shown = res.body.items.find((b) => b.child_id === fx.homeBookedChild.id)?.child_name;
    } else if (route.pattern === '/api/v1/children/{id}/care') {
      // the child's pick-up person
      full = fx.homePickup.name;
      const res = await c.request('GET', `/api/v1/children/${fx.homeChild.id}/care`);
      if (res.status !== 200) return answer(res);
      shown = res.body.pickups.find((p) => p.id === fx.homePickup.id)?.name;
    } else if (route.method === 'POST' && !route.pattern.includes('{id}')) {
      full = '全名探针';
      const res = await c.request(route.method, route.pattern, { name: full, birth_date: '2025-01-15', sex: 1, birth_cert: `P${++probeCertNo}` });
      if (res.status !== 201) return answer(res);
      shown = res.body.name;
    } else {
      full = fx.homeChild.name;
      const path = pathFor(route.pattern, fx, true);
      const paged = route.reply?.properties?.next !== undefined;
      for (let cursor = null; shown === undefined;) {
        const res = await c.request(route.method, paged ? `${path}?limit=500${cursor ? `&cursor=${cursor}` : ''}` : path);
        if (res.status !== 200) return answer(res);
        shown = findRecord(res.body, fx.homeChild.id)?.name;
        if (!(cursor = res.body.next)) break;
      }
    }
    if (shown === full) return 'allowed';
    return shown && shown.includes('*') && shown.length === full.length ? 'refused' : `name shown: ${shown}`;
  },
};

/** A payment batch of one construction subsidy of institution homeId, taken through apply (the
 * operator), review (the town) and approval (the district). */
async function fundsBatch(srv, admin, homeId) {
  const e = await admin.post('/api/v1/funds/construction', { institution_id: homeId, investment_fen: 5000000 });
  assert.equal(e.status, 201, e.text);
  const op = await srv.login(`inst-${homeId}`);
  const town = await srv.login(`town-${HOME_TOWN}`);
  for (const [who, event] of [[op, 'apply'], [town, 'review'], [admin, 'approve']]) {
    const r = await who.post(`/api/v1/funds/entitlements/${e.body.id}/events`, { event });
    assert.equal(r.status, 200, r.text);
  }
  const b = await admin.post('/api/v1/funds/batches', { name: '矩阵批次', entitlement_ids: [e.body.id] });
  assert.equal(b.status, 201, b.text);
  return b.body.id;
}

/** Cameras for the matrix: [on the family's child's room at the home institution, at the other]. */
async function cameras(admin, family, fx) {
  let placement;
  for (const c of (await family.get('/api/v1/children')).body.items) {
    const care = await family.get(`/api/v1/children/${c.id}/care`);
    if (care.body.placement?.institution_id === fx.homeId) placement = care.body.placement;
  }
  assert.equal(placement?.institution_id, fx.homeId, 'the demo family has a child in care at the home institution');
  const nobody = 'rtsp://127.0.0.1:9/live';
  const home = await admin.post(`/api/v1/institutions/${fx.homeId}/cameras`, { name: '矩阵教室', area: 'class', class_id: placement.class_id, url: nobody, retention_days: 90 });
  assert.equal(home.status, 201, home.text);
  const other = await admin.post(`/api/v1/institutions/${fx.otherId}/cameras`, { name: '矩阵其他', area: 'entrance', url: nobody, retention_days: 90 });
  assert.equal(other.status, 201, other.text);
  const g = await admin.post(`/api/v1/institutions/${fx.homeId}/video-parent-access`, { valid_from: '2020-01-01', hours_from: '00:00', hours_to: '24:00', basis: '矩阵测试' });
  assert.equal(g.status, 201, g.text);
  // each fails video.outage_failures (3) probes: two outages; and each viewed once: two viewings
  for (const id of [home.body.id, other.body.id]) {
    for (let i = 0; i < 3; i++) assert.equal((await admin.post(`/api/v1/cameras/${id}/probe`)).status, 200);
    assert.equal((await admin.post(`/api/v1/cameras/${id}/views`)).status, 201);
    assert.equal((await admin.post(`/api/v1/cameras/${id}/views/end`)).body.ended, 1);
  }
  return [home.body.id, other.body.id];
}

/** [an issue of vouchers, issued; the family's voucher of its child in care at homeId, redeemed and
 * claimed there]. */
async function vouchers(admin, family, op, fx) {
  const today = (await admin.get('/api/v1/public/labels')).body.as_of;
  const issue = await admin.post('/api/v1/voucher-issues', { name: '矩阵托育券', face_fen: 50000, valid_from: today, valid_to: '2099-12-31', min_age_months: 0, max_age_months: 36, basis: '矩阵测试' });
  assert.equal(issue.status, 201, issue.text);
  assert.equal((await admin.post(`/api/v1/voucher-issues/${issue.body.id}/issue`, {})).status, 200);
  for (const v of (await family.get('/api/v1/vouchers')).body.items) {
    const r = await family.post(`/api/v1/vouchers/${v.id}/redeem`, { institution_id: fx.homeId });
    if (r.status !== 200) continue;
    const claimed = await op.post(`/api/v1/vouchers/${v.id}/claim`, {});
    assert.equal(claimed.status, 200, claimed.text);
    return [issue.body.id, v.id];
  }
  assert.fail('the demo family has a voucher for a child in care at the home institution');
}

/** LOGINS with the institution operator of institution homeId. */
export function roleLogins(homeId) { return { ...LOGINS, institution_operator: `inst-${homeId}` }; }

// path parameters that are not record ids: a year the calendar holds, a day in it
const PATH_VALUES = { '{year}': '2024', '{date}': '2024-09-30', '{point}': '120.62,27.99', '{indicator}': 'wfa', '{sex}': '1' };

/** The path of a route pattern with a record inside (or outside) the caller's jurisdiction. */
export function pathFor(pattern, fx, inside = true) {
  for (const [name, value] of Object.entries(PATH_VALUES)) pattern = pattern.replace(name, value);
  pattern = pattern.replace('{token}', () => fx.surveyToken);
  pattern = pattern.replace('{item_id}', () => String(inside ? fx.rectifyId : fx.otherRectifyId));
  return pattern.replace('{id}', () => {
    if (pattern.startsWith('/api/v1/users/')) return String(fx.someUserId);
    if (pattern.startsWith('/api/v1/children/')) return String(inside ? fx.homeChild.id : fx.otherChild.id);
    if (pattern.startsWith('/api/v1/bookings/')) return String(fx.bookingId);
    if (pattern.startsWith('/api/v1/applications/')) return String(fx.applicationId);
    if (pattern.startsWith('/api/v1/rounds/')) return String(fx.roundId);
    if (pattern.startsWith('/api/v1/offers/')) return String(fx.offerId);
    if (pattern.startsWith('/api/v1/visit-slots/')) return String(fx.visitSlotId);
    if (pattern.startsWith('/api/v1/visit-bookings/')) return String(fx.visitBookingId);
    if (pattern.startsWith('/api/v1/account-requests/')) return String(fx.accountRequestId);
    if (pattern.startsWith('/api/v1/materials/')) return String(inside ? fx.materialId : fx.otherMaterialId);
    if (pattern.startsWith('/api/v1/cases/')) return String(inside ? fx.cases.draft : fx.otherCaseId);
    if (pattern.startsWith('/api/v1/staff/')) return String(inside ? fx.staffId : fx.otherStaffId);
    if (pattern.startsWith('/api/v1/premises/')) return String(inside ? fx.premisesId : fx.otherPremisesId);
    if (pattern.startsWith('/api/v1/stations/')) return String(inside ? fx.stationId : fx.otherStationId);
    // an activity is managed by its host: the role a caller set in fx.role picks its own
    if (pattern.startsWith('/api/v1/care-group-activities/')) return String(fx.activityIds[fx.role] ?? fx.activityId);
    if (pattern.startsWith('/api/v1/care-group-registrations/')) return String(fx.registrationId);
    if (pattern.startsWith('/api/v1/progress-reports/')) return String(inside ? fx.progressId : fx.otherProgressId);
    if (pattern.startsWith('/api/v1/health-orgs/')) return String(fx.healthOrgId);
    if (pattern.startsWith('/api/v1/key-tasks/')) return String(inside ? fx.keyTaskId : fx.otherKeyTaskId);
    if (pattern.startsWith('/api/v1/surveys/')) return String(inside ? fx.surveyId : fx.otherSurveyId);
    if (pattern.startsWith('/api/v1/cameras/')) return String(inside ? fx.cameraId : fx.otherCameraId);
    if (pattern.startsWith('/api/v1/funds/entitlements/')) return String(inside ? fx.entitlementId : fx.otherEntitlementId);
    if (pattern.startsWith('/api/v1/funds/batches/')) return String(fx.fundsBatchId);
    if (pattern.startsWith('/api/v1/voucher-issues/')) return String(fx.voucherIssueId);
    if (pattern.startsWith('/api/v1/vouchers/')) return String(fx.voucherId);
    if (pattern.startsWith('/api/v1/public/rating-schemes/')) return String(fx.ratingSchemeId);
    if (pattern.startsWith('/api/v1/assessments/')) return String(fx.assessmentId);
    if (pattern.startsWith('/api/v1/care-alerts/')) return String(inside ? fx.careAlertId : fx.otherCareAlertId);
    if (pattern.startsWith('/api/v1/incidents/')) return String(inside ? fx.incidentId : fx.otherIncidentId);
    if (pattern.startsWith('/api/v1/incident-reports/')) return String(inside ? fx.reportId : fx.otherReportId);
    if (pattern.startsWith('/api/v1/training/courses/')) return String(inside ? fx.courseId : fx.otherCourseId);
    if (pattern.startsWith('/api/v1/training/sessions/')) return String(inside ? fx.sessionId : fx.otherSessionId);
    if (pattern.startsWith('/api/v1/training/enrolments/')) return String(inside ? fx.enrolmentId : fx.otherEnrolmentId);
    return String(inside ? fx.homeId : fx.otherId);
  });
}

/** A route whose body is JSON (not an upload: multipart/form-data, or raw bytes). */
export const jsonBody = (route) => !!route.body && route.body_media_type === 'application/json';

/** The roles the policy lets call route, in LOGINS order ([null] for a public route). */
export function rolesFor(route, policy) {
  if (route.action === 'public') return [null];
  if (route.action === 'session') return Object.keys(LOGINS);
  const allowed = policy[route.action] || [];
  return Object.keys(LOGINS).filter((r) => allowed.includes(r));
}

/** A role the policy lets call route (null for a public route). */
export function roleFor(route, policy) { return rolesFor(route, policy)[0] ?? null; }

// ---- request bodies from a route's JSON Schema ----

/** The JSON type of a schema (its first, when it also allows null). */
export function typeOf(s) { return Array.isArray(s.type) ? s.type[0] : s.type; }

/** A smallest value the schema accepts: required members only, empty arrays, the minimum. */
export function minimal(s) {
  switch (typeOf(s)) {
    case 'object': {
      const o = {};
      for (const name of s.required || []) o[name] = minimal(s.properties[name]);
      return o;
    }
    case 'array': return [];
    case 'string':
      if (s.format === 'date') return '2024-01-01';
      if (s.format === 'date-time') return '2026-01-01T09:00:00+08:00';
      if (s.pattern && s.pattern.startsWith('^[0-9]{4}-')) return '2024-01';
      return 'x';
    case 'integer': return s.minimum ?? 1;
    case 'number': return s.minimum ?? 0;
    case 'boolean': return false;
    default: throw new Error(`no minimal value for ${JSON.stringify(s)}`);
  }
}

/** Every member of an object schema, nested ones too: [{path: ['choices', 0, 'class_type'], schema}]. */
export function members(s, prefix = []) {
  const out = [];
  for (const [name, m] of Object.entries(s.properties || {})) {
    const path = [...prefix, name];
    out.push({ path, schema: m });
    if (typeOf(m) === 'object') out.push(...members(m, path));
    if (typeOf(m) === 'array' && typeOf(m.items) === 'object') out.push(...members(m.items, [...path, 0]));
  }
  return out;
}

/** "choices[0].class_type", as the server names a member. */
export function fieldName(path) {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}

/** A minimal valid body of schema with value put at path (the containers on the way made minimal). */
export function bodyWith(schema, path, value) {
  const body = minimal(schema);
  let node = body, s = schema;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    const child = typeOf(s) === 'array' ? s.items : s.properties[key];
    if (node[key] === undefined || node[key] === null) node[key] = typeOf(child) === 'array' ? [] : minimal(child);
    if (typeOf(child) === 'array' && node[key].length === 0) node[key].push(minimal(child.items));
    node = node[key];
    s = child;
  }
  node[path[path.length - 1]] = value;
  return body;
}
