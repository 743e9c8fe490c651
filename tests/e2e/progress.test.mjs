// progress.test.mjs — 季度进度报送 in the browser (issue 19 "done when"): a town officer starts the
// quarter's report from 季度进度报送, writes it, attaches a file and submits it; the district
// returns it with a reason, the town corrects and resubmits, the district approves — and the
// report is then locked on the page (no editing, no submitting), only reopenable by the district.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { pdfBytes } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
const TOWN = '330304001';
let srv, browser;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('a town submits its quarterly report; the district returns, then approves it; the quarter locks', async () => {
  const admin = await srv.login('district-admin');
  // the town officer writes and submits
  let { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, `town-${TOWN}`, PASSWORD);
  await page.click('[data-qa="nav-progress"]');
  await page.locator('[data-qa="progress-state"]').getByText('未开始').waitFor();
  await page.click('[data-qa="progress-start"]');
  await page.locator('[data-qa="report-state"]').getByText('填报中').waitFor();
  await page.locator('#h-ind').getByText('实时数据', { exact: false }).waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await page.fill('#pr-progress', '本季度新增普惠托位 40 个，2 家机构完成备案');
  await page.fill('#pr-problems', '部分社区场地不足');
  await page.click('[data-qa="report-save"]');
  await page.locator('[data-qa="report-saved"]').getByText('已保存').waitFor();
  await page.locator('[data-qa="material-file"]').setInputFiles({ name: '季度台账.pdf', mimeType: 'application/pdf', buffer: pdfBytes('progress-e2e') });
  await page.locator('[data-qa="material-ok"]').waitFor();
  await page.click('[data-qa="report-submit"]');
  await page.locator('[data-qa="report-state"]').getByText('已报送待审核').waitFor();
  const id = Number(/progress-reports\/(\d+)/.exec(page.url())[1]);
  let r = (await admin.get(`/api/v1/progress-reports/${id}`)).body;
  assert.deepEqual([r.state, r.progress, r.indicators_live], ['submitted', '本季度新增普惠托位 40 个，2 家机构完成备案', false]);
  assert.equal(await page.locator('#pr-progress').isDisabled(), true, 'a submitted report is not edited');
  assertNoProblems(problems, 'town submits');
  await page.close();

  // the district returns it with a reason
  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION] }));
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.click('[data-qa="nav-progress"]');
  await page.locator('[data-qa="progress-summary"]').getByText('已报送 1 个').waitFor();
  await page.locator('[data-qa="progress-open"]').getByText('审核').click();
  await page.locator('[data-qa="report-state"]').getByText('已报送待审核').waitFor();
  await page.fill('#pr-comment', '请补充托位数据来源');
  await page.click('[data-qa="report-return"]');
  await page.locator('[data-qa="report-state"]').getByText('已退回修改').waitFor();
  assertNoProblems(problems, 'district returns');
  await page.close();

  // the town corrects and submits again
  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION] }));
  await loginUI(page, srv.url, `town-${TOWN}`, PASSWORD);
  await page.goto(`${srv.url}/console/#/progress-reports/${id}`);
  await page.locator('[data-qa="report-return-note"]').getByText('请补充托位数据来源', { exact: false }).waitFor();
  await page.fill('#pr-progress', '本季度新增普惠托位 40 个（区发改局立项数），2 家机构完成备案');
  await page.click('[data-qa="report-submit"]');
  await page.locator('[data-qa="report-state"]').getByText('已报送待审核').waitFor();
  assertNoProblems(problems, 'town resubmits');
  await page.close();

  // the district approves: locked
  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION] }));
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.goto(`${srv.url}/console/#/progress-reports/${id}`);
  await page.click('[data-qa="report-approve"]');
  await page.locator('[data-qa="report-state"]').getByText('已审核（已锁定）').waitFor();
  await page.locator('[data-qa="report-reopen"]').waitFor();
  r = (await admin.get(`/api/v1/progress-reports/${id}`)).body;
  assert.deepEqual([r.state, r.progress], ['approved', '本季度新增普惠托位 40 个（区发改局立项数），2 家机构完成备案']);
  await page.click('[data-qa="nav-progress"]');
  await page.locator('[data-qa="progress-summary"]').getByText('已审核 1 个').waitFor();
  assertNoProblems(problems, 'district approves');
  await page.close();

  // the town sees it locked: nothing to edit or fire
  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION] }));
  await loginUI(page, srv.url, `town-${TOWN}`, PASSWORD);
  await page.goto(`${srv.url}/console/#/progress-reports/${id}`);
  await page.locator('[data-qa="report-state"]').getByText('已审核（已锁定）').waitFor();
  assert.equal(await page.locator('[data-qa="report-save"]').count(), 0);
  assert.equal(await page.locator('[data-qa="report-actions"]').count(), 0);
  assert.equal(await page.locator('[data-qa="material-upload"]').count(), 0);
  assertNoProblems(problems, 'town sees the lock');
  await page.close();
});

test('重点工作计划: a town sees what is overdue, reports on its own task with evidence and marks it done', async () => {
  const admin = await srv.login('district-admin');
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, `town-${TOWN}`, PASSWORD);
  await page.click('[data-qa="nav-key-tasks"]');
  // the plan's one overdue task (梧田街道's) is marked; the switch keeps only it
  await page.locator('[data-qa="kt-tasks"] [data-qa="kt-late"]').first().waitFor();
  await page.locator('[data-qa="kt-overdue-only"]').click();
  assert.equal(await page.locator('[data-qa="kt-tasks"] .el-table__body tr').count(), 1);
  await page.locator('[data-qa="kt-overdue-only"]').click();
  // the town's own tasks, by owner
  await page.locator('[data-qa="kt-owners"] [data-qa="kt-owner"]', { hasText: '景山街道' }).click();
  const own = (await admin.get(`/api/v1/key-tasks?owner_kind=town&owner_code=${TOWN}&state=planned`)).body.items[0];
  await page.locator('[data-qa="kt-open"]', { hasText: own.title }).click();
  await page.locator('[data-qa="kt-task"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await page.locator('[data-qa="kt-task"] [data-qa="material-file"]').setInputFiles({ name: '培训计划.pdf', mimeType: 'application/pdf', buffer: pdfBytes('keytask-e2e') });
  await page.locator('[data-qa="kt-task"] [data-qa="material-ok"]').waitFor();
  await page.locator('[data-qa="kt-report-state"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '已完成' }).click();
  await page.fill('#kt-note', '年度培训计划已印发');
  await page.click('[data-qa="kt-report-submit"]');
  await page.locator('[data-qa="kt-saved"]').getByText('任务已完成').waitFor();
  const now = (await admin.get(`/api/v1/key-tasks/${own.id}`)).body;
  assert.deepEqual([now.state, now.evidence, now.updates[0].note], ['done', 1, '年度培训计划已印发']);
  assertNoProblems(problems, 'town reports a key task');
  await page.close();
});
