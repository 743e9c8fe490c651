// calendar.test.mjs — the working-day calendar over HTTP and from the command line, on SQLite and
// PostgreSQL: the seeded years are data/holidays/holidays.csv row for row; the filing example of
// 备案办法 Art. 9 (submitted 2024-09-30, 5-working-day receipt due 2024-10-12); a date or a count
// reaching a year the calendar does not hold names the year (422 over HTTP, exit 2 from the CLI);
// the district administrator replaces a year (audited with what changed) and every worker thread
// counts on it at once; bad years and days are refused naming the member, nothing written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, tuoyu, root } from '../lib/server.mjs';

let srv, admin, auditor, anon;
before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
  auditor = await srv.login('auditor');
  anon = new Client(srv.url);
});
after(async () => { await srv.stop(); });

const csv = readFileSync(join(root, 'data/holidays/holidays.csv'), 'utf8').trim().split('\n');
const rows = csv.slice(1).map((line) => { const [date, kind, name, notice] = line.split(','); return { date, kind, name, notice }; });

async function auditHead() {
  const r = await auditor.get('/api/v1/audit?limit=1');
  assert.equal(r.status, 200, r.text);
  return r.body.items[0];
}

// a made-up year for the tests (not a State Council notice)
const YEAR_2027 = {
  basis: '测试用通知（非真实安排）',
  days: [
    { date: '2027-01-01', kind: 'off', name: '元旦' },
    { date: '2027-02-05', kind: 'off', name: '春节' },
    { date: '2027-02-06', kind: 'off', name: '春节' },
    { date: '2027-02-07', kind: 'off', name: '春节' },
    { date: '2027-02-08', kind: 'off', name: '春节' },
    { date: '2027-02-20', kind: 'work', name: '春节' },
  ],
};

test('the seeded calendar is data/holidays/holidays.csv, row for row, with each year\'s notice', async () => {
  assert.ok(csv[0] === 'date,kind,name,notice' && rows.length > 100);
  const years = await anon.get('/api/v1/public/calendar');
  assert.equal(years.status, 200, years.text);
  assert.deepEqual(years.body.items.map((y) => y.year), [2023, 2024, 2025, 2026]);
  for (const y of years.body.items) {
    const mine = rows.filter((r) => r.date.startsWith(`${y.year}-`));
    const r = await anon.get(`/api/v1/public/calendar/${y.year}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.days, mine.map(({ date, kind, name }) => ({ date, kind, name })), `${y.year}`);
    assert.equal(r.body.basis, mine[0].notice);
    assert.equal(y.basis, mine[0].notice);
    assert.equal(y.off_days + y.work_days, mine.length);
  }
  // the notices as published: 2024 by 国办发明电〔2023〕7号, Saturday 2024-10-12 a working day
  const y2024 = (await anon.get('/api/v1/public/calendar/2024')).body;
  assert.equal(y2024.basis, '国办发明电〔2023〕7号');
  assert.deepEqual(y2024.days.find((d) => d.date === '2024-10-12'), { date: '2024-10-12', kind: 'work', name: '国庆节' });
  assert.equal(y2024.days.filter((d) => d.date >= '2024-10-01' && d.date <= '2024-10-07' && d.kind === 'off').length, 7);
});

test('a filing submitted on 2024-09-30 has its 5-working-day receipt due on 2024-10-12', async () => {
  const r = await anon.get('/api/v1/public/workdays/2024-09-30?add=5');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { date: '2024-09-30', working: true, name: null, add: 5, result: '2024-10-12' });
  // the receipt rule's figure is the parameter in force
  const params = (await admin.get('/api/v1/params?date=2024-09-30')).body.items;
  assert.equal(params.find((p) => p.key === 'filing.receipt_working_days').value, '5');
  const day = async (d, add) => (await anon.get(`/api/v1/public/workdays/${d}${add === undefined ? '' : `?add=${add}`}`)).body;
  assert.deepEqual(await day('2024-10-12'), { date: '2024-10-12', working: true, name: '国庆节', add: 0, result: '2024-10-12' });
  assert.equal((await day('2024-10-13')).working, false, 'an ordinary Sunday');
  assert.deepEqual(await day('2024-10-01', 1), { date: '2024-10-01', working: false, name: '国庆节', add: 1, result: '2024-10-08' });
  assert.equal((await day('2024-10-12', -5)).result, '2024-09-30');
  assert.equal((await day('2025-01-27', 1)).result, '2025-02-05', 'across the 2025 Spring Festival');
  assert.equal((await day('2025-12-31', 1)).result, '2026-01-04', 'into 2026: Sunday 01-04 is an adjusted working day');
});

test('a date or a count reaching a year the calendar does not hold: 422 naming the year', async () => {
  for (const [path, field, year] of [['2027-01-04', 'date', '2027'], ['2026-12-30?add=5', 'add', '2027'],
    ['2022-12-30', 'date', '2022'], ['2023-01-03?add=-1', 'add', '2022']]) {
    const r = await anon.get(`/api/v1/public/workdays/${path}`);
    assert.equal(r.status, 422, `${path}: ${r.text}`);
    assert.equal(r.body.error.code, 'calendar_year_missing');
    assert.equal(r.body.error.field, field, path);
    assert.match(r.body.error.message, new RegExp(`${year} 年`), path);
  }
  const y = await anon.get('/api/v1/public/calendar/2027');
  assert.equal(y.status, 404);
  assert.equal(y.body.error.code, 'calendar_year_missing');
});

test('bad dates, counts and years are 400 naming the parameter', async () => {
  for (const [path, code, field] of [['workdays/2024-02-30', 'bad_date', 'date'], ['workdays/20240930', 'bad_date', 'date'],
    ['workdays/2024-09-30?add=five', 'bad_add', 'add'], ['workdays/2024-09-30?add=1.5', 'bad_add', 'add'],
    ['workdays/2024-09-30?add=20001', 'bad_add', 'add'], ['calendar/24', 'bad_year', 'year'], ['calendar/1999', 'bad_year', 'year'],
    ['calendar/2024x', 'bad_year', 'year']]) {
    const r = await anon.get(`/api/v1/public/${path}`);
    assert.equal(r.status, 400, `${path}: ${r.text}`);
    assert.equal(r.body.error.code, code, path);
    assert.equal(r.body.error.field, field, path);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
});

test('the district administrator adds a year: audited, counted on at once by every worker thread', async () => {
  // every worker thread (4) has its copy of the calendar without 2027
  for (let i = 0; i < 12; i++) assert.equal((await anon.get('/api/v1/public/workdays/2026-12-30?add=5')).status, 422);
  const put = await admin.put('/api/v1/calendar/2027', { ...YEAR_2027, days: [...YEAR_2027.days].reverse() });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.body.days, YEAR_2027.days, 'kept in date order');
  assert.equal(put.body.off_days, 5);
  assert.equal(put.body.work_days, 1);
  assert.deepEqual((await anon.get('/api/v1/public/calendar')).body.items.map((y) => y.year), [2023, 2024, 2025, 2026, 2027]);
  // 2026-12-31 Thu, (2027-01-01 off), 01-04, 01-05, 01-06, 01-07
  for (let i = 0; i < 12; i++) {
    const r = await anon.get('/api/v1/public/workdays/2026-12-30?add=5');
    assert.equal(r.status, 200, `request ${i}: ${r.text}`);
    assert.equal(r.body.result, '2027-01-07');
  }
  assert.deepEqual((await anon.get('/api/v1/public/workdays/2027-02-20')).body,
    { date: '2027-02-20', working: true, name: '春节', add: 0, result: '2027-02-20' });
  const row = await auditHead();
  assert.equal(row.action, 'calendar.manage');
  assert.equal(row.target_type, 'calendar_year');
  assert.equal(row.target_id, '2027');
  assert.equal(row.login, 'district-admin');
  assert.equal(row.fields.basis, YEAR_2027.basis);
  assert.deepEqual(row.fields.removed, []);
  assert.equal(row.fields.added.length, 6);
  assert.ok(row.fields.added.includes('2027-02-20 work 春节'));

  // replacing it: the audit row says what changed
  const days = YEAR_2027.days.filter((d) => d.date !== '2027-02-08').concat([{ date: '2027-02-04', kind: 'off', name: '春节' }]);
  const again = await admin.put('/api/v1/calendar/2027', { basis: '测试用通知（修订）', days });
  assert.equal(again.status, 200, again.text);
  const row2 = await auditHead();
  assert.deepEqual(row2.fields.added, ['2027-02-04 off 春节']);
  assert.deepEqual(row2.fields.removed, ['2027-02-08 off 春节']);
  assert.equal(row2.fields.previous_basis, YEAR_2027.basis);
  assert.equal((await anon.get('/api/v1/public/workdays/2027-02-08')).body.working, true);
  assert.equal((await anon.get('/api/v1/public/workdays/2027-02-04')).body.working, false);
});

test('a year that does not hold together is refused naming the member, nothing written', async () => {
  const before = (await anon.get('/api/v1/public/calendar/2024')).body;
  const head = (await auditHead()).id;
  const base = (await anon.get('/api/v1/public/calendar/2024')).body.days;
  const cases = [
    [{ basis: 'x', days: [] }, 'required', 'days'],
    [{ basis: 'x', days: [{ date: '2025-01-01', kind: 'off', name: '元旦' }] }, 'wrong_year', 'days[0].date'],
    [{ basis: 'x', days: [base[0], base[0]] }, 'duplicate_date', 'days[1].date'],
    [{ basis: 'x', days: [{ date: '2024-10-01', kind: 'rest', name: '国庆节' }] }, 'bad_kind', 'days[0].kind'],
    [{ basis: 'x', days: [{ date: '2024-10-08', kind: 'work', name: '国庆节' }] }, 'not_weekend', 'days[0].kind'],
    [{ basis: '  ', days: base }, 'required', 'basis'],
    [{ basis: 'x', days: [{ date: '2024-10-01', kind: 'off', name: '　' }] }, 'required', 'days[0].name'],
  ];
  for (const [body, code, field] of cases) {
    const r = await admin.put('/api/v1/calendar/2024', body);
    assert.equal(r.status, 422, `${code}: ${r.text}`);
    assert.equal(r.body.error.code, code);
    assert.equal(r.body.error.field, field);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  // a year too far from those held (the calendar spans at most 64 years)
  const far = await admin.put('/api/v1/calendar/2099', { basis: 'x', days: [{ date: '2099-01-01', kind: 'off', name: '元旦' }] });
  assert.equal(far.status, 422, far.text);
  assert.equal(far.body.error.code, 'calendar_span');
  assert.equal((await admin.put('/api/v1/calendar/1999', { basis: 'x', days: base })).status, 400);
  assert.deepEqual((await anon.get('/api/v1/public/calendar/2024')).body, before);
  assert.equal((await auditHead()).id, head, 'nothing audited');
  assert.equal((await anon.get('/api/v1/public/calendar/2099')).status, 404);
});

test('only the district administrator replaces a year', async () => {
  const body = { basis: 'x', days: [{ date: '2024-10-01', kind: 'off', name: '国庆节' }] };
  for (const login of ['town-330304001', 'dept-reviewer', 'security-admin', 'family']) {
    const c = await srv.login(login);
    assert.equal((await c.put('/api/v1/calendar/2024', body)).status, 403, login);
    assert.equal((await c.get('/api/v1/public/calendar/2024')).status, 200, `${login} reads it`);
  }
  assert.equal((await anon.put('/api/v1/calendar/2024', body)).status, 401);
  assert.equal((await anon.get('/api/v1/public/calendar/2024')).body.days.length, 36);
});

test('tuoyu workdays add|is count on the database\'s calendar; a missing year exits 2 naming it', async () => {
  const db = srv.database.args;
  const run = (...args) => tuoyu(['workdays', ...args, ...db]);
  let r = run('add', '2024-09-30', '5');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '2024-10-12\n');
  assert.equal(run('add', '2024-10-12', '-5').stdout, '2024-09-30\n');
  assert.equal(run('add', '2024-10-01', '0').stdout, '2024-10-01\n');
  assert.equal(run('is', '2024-10-12').stdout, 'work\n');
  assert.equal(run('is', '2024-10-13').stdout, 'off\n');
  assert.equal(run('is', '2024-10-07').stdout, 'off\n');
  assert.equal(run('is', '2024-02-09').stdout, 'work\n', '除夕 2024 is an ordinary Friday');
  // a year the administrator adds through the API counts here too
  assert.equal((await admin.put('/api/v1/calendar/2027', YEAR_2027)).status, 200);
  r = run('add', '2026-12-30', '5');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '2027-01-07\n');
  for (const [args, year] of [[['is', '2030-01-02'], 2030], [['add', '2027-12-29', '3'], 2028], [['add', '2023-01-04', '-3'], 2022]]) {
    r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout} ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, new RegExp(`没有 ${year} 年`), args.join(' '));
  }
  for (const args of [['add', '2024-02-30', '1'], ['add', '2024-09-30', 'five'], ['add', '2024-09-30'], ['is'], ['when', '2024-09-30'], []]) {
    r = tuoyu(['workdays', ...args, ...db]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, args.join(' '));
  }
  r = tuoyu(['workdays', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /usage: tuoyu workdays add YYYY-MM-DD N/);
});
