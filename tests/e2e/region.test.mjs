// region.test.mjs — 区县比较 in the browser (issue 20 item 1): the city's administrator lands on the
// districts of Wenzhou side by side, chooses 瓯海区, and the console's pages then read Ouhai
// (the chosen district goes with every request); the city administrator sees no menu entry to write.
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

test('the city administrator compares Wenzhou’s districts and reads the one it chooses', async () => {
  const admin = await srv.login('district-admin');
  const own = (await admin.get('/api/v1/dashboard')).body.district;
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'city-admin', PASSWORD);
  await page.locator('[data-qa="region-table"] .el-table__body tr').first().waitFor();
  assert.deepEqual(await page.locator('[data-qa="region-district"]').allInnerTexts(), ['瓯海区'], 'only Ouhai runs on this platform');
  assert.equal(await page.locator('[data-qa="region-off"]').count(), 11, 'the other districts of Wenzhou, listed as not on it');
  assert.equal(await page.locator('[data-qa="region-off"][data-code="330302"]').innerText(), '鹿城区');
  assert.equal(await page.locator('[data-qa="region-institutions"]').innerText(), own.institutions.toLocaleString('zh-CN'));
  assert.deepEqual(await unlabelledControls(page), []);
  await page.click('[data-qa="region-choose"][data-code="330304"]');
  await page.locator('[data-qa="kpi-institutions"]').waitFor();
  // the choice is the cookie every request and every download link carries
  assert.match(await page.evaluate(() => document.cookie), /(^|; )tuoyu_district=330304(;|$)/);
  assert.equal(Number(await page.locator('[data-qa="kpi-institutions"]').getAttribute('data-value')), own.institutions);
  // the menu: reading pages, nothing that writes
  for (const qa of ['nav-region', 'nav-dashboard', 'nav-institutions', 'nav-findings'])
    assert.equal(await page.locator(`[data-qa="${qa}"]`).count(), 1, qa);
  for (const qa of ['nav-users', 'nav-children', 'nav-rounds', 'nav-calendar'])
    assert.equal(await page.locator(`[data-qa="${qa}"]`).count(), 0, qa);
  await page.click('[data-qa="nav-region"]');
  await page.locator('[data-qa="region-current"]').getByText('瓯海区').waitFor();
  // logging out forgets the choice
  await page.click('[data-qa="logout"]');
  await page.waitForFunction(() => !/tuoyu_district=/.test(document.cookie));
  assertNoProblems(problems);
});
