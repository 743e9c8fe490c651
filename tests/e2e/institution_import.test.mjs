// institution_import.test.mjs — 批量导入托育机构 in the browser (issue 21 items 3–4): the district
// downloads the registry list as a workbook, opens the import from the list, chooses a GBK CSV with a bad row and sees the row, the column
// as the file writes it, the value and the reason, with nothing imported; chooses the corrected
// file, sees the preview of the institution, confirms, and finds it in the registry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { gbkBytes, uscc } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls } from './browser.mjs';
import { readFileSync } from 'node:fs';
import { readSheet } from '../lib/xlsx.mjs';

const REFUSED = /status of 422/;
const NO_SESSION = /status of 401/; // the login page asks who is logged in first
let srv, browser, admin;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  admin = await srv.login('district-admin');
});
after(async () => { await browser?.close(); await srv.stop(); });

const HEAD = '机构名称,统一社会信用代码,所属镇街,地址,经度,纬度,办托模式,举办性质,普惠,场地权属,班型,托位数,在托人数,保育人员数\r\n';
const row = (capacity) => `浏览器导入托育园,${uscc('91330304MA4000001')},梧田街道,梧田街道测试路8号,120.65,27.97,社会机构市场办,民办,是,自有,托大班,${capacity},5,3\r\n`;

test('the district imports a town\'s file: the bad row reported, then the preview confirmed', async () => {
  const { page, problems } = await openPage(browser, { expect: [REFUSED, NO_SESSION] });
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.goto(`${srv.url}/console/#/institutions`);
  // the list on screen, as a workbook
  const [listFile] = await Promise.all([page.waitForEvent('download'), page.locator('[data-qa="export-institution-list"]').click()]);
  const listed = readSheet(readFileSync(await listFile.path()));
  assert.equal(listed.length - 1, (await admin.get('/api/v1/institutions?limit=500')).body.items.length, 'every institution listed');
  await page.locator('[data-qa="import-institutions"]').click();
  await page.locator('[data-qa="institutions-import-file"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  // 500 places in one class: refused, named by row and column
  await page.setInputFiles('[data-qa="institutions-import-file"]', { name: '梧田街道.csv', mimeType: 'text/csv', buffer: gbkBytes(HEAD + row(500)) });
  await page.locator('[data-qa="import-errors"]').waitFor();
  const report = await page.locator('[data-qa="import-errors"]').textContent();
  assert.match(report, /2/);
  assert.match(report, /托位数/);
  assert.match(report, /500/);
  assert.equal((await admin.get(`/api/v1/institutions?q=${encodeURIComponent('浏览器导入')}`)).body.items.length, 0, 'nothing imported');
  // the report as a workbook
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-qa="import-report"]').click()]);
  assert.equal(download.suggestedFilename(), '导入检查结果.xlsx');
  const book = readSheet(readFileSync(await download.path()));
  assert.equal(book[0].at(-1), '错误说明');
  assert.match(book[1].at(-1), /托位数/);
  // corrected: a preview, then the import
  await page.setInputFiles('[data-qa="institutions-import-file"]', { name: '梧田街道.csv', mimeType: 'text/csv', buffer: gbkBytes(HEAD + row(20)) });
  await page.locator('[data-qa="import-preview"]').waitFor();
  assert.match(await page.locator('[data-qa="import-preview"]').textContent(), /浏览器导入托育园[\s\S]*梧田街道[\s\S]*20/);
  assert.equal((await admin.get(`/api/v1/institutions?q=${encodeURIComponent('浏览器导入')}`)).body.items.length, 0, 'a preview writes nothing');
  await page.locator('[data-qa="import-confirm"]').click();
  await page.locator('[data-qa="import-done"]').waitFor();
  assert.match(await page.locator('[data-qa="import-done"]').textContent(), /已导入 1 家机构/);
  const found = (await admin.get(`/api/v1/institutions?q=${encodeURIComponent('浏览器导入')}`)).body.items;
  assert.equal(found.length, 1);
  assert.equal(found[0].town_code, '330304002');
  assertNoProblems(problems, 'import page');
});
