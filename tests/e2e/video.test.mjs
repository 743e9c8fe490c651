// video.test.mjs — 可视托 in the browser (issue 19 item 7): an institution's operator sees its
// coverage findings, registers a camera on a class room (a fake RTSP camera on loopback) and probes
// it; the 24-hour supervision centre lands on the camera list, sees it online and views it — the
// stream's address appears for a player, and the viewing is in the auditor's log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { rtspCamera } from '../lib/fake_cameras.mjs';
import { launch, openPage, assertNoProblems, loginUI, unlabelledControls } from './browser.mjs';

const NO_SESSION = /status of 401/;
let srv, browser, cam;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  cam = await rtspCamera();
});
after(async () => { await browser?.close(); await srv.stop(); await cam.close(); });

test('the operator registers and probes a camera; the supervision centre sees it online and views it; the auditor sees the viewing', async () => {
  const admin = await srv.login('district-admin');
  const inst = (await admin.get('/api/v1/institutions/1')).body;
  let { page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'inst-1', PASSWORD);
  await page.click('[data-qa="nav-video"]');
  await page.locator('[data-qa="video-finding"][data-rule="video.none"]').waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await page.fill('#c-name', '乳儿班教室');
  await page.locator('[data-qa="camera-class"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: inst.classes[0].name }).first().click();
  await page.fill('#c-url', `rtsp://127.0.0.1:${cam.port}/live`);
  await page.fill('#c-user', 'viewer');
  await page.fill('#c-pass', 'cam-secret');
  await page.click('[data-qa="camera-add"]');
  const row = page.locator('[data-qa="cameras"] .el-table__body tr', { hasText: '乳儿班教室' });
  await row.waitFor();
  await row.locator('[data-qa="camera-probe"]').click();
  await row.locator('[data-qa="camera-state"][data-state="up"]').waitFor();
  assert.equal(await page.locator('[data-qa="video-finding"][data-rule="video.none"]').count(), 0, 'the institution has a camera now');
  assertNoProblems(problems, 'video page (operator)');

  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION] }));
  await loginUI(page, srv.url, 'supervision-centre', PASSWORD);
  const centreRow = page.locator('[data-qa="cameras"] .el-table__body tr', { hasText: '乳儿班教室' });
  await centreRow.waitFor(); // the centre lands on 可视托
  await centreRow.locator('[data-qa="camera-state"][data-state="up"]').waitFor();
  await centreRow.locator('[data-qa="camera-view"]').click();
  const url = page.locator('input[data-qa="stream-url"]');
  await url.waitFor();
  // the address arrives with the viewing's reply: wait for it in the field, then compare
  await page.waitForFunction(() => document.querySelector('input[data-qa="stream-url"]')?.value);
  assert.equal(await url.inputValue(), `rtsp://viewer:cam-secret@127.0.0.1:${cam.port}/live`);
  await page.click('[data-qa="view-end"]');
  assertNoProblems(problems, 'video page (supervision centre)');

  ({ page, problems } = await openPage(browser, { expect: [NO_SESSION] }));
  await loginUI(page, srv.url, 'auditor', PASSWORD);
  await page.click('[data-qa="nav-video-views"]');
  await page.locator('[data-qa="camera-views"] .el-table__body tr', { hasText: 'supervision-centre' }).waitFor();
  assertNoProblems(problems, 'video page (auditor)');
});
