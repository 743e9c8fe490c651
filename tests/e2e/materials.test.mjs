// materials.test.mjs — 附件材料 on the institution profile in a real browser: an operator uploads a
// 3 MiB PDF over a throttled link and the progress bar moves through intermediate values to 100 %;
// the file is listed and downloads as an attachment with its name and exactly its bytes (and the
// download is in the audit log); a program renamed .pdf is refused with the server's message and
// nothing is listed; deleting asks first and removes the row. A reviewer sees the list without
// upload or delete, and 预览s an image and a PDF from a blob while the server keeps sending
// attachments. No page errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from '../lib/server.mjs';
import { pdfBytes, uploadMaterial } from '../lib/fixtures.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls, lowContrastText } from './browser.mjs';

const NO_SESSION = /status of 401/;
let srv, browser, admin, homeId;

before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  admin = await srv.login('district-admin');
  homeId = (await admin.get('/api/v1/institutions?town=330304001&limit=1')).body.items[0].id;
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('an operator uploads a PDF with a progress bar, downloads it, is refused a renamed program, deletes', async () => {
  const { context, page, problems } = await openPage(browser, { expect: [NO_SESSION, /status of 422/] });
  await loginUI(page, srv.url, `inst-${homeId}`, srv.password);
  await page.goto(`${srv.url}/console#/institutions/${homeId}`);
  await page.locator('[data-qa="materials"]').waitFor();
  await page.locator('[data-qa="material-table"]').getByText('暂无附件材料').waitFor();
  assert.deepEqual(await unlabelledControls(page), [], 'the file input has a name');

  // a 3 MiB PDF over an upload link of 1.5 MB/s: about two seconds of progress
  const name = '营业执照（副本）.pdf';
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), Buffer.alloc(3 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1.5 * 1024 * 1024 });
  // every value the progress bar shows while the upload runs
  await page.evaluate(() => {
    window.progressSeen = [];
    const look = () => {
      const bar = document.querySelector('[data-qa="material-progress"]');
      const v = bar && Number(bar.getAttribute('aria-valuenow'));
      if (bar && window.progressSeen[window.progressSeen.length - 1] !== v) window.progressSeen.push(v);
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  await page.locator('[data-qa="material-file"]').setInputFiles({ name, mimeType: 'application/pdf', buffer: bytes });
  await page.locator('[data-qa="material-ok"]').waitFor({ timeout: 60000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  assert.match(await page.locator('[data-qa="material-ok"]').textContent(), new RegExp(`已上传：${name.replace(/[()（）]/g, '.')}`));
  const seen = await page.evaluate(() => window.progressSeen);
  assert.equal(seen[seen.length - 1], 100, `ends at 100 %: ${seen}`);
  assert.ok(seen.some((v) => v > 0 && v < 100), `intermediate progress shown: ${seen}`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `progress only grows: ${seen}`);
  const link = page.locator('[data-qa="material-download"]', { hasText: name });
  await link.waitFor();
  await screenshot(page, 'console-materials');
  assert.deepEqual(await lowContrastText(page), []);

  // the download: an attachment with the file's name and exactly its bytes, audited
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), name);
  assert.ok(readFileSync(await download.path()).equals(bytes), 'the same bytes come back');
  const auditor = await srv.login('auditor');
  const row = (await auditor.get('/api/v1/audit?limit=5')).body.items.find((r) => r.action === 'material.download');
  assert.ok(row, 'the download is in the audit log');
  assert.equal(row.login, `inst-${homeId}`);

  // a Windows program renamed .pdf: the server's message, nothing listed
  await page.locator('[data-qa="material-file"]').setInputFiles({ name: 'setup.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4096, 0x90)]) });
  await page.locator('[data-qa="material-error"]').waitFor();
  assert.match(await page.locator('[data-qa="material-error"]').textContent(), /setup\.pdf.*不是 PDF、JPEG、PNG 或 OFD/);
  assert.equal(await page.locator('[data-qa="material-download"]').count(), 1);

  // delete: asked first, then the row goes
  await page.locator('[data-qa="material-delete"]').click();
  await page.getByRole('dialog', { name: '删除材料' }).getByRole('button', { name: '删除', exact: true }).click();
  await page.locator('[data-qa="material-ok"]', { hasText: '已删除' }).waitFor();
  await page.locator('[data-qa="material-table"]').getByText('暂无附件材料').waitFor();
  assertNoProblems(problems, 'materials');
  await context.close();
});

test('a reviewer sees the materials with their download links, but no upload or delete', async () => {
  const up = await uploadMaterial(admin, homeId, pdfBytes('reviewer'), '消防合格证明.pdf');
  assert.equal(up.status, 201, up.text);
  const { context, page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'dept-reviewer', srv.password);
  await page.goto(`${srv.url}/console#/institutions/${homeId}`);
  await page.locator('[data-qa="material-download"]', { hasText: '消防合格证明.pdf' }).waitFor();
  assert.equal(await page.locator('[data-qa="material-upload"]').count(), 0);
  assert.equal(await page.locator('[data-qa="material-delete"]').count(), 0);
  assertNoProblems(problems, 'reviewer materials');
  await context.close();
});

// a 2×1 PNG (one red, one blue pixel)
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==', 'base64');

test('预览: an image and a PDF are shown from a blob URL on the page, the server still answers attachments', async () => {
  let up = await uploadMaterial(admin, homeId, PNG, '场地照片.png');
  assert.equal(up.status, 201, up.text);
  const pngId = up.body.id;
  up = await uploadMaterial(admin, homeId, pdfBytes('preview'), '平面图.pdf');
  assert.equal(up.status, 201, up.text);
  const raw = await fetch(`${srv.url}/api/v1/materials/${pngId}/content`, { headers: { Cookie: admin.cookie } });
  assert.match(raw.headers.get('content-disposition') || '', /^attachment/);
  const { context, page, problems } = await openPage(browser, { expect: [NO_SESSION] });
  await loginUI(page, srv.url, 'dept-reviewer', srv.password);
  await page.goto(`${srv.url}/console#/institutions/${homeId}`);
  const row = (name) => page.locator('.el-table__row', { has: page.locator('[data-qa="material-download"]', { hasText: name }) });
  await row('场地照片.png').locator('[data-qa="material-preview"]').click();
  const img = page.locator('[data-qa="material-preview-image"]');
  await img.waitFor();
  assert.match(await img.getAttribute('src'), /^blob:/);
  await page.waitForFunction(() => document.querySelector('[data-qa="material-preview-image"]')?.naturalWidth === 2);
  await screenshot(page, 'console-material-preview-image');
  await page.keyboard.press('Escape');
  await img.waitFor({ state: 'detached' });
  await row('平面图.pdf').locator('[data-qa="material-preview"]').click();
  const pdf = page.locator('[data-qa="material-preview-pdf"]');
  await pdf.waitFor();
  assert.match(await pdf.getAttribute('src'), /^blob:/);
  assertNoProblems(problems, 'material preview');
  await context.close();
});
