// childsub.test.mjs — 育儿补贴 for families over HTTP on SQLite and PostgreSQL (issue 18 items 4,
// 6, 7): the family applies for its child (birth certificate number, relation, bank and account
// checked; the account masked in every reply and in the audit log), one live application per
// child, none for a child with no eligible month; the child's town reviews it within 30 working
// days — another town cannot, the family cannot, a rejection names its reason —; approved, the
// entitlement enters the ledger one row per calendar year, approved for a batch, each month
// explained with its parameter version and basis; the district puts the rows in a payment batch,
// exports it (.xlsx read back: masked name and account, yuan, period, basis; the export audited)
// and marks it paid, which the family sees; at once, two applications for a child make one and two
// decisions on one application enter its months once.
import { test, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { child } from '../lib/fixtures.mjs';
import { readSheet } from '../lib/xlsx.mjs';

const HOME_TOWN = '330304001';
const OTHER_TOWN = '330304002';
const TODAY = '2026-06-01';
let srv, admin, family, town, otherTown, auditor;

/** A 19-digit 银联 card number (62…) whose last digit is its Luhn check digit. */
function card(body18) {
  let sum = 0;
  for (let i = 0; i < body18.length; i++) {
    let d = Number(body18[body18.length - 1 - i]);
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return body18 + String((10 - (sum % 10)) % 10);
}
const GOOD_CARD = card('622202123456789012');
const badLuhn = (c) => c.slice(0, -1) + String((Number(c.at(-1)) + 1) % 10);
const body = (over = {}) => ({ birth_cert_no: 'O440012345', relation: 'mother', bank_name: '中国工商银行温州瓯海支行', bank_account: GOOD_CARD, ...over });

before(async () => {
  srv = await startServer({ now: `${TODAY}T02:00:00Z` });
  admin = await srv.login('district-admin');
  family = await srv.login('family');
  town = await srv.login(`town-${HOME_TOWN}`);
  otherTown = await srv.login(`town-${OTHER_TOWN}`);
  auditor = await srv.login('auditor');
});
after(async () => { await srv.stop(); });

// a query straight on the server's database (what is stored at rest)
const atRest = (q) => (srv.database.kind === 'pg'
  ? execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', srv.database.conninfo], { input: q, encoding: 'utf8' })
  : execFileSync('sqlite3', [srv.database.db], { input: q, encoding: 'utf8' }));
const subsidy = (who, id) => who.get(`/api/v1/children/${id}/childcare-subsidy`);

test('a child born 2025-06-15 is entitled to 36 months explained month by month; bad input refused and nothing written', async () => {
  const kid = await child(family, '2025-06-15', { name: '补贴宝宝', hukou_town: HOME_TOWN });
  const s = await subsidy(family, kid);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.town_code, HOME_TOWN);
  assert.equal(s.body.entitlement.months_total, 36);
  assert.equal(s.body.entitlement.amount_total_fen, 1080000);
  assert.equal(s.body.entitlement.first_month, '2025-06');
  assert.equal(s.body.entitlement.last_month, '2028-05');
  assert.equal(s.body.entitlement.months.length, 36);
  assert.deepEqual(s.body.entitlement.months[0], { month: '2025-06', amount_fen: 30000, param: 'subsidy.childcare.per_month_fen', valid_from: '2025-01-01', basis: s.body.entitlement.months[0].basis });
  assert.match(s.body.entitlement.months[0].basis, /育儿补贴制度实施方案/);
  assert.deepEqual(s.body.applications, []);

  const bad = [
    [{ birth_cert_no: 'O44001234' }, 'birth_cert_no', 'birth_cert_format'],
    [{ birth_cert_no: '1440012345' }, 'birth_cert_no', 'birth_cert_format'],
    [{ relation: 'uncle' }, 'relation', 'bad_relation'],
    [{ bank_account: '6222-0212-3456' }, 'bank_account', 'account_digits'],
    [{ bank_account: '12345678901' }, 'bank_account', 'account_length'],
    [{ bank_account: '1'.repeat(31) }, 'bank_account', 'account_length'],
    [{ bank_account: badLuhn(GOOD_CARD) }, 'bank_account', 'account_luhn'],
  ];
  for (const [over, field, code] of bad) {
    const r = await family.post(`/api/v1/children/${kid}/childcare-subsidy`, body(over));
    assert.equal(r.status, 422, `${JSON.stringify(over)}: ${r.text}`);
    assert.equal(r.body.error.field, field);
    assert.equal(r.body.error.code, code);
  }
  assert.deepEqual((await subsidy(family, kid)).body.applications, [], 'nothing written');
  // a passbook account of 20 digits carries no check digit: accepted as it is
  const passbook = await family.post(`/api/v1/children/${kid}/childcare-subsidy`, body({ bank_account: '3303 0401 2345 6789 0123' }));
  assert.equal(passbook.status, 201, passbook.text);
  assert.equal(passbook.body.applications[0].bank_account, '3303 **** **** 0123');
});

test('a child with no eligible month is refused with its own code', async () => {
  const kid = await child(family, '2021-06-01', { name: '超龄宝宝', hukou_town: HOME_TOWN });
  assert.equal((await subsidy(family, kid)).body.entitlement.months_total, 0);
  const r = await family.post(`/api/v1/children/${kid}/childcare-subsidy`, body());
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'no_eligible_months');
});

test('application → the town approves → ledger rows per year, explained → batch → export → paid', async () => {
  const kid = await child(family, '2025-06-15', { name: '欧阳小娜', hukou_town: HOME_TOWN });
  const r = await family.post(`/api/v1/children/${kid}/childcare-subsidy`, body());
  assert.equal(r.status, 201, r.text);
  const app = r.body.applications[0];
  assert.equal(app.state, 'submitted');
  assert.equal(app.bank_account, `6222 **** **** ${GOOD_CARD.slice(-4)}`);
  assert.equal(app.birth_cert_no, 'O*******45');
  assert.equal(app.child_name, '欧**娜');
  assert.equal(app.submitted_on, TODAY);
  assert.equal(app.months_total, 36);
  // 30 working days from 2026-06-01 (a Monday; the day itself does not count; 端午 2026-06-19 is a
  // holiday in the calendar): June 2–30 less the 19th is 20 days, July 1–14 the other 10
  assert.equal(app.due_on, '2026-07-14');
  assert.ok(!r.text.includes(GOOD_CARD) && !r.text.includes('O440012345'), 'the account and certificate never in a reply');

  // sealed at rest: neither the account nor the certificate number is stored in the clear
  const stored = atRest(`SELECT account_sealed || ' ' || cert_sealed || ' ' || account_masked FROM childcare_application WHERE id = ${app.id};`);
  assert.ok(!stored.includes(GOOD_CARD) && !stored.includes('O440012345'), stored);
  assert.match(stored, /6222 \*\*\*\* \*\*\*\* \d{4}/);

  // one live application per child
  const again = await family.post(`/api/v1/children/${kid}/childcare-subsidy`, body());
  assert.equal(again.status, 409, again.text);
  assert.equal(again.body.error.code, 'live_application');

  // the town's queue: its own, due first; the other town sees none of it
  const queue = await town.get('/api/v1/childcare-subsidy?state=submitted');
  assert.equal(queue.status, 200, queue.text);
  assert.ok(queue.body.items.some((a) => a.id === app.id));
  assert.ok(!(await otherTown.get('/api/v1/childcare-subsidy')).body.items.some((a) => a.id === app.id));
  assert.ok((await family.get('/api/v1/childcare-subsidy')).body.items.every((a) => a.town_code === HOME_TOWN));
  // the queue as .xlsx (every list exports): the account masked there too
  const xq = await fetch(`${srv.url}/api/v1/childcare-subsidy?state=submitted&export=xlsx`, { headers: { cookie: town.cookie } });
  assert.equal(xq.status, 200);
  const qbytes = Buffer.from(await xq.arrayBuffer());
  assert.ok(!qbytes.includes(GOOD_CARD));
  assert.ok(readSheet(qbytes).some((row) => row.includes(`6222 **** **** ${GOOD_CARD.slice(-4)}`)), 'the masked account in the export');

  // nobody else decides: the other town (not found), the family (forbidden); a rejection needs its reason
  assert.equal((await otherTown.post(`/api/v1/children/${kid}/childcare-subsidy/decision`, { decision: 'approve' })).status, 404);
  assert.equal((await family.post(`/api/v1/children/${kid}/childcare-subsidy/decision`, { decision: 'approve' })).status, 403);
  const noReason = await town.post(`/api/v1/children/${kid}/childcare-subsidy/decision`, { decision: 'reject' });
  assert.equal(noReason.status, 422);
  assert.equal(noReason.body.error.code, 'reason_required');

  const ok = await town.post(`/api/v1/children/${kid}/childcare-subsidy/decision`, { decision: 'approve' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.applications[0].state, 'approved');
  const ledger = ok.body.ledger;
  assert.deepEqual(ledger.map((l) => [l.period, l.amount_fen, l.state]), [
    ['2025-06~2025-12', 210000, 'approved'], ['2026-01~2026-12', 360000, 'approved'],
    ['2027-01~2027-12', 360000, 'approved'], ['2028-01~2028-05', 150000, 'approved'],
  ]);
  const x = ledger[0].explanation;
  assert.equal(x.months.length, 7);
  assert.equal(x.months_in_year, 7);
  assert.equal(x.amount_fen, 210000);
  assert.deepEqual(x.months[6], { month: '2025-12', amount_fen: 30000, param: 'subsidy.childcare.per_month_fen', valid_from: '2025-01-01', basis: x.months[6].basis });
  const twice = await town.post(`/api/v1/children/${kid}/childcare-subsidy/decision`, { decision: 'approve' });
  assert.equal(twice.status, 409);
  // still one live application: an approved one stays
  assert.equal((await family.post(`/api/v1/children/${kid}/childcare-subsidy`, body())).status, 409);

  // the rows are the ledger's: kind childcare, in the home town, the name masked
  const rows = (await admin.get(`/api/v1/funds/entitlements?kind=childcare&town=${HOME_TOWN}&state=approved&limit=100`)).body;
  const ids = ledger.map((l) => l.id);
  for (const id of ids) assert.ok(rows.items.some((e) => e.id === id && e.beneficiary === '欧**娜' && e.institution_id === null));
  assert.ok(rows.totals.amount_fen >= 1080000);

  const batch = await admin.post('/api/v1/funds/batches', { name: '2026年6月育儿补贴', entitlement_ids: ids });
  assert.equal(batch.status, 201, batch.text);
  assert.equal(batch.body.amount_fen, 1080000);
  const res = await fetch(`${srv.url}/api/v1/funds/batches/${batch.body.id}/export`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.ok(!bytes.includes(GOOD_CARD), 'the full account is not in the file');
  const sheet = readSheet(bytes);
  assert.deepEqual(sheet[0], ['资金记录编号', '资金类别', '受益人', '所在镇街', '开户银行', '银行账号', '金额（元）', '所属期间', '依据']);
  assert.equal(sheet.length, 5);
  assert.deepEqual(sheet.slice(1).map((c) => [Number(c[0]), c[1], c[2], c[4], c[5], Number(c[6]), c[7]]), ledger.map((l) => [
    l.id, '育儿补贴', '欧**娜', '中国工商银行温州瓯海支行', `6222 **** **** ${GOOD_CARD.slice(-4)}`, l.amount_fen / 100, l.period]));
  assert.match(sheet[1][8], /育儿补贴制度实施方案.*2025 年 7 个月/);
  assert.match(sheet[1][3], /街道|镇/);
  const logged = (await auditor.get('/api/v1/audit?action=funds.pay&limit=50')).body.items;
  assert.ok(logged.some((l) => l.target_type === 'funds_batch' && l.fields?.rows === 4), 'the export is audited with its rows');

  assert.equal((await admin.post(`/api/v1/funds/batches/${batch.body.id}/paid`, {})).status, 200);
  const seen = await subsidy(family, kid);
  assert.deepEqual(seen.body.ledger.map((l) => l.state), ['paid', 'paid', 'paid', 'paid']);
  assert.deepEqual(seen.body.ledger.map((l) => l.batch_id), ids.map(() => batch.body.id));
  // the town and the district read it too (audited), another town does not
  assert.equal((await subsidy(town, kid)).status, 200);
  assert.equal((await subsidy(otherTown, kid)).status, 404);
});

test('a rejection ends the application with its reason, and the family may apply again', async () => {
  const kid = await child(family, '2026-01-20', { name: '驳回宝宝', hukou_town: HOME_TOWN });
  assert.equal((await family.post(`/api/v1/children/${kid}/childcare-subsidy`, body({ relation: 'father' }))).status, 201);
  const no = await town.post(`/api/v1/children/${kid}/childcare-subsidy/decision`, { decision: 'reject', reason: '出生医学证明编号与登记不符' });
  assert.equal(no.status, 200, no.text);
  assert.equal(no.body.applications[0].state, 'rejected');
  assert.equal(no.body.applications[0].reason, '出生医学证明编号与登记不符');
  assert.deepEqual(no.body.ledger, [], 'nothing in the ledger');
  const again = await family.post(`/api/v1/children/${kid}/childcare-subsidy`, body());
  assert.equal(again.status, 201, again.text);
  assert.deepEqual(again.body.applications.map((a) => a.state), ['submitted', 'rejected']);
  const audit = (await auditor.get('/api/v1/audit?action=childsub.apply&limit=50')).body.items;
  assert.ok(audit.length >= 2);
  assert.ok(audit.every((a) => !JSON.stringify(a).includes(GOOD_CARD)), 'the audit log holds the account masked');
});

test('at once: two applications for one child make one, two decisions on one application make one set of ledger rows', async () => {
  const kid = await child(family, '2026-03-03', { name: '并发宝宝', hukou_town: HOME_TOWN });
  const apps = await Promise.all([1, 2].map(() => family.post(`/api/v1/children/${kid}/childcare-subsidy`, body())));
  assert.deepEqual(apps.map((r) => r.status).sort(), [201, 409], apps.map((r) => r.text).join('\n'));
  const admin2 = await srv.login('district-admin');
  const decisions = await Promise.all([town, admin2].map((who) => who.post(`/api/v1/children/${kid}/childcare-subsidy/decision`, { decision: 'approve' })));
  assert.deepEqual(decisions.map((r) => r.status).sort(), [200, 409], decisions.map((r) => r.text).join('\n'));
  const s = (await subsidy(family, kid)).body;
  assert.equal(s.applications.length, 1);
  // born 2026-03: 2026-03…2029-02, four calendar years, 36 months in all, entered once
  assert.deepEqual(s.ledger.map((l) => l.explanation.months_in_year), [10, 12, 12, 2]);
  assert.equal(s.ledger.reduce((a, l) => a + l.amount_fen, 0), 1080000);
});
