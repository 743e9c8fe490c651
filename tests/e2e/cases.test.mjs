// cases.test.mjs — 办托一件事 in a real browser: an operator starts a filing from 办件, sees the
// registry's findings answer while typing (a fourth floor is found at once and the finding goes
// when corrected), uploads each material of the checklist and matches it, is told what is missing,
// confirms the declaration and submits; the fire reviewer lands on 我的待办 with a count badge,
// opens the case from the queue and approves; the district administrator receives and, after
// the departments, decides 备案 on the case page; the institution is on the portal's 公示 page
// with its filing number. No page errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { pdfBytes } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls, chooseOption } from './browser.mjs';

const NO_SESSION = /status of 401/;
let srv, browser, admin;

before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  admin = await srv.login('district-admin');
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('办托一件事 from the wizard to 公示, through the reviewers’ queue', async () => {
  const pending = (await admin.get('/api/v1/institutions?status=pending&limit=500')).body.items
    .find((i) => !['family_point', 'kindergarten'].includes(i.operating_model));
  // a record the rules pass: one small class, its own premises on the first floor with a health
  // room, a health worker; its window-to-floor ratio not recorded yet
  const rec = (await admin.get(`/api/v1/institutions/${pending.id}`)).body;
  assert.equal((await admin.put(`/api/v1/institutions/${pending.id}`, {
    premises: { tenure: 'owned', floor: 1, health_room_m2: 8, window_floor_ratio: null }, health_workers: 1,
    classes: rec.classes.map((k) => ({ id: k.id, class_type: k.class_type, name: k.name, capacity: 10, enrolled: 3, caregivers: 3 })),
  })).status, 200);

  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, /status of 422/] });
  await loginUI(page, srv.url, `inst-${pending.id}`, srv.password);
  await page.click('[data-qa="nav-cases"]');
  await page.click('[data-qa="case-start-filing"]');
  await page.locator('[data-qa="case-title"]').waitFor();
  assert.match(await page.locator('[data-qa="case-state"]').textContent(), /填报中/);
  const caseId = Number(page.url().match(/cases\/(\d+)/)[1]);
  assert.deepEqual(await unlabelledControls(page), [], 'every control of the wizard has a name');

  // 网上提交即刻办: a fourth floor is found while typing, and the finding goes when corrected
  const floor = page.getByRole('spinbutton', { name: '所在楼层' });
  await floor.fill('4');
  await floor.blur();
  await page.locator('[data-qa="case-findings"]', { hasText: '4 层' }).waitFor();
  await floor.fill('1');
  await floor.blur();
  // the 卫生评价's daylight: asked for while not recorded, found short at 15 %, passed at 25 %
  await page.locator('[data-qa="case-findings"]', { hasText: '未登记婴幼儿生活用房窗地面积比（应不低于 20%）' }).waitFor();
  const windows = page.getByRole('spinbutton', { name: '生活用房窗地面积比（%）' });
  await windows.fill('15');
  await windows.blur();
  await page.locator('[data-qa="case-findings"]', { hasText: '婴幼儿生活用房窗地面积比 15%，低于 20%' }).waitFor();
  await windows.fill('25');
  await windows.blur();
  await page.locator('[data-qa="case-findings-ok"]').waitFor();
  assert.equal((await admin.get(`/api/v1/cases/${caseId}`)).body.data.institution.premises.window_floor_ratio, 0.25, 'saved as a ratio');

  // submitting without the materials names what is missing
  await page.click('[data-qa="case-declaration"]');
  await page.click('[data-qa="case-submit"]');
  await page.locator('[data-qa="case-action-error"]', { hasText: '营业执照' }).waitFor();

  // each item of the checklist: upload, then match
  const checklist = (await admin.get(`/api/v1/cases/${caseId}`)).body.checklist;
  for (const item of checklist) {
    await page.locator('[data-qa="material-file"]').setInputFiles({ name: `${item.name}.pdf`, mimeType: 'application/pdf', buffer: pdfBytes(`e2e-${item.item}`) });
    await page.locator('[data-qa="material-ok"]', { hasText: item.name }).waitFor();
    await chooseOption(page, `checklist-${item.item}`, item.name);
  }
  await page.locator('[data-qa="case-checklist"]').getByText('缺').waitFor({ state: 'detached' });
  // each material with the step that examines it
  await page.locator('[data-qa="case-checklist"] .el-table__row', { hasText: '消防安全检查合格证明' }).locator('[data-qa="checklist-steps"]', { hasText: '消防救援审核' }).waitFor();
  await screenshot(page, 'console-case-wizard');
  await page.click('[data-qa="case-submit"]');
  await page.locator('[data-qa="case-state"]', { hasText: '待受理' }).waitFor();
  await page.locator('[data-qa="case-next"]', { hasText: '受理并出具回执' }).waitFor();
  assertNoProblems(problems, 'operator');

  // the administrator receives it on the case page
  const adminPage = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(adminPage.page, srv.url, 'district-admin', srv.password);
  await adminPage.page.goto(`${srv.url}/console#/cases/${caseId}`);
  await adminPage.page.click('[data-qa="decide-receive"]');
  await adminPage.page.locator('[data-qa="case-state"]', { hasText: '部门并联审核' }).waitFor();

  // the fire reviewer lands on the queue, with a badge, and approves from the case page
  const fire = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(fire.page, srv.url, 'dept-reviewer', srv.password);
  await fire.page.waitForFunction(() => location.hash.startsWith('#/tasks'));
  await fire.page.locator('[data-qa="task-badge"]').waitFor();
  const row = fire.page.locator('[data-qa="task-open"]', { hasText: pending.name });
  await row.waitFor();
  await screenshot(fire.page, 'console-tasks');
  await row.click();
  await fire.page.locator('[data-qa="decide-approve"]').waitFor();
  assert.match(await fire.page.locator('[data-qa="decide-materials"]').textContent(), /消防安全检查合格证明/, 'the reviewer sees the materials its step examines');
  await fire.page.locator('textarea[data-qa="decide-comment"], [data-qa="decide-comment"] textarea').first().fill('消防安全检查合格');
  await fire.page.click('[data-qa="decide-approve"]');
  await fire.page.locator('[data-qa="case-ok"]').waitFor();
  assertNoProblems(fire.problems, 'reviewer');

  // the other departments through the API, then 备案 on the administrator's case page
  for (const login of ['dept-market', 'dept-health']) {
    const c = await srv.login(login);
    const t = (await c.get('/api/v1/tasks?limit=500')).body.items.find((x) => x.case_id === caseId);
    assert.equal((await c.post(`/api/v1/cases/${caseId}/events`, { event: 'approve', task_id: t.id })).status, 200);
  }
  await adminPage.page.reload();
  await adminPage.page.locator('[data-qa="decide-file"]').click();
  await adminPage.page.locator('[data-qa="case-state"]', { hasText: '已备案' }).waitFor();
  await screenshot(adminPage.page, 'console-case-filed');
  assertNoProblems(adminPage.problems, 'administrator');
  const pub = (await srv.client().get('/api/v1/public/filings?limit=500')).body.items.find((f) => f.institution_id === pending.id);
  assert.ok(pub && pub.filing_no, 'on the public list with a filing number');

  // 公示 in the family portal, without logging in
  const visitor = await openPage(browser);
  await visitor.page.goto(`${srv.url}/`);
  await visitor.page.click('[data-qa="footer-filings"]');
  const filed = visitor.page.locator('[data-qa="filing-row"]', { hasText: pending.name });
  await filed.waitFor();
  assert.match(await filed.textContent(), new RegExp(pub.filing_no));
  assertNoProblems(visitor.problems, 'portal');
});
