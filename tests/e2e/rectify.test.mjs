// rectify.test.mjs — 整改 in the browser (issue 19 "done when"): the district drills from the
// dashboard's 待整改合规问题 to the findings, raises an item and follows it to the institution's
// 整改与督查 page; the operator reports what was done with a scanned proof uploaded there; the
// district closes it. An inspection recorded on the same page raises its failed point as an item.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { pdfBytes } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
let srv, browser;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('from the KPI to a rectification item, reported with evidence by the institution, closed by the district', async () => {
  const admin = await srv.login('district-admin');
  // the district: dashboard → findings → raise → the institution's page
  let { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.click('[data-qa="nav-dashboard"]');
  await page.click('[data-qa="kpi-findings-link"]');
  const first = page.locator('[data-qa="findings"] .el-table__body tr').first();
  await first.locator('[data-qa="finding-raise"]').click();
  await first.locator('[data-qa="finding-raised"]').click();
  await page.locator('[data-qa="rect-items"] [data-qa="rect-status"]').getByText('待整改').first().waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  const inst = Number(/institutions\/(\d+)\/rectifications/.exec(page.url())[1]);
  const item = (await admin.get(`/api/v1/institutions/${inst}/rectifications`)).body.items[0];
  assertNoProblems(problems, 'district raises');
  await page.close();

  // the institution reports with a proof uploaded on the page
  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION] }));
  await loginUI(page, srv.url, `inst-${inst}`, PASSWORD);
  await page.click('[data-qa="wb-rectifications"]');
  await page.locator('[data-qa="rect-respond-open"]').first().click();
  await page.locator('[data-qa="material-file"]').setInputFiles({ name: '整改照片.pdf', mimeType: 'application/pdf', buffer: pdfBytes('rectify-e2e') });
  await page.locator('[data-qa="material-ok"]').waitFor();
  await page.fill('#rect-response', '已按要求整改，附整改后照片');
  await page.locator('[data-qa="rect-evidence"]').click();
  await page.locator('.el-select-dropdown__item', { hasText: '整改照片.pdf' }).click();
  await page.keyboard.press('Escape');
  await page.click('[data-qa="rect-respond-submit"]');
  await page.locator('[data-qa="rect-saved"]').getByText('已报送').waitFor();
  let now = (await admin.get(`/api/v1/institutions/${inst}/rectifications`)).body.items.find((x) => x.id === item.id);
  assert.equal(now.status, 'responded');
  assertNoProblems(problems, 'institution reports');
  await page.close();

  // the district closes it, and records an inspection whose failed point becomes an item
  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION] }));
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.goto(`${srv.url}/console/#/institutions/${inst}/rectifications`);
  await page.locator('[data-qa="rect-close-open"]').first().click();
  await page.fill('#rect-review', '现场复核，已整改到位');
  await page.click('[data-qa="rect-close-submit"]');
  await page.locator('[data-qa="rect-saved"]').getByText('已销号').waitFor();
  now = (await admin.get(`/api/v1/institutions/${inst}/rectifications`)).body.items.find((x) => x.id === item.id);
  assert.equal(now.status, 'closed');
  const day = (await admin.get('/api/v1/public/labels')).body.as_of;
  await page.locator('#insp-day').click();
  await page.locator('#insp-day').fill(day);
  await page.locator('#insp-day').press('Enter');
  await page.fill('#insp-team', '区卫健局督查组');
  await page.locator('[data-qa="insp-result"]').first().locator('label', { hasText: '不符合' }).click();
  await page.locator('[data-qa="insp-note"]').first().fill('未公示调价');
  await page.locator('[data-qa="insp-code"]').first().click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '收费超出价格政策' }).click();
  await page.click('[data-qa="insp-submit"]');
  await page.locator('[data-qa="rect-saved"]').getByText('督查记录已提交').waitFor();
  await page.locator('[data-qa="inspections"] .el-table__body tr').first().getByText('不符合 1 项').waitFor();
  const raised = (await admin.get(`/api/v1/institutions/${inst}/rectifications`)).body.items.filter((x) => x.source === 'inspection');
  assert.equal(raised.length, 1);
  assertNoProblems(problems, 'district closes and inspects');
  await page.close();
});
