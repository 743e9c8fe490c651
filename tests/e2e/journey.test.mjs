// journey.test.mjs — issue 15's whole journey in real browsers, one day of a class: the operator
// of the demo family's child's institution marks the class present on the tablet sheet and records
// a fever at the morning check for each of its three children (sent home); three cases of one
// class raise the outbreak alert through the engine; the health instructor, whose institution it
// is, sees that alert on 医育结合 with its cases masked, its rule and its basis; the family sees
// the institution's fever notice on its child's care page and opens the growth chart. The server
// runs on the next weekday after the demo's (its sheet still empty), at 08:30 Beijing time, and
// each browser's clock is set to that moment too (the sheet takes its day from the browser).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, loginUI, chooseOption } from './browser.mjs';

// the next weekday after today in Beijing, and 08:30 that day
const beijing = new Date(Date.now() + 8 * 3600e3);
const next = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), beijing.getUTCDate() + 1));
while (next.getUTCDay() === 0 || next.getUTCDay() === 6) next.setUTCDate(next.getUTCDate() + 1);
const DAY = next.toISOString().slice(0, 10);
const NOW = `${DAY}T00:30:00Z`;

/** A page whose clock reads NOW (the 401 of the session check before logging in is expected). */
async function pageAtNow(viewport) {
  const p = await openPage(browser, { viewport, expect: [/status of 401/] });
  await p.page.clock.setFixedTime(new Date(NOW));
  return p;
}

let srv, browser, family, kid, inst, op, instructor;
before(async () => {
  srv = await startServer({ web: true, now: NOW });
  browser = await launch();
  family = await srv.login('family');
  for (const c of (await family.get('/api/v1/children')).body.items) {
    const care = (await family.get(`/api/v1/children/${c.id}/care`)).body;
    if (care.placement) [kid, inst] = [c, care.placement.institution_id ?? c.institution_id];
  }
  assert.ok(kid && inst, 'the demo family has a child in care');
  op = await srv.login(`inst-${inst}`);
  instructor = await srv.login('health-instructor');
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('a class marked present, three fevers at the morning check, the alert the instructor sees, the notice and the chart the family sees', async () => {
  // the operator, on a tablet
  const { page, problems } = await pageAtNow({ width: 820, height: 1180 });
  await loginUI(page, srv.url, `inst-${inst}`, PASSWORD);
  await page.locator('[data-qa="nav-class-sheet"]').click();
  const cards = page.locator('[data-qa="sheet-child"]');
  await cards.first().waitFor();
  const n = await cards.count();
  assert.equal(n, 3, 'the class of the demo family\'s child');
  for (let i = 0; i < n; i++) await cards.nth(i).locator('[data-qa="sheet-toggle"]').click();
  await page.locator('[data-qa="sheet-save"]').click();
  await page.locator('[data-qa="sheet-notice"]').waitFor();
  const classId = (await family.get(`/api/v1/children/${kid.id}/care`)).body.placement.class_id;
  const sheet = (await op.get(`/api/v1/institutions/${inst}/attendance?class_id=${classId}&date=${DAY}`)).body.items;
  assert.deepEqual(sheet.map((r) => r.status), ['present', 'present', 'present']);
  assert.ok(sheet.some((r) => r.child_id === kid.id));

  // a fever for each, sent home
  for (let i = 0; i < n; i++) {
    await cards.nth(i).locator('[data-qa="sheet-temperature"]').fill('38.6');
    await chooseOption(page, cards.nth(i).locator('[data-qa="sheet-action"]'), '通知家长接回');
    await cards.nth(i).locator('[data-qa="sheet-check-save"]').click();
    await cards.nth(i).locator('[data-qa="sheet-checked"]').waitFor();
  }
  for (const r of sheet) {
    const checks = (await op.get(`/api/v1/children/${r.child_id}/health-checks`)).body.items.filter((c) => c.date === DAY);
    assert.equal(checks.length, 1, `one check today for child ${r.child_id}`);
    assert.ok(checks[0].symptoms.includes('fever'));
  }
  // the engine raised the class's fever alert, with the three children
  const alert = (await op.get('/api/v1/care-alerts')).body.items.find((a) => a.class_id === classId && a.status !== 'closed');
  assert.ok(alert, 'three fevers in one class raise the outbreak alert');
  assert.ok(alert.children.length >= 3);
  assertNoProblems(problems, 'class sheet');
  await page.close();

  // the health instructor sees it on 医育结合: the cases masked, the rule and its basis
  assert.ok((await instructor.get('/api/v1/care-alerts')).body.items.some((a) => a.id === alert.id));
  const ins = await pageAtNow({ width: 1366, height: 900 });
  await loginUI(ins.page, srv.url, 'health-instructor', PASSWORD);
  await ins.page.waitForFunction(() => location.hash.startsWith('#/health'));
  const cell = ins.page.locator(`[data-qa="alert-${alert.id}"]`);
  await cell.waitFor();
  const row = ins.page.locator('[data-qa="health-alerts"] tr', { has: cell });
  const text = await row.textContent();
  assert.ok(text.includes(alert.rule) && text.includes(alert.basis), 'rule and basis shown');
  const seen = (await instructor.get('/api/v1/care-alerts')).body.items.find((a) => a.id === alert.id);
  for (const c of seen.children) assert.ok(text.includes(c.name) && c.name.includes('*'), `case ${c.name} masked`);
  assertNoProblems(ins.problems, 'instructor');
  await ins.page.close();

  // the family: today's fever notice on the care page, then the growth chart with its points
  const fever = (await family.get(`/api/v1/children/${kid.id}/health-checks`)).body.items
    .find((c) => c.date === DAY && c.symptoms.includes('fever'));
  assert.ok(fever, 'the family reads its child\'s check of today');
  const fam = await pageAtNow({ width: 390, height: 844 });
  await fam.page.goto(`${srv.url}/#/me`);
  await fam.page.locator('[data-qa="mode-password"]').click();
  await fam.page.locator('[data-qa="family-login-user"]').fill('family');
  await fam.page.locator('[data-qa="family-login-password"]').fill(PASSWORD);
  await fam.page.locator('[data-qa="family-login-submit"]').click();
  await fam.page.locator(`[data-qa="care-link"][data-id="${kid.id}"]`).click();
  const notice = fam.page.locator(`[data-qa="care-notice"][data-ref="${fever.id}"]`);
  await notice.waitFor();
  assert.match(await notice.textContent(), /晨检[\s\S]*发热[\s\S]*通知家长接回/);
  const growth = (await family.get(`/api/v1/children/${kid.id}/growth`)).body;
  const points = growth.measurements.filter((m) => m.weight_kg !== null).length;
  assert.ok(points >= 3);
  await fam.page.locator('[data-qa="care-growth-link"]').click();
  await fam.page.waitForFunction((k) => {
    const el = document.querySelector('[data-qa="growth-canvas"]');
    return el && el.dataset.drawn === String(k) && el.querySelector('canvas');
  }, points);
  assert.equal(await fam.page.locator('[data-qa="growth-point"]').count(), points);
  assertNoProblems(fam.problems, 'family');
  await fam.page.close();
});
