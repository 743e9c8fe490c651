// province.mjs — PostgreSQL at province size (issue 20 item 4): with `tuoyu demo --scale province`
// loaded (90 districts, ~10,000 institutions, ~2 million children with their measurements, a month of
// attendance, bookings and applications), `tuoyu serve` over loopback and R requests of each, one at
// a time (p50 / p99 / max, client side):
//   - the province administrator's 区县比较 (targets: < 200 ms): the first request once the keeper
//     made the 90 district rows after the start (how long that took is printed), kept, and right
//     after a write in one district made outside the timing through psql (that district's row
//     made again, the other 89 kept); with --region-refresh-seconds 0 (no keeper) the first
//     request makes all 90 (REGION_KEEPER=0);
//   - a city administrator's (温州, 12 districts), the same three ways;
//   - a district administrator's dashboard (< 50 ms) of the district with the most institutions, the
//     same three ways;
//   - the parents' search near a point with filters (p99 < 50 ms): a new point every request (never
//     a kept answer) within 5 km, a class type and a fee limit, sorted by distance, in one district
//     named by ?district=; and with CONCURRENCY clients at once.
// The booking rush with this data loaded is bench/booking_load.mjs on a copy of the same database
// (see bench/RESULTS.md for the command).
//
//   TUOYU_DB_KIND=pg PROVINCE_DB=NAME PROVINCE_KEY=FILE TUOYU_BIN=build/tuoyu node bench/province.mjs [R=100]
// PROVINCE_DB: a database of tools/pg-test.sh's server made with
//   tuoyu demo --scale province --password Test-demo-pass-2023 --pg … --key FILE
// (about 5 minutes at full scale); without it one is made at FRACTION (default 0.1) and dropped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, startServer, tuoyu, PASSWORD } from '../tests/lib/server.mjs';

const R = Number(process.argv[2] || 100);
const CONCURRENCY = Number(process.env.CONCURRENCY || 8);
if (process.env.TUOYU_DB_KIND !== 'pg') throw new Error('province.mjs measures PostgreSQL: set TUOYU_DB_KIND=pg');

let database;
if (process.env.PROVINCE_DB) {
  const base = execFileSync('sh', ['tools/pg-test.sh'], { encoding: 'utf8' }).trim().split('\n').pop();
  const conninfo = base.replace(/dbname=\S+/, `dbname=${process.env.PROVINCE_DB}`);
  database = { kind: 'pg', conninfo, args: ['--pg', conninfo, '--key', process.env.PROVINCE_KEY], cleanup() {} };
} else {
  database = freshDatabase({ demo: false });
  const key = join(mkdtempSync(join(tmpdir(), 'tuoyu-province-')), 'tuoyu.key');
  database.args = ['--pg', database.conninfo, '--key', key];
  const t0 = Date.now();
  const r = tuoyu(['demo', '--scale', 'province', '--fraction', process.env.FRACTION || '0.1', '--password', PASSWORD, ...database.args]);
  if (r.status !== 0) throw new Error(r.stderr);
  console.log(`loaded the province demo at fraction ${process.env.FRACTION || '0.1'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const psql = (q) => execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', database.conninfo], { input: q, encoding: 'utf8' }).trim();

const counts = psql(`SELECT (SELECT COUNT(*) FROM institution) || ' institutions, ' || (SELECT COUNT(*) FROM child) || ' children, ' ||
  (SELECT COUNT(*) FROM measurement) || ' measurements, ' || (SELECT COUNT(*) FROM care_attendance) || ' attendance rows, ' ||
  (SELECT COUNT(*) FROM booking) || ' bookings, ' || (SELECT COUNT(*) FROM application) || ' applications'`);
console.log(`# bench/province.mjs ${new Date().toISOString().slice(0, 16)}Z, ${R} requests each: ${counts}`);

const stats = (times) => {
  const t = [...times].sort((a, b) => a - b);
  const q = (p) => t[Math.min(t.length - 1, Math.floor(p * t.length))].toFixed(1);
  return `p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${t.at(-1).toFixed(1)} ms`;
};
const timed = async (who, path) => {
  const t0 = process.hrtime.bigint();
  const r = await who.get(path);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`);
  return [ms, r.body];
};

const started = Date.now();
const srv = await startServer({ database, extraArgs: ['--quiet', '--threads', '4',
  '--region-refresh-seconds', process.env.REGION_KEEPER === '0' ? '0' : '60'] });
try {
  // the keeper's first round (src/jurisdiction/rows.c): done once the count of statements stops moving
  const last = await srv.quiet(200);
  console.log(`the keeper made the province's district rows within ${((Date.now() - started) / 1000).toFixed(1)} s of the start (${last} statements)`);
  // a write in one district: a class's row touched, as an institution's update would (the
  // supervision stamp of the district moves; migration 065)
  const classes = psql('SELECT district_code, MIN(id) FROM institution_class GROUP BY district_code ORDER BY 1')
    .split('\n').map((l) => l.split('|'));
  let w = 0;
  const writeSomewhere = (district) => {
    const [, id] = district ? classes.find(([d]) => d === district) : classes[w++ % classes.length];
    psql(`UPDATE institution_class SET enrolled = enrolled WHERE id = ${id}`);
  };
  const dbCalls = () => srv.dbCalls();
  const three = async (label, who, path, district) => {
    let calls = await dbCalls();
    const [cold] = await timed(who, path);
    const coldCalls = (await dbCalls()) - calls;
    const kept = [], after = [];
    for (let i = 0; i < R; i++) kept.push((await timed(who, path))[0]);
    let afterCalls = 0;
    for (let i = 0; i < R; i++) {
      writeSomewhere(district);
      calls = await dbCalls();
      after.push((await timed(who, path))[0]);
      afterCalls += (await dbCalls()) - calls;
    }
    console.log(`| ${label} | first ${cold.toFixed(1)} ms (${coldCalls} statements) | kept: ${stats(kept)} | after a write: ${stats(after)} (${(afterCalls / R).toFixed(0)} statements) |`);
  };
  await three('province admin GET /api/v1/region/districts (90 districts)', await srv.login('province-admin'), '/api/v1/region/districts');
  await three('city admin (温州) GET /api/v1/region/districts', await srv.login('city-admin'), '/api/v1/region/districts');
  const [biggest] = psql("SELECT district_code FROM institution GROUP BY district_code ORDER BY COUNT(*) DESC, district_code LIMIT 1").split('\n');
  await three(`district admin ${biggest} GET /api/v1/dashboard`, await srv.login(`district-admin-${biggest}`), '/api/v1/dashboard', biggest);

  // the parents' search: a new point each time around the district's institutions
  const [lon, lat] = psql(`SELECT AVG(lon), AVG(lat) FROM institution WHERE district_code = '${biggest}'`).split('|').map(Number);
  const anon = srv.client();
  let seq = 0;
  const search = () => {
    seq++;
    const x = (lon + Math.sin(seq * 12.9898) * 0.15).toFixed(5), y = (lat + Math.cos(seq * 78.233) * 0.1).toFixed(5);
    return `/api/v1/public/institutions?district=${biggest}&near=${x},${y}&radius_km=5&class_type=toddler_old&max_fee_fen=500000&sort=distance&limit=20`;
  };
  const one = [];
  let found = 0;
  for (let i = 0; i < R; i++) {
    const [ms, body] = await timed(anon, search());
    one.push(ms);
    found += body.items.length;
  }
  console.log(`| public search near a point (${biggest}, 5 km, 托大班, fee limit), one client | ${stats(one)} | ${(found / R).toFixed(1)} results a search |`);
  const many = [];
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let i = 0; i < R; i++) many.push((await timed(anon, search()))[0]);
  }));
  const rate = (many.length / ((Date.now() - t0) / 1000)).toFixed(0);
  console.log(`| public search near a point, ${CONCURRENCY} clients | ${stats(many)} | ${rate} searches/s |`);
} finally {
  await srv.stop();
  database.cleanup();
}
