// outdoor.test.mjs — a class's outdoor time (托育机构管理规范（试行）第十八条: at least
// care.outdoor_min_hours_full_day hours a day in full-day care, adjusted in cold, hot or bad weather;
// src/care/outdoor.c): the institution records each day, corrects it, is refused bad input with
// nothing written; the week shows each class's days of care, the short ones marked; the district's
// findings list names a class short without the weather, and a day of care with nothing recorded —
// a sheet saved for a past day and a record corrected each change them at once (the findings stamp).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

let srv, admin, op, family, town, auditor, inst, classId, record;

before(async () => {
  srv = await startServer();
  admin = await srv.login('district-admin');
  family = await srv.login('family');
  auditor = await srv.login('auditor');
  // a demo institution with a month of daily care (src/care/demo.c), offering full-day care
  const alert = (await (await srv.login('health-instructor')).get('/api/v1/care-alerts')).body.items.find((a) => a.class_id !== null);
  [inst, classId] = [alert.institution_id, alert.class_id];
  record = (await admin.get(`/api/v1/institutions/${inst}`)).body;
  town = await srv.login(`town-${record.town_code}`);
  const r = await admin.put(`/api/v1/institutions/${inst}`, { service_types: [...new Set([...record.service_types, 'full_day'])] });
  assert.equal(r.status, 200, r.text);
  op = await srv.login(`inst-${inst}`);
});
after(async () => { await srv.stop(); });

const put = (body, who = op) => who.put(`/api/v1/institutions/${inst}/outdoor`, { class_id: classId, ...body });
const week = async (query = '') => {
  const r = await op.get(`/api/v1/institutions/${inst}/outdoor?class_id=${classId}${query}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
};
const outdoorFindings = async () => {
  const r = await admin.get(`/api/v1/findings?institution_id=${inst}&limit=200`);
  assert.equal(r.status, 200, r.text);
  return r.body.items.filter((f) => f.rule.startsWith('outdoor_') && f.class_id === classId);
};

test('the week: each day of care with its record, two hours the minimum from the parameter and its basis', async () => {
  const w = await week();
  const params = (await admin.get('/api/v1/params')).body.items;
  const min = params.find((p) => p.key === 'care.outdoor_min_hours_full_day');
  assert.equal(w.min_minutes, Number(min.value) * 60);
  assert.equal(w.basis, min.basis);
  assert.match(w.basis, /第十八条/);
  assert.equal(w.rule_applies, true);
  const gone = w.items.filter((d) => d.date < w.to);
  assert.ok(gone.length >= 3, JSON.stringify(w.items));
  for (const d of gone) {
    assert.ok(d.present > 0 && Number.isInteger(d.minutes), `the demo recorded ${d.date}: ${JSON.stringify(d)}`);
    assert.equal(d.short, d.minutes < w.min_minutes && d.weather === null, JSON.stringify(d));
  }
  // a window of more than 62 days, or backwards: 422 on from
  for (const q of ['&from=2026-01-01&to=2026-06-30', `&from=${w.to}&to=${gone[0].date}`]) {
    const bad = await op.get(`/api/v1/institutions/${inst}/outdoor${q.replace('&', '?')}`);
    assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.field], [422, 'bad_range', 'from'], q);
  }
});

test('record, correct with the weather, audited; bad input refused with nothing written; others may not', async () => {
  const today = (await week()).to;
  let r = await put({ date: today, minutes: 90 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.items.map((d) => [d.date, d.minutes, d.weather, d.short]), [[today, 90, null, true]]);
  r = await put({ date: today, minutes: 90, weather: 'cold', note: '寒潮，改室内大肌肉活动' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.items.map((d) => [d.minutes, d.weather, d.note, d.short]), [[90, 'cold', '寒潮，改室内大肌肉活动', false]], 'the same day corrected, not a second row');
  const log = (await auditor.get('/api/v1/audit?action=care.outdoor.write&limit=5')).body.items;
  assert.equal(log[0].target_id, String(classId));
  assert.deepEqual([log[0].fields.date, log[0].fields.minutes, log[0].fields.weather], [today, 90, 'cold']);

  const future = new Date(Date.parse(`${today}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
  const other = (await admin.get('/api/v1/institutions?limit=5')).body.items.find((x) => x.id !== inst);
  const otherClass = (await admin.get(`/api/v1/institutions/${other.id}`)).body.classes[0].id;
  for (const [body, status, code, field] of [
    [{ date: future, minutes: 120 }, 422, 'future_date', 'date'],
    [{ date: today, minutes: 120, weather: 'sunny' }, 422, 'bad_weather', 'weather'],
    [{ date: today, minutes: 721 }, 422, null, 'minutes'],
    [{ date: today, minutes: -5 }, 422, null, 'minutes'],
    [{ date: '2026-02-30', minutes: 120 }, 422, null, 'date'],
    [{ date: today, minutes: 120, class_id: otherClass }, 422, 'unknown_class', 'class_id'],
  ]) {
    const bad = await put(body);
    assert.equal(bad.status, status, `${JSON.stringify(body)}: ${bad.text}`);
    if (code) assert.equal(bad.body.error.code, code);
    assert.equal(bad.body.error.field, field);
    assert.match(bad.body.error.message, /[\u4e00-\u9fff]/);
  }
  assert.deepEqual((await week(`&from=${today}&to=${today}`)).items.map((d) => [d.minutes, d.weather]), [[90, 'cold']], 'nothing written');
  // another institution's operator and a family may neither read nor write it
  const otherOp = await srv.login(`inst-${other.id}`);
  for (const who of [otherOp, family]) {
    assert.ok([403, 404].includes((await put({ date: today, minutes: 200 }, who)).status));
    assert.ok([403, 404].includes((await who.get(`/api/v1/institutions/${inst}/outdoor`)).status));
  }
});

test('the district\'s findings: a class short of two hours with no weather said, a day of care with nothing recorded', async () => {
  const w = await week();
  const days = w.items.filter((d) => d.date < w.to);
  // every day of the week recorded at two hours and more: no outdoor finding for the class
  for (const d of days) assert.equal((await put({ date: d.date, minutes: 130 })).status, 200);
  assert.deepEqual(await outdoorFindings(), []);
  // one day short, with no weather: a medium finding naming the class, the count and the least
  const [shortDay] = days;
  assert.equal((await put({ date: shortDay.date, minutes: 60 })).status, 200);
  let f = await outdoorFindings();
  assert.deepEqual(f.map((x) => [x.rule, x.severity, x.source]), [['outdoor_short', 'medium', 'care']]);
  assert.match(f[0].message, /近 7 日有 1 天户外活动不足 2 小时且未注明天气原因（最少 60 分钟）/);
  assert.equal(f[0].basis, w.basis);
  // the institution sees on its own findings page what the district's list says of it, this one included
  const own = (await op.get(`/api/v1/institutions/${inst}/findings`)).body.items;
  assert.ok(own.some((x) => x.rule === 'outdoor_short' && x.source === 'care' && x.class_id === classId && x.message === f[0].message), JSON.stringify(own));
  const listed = (await admin.get(`/api/v1/findings?institution_id=${inst}&limit=200`)).body.items;
  assert.deepEqual(own.map((x) => `${x.source}/${x.rule}/${x.message}`).sort(), listed.map((x) => `${x.source}/${x.rule}/${x.message}`).sort());
  // the town sees it too; the labels name the rule
  assert.ok((await town.get(`/api/v1/findings?institution_id=${inst}&rule=outdoor_short`)).body.items.length === 1);
  assert.equal((await new Client(srv.url).get('/api/v1/public/labels')).body.rules.outdoor_short, '户外活动时间不足');
  // the weather said: adjusted as 第十八条 allows, no finding
  assert.equal((await put({ date: shortDay.date, minutes: 60, weather: 'heat' })).status, 200);
  assert.deepEqual(await outdoorFindings(), []);

  // a sheet saved today for the last Saturday (no demo care that day): a day of care with no
  // outdoor record, a low finding at once
  const saturday = [1, 2, 3, 4, 5, 6, 7].map((k) => new Date(Date.parse(`${w.to}T00:00:00Z`) - k * 86400000).toISOString().slice(0, 10))
    .find((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 6);
  const children = (await op.get(`/api/v1/institutions/${inst}/attendance?class_id=${classId}&date=${saturday}`)).body.items;
  assert.ok(children.length > 0 && children.every((c) => c.status === null), JSON.stringify(children));
  const sheet = await op.post(`/api/v1/institutions/${inst}/attendance`, {
    class_id: classId, date: saturday, entries: children.map((c) => ({ child_id: c.child_id, status: 'present', check_in: '08:30' })),
  });
  assert.equal(sheet.status, 201, sheet.text);
  f = await outdoorFindings();
  assert.deepEqual(f.map((x) => [x.rule, x.severity]), [['outdoor_unrecorded', 'low']]);
  assert.match(f[0].message, /近 7 日有 1 个在园日未记录户外活动时间/);
  assert.equal((await week()).items.find((d) => d.date === saturday).minutes, null);
  assert.equal((await put({ date: saturday, minutes: 150 })).status, 200);
  assert.deepEqual(await outdoorFindings(), []);

  // the rule is full-day care's: an institution offering hourly care only is not assessed on it
  assert.equal((await put({ date: shortDay.date, minutes: 60, weather: null })).status, 200);
  assert.equal((await outdoorFindings()).length, 1);
  assert.equal((await admin.put(`/api/v1/institutions/${inst}`, { service_types: ['hourly'] })).status, 200);
  assert.deepEqual(await outdoorFindings(), []);
  const hourly = await week();
  assert.equal(hourly.rule_applies, false);
  assert.equal(hourly.items.find((d) => d.date === shortDay.date).short, false);
});
