// activities.test.mjs — care-group activities in a real browser (issue 16 item 4): a growth station
// schedules an activity on its console page 养育照护活动 and sees it counted in the year; a family
// finds it on the portal's 养育照护活动 page, logs in, registers, and sees it marked 已报名 with one
// place fewer; the station's list shows the registration.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, loginUI } from './browser.mjs';

let srv, browser;
const bj = new Date(Date.now() + 8 * 3600e3);
const day = new Date(Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth(), bj.getUTCDate() + 3)).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the station schedules an activity; a family registers from the portal', async () => {
  const station = await srv.login('station-operator');
  const before = (await station.get('/api/v1/care-group-activities')).body.total;
  {
    const { page, problems } = await openPage(browser, { expect: [/status of 401/] });
    await loginUI(page, srv.url, 'station-operator', PASSWORD);
    await page.locator('[data-qa="nav-activities"]').click();
    await page.locator('[data-qa="activity-form"]').waitFor();
    await page.locator('[data-qa="act-topic"]').fill('浏览器亲子阅读');
    const start = page.locator('#act-start');
    await start.click();
    await start.fill(`${day} 09:30`);
    await start.press('Enter');
    await page.locator('[data-qa="act-place"]').fill('驿站绘本角');
    await page.locator('[data-qa="act-host"]').fill('成长驿站');
    await page.locator('[data-qa="act-save"]').click();
    await page.locator('[data-qa="activities-notice"]').waitFor();
    await page.locator('[data-qa="activity-list"] tr', { hasText: '浏览器亲子阅读' }).waitFor();
    assert.equal(await page.locator('[data-qa="activities-total"]').textContent(), String(before + 1));
    assertNoProblems(problems);
    await page.close();
  }
  const act = (await station.get('/api/v1/care-group-activities')).body.activities.find((a) => a.topic === '浏览器亲子阅读');
  assert.equal(act.starts_at, `${day}T01:30:00Z`);
  assert.equal(act.capacity, 10);

  const { page, problems } = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(`${srv.url}/#/activities`);
  const card = page.locator(`[data-qa="activity"][data-id="${act.id}"]`);
  await card.waitFor();
  assert.match(await card.textContent(), /余 10/);
  await card.getByRole('link', { name: '登录后报名' }).click();
  await page.locator('[data-qa="mode-password"]').click();
  await page.locator('[data-qa="family-login-user"]').fill('family');
  await page.locator('[data-qa="family-login-password"]').fill(PASSWORD);
  await page.locator('[data-qa="family-login-submit"]').click();
  await card.locator('[data-qa="activity-register"]').click();
  await page.locator('[data-qa="activities-notice"]').waitFor();
  await card.locator('[data-qa="activity-registered"]').waitFor();
  assert.match(await card.locator('[data-qa="activity-free"]').textContent(), /余 9/);
  const listed = (await station.get('/api/v1/care-group-activities')).body.activities.find((a) => a.id === act.id);
  assert.equal(listed.registered, 1);
  // 我的: the registration, cancellable until it begins
  await page.goto(`${srv.url}/#/me`);
  const mine = page.locator(`[data-qa="my-activity"][data-id="${act.id}"]`);
  await mine.waitFor();
  assert.match(await mine.textContent(), /浏览器亲子阅读[\s\S]*已报名/);
  assert.equal(await mine.locator('[data-qa="my-activity-cancel"]').count(), 1);
  assertNoProblems(problems);
  await page.close();
});

test('from where the family stands: nearest activities and stations, register and cancel; the host takes attendance', async () => {
  const admin = await srv.login('district-admin');
  const st = (await admin.get('/api/v1/stations?limit=500')).body.items.find((s) => s.accepted_on);
  {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await context.grantPermissions(['geolocation'], { origin: srv.url });
    await context.setGeolocation({ longitude: st.lon, latitude: st.lat });
    await page.goto(`${srv.url}/#/login?redirect=/activities`);
    await page.locator('[data-qa="mode-password"]').click();
    await page.locator('[data-qa="family-login-user"]').fill('parent-24');
    await page.locator('[data-qa="family-login-password"]').fill(PASSWORD);
    await page.locator('[data-qa="family-login-submit"]').click();
    await page.locator('[data-qa="activity-list"]').waitFor();
    await page.locator('[data-qa="activities-locate"]').click();
    await page.locator('[data-qa="near-stations"]').waitFor();
    assert.match(await page.locator('[data-qa="near-station"]').first().textContent(), new RegExp(st.name.replace(/[()（）]/g, '.')));
    // the station's own coming activity first, where the family stands
    const card = page.locator('[data-qa="activity"]').first();
    await card.locator('[data-qa="activity-distance"]').waitFor();
    assert.match(await card.textContent(), /距您 0 米/);
    const id = Number(await card.getAttribute('data-id'));
    const free = async () => Number((await card.locator('[data-qa="activity-free"]').textContent()).match(/\d+/)[0]);
    const before = await free();
    await card.locator('[data-qa="activity-register"]').click();
    await card.locator('[data-qa="activity-registered"]').waitFor();
    assert.equal(await free(), before - 1);
    await card.locator('[data-qa="activity-cancel"]').click();
    await card.locator('[data-qa="activity-register"]').waitFor();
    assert.equal(await free(), before);
    assert.match(await page.locator('[data-qa="activities-notice"]').textContent(), /已取消/);
    const parent = await srv.login('parent-24');
    assert.ok(!(await parent.get('/api/v1/care-group-registrations')).body.registrations.some((a) => a.id === id));
    assertNoProblems(problems);
    await page.close();
  }
  // the district takes the attendance of a past demo activity: one family marked absent after all
  const past = (await admin.get('/api/v1/care-group-activities')).body.activities
    .find((a) => new Date(a.starts_at) < new Date() && a.registered >= 2 && a.attendance_taken_at);
  assert.ok(past, 'the demo has past activities with attendance taken');
  const rows = (await admin.get(`/api/v1/care-group-activities/${past.id}/registrations`)).body.registrations;
  const first = rows.find((r) => r.came);
  const { page, problems } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.locator('[data-qa="nav-activities"]').click();
  await page.locator(`[data-qa="act-attendance"][data-id="${past.id}"]`).click();
  const box = page.locator(`[data-qa="attendance-came"][data-id="${first.id}"]`);
  await box.waitFor();
  assert.equal(await box.isChecked(), true);
  await box.uncheck();
  await page.locator('[data-qa="attendance-save"]').click();
  await page.locator('[data-qa="activities-notice"]', { hasText: '已保存签到' }).waitFor();
  const after = (await admin.get(`/api/v1/care-group-activities/${past.id}/registrations`)).body.registrations;
  assert.equal(after.find((r) => r.id === first.id).came, false);
  assert.equal(after.filter((r) => r.came).length, rows.filter((r) => r.came).length - 1);
  assertNoProblems(problems);
  await page.close();
});
