// fees.test.mjs — fees in the browser (issue 17 items 4, 5, 7): a parent's card shows the full-day
// monthly fee as "全日托 ¥x/月" and the other prices by service type with their units, and the fee
// filter reads the full-day monthly item (an institution whose half-day and hourly prices are low
// but whose full-day fee is high is not "within 3,000 元"); the operator announces a change in the
// catalogue editor, the history shows it announced and the public page shows the notice (a
// retroactive day is refused: tests/api/fees.test.mjs); the
// district's list marks a price outside the guidance and opens its institution; the cost
// worksheet works out a suggested price.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { uscc } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
let srv, browser, admin, priced;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  admin = await srv.login('district-admin');
  const r = await admin.post('/api/v1/institutions', {
    name: '半日托计时托比价园', uscc: uscc('91330304MC5000001'), town_code: '330304002', address: '梧田街道比价路3号',
    lon: 120.683, lat: 27.962, operating_model: 'market', ownership: 'private', status: 'filed', inclusive: false,
    premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 10, enrolled: 4, caregivers: 3 }],
    fees: [{ item: '半日托', category: 'basic', service_type: 'half_day', amount_fen: 150000, unit: '月' },
      { item: '全日托', category: 'basic', service_type: 'full_day', amount_fen: 520000, unit: '月' },
      { item: '计时托', category: 'basic', amount_fen: 4200, unit: '小时' }],
  });
  assert.equal(r.status, 201, r.text);
  priced = r.body.id;
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('a card shows the full-day monthly fee and the rest by service type; the fee filter reads the full-day item', async () => {
  const { page, problems } = await openPage(browser);
  await page.goto(srv.url + '/');
  await page.locator('[data-qa="institution-card"]').first().waitFor();
  const filters = page.locator('[data-qa="filters"]');
  if (!(await filters.isVisible())) await page.click('[data-qa="filters-toggle"]');
  await page.fill('[data-qa="filter-q"]', '半日托计时托比价');
  await page.click('[data-qa="search-submit"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-qa="institution-card"]').length === 1);
  assert.equal((await page.locator('[data-qa="card-fee"]').textContent()).trim(), '全日托 ¥5,200/月 · 半日托 ¥1,500/月 · 计时托 ¥42/小时');
  // within 3,000 元 a month: not this one, whose full-day fee is 5,200 (its half-day 1,500 is no full-day fee)
  await page.fill('[data-qa="filter-max-fee"]', '3000');
  await page.click('[data-qa="search-submit"]');
  await page.waitForFunction(() => !document.querySelector('[data-qa="result-count"]').textContent.includes('正在')
    && document.querySelectorAll('[data-qa="institution-card"]').length === 0);
  await page.fill('[data-qa="filter-max-fee"]', '5200');
  await page.click('[data-qa="search-submit"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-qa="institution-card"]').length === 1);
  assertNoProblems(problems, 'portal fees');
  await page.close();
});

test('the operator announces a change; the history and the public page show it; the worksheet suggests a price', async () => {
  const op = await srv.login('inst-1');
  const before = (await op.get('/api/v1/institutions/1/fees')).body;
  const next = new Date(Date.parse(before.as_of + 'T00:00:00Z') + 20 * 86400000).toISOString().slice(0, 10);
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'inst-1', PASSWORD);
  await page.click('[data-qa="nav-fees"]');
  await page.locator('[data-qa="fees-in-force"] .el-table__body tr').first().waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  const amount = page.locator('[data-qa="draft-amount"] input').first();
  await amount.fill('2680');
  const from = page.locator('#fee-from');
  await from.click();
  await from.fill(next);
  await from.press('Enter');
  await page.fill('#fee-note', '浏览器测试调价');
  await page.click('[data-qa="fee-publish"]');
  await page.locator('[data-qa="fees-saved"]').getByText(`${next} 起执行`).waitFor();
  await page.locator('[data-qa="fee-changes"] tr', { hasText: '已公告待执行' }).getByText('¥2,680/月').waitFor();
  const after = (await op.get('/api/v1/institutions/1/fees')).body;
  assert.equal(after.changes[0].effective_from, next);
  assert.equal(after.changes[0].items[0].amount_fen, 268000);
  assert.deepEqual(after.in_force, before.in_force, 'nothing changes before its day');
  // the public page announces it
  const anon = await openPage(browser);
  await anon.page.goto(`${srv.url}/#/institutions/1`);
  await anon.page.locator('[data-qa="fees-announced"]').getByText('起执行').waitFor();
  assert.match(await anon.page.locator('[data-qa="public-fee-guidance"]').textContent(), /目录外不得收费/);
  await anon.page.close();

  // the cost worksheet
  await page.click('[data-qa="nav-fee-worksheet"]');
  await page.locator('[data-qa="ws-sheet"]').waitFor();
  const set = async (key, v) => page.locator(`[data-qa="ws-${key}"] input`).fill(String(v));
  for (const [k, v] of [['staff_fen', 1200000], ['rent_fen', 300000], ['utilities_fen', 60000], ['materials_fen', 40000],
    ['depreciation_fen', 50000], ['other_fen', 30000], ['food_fen', 180000], ['subsidy_fen', 280000], ['places', 80], ['avg_enrolled', 60], ['months', 12]]) await set(k, v);
  await page.click('[data-qa="ws-save"]');
  await page.locator('[data-qa="ws-saved"]').waitFor();
  assert.equal((await page.locator('[data-qa="ws-cost"]').textContent()).trim(), '¥1,944.44');
  const ws = (await op.get(`/api/v1/institutions/1/fee-worksheets/${new Date(Date.now() + 8 * 3600e3).getUTCFullYear()}`)).body;
  assert.equal(ws.worksheet.result.cost_per_child_month_fen, 194444);
  assert.ok((await page.locator('[data-qa="ws-suggested"]').textContent()).includes('¥'));
  assertNoProblems(problems, 'operator fees');
  await page.close();
});

test('the district sees every catalogue, the prices outside the guidance marked, and opens one', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.click('[data-qa="nav-fees"]');
  await page.locator('[data-qa="fees-list"] .el-table__body tr').first().waitFor();
  const all = [];
  for (let cursor = ''; ;) {
    const page = (await admin.get(`/api/v1/fees?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).body;
    all.push(...page.items);
    if (!page.next) break;
    cursor = encodeURIComponent(page.next);
  }
  const outside = all.filter((x) => x.outside_band);
  assert.ok(outside.length > 0, 'the demo has prices outside the guidance');
  await page.check('[data-qa="fees-outside"]');
  await page.locator('[data-qa="fees-count"]').getByText(`超出价格政策 ${outside.length} 项`).waitFor();
  // a page of 50 rows, every one outside the guidance
  await page.waitForFunction((n) => document.querySelectorAll('[data-qa="fees-list"] .el-table__body tr').length === n, Math.min(outside.length, 50));
  assert.equal(await page.locator('[data-qa="fees-list"] [data-qa="fee-outside"]').count(), Math.min(outside.length, 50));
  await page.locator('[data-qa="fees-list"] .el-table__body tr').first().locator('[data-qa="fees-open"]').click();
  await page.locator('[data-qa="fee-catalogue"]').waitFor();
  await page.locator('[data-qa="fee-band-finding"]').first().waitFor();
  assert.match(await page.locator('[data-qa="fee-guidance"]').textContent(), /政府指导价|参考区间/);
  assertNoProblems(problems, 'district fees');
  await page.close();
});
