// accounts.test.mjs — account security in the console, in a real browser. A privileged account
// without a second factor (server run with --staff-totp required) lands on 动态口令 after its
// password and can open nothing else; the test reads the otpauth:// URI from the page's QR code
// (data-otpauth) and the secret from its text, computes the code itself, confirms, and logs in
// again with password and code. The security administrator's password reset of the auditor is
// filed as a request on 用户管理 (撤回 only, no 批准 for its author); the district administrator
// approves it on 账号审批 and the new password works. No page errors, every control labelled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { totp, secretOf } from '../lib/totp.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls, lowContrastText } from './browser.mjs';

const NO_SESSION = /status of 401/;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a privileged account binds its second factor in the console and then logs in with it', async () => {
  const srv = await startServer({ web: true, extraArgs: ['--staff-totp', 'required'] });
  // the wrong code's refusal (422) is provoked on purpose
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, /status of 422/] });
  try {
    await page.goto(`${srv.url}/console`);
    await page.locator('[data-qa="login-user"]').fill('auditor');
    await page.locator('[data-qa="login-password"]').fill(srv.password);
    await page.locator('[data-qa="login-submit"]').click();
    await page.locator('[data-qa="totp-required"]').waitFor();
    assert.match(page.url(), /#\/totp$/);
    assert.equal(await page.locator('nav [data-qa^="nav-"]').count(), 0, 'no menu before the second factor');
    // any other page leads back here
    await page.goto(`${srv.url}/console#/audit`);
    await page.locator('[data-qa="totp-required"]').waitFor();
    assert.match(page.url(), /#\/totp$/);
    await page.locator('[data-qa="totp-start"]').click();
    const qr = page.locator('[data-qa="totp-qr"]');
    await qr.waitFor();
    const uri = await qr.getAttribute('data-otpauth');
    assert.match(uri, /^otpauth:\/\/totp\/[^?]+:auditor\?secret=[A-Z2-7]+&issuer=/);
    const secret = secretOf(uri);
    assert.equal((await page.locator('[data-qa="totp-secret"]').textContent()).replace(/\s+/g, ''), secret, 'the text fallback is the same secret');
    assert.ok((await qr.locator('svg path').getAttribute('d')).length > 1000, 'the QR code is drawn');
    assert.deepEqual(await unlabelledControls(page), [], 'enrolment controls are labelled');
    assert.deepEqual(await lowContrastText(page), []);
    await screenshot(page, 'console-totp-enrol');
    // a wrong code is refused beside the field
    const now = Date.now() / 1000;
    const wrong = [-1, 0, 1].map((s) => totp(secret, now, s)).includes('123456') ? '654321' : '123456';
    await page.locator('[data-qa="totp-code"]').fill(wrong);
    await page.locator('[data-qa="totp-confirm"]').click();
    await page.locator('[data-qa="field-error"][data-field="code"]').waitFor();
    await page.locator('[data-qa="totp-code"]').fill(totp(secret));
    await page.locator('[data-qa="totp-confirm"]').click();
    await page.locator('[data-qa="totp-enrolled-notice"]').waitFor();
    // log in again: password and the next code (the confirming one is used)
    await page.locator('[data-qa="login-user"]').fill('auditor');
    await page.locator('[data-qa="login-password"]').fill(srv.password);
    await page.locator('[data-qa="login-totp"]').fill(totp(secret, Date.now() / 1000, 1));
    await page.locator('[data-qa="login-submit"]').click();
    await page.locator('[data-qa="current-user"]').waitFor();
    await page.locator('nav [data-qa="nav-audit"]').waitFor();
    await page.click('[data-qa="nav-audit"]');
    await page.locator('[data-qa="audit-table"] .el-table__row').first().waitFor();
    // the password alone no longer opens the account
    const r = await new Client(srv.url).post('/api/v1/session', { login: 'auditor', password: srv.password });
    assert.equal(r.body.error.code, 'totp_required');
    assertNoProblems(problems, 'totp enrolment');
  } finally {
    await page.context().close();
    await srv.stop();
  }
});

test('a privileged password reset is a request the author cannot approve; another administrator approves it', async () => {
  const srv = await startServer({ web: true });
  try {
    const sec = await openPage(browser, { expect: [NO_SESSION] });
    await loginUI(sec.page, srv.url, 'security-admin', srv.password);
    await sec.page.click('[data-qa="nav-users"]');
    const row = sec.page.locator('[data-qa="users-table"] .el-table__row', { hasText: '审计员（演示）' });
    await row.getByRole('button', { name: '重置密码' }).click();
    await sec.page.locator('section[aria-labelledby="reset-title"] input').fill('Audit-reset-2026x');
    await sec.page.locator('section[aria-labelledby="reset-title"]').getByRole('button', { name: '确认重置' }).click();
    await sec.page.getByText(/已提交审批申请（第 \d+ 号）/).waitFor();
    const reqRow = sec.page.locator('[data-qa="account-requests-table"] .el-table__row', { hasText: '重置密码' }).first();
    await reqRow.waitFor();
    assert.match(await reqRow.textContent(), /待审批/);
    const id = Number(await reqRow.locator('[data-request-id]').getAttribute('data-request-id'));
    assert.equal(await sec.page.locator(`[data-qa="approve-request-${id}"]`).count(), 0, 'no 批准 for the request\'s author');
    assert.equal(await sec.page.locator(`[data-qa="reject-request-${id}"]`).textContent(), '撤回');
    assert.deepEqual(await unlabelledControls(sec.page), []);
    assert.deepEqual(await lowContrastText(sec.page), []);
    await screenshot(sec.page, 'console-users-request');
    // not changed yet
    assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'auditor', password: 'Audit-reset-2026x' })).status, 401);
    assertNoProblems(sec.problems, 'security admin');
    await sec.page.context().close();

    const adm = await openPage(browser, { expect: [NO_SESSION] });
    await loginUI(adm.page, srv.url, 'district-admin', srv.password);
    await adm.page.click('[data-qa="nav-account-requests"]');
    await adm.page.locator(`[data-qa="approve-request-${id}"]`).click();
    await adm.page.locator(`[data-qa="request-state-${id}"]`, { hasText: '已批准' }).waitFor();
    await adm.page.locator('[data-qa="requests-message"]').waitFor();
    await screenshot(adm.page, 'console-account-requests');
    assertNoProblems(adm.problems, 'district admin');
    await adm.page.context().close();
    assert.equal((await new Client(srv.url).post('/api/v1/session', { login: 'auditor', password: 'Audit-reset-2026x' })).status, 200);
  } finally {
    await srv.stop();
  }
});
