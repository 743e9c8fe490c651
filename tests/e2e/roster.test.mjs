// roster.test.mjs — 批量导入名单 in the browser (issue 21 item 3): an institution's operator chooses a
// roster with a bad row and sees it listed with nobody imported, then the corrected file, and the
// children appear in the list and in its export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { readFileSync } from 'node:fs';
import { readSheet } from '../lib/xlsx.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/, REFUSED = /status of 422/;
let srv, browser, instId;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  const admin = await srv.login('district-admin');
  instId = (await admin.get('/api/v1/institutions?town=330304005&limit=1')).body.items[0].id;
});
after(async () => { await browser?.close(); await srv.stop(); });

test('an operator imports a roster: the bad row listed, then the children registered', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, REFUSED] });
  await loginUI(page, srv.url, `inst-${instId}`, PASSWORD);
  await page.goto(`${srv.url}/console/#/children`);
  await page.locator('[data-qa="roster-file"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  const head = '\ufeff姓名,性别,出生日期,出生医学证明编号\r\n';
  await page.setInputFiles('[data-qa="roster-file"]', { name: '名单.csv', mimeType: 'text/csv', buffer: Buffer.from(`${head}浏览器甲,男,2024-06-01,R330000101\r\n浏览器乙,不详,2024-07-01,R330000102\r\n`) });
  await page.locator('[data-qa="roster-errors"]').waitFor();
  assert.match(await page.locator('[data-qa="roster-errors"]').textContent(), /性别/);
  await page.setInputFiles('[data-qa="roster-file"]', { name: '名单.csv', mimeType: 'text/csv', buffer: Buffer.from(`${head}浏览器甲,男,2024-06-01,R330000101\r\n浏览器乙,女,2024-07-01,R330000102\r\n`) });
  await page.locator('[data-qa="roster-done"]').waitFor();
  assert.match(await page.locator('[data-qa="roster-done"]').textContent(), /已导入 2 名/);
  await page.locator('[data-qa="children-table"]', { hasText: '浏览器乙' }).waitFor();
  // the list as on screen, as a workbook: the institution's own children by their full names
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-qa="export-children"]').click()]);
  const rows = readSheet(readFileSync(await file.path()));
  assert.ok(rows.some((r) => r.includes('浏览器乙')), 'the imported child in the export');
  assertNoProblems(problems, 'children page');
});
