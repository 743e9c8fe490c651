// today.test.mjs — the institution's 今日 page in a real browser: the operator of an institution
// whose infant class (1:3) has four children present since 08:00–08:03 and one caregiver on duty
// sees that class's ratio broken in red since 08:03 with the finding (longer than 15 minutes),
// the attendance and morning checks by class; checks a second caregiver in on duty from the page —
// the ratio is kept again, the day's finding stays — and checks the first one out, which breaks
// it again. The server's clock is set (09:00 in Beijing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { child, consent, residentId, uscc } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls, screenshot } from './browser.mjs';

const DAY = '2026-06-01';
let srv, browser, op, inst, infants, login;
const staff = {};

before(async () => {
  srv = await startServer({ web: true, now: `${DAY}T01:00:00Z` });
  browser = await launch();
  const admin = await srv.login('district-admin'), sec = await srv.login('security-admin');
  const r = await admin.post('/api/v1/institutions', {
    name: '今日测试托育园', uscc: uscc('91330304MA5T00001'), town_code: '330304001', address: '景山街道今日路1号', lon: 120.65, lat: 28.0,
    operating_model: 'market', ownership: 'private', status: 'filed', premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'infant', name: '乳儿一班', capacity: 10, enrolled: 0, caregivers: 2 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  assert.equal(r.status, 201, r.text);
  inst = r.body.id;
  infants = r.body.classes[0].id;
  login = `op-today-${inst}`;
  assert.equal((await sec.post('/api/v1/users', { login, name: '机构管理员', role: 'institution_operator', institution_id: inst, password: srv.password })).status, 201);
  op = await srv.login(login);
  for (const [key, seq] of [['a', '201'], ['b', '203']]) {
    const s = await op.post(`/api/v1/institutions/${inst}/staff`, { name: key === 'a' ? '张保育' : '李保育', id_number: residentId('1990-02-02', seq), role: 'caregiver', employment: 'part_time', start_date: '2025-09-01', class_ids: [infants] });
    assert.equal(s.status, 201, s.text);
    staff[key] = s.body.id;
  }
  const ids = [];
  for (let i = 0; i < 4; i++) {
    const id = await child(op, '2025-09-10', { name: `今日宝宝${i}` });
    assert.equal((await op.put(`/api/v1/children/${id}/placement`, { class_id: infants, start_date: '2026-05-01' })).status, 201);
    await consent(op, id);
    for (const kind of ['health_check', 'vaccination'])
      assert.equal((await op.post(`/api/v1/children/${id}/entry-checks`, { kind, checked_on: '2026-04-20', result: 'pass' })).status, 201);
    ids.push(id);
  }
  const sheet = await op.post(`/api/v1/institutions/${inst}/attendance`, { class_id: infants, date: DAY, entries: ids.map((child_id, i) => ({ child_id, status: 'present', check_in: `08:0${i}` })) });
  assert.equal(sheet.status, 201, sheet.text);
  assert.equal((await op.post(`/api/v1/children/${ids[0]}/health-checks`, { date: DAY, slot: 'morning', temperature_c: 38.2, action: 'observe' })).status, 201);
  assert.equal((await op.post(`/api/v1/institutions/${inst}/duty`, { staff_id: staff.a, class_id: infants, time: '07:55' })).status, 201);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('今日: a broken ratio in red since when, with its finding; a caregiver checked in and out from the page', async () => {
  const { page, problems } = await openPage(browser, { expect: [/status of 401/] });
  await loginUI(page, srv.url, login, PASSWORD);
  await page.locator('[data-qa="nav-today"]').click();
  const ratio = page.locator('[data-qa="class-ratio"]');
  await ratio.waitFor();
  assert.equal(await ratio.getAttribute('data-state'), 'broken');
  assert.match(await ratio.textContent(), /在园 4 人 \/ 在岗保育人员 1 人（按 1:3 需 2 人）/);
  assert.match(await page.locator('[data-qa="ratio-broken"]').textContent(), /不足，自 08:03 起已 5\d 分钟/);
  assert.equal(await page.locator('[data-qa="ratio-broken"]').evaluate((el) => getComputedStyle(el).color), 'rgb(196, 86, 86)', 'in red');
  assert.match(await page.locator('[data-qa="ratio-finding"]').textContent(), /持续 5\d 分钟（08:03～至今），超过 15 分钟/);
  assert.match(await page.locator('[data-qa="class-attendance"]').textContent(), /到园 4 · 缺勤 0 · 未登记 0/);
  assert.match(await page.locator('[data-qa="class-checks"]').textContent(), /已检 1 · 未检 3/);
  // the finding recorded when the first caregiver's duty was entered (the operator was told)
  assert.match(await page.locator('[data-qa="today-finding"]').textContent(), /乳儿一班（乳儿班，每名保育人员照护不超过 3 名）师幼比不足：08:03 起已持续 5\d 分钟/);
  assert.deepEqual(await unlabelledControls(page), [], 'the duty form\'s controls are labelled');
  await screenshot(page, 'today-broken');

  // the second caregiver on duty now, from the form (the class is theirs, picked for them)
  await page.locator('[data-qa="duty-staff"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '李*育' }).click();
  await page.locator('[data-qa="duty-check-in"]').click();
  await page.locator('[data-qa="today-notice"]').waitFor();
  assert.match(await page.locator('[data-qa="today-notice"]').textContent(), /李\*育 已在 乳儿一班 上岗/);
  await page.waitForFunction(() => document.querySelector('[data-qa="class-ratio"]')?.dataset.state === 'ok');
  assert.match(await ratio.textContent(), /在岗保育人员 2 人.*达标/);
  assert.match(await page.locator('[data-qa="ratio-finding"]').textContent(), /（08:03～09:0\d），超过 15 分钟/, 'the day\'s finding stays');
  assert.equal(await page.locator('[data-qa="today-duties"] tbody tr').count(), 2);
  assert.match(await page.locator('[data-qa="today-finding"]').textContent(), /持续 \d+ 分钟.*已于 09:0\d 恢复/);

  // the first one goes off duty: broken again
  await page.locator('[data-qa="today-duties"] tbody tr', { hasText: '张*育' }).locator('[data-qa="duty-check-out"]').click();
  await page.waitForFunction(() => document.querySelector('[data-qa="class-ratio"]')?.dataset.state === 'broken');
  const duties = (await op.get(`/api/v1/institutions/${inst}/today`)).body.duties;
  assert.deepEqual(duties.map((d) => [d.staff_name, d.check_in, d.check_out !== null]), [['张*育', '07:55', true], ['李*育', duties[1].check_in, false]]);
  assertNoProblems(problems);
  await page.close();
});
