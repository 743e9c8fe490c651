// signup.test.mjs — a new parent on a phone (390×844) in a real browser (issue 12 items 1 and 2):
// from an institution's "登录或注册后预约" to sign-up with the SMS code (read from the server's
// --sms-sink file, as the phone would receive it) and consent to the privacy notice, a child
// registered, a visit booked with what happens next; then the institution's operator sees the
// parent's name and verified number on its 托位与参观 page (a tap-to-call link).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, freshDatabase, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls } from './browser.mjs';

let db, srv, browser, admin, sink;
before(async () => {
  db = freshDatabase();
  sink = join(db.dir, 'sms.txt');
  srv = await startServer({ web: true, database: db, extraArgs: ['--sms-sink', sink] });
  browser = await launch();
  admin = await srv.login('district-admin');
});
after(async () => { await browser?.close(); await srv?.stop(); db?.cleanup(); });

// the code the sink received for number (waits for the sender thread)
async function codeFor(number) {
  for (let i = 0; i < 100; i++) {
    const line = (existsSync(sink) ? readFileSync(sink, 'utf8') : '').split('\n').reverse().find((l) => l.split('\t')[1] === number);
    const m = line && /验证码为 (\d{6})/.exec(line);
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code for ${number} in the SMS sink`);
}

const bj = new Date(Date.now() + 8 * 3600e3);
const birth = new Date(Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth() - 20, 12)).toISOString().slice(0, 10);

test('a new parent signs up by SMS code on a phone, registers a child, books a visit; the institution sees the number', async () => {
  const inst = (await admin.get('/api/v1/institutions?status=filed&limit=1')).body.items[0];
  const day = new Date(Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth(), bj.getUTCDate() + 3)).toISOString().slice(0, 10);
  const slot = await admin.post(`/api/v1/institutions/${inst.id}/visit-slots`, { starts_at: `${day}T09:30:00+08:00`, ends_at: `${day}T10:30:00+08:00`, capacity: 4 });
  assert.equal(slot.status, 201, slot.text);
  const mobile = '13912345678';

  const { page, problems } = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(`${srv.url}/#/institutions/${inst.id}`);
  await page.locator(`[data-qa="visit-slot"][data-id="${slot.body.id}"]`).waitFor();
  await page.locator(`[data-qa="visit-slot"][data-id="${slot.body.id}"] a`, { hasText: '登录或注册后预约' }).click();
  await page.locator('[data-qa="mode-signup"]').click();
  await page.locator('[data-qa="mobile"]').fill(mobile);
  await page.locator('[data-qa="send-code"]').click();
  await page.locator('[data-qa="code-sent"]').waitFor();
  assert.match(await page.locator('[data-qa="code-sent"]').textContent(), /139\*\*\*\*5678/);
  assert.match(await page.locator('[data-qa="send-code"]').textContent(), /秒后重新获取/, 'resend waits');
  await page.locator('[data-qa="sms-code"]').fill(await codeFor(mobile));
  await page.locator('[data-qa="parent-name"]').fill('林晓梅');
  // consent is required, and the notice can be read on the page
  await page.locator('[data-qa="family-login-submit"]').click();
  assert.match(await page.locator('[data-qa="family-login-error"]').textContent(), /隐私政策/);
  await page.locator('[data-qa="privacy-notice"] summary').click();
  assert.match(await page.locator('[data-qa="privacy-notice"]').textContent(), /敏感个人信息/);
  await page.locator('[data-qa="privacy-consent"]').check();
  assert.deepEqual(await unlabelledControls(page), [], 'every form control has a label');
  // touch targets on a phone
  for (const qa of ['mobile', 'sms-code', 'send-code', 'family-login-submit']) {
    const box = await page.locator(`[data-qa="${qa}"]`).boundingBox();
    assert.ok(box.height >= 44, `${qa} is ${box.height}px tall`);
  }
  await screenshot(page, 'signup-phone');
  await page.locator('[data-qa="family-login-submit"]').click();
  // back on the institution's page, logged in: book the visit
  await page.locator(`[data-qa="visit-slot"][data-id="${slot.body.id}"] [data-qa="visit-book"]`).waitFor();

  // register a child first (on 我的)
  await page.goto(`${srv.url}/#/me`);
  await page.locator('[data-qa="my-children"]').waitFor();
  const childForm = page.locator('[data-qa="my-children"] details');
  if (await childForm.count() && !(await childForm.evaluate((d) => d.open))) await childForm.locator('summary').click();
  await page.locator('[data-qa="kid-name"]').fill('林一诺');
  await page.locator('[data-qa="kid-birth"]').fill(birth);
  await page.selectOption('[data-qa="kid-id-kind"]', 'birth_cert');
  await page.locator('[data-qa="kid-id"]').fill('Q300000001');
  await page.locator('[data-qa="kid-submit"]').click();
  await page.locator('[data-qa="child-row"]').first().waitFor();

  await page.goto(`${srv.url}/#/institutions/${inst.id}`);
  await page.locator(`[data-qa="visit-slot"][data-id="${slot.body.id}"] [data-qa="visit-book"]`).click();
  await page.locator('[data-qa="visit-message"].ok').waitFor();
  const confirmation = await page.locator('[data-qa="visit-message"]').textContent();
  assert.match(confirmation, /地址：/, 'the confirmation says where to go');
  assert.match(confirmation, /短信/);
  await screenshot(page, 'signup-visit-booked');
  assertNoProblems(problems, 'the sign-up and booking pages');

  // the institution's operator sees the parent's name and number on 托位与参观
  // (the console asks /me before its login form: 401 there is expected)
  const op = await openPage(browser, { viewport: { width: 1440, height: 900 }, expect: [/status of 401/] });
  await loginUI(op.page, srv.url, `inst-${inst.id}`, PASSWORD);
  await op.page.click('[data-qa="nav-programs"]');
  const booking = op.page.locator('[data-qa="slot-booking"]', { hasText: '林晓梅' });
  await booking.waitFor();
  assert.equal(await booking.locator('[data-qa="family-mobile"]').textContent(), mobile);
  assert.equal(await booking.locator('[data-qa="family-mobile"]').getAttribute('href'), `tel:${mobile}`);
  await screenshot(op.page, 'signup-institution-sees-number');
  assertNoProblems(op.problems, 'the institution\'s page');
  // that read is in the audit log
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?limit=100')).body.items;
  assert.ok(log.some((a) => a.action === 'family.contact' && a.login === `inst-${inst.id}`), 'the institution\'s read of the number is audited');
});
