// connections.mjs — hold N concurrent keep-alive connections for a while, each sending one request
// every interval, and report connection errors, request errors and latency percentiles. Starts
// its own `tuoyu serve` (a fresh SQLite database, request log off) unless --url is given. The
// connections come from many loopback addresses (127.0.0.2, .3, …; 100 each), as many clients
// would, so the server's per-address limit (default 128) is not what is measured.
//   node bench/connections.mjs [--connections 500,5000] [--seconds 60] [--interval-ms 1000]
//                              [--path /healthz] [--threads 4] [--url http://127.0.0.1:PORT]
// BUILD=dir picks the binary (default build/tuoyu; `make bin` first). One result line per count:
//   connections | seconds | requests | req/s | connect errors | request errors | p50 | p90 | p99 | p99.9 | max (ms)
import net from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const opts = { connections: '500,5000', seconds: '60', 'interval-ms': '1000', path: '/healthz', threads: '4', url: '' };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in opts) || process.argv[i + 1] === undefined) {
    console.error(`unknown option or missing value: ${process.argv[i]}`);
    process.exit(2);
  }
  opts[k] = process.argv[i + 1];
}
const PER_ADDRESS = 100;
const TIMEOUT_MS = 10000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startServer(dir) {
  const bin = join(resolve(root, process.env.BUILD || 'build'), 'tuoyu');
  const child = spawn(bin, ['serve', '--db', join(dir, 'bench.db'), '--listen', '127.0.0.1:0', '--threads', opts.threads, '--quiet'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const url = await new Promise((res, rej) => {
    child.stderr.on('data', (d) => {
      log += d;
      const m = /serving (http:\/\/[\d.]+:\d+)\//.exec(log);
      if (m) res(m[1]);
    });
    child.on('exit', (code) => rej(new Error(`tuoyu serve exited ${code}: ${log}`)));
  });
  child.removeAllListeners('exit');
  return { url, child };
}

// One keep-alive connection sending a request every interval until `until` (ms, performance.now());
// requests sent from `from` on are measured; a connection that fails is counted and opened again.
function client(host, port, localAddress, stats, from, until, interval) {
  return new Promise((done) => {
    const request = Buffer.from(`GET ${opts.path} HTTP/1.1\r\nHost: bench\r\n\r\n`);
    const count = (kind) => { stats.errors[kind] = (stats.errors[kind] || 0) + 1; };
    let sock, timer = null, finished = false;
    const finish = () => { finished = true; clearTimeout(timer); sock.destroy(); done(); };
    const open = () => {
      const t0 = performance.now();
      let buf = Buffer.alloc(0), sentAt = 0, connected = false, failure = null;
      const send = () => {
        if (performance.now() >= until) return finish();
        sentAt = performance.now();
        sock.write(request);
        timer = setTimeout(() => { failure = 'timeout'; sock.destroy(); }, TIMEOUT_MS);
      };
      sock = net.connect({ host, port, localAddress });
      sock.setNoDelay(true);
      sock.once('connect', () => {
        connected = true;
        stats.connectMs.push(performance.now() - t0);
        timer = setTimeout(send, Math.random() * interval); // spread the requests over the interval
      });
      sock.on('error', (e) => { failure = failure || e.code || 'error'; });
      sock.on('data', (d) => {
        buf = buf.length ? Buffer.concat([buf, d]) : d;
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const len = Number((/\r\ncontent-length:\s*(\d+)/i.exec(head) || [0, 0])[1]);
        if (buf.length < end + 4 + len) return;
        buf = buf.subarray(end + 4 + len);
        clearTimeout(timer);
        if (sentAt >= from) stats.latencies.push(performance.now() - sentAt);
        if (!/^HTTP\/1\.1 200/.test(head)) count(`status ${head.slice(9, 12)}`);
        timer = setTimeout(send, Math.max(0, sentAt + interval - performance.now()));
      });
      sock.on('close', () => {
        clearTimeout(timer);
        if (finished) return;
        if (connected) count(failure || 'closed by the server');
        else stats.connectErrors++;
        if (performance.now() < until) setTimeout(open, 100);
        else { finished = true; done(); }
      });
    };
    open();
  });
}

function percentile(sorted, p) { return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN; }

async function run(url, n, seconds, interval) {
  const { hostname: host, port } = new URL(url);
  const stats = { latencies: [], connectMs: [], connectErrors: 0, errors: {} };
  const from = performance.now() + 2000; // measured after two seconds to open them all
  const until = from + seconds * 1000;
  const clients = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(i / PER_ADDRESS);
    clients.push(client(host, Number(port), `127.0.${Math.floor(k / 250)}.${2 + (k % 250)}`, stats, from, until, interval));
    if (i % 200 === 199) await sleep(20); // do not overflow the listen backlog
  }
  await Promise.all(clients);
  const lat = stats.latencies.sort((a, b) => a - b);
  const errors = Object.values(stats.errors).reduce((a, b) => a + b, 0);
  const f = (v) => v.toFixed(2);
  console.log(`| ${n} | ${seconds} | ${lat.length} | ${Math.round(lat.length / seconds)} | ${stats.connectErrors} | ${errors}` +
    `${errors ? ' ' + JSON.stringify(stats.errors) : ''} | ${f(percentile(lat, 0.5))} | ${f(percentile(lat, 0.9))} | ` +
    `${f(percentile(lat, 0.99))} | ${f(percentile(lat, 0.999))} | ${f(lat[lat.length - 1] || NaN)} |`);
}

const dir = opts.url ? null : mkdtempSync(join(tmpdir(), 'tuoyu-bench-conn-'));
let server = null;
try {
  let url = opts.url;
  if (!url) { server = await startServer(dir); url = server.url; }
  console.log(`# ${opts.path} every ${opts['interval-ms']} ms per connection, ${opts.seconds} s; server ${url}, ${opts.threads} threads`);
  console.log('| connections | seconds | requests | req/s | connect errors | request errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const n of opts.connections.split(',').map(Number)) {
    await run(url, n, Number(opts.seconds), Number(opts['interval-ms']));
    await sleep(1000); // let the server close the last ones
  }
} finally {
  if (server) { server.child.kill('SIGTERM'); await new Promise((r) => server.child.once('exit', r)); }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
