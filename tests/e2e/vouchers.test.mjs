// vouchers.test.mjs — 托育券 in the browser (issue 18 item 5): the district sets up an issue and
// issues it on 托育券; the family, whose child its institution has placed, uses the voucher there
// from 我的 on the portal; the institution claims it on 托育券 and the ledger holds it.
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
after(async () => { await browser?.close(); await srv?.stop(); });

test('issued by the district, used by the family where its child is in care, claimed by the institution', async () => {
  const admin = await srv.login('district-admin');
  const today = (await admin.get('/api/v1/public/labels')).body.as_of;
  // the district
  let { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.click('[data-qa="nav-vouchers"]');
  await page.locator('[data-qa="voucher-issues"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await page.fill('#vi-name', '浏览器托育券');
  await page.locator('[data-qa="vi-face"] input').fill('800');
  for (const [id, v] of [['#vi-from', today], ['#vi-to', '2099-12-31']]) {
    await page.locator(id).click();
    await page.locator(id).fill(v);
    await page.locator(id).press('Enter');
  }
  await page.fill('#vi-basis', '试点方案 四(五)15');
  await page.click('[data-qa="vi-create"]');
  await page.locator('[data-qa="vouchers-saved"]').getByText('浏览器托育券').waitFor();
  await page.locator('[data-qa="issues"] tr', { hasText: '浏览器托育券' }).locator('[data-qa="issue-out"]').click();
  await page.locator('[data-qa="vouchers-saved"]').getByText('名符合条件的婴幼儿发放').waitFor();
  assertNoProblems(problems, 'district vouchers');
  await page.close();

  // the institution places the family's child of institution 1
  const fam = await srv.login('family');
  const kid = (await fam.get('/api/v1/children')).body.items.find((k) => k.institution_id === 1);
  const op = await srv.login('inst-1');
  const classId = (await admin.get('/api/v1/institutions/1')).body.classes[0].id;
  assert.equal((await op.put(`/api/v1/children/${kid.id}/placement`, { class_id: classId, start_date: today })).status, 201);

  // the family uses it on the portal
  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION] }));
  await page.goto(`${srv.url}/#/me`);
  await page.locator('[data-qa="mode-password"]').click();
  await page.locator('[data-qa="family-login-user"]').fill('family');
  await page.locator('[data-qa="family-login-password"]').fill(PASSWORD);
  await page.locator('[data-qa="family-login-submit"]').click();
  await page.locator('[data-qa="my-vouchers"]').waitFor();
  await page.locator('[data-qa="voucher-row"]', { hasText: '浏览器托育券' }).locator('[data-qa="voucher-redeem"]').first().click();
  await page.locator('[data-qa="voucher-used"]').waitFor();
  const used = (await fam.get('/api/v1/vouchers')).body.items.find((v) => v.child_id === kid.id && v.issue_name === '浏览器托育券');
  assert.deepEqual([used.state, used.institution_id], ['redeemed', 1]);
  assertNoProblems(problems, 'family vouchers');
  await page.close();

  // the institution claims it
  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION] }));
  await loginUI(page, srv.url, 'inst-1', PASSWORD);
  await page.click('[data-qa="nav-vouchers"]');
  await page.locator('[data-qa="voucher-claim"]').first().click();
  await page.locator('[data-qa="vouchers-saved"]').getByText('已申领').waitFor();
  const claimed = (await op.get('/api/v1/vouchers')).body.items.find((v) => v.id === used.id);
  assert.equal(claimed.state, 'claimed');
  const row = (await admin.get(`/api/v1/funds/entitlements/${claimed.entitlement_id}`)).body;
  assert.deepEqual([row.kind, row.amount_fen], ['voucher', 80000]);
  assertNoProblems(problems, 'institution vouchers');
  await page.close();
});
