// transport.test.mjs — HTTPS served directly (a self-signed certificate made for the test) with
// HSTS and a Secure session cookie; behind a proxy named by --trusted-proxy, X-Forwarded-Proto and
// X-Forwarded-For believed from that proxy only; /metrics for loopback clients or a bearer token.
// Loopback has many addresses (127.0.0.0/8): a client binding 127.0.0.2 plays the proxy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, PASSWORD } from '../lib/server.mjs';

// One request with node:http(s) (fetch cannot bind a local address or trust one certificate).
function request(url, { method = 'GET', path = '/healthz', headers = {}, body, localAddress, ca } = {}) {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request({
      host: u.hostname, port: u.port, method, path, localAddress, ca, servername: 'localhost',
      headers: body ? { 'content-type': 'application/json', ...headers } : headers, agent: false,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const login = (url, opts = {}) =>
  request(url, { method: 'POST', path: '/api/v1/session', body: { login: 'district-admin', password: PASSWORD }, ...opts });

const cookieOf = (r) => [].concat(r.headers['set-cookie'] || []).find((c) => c.startsWith('tuoyu_session=')) || '';

// The request log, once it has a line matching re (a line is written when its reply is done).
async function logWith(srv, re) {
  for (let i = 0; i < 40 && !re.test(srv.log()); i++) await new Promise((r) => setTimeout(r, 50));
  return srv.log();
}

async function withServer(extraArgs, fn) {
  const srv = await startServer({ extraArgs });
  try { await fn(srv); } finally { await srv.stop(); }
}

test('TLS: --tls-cert/--tls-key serve HTTPS with HSTS, and login sets a Secure cookie', { timeout: 60000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuoyu-tls-'));
  try {
    const cert = join(dir, 'cert.pem'), key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert],
    { stdio: 'ignore' });
    await withServer(['--tls-cert', cert, '--tls-key', key], async (srv) => {
      assert.match(srv.url, /^https:\/\//);
      const ca = readFileSync(cert);
      const h = await request(srv.url, { ca });
      assert.equal(h.status, 200);
      assert.equal(h.headers['strict-transport-security'], 'max-age=31536000');
      const r = await login(srv.url, { ca });
      assert.equal(r.status, 200, r.text);
      assert.match(cookieOf(r), /; Secure/);
      assert.match(cookieOf(r), /HttpOnly/);
      // a wrong certificate is refused by the client, as it should be
      await assert.rejects(request(srv.url, {}));
      // and the port speaks no plain HTTP
      await assert.rejects(request(srv.url.replace('https:', 'http:')));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('plain HTTP without a trusted proxy: no Secure, no HSTS, X-Forwarded-* ignored', { timeout: 60000 }, async () => {
  await withServer([], async (srv) => {
    const r = await login(srv.url, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' } });
    assert.equal(r.status, 200, r.text);
    assert.doesNotMatch(cookieOf(r), /Secure/);
    assert.equal(r.headers['strict-transport-security'], undefined);
    const log = await logWith(srv, /"route":"\/api\/v1\/session"/);
    assert.match(log, /"route":"\/api\/v1\/session"[^\n]*"addr":"127\.0\.0\.1"/);
    assert.doesNotMatch(log, /"addr":"198\.51\.100\.7"/);
  });
});

test('X-Forwarded-Proto and X-Forwarded-For are believed from a trusted proxy only', { timeout: 60000 }, async () => {
  await withServer(['--trusted-proxy', '10.9.9.9, 127.0.0.2'], async (srv) => {
    const fwd = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' };
    // from 127.0.0.1, which is not a trusted proxy: ignored
    const direct = await login(srv.url, { headers: fwd, localAddress: '127.0.0.1' });
    assert.equal(direct.status, 200, direct.text);
    assert.doesNotMatch(cookieOf(direct), /Secure/);
    assert.equal(direct.headers['strict-transport-security'], undefined);
    // from the proxy: HTTPS as far as the browser is concerned, the client is the forwarded one
    const proxied = await login(srv.url, { headers: fwd, localAddress: '127.0.0.2' });
    assert.equal(proxied.status, 200, proxied.text);
    assert.match(cookieOf(proxied), /; Secure/);
    assert.equal(proxied.headers['strict-transport-security'], 'max-age=31536000');
    // the proxy's plain-HTTP requests stay plain
    const plain = await request(srv.url, { headers: { 'x-forwarded-proto': 'http' }, localAddress: '127.0.0.2' });
    assert.equal(plain.headers['strict-transport-security'], undefined);
    // a chain: the right-most address that is not a trusted proxy is the client; what the client
    // itself wrote further left is not believed
    await request(srv.url, { path: '/healthz?chain', headers: { 'x-forwarded-for': '203.0.113.66, 192.0.2.5, 10.9.9.9' }, localAddress: '127.0.0.2' });
    // garbage from the proxy leaves the proxy's own address
    await request(srv.url, { path: '/healthz?garbage', headers: { 'x-forwarded-for': 'not-an-address' }, localAddress: '127.0.0.2' });
    const lines = (await logWith(srv, /("path":"\/healthz".*){3}/s)).split('\n');
    const addrs = (path) => lines.filter((l) => l.includes(`"path":"${path}"`)).map((l) => /"addr":"([^"]*)"/.exec(l)[1]);
    assert.deepEqual(addrs('/api/v1/session'), ['127.0.0.1', '198.51.100.7']);
    // the three requests may be logged in any order (a line is written as its reply completes on
    // one of the workers): the proxy's own address twice (plain, garbage), the chain's client once
    assert.deepEqual(addrs('/healthz').sort(), ['127.0.0.2', '127.0.0.2', '192.0.2.5']);
  });
});

test('/metrics answers loopback clients and bearer-token holders only', { timeout: 60000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuoyu-token-'));
  try {
    const token = 'metrics-token-0123456789abcdef';
    const file = join(dir, 'token');
    writeFileSync(file, token + '\n', { mode: 0o600 });
    await withServer(['--trusted-proxy', '127.0.0.2', '--metrics-token-file', file], async (srv) => {
      // on this machine
      const local = await request(srv.url, { path: '/metrics' });
      assert.equal(local.status, 200);
      assert.match(local.text, /tuoyu_http_connections /);
      // through the proxy for a client elsewhere
      const away = { 'x-forwarded-for': '198.51.100.7' };
      const denied = await request(srv.url, { path: '/metrics', headers: away, localAddress: '127.0.0.2' });
      assert.equal(denied.status, 403);
      assert.equal(JSON.parse(denied.text).error.code, 'metrics_forbidden');
      assert.doesNotMatch(denied.text, /tuoyu_http/);
      const wrong = await request(srv.url, { path: '/metrics', headers: { ...away, authorization: `Bearer ${token}x` }, localAddress: '127.0.0.2' });
      assert.equal(wrong.status, 403);
      const right = await request(srv.url, { path: '/metrics', headers: { ...away, authorization: `Bearer ${token}` }, localAddress: '127.0.0.2' });
      assert.equal(right.status, 200);
      assert.match(right.text, /tuoyu_http_requests_total/);
    });
    // without a token, only loopback
    await withServer(['--trusted-proxy', '127.0.0.2'], async (srv) => {
      const r = await request(srv.url, { path: '/metrics', headers: { 'x-forwarded-for': '198.51.100.7', authorization: `Bearer ${token}` }, localAddress: '127.0.0.2' });
      assert.equal(r.status, 403);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
