// routes.mjs — the route table as the server prints it (`tuoyu routes`), one login per role, and
// records for every route's {id} inside (and outside) each role's reach, built through the API on
// a demo server. Tests generated from the route table (authorization matrix, CSRF) use it, so a
// new route is covered by them at once.
import assert from 'node:assert/strict';
import { tuoyu, Client } from './server.mjs';

export const HOME_TOWN = '330304001';   // 景山街道: the town officer's town, the operator's and instructor's institutions
export const OTHER_TOWN = '330304002';  // 梧田街道: outside all three

// { routes: [{method, pattern, action}], policy: {action: [role]} }
export function routeTable() {
  const r = tuoyu(['routes']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// A demo login of every role; the institution operator's is that of institution homeId (in HOME_TOWN).
export function roleLogins(homeId) {
  return {
    district_admin: 'district-admin', dept_reviewer: 'dept-reviewer', town_officer: `town-${HOME_TOWN}`,
    institution_operator: `inst-${homeId}`, health_instructor: 'health-instructor', station_operator: 'station-operator',
    family: 'family', evaluator: 'evaluator', auditor: 'auditor', security_admin: 'security-admin',
  };
}

// Builds the records on srv; returns { logins, pathFor, ...ids }. logins maps each role to a demo
// login; pathFor(pattern, inside) fills {id} with a record inside (or outside) the caller's reach.
export async function routeFixtures(srv) {
  const f = {};
  const admin = await srv.login('district-admin');
  const home = await admin.get(`/api/v1/institutions?town=${HOME_TOWN}&limit=1`);
  const other = await admin.get(`/api/v1/institutions?town=${OTHER_TOWN}&limit=1`);
  f.homeId = home.body.items[0].id;
  f.otherId = other.body.items[0].id;
  f.logins = roleLogins(f.homeId);
  const sec = await srv.login('security-admin');
  f.someUserId = (await sec.get('/api/v1/users')).body.items[0].id;
  // the demo family's child attends the home institution; another child attends one elsewhere
  const family = await srv.login('family');
  f.homeChild = (await family.get('/api/v1/children')).body.items[0];
  assert.equal(f.homeChild.institution_id, f.homeId, 'the demo family child attends the first 景山 institution');
  const kids = [];
  for (let cursor = null; ;) {
    const r = await admin.get(`/api/v1/children?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    kids.push(...r.body.items);
    if (!(cursor = r.body.next)) break;
  }
  f.otherChild = kids.find((k) => k.institution_id === f.otherId);
  // a booking of the family's: a new child of 30 months and a 托大班 with a free place next month
  const now = new Date();
  const birth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 30, 10)).toISOString().slice(0, 10);
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
  const kid = (await family.post('/api/v1/children', { name: '矩阵测试', birth_date: birth, sex: 2, birth_cert: 'M123456789' })).body;
  const free = (await new Client(srv.url).get('/api/v1/public/vacancies?class_type=toddler_old')).body.items[0];
  const booking = await family.post('/api/v1/bookings', { child_id: kid.id, institution_id: free.institution_id, class_type: 'toddler_old', start_month: next });
  assert.equal(booking.status, 201, booking.text);
  f.bookingId = booking.body.id;
  // applications and rounds: a draft naming a program of the home institution, and a round
  // (two months ahead) that gives the family an offer at a program with free places
  const ageFor = { infant: 8, toddler_young: 18, toddler_old: 30, mixed: 30 };
  const birthAt = (months) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1 - months, 10)).toISOString().slice(0, 10);
  const homeClass = (await admin.get(`/api/v1/institutions/${f.homeId}`)).body.classes[0].class_type;
  const kid2 = (await family.post('/api/v1/children', { name: '矩阵申请', birth_date: birthAt(ageFor[homeClass]), sex: 1, birth_cert: 'M223456789' })).body;
  const draft = await family.post('/api/v1/applications', { child_id: kid2.id, intake: next, choices: [{ institution_id: f.homeId, class_type: homeClass }] });
  assert.equal(draft.status, 201, draft.text);
  f.applicationId = draft.body.id;
  const later = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1)).toISOString().slice(0, 7);
  const kid3 = (await family.post('/api/v1/children', { name: '矩阵录取', birth_date: birthAt(31), sex: 2, birth_cert: 'M323456789' })).body;
  const roomy = (await new Client(srv.url).get('/api/v1/public/vacancies?class_type=toddler_old')).body.items.find((v) => v.free_places >= 2);
  const app3 = await family.post('/api/v1/applications', { child_id: kid3.id, intake: later, choices: [{ institution_id: roomy.institution_id, class_type: 'toddler_old' }] });
  assert.equal(app3.status, 201, app3.text);
  assert.equal((await family.post(`/api/v1/applications/${app3.body.id}/submit`, {})).status, 200);
  const round = await admin.post('/api/v1/rounds', { intake: later, seed: 'ab'.repeat(32) });
  assert.equal(round.status, 201, round.text);
  f.roundId = round.body.id;
  f.offerId = round.body.offers[0].id;
  // a visit slot at the home institution, booked by the family
  const op = await srv.login(`inst-${f.homeId}`);
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 3)).toISOString().slice(0, 10);
  const slot = await op.post(`/api/v1/institutions/${f.homeId}/visit-slots`, { starts_at: `${day}T09:00:00+08:00`, ends_at: `${day}T10:00:00+08:00`, capacity: 5 });
  assert.equal(slot.status, 201, slot.text);
  f.visitSlotId = slot.body.id;
  const visit = await family.post('/api/v1/visit-bookings', { slot_id: f.visitSlotId, visitors: 1 });
  assert.equal(visit.status, 201, visit.text);
  f.visitBookingId = visit.body.id;
  // a pending account request filed by a second security administrator (made with the CLI, the
  // server operator's path), so that no role of the matrix is its requester: the first allowed
  // role approves it, the others find it decided (409)
  const cli = tuoyu(['user', 'add', 'matrix-security', '--role', 'security_admin', '--name', '矩阵安全员', '--password', srv.password, ...srv.database.args]);
  assert.equal(cli.status, 0, cli.stderr);
  const sec2 = await srv.login('matrix-security');
  const filed = await sec2.post('/api/v1/users', { login: 'matrix-auditor', name: '矩阵审计员', role: 'auditor', password: srv.password });
  assert.equal(filed.status, 202, filed.text);
  f.accountRequestId = filed.body.request.id;

  f.pathFor = (pattern, inside) => pattern.replace('{id}', () => {
    if (pattern.startsWith('/api/v1/users/')) return String(f.someUserId);
    if (pattern.startsWith('/api/v1/children/')) return String(inside ? f.homeChild.id : f.otherChild.id);
    if (pattern.startsWith('/api/v1/bookings/')) return String(f.bookingId);
    if (pattern.startsWith('/api/v1/applications/')) return String(f.applicationId);
    if (pattern.startsWith('/api/v1/rounds/')) return String(f.roundId);
    if (pattern.startsWith('/api/v1/offers/')) return String(f.offerId);
    if (pattern.startsWith('/api/v1/visit-slots/')) return String(f.visitSlotId);
    if (pattern.startsWith('/api/v1/visit-bookings/')) return String(f.visitBookingId);
    if (pattern.startsWith('/api/v1/account-requests/')) return String(f.accountRequestId);
    return String(inside ? f.homeId : f.otherId);
  });
  return f;
}
