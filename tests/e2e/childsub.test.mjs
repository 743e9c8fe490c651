// childsub.test.mjs — 育儿补贴 in the browser (issue 18 items 4 and 5): the family, on a phone-sized
// screen, opens its child's 育儿补贴 page from 我的, sees the 36 months it is entitled to month by
// month, is refused a bank card number with a wrong check digit on its field, applies, and sees the
// application waiting for the town with the account masked; the town officer approves it from the
// console's 育儿补贴审核 queue; the family then sees the four yearly rows in the ledger, and the
// district sees them in 资金台账 with their total, puts the approved ones in a payment batch and
// confirms it paid, which the family then sees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { child } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls } from './browser.mjs';

const HOME_TOWN = '330304001';
const CARD = '6222021234567890128'; // Luhn check digit 8
let srv, browser, family, admin, kid;
before(async () => {
  srv = await startServer({ web: true, now: '2026-06-01T02:00:00Z' });
  browser = await launch();
  family = await srv.login('family');
  admin = await srv.login('district-admin');
  kid = await child(family, '2025-06-15', { name: '浏览器宝宝', hukou_town: HOME_TOWN });
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the family applies for 育儿补贴, the town approves it, the ledger shows it', async () => {
  // the bad card number (422) is provoked on purpose
  const { page, problems } = await openPage(browser, { viewport: { width: 390, height: 844 }, expect: [/status of 422/, /status of 401/] });
  await page.goto(`${srv.url}/#/me`);
  await page.locator('[data-qa="mode-password"]').click();
  await page.locator('[data-qa="family-login-user"]').fill('family');
  await page.locator('[data-qa="family-login-password"]').fill(PASSWORD);
  await page.locator('[data-qa="family-login-submit"]').click();
  await page.locator(`[data-qa="subsidy-link"][data-id="${kid}"]`).click();
  await page.locator('[data-qa="subsidy-total"]').waitFor();
  assert.match(await page.locator('[data-qa="subsidy-total"]').textContent(), /36\s*个月.*¥10,800/s);
  await page.locator('[data-qa="subsidy-months"] summary').click();
  assert.equal(await page.locator('[data-qa="subsidy-month"]').count(), 36);
  assert.match(await page.locator('[data-qa="subsidy-month"][data-month="2025-06"]').textContent(), /¥300.*育儿补贴制度实施方案/s);
  assert.deepEqual(await unlabelledControls(page), []);

  await page.locator('[data-qa="subsidy-cert"]').fill('O440012345');
  await page.selectOption('[data-qa="subsidy-relation"]', 'father');
  await page.locator('[data-qa="subsidy-bank"]').fill('中国工商银行温州瓯海支行');
  await page.locator('[data-qa="subsidy-account"]').fill('6222021234567890127');
  await page.locator('[data-qa="subsidy-submit"]').click();
  assert.match(await page.locator('[data-qa="subsidy-account-error"]').textContent(), /校验位/);
  await page.locator('[data-qa="subsidy-account"]').fill(CARD);
  await page.locator('[data-qa="subsidy-submit"]').click();
  const app = page.locator('[data-qa="subsidy-application"][data-state="submitted"]');
  await app.waitFor();
  const text = await app.textContent();
  assert.match(text, /待镇街审核/);
  assert.match(text, /6222 \*\*\*\* \*\*\*\* 0128/);
  assert.ok(!text.includes(CARD));
  assert.equal(await page.locator('[data-qa="subsidy-form"]').count(), 0, 'no second application while one is live');
  assertNoProblems(problems, 'family subsidy page');

  // the town officer approves it from the queue
  const { page: console_, problems: p2 } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(console_, srv.url, `town-${HOME_TOWN}`, PASSWORD);
  await console_.click('[data-qa="nav-childsub"]');
  await console_.locator(`[data-qa="childsub-approve-${kid}"]`).click();
  await console_.getByText('笔记入资金台账').waitFor();
  assert.deepEqual(await unlabelledControls(console_), []);
  assertNoProblems(p2, 'town approvals queue');

  // the family sees the ledger's four yearly rows
  await page.reload();
  await page.locator('[data-qa="subsidy-ledger-row"]').first().waitFor();
  assert.equal(await page.locator('[data-qa="subsidy-ledger-row"][data-state="approved"]').count(), 4);
  assert.equal(await page.locator('[data-qa="subsidy-application"][data-state="approved"]').count(), 1);

  // the district's 资金台账: childcare rows approved, with their total
  const { page: ledger, problems: p3 } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(ledger, srv.url, 'district-admin', PASSWORD);
  await ledger.click('[data-qa="nav-funds"]');
  await ledger.locator('[data-qa="funds"] .el-table__body tr').first().waitFor();
  const expected = (await admin.get('/api/v1/funds/entitlements?kind=childcare&limit=1')).body.totals;
  await ledger.click('[data-qa="funds-kind"]');
  await ledger.locator('.el-select-dropdown__item:visible', { hasText: '育儿补贴' }).click();
  await ledger.locator('[data-qa="funds-totals"]', { hasText: `共 ${expected.count} 笔` }).waitFor();
  assert.ok(expected.count >= 4);
  assert.deepEqual(await unlabelledControls(ledger), []);
  // the approved ones into a payment batch, its bank list offered, then confirmed paid
  await ledger.click('[data-qa="funds-state"]');
  await ledger.locator('.el-select-dropdown__item:visible', { hasText: '已审批' }).click();
  const approved = (await admin.get('/api/v1/funds/entitlements?kind=childcare&state=approved&limit=1')).body.totals;
  await ledger.locator('[data-qa="funds-totals"]', { hasText: `共 ${approved.count} 笔` }).waitFor();
  await ledger.locator('[data-qa="funds"] .el-table__header .el-checkbox').click();
  await ledger.locator('input[data-qa="batch-name"], [data-qa="batch-name"] input').first().fill('2026年6月育儿补贴');
  await ledger.click('[data-qa="batch-create"]');
  const made = ledger.locator('[data-qa="batch-made"]');
  await made.waitFor();
  assert.match(await made.textContent(), new RegExp(`${approved.count} 笔.*待拨付`, 's'));
  const href = await ledger.locator('[data-qa="batch-export"]').getAttribute('href');
  assert.match(href, /^\/api\/v1\/funds\/batches\/\d+\/export$/);
  await ledger.click('[data-qa="batch-paid"]');
  await made.getByText('已拨付').waitFor();
  assertNoProblems(p3, 'funds ledger page');
  await page.reload();
  await page.locator('[data-qa="subsidy-ledger-row"]').first().waitFor();
  assert.equal(await page.locator('[data-qa="subsidy-ledger-row"][data-state="paid"]').count(), 4, 'the family sees its rows paid');
});
