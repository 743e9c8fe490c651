// rounds.test.mjs — 入托一件事 over HTTP: ranked applications (validation, states, scope), an
// allocation round on a small hand-checked case (offers, lottery, cut-offs, the explanation),
// accepting (enrols, withdraws the child's other applications), declining and the waitlist
// re-run, final states that cannot be left, and the audit trail of every state change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { child, toddlerProgram } from '../lib/fixtures.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';

let srv, admin, family;
const NOW = '2026-06-01T02:00:00Z';
const INTAKE = '2026-09';
const SEED = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
before(async () => {
  srv = await startServer({ now: NOW });
  admin = await srv.login('district-admin');
  family = await srv.login('family');
});
after(async () => { await srv.stop(); });

const program = (name, capacity) => toddlerProgram(admin, name, capacity);

async function apply(kid, choices, criteria = {}, intake = INTAKE, who = family) {
  const r = await who.post('/api/v1/applications', { child_id: kid, intake, choices, criteria });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

const opt = (institution_id) => ({ institution_id, class_type: 'toddler_old' });

test('bad input is refused with the field named', async () => {
  const a = await program('校验托育园', 3);
  const kid = await child(family);
  const post = (body) => family.post('/api/v1/applications', { child_id: kid, intake: INTAKE, ...body });
  let r = await post({ choices: [opt(a), opt(a)] });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'duplicate_choice');
  assert.equal(r.body.error.field, 'choices[1]');
  const many = [];
  for (let i = 0; i < 6; i++) many.push(opt(await program(`志愿托育园${i}`, 1)));
  r = await post({ choices: many });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'choices');
  assert.equal(r.body.error.code, 'too_many_choices');
  r = await post({ choices: many.slice(0, 5) }); // enrol.max_choices (5) itself is allowed
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.choices.length, 5);
  assert.equal((await family.post(`/api/v1/applications/${r.body.id}/withdraw`, {})).body.status, 'withdrawn');
  r = await post({ choices: [{ institution_id: a, class_type: 'infant' }] });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'age_band');
  assert.equal(r.body.error.field, 'choices[0].class_type');
  r = await post({ choices: [opt(a)], criteria: { hardship: 'yes' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'criteria.hardship');
  r = await family.post('/api/v1/applications', { child_id: kid, intake: '2026-13', choices: [opt(a)] });
  assert.equal(r.body.error.field, 'intake');
  r = await family.post('/api/v1/applications', {});
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'child_id');
  r = await admin.post('/api/v1/rounds', { intake: INTAKE, seed: 'abc' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'seed');
  r = await admin.post('/api/v1/rounds', { intake: 'x', seed: SEED });
  assert.equal(r.body.error.field, 'intake');
  // drafts can be edited; submitted ones cannot
  const app = await apply(kid, [opt(a)], {}, '2026-12');
  assert.equal(app.status, 'draft');
  r = await family.put(`/api/v1/applications/${app.id}`, { criteria: { disability: true } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.choices[0].points, 3);
  assert.equal((await family.post(`/api/v1/applications/${app.id}/submit`, {})).body.status, 'submitted');
  r = await family.put(`/api/v1/applications/${app.id}`, { criteria: {} });
  assert.equal(r.status, 409);
  assert.equal((await family.post(`/api/v1/applications/${app.id}/withdraw`, {})).body.status, 'withdrawn');
});

test('a round on a hand-checked case: offers, cut-offs, accept, decline and the waitlist re-run', async () => {
  const A = await program('轮次甲托育园', 1), B = await program('轮次乙托育园', 1);
  // three children of one family, all 托大班 age in 2026-09, all ranking A before B
  const k1 = await child(family), k2 = await child(family), k3 = await child(family);
  const a1 = await apply(k1, [opt(A), opt(B)], { hardship: true });     // 3 points everywhere
  const a2 = await apply(k2, [opt(A), opt(B)], {});
  const a3 = await apply(k3, [opt(A), opt(B)], {});
  assert.deepEqual(a1.choices.map((c) => c.points), [3, 3]);
  assert.deepEqual(a2.choices.map((c) => c.points), [0, 0]);
  // a second application of k1 for another intake, to be withdrawn when k1 accepts
  const other = await apply(k1, [opt(B)], {}, '2026-10');
  for (const a of [a1, a2, a3]) assert.equal((await family.post(`/api/v1/applications/${a.id}/submit`, {})).status, 200);

  const run = await admin.post('/api/v1/rounds', { intake: INTAKE, seed: SEED });
  assert.equal(run.status, 201, run.text);
  const round = run.body;
  assert.equal(round.seed, SEED);
  assert.deepEqual(round.inputs.applications.map((x) => x.application_id), [a1.id, a2.id, a3.id]);
  const lot = Object.fromEntries(round.inputs.applications.map((x) => [x.application_id, x.lottery]));
  assert.deepEqual(Object.values(lot).sort(), [1, 2, 3]);
  // expected by hand: A (1 place) goes to the child with points (a1); B (1 place) to the lower
  // lottery number of a2 and a3; the other is waitlisted
  const [bWinner, bLoser] = lot[a2.id] < lot[a3.id] ? [a2, a3] : [a3, a2];
  const offerOf = (appId) => round.offers.find((o) => o.application_id === appId && o.status === 'offered');
  assert.equal(offerOf(a1.id).institution_id, A);
  assert.equal(offerOf(bWinner.id).institution_id, B);
  assert.equal(offerOf(bLoser.id), undefined);
  assert.equal(round.offers.length, 2);
  assert.equal(offerOf(a1.id).deadline, '2026-06-15');
  const cutA = round.cutoffs.find((c) => c.institution_id === A), cutB = round.cutoffs.find((c) => c.institution_id === B);
  assert.equal(cutA.last_application_id, a1.id);
  assert.equal(cutA.last_points, 3);
  assert.equal(cutA.last_lottery, lot[a1.id]);
  assert.equal(cutB.last_application_id, bWinner.id);
  assert.equal(cutB.last_lottery, lot[bWinner.id]);

  // the explanation: rank list, points, lottery, each program's cut-off
  const why = (await family.get(`/api/v1/applications/${bLoser.id}`)).body;
  assert.equal(why.status, 'waitlisted');
  assert.equal(why.lottery, lot[bLoser.id]);
  assert.equal(why.choices[0].cutoff.last_points, 3);
  assert.equal(why.choices[0].within_cutoff, false);
  assert.equal(why.choices[1].cutoff.last_lottery, lot[bWinner.id]);
  assert.equal(why.choices[1].within_cutoff, false);
  assert.equal((await family.get(`/api/v1/applications/${a1.id}`)).body.status, 'offered');
  assert.equal((await admin.get(`/api/v1/rounds/${round.id}`)).body.id, round.id);
  const listed = (await admin.get(`/api/v1/rounds?intake=${INTAKE}`)).body.items;
  assert.deepEqual(listed.map((r) => [r.id, r.applications, r.open_offers]), [[round.id, 3, 2]]);
  // places held by open offers are not free for first-come booking
  const vac = (await admin.get('/api/v1/public/vacancies?class_type=toddler_old&limit=500')).body.items;
  assert.equal(vac.find((v) => v.institution_id === B), undefined, 'B\'s only place is held by an offer');
  const extra = await child(family);
  const grab = await family.post('/api/v1/bookings', { child_id: extra, institution_id: B, class_type: 'toddler_old', start_month: INTAKE });
  assert.equal(grab.status, 409);
  assert.equal(grab.body.error.code, 'program_full');

  // accept: the child is enrolled, its other application withdrawn
  const acc = await family.post(`/api/v1/offers/${offerOf(a1.id).id}/accept`, {});
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.body.withdrawn_applications, 1);
  assert.equal((await family.get(`/api/v1/applications/${other.id}`)).body.status, 'withdrawn');
  assert.equal((await family.get(`/api/v1/applications/${a1.id}`)).body.status, 'accepted');
  const instA = (await admin.get(`/api/v1/institutions/${A}`)).body;
  assert.equal(instA.classes.reduce((s, c) => s + c.enrolled, 0), 1);
  assert.equal((await family.post(`/api/v1/offers/${offerOf(a1.id).id}/accept`, {})).status, 409);

  // decline: the place at B is freed; the re-run offers it to the next in order
  const dec = await family.post(`/api/v1/offers/${offerOf(bWinner.id).id}/decline`, {});
  assert.equal(dec.status, 200, dec.text);
  const rerun = await admin.post(`/api/v1/rounds/${round.id}/rerun`, {});
  assert.equal(rerun.status, 200, rerun.text);
  assert.equal(rerun.body.new_offers, 1);
  const next = rerun.body.offers.find((o) => o.application_id === bLoser.id && o.status === 'offered');
  assert.equal(next.institution_id, B);
  assert.equal((await family.get(`/api/v1/applications/${bLoser.id}`)).body.status, 'offered');
  assert.equal((await family.get(`/api/v1/applications/${bWinner.id}`)).body.status, 'declined');
  // the accepted place stayed fixed
  assert.ok(rerun.body.outputs.find((o) => o.application_id === a1.id).fixed);

  // every state change is in the audit log
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?limit=200')).body.items;
  const has = (action, id) => log.some((x) => x.action === action && (id === undefined || String(x.target_id) === String(id)));
  for (const s of ['draft', 'submitted', 'in_round', 'offered', 'accepted']) assert.ok(has(`application.${s}`, a1.id), s);
  assert.ok(has('application.waitlisted', bLoser.id));
  assert.ok(has('application.declined', bWinner.id));
  assert.ok(has('application.withdrawn', other.id));
  assert.ok(has('round.run', round.id) && has('round.rerun', round.id) && has('offer.accept') && has('offer.decline'));
});

test('scope: a family sees only its own applications; an institution those naming it', async () => {
  const A = await program('范围托育园', 2);
  const kid = await child(family);
  const app = await apply(kid, [opt(A)], {}, '2026-11');
  const sec = await srv.login('security-admin');
  const u = await sec.post('/api/v1/users', { login: 'family-two', name: '另一位家长', role: 'family', password: PASSWORD });
  assert.equal(u.status, 201, u.text);
  const fam2 = await srv.login('family-two');
  assert.equal((await fam2.get(`/api/v1/applications/${app.id}`)).status, 404);
  assert.equal((await fam2.post(`/api/v1/applications/${app.id}/withdraw`, {})).status, 404);
  assert.equal((await fam2.get('/api/v1/applications')).body.items.length, 0);
  assert.equal((await fam2.post('/api/v1/applications', { child_id: kid, intake: '2026-11', choices: [opt(A)] })).status, 404);
  const mine = (await family.get('/api/v1/applications')).body.items;
  assert.ok(mine.some((x) => x.id === app.id));
  const op = await srv.login(`inst-${(await admin.get('/api/v1/institutions?town=330304001&limit=1')).body.items[0].id}`);
  assert.equal((await op.get(`/api/v1/applications/${app.id}`)).status, 404);
  assert.ok(!(await op.get('/api/v1/applications')).body.items.some((x) => x.id === app.id));
  assert.equal((await family.post('/api/v1/rounds', { intake: INTAKE, seed: SEED })).status, 403);
});

test('an offer not accepted by its deadline lapses at the re-run, and the place goes to the next in order', async () => {
  const C = await program('期限托育园', 1);
  const k4 = await child(family), k5 = await child(family);
  const a4 = await apply(k4, [opt(C)], { disability: true }, '2027-01');
  const a5 = await apply(k5, [opt(C)], {}, '2027-01');
  for (const a of [a4, a5]) assert.equal((await family.post(`/api/v1/applications/${a.id}/submit`, {})).status, 200);
  const round = (await admin.post('/api/v1/rounds', { intake: '2027-01', seed: 'ff'.repeat(32) })).body;
  const first = round.offers.find((o) => o.application_id === a4.id);
  assert.equal(first.deadline, '2026-06-15');
  // the same database, three weeks later
  const later = await startServer({ now: '2026-06-20T02:00:00Z', database: srv.database });
  try {
    const fam = await later.login('family'), adm = await later.login('district-admin');
    const late = await fam.post(`/api/v1/offers/${first.id}/accept`, {});
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'offer_expired');
    const rerun = await adm.post(`/api/v1/rounds/${round.id}/rerun`, {});
    assert.equal(rerun.status, 200, rerun.text);
    assert.equal(rerun.body.lapsed, 1);
    const next = rerun.body.offers.find((o) => o.application_id === a5.id);
    assert.equal(next.status, 'offered');
    assert.equal(next.deadline, '2026-07-04');
    assert.equal((await fam.get(`/api/v1/applications/${a4.id}`)).body.status, 'lapsed');
    assert.equal((await fam.post(`/api/v1/offers/${next.id}/accept`, {})).status, 200);
  } finally {
    await later.stop();
  }
});

test('two rounds started at once for one intake freeze each application once', async () => {
  const D = await program('并发轮次托育园', 5);
  const ids = [];
  for (let i = 0; i < 4; i++) {
    const a = await apply(await child(family), [opt(D)], {}, '2026-08');
    assert.equal((await family.post(`/api/v1/applications/${a.id}/submit`, {})).status, 200);
    ids.push(a.id);
  }
  const [r1, r2] = await Promise.all([1, 2].map(() => admin.post('/api/v1/rounds', { intake: '2026-08', seed: '0f'.repeat(32) })));
  assert.equal(r1.status, 201, r1.text);
  assert.equal(r2.status, 201, r2.text);
  const frozen = [...r1.body.inputs.applications, ...r2.body.inputs.applications].map((x) => x.application_id).sort((x, y) => x - y);
  assert.deepEqual(frozen, ids);
  assert.equal(r1.body.offers.length + r2.body.offers.length, 4);
});

test("staff views of a program: held and free places, applications naming it with their offer, names in the round, reads audited", async () => {
  const a = await program('占用统计托育园', 3);
  const b = await program('占用统计二园', 1);
  const intake = '2026-11';
  const apps = [];
  for (let i = 0; i < 2; i++) {
    const app = await apply(await child(family), [opt(a)], {}, intake);
    assert.equal((await family.post(`/api/v1/applications/${app.id}/submit`, {})).status, 200);
    apps.push(app.id);
  }
  const other = await apply(await child(family), [opt(b)], {}, intake);
  assert.equal((await family.post(`/api/v1/applications/${other.id}/submit`, {})).status, 200);
  const booked = await family.post('/api/v1/bookings', { child_id: await child(family), institution_id: a, class_type: 'toddler_old', start_month: '2026-07' });
  assert.equal(booked.status, 201, booked.text);
  const round = await admin.post('/api/v1/rounds', { intake, seed: 'c4'.repeat(32) });
  assert.equal(round.status, 201, round.text);

  const sec = await srv.login('security-admin');
  const u = await sec.post('/api/v1/users', { login: `op-${a}`, name: '机构管理员', role: 'institution_operator', institution_id: a, password: PASSWORD });
  assert.equal(u.status, 201, u.text);
  const op = await srv.login(`op-${a}`);
  const progs = await op.get(`/api/v1/institutions/${a}/programs`);
  assert.equal(progs.status, 200, progs.text);
  assert.deepEqual(progs.body.items.map((p) => [p.class_type, p.capacity, p.enrolled, p.booked, p.offered, p.free_places]),
    [['toddler_old', 3, 0, 1, 2, 0]], 'one booking and two open offers hold all three places');
  assert.equal((await op.get(`/api/v1/institutions/${b}/programs`)).status, 404, "another institution's programs are out of scope");
  assert.equal((await family.get(`/api/v1/institutions/${a}/programs`)).status, 403);

  // applications naming the institution, each with its latest offer
  const listed = (await admin.get(`/api/v1/applications?institution_id=${a}&intake=${intake}`)).body.items;
  assert.deepEqual(listed.map((x) => x.id).sort(), [...apps].sort());
  for (const x of listed) assert.equal(x.offer.institution_id, a);
  assert.equal(listed[0].offer.status, 'offered');
  assert.deepEqual((await op.get(`/api/v1/applications?institution_id=${a}`)).body.items.map((x) => x.id).sort(), [...apps].sort());
  assert.equal((await admin.get('/api/v1/applications?institution_id=abc')).status, 400);

  // the round names institutions and (masked) children
  const detail = (await admin.get(`/api/v1/rounds/${round.body.id}`)).body;
  assert.equal(detail.cutoffs.find((c) => c.institution_id === a).institution_name, '占用统计托育园');
  assert.equal(detail.inputs.programs.find((p) => p.institution_id === b).institution_name, '占用统计二园');
  for (const o of detail.offers) { assert.ok(o.institution_name); assert.match(o.child_name, /\*/); }

  // staff reads of children's data are in the audit log; a family reading its own is not
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?limit=100')).body.items;
  for (const action of ['application.list', 'round.read']) assert.ok(log.some((r) => r.action === action && r.login !== 'family'), action);
  await family.get('/api/v1/applications');
  const after = (await auditor.get('/api/v1/audit?limit=5')).body.items;
  assert.ok(!after.some((r) => r.action === 'application.list' && r.login === 'family'));
  await op.get('/api/v1/bookings');
  assert.ok((await auditor.get('/api/v1/audit?limit=5')).body.items.some((r) => r.action === 'booking.list' && r.login === `op-${a}`));
});

test('an application in a final state (accepted, declined, lapsed, withdrawn) cannot be withdrawn; nothing changes', async () => {
  const F = await program('终态托育园', 4);
  const intake = '2027-02';
  const apps = {};
  for (const s of ['accepted', 'declined', 'lapsed', 'withdrawn']) {
    apps[s] = await apply(await child(family, '2024-06-15'), [opt(F)], {}, intake);
    assert.equal((await family.post(`/api/v1/applications/${apps[s].id}/submit`, {})).status, 200);
  }
  const round = await admin.post('/api/v1/rounds', { intake, seed: '5a'.repeat(32) });
  assert.equal(round.status, 201, round.text);
  const offer = (s) => round.body.offers.find((o) => o.application_id === apps[s].id).id;
  assert.equal((await family.post(`/api/v1/offers/${offer('accepted')}/accept`, {})).status, 200);
  assert.equal((await family.post(`/api/v1/offers/${offer('declined')}/decline`, {})).status, 200);
  assert.equal((await family.post(`/api/v1/applications/${apps.withdrawn.id}/withdraw`, {})).status, 200);
  // past the deadline the re-run lapses the last open offer
  const later = await startServer({ now: '2026-06-20T02:00:00Z', database: srv.database });
  try {
    const fam = await later.login('family'), adm = await later.login('district-admin'), auditor = await later.login('auditor');
    const rerun = await adm.post(`/api/v1/rounds/${round.body.id}/rerun`, {});
    assert.equal(rerun.status, 200, rerun.text);
    assert.equal(rerun.body.lapsed, 1);
    // the application with its offers, the program's places and enrolment, the audit log's head
    const state = async (s) => [
      (await fam.get(`/api/v1/applications/${apps[s].id}`)).body,
      (await adm.get(`/api/v1/institutions/${F}/programs`)).body,
      (await adm.get(`/api/v1/institutions/${F}`)).body.classes,
      (await auditor.get('/api/v1/audit?limit=1')).body.items[0].id,
    ];
    assert.equal((await state('accepted'))[2].reduce((n, c) => n + c.enrolled, 0), 1, 'the accepted child is enrolled');
    for (const s of ['accepted', 'declined', 'lapsed', 'withdrawn']) {
      const before = await state(s);
      assert.equal(before[0].status, s);
      const r = await fam.post(`/api/v1/applications/${apps[s].id}/withdraw`, {});
      assert.equal(r.status, 409, `withdraw from ${s}: ${r.status} ${r.text}`);
      assert.equal(r.body.error.code, 'bad_state');
      assert.equal(r.body.error.field, 'status');
      assert.deepEqual(await state(s), before, `withdraw from ${s} changed something`);
    }
  } finally {
    await later.stop();
  }
});

test('each application carries the moves its reader may make now; only the family and the district read the declared criteria', async () => {
  const G = await program('动作托育园', 1);
  const intake = '2027-03';
  const a = await apply(await child(family, '2024-06-15'), [opt(G)], { disability: true }, intake);
  assert.deepEqual(a.actions, ['update', 'submit', 'withdraw']);
  const b = await apply(await child(family, '2024-06-15'), [opt(G)], {}, intake);
  const submitted = (await family.post(`/api/v1/applications/${a.id}/submit`, {})).body;
  assert.equal(submitted.status, 'submitted');
  assert.deepEqual(submitted.actions, ['withdraw']);
  assert.equal((await family.post(`/api/v1/applications/${b.id}/submit`, {})).status, 200);
  const listed = (await family.get(`/api/v1/applications?intake=${intake}`)).body.items;
  assert.deepEqual(listed.map((x) => [x.id, x.actions]).sort((x, y) => x[0] - y[0]), [[a.id, ['withdraw']], [b.id, ['withdraw']]]);
  const round = await admin.post('/api/v1/rounds', { intake, seed: '7c'.repeat(32) });
  assert.equal(round.status, 201, round.text);
  const mine = {};
  for (const x of [a, b]) mine[x.id] = (await family.get(`/api/v1/applications/${x.id}`)).body;
  const [offered, waiting] = mine[a.id].status === 'offered' ? [mine[a.id], mine[b.id]] : [mine[b.id], mine[a.id]];
  assert.equal(offered.status, 'offered');
  assert.deepEqual(offered.actions, ['withdraw', 'accept', 'decline']);
  assert.equal(waiting.status, 'waitlisted');
  assert.deepEqual(waiting.actions, ['withdraw']);
  // staff make none of these moves; the district reads the criteria, the institution only the points
  const fromAdmin = (await admin.get(`/api/v1/applications/${a.id}`)).body;
  assert.deepEqual(fromAdmin.actions, []);
  assert.deepEqual(fromAdmin.criteria, { disability: true });
  assert.deepEqual(mine[a.id].criteria, { disability: true });
  const sec = await srv.login('security-admin');
  const u = await sec.post('/api/v1/users', { login: `op-${G}`, name: '机构管理员', role: 'institution_operator', institution_id: G, password: PASSWORD });
  assert.equal(u.status, 201, u.text);
  const op = await srv.login(`op-${G}`);
  const fromOp = await op.get(`/api/v1/applications/${a.id}`);
  assert.equal(fromOp.status, 200, fromOp.text);
  assert.deepEqual(fromOp.body.actions, []);
  assert.equal(fromOp.body.criteria, undefined);
  assert.equal(fromOp.body.choices[0].points, 3);
  assert.ok((await op.get('/api/v1/applications')).body.items.every((x) => Array.isArray(x.actions) && x.actions.length === 0));
  // accepting leaves nothing to do
  const acc = await family.post(`/api/v1/offers/${offered.offers.find((o) => o.status === 'offered').id}/accept`, {});
  assert.equal(acc.status, 200, acc.text);
  assert.deepEqual((await family.get(`/api/v1/applications/${offered.id}`)).body.actions, []);
});

test('points from the data: a brother or sister attending the institution, and the child\'s own town, at create, submit and in the round', async () => {
  const Q = await program('同胞托育园', 2), R = await program('同镇托育园', 2); // both in 梧田街道 330304002
  // an older child of the family gets a place at Q (accepting enrols it there)
  const k1 = await child(family, '2024-06-15');
  const a1 = await apply(k1, [opt(Q)], {}, '2027-05');
  assert.equal((await family.post(`/api/v1/applications/${a1.id}/submit`, {})).status, 200);
  const r1 = await admin.post('/api/v1/rounds', { intake: '2027-05', seed: '3d'.repeat(32) });
  assert.equal(r1.status, 201, r1.text);
  assert.equal((await family.post(`/api/v1/offers/${r1.body.offers[0].id}/accept`, {})).status, 200);
  // its brother (hukou in 梧田) and a sister of unknown hukou apply to Q and R
  const k2 = await child(family, '2024-06-15', { hukou_town: '330304002' }), k3 = await child(family, '2024-06-15');
  const a2 = await apply(k2, [opt(Q), opt(R)], {}, '2027-06'), a3 = await apply(k3, [opt(R), opt(Q)], { multi_child: true }, '2027-06');
  assert.deepEqual(a2.choices.map((c) => c.points), [3, 1], 'sibling 2 + same town 1 at Q, same town at R');
  assert.deepEqual(a3.choices.map((c) => c.points), [2, 4], 'multi-child 2, and the sibling at Q');
  for (const a of [a2, a3]) {
    const s = await family.post(`/api/v1/applications/${a.id}/submit`, {});
    assert.equal(s.status, 200, s.text);
    assert.deepEqual(s.body.choices.map((c) => c.points), a.choices.map((c) => c.points));
  }
  const r2 = await admin.post('/api/v1/rounds', { intake: '2027-06', seed: '4e'.repeat(32) });
  assert.equal(r2.status, 201, r2.text);
  const frozen = Object.fromEntries(r2.body.inputs.applications.map((x) => [x.application_id, x.choices.map((c) => [c.institution_id, c.points])]));
  assert.deepEqual(frozen[a2.id], [[Q, 3], [R, 1]]);
  assert.deepEqual(frozen[a3.id], [[R, 2], [Q, 4]]);
  // a child attending Q is not its own brother: applying there again earns it nothing
  const again = await apply(k1, [opt(Q)], {}, '2027-06');
  assert.deepEqual(again.choices.map((c) => c.points), [0]);
  const sub = await family.post(`/api/v1/applications/${again.id}/submit`, {});
  assert.equal(sub.status, 200, sub.text);
  assert.deepEqual(sub.body.choices.map((c) => c.points), [0]);
});
