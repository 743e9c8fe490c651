// duties.test.mjs — the health instructor's 指导任务 page in a real browser (issue 16 item 2): the
// instructor sees the institutions assigned to them with this quarter's visit, records a visit
// with findings, advice and a follow-up from the row, and sees it counted in the quarter's row
// and in the institution's records; the district assigns an instructor on 指导员分配 and ends
// the assignment, and the list shows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, loginUI } from './browser.mjs';

let srv, browser, instId, instName;

before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  const admin = await srv.login('district-admin');
  // an institution the demo instructor covers (景山)
  const rows = (await admin.get('/api/v1/instructor-assignments?history=0')).body.assignments;
  const inst = rows.find((r) => r.town_code === '330304001');
  ({ institution_id: instId, institution_name: instName } = inst);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the instructor records a visit from 指导任务 and sees it counted', async () => {
  const { page, problems } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(page, srv.url, 'health-instructor', PASSWORD);
  await page.locator('[data-qa="nav-duties"]').click();
  // this quarter's visit, not yet made (the demo's year of duties stops before it)
  const row = page.locator('[data-qa="duties-periods"] tr', { hasText: instName }).filter({ hasText: '实地指导' })
    .filter({ has: page.locator('[data-qa="period-state"][data-state="due"]') }).first();
  await row.waitFor();
  const before = await row.locator('[data-qa="period-count"]').textContent();
  assert.match(before, /^0 \/ [01]$/);
  const quarter = (await row.locator('td').nth(3).textContent()).trim(); // its 周期
  const instructor = await srv.login('health-instructor');
  const recordsBefore = (await instructor.get(`/api/v1/institutions/${instId}/instructor-duties`)).body.records.length;
  await row.locator('[data-qa="duty-record"]').click();
  await page.locator('[data-qa="duty-form"]').waitFor();
  await page.locator('[data-qa="duty-content"]').fill('膳食与晨检指导');
  await page.locator('[data-qa="duty-findings"]').fill('晨检记录不全');
  await page.locator('[data-qa="duty-advice"]').fill('晨检当日登记');
  await page.locator('[data-qa="duty-follow"]').fill('下次复查晨检记录');
  await page.locator('[data-qa="duty-save"]').click();
  await page.locator('[data-qa="duties-notice"]').waitFor();
  // counted in the quarter's row, and in the institution's records
  await page.waitForFunction(([name, q]) => [...document.querySelectorAll('[data-qa="duties-periods"] tr')]
    .filter((tr) => tr.textContent.includes(name) && tr.textContent.includes('实地指导') && tr.textContent.includes(q))
    .some((tr) => /^1 \//.test(tr.querySelector('[data-qa="period-count"]')?.textContent || '')), [instName, quarter]);
  const rec = page.locator('[data-qa="duty-record-list"] tr', { hasText: '膳食与晨检指导' });
  await rec.waitFor();
  assert.match(await rec.textContent(), /晨检记录不全.*晨检当日登记.*下次复查晨检记录/);
  // and the API agrees: one more record, the latest
  const records = (await instructor.get(`/api/v1/institutions/${instId}/instructor-duties`)).body.records;
  assert.equal(records.length, recordsBefore + 1);
  assert.deepEqual([records[0].kind, records[0].content, records[0].findings], ['visit', '膳食与晨检指导', '晨检记录不全']);
  assertNoProblems(problems);
  await page.close();
});

test('the district assigns an instructor on 指导员分配 and ends the assignment', async () => {
  const { page, problems } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.locator('[data-qa="nav-assignments"]').click();
  await page.locator('[data-qa="assignment-list"] tr', { hasText: instName }).first().waitFor();
  // the three-tier network above it: the demo instructor is a 儿保医生 of 新桥's child health centre
  const xinqiao = page.locator('[data-qa="health-orgs"] tr', { hasText: '新桥街道社区卫生服务中心' });
  await xinqiao.getByText('儿童健康管理中心').waitFor();
  await xinqiao.locator('[data-qa="org-instructor"]', { hasText: '健康指导员（演示）' }).waitFor();
  // assign the demo instructor to an institution of 梧田 (not covered by the demo)
  const admin = await srv.login('district-admin');
  const target = (await admin.get('/api/v1/institutions?town=330304002&limit=1')).body.items[0];
  await page.locator('[data-qa="assign-user"]').click();
  await page.locator('.el-select-dropdown__item', { hasText: 'health-instructor' }).click();
  await page.locator('[data-qa="assign-inst"]').click();
  await page.keyboard.type(target.name);
  await page.locator('.el-select-dropdown__item:visible', { hasText: target.name }).first().click();
  await page.locator('[data-qa="assign-save"]').click();
  await page.locator('[data-qa="assignments-notice"]').waitFor();
  const row = page.locator('[data-qa="assignment-list"] tr', { hasText: target.name });
  await row.waitFor();
  assert.match(await row.textContent(), /至今/);
  const now = (await admin.get(`/api/v1/instructor-assignments?institution_id=${target.id}`)).body.assignments;
  assert.equal(now.length, 1);
  await row.locator('[data-qa="assign-end"]').click();
  await page.waitForFunction((name) => ![...document.querySelectorAll('[data-qa="assignment-list"] tr')].some((tr) => tr.textContent.includes(name)), target.name);
  const hist = (await admin.get(`/api/v1/instructor-assignments?history=1&institution_id=${target.id}`)).body.assignments;
  assert.equal(hist.length, 1);
  assert.ok(hist[0].to, 'ended');
  assertNoProblems(problems);
  await page.close();
});
