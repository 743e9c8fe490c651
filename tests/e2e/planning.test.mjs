// planning.test.mjs — the 规划分析 console page in a real browser: the district administrator opens it
// from the menu; the map shows one marker per community of the API's coverage reply, coloured
// covered / not covered as the API says; recommended new sites are shown; the places-per-1,000 table
// has a row per town. A town officer sees only their own town's communities. No page errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls, lowContrastText } from './browser.mjs';

const NO_SESSION = /status of 401/;
let srv, browser;
before(async () => { srv = await startServer({ web: true }); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

for (const login of ['district-admin', 'town-330304005']) {
  test(`planning page (${login}): community markers match the API, sites and town table shown`, async () => {
    const client = await srv.login(login);
    const cov = (await client.post('/api/v1/planning/coverage', {})).body;
    const sites = (await client.post('/api/v1/planning/sites', { k: 5 })).body;
    assert.ok(cov.communities.length > 0);
    const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
    await loginUI(page, srv.url, login, srv.password);
    await page.click('[data-qa="nav-planning"]');
    await page.waitForSelector('[data-qa="planning-map"] .plan-community');
    const map = page.locator('[data-qa="planning-map"]');
    assert.equal(await map.locator('.plan-community').count(), cov.communities.length, 'one marker per community');
    assert.equal(Number(await map.getAttribute('data-communities')), cov.communities.length);
    assert.equal(await map.locator('.plan-covered').count(), cov.communities.filter((c) => c.covered).length);
    assert.equal(await map.locator('.plan-uncovered').count(), cov.communities.filter((c) => !c.covered).length);
    await page.locator('[data-qa="planning-sites"] .el-table__row').first().waitFor();
    assert.equal(await map.locator('.plan-site').count(), sites.items.length, 'recommended sites on the map');
    assert.equal(await page.locator('[data-qa="planning-sites"] .el-table__row').count(), sites.items.length);
    assert.equal(await page.locator('[data-qa="planning-towns"] .el-table__row').count(), cov.towns.length);
    assert.equal((await page.locator('[data-qa="fig-places-per-1000"]').textContent()).trim(), cov.district.places_per_1000.toFixed(2));
    assert.deepEqual(await unlabelledControls(page), [], 'planning page controls are labelled');
    assert.deepEqual(await lowContrastText(page), [], 'planning page contrast');
    await screenshot(page, `console-planning-${login}`);
    assertNoProblems(problems, `planning ${login}`);
    await page.context().close();
  });
}
