// workbenches.test.mjs — every role lands on its own work (issue 12, items 10–14), on a phone
// (390×844) and a desktop (1440×900) screen: an institution's operator on its 工作台 with today's
// visits and the families booked, from there its record's location picked on the map, and a visit
// repeated weekly published in one go; the roles whose work has not yet come to the platform on a page
// saying what they will do there, with links to what exists; the auditor filters the log in
// Chinese, downloads the filtered .xlsx (opened and read back) and checks the hash chain; the
// security administrator finds accounts by part of a login, with institution names, the add-user
// form on top; the parameters page grouped by topic, Chinese name before the key, switches 开/关;
// a family reads its own child's full name and months in words, and its unread badge clears at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from '../lib/server.mjs';
import { readSheet } from '../lib/xlsx.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
const NOW = '2027-01-10T01:00:00Z'; // 09:00 Beijing, after the real clock so the session cookie is valid
const TODAY = '2027-01-10';
const SCREENS = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } };

let srv, browser, admin, family, inst, op, application;
before(async () => {
  srv = await startServer({ web: true, now: NOW });
  browser = await launch();
  admin = await srv.login('district-admin');
  family = await srv.login('family');
  // the family's child attends this institution; its operator is inst-<id>
  inst = (await family.get('/api/v1/children')).body.items[0].institution_id;
  op = await srv.login(`inst-${inst}`);
  // a visit this afternoon with a family booked, and one tomorrow that is not today's
  for (const [day, visitors] of [[TODAY, 2], ['2027-01-11', 1]]) {
    const s = await op.post(`/api/v1/institutions/${inst}/visit-slots`, {
      starts_at: `${day}T14:00:00+08:00`, ends_at: `${day}T15:00:00+08:00`, capacity: 5,
    });
    assert.equal(s.status, 201, s.text);
    const b = await family.post('/api/v1/visit-bookings', { slot_id: s.body.id, visitors });
    assert.equal(b.status, 201, b.text);
  }
  const p = await admin.post('/api/v1/params', { key: 'enrol.max_choices', value: '4', valid_from: TODAY, basis: '浏览器测试：审计日志' });
  assert.equal(p.status, 201, p.text);
  // a child of the family with a draft application: lists carry its name masked (林*诺)
  const kid = await family.post('/api/v1/children', { name: '林小诺', birth_date: '2025-01-15', sex: 2, birth_cert: 'R200000017' });
  assert.equal(kid.status, 201, kid.text);
  const a = await family.post('/api/v1/applications', { child_id: kid.body.id, intake: '2027-03', choices: [{ institution_id: inst, class_type: 'toddler_old' }] });
  assert.equal(a.status, 201, a.text);
  assert.notEqual(a.body.child_name, '林小诺');
  application = a.body.id;
});
after(async () => { await browser?.close(); await srv?.stop(); });

const hashIs = (page, path) => page.waitForFunction((p) => location.hash.startsWith(`#${p}`), path);

for (const [screen, viewport] of Object.entries(SCREENS)) {
  test(`${screen}: the institution's operator lands on 工作台 with today's visits`, async () => {
    const { page, problems } = await openPage(browser, { viewport, expect: [NO_SESSION] });
    await loginUI(page, srv.url, `inst-${inst}`, srv.password);
    await hashIs(page, '/workbench');
    await page.locator('[data-qa="wb-visits"]').waitFor();
    const visits = await page.locator('[data-qa="wb-visit"]').allTextContents();
    assert.equal(visits.length, 1, `only today's visit: ${visits}`);
    assert.match(visits[0], /，2 人$/);
    assert.match(await page.locator('[data-qa="wb-visits"]').textContent(), /14:00–15:00/);
    assert.equal((await page.locator('[data-qa="wb-kpi-visits"] .kpi-value').textContent()).trim(), '1');
    assert.match(await page.locator('#wb-visits').textContent(), /1月10日/);
    // the findings come from the server with their Chinese rule names
    const findings = (await op.get(`/api/v1/institutions/${inst}/findings`)).body.items;
    const labels = (await op.get('/api/v1/public/labels')).body;
    const expiry = ['lease_expired', 'lease_expiring', 'lease_term', 'health_cert_lapsed', 'health_cert_expiring', 'certificate_lapsed', 'certificate_expiring'];
    const fixes = findings.filter((f) => !expiry.includes(f.rule));
    assert.equal((await page.locator('[data-qa="wb-kpi-findings"] .kpi-value').textContent()).trim(), String(fixes.length));
    // leases and staff certificates running out are counted apart (issue 12 item 10, issue 14)
    assert.equal((await page.locator('[data-qa="wb-kpi-expiring"] .kpi-value').textContent()).trim(), String(findings.length - fixes.length));
    if (fixes.length) assert.match(await page.locator('[data-qa="wb-findings"]').textContent(), new RegExp(labels.rules[fixes[0].rule]));
    assert.equal(await page.locator('[data-qa="nav-workbench"]').count(), 1);
    assert.equal(await page.locator('[data-qa="wb-edit-link"]').getAttribute('href'), `#/institutions/${inst}`);
    await screenshot(page, `workbench-operator-${screen}`);
    // from there to the institution's form, where the location is picked on the map
    await page.click('[data-qa="wb-edit-link"]');
    await page.click('[data-qa="edit-institution"]');
    const before = await page.inputValue('[data-qa="field-lon"]');
    await page.click('[data-qa="coord-pick"]');
    const map = page.locator('[data-qa="coord-map"]');
    await map.waitFor();
    await map.locator('.leaflet-pane').first().waitFor({ state: 'attached' });
    await map.scrollIntoViewIfNeeded();
    const box = await map.boundingBox();
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.6);
    await page.waitForFunction((b) => document.querySelector('[data-qa="field-lon"]').value !== b, before);
    const [lon, lat] = [Number(await page.inputValue('[data-qa="field-lon"]')), Number(await page.inputValue('[data-qa="field-lat"]'))];
    assert.ok(lon > 120.3 && lon < 120.8 && lat > 27.8 && lat < 28.1, `a point in the district: ${lon}, ${lat}`);
    assert.match(await page.locator('[data-qa="coord-pick-hint"]').textContent(), new RegExp(`经度 ${lon}，纬度 ${lat}`));
    await screenshot(page, `coord-pick-${screen}`);
    // the classes are edited after creation in the same form, and saved with the location
    const record = (await op.get(`/api/v1/institutions/${inst}`)).body;
    const capacity = record.classes[0].capacity + 1;
    await page.locator('[data-qa="field-class-0-capacity"] input').fill(String(capacity));
    await page.click('[data-qa="save-institution"]');
    await page.locator('[data-qa="save-ok"]').waitFor();
    const saved = (await op.get(`/api/v1/institutions/${inst}`)).body;
    assert.equal(saved.classes[0].capacity, capacity);
    assert.deepEqual([saved.lon, saved.lat], [lon, lat], 'the picked location saved');
    // publish a Saturday visit repeated for 3 weeks from 托位与参观, in one go
    await page.goto(`${srv.url}/console#/programs`);
    const day = screen === 'phone' ? '2027-02-06' : '2027-03-06';
    for (const [id, value] of [['f-starts-at', `${day} 09:30`], ['f-ends-at', `${day} 10:30`]]) {
      const input = page.locator(`#${id}`);
      await input.click();
      await input.fill(value);
      await input.press('Enter');
    }
    await page.locator('[data-qa="slot-weeks"] input').fill('3');
    await page.click('[data-qa="slot-create"]');
    await page.locator('[data-qa="slot-ok"]').waitFor();
    assert.match(await page.locator('[data-qa="slot-ok"]').textContent(), /起每周一场、共 3 场参观/);
    const mine = (await op.get(`/api/v1/institutions/${inst}/visit-slots?limit=100`)).body.items
      .filter((x) => x.starts_at >= `${day}T` && x.starts_at < `${day.slice(0, 5)}${String(Number(day.slice(5, 7)) + 1).padStart(2, '0')}-01`);
    assert.deepEqual(mine.map((x) => x.starts_at.slice(0, 10)), screen === 'phone'
      ? ['2027-02-06', '2027-02-13', '2027-02-20'] : ['2027-03-06', '2027-03-13', '2027-03-20']);
    assertNoProblems(problems, 'workbench');
    await page.context().close();
  });

  // (a department reviewer lands on 我的待办: cases.test.mjs; an evaluator on 我的评审: rating.test.mjs)
  test(`${screen}: roles without their own work yet land on what they will do, with links`, async () => {
    for (const [login, words] of [['station-operator', /育儿指导/]]) {
      const { page, problems } = await openPage(browser, { viewport, expect: [NO_SESSION] });
      await loginUI(page, srv.url, login, srv.password);
      await hashIs(page, '/welcome');
      await page.locator('[data-qa="welcome-duties"]').waitFor();
      assert.match(await page.locator('[data-qa="welcome-duties"]').textContent(), words, login);
      const links = await page.locator('[data-qa="welcome-links"] a').allTextContents();
      assert.ok(links.includes('政策参数'), `${login}: links to what exists: ${links}`);
      await page.locator('[data-qa="welcome-links"] a', { hasText: '政策参数' }).click();
      await hashIs(page, '/params');
      if (login === 'station-operator') await screenshot(page, `welcome-${screen}`);
      assertNoProblems(problems, login);
      await page.context().close();
    }
  });

  test(`${screen}: the auditor filters the log in Chinese, exports the .xlsx and checks the chain`, async () => {
    const auditor = await srv.login('auditor');
    const { page, problems } = await openPage(browser, { viewport, expect: [NO_SESSION] });
    await loginUI(page, srv.url, 'auditor', srv.password);
    await hashIs(page, '/audit');
    await page.locator('[data-qa="audit-table"] .el-table__row').first().waitFor();
    await page.fill('[data-qa="audit-login"]', 'district-admin');
    await page.fill('#a-from', TODAY);
    await page.keyboard.press('Enter');
    await page.fill('#a-to', TODAY);
    await page.keyboard.press('Enter');
    await page.click('[data-qa="audit-search"]');
    const api = (await auditor.get(`/api/v1/audit?login=district-admin&from=${TODAY}&to=${TODAY}&limit=100`)).body.items;
    assert.ok(api.some((x) => x.action === 'params.update'));
    await page.waitForFunction((n) => document.querySelectorAll('[data-qa="audit-table"] .el-table__body-wrapper tr.el-table__row').length === n, api.length);
    const names = await page.locator('[data-qa="audit-action-name"]').allTextContents();
    assert.ok(names.includes('修改政策参数') && names.includes('登录'), `actions in Chinese: ${names}`);
    assert.ok(!names.some((n) => /^[a-z_.]+$/.test(n)), `no action code shown: ${names}`);
    const fields = await page.locator('[data-qa="audit-fields"]').allTextContents();
    assert.ok(fields.some((f) => /^值：\d+ → 4；依据文件：浏览器测试：审计日志；生效日期：2027年1月10日$/.test(f)), `a readable change: ${fields}`);
    assert.deepEqual(await unlabelledControls(page), [], 'filters are labelled');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-qa="audit-export"]')]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const sheet = readSheet(readFileSync(await download.path()));
    assert.equal(sheet[0][3], '动作');
    assert.deepEqual(sheet.slice(1).map((r) => Number(r[0])), api.map((x) => x.id), 'the filtered rows');
    assert.ok(sheet.slice(1).some((r) => r[3] === '修改政策参数'));
    const exported = (await auditor.get('/api/v1/audit?action=audit.export&limit=100')).body.items[0];
    assert.deepEqual(exported.fields, { login: 'district-admin', from: TODAY, to: TODAY, rows: api.length }, 'the export is audited');

    await page.click('[data-qa="audit-verify"]');
    await page.locator('[data-qa="audit-verify-result"]').waitFor();
    assert.match(await page.locator('[data-qa="audit-verify-result"]').textContent(), /^\s*哈希链完整：已校验 \d+ 条记录/);
    await screenshot(page, `audit-${screen}`);
    assertNoProblems(problems, 'audit');
    await page.context().close();
  });

  test(`${screen}: the security administrator finds accounts by name, with institution names`, async () => {
    const sec = await srv.login('security-admin');
    const { page, problems } = await openPage(browser, { viewport, expect: [NO_SESSION] });
    await loginUI(page, srv.url, 'security-admin', srv.password);
    await hashIs(page, '/users');
    await page.locator('[data-qa="users-table"] .el-table__row').first().waitFor();
    const form = await page.locator('[data-qa="new-user"]').boundingBox();
    const table = await page.locator('[data-qa="users-table"]').boundingBox();
    assert.ok(form.y < table.y, 'the add-user form is on top');
    await page.fill('[data-qa="users-search"]', `inst-${inst}`);
    await page.click('[data-qa="users-search-submit"]');
    const api = (await sec.get(`/api/v1/users?q=inst-${inst}`)).body.items;
    assert.ok(api.length >= 1 && api.every((u) => u.login.includes(`inst-${inst}`)));
    await page.waitForFunction((n) => document.querySelectorAll('[data-qa="users-table"] .el-table__body-wrapper tr.el-table__row').length === n, api.length);
    const name = (await admin.get(`/api/v1/institutions/${inst}`)).body.name;
    assert.ok((await page.locator('[data-qa="user-institution"]').allTextContents()).includes(name), 'the institution by name');
    await screenshot(page, `users-search-${screen}`);
    assertNoProblems(problems, 'users');
    await page.context().close();
  });

  test(`${screen}: parameters grouped by topic, Chinese name first, switches 开/关`, async () => {
    const { page, problems } = await openPage(browser, { viewport, expect: [NO_SESSION] });
    await loginUI(page, srv.url, 'district-admin', srv.password);
    await page.goto(`${srv.url}/console#/params`);
    await page.locator('[data-qa="params-group"]').first().waitFor();
    const titles = (await page.locator('[data-qa="params-group-title"]').allTextContents()).map((t) => t.replace(/（.*$/, ''));
    for (const t of ['班级与师幼比', '入托分配与预约参观', '账号与安全']) assert.ok(titles.includes(t), `${t} in ${titles}`);
    const group = page.locator('[data-qa="params-group"]', { has: page.locator('h2', { hasText: '账号与安全' }) });
    const row = group.locator('tr.el-table__row', { hasText: 'auth.totp_required_staff' });
    assert.equal((await row.locator('[data-qa="param-value"]').textContent()).trim(), '关');
    const nameText = await row.locator('[data-qa="param-name"]').textContent();
    assert.match(nameText, /[\u4e00-\u9fff]/, 'the Chinese name');
    const [nameBox, keyBox] = [await row.locator('[data-qa="param-name"]').boundingBox(), await row.locator('[data-qa="param-key"]').boundingBox()];
    assert.ok(nameBox.y < keyBox.y, 'name first, key second');
    await screenshot(page, `params-${screen}`);
    assertNoProblems(problems, 'params');
    await page.context().close();
  });
}

for (const [screen, viewport] of Object.entries(SCREENS)) {
  test(`${screen}: a family reads its own child's full name, months in words, and the unread badge clears everywhere`, async () => {
    // a new visit booking brings a confirmation to read
    const hh = screen === 'phone' ? '09' : '10';
    const s = await op.post(`/api/v1/institutions/${inst}/visit-slots`, { starts_at: `2027-01-12T${hh}:00:00+08:00`, ends_at: `2027-01-12T${hh}:30:00+08:00`, capacity: 2 });
    assert.equal((await family.post('/api/v1/visit-bookings', { slot_id: s.body.id })).status, 201);
    const { page, problems } = await openPage(browser, { viewport, expect: [NO_SESSION] });
    await page.goto(`${srv.url}/#/me`);
    await page.locator('[data-qa="mode-password"]').click(); // the page opens on login by SMS code
    await page.locator('[data-qa="family-login-user"]').fill('family');
    await page.locator('[data-qa="family-login-password"]').fill(srv.password);
    await page.locator('[data-qa="family-login-submit"]').click();
    await page.locator('[data-qa="application-row"]').first().waitFor();
    const row = page.locator(`[data-qa="application-row"][data-id="${application}"]`);
    await page.waitForFunction((id) => document.querySelector(`[data-qa="application-row"][data-id="${id}"] [data-qa="application-child"]`)?.textContent === '林小诺', application);
    assert.match(await row.textContent(), /2027年3月/);
    // the header's badge and the messages' count are one: marking all read clears both at once
    const unread = (await family.get('/api/v1/inbox')).body.unread;
    assert.ok(unread > 0);
    assert.equal((await page.locator('[data-qa="unread-count"]').textContent()).trim(), String(unread));
    await page.click('[data-qa="mark-all-read"]');
    await page.locator('[data-qa="unread-count"]').waitFor({ state: 'detached' });
    await page.click(`[data-qa="application-row"][data-id="${application}"] [data-qa="application-open"]`);
    await page.locator('[data-qa="application-title"]').waitFor();
    assert.equal((await page.locator('[data-qa="application-title"]').textContent()).trim(), '林小诺 · 2027年3月入托申请');
    assert.equal(await page.locator('[data-qa="unread-count"]').count(), 0, 'still cleared on another page');
    await screenshot(page, `family-words-${screen}`);
    assertNoProblems(problems, 'family');
    await page.context().close();
  });
}
