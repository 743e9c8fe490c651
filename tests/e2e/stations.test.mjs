// stations.test.mjs — 成长驿站 in the browser (issue 16 items 3 and 5): the town officer of 景山 records a
// station's site and opens its joint acceptance; the list then shows it in progress with a link
// to its case; the district's dashboard shows the network targets, each leading to its list.
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
  // a newly registered station of the town (the demo's others have their sites, some an open acceptance)
  const first = (await admin.get('/api/v1/stations?town=330304001')).body.items.find((s) => s.town_code === '330304001' && !s.site);
  const row = table.locator('.el-table__body tr', { hasText: first.name });
  await row.click();
  await page.locator('[data-qa="site-form"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await page.fill('#s-around', '社区卫生服务中心一楼');
  await page.click('[data-qa="site-save"]');
  await page.locator('[data-qa="open-acceptance"]').click();
  await row.getByText('办理中').waitFor();
  const st = (await admin.get(`/api/v1/stations/${first.id}`)).body;
  assert.equal(st.site.surroundings, '社区卫生服务中心一楼');
  assert.ok(st.open_case_id, 'the acceptance is a case now');
  assertNoProblems(problems, 'stations page');
});

test('the dashboard shows the network targets, each leading to its list', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.click('[data-qa="nav-dashboard"]');
  const tile = page.locator('[data-qa="target-stations"]');
  await tile.waitFor();
  const t = (await admin.get('/api/v1/network/targets')).body;
  assert.match(await tile.textContent(), new RegExp(`${t.stations.accepted} / ${t.stations.target}`));
  assert.match(await page.locator('[data-qa="target-activities"]').textContent(), new RegExp(`${t.activities.count} / 200`));
  await tile.click();
  await page.locator('[data-qa="stations"]').waitFor();
  assertNoProblems(problems, 'dashboard targets');
});
