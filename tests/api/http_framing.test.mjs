// http_framing.test.mjs — request smuggling over raw sockets: ambiguous body framing (two
// Content-Lengths, Content-Length with Transfer-Encoding, whitespace before a header's colon) is
// refused with 400 bad_framing and the connection closed, so bytes after it never run as a second
// request; an unknown transfer coding gets 501 at once. Also: every reply the server writes
// carries the security headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { exchange, parseResponses } from '../lib/rawhttp.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const SMUGGLED = 'GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n';
const SECURITY_HEADERS = ['x-content-type-options', 'content-security-policy', 'x-frame-options', 'referrer-policy'];

// Send a request with a second one hidden behind it; exactly one reply, `status` with `code`,
// and the server closes the connection (well before its idle timeout).
async function refused(request, status, code) {
  const r = await exchange(srv.url, request, { timeout: 3000 });
  const replies = parseResponses(r.text);
  assert.equal(replies.length, 1, `one reply, the smuggled request unanswered; got:\n${r.text}`);
  assert.equal(replies[0].status, status, r.text);
  assert.equal(JSON.parse(replies[0].body).error.code, code);
  assert.match(replies[0].headers.connection || '', /close/i);
  assert.ok(r.closed, 'the server closed the connection');
  for (const h of SECURITY_HEADERS) assert.ok(replies[0].headers[h], `${h} on the refusal`);
  return replies[0];
}

test('Content-Length with Transfer-Encoding: chunked is refused with 400 bad_framing and the connection closed', { timeout: 60000 }, async () => {
  const r = await refused('POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n' +
    'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' + SMUGGLED, 400, 'bad_framing');
  assert.equal(JSON.parse(r.body).error.field, 'Transfer-Encoding');
  // the other order of the two fields, and on a GET
  await refused('GET /healthz HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n' +
    SMUGGLED, 400, 'bad_framing');
});

test('two different Content-Lengths are refused, in either order; the leftover bytes never run', { timeout: 60000 }, async () => {
  const r = await refused('POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nContent-Length: 34\r\n\r\n' +
    SMUGGLED, 400, 'bad_framing');
  assert.equal(JSON.parse(r.body).error.field, 'Content-Length');
  await refused('POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Length: 34\r\nContent-Length: 0\r\n\r\n' +
    SMUGGLED, 400, 'bad_framing');
});

test('duplicate identical Content-Lengths are refused too (decided: no repair, see docs/decisions.md)', { timeout: 60000 }, async () => {
  await refused('POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}' +
    SMUGGLED, 400, 'bad_framing');
});

test('whitespace between a header name and its colon is refused (a proxy may read it as the real field)', { timeout: 60000 }, async () => {
  await refused('POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding : chunked\r\n\r\n' +
    '0\r\n\r\n' + SMUGGLED, 400, 'bad_framing');
});

test('two Transfer-Encoding fields, or Transfer-Encoding on HTTP/1.0, are refused', { timeout: 60000 }, async () => {
  await refused('POST /api/v1/session HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n' +
    '0\r\n\r\n' + SMUGGLED, 400, 'bad_framing');
  await refused('POST /api/v1/session HTTP/1.0\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' + SMUGGLED,
    400, 'bad_framing');
});

test('an unknown transfer coding gets 501 at once and the connection closes (it used to hang for the idle timeout)', { timeout: 60000 }, async () => {
  for (const coding of ['gzip', 'gzip, chunked', 'chunked, identity', 'xchunked']) {
    const r = await exchange(srv.url, `POST /api/v1/session HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: ${coding}\r\n\r\n` +
      SMUGGLED, { timeout: 3000 });
    const replies = parseResponses(r.text);
    assert.equal(replies.length, 1, `${coding}: one reply; got:\n${r.text}`);
    assert.equal(replies[0].status, 501, coding);
    assert.equal(JSON.parse(replies[0].body).error.code, 'unsupported_transfer_encoding');
    assert.ok(r.closed && r.ms < 2000, `${coding}: closed promptly (${Math.round(r.ms)} ms)`);
  }
});

test('well-framed requests still work: chunked and Content-Length bodies, then more requests on the connection', { timeout: 60000 }, async () => {
  const body = JSON.stringify({ login: 'district-admin', password: 'wrong-password-1' });
  const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  const r = await exchange(srv.url,
    `POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}` +
    `POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
    'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', { timeout: 3000 });
  const replies = parseResponses(r.text);
  assert.deepEqual(replies.map((x) => x.status), [401, 401, 200], r.text);
  assert.equal(JSON.parse(replies[0].body).error.code, JSON.parse(replies[1].body).error.code);
});

test('every reply the server writes carries the security headers', { timeout: 60000 }, async () => {
  const cases = [
    ['GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n', 200],
    ['GET /api/v1/nothing-here HTTP/1.1\r\nHost: t\r\n\r\n', 404],
    ['DELETE /healthz HTTP/1.1\r\nHost: t\r\n\r\n', 405],
    ['GET /api/v1/me HTTP/1.1\r\nHost: t\r\n\r\n', 401],
    ['POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n{x}', 400],
    ['POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\nExpect: 100-continue\r\n\r\n', 413],
    ['POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 400],
    ['POST /api/v1/session HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: br\r\n\r\n', 501],
  ];
  for (const [request, status] of cases) {
    const r = await exchange(srv.url, request + 'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', { timeout: 3000 });
    const [reply] = parseResponses(r.text);
    assert.ok(reply, `a reply to ${JSON.stringify(request)}`);
    assert.equal(reply.status, status, request);
    for (const h of SECURITY_HEADERS) assert.ok(reply.headers[h], `${h} on ${status} for ${JSON.stringify(request)}`);
    assert.equal(reply.headers['x-content-type-options'], 'nosniff');
    assert.equal(reply.headers['x-frame-options'], 'DENY');
    assert.equal(reply.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
  }
});
