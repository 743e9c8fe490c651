/* workflow.c — the star-rating workflow (issue 17 item 2) on the cases engine: an institution's
 * operator opens an assessment under a scheme (a case of process "rating", processes.c), scores
 * itself and attaches the evidence each item asks for; the town checks it; the district assigns
 * evaluators — never one who declared a link to the institution — who score alone, none seeing
 * another's sheet until the district concludes; the combined sheet is judged by rating.c and
 * published; anyone logged in may object during publicity and the district answers; after the
 * period the level takes force until the next assessment (history kept) and the institution's
 * star_level is derived from it — never typed. Every write is one transaction with its audit row. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "audit/export.h"
#include "auth/auth.h"
#include "auth/users.h"
#include "base/date.h"
#include "cases/store.h"
#include "materials/store.h"
#include "params/api.h"
#include "params/params.h"
#include "rating/store.h"
#include "rating/workflow.h"
#include "registry/registry.h"
#include "registry/store.h"
#include "surveys/assessment.h"

/* ---- sheets: JSON {item_code: points | true | false} ↔ the engine's struct ---- */

/* The sheet scores (an object) on scheme s described by doc into out, each value checked by the
 * engine (partial: items may be left unscored). 0, or -1 with e naming the item (scores.<code>). */
static int sheet_parse(const json_t *doc, const struct rating_scheme *s, const json_t *scores, int partial,
                       struct rating_sheet *out, struct err *e)
{
    json_t *items = json_object_get(doc, "items");
    for (int i = 0; i < RATING_MAX_ITEMS; i++)
        out->score[i] = RATING_UNSCORED;
    const char *code;
    json_t *v;
    json_object_foreach((json_t *)scores, code, v)
    {
        int k = -1;
        for (size_t j = 0; j < json_array_size(items) && k < 0; j++)
            if (strcmp(json_string_value(json_object_get(json_array_get(items, j), "code")), code) == 0)
                k = (int)j;
        char field[64];
        snprintf(field, sizeof field, "scores.%.40s", code);
        if (k < 0)
            return err_set(e, 422, "unknown_item", field, "评估方案中没有指标 %s", code);
        if (s->items[k].kind == RATING_VETO) {
            if (!json_is_boolean(v))
                return err_set(e, 422, "bad_veto", field, "指标 %s 是否决项，只能判定为达标（true）或不达标（false）", code);
            out->score[k] = json_is_true(v) ? RATING_MET : RATING_NOT_MET;
            continue;
        }
        if (!json_is_number(v))
            return err_set(e, 422, "bad_score", field, "指标 %s 的得分须为数字", code);
        double tenths = json_number_value(v) * 10.0;
        if (fabs(tenths - round(tenths)) > 1e-6 || fabs(tenths) > 1e6)
            return err_set(e, 422, "bad_score", field, "指标 %s 的得分最多保留一位小数", code);
        out->score[k] = (int)round(tenths);
    }
    if (rating_sheet_check(s, out, partial, e) == 0)
        return 0;
    /* the engine names items[i]: name the item by its code */
    int k = atoi(e->field + strlen("items["));
    const char *c = json_string_value(json_object_get(json_array_get(items, (size_t)k), "code"));
    char message[sizeof e->message];
    snprintf(message, sizeof message, "指标 %.40s：%.400s", c, e->message);
    snprintf(e->message, sizeof e->message, "%s", message);
    snprintf(e->field, sizeof e->field, "scores.%.40s", c);
    return -1;
}

/* A complete sheet as JSON. */
static json_t *sheet_json(const json_t *doc, const struct rating_scheme *s, const struct rating_sheet *sheet)
{
    json_t *o = json_object(), *items = json_object_get(doc, "items");
    for (int k = 0; k < s->nitems; k++) {
        const char *code = json_string_value(json_object_get(json_array_get(items, (size_t)k), "code"));
        json_object_set_new(o, code, s->items[k].kind == RATING_VETO ? json_boolean(sheet->score[k] == RATING_MET)
                                                                      : json_real(sheet->score[k] / 10.0));
    }
    return o;
}

/* The body's scores, [{item, points | met}], as a sheet object {item: points | true | false}:
 * *out the caller's. -1 with e: 422 bad_score (neither or both given), duplicate_item. */
static int scores_object(const json_t *scores, json_t **out, struct err *e)
{
    json_t *o = json_object(), *it;
    size_t i;
    json_array_foreach(scores, i, it)
    {
        const char *item = json_string_value(json_object_get(it, "item"));
        json_t *points = json_object_get(it, "points"), *met = json_object_get(it, "met");
        char field[32];
        snprintf(field, sizeof field, "scores[%zu]", i);
        if (!points == !met) {
            json_decref(o);
            return err_set(e, 422, "bad_score", field, "指标 %s 须给出得分（points）或是否达标（met）之一", item);
        }
        if (json_object_get(o, item)) {
            json_decref(o);
            return err_set(e, 422, "duplicate_item", field, "指标 %s 重复评分", item);
        }
        json_object_set(o, item, points ? points : met);
    }
    *out = o;
    return 0;
}

/* A sheet error naming scores.<code> renamed to the body's member, scores[i]. */
static void name_member(const json_t *scores, struct err *e)
{
    if (strncmp(e->field, "scores.", 7))
        return;
    json_t *it;
    size_t i;
    json_array_foreach(scores, i, it) if (strcmp(json_string_value(json_object_get(it, "item")), e->field + 7) == 0)
    {
        snprintf(e->field, sizeof e->field, "scores[%zu]", i);
        return;
    }
}

/* ---- loading ---- */

/* The assessment of the path with action checked on its institution. */
static int load_for(struct http_req *req, const char *action, struct rating_assessment *a, struct err *e)
{
    if (rating_store_assessment(req->db, req->district, http_param_id(req, "id"), a, e) < 0)
        return -1;
    struct authz_target t = {.town_code = a->town_code, .institution_id = a->institution_id};
    if (authz_require(req, action, &t, e) < 0) {
        rating_assessment_free(a);
        return -1;
    }
    return 0;
}

static int concluded(const char *state) { return strcmp(state, "publicity") == 0 || strcmp(state, "rated") == 0; }

/* The assessment as answered: its row, the experts (each one's sheet shown to them, and to every
 * reader once the district has concluded), the objections. */
static int reply_assessment(struct http_req *req, struct http_reply *rep, int64_t case_id, int status)
{
    struct err e = {0};
    struct rating_assessment a;
    json_t *experts, *objections;
    if (rating_store_assessment(req->db, req->district, case_id, &a, &e) < 0)
        return http_reply_err(rep, &e);
    if (rating_store_experts(req->db, case_id, &experts, &e) < 0 ||
        rating_store_objections(req->db, case_id, &objections, &e) < 0) {
        json_decref(experts);
        rating_assessment_free(&a);
        return http_reply_err(rep, &e);
    }
    json_t *x;
    size_t i;
    json_array_foreach(experts, i, x)
    {
        int own = req->user && json_integer_value(json_object_get(x, "user_id")) == req->user->id;
        if (!own && !concluded(a.state))
            json_object_set_new(x, "sheet", json_null());
    }
    /* the families' satisfaction of the year it was opened, for item p1's experts (问卷调查) */
    const char *opened = json_string_value(json_object_get(a.row, "created_at"));
    json_t *satisfaction = surveys_satisfaction_json(req->db, req->district, a.institution_id,
                                                     atoi(opened ? opened : req->today), req->today, &e);
    json_t *o = json_incref(a.row);
    rating_assessment_free(&a);
    json_object_set_new(o, "experts", experts);
    json_object_set_new(o, "objections", objections);
    json_object_set_new(o, "satisfaction", satisfaction ? satisfaction : json_null());
    return http_reply_json(rep, status, o);
}

/* ---- the institution: open an assessment, fill the self-assessment ---- */

static int create_assessment(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const struct cases_process *p = cases_process("rating");
    int64_t scheme_id = json_integer_value(json_object_get(http_body(req), "scheme_id"));
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, http_param_id(req, "id"), req->today, in, &e) < 0)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = in->town_code, .institution_id = in->id};
    if (authz_require(req, "rating.apply", &t, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(in->status, p->opens_on_status))
        return http_reply_error(rep, 409, "wrong_status", "id", "只有已备案的机构可以申请星级评定（本机构当前为 %s）", in->status);
    struct rating_scheme *s = http_alloc(req, sizeof *s);
    json_t *doc;
    if (rating_store_load(req->db, req->district, scheme_id, s, &doc, &e) < 0) {
        if (e.status == 404)
            return http_reply_error(rep, 422, "unknown_scheme", "scheme_id", "评估方案不存在：%" PRId64, scheme_id);
        return http_reply_err(rep, &e);
    }
    const char *from = json_string_value(json_object_get(doc, "valid_from"));
    const char *to = json_string_value(json_object_get(doc, "valid_to"));
    int current = strcmp(from, req->today) <= 0 && (!to || strcmp(req->today, to) <= 0);
    json_decref(doc);
    if (!current)
        return http_reply_error(rep, 422, "scheme_not_current", "scheme_id", "该评估方案版本今天不在使用期内");
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct cases_case c = {.institution_id = in->id, .created_by = req->user->id};
    snprintf(c.process, sizeof c.process, "%s", p->code);
    snprintf(c.town_code, sizeof c.town_code, "%s", in->town_code);
    snprintf(c.state, sizeof c.state, "%s", p->initial);
    c.data = json_pack("{s:I, s:[]}", "scheme_id", (json_int_t)scheme_id, "materials");
    int open = 0;
    if (db_begin(req->db, &e) < 0)
        goto fail_nodb;
    if (cases_store_open_count(req->db, req->district, in->id, p->code, &open, &e) < 0)
        goto fail;
    if (open) {
        err_set(&e, 409, "case_open", "id", "本机构已有正在办理的星级评定");
        goto fail;
    }
    if (cases_store_insert(req->db, req->district, &c, now_ts, &e) < 0 ||
        rating_store_assessment_insert(req->db, req->district, c.id, in->id, scheme_id, now_ts, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:I, s:I}", "process", p->code, "institution_id", (json_int_t)in->id, "scheme_id",
                          (json_int_t)scheme_id);
    int rc = audit_request_commit(req, "case.create", "case", http_printf(req, "%" PRId64, c.id), f, &e);
    json_decref(f);
    json_decref(c.data);
    if (rc < 0)
        return http_reply_err(rep, &e);
    return reply_assessment(req, rep, c.id, 201);
fail:
    db_rollback(req->db);
fail_nodb:
    json_decref(c.data);
    return http_reply_err(rep, &e);
}

/* Is id an active material of the case? */
static int case_material(const struct material *m, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (m[i].id == id)
            return 1;
    return 0;
}

#define MAX_MATERIALS 200

static int put_self(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct rating_assessment a;
    json_t *body = http_body(req), *given = json_object_get(body, "scores"), *listed = json_object_get(body, "evidence");
    json_t *scores = NULL, *evidence = NULL;
    if (scores_object(given, &scores, &e) < 0)
        return http_reply_err(rep, &e);
    if (load_for(req, "rating.apply", &a, &e) < 0) {
        json_decref(scores);
        return http_reply_err(rep, &e);
    }
    int editable = strcmp(a.state, "draft") == 0 || strcmp(a.state, "deficient") == 0;
    int64_t case_id = a.case_id, scheme_id = a.scheme_id;
    if (listed) {
        /* [{item, material_id}] as {item: [material_id …]} */
        evidence = json_object();
        json_t *it;
        size_t i;
        json_array_foreach(listed, i, it)
        {
            const char *item = json_string_value(json_object_get(it, "item"));
            if (!json_object_get(evidence, item))
                json_object_set_new(evidence, item, json_array());
            json_array_append(json_object_get(evidence, item), json_object_get(it, "material_id"));
        }
    } else {
        evidence = json_incref(a.evidence);
    }
    rating_assessment_free(&a);
    struct rating_scheme *s = http_alloc(req, sizeof *s);
    struct rating_sheet *sheet = http_alloc(req, sizeof *sheet);
    struct material *m = http_alloc(req, MAX_MATERIALS * sizeof *m);
    json_t *doc = NULL;
    int nm = 0;
    if (!editable) {
        err_set(&e, 409, "assessment_locked", "", "自评已提交，退回整改前不能修改");
        goto fail;
    }
    if (rating_store_load(req->db, req->district, scheme_id, s, &doc, &e) < 0 ||
        materials_page(req->db, req->district, "case", case_id, 0, MAX_MATERIALS, m, &nm, &e) < 0)
        goto fail;
    if (sheet_parse(doc, s, scores, 1, sheet, &e) < 0) {
        name_member(given, &e);
        goto fail;
    }
    json_t *it;
    size_t i;
    json_array_foreach(listed, i, it)
    {
        const char *code = json_string_value(json_object_get(it, "item"));
        int64_t mid = json_integer_value(json_object_get(it, "material_id"));
        int known = 0;
        json_t *x;
        size_t j;
        json_array_foreach(json_object_get(doc, "items"), j, x) known |= strcmp(json_string_value(json_object_get(x, "code")), code) == 0;
        if (!known) {
            err_set(&e, 422, "unknown_item", http_printf(req, "evidence[%zu].item", i), "评估方案中没有指标 %s", code);
            goto fail;
        }
        if (!case_material(m, nm, mid)) {
            err_set(&e, 422, "unknown_material", http_printf(req, "evidence[%zu].material_id", i),
                    "材料 %" PRId64 " 不是本次评定已上传的材料", mid);
            goto fail;
        }
    }
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        goto fail;
    if (rating_store_save_self(req->db, case_id, scores, evidence, now_ts, &e) < 0) {
        db_rollback(req->db);
        goto fail;
    }
    json_t *f = json_pack("{s:i, s:i}", "items_scored", (int)json_object_size(scores), "items_with_evidence",
                          (int)json_object_size(evidence));
    int rc = audit_write_commit(req, "rating.self", "case", case_id, f, &e);
    json_decref(doc);
    json_decref(scores);
    json_decref(evidence);
    if (rc < 0)
        return http_reply_err(rep, &e);
    return reply_assessment(req, rep, case_id, 200);
fail:
    json_decref(doc);
    json_decref(scores);
    json_decref(evidence);
    return http_reply_err(rep, &e);
}

/* ---- the district: experts ---- */

static int add_expert(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct rating_assessment a;
    int64_t user_id = json_integer_value(json_object_get(http_body(req), "user_id"));
    if (load_for(req, "rating.assign", &a, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t case_id = a.case_id, inst = a.institution_id;
    int assigning = strcmp(a.state, "submitted") == 0 || strcmp(a.state, "expert_review") == 0;
    rating_assessment_free(&a);
    if (!assigning)
        return http_reply_error(rep, 409, "not_assigning", "", "只有在初审或专家评审阶段可以指派专家");
    struct account_info u;
    if (users_load(req->db, req->district, user_id, &u, &e) < 0)
        return http_reply_error(rep, 422, "unknown_user", "user_id", "账号不存在：%" PRId64, user_id);
    if (!authz_role_may(u.role, "rating.score") || u.disabled)
        return http_reply_error(rep, 422, "not_evaluator", "user_id", "%s 不是可用的第三方测评专家账号", u.login);
    char reason[256];
    int linked = rating_store_conflict(req->db, user_id, inst, reason, &e);
    if (linked < 0)
        return http_reply_err(rep, &e);
    if (linked)
        return http_reply_error(rep, 409, "conflict_of_interest", "user_id", "专家 %s 已申报与该机构存在关联（%s），不能参与评审",
                                u.name, reason);
    json_t *experts;
    if (rating_store_experts(req->db, case_id, &experts, &e) < 0)
        return http_reply_err(rep, &e);
    size_t n = json_array_size(experts);
    json_decref(experts);
    if (n >= RATING_MAX_EXPERTS)
        return http_reply_error(rep, 409, "too_many_experts", "user_id", "每次评定最多 %d 名专家", RATING_MAX_EXPERTS);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (rating_store_expert_add(req->db, case_id, user_id, req->user->id, now_ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:I}", "user_id", (json_int_t)user_id);
    if (audit_write_commit(req, "rating.assign", "case", case_id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_assessment(req, rep, case_id, 201);
}

/* An evaluator declares a link to an institution (employment, family, shareholding, consulting):
 * they are never assigned to assess it. */
static int declare_conflict(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    int64_t inst_id = json_integer_value(json_object_get(body, "institution_id"));
    const char *reason = json_string_value(json_object_get(body, "reason"));
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, inst_id, req->today, in, &e) < 0)
        return http_reply_error(rep, 422, "unknown_institution", "institution_id", "机构不存在：%" PRId64, inst_id);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (rating_store_declare_conflict(req->db, req->user->id, inst_id, reason, now_ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:I, s:s}", "institution_id", (json_int_t)inst_id, "reason", reason);
    if (audit_write_commit(req, "rating.conflict", "user", req->user->id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:s, s:s}", "institution_id", (json_int_t)inst_id,
                                               "institution_name", in->name, "reason", reason));
}

/* ---- the evaluator: score alone ---- */

static int put_sheet(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct rating_assessment a;
    json_t *body = http_body(req), *given = json_object_get(body, "scores"), *scores = NULL, *doc = NULL,
           *mine = NULL;
    int submit = json_is_true(json_object_get(body, "submit"));
    if (load_for(req, "rating.score", &a, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t case_id = a.case_id, scheme_id = a.scheme_id;
    int scoring = strcmp(a.state, "expert_review") == 0, submitted = 0;
    rating_assessment_free(&a);
    int rc = rating_store_expert_sheet(req->db, case_id, req->user->id, &mine, &submitted, &e);
    json_decref(mine);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (rc == 0)
        return http_reply_error(rep, 403, "not_assigned", "", "您未被指派评审这次评定");
    if (!scoring)
        return http_reply_error(rep, 409, "not_scoring", "", "这次评定不在专家评审阶段");
    if (submitted)
        return http_reply_error(rep, 409, "sheet_submitted", "", "您的评分已提交，不能再修改");
    struct rating_scheme *s = http_alloc(req, sizeof *s);
    struct rating_sheet *sheet = http_alloc(req, sizeof *sheet);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (scores_object(given, &scores, &e) < 0 ||
        rating_store_load(req->db, req->district, scheme_id, s, &doc, &e) < 0)
        goto fail;
    if (sheet_parse(doc, s, scores, !submit, sheet, &e) < 0) {
        name_member(given, &e);
        goto fail;
    }
    if (db_begin(req->db, &e) < 0)
        goto fail;
    if (rating_store_expert_save(req->db, case_id, req->user->id, scores, submit ? now_ts : NULL, &e) < 0) {
        db_rollback(req->db);
        goto fail;
    }
    json_t *f = json_pack("{s:b, s:i}", "submitted", submit, "items_scored", (int)json_object_size(scores));
    json_decref(scores);
    json_decref(doc);
    if (audit_write_commit(req, "rating.score", "case", case_id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_assessment(req, rep, case_id, 200);
fail:
    json_decref(scores);
    json_decref(doc);
    return http_reply_err(rep, &e);
}

/* ---- publicity: objections ---- */

static int post_objection(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct rating_assessment a;
    const char *text = json_string_value(json_object_get(http_body(req), "text"));
    /* anyone logged in may object: the assessment of the district, whatever the caller's reach */
    if (rating_store_assessment(req->db, req->district, http_param_id(req, "id"), &a, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t case_id = a.case_id;
    int open = strcmp(a.state, "publicity") == 0;
    rating_assessment_free(&a);
    if (!open)
        return http_reply_error(rep, 409, "not_in_publicity", "", "只能对公示期内的评定结果提出异议");
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (rating_store_objection_add(req->db, case_id, req->user->id, text, now_ts, &id, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:I}", "case_id", (json_int_t)case_id);
    if (audit_write_commit(req, "rating.object", "rating_objection", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:s}", "id", (json_int_t)id, "assessment_id",
                                               (json_int_t)case_id, "filed_at", now_ts));
}

static int answer_objection(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    int upheld_now = json_is_true(json_object_get(body, "upheld"));
    const char *answer = json_string_value(json_object_get(body, "answer"));
    int64_t id = http_param_id(req, "id"), case_id;
    int upheld;
    struct rating_assessment a;
    if (rating_store_objection_case(req->db, id, &case_id, &upheld, &e) < 0 ||
        rating_store_assessment(req->db, req->district, case_id, &a, &e) < 0)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = a.town_code, .institution_id = a.institution_id};
    int rc = authz_require(req, "rating.answer", &t, &e);
    int open = strcmp(a.state, "publicity") == 0;
    rating_assessment_free(&a);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (upheld >= 0)
        return http_reply_error(rep, 409, "already_answered", "id", "该异议已答复");
    if (!open)
        return http_reply_error(rep, 409, "not_in_publicity", "", "评定已不在公示期");
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (rating_store_objection_answer(req->db, id, upheld_now, answer, req->user->id, now_ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:I, s:b}", "case_id", (json_int_t)case_id, "upheld", upheld_now);
    if (audit_write_commit(req, "rating.answer", "rating_objection", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_assessment(req, rep, case_id, 200);
}

/* ---- reads ---- */

static int get_assessment(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct rating_assessment a;
    if (load_for(req, "rating.read", &a, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t id = a.case_id;
    rating_assessment_free(&a);
    return reply_assessment(req, rep, id, 200);
}

/* An institution's assessments, newest first, and the level in force today. */
static int list_assessments(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, http_param_id(req, "id"), req->today, in, &e) < 0)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = in->town_code, .institution_id = in->id};
    json_t *items, *current;
    if (authz_require(req, "rating.read", &t, &e) < 0 ||
        rating_store_history(req->db, req->district, in->id, &items, &e) < 0)
        return http_reply_err(rep, &e);
    if (rating_store_current(req->db, req->district, in->id, req->today, &current, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:o, s:o}", "items", items, "in_force", current));
}

/* The evaluator's work: the assessments they are assigned to, with the state of each and whether
 * their sheet is in. */
static int list_assigned(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct http_page page;
    json_t *rows;
    if (http_page_begin(req, &page, &e) < 0 ||
        rating_store_assigned(req->db, req->district, req->user->id, page.after_id, page.limit + 1, &rows,
                              &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL)));
}

/* GET /api/v1/evaluators: the district's evaluators, for assigning experts to an assessment. */
static int list_evaluators(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    json_t *items;
    if (authz_require(req, "rating.assign", &t, &e) < 0 ||
        rating_store_evaluators(req->db, req->district, &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "evaluators", items));
}

/* The rows of the results workbook: one assessment a row (its state in words, points as numbers). */
static int write_results(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    json_t *rows = ctx, *r;
    size_t i;
    const struct cases_process *p = cases_process("rating");
    json_array_foreach(rows, i, r)
    {
        const char *state = json_string_value(json_object_get(r, "state"));
        const struct cases_state *st = cases_state(p, state);
        const char *cells[] = {json_string_value(json_object_get(r, "institution_name")),
                               json_string_value(json_object_get(r, "town_name")),
                               json_string_value(json_object_get(r, "scheme_name")),
                               st ? st->name : state,
                               NULL,
                               json_string_value(json_object_get(r, "level_name")),
                               json_string_value(json_object_get(r, "meaning")),
                               json_string_value(json_object_get(r, "concluded_on")),
                               json_string_value(json_object_get(r, "in_force_from")),
                               json_string_value(json_object_get(r, "in_force_to"))};
        xlsx_next_row(x);
        if (xlsx_number(x, 0, (double)json_integer_value(json_object_get(r, "id")), e) < 0 ||
            xlsx_number(x, 1, (double)json_integer_value(json_object_get(r, "institution_id")), e) < 0)
            return -1;
        for (int c = 0; c < (int)(sizeof cells / sizeof *cells); c++) {
            json_t *total = json_object_get(r, "total_points");
            int rc = c == 4 ? (json_is_number(total) ? xlsx_number(x, c + 2, json_number_value(total), e) : 0)
                            : xlsx_text(x, c + 2, cells[c], e);
            if (rc < 0)
                return -1;
        }
    }
    return 0;
}

/* GET /api/v1/assessments/export: every assessment of the district and its result as a .xlsx
 * (audited with the number of rows). */
static int export_results(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    json_t *rows;
    if (authz_require(req, "rating.export", &t, &e) < 0 ||
        rating_store_results(req->db, req->district, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    static const char *const HEAD[] = {"评定编号", "机构编号", "机构名称", "所在镇街", "评估方案", "状态",
                                       "评审总分", "等级", "等级含义", "评审结论日期", "生效日期", "截止日期"};
    static const double WIDTH[] = {10, 10, 32, 14, 28, 10, 10, 10, 40, 14, 12, 12};
    char day[DATE_DAY_LEN];
    date_format_day(req->now, day, sizeof day);
    json_t *fields = json_object();
    const struct audit_xlsx x = {"星级评定结果", HEAD, WIDTH, (int)(sizeof HEAD / sizeof *HEAD), write_results, rows,
                                 "rating.export", "rating_assessment", fields, http_printf(req, "ratings-%s", day),
                                 http_printf(req, "星级评定结果-%s", day)};
    int rc = audit_reply_xlsx(req, rep, &x);
    json_decref(fields);
    json_decref(rows);
    return rc;
}

int rating_public_level(struct http_req *req, int64_t institution_id, json_t **out, struct err *e)
{
    return rating_store_current(req->db, req->district, institution_id, req->today, out, e);
}

int rating_public_levels(struct http_req *req, json_t **by_inst, struct err *e)
{
    return rating_store_current_all(req->db, req->district, req->today, by_inst, e);
}

/* The last day of the publicity of a result concluded on `concluded` (rating.publicity_days in
 * force today, calendar days). */
static int publicity_until(struct http_req *req, const char *concluded, char out[DATE_DAY_LEN], struct err *e)
{
    const struct params *prm = params_of_request(req, e);
    double days;
    if (!prm ||
        params_num(prm, "rating.publicity_days", &days, e) < 0)
        return -1;
    if (date_add_days(concluded, (int64_t)days, out) < 0)
        return err_set(e, 500, "bad_date", "", "评审结论日期无效：%s", concluded);
    return 0;
}

/* GET /api/v1/public/rating-notices: the results in publicity (评定结果公示), each with the last day
 * objections are taken; anyone logged in may object to one. */
static int public_notices(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct http_page page;
    json_t *rows, *r, *items = json_array();
    if (http_page_begin(req, &page, &e) < 0 ||
        rating_store_in_publicity(req->db, req->district, page.after_id, page.limit + 1, &rows, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    size_t i;
    json_array_foreach(rows, i, r)
    {
        if (!http_page_take(req, &page, json_integer_value(json_object_get(r, "id")), NULL))
            break;
        char until[DATE_DAY_LEN];
        if (publicity_until(req, json_string_value(json_object_get(r, "concluded_on")), until, &e) < 0) {
            json_decref(rows);
            json_decref(items);
            return http_reply_err(rep, &e);
        }
        json_object_set_new(r, "publicity_until", json_string(until));
        json_array_append(items, r);
    }
    json_decref(rows);
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

/* ---- the cases engine's hooks ---- */

/* submit: the self-assessment complete and in range; each item asking for evidence has a
 * material of the case attached (the missing ones named, each) */
static int check_submission(struct http_req *req, const struct rating_assessment *a, json_t **detail, struct err *e)
{
    struct rating_scheme *s = http_alloc(req, sizeof *s);
    struct rating_sheet *sheet = http_alloc(req, sizeof *sheet);
    struct material *m = http_alloc(req, MAX_MATERIALS * sizeof *m);
    json_t *doc;
    int nm = 0;
    if (rating_store_load(req->db, req->district, a->scheme_id, s, &doc, e) < 0)
        return -1;
    if (sheet_parse(doc, s, a->self_sheet, 0, sheet, e) < 0 ||
        materials_page(req->db, req->district, "case", a->case_id, 0, MAX_MATERIALS, m, &nm, e) < 0) {
        json_decref(doc);
        return -1;
    }
    json_t *missing = json_array(), *it;
    char list[600] = "";
    size_t i, len = 0;
    json_array_foreach(json_object_get(doc, "items"), i, it)
    {
        if (json_is_null(json_object_get(it, "evidence")))
            continue;
        const char *code = json_string_value(json_object_get(it, "code"));
        json_t *ids = json_object_get(a->evidence, code), *id;
        size_t j;
        int found = 0;
        json_array_foreach(ids, j, id) found |= case_material(m, nm, json_integer_value(id));
        if (found)
            continue;
        json_array_append_new(missing, json_pack("{s:s, s:O, s:O}", "item", code, "text", json_object_get(it, "text"),
                                                 "evidence", json_object_get(it, "evidence")));
        if (len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s（%s）", json_array_size(missing) > 1 ? "、" : "",
                                    code, json_string_value(json_object_get(it, "evidence")));
    }
    json_decref(doc);
    if (!json_array_size(missing)) {
        json_decref(missing);
        return 0;
    }
    *detail = missing;
    return err_set(e, 422, "evidence_missing", "evidence", "以下指标缺少佐证材料：%s", list);
}

/* conclude: every assigned expert submitted; their sheets combined and judged, stored with the level */
static int conclude(struct http_req *req, const struct rating_assessment *a, json_t *fields, json_t **detail,
                    struct err *e)
{
    struct rating_scheme *s = http_alloc(req, sizeof *s);
    struct rating_sheet *sheets = http_alloc(req, RATING_MAX_EXPERTS * sizeof *sheets);
    struct rating_sheet *combined = http_alloc(req, sizeof *combined);
    struct rating_result *res = http_alloc(req, sizeof *res);
    json_t *doc = NULL, *experts = NULL, *x, *pending = json_array();
    int rc = -1;
    if (rating_store_load(req->db, req->district, a->scheme_id, s, &doc, e) < 0 ||
        rating_store_experts(req->db, a->case_id, &experts, e) < 0)
        goto done;
    size_t i, n = json_array_size(experts);
    if (n == 0) {
        err_set(e, 422, "no_experts", "experts", "尚未指派评审专家");
        goto done;
    }
    json_array_foreach(experts, i, x) if (json_is_null(json_object_get(x, "submitted_at")))
        json_array_append_new(pending, json_pack("{s:O, s:O}", "user_id", json_object_get(x, "user_id"), "name",
                                                 json_object_get(x, "name")));
    if (json_array_size(pending)) {
        err_set(e, 422, "experts_pending", "experts", "还有 %zu 名专家未提交评分", json_array_size(pending));
        *detail = pending;
        pending = NULL;
        goto done;
    }
    json_array_foreach(experts, i, x) if (sheet_parse(doc, s, json_object_get(x, "sheet"), 0, &sheets[i], e) < 0) goto done;
    if (rating_combine_sheets(s, sheets, (int)n, combined, e) < 0 || rating_judge(s, combined, res, e) < 0)
        goto done;
    const char *level = res->level == RATING_NO_LEVEL
                            ? NULL
                            : json_string_value(json_object_get(json_array_get(json_object_get(doc, "levels"),
                                                                               (size_t)res->level),
                                                                "code"));
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    json_t *cj = sheet_json(doc, s, combined);
    rc = rating_store_conclude(req->db, a->case_id, cj, res->total_tenths, level, req->today, now_ts, e);
    json_decref(cj);
    json_object_set_new(fields, "total_points", json_real(res->total_tenths / 10.0));
    json_object_set_new(fields, "level_code", level ? json_string(level) : json_null());
    json_object_set_new(fields, "experts", json_integer((json_int_t)n));
done:
    json_decref(doc);
    json_decref(experts);
    json_decref(pending);
    return rc;
}

/* confirm: the publicity period over, no objection left open or upheld without a new review */
static int check_confirm(struct http_req *req, const struct rating_assessment *a, struct err *e)
{
    char due[DATE_DAY_LEN];
    int open, upheld;
    if (publicity_until(req, a->concluded_on, due, e) < 0 ||
        rating_store_objection_counts(req->db, a->case_id, &open, &upheld, e) < 0)
        return -1;
    if (strcmp(req->today, due) <= 0)
        return err_set(e, 409, "publicity_running", "event", "公示期至 %s，期满后方可确认等级", due);
    if (open)
        return err_set(e, 409, "objection_open", "event", "还有 %d 件异议尚未答复", open);
    if (upheld)
        return err_set(e, 409, "objection_upheld", "event", "有异议成立，须退回专家重新评审");
    return 0;
}

int rating_case_guard(struct http_req *req, int64_t case_id, const struct cases_result *r, json_t *fields,
                      json_t **detail, struct err *e)
{
    const char *event = r->t->event;
    struct rating_assessment a;
    if (rating_store_assessment(req->db, req->district, case_id, &a, e) < 0)
        return -1;
    int rc = 0;
    if (strcmp(event, "submit") == 0) {
        rc = check_submission(req, &a, detail, e);
    } else if (strcmp(event, "conclude") == 0) {
        rc = conclude(req, &a, fields, detail, e);
    } else if (strcmp(event, "confirm") == 0) {
        rc = check_confirm(req, &a, e);
    } else if (strcmp(event, "return") == 0 && strcmp(r->t->from, "expert_review") == 0) {
        /* sent back for correction: the experts will score the corrected self-assessment again */
        rc = rating_store_reopen(req->db, case_id, e);
    } else if (strcmp(event, "review_again") == 0) {
        int open, upheld;
        rc = rating_store_objection_counts(req->db, case_id, &open, &upheld, e);
        if (rc == 0 && !upheld)
            rc = err_set(e, 409, "no_upheld_objection", "event", "没有成立的异议，不能退回重新评审");
        if (rc == 0)
            rc = rating_store_reopen(req->db, case_id, e);
    }
    rating_assessment_free(&a);
    return rc;
}

int rating_case_outcome(struct http_req *req, int64_t case_id, int64_t institution_id, json_t *fields, struct err *e)
{
    struct rating_assessment a;
    if (rating_store_assessment(req->db, req->district, case_id, &a, e) < 0)
        return -1;
    const char *level = json_string_value(json_object_get(a.row, "level_code"));
    /* the registry's star count: the Ouhai scheme's "starN"; none for another scheme's grade */
    int stars = level && strncmp(level, "star", 4) == 0 ? atoi(level + 4) : 0;
    char before[DATE_DAY_LEN];
    date_add_days(req->today, -1, before);
    json_object_set_new(fields, "level_code", level ? json_string(level) : json_null());
    json_object_set_new(fields, "in_force_from", json_string(req->today));
    rating_assessment_free(&a);
    if (rating_store_in_force(req->db, case_id, institution_id, req->today, before, stars, e) < 0)
        return -1;
    json_t *f = json_pack("{s:I, s:O, s:i}", "case_id", (json_int_t)case_id, "level_code",
                          json_object_get(fields, "level_code"), "star_level", stars);
    int rc = audit_request(req, "rating.in_force", "institution", http_printf(req, "%" PRId64, institution_id), f, e);
    json_decref(f);
    return rc;
}

/* ---- schemas and routes ---- */

#include "rating/workflow.schemas.inc"

const struct route rating_workflow_routes[] = {
    {"POST", "/api/v1/institutions/{id}/assessments", "rating.apply", create_assessment, &OPEN, &LOOSE, 201},
    {"GET", "/api/v1/institutions/{id}/assessments", "rating.read", list_assessments, NULL, &HISTORY},
    {"GET", "/api/v1/assessments/assigned", "rating.score", list_assigned, NULL, &ASSIGNED_PAGE},
    {"GET", "/api/v1/evaluators", "rating.assign", list_evaluators, NULL, &EVALUATORS},
    {"GET", "/api/v1/assessments/export", "rating.export", export_results, NULL, &WORKBOOK},
    {"GET", "/api/v1/assessments/{id}", "rating.read", get_assessment, NULL, &LOOSE},
    {"PUT", "/api/v1/assessments/{id}/self", "rating.apply", put_self, &SELF, &LOOSE},
    {"POST", "/api/v1/assessments/{id}/experts", "rating.assign", add_expert, &EXPERT, &LOOSE, 201},
    {"PUT", "/api/v1/assessments/{id}/sheet", "rating.score", put_sheet, &SHEET, &LOOSE},
    {"POST", "/api/v1/assessments/{id}/objections", "rating.object", post_objection, &OBJECTION, &LOOSE, 201},
    {"POST", "/api/v1/rating-objections/{id}/answer", "rating.answer", answer_objection, &ANSWER, &LOOSE},
    {"POST", "/api/v1/rating-conflicts", "rating.score", declare_conflict, &CONFLICT, &LOOSE, 201},
    {"GET", "/api/v1/public/rating-notices", "public", public_notices, NULL, &NOTICE_PAGE},
    {NULL, NULL, NULL, NULL},
};
