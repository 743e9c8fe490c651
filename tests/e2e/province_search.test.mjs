// province_search.test.mjs — the parents' search of a deployment that serves several districts
// (issue 20): on the province demo (1 %), an anonymous parent chooses 区县, gets that district's
// towns and institutions, and opens one of them; a deployment of one district shows no chooser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, startServer, tuoyu, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems } from './browser.mjs';

let db, srv, browser;
before(async () => {
  db = freshDatabase({ demo: false });
  const r = tuoyu(['demo', '--scale', 'province', '--fraction', '0.01', '--password', PASSWORD, ...db.args]);
  assert.equal(r.status, 0, r.stderr);
  srv = await startServer({ web: true, database: db });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); db?.cleanup(); });

test('a parent chooses 上城区 and finds its institutions, then opens one', async () => {
  const { page, problems } = await openPage(browser);
  await page.goto(`${srv.url}/`);
  const chooser = page.locator('[data-qa="filter-district"]');
  await chooser.waitFor();
  assert.equal(await chooser.locator('option').count(), 90, 'the 90 districts this deployment serves');
  assert.equal(await chooser.inputValue(), '330304', 'the deployment\'s own district first');
  await page.locator('[data-qa="institution-card"]').first().waitFor();
  const expected = (await srv.client().get('/api/v1/public/institutions?district=330102&limit=100')).body.items;
  assert.ok(expected.length > 0);
  await chooser.selectOption('330102');
  const ids = expected.map((i) => String(i.id)).sort().join();
  await page.waitForFunction((want) => [...document.querySelectorAll('[data-qa="institution-card"]')]
    .map((e) => e.dataset.id).sort().join() === want, ids);
  // the towns of 上城区 to filter by, and the choice in the address
  await page.locator('[data-qa="filter-town"] option', { hasText: '清波街道' }).waitFor({ state: 'attached' });
  assert.match(page.url(), /district=330102/);
  await page.locator('[data-qa="institution-card"] h2 a').first().click();
  await page.locator('h1', { hasText: expected[0].name.slice(0, 4) }).waitFor();
  assertNoProblems(problems);
});
