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

test('class sheet on a phone: an illness absence with its symptom, the morning check\'s symptoms tapped as toggles, a check-out the server refuses shown next to its child', async () => {
  const { child, consent } = await import('../lib/fixtures.mjs');
  const classId = (await op.get(`/api/v1/institutions/${INST}`)).body.classes[0].id;
  const [ill, here] = [await child(op, '2024-05-10', { name: '病假宝宝' }), await child(op, '2024-05-10', { name: '晨检宝宝' })];
  for (const id of [ill, here]) {
    assert.equal((await op.put(`/api/v1/children/${id}/placement`, { class_id: classId, start_date: today })).status, 201);
    await consent(op, id);
  }
  for (const kind of ['health_check', 'vaccination'])
    assert.equal((await op.post(`/api/v1/children/${here}/entry-checks`, { kind, checked_on: today, result: 'pass' })).status, 201);
  const dad = (await op.post(`/api/v1/children/${here}/pickups`, { name: '张建国', relation: '父亲' })).body;

  const { page, problems } = await openPage(browser, { viewport: { width: 390, height: 844 }, expect: [/status of 401/, /status of 409/] });
  await loginUI(page, srv.url, `inst-${INST}`, PASSWORD);
  await page.goto(`${srv.url}/console/#/class-sheet`);
  const illCard = page.locator(`[data-qa="sheet-child"][data-child="${ill}"]`), card = page.locator(`[data-qa="sheet-child"][data-child="${here}"]`);
  // absent (a second tap), ill with a fever
  await illCard.locator('[data-qa="sheet-toggle"]').click();
  await illCard.locator('[data-qa="sheet-toggle"]').click();
  await illCard.locator('[data-qa="sheet-cause"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '病假' }).click();
  await illCard.locator('[data-qa="sheet-absence-symptom"]').selectOption('发热');
  await card.locator('[data-qa="sheet-toggle"]').click();
  await page.locator('[data-qa="sheet-save"]').click();
  await page.locator('[data-qa="sheet-notice"]').waitFor();
  const rows = (await op.get(`/api/v1/institutions/${INST}/attendance?class_id=${classId}&date=${today}`)).body.items;
  assert.deepEqual(['status', 'absence_cause'].map((k) => rows.find((r) => r.child_id === ill)[k]), ['absent', 'illness']);
  assert.equal(rows.find((r) => r.child_id === here).status, 'present');
  assert.equal((await op.get(`/api/v1/children/${ill}/care`)).body.attendance[0].symptom, '发热', 'the symptom was stored with the absence');

  // the morning check: 37.0 ℃, cough and rash tapped (rash tapped twice is off again, then on)
  await card.locator('[data-qa="sheet-temperature"]').fill('37.0');
  for (const code of ['cough', 'rash', 'rash', 'rash']) await card.locator(`[data-qa="sheet-symptom"][data-code="${code}"]`).click();
  assert.equal(await card.locator('[data-qa="sheet-symptom"][aria-pressed="true"]').count(), 2);
  await card.locator('[data-qa="sheet-check-save"]').click();
  await card.locator('[data-qa="sheet-checked"]', { hasText: '咳嗽、皮疹' }).waitFor();
  const [check] = (await op.get(`/api/v1/children/${here}/health-checks`)).body.items;
  assert.deepEqual([check.temperature_c, check.symptoms, check.slot], [37, ['cough', 'rash'], 'morning']);

  // a check-out before the check-in: the server's refusal in Chinese beside the child, nothing stored
  await card.locator('[data-qa="sheet-collected-by"]').selectOption(String(dad.id));
  await card.locator('[data-qa="sheet-check-out-time"]').fill('00:00');
  await card.locator('[data-qa="sheet-check-out"]').click();
  await card.locator('[data-qa="sheet-entry-error"]', { hasText: '离园时间早于入园时间' }).waitFor();
  const after = (await op.get(`/api/v1/institutions/${INST}/attendance?class_id=${classId}&date=${today}`)).body.items.find((r) => r.child_id === here);
  assert.deepEqual([after.check_out, after.collected_by], [null, null]);
  assertNoProblems(problems);
  await page.close();
});

test('outdoor time on the class sheet: a short day marked, the weather said clears it, a word for minutes refused beside the form', async () => {
  const admin = await srv.login('district-admin');
  const record = (await admin.get(`/api/v1/institutions/${INST}`)).body;
  assert.equal((await admin.put(`/api/v1/institutions/${INST}`, { service_types: [...new Set([...record.service_types, 'full_day'])] })).status, 200);
  const classId = record.classes[0].id;
  const { page, problems } = await openPage(browser, { viewport: { width: 820, height: 1180 }, expect: [/status of 401/, /status of 422/] });
  await loginUI(page, srv.url, `inst-${INST}`, PASSWORD);
  await page.locator('[data-qa="nav-class-sheet"]').click();
  await page.locator('[data-qa="outdoor"]', { hasText: '不少于 120 分钟' }).waitFor();
  const minutes = page.locator('[data-qa="outdoor-minutes"]');

  await minutes.fill('八十');
  await page.locator('[data-qa="outdoor-save"]').click();
  await page.locator('[data-qa="outdoor-error"]', { hasText: /[\u4e00-\u9fff]/ }).waitFor();
  const none = (await op.get(`/api/v1/institutions/${INST}/outdoor?class_id=${classId}&from=${today}&to=${today}`)).body.items;
  assert.ok(none.every((d) => d.minutes === null), 'nothing written');

  await minutes.fill('80');
  await page.locator('[data-qa="outdoor-save"]').click();
  const row = page.locator(`[data-qa="outdoor-day"][data-date="${today}"]`);
  await row.locator('[data-qa="outdoor-short"]').waitFor();
  assert.match(await row.textContent(), /80/);
  await page.locator('[data-qa="outdoor-weather"]').selectOption({ label: '炎热' });
  await page.locator('[data-qa="outdoor-save"]').click();
  await row.locator('[data-qa="outdoor-short"]').waitFor({ state: 'detached' });
  assert.match(await row.textContent(), /炎热/);
  const saved = (await op.get(`/api/v1/institutions/${INST}/outdoor?class_id=${classId}&from=${today}&to=${today}`)).body.items;
  assert.deepEqual(saved.map((d) => [d.minutes, d.weather, d.short]), [[80, 'heat', false]]);
  assertNoProblems(problems, 'outdoor');
});
