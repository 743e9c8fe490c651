// surveys.test.mjs — surveys (issue 19 item 6, C11.4): the 第三方测评 evaluator writes a
// satisfaction survey for the families of one institution (bad questions refused, named), edits
// it while a draft, publishes it (a link token) and closes it; a family of the audience answers
// once through the link — a second answer, concurrent ones included, is refused and nothing is
// written — and nothing identifying is stored with the answer; bad answers are named; a family
// outside the audience is refused; the results tally each question with the response rate by
// institution and town; the institution reads its results once closed; its satisfaction score
// counts for its annual assessment from the minimum number of answers.
import { test, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { readSheet } from '../lib/xlsx.mjs';

let srv, evaluator, admin, family, town, otherTown, op, auditor, inst, today;
before(async () => {
  srv = await startServer();
  evaluator = await srv.login('evaluator');
  admin = await srv.login('district-admin');
  family = await srv.login('family');
  auditor = await srv.login('auditor');
  today = (await admin.get('/api/v1/public/labels')).body.as_of;
  inst = (await family.get('/api/v1/children')).body.items[0].institution_id;
  const home = (await admin.get(`/api/v1/institutions/${inst}`)).body;
  town = await srv.login(`town-${home.town_code}`);
  otherTown = await srv.login(home.town_code === '330304002' ? 'town-330304001' : 'town-330304002');
  op = await srv.login(`inst-${inst}`);
});
after(async () => { await srv.stop(); });

const atRest = (q) => (srv.database.kind === 'pg'
  ? execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', srv.database.conninfo], { input: q, encoding: 'utf8' })
  : execFileSync('sqlite3', [srv.database.db], { input: q, encoding: 'utf8' }));
const expectError = (r, status, code, field) =>
  assert.deepEqual([r.status, r.body?.error?.code, field === undefined ? undefined : r.body?.error?.field], [status, code, field], r.text);
const QUESTIONS = [
  { type: 'scale', text: '您对保育照护的总体满意度', required: true },
  { type: 'single', text: '孩子是否愿意入园', options: ['愿意', '一般', '不愿意'], required: true },
  { type: 'multiple', text: '您最看重的方面', options: ['安全', '饮食', '教育', '价格'] },
  { type: 'scale', text: '对收费的满意度' },
  { type: 'text', text: '意见和建议', max_length: 20 },
];
const survey = (extra = {}) => ({ kind: 'satisfaction', title: '2026 年度家长满意度测评', institution_id: inst, opens_on: today, closes_on: '2099-12-31', questions: QUESTIONS, ...extra });

test('the evaluator writes, publishes and closes a survey; bad surveys are named and change nothing', async () => {
  for (const [body, code, field] of [
    [survey({ kind: 'vote' }), 'bad_kind', 'kind'],
    [survey({ closes_on: '2020-01-01' }), 'bad_dates', 'closes_on'],
    [survey({ town_code: '330304001' }), 'audience_required', 'institution_id'],
    [survey({ institution_id: undefined }), 'audience_required', 'institution_id'],
    [survey({ questions: [] }), 'no_questions', 'questions'],
    [survey({ questions: [{ type: 'rank', text: 'x' }] }), 'bad_type', 'questions[0].type'],
    [survey({ questions: [{ type: 'single', text: 'x', options: ['只有一个'] }] }), 'options_needed', 'questions[0].options'],
    [survey({ questions: [QUESTIONS[0], { type: 'scale', text: 'x', options: ['a', 'b'] }] }), 'options_not_allowed', 'questions[1].options'],
    [survey({ questions: [{ type: 'single', text: 'x', options: ['a', 'a'] }] }), 'duplicate_option', 'questions[0].options'],
  ]) expectError(await evaluator.post('/api/v1/surveys', body), 422, code, field);
  expectError(await admin.post('/api/v1/surveys', survey()), 403, 'forbidden');
  assert.equal((await evaluator.get('/api/v1/surveys')).body.items.filter((s) => s.title === survey().title).length, 0, 'nothing written');

  let r = await evaluator.post('/api/v1/surveys', survey());
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  assert.deepEqual([r.body.state, r.body.token, r.body.questions[4].max_length, r.body.questions[2].required], ['draft', null, 20, false]);
  r = await evaluator.put(`/api/v1/surveys/${id}`, survey({ title: '家长满意度测评' }));
  assert.equal(r.body.title, '家长满意度测评');
  r = await evaluator.post(`/api/v1/surveys/${id}/publish`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.body.token, /^[A-Za-z0-9_-]{43}$/);
  expectError(await evaluator.put(`/api/v1/surveys/${id}`, survey()), 409, 'survey_published');
  expectError(await evaluator.post(`/api/v1/surveys/${id}/publish`), 409, 'bad_state');
});

test('families answer once, anonymously; bad answers are named; the results and the satisfaction score', async () => {
  const s = (await evaluator.post('/api/v1/surveys', survey({ title: '答卷测试' }))).body;
  const token = (await evaluator.post(`/api/v1/surveys/${s.id}/publish`)).body.token;
  // the family finds it among its open surveys, and through the link
  let r = await family.get('/api/v1/family-surveys');
  assert.ok(r.body.items.some((x) => x.id === s.id && x.token === token && !x.answered), r.text);
  r = await family.get(`/api/v1/survey-links/${token}`);
  assert.deepEqual([r.status, r.body.answered, r.body.questions.length], [200, false, 5], r.text);
  assert.equal(r.body.token, undefined);

  const good = [{ score: 5 }, { choice: 0 }, { choices: [0, 1] }, {}, { text: '老师很耐心' }];
  for (const [answers, code, field] of [
    [good.slice(0, 4), 'answers_count', 'answers'],
    [[{}, ...good.slice(1)], 'required', 'answers[0]'],
    [[{ score: 6 }, ...good.slice(1)], 'out_of_range', 'answers[0]'],
    [[good[0], { choice: 3 }, ...good.slice(2)], 'bad_choice', 'answers[1]'],
    [[good[0], good[1], { choices: [1, 1] }, {}, good[4]], 'duplicate_choice', 'answers[2]'],
    [[good[0], { text: '愿意' }, ...good.slice(2)], 'wrong_type', 'answers[1]'],
    [[...good.slice(0, 4), { text: '这'.repeat(21) }], 'too_long', 'answers[4]'],
  ]) expectError(await family.post(`/api/v1/survey-links/${token}/answers`, { answers }), 422, code, field);
  expectError(await family.get('/api/v1/survey-links/not-a-token'), 404, 'not_found', 'token');
  assert.equal((await evaluator.get(`/api/v1/surveys/${s.id}/results`)).body.responses, 0, 'nothing written');

  // two at once from the same family: exactly one is kept
  const both = await Promise.all([0, 1].map(() => family.post(`/api/v1/survey-links/${token}/answers`, { answers: good })));
  assert.deepEqual(both.map((x) => x.status).sort(), [201, 409], both.map((x) => x.text).join(' | '));
  assert.equal(both.find((x) => x.status === 409).body.error.code, 'already_answered');
  expectError(await family.post(`/api/v1/survey-links/${token}/answers`, { answers: good }), 409, 'already_answered');
  assert.equal((await family.get(`/api/v1/survey-links/${token}`)).body.answered, true);

  // anonymity: the stored answer carries no family, account or time (its district is the survey's)
  const cols = (srv.database.kind === 'pg'
    ? atRest("SELECT column_name FROM information_schema.columns WHERE table_name = 'survey_answer';")
    : atRest("SELECT name FROM pragma_table_info('survey_answer');")).trim().split('\n').sort();
  assert.deepEqual(cols, ['answer_key', 'answers', 'district_code', 'institution_id', 'survey_id', 'town_code']);
  assert.equal(atRest(`SELECT COUNT(*) FROM survey_participation WHERE survey_id = ${s.id};`).trim(), '1');
  assert.equal(atRest(`SELECT COUNT(*) FROM survey_answer WHERE survey_id = ${s.id};`).trim(), '1');
  const audit = (await auditor.get('/api/v1/audit?limit=5&action=survey.answer')).body.items;
  assert.equal(audit.length, 1);
  assert.ok(!JSON.stringify(audit[0].fields ?? {}).includes('老师很耐心'), 'the audit row holds no answers');

  // results: the evaluator, the district and the town see them; another town does not
  r = await evaluator.get(`/api/v1/surveys/${s.id}/results`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.responses, 1);
  assert.deepEqual(r.body.questions[0].counts, [0, 0, 0, 0, 1]);
  assert.equal(r.body.questions[0].mean, 5);
  assert.deepEqual(r.body.questions[2].counts, [1, 1, 0, 0]);
  assert.deepEqual(r.body.questions[4].texts, ['老师很耐心']);
  assert.equal(r.body.satisfaction, 100);
  assert.equal(r.body.institutions.length, 1);
  assert.ok(r.body.families >= 1 && r.body.response_rate > 0 && r.body.response_rate <= 1, JSON.stringify(r.body.institutions));
  assert.deepEqual(r.body.towns.map((t) => t.answered), [1]);
  assert.equal((await town.get(`/api/v1/surveys/${s.id}/results`)).status, 200);
  expectError(await otherTown.get(`/api/v1/surveys/${s.id}/results`), 404, 'not_found');
  // the institution: only once the survey is closed
  expectError(await op.get(`/api/v1/surveys/${s.id}/results`), 404, 'not_found');
  assert.ok(!(await op.get('/api/v1/surveys')).body.items.some((x) => x.id === s.id));
  assert.equal((await evaluator.post(`/api/v1/surveys/${s.id}/close`)).body.state, 'closed');
  expectError(await family.post(`/api/v1/survey-links/${token}/answers`, { answers: good }), 409, 'survey_not_open', 'token');
  r = await op.get(`/api/v1/surveys/${s.id}/results`);
  assert.deepEqual([r.status, r.body.responses], [200, 1], r.text);
  const res = await fetch(`${srv.url}/api/v1/surveys/${s.id}/results?format=xlsx`, { headers: { cookie: evaluator.cookie } });
  assert.equal(res.status, 200);
  const rows = readSheet(Buffer.from(await res.arrayBuffer()));
  assert.ok(rows.some((x) => x[1] === '孩子是否愿意入园' && x[2] === '愿意' && x[3] === '1'), JSON.stringify(rows.slice(0, 4)));

  // the annual assessment: one answer is below the minimum, so the score does not count yet
  r = await admin.get(`/api/v1/institutions/${inst}/satisfaction?year=${today.slice(0, 4)}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.responses, r.body.score, r.body.counts, r.body.min_responses], [1, 100, false, 10]);
  expectError(await admin.get(`/api/v1/institutions/${inst}/satisfaction?year=20x6`), 422, 'bad_year', 'year');
  // and the experts of its star rating see it beside item p1 (家长满意度)
  const scheme = (await admin.get('/api/v1/public/rating-schemes')).body.items.find((x) => x.code === 'ouhai_star');
  const a = await op.post(`/api/v1/institutions/${inst}/assessments`, { scheme_id: scheme.id });
  assert.equal(a.status, 201, a.text);
  assert.deepEqual([a.body.satisfaction.responses, a.body.satisfaction.score, a.body.satisfaction.counts], [1, 100, false]);
  // at the minimum itself the score counts: the district lowers survey.min_responses to the one answer there is
  const set = await admin.post('/api/v1/params', { key: 'survey.min_responses', value: '1', valid_from: today, basis: '测试：最少答卷数' });
  assert.equal(set.status, 201, set.text);
  r = await admin.get(`/api/v1/institutions/${inst}/satisfaction?year=${today.slice(0, 4)}`);
  assert.deepEqual([r.body.responses, r.body.score, r.body.counts, r.body.min_responses], [1, 100, true, 1]);
});

test('a family outside the audience is refused; a draft cannot be answered', async () => {
  const other = (await admin.get('/api/v1/institutions?limit=50')).body.items.find((i) => i.id !== inst && i.town_code !== '330304001' && i.town_code !== '330304002');
  const s = (await evaluator.post('/api/v1/surveys', survey({ title: '他园', institution_id: other.id }))).body;
  const draft = (await evaluator.post('/api/v1/surveys', survey({ title: '草稿' }))).body;
  const token = (await evaluator.post(`/api/v1/surveys/${s.id}/publish`)).body.token;
  expectError(await family.post(`/api/v1/survey-links/${token}/answers`, { answers: [{ score: 4 }, { choice: 1 }, {}, {}, {}] }), 403, 'not_in_audience', 'token');
  assert.ok(!(await family.get('/api/v1/family-surveys')).body.items.some((x) => x.id === s.id || x.id === draft.id));
  expectError(await evaluator.post(`/api/v1/surveys/${draft.id}/close`), 409, 'bad_state');
  expectError(await evaluator.post('/api/v1/surveys', survey({ institution_id: undefined, town_code: '330305001' })), 422, 'bad_town', 'town_code');
});
