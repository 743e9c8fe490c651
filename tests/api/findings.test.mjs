// findings.test.mjs — the district's compliance findings (issue 19 item 1): every open finding of
// the institutions in reach, as many as the dashboard's 待整改合规问题 counts, filtered by town,
// institution, rule and severity; a rectification item raised for a finding shows on its row; a
// town officer sees only their town; the list as .xlsx. Each institution's findings are kept until a
// write moves its findings stamp (migration 059's triggers), whatever wrote it: tested with writes
// made by another process, straight to the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import { readSheet } from '../lib/xlsx.mjs';

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
});
after(async () => { await srv.stop(); });

const all = async (c, query = '') => {
  const items = [];
  for (let cursor = null; ;) {
    const r = await c.get(`/api/v1/findings?limit=50${query}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.body.items);
    if (!(cursor = r.body.next)) return items;
  }
};

test('the list holds what the dashboard counts, filters narrow it, a raised item shows on its row', async () => {
  const items = await all(admin);
  const dash = (await admin.get('/api/v1/dashboard')).body;
  assert.ok(items.length > 0, 'the demo has findings');
  assert.equal(items.length, dash.district.open_findings, 'the dashboard counts the list');
  for (const t of dash.towns) assert.equal(items.filter((x) => x.town_code === t.code).length, t.open_findings, t.name);
  assert.deepEqual(items.map((x) => x.id), items.map((_, i) => i + 1), 'numbered in order, pages joined without gaps');
  const f = items.find((x) => x.severity === 'high') || items[0];
  for (const [query, keep] of [[`&town=${f.town_code}`, (x) => x.town_code === f.town_code],
    [`&institution_id=${f.institution_id}`, (x) => x.institution_id === f.institution_id],
    [`&rule=${f.rule}`, (x) => x.rule === f.rule], [`&severity=${f.severity}`, (x) => x.severity === f.severity]]) {
    const got = await all(admin, query);
    assert.deepEqual(got.map((x) => x.message), items.filter(keep).map((x) => x.message), query);
  }
  assert.equal((await admin.get('/api/v1/findings?severity=urgent')).status, 422);
  assert.equal((await admin.get('/api/v1/findings?institution_id=x')).status, 400);
  assert.equal(f.rectification_id, null);
  const r = await admin.post(`/api/v1/institutions/${f.institution_id}/rectifications`,
    { source: f.source, rule: f.rule, subject: f.subject, finding: f.message });
  assert.equal(r.status, 201, r.text);
  const row = (await all(admin, `&institution_id=${f.institution_id}`)).find((x) => x.rule === f.rule && x.subject === f.subject);
  assert.deepEqual([row.rectification_id, row.rectification_status], [r.body.id, 'open']);
  assert.ok(row.rectification_due_on);
});

test('a town officer sees their town only; an institution may not list; the list as .xlsx', async () => {
  const town = await srv.login('town-330304001');
  const mine = await all(town, '&town=330304002');
  assert.ok(mine.length > 0 && mine.every((x) => x.town_code === '330304001'), 'the town filter cannot leave the town');
  assert.equal((await (await srv.login('inst-1')).get('/api/v1/findings')).status, 403);
  const res = await fetch(`${admin.url}/api/v1/findings?export=xlsx&town=330304001`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  const sheet = readSheet(Buffer.from(await res.arrayBuffer()));
  assert.equal(sheet.length, (await all(admin, '&town=330304001')).length + 1, 'a heading and a row per finding');
  assert.ok(sheet[0].includes('问题') && sheet[0].includes('依据'));
});

test('可视托 findings are in the list and counted: no camera, a room uncovered, recordings kept too briefly', async () => {
  const inst = (await admin.get('/api/v1/institutions?town=330304003&limit=1')).body.items[0];
  const classes = (await admin.get(`/api/v1/institutions/${inst.id}`)).body.classes;
  assert.ok(classes.length >= 2, 'an institution with two classes');
  const video = async () => (await all(admin, `&institution_id=${inst.id}`)).filter((x) => x.source === 'video');
  // the demo registered no camera: the institution has none at all
  assert.deepEqual((await video()).map((x) => [x.rule, x.severity, x.subject]), [['video.none', 'high', '']]);
  // one camera on the first class's room, keeping 30 days: the second room uncovered, the retention short
  const cam = await admin.post(`/api/v1/institutions/${inst.id}/cameras`, { name: '一班活动室', area: 'class', class_id: classes[0].id, url: 'rtsp://127.0.0.1:9/live', retention_days: 30 });
  assert.equal(cam.status, 201, cam.text);
  let rows = await video();
  assert.deepEqual(rows.map((x) => [x.rule, x.subject]).sort(), [['video.class_uncovered', `class:${classes[1].id}`], ['video.retention', `camera:${cam.body.id}`]].concat(classes.slice(2).map((c) => ['video.class_uncovered', `class:${c.id}`])).sort());
  assert.equal(rows.find((x) => x.rule === 'video.retention').camera_id, cam.body.id);
  assert.match(rows.find((x) => x.rule === 'video.retention').basis, /video\.retention_min_days = 90/);
  // the dashboard counts them with the rest; raised for rectification, the row shows its item
  const items = await all(admin);
  const dash = (await admin.get('/api/v1/dashboard')).body;
  assert.equal(items.length, dash.district.open_findings);
  const f = rows.find((x) => x.rule === 'video.retention');
  const r = await admin.post(`/api/v1/institutions/${inst.id}/rectifications`, { source: f.source, rule: f.rule, subject: f.subject, finding: f.message });
  assert.equal(r.status, 201, r.text);
  rows = await video();
  assert.equal(rows.find((x) => x.rule === 'video.retention').rectification_id, r.body.id);
  assert.deepEqual((await all(admin, '&rule=video.retention')).map((x) => x.institution_id), [inst.id]);
});

// SQL run by another process, as an import or an operator would write, on the server's database
const atRest = (q) => (srv.database.kind === 'pg'
  ? execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', srv.database.conninfo], { input: q, encoding: 'utf8' })
  : execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.database.db], { input: q, encoding: 'utf8' })).trim();

test('kept findings follow every write to what they come from: staff, certificates, training, the institution, classes, parameters', async () => {
  // an institution of the town without a floor finding
  const floors = new Set((await all(admin, '&rule=floor')).map((x) => x.institution_id));
  const inst = (await admin.get('/api/v1/institutions?town=330304005&limit=50')).body.items.find((x) => x.status !== 'closed' && !floors.has(x.id));
  const mine = async () => (await all(admin, `&institution_id=${inst.id}`)).map((x) => `${x.rule} ${x.subject}`);
  const counted = async () => {
    const dash = (await admin.get('/api/v1/dashboard')).body;
    assert.equal((await all(admin)).length, dash.district.open_findings, 'the dashboard counts the list');
  };
  const before = await mine();
  await counted();
  const staffId = Number(atRest(`SELECT id FROM staff_member WHERE institution_id = ${inst.id} AND end_date IS NULL ORDER BY id LIMIT 1;`));
  const who = `staff:${staffId}`;
  // the staff member's health certificate lapses
  atRest(`UPDATE staff_member SET health_cert_expiry = '2001-01-01' WHERE id = ${staffId};`);
  assert.ok(!before.includes(`health_cert_lapsed ${who}`));
  assert.ok((await mine()).includes(`health_cert_lapsed ${who}`), 'a staff row written');
  // a certificate of theirs, lapsed long ago
  atRest(`INSERT INTO staff_certificate (district_code, staff_id, kind, number, issuer, issue_date, expiry_date) VALUES ('330304', ${staffId}, 'nurse', 'T-0001', '测试', '1999-01-01', '2001-02-01');`);
  assert.ok((await mine()).includes(`certificate_lapsed ${who}`), 'a certificate added');
  atRest(`DELETE FROM staff_certificate WHERE number = 'T-0001';`);
  assert.ok(!(await mine()).includes(`certificate_lapsed ${who}`), 'a certificate removed');
  // pre-job training: the course attended stops counting as pre-job
  const prejob = atRest(`SELECT tc.id FROM training_enrolment te JOIN training_session ts ON ts.id = te.session_id JOIN training_course tc ON tc.id = ts.course_id WHERE te.staff_id = ${staffId} AND te.status = 'attended' AND tc.kind = 'prejob' LIMIT 1;`);
  if (prejob) {
    assert.ok(!(await mine()).includes(`prejob_training_missing ${who}`));
    atRest(`UPDATE training_course SET kind = 'periodic' WHERE id = ${prejob};`);
    assert.ok((await mine()).includes(`prejob_training_missing ${who}`), 'a training course changed');
    atRest(`UPDATE training_course SET kind = 'prejob' WHERE id = ${prejob};`);
  }
  // the institution moves its children's rooms to the fifth floor, then a class overflows
  assert.ok(!before.includes('floor '));
  atRest(`UPDATE institution SET floor = 5 WHERE id = ${inst.id};`);
  assert.ok((await mine()).includes('floor '), 'the institution written');
  const cls = atRest(`SELECT id FROM institution_class WHERE institution_id = ${inst.id} ORDER BY id LIMIT 1;`);
  atRest(`UPDATE institution_class SET enrolled = capacity + 40, capacity = capacity + 40 WHERE id = ${cls};`);
  assert.ok(!before.includes(`class_size class:${cls}`));
  assert.ok((await mine()).includes(`class_size class:${cls}`), 'a class written');
  await counted();
  // a parameter's new version: the fifth floor allowed from today
  const today = atRest(srv.database.kind === 'pg' ? "SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD');" : "SELECT date('now', '+8 hours');");
  atRest(`UPDATE param SET valid_to = '${today}' WHERE key = 'premises.max_floor' AND valid_to IS NULL;
    INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) SELECT district_code, key, '5', unit, basis, certainty, description, '${today}', NULL FROM param WHERE key = 'premises.max_floor' AND valid_to = '${today}';`);
  assert.ok(!(await mine()).includes('floor '), 'the parameters changed');
  await counted();
  assert.notDeepEqual(await mine(), before);
});

test('every rule in the list has a Chinese name in the labels, from every source; an institution\'s own page holds its rows', async () => {
  const items = await all(admin);
  const { rules } = (await admin.get('/api/v1/public/labels')).body;
  const sources = new Set(items.map((f) => f.source));
  // (the demo's outdoor-time findings depend on the week's days: outdoor.test makes its own)
  for (const s of ['registry', 'staff', 'video']) assert.ok(sources.has(s), `the demo has ${s} findings: ${[...sources]}`);
  for (const rule of new Set(items.map((f) => f.rule))) assert.match(rules[rule] ?? '', /^[\u4e00-\u9fff]/, `${rule} has a name`);
  // one institution of each source: its own findings page (its workbench and profile read it) holds the same rows
  for (const s of sources) {
    const id = items.find((f) => f.source === s).institution_id;
    const own = (await admin.get(`/api/v1/institutions/${id}/findings`)).body.items;
    assert.deepEqual(own.map((f) => `${f.source} ${f.rule} ${f.message}`).sort(),
      items.filter((f) => f.institution_id === id).map((f) => `${f.source} ${f.rule} ${f.message}`).sort(), `institution ${id}`);
  }
});
