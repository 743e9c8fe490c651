// funds_batch.mjs — a payment batch of N approved 育儿补贴 ledger rows (default 100,000; issue 18
// target: built and exported in < 5 s): N children, their approved applications (bank account
// masked) and one approved childcare row each are written straight into a fresh demo database with
// SQL (sqlite3 or psql), then the server is started on it and the district administrator makes
// the batch (POST /api/v1/funds/batches with the N ids: each row checked approved and moved to
// batched with its history row, one transaction) and downloads its bank list
// (GET /api/v1/funds/batches/{id}/export: .xlsx, audited). Prints each step's wall time, three runs
// (a fresh set of rows each run).
// Usage:
//   TUOYU_BIN=build/tuoyu node bench/funds_batch.mjs [N]     (TUOYU_DB_KIND=pg for PostgreSQL)
import { execFileSync } from 'node:child_process';
import { startServer, freshDatabase } from '../tests/lib/server.mjs';

const N = Number(process.argv[2] || 100000);
const db = freshDatabase();
const pg = db.kind === 'pg';
const seq = (n) => `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})`;
// run r's rows: children 'bench-r-i', their applications and ledger rows
const rows = (r) => `
BEGIN;
INSERT INTO child (district_code, name_sealed, name_masked, sex, birth_date, id_kind, id_sealed, id_lookup, id_masked, hukou_town, created_at, updated_at)
${seq(N)} SELECT '330304', 'sealed', '张*明', 1, '2025-06-15', 'birth_cert', 'sealed', 'bench-${r}-' || i, 'O*******45', '330304001', '2026-06-01T02:00:00Z', '2026-06-01T02:00:00Z' FROM n;
INSERT INTO childcare_application (district_code, child_id, family_user_id, town_code, cert_sealed, cert_masked, relation, bank_name, account_sealed, account_masked, state, months_total, amount_fen, submitted_on, due_on, decided_by, decided_at, created_at, updated_at)
SELECT '330304', c.id, 1, '330304001', 'sealed', 'O*******45', 'mother', '中国工商银行温州瓯海支行', 'sealed', '6222 **** **** ' || substr('0000' || (c.id % 10000), -4, 4), 'approved', 36, 1080000, '2026-06-01', '2026-07-13', 1, '2026-06-02T02:00:00Z', '2026-06-01T02:00:00Z', '2026-06-02T02:00:00Z'
FROM child c WHERE c.id_lookup LIKE 'bench-${r}-%';
INSERT INTO funds_entitlement (district_code, kind, town_code, beneficiary, period, amount_fen, explanation, state, created_by, approved_by, created_at, updated_at, child_id, childcare_application_id, basis)
SELECT '330304', 'childcare', '330304001', '张*明', '2026-01~2026-12', 360000, '{"rule":"育儿补贴"}', 'approved', 1, 1, '2026-06-02T02:00:00Z', '2026-06-02T02:00:00Z', a.child_id, a.id, '《育儿补贴制度实施方案》（中办 国办 2025-07）；2026 年 12 个月，按 subsidy.childcare.per_month_fen 逐月计发'
FROM childcare_application a JOIN child c ON c.id = a.child_id WHERE c.id_lookup LIKE 'bench-${r}-%';
COMMIT;
ANALYZE child; ANALYZE childcare_application; ANALYZE funds_entitlement;
`;
const sql = (text) => (pg ? execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', db.conninfo], { input: text, encoding: 'utf8' })
  : execFileSync('sqlite3', [db.db], { input: text, encoding: 'utf8' }));
const ids = (r) => sql(`SELECT f.id FROM funds_entitlement f JOIN child c ON c.id = f.child_id WHERE c.id_lookup LIKE 'bench-${r}-%' AND f.state = 'approved' ORDER BY f.id;`)
  .trim().split('\n').map(Number);

for (let r = 1; r <= 3; r++) {
  const t0 = Date.now();
  sql(rows(r));
  console.log(`${db.kind} run ${r}: ${N} children, applications and approved rows written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const srv = await startServer({ now: '2026-06-10T02:00:00Z', database: db });
try {
  const admin = await srv.login('district-admin');
  for (let r = 1; r <= 3; r++) {
    const list = ids(r);
    if (list.length !== N) throw new Error(`run ${r}: ${list.length} rows, expected ${N}`);
    const t0 = performance.now();
    const b = await admin.post('/api/v1/funds/batches', { name: `基准批次 ${r}`, entitlement_ids: list });
    const t1 = performance.now();
    if (b.status !== 201 || b.body.count !== N) throw new Error(`batch: ${b.status} ${b.text.slice(0, 300)}`);
    const res = await fetch(`${srv.url}/api/v1/funds/batches/${b.body.id}/export`, { headers: { cookie: admin.cookie } });
    const bytes = Buffer.from(await res.arrayBuffer());
    const t2 = performance.now();
    if (res.status !== 200) throw new Error(`export: ${res.status} ${bytes.toString().slice(0, 300)}`);
    const t3 = performance.now();
    const again = await admin.get(`/api/v1/funds/batches/${b.body.id}`);
    const t4 = performance.now();
    if (again.status !== 200) throw new Error(again.text.slice(0, 300));
    console.log(`run ${r}: GET of the batch (its ${N} rows, the reply alone) ${((t4 - t3) / 1000).toFixed(2)} s`);
    console.log(`run ${r}: batch of ${N} built in ${((t1 - t0) / 1000).toFixed(2)} s (reply ${(b.text.length / 1e6).toFixed(1)} MB), `
      + `exported in ${((t2 - t1) / 1000).toFixed(2)} s (${(bytes.length / 1e6).toFixed(1)} MB .xlsx); total ${((t2 - t0) / 1000).toFixed(2)} s`);
  }
} finally {
  await srv.stop();
}
