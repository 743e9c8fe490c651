// sms_gateway_tls.test.mjs — the SMS gateway over HTTPS through the platform's outbound client
// (src/base/http_client.c), on SQLite and PostgreSQL: a fake gateway on 127.0.0.1 with a
// certificate from a CA made in the test. A server trusting another CA refuses the gateway and
// marks nothing sent; one started with --ca-file naming the gateway's CA delivers the same code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, freshDatabase, Client, tuoyu } from '../lib/server.mjs';
import { loopbackCertificate } from '../lib/tls.mjs';

const NOW = '2026-06-01T02:00:00Z';

function sql(db, text) {
  const out = db.kind === 'pg'
    ? execFileSync('psql', ['-X', '-tA', '-d', db.conninfo, '-c', text], { encoding: 'utf8' })
    : execFileSync('sqlite3', [db.db, text], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('an HTTPS gateway: refused under a wrong CA (nothing marked sent), delivered with --ca-file', async () => {
  const own = freshDatabase();
  const good = loopbackCertificate(own.dir, 'good');
  const wrong = loopbackCertificate(own.dir, 'wrong');
  const received = [];
  const gateway = createServer({ key: good.key, cert: good.cert }, (req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise((r) => gateway.listen(0, '127.0.0.1', r));
  const cred = join(own.dir, 'sms-credentials');
  writeFileSync(cred, 'Bearer tls-secret-4410\n', { mode: 0o600 });
  let s;
  try {
    const set = tuoyu(['sms-gateway', ...own.args, '--url', `https://127.0.0.1:${gateway.address().port}/send`, '--credentials-file', cred]);
    assert.equal(set.status, 0, set.stderr);

    // trusting the wrong CA: the TLS check fails, the code stays queued
    s = await startServer({ database: own, now: NOW, extraArgs: ['--ca-file', wrong.caFile] });
    const mobile = '13700004410';
    assert.equal((await new Client(s.url).post('/api/v1/sms-codes', { mobile, purpose: 'signup' })).status, 202);
    for (let i = 0; i < 100 && !/SMS: .*TLS/.test(s.log()); i++) await sleep(100);
    assert.match(s.log(), /SMS: .*TLS/);
    assert.equal(received.length, 0);
    assert.deepEqual(sql(own, 'SELECT COUNT(*) FROM sms_queue WHERE sent_at IS NULL'), ['1']);
    await s.stop({ keepDatabase: true });
    s = null;

    // a --ca-file that cannot be read is refused at start
    const noCa = tuoyu(['serve', ...own.args, '--listen', '127.0.0.1:0', '--ca-file', join(own.dir, 'missing.pem')]);
    assert.equal(noCa.status, 2, noCa.stderr);
    assert.match(noCa.stderr, /--ca-file/);

    // trusting the gateway's CA: the queued code is delivered
    s = await startServer({ database: own, now: NOW, extraArgs: ['--ca-file', good.caFile] });
    for (let i = 0; i < 100 && !received.length; i++) await sleep(100);
    assert.equal(received.length, 1, s.log());
    assert.equal(received[0].auth, 'Bearer tls-secret-4410');
    assert.equal(received[0].body.mobile, mobile);
    const code = /验证码为 (\d{6})/.exec(received[0].body.text)[1];
    const r = await new Client(s.url).post('/api/v1/signup', { mobile, code, name: '加密网关', privacy_version: 1 });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(sql(own, 'SELECT COUNT(*) FROM sms_queue WHERE sent_at IS NULL'), ['0']);
  } finally {
    await s?.stop({ keepDatabase: true });
    gateway.close();
    own.cleanup();
  }
});
