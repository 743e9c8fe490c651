// gen_holidays.mjs — writes data/holidays/holidays.csv (to stdout) from the npm package
// chinese-days, installed at development time only, outside the build (see
// data/holidays/README.md):
//   mkdir /tmp/cdays && cd /tmp/cdays && npm init -y && npm install chinese-days@1.5.7
//   node tools/gen_holidays.mjs /tmp/cdays/node_modules/chinese-days > data/holidays/holidays.csv
// Before writing anything it checks the package against the State Council notices as
// transcribed below from their published texts (NOTICES: each notice's days off and adjusted
// working days, item by item): a year whose dates or kinds differ stops the script. Names come
// from the package, spelled as the notices spell them (清明 → 清明节).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIRST = 2023, LAST = 2026;

// 国务院办公厅关于YYYY年部分节假日安排的通知: number, date issued, and per item the days off
// ([from, to] inclusive, or one day) and the adjusted working days (上班), as the text says.
const NOTICES = {
  2023: { notice: '国办发明电〔2022〕16号', issued: '2022-12-08', items: [
    { off: ['2022-12-31', '2023-01-02'] },
    { off: ['2023-01-21', '2023-01-27'], work: ['2023-01-28', '2023-01-29'] },
    { off: ['2023-04-05'] },
    { off: ['2023-04-29', '2023-05-03'], work: ['2023-04-23', '2023-05-06'] },
    { off: ['2023-06-22', '2023-06-24'], work: ['2023-06-25'] },
    { off: ['2023-09-29', '2023-10-06'], work: ['2023-10-07', '2023-10-08'] },
  ] },
  2024: { notice: '国办发明电〔2023〕7号', issued: '2023-10-25', items: [
    { off: ['2024-01-01'] },
    { off: ['2024-02-10', '2024-02-17'], work: ['2024-02-04', '2024-02-18'] },
    { off: ['2024-04-04', '2024-04-06'], work: ['2024-04-07'] },
    { off: ['2024-05-01', '2024-05-05'], work: ['2024-04-28', '2024-05-11'] },
    { off: ['2024-06-10'] },
    { off: ['2024-09-15', '2024-09-17'], work: ['2024-09-14'] },
    { off: ['2024-10-01', '2024-10-07'], work: ['2024-09-29', '2024-10-12'] },
  ] },
  2025: { notice: '国办发明电〔2024〕12号', issued: '2024-11-12', items: [
    { off: ['2025-01-01'] },
    { off: ['2025-01-28', '2025-02-04'], work: ['2025-01-26', '2025-02-08'] },
    { off: ['2025-04-04', '2025-04-06'] },
    { off: ['2025-05-01', '2025-05-05'], work: ['2025-04-27'] },
    { off: ['2025-05-31', '2025-06-02'] },
    { off: ['2025-10-01', '2025-10-08'], work: ['2025-09-28', '2025-10-11'] },
  ] },
  2026: { notice: '国办发明电〔2025〕7号', issued: '2025-11-04', items: [
    { off: ['2026-01-01', '2026-01-03'], work: ['2026-01-04'] },
    { off: ['2026-02-15', '2026-02-23'], work: ['2026-02-14', '2026-02-28'] },
    { off: ['2026-04-04', '2026-04-06'] },
    { off: ['2026-05-01', '2026-05-05'], work: ['2026-05-09'] },
    { off: ['2026-06-19', '2026-06-21'] },
    { off: ['2026-09-25', '2026-09-27'] },
    { off: ['2026-10-01', '2026-10-07'], work: ['2026-09-20', '2026-10-10'] },
  ] },
};

const FULL_NAME = { 元旦: '元旦', 春节: '春节', 清明: '清明节', 劳动节: '劳动节', 端午: '端午节', 中秋: '中秋节', 国庆节: '国庆节' };

function days(from, to = from) {
  const out = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86400000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function fail(msg) {
  process.stderr.write(`gen_holidays: ${msg}\n`);
  process.exit(1);
}

const pkgDir = process.argv[2];
if (!pkgDir) fail('usage: node tools/gen_holidays.mjs PATH/TO/node_modules/chinese-days > data/holidays/holidays.csv');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
process.stderr.write(`gen_holidays: ${pkg.name} ${pkg.version} (${pkg.license})\n`);

const rows = [];
for (let year = FIRST; year <= LAST; year++) {
  const n = NOTICES[year];
  if (!n) fail(`no notice transcribed for ${year}`);
  const data = JSON.parse(readFileSync(join(pkgDir, 'dist/years', `${year}.json`), 'utf8'));
  const fromPackage = new Map();
  for (const [kind, table] of [['off', data.holidays], ['work', data.workdays]])
    for (const [date, label] of Object.entries(table)) {
      if (!date.startsWith(`${year}-`)) continue;
      const zh = label.split(',')[1];
      if (!FULL_NAME[zh]) fail(`${date}: unknown name ${label}`);
      fromPackage.set(date, { kind, name: FULL_NAME[zh] });
    }
  const fromNotice = new Map();
  for (const item of n.items) {
    for (const d of days(...item.off)) fromNotice.set(d, 'off');
    for (const d of item.work || []) fromNotice.set(d, 'work');
  }
  for (const d of fromNotice.keys()) if (!d.startsWith(`${year}-`)) fromNotice.delete(d); // 2022-12-31: outside the years
  const a = [...fromPackage].map(([d, v]) => `${d} ${v.kind}`).sort().join('\n');
  const b = [...fromNotice].map(([d, k]) => `${d} ${k}`).sort().join('\n');
  if (a !== b) fail(`${year}: the package and ${n.notice} differ:\npackage:\n${a}\nnotice:\n${b}`);
  for (const [date, v] of [...fromPackage].sort(([x], [y]) => (x < y ? -1 : 1))) rows.push([date, v.kind, v.name, n.notice]);
  process.stderr.write(`gen_holidays: ${year} agrees with ${n.notice} (${fromNotice.size} days)\n`);
}
process.stdout.write('date,kind,name,notice\n' + rows.map((r) => r.join(',')).join('\n') + '\n');
