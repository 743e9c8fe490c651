// staff.test.mjs — 员工 in the browser (issue 14): an institution's operator finds a class short
// of caregivers (one has left), adds a caregiver assigned to it with a 保育师 certificate that
// expires within 30 days, and sees the class's ratio check turn to 符合, the count of caregivers on
// duty go up and the certificate coloured as expiring; a broken import file lists its rows in
// error and imports nobody; the town officer's 人员与证书 lists lapsed certificates with names
// masked; the institution profile shows the staff summary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { residentId } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
const REFUSED = /status of 422/;
const NOW = '2027-01-10T01:00:00Z'; // 09:00 Beijing, after the real clock so the session cookie is valid

let srv, browser, inst, op, shortClass;
before(async () => {
  srv = await startServer({ web: true, now: NOW });
  browser = await launch();
  const admin = await srv.login('district-admin');
  // an institution whose demo roster has a caregiver in a class with children: she leaves, the
  // class is then one caregiver short
  for (const row of (await admin.get('/api/v1/institutions?town=330304005&limit=100')).body.items) {
    const o = await srv.login(`inst-${row.id}`);
    const rec = (await o.get(`/api/v1/institutions/${row.id}`)).body;
    const staff = (await o.get(`/api/v1/institutions/${row.id}/staff?full=1`)).body.items;
    const carer = staff.find((s) => s.role === 'caregiver' && s.on_duty && s.class_ids.length === 1 &&
      rec.classes.find((c) => c.id === s.class_ids[0] && c.enrolled > 0));
    if (!carer) continue;
    const put = await o.put(`/api/v1/staff/${carer.id}`, { ...carer, end_date: '2027-01-09' });
    assert.equal(put.status, 200, put.text);
    const f = (await o.get(`/api/v1/institutions/${row.id}/findings`)).body.items;
    if (!f.some((x) => x.rule === 'caregiver_ratio' && x.class_id === carer.class_ids[0])) continue;
    inst = row.id, op = o, shortClass = rec.classes.find((c) => c.id === carer.class_ids[0]);
    break;
  }
  assert.ok(inst, 'a demo institution with a class one caregiver short');
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the operator adds a caregiver with a certificate and sees the class ratio change', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, REFUSED] });
  await loginUI(page, srv.url, `inst-${inst}`, srv.password);
  await page.click('[data-qa="nav-staff"]');
  await page.locator('[data-qa="staff-class-table"]').waitFor();
  const check = page.locator(`[data-qa="class-check-${shortClass.id}"]`);
  await check.locator('.el-tag--danger').waitFor();
  assert.match(await check.textContent(), /低于 1:/);
  const count = page.locator(`[data-qa="class-caregivers"][data-class="${shortClass.id}"]`);
  const before = Number((await count.textContent()).trim());
  const rows = await page.locator('[data-qa="staff-table"] .el-table__body tr').count();

  await page.click('[data-qa="staff-add"]');
  await page.locator('[data-qa="staff-form"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await page.fill('[data-qa="staff-f-name"]', '叶思琪');
  await page.fill('[data-qa="staff-f-id"]', residentId('1996-08-08', '126'));
  await page.fill('[data-qa="staff-f-start"]', '2027-01-04');
  await page.fill('[data-qa="staff-f-health"]', '2026-12-20');
  await page.fill('[data-qa="staff-f-nocrime"]', '2026-12-15');
  await page.locator('.el-form-item[data-field="class_ids"] .el-select').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: shortClass.name }).click();
  // the choice is in the form (its tag shown) before the dropdown closes
  await page.locator('.el-form-item[data-field="class_ids"] .el-select .el-tag', { hasText: shortClass.name }).waitFor();
  await page.keyboard.press('Escape');
  await page.click('[data-qa="staff-cert-add"]');
  await page.locator('.el-form-item[data-field="certificates[0].grade"] .el-select').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '四级' }).click();
  await page.fill('[data-qa="staff-c-number"]', 'BYS-2022-0618');
  await page.fill('[data-qa="staff-c-issuer"]', '温州市人力资源和社会保障局');
  await page.fill('[data-qa="staff-c-issue"]', '2022-01-20');
  // first an expiry before the issue date: refused beside the field, nothing saved
  await page.fill('[data-qa="staff-c-expiry"]', '2021-01-01');
  await page.click('[data-qa="staff-save"]');
  await page.locator('[data-qa="field-error"][data-field="certificates[0].expiry_date"]').waitFor();
  assert.equal(await page.locator('[data-qa="staff-table"] .el-table__body tr').count(), rows);
  await page.fill('[data-qa="staff-c-expiry"]', '2027-01-25'); // within 30 days
  await page.click('[data-qa="staff-save"]');
  await page.locator('[data-qa="staff-message"]').waitFor();

  // she is listed with her class (the roster, the counts and the findings arrive in one load), and
  // the class now has its caregivers: the ratio check passes
  const row = page.locator('[data-qa="staff-table"] .el-table__body tr', { hasText: '叶思琪' });
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(shortClass.name));
  assert.equal(Number((await count.textContent()).trim()), before + 1, 'caregivers on duty in the class after adding her');
  assert.equal(await check.locator('.el-tag--danger').count(), 0, `the class's ratio check after adding her: ${await check.textContent()}`);
  await check.locator('.el-tag--success').waitFor();
  assert.equal(await row.locator('[data-qa="cert-tag"]', { hasText: '保育师' }).getAttribute('data-status'), 'expiring');
  assert.equal(await row.locator('[data-qa="cert-tag"]', { hasText: '至' }).first().getAttribute('data-status'), 'valid');
  await screenshot(page, 'staff-operator');

  // a broken import lists its rows and imports nobody
  const csv = '\ufeff姓名,身份证号,岗位,用工形式,入职日期\r\n王五,330304199001011234,保育人员,全职,2026-01-01\r\n';
  await page.setInputFiles('[data-qa="staff-import-file"]', { name: '员工.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.locator('[data-qa="import-errors"]').waitFor();
  assert.match(await page.locator('[data-qa="import-errors"]').textContent(), /身份证号/);
  assert.equal(await page.locator('[data-qa="staff-table"] .el-table__body tr').count(), rows + 1);
  assertNoProblems(problems, 'staff page');
  // the server agrees
  const f = (await op.get(`/api/v1/institutions/${inst}/findings`)).body.items;
  assert.ok(!f.some((x) => x.rule === 'caregiver_ratio' && x.class_id === shortClass.id));
});

test('the town officer lists lapsed and expiring certificates, names masked; the profile shows the staff summary', async () => {
  const town = (await (await srv.login('district-admin')).get(`/api/v1/institutions/${inst}`)).body.town_code;
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, `town-${town}`, srv.password);
  await page.click('[data-qa="nav-staff-alerts"]');
  await page.locator('[data-qa="alerts-table"]').waitFor();
  await page.locator('[data-qa="alerts-table"] .el-table__body tr').first().waitFor();
  const names = await page.locator('[data-qa="alerts-table"] .el-table__body tr td:nth-child(3)').allTextContents();
  assert.ok(names.length > 0);
  assert.ok(names.every((n) => n.includes('*')), `names masked: ${names}`);
  assert.ok(await page.locator('[data-qa="alert-status"][data-status="lapsed"]').count() > 0, 'the demo has lapsed certificates');
  // the month's post-subsidy inputs are one link away
  assert.match(await page.getAttribute('[data-qa="subsidy-export"]', 'href'), /^\/api\/v1\/staff\/post-subsidy\?month=2027-01$/);
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'staff-alerts-town');
  await page.goto(`${srv.url}/console/#/institutions/${inst}`);
  await page.locator('[data-qa="staff-summary"]').waitFor();
  assert.ok(Number(await page.locator('[data-qa="summary-on-duty"]').textContent()) > 0);
  assertNoProblems(problems, 'staff alerts');
});
