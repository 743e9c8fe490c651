// institution_import.mjs — the institutions import and export at scale (issue 21 "Speed"): a
// workbook of N institutions (default 10,000) in the template's form, each with C classes
// (default 1) on rows of their own, is (1) checked by the API's dry run on the demo database
// (target < 2 s), (2) imported by `tuoyu import institutions` into an empty database (wall time
// and peak RSS of the process), and (3) exported back by GET /api/v1/institutions/export from a
// server on that database (target for 100,000 rows: < 3 s, memory under 64 MiB: the server's
// peak RSS before and after, read from /proc). Three runs of (1) and (3); prints each.
// With X (default 0), X more classes are copied into each institution with SQL after the import,
// so the export can be measured at 100,000 rows (10,000 institutions, 1 + 9 classes: an import
// takes at most 20,000 rows).
// Usage:
//   TUOYU_BIN=build/tuoyu node bench/institution_import.mjs [N] [C] [X]   (TUOYU_DB_KIND=pg for PostgreSQL)
// A smoke run: `node bench/institution_import.mjs 200 2`.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, freshDatabase, tuoyu, PASSWORD } from '../tests/lib/server.mjs';
import { uscc } from '../tests/lib/fixtures.mjs';
import { writeSheet } from '../tests/lib/xlsx.mjs';

const N = Number(process.argv[2] || 10000), C = Number(process.argv[3] || 1), X = Number(process.argv[4] || 0);
const HEAD = ['机构名称', '统一社会信用代码', '所属镇街', '地址', '经度', '纬度', '办托模式', '举办性质', '普惠', '场地权属', '班型', '班级名称', '托位数', '在托人数', '保育人员数', '收费项目', '收费类别', '收费标准（元）', '计费单位'];
const TOWNS = ['景山街道', '新桥街道', '梧田街道', '娄桥街道', '南白象街道', '茶山街道'];
const TYPES = ['乳儿班', '托小班', '托大班', '混合班'];
const rows = [HEAD];
for (let i = 0; i < N; i++) {
  const name = `基准导入托育园${String(i).padStart(6, '0')}`;
  for (let k = 0; k < C; k++) {
    const inst = k === 0 ? [name, uscc(`91330304MA${String(i).padStart(7, '0')}`), TOWNS[i % TOWNS.length], `测试路${i}号`,
      String(120.55 + (i % 100) / 1000), String(27.95 + (i % 97) / 1000), '社会机构市场办', '民办', i % 2 ? '是' : '否', '自有']
      : [name, '', '', '', '', '', '', '', '', ''];
    const fee = k === 0 ? ['保育费（全日托）', '基本服务费', String(1800 + (i % 10) * 100), '月'] : ['', '', '', ''];
    rows.push([...inst, TYPES[k % 4], `${TYPES[k % 4]}${k + 1}`, '20', String(i % 20), '3', ...fee]);
  }
}
const workbook = writeSheet(rows);
const rss = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
console.log(`workbook: ${N} institutions × ${C} classes = ${rows.length - 1} rows, ${(workbook.length / 1024).toFixed(0)} KiB`);

// (1) the API's dry run on the demo database (a workbook within the upload limit, 32 MiB)
const demo = workbook.length <= 32 << 20 ? await startServer() : null;
if (!demo) console.log('dry run: skipped, the workbook is over the 32 MiB upload limit');
if (demo) try {
  const admin = await demo.login('district-admin');
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const form = new FormData();
    form.append('file', new Blob([workbook]), 'institutions.xlsx');
    const res = await fetch(`${demo.url}/api/v1/institutions/import?dry_run=1`, {
      method: 'POST', headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.csrf }, body: form,
    });
    const body = await res.json();
    if (res.status !== 200 || body.count !== N) throw new Error(`dry run: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    console.log(`dry run (API, checked, nothing written): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }
} finally {
  await demo.stop();
}

// (2) the CLI import into an empty database
const db = freshDatabase({ demo: false });
const file = join(db.dir, 'institutions.xlsx');
writeFileSync(file, workbook);
const timeOut = join(db.dir, 'time');
const imp = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timeOut, process.env.TUOYU_BIN || 'build/tuoyu', 'import', 'institutions', file, ...db.args], { encoding: 'utf8' });
if (imp.status !== 0) throw new Error(`import: ${imp.stderr}\n${imp.stdout.slice(0, 600)}`);
const [wall, kb] = readFileSync(timeOut, 'utf8').trim().split(/\s+/).map(Number);
console.log(`tuoyu import institutions: ${wall.toFixed(2)} s, peak RSS ${(kb / 1024).toFixed(0)} MiB`);

// (3) the export of that registry (grown by X copies of each class)
if (X > 0) {
  const copies = Array.from({ length: X }, (_, k) => `SELECT ${k + 1} AS k`).join(' UNION ALL ');
  const sql = `INSERT INTO institution_class (district_code, institution_id, class_type, name, capacity, enrolled, caregivers)
    SELECT c.district_code, c.institution_id, c.class_type, c.name || '-' || n.k, c.capacity, c.enrolled, c.caregivers
    FROM institution_class c CROSS JOIN (${copies}) n;`;
  if (db.kind === 'pg') execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', db.conninfo], { input: sql });
  else execFileSync('sqlite3', [db.db], { input: sql });
}
const exported = N * (Math.max(C, 1) + X);
const r = tuoyu(['user', 'add', 'bench-admin', '--role', 'district_admin', '--name', '基准', '--password', PASSWORD, ...db.args]);
if (r.status !== 0) throw new Error(r.stderr);
const srv = await startServer({ database: db, extraArgs: ['--staff-totp', 'optional'] });
try {
  const admin = await srv.login('bench-admin');
  const pid = Number(execFileSync('sh', ['-c', `ss -ltnp | grep ':${new URL(srv.url).port} ' | sed 's/.*pid=\\([0-9]*\\).*/\\1/'`]).toString().trim());
  const before = rss(pid);
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const res = await fetch(`${srv.url}/api/v1/institutions/export`, { headers: { cookie: admin.cookie } });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`export: ${res.status}`);
    console.log(`export (${exported} rows): ${((performance.now() - t0) / 1000).toFixed(2)} s, ${(bytes.length / 1024).toFixed(0)} KiB; server peak RSS ${before.toFixed(0)} → ${rss(pid).toFixed(0)} MiB`);
  }
} finally {
  await srv.stop();
}
