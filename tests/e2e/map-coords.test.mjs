// map-coords.test.mjs — the map edge's coordinate conversion (web/src/lib/coords.js) and the
// boundary the web build draws: GCJ-02 offsets of the right size around Wenzhou, an inverse that
// round-trips to under a centimetre, no shift outside China, and the bundled 瓯海区 outline
// surrounding the district's institutions' area. Runs in node, no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { root } from '../lib/server.mjs';

const { wgs84ToGcj02, gcj02ToWgs84, outOfChina } = await import(join(root, 'web/src/lib/coords.js'));

const metres = (a, b) => {
  const k = Math.cos((a[1] * Math.PI) / 180) * 111320;
  return Math.hypot((a[0] - b[0]) * k, (a[1] - b[1]) * 110540);
};

test('WGS-84 → GCJ-02 shifts Wenzhou by a few hundred metres, north-east-ish', () => {
  const wgs = [120.6554, 27.9938]; // 瓯海区 area
  const gcj = wgs84ToGcj02(...wgs);
  const d = metres(wgs, gcj);
  assert.ok(d > 300 && d < 700, `offset ${d.toFixed(0)} m`);
  assert.ok(gcj[0] > wgs[0], 'east');
  assert.ok(gcj[1] < wgs[1], 'south (the GCJ-02 offset is southward at this latitude and longitude)');
});

test('GCJ-02 → WGS-84 inverts the forward transform to under 1 cm across the district', () => {
  for (let lon = 120.45; lon <= 120.75; lon += 0.05) {
    for (let lat = 27.82; lat <= 28.06; lat += 0.04) {
      const back = gcj02ToWgs84(...wgs84ToGcj02(lon, lat));
      assert.ok(metres([lon, lat], back) < 0.01, `${lon},${lat}`);
    }
  }
});

test('outside China nothing moves', () => {
  assert.ok(outOfChina(2.35, 48.85));
  assert.deepEqual(wgs84ToGcj02(2.35, 48.85), [2.35, 48.85]);
  assert.deepEqual(gcj02ToWgs84(7.42, 43.73), [7.42, 43.73]);
});

test('the built map chunk carries the 瓯海区 outline in WGS-84', { skip: !existsSync(join(root, 'web/dist/assets')) && 'web/dist not built' }, () => {
  const dir = join(root, 'web/dist/assets');
  const chunk = readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dir, f), 'utf8')).find((t) => /adcode"?:["`']330304/.test(t));
  assert.ok(chunk, 'boundary in a lazily loaded chunk');
  const m = /coordinates"?:(\[\[\[[^]*?\]\]\])/.exec(chunk);
  const ring = JSON.parse(m[1])[0];
  assert.ok(ring.length > 200, `${ring.length} vertices`);
  const lons = ring.map((p) => p[0]), lats = ring.map((p) => p[1]);
  // 瓯海区 spans about 120°20′–120°46′ E, 27°50′–28°06′ N
  assert.ok(Math.min(...lons) > 120.28 && Math.max(...lons) < 120.82, `lon ${Math.min(...lons)}–${Math.max(...lons)}`);
  assert.ok(Math.min(...lats) > 27.75 && Math.max(...lats) < 28.15, `lat ${Math.min(...lats)}–${Math.max(...lats)}`);
});

test('every demo institution lies inside the district outline the map draws', { skip: !existsSync(join(root, 'web/dist/assets')) && 'web/dist not built' }, async () => {
  const dir = join(root, 'web/dist/assets');
  const chunk = readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dir, f), 'utf8')).find((t) => /adcode"?:["`']330304/.test(t));
  const ring = JSON.parse(/coordinates"?:(\[\[\[[^]*?\]\]\])/.exec(chunk)[1])[0];
  const inside = ([x, y]) => {
    let c = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i], [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
    return c;
  };
  const { startServer } = await import('../lib/server.mjs');
  const srv = await startServer();
  const r = await fetch(`${srv.url}/api/v1/public/institutions?limit=500`);
  const items = (await r.json()).items;
  await srv.stop();
  assert.ok(items.length >= 100);
  const outside = items.filter((i) => !inside([i.lon, i.lat])).map((i) => i.name);
  assert.deepEqual(outside, [], 'institutions drawn outside 瓯海区');
});
