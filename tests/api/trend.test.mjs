// trend.test.mjs — the dashboard's monthly snapshots (issue 19 item 1: trends): the month's
// indicators are kept the first time the dashboard is read in the month and do not change with
// later reads of the month, while the live figures do; the next month adds a point; a town officer's
// trend is their town's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

const servers = [];
let database = null;
after(async () => {
  for (const s of servers) await s.stop();
  database?.cleanup(); // the database both servers used
});

test('a point a month, kept as first read; the live figures move, the month\'s point does not', async () => {
  const first = await startServer({ now: '2026-03-10T02:00:00Z' });
  servers.push(first);
  let admin = await first.login('district-admin');
  let dash = (await admin.get('/api/v1/dashboard')).body;
  assert.deepEqual(dash.trend.map((p) => p.month), ['2026-03']);
  assert.deepEqual([dash.trend[0].places, dash.trend[0].residents, dash.trend[0].open_findings, dash.trend[0].places_per_1000],
    [dash.district.places, dash.district.residents, dash.district.open_findings, dash.district.places_per_1000]);
  // twice the residents this year: the live figure halves, March's point stays
  const pop = (await admin.get('/api/v1/population')).body.towns;
  const r = await admin.put('/api/v1/population/2026', { source: '测试', rows: pop.map((t) => ({ town_code: t.town_code, residents: t.residents * 2 })) });
  assert.equal(r.status, 200, r.text);
  const again = (await admin.get('/api/v1/dashboard')).body;
  assert.equal(again.district.residents, 2 * dash.district.residents);
  assert.deepEqual(again.trend, dash.trend, 'the month\'s snapshot is kept as first taken');
  const town = (await (await first.login('town-330304001')).get('/api/v1/dashboard')).body;
  assert.equal(town.trend[0].residents, dash.towns.find((t) => t.code === '330304001').residents, 'the town\'s own point');
  await first.stop({ keepDatabase: true });
  database = first.database;

  // a month later, on the same database: a second point with the new residents
  const second = await startServer({ now: '2026-04-02T02:00:00Z', database: first.database });
  servers.push(second);
  admin = await second.login('district-admin');
  dash = (await admin.get('/api/v1/dashboard')).body;
  assert.deepEqual(dash.trend.map((p) => p.month), ['2026-03', '2026-04']);
  assert.equal(dash.trend[1].residents, again.district.residents);
  assert.ok(dash.trend[1].places_per_1000 < dash.trend[0].places_per_1000);
});
