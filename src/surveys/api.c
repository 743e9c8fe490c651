/* api.c — surveys (需求调查, 满意度测评; issue 19 item 6, C11.4):
 *   GET  /api/v1/surveys                    the surveys in reach (the evaluator and the district: all;
 *                                           a town officer: their town's; an operator: the closed
 *                                           satisfaction surveys of their institution)
 *   POST /api/v1/surveys, PUT …/{id}         the evaluator writes one (questions editable while draft)
 *   POST /api/v1/surveys/{id}/publish|close  published with a random link token; closed
 *   GET  /api/v1/surveys/{id}/results[?format=xlsx]  the tally per question, the response rate by
 *                                           institution and town (an operator: its own answers only)
 *   GET  /api/v1/family-surveys              a family's open surveys (its children's institution or town)
 *   GET  /api/v1/survey-links/{token}        the survey a link opens, for answering
 *   POST /api/v1/survey-links/{token}/answers  one answer per family: who answered and what was
 *                                           answered written apart, in one transaction
 *   GET  /api/v1/institutions/{id}/satisfaction?year=  the institution's satisfaction score for
 *                                           its annual assessment (closed satisfaction surveys) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "audit/export.h"
#include "auth/auth.h"
#include "auth/token.h"
#include "params/params.h"
#include "registry/api.h"
#include "registry/store.h"
#include "surveys/api.h"
#include "surveys/assessment.h"
#include "surveys/store.h"
#include "surveys/surveys.h"

static const char *now_ts(struct http_req *req)
{
    char *ts = http_alloc(req, DATE_TIMESTAMP_LEN);
    date_format_timestamp(req->now, ts, DATE_TIMESTAMP_LEN);
    return ts;
}

/* The survey of the path (or of token) with action checked on its audience; a reader without
 * survey.read.all (an operator) reaches only the closed satisfaction surveys of its institution. */
static int load_for(struct http_req *req, const char *action, const char *token, struct survey_row *s, struct err *e)
{
    if (surveys_store_load(req->db, req->district, token ? 0 : http_param_id(req, "id"), token, s, e) < 0)
        return -1;
    struct authz_target t = {.town_code = s->town_code, .institution_id = s->institution_id};
    int rc = authz_require(req, action, &t, e);
    if (rc == 0 && !authz_role_may(req->user->role, "survey.read.all") &&
        (strcmp(s->kind, "satisfaction") || strcmp(s->state, "closed")))
        rc = err_set(e, 404, "not_found", "", "未找到该记录，或不在您的管辖范围内");
    if (rc < 0)
        json_decref(s->questions);
    return rc;
}

static int reply_survey(struct http_req *req, struct http_reply *rep, int64_t id, int status)
{
    struct err e = {0};
    json_t *o;
    if (surveys_store_json(req->db, req->district, id, &o, &e) < 0)
        return http_reply_err(rep, &e);
    /* the link is the evaluator's and the district's to hand out */
    if (!authz_role_may(req->user->role, "survey.link"))
        json_object_del(o, "token");
    return http_reply_json(rep, status, o);
}

/* ---- the evaluator's ---- */

/* The body as a survey whose audience the district has. */
static int input_of(struct http_req *req, struct survey_input *in, json_t **questions, struct err *e)
{
    json_t *body = http_body(req);
    memset(in, 0, sizeof *in);
    in->kind = json_string_value(json_object_get(body, "kind"));
    in->title = json_string_value(json_object_get(body, "title"));
    in->intro = json_string_value(json_object_get(body, "intro"));
    in->opens_on = json_string_value(json_object_get(body, "opens_on"));
    in->closes_on = json_string_value(json_object_get(body, "closes_on"));
    in->institution_id = json_integer_value(json_object_get(body, "institution_id"));
    const char *town = json_string_value(json_object_get(body, "town_code"));
    if (survey_meta_check(in->kind, in->opens_on, in->closes_on, e) < 0)
        return -1;
    if (!in->institution_id == !(town && *town))
        return err_set(e, 422, "audience_required", "institution_id", "请选择问卷对象：一家机构或一个镇街的家长（二选一）");
    if (in->institution_id) {
        struct institution *i = http_alloc(req, sizeof *i);
        if (registry_load(req->db, req->district, in->institution_id, req->today, i, e) < 0) {
            if (e->status == 404)
                err_set(e, 422, "unknown_institution", "institution_id", "没有这家机构：%lld", (long long)in->institution_id);
            return -1;
        }
        in->town_code = http_printf(req, "%s", i->town_code);
    } else {
        int found = registry_town_name(req->db, req->district, town, NULL, 0, e);
        if (found < 0)
            return -1;
        if (!found)
            return err_set(e, 422, "bad_town", "town_code", "镇街代码无效：%s", town);
        in->town_code = town;
    }
    *questions = json_deep_copy(json_object_get(body, "questions"));
    if (survey_questions_check(*questions, e) < 0) {
        json_decref(*questions);
        return -1;
    }
    in->questions = *questions;
    return 0;
}

static json_t *input_fields(const struct survey_input *in)
{
    return json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:i}", "kind", in->kind, "title", in->title, "institution_id",
                     (json_int_t)in->institution_id, "town_code", in->town_code, "opens_on", in->opens_on, "closes_on",
                     in->closes_on, "questions", (int)json_array_size(in->questions));
}

static int create_survey(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct survey_input in;
    json_t *questions = NULL;
    int64_t id;
    if (authz_require(req, "survey.manage", &(struct authz_target){0}, &e) < 0 || input_of(req, &in, &questions, &e) < 0)
        return http_reply_err(rep, &e);
    int rc = db_begin(req->db, &e) < 0 ||
                     surveys_store_insert(req->db, req->district, &in, req->user->id, now_ts(req), &id, &e) < 0 ||
                     audit_write_commit(req, "survey.create", "survey", id, input_fields(&in), &e) < 0
                 ? -1
                 : 0;
    json_decref(questions);
    if (rc < 0)
        return http_reply_rollback(req, rep, &e);
    return reply_survey(req, rep, id, 201);
}

static int update_survey(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct survey_row s;
    struct survey_input in;
    json_t *questions = NULL;
    if (load_for(req, "survey.manage", NULL, &s, &e) < 0)
        return http_reply_err(rep, &e);
    json_decref(s.questions);
    if (strcmp(s.state, "draft"))
        return http_reply_error(rep, 409, "survey_published", "", "问卷已发布，不能再修改");
    if (input_of(req, &in, &questions, &e) < 0)
        return http_reply_err(rep, &e);
    int rc = db_begin(req->db, &e) < 0 || surveys_store_update(req->db, s.id, &in, now_ts(req), &e) < 0 ||
                     audit_write_commit(req, "survey.update", "survey", s.id, input_fields(&in), &e) < 0
                 ? -1
                 : 0;
    json_decref(questions);
    if (rc < 0)
        return http_reply_rollback(req, rep, &e);
    return reply_survey(req, rep, s.id, 200);
}

static int move(struct http_req *req, struct http_reply *rep, const char *from, const char *to)
{
    struct err e = {0};
    struct survey_row s;
    if (load_for(req, "survey.manage", NULL, &s, &e) < 0)
        return http_reply_err(rep, &e);
    json_decref(s.questions);
    if (strcmp(s.state, from))
        return http_reply_error(rep, 409, "bad_state", "", strcmp(to, "published") == 0 ? "只有草稿可以发布" : "只有已发布的问卷可以结束");
    char token[TOKEN_TEXT_LEN] = "";
    if (strcmp(to, "published") == 0)
        token_new(token);
    if (db_begin(req->db, &e) < 0 || surveys_store_move(req->db, s.id, from, to, token, now_ts(req), &e) < 0 ||
        audit_write_commit(req, strcmp(to, "published") == 0 ? "survey.publish" : "survey.close", "survey", s.id,
                           json_pack("{s:s, s:s}", "from", from, "to", to), &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return reply_survey(req, rep, s.id, 200);
}

static int publish(struct http_req *req, struct http_reply *rep) { return move(req, rep, "draft", "published"); }
static int close_survey(struct http_req *req, struct http_reply *rep) { return move(req, rep, "published", "closed"); }

static int list_surveys(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    json_t *rows;
    if (authz_scope(req, "survey.read", "s.town_code", "s.audience_institution_id", NULL, &scope, &e) < 0 ||
        surveys_store_list(req->db, req->district, scope.sql, &scope.params, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    int all = authz_role_may(req->user->role, "survey.read.all"), link = authz_role_may(req->user->role, "survey.link");
    json_t *items = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        const char *kind = json_string_value(json_object_get(r, "kind")), *state = json_string_value(json_object_get(r, "state"));
        if (!all && (strcmp(kind, "satisfaction") || strcmp(state, "closed")))
            continue;
        if (!link)
            json_object_del(r, "token");
        json_object_del(r, "questions");
        json_array_append(items, r);
    }
    json_decref(rows);
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

static int get_survey(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct survey_row s;
    if (load_for(req, "survey.read", NULL, &s, &e) < 0)
        return http_reply_err(rep, &e);
    json_decref(s.questions);
    return reply_survey(req, rep, s.id, 200);
}

/* ---- results ---- */

static const json_t **values_of(struct http_req *req, const json_t *answers, int *n)
{
    *n = (int)json_array_size(answers);
    const json_t **v = http_alloc(req, (size_t)(*n ? *n : 1) * sizeof *v);
    for (int k = 0; k < *n; k++)
        v[k] = json_object_get(json_array_get(answers, (size_t)k), "values");
    return v;
}

struct results_sheet {
    json_t *tally;
};

static int results_fill(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    const json_t *tally = ((struct results_sheet *)ctx)->tally;
    size_t i;
    const json_t *q;
    json_array_foreach(tally, i, q) {
        const char *type = json_string_value(json_object_get(q, "type"));
        const char *text = json_string_value(json_object_get(q, "text"));
        if (strcmp(type, "text") == 0) {
            size_t k;
            const json_t *t;
            json_array_foreach(json_object_get(q, "texts"), k, t) {
                xlsx_next_row(x);
                if (xlsx_number(x, 0, (double)i + 1, e) < 0 || xlsx_text(x, 1, text, e) < 0 ||
                    xlsx_text(x, 2, json_string_value(t), e) < 0)
                    return -1;
            }
            continue;
        }
        const json_t *counts = json_object_get(q, "counts"), *options = json_object_get(q, "options");
        for (size_t k = 0; k < json_array_size(counts); k++) {
            xlsx_next_row(x);
            static const char *const SCORES[] = {"1 分", "2 分", "3 分", "4 分", "5 分"};
            const char *option = strcmp(type, "scale") == 0 ? SCORES[k] : json_string_value(json_array_get(options, k));
            if (xlsx_number(x, 0, (double)i + 1, e) < 0 || xlsx_text(x, 1, text, e) < 0 || xlsx_text(x, 2, option, e) < 0 ||
                xlsx_number(x, 3, (double)json_integer_value(json_array_get(counts, k)), e) < 0)
                return -1;
        }
    }
    return 0;
}

static int results(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct survey_row s;
    const char *format = http_query(req, "format");
    if (format && strcmp(format, "xlsx"))
        return http_reply_error(rep, 422, "bad_format", "format", "导出格式只支持 xlsx：%s", format);
    if (load_for(req, "survey.read", NULL, &s, &e) < 0)
        return http_reply_err(rep, &e);
    /* a reader without survey.read.all (an operator) sees the answers counted for its institution only */
    int64_t only = authz_role_may(req->user->role, "survey.read.all") ? 0 : req->user->institution_id;
    json_t *answers, *audience;
    if (surveys_store_answers(req->db, s.id, only, &answers, &e) < 0) {
        json_decref(s.questions);
        return http_reply_err(rep, &e);
    }
    if (surveys_store_audience(req->db, req->district, &s, &audience, &e) < 0) {
        json_decref(s.questions);
        json_decref(answers);
        return http_reply_err(rep, &e);
    }
    int n;
    const json_t **values = values_of(req, answers, &n);
    json_t *tally = survey_tally(s.questions, (const json_t *const *)values, n);
    double score = survey_satisfaction(s.questions, (const json_t *const *)values, n);
    json_decref(answers);
    json_decref(s.questions);
    /* the response rate by institution, and by town summed from them */
    json_t *towns = json_array(), *institutions = json_array();
    json_int_t families = 0, answered = 0;
    size_t i;
    json_t *a;
    json_array_foreach(audience, i, a) {
        if (only && json_integer_value(json_object_get(a, "institution_id")) != only)
            continue;
        json_array_append(institutions, a);
        json_int_t f = json_integer_value(json_object_get(a, "families")), d = json_integer_value(json_object_get(a, "answered"));
        families += f;
        answered += d;
        json_t *t = NULL;
        for (size_t k = 0; k < json_array_size(towns) && !t; k++)
            if (json_equal(json_object_get(json_array_get(towns, k), "town_code"), json_object_get(a, "town_code")))
                t = json_array_get(towns, k);
        if (!t) {
            t = json_pack("{s:O, s:O, s:I, s:I}", "town_code", json_object_get(a, "town_code"), "town_name",
                          json_object_get(a, "town_name"), "families", (json_int_t)0, "answered", (json_int_t)0);
            json_array_append_new(towns, t);
        }
        json_object_set_new(t, "families", json_integer(json_integer_value(json_object_get(t, "families")) + f));
        json_object_set_new(t, "answered", json_integer(json_integer_value(json_object_get(t, "answered")) + d));
    }
    json_decref(audience);
    if (format) {
        static const char *const HEAD[] = {"题号", "题目", "选项或回答", "人数"};
        static const double WIDTH[] = {8, 40, 50, 10};
        struct results_sheet ctx = {tally};
        json_t *fields = json_pack("{s:I}", "survey_id", (json_int_t)s.id);
        const struct audit_xlsx x = {"问卷结果", HEAD, WIDTH, 4, results_fill, &ctx, "survey.export", "survey", fields,
                                     http_printf(req, "survey-%lld-results", (long long)s.id),
                                     http_printf(req, "问卷结果-%lld", (long long)s.id)};
        int rc = audit_reply_xlsx(req, rep, &x);
        json_decref(fields);
        json_decref(tally);
        json_decref(towns);
        json_decref(institutions);
        return rc;
    }
    return http_reply_json(rep, 200,
                           json_pack("{s:I, s:i, s:I, s:f, s:o, s:o, s:o, s:o}", "survey_id", (json_int_t)s.id,
                                     "responses", n, "families", families,
                                     "response_rate", families ? (double)answered / (double)families : 0.0,
                                     "satisfaction", score < 0 ? json_null() : json_real(score), "questions", tally,
                                     "institutions", institutions, "towns", towns));
}

/* ---- families ---- */

static int family_surveys(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *rows;
    if (authz_require(req, "survey.answer", &(struct authz_target){.owner_user_id = req->user->id}, &e) < 0 ||
        surveys_store_open_for(req->db, req->district, req->user->id, req->today, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", rows));
}

/* The survey of the link, open today, with the institutions of the family's children it counts
 * for (at least one: 403 not_in_audience). */
static int link_for(struct http_req *req, struct survey_row *s, int64_t *inst, struct err *e)
{
    const char *token = http_param(req, "token");
    if (!token_is_well_formed(token))
        return err_set(e, 404, "not_found", "token", "问卷链接无效");
    if (authz_require(req, "survey.answer", &(struct authz_target){.owner_user_id = req->user->id}, e) < 0 ||
        surveys_store_load(req->db, req->district, 0, token, s, e) < 0)
        return -1;
    int n = 0;
    int rc = 0;
    if (strcmp(s->state, "published") || strcmp(s->opens_on, req->today) > 0 || strcmp(s->closes_on, req->today) < 0)
        rc = err_set(e, 409, "survey_not_open", "token", "问卷%s", strcmp(s->state, "draft") == 0 ? "尚未发布" : "不在填写时间内");
    else if (surveys_store_family_institutions(req->db, req->district, s, req->user->id, inst, 1, &n, e) < 0)
        rc = -1;
    else if (n == 0)
        rc = err_set(e, 403, "not_in_audience", "token", "这份问卷面向其他机构或镇街的家长");
    if (rc < 0)
        json_decref(s->questions);
    return rc;
}

static int get_link(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct survey_row s;
    int64_t inst;
    int answered;
    if (link_for(req, &s, &inst, &e) < 0)
        return http_reply_err(rep, &e);
    json_decref(s.questions);
    json_t *o;
    if (surveys_store_answered(req->db, s.id, req->user->id, &answered, &e) < 0 ||
        surveys_store_json(req->db, req->district, s.id, &o, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *out = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:b}", "kind", json_object_get(o, "kind"), "kind_name",
                            json_object_get(o, "kind_name"), "title", json_object_get(o, "title"), "intro",
                            json_object_get(o, "intro"), "closes_on", json_object_get(o, "closes_on"), "audience",
                            json_object_get(o, json_is_null(json_object_get(o, "institution_name")) ? "town_name" : "institution_name"),
                            "questions", json_object_get(o, "questions"), "answered", answered);
    json_decref(o);
    return http_reply_json(rep, 200, out);
}

static int answer(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct survey_row s;
    int64_t inst;
    json_t *values;
    if (link_for(req, &s, &inst, &e) < 0)
        return http_reply_err(rep, &e);
    int rc = survey_answers_check(s.questions, json_object_get(http_body(req), "answers"), &values, &e);
    json_decref(s.questions);
    if (rc < 0)
        return http_reply_err(rep, &e);
    struct institution *i = http_alloc(req, sizeof *i);
    char key[TOKEN_TEXT_LEN];
    token_new(key);
    char *text = json_dumps(values, JSON_COMPACT);
    json_decref(values);
    /* the audit row names the survey, not the family's answers */
    rc = registry_load(req->db, req->district, inst, req->today, i, &e) < 0 || db_begin(req->db, &e) < 0 ||
                 surveys_store_answer(req->db, s.id, req->user->id, req->today, key, inst, i->town_code, text, &e) < 0 ||
                 audit_write_commit(req, "survey.answer", "survey", s.id, json_object(), &e) < 0
             ? -1
             : 0;
    free(text);
    if (rc < 0)
        return http_reply_rollback(req, rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:b, s:s}", "answered", 1, "message", "感谢您的参与！"));
}

/* ---- the annual assessment ---- */

static int satisfaction(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "survey.read", &e);
    if (!in)
        return http_reply_err(rep, &e);
    const char *q = http_query(req, "year");
    int year = q ? atoi(q) : atoi(req->today);
    if (q && (strlen(q) != 4 || strspn(q, "0123456789") != 4 || year < 2023))
        return http_reply_error(rep, 422, "bad_year", "year", "年份应为四位数字（2023 年起）：%s", q);
    json_t *o = surveys_satisfaction_json(req->db, req->district, in->id, year, req->today, &e);
    return o ? http_reply_json(rep, 200, o) : http_reply_err(rep, &e);
}

/* ---- schemas ---- */

#include "surveys/api.schemas.inc"

const struct route surveys_routes[] = {
    {"GET", "/api/v1/surveys", "survey.read", list_surveys, NULL, &SURVEYS},
    {"POST", "/api/v1/surveys", "survey.manage", create_survey, &survey_schema, &SURVEY, 201},
    {"GET", "/api/v1/surveys/{id}", "survey.read", get_survey, NULL, &SURVEY},
    {"PUT", "/api/v1/surveys/{id}", "survey.manage", update_survey, &survey_schema, &SURVEY},
    {"POST", "/api/v1/surveys/{id}/publish", "survey.manage", publish, &http_no_body_schema, &SURVEY},
    {"POST", "/api/v1/surveys/{id}/close", "survey.manage", close_survey, &http_no_body_schema, &SURVEY},
    {"GET", "/api/v1/surveys/{id}/results", "survey.read", results, NULL, &RESULTS},
    {"GET", "/api/v1/family-surveys", "survey.answer", family_surveys, NULL, &OPENS},
    {"GET", "/api/v1/survey-links/{token}", "survey.answer", get_link, NULL, &LINK},
    {"POST", "/api/v1/survey-links/{token}/answers", "survey.answer", answer, &survey_answers_schema, &ANSWERED, 201},
    {"GET", "/api/v1/institutions/{id}/satisfaction", "survey.read", satisfaction, NULL, &SATISFACTION},
    {NULL, NULL, NULL, NULL},
};
