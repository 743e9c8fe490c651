// video_probe.mjs — the 可视托 liveness prober at a district's scale (issue 19 "Speed": 2,000
// cameras probed every 60 s with ≤ 1 thread and < 50 MB RSS, against loopback fakes). Puts N
// cameras in a fresh demo database with SQL, spread over the demo's institutions: a third at an
// RTSP fake that answers OPTIONS, a third at one that accepts and never answers (each such probe
// waits the whole video.probe_timeout_ms, 3 s), a third at a port where nothing listens. Starts
// `tuoyu serve` probing every S seconds and samples /proc/PID/status (threads, RSS) until every
// camera has been probed R rounds; prints each round's length, the threads (the same before and
// during a round: the prober is one thread whatever the number of cameras) and the peak RSS.
// Usage:
//   TUOYU_BIN=build/tuoyu node bench/video_probe.mjs [N=2000] [S=60] [R=2]
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { freshDatabase, startServer } from '../tests/lib/server.mjs';
import { hangingCamera, refusedPort, rtspCamera } from '../tests/lib/fake_cameras.mjs';

const N = Number(process.argv[2] || 2000);
const S = Number(process.argv[3] || 60);
const R = Number(process.argv[4] || 2);

const db = freshDatabase();
if (db.kind !== 'sqlite') throw new Error('the bench builds its cameras with sqlite3');
const sql = (text) => {
  const r = spawnSync('sqlite3', ['-bail', db.db], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};
const ok = await rtspCamera(), hang = await hangingCamera(), gone = await refusedPort();
const ports = [ok.port, hang.port, gone];
const institutions = sql('SELECT id FROM institution ORDER BY id').split('\n').map(Number);
const rows = [];
for (let i = 0; i < N; i++) {
  rows.push(`('330304', ${institutions[i % institutions.length]}, '摄像头${i}', 'other', 'rtsp', '127.0.0.1', ${ports[i % 3]}, '/ch${i}', 90, 't', 't')`);
}
sql(`BEGIN; INSERT INTO camera (district_code, institution_id, name, area, scheme, host, port, path, retention_days, created_at, updated_at) VALUES ${rows.join(',\n')}; COMMIT;`);

const status = (pid) => {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)[1]);
  return { threads: field('Threads'), rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
};

const t0 = Date.now();
const srv = await startServer({ database: db, extraArgs: ['--video-probe-seconds', String(S), '--quiet'] });
const pid = srv.child.pid;
const threads = new Set();
let peak = 0, rounds = [], last = 0;
try {
  for (;;) {
    const s = status(pid);
    threads.add(s.threads);
    peak = Math.max(peak, s.hwmKb);
    const probed = Number(sql('SELECT COALESCE(SUM(probes), 0) FROM camera_probe_day'));
    if (probed >= (rounds.length + 1) * N) {
      rounds.push(Date.now() - t0);
      if (rounds.length >= R) break;
    }
    if (Date.now() - t0 > (S * R + 120) * 1000) throw new Error(`only ${probed} probes of ${N * R}`);
    await new Promise((r) => setTimeout(r, 100));
    last = probed;
  }
} finally {
  await srv.stop();
  await ok.close();
  await hang.close();
}
const up = sql("SELECT state || ' ' || COUNT(*) FROM camera GROUP BY state").split('\n').join(', ');
console.log(`cameras ${N} (a third answering, a third hanging until the 3 s timeout, a third refused), round every ${S} s`);
console.log(`rounds done at ${rounds.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')} after the server started`);
console.log(`threads of the server process while probing: ${[...threads].sort().join(', ')} (4 HTTP workers, the connection sweeper, the main thread and one prober)`);
console.log(`peak RSS (VmHWM) ${(peak / 1024).toFixed(1)} MB; camera states after the rounds: ${up}`);
void last;
