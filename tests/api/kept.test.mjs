// kept.test.mjs — answers kept while their data is unchanged (src/http/kept.c, issue 20 item 3): the
// parents' search list, the vacancies and the dashboard are served again without their handler (one
// statement: the version) and byte for byte the same, gzipped or not; the dashboard kept per
// jurisdiction (a town officer never gets the district's, nor another town's); and none is older
// than an acknowledged write — whoever made it: the API, another process or an operator's SQL
// straight to the database (the triggers of migrations 063 and 065 move the stamps).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startServer, Client } from '../lib/server.mjs';
import { child, toddlerProgram } from '../lib/fixtures.mjs';

let srv, admin, family, anon;
before(async () => {
  srv = await startServer({ now: '2026-06-01T02:00:00Z' });
  admin = await srv.login('district-admin');
  family = await srv.login('family');
  anon = new Client(srv.url);
});
after(async () => { await srv.stop(); });

// SQL run by another process, as an import or an operator would write, on the server's database
const atRest = (q) => (srv.database.kind === 'pg'
  ? execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', srv.database.conninfo], { input: q, encoding: 'utf8' })
  : execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.database.db], { input: q, encoding: 'utf8' })).trim();

const LIST = '/api/v1/public/institutions?class_type=toddler_old&limit=500';
const VACANCIES = '/api/v1/public/vacancies?class_type=toddler_old&limit=500';
const card = async (id) => (await anon.get(LIST)).body.items.find((x) => x.id === id);
const vacancy = async (id) => (await anon.get(VACANCIES)).body.items.find((x) => x.institution_id === id);
const dbCalls = () => srv.dbCalls();

test('a kept answer is the same bytes, plain and gzipped, and costs one statement', async () => {
  for (const path of [LIST, VACANCIES]) {
    const first = await fetch(`${srv.url}${path}`);
    assert.equal(first.status, 200);
    const text = await first.text();
    const before = await dbCalls();
    for (let i = 0; i < 10; i++) assert.equal(await (await fetch(`${srv.url}${path}`)).text(), text, path);
    // ten answers: ten version reads (a background job of the server may add a few)
    assert.ok((await dbCalls()) - before <= 15, `${path} answered from what is kept`);
    // fetch undoes the coding itself: the wire bytes through node:http
    const wire = await new Promise((resolve, reject) => {
      get(`${srv.url}${path}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    assert.equal(wire.headers['content-encoding'], 'gzip');
    assert.equal(wire.headers.vary, 'Accept-Encoding');
    assert.equal(gunzipSync(wire.body).toString(), text, `${path} gzipped is the same answer`);
    // another query is another answer
    const other = await anon.get(`${path.replace('toddler_old', 'infant')}`);
    assert.equal(other.status, 200);
    assert.notEqual(JSON.stringify(other.body), text);
  }
});

test('API writes show at once: a booking, its cancellation, a new class', async () => {
  const inst = await toddlerProgram(admin, '留存一号托育园', 3);
  assert.equal((await card(inst)).vacancies.toddler_old, 3);
  assert.equal((await vacancy(inst)).free_places, 3);
  const kid = await child(family);
  const b = await family.post('/api/v1/bookings', { child_id: kid, institution_id: inst, class_type: 'toddler_old', start_month: '2026-07' });
  assert.equal(b.status, 201, b.text);
  assert.equal((await card(inst)).vacancies.toddler_old, 2);
  assert.equal((await vacancy(inst)).free_places, 2);
  assert.equal((await family.del(`/api/v1/bookings/${b.body.id}`)).status, 200);
  assert.equal((await card(inst)).vacancies.toddler_old, 3);
  assert.equal((await vacancy(inst)).free_places, 3);
});

test('writes made straight to the database show at once: classes, the institution, fees, its town, bookings', async () => {
  const inst = await toddlerProgram(admin, '留存二号托育园', 4);
  const c0 = await card(inst);
  assert.equal(c0.vacancies.toddler_old, 4);
  // a class's capacity and enrolment
  atRest(`UPDATE institution_class SET capacity = 10, enrolled = 1 WHERE institution_id = ${inst};`);
  assert.equal((await card(inst)).vacancies.toddler_old, 9);
  assert.equal((await vacancy(inst)).free_places, 9);
  // the institution's own columns
  atRest(`UPDATE institution SET name = '留存二号托育园（更名）', opening_hours = '7:30-18:00' WHERE id = ${inst};`);
  const renamed = await card(inst);
  assert.deepEqual([renamed.name, renamed.opening_hours], ['留存二号托育园（更名）', '7:30-18:00']);
  assert.equal((await vacancy(inst)).name, '留存二号托育园（更名）');
  // its town's name
  const town = atRest(`SELECT name FROM town WHERE code = '${c0.town_code}';`);
  atRest(`UPDATE town SET name = '${town}（新）' WHERE code = '${c0.town_code}';`);
  try {
    assert.equal((await card(inst)).town_name, `${town}（新）`);
    assert.equal((await vacancy(inst)).town_name, `${town}（新）`);
  } finally {
    atRest(`UPDATE town SET name = '${town}' WHERE code = '${c0.town_code}';`);
  }
  assert.equal((await card(inst)).town_name, town);
  // a place held by a booking another process wrote, then let go
  const kid = await child(family);
  const fam = atRest("SELECT id FROM app_user WHERE login = 'family';");
  atRest(`INSERT INTO booking (district_code, child_id, institution_id, class_type, start_month, status, family_user_id, created_at) VALUES ('330304', ${kid}, ${inst}, 'toddler_old', '2026-07', 'booked', ${fam}, '2026-06-01T02:00:00Z');`);
  assert.equal((await card(inst)).vacancies.toddler_old, 8);
  assert.equal((await vacancy(inst)).free_places, 8);
  atRest(`UPDATE booking SET status = 'cancelled' WHERE child_id = ${kid};`);
  assert.equal((await vacancy(inst)).free_places, 9);
  // a basic monthly fee in force
  const fee = (await vacancy(inst)).monthly_fee_fen;
  atRest(`UPDATE fee_item SET amount_fen = amount_fen + 10000 WHERE institution_id = ${inst} AND category = 'basic';`);
  const after = (await vacancy(inst)).monthly_fee_fen;
  if (fee !== null) assert.equal(after, fee + 10000, 'the fee in force follows its item');
  assert.equal((await card(inst)).monthly_fee_fen, after);
});

test('a new institution filed by another process is in the next answer; one leaving is gone', async () => {
  const inst = await toddlerProgram(admin, '留存三号托育园', 2);
  assert.ok(await card(inst));
  atRest(`UPDATE institution SET status = 'closed' WHERE id = ${inst};`);
  assert.equal(await card(inst), undefined);
  assert.equal(await vacancy(inst), undefined);
  atRest(`UPDATE institution SET status = 'filed' WHERE id = ${inst};`);
  assert.ok(await card(inst));
});

test('the dashboard is kept per jurisdiction: a town officer gets their town, the district its own', async () => {
  const town = await srv.login('town-330304001');
  const mine = (await town.get('/api/v1/dashboard')).body;
  const all = (await admin.get('/api/v1/dashboard')).body;
  assert.deepEqual(mine.towns.map((t) => t.code), ['330304001']);
  assert.ok(all.towns.length > 1);
  // again, each from what is kept: still each its own
  const before = await dbCalls();
  for (let i = 0; i < 5; i++) {
    assert.deepEqual((await town.get('/api/v1/dashboard')).body, mine);
    assert.deepEqual((await admin.get('/api/v1/dashboard')).body, all);
  }
  // each answer: the session's statements and the version read, not the dashboard's own
  assert.ok((await dbCalls()) - before < 10 * 8, 'answered from what is kept');
  const other = await srv.login('town-330304002');
  assert.deepEqual((await other.get('/api/v1/dashboard')).body.towns.map((t) => t.code), ['330304002']);
  assert.equal((await (await srv.login('inst-1')).get('/api/v1/dashboard')).status, 403);
});

test('the dashboard follows writes to what it is made from, whoever makes them', async () => {
  const dash = async () => (await admin.get('/api/v1/dashboard')).body;
  const d0 = await dash();
  const t0 = d0.towns.find((t) => t.code === '330304002');
  // places: a new institution through the API
  const inst = await toddlerProgram(admin, '留存四号托育园', 7);
  const d1 = await dash();
  assert.equal(d1.towns.find((t) => t.code === '330304002').places, t0.places + 7);
  // places: its class straight in the database
  atRest(`UPDATE institution_class SET capacity = 17 WHERE institution_id = ${inst};`);
  assert.equal((await dash()).towns.find((t) => t.code === '330304002').places, t0.places + 17);
  // residents: the town's population straight in the database
  const year = atRest("SELECT MAX(year) FROM town_population WHERE town_code = '330304002';");
  atRest(`UPDATE town_population SET residents = residents + 1000 WHERE town_code = '330304002' AND year = ${year};`);
  assert.equal((await dash()).towns.find((t) => t.code === '330304002').residents, t0.residents + 1000);
  atRest(`UPDATE town_population SET residents = residents - 1000 WHERE town_code = '330304002' AND year = ${year};`);
  assert.equal((await dash()).towns.find((t) => t.code === '330304002').residents, t0.residents);
  // the key-task plan: a task another process wrote
  const kt = (await dash()).pilot.key_tasks.tasks;
  atRest(`INSERT INTO key_task (district_code, item, title, description, owner_kind, owner_code, due_on, state, created_by, created_at, updated_at) SELECT district_code, item, title || '（复制）', description, owner_kind, owner_code, due_on, state, created_by, created_at, updated_at FROM key_task WHERE id = (SELECT MIN(id) FROM key_task);`);
  assert.equal((await dash()).pilot.key_tasks.tasks, kt + 1, 'a key task written by another process is counted');
});

test('the findings list is kept per jurisdiction and query, and follows a rectification item another process raised', async () => {
  const page = async (c, q = '') => {
    const r = await c.get(`/api/v1/findings?limit=500${q}`);
    assert.equal(r.status, 200, r.text);
    return r.body.items;
  };
  const town = await srv.login('town-330304001');
  const mine = await page(town);
  const all = await page(admin);
  assert.ok(mine.length > 0 && mine.every((x) => x.town_code === '330304001'));
  assert.ok(all.some((x) => x.town_code !== '330304001'));
  // each again, from what is kept: still each its own; another query, another answer
  assert.deepEqual(await page(town), mine);
  assert.deepEqual(await page(admin), all);
  assert.deepEqual(await page(town, '&town=330304002'), mine, 'a town officer stays in their town');
  const f = all.find((x) => x.rectification_id === null);
  assert.ok(f, 'a finding without a rectification item');
  const row = async () => (await page(admin, `&institution_id=${f.institution_id}`)).find((x) => x.rule === f.rule && x.subject === f.subject);
  assert.equal((await row()).rectification_id, null);
  const by = atRest("SELECT id FROM app_user WHERE login = 'district-admin';");
  const id = atRest(`INSERT INTO rectification_item (district_code, institution_id, source, rule, subject, finding, due_on, status, raised_by, created_at, updated_at) VALUES ('330304', ${f.institution_id}, '${f.source}', '${f.rule}', '${f.subject}', '另一进程写入', '2026-07-01', 'open', ${by}, '2026-06-01T02:00:00Z', '2026-06-01T02:00:00Z') RETURNING id;`);
  assert.equal((await row()).rectification_id, Number(id));
  assert.equal((await row()).rectification_status, 'open');
});
