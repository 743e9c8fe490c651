// rating_workflow.test.mjs — the star-rating workflow over HTTP, on SQLite and PostgreSQL (issue 17
// item 2): a filed institution's operator opens an assessment, scores itself and attaches the
// evidence each item asks for; the town passes it; the district assigns evaluators — refused for
// one who declared a link to the institution — who score alone (none sees another's sheet until
// the district concludes); the combined sheet is judged (three experts' mean on WS/T 821, five
// experts' trimmed mean on the Ouhai star scheme); during publicity anyone logged in objects, the
// district answers, an objection upheld sends the assessment back to the experts; after the
// period the level is in force (history, public page with its meaning, the registry's star_level
// derived). Bad input: a score above an item's maximum, a submission without evidence (each
// missing item named), a conflict of interest — clear errors, nothing written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, tuoyu } from '../lib/server.mjs';
import { pdfBytes, uploadTo } from '../lib/fixtures.mjs';
import { readSheet } from '../lib/xlsx.mjs';

const TOWN = '330304001';
const DAY = '2026-03-02';
const NOW = `${DAY}T02:00:00Z`;          // 10:00 in Beijing
const LATER_DAY = '2026-03-10';           // publicity (7 days from the conclusion) has run
const LATER = `${LATER_DAY}T02:00:00Z`;

let srv, admin, sec, town, anon;
const schemes = {};
before(async () => {
  srv = await startServer({ now: NOW });
  admin = await srv.login('district-admin');
  sec = await srv.login('security-admin');
  town = await srv.login(`town-${TOWN}`);
  anon = new Client(srv.url);
  for (const code of ['wst821', 'ouhai_star']) {
    const list = (await anon.get('/api/v1/public/rating-schemes')).body.items;
    const id = list.find((s) => s.code === code).id;
    schemes[code] = (await anon.get(`/api/v1/public/rating-schemes/${id}`)).body;
  }
});
after(async () => { await srv.stop(); srv.database.cleanup(); });

/** The same database served again with the clock at now; every session logged in again. */
async function restart(now) {
  await srv.stop({ keepDatabase: true });
  srv = await startServer({ now, database: srv.database });
  admin = await srv.login('district-admin');
  sec = await srv.login('security-admin');
  town = await srv.login(`town-${TOWN}`);
  anon = new Client(srv.url);
}

const used = new Set();
async function institution() {
  const r = await admin.get(`/api/v1/institutions?status=filed&town=${TOWN}&limit=100`);
  assert.equal(r.status, 200, r.text);
  const inst = r.body.items.find((i) => !used.has(i.id));
  assert.ok(inst, 'a filed institution in the town');
  used.add(inst.id);
  return { inst, op: await srv.login(`inst-${inst.id}`) };
}

let evaluatorNo = 0;
async function evaluator() {
  const login = `pingshen${++evaluatorNo}`;
  const r = await sec.post('/api/v1/users', { login, name: `评审专家${evaluatorNo}`, role: 'evaluator', password: 'Zhuanjia-Score-2026' });
  assert.equal(r.status, 201, r.text);
  const c = await srv.login(login, 'Zhuanjia-Score-2026');
  c.id = r.body.id;
  return c;
}

/** A complete sheet of scheme: each item's max × factor (points), every veto met unless listed. */
function sheet(scheme, factor, failed = []) {
  const o = {};
  for (const it of scheme.items) o[it.code] = it.kind === 'veto' ? !failed.includes(it.code) : Math.round(it.max_points * factor * 10) / 10;
  return o;
}

/** A sheet object as the body sends it: [{item, points | met}]. */
const scores = (o) => Object.entries(o).map(([item, v]) => (typeof v === 'boolean' ? { item, met: v } : { item, points: v }));
/** Evidence {item: [material_id]} as the body sends it: [{item, material_id}]. */
const listed = (o) => Object.entries(o).flatMap(([item, ids]) => ids.map((material_id) => ({ item, material_id })));

const openTask = (kase) => kase.tasks.find((t) => t.state === 'open');
async function fire(c, id, event, extra = {}) {
  const k = await c.get(`/api/v1/cases/${id}`);
  assert.equal(k.status, 200, k.text);
  const task = openTask(k.body);
  return c.post(`/api/v1/cases/${id}/events`, { event, ...(task ? { task_id: task.id } : {}), ...extra });
}

/** Open an assessment under scheme code, score itself completely with evidence for every item
 * but those in `without`, and answer the assessment. */
async function selfAssess(op, inst, code, without = []) {
  const scheme = schemes[code];
  const a = await op.post(`/api/v1/institutions/${inst.id}/assessments`, { scheme_id: scheme.id });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.body.state, 'draft');
  const id = a.body.id;
  const evidence = {};
  for (const it of scheme.items) {
    if (without.includes(it.code)) continue;
    const up = await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`${id}-${it.code}`), `${it.evidence}.pdf`);
    assert.equal(up.status, 201, up.text);
    evidence[it.code] = [up.body.id];
  }
  const s = await op.put(`/api/v1/assessments/${id}/self`, { scores: scores(sheet(scheme, 0.9)), evidence: listed(evidence) });
  assert.equal(s.status, 200, s.text);
  return id;
}

test('WS/T 821: self → town → three experts (mean) → publicity with objections → level in force; bad input refused, nothing written', async () => {
  const scheme = schemes.wst821;
  const { inst, op } = await institution();
  const a = await op.post(`/api/v1/institutions/${inst.id}/assessments`, { scheme_id: scheme.id });
  assert.equal(a.status, 201, a.text);
  const id = a.body.id;
  assert.equal(a.body.scheme_code, 'wst821');
  // one open assessment per institution
  const again = await op.post(`/api/v1/institutions/${inst.id}/assessments`, { scheme_id: scheme.id });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.body.error.code, 'case_open');

  // a score above the item's maximum: 422 naming the item, nothing saved
  const over = await op.put(`/api/v1/assessments/${id}/self`, { scores: scores({ conditions: 90, staff: 140.5 }) });
  assert.equal(over.status, 422, over.text);
  assert.equal(over.body.error.code, 'score_above_max');
  assert.equal(over.body.error.field, 'scores[1]');
  assert.match(over.body.error.message, /staff/);
  assert.deepEqual((await op.get(`/api/v1/assessments/${id}`)).body.self_sheet, {});
  // a partial self-assessment is saved in draft
  const part = await op.put(`/api/v1/assessments/${id}/self`, { scores: scores({ conditions: 90 }) });
  assert.equal(part.status, 200, part.text);
  assert.deepEqual(part.body.self_sheet, { conditions: 90 });
  // submitting it incomplete: the first item unscored named
  const incomplete = await op.post(`/api/v1/cases/${id}/events`, { event: 'submit', declaration: true });
  assert.equal(incomplete.status, 422, incomplete.text);
  assert.equal(incomplete.body.error.code, 'item_unscored');
  assert.equal(incomplete.body.error.field, 'scores.staff');

  // complete, with evidence for every item but two: each missing item named, still a draft
  const evidence = {};
  const lacking = ['health', 'b9.7.1'];
  for (const it of scheme.items.filter((x) => !lacking.includes(x.code))) {
    const up = await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`${id}-${it.code}`), `${it.evidence}.pdf`);
    assert.equal(up.status, 201, up.text);
    evidence[it.code] = [up.body.id];
  }
  assert.equal((await op.put(`/api/v1/assessments/${id}/self`, { scores: scores(sheet(scheme, 0.9)), evidence: listed(evidence) })).status, 200);
  const bare = await op.post(`/api/v1/cases/${id}/events`, { event: 'submit', declaration: true });
  assert.equal(bare.status, 422, bare.text);
  assert.equal(bare.body.error.code, 'evidence_missing');
  assert.deepEqual(bare.body.error.missing.map((m) => m.item).sort(), [...lacking].sort());
  for (const code of lacking) assert.ok(bare.body.error.message.includes(code), bare.body.error.message);
  assert.equal((await op.get(`/api/v1/assessments/${id}`)).body.state, 'draft');
  // evidence of another record is not the case's
  const foreign = await op.put(`/api/v1/assessments/${id}/self`, { scores: scores(sheet(scheme, 0.9)), evidence: listed({ ...evidence, health: [999999999] }) });
  assert.equal(foreign.status, 422, foreign.text);
  assert.equal(foreign.body.error.code, 'unknown_material');
  for (const code of lacking) {
    const up = await uploadTo(op, `/api/v1/cases/${id}/materials`, pdfBytes(`${id}-${code}-late`), `${code}.pdf`);
    evidence[code] = [up.body.id];
  }
  assert.equal((await op.put(`/api/v1/assessments/${id}/self`, { scores: scores(sheet(scheme, 0.9)), evidence: listed(evidence) })).status, 200);
  const sub = await op.post(`/api/v1/cases/${id}/events`, { event: 'submit', declaration: true });
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.body.state, 'submitted');
  // submitted: the self-assessment is locked
  assert.equal((await op.put(`/api/v1/assessments/${id}/self`, { scores: [] })).status, 409);

  // the town returns it for correction (a comment required); corrected and submitted again
  assert.equal((await fire(town, id, 'return')).status, 422);
  const ret = await fire(town, id, 'return', { comment: '保育照护自评偏高，请补充观察记录' });
  assert.equal(ret.status, 200, ret.text);
  assert.equal(ret.body.state, 'deficient');
  assert.equal((await op.put(`/api/v1/assessments/${id}/self`, { scores: scores({ ...sheet(scheme, 0.9), care: 170 }), evidence: listed(evidence) })).status, 200);
  const again2 = await fire(op, id, 'submit', { declaration: true });
  assert.equal(again2.status, 200, again2.text);
  assert.equal(again2.body.state, 'submitted');
  // the town's check: only the town officer passes it
  assert.equal((await fire(op, id, 'pass')).status, 403);
  assert.equal((await fire(admin, id, 'pass')).status, 403);
  const passed = await fire(town, id, 'pass');
  assert.equal(passed.status, 200, passed.text);
  assert.equal(passed.body.state, 'expert_review');

  // experts: one who declared a link to the institution is refused, nothing written
  const linked = await evaluator();
  const decl = await linked.post('/api/v1/rating-conflicts', { institution_id: inst.id, reason: '曾任该机构顾问' });
  assert.equal(decl.status, 201, decl.text);
  const conflict = await admin.post(`/api/v1/assessments/${id}/experts`, { user_id: linked.id });
  assert.equal(conflict.status, 409, conflict.text);
  assert.equal(conflict.body.error.code, 'conflict_of_interest');
  assert.match(conflict.body.error.message, /曾任该机构顾问/);
  assert.deepEqual((await admin.get(`/api/v1/assessments/${id}`)).body.experts, []);
  // not an evaluator
  const notEval = await admin.post(`/api/v1/assessments/${id}/experts`, { user_id: town.user.id });
  assert.equal(notEval.status, 422, notEval.text);
  assert.equal(notEval.body.error.code, 'not_evaluator');

  const experts = [await evaluator(), await evaluator(), await evaluator()];
  for (const x of experts) assert.equal((await admin.post(`/api/v1/assessments/${id}/experts`, { user_id: x.id })).status, 201);
  // each expert's work list has it, waiting for their sheet; another's has not
  const work = await experts[0].get('/api/v1/assessments/assigned');
  assert.equal(work.status, 200, work.text);
  assert.deepEqual(work.body.items.map((x) => [x.id, x.state, x.submitted_at]), [[id, 'expert_review', null]]);
  assert.deepEqual((await linked.get('/api/v1/assessments/assigned')).body.items, []);
  // an expert not assigned cannot score
  assert.equal((await linked.put(`/api/v1/assessments/${id}/sheet`, { scores: scores(sheet(scheme, 1)), submit: true })).status, 403);
  // concluding before every expert submitted
  const early = await fire(admin, id, 'conclude');
  assert.equal(early.status, 422, early.text);
  assert.equal(early.body.error.code, 'experts_pending');
  assert.equal(early.body.error.missing.length, 3);
  // an expert's score above the maximum: 422 naming the item, nothing saved
  const bad = await experts[0].put(`/api/v1/assessments/${id}/sheet`, { scores: scores({ ...sheet(scheme, 0.9), conditions: 100.1 }), submit: true });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.body.error.code, 'score_above_max');
  assert.equal(bad.body.error.field, 'scores[0]');
  // each scores alone: the first sees its own sheet, not the second's
  const factors = [0.9, 0.8, 0.85];
  assert.equal((await experts[0].put(`/api/v1/assessments/${id}/sheet`, { scores: scores(sheet(scheme, factors[0])), submit: true })).status, 200);
  assert.equal((await experts[1].put(`/api/v1/assessments/${id}/sheet`, { scores: scores({ conditions: 80 }) })).status, 200);
  const view = (await experts[0].get(`/api/v1/assessments/${id}`)).body.experts;
  assert.deepEqual(view.find((x) => x.user_id === experts[0].id).sheet, sheet(scheme, factors[0]));
  assert.equal(view.find((x) => x.user_id === experts[1].id).sheet, null);
  assert.equal((await op.get(`/api/v1/assessments/${id}`)).body.experts.find((x) => x.user_id === experts[0].id).sheet, null);
  // submitted is final
  assert.equal((await experts[0].put(`/api/v1/assessments/${id}/sheet`, { scores: scores(sheet(scheme, 1)), submit: true })).status, 409);
  for (const i of [1, 2])
    assert.equal((await experts[i].put(`/api/v1/assessments/${id}/sheet`, { scores: scores(sheet(scheme, factors[i])), submit: true })).status, 200);

  // concluded: the mean of 900, 800 and 850 points is 850 — B (750 ≤ 850 < 900)
  const concl = await fire(admin, id, 'conclude');
  assert.equal(concl.status, 200, concl.text);
  assert.equal(concl.body.state, 'publicity');
  let got = (await anon.get(`/api/v1/public/institutions/${inst.id}`)).body;
  assert.equal(got.rating, null, 'nothing in force during publicity');
  let as = (await op.get(`/api/v1/assessments/${id}`)).body;
  assert.equal(as.total_points, 850);
  assert.equal(as.level_code, 'B');
  assert.equal(as.combined_sheet.conditions, 85);
  assert.ok(as.experts.every((x) => x.sheet && x.submitted_at), 'every sheet shown once concluded');

  // the public notice lists it with the last day of publicity
  const notices = await anon.get('/api/v1/public/rating-notices');
  assert.equal(notices.status, 200, notices.text);
  const notice = notices.body.items.find((x) => x.id === id);
  assert.deepEqual([notice.level_code, notice.meaning, notice.total_points, notice.publicity_until], ['B', '质量良好', 850, '2026-03-09']);
  // publicity: a family objects; a second objection, upheld, sends it back to the experts
  const family = await srv.login('family');
  const obj = await family.post(`/api/v1/assessments/${id}/objections`, { text: '保育照护得分与实际不符' });
  assert.equal(obj.status, 201, obj.text);
  assert.equal((await fire(admin, id, 'confirm')).body.error.code, 'publicity_running');
  const dismissed = await admin.post(`/api/v1/rating-objections/${obj.body.id}/answer`, { upheld: false, answer: '经复核，评分有据' });
  assert.equal(dismissed.status, 200, dismissed.text);
  assert.equal((await admin.post(`/api/v1/rating-objections/${obj.body.id}/answer`, { upheld: true, answer: '再答' })).status, 409);
  assert.equal((await fire(admin, id, 'review_again', { comment: '无成立的异议' })).body.error.code, 'no_upheld_objection');
  const obj2 = await op.post(`/api/v1/assessments/${id}/objections`, { text: '安全保障的演练记录未被采信' });
  assert.equal(obj2.status, 201, obj2.text);
  assert.equal((await admin.post(`/api/v1/rating-objections/${obj2.body.id}/answer`, { upheld: true, answer: '异议成立，请专家复核安全保障' })).status, 200);
  const back = await fire(admin, id, 'review_again', { comment: '异议成立，专家复核' });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.body.state, 'expert_review');
  as = (await admin.get(`/api/v1/assessments/${id}`)).body;
  assert.ok(as.experts.every((x) => x.submitted_at === null), 'the experts score again');
  // no objection once out of publicity
  assert.equal((await family.post(`/api/v1/assessments/${id}/objections`, { text: '再提' })).status, 409);
  // the second expert revises to 0.95: mean of 900, 950, 850 = 900 — A (a tie at the threshold reaches it)
  factors[1] = 0.95;
  for (const i of [0, 1, 2])
    assert.equal((await experts[i].put(`/api/v1/assessments/${id}/sheet`, { scores: scores(sheet(scheme, factors[i])), submit: true })).status, 200);
  assert.equal((await fire(admin, id, 'conclude')).status, 200);
  as = (await admin.get(`/api/v1/assessments/${id}`)).body;
  assert.equal(as.total_points, 900);
  assert.equal(as.level_code, 'A');
  const running = await fire(admin, id, 'confirm');
  assert.equal(running.status, 409, running.text);
  assert.equal(running.body.error.code, 'publicity_running');
  assert.match(running.body.error.message, /2026-03-09/);

  // after the period: confirmed, in force from that day, public with its meaning
  await restart(LATER);
  const confirmed = await fire(admin, id, 'confirm');
  assert.equal(confirmed.status, 200, confirmed.text);
  assert.equal(confirmed.body.state, 'rated');
  assert.ok(!(await anon.get('/api/v1/public/rating-notices')).body.items.some((x) => x.id === id), 'no longer in publicity');
  const hist = await admin.get(`/api/v1/institutions/${inst.id}/assessments`);
  assert.equal(hist.status, 200, hist.text);
  assert.equal(hist.body.in_force.level_code, 'A');
  assert.equal(hist.body.in_force.in_force_from, LATER_DAY);
  assert.equal(hist.body.items[0].in_force_from, LATER_DAY);
  got = (await anon.get(`/api/v1/public/institutions/${inst.id}`)).body;
  assert.equal(got.rating.level_code, 'A');
  assert.equal(got.rating.meaning, '质量优秀');
  assert.equal(got.rating.scheme_code, 'wst821');
  assert.equal(got.rating.in_force_from, LATER_DAY);
  // the audit trail has the level taking force
  const auditor = await srv.login('auditor');
  const log = (await auditor.get('/api/v1/audit?limit=50')).body.items;
  assert.ok(log.some((x) => x.action === 'rating.in_force'), 'audited');
});

test('Ouhai star: five experts, trimmed mean; the level in force until the next one, the star_level derived; a failed veto withholds any star', async () => {
  const scheme = schemes.ouhai_star;
  await restart('2026-04-01T02:00:00Z');
  const { inst, op } = await institution();
  const id = await selfAssess(op, inst, 'ouhai_star');
  assert.equal((await op.post(`/api/v1/cases/${id}/events`, { event: 'submit', declaration: true })).status, 200);
  assert.equal((await fire(town, id, 'pass')).status, 200);
  const experts = [];
  for (let i = 0; i < 5; i++) experts.push(await evaluator());
  for (const x of experts) assert.equal((await admin.post(`/api/v1/assessments/${id}/experts`, { user_id: x.id })).status, 201);
  // 1.0 and 0.5 dropped; the mean of 0.9, 0.8, 0.6 per item: 10-point items 7.7 (half up), 15-point 11.5
  const factors = [1, 0.9, 0.8, 0.6, 0.5];
  for (let i = 0; i < 5; i++)
    assert.equal((await experts[i].put(`/api/v1/assessments/${id}/sheet`, { scores: scores(sheet(scheme, factors[i])), submit: true })).status, 200);
  assert.equal((await fire(admin, id, 'conclude')).status, 200);
  const as = (await admin.get(`/api/v1/assessments/${id}`)).body;
  assert.equal(as.combined_sheet.c1, 7.7);
  assert.equal(as.combined_sheet.q1, 11.5);
  assert.equal(as.total_points, 76.9);
  assert.equal(as.level_code, 'star3');
  assert.equal(as.level_name, '三星级');

  // a second institution whose baseline item one expert found unmet: no star at all
  const second = await institution();
  const id2 = await selfAssess(second.op, second.inst, 'ouhai_star');
  assert.equal((await second.op.post(`/api/v1/cases/${id2}/events`, { event: 'submit', declaration: true })).status, 200);
  assert.equal((await fire(town, id2, 'pass')).status, 200);
  for (const x of experts.slice(0, 3)) assert.equal((await admin.post(`/api/v1/assessments/${id2}/experts`, { user_id: x.id })).status, 201);
  for (let i = 0; i < 3; i++)
    assert.equal((await experts[i].put(`/api/v1/assessments/${id2}/sheet`, { scores: scores(sheet(scheme, 1, i === 2 ? ['v3'] : [])), submit: true })).status, 200);
  assert.equal((await fire(admin, id2, 'conclude')).status, 200);
  const as2 = (await admin.get(`/api/v1/assessments/${id2}`)).body;
  assert.equal(as2.total_points, 100);
  assert.equal(as2.level_code, null);
  assert.equal(as2.combined_sheet.v3, false);

  await restart('2026-04-09T02:00:00Z');
  for (const k of [id, id2]) assert.equal((await fire(admin, k, 'confirm')).status, 200);
  const reg = (await admin.get(`/api/v1/institutions/${inst.id}`)).body;
  assert.equal(reg.star_level, 3, 'the registry star level derived from the level in force');
  assert.equal((await admin.get(`/api/v1/institutions/${second.inst.id}`)).body.star_level, 0);
  // never typed: an administrator's star_level is ignored, the derived one stays
  const typed = await admin.put(`/api/v1/institutions/${inst.id}`, { star_level: 1 });
  assert.equal(typed.status, 200, typed.text);
  assert.equal(typed.body.star_level, 3);
  assert.equal((await admin.get(`/api/v1/institutions/${inst.id}`)).body.star_level, 3);
  const pub = (await anon.get(`/api/v1/public/institutions/${inst.id}`)).body;
  assert.equal(pub.rating.level_code, 'star3');
  assert.equal(pub.rating.level_name, '三星级');
  assert.ok(pub.rating.meaning.length > 0);

  // the next assessment: once in force, the previous ends the day before
  const op2 = await srv.login(`inst-${inst.id}`);
  const next = await selfAssess(op2, inst, 'ouhai_star');
  assert.equal((await op2.post(`/api/v1/cases/${next}/events`, { event: 'submit', declaration: true })).status, 200);
  assert.equal((await fire(town, next, 'pass')).status, 200);
  const one = await evaluator();
  assert.equal((await admin.post(`/api/v1/assessments/${next}/experts`, { user_id: one.id })).status, 201);
  assert.equal((await one.put(`/api/v1/assessments/${next}/sheet`, { scores: scores(sheet(scheme, 0.9)), submit: true })).status, 200);
  assert.equal((await fire(admin, next, 'conclude')).status, 200);
  await restart('2026-04-17T02:00:00Z');
  assert.equal((await fire(admin, next, 'confirm')).status, 200);
  const hist = (await admin.get(`/api/v1/institutions/${inst.id}/assessments`)).body;
  assert.equal(hist.in_force.assessment_id, next);
  assert.equal(hist.in_force.level_code, 'star5');
  assert.deepEqual(hist.items.map((x) => [x.id, x.in_force_from, x.in_force_to]), [[next, '2026-04-17', null], [id, '2026-04-09', '2026-04-16']]);
  assert.equal((await admin.get(`/api/v1/institutions/${inst.id}`)).body.star_level, 5);
  // the district's exchange feed, which reads every level in force at once, says what each public page says
  const made = tuoyu(['exchange-client', 'add', 'rating-feed', '--name', '评级交换', ...srv.database.args]);
  assert.equal(made.status, 0, made.stderr);
  const feed = [];
  for (let cursor = ''; ;) {
    const res = await fetch(`${srv.url}/api/v1/exchange/institutions?limit=100${cursor}`,
      { headers: { authorization: `Bearer ${made.stdout.trim()}` } });
    assert.equal(res.status, 200);
    const body = await res.json();
    feed.push(...body.items);
    if (!body.next) break;
    cursor = `&cursor=${body.next}`;
  }
  const rated = feed.filter((x) => x.status === 'filed' && x.rating);
  assert.ok(rated.some((x) => x.id === second.inst.id), 'the level without a star');
  assert.equal(rated.find((x) => x.id === inst.id).rating.assessment_id, next);
  for (const x of rated) assert.deepEqual(x.rating, (await anon.get(`/api/v1/public/institutions/${x.id}`)).body.rating);
  // the quarter's operating round reads the levels in force on its last day (2026-06-30) for every
  // institution at once: star5 for this one (made 普惠 so that it is in the round)
  const inclusive = await admin.put(`/api/v1/institutions/${inst.id}`, { inclusive: true });
  assert.equal(inclusive.status, 200, inclusive.text);
  await restart('2026-07-02T02:00:00Z');
  const round = await admin.post('/api/v1/funds/operating-rounds', { quarter: '2026-Q2', dry_run: true });
  assert.equal(round.status, 200, round.text);
  assert.equal(round.body.institutions.find((x) => x.institution_id === inst.id).stars, 5);
});

test('returned for correction from expert review: the experts score the corrected self-assessment again', async () => {
  const scheme = schemes.ouhai_star;
  const { inst, op } = await institution();
  const id = await selfAssess(op, inst, 'ouhai_star');
  assert.equal((await op.post(`/api/v1/cases/${id}/events`, { event: 'submit', declaration: true })).status, 200);
  assert.equal((await fire(town, id, 'pass')).status, 200);
  const x = await evaluator();
  assert.equal((await admin.post(`/api/v1/assessments/${id}/experts`, { user_id: x.id })).status, 201);
  assert.equal((await x.put(`/api/v1/assessments/${id}/sheet`, { scores: scores(sheet(scheme, 0.8)), submit: true })).status, 200);
  const ret = await fire(admin, id, 'return', { comment: '安全卫生佐证不足，请补充' });
  assert.equal(ret.status, 200, ret.text);
  assert.equal(ret.body.state, 'deficient');
  assert.equal((await admin.get(`/api/v1/assessments/${id}`)).body.experts[0].submitted_at, null);
  assert.equal((await fire(op, id, 'submit', { declaration: true })).status, 200);
  assert.equal((await fire(town, id, 'pass')).status, 200);
  const pending = await fire(admin, id, 'conclude');
  assert.equal(pending.status, 422, pending.text);
  assert.equal(pending.body.error.code, 'experts_pending');
  assert.equal((await x.put(`/api/v1/assessments/${id}/sheet`, { scores: scores(sheet(scheme, 0.9)), submit: true })).status, 200);
  assert.equal((await fire(admin, id, 'conclude')).status, 200);
  assert.equal((await admin.get(`/api/v1/assessments/${id}`)).body.level_code, 'star5');
});

test('the district lists its evaluators to assign, each with the sheets still owed; nobody else may', async () => {
  const scheme = schemes.wst821;
  const x = await evaluator();
  const listed = async () => {
    const r = await admin.get('/api/v1/evaluators');
    assert.equal(r.status, 200, r.text);
    return r.body.evaluators.find((u) => u.id === x.id);
  };
  assert.deepEqual(await listed(), { id: x.id, login: x.user.login, name: x.user.name, pending: 0 });
  for (const who of [town, x]) assert.equal((await who.get('/api/v1/evaluators')).status, 403);
  assert.equal((await anon.get('/api/v1/evaluators')).status, 401);
  // a town officer is no evaluator: not listed
  assert.ok(!(await admin.get('/api/v1/evaluators')).body.evaluators.some((u) => u.id === town.user.id));
  const { inst, op } = await institution();
  const id = await selfAssess(op, inst, 'wst821');
  assert.equal((await op.post(`/api/v1/cases/${id}/events`, { event: 'submit', declaration: true })).status, 200);
  assert.equal((await fire(town, id, 'pass')).status, 200);
  assert.equal((await admin.post(`/api/v1/assessments/${id}/experts`, { user_id: x.id })).status, 201);
  assert.equal((await listed()).pending, 1);
  assert.equal((await x.put(`/api/v1/assessments/${id}/sheet`, { scores: scores(sheet(scheme, 0.9)), submit: true })).status, 200);
  assert.equal((await listed()).pending, 0);
});

test('export: every assessment of the district with its result as an .xlsx in Chinese, audited; the district only', async () => {
  const { inst, op } = await institution();
  const draft = (await op.post(`/api/v1/institutions/${inst.id}/assessments`, { scheme_id: schemes.wst821.id })).body.id;
  const res = await fetch(`${srv.url}/api/v1/assessments/export`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="ratings-\d{4}-\d\d-\d\d\.xlsx"/);
  const sheet = readSheet(Buffer.from(await res.arrayBuffer()));
  assert.deepEqual(sheet[0], ['评定编号', '机构编号', '机构名称', '所在镇街', '评估方案', '状态', '评审总分', '等级', '等级含义', '评审结论日期', '生效日期', '截止日期']);
  const body = sheet.slice(1).map((r) => Array.from(sheet[0], (_, i) => r[i] ?? '')); // empty cells as ''
  // the same assessments the institutions' histories hold, each with its result
  for (const id of used) {
    const hist = (await admin.get(`/api/v1/institutions/${id}/assessments`)).body.items;
    for (const a of hist) {
      const row = body.find((r) => Number(r[0]) === a.id);
      assert.ok(row, `assessment ${a.id} exported`);
      assert.equal(Number(row[1]), id);
      assert.equal(row[2], a.institution_name);
      assert.equal(row[6] === '' ? null : Number(row[6]), a.total_points);
      assert.equal(row[7] || null, a.level_code ? a.level_name : null);
      assert.equal(row[10] || null, a.in_force_from);
      assert.equal(row[11] || null, a.in_force_to);
    }
  }
  const rated = body.find((r) => r[5] === '已评定');
  assert.ok(rated && rated[8] && rated[10], 'a rated one: the meaning of its level and the day it took force');
  const fresh = body.find((r) => Number(r[0]) === draft);
  assert.match(fresh[3], /[\u4e00-\u9fff]+/, 'the town by its name');
  assert.deepEqual(fresh.slice(4, 8), [schemes.wst821.name, '自评', '', ''], 'a draft: no points, no level');
  const audit = (await (await srv.login('auditor')).get('/api/v1/audit?action=rating.export')).body.items;
  assert.equal(audit.length, 1, 'the export wrote its audit row');
  assert.equal(audit[0].target_type, 'rating_assessment');
  assert.equal(audit[0].fields.rows, body.length);
  for (const who of [town, op]) assert.equal((await fetch(`${srv.url}/api/v1/assessments/export`, { headers: { cookie: who.cookie } })).status, 403);
});
