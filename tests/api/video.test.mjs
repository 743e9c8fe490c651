// video.test.mjs — 可视托 (issue 19 item 7): an institution registers its cameras (bad addresses,
// unknown areas and another institution's class refused, nothing written; credentials sealed and
// never returned); the coverage and retention findings; liveness probed against three fake
// cameras on loopback (one answers RTSP OPTIONS, one hangs, one refuses) — consecutive failures
// open an outage told to the institution and the supervision centre, a success closes it; the
// server's own prober probes on its schedule; every viewing logged for the auditor; parents view
// only their child's room, when the district has granted it and within its hours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { rtspCamera, hangingCamera, refusedPort } from '../lib/fake_cameras.mjs';

let srv, admin, op, inst, ok, hang, refusedAt;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
  inst = (await admin.get('/api/v1/institutions/1')).body;
  op = await srv.login('inst-1');
  ok = await rtspCamera();
  hang = await hangingCamera();
  refusedAt = await refusedPort();
});
after(async () => { await srv.stop(); await ok.close(); await hang.close(); });

const body = (over = {}) => ({ name: '托小班教室', area: 'class', class_id: inst.classes[0].id,
  url: `rtsp://127.0.0.1:${ok.port}/live/1`, retention_days: 90, ...over });
const probe = (c, id) => c.post(`/api/v1/cameras/${id}/probe`);

test('cameras registered by the institution: bad input refused with nothing written, credentials never returned, findings', async () => {
  let v = (await op.get('/api/v1/institutions/1/video')).body;
  assert.equal(v.cameras.length, 0);
  assert.deepEqual(v.findings.map((f) => f.rule), ['video.none'], 'an institution with classes and no camera');
  assert.equal(v.retention_min_days, 90);
  const bad = [
    [{ url: 'rtsp://10.1.2.3:554/live' }, 'camera_not_loopback', 'url'],
    [{ url: 'ftp://127.0.0.1/x' }, 'unsupported_scheme', 'url'],
    [{ url: 'rtsp://127.0.0.1:70000/x' }, 'bad_url', 'url'],
    [{ url: 'rtsp:// 127.0.0.1/x' }, 'bad_url', 'url'],
    [{ area: 'kitchen' }, 'unknown_area', 'area'],
    [{ class_id: 999999 }, 'unknown_class', 'class_id'],
    [{ area: 'sleep' }, 'class_needs_area', 'area'],
    [{ retention_days: 0 }, 'out_of_range', 'retention_days'],
  ];
  for (const [over, code, field] of bad) {
    const r = await op.post('/api/v1/institutions/1/cameras', body(over));
    assert.deepEqual([r.status, r.body.error?.code, r.body.error?.field], [422, code, field], JSON.stringify(over));
  }
  // another institution's operator may not add to this one, nor see its cameras
  const other = await srv.login('inst-2');
  assert.equal((await other.post('/api/v1/institutions/1/cameras', body())).status, 404);
  assert.equal((await op.get('/api/v1/institutions/1/video')).body.cameras.length, 0, 'nothing written');

  let r = await op.post('/api/v1/institutions/1/cameras', body({ url: `rtsp://admin:s3cret-pw@127.0.0.1:${ok.port}/live/1` }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.url, `rtsp://127.0.0.1:${ok.port}/live/1`, 'the address without its credentials');
  assert.equal(r.body.username_masked, 'a***');
  assert.ok(!r.text.includes('s3cret-pw') && !r.text.includes('admin:'), 'the password is never returned');
  assert.equal(r.body.state, 'unknown');
  r = await op.post('/api/v1/institutions/1/cameras', { name: '睡眠室', area: 'sleep', url: `http://127.0.0.1:${hang.port}/`, retention_days: 30 });
  assert.equal(r.status, 201, r.text);
  v = (await op.get('/api/v1/institutions/1/video')).body;
  const rules = v.findings.map((f) => f.rule).sort();
  assert.ok(rules.includes('video.retention'), 'a camera keeping 30 days is below 90');
  assert.equal(rules.includes('video.none'), false);
  const uncovered = v.findings.filter((f) => f.rule === 'video.class_uncovered').map((f) => f.class_id);
  assert.deepEqual(uncovered, inst.classes.slice(1).map((c) => c.id), 'every class but the first is uncovered');
  assert.ok(v.findings.every((f) => f.basis.includes('托育机构管理规范')));
  // the audit log holds the creation, without the credentials
  const auditor = await srv.login('auditor');
  const log = await auditor.get('/api/v1/audit?action=video.camera.create');
  assert.equal(log.status, 200, log.text);
  assert.ok(!log.text.includes('s3cret-pw'));
});

test('liveness: an answering camera is up, a hanging one times out, a refusing one opens an outage after three failures and closes it on recovery', async () => {
  const cams = (await op.get('/api/v1/cameras?institution_id=1')).body.items;
  const up = cams.find((c) => c.area === 'class');
  const hung = cams.find((c) => c.area === 'sleep');
  let r = await probe(op, up.id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.state, r.body.failures, r.body.last_error, r.body.uptime_percent], ['up', 0, null, 100]);
  const t0 = Date.now();
  r = await probe(op, hung.id);
  assert.deepEqual([r.body.state, r.body.failures, r.body.last_error], ['unknown', 1, 'timeout']);
  assert.ok(Date.now() - t0 >= 2900, 'waited for the timeout (video.probe_timeout_ms)');

  r = await op.post('/api/v1/institutions/1/cameras', body({ name: '托大班教室', class_id: inst.classes[1].id, url: `rtsp://127.0.0.1:${refusedAt}/ch1` }));
  assert.equal(r.status, 201, r.text);
  const gone = r.body;
  const centre = await srv.login('supervision-centre');
  for (let i = 1; i <= 2; i++) {
    r = await probe(centre, gone.id);
    assert.deepEqual([r.status, r.body.failures, r.body.last_error, r.body.open_outage_id], [200, i, 'refused', null]);
  }
  r = await probe(centre, gone.id);
  assert.deepEqual([r.body.state, r.body.failures], ['down', 3]);
  assert.ok(r.body.open_outage_id, 'the third failure opens an outage');
  let outages = (await centre.get('/api/v1/camera-outages?open=1')).body.items;
  assert.deepEqual(outages.map((o) => [o.camera_id, o.failures, o.reason, o.ended_at]), [[gone.id, 3, 'refused', null]]);
  for (const who of [op, centre]) {
    const inbox = (await who.get('/api/v1/inbox')).body.items;
    assert.ok(inbox.some((m) => m.subject.startsWith('摄像头离线') && m.subject.includes('托大班教室')), 'told of the outage');
  }
  const town = await srv.login(`town-${inst.town_code}`);
  assert.equal((await town.get(`/api/v1/cameras/${gone.id}`)).body.state, 'down', 'the town sees it');
  assert.equal((await probe(town, gone.id)).status, 403, 'the town may not probe');
  // the device comes back on its port
  const back = await rtspCamera(refusedAt);
  try {
    r = await probe(centre, gone.id);
    assert.deepEqual([r.body.state, r.body.failures, r.body.open_outage_id], ['up', 0, null]);
    assert.equal(r.body.uptime_percent, 25, 'one success in four probes today');
  } finally { await back.close(); }
  // the institution's uptime: 1 + 0 + 1 successes of 1 + 1 + 4 probes today
  const inst1 = (await op.get('/api/v1/institutions/1/video')).body;
  assert.equal(inst1.uptime_percent, Math.round(2 / 6 * 10000) / 100);
  outages = (await centre.get('/api/v1/camera-outages')).body.items;
  assert.ok(outages.find((o) => o.camera_id === gone.id).ended_at, 'the outage is closed');
  assert.equal((await centre.get('/api/v1/camera-outages?open=1')).body.items.length, 0);
  assert.ok((await op.get('/api/v1/inbox')).body.items.some((m) => m.subject.startsWith('摄像头恢复在线')));
});

test('viewing: staff at any hour, logged for the auditor; a parent only the own child\'s room, when granted and within its hours', async () => {
  const cam = (await op.get('/api/v1/cameras?institution_id=1')).body.items.find((c) => c.area === 'class');
  let r = await op.post(`/api/v1/cameras/${cam.id}/views`);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.stream_url, `rtsp://admin:s3cret-pw@127.0.0.1:${ok.port}/live/1`, 'the player gets the credentials');
  assert.ok(r.body.view_id);
  r = await op.post(`/api/v1/cameras/${cam.id}/views/end`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.ended === 1 && r.body.seconds >= 0 && r.body.ended_at);
  assert.equal((await op.post(`/api/v1/cameras/${cam.id}/views/end`)).body.ended, 0, 'ended once');
  const town = await srv.login(`town-${inst.town_code}`);
  assert.equal((await town.post(`/api/v1/cameras/${cam.id}/views`)).status, 403, 'the town officer does not view streams');

  // the demo family's child in care, and a camera on its class
  const family = await srv.login('family');
  let kid, placement;
  for (const c of (await family.get('/api/v1/children')).body.items) {
    const care = await family.get(`/api/v1/children/${c.id}/care`);
    if (care.body.placement) [kid, placement] = [c, care.body.placement];
  }
  assert.ok(kid && placement.class_id, 'the demo family has a child in care');
  r = await admin.post(`/api/v1/institutions/${kid.institution_id}/cameras`,
    { name: '孩子的教室', area: 'class', class_id: placement.class_id, url: `rtsp://127.0.0.1:${ok.port}/room`, retention_days: 90 });
  assert.equal(r.status, 201, r.text);
  const room = r.body;
  r = await family.post(`/api/v1/cameras/${room.id}/views`);
  assert.deepEqual([r.status, r.body.error.code], [403, 'parent_viewing_off'], 'off by default');
  assert.equal((await family.post(`/api/v1/cameras/${cam.id}/views`)).status, 404, 'another room: not theirs');
  // the district grants parents' viewing — bad hours refused — first for hours that exclude now
  const grant = (h0, h1) => admin.post(`/api/v1/institutions/${kid.institution_id}/video-parent-access`,
    { valid_from: '2020-01-01', hours_from: h0, hours_to: h1, basis: '区卫健局试点决定（测试）' });
  assert.deepEqual([(await grant('25:00', '26:00')).body.error.code, (await grant('10:00', '09:00')).body.error.field], ['bad_time', 'hours_to']);
  assert.equal((await op.post(`/api/v1/institutions/1/video-parent-access`, { valid_from: '2020-01-01', hours_from: '08:00', hours_to: '09:00', basis: 'x' })).status, 403);
  const hourNow = new Date(Date.now() + 8 * 3600e3).getUTCHours();
  const away = (hourNow + 12) % 24, pad = (n) => String(n).padStart(2, '0');
  r = await grant(`${pad(away)}:00`, `${pad(away)}:59`);
  assert.equal(r.status, 201, r.text);
  r = await family.post(`/api/v1/cameras/${room.id}/views`);
  assert.deepEqual([r.status, r.body.error.code], [403, 'outside_hours']);
  assert.equal((await grant('00:00', '24:00')).status, 201);
  r = await family.post(`/api/v1/cameras/${room.id}/views`);
  assert.equal(r.status, 201, r.text);
  const v = (await admin.get(`/api/v1/institutions/${kid.institution_id}/video`)).body;
  assert.equal(v.parent_access.hours_to, '24:00');

  // the viewing log: the auditor reads every viewing; an operator may not
  const auditor = await srv.login('auditor');
  const views = (await auditor.get('/api/v1/camera-views')).body.items;
  assert.deepEqual(views.map((x) => [x.user_login, x.role, x.camera_id]),
    [['inst-1', 'institution_operator', cam.id], ['family', 'family', room.id]]);
  assert.ok(views[0].seconds !== null && views[1].ended_at === null);
  assert.equal((await op.get('/api/v1/camera-views')).status, 403);
});

test('the server\'s own prober probes every active camera on its schedule', async () => {
  const s = await startServer({ extraArgs: ['--video-probe-seconds', '1'] });
  try {
    const a = await s.login('district-admin');
    const cls = (await a.get('/api/v1/institutions/1')).body.classes[0].id;
    const r = await a.post('/api/v1/institutions/1/cameras', { name: '教室', area: 'class', class_id: cls, url: `rtsp://127.0.0.1:${ok.port}/a`, retention_days: 90 });
    assert.equal(r.status, 201, r.text);
    let cam;
    for (let i = 0; i < 200; i++) { // up to 20 s on a loaded machine; a round a second
      cam = (await a.get(`/api/v1/cameras/${r.body.id}`)).body;
      if (cam.probes >= 2) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(cam.probes >= 2, `probed on its own: ${cam.probes}`);
    assert.equal(cam.state, 'up');
  } finally { await s.stop(); }
});
