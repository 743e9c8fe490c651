// booking_load.mjs — load benchmark of first-come booking (入托网上约, issue 5 "Speed": 200
// concurrent clients over loopback, ≥ 1,000 booking requests per second answered, p99 < 50 ms,
// zero overbooking). A fresh demo database and `tuoyu serve` (tests/lib/server.mjs); P programs
// (default 50 filed 托大班 of CAPACITY 20 places) and C families (default 200), each its own
// account, logged in on its own keep-alive connection, with K children (default 8, so 1,600
// children want 1,000 places). Each client loops: with probability CHURN (default 0.1) it cancels
// one of its bookings (DELETE), so places free up again; otherwise it books a random unplaced
// child into a random program (POST → 201, or 409 program_full once places run out; a family
// whose children all hold places retries one of them → 409 already_booked). After WARMUP seconds
// (closed loop; it fills the programs) the next DURATION seconds are measured: answers per second
// (every HTTP answer 201/200/409/422 counts; 5xx, other codes and connection errors are failures
// and are printed), client-side latency p50/p95/p99 — with RATE > 0 the clients are paced to RATE
// requests/s in all and latency runs from the scheduled send time (no coordinated omission);
// with RATE=0 (closed loop) each client sends again as soon as it is answered, which measures the
// most the box answers. Also: CPU per request of the server, the PostgreSQL backends and this
// client, and the time their threads waited for a CPU (/proc stat and schedstat), the server's own
// latency histogram and DB time (/metrics deltas). At the end,
// zero overbooking is checked from the
// database through the API (each family's GET /api/v1/bookings, each institution's classes,
// the public vacancies' booked count that includes open offers) and directly with sqlite3/psql;
// the server's active bookings must also equal what the clients were told. Exit 1 on any
// overbooking, mismatch or failure; exit 2 if the speed target is missed (STRICT=1 only).
//
//   TUOYU_BIN=build/tuoyu node bench/booking_load.mjs            (TUOYU_DB_KIND=pg for PostgreSQL)
//   env: DURATION=10 WARMUP=2 CLIENTS=200 PROGRAMS=50 CAPACITY=20 KIDS=8 CHURN=0.1 THREADS=8 RATE=0
//   KEEP_DB=1 leaves the database behind for inspection (EXPLAIN; drop it with tools/pg-test.sh --drop)
//   (bench/booking.sh runs SQLite and PostgreSQL, 3 runs each, RATE=1200 by default)
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer, freshDatabase, DB_KIND, BIN, PASSWORD } from '../tests/lib/server.mjs';

const num = (k, d) => (process.env[k] !== undefined && process.env[k] !== '' ? Number(process.env[k]) : d);
const DURATION = num('DURATION', 10), WARMUP = num('WARMUP', 2), CLIENTS = num('CLIENTS', 200);
const PROGRAMS = num('PROGRAMS', 50), CAPACITY = num('CAPACITY', 20), KIDS = num('KIDS', 8);
const CHURN = num('CHURN', 0.1), THREADS = num('THREADS', 8), STRICT = process.env.STRICT === '1';
const RATE = num('RATE', 0); // offered booking requests per second over all clients; 0 = closed loop, no pause
const NOW = '2026-06-01T02:00:00Z', START_MONTH = '2026-07';

// ---- a minimal keep-alive JSON client: one connection per logged-in client ----
class Conn {
  constructor(base) {
    const u = new URL(base);
    this.host = u.hostname; this.port = Number(u.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.cookie = null; this.csrf = null;
  }
  request(method, path, body) {
    return new Promise((resolve) => {
      const headers = {};
      if (this.cookie) headers.cookie = this.cookie;
      if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
      let payload = null;
      if (body !== undefined) { payload = Buffer.from(JSON.stringify(body)); headers['content-type'] = 'application/json'; }
      headers['content-length'] = payload ? payload.length : 0;
      const t0 = process.hrtime.bigint();
      const req = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          const sc = res.headers['set-cookie'];
          if (sc) { const m = /tuoyu_session=([^;]*)/.exec(sc.join(';')); if (m) this.cookie = `tuoyu_session=${m[1]}`; }
          const text = Buffer.concat(chunks).toString('utf8');
          let json = null;
          try { json = text ? JSON.parse(text) : null; } catch { json = null; }
          resolve({ status: res.statusCode, body: json, text, ms, t0 });
        });
        res.on('error', (err) => resolve({ status: 0, error: String(err), ms: Number(process.hrtime.bigint() - t0) / 1e6, t0 }));
      });
      req.on('error', (err) => resolve({ status: 0, error: String(err), ms: Number(process.hrtime.bigint() - t0) / 1e6, t0 }));
      if (payload) req.write(payload);
      req.end();
    });
  }
  get(p) { return this.request('GET', p); }
  post(p, b) { return this.request('POST', p, b); }
  del(p) { return this.request('DELETE', p); }
  async login(login) {
    const r = await retry(() => this.post('/api/v1/session', { login, password: PASSWORD }));
    if (r.status !== 200) throw new Error(`login ${login}: ${r.status} ${r.text}`);
    this.csrf = r.body.csrf_token;
    return r;
  }
  close() { this.agent.destroy(); }
}

let setupRetries = 0; // set-up requests answered 503 db_busy and sent again (SQLite writers racing)
async function retry(f) {
  for (let i = 0; ; i++) {
    const r = await f();
    if (r.status !== 503 || i === 20) return r;
    setupRetries++;
    await new Promise((res) => setTimeout(res, 20));
  }
}
const must = (r, code, what) => { if (r.status !== code) throw new Error(`${what}: ${r.status} ${r.text || r.error}`); return r.body; };
async function pool(n, width, f) { // run f(0..n-1), `width` at a time
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => { while (next < n) await f(next++); }));
}
function uscc(body) {
  const cs = '0123456789ABCDEFGHJKLMNPQRTUWXY', w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...body].reduce((a, ch, i) => a + cs.indexOf(ch) * w[i], 0);
  return body + cs[(31 - (sum % 31)) % 31];
}
let seed = 20261129; // deterministic choices (the interleaving is not)
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return (seed >>> 8) % n; };
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

// ---- set-up ----
const database = freshDatabase();
// experiments only: PG_SET='plan_cache_mode=force_generic_plan,…' sets these for the bench's database
if (DB_KIND === 'pg' && process.env.PG_SET) {
  const name = /dbname=(\S+)/.exec(database.conninfo)[1];
  for (const kv of process.env.PG_SET.split(',')) {
    const [k, v] = kv.split('=');
    execFileSync('psql', ['-X', '-q', '-c', `ALTER DATABASE ${name} SET ${k} = '${v}'`, database.conninfo]);
  }
  console.log(`PostgreSQL settings for this database: ${process.env.PG_SET}`);
}
// one loopback address plays every family: no per-address connection limit
const srv = await startServer({ now: NOW, database, extraArgs: ['--threads', String(THREADS), '--quiet', '--max-connections-per-addr', '0'] });
let cleaned = process.env.KEEP_DB === '1';
if (cleaned) console.log(`KEEP_DB: the database stays: ${database.conninfo || database.db}`);
process.on('exit', () => { // also when set-up throws: leave no server or database behind
  if (srv.child.exitCode === null) srv.child.kill('SIGTERM');
  if (!cleaned) database.cleanup();
});
const ver = srv.log().trim().split('\n').pop();
console.log(`booking load: ${BIN}: ${ver}\nDB ${DB_KIND}, server --threads ${THREADS}, ${CLIENTS} clients × ${KIDS} children, ` +
  `${PROGRAMS} programs × ${CAPACITY} places, churn ${CHURN}, warm-up ${WARMUP} s, measured ${DURATION} s, ` +
  (RATE > 0 ? `paced: ${RATE} requests/s offered in all (each client every ${(CLIENTS / RATE * 1000).toFixed(0)} ms, latency from the scheduled time)` : 'closed loop: each client sends its next request as soon as the last is answered'));
let t = Date.now();
const admin = new Conn(srv.url), sec = new Conn(srv.url);
await admin.login('district-admin');
await sec.login('security-admin');
const progs = [];
for (let i = 0; i < PROGRAMS; i++) {
  const b = must(await retry(() => admin.post('/api/v1/institutions', {
    name: `抢约基准托育园${i}`, uscc: uscc(`91330304MA5${String(i).padStart(6, '0')}`), town_code: '330304002',
    address: '梧田街道基准路2号', lon: 120.683, lat: 27.962, operating_model: 'market', ownership: 'private', status: 'filed',
    inclusive: true, premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', capacity: CAPACITY, enrolled: 0, caregivers: 4 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
  })), 201, 'institution');
  progs.push(b.id);
}
const clients = [];
await pool(CLIENTS, 8, async (i) => {
  must(await retry(() => sec.post('/api/v1/users', { login: `bench-family-${i}`, name: `基准家长${i}`, role: 'family', password: PASSWORD })), 201, 'user');
  const c = new Conn(srv.url);
  await c.login(`bench-family-${i}`);
  c.kids = [];
  for (let k = 0; k < KIDS; k++) {
    const b = must(await retry(() => c.post('/api/v1/children', { name: '基准宝宝', birth_date: '2024-01-15', sex: 1 + (k % 2), birth_cert: `B${100000000 + i * 100 + k}` })), 201, 'child');
    c.kids.push({ id: b.id, booking: 0, program: 0 });
  }
  clients[i] = c;
});
console.log(`set-up: ${PROGRAMS} programs, ${CLIENTS} families logged in, ${CLIENTS * KIDS} children in ${((Date.now() - t) / 1000).toFixed(1)} s` +
  (setupRetries ? ` (${setupRetries} set-up requests answered 503 db_busy and retried)` : ''));

// ---- the load ----
const tStart = process.hrtime.bigint();
const tMeasure = tStart + BigInt(Math.round(WARMUP * 1e9)), tEnd = tMeasure + BigInt(Math.round(DURATION * 1e9));
const lat = { POST: [], DELETE: [] }, codes = {}, failures = [], sendLat = [];
const loopDelay = monitorEventLoopDelay({ resolution: 5 }); // the client's own lateness
let inFlightErrors = 0;
const cpu0 = { node: null };
function record(kind, r, extra, sched) {
  const done = r.t0 + BigInt(Math.round(r.ms * 1e6));
  // paced: latency from the scheduled send time (no coordinated omission), counted by schedule;
  // closed loop: from the send, counted when it started and ended inside the window
  const fromSend = r.ms;
  if (sched !== undefined) r.ms = Number(done - sched) / 1e6;
  const measured = sched !== undefined ? sched >= tMeasure && sched < tEnd : r.t0 >= tMeasure && done <= tEnd;
  const key = `${kind} ${r.status}${r.body && r.body.error ? ' ' + r.body.error.code : ''}`;
  const ok = r.status === 201 || r.status === 200 || r.status === 409 || r.status === 422;
  if (!ok) {
    inFlightErrors++;
    if (failures.length < 20) failures.push(`${key} ${extra} ${r.error || r.text}`);
  }
  if (measured) {
    codes[key] = (codes[key] || 0) + 1;
    if (ok) { lat[kind].push(r.ms); sendLat.push(fromSend); }
  }
}
const sleepNs = (ns) => new Promise((r) => setTimeout(r, Math.max(0, Number(ns) / 1e6)));
async function runClient(c, i) {
  const interval = RATE > 0 ? BigInt(Math.round((CLIENTS / RATE) * 1e9)) : 0n;
  // the warm-up runs closed loop (it fills the programs); pacing starts with the measured window
  let sched = RATE > 0 ? tMeasure + (interval * BigInt(i)) / BigInt(CLIENTS) : undefined; // spread phases
  for (;;) {
    if (RATE > 0 && process.hrtime.bigint() >= tMeasure) {
      if (sched >= tEnd) break;
      const now = process.hrtime.bigint();
      if (sched > now) await sleepNs(sched - now);
    } else if (process.hrtime.bigint() >= tEnd) break;
    const paced = RATE > 0 && process.hrtime.bigint() >= tMeasure, at = paced ? sched : undefined;
    if (paced) sched += interval;
    const placed = c.kids.filter((k) => k.booking), free = c.kids.filter((k) => !k.booking);
    if (placed.length && rnd(1000) < CHURN * 1000) {
      const k = placed[rnd(placed.length)];
      const r = await c.del(`/api/v1/bookings/${k.booking}`);
      record('DELETE', r, `booking ${k.booking}`, at);
      if (at !== undefined) c.lastDone = process.hrtime.bigint();
      if (r.status === 200) { k.booking = 0; k.program = 0; }
    } else {
      const k = free.length ? free[rnd(free.length)] : placed[rnd(placed.length)], p = progs[rnd(progs.length)];
      const r = await c.post('/api/v1/bookings', { child_id: k.id, institution_id: p, class_type: 'toddler_old', start_month: START_MONTH });
      record('POST', r, `child ${k.id} institution ${p}`, at);
      if (at !== undefined) c.lastDone = process.hrtime.bigint();
      if (r.status === 201) { k.booking = r.body.id; k.program = p; }
    }
  }
}
async function metricsSnapshot() { // name{labels} → value, from the server's Prometheus text
  const m = new Map();
  for (const l of ((await admin.get('/metrics')).text || '').split('\n')) {
    const i = l.lastIndexOf(' ');
    if (i > 0 && !l.startsWith('#')) m.set(l.slice(0, i), Number(l.slice(i + 1)));
  }
  return m;
}
// CPU seconds (user + system) of the server, and of the PostgreSQL backends serving our database
const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
function procCpu(pid) {
  try { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').slice(readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' '); return (Number(f[11]) + Number(f[12])) / TICK; } catch { return 0; }
}
// seconds the process's threads were runnable but waiting for a CPU (schedstat: run-queue wait, ns)
function procWait(pid) {
  let sum = 0;
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try { sum += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[1]) / 1e9; } catch { /* thread gone */ }
    }
  } catch { /* process gone */ }
  return sum;
}
function pgBackends() {
  if (DB_KIND !== 'pg') return [];
  const name = /dbname=(\S+)/.exec(database.conninfo)[1];
  const pids = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let cmd = '';
    try { cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8'); } catch { continue; }
    if (cmd.startsWith('postgres:') && cmd.includes(` ${name} `)) pids.push(d);
  }
  return pids;
}
const cpuNow = () => {
  const pg = pgBackends();
  return {
    srv: procCpu(srv.child.pid), pg: pg.reduce((a, p) => a + procCpu(p), 0),
    srvWait: procWait(srv.child.pid), pgWait: pg.reduce((a, p) => a + procWait(p), 0), nodeWait: procWait(process.pid),
  };
};
let m0 = null, c0 = null;
setTimeout(async () => { cpu0.node = process.cpuUsage(); c0 = cpuNow(); loopDelay.enable(); m0 = await metricsSnapshot(); }, WARMUP * 1000);
await Promise.all(clients.map((c, i) => runClient(c, i)));
const nodeCpu = process.cpuUsage(cpu0.node || undefined), c1 = cpuNow();
const m1 = await metricsSnapshot();

// ---- report ----
// paced runs that fall behind answer their window late: the rate is over the time actually taken
let lastDone = tEnd;
for (const c of clients) if (c.lastDone && c.lastDone > lastDone) lastDone = c.lastDone;
const wall = Math.max(DURATION, Number(lastDone - tMeasure) / 1e9);
if (wall > DURATION * 1.01) console.log(`the measured window's requests took ${wall.toFixed(1)} s to be answered (offered faster than served)`);
const all = [...lat.POST, ...lat.DELETE].sort((a, b) => a - b);
const posts = [...lat.POST].sort((a, b) => a - b);
console.log('answers in the measured window:', JSON.stringify(Object.fromEntries(Object.entries(codes).sort())));
const line = (label, arr) => console.log(`${label.padEnd(30)} ${(arr.length / wall).toFixed(0).padStart(6)} /s   p50 ${pct(arr, 50).toFixed(1)} ms   p95 ${pct(arr, 95).toFixed(1)} ms   p99 ${pct(arr, 99).toFixed(1)} ms   max ${arr.length ? arr[arr.length - 1].toFixed(1) : '-'} ms`);
line('POST /api/v1/bookings', posts);
line('DELETE /api/v1/bookings/{id}', [...lat.DELETE].sort((a, b) => a - b));
line('all booking requests', all);
loopDelay.disable();
if (RATE > 0) {
  const sl = sendLat.sort((a, b) => a - b);
  console.log(`  (from the actual send: p50 ${pct(sl, 50).toFixed(1)} ms, p99 ${pct(sl, 99).toFixed(1)} ms; the client's event-loop delay ` +
    `p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms)`);
}
{
  const n = all.length, ms = (sec) => (sec / n * 1000).toFixed(3);
  const srvS = c1.srv - c0.srv, pgS = c1.pg - c0.pg, nodeS = (nodeCpu.user + nodeCpu.system) / 1e6;
  console.log(`CPU in the window (user + system): server ${srvS.toFixed(2)} s = ${ms(srvS)} ms per request` +
    (DB_KIND === 'pg' ? `, PostgreSQL backends ${pgS.toFixed(2)} s = ${ms(pgS)} ms per request` : '') +
    `, node client ${nodeS.toFixed(2)} s = ${ms(nodeS)} ms per request; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
  // time runnable but without a CPU, summed over threads: what a busy box adds to every hop
  const w = (k) => ms(c1[k] - c0[k]);
  console.log(`waiting for a CPU in the window (run queue, summed over threads): server ${w('srvWait')} ms per request` +
    (DB_KIND === 'pg' ? `, PostgreSQL backends ${w('pgWait')} ms` : '') + `, node client ${w('nodeWait')} ms`);
}
if (failures.length || inFlightErrors) {
  console.log(`FAILURES: ${inFlightErrors} (5xx, unexpected codes or connection errors), first ones:`);
  for (const f of failures) console.log('  ' + f);
}
// the server's own view of the window (/metrics deltas; includes the warm-up's last requests)
const delta = (k) => (m1.get(k) || 0) - ((m0 && m0.get(k)) || 0);
for (const route of ['/api/v1/bookings', '/api/v1/bookings/{id}']) {
  const bk = [...m1.keys()].filter((k) => k.startsWith(`tuoyu_http_request_duration_seconds_bucket{route="${route}",`));
  const total = delta(`tuoyu_http_request_duration_seconds_bucket{route="${route}",le="+Inf"}`);
  const q = (p) => { for (const k of bk) if (delta(k) >= p * total) return /le="([^"]+)"/.exec(k)[1]; return '?'; };
  if (total) console.log(`server-side ${route}: ${total} requests, p50 ≤ ${q(0.5)} s, p95 ≤ ${q(0.95)} s, p99 ≤ ${q(0.99)} s (bucket bounds)`);
}
const dbCalls = delta('tuoyu_db_calls_total'), dbSec = delta('tuoyu_db_seconds_total');
if (dbCalls) console.log(`server DB statements in window: ${dbCalls} (${(dbCalls / all.length).toFixed(1)} per booking request), ` +
  `${dbSec.toFixed(2)} s in statements (${(dbSec / all.length * 1000).toFixed(2)} ms per request)`);

// ---- zero overbooking, from the database ----
let bad = 0;
const active = new Map(progs.map((p) => [p, 0]));
const serverActive = new Set();
for (const c of clients) {
  const items = must(await c.get('/api/v1/bookings'), 200, 'bookings').items;
  if (items.length >= 500) { console.log('cannot verify: a family has ≥ 500 bookings (list limit)'); bad++; }
  for (const b of items) if (b.status === 'booked') {
    serverActive.add(b.id);
    if (active.has(b.institution_id)) active.set(b.institution_id, active.get(b.institution_id) + 1);
  }
}
const clientActive = new Set(clients.flatMap((c) => c.kids.filter((k) => k.booking).map((k) => k.booking)));
const same = serverActive.size === clientActive.size && [...clientActive].every((id) => serverActive.has(id));
if (!same) { console.log(`MISMATCH: server has ${serverActive.size} active bookings, clients were told ${clientActive.size}`); if (!inFlightErrors) bad++; }
const vac = new Map(must(await admin.get('/api/v1/public/vacancies?class_type=toddler_old'), 200, 'vacancies').items.map((x) => [x.institution_id, x]));
let full = 0, placesTaken = 0;
for (const p of progs) {
  const inst = must(await admin.get(`/api/v1/institutions/${p}`), 200, 'institution');
  const cls = inst.classes.filter((x) => x.class_type === 'toddler_old');
  const cap = cls.reduce((a, x) => a + x.capacity, 0), enr = cls.reduce((a, x) => a + x.enrolled, 0);
  const held = vac.has(p) ? vac.get(p).booked : active.get(p); // booked + open offers when listed
  if (held < active.get(p)) { console.log(`program ${p}: vacancies say ${held} held, bookings list ${active.get(p)}`); bad++; }
  if (enr + held > cap) { console.log(`OVERBOOKED program ${p}: capacity ${cap}, enrolled ${enr}, active bookings + offers ${held}`); bad++; }
  if (enr + held === cap) full++;
  placesTaken += held;
}
// and directly in the database, independent of the API
const sql = 'SELECT COUNT(*) FROM (SELECT c.institution_id, c.class_type, SUM(c.capacity) - SUM(c.enrolled) AS room, ' +
  "(SELECT COUNT(*) FROM booking b WHERE b.institution_id = c.institution_id AND b.class_type = c.class_type AND b.status = 'booked') + " +
  "(SELECT COUNT(*) FROM offer o WHERE o.institution_id = c.institution_id AND o.class_type = c.class_type AND o.status = 'offered') AS held " +
  'FROM institution_class c GROUP BY c.institution_id, c.class_type) x WHERE held > room';
let direct = '';
try {
  direct = DB_KIND === 'pg'
    ? execFileSync('psql', ['-X', '-A', '-t', '-c', sql, database.conninfo], { encoding: 'utf8' }).trim()
    : execFileSync('sqlite3', [database.db, sql], { encoding: 'utf8' }).trim();
  if (direct !== '0') { console.log(`OVERBOOKED in the database: ${direct} programs`); bad++; }
} catch (err) { direct = `not checked (${String(err.message).split('\n')[0]})`; }
console.log(`overbooking check: ${PROGRAMS} programs, ${placesTaken} of ${PROGRAMS * CAPACITY} places held, ${full} full; ` +
  `server active bookings = client tally: ${same}; direct SQL over all programs: ${direct === '0' ? '0 overbooked' : direct}; ` +
  `${bad ? 'VIOLATED' : 'ZERO OVERBOOKING'}`);
const rate = posts.length / wall, p99 = pct(all, 99);
const met = rate >= 1000 && p99 < 50 && !bad && !inFlightErrors;
console.log(`target (≥ 1,000 booking requests/s answered, p99 < 50 ms, zero overbooking): ${met ? 'MET' : 'NOT MET'} ` +
  `(POST ${rate.toFixed(0)}/s, all ${(all.length / wall).toFixed(0)}/s, p99 ${p99.toFixed(1)} ms)`);
for (const c of clients) c.close();
admin.close(); sec.close();
await srv.stop();
if (!cleaned) database.cleanup();
cleaned = true;
const san = srv.log().split('\n').filter((l) => /runtime error|Sanitizer|LeakSanitizer/.test(l));
if (san.length) { console.log('SANITIZER REPORTS from the server:\n' + san.slice(0, 10).join('\n')); bad++; }
process.exit(bad || inFlightErrors ? 1 : STRICT && !met ? 2 : 0);
