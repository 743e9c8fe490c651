// subsidy_cli.test.mjs — `tuoyu subsidy` on SQLite and PostgreSQL (issue 18 item 2): the 育儿补贴
// examples worked by hand (born 2025-06-15: 2025-06…2028-05, 36 months, 10,800.00; born
// 2022-10-08: 2025-01…2025-09, 9 months, 2,700.00), a year's share, a child 3 before the start,
// bad rows coded while the others are computed; both construction caps; the rules read from the
// database's parameters — a new monthly amount from 2027-01-01 entered by the district changes
// every month from then on and none before; usage errors exit 2 naming the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tuoyu, freshDatabase, startServer } from '../lib/server.mjs';

const parse = (csv) => {
  const [head, ...rows] = csv.trim().split('\n');
  const names = head.split(',');
  return rows.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
};

function subsidy(db, args, input) {
  const r = tuoyu(['subsidy', ...args, ...db.args], { input });
  assert.equal(r.status, 0, r.stderr);
  return parse(r.stdout);
}

test('育儿补贴: the worked examples, a year, the aged-out and bad rows among good ones', () => {
  const db = freshDatabase({ demo: false });
  try {
    const rows = subsidy(db, ['childcare', '--year', '2025', '--date', '2026-12-04'],
      'id,birth_date,end_date\nA,2025-06-15,\nB,2022-10-08,\nC,2021-12-31,\nD,2025-06-15,2026-03-20\n' +
      'E,2027-01-01,\nF,1899-12-31,\nG,2025-02-29,\nH,2025-06-15,2025-06-01\n');
    assert.deepEqual(rows.map((r) => [r.id, r.error, r.first_month, r.last_month, r.months_total, r.amount_total_yuan, r.months_in_year, r.amount_in_year_yuan]), [
      ['A', '', '2025-06', '2028-05', '36', '10800.00', '7', '2100.00'],
      ['B', '', '2025-01', '2025-09', '9', '2700.00', '9', '2700.00'],
      ['C', '', '', '', '0', '0.00', '0', '0.00'],
      ['D', '', '2025-06', '2026-03', '10', '3000.00', '7', '2100.00'],
      ['E', 'future_birth_date', '', '', '', '', '', ''],
      ['F', 'birth_before_1900', '', '', '', '', '', ''],
      ['G', 'bad_birth_date', '', '', '', '', '', ''],
      ['H', 'end_before_birth', '', '', '', '', '', ''],
    ]);
    // without --year the year's columns are empty
    const plain = subsidy(db, ['childcare', '--date', '2026-12-04'], 'id,birth_date\nA,2025-06-15\n');
    assert.equal(plain[0].months_in_year, '');
    assert.equal(plain[0].amount_total_yuan, '10800.00');
  } finally { db.cleanup(); }
});

test('construction subsidy: public covered in full up to 2 × 300,000; private 49 % up to 2 × 150,000', () => {
  const db = freshDatabase({ demo: false });
  try {
    const rows = subsidy(db, ['construction'],
      'id,ownership,investment_yuan\np1,public,450000.50\np2,public,1000000\nq1,private,200000\nq2,private,1000000\n' +
      'q3,private,1.02\nx,state,5\ny,public,-5\nz,public,12.345\n');
    assert.deepEqual(rows.map((r) => [r.id, r.error, r.subsidy_yuan, r.cap_yuan, r.capped]), [
      ['p1', '', '450000.50', '600000.00', '0'],
      ['p2', '', '600000.00', '600000.00', '1'],
      ['q1', '', '98000.00', '300000.00', '0'],
      ['q2', '', '300000.00', '300000.00', '1'],
      ['q3', '', '0.50', '300000.00', '0'],
      ['x', 'unknown_ownership', '', '', ''],
      ['y', 'negative_investment', '', '', ''],
      ['z', 'bad_investment', '', '', ''],
    ]);
  } finally { db.cleanup(); }
});

test('the rules are the database\'s parameters: a new monthly amount from 2027-01 counts from then on', async () => {
  const db = freshDatabase();
  try {
    const srv = await startServer({ database: db });
    try {
      const admin = await srv.login('district-admin');
      const r = await admin.post('/api/v1/params', { key: 'subsidy.childcare.per_month_fen', value: '40000', valid_from: '2027-01-01', basis: '测试：省级提标（非真实政策）' });
      assert.equal(r.status, 201, r.text);
    } finally { await srv.stop(); }
    const [a] = subsidy(db, ['childcare', '--year', '2027', '--date', '2026-12-04'], 'id,birth_date\nA,2025-06-15\n');
    // 2025-06…2026-12: 19 months at 300; 2027-01…2028-05: 17 months at 400
    assert.equal(a.months_total, '36');
    assert.equal(a.amount_total_yuan, '12500.00');
    assert.equal(a.amount_in_year_yuan, '4800.00');
  } finally { db.cleanup(); }
});

test('usage: --help documents the rules; bad arguments and a missing column exit 2 with one line', () => {
  const help = tuoyu(['subsidy', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /10800\.00/);
  assert.match(help.stdout, /49%/);
  const db = freshDatabase({ demo: false });
  try {
    for (const args of [[], ['pension'], ['construction', '--year', '2025'], ['childcare', '--year', '25'], ['childcare', '--date', '2025-02-30']]) {
      const r = tuoyu(['subsidy', ...args, ...db.args], { input: 'id,birth_date\n' });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    const r = tuoyu(['subsidy', 'childcare', ...db.args], { input: 'id,born\nA,2025-01-01\n' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /birth_date/);
  } finally { db.cleanup(); }
});
