// backup.test.mjs — keys, backups and file modes (issue 10, items 5 and 7): a backup carries its
// key and a restore checks integrity and key before anything is replaced; a database refuses a
// key it was not sealed under (exit 2, a message in Chinese and English) and never gets a fresh
// key once it holds sealed data; the PostgreSQL round trip through pg_dump/pg_restore; database,
// WAL, SHM, key and backup files are 0600, and a readable database is warned about at start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { writeFileSync, readFileSync, existsSync, statSync, readdirSync, mkdirSync, chmodSync, openSync, writeSync, closeSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tuoyu, freshDatabase, startServer, DB_KIND, root } from '../lib/server.mjs';

process.umask(0o022); // the usual umask: the modes below must not depend on it

const mode = (p) => statSync(p).mode & 0o777;
const sha = (p) => createHash('sha256').update(readFileSync(p)).digest('hex');
const serveArgs = ['--listen', '127.0.0.1:0', '--quiet'];

// a well-formed key file that belongs to no database
function strayKey(dir, name = 'stray.key') {
  const p = join(dir, name);
  writeFileSync(p, `tuoyu-key v1\n${randomBytes(64).toString('hex')}\n`, { mode: 0o600 });
  return p;
}

function idFor(birth, seq) {
  const body = `330304${birth.replaceAll('-', '')}${seq}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...body].reduce((a, ch, i) => a + Number(ch) * w[i], 0);
  return body + '10X98765432'[s % 11];
}
const CHILD = { name: '陈小雨', birth_date: '2025-03-15', sex: 2, id_number: idFor('2025-03-15', '024') };

// registers CHILD at an institution; returns what the restored server is asked about
async function registerChild(database) {
  const srv = await startServer({ database });
  try {
    const admin = await srv.login('district-admin');
    const inst = (await admin.get('/api/v1/institutions?town=330304005&limit=1')).body.items[0].id;
    const op = await srv.login(`inst-${inst}`);
    const r = await op.post('/api/v1/children', CHILD);
    assert.equal(r.status, 201, r.text);
    return { inst, childId: r.body.id };
  } finally {
    await srv.stop({ keepDatabase: true });
  }
}

async function expectChildReadable(database, { inst, childId }) {
  const srv = await startServer({ database });
  try {
    const op = await srv.login(`inst-${inst}`);
    const r = await op.get(`/api/v1/children/${childId}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.name, CHILD.name, 'the sealed name opens with the restored key');
    const dup = await op.post('/api/v1/children', CHILD);
    assert.equal(dup.status, 409, 'the lookup hash still finds the ID number: no second registration');
    assert.equal(dup.body.error.code, 'child_exists');
  } finally {
    await srv.stop({ keepDatabase: true });
  }
}

function assertKeyRefused(r, what) {
  assert.equal(r.status, 2, `${what}: exit 2, got ${r.status}: ${r.stderr}`);
  assert.match(r.stderr, /密钥/, `${what}: Chinese message`);
  assert.match(r.stderr, /key/, `${what}: English message`);
}

test('backup writes the key beside the copy; restore checks it; the restored server reads the name and refuses the ID number twice (SQLite)', { skip: DB_KIND !== 'sqlite' }, async () => {
  const db = freshDatabase();
  try {
    const child = await registerChild(db);
    const copy = join(db.dir, 'copy.db');
    let r = tuoyu(['backup', '--to', copy, ...db.args]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(copy) && existsSync(copy + '.key'), 'the key travels with the copy');
    assert.equal(mode(copy), 0o600);
    assert.equal(mode(copy + '.key'), 0o600);
    assert.equal(readFileSync(copy + '.key', 'utf8'), readFileSync(db.db + '.key', 'utf8'));

    mkdirSync(join(db.dir, 'restored'));
    const target = join(db.dir, 'restored', 'tuoyu.db');
    r = tuoyu(['restore', '--from', copy, '--db', target]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(mode(target), 0o600);
    assert.equal(mode(target + '.key'), 0o600);
    await expectChildReadable({ ...db, args: ['--db', target] }, child);
  } finally {
    db.cleanup();
  }
});

test('a database refuses another key or a missing one: exit 2, a clear message, and no fresh key', async () => {
  const db = freshDatabase();
  try {
    const wrong = strayKey(db.dir);
    const missing = join(db.dir, 'missing.key');
    for (const [key, pattern] of [[wrong, /与数据库不符.*does not match/], [missing, /不存在.*no new key is created/]]) {
      const r = tuoyu(['serve', ...db.args, '--key', key, ...serveArgs], { timeout: 15000 });
      assertKeyRefused(r, `serve --key ${key}`);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    }
    assert.ok(!existsSync(missing), 'no new key was created for a database that holds sealed data');
    // every command that reads or writes personal data refuses the same way
    const csv = join(db.dir, 'i.csv');
    writeFileSync(csv, 'name,uscc,town_code,address,lon,lat,operating_model,ownership,premises_tenure\n');
    for (const args of [['demo', '--password', 'Other-pass-2026'], ['user', 'add', 'zhang', '--role', 'auditor', '--name', '张三', '--password', 'Zhang-pass-2026'],
      ['import', 'institutions', csv], ['migrate']]) {
      assertKeyRefused(tuoyu([...args, ...db.args, '--key', wrong]), args[0]);
      assertKeyRefused(tuoyu([...args, ...db.args, '--key', missing]), args[0]);
    }
    assert.ok(!existsSync(missing));
    // the right key still works
    const srv = await startServer({ database: db });
    await srv.stop({ keepDatabase: true });
  } finally {
    db.cleanup();
  }
});

test('backup refuses to leave the key behind unless --no-key, and says so', async () => {
  const db = freshDatabase();
  try {
    const copy = join(db.dir, DB_KIND === 'pg' ? 'copy.dump' : 'copy.db');
    const missing = join(db.dir, 'missing.key');
    let r = tuoyu(['backup', '--to', copy, ...db.args, '--key', missing]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--no-key/);
    assert.ok(!existsSync(copy), 'no copy without its key');
    assert.ok(!existsSync(missing), 'no key was invented');
    r = tuoyu(['backup', '--to', copy, ...db.args, '--key', missing, '--no-key']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /WITHOUT its key/);
    assert.match(r.stderr, /不含密钥/);
    assert.ok(existsSync(copy) && !existsSync(copy + '.key'));
    assert.equal(mode(copy), 0o600);
    // a wrong key is not copied beside a backup either
    r = tuoyu(['backup', '--to', copy + '2', ...db.args, '--key', strayKey(db.dir)]);
    assertKeyRefused(r, 'backup with a wrong key');
    assert.ok(!existsSync(copy + '2') && !existsSync(copy + '2.key'));
  } finally {
    db.cleanup();
  }
});

test('restore refuses a wrong key, a damaged copy or a database in use, and replaces nothing (SQLite)', { skip: DB_KIND !== 'sqlite' }, async () => {
  const db = freshDatabase();
  try {
    const child = await registerChild(db);
    const copy = join(db.dir, 'copy.db');
    assert.equal(tuoyu(['backup', '--to', copy, ...db.args]).status, 0);
    // change the live database after the backup, so a replacement would show
    assert.equal(tuoyu(['user', 'add', 'after-backup', '--role', 'auditor', '--name', '李四', '--password', 'After-pass-2026', ...db.args]).status, 0);
    const before = sha(db.db), keyBefore = sha(db.db + '.key'), files = readdirSync(db.dir).sort();
    const unchanged = (what) => {
      assert.equal(sha(db.db), before, `${what}: database untouched`);
      assert.equal(sha(db.db + '.key'), keyBefore, `${what}: key untouched`);
      assert.deepEqual(readdirSync(db.dir).sort(), files, `${what}: nothing added or left behind`);
    };

    const wrong = strayKey(db.dir, 'wrong.key');
    files.push('wrong.key');
    files.sort();
    let r = tuoyu(['restore', '--from', copy, '--from-key', wrong, '--db', db.db, '--replace']);
    assertKeyRefused(r, 'restore with a wrong key');
    assert.match(r.stderr, /does not match/);
    unchanged('wrong key');
    const elsewhere = join(db.dir, 'new.db');
    r = tuoyu(['restore', '--from', copy, '--from-key', wrong, '--db', elsewhere]);
    assertKeyRefused(r, 'restore with a wrong key to a new place');
    unchanged('wrong key, new place');

    const damaged = join(db.dir, 'damaged.db');
    const bytes = readFileSync(copy);
    randomBytes(8192).copy(bytes, 40960); // pages in the middle of the file
    writeFileSync(damaged, bytes, { mode: 0o600 });
    writeFileSync(damaged + '.key', readFileSync(copy + '.key'), { mode: 0o600 });
    files.push('damaged.db', 'damaged.db.key');
    files.sort();
    r = tuoyu(['restore', '--from', damaged, '--db', db.db, '--replace']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /完整性|integrity|malformed/);
    unchanged('damaged copy');

    r = tuoyu(['restore', '--from', copy, '--db', db.db]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--replace/);
    unchanged('existing database without --replace');

    const srv = await startServer({ database: db });
    try {
      r = tuoyu(['restore', '--from', copy, '--db', db.db, '--replace']);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /stop the server/);
    } finally {
      await srv.stop({ keepDatabase: true });
    }
    unchanged('database in use');

    r = tuoyu(['restore', '--from', copy, '--db', db.db, '--replace']);
    assert.equal(r.status, 0, r.stderr);
    const kept = readdirSync(db.dir).filter((f) => /^tuoyu\.db\.replaced-/.test(f));
    assert.equal(kept.length, 1, 'the replaced database is kept aside');
    assert.equal(sha(join(db.dir, kept[0])), before);
    assert.notEqual(sha(db.db), before, 'the copy is in place');
    await expectChildReadable(db, child);
    const srv2 = await startServer({ database: db });
    try {
      const res = await srv2.client().post('/api/v1/session', { login: 'after-backup', password: 'After-pass-2026' });
      assert.equal(res.status, 401, 'the account made after the backup is gone: the copy was restored');
    } finally {
      await srv2.stop({ keepDatabase: true });
    }
  } finally {
    db.cleanup();
  }
});

function pgDatabase(suffix) {
  const name = `tuoyu_t${process.pid}_${suffix}`;
  const conninfo = execFileSync('sh', [join(root, 'tools/pg-test.sh'), '--create', name], { encoding: 'utf8' }).trim().split('\n').pop();
  return { name, conninfo, drop: () => execFileSync('sh', [join(root, 'tools/pg-test.sh'), '--drop', name]) };
}
const relations = (conninfo) => Number(execFileSync('psql', ['-X', '-tA', '-d', conninfo, '-c',
  "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"], { encoding: 'utf8' }).trim());

test('PostgreSQL: backup through pg_dump with the key, restore through pg_restore into an empty database, checked', { skip: DB_KIND !== 'pg' }, async () => {
  const db = freshDatabase();
  const target = pgDatabase('restore'), other = pgDatabase('wrongkey');
  try {
    const child = await registerChild(db);
    const dump = join(db.dir, 'tuoyu.dump');
    let r = tuoyu(['backup', '--to', dump, ...db.args]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(dump).subarray(0, 5).toString(), 'PGDMP', 'pg_dump custom format');
    assert.equal(mode(dump), 0o600);
    assert.equal(mode(dump + '.key'), 0o600);
    assert.ok(!r.stderr.includes('password=tuoyu'), 'the password is not echoed');

    // a wrong key is refused from the archive's check value, before the database is touched
    r = tuoyu(['restore', '--from', dump, '--from-key', strayKey(db.dir), '--pg', other.conninfo, '--key', join(db.dir, 'other.key')]);
    assertKeyRefused(r, 'restore --pg with a wrong key');
    assert.equal(relations(other.conninfo), 0, 'nothing restored');
    assert.ok(!existsSync(join(db.dir, 'other.key')));

    const key = join(db.dir, 'restored.key');
    r = tuoyu(['restore', '--from', dump, '--pg', target.conninfo, '--key', key]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(mode(key), 0o600);
    assert.ok(relations(target.conninfo) > 10);
    r = tuoyu(['restore', '--from', dump, '--pg', target.conninfo, '--key', key]);
    assert.equal(r.status, 2, 'a database that is not empty is refused');
    assert.match(r.stderr, /not empty/);

    const restored = { args: ['--pg', target.conninfo, '--key', key], cleanup() {} };
    await expectChildReadable(restored, child);
    r = tuoyu(['serve', '--pg', target.conninfo, '--key', join(db.dir, 'missing.key'), ...serveArgs], { timeout: 15000 });
    assertKeyRefused(r, 'serve on the restored database without its key');
  } finally {
    target.drop();
    other.drop();
    db.cleanup();
  }
});

test('database, WAL, SHM and key files are 0600; a readable database is warned about at start (SQLite)', { skip: DB_KIND !== 'sqlite' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuoyu-modes-'));
  try {
    const path = join(dir, 'modes.db');
    const r = tuoyu(['demo', '--db', path, '--password', 'Test-demo-pass-2023']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(mode(path), 0o600, 'database');
    assert.equal(mode(path + '.key'), 0o600, 'key');
    const database = { args: ['--db', path], cleanup() {} };
    let srv = await startServer({ database });
    try {
      await srv.login('district-admin', 'Test-demo-pass-2023'); // a write: the WAL is in use
      for (const f of [path, path + '-wal', path + '-shm', path + '.key']) {
        assert.ok(existsSync(f), f);
        assert.equal(mode(f), 0o600, f);
      }
      assert.doesNotMatch(srv.log(), /warning/);
    } finally {
      await srv.stop();
    }
    chmodSync(path, 0o644);
    srv = await startServer({ database });
    try {
      const lines = srv.log().split('\n').filter((l) => /warning/.test(l));
      assert.equal(lines.length, 1, srv.log());
      assert.match(lines[0], /警告.*chmod 600 .*modes\.db.*readable by group or others \(mode 0644\)/);
    } finally {
      await srv.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
