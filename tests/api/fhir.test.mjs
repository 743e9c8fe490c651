// fhir.test.mjs — a child's growth measurements as HL7 FHIR R4 for a resident health record: a
// Bundle with a pseudonymous Patient (no name, no ID number) and one vital-signs Observation per
// quantity measured, with LOINC codes, UCUM units and the WHO z-score the growth evaluation shows;
// the same records keep the same urn:uuid names from one export to the next; the export is
// audited; other institutions cannot export the child.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { child, consent } from '../lib/fixtures.mjs';

let srv, admin, op, other, kid;
before(async () => {
  srv = await startServer({ now: '2026-06-01T02:00:00Z' });
  admin = await srv.login('district-admin');
  const [a, b] = (await admin.get('/api/v1/institutions?town=330304005&limit=2')).body.items;
  op = await srv.login(`inst-${a.id}`);
  other = await srv.login(`inst-${b.id}`);
  kid = await child(op, '2025-06-01', { name: '林小雨', sex: 2 });
  await consent(op, kid);
  for (const m of [
    { measured_on: '2025-12-01', weight_kg: 7.6, lenhei_cm: 66.5, measure: 'l', headc_cm: 42.1 },
    { measured_on: '2026-05-20', weight_kg: 9.1, lenhei_cm: 73.0, measure: 'h' },
  ]) {
    const r = await op.post(`/api/v1/children/${kid}/measurements`, m);
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => { await srv.stop(); });

const LOINC = 'http://loinc.org';
const codes = (obs) => obs.code.coding.filter((c) => c.system === LOINC).map((c) => c.code);

test('a Bundle of a pseudonymous Patient and vital-signs Observations with LOINC codes and WHO z-scores', async () => {
  const res = await fetch(`${op.url}/api/v1/children/${kid}/fhir`, { headers: { cookie: op.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/fhir\+json/);
  const text = await res.text();
  assert.ok(!text.includes('林小雨') && !text.includes('林'), 'no name in the export');
  const bundle = JSON.parse(text);
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'collection');
  assert.match(bundle.timestamp, /^2026-06-01T02:0\d:\d\dZ$/, 'when it was made (the server\'s clock runs on from --now)');
  const [patientEntry, ...obsEntries] = bundle.entry;
  const patient = patientEntry.resource;
  assert.equal(patient.resourceType, 'Patient');
  assert.deepEqual(Object.keys(patient).sort(), ['birthDate', 'gender', 'id', 'identifier', 'resourceType']);
  assert.equal(patient.gender, 'female');
  assert.equal(patient.birthDate, '2025-06-01');
  assert.equal(patient.identifier[0].value, String(kid));
  assert.match(patient.identifier[0].system, /^urn:tuoyu:district:330304:child$/);
  assert.match(patientEntry.fullUrl, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(patientEntry.fullUrl, `urn:uuid:${patient.id}`);

  // 3 quantities on the first day, 2 on the second
  assert.deepEqual(obsEntries.map((e) => [e.resource.effectiveDateTime, codes(e.resource)]), [
    ['2025-12-01', ['29463-7']], ['2025-12-01', ['8302-2', '8306-3']], ['2025-12-01', ['9843-4']],
    ['2026-05-20', ['29463-7']], ['2026-05-20', ['8302-2', '8308-9']],
  ]);
  const growth = (await op.get(`/api/v1/children/${kid}/growth`)).body.measurements;
  const zOf = { '29463-7': 'wfa', '8302-2': 'lhfa', '9843-4': 'hcfa' };
  const units = { '29463-7': 'kg', '8302-2': 'cm', '9843-4': 'cm' };
  const profiles = { '29463-7': 'bodyweight', '8302-2': 'bodyheight', '9843-4': 'headcircum' };
  for (const { fullUrl, resource: o } of obsEntries) {
    const code = codes(o)[0];
    assert.equal(o.resourceType, 'Observation');
    assert.equal(o.status, 'final');
    assert.equal(fullUrl, `urn:uuid:${o.id}`);
    assert.deepEqual(o.meta.profile, [`http://hl7.org/fhir/StructureDefinition/${profiles[code]}`]);
    assert.equal(o.category[0].coding[0].code, 'vital-signs');
    assert.equal(o.subject.reference, patientEntry.fullUrl);
    assert.equal(o.valueQuantity.system, 'http://unitsofmeasure.org');
    assert.equal(o.valueQuantity.code, units[code]);
    const m = growth.find((g) => g.measured_on === o.effectiveDateTime);
    const measured = { '29463-7': m.weight_kg, '8302-2': m.lenhei_cm, '9843-4': m.headc_cm }[code];
    assert.equal(o.valueQuantity.value, measured);
    // the z-score is the one the growth evaluation shows for that measurement
    const z = m.zscores[zOf[code]];
    assert.ok(z && typeof z.z === 'number', `${code} on ${m.measured_on} has a z-score`);
    assert.equal(o.component.length, 1);
    assert.deepEqual([o.component[0].code.coding[0].system, o.component[0].code.coding[0].code], ['urn:tuoyu:codesystem:who-growth-zscore', zOf[code]]);
    assert.equal(o.component[0].valueQuantity.value, z.z);
  }
  assert.equal(new Set(bundle.entry.map((e) => e.fullUrl)).size, bundle.entry.length, 'every entry named once');

  // a second export names the same records the same way
  const again = (await op.get(`/api/v1/children/${kid}/fhir`)).body;
  assert.deepEqual(again.entry.map((e) => e.fullUrl), bundle.entry.map((e) => e.fullUrl));
});

test('the export is audited, and another institution cannot export the child', async () => {
  assert.equal((await other.get(`/api/v1/children/${kid}/fhir`)).status, 404);
  const auditor = await srv.login('auditor');
  const before = (await auditor.get('/api/v1/audit?action=growth.export_fhir')).body.items.length;
  assert.equal((await op.get(`/api/v1/children/${kid}/fhir`)).status, 200);
  const rows = (await auditor.get('/api/v1/audit?action=growth.export_fhir')).body.items;
  assert.equal(rows.length, before + 1, 'one audit row per export, none for the refused one');
  assert.ok(rows.every((r) => r.target_type === 'child' && r.target_id === String(kid)));
});
