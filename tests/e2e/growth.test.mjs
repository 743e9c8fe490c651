// growth.test.mjs — growth in the web app, in a real browser: the child's institution records a
// measurement on the console (a typo refused on its field, a value WHO flags as implausible saved
// and shown with its flag), and the family sees the child's WHO chart with the new point, its
// z-score, percentile and WS/T 423 grade with what it means — on a phone (390×844) and a desktop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls, lowContrastText } from './browser.mjs';

let srv, browser, family, child, staffLogin;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  family = await srv.login('family');
  // the demo family's child placed at an institution: that institution records its growth
  child = (await family.get('/api/v1/children')).body.items.find((c) => c.institution_id);
  assert.ok(child, 'the demo family has a child in care');
  staffLogin = `inst-${child.institution_id}`;
});
after(async () => { await browser?.close(); await srv?.stop(); });

const bj = new Date(Date.now() + 8 * 3600e3);
const today = bj.toISOString().slice(0, 10);
const yesterday = new Date(bj.getTime() - 86400e3).toISOString().slice(0, 10);

// the measurement of that day as the API evaluates it (the family's own view)
async function apiMeasurement(day) {
  const g = await family.get(`/api/v1/children/${child.id}/growth`);
  assert.equal(g.status, 200, g.text);
  return g.body.measurements.filter((m) => m.measured_on === day).pop();
}

async function chartShows(page, n) {
  await page.waitForFunction((k) => {
    const el = document.querySelector('[data-qa="growth-canvas"]');
    return el && el.dataset.drawn === String(k) && el.querySelector('canvas');
  }, n);
}

test('staff record measurements on the console: a typo refused, a WHO-implausible value saved with its flag', async () => {
  // the console asks /me before the login (401) and the typo is refused (422), on purpose
  const { page, problems } = await openPage(browser, { expect: [/status of 401/, /status of 422/] });
  await loginUI(page, srv.url, staffLogin, PASSWORD);
  await page.locator('[data-qa="nav-children"]').click();
  await page.locator(`[data-qa="child-growth-link"][data-id="${child.id}"]`).click();
  await page.locator('[data-qa="measurement-form"]').waitFor();
  const before = Number(await page.locator('[data-qa="growth-canvas"]').getAttribute('data-points'));

  // a weight in grams: refused on its field, nothing saved
  await page.locator('[data-qa="m-weight"]').fill('9400');
  await page.locator('[data-qa="m-submit"]').click();
  await page.locator('[data-qa="m-weight-error"]').waitFor();
  assert.match(await page.locator('[data-qa="m-weight-error"]').textContent(), /超出合理范围/);

  // a plausible measurement yesterday
  await page.locator('[data-qa="m-date"]').fill(yesterday);
  await page.locator('[data-qa="m-weight"]').fill('9.4');
  await page.locator('[data-qa="m-length"]').fill('74.5');
  await page.selectOption('[data-qa="m-measure"]', 'l');
  await page.locator('[data-qa="m-head"]').fill('45.5');
  await page.locator('[data-qa="m-submit"]').click();
  await page.locator('[data-qa="m-notice"]', { hasText: '已保存' }).waitFor();
  await chartShows(page, before + 1);
  const m = await apiMeasurement(yesterday);
  assert.equal(m.weight_kg, 9.4);
  assert.equal(m.measure, 'l');

  // 25 kg at about a year is beyond WHO's plausibility limit (z > 5): saved, and flagged
  await page.locator('[data-qa="m-date"]').fill(today);
  await page.locator('[data-qa="m-weight"]').fill('25');
  await page.locator('[data-qa="m-submit"]').click();
  await page.locator('[data-qa="m-notice"]', { hasText: '超出 WHO 合理范围' }).waitFor();
  const flagged = await apiMeasurement(today);
  assert.equal(flagged.zscores.wfa.flag, true, JSON.stringify(flagged.zscores.wfa));
  await chartShows(page, before + 2);
  await page.locator(`[data-qa="growth-point"][data-z="${flagged.zscores.wfa.z}"] [data-qa="growth-flag"]`).waitFor();
  assert.deepEqual(await unlabelledControls(page), [], 'every form control has a label');
  assert.deepEqual(await lowContrastText(page), [], 'text contrast meets WCAG AA');
  await screenshot(page, 'growth-console');
  assertNoProblems(problems, 'console growth page');
});

for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1366, height: 900 }]]) {
  test(`the family sees its child's chart with the new point, z-score, percentile and grade (${name})`, async () => {
    const m = await apiMeasurement(yesterday);
    assert.ok(m, 'the staff test saved a measurement yesterday');
    const { page, problems } = await openPage(browser, { viewport });
    await page.goto(`${srv.url}/#/me`);
    await page.locator('[data-qa="mode-password"]').click();
    await page.locator('[data-qa="family-login-user"]').fill('family');
    await page.locator('[data-qa="family-login-password"]').fill(PASSWORD);
    await page.locator('[data-qa="family-login-submit"]').click();
    await page.locator(`[data-qa="growth-link"][data-id="${child.id}"]`).click();
    await page.locator('[data-qa="growth-chart"]').waitFor();
    const all = (await family.get(`/api/v1/children/${child.id}/growth`)).body.measurements;
    await chartShows(page, all.filter((x) => x.weight_kg !== null).length);

    // weight-for-age: the staff's point with its z-score, percentile, grade and meaning
    const wfa = m.zscores.wfa;
    const point = page.locator(`[data-qa="growth-point"][data-indicator="wfa"][data-z="${wfa.z}"]`).first();
    await point.waitFor();
    const text = await point.textContent();
    assert.ok(text.includes(wfa.z.toFixed(2)) && text.includes(wfa.percentile.toFixed(1)), text);
    assert.equal(await point.locator('[data-qa="growth-grade"]').textContent(), wfa.grade_name);
    assert.ok((await point.locator('[data-qa="growth-meaning"]').textContent()).length > 10);
    // the flagged value is shown, with its flag
    assert.ok(await page.locator('[data-qa="growth-flag"]').count() >= 1);

    // length-for-age: the length with its position
    await page.locator('[data-qa="growth-tab"][data-key="lhfa"]').click();
    const lhfa = page.locator(`[data-qa="growth-point"][data-indicator="lhfa"][data-z="${m.zscores.lhfa.z}"]`).first();
    await lhfa.waitFor();
    assert.match(await lhfa.textContent(), /74\.5 cm（卧位身长）/);
    await chartShows(page, all.filter((x) => x.lenhei_cm !== null).length);
    if (name === 'phone') {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);
    }
    assert.deepEqual(await lowContrastText(page), [], 'text contrast meets WCAG AA');
    await screenshot(page, `growth-family-${name}`);
    assertNoProblems(problems, `family growth page (${name})`);
  });
}
