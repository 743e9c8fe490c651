// calendar.test.mjs — the console's 工作日历 page in a real browser: the district administrator
// reads a year's holidays and adjusted working days on the month grids as the API holds them,
// counts 5 working days from 2024-09-30 (2024-10-12) with the calculator, and adds a new year
// from a notice — an adjusted working day on a Monday is refused beside its field, nothing saved;
// corrected, the year is saved and counted on at once. Labelled controls, AA contrast, no errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls, lowContrastText } from './browser.mjs';

const NO_SESSION = /status of 401/;
// the new year's page reads GET /calendar/2027 first (404: not held yet); the refused save is a 422
const EXPECTED = [NO_SESSION, /status of 404/, /status of 422/];

let srv, browser, admin;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  admin = await srv.login('district-admin');
});
after(async () => { await browser?.close(); await srv?.stop(); });

async function pickYear(page, label) {
  await page.locator('[data-qa="calendar-year"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).click();
}

async function fillDate(page, selector, value) {
  const input = page.locator(selector);
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

const cellClass = (page, date) => page.locator(`td[data-date="${date}"]`).getAttribute('class');

test('district admin: reads 2024, counts 5 working days from 2024-09-30, adds 2027', async () => {
  const { page, problems } = await openPage(browser, { expect: EXPECTED });
  await loginUI(page, srv.url, 'district-admin', srv.password);
  await page.click('[data-qa="nav-calendar"]');
  // this year opens first (or the last year held)
  await page.locator('[data-qa="calendar-summary"]').waitFor();

  await pickYear(page, '2024 年');
  await page.locator('[data-qa="calendar-summary"]', { hasText: '国办发明电〔2023〕7号' }).waitFor();
  const y2024 = (await admin.get('/api/v1/public/calendar/2024')).body;
  for (const d of y2024.days) assert.match(await cellClass(page, d.date), new RegExp(`\\b${d.kind}\\b`), d.date);
  assert.match(await cellClass(page, '2024-10-13'), /weekend/, 'an ordinary Sunday');
  assert.doesNotMatch(await cellClass(page, '2024-10-08'), /off|work|weekend/, 'an ordinary Tuesday');
  assert.match(await page.locator('td[data-date="2024-10-12"]').getAttribute('title'), /国庆节调休上班/);
  assert.equal(await page.locator('[data-qa="days-table"] tbody tr').count(), y2024.days.length, 'the edit list holds the year');

  // the calculator: a filing submitted on 2024-09-30, its receipt due 5 working days later
  await fillDate(page, '#calc-date', '2024-09-30');
  await page.locator('[data-qa="calc-n"] input').fill('5');
  await page.click('[data-qa="calc-submit"]');
  await page.locator('[data-qa="calc-result-date"]', { hasText: '2024年10月12日' }).waitFor();
  assert.match(await page.locator('[data-qa="calc-result"]').textContent(), /星期六/);
  assert.deepEqual(await unlabelledControls(page), [], 'labelled');
  assert.deepEqual(await lowContrastText(page), []);
  await screenshot(page, 'calendar-2024');

  // counting into 2027 is refused, naming the year
  await fillDate(page, '#calc-date', '2026-12-30');
  await page.click('[data-qa="calc-submit"]');
  await page.locator('[data-qa="calc-error"]', { hasText: '2027' }).waitFor();

  // a new year: 2027 (made-up days, not a real notice)
  await pickYear(page, '2027 年（新增）');
  await page.locator('[data-qa="calendar-missing"]').waitFor();
  await page.fill('#f-basis', '测试用通知');
  await fillDate(page, '#range-from', '2027-01-01');
  await fillDate(page, '#range-to', '2027-01-01');
  await page.fill('#range-name', '元旦');
  await page.click('[data-qa="range-add"]');
  await page.click('[data-qa="day-add"]');
  await fillDate(page, '#f-days-1-date', '2027-01-04'); // a Monday: not an adjusted working day
  await page.fill('#f-days-1-name', '元旦');
  const auditor = await srv.login('auditor');
  const head = (await auditor.get('/api/v1/audit?limit=1')).body.items[0].id;
  await page.click('[data-qa="edit-save"]');
  await page.locator('[data-qa="field-error"][data-field="days[1].kind"]').waitFor();
  assert.match(await page.locator('[data-qa="field-error"][data-field="days[1].kind"]').textContent(), /周六或周日/);
  assert.equal((await admin.get('/api/v1/public/calendar/2027')).status, 404, 'nothing saved');
  assert.equal((await auditor.get('/api/v1/audit?limit=1')).body.items[0].id, head, 'nothing audited');
  await screenshot(page, 'calendar-2027-refused');

  await fillDate(page, '#f-days-1-date', '2027-01-09'); // a Saturday
  await page.click('[data-qa="edit-save"]');
  await page.locator('[data-qa="edit-ok"]').waitFor();
  const y2027 = (await admin.get('/api/v1/public/calendar/2027')).body;
  assert.deepEqual(y2027.days, [{ date: '2027-01-01', kind: 'off', name: '元旦' }, { date: '2027-01-09', kind: 'work', name: '元旦' }]);
  assert.equal(y2027.basis, '测试用通知');
  assert.match(await cellClass(page, '2027-01-01'), /\boff\b/);
  assert.match(await cellClass(page, '2027-01-09'), /\bwork\b/);
  await page.locator('[data-qa="calendar-summary"]', { hasText: '测试用通知' }).waitFor();

  // and counted on at once: 2026-12-31, (01-01 off), 01-04 … 01-07
  await page.click('[data-qa="calc-submit"]');
  await page.locator('[data-qa="calc-result-date"]', { hasText: '2027年1月7日' }).waitFor();
  await screenshot(page, 'calendar-2027-saved');
  assertNoProblems(problems, 'calendar');
  await page.context().close();
});

test('roles without calendar.manage see no 工作日历 page', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, /status of 403/] });
  await loginUI(page, srv.url, 'town-330304001', srv.password);
  assert.equal(await page.locator('[data-qa="nav-calendar"]').count(), 0);
  await page.goto(`${srv.url}/console#/calendar`);
  await page.waitForFunction(() => !location.hash.startsWith('#/calendar'));
  assertNoProblems(problems, 'town officer');
  await page.context().close();
});
