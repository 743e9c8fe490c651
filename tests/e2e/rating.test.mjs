// rating.test.mjs — 星级评定 in a real browser, the whole path in the UI (issue 17 item 7): an
// institution's operator starts an assessment under the Ouhai star scheme, scores itself item by
// item and uploads each item's evidence, sees the progress, and a submission with one item's
// evidence missing names that item; with it attached the submission goes to the town, whose
// officer passes it; the district assigns an evaluator — one who declared a link to the
// institution is refused with the reason shown — and the evaluator, landing on 我的评审, scores
// alone; the district exports every result (.xlsx) and concludes (publicity), and after the publicity period (the server's clock
// moved on, as the API tests do) confirms — a family's objection during publicity, filed on the
// portal, answered by the district first; the level in force, its date and meaning are on the
// portal's institution page. No page errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase } from '../lib/server.mjs';
import { readFileSync } from 'node:fs';
import { pdfBytes } from '../lib/fixtures.mjs';
import { readSheet } from '../lib/xlsx.mjs';
import { launch, openPage, assertNoProblems, screenshot, loginUI, unlabelledControls, chooseOption } from './browser.mjs';

const NO_SESSION = /status of 401/;
const REFUSED = /status of (409|422)/;
const TOWN = '330304001';
const NOW = '2026-03-02T02:00:00Z';
const LATER = '2026-03-10T02:00:00Z';   // the publicity (7 days from the conclusion) has run
const PASSWORD = 'Zhuanjia-Score-2026';

let database, srv, browser;
before(async () => {
  database = freshDatabase();
  srv = await startServer({ web: true, now: NOW, database });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop({ keepDatabase: true }); database?.cleanup(); });

const hashIs = (page, path) => page.waitForFunction((p) => location.hash.startsWith(`#${p}`), path);

/** A console page logged in as login, with its problems recorded. */
async function console_(login, password = srv.password) {
  const { page, problems } = await openPage(browser, { expect: [NO_SESSION, REFUSED] });
  await loginUI(page, srv.url, login, password);
  return { page, problems };
}

/** Open the assessment of the institution named name from the 星级评定 list. */
async function openFromList(page, name) {
  await page.click('[data-qa="nav-ratings"]');
  await page.locator('[data-qa="rating-open"]', { hasText: name }).first().click();
  await page.locator('[data-qa="rating-title"]', { hasText: name }).waitFor();
}

/** Type the sheet in the page: every points item its max × factor, every veto 达标. */
async function fillSheet(page, scheme, factor) {
  for (const it of scheme.items) {
    const cell = page.locator(`[data-qa="rating-score-${it.code}"]`);
    if (it.kind === 'veto') {
      await cell.click();
      await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^达标$/ }).click();
      // the list closes (a closing list's option would be taken for the next one's)
      await page.waitForFunction(() => ![...document.querySelectorAll('.el-select-dropdown')].some((d) => d.offsetParent !== null));
    } else {
      await cell.locator('input').fill(String(Math.round(it.max_points * factor * 10) / 10));
      await cell.locator('input').press('Tab');
    }
  }
}

test('self-assessment with evidence → town → evaluator → conclusion → publicity → level in force on the portal', async () => {
  const admin = await srv.login('district-admin');
  const sec = await srv.login('security-admin');
  const inst = (await admin.get(`/api/v1/institutions?status=filed&town=${TOWN}&limit=1`)).body.items[0];
  const list = (await admin.get('/api/v1/public/rating-schemes')).body.items;
  const scheme = (await admin.get(`/api/v1/public/rating-schemes/${list.find((s) => s.code === 'ouhai_star').id}`)).body;
  // two evaluators: one declared a link to the institution
  const made = [];
  for (const [login, name] of [['pingshen-guanlian', '关联专家'], ['pingshen-duli', '独立专家']]) {
    const r = await sec.post('/api/v1/users', { login, name, role: 'evaluator', password: PASSWORD });
    assert.equal(r.status, 201, r.text);
    made.push(r.body);
  }
  const linked = await srv.login('pingshen-guanlian', PASSWORD);
  assert.equal((await linked.post('/api/v1/rating-conflicts', { institution_id: inst.id, reason: '曾任该机构顾问' })).status, 201);

  // the operator starts an assessment and scores itself with evidence
  const op = await console_(`inst-${inst.id}`);
  await op.page.click('[data-qa="nav-ratings"]');
  await op.page.locator('[data-qa="rating-scheme"]').click();
  await op.page.locator('.el-select-dropdown__item:visible', { hasText: scheme.name }).click();
  await op.page.click('[data-qa="rating-start"]');
  await op.page.locator('[data-qa="rating-title"]', { hasText: inst.name }).waitFor();
  const id = Number(op.page.url().match(/ratings\/(\d+)/)[1]);
  await op.page.locator('[data-qa="rating-progress"]', { hasText: `已评分 0 / ${scheme.items.length} 项，缺少佐证材料 ${scheme.items.length} 项` }).waitFor();
  await fillSheet(op.page, scheme, 0.95);
  await op.page.locator('[data-qa="rating-progress"]', { hasText: `已评分 ${scheme.items.length} / ${scheme.items.length} 项` }).waitFor();
  const last = scheme.items[scheme.items.length - 1];
  for (const [n, it] of scheme.items.entries()) {
    if (it === last) continue;
    await op.page.locator(`[data-qa="rating-evidence-file-${it.code}"]`).setInputFiles({ name: `${it.code}.pdf`, mimeType: 'application/pdf', buffer: pdfBytes(`e2e-${it.code}`) });
    await op.page.locator('[data-qa="rating-progress"]', { hasText: `缺少佐证材料 ${scheme.items.length - n - 1} 项` }).waitFor();
  }
  assert.deepEqual(await unlabelledControls(op.page), [], 'every control of the sheet has a name');
  // submitted with one item's evidence missing: that item named, still a draft
  await op.page.click('[data-qa="rating-submit"]');
  await op.page.locator('[data-qa="rating-missing"]', { hasText: last.code }).waitFor();
  assert.match(await op.page.locator('[data-qa="rating-missing"]').textContent(), new RegExp(last.evidence));
  await op.page.locator('[data-qa="rating-state"]', { hasText: '自评中' }).waitFor();
  await screenshot(op.page, 'console-rating-self');
  await op.page.locator(`[data-qa="rating-evidence-file-${last.code}"]`).setInputFiles({ name: `${last.code}.pdf`, mimeType: 'application/pdf', buffer: pdfBytes(`e2e-${last.code}`) });
  await op.page.locator('[data-qa="rating-progress"]', { hasText: '缺少佐证材料 0 项' }).waitFor();
  await op.page.click('[data-qa="rating-submit"]');
  await op.page.locator('[data-qa="rating-state"]', { hasText: '乡镇初审' }).waitFor();
  const saved = (await admin.get(`/api/v1/assessments/${id}`)).body;
  assert.equal(saved.state, 'submitted');
  assert.equal(Object.keys(saved.self_sheet).length, scheme.items.length);
  assert.equal(Object.keys(saved.evidence).length, scheme.items.length);
  assertNoProblems(op.problems, 'operator');
  await op.page.context().close();

  // the town officer passes it
  const town = await console_(`town-${TOWN}`);
  await openFromList(town.page, inst.name);
  await town.page.click('[data-qa="rating-event-pass"]');
  await town.page.locator('[data-qa="rating-state"]', { hasText: '专家评审' }).waitFor();
  assertNoProblems(town.problems, 'town');
  await town.page.context().close();

  // the district assigns: the linked evaluator refused with the reason, the other assigned
  const district = await console_('district-admin');
  await district.page.click('[data-qa="nav-ratings"]');
  await district.page.locator('[data-qa="rating-state-filter"]').click();
  await district.page.locator('.el-select-dropdown__item:visible', { hasText: '专家评审' }).click();
  await district.page.locator('[data-qa="rating-open"]', { hasText: inst.name }).first().click();
  const pick = async (name) => {
    await chooseOption(district.page, 'rating-evaluator', name);
    await district.page.locator('[data-qa="rating-evaluator"]', { hasText: name }).waitFor();
    await district.page.click('[data-qa="rating-assign"]');
  };
  await pick('关联专家');
  await district.page.locator('[data-qa="rating-error"]', { hasText: '曾任该机构顾问' }).waitFor();
  await pick('独立专家');
  await district.page.locator('[data-qa="rating-ok"]', { hasText: '已指派评审专家' }).waitFor();
  await district.page.locator('[data-qa="rating-experts"]', { hasText: '独立专家' }).waitFor();
  assert.deepEqual((await admin.get(`/api/v1/assessments/${id}`)).body.experts.map((x) => x.user_id), [made[1].id]);
  // every result as a workbook from the list
  await district.page.click('[data-qa="nav-ratings"]');
  const [download] = await Promise.all([district.page.waitForEvent('download'), district.page.click('[data-qa="rating-export"]')]);
  const rows = readSheet(readFileSync(await download.path()));
  assert.equal(rows[0][2], '机构名称');
  assert.ok(rows.some((r) => Number(r[0]) === id && r[2] === inst.name && r[5] === '专家评审'), 'this assessment in the export');
  await district.page.context().close();

  // the evaluator lands on 我的评审 and scores alone
  const ev = await console_('pingshen-duli', PASSWORD);
  await hashIs(ev.page, '/reviews');
  await ev.page.locator('[data-qa="rating-open"]', { hasText: inst.name }).click();
  await ev.page.locator('[data-qa="rating-progress"]', { hasText: `已评分 0 / ${scheme.items.length} 项` }).waitFor();
  assert.equal(await ev.page.locator('[data-qa="rating-evidence-missing-c1"]').count(), 0, 'the evaluator scores; no evidence column to fill');
  await fillSheet(ev.page, scheme, 0.92);
  await ev.page.click('[data-qa="rating-sheet-submit"]');
  await ev.page.locator('[data-qa="rating-ok"]', { hasText: '评分已提交' }).waitFor();
  await screenshot(ev.page, 'console-rating-evaluator');
  assertNoProblems(ev.problems, 'evaluator');
  await ev.page.context().close();

  // the district concludes: publicity
  const d2 = await console_('district-admin');
  await openFromList(d2.page, inst.name);
  await d2.page.click('[data-qa="rating-event-conclude"]');
  await d2.page.locator('[data-qa="rating-state"]', { hasText: '公示中' }).waitFor();
  await d2.page.locator('[data-qa="rating-level"]', { hasText: '五星级' }).waitFor();

  // during publicity a family sees the result on the portal and objects; the district answers it
  const fam = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await fam.page.goto(`${srv.url}/#/institutions/${inst.id}`);
  const notice = fam.page.locator('[data-qa="rating-notice"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /五星级[\s\S]*公示至 2026年3月9日/);
  await notice.getByRole('link', { name: '登录后提出异议' }).click();
  await fam.page.locator('[data-qa="mode-password"]').click();
  await fam.page.locator('[data-qa="family-login-user"]').fill('family');
  await fam.page.locator('[data-qa="family-login-password"]').fill(srv.password);
  await fam.page.locator('[data-qa="family-login-submit"]').click();
  await fam.page.locator('[data-qa="rating-objection-text"]').fill('评审期间该机构户外场地仍在施工，评分偏高');
  await fam.page.click('[data-qa="rating-objection-submit"]');
  await fam.page.locator('[data-qa="rating-objection-message"]', { hasText: '异议已提交' }).waitFor();
  await screenshot(fam.page, 'portal-rating-objection');
  assertNoProblems(fam.problems, 'family objection');
  await fam.page.context().close();
  const objections = (await admin.get(`/api/v1/assessments/${id}`)).body.objections;
  assert.deepEqual(objections.map((o) => [o.text, o.answered_at]), [['评审期间该机构户外场地仍在施工，评分偏高', null]]);
  await d2.page.reload();
  await d2.page.locator(`[data-qa="rating-answer-${objections[0].id}"]`).fill('经核实，户外场地已于评审前完工验收，异议不成立');
  await d2.page.locator('[data-qa="rating-objections"]').getByRole('button', { name: '不成立' }).click();
  await d2.page.locator('[data-qa="rating-objections"]', { hasText: '答复（不成立）：经核实' }).waitFor();
  assertNoProblems(d2.problems, 'district');
  await d2.page.context().close();

  // after the publicity period the district confirms; the level is in force on the portal
  await srv.stop({ keepDatabase: true });
  srv = await startServer({ web: true, now: LATER, database });
  const d3 = await console_('district-admin');
  await openFromList(d3.page, inst.name);
  await d3.page.click('[data-qa="rating-event-confirm"]');
  await d3.page.locator('[data-qa="rating-state"]', { hasText: '已评定' }).waitFor();
  assertNoProblems(d3.problems, 'district confirm');
  await d3.page.context().close();

  const pub = await openPage(browser);
  await pub.page.goto(`${srv.url}/#/institutions/${inst.id}`);
  const rating = pub.page.locator('[data-qa="public-rating"]');
  await rating.waitFor();
  const text = await rating.textContent();
  assert.match(text, /五星级/);
  assert.match(text, /2026年3月10日起生效/, "in force from the day the district confirmed");
  const level = scheme.levels.find((l) => l.code === 'star5');
  assert.ok(text.includes(level.meaning), text);
  await screenshot(pub.page, 'portal-rating');
  assertNoProblems(pub.problems, 'portal');
  await pub.page.context().close();
});
