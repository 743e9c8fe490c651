// premises.test.mjs — 国有闲置房源 in a real browser: the district administrator enters an entry on
// 闲置房源, its location picked on the map, and sees it in the list and as a square on the map; a
// 普惠 institution's operator finds it among the entries open to application, applies with a use
// plan, lands on the application case and submits it, and finds it in 办件; the administrator
// allocates it on the case page; the register then shows it allocated to the institution. No page
// errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
let srv, browser, admin;

before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  admin = await srv.login('district-admin');
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('an operator applies for an idle state premises and the administrator allocates it', async () => {
  const ADDRESS = '景山街道浏览器测试路 9 号原社区用房';
  // the administrator enters the entry, the point picked on the map
  const a = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(a.page, srv.url, 'district-admin', srv.password);
  await a.page.click('[data-qa="nav-premises"]');
  await a.page.locator('[data-qa="premises-address"]').first().waitFor();
  await a.page.click('[data-qa="premises-add"]');
  await a.page.locator('[data-qa="premises-town"]').click();
  await a.page.locator('.el-select-dropdown__item:visible', { hasText: '景山街道' }).first().click();
  await a.page.locator('[data-qa="premises-address-input"]').fill(ADDRESS);
  await a.page.locator('[data-qa="coord-pick"]').click();
  const map = a.page.locator('[data-qa="coord-map"]');
  await map.waitFor();
  await map.locator('.leaflet-pane').first().waitFor({ state: 'attached' });
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  await a.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await a.page.locator('[data-qa="coord-pick-hint"]', { hasText: '已选' }).waitFor();
  const [lon, lat] = [Number(await a.page.inputValue('[data-qa="premises-lon"]')), Number(await a.page.inputValue('[data-qa="premises-lat"]'))];
  assert.ok(lon > 120.32 && lon < 120.78 && lat > 27.8 && lat < 28.1, `the point came from the map, in the district: ${lon}, ${lat}`);
  await a.page.locator('[data-qa="premises-area"]').fill('360');
  await a.page.locator('[data-qa="premises-owner"]').fill('瓯海区机关事务管理中心');
  await a.page.locator('[data-qa="premises-free-months"]').fill('24');
  await a.page.locator('[data-qa="premises-terms"]').fill('前两年免收租金');
  assert.deepEqual(await unlabelledControls(a.page), [], 'every control of the register has a name');
  await a.page.locator('[data-qa="premises-save"]').click();
  await a.page.locator('[data-qa="premises-ok"]', { hasText: ADDRESS }).waitFor();
  await a.page.locator('[data-qa="premises-address"]', { hasText: ADDRESS }).waitFor();
  await a.page.waitForFunction(() => Number(document.querySelector('[data-qa="premises-map"]')?.dataset.premises) > 0);
  await screenshot(a.page, 'console-premises-register');
  const entry = (await admin.get('/api/v1/premises?limit=500')).body.items.find((p) => p.address === ADDRESS);
  assert.ok(entry, 'saved');
  assert.equal(entry.town_code, '330304001');
  assert.equal(entry.lon, lon);
  assert.equal(entry.rent_free_months, 24);

  // a filed 普惠 institution's operator applies
  const inst = (await admin.get('/api/v1/institutions?status=filed&limit=500')).body.items[0];
  assert.equal((await admin.put(`/api/v1/institutions/${inst.id}`, { inclusive: true, inclusive_since: '2024-01-01', inclusive_basis: '瓯海区普惠性托育机构认定（测试）' })).status, 200);
  const o = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(o.page, srv.url, `inst-${inst.id}`, srv.password);
  await o.page.click('[data-qa="nav-premises-available"]');
  const row = o.page.locator('.el-table__row', { hasText: ADDRESS });
  await row.waitFor();
  await row.locator('[data-qa="premises-apply"]').click();
  await o.page.locator('[data-qa="premises-plan"]').fill('拟设托小班、托大班各一个，收托 35 人，按普惠价收费');
  await o.page.locator('[data-qa="premises-apply-confirm"]').click();
  await o.page.locator('[data-qa="case-title"]', { hasText: '国有闲置房源申请' }).waitFor();
  await o.page.locator('[data-qa="case-premises-address"]', { hasText: ADDRESS }).waitFor();
  const caseId = Number(o.page.url().match(/cases\/(\d+)/)[1]);
  await o.page.click('[data-qa="case-declaration"]');
  await o.page.click('[data-qa="case-submit"]');
  await o.page.locator('[data-qa="case-state"]', { hasText: '待审核分配' }).waitFor();
  await o.page.locator('[data-qa="case-next"]', { hasText: '区卫健局审核分配' }).waitFor();
  // the application is in the operator's 办件 like a filing
  await o.page.click('[data-qa="nav-cases"]');
  await o.page.locator('[data-qa="case-open"]', { hasText: inst.name }).first().waitFor();
  assert.ok(await o.page.locator('[data-qa="case-table"]').getByText('国有闲置房源申请').count() > 0);
  assertNoProblems(o.problems, 'operator');

  // the administrator allocates on the case page; the register shows the institution
  await a.page.goto(`${srv.url}/console#/cases/${caseId}`);
  await a.page.locator('[data-qa="case-premises-plan"]', { hasText: '35 人' }).waitFor();
  await a.page.click('[data-qa="decide-allocate"]');
  await a.page.locator('[data-qa="case-state"]', { hasText: '已分配' }).waitFor();
  await screenshot(a.page, 'console-premises-allocated');
  await a.page.click('[data-qa="nav-premises"]');
  const done = a.page.locator('.el-table__row', { hasText: ADDRESS });
  await done.locator('[data-qa="premises-status"]', { hasText: '已分配' }).waitFor();
  assert.match(await done.locator('[data-qa="premises-allocated-to"]').textContent(), new RegExp(inst.name.replace(/[()（）]/g, '.')));
  assertNoProblems(a.problems, 'administrator');
  const after = (await admin.get(`/api/v1/premises/${entry.id}`)).body;
  assert.equal(after.status, 'allocated');
  assert.equal(after.institution_id, inst.id);
});
