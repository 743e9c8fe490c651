// upload_memory.mjs — the server's memory while a large material streams in and out: starts its
// own `tuoyu serve` on a fresh demo database (SQLite, or PostgreSQL with --db pg), logs in, warms
// every worker thread with small uploads and downloads, then for each run resets the process's
// peak RSS (/proc/PID/clear_refs 5), uploads one SIZE MiB PDF as a browser form does
// (multipart/form-data), and reads the peak (VmHWM) against the RSS before it (idle); the same for
// downloading it back. Issue 13: a 20 MiB upload must stay under 2 MiB above idle.
//   node bench/upload_memory.mjs [--db sqlite|pg] [--size-mib 20] [--runs 3] [--threads 4] [--warm 1]
// --warm 0 skips the warming: the first run then also pays for what a thread sets up on its first
// upload (with --threads 1 the login has already opened the thread's database connection).
// BUILD=dir picks the binary (default build/tuoyu; `make bin` first). One line per run:
//   db | threads | MiB | idle RSS | upload peak | +upload | download peak | +download (KiB) | upload s
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const opts = { db: 'sqlite', 'size-mib': '20', runs: '3', threads: '4', warm: '1' };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in opts) || process.argv[i + 1] === undefined) {
    console.error(`unknown option or missing value: ${process.argv[i]}`);
    process.exit(2);
  }
  opts[k] = process.argv[i + 1];
}
const bin = join(resolve(root, process.env.BUILD || 'build'), 'tuoyu');
const PASSWORD = 'Bench-demo-pass-2023';
const dir = mkdtempSync(join(tmpdir(), 'tuoyu-upload-bench-'));
let pgName = null, child = null;

function database() {
  if (opts.db === 'pg') {
    pgName = `tuoyu_bench_upload_${process.pid}`;
    const conninfo = execFileSync('sh', [join(root, 'tools/pg-test.sh'), '--create', pgName], { encoding: 'utf8' }).trim().split('\n').pop();
    return ['--pg', conninfo, '--key', join(dir, 'tuoyu.key')];
  }
  return ['--db', join(dir, 'bench.db')];
}

async function start(args) {
  const demo = spawnSync(bin, ['demo', ...args, '--password', PASSWORD], { encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(demo.stderr);
  child = spawn(bin, ['serve', ...args, '--listen', '127.0.0.1:0', '--threads', opts.threads, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  return new Promise((res, rej) => {
    child.stderr.on('data', (d) => {
      log += d;
      const m = /serving (http:\/\/[\d.]+:\d+)\//.exec(log);
      if (m) res(m[1]);
    });
    child.on('exit', (code) => rej(new Error(`tuoyu serve exited ${code}: ${log}`)));
  });
}

const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]);
const resetPeak = () => writeFileSync(`/proc/${child.pid}/clear_refs`, '5');

async function main() {
  const url = await start(database());
  const login = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'district-admin', password: PASSWORD }) });
  const cookie = /tuoyu_session=[^;]*/.exec(login.headers.get('set-cookie'))[0];
  const { csrf_token: csrf } = await login.json();
  const inst = (await (await fetch(`${url}/api/v1/institutions?limit=1`, { headers: { cookie } })).json()).items[0].id;
  const send = async (bytes, name) => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), name);
    const r = await fetch(`${url}/api/v1/institutions/${inst}/materials`, { method: 'POST', headers: { cookie, 'X-CSRF-Token': csrf, connection: 'close' }, body: form });
    if (r.status !== 201) throw new Error(`upload: ${r.status} ${await r.text()}`);
    return (await r.json()).id;
  };
  const fetchBack = async (id) => {
    const r = await fetch(`${url}/api/v1/materials/${id}/content`, { headers: { cookie, connection: 'close' } });
    let n = 0;
    for await (const chunk of r.body) n += chunk.length;
    return n;
  };
  const pdf = (n, tag) => Buffer.concat([Buffer.from(`%PDF-1.7\n% ${tag}\n`), Buffer.alloc(n, 0x20)]);
  // warm every worker thread: its database connection, statement caches, buffers
  for (let i = 0; i < (opts.warm === '0' ? 0 : 4 * Number(opts.threads)); i++) await fetchBack(await send(pdf(300 * 1024, `warm ${i}`), `warm-${i}.pdf`));
  await new Promise((r) => setTimeout(r, 500));
  const size = Number(opts['size-mib']) * 1024 * 1024;
  console.log(`warmed: ${opts.warm !== '0'}`);
  console.log('db | threads | MiB | idle RSS | upload peak | +upload | download peak | +download (KiB) | upload s');
  for (let run = 0; run < Number(opts.runs); run++) {
    const bytes = Buffer.alloc(size, 0x20);
    bytes.write(`%PDF-1.7\n% run ${run} ${Date.now()}\n`);
    const idle = kib('VmRSS');
    resetPeak();
    const t0 = performance.now();
    const id = await send(bytes, `bench-${run}.pdf`);
    const seconds = (performance.now() - t0) / 1000;
    const upPeak = kib('VmHWM');
    const idle2 = kib('VmRSS');
    resetPeak();
    if ((await fetchBack(id)) !== size) throw new Error('download length');
    const downPeak = kib('VmHWM');
    console.log(`${opts.db} | ${opts.threads} | ${opts['size-mib']} | ${idle} | ${upPeak} | ${upPeak - idle} | ${downPeak} | ${downPeak - idle2} | ${seconds.toFixed(2)}`);
  }
}

try {
  await main();
} finally {
  if (child) child.kill('SIGTERM');
  if (pgName) spawnSync('sh', [join(root, 'tools/pg-test.sh'), '--drop', pgName], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
