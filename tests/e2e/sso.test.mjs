// sso.test.mjs — 浙里办 single sign-on in a real browser on a phone (390×844), against the fake
// OpenID Connect provider on loopback (tests/lib/fake_idp.mjs): the login page shows 浙里办登录 only
// once `tuoyu sso` configured it; the parent consents to the privacy notice, goes to the provider
// and comes back logged in, and 我的 shows the name and masked ID number marked 已实名核验.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, freshDatabase, tuoyu } from '../lib/server.mjs';
import { startFakeIdp } from '../lib/fake_idp.mjs';
import { launch, openPage, assertNoProblems, screenshot } from './browser.mjs';

let db, srv, idp, browser;
before(async () => {
  db = freshDatabase();
  srv = await startServer({ web: true, database: db });
  idp = await startFakeIdp();
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); await idp?.stop(); db?.cleanup(); });

test('浙里办登录: shown once configured; consent, the provider, back logged in with the identity verified', async () => {
  const { page, problems } = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(`${srv.url}/#/login`);
  await page.locator('[data-qa="mode-password"]').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('[data-qa="mode-sso"]').count(), 0, 'no button without single sign-on');

  const secret = join(db.dir, 'sso-secret');
  writeFileSync(secret, `${idp.clientSecret}\n`, { mode: 0o600 });
  const set = tuoyu(['sso', ...db.args, '--issuer', idp.issuer, '--client-id', idp.clientId, '--client-secret-file', secret, '--redirect-uri', `${srv.url}/`]);
  assert.equal(set.status, 0, set.stderr);
  idp.person = { sub: 'zlb-e2e-1', name: '周家长', id_number: '330304198805120021' };

  await page.reload();
  await page.locator('[data-qa="mode-sso"]').click();
  await page.locator('[data-qa="sso-hint"]').waitFor();
  // consent first
  await page.locator('[data-qa="family-login-submit"]').click();
  assert.match(await page.locator('[data-qa="family-login-error"]').textContent(), /隐私政策/);
  await page.locator('[data-qa="privacy-consent"]').check();
  await screenshot(page, 'sso-login-phone');
  await page.locator('[data-qa="family-login-submit"]').click();
  // the provider sends the browser back; the app finishes the login and opens 我的
  await page.locator('[data-qa="identity-verified"]').waitFor();
  assert.ok(page.url().endsWith('#/me'), page.url());
  assert.equal(await page.locator('[data-qa="identity-name"]').textContent(), '周家长');
  assert.equal(await page.locator('[data-qa="identity-id"]').textContent(), '330304********0021');
  assert.match(await page.locator('[data-qa="identity-verified"]').textContent(), /已实名核验（浙里办/);
  assert.ok(!page.url().includes('code='), 'the code left the address bar');
  await screenshot(page, 'sso-my-identity');
  assertNoProblems(problems, 'the 浙里办 login');
});
