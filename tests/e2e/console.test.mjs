// console.test.mjs — the staff console at /console in a real browser: login for several roles
// with the menu built from their actions, the 一屏掌控 dashboard showing exactly the API's figures
// (the filing tiles too, each saying what it counts),
// the 一图知晓 map with one marker per institution in scope, the 一键了解 profile's edit form
// refusing a bad USCC beside the field and saving nothing, a town officer kept out of another
// town's institution, and session expiry back to the login page. No page errors anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls, lowContrastText } from './browser.mjs';

// The console asks GET /me at start; without a session the answer is 401, which Chromium logs.
const NO_SESSION = /status of 401/;
const NAV = { 'dashboard.read': 'nav-dashboard', 'institution.list': ['nav-map', 'nav-institutions'], 'planning.read': 'nav-planning', 'params.read': 'nav-params', 'calendar.manage': 'nav-calendar', 'audit.read': 'nav-audit', 'user.manage': 'nav-users', 'account_request.list': 'nav-account-requests', 'round.read': 'nav-rounds', 'visit_slot.manage': 'nav-programs', 'task.list': 'nav-tasks', 'case.read': ['nav-cases', 'nav-ratings'], 'staff.manage': 'nav-staff', 'findings.list': ['nav-staff-alerts', 'nav-findings'], 'premises.read': 'nav-premises', 'premises.apply': 'nav-premises-available', 'child.list': 'nav-children', 'training.read': 'nav-training', 'incident.write': 'nav-incidents', 'report.acknowledge': 'nav-incident-reports', 'checkup.write': 'nav-checkups', 'attendance.write': 'nav-class-sheet', 'duty.write': 'nav-today', 'instructor_duty.read': 'nav-duties', 'instructor_assignment.manage': 'nav-assignments', 'activity.manage': 'nav-activities', 'station.read': 'nav-stations', 'childsub.decide': 'nav-childsub', 'funds.read': 'nav-funds', 'population.read': 'nav-population', 'video.read': 'nav-video', 'video.views.read': 'nav-video-views', 'fees.read': 'nav-fees', 'fees.worksheet.edit': 'nav-fee-worksheet', 'vouchers.read': 'nav-vouchers', 'progress.read': 'nav-progress', 'plan.read': 'nav-key-tasks', 'survey.read': 'nav-surveys' };

let srv, browser, admin;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  admin = await srv.login('district-admin');
});
after(async () => { await browser?.close(); await srv?.stop(); });

async function listAll(client, query = '') {
  const items = [];
  let cursor = null;
  do {
    const r = await client.get(`/api/v1/institutions?limit=500${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.body.items);
    cursor = r.body.next;
  } while (cursor);
  return items;
}

function expectedNav(actions) {
  return Object.entries(NAV).filter(([a]) => actions.includes(a)).flatMap(([, q]) => q).sort();
}

async function navShown(page) {
  return (await page.locator('nav [data-qa^="nav-"]').evaluateAll((els) => els.map((e) => e.dataset.qa))).sort();
}

test('login for several roles: each sees the menu its actions allow, and lands on a page it may open', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, /status of 403/] });
  await page.goto(srv.url + '/console');
  await page.locator('[data-qa="login-user"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), [], 'login form controls are labelled');
  assert.deepEqual(await lowContrastText(page), []);
  await screenshot(page, 'console-login');

  // a wrong password is refused in Chinese
  await page.fill('[data-qa="login-user"]', 'district-admin');
  await page.fill('[data-qa="login-password"]', 'wrong-password-1');
  await page.click('[data-qa="login-submit"]');
  await page.locator('[data-qa="login-error"]').waitFor();
  assert.match(await page.locator('[data-qa="login-error"]').textContent(), /用户名或密码错误/);

  const own = (await listAll(admin, '&town=330304003'))[0];
  for (const login of ['district-admin', 'town-330304001', 'auditor', 'security-admin', `inst-${own.id}`]) {
    const me = (await (await srv.login(login)).get('/api/v1/me')).body;
    if (login === 'town-330304001') {
      // keyboard only: type, Tab, type, Enter
      await page.goto(`${srv.url}/console`);
      await page.locator('[data-qa="login-user"]').focus();
      await page.keyboard.type(login);
      await page.keyboard.press('Tab');
      await page.keyboard.type(srv.password);
      await page.keyboard.press('Enter');
      await page.locator('[data-qa="current-user"]').waitFor();
    } else {
      await loginUI(page, srv.url, login, srv.password);
    }
    const nav = await navShown(page);
    // an institution's operator also has its 工作台, where it lands
    const homeNav = login.startsWith('inst-') ? ['nav-workbench'] : [];
    assert.deepEqual(nav, [...expectedNav(me.actions), ...homeNav].sort(), `${login}: menu from actions ${me.actions}`);
    assert.ok(nav.length > 0, `${login} has a menu`);
    assert.match(await page.locator('[data-qa="current-user"]').textContent(), new RegExp(me.user.role_name));
    if (login.startsWith('town-')) assert.match(await page.locator('[data-qa="current-user"]').textContent(), /景山街道/);
    // the first page of the menu opened by itself
    await page.waitForFunction(() => /#\/(dashboard|map|institutions|params|audit|users|workbench)/.test(location.hash));
    if (login === 'district-admin') {
      assert.ok(nav.includes('nav-dashboard') && nav.includes('nav-map') && nav.includes('nav-institutions'));
      assert.ok(!nav.includes('nav-audit') && !nav.includes('nav-users'));
    }
    if (login === 'auditor') {
      assert.ok(nav.includes('nav-audit') && !nav.includes('nav-dashboard') && !nav.includes('nav-map'));
      await page.click('[data-qa="nav-audit"]');
      await page.locator('[data-qa="audit-table"] .el-table__row').first().waitFor();
      await screenshot(page, 'console-audit');
      // a page outside the auditor's actions is refused by URL too
      await page.goto(srv.url + '/console#/dashboard');
      await page.locator('[data-qa="access-denied"]').waitFor();
    }
    if (login === 'security-admin') {
      assert.ok(nav.includes('nav-users'));
      await page.click('[data-qa="nav-users"]');
      await page.locator('[data-qa="users-table"] .el-table__row').first().waitFor();
      assert.deepEqual(await unlabelledControls(page), [], 'user form controls are labelled');
      await screenshot(page, 'console-users');
    }
    if (login.startsWith('inst-')) {
      // an operator sees its own institution only, and a regulator's field is refused beside it
      await page.click('[data-qa="nav-institutions"]');
      await page.locator('[data-qa="institution-link"]').first().waitFor();
      assert.deepEqual(await page.locator('[data-qa="institution-link"]').allTextContents(), [own.name]);
      await page.click('[data-qa="institution-link"]');
      await page.click('[data-qa="edit-institution"]');
      await page.locator('.el-form-item[data-field="inclusive"] .el-switch').click();
      await page.click('[data-qa="save-institution"]');
      await page.locator('[data-qa="field-error"][data-field="inclusive"]').waitFor();
      assert.equal((await admin.get(`/api/v1/institutions/${own.id}`)).body.inclusive, own.inclusive, 'nothing saved');
      await screenshot(page, 'console-operator-refused-field');
    }
    await page.click('[data-qa="logout"]');
    await page.locator('[data-qa="login-user"]').waitFor();
  }
  assertNoProblems(problems, 'login');
});

test('dashboard: every indicator is the API\'s figure, district-wide and for a town officer', async () => {
  for (const login of ['district-admin', 'town-330304008']) {
    const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
    const api = (await (await srv.login(login)).get('/api/v1/dashboard')).body;
    await loginUI(page, srv.url, login, srv.password);
    await page.click('[data-qa="nav-dashboard"]');
    await page.locator('[data-qa="kpi-places"]').waitFor();
    const k = api.district;
    const expected = {
      'kpi-institutions': k.institutions, 'kpi-places': k.places, 'kpi-places-per-1000': k.places_per_1000,
      'kpi-inclusive-share': k.inclusive_share, 'kpi-towns-covered': k.towns_covered, 'kpi-open-findings': k.open_findings,
      'kpi-filings-open': api.filings.submitted_open, 'kpi-receipts-overdue': api.filings.receipts_overdue,
      'kpi-filed-this-year': api.filings.filed_this_year,
    };
    for (const [qa, value] of Object.entries(expected)) {
      const el = page.locator(`[data-qa="${qa}"]`);
      assert.equal(Number(await el.getAttribute('data-value')), value, `${login} ${qa}`);
      const text = (await el.textContent()).trim();
      assert.ok(text.length > 0, `${qa} shows a number`);
      const shown = qa === 'kpi-inclusive-share' ? Number((value * 100).toFixed(1)) : qa === 'kpi-places-per-1000' ? Number(value.toFixed(2)) : value;
      assert.equal(Number(text.replace(/[,%\s]/g, '')), shown, `${qa} text "${text}"`);
    }
    assert.match(await page.locator('[data-qa="dashboard"]').textContent(), /目标 4\.5/);
    // each filing figure says what it counts
    const tiles = await page.locator('[data-qa="filing-tiles"]').textContent();
    assert.match(tiles, /已提交、尚未办结的备案申请（不含填报中的草稿）/);
    assert.match(tiles, /超过回执期限仍未受理的备案申请/);
    assert.match(tiles, new RegExp(`${api.filings.year}年1月1日至今作出备案决定的机构`));
    const rows = await page.locator('[data-qa="town-table"] .el-table__body tr').count();
    assert.equal(rows, api.towns.length);
    if (login.startsWith('town-')) {
      assert.equal(api.scope, 'town');
      assert.match(await page.locator('h1').textContent(), /瞿溪街道/);
    } else {
      assert.equal(rows, 13);
    }
    await page.locator('[data-qa="dashboard-chart"] canvas').waitFor();
    assert.deepEqual(await lowContrastText(page), [], 'dashboard contrast');
    await screenshot(page, `console-dashboard-${login}`);
    assertNoProblems(problems, `dashboard ${login}`);
    await page.context().close();
  }
});

test('map: one marker per institution in scope, a list beside it, popup links to the profile', async () => {
  for (const login of ['district-admin', 'town-330304001']) {
    const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
    const inScope = await listAll(await srv.login(login));
    if (login === 'district-admin') assert.ok(inScope.length >= 100, `${inScope.length} institutions`);
    await loginUI(page, srv.url, login, srv.password);
    await page.click('[data-qa="nav-map"]');
    await page.waitForSelector('[data-qa="map"] .inst-marker');
    assert.equal(await page.locator('[data-qa="map"] .inst-marker').count(), inScope.length, `${login}: markers`);
    assert.equal(await page.locator('[data-qa="map-list-item"]').count(), inScope.length, `${login}: list items`);
    assert.deepEqual(await unlabelledControls(page), [], 'map page controls are labelled');
    assert.deepEqual(await lowContrastText(page), [], 'map page contrast');
    assert.ok(await page.locator('[data-qa="map"] path.leaflet-interactive, [data-qa="map"] .leaflet-overlay-pane path').count() > inScope.length, 'the district boundary is drawn');
    await screenshot(page, `console-map-${login}`);
    // keyboard: the list opens the marker's 一键了解 popup, its link opens the profile
    const item = page.locator('[data-qa="map-list-item"]').first();
    const id = await item.getAttribute('data-id');
    await item.focus();
    await page.keyboard.press('Enter');
    const link = page.locator('.leaflet-popup [data-qa="popup-profile-link"]');
    await link.waitFor();
    await link.click();
    await page.locator('[data-qa="institution-name"]').waitFor();
    assert.match(page.url(), new RegExp(`#/institutions/${id}$`));
    assert.equal((await page.locator('[data-qa="institution-name"]').textContent()).trim(), inScope.find((i) => String(i.id) === id).name);
    assertNoProblems(problems, `map ${login}`);
    await page.context().close();
  }
});

test('map: above the clustering threshold markers are grouped, and every institution is still counted', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  const total = (await listAll(admin)).length;
  // a deployment's map-config.json with a low threshold (the default is 1,000)
  await page.route('**/map-config.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ cluster_threshold: 50 }) }));
  await loginUI(page, srv.url, 'district-admin', srv.password);
  await page.click('[data-qa="nav-map"]');
  await page.locator('[data-qa="map"] .map-cluster').first().waitFor();
  const single = await page.locator('[data-qa="map"] .inst-marker').count();
  const grouped = (await page.locator('[data-qa="map"] .map-cluster span').allTextContents()).reduce((a, t) => a + Number(t), 0);
  assert.ok(single < total, 'some markers are grouped');
  assert.equal(single + grouped, total, 'groups and single markers add up to every institution');
  assert.equal(await page.locator('[data-qa="map-list-item"]').count(), total, 'the list still has every institution');
  await screenshot(page, 'console-map-clustered');
  assertNoProblems(problems, 'clustering');
});

test('profile edit: a bad USCC is refused beside the field, nothing is saved; a good edit is saved', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, /status of 4(00|22)/] });
  const inst = (await listAll(admin, '&town=330304005'))[0];
  const before = (await admin.get(`/api/v1/institutions/${inst.id}`)).body;
  await loginUI(page, srv.url, 'district-admin', srv.password);
  await page.goto(`${srv.url}/console#/institutions/${inst.id}`);
  await page.locator('[data-qa="institution-name"]').waitFor();
  assert.equal(await page.locator('[data-qa="detail-uscc"]').textContent(), before.uscc);
  await page.locator('[data-qa="findings-table"]').waitFor();
  await page.locator('[data-qa="class-table"]').waitFor();
  await page.click('[data-qa="edit-institution"]');
  await page.locator('[data-qa="edit-form"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), [], 'every edit-form control is labelled');

  // change the check character: the server refuses it on field uscc
  const last = before.uscc.slice(-1);
  const bad = before.uscc.slice(0, 17) + (last === '0' ? '1' : '0');
  await page.fill('[data-qa="field-uscc"]', bad);
  await page.fill('[data-qa="field-opening-hours"]', '06:00-22:00');
  await page.click('[data-qa="save-institution"]');
  const err = page.locator('[data-qa="field-error"][data-field="uscc"]');
  await err.waitFor();
  assert.match(await err.textContent(), /[\u4e00-\u9fff]/, 'message in Chinese');
  assert.equal(await page.locator('[data-qa="field-uscc"]').getAttribute('aria-invalid'), 'true');
  // beside the field: inside the same form item as the USCC input
  assert.equal(await page.locator('.el-form-item[data-field="uscc"] [data-qa="field-uscc"]').count(), 1);
  assert.equal(await page.locator('.el-form-item[data-field="uscc"] [data-qa="field-error"]').count(), 1);
  await screenshot(page, 'console-edit-bad-uscc');
  const after = (await admin.get(`/api/v1/institutions/${inst.id}`)).body;
  assert.equal(after.uscc, before.uscc, 'USCC unchanged on the server');
  assert.equal(after.opening_hours, before.opening_hours, 'nothing else saved either');
  assert.equal(await page.locator('[data-qa="detail-uscc"]').textContent(), before.uscc, 'page still shows the stored value');

  // put the right USCC back: the other change is saved
  await page.fill('[data-qa="field-uscc"]', before.uscc);
  await page.click('[data-qa="save-institution"]');
  await page.locator('[data-qa="save-ok"]').waitFor();
  const saved = (await admin.get(`/api/v1/institutions/${inst.id}`)).body;
  assert.equal(saved.opening_hours, '06:00-22:00');
  assert.equal(saved.uscc, before.uscc);
  assert.match(await page.locator('[data-qa="institution-details"]').textContent(), /06:00-22:00/);
  assert.deepEqual(await lowContrastText(page), [], 'profile contrast');
  await screenshot(page, 'console-profile');
  assertNoProblems(problems, 'edit');
});

test('new institution: a bad latitude is refused beside the field and nothing is created; then it is created', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, /status of 4(00|22)/] });
  const before = (await listAll(admin)).length;
  await loginUI(page, srv.url, 'district-admin', srv.password);
  await page.click('[data-qa="nav-institutions"]');
  await page.click('[data-qa="new-institution"]');
  await page.locator('[data-qa="create-form"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), [], 'every create-form control is labelled');
  await page.fill('[data-qa="new-name"]', '浏览器测试托育中心');
  await page.fill('[data-qa="new-uscc"]', '91350100M000100Y43');
  await page.locator('.el-form-item[data-field="town_code"] .el-select').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '娄桥街道' }).click();
  await page.fill('[data-qa="new-address"]', '温州市瓯海区娄桥街道测试路9号');
  await page.fill('[data-qa="new-lon"]', '120.62');
  await page.fill('[data-qa="new-lat"]', '31.23'); // Shanghai, not 瓯海区
  await page.fill('#f-premises-lease-start', '2024-01-01');
  await page.fill('#f-premises-lease-end', '2029-12-31');
  await page.fill('#f-fees-0-amount-fen', '3000');
  await page.locator('[data-qa="new-health-room"] input').fill('7.5'); // the window ratio left unrecorded
  await page.click('[data-qa="create-institution"]');
  const err = page.locator('[data-qa="field-error"][data-field="lat"]');
  await err.waitFor();
  assert.match(await err.textContent(), /[\u4e00-\u9fff]/);
  assert.equal(await page.locator('.el-form-item[data-field="lat"] [data-qa="new-lat"]').count(), 1, 'beside the latitude input');
  await screenshot(page, 'console-create-bad-lat');
  assert.equal((await listAll(admin)).length, before, 'nothing created');
  await page.fill('[data-qa="new-lat"]', '27.95');
  await page.click('[data-qa="create-institution"]');
  await page.locator('[data-qa="institution-name"]').waitFor();
  assert.equal((await page.locator('[data-qa="institution-name"]').textContent()).trim(), '浏览器测试托育中心');
  assert.equal((await listAll(admin)).length, before + 1);
  const id = page.url().match(/#\/institutions\/(\d+)$/)[1];
  const created = (await admin.get(`/api/v1/institutions/${id}`)).body;
  assert.equal(created.uscc, '91350100M000100Y43');
  assert.equal(created.fees[0].amount_fen, 300000, 'yuan in the form, fen in the API');
  assert.deepEqual([created.premises.health_room_m2, created.premises.window_floor_ratio], [7.5, null]);
  assert.match(await page.locator('[data-qa="detail-premises"]').textContent(), /保健观察室 7\.5 平方米 · 窗地面积比未登记/);
  assertNoProblems(problems, 'create');
});

test('a town officer cannot open another town\'s institution by URL', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, /status of 40[34]/] });
  const other = (await listAll(admin, '&town=330304002'))[0];
  const mine = (await listAll(admin, '&town=330304001'))[0];
  await loginUI(page, srv.url, 'town-330304001', srv.password);
  await page.goto(`${srv.url}/console#/institutions/${mine.id}`);
  await page.locator('[data-qa="institution-name"]').waitFor();
  await page.goto(`${srv.url}/console#/institutions/${other.id}`);
  await page.locator('[data-qa="not-found"]').waitFor();
  const body = await page.locator('body').textContent();
  assert.ok(!body.includes(other.name), 'the other town\'s institution is not shown');
  assert.ok(!body.includes(other.uscc));
  await screenshot(page, 'console-town-officer-refused');
  assertNoProblems(problems, 'town officer');
});

test('session expiry: a session ended on the server sends the user back to login, and back again after login', async () => {
  const { page, context, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'district-admin', srv.password);
  await page.click('[data-qa="nav-institutions"]');
  await page.locator('[data-qa="institution-table"] .el-table__row').first().waitFor();
  assert.deepEqual(await unlabelledControls(page), [], 'institution filters are labelled');
  assert.deepEqual(await lowContrastText(page), [], 'institution list contrast');
  // end the session on the server, as an idle timeout would
  const cookie = (await context.cookies(srv.url)).find((c) => c.name === 'tuoyu_session');
  assert.ok(cookie, 'session cookie set');
  const csrf = (await (await fetch(`${srv.url}/api/v1/me`, { headers: { cookie: `tuoyu_session=${cookie.value}` } })).json()).csrf_token;
  const del = await fetch(`${srv.url}/api/v1/session`, { method: 'DELETE', headers: { cookie: `tuoyu_session=${cookie.value}`, 'X-CSRF-Token': csrf } });
  assert.equal(del.status, 200);
  // the next request of the page gets 401: back to the login page with a notice
  await page.click('[data-qa="nav-map"]');
  await page.locator('[data-qa="session-expired"]').waitFor();
  assert.match(page.url(), /#\/login\?/);
  assert.equal(await page.locator('nav [data-qa^="nav-"]').count(), 0, 'menu gone');
  await screenshot(page, 'console-session-expired');
  await page.fill('[data-qa="login-user"]', 'district-admin');
  await page.fill('[data-qa="login-password"]', srv.password);
  await page.click('[data-qa="login-submit"]');
  await page.waitForSelector('[data-qa="map"] .inst-marker');
  assert.match(page.url(), /#\/map$/, 'returned to the page that was asked for');
  assertNoProblems(problems, 'session expiry');
});

test('session expiry by the idle timeout: 31 minutes later the console opens at login with a notice', async () => {
  const database = freshDatabase();
  let s = await startServer({ web: true, database, now: '2026-03-02T09:00:00Z' });
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  try {
    await loginUI(page, s.url, 'district-admin', s.password);
    await page.locator('[data-qa="kpi-places"]').waitFor();
    // the dashboard goes on loading (its charts' code, the network's targets): let it finish before
    // the server goes away, or those requests fail for a reason that is not the one tested
    await page.waitForLoadState('networkidle');
    await s.stop({ keepDatabase: true });
    s = await startServer({ web: true, database, now: '2026-03-02T09:31:00Z' });
    // cookies are not bound to a port: the same session cookie reaches the restarted server
    await page.goto(`${s.url}/console#/dashboard`);
    await page.locator('[data-qa="session-expired"]').waitFor();
    await page.locator('[data-qa="login-user"]').waitFor();
    await screenshot(page, 'console-idle-timeout');
    assertNoProblems(problems, 'idle timeout');
  } finally {
    await page.context().close();
    await s.stop({ keepDatabase: true });
    database.cleanup();
  }
});
