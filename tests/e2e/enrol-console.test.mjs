// enrol-console.test.mjs — the console screens of 入托一件事 in a real browser. The district
// administrator runs an allocation round for a family's submitted applications (prepared through
// the API): a bad seed is refused beside the seed field, the random-seed button fills 64 hex
// digits, and the round's cut-offs and offers on screen are exactly the API's; after the family
// declines an offer, the waitlist re-run shows its lapsed / new offers. The institution operator
// sees its programs and the applications naming them, creates a visit slot (预约参观) and sees it
// listed, then cancels it. No page or console errors, every control labelled, screenshots in
// tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tuoyu } from '../lib/server.mjs';
import { toddlerProgram } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls, lowContrastText } from './browser.mjs';

const NO_SESSION = /status of 401/;
const NOW = '2027-01-10T02:00:00Z';   // after the real clock, so the session cookie is valid
const INTAKE = '2027-03';
const BIRTH = '2024-09-15';           // 29 months on 2027-03-01: 托大班

let srv, browser, admin, family, J;
const apps = {};
before(async () => {
  srv = await startServer({ web: true, now: NOW });
  browser = await launch();
  admin = await srv.login('district-admin');
  family = await srv.login('family');
  // the family's child attends the first 景山 institution; its operator is inst-<id>
  J = (await admin.get('/api/v1/institutions?town=330304001&limit=1')).body.items[0];
  const A = await toddlerProgram(admin, '分配甲托育园', 1), B = await toddlerProgram(admin, '分配乙托育园', 1);
  const opt = (institution_id) => ({ institution_id, class_type: 'toddler_old' });
  let cert = 700000000;
  for (const [key, criteria] of [['k1', { hardship: true }], ['k2', {}], ['k3', {}]]) {
    const c = await family.post('/api/v1/children', { name: `分配宝宝${key}`, birth_date: BIRTH, sex: 1, birth_cert: `R${++cert}` });
    assert.equal(c.status, 201, c.text);
    const a = await family.post('/api/v1/applications', { child_id: c.body.id, intake: INTAKE, choices: [opt(A), opt(B), opt(J.id)], criteria });
    assert.equal(a.status, 201, a.text);
    assert.equal((await family.post(`/api/v1/applications/${a.body.id}/submit`, {})).status, 200);
    apps[key] = a.body;
  }
  apps.A = A; apps.B = B;
});
after(async () => { await browser?.close(); await srv?.stop(); });

const rowsOf = (page, qa) => page.locator(`[data-qa="${qa}"] .el-table__body-wrapper tr.el-table__row`);

async function confirmBox(page) {
  const ok = page.locator('.el-message-box__btns .el-button--primary');
  await ok.waitFor();
  await ok.click();
  await page.locator('.el-message-box').waitFor({ state: 'hidden' });
}

test('district admin: run a round with a published seed, see cut-offs and offers, re-run the waitlist', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, /status of 422/] });
  await loginUI(page, srv.url, 'district-admin', srv.password);
  await page.click('[data-qa="nav-rounds"]');
  await page.locator('[data-qa="round-run-form"]').waitFor();
  // the intake with submitted applications is offered, with its count
  const chip = page.locator(`[data-qa="pending-${INTAKE}"]`);
  await chip.waitFor();
  assert.match(await chip.textContent(), /2027年3月 · 3 份/);
  await chip.click();
  assert.equal(await page.locator('#f-intake').inputValue(), INTAKE);

  // a bad seed: the server's 422 appears beside the seed field, nothing is run
  await page.fill('#f-seed', 'abc123');
  await page.click('[data-qa="round-run"]');
  await confirmBox(page);
  const seedErr = page.locator('[data-qa="field-error"][data-field="seed"]');
  await seedErr.waitFor();
  assert.match(await seedErr.textContent(), /64 位十六进制/);
  assert.equal((await admin.get('/api/v1/rounds')).body.items.length, 0, 'no round was run');
  await screenshot(page, 'enrol-console-round-bad-seed');

  // the random seed: 64 hex digits from the browser's CSPRNG
  await page.click('[data-qa="round-seed-random"]');
  const seedInput = page.locator('#f-seed');
  const seed = await seedInput.inputValue();
  assert.match(seed, /^[0-9a-f]{64}$/);
  await page.click('[data-qa="round-seed-random"]');
  assert.notEqual(await seedInput.inputValue(), seed, 'a new seed each time');
  const published = await seedInput.inputValue();
  assert.match(await page.locator('#seed-help').textContent(), /公布/);
  assert.deepEqual(await unlabelledControls(page), [], 'run form controls are labelled');

  await page.click('[data-qa="round-run"]');
  await confirmBox(page);
  await page.locator('[data-qa="round-detail"]').waitFor();
  await page.locator('[data-qa="run-result"]').waitFor();
  const list = (await admin.get('/api/v1/rounds')).body.items;
  assert.equal(list.length, 1);
  const round = (await admin.get(`/api/v1/rounds/${list[0].id}`)).body;
  assert.equal(round.seed, published, 'the round used the seed on screen');
  assert.equal((await page.locator('[data-qa="round-seed-shown"]').textContent()).trim(), published);
  assert.equal(await rowsOf(page, 'rounds-table').count(), 1);

  // the cut-offs: one row per program, the API's figures
  const cut = rowsOf(page, 'cutoffs-table');
  assert.equal(await cut.count(), round.cutoffs.length);
  const cutA = round.cutoffs.find((c) => c.institution_id === apps.A);
  const rowA = cut.filter({ hasText: '分配甲托育园' });
  const cellsA = (await rowA.locator('td').allTextContents()).map((s) => s.trim());
  assert.deepEqual(cellsA, ['分配甲托育园', '托大班', String(cutA.capacity), String(cutA.fixed), String(cutA.admitted),
    cutA.full ? '已满' : '未满', String(cutA.last_points), String(cutA.last_lottery)]);
  assert.equal(cutA.last_application_id, apps.k1.id, 'the child with points got the first choice');
  assert.ok(await cut.filter({ hasText: J.name }).count() === 1, 'the 景山 program is listed by name');

  // the offers: every offer of the round, with its status and deadline
  const offers = rowsOf(page, 'offers-table');
  assert.equal(await offers.count(), round.offers.length);
  assert.equal(round.offers.length, 3, 'A, B and the 景山 program each give one offer');
  const offerB = round.offers.find((o) => o.institution_id === apps.B);
  const rowB = offers.filter({ hasText: '分配乙托育园' });
  assert.match(await rowB.textContent(), /待确认/);
  assert.match(await rowB.textContent(), /2027年1月24日/);  // today + 14 days
  assert.match(await rowB.textContent(), /分\*+/, 'the child by its masked name');
  // the applications with their lottery numbers
  assert.equal(await rowsOf(page, 'round-apps-table').count(), 3);
  for (const a of round.inputs.applications) {
    assert.match(await rowsOf(page, 'round-apps-table').filter({ hasText: new RegExp(`^${a.application_id}`) }).first().textContent(), new RegExp(`${a.lottery}`));
  }
  // sorted by lottery number on request
  await page.locator('[data-qa="round-apps-table"] th', { hasText: '抽签号' }).locator('.cell').click();
  const firstLottery = Math.min(...round.inputs.applications.map((a) => a.lottery));
  await page.waitForFunction((n) => document.querySelector('[data-qa="round-apps-table"] .el-table__body tr td:nth-child(3)')?.textContent.trim() === String(n), firstLottery);
  assert.deepEqual(await unlabelledControls(page), [], 'round page controls are labelled');
  assert.deepEqual(await lowContrastText(page), [], 'round page contrast');
  await screenshot(page, 'enrol-console-round');

  // the family declines B; the re-run gives B to the child who holds the 景山 offer (its third
  // choice), whose 景山 offer is superseded
  const dec = await family.post(`/api/v1/offers/${offerB.id}/decline`, {});
  assert.equal(dec.status, 200, dec.text);
  await page.click('[data-qa="round-rerun"]');
  await confirmBox(page);
  const res = page.locator('[data-qa="rerun-result"]');
  await res.waitFor();
  assert.match(await res.textContent(), /0 份录取逾期失效，新发出 1 份录取通知/);
  const after = (await admin.get(`/api/v1/rounds/${round.id}`)).body;
  assert.equal(await offers.count(), after.offers.length);
  assert.equal(after.offers.filter((o) => o.institution_id === apps.B && o.status === 'offered').length, 1);
  assert.match(await offers.filter({ hasText: '已放弃' }).first().textContent(), /分配乙托育园/);
  // the list shows the second run
  const listed = (await rowsOf(page, 'rounds-table').first().locator('td').allTextContents()).map((x) => x.trim());
  assert.deepEqual(listed.slice(0, 6), ['第 1 轮', '2027年3月', '3', String(after.offers.filter((o) => o.status === 'offered').length), '0', '2']);
  await screenshot(page, 'enrol-console-rerun');
  assertNoProblems(problems, 'rounds');
  await page.context().close();
});

const hasVisitRoutes = () => /visit-slots/.test(tuoyu(['routes']).stdout || '');

test('institution operator: its programs and applications, a visit slot created, listed and cancelled', async (t) => {
  if (!hasVisitRoutes()) { t.skip('the visit-slot API is not in this build (tuoyu routes)'); return; }
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, /status of 422/] });
  const login = `inst-${J.id}`;
  await loginUI(page, srv.url, login, srv.password);
  await page.click('[data-qa="nav-programs"]');
  await page.locator('[data-qa="programs-table"]').waitFor();
  await page.locator('[data-qa="programs-table"] .el-table__row').first().waitFor();
  // one row per class type of the institution, with the registry's capacity and enrolment
  const inst = (await admin.get(`/api/v1/institutions/${J.id}`)).body;
  const types = [...new Set(inst.classes.map((c) => c.class_type))];
  assert.equal(await rowsOf(page, 'programs-table').count(), types.length);
  const old = inst.classes.filter((c) => c.class_type === 'toddler_old');
  const row = rowsOf(page, 'programs-table').filter({ hasText: '托大班' });
  const cells = (await row.locator('td').allTextContents()).map((s) => s.trim());
  assert.equal(cells[1], String(old.reduce((s, c) => s + c.capacity, 0)));
  assert.equal(cells[2], String(old.reduce((s, c) => s + c.enrolled, 0)));
  // bookings, open offers and free places agree with the enrolment API
  const vac = (await admin.get(`/api/v1/public/vacancies?town=${J.town_code}&class_type=toddler_old`)).body.items.find((v) => v.institution_id === J.id);
  const rounds = (await admin.get('/api/v1/rounds')).body.items;
  let open = 0;
  for (const r of rounds) open += (await admin.get(`/api/v1/rounds/${r.id}`)).body.offers.filter((o) => o.institution_id === J.id && o.status === 'offered').length;
  const booked = (await admin.get('/api/v1/bookings')).body.items.filter((b) => b.institution_id === J.id && b.class_type === 'toddler_old' && b.status === 'booked').length;
  assert.deepEqual(cells.slice(3), [String(booked), String(open), String(vac.free_places)]);
  // the applications naming its programs (the three of the round, one holding an offer here or not)
  await rowsOf(page, 'applications-table').first().waitFor();
  assert.equal(await rowsOf(page, 'applications-table').count(), 3);
  // one application's ranked choices with points and each program's cut-off
  await page.click(`[data-qa="app-open-${apps.k2.id}"]`);
  const choices = rowsOf(page, 'application-choices');
  await choices.first().waitFor();
  assert.equal(await choices.count(), 3);
  assert.match(await choices.nth(2).textContent(), new RegExp(J.name.replace(/[()（）]/g, '.')));

  // a refused slot: the end before the start, shown beside the end field
  const fillDT = async (id, value) => {
    const input = page.locator(`#${id}`);
    await input.click();
    await input.fill(value);
    await input.press('Enter');
  };
  await fillDT('f-starts-at', '2027-01-15 09:30');
  await fillDT('f-ends-at', '2027-01-15 09:00');
  await page.locator('[data-qa="slot-capacity"] input').fill('6');
  await page.locator('#f-note').fill('请从东门进入');
  await page.click('[data-qa="slot-create"]');
  await page.locator('[data-qa="field-error"][data-field="ends_at"]').waitFor();
  await fillDT('f-ends-at', '2027-01-15 10:30');
  await page.click('[data-qa="slot-create"]');
  const slotRows = rowsOf(page, 'slots-table');
  await slotRows.first().waitFor();
  const slots = (await admin.get(`/api/v1/institutions/${J.id}/visit-slots`)).body.items;
  assert.equal(slots.length, 1);
  assert.equal(slots[0].starts_at, '2027-01-15T01:30:00Z', 'entered in Beijing time');
  assert.equal(slots[0].capacity, 6);
  const text = await slotRows.first().textContent();
  assert.match(text, /2027年1月15日 09:30/);
  assert.match(text, /请从东门进入/);
  assert.match(text, /开放预约/);
  // the date-time picker's own panel (Element Plus, with its unlabelled inner inputs) fades out
  // after Enter: judge the page, not a panel that is closing
  await page.waitForFunction(() => [...document.querySelectorAll('.el-picker__popper')]
    .every((p) => getComputedStyle(p).display === 'none'));
  assert.deepEqual(await unlabelledControls(page), [], 'programs page controls are labelled');
  assert.deepEqual(await lowContrastText(page), [], 'programs page contrast');
  await screenshot(page, 'enrol-console-programs');

  // a family books it, the operator sees the booking, then cancels the slot
  const kid = (await family.get('/api/v1/children')).body.items[0];
  const bk = await family.post('/api/v1/visit-bookings', { slot_id: slots[0].id, visitors: 2, child_id: kid.id });
  assert.equal(bk.status, 201, bk.text);
  await page.click('[data-qa="slots-reload"]');
  await page.locator('[data-qa="slot-bookings"]').first().waitFor();
  assert.match(await slotRows.first().textContent(), /1 \/ 6|已约 1/);
  await page.click(`[data-qa="slot-cancel-${slots[0].id}"]`);
  await confirmBox(page);
  await slotRows.filter({ hasText: '已取消' }).first().waitFor();
  assert.equal((await admin.get(`/api/v1/institutions/${J.id}/visit-slots`)).body.items[0].status, 'cancelled');
  await screenshot(page, 'enrol-console-slot-cancelled');
  assertNoProblems(problems, 'programs');
  await page.context().close();
});

test('district admin: chooses an institution, sees its programs and the applications of the rounds naming it', async () => {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'district-admin', srv.password);
  await page.click('[data-qa="nav-programs"]');
  const pickInput = page.locator('#pick-institution');
  await pickInput.waitFor();
  await page.locator('[data-qa="pick-institution"]').click();
  await page.keyboard.type('演示001');
  await page.locator('.el-select-dropdown__item:visible', { hasText: J.name }).first().click();
  await page.locator('[data-qa="programs-institution"]', { hasText: J.name }).waitFor();
  assert.match(page.url(), new RegExp(`institution=${J.id}`));
  await rowsOf(page, 'programs-table').first().waitFor();
  await rowsOf(page, 'applications-table').first().waitFor();
  assert.equal(await rowsOf(page, 'applications-table').count(), 3, 'the three applications of the round name it');
  assert.deepEqual(await unlabelledControls(page), [], 'labelled');
  await screenshot(page, 'enrol-console-programs-admin');
  assertNoProblems(problems, 'programs (admin)');
  await page.context().close();
});
