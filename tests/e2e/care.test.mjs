// care.test.mjs — the class sheet in a real browser on a tablet (820×1180): the operator of a demo
// institution (its children placed with passed entry checks and consent, src/care/demo.c) taps
// its class present and saves the sheet once; records a fever in one child's 晨检 (sent
// home); a 50 ℃ typo is refused next to that child with nothing written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, loginUI } from './browser.mjs';

const INST = 12; // a demo institution with placed children and no attendance recorded yet
let srv, browser, op;
const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  op = await srv.login(`inst-${INST}`);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('class sheet on a tablet: the class marked present in one save, a fever recorded in the morning check, a typo refused next to its child', async () => {
  const { page, problems } = await openPage(browser, { viewport: { width: 820, height: 1180 }, expect: [/status of 401/, /status of 422/] });
  await loginUI(page, srv.url, `inst-${INST}`, PASSWORD);
  await page.locator('[data-qa="nav-class-sheet"]').click();
  const cards = page.locator('[data-qa="sheet-child"]');
  await cards.first().waitFor();
  const n = await cards.count();
  assert.equal(n, 3);
  for (let i = 0; i < n; i++) await cards.nth(i).locator('[data-qa="sheet-toggle"]').click();
  await page.locator('[data-qa="sheet-save"]').click();
  await page.locator('[data-qa="sheet-notice"]').waitFor();
  const classId = (await op.get(`/api/v1/institutions/${INST}`)).body.classes[0].id;
  const sheet = (await op.get(`/api/v1/institutions/${INST}/attendance?class_id=${classId}&date=${today}`)).body.items;
  assert.deepEqual(sheet.map((r) => r.status), ['present', 'present', 'present']);

  // a fever on the first child, sent home (these demo children have no family account to notify)
  await cards.nth(0).locator('[data-qa="sheet-temperature"]').fill('38.5');
  await page.locator('[data-qa="sheet-action"]').nth(0).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '通知家长接回' }).click();
  await cards.nth(0).locator('[data-qa="sheet-check-save"]').click();
  await cards.nth(0).locator('[data-qa="sheet-checked"]').waitFor();
  assert.match(await cards.nth(0).locator('[data-qa="sheet-checked"]').textContent(), /已记录晨检/);
  const checks = (await op.get(`/api/v1/children/${sheet[0].child_id}/health-checks`)).body.items;
  assert.equal(checks.length, 1);
  assert.ok(checks[0].symptoms.includes('fever'), 'a temperature at the fever threshold adds fever');
  assert.equal(checks[0].action, 'send_home');
  assert.equal(checks[0].temperature_c, 38.5);

  // 50 ℃ on the second: refused in Chinese beside it, nothing written
  await cards.nth(1).locator('[data-qa="sheet-temperature"]').fill('50');
  await cards.nth(1).locator('[data-qa="sheet-check-save"]').click();
  await cards.nth(1).locator('[data-qa="sheet-entry-error"]').waitFor();
  assert.match(await cards.nth(1).locator('[data-qa="sheet-entry-error"]').textContent(), /[\u4e00-\u9fff]/);
  assert.equal((await op.get(`/api/v1/children/${sheet[1].child_id}/health-checks`)).body.items.length, 0);
  assertNoProblems(problems);
  await page.close();
});
