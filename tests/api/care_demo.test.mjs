// care_demo.test.mjs — the demo's daily care (issue 15 item 11, src/care/demo.c): a month of
// attendance and 晨检 at the demo institutions, recorded through the care store, and a fever
// cluster of three children in one class that the outbreak engine turned into a live alert the
// assigned health instructor sees, with its notice in the instructor's inbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

let srv, instructor, alert, op;

before(async () => {
  srv = await startServer();
  instructor = await srv.login('health-instructor');
  const alerts = (await instructor.get('/api/v1/care-alerts')).body.items;
  alert = alerts.find((a) => a.group === 'fever' && a.class_id !== null);
  assert.ok(alert, JSON.stringify(alerts));
  op = await srv.login(`inst-${alert.institution_id}`);
});
after(async () => { await srv.stop(); });

test('demo outbreak: three children of one class with fever on three days raise one open class alert through the engine, posted to the instructor', async () => {
  assert.equal(alert.status, 'open');
  assert.equal(alert.cases, 3);
  assert.equal(alert.children.length, 3);
  assert.match(alert.rule, /同一班级3天内有3名婴幼儿出现「发热」/);
  assert.ok(alert.basis.length > 0, 'the basis of care.outbreak.class_cases');
  assert.ok(alert.first_day < alert.last_day);
  const inbox = (await instructor.get('/api/v1/inbox?limit=500')).body.items;
  assert.ok(inbox.some((m) => m.kind === 'care.outbreak' && m.ref_id === alert.id), 'the alert\'s notice');
  // each case is a recorded 晨检 with a fever and the child sent home
  for (const { child_id } of alert.children) {
    const checks = (await op.get(`/api/v1/children/${child_id}/health-checks`)).body.items;
    const hot = checks.filter((c) => c.symptoms.includes('fever'));
    assert.equal(hot.length, 1, JSON.stringify(checks));
    assert.ok(hot[0].temperature_c >= 38 && hot[0].action === 'send_home' && hot[0].guardian_told);
    assert.ok(checks.length >= 10, 'a month of morning checks');
  }
});

test('demo attendance: the class sheet of a day in the month lists the children present with who brought and collected them', async () => {
  const sheet = await op.get(`/api/v1/institutions/${alert.institution_id}/attendance?class_id=${alert.class_id}&date=${alert.first_day}`);
  assert.equal(sheet.status, 200, sheet.text);
  const rows = sheet.body.items;
  assert.equal(rows.length, 3);
  for (const r of rows) {
    assert.ok(r.status === 'present' || r.status === 'absent', JSON.stringify(r));
    if (r.status === 'present') assert.ok(r.check_in && r.brought_by && r.check_out && r.collected_by, JSON.stringify(r));
  }
  const care = await op.get(`/api/v1/children/${rows[0].child_id}/care`);
  assert.equal(care.status, 200, care.text);
  assert.equal(care.body.placement.class_id, alert.class_id);
  const entry = (await op.get(`/api/v1/children/${rows[0].child_id}/entry-checks`)).body.items;
  assert.deepEqual(entry.map((x) => x.result), ['pass', 'pass']);
});
