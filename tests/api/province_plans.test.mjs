// province_plans.test.mjs — the statements that read the big tables at province size (issue 20
// item 4: 2 million children, 10 million measurements, 230,000 placements, 4.6 million attendance
// rows) find their rows through an index, checked with EXPLAIN on the province demo (1 %) with
// sequential scans priced out (enable_seqscan off: a plan still reading a big table from end to
// end, by a sequential scan or a whole index, has no index to use). Each statement is the one the server sends (the source named beside
// it), with literal values. A dropped or missing index fails here; sweeping every GET route on the
// full province found two (migration 072). PostgreSQL only (TUOYU_DB_KIND=pg).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { DB_KIND, freshDatabase, tuoyu, PASSWORD } from '../lib/server.mjs';

const skip = DB_KIND === 'pg' ? false : 'PostgreSQL only: run with TUOYU_DB_KIND=pg';
let db;
const sql = (q) => execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', db.conninfo], { input: q, encoding: 'utf8' }).trim();

before(() => {
  if (skip) return;
  db = freshDatabase({ demo: false });
  const r = tuoyu(['demo', '--scale', 'province', '--fraction', '0.01', '--password', PASSWORD, ...db.args]);
  assert.equal(r.status, 0, r.stderr);
  sql('SET client_min_messages = error; ANALYZE');
});
after(() => db?.cleanup());

// Every scan of a table in a plan: [table, the condition it was found by ('' when none: read from end
// to end, by a sequential scan or a whole index)]. A bitmap heap scan takes its bitmap index scans'.
function scans(plan, out = []) {
  const node = plan['Node Type'];
  const conds = (p) => [p['Index Cond'], ...(p.Plans ?? []).flatMap(conds)].filter(Boolean);
  if (node === 'Seq Scan' || /^Index (Only )?Scan$/.test(node)) out.push([plan['Relation Name'], plan['Index Cond'] ?? '']);
  if (node === 'Bitmap Heap Scan') out.push([plan['Relation Name'], conds(plan).join(' OR ')]);
  for (const p of plan.Plans ?? []) scans(p, out);
  return out;
}
const explain = (q) => JSON.parse(sql(`SET enable_seqscan = off; EXPLAIN (FORMAT JSON) ${q}`).split('\n').filter((l) => l.trim()).join('\n'))[0].Plan;
// the scans of the big tables that are not found by one of the columns each may be found by
const unindexed = (q, by) => scans(explain(q)).filter(([t, cond]) => by[t] && !by[t].test(cond)).map(([t, cond]) => `${t} (${cond || 'all'})`);

test('the hot statements at province size read the big tables through indexes', { skip }, () => {
  const [inst, district] = sql(`SELECT institution_id, district_code FROM care_placement WHERE district_code <> '330304'
    GROUP BY 1, 2 ORDER BY COUNT(*) DESC LIMIT 1`).split('|');
  const child = sql(`SELECT child_id FROM care_placement WHERE institution_id = ${inst} LIMIT 1`);
  const statements = {
    // src/checkups/store.c checkups_children_in_care, as an institution's operator reads it
    'an institution\'s children due a check-up': `SELECT c.id, p.institution_id, c.family_user_id, c.name_masked, c.birth_date,
      (SELECT MIN(q.start_date) FROM care_placement q WHERE q.child_id = p.child_id AND q.institution_id = p.institution_id),
      i.name, c.name_sealed FROM care_placement p JOIN child c ON c.id = p.child_id JOIN institution i ON i.id = p.institution_id
      WHERE p.district_code = '${district}' AND p.end_date IS NULL AND (${inst} = 0 OR p.institution_id = ${inst})
      AND p.institution_id = ${inst} ORDER BY i.name, c.id`,
    // src/care/store.c care_sheet_json: the day's attendance sheet of the whole institution
    'an institution\'s attendance sheet of a day': `SELECT c.id, c.name_masked, a.status, a.check_in, a.brought_by, a.check_out,
      a.collected_by, a.absence_cause, a.note, p.class_id, k.name, c.name_sealed, c.family_user_id,
      (SELECT COUNT(*) FROM child_consent x WHERE x.child_id = c.id AND x.withdrawn_at IS NULL) FROM care_placement p
      JOIN child c ON c.id = p.child_id JOIN institution_class k ON k.id = p.class_id
      LEFT JOIN care_attendance a ON a.child_id = p.child_id AND a.day = '2026-12-04'
      WHERE p.institution_id = ${inst} AND (0 = 0 OR p.class_id = 0) AND p.start_date <= '2026-12-04'
      AND (p.end_date IS NULL OR p.end_date > '2026-12-04') ORDER BY p.class_id, c.id`,
    // src/growth/store.c growth_flags_scan: a district's children in care with their latest measurement,
    // their institution and class found within the district (not every one of the province hashed)
    'a district\'s growth flags': `SELECT c.id, c.family_user_id, p.institution_id, p.class_id, m.id, c.name_masked,
      c.name_sealed, i.name, k.name, c.birth_date, m.measured_on, c.sex, m.weight_kg, m.lenhei_cm, m.measure, m.headc_cm,
      m.oedema FROM care_placement p JOIN child c ON c.id = p.child_id AND c.district_code = p.district_code
      JOIN institution i ON i.id = p.institution_id AND i.district_code = p.district_code JOIN institution_class k
      ON k.id = p.class_id AND k.district_code = p.district_code JOIN measurement m ON m.id = (SELECT l.id FROM measurement l
      WHERE l.child_id = c.id ORDER BY l.measured_on DESC, l.id DESC LIMIT 1) WHERE p.district_code = '${district}'
      AND p.end_date IS NULL AND (0 = 0 OR p.institution_id = 0) AND c.id > 0 AND 1 = 1 ORDER BY c.id`,
    // src/children/store.c children_measurements: a child's growth
    'a child\'s measurements': `SELECT id, measured_on, weight_kg, lenhei_cm, measure, headc_cm, armc_cm, triskin_mm, subskin_mm,
      oedema FROM measurement WHERE child_id = ${child} ORDER BY measured_on, id`,
    // src/care/store.c: a child's attendance history
    'a child\'s attendance': `SELECT day, status, check_in, check_out, absence_cause, brought_by, collected_by, symptom
      FROM care_attendance WHERE child_id = ${child} ORDER BY day DESC LIMIT 31`,
  };
  // how each big table may be found: by the institution, the child, the district — never all of it
  const by = {
    care_placement: /institution_id|child_id|district_code/, child: /\bid\b/, measurement: /child_id|\bid\b/,
    care_attendance: /child_id/, child_consent: /child_id/, institution: /district_code|\bid\b/,
  };
  for (const [what, q] of Object.entries(statements))
    assert.deepEqual(unindexed(q, by), [], `${what}: ${JSON.stringify(scans(explain(q)))}`);
  // and the check catches a missing index: without migration 072's, the sheet reads every open placement
  sql('DROP INDEX care_placement_institution');
  assert.deepEqual(unindexed(statements['an institution\'s attendance sheet of a day'], by).map((x) => x.split(' ')[0]),
    ['care_placement']);
});
