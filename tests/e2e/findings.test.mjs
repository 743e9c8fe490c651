// findings.test.mjs — 合规问题 in the browser (issue 19 items 1 and 5): the district drills from
// the dashboard's 待整改合规问题 to the findings list, from a town's row to that town's findings,
// and raises a rectification item from a finding; the row then shows it pending.
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

test('from the dashboard\'s count to the findings, from a town\'s row to its findings, and a rectification raised', async () => {
  const admin = await srv.login('district-admin');
  const dash = (await admin.get('/api/v1/dashboard')).body;
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.click('[data-qa="nav-dashboard"]');
  await page.click('[data-qa="kpi-findings-link"]');
  await page.locator('[data-qa="findings-count"]').getByText(`共 ${dash.district.open_findings} 个问题`).waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  // a town's row leads to that town's findings
  const town = dash.towns.find((t) => t.open_findings > 0);
  await page.click('[data-qa="nav-dashboard"]');
  await page.locator('[data-qa="town-table"] .el-table__body tr', { hasText: town.name }).locator('[data-qa="town-findings-link"]').click();
  await page.locator('[data-qa="findings-count"]').getByText(`共 ${town.open_findings} 个问题`).waitFor();
  // raise a rectification from the first finding
  const first = page.locator('[data-qa="findings"] .el-table__body tr').first();
  await first.locator('[data-qa="finding-raise"]').click();
  await first.locator('[data-qa="finding-raised"]').waitFor();
  const items = (await admin.get(`/api/v1/findings?town=${town.code}&limit=500`)).body.items;
  assert.equal(items.filter((x) => x.rectification_status === 'open').length, 1, 'one item raised');
  assertNoProblems(problems, 'findings page');
});
