// planning.test.mjs — planning over HTTP: communities and candidate sites (validation, nothing
// written on error, audit rows), the coverage analysis (figures consistent, a community at an
// institution is covered in 0 minutes, cached until an input changes, a town officer sees only
// their town), site recommendations (k respected, added coverage non-increasing by rank), and a
// road network upload (validated by the engine; coverage then walks the network).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tuoyu } from '../lib/server.mjs';

let srv, admin;
before(async () => { srv = await startServer(); admin = await srv.login('district-admin'); });
after(async () => { await srv.stop(); });

const near = (a, b, eps = 1e-6) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(a), Math.abs(b));

async function count(path) {
  let n = 0;
  for (let cursor = null; ;) {
    const r = await admin.get(`${path}?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    n += r.body.items.length;
    if (!(cursor = r.body.next)) return n;
  }
}

test('community and candidate validation: field, code, Chinese message; nothing written', async () => {
  const before = await count('/api/v1/planning/communities');
  assert.ok(before >= 50, `demo communities: ${before}`);
  const good = { name: '测试社区', town_code: '330304005', lon: 120.62, lat: 27.95, population: 5000, children_0_3: 80 };
  const cases = [
    [{}, 'name'],
    [{ ...good, lon: 121.5 }, 'lon'],
    [{ ...good, lat: 'x' }, 'lat'],
    [{ ...good, town_code: '330304999' }, 'town_code'],
    [{ ...good, population: -1 }, 'population'],
    [{ ...good, children_0_3: 1.5 }, 'children_0_3'],
    [{ ...good, children_0_3: 6000 }, 'children_0_3'],
    [{ ...good, extra: 1 }, 'extra'],
  ];
  for (const [body, field] of cases) {
    const r = await admin.post('/api/v1/planning/communities', body);
    assert.ok([400, 422].includes(r.status), `${JSON.stringify(body)}: ${r.status}`);
    assert.equal(r.body.error.field, field, r.text);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  assert.equal(await count('/api/v1/planning/communities'), before);
  const cb = await count('/api/v1/planning/candidates');
  const bad = await admin.post('/api/v1/planning/candidates', { name: '候选', lon: 120.6, lat: 27.9, kind: 'mall' });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'kind');
  assert.equal((await admin.post('/api/v1/planning/sites', { k: 0 })).status, 422);
  assert.equal((await admin.post('/api/v1/planning/sites', {})).body.error.field, 'k');
  assert.equal((await admin.post('/api/v1/planning/coverage', '{bad')).status, 400);
  assert.equal(await count('/api/v1/planning/candidates'), cb);
});

test('coverage: shares within 0..1, towns sum to the district, rows consistent with the threshold', async () => {
  const r = await admin.post('/api/v1/planning/coverage', {});
  assert.equal(r.status, 200, r.text);
  const c = r.body;
  assert.equal(c.method, 'straight_line');
  assert.equal(c.network, null);
  assert.equal(c.communities.length, await count('/api/v1/planning/communities'));
  const d = c.district;
  for (const k of ['population_covered_share', 'children_covered_share']) assert.ok(d[k] >= 0 && d[k] <= 1, `${k} ${d[k]}`);
  assert.ok(d.population_covered_share > 0, 'some communities are covered');
  assert.ok(d.population_covered_share < 1, 'some are not');
  const sum = (k) => c.towns.reduce((a, t) => a + t[k], 0);
  for (const k of ['population', 'children_0_3', 'population_covered', 'children_covered', 'places', 'inclusive_places'])
    assert.ok(near(sum(k), d[k]), `${k}: towns ${sum(k)} vs district ${d[k]}`);
  assert.equal(c.towns.length, 13);
  assert.ok(near(d.places_per_1000, 1000 * d.places / d.population));
  let pop = 0, cov = 0;
  for (const row of c.communities) {
    for (const k of ['id', 'name', 'town_code', 'minutes', 'covered', 'access_per_1000', 'nearest_institution']) assert.ok(k in row, k);
    if (row.minutes !== null) assert.ok(row.minutes >= 0 && row.minutes <= c.max_minutes);
    assert.equal(row.covered, row.minutes !== null && row.minutes <= c.minutes + 1e-3, `row ${row.id}`);
    assert.ok(row.access_per_1000 >= 0);
    pop += row.population;
    if (row.covered) cov += row.population;
  }
  assert.ok(near(pop, d.population) && near(cov, d.population_covered));
  // rules: targets from the parameters
  assert.equal(c.rules.places_per_1000_target, 4.5);
  assert.equal(c.rules.new_community_places_per_1000_target, 10);
  for (const t of c.towns) assert.equal(t.target, 4.5);
  for (const row of c.communities.filter((x) => x.is_new)) assert.equal(row.target, 10);
  assert.ok(Array.isArray(c.rules.towns_without_inclusive));
  for (const k of c.rules.kindergartens_short_of_toddler_classes) assert.ok(k.toddler_classes < 2);
  // each institution's walking reach lists the communities within the threshold
  const byId = new Map(c.communities.map((x) => [x.id, x]));
  for (const s of c.institutions) for (const id of s.covers) assert.ok(byId.get(id).covered, `community ${id} reached by ${s.id}`);
});

test('the dashboard shows the latest 15-minute service circle, district-wide and for a town', async () => {
  const cov = await admin.post('/api/v1/planning/coverage', {});
  assert.equal(cov.status, 200);
  const d = await admin.get('/api/v1/dashboard');
  assert.ok(d.body.service_circle, 'service circle on the dashboard once coverage ran');
  assert.equal(d.body.service_circle.children_covered_share, cov.body.district.children_covered_share);
  assert.equal(d.body.service_circle.population_covered_share, cov.body.district.population_covered_share);
  const officer = await srv.login('town-330304005');
  const t = await officer.get('/api/v1/dashboard');
  const row = cov.body.towns.find((x) => x.town_code === '330304005');
  assert.equal(t.body.service_circle.children_covered_share, row.children_covered_share);
});

test('caching: the same inputs answer from the cache; a new community changes the result', async () => {
  const a = await admin.post('/api/v1/planning/coverage', {});
  const t0 = Date.now();
  const b = await admin.post('/api/v1/planning/coverage', {});
  const ms = Date.now() - t0;
  assert.equal(b.status, 200);
  assert.equal(b.body.cached, true);
  assert.ok(ms < 2000, `cached answer took ${ms} ms`);
  assert.equal(b.body.input_hash, a.body.input_hash);
  assert.deepEqual(b.body.communities, a.body.communities);
  assert.deepEqual(b.body.district, a.body.district);

  // a community exactly at an institution is covered with minutes 0
  const inst = a.body.institutions[0];
  const add = await admin.post('/api/v1/planning/communities', {
    name: '机构所在社区（测试）', town_code: inst.town_code, lon: inst.lon, lat: inst.lat, population: 3000, children_0_3: 50, is_new: true,
  });
  assert.equal(add.status, 201, add.text);
  const c = await admin.post('/api/v1/planning/coverage', {});
  assert.equal(c.body.cached, false);
  assert.notEqual(c.body.input_hash, a.body.input_hash);
  assert.equal(c.body.communities.length, a.body.communities.length + 1);
  const row = c.body.communities.find((x) => x.id === add.body.id);
  assert.equal(row.minutes, 0);
  assert.equal(row.covered, true);
  assert.ok(row.nearest_institution);
  assert.equal(c.body.district.population, a.body.district.population + 3000);

  const auditor = await srv.login('auditor');
  const log = await auditor.get('/api/v1/audit?limit=50');
  const audit = log.body.items.find((x) => x.action === 'planning.community.create' && x.target_id === String(add.body.id));
  assert.ok(audit, 'community creation audited');
  assert.equal(audit.login, 'district-admin');
  assert.equal(audit.fields.population, 3000);
});

test('a town officer sees only their town; a reviewer reads; neither writes', async () => {
  const town = '330304006';
  const officer = await srv.login(`town-${town}`);
  const list = await officer.get('/api/v1/planning/communities');
  assert.equal(list.status, 200);
  assert.ok(list.body.items.length > 0 && list.body.items.every((x) => x.town_code === town));
  const cov = await officer.post('/api/v1/planning/coverage', {});
  assert.equal(cov.status, 200, cov.text);
  assert.ok(cov.body.communities.length > 0 && cov.body.communities.every((x) => x.town_code === town));
  assert.deepEqual(cov.body.towns.map((t) => t.town_code), [town]);
  assert.ok(cov.body.institutions.every((x) => x.town_code === town));
  const w = await officer.post('/api/v1/planning/communities', { name: 'x', town_code: town, lon: 120.61, lat: 27.98, population: 1, children_0_3: 0 });
  assert.equal(w.status, 403);
  const reviewer = await srv.login('dept-reviewer');
  assert.equal((await reviewer.post('/api/v1/planning/coverage', {})).status, 200);
  assert.equal((await reviewer.post('/api/v1/planning/candidates', { name: 'x', lon: 120.6, lat: 27.9, kind: 'idle_premises' })).status, 403);
  const family = await srv.login('family');
  assert.equal((await family.post('/api/v1/planning/coverage', {})).status, 403);
});

test('site recommendations: k respected, added coverage non-increasing by rank, cached', async () => {
  const add = await admin.post('/api/v1/planning/candidates', { name: '测试闲置用房', lon: 120.65, lat: 27.97, kind: 'idle_premises', note: '测试' });
  assert.equal(add.status, 201, add.text);
  const ncand = await count('/api/v1/planning/candidates');
  for (const k of [1, 3, 5]) {
    const r = await admin.post('/api/v1/planning/sites', { k });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.items.length, Math.min(k, ncand));
    r.body.items.forEach((it, i) => {
      assert.equal(it.rank, i + 1);
      for (const f of ['id', 'name', 'lon', 'lat', 'added_children_covered']) assert.ok(f in it, f);
      if (i > 0) assert.ok(it.added_children_covered <= r.body.items[i - 1].added_children_covered + 1e-9);
    });
    const total = r.body.items.reduce((a, it) => a + it.added_children_covered, 0);
    assert.ok(near(r.body.children_covered_after - r.body.children_covered_before, total));
    assert.ok(r.body.children_covered_after <= r.body.children_0_3);
  }
  const again = await admin.post('/api/v1/planning/sites', { k: 5 });
  assert.equal(again.body.cached, true);
  const big = await admin.post('/api/v1/planning/sites', { k: 100 });
  assert.equal(big.body.items.length, ncand);
  const auditor = await srv.login('auditor');
  const log = await auditor.get('/api/v1/audit?limit=50');
  assert.ok(log.body.items.find((x) => x.action === 'planning.candidate.create' && x.target_id === String(add.body.id)));
});

test('road network upload: validated by the engine, stored, audited; coverage then walks it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuoyu-net-'));
  try {
    const file = join(dir, 'ouhai.osm.pbf');
    const g = tuoyu(['plan', 'gen-network', '--nodes', '20000', '--lat', '27.95', '--lon', '120.62', '--spacing-m', '200', '--out', file]);
    assert.equal(g.status, 0, g.stderr);
    const bytes = readFileSync(file);
    assert.ok(bytes.length < 1 << 20);
    const upload = (body, c = admin) => fetch(`${srv.url}/api/v1/planning/network?name=${encodeURIComponent('瓯海路网')}`, {
      method: 'POST', body, headers: { cookie: c.cookie, 'X-CSRF-Token': c.csrf, 'content-type': 'application/octet-stream' },
    });
    const junk = await upload('<osm><garbage');
    assert.equal(junk.status, 422, await junk.text());
    const empty = await upload('<?xml version="1.0"?><osm version="0.6"></osm>');
    assert.equal(empty.status, 422);
    const reviewer = await srv.login('dept-reviewer');
    assert.equal((await upload(bytes, reviewer)).status, 403);
    const ok = await upload(bytes);
    const body = await ok.json();
    assert.equal(ok.status, 201, JSON.stringify(body));
    assert.equal(body.format, 'pbf');
    assert.ok(body.nodes > 1000);
    const net = await admin.get('/api/v1/planning/network');
    assert.equal(net.body.network.id, body.id);
    const cov = await admin.post('/api/v1/planning/coverage', {});
    assert.equal(cov.status, 200, cov.text);
    assert.equal(cov.body.method, 'network');
    assert.equal(cov.body.network.id, body.id);
    assert.equal(cov.body.cached, false);
    const d = cov.body.district;
    assert.ok(d.population_covered_share >= 0 && d.population_covered_share <= 1);
    const auditor = await srv.login('auditor');
    const log = await auditor.get('/api/v1/audit?limit=50');
    assert.ok(log.body.items.find((x) => x.action === 'planning.network.create' && x.target_id === String(body.id)));

    // the CLI path for files over the HTTP body limit: same validation, same table
    const xml = join(dir, 'small.osm');
    assert.equal(tuoyu(['plan', 'gen-network', '--nodes', '3000', '--lat', '27.95', '--lon', '120.62', '--spacing-m', '300', '--out', xml]).status, 0);
    const bad = tuoyu(['plan', 'import-network', join(dir, 'missing.osm'), ...srv.database.args]);
    assert.equal(bad.status, 2);
    const imp = tuoyu(['plan', 'import-network', xml, '--name', '命令行路网', ...srv.database.args]);
    assert.equal(imp.status, 0, imp.stderr);
    const net2 = await admin.get('/api/v1/planning/network');
    assert.ok(net2.body.network.id > body.id);
    assert.equal(net2.body.network.name, '命令行路网');
    assert.equal(net2.body.network.format, 'osm');
    const cov2 = await admin.post('/api/v1/planning/coverage', {});
    assert.equal(cov2.body.network.id, net2.body.network.id);
    assert.equal(cov2.body.cached, false, 'a new network invalidates the cached result');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('network upload: errors name no server path; an XML network is recorded as osm', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuoyu-net-'));
  try {
    const upload = (body) => fetch(`${srv.url}/api/v1/planning/network?name=${encodeURIComponent('XML路网')}`, {
      method: 'POST', body, headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.csrf, 'content-type': 'application/octet-stream' },
    });
    const pbfJunk = Buffer.concat([Buffer.from([0, 0, 0, 13, 10, 9]), Buffer.from('OSMHeader'), Buffer.alloc(64, 0xff)]);
    for (const bad of ['<osm><garbage', '<?xml version="1.0"?><osm version="0.6"></osm>',
      '<osm version="0.6"><node id="1" lat="27.9" lon="120.6"><tag v="x"/></node></osm>', pbfJunk]) {
      const r = await upload(bad);
      const text = await r.text();
      assert.equal(r.status, 422, text);
      const e = JSON.parse(text).error;
      assert.equal(e.field, 'network');
      assert.doesNotMatch(e.message, /\/tmp|\/var\/|tuoyu-net|\.osm\.pbf|XXXXXX/, `a server path in: ${e.message}`);
    }
    const xml = join(dir, 'small.osm');
    assert.equal(tuoyu(['plan', 'gen-network', '--nodes', '3000', '--lat', '27.95', '--lon', '120.62', '--spacing-m', '300', '--out', xml]).status, 0);
    const bytes = readFileSync(xml);
    assert.ok(bytes.length < 1 << 20, `${bytes.length} bytes`);
    const ok = await upload(bytes);
    const body = await ok.json();
    assert.equal(ok.status, 201, JSON.stringify(body));
    assert.equal(body.format, 'osm');
    const net = await admin.get('/api/v1/planning/network');
    assert.equal(net.body.network.id, body.id);
    assert.equal(net.body.network.format, 'osm');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a point of the map in words, without login: the nearest community, its town and distance', async () => {
  const anon = srv.client();
  const comms = [];
  for (let cursor = null; ;) {
    const r = await admin.get(`/api/v1/planning/communities?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    comms.push(...r.body.items);
    if (!r.body.next) break;
    cursor = r.body.next;
  }
  const km = (a, b) => { const k = Math.PI / 180; const s = Math.sin(((b.lat - a.lat) * k) / 2) ** 2 + Math.cos(a.lat * k) * Math.cos(b.lat * k) * Math.sin(((b.lon - a.lon) * k) / 2) ** 2; return 2 * 6371.0088 * Math.asin(Math.sqrt(s)); };
  for (const c of comms.slice(0, 5)) {
    const p = { lon: c.lon + 0.003, lat: c.lat - 0.002 };
    const r = await anon.get(`/api/v1/public/places/${p.lon},${p.lat}`);
    assert.equal(r.status, 200, r.text);
    const nearest = comms.reduce((best, x) => (km(p, x) < km(p, best) ? x : best));
    assert.equal(r.body.inside_district, true);
    assert.equal(r.body.community.id, nearest.id);
    assert.equal(r.body.community.name, nearest.name);
    assert.equal(r.body.community.town_name, nearest.town_name);
    assert.ok(Math.abs(r.body.community.distance_km - km(p, nearest)) < 0.011, `${r.body.community.distance_km} vs ${km(p, nearest)}`);
    assert.equal(r.body.community.population, undefined, 'only the name and place of a community are public');
  }
  const far = await anon.get('/api/v1/public/places/2.35,48.85');
  assert.equal(far.status, 200);
  assert.equal(far.body.inside_district, false);
  assert.equal(far.body.community, null);
  for (const point of ['120.6', '120.6,95', 'abc,27.9', '120.6,27.9,1']) {
    const r = await anon.get(`/api/v1/public/places/${point}`);
    assert.equal(r.status, 400, point);
    assert.equal(r.body.error.code, 'bad_point');
    assert.equal(r.body.error.field, 'point');
  }
});

test('the 15-minute circle is on the dashboard from the start, with its target, and follows its inputs', async () => {
  const own = await startServer({ extraArgs: ['--planning-refresh-seconds', '1'] });
  try {
    const a = await own.login('district-admin');
    // nobody opened 规划分析 on this server: the circle was computed when it started
    let d;
    for (let i = 0; i < 100 && !(d = (await a.get('/api/v1/dashboard')).body).service_circle; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(d.service_circle, 'computed on start');
    assert.equal(d.service_circle.children_covered_target, 1);
    const before = d.service_circle;
    // a community with many young children far from every institution: computed again, lower
    const r = await a.post('/api/v1/planning/communities', { name: '远郊新社区', town_code: '330304005', lon: 120.45, lat: 27.93, population: 40000, children_0_3: 3000 });
    assert.equal(r.status, 201, r.text);
    let now = before;
    for (let i = 0; i < 100 && now.computed_at === before.computed_at; i++) {
      await new Promise((res) => setTimeout(res, 100));
      now = (await a.get('/api/v1/dashboard')).body.service_circle;
    }
    assert.notEqual(now.computed_at, before.computed_at, 'recomputed once an input changed');
    assert.ok(now.children_covered_share < before.children_covered_share, `${now.children_covered_share} < ${before.children_covered_share}`);
  } finally { await own.stop(); }
});
