// progress.test.mjs — quarterly progress reports (每季进度报送, issue 19 item 4): a town starts its
// report of the quarter, writes it with an attachment and submits it (its indicators frozen, its
// attachments locked); the district returns it with a reason, approves the corrected one, and the
// quarter is then locked — editing or submitting it is refused, a correction is a new version
// reopened by the district with its reason. The district's compiled report exports as .docx and
// .xlsx. A town reaches only its own report; bad periods and events change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { pdfBytes, uploadTo } from '../lib/fixtures.mjs';
import { readSheet, unzip } from '../lib/xlsx.mjs';

const HOME = '330304001', OTHER = '330304002';
let srv, admin, town, otherTown, auditor, today, period;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
  town = await srv.login(`town-${HOME}`);
  otherTown = await srv.login(`town-${OTHER}`);
  auditor = await srv.login('auditor');
  today = (await admin.get('/api/v1/public/labels')).body.as_of;
  period = `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) + 2) / 3)}`;
});
after(async () => { await srv.stop(); });

const auditOf = async (action) => (await auditor.get(`/api/v1/audit?limit=100&action=${action}`)).body.items;
const event = (c, id, ev, comment) => c.post(`/api/v1/progress-reports/${id}/events`, comment === undefined ? { event: ev } : { event: ev, comment });
const expectError = (r, status, code, field) =>
  assert.deepEqual([r.status, r.body?.error?.code, field === undefined ? undefined : r.body?.error?.field], [status, code, field], r.text);

test('a town writes, submits and corrects its quarterly report; the district returns, approves and the quarter locks', async () => {
  // the quarter before anyone starts: every town, none reported
  let r = await admin.get(`/api/v1/progress-reports?period=${period}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.towns.length, 13);
  assert.deepEqual(r.body.completeness, { towns: 13, submitted: 0, approved: 0 });
  assert.ok(r.body.periods.includes(period) && r.body.started);
  r = await town.get('/api/v1/progress-reports');
  assert.deepEqual(r.body.towns.map((t) => t.town_code), [HOME], 'a town officer sees their own town');
  assert.equal(r.body.period, period, 'the current quarter by default');

  // bad starts change nothing
  const next = `${Number(period.slice(0, 4)) + 1}-Q1`;
  for (const [c, body, status, code, field] of [
    [town, { town_code: HOME, period: '2026-Q5' }, 422, 'bad_period', 'period'],
    [town, { town_code: HOME, period: '2022-Q4' }, 422, 'bad_period', 'period'],
    [town, { town_code: HOME, period: next }, 422, 'period_not_started', 'period'],
    [town, { town_code: OTHER, period }, 404, 'not_found'],
    [admin, { town_code: HOME, period }, 403, 'forbidden'],
  ]) expectError(await c.post('/api/v1/progress-reports', body), status, code, field);
  assert.equal((await admin.get(`/api/v1/progress-reports?period=${period}`)).body.towns.filter((t) => t.report).length, 0);

  r = await town.post('/api/v1/progress-reports', { town_code: HOME, period });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  assert.deepEqual([r.body.state, r.body.version, r.body.indicators_live, r.body.editable], ['draft', 1, true, true]);
  assert.ok(r.body.indicators.institutions > 0 && r.body.indicators.places > 0, JSON.stringify(r.body.indicators));
  assert.deepEqual(r.body.events.map((e) => e.event), ['submit']);
  expectError(await town.post('/api/v1/progress-reports', { town_code: HOME, period }), 409, 'report_exists', 'period');
  expectError(await otherTown.get(`/api/v1/progress-reports/${id}`), 404, 'not_found');

  // nothing written yet: a submission needs the quarter's progress
  expectError(await event(town, id, 'submit'), 422, 'required', 'progress');
  assert.equal((await town.get(`/api/v1/progress-reports/${id}`)).body.state, 'draft');

  r = await town.put(`/api/v1/progress-reports/${id}`, { progress: '新增普惠托位 60 个，完成 2 家机构备案。', problems: '场地紧张', next_steps: '推进社区嵌入式托育' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.progress, '新增普惠托位 60 个，完成 2 家机构备案。');
  r = await uploadTo(town, `/api/v1/progress-reports/${id}/materials`, pdfBytes('季度报告附件'), '附件.pdf');
  assert.equal(r.status, 201, r.text);

  r = await event(town, id, 'submit');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.state, r.body.indicators_live, r.body.editable], ['submitted', false, false]);
  const frozen = r.body.indicators;
  expectError(await town.put(`/api/v1/progress-reports/${id}`, { progress: '改' }), 409, 'report_submitted');
  expectError(await uploadTo(town, `/api/v1/progress-reports/${id}/materials`, pdfBytes('迟到'), '迟到.pdf'), 409, 'owner_locked');
  // what happens after submission does not change the figures submitted
  const inst = (await admin.get(`/api/v1/institutions?town=${HOME}&limit=1`)).body.items[0].id;
  r = await admin.post(`/api/v1/institutions/${inst}/inspections`, { kind: 'planned', inspected_on: today, team: '区卫健局', summary: '规范', items: [{ code: 'class_size', result: 'pass' }] });
  assert.equal(r.status, 201, r.text);
  r = await admin.get(`/api/v1/progress-reports/${id}`);
  assert.deepEqual(r.body.indicators, frozen, 'frozen at submission');
  assert.deepEqual(r.body.events.map((e) => e.event), ['approve', 'return']);

  // the district returns it with a reason; the town corrects and submits again
  expectError(await event(town, id, 'approve'), 403, 'forbidden');
  expectError(await event(admin, id, 'return'), 422, 'comment_required', 'comment');
  expectError(await event(admin, id, 'reopen', '无'), 409, 'event_not_allowed', 'event');
  r = await event(admin, id, 'return', '请补充托位建设数据来源');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.state, r.body.review_note], ['returned', '请补充托位建设数据来源']);
  assert.equal((await uploadTo(town, `/api/v1/progress-reports/${id}/materials`, pdfBytes('补充'), '补充.pdf')).status, 201, 'unlocked when returned');
  assert.equal((await town.put(`/api/v1/progress-reports/${id}`, { progress: '新增普惠托位 60 个（区发改局立项数据），完成 2 家机构备案。' })).status, 200);
  assert.equal((await event(town, id, 'submit')).body.state, 'submitted');
  r = await event(admin, id, 'approve');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'approved');
  assert.equal(r.body.indicators.inspections, frozen.inspections + 1, 'frozen again at the second submission');
  const approved = r.body.indicators;
  assert.deepEqual(r.body.events.map((e) => e.event), ['reopen']);
  assert.equal((await town.get(`/api/v1/progress-reports/${id}/materials`)).body.items.length, 2);

  // the quarter is locked
  expectError(await town.put(`/api/v1/progress-reports/${id}`, { progress: '改' }), 409, 'period_locked');
  expectError(await event(town, id, 'submit'), 409, 'period_locked', 'event');
  expectError(await uploadTo(town, `/api/v1/progress-reports/${id}/materials`, pdfBytes('锁'), '锁.pdf'), 409, 'owner_locked');
  expectError(await town.post('/api/v1/progress-reports', { town_code: HOME, period }), 409, 'report_exists', 'period');
  r = await admin.get(`/api/v1/progress-reports?period=${period}`);
  assert.deepEqual(r.body.completeness, { towns: 13, submitted: 1, approved: 1 });
  assert.equal(r.body.towns.find((t) => t.town_code === HOME).report.state, 'approved');

  // a correction: reopened by the district with its reason, as version 2; version 1 kept
  expectError(await event(town, id, 'reopen', '更正'), 403, 'forbidden');
  expectError(await event(admin, id, 'reopen'), 422, 'comment_required', 'comment');
  r = await event(admin, id, 'reopen', '托位数据口径更正');
  assert.equal(r.status, 200, r.text);
  const v2 = r.body;
  assert.notEqual(v2.id, id);
  assert.deepEqual([v2.version, v2.state, v2.reopen_reason, v2.progress], [2, 'draft', '托位数据口径更正', '新增普惠托位 60 个（区发改局立项数据），完成 2 家机构备案。']);
  assert.deepEqual(v2.versions.map((v) => [v.version, v.state]), [[2, 'draft'], [1, 'superseded']]);
  const v1 = (await admin.get(`/api/v1/progress-reports/${id}`)).body;
  assert.deepEqual([v1.state, v1.indicators], ['superseded', approved], 'the approved version is kept as it was');
  expectError(await town.put(`/api/v1/progress-reports/${id}`, { progress: '改' }), 409, 'period_locked');
  r = await admin.get(`/api/v1/progress-reports?period=${period}`);
  assert.deepEqual(r.body.completeness, { towns: 13, submitted: 0, approved: 0 }, 'the quarter is open again for the correction');
  assert.equal((await town.put(`/api/v1/progress-reports/${v2.id}`, { progress: '更正后的进展' })).status, 200);

  for (const action of ['progress.create', 'progress.submit', 'progress.return', 'progress.approve', 'progress.reopen'])
    assert.ok((await auditOf(action)).length >= 1, action);
});

test('the district compiles the towns\' reports into a .docx and a .xlsx; towns may not', async () => {
  const r = await otherTown.post('/api/v1/progress-reports', { town_code: OTHER, period });
  assert.equal(r.status, 201, r.text);
  assert.equal((await otherTown.put(`/api/v1/progress-reports/${r.body.id}`, { progress: '梧田街道完成托育机构全覆盖排查', problems: '', next_steps: '' })).status, 200);
  assert.equal((await event(otherTown, r.body.id, 'submit')).status, 200);

  let res = await fetch(`${srv.url}/api/v1/progress-reports/compiled?period=${period}`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /wordprocessingml/);
  assert.match(res.headers.get('content-disposition'), /progress-report-.*\.docx/);
  const doc = unzip(Buffer.from(await res.arrayBuffer()));
  for (const part of ['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/styles.xml']) assert.ok(doc.has(part), part);
  const xml = doc.get('word/document.xml').toString('utf8');
  assert.match(xml, /普惠托育服务试点工作季度进度报告/);
  assert.match(xml, /梧田街道完成托育机构全覆盖排查/);
  assert.match(xml, /本季度未报送/, 'towns without a report are named');

  res = await fetch(`${srv.url}/api/v1/progress-reports/compiled?period=${period}&format=xlsx`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  const rows = readSheet(Buffer.from(await res.arrayBuffer()));
  assert.equal(rows.length, 14, 'a heading and the 13 towns');
  const wutian = rows.find((x) => x[0] === '梧田街道');
  assert.ok(wutian && wutian.includes('已报送待审核') && wutian.includes('梧田街道完成托育机构全覆盖排查'), JSON.stringify(wutian));
  // a town without a submitted report has today's figures, as the dashboard counts them town by town,
  // and its quarter's supervision as its report page shows them live
  const towns = (await admin.get('/api/v1/dashboard')).body.towns;
  const live = rows.slice(1).filter((x) => x[1] !== '已报送待审核');
  assert.equal(live.length, 12);
  for (const row of live) {
    const t = towns.find((x) => x.name === row[0]);
    assert.deepEqual(row.slice(2, 6).map(Number), [t.institutions, t.places, t.inclusive_places, t.residents], row[0]);
    assert.equal(Number(row[8]), t.open_findings, row[0]);
  }
  const home = (await admin.get(`/api/v1/progress-reports?period=${period}`)).body.towns.find((x) => x.town_code === HOME);
  const page = (await admin.get(`/api/v1/progress-reports/${home.report.id}`)).body;
  assert.equal(page.indicators_live, true);
  const homeRow = rows.find((x) => x[0] === page.town_name);
  assert.deepEqual(homeRow.slice(9, 12).map(Number),
    [page.indicators.inspections, page.indicators.rectifications_raised, page.indicators.rectifications_closed]);
  assert.ok(page.indicators.inspections + page.indicators.rectifications_raised > 0, 'supervision to count');
  assert.ok((await auditOf('progress.export')).length >= 2, 'each export is audited');

  expectError(await admin.get(`/api/v1/progress-reports/compiled?period=${period}&format=pdf`), 422, 'bad_format', 'format');
  expectError(await town.get(`/api/v1/progress-reports/compiled?period=${period}`), 403, 'forbidden');
  expectError(await admin.get('/api/v1/progress-reports?period=Q3'), 422, 'bad_period', 'period');
  // the dashboard's tile reads the quarter before this one (none reported in the demo)
  const tile = (await admin.get('/api/v1/dashboard')).body.pilot.progress_reports;
  assert.deepEqual([tile.towns, tile.submitted, tile.approved], [13, 0, 0]);
  assert.notEqual(tile.period, period);
});
