// family_care.test.mjs — the family's care view in a real browser (issue 15 item 10, family): the
// demo family logs in, opens its child's care page from 我的, sees the month's attendance with who
// brought and collected the child, the morning check with the fever that sent the child home and
// the institution's notice of it, and opens the growth chart with its points — on a phone
// (390×844, first) and a desktop. What the page shows is checked against what the server stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, lowContrastText } from './browser.mjs';

let srv, browser, family, kid, care, fever, growth;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  family = await srv.login('family');
  for (const c of (await family.get('/api/v1/children')).body.items) {
    const r = await family.get(`/api/v1/children/${c.id}/care`);
    if (r.body.placement) [kid, care] = [c, r.body];
  }
  assert.ok(kid, 'the demo family has a child in care');
  fever = (await family.get(`/api/v1/children/${kid.id}/health-checks`)).body.items.find((c) => c.symptoms.includes('fever'));
  assert.ok(fever, 'the demo child was sent home with a fever');
  growth = (await family.get(`/api/v1/children/${kid.id}/growth`)).body;
  assert.ok(growth.measurements.length >= 3);
});
after(async () => { await browser?.close(); await srv?.stop(); });

for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1366, height: 900 }]]) {
  test(`the family opens its child's care page: attendance, the fever check and its notice, then the growth chart (${name})`, async () => {
    const { page, problems } = await openPage(browser, { viewport });
    await page.goto(`${srv.url}/#/me`);
    await page.locator('[data-qa="mode-password"]').click();
    await page.locator('[data-qa="family-login-user"]').fill('family');
    await page.locator('[data-qa="family-login-password"]').fill(PASSWORD);
    await page.locator('[data-qa="family-login-submit"]').click();
    await page.locator(`[data-qa="care-link"][data-id="${kid.id}"]`).click();
    assert.equal(await page.locator('[data-qa="care-child"]').textContent(), `${kid.name}的在园情况`, 'the child by its full name');

    // placement and pick-up persons, by full name
    assert.equal(await page.locator('[data-qa="care-class"]').textContent(), care.placement.class_name);
    const pickups = await page.locator('[data-qa="care-pickup"]').allTextContents();
    assert.deepEqual(pickups, care.pickups.map((p) => `${p.name}（${p.relation}）`));

    // attendance: every day of the month the server stored, who brought and collected the child
    const present = care.attendance.find((a) => a.status === 'present' && a.check_out && a.collected_by);
    assert.ok(present, JSON.stringify(care.attendance));
    await page.locator('[data-qa="care-day"]').first().waitFor();
    const rows = await page.locator('[data-qa="care-day"]').count();
    assert.ok(rows >= 15 && rows <= care.attendance.length, `${rows} days shown`);
    const by = (id) => care.pickups.find((p) => p.id === id).name;
    const day = page.locator(`[data-qa="care-day"][data-date="${present.date}"]`);
    assert.equal((await day.locator('[data-qa="care-day-in"]').textContent()).trim(), `${present.check_in} ${by(present.brought_by)}`);
    assert.equal((await day.locator('[data-qa="care-day-out"]').textContent()).trim(), `${present.check_out} ${by(present.collected_by)}`);
    const absent = care.attendance.filter((a) => a.status === 'absent').length;
    assert.equal(await page.locator('[data-qa="care-day"][data-status="absent"]').count(), absent);

    // the fever check in Chinese, and the institution's notice of it
    const check = page.locator(`[data-qa="care-check"][data-id="${fever.id}"]`);
    const text = await check.textContent();
    assert.ok(text.includes(`体温 ${fever.temperature_c.toFixed(1)} ℃`) && text.includes('发热') && text.includes('通知家长接回'), text);
    const notice = page.locator(`[data-qa="care-notice"][data-ref="${fever.id}"]`);
    assert.match(await notice.textContent(), new RegExp(`晨检：${kid.name}有异常[\\s\\S]*症状：发热。处理：通知家长接回`));
    assert.equal(await page.locator('[data-qa="care-entry-check"]').count(), 2);
    assert.match(await page.locator('[data-qa="care-incidents"]').textContent(), /暂无意外伤害记录/);
    if (name === 'phone') {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);
    }
    assert.deepEqual(await lowContrastText(page), [], 'text contrast meets WCAG AA');
    await screenshot(page, `family-care-${name}`);

    // the growth chart, drawn with the child's points
    await page.locator('[data-qa="care-growth-link"]').click();
    await page.locator('[data-qa="growth-chart"]').waitFor();
    const points = growth.measurements.filter((m) => m.weight_kg !== null).length;
    await page.waitForFunction((k) => {
      const el = document.querySelector('[data-qa="growth-canvas"]');
      return el && el.dataset.drawn === String(k) && el.querySelector('canvas');
    }, points);
    assert.equal(await page.locator('[data-qa="growth-point"]').count(), points);
    assertNoProblems(problems, `family care page (${name})`);
  });
}
