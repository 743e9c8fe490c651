#!/usr/bin/env node
// tenant-keys.mjs — does the PostgreSQL schema distribute by the tenant key (district_code)?
// (issue 20 item 6, docs/scale.md "Distributing by district"). Reads the schema of a migrated
// database and the plan in src/db/distribution.txt, where every table is one of
//   distributed  rows belong to one district: sharded by district_code, colocated
//   reference    small, platform-wide or read with every district's rows: a copy on every node
//   coordinator  bookkeeping of the deployment itself (schema_migrations)
// and computes what keeps each table from being distributed so on Citus:
//   no_tenant_column     a distributed table without a NOT NULL district_code
//   pk(cols)             a distributed table's primary key without district_code (or none)
//   unique(cols)         a distributed table's unique constraint or index without district_code
//   fk(cols)->table      a distributed table's foreign key to another distributed table that does
//                        not carry district_code on both sides; a reference table's foreign key
//                        to a distributed table (Citus refuses both)
// Each table's line lists what it still has of these ("pending"); the check fails on a table not
// in the plan, a violation not listed (new debt) and a listed one that is gone (the plan must say
// the truth, so the list only shrinks).
//   node tools/tenant-keys.mjs CONNINFO          check; exit 1 with what differs
//   node tools/tenant-keys.mjs CONNINFO --print  the plan's lines as the schema has them now
//   node tools/tenant-keys.mjs CONNINFO --migration [TABLE...]
//        the PostgreSQL statements that put district_code first in the primary key of every
//        distributed table whose key lacks it (but those named, kept as they are) and in every
//        foreign key to one (how migration 070 was written)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PLAN = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'db', 'distribution.txt');
const KINDS = new Set(['distributed', 'reference', 'coordinator']);

/** The plan: Map table → { kind, pending: Set, line }. */
export function readPlan(path = PLAN) {
  const plan = new Map();
  readFileSync(path, 'utf8').split('\n').forEach((raw, i) => {
    const text = raw.replace(/#.*/, '').trim();
    if (!text) return;
    const [table, kind, ...pending] = text.split(/\s+/);
    if (!KINDS.has(kind)) throw new Error(`${path}:${i + 1}: ${table}: kind must be one of ${[...KINDS].join(', ')}, got ${kind}`);
    if (plan.has(table)) throw new Error(`${path}:${i + 1}: ${table} is listed twice`);
    plan.set(table, { kind, pending: new Set(pending), line: i + 1 });
  });
  return plan;
}

const SCHEMA_SQL = `
SELECT json_build_object(
  'tables', (SELECT json_agg(json_build_object('name', c.relname,
      'tenant', EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'district_code'
                        AND a.attnotnull AND NOT a.attisdropped))
      ORDER BY c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition),
  'keys', (SELECT json_agg(json_build_object('table', t.relname, 'primary', i.indisprimary,
      'columns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum),
      'expression', i.indexprs IS NOT NULL))
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND (i.indisunique OR i.indisprimary)),
  'fks', (SELECT json_agg(json_build_object('table', t.relname, 'references', r.relname,
      'columns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(f.conkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum),
      'referenced', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(f.confkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum)))
    FROM pg_constraint f JOIN pg_class t ON t.oid = f.conrelid JOIN pg_class r ON r.oid = f.confrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND f.contype = 'f'))`;

/** The schema of the database at conninfo: { tables: [{name, tenant}], keys, fks }. */
export function readSchema(conninfo) {
  const out = execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', conninfo, '-c', SCHEMA_SQL], { encoding: 'utf8' });
  const s = JSON.parse(out);
  return { conninfo, tables: s.tables || [], keys: s.keys || [], fks: s.fks || [] };
}

/** Map table → Set of violations, given the schema and each table's kind (kindOf(table)). */
export function violations(schema, kindOf) {
  const found = new Map(schema.tables.map((t) => [t.name, new Set()]));
  const list = (cols) => cols.join(',');
  for (const t of schema.tables)
    if (kindOf(t.name) === 'distributed' && !t.tenant) found.get(t.name).add('no_tenant_column');
  for (const t of schema.tables) {
    if (kindOf(t.name) !== 'distributed') continue;
    const keys = schema.keys.filter((k) => k.table === t.name);
    const pk = keys.find((k) => k.primary);
    if (!pk) found.get(t.name).add('pk()');
    for (const k of keys) {
      const cols = k.expression ? [...(k.columns || []), 'expr'] : (k.columns || []);
      if (!cols.includes('district_code')) found.get(t.name).add(`${k.primary ? 'pk' : 'unique'}(${list(cols)})`);
    }
  }
  for (const f of schema.fks) {
    const from = kindOf(f.table), to = kindOf(f.references);
    if (to !== 'distributed' || !from || from === 'coordinator') continue;
    const tenantBoth = f.columns.includes('district_code') && f.referenced.includes('district_code');
    if (from === 'reference' || !tenantBoth) found.get(f.table).add(`fk(${list(f.columns)})->${f.references}`);
  }
  return found;
}

/** What differs between plan and schema: a list of messages (empty when they agree). */
export function compare(plan, schema) {
  const problems = [];
  const names = new Set(schema.tables.map((t) => t.name));
  for (const t of names) if (!plan.has(t)) problems.push(`${t}: a table the plan (src/db/distribution.txt) does not list`);
  for (const [t, p] of plan) if (!names.has(t)) problems.push(`${t} (line ${p.line}): listed in the plan, not in the schema`);
  const found = violations(schema, (t) => plan.get(t)?.kind);
  for (const [t, v] of found) {
    const p = plan.get(t);
    if (!p) continue;
    for (const x of v) if (!p.pending.has(x)) problems.push(`${t}: ${x} keeps it from being ${p.kind} on the tenant key, and the plan does not list it`);
    for (const x of p.pending) if (!v.has(x)) problems.push(`${t} (line ${p.line}): ${x} is listed as pending but the schema no longer has it: take it off the list`);
  }
  return problems;
}

/** The migration (text) that puts district_code into the primary keys of the distributed tables
 * (but keep) and into the foreign keys referencing them. */
export function migrationSql(schema, plan, keep = new Set()) {
  const kindOf = (t) => plan.get(t)?.kind || 'distributed'; // a table the plan does not list yet
  const fkRows = readForeignKeys(schema.conninfo);
  const changed = new Map(); // table → its primary key columns
  for (const t of schema.tables) {
    if (kindOf(t.name) !== 'distributed' || !t.tenant || keep.has(t.name)) continue;
    const pk = schema.keys.find((k) => k.table === t.name && k.primary);
    if (pk && !pk.columns.includes('district_code')) changed.set(t.name, pk.columns);
  }
  const fks = fkRows.filter((f) => changed.has(f.references) && kindOf(f.table) === 'distributed'
    && !f.columns.includes('district_code'));
  const out = [];
  for (const f of fks) out.push(`ALTER TABLE ${f.table} DROP CONSTRAINT ${f.name};`);
  for (const [t, cols] of changed) {
    out.push(`ALTER TABLE ${t} DROP CONSTRAINT ${t}_pkey;`);
    out.push(`ALTER TABLE ${t} ADD PRIMARY KEY (district_code, ${cols.join(', ')});`);
    out.push(`CREATE INDEX ${t}_by_${cols.join('_')} ON ${t} (${cols.join(', ')});`);
  }
  for (const f of fks) {
    const actions = f.definition.replace(/^FOREIGN KEY \([^)]*\) REFERENCES [a-z_]+\([^)]*\)/, '')
      .replace(/ON DELETE SET NULL(?! \()/, `ON DELETE SET NULL (${f.columns.join(', ')})`);
    out.push(`ALTER TABLE ${f.table} ADD CONSTRAINT ${f.name} FOREIGN KEY (district_code, ${f.columns.join(', ')}) `
      + `REFERENCES ${f.references} (district_code, ${f.referenced.join(', ')})${actions};`);
  }
  return out.join('\n') + '\n';
}

function readForeignKeys(conninfo) {
  const sql = `SELECT json_agg(json_build_object('name', f.conname, 'table', t.relname, 'references', r.relname,
      'definition', pg_get_constraintdef(f.oid),
      'columns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(f.conkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum),
      'referenced', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(f.confkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum)) ORDER BY t.relname, f.conname)
    FROM pg_constraint f JOIN pg_class t ON t.oid = f.conrelid JOIN pg_class r ON r.oid = f.confrelid
    WHERE t.relnamespace = 'public'::regnamespace AND f.contype = 'f'`;
  return JSON.parse(execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', conninfo, '-c', sql], { encoding: 'utf8' })) || [];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [conninfo, flag] = process.argv.slice(2);
  if (!conninfo) {
    console.error('usage: node tools/tenant-keys.mjs CONNINFO [--print]');
    process.exit(2);
  }
  const plan = readPlan();
  const schema = readSchema(conninfo);
  if (flag === '--migration') {
    process.stdout.write(migrationSql(schema, plan, new Set(process.argv.slice(4))));
    process.exit(0);
  }
  if (flag === '--print') {
    const found = violations(schema, (t) => plan.get(t)?.kind || 'distributed');
    for (const t of schema.tables)
      console.log([t.name.padEnd(30), (plan.get(t.name)?.kind || 'distributed').padEnd(12), ...[...found.get(t.name)].sort()].join(' ').trimEnd());
    process.exit(0);
  }
  const problems = compare(plan, schema);
  for (const p of problems) console.error(p);
  process.exit(problems.length ? 1 : 0);
}
