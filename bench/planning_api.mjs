// planning_api.mjs — wall time of the planning API on the demo data (60 communities, ~116 institutions,
// 15 candidates): coverage straight-line and on a generated 20,000-node network, uncached (each run
// first inserts a community so the input hash changes; the insert is included) and cached, and site
// selection. Usage: TUOYU_BIN=build/tuoyu node bench/planning_api.mjs
import { startServer, tuoyu } from '../tests/lib/server.mjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const srv = await startServer();
const a = await srv.login('district-admin');
const t = async (label, f) => { const t0 = process.hrtime.bigint(); const r = await f(); const ms = Number(process.hrtime.bigint() - t0) / 1e6; console.log(label, ms.toFixed(1), 'ms', r?.status ?? ''); return r; };
const runs = async (label, f, n = 5) => { const ms = []; for (let i = 0; i < n; i++) { const t0 = process.hrtime.bigint(); await f(i); ms.push(Number(process.hrtime.bigint() - t0) / 1e6); } ms.sort((x, y) => x - y); console.log(label, 'median', ms[Math.floor(n / 2)].toFixed(1), 'ms, min', ms[0].toFixed(1), 'max', ms[n - 1].toFixed(1)); };
let pop = 1000;
const bump = () => a.post('/api/v1/planning/communities', { name: 'bench', town_code: '330304005', lon: 120.62, lat: 27.95, population: pop++, children_0_3: 10 });
await runs('coverage straight-line, uncached (after a community insert)', async () => { await bump(); const r = await a.post('/api/v1/planning/coverage', {}); if (r.body.cached) throw 1; });
await runs('coverage cached', async () => { const r = await a.post('/api/v1/planning/coverage', {}); if (!r.body.cached) throw 1; });
const dir = mkdtempSync(join(tmpdir(), 'tuoyu-bench-net-'));
const file = join(dir, 'net.osm.pbf');
if (tuoyu(['plan', 'gen-network', '--nodes', '20000', '--lat', '27.95', '--lon', '120.62', '--spacing-m', '200', '--out', file]).status !== 0) throw new Error('gen-network failed');
const bytes = readFileSync(file);
rmSync(dir, { recursive: true, force: true });
await t('upload 20k-node pbf (270 KB)', () => fetch(`${srv.url}/api/v1/planning/network?name=bench`, { method: 'POST', body: bytes, headers: { cookie: a.cookie, 'X-CSRF-Token': a.csrf } }));
await runs('coverage network, uncached', async () => { await bump(); const r = await a.post('/api/v1/planning/coverage', {}); if (r.body.cached || r.body.method !== 'network') throw 1; });
await runs('coverage network, cached', async () => { const r = await a.post('/api/v1/planning/coverage', {}); if (!r.body.cached) throw 1; });
await runs('sites k=5 network, uncached', async () => { await bump(); const r = await a.post('/api/v1/planning/sites', { k: 5 }); if (r.body.cached) throw 1; });
await srv.stop();
