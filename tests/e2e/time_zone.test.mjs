// time_zone.test.mjs — the console counts years and quarters on Beijing's calendar, whatever the
// browser's time zone: at 18:00 UTC on 31 December it is already 1 January in Beijing, so a browser
// set to London offers the quarter that has just ended (Q4, not Q3), the new year's cost worksheet,
// population figures up to the year after it, and that year's budget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, loginUI } from './browser.mjs';

const NOW = '2030-12-31T18:00:00Z'; // 2031-01-01 02:00 in Beijing; 2030-12-31 18:00 in London
const NO_SESSION = /status of 401/;

let srv, browser;
before(async () => {
  srv = await startServer({ web: true, now: NOW });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

async function londonPage(login) {
  const p = await openPage(browser, { expect: [NO_SESSION], timezoneId: 'Europe/London' });
  await p.page.clock.setFixedTime(new Date(NOW));
  assert.equal(await p.page.evaluate(() => new Date().getFullYear()), 2030, 'the browser lives in London, still in 2030');
  await loginUI(p.page, srv.url, login, srv.password);
  return p;
}

test('a browser in London at 18:00 UTC on 31 December works in Beijing’s new year', async () => {
  const { page, problems } = await londonPage('district-admin');
  await page.click('[data-qa="nav-funds"]');
  await page.locator('[data-qa="funds-round"]').waitFor();
  await page.locator('[data-qa="round-quarter"]').getByText('2030-Q4').waitFor();
  assert.match(await page.locator('[data-qa="forecast-run"]').textContent(), /测算 2032 年度预算/);
  // 人口数据 opens on the latest year the server holds; the year one may enter goes up to next year's
  await page.click('[data-qa="nav-population"]');
  await page.waitForFunction(() => document.querySelector('[data-qa="population-year"] input')?.getAttribute('aria-valuemax') !== null);
  assert.equal(await page.locator('[data-qa="population-year"] input').getAttribute('aria-valuemax'), '2032');
  assertNoProblems(problems, 'district pages');
  await page.close();

  const op = await londonPage('inst-1');
  await op.page.click('[data-qa="nav-fee-worksheet"]');
  assert.equal(await op.page.locator('[data-qa="ws-year"] input').inputValue(), '2031');
  assertNoProblems(op.problems, 'cost worksheet');
});
