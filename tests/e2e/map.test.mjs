// map.test.mjs — the map as families and staff use it, on a phone (390×844) and a desktop
// (1440×900): no base map by default, a configured base layer drawn from its tile URL (served
// here from the test server's own origin through a local route: no test ever fetches a tile from
// the internet, and any request off the loopback fails the test), markers grouped on a phone and
// adding up to every institution, popups with the free places of each class type and 查看详情,
// the chosen point said in words with the nearest institutions listed nearest first, and the
// console map opening on the user's own town or institution, the family's on its child's town. Also: the 天地图 one-line setting
// resolved to its tile URLs (in node), and the dashboard's skeletons while ECharts loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client, root } from '../lib/server.mjs';
import { launch, openPage, assertNoProblems, screenshot, lowContrastText } from './browser.mjs';

const { resolveBaseMap } = await import(join(root, 'web/src/lib/basemap.js'));

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
// a 1×1 PNG, the test's tile
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

let srv, browser, api, all;
before(async () => {
  srv = await startServer({ web: true });
  browser = await launch();
  api = new Client(srv.url);
  all = (await api.get('/api/v1/public/institutions?limit=500')).body.items;
});
after(async () => { await browser?.close(); await srv?.stop(); });

/** A page whose every request off 127.0.0.1 is refused and recorded (offsite), optionally with
 * a deployment's map-config.json and tiles served under /test-tiles/ (tiles: the URLs asked). */
async function mapPage(viewport, { config = null, expect = [] } = {}) {
  const p = await openPage(browser, { viewport, expect });
  p.offsite = [];
  p.tiles = [];
  await p.context.route((url) => url.hostname !== '127.0.0.1', (route) => { p.offsite.push(route.request().url()); return route.abort(); });
  if (config) await p.page.route('**/map-config.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
  await p.page.route('**/test-tiles/**', (route) => { p.tiles.push(route.request().url()); return route.fulfill({ contentType: 'image/png', body: TILE }); });
  return p;
}

async function openPortalMap(page) {
  await page.goto(srv.url + '/#/?view=map');
  await page.waitForSelector('[data-qa="portal-map"] .leaflet-overlay-pane path');
  await page.waitForFunction(() => Number(document.querySelector('[data-qa="portal-map"]').dataset.count) > 0);
}

/** Single markers and the institutions inside the groups on the map. */
async function markerCounts(page, scope) {
  const single = await page.locator(`${scope} .inst-marker`).count();
  const grouped = (await page.locator(`${scope} .map-cluster span`).allTextContents()).reduce((a, t) => a + Number(t), 0);
  return { single, grouped, clusters: await page.locator(`${scope} .map-cluster`).count() };
}

test('the 天地图 line and the other base-map settings resolve to tile layers (none by default)', () => {
  assert.deepEqual(resolveBaseMap({}).layers, [], 'offline by default');
  const tdt = resolveBaseMap({ tianditu_key: 'k3y' });
  assert.equal(tdt.crs, 'wgs84', '天地图 is CGCS2000 ≈ WGS-84: no shift');
  assert.equal(tdt.layers.length, 2, 'the map and its labels');
  assert.match(tdt.layers[0].url, /^https:\/\/t\{s\}\.tianditu\.gov\.cn\/vec_w\/wmts\?.*LAYER=vec.*TILEMATRIX=\{z\}&TILEROW=\{y\}&TILECOL=\{x\}&tk=k3y$/);
  assert.match(tdt.layers[1].url, /cva_w\/wmts\?.*LAYER=cva.*tk=k3y$/);
  assert.equal(tdt.layers[0].subdomains, '01234567');
  const amap = resolveBaseMap({ tile_url: 'https://tiles.example/{z}/{x}/{y}.png', tile_crs: 'gcj02', tianditu_key: 'ignored' });
  assert.equal(amap.crs, 'gcj02');
  assert.deepEqual(amap.layers.map((l) => l.url), ['https://tiles.example/{z}/{x}/{y}.png']);
});

test('no base map by default: the district outline, no tile requested', async () => {
  const { page, problems, offsite, tiles } = await mapPage(DESKTOP);
  await openPortalMap(page);
  assert.equal(await page.locator('[data-qa="portal-map"]').getAttribute('data-basemap'), 'none');
  assert.equal(await page.locator('[data-qa="portal-map"] img.leaflet-tile').count(), 0);
  assert.deepEqual(tiles, []);
  assert.deepEqual(offsite, []);
  assertNoProblems(problems, 'default map');
  await page.context().close();
});

for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`${name}: a configured base layer is drawn from its tile URL on the loopback`, async () => {
    const { page, problems, offsite, tiles } = await mapPage(viewport, { config: { tile_url: `${srv.url}/test-tiles/{z}/{x}/{y}.png`, tile_attribution: '测试底图' } });
    await openPortalMap(page);
    await page.waitForSelector('[data-qa="portal-map"] img.leaflet-tile-loaded');
    assert.equal(await page.locator('[data-qa="portal-map"]').getAttribute('data-basemap'), 'wgs84');
    assert.ok(tiles.length >= 2, `${tiles.length} tiles asked`);
    for (const t of tiles) {
      const m = /\/test-tiles\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(t);
      assert.ok(m && t.startsWith(srv.url), t);
      // the tiles of 瓯海区 (about 120.3–120.8° E, 27.8–28.1° N) at that zoom
      const z = Number(m[1]), x = Number(m[2]), y = Number(m[3]), n = 2 ** z;
      const lon = (x / n) * 360 - 180;
      const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
      assert.ok(lon > 119 && lon < 121.5 && lat > 27 && lat < 29.5, `tile ${z}/${x}/${y} at ${lon.toFixed(2)},${lat.toFixed(2)}`);
    }
    assert.match(await page.locator('[data-qa="portal-map"] .leaflet-control-attribution').textContent(), /测试底图/);
    assert.deepEqual(offsite, []);
    await screenshot(page, `map-basemap-${name}`);
    assertNoProblems(problems, 'base layer');
    await page.context().close();
  });
}

test('overlays are drawn in the base map\'s datum: WGS-84 tiles as stored, GCJ-02 tiles (高德/腾讯) shifted', async () => {
  const { wgs84ToGcj02 } = await import(join(root, 'web/src/lib/coords.js'));
  const inst = (await (await srv.login('inst-1')).get('/api/v1/institutions/1')).body;
  // where a point falls in the tile pyramid at zoom z (web mercator, 256-px tiles)
  const world = (lon, lat, z) => {
    const n = 256 * 2 ** z, r = (lat * Math.PI) / 180;
    return [((lon + 180) / 360) * n, ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n];
  };
  const placed = {};
  for (const crs of ['wgs84', 'gcj02']) {
    const { page, context, problems, offsite } = await mapPage(DESKTOP, { config: { tile_url: `${srv.url}/test-tiles/{z}/{x}/{y}.png`, tile_crs: crs } });
    await context.request.post(`${srv.url}/api/v1/session`, { data: { login: 'inst-1', password: srv.password } });
    await page.goto(`${srv.url}/console#/map`);
    await page.waitForFunction(() => document.querySelector('[data-qa="map"]')?.dataset.view === 'institution:1');
    await page.waitForTimeout(800);
    await page.waitForSelector('[data-qa="map"] img.leaflet-tile-loaded');
    // the marker's pixel position in the pyramid, read against a drawn tile
    const m = await page.locator('[data-qa="map"] .inst-1').boundingBox();
    const tile = page.locator('[data-qa="map"] img.leaflet-tile-loaded').first();
    const [, z, x, y] = /\/test-tiles\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(await tile.getAttribute('src')).map(Number);
    const t = await tile.boundingBox();
    const scale = t.width / 256; // fractional zooms draw tiles scaled
    placed[crs] = { z, px: x * 256 + (m.x + m.width / 2 - t.x) / scale, py: y * 256 + (m.y + m.height / 2 - t.y) / scale };
    assert.deepEqual(offsite, []);
    assertNoProblems(problems, `datum ${crs}`);
    await context.close();
  }
  for (const [crs, [lon, lat]] of [['wgs84', [inst.lon, inst.lat]], ['gcj02', wgs84ToGcj02(inst.lon, inst.lat)]]) {
    const [ex, ey] = world(lon, lat, placed[crs].z);
    assert.ok(Math.abs(placed[crs].px - ex) < 3 && Math.abs(placed[crs].py - ey) < 3,
      `${crs}: marker at ${placed[crs].px.toFixed(1)},${placed[crs].py.toFixed(1)}, expected ${ex.toFixed(1)},${ey.toFixed(1)} (zoom ${placed[crs].z})`);
  }
  const [wx] = world(inst.lon, inst.lat, placed.gcj02.z), [gx] = world(...wgs84ToGcj02(inst.lon, inst.lat), placed.gcj02.z);
  assert.ok(Math.abs(gx - wx) > 20, 'at this zoom the GCJ-02 shift is tens of pixels: the test can tell them apart');
});

test('phone: markers grouped in clusters that add up to every institution and open on a tap', async () => {
  const { page, problems } = await mapPage(PHONE);
  await openPortalMap(page);
  await page.waitForSelector('[data-qa="portal-map"] .map-cluster');
  const c = await markerCounts(page, '[data-qa="portal-map"]');
  assert.ok(c.clusters >= 3 && c.single < all.length / 2, `${c.clusters} clusters, ${c.single} single markers`);
  assert.equal(c.single + c.grouped, all.length, 'clusters and markers add up to every institution');
  const box = await page.locator('[data-qa="portal-map"] .map-cluster').first().boundingBox();
  assert.ok(box.width >= 44 && box.height >= 44, `cluster ${box.width}×${box.height} px: a touch target`);
  await screenshot(page, 'map-phone-clusters');
  // a tap on the biggest cluster zooms in and splits it
  const zoom0 = Number(await page.locator('[data-qa="portal-map"]').getAttribute('data-zoom'));
  const spans = page.locator('[data-qa="portal-map"] .map-cluster span');
  const counts = (await spans.allTextContents()).map(Number);
  await page.locator('[data-qa="portal-map"] .map-cluster').nth(counts.indexOf(Math.max(...counts))).click();
  await page.waitForFunction((z) => Number(document.querySelector('[data-qa="portal-map"]').dataset.zoom) > z, zoom0);
  await page.waitForTimeout(400);
  const after = await markerCounts(page, '[data-qa="portal-map"]');
  assert.ok(after.single > c.single, `more single markers after zooming in (${c.single} → ${after.single})`);
  assertNoProblems(problems, 'phone clusters');
  await page.context().close();
});

test('desktop: one marker per institution; its popup gives free places by class type and 查看详情', async () => {
  const { page, problems } = await mapPage(DESKTOP);
  await openPortalMap(page);
  await page.waitForSelector('[data-qa="portal-map"] .inst-marker');
  const c = await markerCounts(page, '[data-qa="portal-map"]');
  assert.deepEqual(c, { single: all.length, grouped: 0, clusters: 0 });
  // an institution with two class types, one with free places
  const inst = all.find((i) => i.class_types.length >= 2 && i.class_types.some((t) => i.vacancies[t] > 0));
  assert.ok(inst, 'a demo institution with two class types');
  const labels = (await api.get('/api/v1/public/labels')).body.class_types;
  // (a click at its centre could land on a neighbour drawn over it)
  await page.locator(`[data-qa="portal-map"] .inst-${inst.id}`).dispatchEvent('click');
  const popup = page.locator('.leaflet-popup .map-popup');
  await popup.waitFor();
  const text = await popup.textContent();
  assert.match(text, new RegExp(inst.name.replace(/[()（）]/g, '.')));
  for (const ct of inst.class_types) {
    const name = labels.find((l) => l.code === ct).name;
    const n = inst.vacancies[ct];
    assert.match(text, new RegExp(`${name}空位${n ? `${n} 个` : '暂无空位'}`), `${name}: ${n}`);
  }
  const link = popup.locator('[data-qa="popup-profile-link"]');
  assert.equal((await link.textContent()).trim(), '查看详情');
  assert.deepEqual(await lowContrastText(page), []);
  await screenshot(page, 'map-desktop-popup');
  await link.click();
  await page.waitForSelector('[data-qa="institution-page"]');
  assert.match(page.url(), new RegExp(`#/institutions/${inst.id}$`));
  assertNoProblems(problems, 'popup');
  await page.context().close();
});

for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`${name}: a point picked on the map is said in words, the nearest institutions listed nearest first`, async () => {
    const { page, problems, offsite } = await mapPage(viewport);
    await page.goto(srv.url + '/');
    await page.waitForSelector('[data-qa="institution-card"]');
    if (!(await page.locator('[data-qa="filters"]').isVisible())) await page.click('[data-qa="filters-toggle"]'); // folded on a phone
    await page.selectOption('[data-qa="filter-radius"]', '3');
    await page.click('[data-qa="pick-point"]');
    const map = page.locator('[data-qa="portal-map"]');
    await page.waitForSelector('[data-qa="portal-map"] .leaflet-overlay-pane path');
    await map.scrollIntoViewIfNeeded();
    const box = await map.boundingBox();
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.45);
    await page.waitForFunction(() => document.querySelector('[data-qa="near-point"]').dataset.lon);
    const lon = await page.locator('[data-qa="near-point"]').getAttribute('data-lon');
    const lat = await page.locator('[data-qa="near-point"]').getAttribute('data-lat');
    const place = (await api.get(`/api/v1/public/places/${lon},${lat}`)).body;
    assert.ok(place.community, 'the point is in the district, near a community');
    await page.waitForFunction(() => !/正在识别/.test(document.querySelector('[data-qa="near-point"]').textContent));
    const words = (await page.locator('[data-qa="near-point"]').textContent()).trim();
    assert.ok(words.includes(place.community.town_name), `"${words}" names the town ${place.community.town_name}`);
    const short = place.community.town_name.replace(/(街道|镇)$/, '');
    const community = place.community.name.startsWith(short) ? place.community.name.slice(short.length) : place.community.name;
    assert.ok(words.includes(community), `"${words}" names the community ${community}`);
    assert.doesNotMatch(words, /经度|纬度|\d+\.\d{3}/, 'no raw coordinates');

    // the nearest institutions, nearest first, as the API measures them
    const near = (await api.get(`/api/v1/public/institutions?limit=500&near=${lon},${lat}&radius_km=3`)).body.items
      .sort((a, b) => a.distance_km - b.distance_km || a.id - b.id).slice(0, 10);
    assert.ok(near.length > 0);
    if (await page.locator('[data-qa="view-map"]').getAttribute('aria-pressed') !== 'true') await page.click('[data-qa="view-map"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-qa="nearby-item"]').length === n, near.length);
    const shown = await page.locator('[data-qa="nearby-item"]').evaluateAll((els) => els.map((e) => [Number(e.dataset.id), Number(e.dataset.distance)]));
    assert.deepEqual(shown, near.map((i) => [i.id, i.distance_km]));
    assert.match(await page.locator('[data-qa="nearby-list"]').textContent(), new RegExp(place.community.town_name));
    assert.equal(await map.getAttribute('data-view'), 'point', 'the map shows the point and its circle');
    assert.deepEqual(offsite, []);
    await page.waitForTimeout(600); // the zoom animation ends
    await screenshot(page, `map-point-${name}`);
    assertNoProblems(problems, 'point in words');
    await page.context().close();
  });
}

test('a signed-in family\'s portal map opens on its child\'s 户籍镇街; an anonymous visitor sees the district', async () => {
  for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const { page, context, problems } = await mapPage(viewport);
    await openPortalMap(page);
    await page.waitForFunction(() => document.querySelector('[data-qa="portal-map"]').dataset.view === 'district');
    const r = await context.request.post(`${srv.url}/api/v1/session`, { data: { login: 'family', password: srv.password } });
    assert.equal(r.status(), 200);
    const kids = await (await context.request.get(`${srv.url}/api/v1/children`)).json();
    const town = kids.items.map((c) => c.hukou_town).find(Boolean);
    assert.ok(town, 'the demo family\'s child has a 户籍镇街');
    await page.evaluate(() => localStorage.setItem('tuoyu.family', '1')); // as the login page leaves it
    await page.reload();
    await page.waitForFunction((v) => document.querySelector('[data-qa="portal-map"]')?.dataset.view === v, `town:${town}`);
    await screenshot(page, `portal-map-family-${name}`);
    assertNoProblems(problems, `portal map family ${name}`);
    await context.close();
  }
});

test('console map opens on the user\'s own town or institution; the district admin sees the district', async () => {
  const zooms = {};
  for (const [login, view] of [['district-admin', 'district'], ['town-330304001', 'town:330304001'], ['inst-1', 'institution:1']]) {
    for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
      const { page, context, problems } = await mapPage(viewport);
      const r = await context.request.post(`${srv.url}/api/v1/session`, { data: { login, password: srv.password } });
      assert.equal(r.status(), 200, login);
      await page.goto(`${srv.url}/console#/map`);
      await page.waitForSelector('[data-qa="map"] .leaflet-overlay-pane path');
      await page.waitForFunction((v) => document.querySelector('[data-qa="map"]').dataset.view === v, view);
      await page.waitForTimeout(800); // the zoom animation ends
      zooms[`${login}-${name}`] = Number(await page.locator('[data-qa="map"]').getAttribute('data-zoom'));
      if (login === 'inst-1') {
        // its marker is in the middle of the map
        const mapBox = await page.locator('[data-qa="map"]').boundingBox();
        const m = await page.locator('[data-qa="map"] .inst-1').boundingBox();
        assert.ok(m, 'the own institution is drawn as a single marker');
        const cx = m.x + m.width / 2 - (mapBox.x + mapBox.width / 2), cy = m.y + m.height / 2 - (mapBox.y + mapBox.height / 2);
        assert.ok(Math.abs(cx) < 30 && Math.abs(cy) < 30, `marker off centre by ${cx},${cy}`);
      }
      await screenshot(page, `console-map-${login}-${name}`);
      assertNoProblems(problems, `console map ${login} ${name}`);
      await context.close();
    }
  }
  for (const name of ['phone', 'desktop']) {
    assert.ok(zooms[`town-330304001-${name}`] > zooms[`district-admin-${name}`], `${name}: town closer than district (${JSON.stringify(zooms)})`);
    assert.ok(zooms[`inst-1-${name}`] >= 15, `${name}: institution at street level`);
  }
});

test('dashboard: skeletons while the figures and ECharts load, the figures first, then the chart', async () => {
  for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const { page, context, problems } = await mapPage(viewport);
    await context.request.post(`${srv.url}/api/v1/session`, { data: { login: 'district-admin', password: srv.password } });
    let releaseData, releaseCharts;
    const dataHeld = new Promise((r) => { releaseData = r; });
    const chartsHeld = new Promise((r) => { releaseCharts = r; });
    await page.route('**/api/v1/dashboard', async (route) => { await dataHeld; return route.continue(); });
    await page.route(/\/assets\/echarts-[^/]*\.js$/, async (route) => { await chartsHeld; return route.continue(); });
    let compressed = null;
    page.on('response', async (res) => { if (/\/assets\/console-[^/]*\.js$/.test(res.url())) compressed = (await res.allHeaders())['content-encoding']; });
    await page.goto(`${srv.url}/console#/dashboard`);
    await page.locator('[data-qa="dashboard-skeleton"]').waitFor();
    assert.equal(await page.locator('[data-qa="kpi-institutions"]').count(), 0);
    releaseData();
    await page.locator('[data-qa="kpi-institutions"]').waitFor();
    assert.equal(await page.locator('[data-qa="dashboard-skeleton"]').count(), 0);
    // the figures and the table are there while the chart library is still on its way
    assert.ok(await page.locator('[data-qa="chart-skeleton"]').isVisible(), 'chart skeleton while ECharts loads');
    assert.ok(await page.locator('[data-qa="town-table"]').isVisible());
    assert.equal(await page.locator('[data-qa="dashboard-chart"] canvas').count(), 0);
    await screenshot(page, `dashboard-skeleton-${name}`);
    releaseCharts();
    await page.locator('[data-qa="dashboard-chart"] canvas').waitFor();
    await page.locator('[data-qa="chart-skeleton"]').waitFor({ state: 'detached' });
    assert.ok(['br', 'gzip'].includes(compressed), `the console bundle came compressed (${compressed})`);
    assertNoProblems(problems, `dashboard ${name}`);
    await context.close();
  }
});

test('console map: the 医育结合 network in the markers\' cards — the institution\'s health instructor, the station\'s acceptance', async () => {
  const admin = await srv.login('district-admin');
  const assigned = (await admin.get('/api/v1/instructor-assignments')).body.assignments[0];
  const station = (await admin.get('/api/v1/stations?limit=500')).body.items.find((s) => s.accepted_on);
  const { page, context, problems } = await mapPage(DESKTOP);
  const r = await context.request.post(`${srv.url}/api/v1/session`, { data: { login: 'district-admin', password: srv.password } });
  assert.equal(r.status(), 200);
  await page.goto(`${srv.url}/console#/map`);
  for (const [id, want] of [[assigned.institution_id, new RegExp(`健康指导员${assigned.user_name.replace(/[()（）]/g, '.')}`)],
    [station.id, new RegExp(`联合验收已验收（${station.accepted_on}）`)]]) {
    await page.locator(`[data-qa="map-list-item"][data-id="${id}"]`).click();
    await page.locator('.leaflet-popup .map-popup', { hasText: want }).waitFor(); // (the last card may still be closing)
  }
  assertNoProblems(problems, 'console map network');
  await context.close();
});
