// operating.test.mjs — a quarter's operating subsidies in the browser (issue 18 item 1): the district
// previews the last quarter on 资金台账 (the same figures the API works out, nothing written), then
// puts it in the ledger, whose rows then show under their kind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { child } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
let srv, browser;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

const yuan = (fen) => '¥' + (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: fen % 100 ? 2 : 0, maximumFractionDigits: 2 });

test('the district previews the last quarter, then puts it in the ledger', async () => {
  const admin = await srv.login('district-admin');
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'district-admin', PASSWORD);
  await page.click('[data-qa="nav-funds"]');
  await page.locator('[data-qa="funds-round"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  // the page offers the last ended quarter first
  const now = new Date(Date.now() + 8 * 3600e3), q = Math.floor(now.getUTCMonth() / 3); // Beijing's calendar
  const quarter = q === 0 ? `${now.getUTCFullYear() - 1}-Q4` : `${now.getUTCFullYear()}-Q${q}`;
  await page.locator('[data-qa="round-quarter"]').getByText(quarter).waitFor();
  // two children of the demo's first (公办, 普惠) institution in care since the quarter's first day
  const op = await srv.login('inst-1');
  const classId = (await admin.get('/api/v1/institutions/1')).body.classes[0].id;
  const first = `${quarter.slice(0, 4)}-${String((Number(quarter.slice(6)) - 1) * 3 + 1).padStart(2, '0')}-01`;
  for (const name of ['季度浏览甲', '季度浏览乙']) {
    const kid = await child(op, '2024-06-15', { name });
    assert.equal((await op.put(`/api/v1/children/${kid}/placement`, { class_id: classId, start_date: first })).status, 201);
  }
  await page.click('[data-qa="round-preview"]');
  const totals = page.locator('[data-qa="round-totals"]');
  await totals.getByText('预览，未入账').waitFor();
  const api = (await admin.post('/api/v1/funds/operating-rounds', { quarter, dry_run: true })).body;
  assert.ok((await totals.textContent()).includes(`生均保育经费 ${yuan(api.totals.operating_fen)}`), await totals.textContent());
  assert.equal(await page.locator('[data-qa="round-items"] .el-table__body tr').count(), api.institutions.length);
  assert.equal((await admin.get('/api/v1/funds/entitlements?kind=operating')).body.items.length, 0, 'a preview writes nothing');
  await page.click('[data-qa="round-commit"]');
  await totals.getByText('已计入台账').waitFor();
  const rows = (await admin.get('/api/v1/funds/entitlements?kind=operating&limit=500')).body.items;
  assert.equal(rows.length, api.institutions.filter((i) => i.operating_fen > 0).length);
  assert.ok(api.institutions.find((i) => i.institution_id === 1).child_months >= 6, 'the two children, three months each');
  assert.ok(rows.every((r) => r.period === quarter && r.state === 'computed'));
  // the ledger summed by kind shows the quarter's rows
  await page.locator('[data-qa="totals"] tr', { hasText: '生均保育经费补助' }).waitFor();
  await page.locator('[data-qa="totals-by"]').getByText('按镇街').click();
  await page.locator('[data-qa="totals"] tr', { hasText: '景山街道' }).waitFor();
  await page.locator('[data-qa="funds-kind"]').click();
  await page.locator('.el-select-dropdown__item', { hasText: '生均保育经费补助' }).click();
  await page.locator('[data-qa="funds"] .el-table__body tr', { hasText: quarter }).first().waitFor();
  // next year's budget, as the API reckons it
  await page.click('[data-qa="forecast-run"]');
  const f = (await admin.get('/api/v1/funds/forecast')).body;
  await page.locator('[data-qa="forecast-total"]').getByText(yuan(f.total_fen)).waitFor();
  assert.equal(await page.locator('[data-qa="forecast-lines"] .el-table__body tr').count(), f.lines.length);
  assertNoProblems(problems, 'operating round');
  await page.close();
});
