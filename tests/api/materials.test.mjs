// materials.test.mjs — materials (附件材料) over real HTTP on SQLite and PostgreSQL: upload as a
// browser form sends it, list, read and download (attachment, the detected type, nosniff, the
// file's bytes; every staff download in the audit log); the type by content, not the name (PNG,
// JPEG, OFD accepted, a renamed program refused); identical content stored once and kept until
// its last material is deleted; the size limit is a parameter (413 beyond, nothing stored);
// refused uploads store nothing; delete refused while the owner is locked, once only, then the
// content is gone (410); who may; and SQLite backups that carry the materials files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tuoyu, freshDatabase, DB_KIND } from '../lib/server.mjs';
import { pdfBytes, uploadMaterial } from '../lib/fixtures.mjs';

let srv, admin, auditor, homeId, otherId, op;

before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
  auditor = await srv.login('auditor');
  homeId = (await admin.get('/api/v1/institutions?town=330304001&limit=1')).body.items[0].id;
  otherId = (await admin.get('/api/v1/institutions?town=330304002&limit=1')).body.items[0].id;
  op = await srv.login(`inst-${homeId}`);
});
after(async () => { await srv.stop(); });

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

// SQL against the server's database (sqlite3 or psql), the output's lines.
function sql(database, text) {
  const out = database.kind === 'pg'
    ? execFileSync('psql', ['-X', '-tA', '-d', database.conninfo, '-c', text], { encoding: 'utf8' })
    : execFileSync('sqlite3', [database.db, text], { encoding: 'utf8' });
  return out.trim();
}

// How the content of sha is stored: files under <db>.materials (SQLite) or chunk rows (PostgreSQL).
function stored(database, sha) {
  const blobs = Number(sql(database, `SELECT COUNT(*) FROM material_blob WHERE sha256 = '${sha}'`));
  if (database.kind === 'pg') return { blobs, chunks: Number(sql(database, `SELECT COUNT(*) FROM material_chunk WHERE sha256 = '${sha}'`)) };
  const file = join(`${database.db}.materials`, sha.slice(0, 2), sha.slice(2, 4), sha);
  return { blobs, file: existsSync(file) ? statSync(file) : null };
}

// Every file under the SQLite store (for "nothing stored": no file appears, named or not).
function storeFiles(database) {
  if (database.kind === 'pg') return Number(sql(database, 'SELECT COUNT(*) FROM material_chunk'));
  const walk = (d) => (existsSync(d) ? readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [e.name])) : []);
  return walk(`${database.db}.materials`).length;
}

async function auditHead() {
  return (await auditor.get('/api/v1/audit?limit=1')).body.items[0].id;
}

async function download(c, id) {
  const headers = c.cookie ? { cookie: c.cookie } : {};
  const res = await fetch(`${srv.url}/api/v1/materials/${id}/content`, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

// A minimal ZIP (stored entries, CRC-32 included) — an OFD when it holds OFD.xml at its root.
function zip(entries) {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc32 = (b) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const locals = [], centrals = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const n = Buffer.from(name), d = Buffer.from(text), crc = crc32(d);
    const l = Buffer.alloc(30);
    l.writeUInt32LE(0x04034b50, 0); l.writeUInt16LE(20, 4); l.writeUInt32LE(crc, 14);
    l.writeUInt32LE(d.length, 18); l.writeUInt32LE(d.length, 22); l.writeUInt16LE(n.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(d.length, 20); c.writeUInt32LE(d.length, 24); c.writeUInt16LE(n.length, 28); c.writeUInt32LE(offset, 42);
    locals.push(l, n, d);
    centrals.push(c, n);
    offset += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(17, 1)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(40, 7)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

test('upload a PDF as a form, list it, read it, download it as an attachment; the staff download is audited', async () => {
  const bytes = pdfBytes('营业执照 upload');
  const up = await uploadMaterial(op, homeId, bytes, '营业执照（副本）.pdf');
  assert.equal(up.status, 201, up.text);
  const m = up.body;
  assert.equal(m.name, '营业执照（副本）.pdf');
  assert.equal(m.type, 'pdf');
  assert.equal(m.content_type, 'application/pdf');
  assert.equal(m.size, bytes.length);
  assert.equal(m.sha256, sha256(bytes));
  assert.equal(m.owner_type, 'institution');
  assert.equal(m.owner_id, homeId);
  assert.equal(m.state, 'active');
  assert.equal(m.locked, false);
  assert.match(m.uploaded_by_name, /./);

  const list = await op.get(`/api/v1/institutions/${homeId}/materials`);
  assert.equal(list.status, 200);
  assert.ok(list.body.items.some((x) => x.id === m.id && x.name === m.name));
  assert.deepEqual((await admin.get(`/api/v1/materials/${m.id}`)).body, m);

  const head = await auditHead();
  const dl = await download(admin, m.id);
  assert.equal(dl.status, 200);
  assert.ok(dl.bytes.equals(bytes), 'the same bytes come back');
  assert.equal(dl.headers.get('content-type'), 'application/pdf');
  assert.equal(dl.headers.get('content-length'), String(bytes.length));
  assert.equal(dl.headers.get('x-content-type-options'), 'nosniff');
  const cd = dl.headers.get('content-disposition');
  assert.match(cd, /^attachment; /);
  assert.match(cd, new RegExp(`filename="material-${m.id}\\.pdf"`));
  assert.ok(cd.includes(`filename*=UTF-8''${encodeURIComponent('营业执照（副本）.pdf')}`), cd);
  assert.match(dl.headers.get('content-security-policy'), /sandbox/);
  assert.equal(dl.headers.get('cache-control'), 'no-store');
  // the download is in the audit log, with who and which material
  const rows = (await auditor.get('/api/v1/audit?limit=5')).body.items.filter((r) => r.id > head);
  const row = rows.find((r) => r.action === 'material.download');
  assert.ok(row, JSON.stringify(rows));
  assert.equal(row.target_type, 'material');
  assert.equal(row.target_id, String(m.id));
  assert.equal(row.login, 'district-admin');
  assert.equal(row.fields.sha256, m.sha256);
  // the operator's own download is staff too
  assert.equal((await download(op, m.id)).status, 200);
  assert.ok((await auditor.get('/api/v1/audit?limit=1')).body.items[0].action === 'material.download');
});

test('the type comes from the content: PNG, JPEG and OFD accepted whatever their names, a renamed program refused', async () => {
  const ofd = zip([['OFD.xml', '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'], ['Doc_0/Document.xml', '<ofd:Document/>']]);
  for (const [bytes, name, type, downloadName] of [
    [PNG, '平面图.pdf', 'png', '平面图.pdf.png'],
    [JPEG, 'photo.jpeg', 'jpeg', 'photo.jpeg'],
    [ofd, '备案书.ofd', 'ofd', '备案书.ofd'],
  ]) {
    const up = await uploadMaterial(op, homeId, bytes, name, 'application/octet-stream');
    assert.equal(up.status, 201, up.text);
    assert.equal(up.body.type, type, name);
    const dl = await download(op, up.body.id);
    assert.equal(dl.headers.get('content-type'), up.body.content_type);
    assert.ok(dl.headers.get('content-disposition').endsWith(encodeURIComponent(downloadName)), `${name}: ${dl.headers.get('content-disposition')}`);
  }
  // a ZIP that is not an OFD, and a Windows program named like a PDF: 422, nothing stored
  const before = storeFiles(srv.database);
  const head = await auditHead();
  for (const [bytes, name] of [[EXE, '营业执照.pdf'], [zip([['word/document.xml', '<w/>']]), '备案书.ofd'], [Buffer.from('<script>alert(1)</script>'), 'a.png']]) {
    const res = await uploadMaterial(op, homeId, bytes, name, 'application/pdf');
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error.code, 'unsupported_type');
    assert.equal(res.body.error.field, 'file');
    assert.ok(res.body.error.message.includes(name), res.body.error.message);
  }
  assert.equal(storeFiles(srv.database), before, 'nothing stored');
  assert.equal(await auditHead(), head, 'nothing written');
});

test('identical content is stored once, and kept until its last material is deleted', async () => {
  const bytes = pdfBytes('dedupe');
  const sha = sha256(bytes);
  const a = await uploadMaterial(op, homeId, bytes, 'a.pdf');
  const b = await uploadMaterial(admin, otherId, bytes, 'b.pdf');
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.notEqual(a.body.id, b.body.id);
  let s = stored(srv.database, sha);
  assert.equal(s.blobs, 1);
  if (srv.database.kind === 'pg') assert.equal(s.chunks, 1);
  else assert.equal(s.file.mode & 0o777, 0o600, 'the file is 0600, never executable');
  assert.equal((await admin.del(`/api/v1/materials/${a.body.id}`)).status, 200);
  s = stored(srv.database, sha);
  assert.equal(s.blobs, 1, 'still kept for the other material');
  const dl = await download(admin, b.body.id);
  assert.equal(dl.status, 200);
  assert.ok(dl.bytes.equals(bytes));
  assert.equal((await admin.del(`/api/v1/materials/${b.body.id}`)).status, 200);
  s = stored(srv.database, sha);
  assert.equal(s.blobs, 0, 'gone with the last material');
  if (srv.database.kind === 'pg') assert.equal(s.chunks, 0);
  else assert.equal(s.file, null, 'its file removed');
  // and uploaded again, stored again
  const c = await uploadMaterial(op, homeId, bytes, 'c.pdf');
  assert.equal(c.status, 201, c.text);
  assert.ok((await download(op, c.body.id)).bytes.equals(bytes));
});

test('the same content uploaded by several at once: every upload recorded, the content kept once', async () => {
  const bytes = pdfBytes('at once');
  const ups = await Promise.all(Array.from({ length: 6 }, (_, i) => uploadMaterial(i % 2 ? op : admin, homeId, bytes, `同时-${i}.pdf`)));
  for (const up of ups) assert.equal(up.status, 201, up.text);
  assert.equal(new Set(ups.map((u) => u.body.id)).size, 6);
  assert.equal(stored(srv.database, sha256(bytes)).blobs, 1);
  // and deleting them all at once leaves no content behind, each delete answered once
  const dels = await Promise.all(ups.map((u) => admin.del(`/api/v1/materials/${u.body.id}`)));
  assert.deepEqual(dels.map((d) => d.status), [200, 200, 200, 200, 200, 200]);
  const s = stored(srv.database, sha256(bytes));
  assert.equal(s.blobs, 0);
  if (srv.database.kind === 'pg') assert.equal(s.chunks, 0);
  else assert.equal(s.file, null);
});

test('a file larger than one chunk comes back whole', async () => {
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300 * 1024 + 17, 0x41), Buffer.from('\r\n--\r\n%%EOF')]);
  const up = await uploadMaterial(op, homeId, bytes, 'big.pdf');
  assert.equal(up.status, 201, up.text);
  if (srv.database.kind === 'pg') assert.equal(stored(srv.database, up.body.sha256).chunks, 3);
  const dl = await download(op, up.body.id);
  assert.equal(sha256(dl.bytes), up.body.sha256);
});

test('the size limit is the parameter materials.max_file_bytes: 413 beyond it, nothing stored', async () => {
  const params = (await admin.get('/api/v1/params')).body.items;
  assert.equal(params.find((p) => p.key === 'materials.max_file_bytes').value, '20971520');
  // 20 MiB + 1 byte against the default
  const head = await auditHead();
  const before = storeFiles(srv.database);
  const over = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20 * 1024 * 1024 + 1 - 9, 0x20)]);
  let res = await uploadMaterial(op, homeId, over, 'over.pdf');
  assert.equal(res.status, 413, res.text);
  assert.equal(res.body.error.code, 'payload_too_large');
  assert.match(res.body.error.message, /20 MiB/);
  // the district lowers it to 64 KiB: one byte more is refused, the limit itself accepted
  const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  const set = await admin.post('/api/v1/params', { key: 'materials.max_file_bytes', value: '65536', valid_from: yesterday, basis: '测试：降低上限' });
  assert.equal(set.status, 201, set.text);
  const at = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(65536 - 9, 0x42)]);
  res = await uploadMaterial(op, homeId, Buffer.concat([at, Buffer.from('x')]), 'over.pdf');
  assert.equal(res.status, 413, res.text);
  assert.match(res.body.error.message, /64 KiB/);
  assert.equal(storeFiles(srv.database), before, 'nothing stored');
  const params2 = (await auditor.get('/api/v1/audit?limit=5')).body.items.filter((r) => r.id > head);
  assert.deepEqual(params2.map((r) => r.action), ['params.update'], 'only the parameter change was written');
  res = await uploadMaterial(op, homeId, at, 'at.pdf');
  assert.equal(res.status, 201, res.text);
});

test('refused uploads store nothing: empty file, bad names, malformed multipart, wrong type of body', async () => {
  const before = storeFiles(srv.database);
  const head = await auditHead();
  const empty = await uploadMaterial(op, homeId, Buffer.alloc(0), '空.pdf');
  assert.equal(empty.status, 422);
  assert.equal(empty.body.error.code, 'empty_file');
  for (const name of ['../../etc/cron.d/x.pdf', 'a\u0007.pdf', 'C:\\fakepath\\a.pdf', '\u202egpj.exe']) {
    const res = await uploadMaterial(op, homeId, pdfBytes(name), name);
    assert.equal(res.status, 422, `${name}: ${res.text}`);
    assert.equal(res.body.error.code, 'bad_file_name');
  }
  const raw = await fetch(`${srv.url}/api/v1/institutions/${homeId}/materials`, {
    method: 'POST', headers: { cookie: op.cookie, 'X-CSRF-Token': op.csrf, 'content-type': 'multipart/form-data; boundary=zz' },
    body: '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\r\n',
  });
  assert.equal(raw.status, 400);
  assert.equal((await raw.json()).error.code, 'bad_multipart');
  const json = await op.post(`/api/v1/institutions/${homeId}/materials`, { file: 'x' });
  assert.equal(json.status, 415);
  assert.equal(json.body.error.code, 'unsupported_media_type');
  assert.equal(storeFiles(srv.database), before);
  assert.equal(await auditHead(), head);
});

test('delete: refused while the owner is locked (a submitted case), once only, then the content is gone', async () => {
  const up = await uploadMaterial(op, homeId, pdfBytes('lock'), '承诺书.pdf');
  assert.equal(up.status, 201, up.text);
  const id = up.body.id;
  // what the cases engine does when a case is submitted (materials_set_locked)
  sql(srv.database, `UPDATE material_owner SET locked = 1 WHERE owner_type = 'institution' AND owner_id = ${homeId}`);
  const head = await auditHead();
  let res = await op.del(`/api/v1/materials/${id}`);
  assert.equal(res.status, 409, res.text);
  assert.equal(res.body.error.code, 'owner_locked');
  assert.equal((await admin.del(`/api/v1/materials/${id}`)).status, 409, 'the district administrator too');
  res = await uploadMaterial(op, homeId, pdfBytes('lock-2'), '补充.pdf');
  assert.equal(res.status, 409, res.text);
  assert.equal(res.body.error.code, 'owner_locked');
  assert.equal((await admin.get(`/api/v1/materials/${id}`)).body.locked, true);
  assert.equal(await auditHead(), head, 'nothing written');
  assert.equal((await download(op, id)).status, 200, 'still readable');

  sql(srv.database, `UPDATE material_owner SET locked = 0 WHERE owner_type = 'institution' AND owner_id = ${homeId}`);
  res = await op.del(`/api/v1/materials/${id}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.state, 'deleted');
  assert.ok(res.body.deleted_at);
  const row = (await auditor.get('/api/v1/audit?limit=1')).body.items[0];
  assert.equal(row.action, 'material.delete');
  assert.equal(row.target_id, String(id));
  res = await op.del(`/api/v1/materials/${id}`);
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, 'already_deleted');
  assert.equal((await download(op, id)).status, 410);
  assert.equal((await op.get(`/api/v1/materials/${id}`)).body.state, 'deleted', 'the record stays');
  const list = (await op.get(`/api/v1/institutions/${homeId}/materials?limit=500`)).body.items;
  assert.ok(!list.some((x) => x.id === id), 'not listed');
});

test('who may: the owner institution and those over it; another town, stations and families not', async () => {
  const up = await uploadMaterial(op, homeId, pdfBytes('who'), '谁可以.pdf');
  assert.equal(up.status, 201);
  const id = up.body.id;
  const other = await srv.login(`inst-${otherId}`);
  assert.equal((await uploadMaterial(other, homeId, pdfBytes('x'), 'x.pdf')).status, 404);
  assert.equal((await other.get(`/api/v1/institutions/${homeId}/materials`)).status, 404);
  assert.equal((await download(other, id)).status, 404);
  assert.equal((await other.del(`/api/v1/materials/${id}`)).status, 404);
  const town = await srv.login('town-330304001');
  assert.equal((await download(town, id)).status, 200);
  const reviewer = await srv.login('dept-reviewer');
  assert.equal((await download(reviewer, id)).status, 200);
  assert.equal((await reviewer.del(`/api/v1/materials/${id}`)).status, 403);
  assert.equal((await uploadMaterial(reviewer, homeId, pdfBytes('r'), 'r.pdf')).status, 403);
  for (const login of ['family', 'station-operator', 'security-admin']) {
    const c = await srv.login(login);
    assert.equal((await download(c, id)).status, 403, login);
    assert.equal((await uploadMaterial(c, homeId, pdfBytes(login), 'x.pdf')).status, 403, login);
  }
  const anon = await fetch(`${srv.url}/api/v1/materials/${id}/content`);
  assert.equal(anon.status, 401);
});

test('SQLite: backup carries the materials files, checked; restore puts them back; a copy missing one is refused', { skip: DB_KIND !== 'sqlite' }, async () => {
  const database = freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'tuoyu-materials-backup-'));
  let s = await startServer({ database });
  try {
    const a = await s.login('district-admin');
    const bytes = pdfBytes('backup');
    const up = await uploadMaterial(a, homeId, bytes, '备份.pdf');
    assert.equal(up.status, 201, up.text);
    const to = join(dir, 'copy.db');
    const b = tuoyu(['backup', '--db', database.db, '--to', to]);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stderr, /1 materials file/);
    const copied = join(`${to}.materials`, up.body.sha256.slice(0, 2), up.body.sha256.slice(2, 4), up.body.sha256);
    assert.ok(readFileSync(copied).equals(bytes));
    assert.equal(statSync(copied).mode & 0o777, 0o600);
    assert.equal(sql({ kind: 'sqlite', db: to }, 'PRAGMA journal_mode'), 'delete', 'the copy stays one self-contained file');
    // a second backup to the same name is refused, nothing overwritten
    assert.equal(tuoyu(['backup', '--db', database.db, '--to', to]).status, 2);
    await s.stop({ keepDatabase: true });

    // restore over the database (its materials directory replaced, the old one kept aside)
    const r = tuoyu(['restore', '--from', to, '--db', database.db, '--replace']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(readdirSync(database.dir).some((f) => /^tuoyu\.db\.materials\.replaced-/.test(f)), readdirSync(database.dir).join(' '));
    s = await startServer({ database });
    const a2 = await s.login('district-admin');
    const dl = await fetch(`${s.url}/api/v1/materials/${up.body.id}/content`, { headers: { cookie: a2.cookie } });
    assert.equal(dl.status, 200);
    assert.ok(Buffer.from(await dl.arrayBuffer()).equals(bytes));
    await s.stop({ keepDatabase: true });

    // a backup whose file was damaged or lost is refused at restore, and nothing is replaced
    writeFileSync(copied, Buffer.concat([bytes, Buffer.from('x')]));
    const target = join(dir, 'restored.db');
    let bad = tuoyu(['restore', '--from', to, '--db', target]);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /SHA-256|损坏/);
    unlinkSync(copied);
    bad = tuoyu(['restore', '--from', to, '--db', target]);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /缺失/);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('restored')), [], 'nothing left behind');
  } finally {
    await s.stop();
    database.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
