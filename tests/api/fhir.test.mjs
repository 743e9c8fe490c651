// fhir.test.mjs — a child's health-care data set as HL7 FHIR R4 for a resident health record: a
// Bundle with a pseudonymous Patient (no name, no ID number) and one vital-signs Observation per
// quantity measured, with LOINC codes, UCUM units and the WHO z-score the growth evaluation shows;
// a health check as an Encounter with its conclusion, the measurements taken at it pointing to
// it, and a screening's result — only for those who may read check-ups; the same records keep the
// same urn:uuid names from one export to the next; the export is audited; other institutions
// cannot export the child.
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

test('a health check as an Encounter with its conclusion, the measurements taken at it pointing to it; a screening\'s result', async () => {
  let r = await op.post(`/api/v1/children/${kid}/checkups`, { check_code: 'm12', checked_on: '2026-05-28', place: '景山街道社区卫生服务中心',
    examiner: '李医生', result: 'abnormal', note: '贫血待复查', measurement: { weight_kg: 9.3, lenhei_cm: 73.6, measure: 'l', headc_cm: 45.1 } });
  assert.equal(r.status, 201, r.text);
  r = await op.post(`/api/v1/children/${kid}/screenings`, { tool: 'asq3', screened_on: '2026-05-29', result: 'refer', referral_to: '区妇幼保健院儿童保健科' });
  assert.equal(r.status, 201, r.text);
  const bundle = (await op.get(`/api/v1/children/${kid}/fhir`)).body;
  const of = (type) => bundle.entry.filter((e) => e.resource.resourceType === type);
  const [enc] = of('Encounter');
  assert.equal(enc.resource.status, 'finished');
  assert.equal(enc.resource.class.code, 'AMB');
  assert.deepEqual([enc.resource.type[0].coding[0].code, enc.resource.type[0].text], ['m12', '12月龄健康检查']);
  assert.equal(enc.resource.period.start, '2026-05-28');
  assert.equal(enc.resource.location[0].location.display, '景山街道社区卫生服务中心');
  assert.equal(enc.resource.participant[0].individual.display, '李医生');
  const taken = of('Observation').filter((e) => e.resource.effectiveDateTime === '2026-05-28' && e.resource.meta);
  assert.equal(taken.length, 3, 'weight, length and head circumference of the check');
  for (const t of taken) assert.equal(t.resource.encounter.reference, enc.fullUrl);
  const verdict = of('Observation').find((e) => e.resource.code.coding[0].code === 'conclusion');
  assert.equal(verdict.resource.encounter.reference, enc.fullUrl);
  assert.equal(verdict.resource.valueCodeableConcept.coding[0].code, 'A');
  assert.equal(verdict.resource.note[0].text, '贫血待复查');
  const screening = of('Observation').find((e) => e.resource.code.coding[0].system === 'urn:tuoyu:codesystem:development-screening');
  assert.equal(screening.resource.code.coding[0].code, 'asq3');
  assert.deepEqual(screening.resource.valueCodeableConcept.coding.map((x) => x.code), ['A', 'refer']);
  assert.match(screening.resource.note[0].text, /转诊：区妇幼保健院儿童保健科/);
  // the district may read growth but not check-ups: its export holds the measurements only
  const district = (await admin.get(`/api/v1/children/${kid}/fhir`)).body;
  assert.ok(district.entry.length > 1);
  assert.ok(!district.entry.some((e) => e.resource.resourceType === 'Encounter' || e.resource.code?.coding?.[0]?.system?.startsWith('urn:tuoyu:codesystem:')));
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
