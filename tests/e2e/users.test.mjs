// users.test.mjs — the security administrator adds an institution's account on 用户管理 in a real
// browser: the institution is found by typing part of its name (not a numeric id), picked from the
// list, and the new account is bound to it. No page errors, every control labelled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls } from './browser.mjs';

let srv, browser;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('add-user: the institution is chosen by searching its name', async () => {
  const admin = await srv.login('district-admin');
  const inst = (await admin.get('/api/v1/institutions?limit=5')).body.items[3];
  const part = [...inst.name].slice(0, 4).join('');
  // the console asks for the session before login (401)
  const { page, problems } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(page, srv.url, 'security-admin', srv.password);
  await page.click('[data-qa="nav-users"]');
  const form = page.locator('[data-qa="new-user"]');
  await form.waitFor();
  await form.locator('#f-login').fill('inst-new-operator');
  await form.locator('#f-name').fill('新机构管理员');
  await form.locator('.el-form-item[data-field="role"] .el-select').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '托育机构' }).click();
  // no numeric id box: a search by name
  await form.locator('[data-qa="new-user-institution"]').click();
  await page.keyboard.type(part);
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: inst.name });
  await option.first().waitFor();
  await option.first().click();
  await form.locator('#f-password').fill('Strong-pass-2026!x');
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'console-add-user-institution');
  await form.locator('button[type="submit"]').click();
  await page.locator('.el-alert--success', { hasText: '已新增用户 inst-new-operator' }).waitFor();

  const sec = await srv.login('security-admin');
  const made = (await sec.get('/api/v1/users?q=inst-new-operator')).body.items[0];
  assert.equal(made.institution_id, inst.id);
  assert.equal(made.institution_name, inst.name);
  assert.equal(made.role, 'institution_operator');
  assertNoProblems(problems, 'the add-user form');
});
