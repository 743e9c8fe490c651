// incidents.test.mjs — incidents and mandatory reports in a real browser: an institution's staff
// record a suspected abuse of a child in their care on 意外伤害 (the form says it will be reported
// to the town and the district before it is saved) and see it in their list as reported; the
// town's officer finds it on 强制报告 with its deadline, acknowledges it, then records how it
// was handled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls, lowContrastText } from './browser.mjs';

let srv, browser, kid, inst, town;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  const family = await srv.login('family');
  kid = (await family.get('/api/v1/children')).body.items.find((c) => c.institution_id);
  assert.ok(kid, 'the demo family has a child in care');
  inst = kid.institution_id;
  const admin = await srv.login('district-admin');
  const rec = (await admin.get(`/api/v1/institutions/${inst}`)).body;
  town = rec.town_code;
  const yesterday = new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10);
  const op = await srv.login(`inst-${inst}`);
  const placed = await op.put(`/api/v1/children/${kid.id}/placement`, { class_id: rec.classes[0].id, start_date: yesterday });
  assert.equal(placed.status, 201, placed.text);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the institution records a suspected abuse; the town acknowledges it and records how it was handled', async () => {
  const { page, problems } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(page, srv.url, `inst-${inst}`, PASSWORD);
  await page.locator('[data-qa="nav-incidents"]').click();
  await page.locator('[data-qa="incident-form"]').waitFor();
  await page.locator('[data-qa="incident-child"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: kid.name }).first().click();
  await page.locator('[data-qa="incident-kind"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '疑似被虐待' }).click();
  await page.locator('[data-qa="incident-mandatory"]', { hasText: '第三十五条' }).waitFor();
  // an hour ago, Beijing time, as the form's local time
  const at = new Date(Date.now() + 8 * 3600e3 - 3600e3).toISOString().slice(0, 16);
  await page.locator('[data-qa="incident-time"]').fill(at);
  await page.locator('[data-qa="incident-place"]').fill('午睡室');
  await page.locator('[data-qa="incident-description"]').fill('午睡起床时发现背部有条状淤青');
  await page.locator('[data-qa="incident-part"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '背部' }).click();
  await page.locator('[data-qa="incident-severity"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '轻微' }).click();
  await page.locator('[data-qa="incident-save"]').click();
  await page.locator('[data-qa="incident-table"] [data-qa="incident-reported"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), [], 'every form control has a label');
  assert.deepEqual(await lowContrastText(page), [], 'text contrast meets WCAG AA');
  await screenshot(page, 'incidents-operator');
  assertNoProblems(problems, 'operator incidents page');

  const t = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(t.page, srv.url, `town-${town}`, PASSWORD);
  await t.page.locator('[data-qa="nav-incident-reports"]').click();
  await t.page.locator('[data-qa="report-state"][data-state="reported"]').waitFor();
  assert.match(await t.page.locator('[data-qa="reports-table"]').textContent(), /午睡起床时发现背部有条状淤青/);
  await screenshot(t.page, 'incident-reports-town');
  assert.deepEqual(await unlabelledControls(t.page), [], 'every control has a label');
  assert.deepEqual(await lowContrastText(t.page), [], 'text contrast meets WCAG AA');
  await t.page.locator('[data-qa="report-acknowledge"]').first().click();
  await t.page.locator('[data-qa="report-state"][data-state="acknowledged"]').waitFor();
  await t.page.locator('[data-qa="report-handle"]').first().click();
  await t.page.locator('.el-message-box input').fill('已会同派出所核查');
  await t.page.locator('.el-message-box .el-button--primary').click();
  await t.page.locator('[data-qa="reports-table"]', { hasText: '暂无强制报告' }).waitFor();
  const officer = await srv.login(`town-${town}`);
  const handled = (await officer.get('/api/v1/incident-reports?state=handled')).body.items;
  assert.equal(handled.length, 1);
  assert.equal(handled[0].report.outcome, '已会同派出所核查');
  assertNoProblems(t.problems, 'town reports page');
});
