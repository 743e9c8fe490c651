// family.test.mjs — the family's journey in the portal, in a real browser on a phone-sized
// screen: log in, register a child, book a visit on an institution's page, apply with ranked
// choices, see the round's offer with its deadline and the explanation (lottery number, each
// choice's cut-off), accept it, and book a free place for a second child; the messages arrive in
// the inbox. The district's round runs through the API in between, as the administrator would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { toddlerProgram } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, screenshot, unlabelledControls, lowContrastText } from './browser.mjs';

let srv, browser, admin, family;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  admin = await srv.login('district-admin');
  family = await srv.login('family');
});
after(async () => { await browser?.close(); await srv?.stop(); });

// Beijing calendar: next month, and a birth date 30 months before it (a 托大班 child then)
const bj = new Date(Date.now() + 8 * 3600e3);
const intake = new Date(Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
const birth = new Date(Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth() + 1 - 30, 12)).toISOString().slice(0, 10);

test('family journey: visit, application with ranked choices, offer with explanation, acceptance, free-place booking', async () => {
  const first = await toddlerProgram(admin, '旅程第一志愿托育园', 1);
  const second = await toddlerProgram(admin, '旅程第二志愿托育园', 2);
  // a rival with more points takes the only place of the first choice
  const rivalKid = (await family.post('/api/v1/children', { name: '竞争宝宝', birth_date: birth, sex: 2, birth_cert: 'R100000001' })).body.id;
  const rival = await family.post('/api/v1/applications', { child_id: rivalKid, intake, choices: [{ institution_id: first, class_type: 'toddler_old' }], criteria: { hardship: true } });
  assert.equal(rival.status, 201, rival.text);
  assert.equal((await family.post(`/api/v1/applications/${rival.body.id}/submit`, {})).status, 200);
  // a visit slot three days ahead at the first choice
  const day = new Date(Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth(), bj.getUTCDate() + 3)).toISOString().slice(0, 10);
  const slot = await admin.post(`/api/v1/institutions/${first}/visit-slots`, { starts_at: `${day}T09:30:00+08:00`, ends_at: `${day}T10:30:00+08:00`, capacity: 4, note: '请从东门进入' });
  assert.equal(slot.status, 201, slot.text);

  // the refused ID number (422) and the repeated booking (409) are provoked on purpose
  const { page, problems } = await openPage(browser, { viewport: { width: 390, height: 844 }, expect: [/status of 422/, /status of 409/] });
  page.on('dialog', (d) => d.accept());
  await page.goto(`${srv.url}/#/me`);
  // not logged in: sent to the login page, then back
  await page.locator('[data-qa="mode-password"]').click(); // the page opens on login by SMS code
  await page.locator('[data-qa="family-login-user"]').fill('family');
  await page.locator('[data-qa="family-login-password"]').fill(PASSWORD);
  await page.locator('[data-qa="family-login-submit"]').click();
  await page.locator('[data-qa="my-children"]').waitFor();

  // register a child: a bad birth-certificate number is refused on its field, then a good one
  // the form is folded once children are listed (the demo family has one): unfold it after they load
  await page.locator('[data-qa="child-row"]').first().waitFor();
  const childForm = page.locator('[data-qa="my-children"] details');
  if (!(await childForm.evaluate((d) => d.open))) await childForm.locator('summary').click();
  await page.locator('[data-qa="kid-name"]').fill('旅程宝宝');
  await page.locator('[data-qa="kid-birth"]').fill(birth);
  await page.selectOption('[data-qa="kid-id-kind"]', 'id_number');
  await page.locator('[data-qa="kid-id"]').fill('330304202001011234');
  await page.locator('[data-qa="kid-submit"]').click();
  await page.locator('[data-qa="kid-id-error"]').waitFor();
  assert.match(await page.locator('[data-qa="kid-id-error"]').textContent(), /[\u4e00-\u9fff]/);
  await page.selectOption('[data-qa="kid-id-kind"]', 'birth_cert');
  await page.locator('[data-qa="kid-id"]').fill('Q200000001');
  await page.locator('[data-qa="kid-submit"]').click();
  await page.locator('[data-qa="child-row"]', { hasText: '旅' }).first().waitFor();
  const kids = (await family.get('/api/v1/children')).body.items;
  const kid = kids.find((k) => k.birth_date === birth && k.id_kind === 'birth_cert' && k.id !== rivalKid);
  assert.ok(kid, 'the child registered in the UI is stored');
  await screenshot(page, 'family-me');

  // the first choice's page: book a visit
  await page.goto(`${srv.url}/#/institutions/${first}`);
  await page.locator(`[data-qa="visit-slot"][data-id="${slot.body.id}"]`).waitFor();
  await page.selectOption(`[data-qa="visit-slot"][data-id="${slot.body.id}"] [data-qa="visit-visitors"]`, '2');
  await page.locator(`[data-qa="visit-slot"][data-id="${slot.body.id}"] [data-qa="visit-book"]`).click();
  await page.locator('[data-qa="visit-message"].ok').waitFor();
  assert.match(await page.locator(`[data-qa="visit-slot"][data-id="${slot.body.id}"]`).textContent(), /剩余 3 \/ 4/);
  const visits = (await family.get('/api/v1/visit-bookings')).body.items;
  assert.ok(visits.some((v) => v.slot_id === slot.body.id && v.visitors === 2 && v.status === 'booked'));
  await screenshot(page, 'family-institution-visit');

  // apply from the institution's page: the first choice is filled in; add the second, rank, submit
  await page.locator('[data-qa="apply-here"]').click();
  await page.locator('[data-qa="apply-form"]').waitFor();
  await page.selectOption('[data-qa="apply-child"]', String(kid.id));
  await page.locator('[data-qa="apply-intake"]').fill(intake);
  await page.waitForFunction((id) => document.querySelector('[data-qa="choice-institution"]')?.dataset.value === String(id), first);
  await page.locator('[data-qa="add-choice"]').click();
  await page.selectOption('[data-qa="choice-row"]:nth-of-type(2) [data-qa="choice-class-type"]', 'toddler_old').catch(() => {});
  const rows = page.locator('[data-qa="choice-row"]');
  assert.equal(await rows.count(), 2);
  await rows.nth(1).locator('[data-qa="choice-class-type"]').selectOption('toddler_old');
  await rows.nth(1).locator('[data-qa="choice-search"]').fill('旅程第二志愿');
  await rows.nth(1).locator(`[data-qa="choice-option"][data-id="${second}"]`).click();
  assert.match(await rows.nth(1).locator('[data-qa="choice-picked"]').textContent(), /旅程第二志愿托育园/);
  await page.locator('[data-qa="criterion-ouhai_residence"]').check();
  assert.deepEqual(await unlabelledControls(page), [], 'every form control has a label');
  await screenshot(page, 'family-apply');
  await page.locator('[data-qa="apply-submit"]').click();
  await page.locator('[data-qa="application-page"][data-status="submitted"]').waitFor();
  const appId = Number(new URL(page.url()).hash.match(/applications\/(\d+)/)[1]);
  const stored = (await family.get(`/api/v1/applications/${appId}`)).body;
  assert.deepEqual(stored.choices.map((c) => c.institution_id), [first, second], 'ranked as entered');
  assert.equal(stored.criteria.ouhai_residence, true);

  // the district runs the round: the rival (more points) takes the first choice; ours gets the second
  const round = await admin.post('/api/v1/rounds', { intake, seed: '3c'.repeat(32) });
  assert.equal(round.status, 201, round.text);
  const offer = round.body.offers.find((o) => o.application_id === appId);
  assert.equal(offer.institution_id, second);

  // the family sees the message, the offer with its deadline, the explanation, and accepts
  await page.goto(`${srv.url}/#/me`);
  await page.locator('[data-qa="message"][data-kind="offer.made"]').first().waitFor();
  assert.ok(Number(await page.locator('[data-qa="unread-count"]').textContent()) >= 1);
  await page.locator(`[data-qa="application-row"][data-id="${appId}"] [data-qa="application-open"]`).click();
  await page.locator('[data-qa="offer"]').waitFor();
  const [y, m, d] = offer.deadline.split('-').map(Number);
  assert.equal(await page.locator('[data-qa="offer-deadline"]').textContent(), `${y}年${m}月${d}日`);
  assert.match(await page.locator('[data-qa="lottery"]').textContent(), /抽签号 \d+/);
  const verdicts = await page.locator('[data-qa="choice-verdict"]').allTextContents();
  assert.deepEqual(verdicts, ['未达录取线', '录取'], 'the first choice was full of children ahead; the second admitted');
  const table = await page.locator('[data-qa="choices"]').textContent();
  assert.match(table, /3 分 \/ \d+ 号/, "the first choice's cut-off: the rival's points and lottery number");
  assert.deepEqual(await lowContrastText(page), [], 'text contrast meets WCAG AA');
  await screenshot(page, 'family-offer');
  await page.locator('[data-qa="offer-accept"]').click();
  await page.locator('[data-qa="application-page"][data-status="accepted"]').waitFor();
  assert.equal((await family.get(`/api/v1/applications/${appId}`)).body.status, 'accepted');
  assert.equal((await family.get(`/api/v1/children/${kid.id}`)).body.institution_id, second, 'the child is enrolled');

  // a second child books a free place on an institution's page (first come, first served)
  const kid2 = (await family.post('/api/v1/children', { name: '旅程二宝', birth_date: birth, sex: 1, birth_cert: 'Q200000002' })).body.id;
  const third = await toddlerProgram(admin, '旅程空位托育园', 2);
  await page.goto(`${srv.url}/#/institutions/${third}`);
  await page.locator('[data-qa="book-child"]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-qa="book-child"] option').length > 2);
  await page.selectOption('[data-qa="book-child"]', String(kid2));
  await page.locator('[data-qa="book-month"]').fill(intake);
  await page.locator('[data-qa="book-submit"]').click();
  await page.locator('[data-qa="book-message"]').waitFor();
  assert.match(await page.locator('[data-qa="book-message"]').getAttribute('class'), /ok/, await page.locator('[data-qa="book-message"]').textContent());
  const booked = (await family.get('/api/v1/bookings')).body.items.find((b) => b.child_id === kid2);
  assert.equal(booked.institution_id, third);
  assert.equal(booked.status, 'booked');
  // the same child again: the server's Chinese refusal is shown
  await page.locator('[data-qa="book-submit"]').click();
  await page.locator('[data-qa="book-message"].error').waitFor();
  assert.match(await page.locator('[data-qa="book-message"]').textContent(), /已有有效的入托预约/);
  await screenshot(page, 'family-book-place');
  assertNoProblems(problems, 'family journey');
});
