// bad_input.test.mjs — generated from the route table, like the authorization matrix: every
// POST/PUT/PATCH route, called by a role allowed to, receives an unknown member; each member (nested
// ones too) with a wrong type, a deeply nested value, invalid UTF-8, a NUL byte (escaped and raw);
// each string member oversized; each trimmed (name-like) member blank — and must answer 400/422
// with error.code and error.field naming the member, and write nothing (the audit log, which
// every write appends to in its own transaction, keeps its last row). A write route without a
// body schema fails here; a new route with one is covered without a new test. Routes that take
// no body refuse one. Upload routes (multipart/form-data) get the bad uploads: a wrong content type,
// malformed multipart, two files, no file name, an empty file, bad file names, a renamed program.
// Runs under ASan and UBSan in `make asan`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { routeTable, buildFixtures, pathFor, roleFor, LOGINS, minimal, members, fieldName, bodyWith, typeOf, jsonBody } from '../lib/routes.mjs';

let srv, routes, policy, fx, auditor;
const clients = {};

before(async () => {
  ({ routes, policy } = routeTable());
  srv = await startServer();
  fx = await buildFixtures(srv);
  auditor = await srv.login('auditor');
});
after(async () => { await srv.stop(); });

async function clientFor(route) {
  const role = roleFor(route, policy);
  if (!role) return new Client(srv.url);
  clients[role] = clients[role] || await srv.login(LOGINS[role]);
  return clients[role];
}

// The last row of the audit log (every write appends one in its own transaction).
async function auditHead() {
  const r = await auditor.get('/api/v1/audit?limit=1');
  assert.equal(r.status, 200, r.text);
  return r.body.items[0].id;
}

// Send raw bytes (a Buffer) as the body, with the client's session and CSRF token.
async function sendRaw(c, method, path, bytes, type = 'application/json') {
  const headers = { 'content-type': type };
  if (c.cookie) headers.cookie = c.cookie;
  if (c.csrf) headers['X-CSRF-Token'] = c.csrf;
  const res = await fetch(srv.url + path, { method, headers, body: bytes });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { body = null; }
  return { status: res.status, body, text };
}

// The JSON text of body with the string "\u0001MARK\u0001" replaced by raw bytes.
const MARK = '\u0001MARK\u0001';
function withBytes(body, bytes) {
  const text = JSON.stringify(body);
  const at = text.indexOf(JSON.stringify(MARK));
  assert.ok(at >= 0);
  return Buffer.concat([Buffer.from(text.slice(0, at)), bytes, Buffer.from(text.slice(at + JSON.stringify(MARK).length))]);
}

const deep = (levels) => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

// A value of another JSON type than the schema's.
function wrongType(s) {
  switch (typeOf(s)) {
    case 'string': return 12345;
    case 'integer': return 'x';
    case 'number': return 'x';
    case 'boolean': return 'yes';
    case 'array': return 'x';
    case 'object': return 'x';
    default: throw new Error(`type ${JSON.stringify(s.type)}`);
  }
}

// Every bad body for a route schema: [what, bytes-or-body, status, code, field].
function cases(schema) {
  const out = [];
  out.push(['unknown member', { ...minimal(schema), zzz_unknown: 1 }, 400, 'unknown_field', 'zzz_unknown']);
  for (const { path, schema: m } of members(schema)) {
    const field = fieldName(path);
    const t = typeOf(m);
    if (t === 'object') out.push([`unknown member in ${field}`, bodyWith(schema, [...path, 'zzz_unknown'], 1), 400, 'unknown_field', `${field}.zzz_unknown`]);
    out.push([`${field} of a wrong type`, bodyWith(schema, path, wrongType(m)), 422, 'wrong_type', field]);
    // named down to the innermost value the schema describes: an array's first item
    out.push([`${field} nested 64 deep`, bodyWith(schema, path, deep(64)), 400, 'too_deep', t === 'array' ? `${field}[0]` : field]);
    out.push([`${field} with invalid UTF-8`, withBytes(bodyWith(schema, path, MARK), Buffer.from([0x22, 0x61, 0xff, 0xfe, 0x62, 0x22])), 400, 'bad_utf8', field]);
    out.push([`${field} with an overlong UTF-8 sequence`, withBytes(bodyWith(schema, path, MARK), Buffer.from([0x22, 0xc0, 0xaf, 0x22])), 400, 'bad_utf8', field]);
    out.push([`${field} with an escaped NUL`, bodyWith(schema, path, 'a\u0000b'), 400, 'bad_char', field]);
    out.push([`${field} with a raw NUL byte`, withBytes(bodyWith(schema, path, MARK), Buffer.from([0x22, 0x61, 0x00, 0x62, 0x22])), 400, 'bad_char', field]);
    if (t === 'string' && m['x-max-bytes']) {
      out.push([`${field} one byte too long`, bodyWith(schema, path, 'a'.repeat(m['x-max-bytes'] + 1)), 422, 'too_long', field]);
      // at the limit it passes the schema (a CJK character is three bytes)
    }
    if (m['x-trim']) {
      out.push([`${field} of spaces only`, bodyWith(schema, path, '   '), 422, 'required', field]);
      out.push([`${field} of ideographic spaces only`, bodyWith(schema, path, '\u3000 \u3000'), 422, 'required', field]);
    }
  }
  return out;
}

test('every write route declares its request body schema', () => {
  const writes = routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
  assert.ok(writes.length >= 20);
  for (const r of writes) {
    assert.ok(r.body, `${r.method} ${r.pattern} has no body schema in the route table`);
    assert.ok(r.body.type === 'object' || r.body.contentMediaType, `${r.method} ${r.pattern}: a body is an object or raw bytes`);
  }
});

test('bad bodies on every write route: 400/422 naming the member, nothing written', async () => {
  let checked = 0;
  for (const r of routes.filter((x) => ['POST', 'PUT', 'PATCH'].includes(x.method) && jsonBody(x))) {
    const c = await clientFor(r);
    const path = pathFor(r.pattern, fx, true);
    const head = await auditHead();
    for (const [what, body, status, code, field] of cases(r.body)) {
      const res = Buffer.isBuffer(body) ? await sendRaw(c, r.method, path, body) : await c.request(r.method, path, body);
      const where = `${r.method} ${r.pattern}, ${what}: ${res.status} ${res.text}`;
      assert.equal(res.status, status, where);
      assert.equal(res.body?.error?.code, code, where);
      assert.equal(res.body.error.field, field, where);
      assert.match(res.body.error.message, /[\u4e00-\u9fff]/, `${where}: a Chinese message`);
      checked++;
    }
    assert.equal(await auditHead(), head, `${r.method} ${r.pattern}: bad input wrote something`);
  }
  assert.ok(checked > 300, `${checked} cases`);
});

test('malformed, duplicate-key and non-object bodies are 400 bad_json on every write route', async () => {
  for (const r of routes.filter((x) => ['POST', 'PUT', 'PATCH'].includes(x.method) && jsonBody(x))) {
    const c = await clientFor(r);
    const path = pathFor(r.pattern, fx, true);
    for (const text of ['{"a":', '[1,2]', '"text"', '{"zzz":1,"zzz":2}']) {
      const res = await c.request(r.method, path, text);
      assert.equal(res.status, 400, `${r.method} ${r.pattern} ${text}: ${res.text}`);
      assert.equal(res.body.error.code, 'bad_json');
    }
  }
});

// Upload routes: [what, Content-Type, body, status, code, field].
function uploadCases() {
  const B = 'tuoyuBadInput7MA4YWxk';
  const part = (name, filename, bytes) => Buffer.concat([
    Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${name}"`),
    filename === null ? Buffer.alloc(0) : Buffer.concat([Buffer.from('; filename="'), Buffer.from(filename), Buffer.from('"')]),
    Buffer.from('\r\nContent-Type: application/pdf\r\n\r\n'), bytes, Buffer.from('\r\n')]);
  const end = Buffer.from(`--${B}--\r\n`);
  const pdf = Buffer.from('%PDF-1.7\n%%EOF\n');
  const exe = Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);
  const mp = `multipart/form-data; boundary=${B}`;
  const one = (filename, bytes = pdf) => Buffer.concat([part('file', filename, bytes), end]);
  return [
    ['a JSON body', 'application/json', Buffer.from('{}'), 415, 'unsupported_media_type', 'Content-Type'],
    ['multipart without a boundary', 'multipart/form-data', one('a.pdf'), 400, 'bad_multipart', 'Content-Type'],
    ['multipart cut short', mp, part('file', 'a.pdf', pdf), 400, 'bad_multipart', ''],
    ['multipart with a preamble', mp, Buffer.concat([Buffer.from('junk\r\n'), one('a.pdf')]), 400, 'bad_multipart', ''],
    ['multipart with an epilogue', mp, Buffer.concat([one('a.pdf'), Buffer.from('junk')]), 400, 'bad_multipart', ''],
    ['two files', mp, Buffer.concat([part('file', 'a.pdf', pdf), part('file', 'b.pdf', pdf), end]), 400, 'bad_multipart', 'file'],
    ['a part not named file', mp, Buffer.concat([part('doc', 'a.pdf', pdf), end]), 400, 'bad_multipart', 'doc'],
    ['a file part without a file name', mp, one(null), 400, 'bad_multipart', 'file'],
    ['a zero-byte file', mp, one('empty.pdf', Buffer.alloc(0)), 422, 'empty_file', 'file'],
    ['a name with ../', mp, one('../../etc/passwd.pdf'), 422, 'bad_file_name', 'file'],
    ['a name with a backslash path', mp, one('..\\boot.pdf'), 422, 'bad_file_name', 'file'],
    ['a name with a control character', mp, one('a\u0001b.pdf'), 422, 'bad_file_name', 'file'],
    ['a name that reverses the text', mp, one('invoice\u202efdp.pdf'), 422, 'bad_file_name', 'file'],
    ['a name of invalid UTF-8', mp, one(Buffer.from([0x61, 0xff, 0x2e, 0x70, 0x64, 0x66])), 422, 'bad_file_name', 'file'],
    ['a blank name', mp, one(' \u3000 '), 422, 'bad_file_name', 'file'],
    ['a Windows program named .pdf', mp, one('setup.pdf', exe), 422, 'unsupported_type', 'file'],
  ];
}

test('bad uploads on every upload route: 4xx naming the problem, nothing written', async () => {
  const uploads = routes.filter((x) => x.body_media_type === 'multipart/form-data');
  assert.ok(uploads.length >= 1, 'an upload route');
  for (const r of uploads) {
    const c = await clientFor(r);
    const path = pathFor(r.pattern, fx, true);
    const head = await auditHead();
    for (const [what, type, bytes, status, code, field] of uploadCases()) {
      const res = await sendRaw(c, r.method, path, bytes, type);
      const where = `${r.method} ${r.pattern}, ${what}: ${res.status} ${res.text}`;
      assert.equal(res.status, status, where);
      assert.equal(res.body?.error?.code, code, where);
      assert.equal(res.body.error.field, field, where);
      assert.match(res.body.error.message, /[\u4e00-\u9fff]/, `${where}: a Chinese message`);
      if (code === 'unsupported_type') assert.match(res.body.error.message, /setup\.pdf/, `${where}: names the file`);
    }
    assert.equal(await auditHead(), head, `${r.method} ${r.pattern}: a bad upload wrote something`);
  }
});

test('a route that takes no body refuses one, and does nothing', async () => {
  const head = await auditHead();
  for (const r of routes.filter((x) => x.method === 'DELETE')) {
    const c = await clientFor(r);
    const res = await c.request(r.method, pathFor(r.pattern, fx, true), { id: 1 });
    assert.equal(res.status, 400, `${r.method} ${r.pattern}: ${res.text}`);
    assert.equal(res.body.error.code, 'unexpected_body');
  }
  assert.equal(await auditHead(), head);
});

test('names are trimmed: a valid name with spaces around is stored without them', async () => {
  const family = await srv.login('family');
  const r = await family.post('/api/v1/children', { name: '\u3000 王小明 ', birth_date: '2024-05-01', sex: 1, birth_cert: 'M923456789' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.name, '王小明');
});
