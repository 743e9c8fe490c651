// static_compression.test.mjs — the web app's files go out compressed: the build step
// (tools/precompress.mjs) writes .br and .gz siblings that decompress to the very bytes of the
// file, and the server (src/http/static.c) sends brotli or gzip as the request's Accept-Encoding
// allows, over raw HTTP so nothing in between decodes: Content-Encoding, Vary: Accept-Encoding,
// a Content-Length equal to the compressed body, a tag of its own per variant with 304s, the
// long-lived caching and security headers unchanged; no sibling for what the client refuses, and
// none older than its file. The web directory is built by the test from a generated script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startServer, root } from '../lib/server.mjs';
import { exchange } from '../lib/rawhttp.mjs';

let srv, web;
// a script of about 60 KB, as a bundle would be: repetitive enough to compress well
const SCRIPT = Array.from({ length: 1500 }, (_, i) => `export const 机构${i} = { id: ${i}, name: "托育机构${i % 97}" };`).join('\n') + '\n';

before(async () => {
  web = mkdtempSync(join(tmpdir(), 'tuoyu-web-'));
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), `<!doctype html><title>托育</title>${'<p>家长门户</p>'.repeat(200)}`);
  writeFileSync(join(web, 'assets', 'app-Ab12Cd.js'), SCRIPT);
  writeFileSync(join(web, 'assets', 'tiny-Ef34.js'), 'export default 1;\n');
  writeFileSync(join(web, 'map-config.json'), JSON.stringify({ tile_url: '', pad: 'x'.repeat(2000) }));
  execFileSync(process.execPath, [join(root, 'tools/precompress.mjs'), web], { stdio: 'pipe' });
  srv = await startServer({ extraArgs: ['--web', web] });
});
after(async () => {
  if (srv) await srv.stop();
  rmSync(web, { recursive: true, force: true });
});

/** One GET over raw HTTP: { status, headers, body (Buffer) }. */
async function get(path, headers = {}) {
  const lines = [`GET ${path} HTTP/1.1`, 'Host: t', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  const r = await exchange(srv.url, lines.join('\r\n') + '\r\n\r\n');
  const raw = Buffer.from(r.text, 'latin1');
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end).toString('latin1').split('\r\n');
  const h = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    h[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(head[0].split(' ')[1]), headers: h, body: raw.subarray(end + 4) };
}

function assertSecurityHeaders(r) {
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.ok(r.headers['content-security-policy'], 'CSP');
}

test('the build writes .br and .gz siblings that decompress to the file itself', () => {
  const file = readFileSync(join(web, 'assets', 'app-Ab12Cd.js'));
  const br = readFileSync(join(web, 'assets', 'app-Ab12Cd.js.br'));
  const gz = readFileSync(join(web, 'assets', 'app-Ab12Cd.js.gz'));
  assert.ok(br.length < file.length / 3 && gz.length < file.length / 3, `${file.length} → br ${br.length}, gz ${gz.length}`);
  assert.ok(brotliDecompressSync(br).equals(file), 'brotli round trip');
  assert.ok(gunzipSync(gz).equals(file), 'gzip round trip');
  assert.ok(!existsSync(join(web, 'assets', 'tiny-Ef34.js.br')), 'no sibling for a file under 1 KB');
  assert.ok(!existsSync(join(web, 'map-config.json.br')) && !existsSync(join(web, 'map-config.json.gz')), 'map-config.json is edited in place: never precompressed');
});

test('brotli when the browser takes it, gzip otherwise, identity when it takes neither', async () => {
  const file = readFileSync(join(web, 'assets', 'app-Ab12Cd.js'));
  const br = await get('/assets/app-Ab12Cd.js', { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers.vary, 'Accept-Encoding');
  assert.equal(Number(br.headers['content-length']), br.body.length);
  assert.ok(br.body.length < file.length / 3);
  assert.ok(brotliDecompressSync(br.body).equals(file), 'the brotli body is the file');
  assert.equal(br.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  assertSecurityHeaders(br);

  const gz = await get('/assets/app-Ab12Cd.js', { 'Accept-Encoding': 'gzip, deflate' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.vary, 'Accept-Encoding');
  assert.equal(Number(gz.headers['content-length']), gz.body.length);
  assert.ok(gunzipSync(gz.body).equals(file), 'the gzip body is the file');

  const refused = await get('/assets/app-Ab12Cd.js', { 'Accept-Encoding': 'br;q=0, gzip;q=0.8' });
  assert.equal(refused.headers['content-encoding'], 'gzip', 'br;q=0 refuses brotli');

  const plain = await get('/assets/app-Ab12Cd.js');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  assert.ok(plain.body.equals(file));
  assert.equal(Number(plain.headers['content-length']), file.length);

  const tags = new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]);
  assert.equal(tags.size, 3, 'each variant has its own ETag');
  const again = await get('/assets/app-Ab12Cd.js', { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.vary, 'Accept-Encoding');
});

test('pages compress too; a file without siblings does not claim to vary', async () => {
  const page = await get('/', { 'Accept-Encoding': 'gzip, br' });
  assert.equal(page.headers['content-encoding'], 'br');
  assert.equal(page.headers['cache-control'], 'no-cache');
  assert.match(brotliDecompressSync(page.body).toString('utf8'), /家长门户/);
  assertSecurityHeaders(page);
  const tiny = await get('/assets/tiny-Ef34.js', { 'Accept-Encoding': 'gzip, br' });
  assert.equal(tiny.headers['content-encoding'], undefined);
  assert.equal(tiny.headers.vary, undefined);
});

test('a sibling older than its file (a file replaced after the build) is not served', async () => {
  const path = join(web, 'map-config.json');
  writeFileSync(path + '.gz', 'stale');
  utimesSync(path + '.gz', new Date(2020, 0, 1), new Date(2020, 0, 1));
  const r = await get('/map-config.json', { 'Accept-Encoding': 'gzip' });
  assert.equal(r.headers['content-encoding'], undefined);
  assert.equal(JSON.parse(r.body.toString('utf8')).tile_url, '');
  rmSync(path + '.gz');
});

test('public JSON lists go out gzipped when taken; replies to a session never are', async () => {
  const plain = await get('/api/v1/public/institutions?limit=500');
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  const list = JSON.parse(plain.body.toString('utf8'));
  assert.ok(list.items.length >= 100);
  const gz = await get('/api/v1/public/institutions?limit=500', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.vary, 'Accept-Encoding');
  assert.equal(gz.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(Number(gz.headers['content-length']), gz.body.length);
  assert.ok(gz.body.length < plain.body.length / 4, `${plain.body.length} → ${gz.body.length}`);
  assert.deepEqual(JSON.parse(gunzipSync(gz.body).toString('utf8')), list);
  assertSecurityHeaders(gz);

  const admin = await srv.login('district-admin');
  const staff = await get('/api/v1/institutions?limit=500', { 'Accept-Encoding': 'gzip', Cookie: admin.cookie });
  assert.equal(staff.status, 200);
  assert.ok(staff.body.length > 1024);
  assert.equal(staff.headers['content-encoding'], undefined, 'a reply that may hold secrets is not compressed (BREACH)');
  assert.equal(staff.headers.vary, undefined);
});
