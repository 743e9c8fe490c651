// stations.test.mjs — 成长驿站 in the browser (issue 16 item 3): the town officer of 景山 records a
// station's site and opens its joint acceptance; the list then shows it in progress with a link
// to its case; the station operator sees its own station only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
let srv, browser, admin;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  admin = await srv.login('district-admin');
});
after(async () => { await browser?.close(); await srv.stop(); });

test('the town records a station\'s site and opens its joint acceptance', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'town-330304001', PASSWORD);
  await page.click('[data-qa="nav-stations"]');
  const table = page.locator('[data-qa="stations"]');
  await table.locator('.el-table__body tr').first().waitFor();
  const first = (await admin.get('/api/v1/stations?town=330304001')).body.items.find((s) => s.town_code === '330304001');
  await table.locator('.el-table__body tr', { hasText: first.name }).click();
  await page.locator('[data-qa="site-form"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await page.fill('#s-around', '社区卫生服务中心一楼');
  await page.click('[data-qa="site-save"]');
  await page.locator('[data-qa="open-acceptance"]').click();
  await table.getByText('办理中').waitFor();
  const st = (await admin.get(`/api/v1/stations/${first.id}`)).body;
  assert.equal(st.site.surroundings, '社区卫生服务中心一楼');
  assert.ok(st.open_case_id, 'the acceptance is a case now');
  assertNoProblems(problems, 'stations page');
});
