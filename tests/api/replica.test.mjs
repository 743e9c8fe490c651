// replica.test.mjs — reads on a PostgreSQL streaming replica (tuoyu serve --pg-read; src/db/replica.c,
// issue 20 item 5). The test makes its own primary and replica on loopback (tools/pg-replica.sh:
// initdb, pg_basebackup -R) and checks: reads go to the replica while it keeps up; a write goes to
// the primary and so do the writer's next reads until the replica has replayed it (the tuoyu_wrote
// cookie); a replica that falls behind by more than the allowed lag, or stops, is left for the
// primary, and taken again when it catches up or comes back; a staff read answered from the
// replica is audited on the primary. PostgreSQL only (TUOYU_DB_KIND=pg).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DB_KIND, PASSWORD, Client, root, startServer, tuoyu } from '../lib/server.mjs';

const skip = DB_KIND === 'pg' ? false : 'PostgreSQL only: run with TUOYU_DB_KIND=pg';
const MAX_LAG_MS = 1500;
const pair = join(tmpdir(), `tuoyu-replica-${process.pid}`);
const keyDir = mkdtempSync(join(tmpdir(), 'tuoyu-replica-key-'));
const script = join(root, 'tools/pg-replica.sh');
let primary, replica, srv, admin, op, anon, institutionId;

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const sql = (conninfo, q) => execFileSync('psql', ['-X', '-qAt', '-v', 'ON_ERROR_STOP=1', conninfo, '-c', q], { encoding: 'utf8' }).trim();
const metrics = async () => {
  const text = await (await fetch(`${srv.url}/metrics`)).text();
  const n = (re) => Number(text.match(re)[1]);
  return {
    usable: n(/^tuoyu_db_replica_usable (\d+)/m),
    reads: n(/^tuoyu_db_replica_reads_total (\d+)/m),
    down: n(/^tuoyu_db_replica_misses_total\{reason="down"\} (\d+)/m),
    behind: n(/^tuoyu_db_replica_misses_total\{reason="behind"\} (\d+)/m),
    ownWrite: n(/^tuoyu_db_replica_misses_total\{reason="own_write"\} (\d+)/m),
  };
};
const waitFor = async (what, cond, ms = 15000) => {
  const until = Date.now() + ms;
  for (;;) {
    const m = await metrics();
    if (cond(m)) return m;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(m)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const publicPhone = async () => {
  const r = await anon.get(`/api/v1/public/institutions/${institutionId}`);
  assert.equal(r.status, 200, r.text);
  return r.body.phone;
};

before(async () => {
  if (skip) return;
  const [pport, rport] = [await freePort(), await freePort()];
  [primary, replica] = execFileSync('sh', [script, 'start', pair, String(pport), String(rport)], { encoding: 'utf8' }).trim().split('\n');
  const key = join(keyDir, 'tuoyu.key');
  const demo = tuoyu(['demo', '--pg', primary, '--key', key, '--password', PASSWORD]);
  assert.equal(demo.status, 0, demo.stderr);
  srv = await startServer({
    database: { args: ['--pg', primary, '--key', key], kind: 'pg', conninfo: primary, cleanup() {} },
    extraArgs: ['--pg-read', replica, '--pg-read-max-lag-ms', String(MAX_LAG_MS)],
  });
  admin = await srv.login('district-admin');
  institutionId = Number(sql(primary, 'SELECT min(institution_id) FROM child'));
  op = await srv.login(`inst-${institutionId}`);
  anon = new Client(srv.url);
  await waitFor('the replica to be usable', (m) => m.usable === 1);
});

after(async () => {
  rmSync(keyDir, { recursive: true, force: true });
  if (skip) return;
  await srv?.stop();
  execFileSync('sh', [script, 'stop', pair]);
});

test('--pg-read goes with --pg', () => {
  const r = tuoyu(['serve', '--db', join(keyDir, 'x.db'), '--pg-read', 'host=127.0.0.1 dbname=x']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--pg-read goes with --pg/);
});

test('reads go to the replica; a write and its writer\'s next reads to the primary; a replica behind is left until it catches up', { skip }, async () => {
  const start = await metrics();
  const old = await publicPhone();
  assert.equal((await metrics()).reads, start.reads + 1, 'an anonymous read is answered from the replica');

  // the replica stops replaying: what the primary writes from now on is not on it
  sql(replica, 'SELECT pg_wal_replay_pause()');
  assert.equal(sql(replica, 'SELECT pg_get_wal_replay_pause_state()'), 'paused');
  const written = await admin.put(`/api/v1/institutions/${institutionId}`, { phone: '0577-86660001' });
  assert.equal(written.status, 200, written.text);
  assert.ok(admin.wrote, 'the write names where the primary stood after it (tuoyu_wrote)');
  const seenByWriter = await admin.get(`/api/v1/institutions/${institutionId}`);
  assert.equal(seenByWriter.body.phone, '0577-86660001', 'the writer reads its own write');
  const afterOwn = await metrics();
  assert.equal(afterOwn.ownWrite, start.ownWrite + 1, 'from the primary: the replica has not replayed it');
  // within the allowed lag everyone else reads the replica, which has not got there yet
  assert.equal(await publicPhone(), old);

  // past the allowed lag the replica is left: every read goes to the primary
  await waitFor('the replica to be found behind', (m) => m.usable === 0);
  assert.equal(await publicPhone(), '0577-86660001');
  assert.ok((await metrics()).behind > start.behind);

  // replaying again, it is taken again once it has caught up
  sql(replica, 'SELECT pg_wal_replay_resume()');
  const back = await waitFor('the replica to catch up', (m) => m.usable === 1);
  assert.equal(await publicPhone(), '0577-86660001');
  assert.equal((await metrics()).reads, back.reads + 1);
  // and the writer's mark is passed: its reads go to the replica too
  assert.equal((await admin.get(`/api/v1/institutions/${institutionId}`)).body.phone, '0577-86660001');
  assert.equal((await metrics()).reads, back.reads + 2);
});

test('a staff read answered from the replica is audited on the primary', { skip }, async () => {
  const audited = () => Number(sql(primary, "SELECT count(*) FROM audit_log WHERE action = 'child.list'"));
  const before = audited();
  const m0 = await metrics();
  const r = await op.get('/api/v1/children?limit=50');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.items.length > 0);
  assert.equal((await metrics()).reads, m0.reads + 1, 'read on the replica');
  assert.equal(audited(), before + 1, 'its audit row is on the primary');
});

test('a replica that stops is left for the primary, and taken again when it is back', { skip }, async () => {
  execFileSync('sh', [script, 'stop-replica', pair]);
  const gone = await waitFor('the replica to be found down', (m) => m.usable === 0);
  for (let i = 0; i < 5; i++) {
    assert.equal((await anon.get(`/api/v1/public/institutions?limit=5&n=${i}`)).status, 200);
    assert.equal((await admin.get(`/api/v1/institutions/${institutionId}`)).status, 200);
  }
  const m = await metrics();
  assert.equal(m.reads, gone.reads, 'nothing read on a replica that is not there');
  assert.ok(m.down >= gone.down + 10);
  // the primary still takes writes
  assert.equal((await admin.put(`/api/v1/institutions/${institutionId}`, { phone: '0577-86660002' })).status, 200);

  execFileSync('sh', [script, 'start-replica', pair]);
  const back = await waitFor('the replica to be back', (x) => x.usable === 1);
  assert.equal(await publicPhone(), '0577-86660002', 'caught up with the write made while it was away');
  assert.equal((await metrics()).reads, back.reads + 1, 'read on the replica again (a new connection)');
});
