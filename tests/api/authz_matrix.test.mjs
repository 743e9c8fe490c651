// authz_matrix.test.mjs — generated from the route table: every route × every role × a record
// inside and outside the user's jurisdiction gets the status the policy implies. A route whose
// action has no policy rule fails here (and the server refuses to start with it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tuoyu, Client } from '../lib/server.mjs';

let srv, routes, policy, admin;
const HOME_TOWN = '330304001';   // 景山街道: the town officer's town, the operator's and instructor's institutions
const OTHER_TOWN = '330304002';  // 梧田街道: outside all three
const LOGINS = {
  district_admin: 'district-admin', dept_reviewer: 'dept-reviewer', town_officer: `town-${HOME_TOWN}`,
  institution_operator: null, health_instructor: 'health-instructor', station_operator: 'station-operator',
  family: 'family', evaluator: 'evaluator', auditor: 'auditor', security_admin: 'security-admin',
};
// roles whose reach is narrower than the district
const SCOPED = new Set(['town_officer', 'institution_operator', 'health_instructor', 'station_operator', 'family']);
let homeId, otherId, someUserId, homeChild, otherChild, bookingId, applicationId, roundId, offerId, visitSlotId, visitBookingId, accountRequestId;

before(async () => {
  const r = tuoyu(['routes']);
  assert.equal(r.status, 0, r.stderr);
  ({ routes, policy } = JSON.parse(r.stdout));
  srv = await startServer();
  admin = await srv.login('district-admin');
  const home = await admin.get(`/api/v1/institutions?town=${HOME_TOWN}&limit=1`);
  const other = await admin.get(`/api/v1/institutions?town=${OTHER_TOWN}&limit=1`);
  homeId = home.body.items[0].id;
  otherId = other.body.items[0].id;
  LOGINS.institution_operator = `inst-${homeId}`;
  const sec = await srv.login('security-admin');
  someUserId = (await sec.get('/api/v1/users')).body.items[0].id;
  // the demo family's child attends the home institution; another child attends one elsewhere
  const family = await srv.login('family');
  homeChild = (await family.get('/api/v1/children')).body.items[0];
  assert.equal(homeChild.institution_id, homeId, 'the demo family child attends the first 景山 institution');
  const kids = [];
  for (let cursor = null; ;) {
    const r = await admin.get(`/api/v1/children?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    kids.push(...r.body.items);
    if (!(cursor = r.body.next)) break;
  }
  otherChild = kids.find((k) => k.institution_id === otherId);
  // a booking of the family's: a new child of 30 months and a 托大班 with a free place next month
  const now = new Date();
  const birth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 30, 10)).toISOString().slice(0, 10);
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
  const kid = (await family.post('/api/v1/children', { name: '矩阵测试', birth_date: birth, sex: 2, birth_cert: 'M123456789' })).body;
  const free = (await new Client(srv.url).get('/api/v1/public/vacancies?class_type=toddler_old')).body.items[0];
  const booking = await family.post('/api/v1/bookings', { child_id: kid.id, institution_id: free.institution_id, class_type: 'toddler_old', start_month: next });
  assert.equal(booking.status, 201, booking.text);
  bookingId = booking.body.id;
  // applications and rounds: a draft naming a program of the home institution, and a round
  // (two months ahead) that gives the family an offer at a program with free places
  const ageFor = { infant: 8, toddler_young: 18, toddler_old: 30, mixed: 30 };
  const birthAt = (months) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1 - months, 10)).toISOString().slice(0, 10);
  const homeClass = (await admin.get(`/api/v1/institutions/${homeId}`)).body.classes[0].class_type;
  const kid2 = (await family.post('/api/v1/children', { name: '矩阵申请', birth_date: birthAt(ageFor[homeClass]), sex: 1, birth_cert: 'M223456789' })).body;
  const draft = await family.post('/api/v1/applications', { child_id: kid2.id, intake: next, choices: [{ institution_id: homeId, class_type: homeClass }] });
  assert.equal(draft.status, 201, draft.text);
  applicationId = draft.body.id;
  const later = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1)).toISOString().slice(0, 7);
  const kid3 = (await family.post('/api/v1/children', { name: '矩阵录取', birth_date: birthAt(31), sex: 2, birth_cert: 'M323456789' })).body;
  const roomy = (await new Client(srv.url).get('/api/v1/public/vacancies?class_type=toddler_old')).body.items.find((v) => v.free_places >= 2);
  const app3 = await family.post('/api/v1/applications', { child_id: kid3.id, intake: later, choices: [{ institution_id: roomy.institution_id, class_type: 'toddler_old' }] });
  assert.equal(app3.status, 201, app3.text);
  assert.equal((await family.post(`/api/v1/applications/${app3.body.id}/submit`, {})).status, 200);
  const round = await admin.post('/api/v1/rounds', { intake: later, seed: 'ab'.repeat(32) });
  assert.equal(round.status, 201, round.text);
  roundId = round.body.id;
  offerId = round.body.offers[0].id;
  // a visit slot at the home institution, booked by the family
  const op = await srv.login(`inst-${homeId}`);
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 3)).toISOString().slice(0, 10);
  const slot = await op.post(`/api/v1/institutions/${homeId}/visit-slots`, { starts_at: `${day}T09:00:00+08:00`, ends_at: `${day}T10:00:00+08:00`, capacity: 5 });
  assert.equal(slot.status, 201, slot.text);
  visitSlotId = slot.body.id;
  const visit = await family.post('/api/v1/visit-bookings', { slot_id: visitSlotId, visitors: 1 });
  assert.equal(visit.status, 201, visit.text);
  visitBookingId = visit.body.id;
  // a pending account request filed by a second security administrator (made with the CLI, the
  // server operator's path), so that no role of the matrix is its requester: the first allowed
  // role approves it, the others find it decided (409)
  const cli = tuoyu(['user', 'add', 'matrix-security', '--role', 'security_admin', '--name', '矩阵安全员', '--password', srv.password, ...srv.database.args]);
  assert.equal(cli.status, 0, cli.stderr);
  const sec2 = await srv.login('matrix-security');
  const filed = await sec2.post('/api/v1/users', { login: 'matrix-auditor', name: '矩阵审计员', role: 'auditor', password: srv.password });
  assert.equal(filed.status, 202, filed.text);
  accountRequestId = filed.body.request.id;
});
after(async () => { await srv.stop(); });

function pathFor(pattern, inside) {
  return pattern.replace('{id}', () => {
    if (pattern.startsWith('/api/v1/users/')) return String(someUserId);
    if (pattern.startsWith('/api/v1/children/')) return String(inside ? homeChild.id : otherChild.id);
    if (pattern.startsWith('/api/v1/bookings/')) return String(bookingId);
    if (pattern.startsWith('/api/v1/applications/')) return String(applicationId);
    if (pattern.startsWith('/api/v1/rounds/')) return String(roundId);
    if (pattern.startsWith('/api/v1/offers/')) return String(offerId);
    if (pattern.startsWith('/api/v1/visit-slots/')) return String(visitSlotId);
    if (pattern.startsWith('/api/v1/visit-bookings/')) return String(visitBookingId);
    if (pattern.startsWith('/api/v1/account-requests/')) return String(accountRequestId);
    return String(inside ? homeId : otherId);
  });
}

test('every route names an action the policy knows', () => {
  assert.ok(routes.length >= 15);
  for (const r of routes) assert.ok(r.action in policy, `${r.method} ${r.pattern}: action ${r.action} has no policy rule`);
});

test('anonymous: public routes open, all others 401', async () => {
  const c = new Client(srv.url);
  for (const r of routes) {
    if (r.method !== 'GET' && r.action === 'public') continue; // POST /session is exercised elsewhere
    const res = await c.request(r.method, pathFor(r.pattern, true), r.method === 'GET' ? undefined : {});
    if (r.action === 'public') assert.notEqual(res.status, 401, `${r.method} ${r.pattern}`);
    else assert.equal(res.status, 401, `${r.method} ${r.pattern} without a session`);
  }
});

for (const role of Object.keys(LOGINS)) {
  test(`role ${role}: every route answers as the policy says`, async () => {
    let c = await srv.login(LOGINS[role]);
    for (const r of routes) {
      if (r.action === 'public') continue;
      const allowed = r.action === 'session' || (policy[r.action] || []).includes(role);
      const body = r.method === 'GET' ? undefined : {};
      const withId = r.pattern.includes('{id}');
      const scopedTarget = withId && (r.pattern.startsWith('/api/v1/institutions/') || r.pattern.startsWith('/api/v1/children/'));
      const res = await c.request(r.method, pathFor(r.pattern, true), body);
      const what = `${role} ${r.method} ${r.pattern}`;
      if (!allowed) {
        assert.equal(res.status, 403, `${what}: expected 403, got ${res.status} ${res.text}`);
      } else {
        assert.ok(![401, 403, 404].includes(res.status), `${what} (own jurisdiction): got ${res.status} ${res.text}`);
        if (scopedTarget && SCOPED.has(role)) {
          const out = await c.request(r.method, pathFor(r.pattern, false), body);
          assert.ok([403, 404].includes(out.status), `${what} on another town's record: got ${out.status}`);
        }
      }
      if (r.method === 'DELETE' && r.pattern === '/api/v1/session') c = await srv.login(LOGINS[role]);
    }
  });
}

test('lists are scoped: a town officer sees only their town', async () => {
  const c = await srv.login(`town-${HOME_TOWN}`);
  let cursor = null, seen = 0;
  do {
    const r = await c.get(`/api/v1/institutions?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200);
    for (const it of r.body.items) assert.equal(it.town_code, HOME_TOWN);
    seen += r.body.items.length;
    cursor = r.body.next;
  } while (cursor);
  assert.ok(seen > 0);
  const op = await srv.login(`inst-${homeId}`);
  const mine = await op.get('/api/v1/institutions');
  assert.deepEqual(mine.body.items.map((i) => i.id), [homeId]);
});
