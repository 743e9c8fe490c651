// health.test.mjs — the health instructor's 医育结合 page in a real browser (issue 15 item 10): the
// demo instructor logs in and lands on it; sees the assigned institutions, the demo's outbreak
// alert (cases masked, the rule and its basis), acknowledges it and closes it with the action
// taken; sees a child with a health check due and a growth flag (a child of an assigned
// institution born 24 months ago today, weighed at 97 % of the WHO −3 SD weight), and follows
// the flag to the child's growth page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { child, consent } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls, screenshot } from './browser.mjs';

let srv, browser, instructor, kid, alert;
const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  instructor = await srv.login('health-instructor');
  const admin = await srv.login('district-admin');
  const family = await srv.login('family');
  const inst = (await family.get('/api/v1/children')).body.items.find((c) => c.institution_id).institution_id;
  const op = await srv.login(`inst-${inst}`);
  // born 24 months ago today (a 29 February birthday becomes the 28th): the 24-month check is due
  const [y, m, d] = today.split('-');
  const birth = `${Number(y) - 2}-${m}-${m === '02' && d === '29' ? '28' : d}`;
  kid = await child(op, birth, { name: '偏离宝宝', sex: 2 });
  const classId = (await admin.get(`/api/v1/institutions/${inst}`)).body.classes[0].id;
  assert.equal((await op.put(`/api/v1/children/${kid}/placement`, { class_id: classId, start_date: today })).status, 201);
  await consent(op, kid);
  const age = Math.round((Date.parse(today) - Date.parse(birth)) / 86400e3);
  const curve = (await admin.get(`/api/v1/public/growth/curves/wfa/2?from=${age}&to=${age}`)).body.points[0];
  const w = await op.post(`/api/v1/children/${kid}/measurements`, { measured_on: today, weight_kg: Math.round(curve[1] * 97) / 100 });
  assert.equal(w.status, 201, w.text);
  // the demo's outbreak alert, at an institution of 景山 the instructor covers
  alert = (await instructor.get('/api/v1/care-alerts')).body.items.find((a) => a.status === 'open');
  assert.ok(alert, 'the demo raises an outbreak alert the instructor sees');
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the instructor lands on 医育结合, handles the outbreak alert, and sees the due check and the growth flag', async () => {
  const { page, problems } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(page, srv.url, 'health-instructor', PASSWORD);
  await page.waitForFunction(() => location.hash.startsWith('#/health'));
  await page.locator('[data-qa="health-institutions"] li').first().waitFor();
  const assigned = (await instructor.get('/api/v1/institutions?limit=500')).body.items;
  assert.equal(await page.locator('[data-qa="health-institutions"] li').count(), assigned.length);

  // the alert: its cases (masked), the rule that fired and its basis
  const cell = page.locator(`[data-qa="alert-${alert.id}"]`);
  await cell.waitFor();
  const row = page.locator('[data-qa="health-alerts"] tr', { has: cell });
  const text = await row.textContent();
  assert.ok(text.includes(alert.rule) && text.includes(alert.basis), 'the rule and its basis are shown');
  for (const c of alert.children) assert.ok(text.includes(c.name) && c.name.includes('*'), `case ${c.name} shown masked`);
  assert.deepEqual(await unlabelledControls(page), []);
  await cell.locator('[data-qa="alert-acknowledge"]').click();
  await page.locator(`[data-qa="alert-${alert.id}"][data-status="acknowledged"]`).waitFor();
  assert.equal((await instructor.get('/api/v1/care-alerts')).body.items.find((a) => a.id === alert.id).status, 'acknowledged');
  await page.locator(`[data-qa="alert-${alert.id}"] [data-qa="alert-action"]`).fill('全班晨午检加强，发热儿童居家隔离，教室消毒，已报告社区卫生服务中心');
  await page.locator(`[data-qa="alert-${alert.id}"] [data-qa="alert-close"]`).click();
  await page.locator('[data-qa="health-notice"]').waitFor();
  await page.locator(`[data-qa="alert-${alert.id}"]`).waitFor({ state: 'detached' });
  const closed = (await instructor.get('/api/v1/care-alerts?status=closed')).body.items.find((a) => a.id === alert.id);
  assert.equal(closed.close_action, '全班晨午检加强，发热儿童居家隔离，教室消毒，已报告社区卫生服务中心');

  // the due check and the growth flag of the child weighed below −3 SD
  const due = page.locator('[data-qa="health-due"] tr', { hasText: '偏**宝' });
  await due.first().waitFor();
  assert.match(await due.first().textContent(), /24月龄健康检查/);
  const flag = page.locator('[data-qa="health-flags"] tr', { has: page.locator(`[data-qa="flag-growth-link"][data-id="${kid}"]`) });
  await flag.waitFor();
  assert.equal(await flag.locator('[data-qa="flag-growth-link"]').textContent(), '偏**宝', 'masked for the instructor');
  const ind = flag.locator('[data-qa="flag-indicator"][data-indicator="wfa"]');
  assert.match(await ind.textContent(), /下.*体重\/年龄 Z=-3\.\d\d（(重度)?低体重）/);
  await screenshot(page, 'health-instructor');
  await flag.locator('[data-qa="flag-growth-link"]').click();
  await page.waitForFunction((id) => location.hash.startsWith(`#/children/${id}`), kid);
  await page.locator('[data-qa="growth-child"]').waitFor();
  assert.equal(await page.locator('[data-qa="growth-child"]').textContent(), '偏**宝');
  assertNoProblems(problems);
  await page.close();
});
