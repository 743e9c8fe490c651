// privacy.test.mjs — children's health data under 《个人信息保护法》 (issue 15 item 9, C14), on
// SQLite and PostgreSQL: no health data (entry checks, morning checks, an illness's symptom,
// growth measurements) is written before a guardian's consent covers its purpose — 422
// health_consent_missing, nothing written; the family consents in its own account, the
// institution records a signed paper form with its scan; the institution sees the status;
// withdrawal deletes what the consent covered and stops new writes; the class sheet names children
// in full to their own institution (audited) and masked to everyone else; `tuoyu purge` deletes
// records past their retention period (just outside deleted, just inside kept: records dated by
// day, and SMS codes by the second), audited per kind, and --dry-run writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, freshDatabase, Client, tuoyu } from '../lib/server.mjs';
import { child, consent, pdfBytes, uploadMaterial, uscc } from '../lib/fixtures.mjs';

let db, sink, srv, admin, sec, auditor, family, instructor, town, inst, op, otherInst, otherOp, classId, home;

async function institution(n) {
  const r = await admin.post('/api/v1/institutions', {
    name: `隐私测试托育园${n}`, uscc: uscc(`91330304MA5${String(n).padStart(6, '0')}`), town_code: '330304001',
    address: '景山街道隐私路1号', lon: 120.65, lat: 28.0, operating_model: 'market', ownership: 'private', status: 'filed',
    premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', name: '托大一班', capacity: 20, enrolled: 0, caregivers: 3 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  });
  assert.equal(r.status, 201, r.text);
  const u = await sec.post('/api/v1/users', { login: `op-privacy-${r.body.id}`, name: '机构管理员', role: 'institution_operator', institution_id: r.body.id, password: srv.password });
  assert.equal(u.status, 201, u.text);
  return { id: r.body.id, classId: r.body.classes[0].id, op: await srv.login(`op-privacy-${r.body.id}`) };
}

before(async () => {
  db = freshDatabase();
  sink = join(db.dir, 'sms.txt');
  srv = await startServer({ database: db, now: '2026-06-01T02:00:00Z', extraArgs: ['--sms-sink', sink] });
  admin = await srv.login('district-admin');
  sec = await srv.login('security-admin');
  auditor = await srv.login('auditor');
  family = await srv.login('family');
  instructor = await srv.login('health-instructor');
  town = await srv.login('town-330304001');
  ({ id: inst, classId, op } = await institution(1));
  ({ id: otherInst, op: otherOp } = await institution(2));
  home = (await family.get('/api/v1/children')).body.items.find((c) => c.institution_id);
});
after(async () => { await srv?.stop(); db?.cleanup(); });

const refusedForConsent = (r) => {
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'health_consent_missing');
  assert.match(r.body.error.message, /监护人/);
};
const entryCheck = (id, checked_on = '2026-04-20', kind = 'health_check') => op.post(`/api/v1/children/${id}/entry-checks`, { kind, checked_on, result: 'pass' });
const morning = (id, date = '2026-05-05', who = op) => who.post(`/api/v1/children/${id}/health-checks`, { date, slot: 'morning', temperature_c: 36.6, action: 'none' });
const measure = (id, measured_on = '2026-05-05') => op.post(`/api/v1/children/${id}/measurements`, { measured_on, weight_kg: 12.1, lenhei_cm: 88.5, measure: 'h' });
const sheet = (date, entries) => op.post(`/api/v1/institutions/${inst}/attendance`, { class_id: classId, date, entries });

/** A new child of the test institution placed in its class from start. */
async function placedChild(name, start = '2026-05-01') {
  const id = await child(op, '2024-01-10', { name });
  assert.equal((await op.put(`/api/v1/children/${id}/placement`, { class_id: classId, start_date: start })).status, 201);
  return id;
}

test('no health data before a guardian consents: entry checks, morning checks, an illness symptom and measurements refused with nothing written', async () => {
  const id = await placedChild('无同意宝宝');
  const status = await op.get(`/api/v1/children/${id}/consent`);
  assert.equal(status.status, 200, status.text);
  assert.equal(status.body.status, 'none');
  refusedForConsent(await entryCheck(id));
  refusedForConsent(await measure(id));
  assert.equal((await op.get(`/api/v1/children/${id}/entry-checks`)).body.items.length, 0, 'nothing written');
  assert.equal((await op.get(`/api/v1/children/${id}/growth`)).body.measurements.length, 0, 'nothing written');
  // the demo family's child has the demo's consent; a child without one gets no morning check
  const r = await morning(id);
  refusedForConsent(r);
  assert.equal((await op.get(`/api/v1/children/${id}/health-checks`)).body.items.length, 0);
  // an illness absence without a symptom is attendance; with a symptom it is health data
  const ill = await sheet('2026-05-06', [{ child_id: id, status: 'absent', absence_cause: 'illness', symptom: '咳嗽' }]);
  refusedForConsent(ill);
  assert.equal(ill.body.error.field, 'entries[0].symptom');
  const day = await op.get(`/api/v1/institutions/${inst}/attendance?class_id=${classId}&date=2026-05-06`);
  assert.equal(day.body.items.find((x) => x.child_id === id).status, null, 'the sheet wrote nothing');
  assert.equal((await sheet('2026-05-06', [{ child_id: id, status: 'absent', absence_cause: 'illness' }])).status, 201);
});

test('the institution records a signed paper form (guardian, relation, scan of its own), once; the consent covers only its purposes', async () => {
  const id = await placedChild('纸质同意宝宝');
  const scan = await uploadMaterial(op, inst, pdfBytes('paper-consent'), '同意书.pdf');
  assert.equal(scan.status, 201, scan.text);
  const foreign = await uploadMaterial(otherOp, otherInst, pdfBytes('other-consent'), '同意书.pdf');
  const base = { purposes: ['growth'], guardian_name: '李春燕', relation: '母亲' };
  const bad = [
    [{ ...base, material_id: undefined }, 'required', 'material_id'],
    [{ ...base, guardian_name: undefined, material_id: scan.body.id }, 'required', 'guardian_name'],
    [{ ...base, material_id: foreign.body.id }, 'unknown_material', 'material_id'],
    [{ ...base, purposes: [], material_id: scan.body.id }, 'no_purpose', 'purposes'],
    [{ ...base, purposes: ['growth', 'growth'], material_id: scan.body.id }, 'duplicate_purpose', 'purposes'],
    [{ ...base, purposes: ['marketing'], material_id: scan.body.id }, 'bad_purpose', 'purposes'],
  ];
  for (const [body, code, field] of bad) {
    const r = await op.post(`/api/v1/children/${id}/consent`, body);
    assert.equal(r.status, 422, `${code}: ${r.text}`);
    assert.deepEqual([r.body.error.code, r.body.error.field], [code, field]);
  }
  assert.equal((await op.get(`/api/v1/children/${id}/consent`)).body.status, 'none', 'nothing written');
  const given = await op.post(`/api/v1/children/${id}/consent`, { ...base, material_id: scan.body.id });
  assert.equal(given.status, 201, given.text);
  assert.equal(given.body.status, 'given');
  const c = given.body.consent;
  assert.deepEqual(c.purposes.map((p) => p.code), ['growth']);
  assert.equal(c.source, 'paper');
  assert.equal(c.guardian_name, '李*燕', 'the guardian masked');
  assert.equal(c.relation, '母亲');
  assert.equal(c.material_id, scan.body.id);
  assert.equal(c.notice_version, given.body.notice_version, 'the privacy notice in force (privacy.notice_version)');
  assert.equal(c.notice_version, 1);
  assert.match(c.given_at, /^2026-06-01/);
  const again = await op.post(`/api/v1/children/${id}/consent`, { ...base, material_id: scan.body.id });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'consent_exists');
  // growth only: a measurement is stored, an entry check is not
  assert.equal((await measure(id)).status, 201);
  refusedForConsent(await entryCheck(id));
  // the audit log records who recorded it, with the scan
  const log = (await auditor.get(`/api/v1/audit?action=consent.give&target_id=${c.id}`)).body.items;
  assert.equal(log.length, 1);
  assert.equal(log[0].login, `op-privacy-${inst}`);
  assert.equal(log[0].fields.source, 'paper');
  assert.equal(log[0].fields.material_id, scan.body.id);
});

test('the family consents in its own account; the institution and the instructor see the status, on the child and on the class sheet; others do not', async () => {
  const kid = await child(family, '2024-03-03', { name: '家长同意宝宝' });
  const withScan = await family.post(`/api/v1/children/${kid}/consent`, { purposes: ['care_health'], material_id: 1 });
  assert.equal(withScan.body.error.code, 'not_paper');
  const r = await family.post(`/api/v1/children/${kid}/consent`, { purposes: ['growth', 'care_health'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.consent.source, 'family');
  assert.deepEqual(r.body.consent.purposes.map((p) => p.code), ['care_health', 'growth'], 'in the table\'s order');
  assert.equal(r.body.consent.guardian_name, null);
  // the demo family's child in care: its institution and health instructor see the status
  const homeOp = await srv.login(`inst-${home.institution_id}`);
  for (const c of [homeOp, instructor, family]) {
    const s = await c.get(`/api/v1/children/${home.id}/consent`);
    assert.equal(s.status, 200, s.text);
    assert.equal(s.body.status, 'given', 'the demo records its children\'s consent');
  }
  for (const c of [town, admin]) assert.equal((await c.get(`/api/v1/children/${home.id}/consent`)).status, 403);
  assert.equal((await otherOp.get(`/api/v1/children/${home.id}/consent`)).status, 404);
  // the class sheet says which children have consent
  const id = await placedChild('名单同意状态');
  const row = async () => (await op.get(`/api/v1/institutions/${inst}/attendance?class_id=${classId}&date=2026-05-06`)).body.items.find((x) => x.child_id === id);
  assert.equal((await row()).health_consent, false);
  await consent(op, id);
  assert.equal((await row()).health_consent, true);
});

test('withdrawal: confirmed, it deletes the health data the consent covered (Art. 47) and no new is stored; the record of consent stays', async () => {
  const kid = await child(family, '2024-02-02', { name: '撤回宝宝' });
  await consent(family, kid);
  const id = await placedChild('撤回宝宝');
  await consent(op, id);
  // the institution's child: entry checks, a morning check, a symptom, a measurement
  assert.equal((await entryCheck(id)).status, 201);
  assert.equal((await entryCheck(id, '2026-04-20', 'vaccination')).status, 201);
  assert.equal((await morning(id)).status, 201);
  assert.equal((await sheet('2026-05-07', [{ child_id: id, status: 'absent', absence_cause: 'illness', symptom: '发热' }])).status, 201);
  assert.equal((await measure(id, '2026-05-20')).status, 201);
  // a scheduled health check and a development screening (src/checkups/)
  const checkup = await op.post(`/api/v1/children/${id}/checkups`, { check_code: 'm24', checked_on: '2026-04-25', place: '梧田街道社区卫生服务中心', examiner: '陈医生', result: 'normal' });
  assert.equal(checkup.status, 201, checkup.text);
  const screening = await op.post(`/api/v1/children/${id}/screenings`, { tool: 'asq3', screened_on: '2026-04-25', result: 'normal' });
  assert.equal(screening.status, 201, screening.text);
  // a paper withdrawal needs the signed form and a confirmation
  const scan = await uploadMaterial(op, inst, pdfBytes('withdrawal'), '撤回书.pdf');
  assert.equal((await op.post(`/api/v1/children/${id}/consent/withdraw`, { confirm: false, material_id: scan.body.id })).body.error.code, 'not_confirmed');
  assert.equal((await op.post(`/api/v1/children/${id}/consent/withdraw`, { confirm: true })).body.error.field, 'material_id');
  assert.equal((await op.get(`/api/v1/children/${id}/entry-checks`)).body.items.length, 2, 'nothing deleted by a refused withdrawal');
  const w = await op.post(`/api/v1/children/${id}/consent/withdraw`, { confirm: true, material_id: scan.body.id });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.status, 'withdrawn');
  assert.equal(w.body.consent, null);
  assert.deepEqual(w.body.deleted, { entry_checks: 2, health_checks: 1, absence_symptoms: 1, checkups: 1, screenings: 1, measurements: 1 });
  assert.equal(w.body.history.length, 1);
  assert.ok(w.body.history[0].withdrawn_at);
  assert.equal(w.body.history[0].withdrawal_material_id, scan.body.id);
  assert.equal((await op.get(`/api/v1/children/${id}/entry-checks`)).body.items.length, 0);
  assert.equal((await op.get(`/api/v1/children/${id}/health-checks`)).body.items.length, 0);
  assert.equal((await op.get(`/api/v1/children/${id}/growth`)).body.measurements.length, 0);
  const checks = (await op.get(`/api/v1/children/${id}/checkups`)).body;
  assert.deepEqual([checks.records.length, checks.screenings.length], [0, 0]);
  // the attendance stays (not health data), its symptom gone
  const att = (await op.get(`/api/v1/children/${id}/care`)).body.attendance.find((a) => a.date === '2026-05-07');
  assert.equal(att.absence_cause, 'illness');
  // no new health data; a second withdrawal finds nothing to withdraw
  refusedForConsent(await measure(id, '2026-05-21'));
  refusedForConsent(await morning(id, '2026-05-21'));
  assert.equal((await op.post(`/api/v1/children/${id}/consent/withdraw`, { confirm: true, material_id: scan.body.id })).body.error.code, 'no_consent');
  // the family withdraws its own in the portal, without a form
  assert.equal((await family.post(`/api/v1/children/${kid}/consent/withdraw`, { confirm: true, material_id: scan.body.id })).body.error.code, 'not_paper');
  const fw = await family.post(`/api/v1/children/${kid}/consent/withdraw`, { confirm: true });
  assert.equal(fw.status, 200, fw.text);
  assert.equal(fw.body.status, 'withdrawn');
  // consent given again: writes are accepted again
  await consent(op, id);
  assert.equal((await measure(id, '2026-05-22')).status, 201);
  const log = (await auditor.get('/api/v1/audit?action=consent.withdraw')).body.items.find((x) => x.fields.child_id === id);
  assert.deepEqual(log.fields.deleted, w.body.deleted);
});

test('the class sheet names children in full to their own institution, the reveal audited; masked to the instructor, the town and the district', async () => {
  const id = await placedChild('全名显示宝宝');
  const nameOn = async (c) => {
    const r = await c.get(`/api/v1/institutions/${inst}/attendance?class_id=${classId}&date=2026-05-06`);
    assert.equal(r.status, 200, r.text);
    assert.ok(!r.text.includes('child_name_sealed'));
    return r.body.items.find((x) => x.child_id === id).child_name;
  };
  assert.equal(await nameOn(op), '全名显示宝宝');
  for (const c of [town, admin]) assert.equal(await nameOn(c), '全****宝');
  const log = (await auditor.get('/api/v1/audit?action=child.read&limit=50')).body.items;
  assert.ok(log.some((x) => x.login === `op-privacy-${inst}` && x.fields.child_ids?.includes(id) && x.fields.list === '/api/v1/institutions/{id}/attendance'), JSON.stringify(log.slice(0, 2)));
  // the saved sheet's reply names them as the read does
  const saved = await sheet('2026-05-08', [{ child_id: id, status: 'absent', absence_cause: 'family' }]);
  assert.equal(saved.status, 201, saved.text);
  assert.equal(saved.body.items.find((x) => x.child_id === id).child_name, '全名显示宝宝');
});

test('tuoyu purge: records just past their retention period deleted, those on the cut-off day kept, one audited transaction per kind; --dry-run writes nothing', async () => {
  // purge as of 2029-05-05: attendance and morning checks (36 months) before 2026-05-05, entry
  // checks (60 months) before 2024-05-05, measurements and screenings (72 months) before 2023-05-05
  const now = '2029-05-05T02:00:00Z';
  const p = await placedChild('保存期限宝宝', '2026-05-01');
  await consent(op, p);
  assert.equal((await entryCheck(p, '2026-04-20')).status, 201);
  assert.equal((await entryCheck(p, '2026-04-20', 'vaccination')).status, 201);
  for (const day of ['2026-05-04', '2026-05-05']) {
    assert.equal((await sheet(day, [{ child_id: p, status: 'present', check_in: '08:00' }])).status, 201);
    assert.equal((await morning(p, day)).status, 201);
  }
  const e = await child(op, '2024-01-02', { name: '查验期限宝宝' });
  await consent(op, e);
  for (const day of ['2024-05-04', '2024-05-05']) assert.equal((await entryCheck(e, day)).status, 201);
  const g = await child(op, '2023-01-02', { name: '测量期限宝宝' });
  await consent(op, g);
  for (const day of ['2023-05-04', '2023-05-05']) assert.equal((await op.post(`/api/v1/children/${g}/measurements`, { measured_on: day, weight_kg: 7.5 })).status, 201);
  // development screenings (72 months, retention.checkup_months): before 2023-05-05 deleted
  for (const day of ['2023-05-04', '2023-05-05']) assert.equal((await op.post(`/api/v1/children/${g}/screenings`, { tool: 'asq3', screened_on: day, result: 'normal' })).status, 201);

  const state = async () => ({
    attendance: (await op.get(`/api/v1/children/${p}/care`)).body.attendance.map((a) => a.date).sort(),
    checks: (await op.get(`/api/v1/children/${p}/health-checks`)).body.items.map((c) => c.date).sort(),
    entry: (await op.get(`/api/v1/children/${e}/entry-checks`)).body.items.map((c) => c.checked_on).sort(),
    growth: (await op.get(`/api/v1/children/${g}/growth`)).body.measurements.map((m) => m.measured_on).sort(),
    screenings: (await op.get(`/api/v1/children/${g}/checkups`)).body.screenings.map((x) => x.screened_on).sort(),
  });
  const purgeAudit = async () => (await auditor.get('/api/v1/audit?action=privacy.purge')).body.items;
  const beforeState = await state();
  assert.deepEqual(beforeState, {
    attendance: ['2026-05-04', '2026-05-05'], checks: ['2026-05-04', '2026-05-05'],
    entry: ['2024-05-04', '2024-05-05'], growth: ['2023-05-04', '2023-05-05'], screenings: ['2023-05-04', '2023-05-05'],
  });
  const counts = (out) => Object.fromEntries(out.trim().split('\n').map((l) => { const [k, cutoff, n] = l.split(' '); return [k, { cutoff, n: Number(n) }]; }));

  const dry = tuoyu(['purge', '--dry-run', '--now', now, ...srv.database.args]);
  assert.equal(dry.status, 0, dry.stderr);
  const planned = counts(dry.stdout);
  assert.deepEqual(Object.keys(planned), ['attendance', 'health_check', 'entry_check', 'growth', 'checkup', 'screening', 'sms_code', 'sms_sent']);
  assert.deepEqual([planned.attendance.cutoff, planned.health_check.cutoff, planned.entry_check.cutoff, planned.growth.cutoff, planned.screening.cutoff, planned.sms_code.cutoff],
    ['2026-05-05', '2026-05-05', '2024-05-05', '2023-05-05', '2023-05-05', '2029-04-28']);
  for (const k of ['attendance', 'health_check', 'entry_check', 'growth', 'screening']) assert.ok(planned[k].n >= 1, `${k}: ${dry.stdout}`);
  assert.deepEqual(await state(), beforeState, 'a dry run deletes nothing');
  assert.equal((await purgeAudit()).length, 0, 'a dry run writes no audit row');

  const run = tuoyu(['purge', '--now', now, ...srv.database.args]);
  assert.equal(run.status, 0, run.stderr);
  const done = counts(run.stdout);
  for (const k of Object.keys(planned)) assert.equal(done[k].n, planned[k].n, `${k}: the dry run counted what the purge deleted`);
  assert.deepEqual(await state(), { attendance: ['2026-05-05'], checks: ['2026-05-05'], entry: ['2024-05-05'], growth: ['2023-05-05'], screenings: ['2023-05-05'] });
  const audit = await purgeAudit();
  assert.deepEqual(audit.map((a) => a.target_id).sort(), Object.keys(planned).sort(), 'one audit row per kind');
  const growthRow = audit.find((a) => a.target_id === 'growth');
  assert.deepEqual([growthRow.fields.param, growthRow.fields.cutoff, growthRow.fields.deleted], ['retention.growth_months', '2023-05-05', done.growth.n]);
  // the audit log itself is not purged: its chain still verifies
  const verify = await auditor.get('/api/v1/audit/verify');
  assert.equal(verify.status, 200, verify.text);
  assert.equal(verify.body.ok ?? verify.body.intact, true, verify.text);
});

test('tuoyu purge: an SMS code (kept 7 days) and its sent text (30 days) go the day after their cut-off day, not on it', async () => {
  const before = existsSync(sink) ? readFileSync(sink, 'utf8') : '';
  const r = await new Client(srv.url).post('/api/v1/sms-codes', { mobile: '13900001111', purpose: 'signup' });
  assert.equal(r.status, 202, r.text);
  for (let i = 0; i < 100 && (existsSync(sink) ? readFileSync(sink, 'utf8') : '') === before; i++) await new Promise((res) => setTimeout(res, 100));
  await new Promise((res) => setTimeout(res, 200)); // the sender marks the text sent after writing it
  const count = (now, kind, dry = true) => {
    const out = tuoyu(['purge', ...(dry ? ['--dry-run'] : []), '--now', now, ...srv.database.args]);
    assert.equal(out.status, 0, out.stderr);
    const line = out.stdout.split('\n').find((l) => l.startsWith(`${kind} `));
    return Number(line.split(' ')[2]);
  };
  // the code was asked for on 2026-06-01 (10:00 Beijing)
  assert.equal(count('2026-06-08T02:00:00Z', 'sms_code'), 0, 'cut-off 2026-06-01: kept');
  assert.equal(count('2026-06-09T02:00:00Z', 'sms_code'), 1, 'cut-off 2026-06-02: past');
  assert.equal(count('2026-07-01T02:00:00Z', 'sms_sent'), 0, 'cut-off 2026-06-01: kept');
  assert.equal(count('2026-07-02T02:00:00Z', 'sms_sent'), 1, 'cut-off 2026-06-02: past');
  assert.equal(count('2026-07-02T02:00:00Z', 'sms_code', false), 1);
  assert.equal(count('2026-07-02T02:00:00Z', 'sms_sent'), 0, 'deleted with the rest by the same run');
  assert.equal(count('2026-07-02T02:00:00Z', 'sms_code'), 0);
});
