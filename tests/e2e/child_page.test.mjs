// child_page.test.mjs — the child page and the class sheet together in a real browser: the operator
// of a demo institution (its children placed with passed entry checks and consent, src/care/demo.c)
// opens a child from the children list and sees its placement, yesterday's attendance and 晨检
// (symptoms in Chinese); adds a pick-up person there; on the class sheet (phone width) marks the
// child present brought by that person and checks it out collected by them; the child page then
// shows both. Every step is checked against what the server stored. A district administrator, who
// may not read children's health data, sees the child page without the health sections.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls, screenshot } from './browser.mjs';

const INST = 12; // a demo institution with placed children and no attendance recorded yet
const beijing = (offsetDays = 0) => new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
const today = beijing(), yesterday = beijing(-1);
let srv, browser, op, kid, className;

before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  op = await srv.login(`inst-${INST}`);
  const cls = (await op.get(`/api/v1/institutions/${INST}`)).body.classes[0];
  className = cls.name;
  kid = (await op.get(`/api/v1/institutions/${INST}/attendance?class_id=${cls.id}&date=${today}`)).body.items[0].child_id;
  // yesterday: present from 08:05, a cough at the morning check
  const s = await op.post(`/api/v1/institutions/${INST}/attendance`, { class_id: cls.id, date: yesterday, entries: [{ child_id: kid, status: 'present', check_in: '08:05' }] });
  assert.equal(s.status, 201, s.text);
  const c = await op.post(`/api/v1/children/${kid}/health-checks`, { date: yesterday, slot: 'morning', temperature_c: 37.2, symptoms: ['cough'], action: 'observe' });
  assert.equal(c.status, 201, c.text);
});
after(async () => { await browser?.close(); await srv?.stop(); });

const attendanceRow = (page, day) => page.locator('[data-qa="child-attendance"] tr', { hasText: `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8))}日` });

test('child page and class sheet: a pick-up person added on the child page brings the child and collects it on the class sheet; the child page shows both', async () => {
  const { page, problems } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(page, srv.url, `inst-${INST}`, PASSWORD);
  await page.locator('[data-qa="nav-children"]').click();
  await page.locator(`[data-qa="child-link"][data-id="${kid}"]`).click();

  // placement, yesterday's attendance, the 晨检 with its symptom in Chinese
  await page.locator('[data-qa="placement-class"]').waitFor();
  assert.equal(await page.locator('[data-qa="placement-class"]').textContent(), className);
  await attendanceRow(page, yesterday).locator('[data-qa="attendance-in"]', { hasText: '08:05' }).waitFor();
  await page.locator('[data-qa="check-symptoms"]', { hasText: '咳嗽' }).waitFor();
  assert.match(await page.locator('[data-qa="child-checks"]').textContent(), /37\.2 ℃/);
  assert.deepEqual(await unlabelledControls(page), [], 'every form control on the child page has a label');

  // a pick-up person added here
  await page.locator('[data-qa="pickup-name"]').fill('王丽华');
  await page.locator('[data-qa="pickup-relation"]').fill('母亲');
  await page.locator('[data-qa="pickup-submit"]').click();
  // the child's own institution hands the child over: it reads the name in full
  await page.locator('[data-qa="pickup"]', { hasText: '王丽华（母亲）' }).waitFor();
  const mum = (await op.get(`/api/v1/children/${kid}/care`)).body.pickups.find((p) => p.relation === '母亲');
  assert.ok(mum, 'the pick-up person was stored');
  assert.equal(mum.name, '王丽华');

  // the class sheet on a phone: present, brought by her; saved
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${srv.url}/console/#/class-sheet`);
  const card = page.locator(`[data-qa="sheet-child"][data-child="${kid}"]`);
  await card.locator('[data-qa="sheet-toggle"]').click();
  await card.locator(`[data-qa="sheet-brought-by"] option[value="${mum.id}"]`).waitFor({ state: 'attached' });
  await card.locator('[data-qa="sheet-brought-by"]').selectOption(String(mum.id));
  await page.locator('[data-qa="sheet-save"]').click();
  await page.locator('[data-qa="sheet-notice"]').waitFor();
  const sheetRow = async () => (await op.get(`/api/v1/institutions/${INST}/attendance?date=${today}`)).body.items.find((r) => r.child_id === kid);
  const saved = await sheetRow();
  assert.deepEqual([saved.status, saved.brought_by], ['present', mum.id]);
  await card.locator('[data-qa="sheet-in"]', { hasText: '送园：王丽华（母亲）' }).waitFor();

  // later: checked out, collected by her
  await card.locator('[data-qa="sheet-collected-by"]').selectOption(String(mum.id));
  await card.locator('[data-qa="sheet-check-out"]').click();
  await card.locator('[data-qa="sheet-out"]', { hasText: '接园：王丽华（母亲）' }).waitFor();
  const out = await sheetRow();
  assert.equal(out.collected_by, mum.id);
  assert.match(out.check_out, /^\d\d:\d\d$/);
  await screenshot(page, 'class-sheet-phone');

  // the child page shows who brought and who collected the child today
  await page.setViewportSize({ width: 1366, height: 900 });
  await card.locator('[data-qa="sheet-child-link"]').click();
  const row = attendanceRow(page, today);
  await row.locator('[data-qa="attendance-in"]', { hasText: '送园：王丽华（母亲）' }).waitFor();
  await row.locator('[data-qa="attendance-out"]', { hasText: `${out.check_out} · 接园：王丽华（母亲）` }).waitFor();
  const history = (await op.get(`/api/v1/children/${kid}/care`)).body.attendance.find((d) => d.date === today);
  assert.deepEqual([history.brought_by, history.collected_by], [mum.id, mum.id]);
  await screenshot(page, 'child-page');
  assertNoProblems(problems, 'child page and class sheet');
  await page.close();
});

test('child page: a district administrator sees placement and attendance, not the health sections the policy keeps from them', async () => {
  const { page, problems } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.goto(`${srv.url}/console/#/children/${kid}`);
  await page.locator('[data-qa="placement-class"]').waitFor();
  await attendanceRow(page, yesterday).waitFor();
  for (const qa of ['child-entry-checks', 'child-checks', 'child-consent', 'place-form', 'pickup-form'])
    assert.equal(await page.locator(`[data-qa="${qa}"]`).count(), 0, `${qa} is not shown`);
  assertNoProblems(problems, 'child page (district)');
  await page.close();
});
