// server.mjs — starts a real tuoyu server for API and browser tests: a fresh demo database
// (SQLite file, or a new PostgreSQL database when TUOYU_DB_KIND=pg), `tuoyu serve` on a free
// loopback port, and a small client that logs in and carries the session cookie and CSRF token.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, copyFileSync, existsSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.TUOYU_BIN || join(root, 'build/tuoyu');
export const PASSWORD = 'Test-demo-pass-2023';
export const DB_KIND = process.env.TUOYU_DB_KIND || 'sqlite';

// One demo database, copied for each server: made once per test process, or once for a whole
// run by tests/lib/with-template.mjs, which names it in TUOYU_DEMO_TEMPLATE (a SQLite folder, or a
// PostgreSQL database and its key file) — that one belongs to the wrapper and is left alone here.
const shared = process.env.TUOYU_DEMO_TEMPLATE ? JSON.parse(process.env.TUOYU_DEMO_TEMPLATE) : null;
let templateDir = null;   // SQLite: the folder holding demo.db and its key
let pgTemplate = null;    // PostgreSQL: a database filled once, copied by CREATE DATABASE … TEMPLATE
let pgTemplateKey = null; // its key file
let pgCounter = 0;
// database names: this process's id and a random tag (a killed run's leftovers may carry a reused pid)
const pgTag = `${process.pid}_${randomBytes(3).toString('hex')}`;

// Whatever a test does, nothing outlives its process: servers still running are killed and
// databases and folders not yet cleaned up are removed when it exits — also when the runner's
// --test-timeout stops it (SIGTERM). Server processes do not keep the test process alive, so a
// failed assertion before stop() cannot hang the run.
const liveServers = new Set();
const pendingCleanups = new Set();
process.on('exit', () => {
  for (const child of liveServers) child.kill('SIGKILL');
  for (const cleanup of pendingCleanups) cleanup();
  if (pgTemplate) spawnSync('sh', [join(root, 'tools/pg-test.sh'), '--drop', pgTemplate], { stdio: 'ignore' });
  if (pgTemplateKey) rmSync(dirname(pgTemplateKey), { recursive: true, force: true });
  if (templateDir) rmSync(templateDir, { recursive: true, force: true });
});
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => process.exit(1));

export function tuoyu(args, opts = {}) {
  // the OpenAPI document passed Node's default 1 MiB buffer: give a command's output room
  return spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
}

function sqliteTemplate() {
  if (shared?.dir) return shared.dir;
  if (templateDir) return templateDir;
  templateDir = mkdtempSync(join(tmpdir(), 'tuoyu-template-'));
  const r = tuoyu(['demo', '--db', join(templateDir, 'demo.db'), '--password', PASSWORD]);
  if (r.status !== 0) throw new Error(`tuoyu demo failed: ${r.stderr}`);
  return templateDir;
}

// The PostgreSQL demo template of this test process and its key: the demo written once, since
// writing it over the wire for every server took most of the PostgreSQL suite's time.
function pgDemoTemplate() {
  if (shared?.pg) return shared.pg;
  if (pgTemplate) return pgTemplate;
  const dir = mkdtempSync(join(tmpdir(), 'tuoyu-pgtemplate-'));
  const name = `tuoyu_tpl${pgTag}`;
  const conninfo = execFileSync('sh', [join(root, 'tools/pg-test.sh'), '--create', name], { encoding: 'utf8' }).trim().split('\n').pop();
  pgTemplate = name;
  pgTemplateKey = join(dir, 'tuoyu.key');
  const r = tuoyu(['demo', '--pg', conninfo, '--key', pgTemplateKey, '--password', PASSWORD]);
  if (r.status !== 0) throw new Error(`tuoyu demo (pg) failed: ${r.stderr}`);
  return pgTemplate;
}

// A fresh database with the demo data; returns the CLI arguments that address it.
export function freshDatabase({ demo = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tuoyu-test-'));
  if (DB_KIND === 'pg') {
    const name = `tuoyu_t${pgTag}_${++pgCounter}`;
    const cleanup = atMostOnce(() => {
      rmSync(dir, { recursive: true, force: true });
      spawnSync('sh', [join(root, 'tools/pg-test.sh'), '--drop', name], { stdio: 'ignore' });
    });
    const conninfo = execFileSync('sh', demo ? [join(root, 'tools/pg-test.sh'), '--copy', pgDemoTemplate(), name]
      : [join(root, 'tools/pg-test.sh'), '--create', name], { encoding: 'utf8' }).trim().split('\n').pop();
    const args = ['--pg', conninfo, '--key', join(dir, 'tuoyu.key')];
    if (demo) copyFileSync(shared?.pgKey || pgTemplateKey, join(dir, 'tuoyu.key'));
    return { dir, args, kind: 'pg', conninfo, cleanup };
  }
  const cleanup = atMostOnce(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'tuoyu.db');
  if (demo) {
    const t = sqliteTemplate();
    copyFileSync(join(t, 'demo.db'), db);
    copyFileSync(join(t, 'demo.db.key'), db + '.key');
  }
  return { dir, args: ['--db', db], kind: 'sqlite', db, cleanup };
}

// The demo template for a whole run, made now in this (wrapper) process and removed when it
// exits; the environment variable that hands it to the test processes.
export function demoTemplateForRun() {
  const value = DB_KIND === 'pg' ? { pg: pgDemoTemplate(), pgKey: pgTemplateKey } : { dir: sqliteTemplate() };
  return { TUOYU_DEMO_TEMPLATE: JSON.stringify(value) };
}

// cleanup, run at most once: by the test or, failing that, at exit
function atMostOnce(cleanup) {
  const run = () => { pendingCleanups.delete(run); cleanup(); };
  pendingCleanups.add(run);
  return run;
}

export async function startServer({ web = false, now = null, database = null, extraArgs = [] } = {}) {
  const dbinfo = database || freshDatabase();
  // no 区县比较 keeper (src/jurisdiction/rows.c) unless a test asks for one: its first round would
  // interleave with the tests that count a request's statements; a later --region-refresh-seconds wins
  const args = ['serve', ...dbinfo.args, '--listen', '127.0.0.1:0', '--threads', '4', '--video-loopback-only',
    '--region-refresh-seconds', '0', ...extraArgs];
  if (web) args.push('--web', process.env.TUOYU_WEB || join(root, 'web/dist'));
  if (now) args.push('--now', now);
  const child = spawn(BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  liveServers.add(child);
  child.unref();
  child.stderr.unref();
  let log = '';
  const url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 15000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /serving (https?:\/\/127\.0\.0\.1:\d+)\//.exec(log);
      if (m) { clearTimeout(timer); resolvePromise(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${log}`)); });
  });
  child.removeAllListeners('exit');
  child.once('exit', () => liveServers.delete(child));
  return {
    url,
    password: PASSWORD,
    database: dbinfo,
    child,
    log: () => log,
    async stop({ keepDatabase = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.ref(); // wait for it to exit
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepDatabase && !database) dbinfo.cleanup();
    },
    client(login = null) { return new Client(url); },
    // the statements the server has run so far (/metrics: tuoyu_db_calls_total)
    async dbCalls() {
      return Number((await (await fetch(`${url}/metrics`)).text()).match(/^tuoyu_db_calls_total (\d+)/m)[1]);
    },
    // wait until the server runs no statement for ms (a background round done); its count then
    async quiet(ms = 500) {
      let last = -1;
      for (let now = await this.dbCalls(); now !== last; now = await this.dbCalls()) {
        last = now;
        await new Promise((r) => setTimeout(r, ms));
      }
      return last;
    },
    async login(login, password = PASSWORD) {
      const c = new Client(url);
      const r = await c.login(login, password);
      if (r.status !== 200) throw new Error(`login ${login} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return c;
    },
  };
}

export class Client {
  constructor(url) { this.url = url; this.cookie = null; this.wrote = null; this.csrf = null; this.user = null; }

  async request(method, path, body = undefined, headers = {}) {
    const h = { ...headers };
    // the session, and where the primary stood after this client's last write (a server with a
    // read replica sets it: src/db/replica.h)
    const cookies = [this.cookie, this.wrote].filter(Boolean);
    if (cookies.length) h.cookie = cookies.join('; ');
    if (this.csrf && method !== 'GET' && method !== 'HEAD' && !('X-CSRF-Token' in h)) h['X-CSRF-Token'] = this.csrf;
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const res = await fetch(this.url + path, { method, headers: h, body: payload, redirect: 'manual' });
    for (const setCookie of res.headers.getSetCookie()) {
      let m = /^tuoyu_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `tuoyu_session=${m[1]}` : null;
      m = /^tuoyu_wrote=([^;]*)/.exec(setCookie);
      if (m) this.wrote = m[1] ? `tuoyu_wrote=${m[1]}` : null;
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, body: json, text, headers: res.headers };
  }

  get(path) { return this.request('GET', path); }
  post(path, body) { return this.request('POST', path, body); }
  put(path, body) { return this.request('PUT', path, body); }
  del(path) { return this.request('DELETE', path); }

  async login(login, password) {
    const r = await this.post('/api/v1/session', { login, password });
    if (r.status === 200) { this.csrf = r.body.csrf_token; this.user = r.body.user; }
    return r;
  }
}

export { root };
