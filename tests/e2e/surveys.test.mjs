// surveys.test.mjs — 问卷调查 in the browser (issue 19 "done when" for surveys): the 第三方测评
// evaluator writes a satisfaction survey for the families of one institution and publishes it;
// the family opens it from 我的 on the portal, is told which question it missed, answers, and
// cannot answer again; the evaluator's results show the answer and the response rate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
let srv, browser;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the evaluator publishes a survey, a family answers it on the portal, the results show it', async () => {
  const fam = await srv.login('family');
  const evaluator = await srv.login('evaluator');
  const inst = (await fam.get('/api/v1/children')).body.items[0].institution_id;
  const instName = (await evaluator.get(`/api/v1/institutions/${inst}`)).body.name;

  // the evaluator writes it in the console (two questions) and publishes it
  let { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'evaluator', PASSWORD);
  await page.click('[data-qa="nav-surveys"]');
  await page.click('[data-qa="survey-new"]');
  await page.fill('#sv-title', '浏览器满意度测评');
  await page.locator('[data-qa="sv-institution"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: instName }).first().click();
  await page.locator('#sv-close').click();
  await page.locator('#sv-close').fill('2099-12-31');
  await page.locator('#sv-close').press('Enter');
  await page.locator('#sv-open').click();
  await page.locator('#sv-open').fill((await evaluator.get('/api/v1/public/labels')).body.as_of);
  await page.locator('#sv-open').press('Enter');
  await page.locator('[data-qa="sv-q0"] input[data-qa="sv-q-text"]').fill('您对保育照护的总体满意度');
  await page.click('[data-qa="sv-add"]');
  await page.locator('[data-qa="sv-q1"] .el-select').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '单选' }).click();
  await page.locator('[data-qa="sv-q1"] input[data-qa="sv-q-text"]').fill('孩子是否愿意入园');
  await page.locator('[data-qa="sv-q1"] input[data-qa="sv-q-options"]').fill('愿意、一般、不愿意');
  assert.deepEqual(await unlabelledControls(page), []);
  await page.click('[data-qa="sv-save"]');
  await page.locator('[data-qa="survey-saved"]').getByText('已保存').waitFor();
  const row = page.locator('[data-qa="surveys"] .el-table__body tr', { hasText: '浏览器满意度测评' });
  await row.locator('[data-qa="survey-publish"]').click();
  await row.locator('[data-qa="survey-link"]').waitFor();
  const link = await row.locator('[data-qa="survey-link"]').textContent();
  assert.match(link, /#\/surveys\/[A-Za-z0-9_-]{43}$/);
  assertNoProblems(problems, 'evaluator publishes');
  await page.close();

  // the family answers it on the portal: from 我的, a missed required question named first
  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION, /status of 422/] }));
  await page.goto(`${srv.url}/#/me`);
  await page.locator('[data-qa="mode-password"]').click();
  await page.locator('[data-qa="family-login-user"]').fill('family');
  await page.locator('[data-qa="family-login-password"]').fill(PASSWORD);
  await page.locator('[data-qa="family-login-submit"]').click();
  await page.locator('[data-qa="my-surveys"] [data-qa="survey-open"]', { hasText: '浏览器满意度测评' }).click();
  await page.locator('[data-qa="survey-q0"]').waitFor();
  await page.locator('[data-qa="survey-q1"] label', { hasText: '愿意' }).first().click();
  await page.click('[data-qa="survey-submit"]');
  await page.locator('[data-qa="survey-error"]').getByText('第 1 题').waitFor();
  await page.locator('[data-qa="survey-q0"] label', { hasText: '4 分' }).click();
  await page.click('[data-qa="survey-submit"]');
  await page.locator('[data-qa="survey-thanks"]').getByText('感谢').waitFor();
  assertNoProblems(problems, 'family answers');
  await page.goto(`${srv.url}/#/me`);
  await page.locator('[data-qa="my-surveys"]').getByText('已填写').waitFor();
  await page.close();

  // the evaluator's results
  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION] }));
  await loginUI(page, srv.url, 'evaluator', PASSWORD);
  await page.click('[data-qa="nav-surveys"]');
  await page.locator('[data-qa="surveys"] .el-table__body tr', { hasText: '浏览器满意度测评' }).locator('[data-qa="survey-results"]').click();
  await page.locator('[data-qa="survey-summary"]').getByText('答卷 1 份').waitFor();
  await page.locator('[data-qa="survey-summary"]').getByText('满意度 75.0 分').waitFor();
  await page.locator('[data-qa="result-q1"]').getByText('愿意').first().waitFor();
  assertNoProblems(problems, 'evaluator reads results');
  await page.close();
});
