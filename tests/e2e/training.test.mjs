// training.test.mjs — 培训 in the browser (issue 14 item 3): a town officer publishes a course with
// a session today, an institution's operator enrols a caregiver, the town records the attendance,
// and the operator sees the caregiver's class hours and the 岗前培训 done.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
const NOW = '2027-01-10T01:00:00Z'; // 09:00 Beijing, after the real clock so the session cookie is valid
const TOWN = '330304001';

let srv, browser, inst, carer;
before(async () => {
  srv = await startServer({ web: true, now: NOW });
  browser = await launch();
  const admin = await srv.login('district-admin');
  // a demo institution of the town with a caregiver on duty who has not had the demo's 岗前培训
  for (const row of (await admin.get(`/api/v1/institutions?town=${TOWN}&limit=100`)).body.items) {
    const o = await srv.login(`inst-${row.id}`);
    const people = (await o.get(`/api/v1/institutions/${row.id}/training`)).body.people;
    const p = people.find((s) => s.role === 'caregiver' && !s.prejob_date);
    if (p) { inst = row.id, carer = { id: p.staff_id }; break; }
  }
  assert.ok(inst, 'a demo institution with a caregiver lacking 岗前培训');
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('a town publishes a course and a session, an operator enrols a caregiver, the town takes attendance, the operator sees the hours', async () => {
  const townSide = await openPage(browser, { expect: [NO_SESSION] });
  const t = townSide.page;
  await loginUI(t, srv.url, `town-${TOWN}`, srv.password);
  await t.click('[data-qa="nav-training"]');
  await t.locator('[data-qa="course-form"]').waitFor();
  assert.deepEqual(await unlabelledControls(t), []);
  await t.selectOption('[data-qa="course-kind"]', 'prejob');
  await t.fill('[data-qa="course-title"]', '浏览器岗前培训');
  await t.fill('[data-qa="course-provider"]', '瓯海区婴幼儿照护服务指导中心');
  await t.click('[data-qa="course-publish"]');
  await t.locator('[data-qa="training-message"]', { hasText: '浏览器岗前培训' }).waitFor();
  const officer = await srv.login(`town-${TOWN}`);
  const course = (await officer.get('/api/v1/training/courses')).body.items.find((c) => c.title === '浏览器岗前培训');
  assert.equal(course.town_code, TOWN);
  const form = t.locator(`[data-qa="session-form-${course.id}"]`);
  await form.locator('[data-qa="s-place"]').fill('景山街道社区卫生服务中心');
  await form.locator('[data-qa="s-hours"]').fill('6');
  await form.locator('[data-qa="session-add"]').click();
  await t.locator('[data-qa="training-message"]', { hasText: '已添加场次' }).waitFor();
  const session = (await officer.get('/api/v1/training/courses')).body.items.find((c) => c.id === course.id).sessions[0];
  assert.deepEqual([session.day, session.hours], ['2027-01-10', 6]);

  // the operator enrols the caregiver
  const opSide = await openPage(browser, { expect: [NO_SESSION] });
  const o = opSide.page;
  await loginUI(o, srv.url, `inst-${inst}`, srv.password);
  await o.click('[data-qa="nav-training"]');
  await o.locator(`[data-qa="hours-${carer.id}"]`).waitFor();
  assert.equal((await o.locator(`[data-qa="prejob-${carer.id}"]`).textContent()).trim(), '未完成');
  await o.selectOption('[data-qa="enrol-staff"]', String(carer.id));
  await o.click(`[data-qa="session-enrol-${session.id}"]`);
  await o.locator('[data-qa="training-message"]', { hasText: '已为' }).waitFor();
  await o.locator(`[data-qa="session-free-${session.id}"]`, { hasText: '30（29）' }).waitFor();

  // the town takes the attendance
  await t.reload();
  await t.click(`[data-qa="session-roster-${session.id}"]`);
  await t.locator('[data-qa="roster"]').waitFor();
  const enrolment = (await officer.get(`/api/v1/training/sessions/${session.id}/enrolments`)).body.items[0];
  assert.equal(enrolment.staff_id, carer.id);
  await t.click(`[data-qa="attend-yes-${enrolment.id}"]`);
  await t.locator(`[data-qa="attend-status-${enrolment.id}"]`, { hasText: '出勤' }).waitFor();
  await screenshot(t, 'training-town');

  // the operator sees the hours, the pre-job training done and the certificate
  await o.reload();
  await o.locator(`[data-qa="hours-${carer.id}"]`).waitFor();
  assert.equal((await o.locator(`[data-qa="hours-${carer.id}"]`).textContent()).trim(), '6 / 12');
  assert.equal((await o.locator(`[data-qa="prejob-${carer.id}"]`).textContent()).trim(), '2027年1月10日');
  await o.locator(`[data-qa="certificate-${enrolment.id}"]`).waitFor();
  await screenshot(o, 'training-operator');
  assertNoProblems(townSide.problems, 'town');
  assertNoProblems(opSide.problems, 'operator');
  await townSide.context.close();
  await opSide.context.close();
});
