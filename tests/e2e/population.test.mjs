// population.test.mjs — 人口数据 in the browser (issue 19 item 2): the dashboard says which year's
// residents it divides by and leads to the population page; the district enters this year's
// figures there with their source, and the dashboard then divides by this year.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
let srv, browser;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv.stop(); });

test('the district enters this year\'s population from the dashboard\'s link; the dashboard divides by it', async () => {
  const admin = await srv.login('district-admin');
  const thisYear = Number((await admin.get('/api/v1/dashboard')).body.as_of.slice(0, 4));
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.click('[data-qa="nav-dashboard"]');
  const link = page.locator('[data-qa="kpi-population-year"]');
  await link.getByText('2023 年数据').waitFor();
  await link.click();
  await page.locator('[data-qa="population"] .el-table__body tr').first().waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  // this year: empty until entered
  await page.fill('#pop-year', String(thisYear));
  await page.keyboard.press('Enter');
  // the rows of the year shown before (2023's, with their figures) stay until the year's answer
  // replaces them: typed into before that, the figures were wiped and nothing was saved (a CI run)
  await page.waitForFunction(() => document.querySelector('[data-qa="pop-residents"] input')?.value === '');
  const inputs = page.locator('[data-qa="pop-residents"] input');
  await inputs.nth(0).fill('123456');
  await inputs.nth(1).fill('98765');
  await page.fill('#pop-source', '区统计局快报');
  await page.click('[data-qa="population-save"]');
  await page.locator('[data-qa="population-saved"]').waitFor();
  const r = (await admin.get(`/api/v1/population?year=${thisYear}`)).body;
  assert.deepEqual(r.towns.slice(0, 2).map((t) => [t.residents, t.source]), [[123456, '区统计局快报'], [98765, '区统计局快报']]);
  assert.equal(r.towns[2].residents, null, 'a town left empty is not saved');
  await page.click('[data-qa="nav-dashboard"]');
  await page.locator('[data-qa="kpi-population-year"]').getByText(`${thisYear} 年数据`).waitFor();
  // this month's point of the trend was kept when the dashboard was first read today
  const month = (await admin.get('/api/v1/dashboard')).body.as_of.slice(0, 7);
  await page.locator('[data-qa="trend"] .el-table__body tr', { hasText: month }).waitFor();
  assertNoProblems(problems, 'population page');
});
