// consent.test.mjs — a family's consent to its child's health data in the portal, in a real
// browser (issue 15 item 9): 我的 shows the demo child's consent (purposes, notice version); the
// family withdraws it after a confirmation that says the recorded health data is deleted — and it
// is —, then gives it again for growth only, which the institution then sees; on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, unlabelledControls, lowContrastText } from './browser.mjs';

let srv, browser, family, child;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  family = await srv.login('family');
  child = (await family.get('/api/v1/children')).body.items.find((c) => c.institution_id);
  assert.ok(child, 'the demo family has a child in care');
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the family withdraws its consent (the health data deleted) and gives it again for growth only; the institution sees it', async () => {
  assert.ok((await family.get(`/api/v1/children/${child.id}/growth`)).body.measurements.length > 0, 'the demo child has measurements');
  const { page, problems } = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(`${srv.url}/#/me`);
  await page.locator('[data-qa="mode-password"]').click();
  await page.locator('[data-qa="family-login-user"]').fill('family');
  await page.locator('[data-qa="family-login-password"]').fill(PASSWORD);
  await page.locator('[data-qa="family-login-submit"]').click();
  const panel = page.locator(`[data-qa="consent-child"][data-id="${child.id}"]`);
  await panel.locator('[data-qa="consent-given"]').waitFor();
  assert.match(await panel.textContent(), /第 1 版/);
  assert.match(await panel.textContent(), /生长发育测量与评价/);

  // the confirmation says what is deleted; accepted, the consent is withdrawn
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.accept(); });
  await panel.locator('[data-qa="consent-withdraw"]').click();
  await page.locator(`[data-qa="consent-child"][data-id="${child.id}"][data-status="withdrawn"]`).waitFor();
  assert.match(asked, /删除/);
  assert.equal((await family.get(`/api/v1/children/${child.id}/growth`)).body.measurements.length, 0, 'the measurements deleted');

  // given again, for growth only
  await panel.locator('[data-qa="consent-purpose-care_health"]').uncheck();
  await panel.locator('[data-qa="consent-give"]').click();
  await panel.locator('[data-qa="consent-given"]').waitFor();
  const op = await srv.login(`inst-${child.institution_id}`);
  const seen = (await op.get(`/api/v1/children/${child.id}/consent`)).body;
  assert.equal(seen.status, 'given');
  assert.equal(seen.consent.source, 'family');
  assert.deepEqual(seen.consent.purposes.map((p) => p.code), ['growth']);
  assert.deepEqual(await unlabelledControls(page), [], 'every form control has a label');
  assert.deepEqual(await lowContrastText(page), [], 'text contrast meets WCAG AA');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);
  await screenshot(page, 'consent-family-phone');
  assertNoProblems(problems, 'family consent');
});
