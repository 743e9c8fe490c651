// tenant_keys.test.mjs — the PostgreSQL schema distributes by district_code as src/db/distribution.txt
// says (issue 20 item 6, docs/scale.md "Distributing by district"): every table is in the plan;
// every key of a distributed table carries the tenant key but what the plan lists as pending, and
// nothing it lists is gone; a new table or key without the tenant key fails this test; and the
// database refuses a row pointing at another district's row. PostgreSQL only (TUOYU_DB_KIND=pg).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { DB_KIND, freshDatabase, tuoyu } from '../lib/server.mjs';
import { readPlan, readSchema, compare, violations } from '../../tools/tenant-keys.mjs';

const skip = DB_KIND === 'pg' ? false : 'PostgreSQL only: run with TUOYU_DB_KIND=pg';
const sql = (conninfo, q) => execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', conninfo, '-c', q], { encoding: 'utf8' }).trim();

test('the migrated schema is what the plan says, key by key', { skip }, () => {
  const db = freshDatabase({ demo: false });
  try {
    const r = tuoyu(['migrate', ...db.args]);
    assert.equal(r.status, 0, r.stderr);
    const plan = readPlan();
    const schema = readSchema(db.conninfo);
    assert.deepEqual(compare(plan, schema), []);
    const distributed = [...plan].filter(([, p]) => p.kind === 'distributed');
    const clean = distributed.filter(([, p]) => p.pending.size === 0);
    assert.ok(distributed.length >= 90, `${distributed.length} distributed tables`);
    assert.ok(clean.length >= 70, `${clean.length} of them with the tenant key in every key`);
    // nothing pending of the kinds migrations 069 and 070 did away with
    for (const [t, p] of distributed)
      for (const x of p.pending) assert.ok(!/^(no_tenant_column|fk\()/.test(x), `${t}: ${x}`);
  } finally { db.cleanup(); }
});

test('a table or a key without the tenant key, and a stale line of the plan, are caught', { skip }, () => {
  const db = freshDatabase({ demo: false });
  try {
    assert.equal(tuoyu(['migrate', ...db.args]).status, 0);
    sql(db.conninfo, `CREATE TABLE tenantless (id BIGSERIAL PRIMARY KEY, name TEXT);
      CREATE TABLE sidecar (district_code TEXT NOT NULL, id BIGINT NOT NULL, child_id BIGINT, PRIMARY KEY (district_code, id),
                            FOREIGN KEY (district_code, child_id) REFERENCES child (district_code, id));`);
    // a foreign key to a child by id alone cannot even be made: no key of child is the id alone
    assert.throws(() => sql(db.conninfo, 'ALTER TABLE sidecar ADD FOREIGN KEY (child_id) REFERENCES child (id)'),
      /no unique constraint matching given keys/);
    sql(db.conninfo, 'CREATE UNIQUE INDEX child_name_once ON child (name_masked)');
    const plan = readPlan();
    plan.set('sidecar', { kind: 'distributed', pending: new Set(), line: 0 });
    plan.get('institution').pending.add('pk(id)');
    const problems = compare(plan, readSchema(db.conninfo));
    assert.ok(problems.some((p) => /^tenantless: a table the plan/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /^child: unique\(name_masked\)/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /^institution \(line \d+\): pk\(id\) is listed as pending but the schema no longer has it/.test(p)), problems.join('\n'));
    assert.equal(problems.length, 3, problems.join('\n'));
    // as a distributed table, tenantless has neither the column nor the key
    const found = violations(readSchema(db.conninfo), (t) => (t === 'tenantless' ? 'distributed' : plan.get(t)?.kind));
    assert.deepEqual([...found.get('tenantless')].sort(), ['no_tenant_column', 'pk(id)']);
  } finally { db.cleanup(); }
});

test('the database refuses a row of one district pointing at another district’s row', { skip }, () => {
  const db = freshDatabase();
  try {
    const child = sql(db.conninfo, "SELECT id FROM child WHERE district_code = '330304' ORDER BY id LIMIT 1");
    const ok = `INSERT INTO measurement (district_code, child_id, measured_on, weight_kg, created_at)
                SELECT district_code, id, '2026-01-05', 11.5, '2026-01-05T00:00:00Z' FROM child WHERE id = ${child}`;
    sql(db.conninfo, `BEGIN; ${ok}; ROLLBACK;`);
    assert.throws(() => sql(db.conninfo, ok.replace('SELECT district_code,', "SELECT '330302',")),
      /violates foreign key constraint "measurement_child_id_fkey"/);
  } finally { db.cleanup(); }
});
