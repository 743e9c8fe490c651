// checkups.test.mjs — the health-check due list in a real browser: a child of the demo institution
// in care whose 24-month check falls due today is on the institution's 健康检查 list; its operator
// records the check there (where, by whom, a measurement) and the child leaves the list; the
// recorded measurement is in the child's growth record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { child, consent } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, loginUI } from './browser.mjs';

let srv, browser, op, kid, staffLogin;
const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  const family = await srv.login('family');
  const inst = (await family.get('/api/v1/children')).body.items.find((c) => c.institution_id).institution_id;
  staffLogin = `inst-${inst}`;
  op = await srv.login(staffLogin);
  // born 24 months ago today (a 29 February birthday becomes the 28th): the 24-month check opens today
  const [y, m, d] = today.split('-');
  const birth = `${Number(y) - 2}-${m}-${m === '02' && d === '29' ? '28' : d}`;
  kid = await child(op, birth, { name: '检查宝宝' });
  const admin = await srv.login('district-admin');
  const classId = (await admin.get(`/api/v1/institutions/${inst}`)).body.classes[0].id;
  assert.equal((await op.put(`/api/v1/children/${kid}/placement`, { class_id: classId, start_date: today })).status, 201);
  await consent(op, kid);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the institution records a due health check from its 健康检查 list; the child leaves the list and the measurement reaches growth', async () => {
  const { page, problems } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(page, srv.url, staffLogin, PASSWORD);
  await page.locator('[data-qa="nav-checkups"]').click();
  const row = page.locator('[data-qa="checkups-due"] tr', { hasText: '24月龄健康检查' }).filter({ hasText: '检查宝宝' });
  await row.first().waitFor();
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator('[data-qa="due-check"]').getAttribute('data-status'), 'due');
  await row.locator('[data-qa="checkup-record"]').click();
  await page.locator('[data-qa="checkup-form"]').waitFor();
  await page.locator('[data-qa="ck-place"]').fill('社区卫生服务中心');
  await page.locator('[data-qa="ck-examiner"]').fill('李医生');
  await page.locator('[data-qa="ck-weight"]').fill('12.2');
  await page.locator('[data-qa="ck-length"]').fill('87.1');
  await page.locator('[data-qa="ck-save"]').click();
  await page.locator('[data-qa="checkups-notice"]').waitFor();
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-qa="checkups-due"] tr')].some((tr) => tr.textContent.includes('检查宝宝') && tr.textContent.includes('24月龄')));
  const g = (await op.get(`/api/v1/children/${kid}/growth`)).body.measurements;
  assert.deepEqual(g.map((x) => [x.measured_on, x.weight_kg]), [[today, 12.2]]);
  const s = (await op.get(`/api/v1/children/${kid}/checkups`)).body;
  assert.equal(s.schedule.find((c) => c.code === 'm24').status, 'done');
  assertNoProblems(problems);
  await page.close();
});
