// cli.test.mjs — the command line: --help everywhere, one-line usage errors with exit 2,
// users, CSV import (all or nothing, per-row report), backup, and audit verification.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tuoyu, freshDatabase, startServer, DB_KIND } from '../lib/server.mjs';
import { gbkBytes, uscc } from '../lib/fixtures.mjs';

test('every command answers --help with exit 0', () => {
  const top = tuoyu(['--help']);
  assert.equal(top.status, 0);
  const names = [...top.stdout.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]);
  assert.ok(names.includes('serve') && names.includes('demo') && names.includes('audit'));
  for (const name of names) {
    const r = tuoyu([name, '--help']);
    assert.equal(r.status, 0, `${name} --help: ${r.stderr}`);
    assert.match(r.stdout, /usage: tuoyu/, name);
  }
});

test('bad arguments: one line naming the reason, exit 2', () => {
  for (const args of [['serve', '--listen', 'nowhere'], ['serve', '--bogus', 'x'], ['demo', '--seed', 'abc'],
    ['user', 'add', 'someone', '--role', 'king', '--name', 'x'], ['backup'], ['restore', '--db', 'x.db'], ['frobnicate'], ['import', 'teachers', 'x.csv']]) {
    const r = tuoyu(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: one line`);
  }
});

test('user add / passwd / disable, audited', async () => {
  const db = freshDatabase();
  let r = tuoyu(['user', 'add', 'officer-zhang', '--role', 'town_officer', '--town', '330304003', '--name', '张三', '--password', 'Zhang-pass-2026', ...db.args]);
  assert.equal(r.status, 0, r.stderr);
  r = tuoyu(['user', 'add', 'officer-zhang', '--role', 'town_officer', '--town', '330304003', '--name', '张三', '--password', 'Zhang-pass-2026', ...db.args]);
  assert.equal(r.status, 2, 'duplicate login refused');
  r = tuoyu(['user', 'add', 'weak', '--role', 'auditor', '--name', 'W', '--password', 'short', ...db.args]);
  assert.equal(r.status, 2, 'weak password refused');
  const srv = await startServer({ database: db });
  const c = await srv.login('officer-zhang', 'Zhang-pass-2026');
  assert.equal(c.user.town_code, '330304003');
  await srv.stop({ keepDatabase: true });
  r = tuoyu(['user', 'passwd', 'officer-zhang', '--password', 'Zhang-new-pass-2026', ...db.args]);
  assert.equal(r.status, 0, r.stderr);
  r = tuoyu(['user', 'disable', 'officer-zhang', ...db.args]);
  assert.equal(r.status, 0, r.stderr);
  const srv2 = await startServer({ database: db });
  const res = await srv2.client().post('/api/v1/session', { login: 'officer-zhang', password: 'Zhang-new-pass-2026' });
  assert.equal(res.status, 401, 'disabled account cannot log in');
  await srv2.stop({ keepDatabase: true });
  r = tuoyu(['audit', 'verify', ...db.args]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /intact/);
  db.cleanup();
});

const HEADER = 'name,uscc,town_code,address,lon,lat,operating_model,ownership,inclusive,status,premises_tenure,lease_start,lease_end,floor,class_type,capacity,enrolled,caregivers,fee_item,fee_category,fee_yuan,fee_unit\n';
// one institution: a class and a fee on its row, a second class on the row below
const ROW_OK = '导入一号托育园,91350100M000100Y43,330304001,景山街道导入路1号,120.63,27.99,market,private,1,filed,owned,,,2,infant,10,8,3,保育费,basic,2500,月\n' +
  ',,,,,,,,,,,,,,toddler_old,20,15,3,,,,\n';

test('CSV import is all or nothing with a per-row report', async () => {
  const db = freshDatabase();
  const bad = join(db.dir, 'bad.csv');
  writeFileSync(bad, HEADER + ROW_OK +
    '导入二号,91350100M000100Y44,330304001,地址,120.63,27.99,market,private,0,filed,owned,,,1,infant,10,5,2,,,,\n' +
    '导入三号,91350100M000100Y43,330304001,地址,121.90,27.99,market,private,0,filed,owned,,,1,infant,10,5,2,,,,\n');
  let r = tuoyu(['import', 'institutions', bad, ...db.args]);
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'row,field,value,reason');
  assert.match(lines[1], /^4,uscc,91350100M000100Y44,/);
  assert.match(lines[2], /^5,lon,121\.90?,/);
  const srv = await startServer({ database: db });
  const admin = await srv.login('district-admin');
  const q = encodeURIComponent('导入');
  assert.equal((await admin.get(`/api/v1/institutions?q=${q}`)).body.items.length, 0, 'nothing imported');
  await srv.stop({ keepDatabase: true });

  // a file pasted together from a UTF-8 part and a GBK part: refused whole, naming the lines
  const ROW_TWO = ROW_OK.replace('导入一号托育园', '导入二号托育园').replace('91350100M000100Y43', uscc('91330304MA2000002'));
  const mixed = join(db.dir, 'mixed.csv');
  writeFileSync(mixed, Buffer.concat([Buffer.from(HEADER + ROW_OK), gbkBytes(ROW_TWO)]));
  r = tuoyu(['import', 'institutions', mixed, ...db.args]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /混合了多种编码：第 2 行是 UTF-8 中文，第 4 行不是/);

  // saved by Excel on Chinese Windows (GBK), and as "CSV UTF-8" (with its byte-order mark): the same rows
  const gbk = join(db.dir, 'gbk.csv'), bom = join(db.dir, 'bom.csv');
  writeFileSync(gbk, gbkBytes(HEADER + ROW_OK));
  writeFileSync(bom, '\ufeff' + HEADER + ROW_TWO);
  for (const file of [gbk, bom]) {
    r = tuoyu(['import', 'institutions', file, ...db.args]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  }
  const srv2 = await startServer({ database: db });
  const admin2 = await srv2.login('district-admin');
  const found = (await admin2.get(`/api/v1/institutions?q=${q}`)).body.items;
  assert.deepEqual(found.map((x) => x.name).sort(), ['导入一号托育园', '导入二号托育园']);
  assert.deepEqual(found.map((x) => x.places), [30, 30]);
  assert.deepEqual(found.map((x) => x.address), ['景山街道导入路1号', '景山街道导入路1号']);
  await srv2.stop({ keepDatabase: true });
  db.cleanup();
});

test('backup makes a usable copy while the data stays put (SQLite)', { skip: DB_KIND !== 'sqlite' }, async () => {
  const db = freshDatabase();
  const to = join(db.dir, 'backup.db');
  let r = tuoyu(['backup', '--to', to, ...db.args]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(to) && statSync(to).size > 100000);
  r = tuoyu(['backup', '--to', to, ...db.args]);
  assert.notEqual(r.status, 0, 'refuses to overwrite');
  const restored = { ...db, args: ['--db', to, '--key', db.db + '.key'] };
  const srv = await startServer({ database: restored });
  const admin = await srv.login('district-admin');
  assert.ok((await admin.get('/api/v1/institutions?limit=500')).body.items.length >= 100);
  await srv.stop({ keepDatabase: true });
  db.cleanup();
});

// RFC 6238 TOTP with HMAC-SHA1, 6 digits, 30-second steps — computed independently here.
import { createHmac } from 'node:crypto';
function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of s.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}
function totp(secret, unixSeconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const h = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const code = ((h.readUInt32BE(o) & 0x7fffffff) % 1000000).toString();
  return code.padStart(6, '0');
}

test('a TOTP-enrolled staff account needs a current, unused code', async () => {
  const db = freshDatabase();
  const r = tuoyu(['user', 'totp', 'auditor', ...db.args]);
  assert.equal(r.status, 0, r.stderr);
  const uri = r.stdout.trim();
  assert.match(uri, /^otpauth:\/\/totp\/.*secret=([A-Z2-7]+)/);
  const secret = /secret=([A-Z2-7]+)/.exec(uri)[1];
  const srv = await startServer({ database: db });
  const c = srv.client();
  let res = await c.post('/api/v1/session', { login: 'auditor', password: srv.password });
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, 'totp_required');
  res = await c.post('/api/v1/session', { login: 'auditor', password: srv.password, totp: '000000' === totp(secret, Date.now() / 1000) ? '111111' : '000000' });
  assert.equal(res.status, 401);
  const code = totp(secret, Date.now() / 1000);
  res = await c.post('/api/v1/session', { login: 'auditor', password: srv.password, totp: code });
  assert.equal(res.status, 200, res.text);
  res = await srv.client().post('/api/v1/session', { login: 'auditor', password: srv.password, totp: code });
  assert.equal(res.status, 401, 'a used code cannot be replayed');
  assert.equal(res.body.error.code, 'bad_totp');
  await srv.stop({ keepDatabase: true });
  db.cleanup();
});
