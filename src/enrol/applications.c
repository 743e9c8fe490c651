/* applications.c — ranked applications of 入托一件事: a family creates an application for its
 * own child and an intake month with up to enrol.max_choices programs of the child's age band,
 * declares its priority criteria, edits the draft, submits or withdraws it; the points at each
 * program come from the dated points table. Reading one application after a round explains the
 * result: rank list, points at each program, lottery number and each program's cut-off. Every
 * application carries the moves its reader may make now ("actions"). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "enrol/api.h"
#include "enrol/enrol.h"
#include "enrol/internal.h"
#include "enrol/store.h"
#include "inbox/inbox.h"
#include "params/params.h"

/* ---- validation of a body (create, or a draft merged with the edit) ---- */

struct app_input {
    char intake[8];
    int n;
    struct enrol_choice choices[ENROL_MAX_CHOICES];
    char *criteria; /* as stored: JSON text with sorted keys, malloc'd */
};

/* Validate intake, choices and criteria of a body the schema admitted, for child c of family
 * (ownership checked by the caller; c's age bands read for the body's intake), with the
 * parameters p in force today; each choice's points computed. 0, or -1 with e (422 and the field;
 * 500 param_missing). */
static int validate(struct http_req *req, const struct enrol_clock *clk, const struct params *p, json_t *body,
                    int64_t family, int64_t child_id, const struct enrol_child *c, struct app_input *in, struct err *e)
{
    const char *intake = json_string_value(json_object_get(body, "intake"));
    char first_day[16];
    snprintf(first_day, sizeof first_day, "%s-01", intake);
    if (strncmp(intake, clk->today, 7) < 0)
        return err_set(e, 422, "past_month", "intake", "入托月份不能早于本月");
    snprintf(in->intake, sizeof in->intake, "%s", intake);
    double max_choices;
    if (params_num(p, "enrol.max_choices", &max_choices, e) < 0)
        return -1;
    json_t *choices = json_object_get(body, "choices");
    if (json_array_size(choices) == 0)
        return err_set(e, 422, "required", "choices", "请至少填写一个志愿");
    if (json_array_size(choices) > (size_t)max_choices)
        return err_set(e, 422, "too_many_choices", "choices", "最多可填报 %d 个志愿", (int)max_choices);
    if (enrol_bands_check(&c->bands, -1, first_day, e) < 0)
        return -1;
    int age = enrol_age_months(c->birth, intake);
    size_t i;
    json_t *ch;
    in->n = 0;
    json_array_foreach(choices, i, ch)
    {
        struct enrol_choice *k = &in->choices[in->n++];
        memset(k, 0, sizeof *k);
        k->institution_id = json_integer_value(json_object_get(ch, "institution_id"));
        snprintf(k->class_type, sizeof k->class_type, "%s", json_string_value(json_object_get(ch, "class_type")));
    }
    if (enrol_store_choice_programs(req->db, req->district, family, child_id, in->choices, in->n, e) < 0)
        return -1;
    for (int n = 0; n < in->n; n++) {
        const struct enrol_choice *k = &in->choices[n];
        char *fi = http_printf(req, "choices[%d].institution_id", n), *ft = http_printf(req, "choices[%d].class_type", n);
        int t = class_type_from_code(k->class_type);
        if (t < 0)
            return err_set(e, 422, "bad_class_type", ft, "第 %d 志愿班型无效", n + 1);
        for (int j = 0; j < n; j++)
            if (in->choices[j].institution_id == k->institution_id && strcmp(in->choices[j].class_type, k->class_type) == 0)
                return err_set(e, 422, "duplicate_choice", http_printf(req, "choices[%d]", n), "第 %d 志愿与第 %d 志愿重复",
                               n + 1, j + 1);
        char words[DATE_WORDS_LEN];
        if (!enrol_band_fits(&c->bands, (enum class_type)t, age))
            return err_set(e, 422, "age_band", ft, "孩子在 %s 时 %d 个月，不在%s的月龄范围（%d–%d 个月）内",
                           date_words(intake, words, sizeof words), age,
                           class_type_name((enum class_type)t), c->bands.min_months[t], c->bands.max_months[t]);
        if (!k->program)
            return err_set(e, 422, "no_program", fi, "第 %d 志愿的机构没有开设此班型，或尚未备案", n + 1);
    }
    json_t *crit = json_object_get(body, "criteria"); /* null or absent: none declared */
    in->criteria = json_is_object(crit) ? json_dumps(crit, JSON_SORT_KEYS | JSON_COMPACT) : strdup("{}");
    if (!in->criteria)
        return err_set(e, 500, "nomem", "", "内存不足");
    struct enrol_points_table table;
    struct enrol_criteria declared;
    if (enrol_points_from_params(p, &table, e) < 0)
        return -1;
    enrol_criteria_parse(in->criteria, &declared);
    for (int n = 0; n < in->n; n++)
        in->choices[n].points =
            enrol_choice_points(&table, &declared, in->choices[n].siblings, c->town, in->choices[n].town);
    return 0;
}

/* The application with its choices, offers and — once a round ran — the explanation; NULL with
 * e (404 when there is none). */
static json_t *app_load(struct http_req *req, int64_t id, struct err *e)
{
    json_t *o, *cutoffs;
    int64_t lottery;
    int found = enrol_store_app_json(req->db, req->district, id, &o, &cutoffs, &lottery, e);
    if (found <= 0) {
        if (found == 0)
            err_set(e, 404, "not_found", "id", "未找到该申请");
        return NULL;
    }
    enrol_explain(json_object_get(o, "choices"), cutoffs, lottery);
    json_decref(cutoffs);
    return o;
}

/* What the reader sees of a loaded application: the declared criteria only when the policy lets
 * the role read them (an institution sees the resulting points), and the moves it may make now. */
static json_t *app_for_reader(struct http_req *req, json_t *o)
{
    if (!authz_role_may(req->user->role, "application.read.criteria"))
        json_object_del(o, "criteria");
    json_object_set_new(o, "actions", enrol_app_actions(req, json_string_value(json_object_get(o, "status"))));
    return o;
}

/* Reply with application id as its reader sees it. */
static int reply_app(struct http_req *req, struct http_reply *rep, int status, int64_t id)
{
    struct err e = {0};
    json_t *o = app_load(req, id, &e);
    return o ? http_reply_json(rep, status, app_for_reader(req, o)) : http_reply_err(rep, &e);
}

static int create_application(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    int64_t child_id = json_integer_value(json_object_get(body, "child_id"));
    const char *district = req->district;
    struct enrol_clock clk;
    enrol_clock_of(req, &clk);
    /* the child with its age bands on the first day of the intake month, in one read */
    struct enrol_child c;
    const char *first_day = http_printf(req, "%s-01", json_string_value(json_object_get(body, "intake")));
    if (enrol_store_child(req->db, district, child_id, first_day, &c, &e) < 0)
        return http_reply_err(rep, &e);
    if (!c.found)
        return http_reply_error(rep, 404, "not_found", "child_id", "未找到该孩子");
    struct authz_target target = {.owner_user_id = c.owner};
    struct app_input in = {0};
    struct params *p = http_alloc(req, sizeof *p);
    if (authz_require(req, "application.create", &target, &e) < 0 || params_load(req->db, district, clk.today, p, &e) < 0 ||
        validate(req, &clk, p, body, req->user->id, child_id, &c, &in, &e) < 0 || db_begin(req->db, &e) < 0) {
        free(in.criteria);
        return http_reply_err(rep, &e);
    }
    /* one application per child and intake that still stands */
    char states[16][16]; /* more than every state there is */
    char words[DATE_WORDS_LEN];
    int n = 0, rc = enrol_store_lock_child(req->db, child_id, &e);
    if (rc == 0)
        rc = enrol_store_app_states(req->db, child_id, in.intake, states, 16, &n, &e);
    for (int k = 0; rc == 0 && k < n; k++)
        if (!enrol_app_closed(states[k]))
            rc = err_set(&e, 409, "duplicate_application", "child_id", "该孩子%s入托已有申请，请修改或撤回原申请",
                         date_words(in.intake, words, sizeof words));
    const char *draft = enrol_app_next("", "create");
    int64_t id = 0;
    if (rc < 0 ||
        enrol_store_app_insert(req->db, district, child_id, req->user->id, in.intake, draft, in.criteria, clk.now_ts, &id,
                               &e) < 0 ||
        enrol_store_choices_write(req->db, req->district, id, in.choices, in.n, 0, &e) < 0 ||
        enrol_app_moved(req, id, NULL, draft, clk.now_ts,
                        json_pack("{s:I, s:s, s:i}", "child_id", (json_int_t)child_id, "intake", in.intake, "choices", in.n),
                        1, &e) < 0) {
        db_rollback(req->db);
        free(in.criteria);
        return http_reply_err(rep, &e);
    }
    free(in.criteria);
    return reply_app(req, rep, 201, id);
}

/* Load application {id}'s head and authorize action on it. 0 (the caller frees h->criteria), or
 * -1 with e (404 when absent or out of scope) and nothing to free. */
static int load_for(struct http_req *req, const char *action, int64_t *id, struct enrol_app_head *h, struct err *e)
{
    *id = http_param_id(req, "id");
    int found = enrol_store_app_head(req->db, req->district, *id, h, e);
    if (found <= 0)
        return found < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该申请");
    struct authz_target t = {.owner_user_id = h->family_user_id, .application_id = *id};
    if (authz_require(req, action, &t, e) < 0) {
        free(h->criteria); /* callers free it only when the load succeeds */
        h->criteria = NULL;
        return -1;
    }
    return 0;
}

static int update_application(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id;
    struct enrol_app_head h;
    struct app_input in = {0};
    int rc = load_for(req, "application.update", &id, &h, &e);
    if (rc == 0 && !enrol_app_may(h.status, "update"))
        rc = err_set(&e, 409, "not_draft", "status", "只有草稿状态的申请可以修改（当前：%s）", h.status);
    /* merge: what the body leaves out stays as it is */
    json_t *body = http_body(req);
    if (rc == 0 && !json_object_get(body, "intake"))
        json_object_set_new(body, "intake", json_string(h.intake));
    if (rc == 0 && !json_object_get(body, "criteria"))
        json_object_set_new(body, "criteria", json_loads(h.criteria, 0, NULL));
    if (rc == 0 && !json_object_get(body, "choices")) {
        struct enrol_choice cur[ENROL_MAX_CHOICES];
        int n;
        json_t *chs = json_array();
        json_object_set_new(body, "choices", chs);
        rc = enrol_store_choices(req->db, id, cur, ENROL_MAX_CHOICES, &n, &e);
        for (int k = 0; rc == 0 && k < n; k++)
            json_array_append_new(chs, json_pack("{s:I, s:s}", "institution_id", (json_int_t)cur[k].institution_id,
                                                 "class_type", cur[k].class_type));
    }
    struct enrol_clock clk;
    struct enrol_child c;
    struct params *p = http_alloc(req, sizeof *p);
    enrol_clock_of(req, &clk);
    if (rc == 0) {
        const char *first_day = http_printf(req, "%s-01", json_string_value(json_object_get(body, "intake")));
        if (enrol_store_child(req->db, req->district, h.child_id, first_day, &c, &e) < 0 ||
            params_load(req->db, req->district, clk.today, p, &e) < 0 ||
            validate(req, &clk, p, body, h.family_user_id, h.child_id, &c, &in, &e) < 0 || db_begin(req->db, &e) < 0)
            rc = -1;
    }
    free(h.criteria);
    if (rc < 0) {
        free(in.criteria);
        return http_reply_err(rep, &e);
    }
    rc = enrol_store_app_update(req->db, id, h.status, in.intake, in.criteria, clk.now_ts, &e);
    free(in.criteria);
    if (rc == 0)
        rc = err_set(&e, 409, "not_draft", "status", "只有草稿状态的申请可以修改");
    json_t *f = json_pack("{s:s, s:i}", "intake", in.intake, "choices", in.n);
    if (rc < 0 || enrol_store_choices_write(req->db, req->district, id, in.choices, in.n, 1, &e) < 0 ||
        audit_request_commit(req, "application.update", "application", http_printf(req, "%" PRId64, id), f, &e) < 0) {
        json_decref(f);
        db_rollback(req->db);
        return http_reply_err(rep, &e);
    }
    json_decref(f);
    return reply_app(req, rep, 200, id);
}

/* Recompute the points of application id's choices with the points table in force today; store
 * those that changed. */
static int recompute_points(struct http_req *req, const struct enrol_clock *clk, int64_t id, struct err *e)
{
    struct params *p = http_alloc(req, sizeof *p);
    struct enrol_points_table table;
    struct enrol_app_points *apps;
    int n;
    if (params_load(req->db, req->district, clk->today, p, e) < 0 ||
        enrol_points_from_params(p, &table, e) < 0 ||
        enrol_store_apps_points(req->db, req->district, id, NULL, NULL, &apps, &n, e) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && i < n; i++)
        for (int k = 0; rc == 0 && k < apps[i].n; k++) {
            struct enrol_choice *c = &apps[i].choices[k];
            double points = enrol_choice_points(&table, &apps[i].criteria, c->siblings, apps[i].child_town, c->town);
            if (points != c->points)
                rc = enrol_store_choice_points(req->db, c->id, points, e);
        }
    free(apps);
    return rc;
}

/* Submit or withdraw (event) application {id}. */
/* The family's confirmation that application id was submitted, and what happens next. */
static int tell_submitted(struct http_req *req, int64_t id, const struct enrol_app_head *h, const struct enrol_clock *clk,
                          struct err *e)
{
    struct inbox_message m = {
        .user_id = h->family_user_id, .kind = "application.submitted", .subject = "入托申请已提交",
        .body = http_printf(req,
                            "您的入托申请（编号 %" PRId64 "，%s 入托）已提交。分配结果公布后将通过站内消息和短信通知您，"
                            "录取通知写明机构电话、地址和须带的材料，请在确认截止日前登录接受或放弃。",
                            id, h->intake),
        .ref_type = "application", .ref_id = id, .due_at = clk->now_ts};
    return inbox_post(req->db, req->district, &m, clk->now_ts, e);
}

static int change_state(struct http_req *req, struct http_reply *rep, const char *action, const char *event)
{
    struct err e = {0};
    int64_t id;
    struct enrol_app_head h;
    if (load_for(req, action, &id, &h, &e) < 0)
        return http_reply_err(rep, &e);
    free(h.criteria);
    int submit = strcmp(event, "submit") == 0;
    if (!enrol_app_may(h.status, event))
        return http_reply_error(rep, 409, "bad_state", "status", "当前状态（%s）不能%s", h.status, submit ? "提交" : "撤回");
    struct enrol_clock clk;
    enrol_clock_of(req, &clk);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    /* re-read under the row lock so two requests cannot both move it */
    char status[16];
    int found = enrol_store_app_lock(req->db, id, status, &e);
    if (found == 0)
        err_set(&e, 404, "not_found", "id", "未找到该申请");
    if (found <= 0)
        goto fail;
    if (!enrol_app_may(status, event)) {
        err_set(&e, 409, "bad_state", "status", "当前状态（%s）不能%s", status, submit ? "提交" : "撤回");
        goto fail;
    }
    if (submit && (recompute_points(req, &clk, id, &e) < 0 || tell_submitted(req, id, &h, &clk, &e) < 0))
        goto fail;
    if (!submit && enrol_store_app_offers_move(req->db, id, "offered", enrol_offer_next("offered", "withdraw"), clk.now_ts,
                                               &e) < 0)
        goto fail;
    if (enrol_app_move(req, id, status, event, clk.now_ts, NULL, 1, &e) < 0)
        goto fail;
    return reply_app(req, rep, 200, id);
fail:
    return http_reply_rollback(req, rep, &e);
}

static int submit_application(struct http_req *req, struct http_reply *rep)
{
    return change_state(req, rep, "application.submit", "submit");
}

static int withdraw_application(struct http_req *req, struct http_reply *rep)
{
    return change_state(req, rep, "application.withdraw", "withdraw");
}

static int get_application(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id");
    json_t *o = app_load(req, id, &e);
    if (!o)
        return http_reply_err(rep, &e);
    struct authz_target t = {.owner_user_id = json_integer_value(json_object_get(o, "family_user_id")),
                             .application_id = id};
    if (authz_require(req, "application.read", &t, &e) < 0 ||
        audit_staff_read(req, "application.read", "application", http_printf(req, "%" PRId64, id), NULL, &e) < 0) {
        json_decref(o);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, app_for_reader(req, o));
}

static int list_applications(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    /* an application is reached through the institutions its choices name: its id column */
    if (authz_scope(req, "application.list", NULL, "a.id", "a.family_user_id", &scope, &e) < 0)
        return http_reply_err(rep, &e);
    const char *intake = http_query(req, "intake"), *status = http_query(req, "status");
    int64_t inst;
    struct http_page page;
    json_t *rows;
    if (http_query_id(req, "institution_id", "机构编号", &inst, &e) < 0 || http_page_begin(req, &page, &e) < 0 ||
        enrol_store_apps(req->db, req->district, scope.sql, &scope.params, intake && intake[0] ? intake : NULL,
                         status && status[0] ? status : NULL, inst, page.after_id, page.limit + 1, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = http_page_rows(req, &page, rows, "id", NULL), *a;
    size_t i;
    json_array_foreach(items, i, a)
        json_object_set_new(a, "actions", enrol_app_actions(req, json_string_value(json_object_get(a, "status"))));
    if (enrol_family_contacts(req, items, "application.read.contact", 0, &e) < 0 ||
        audit_staff_list(req, "application.list", "application", "applications", json_array_size(items), &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

#include "enrol/applications.schemas.inc"

const struct route applications_routes[] = {
    {"POST", "/api/v1/applications", "application.create", create_application, &CREATE_BODY, &APPLICATION, 201},
    {"GET", "/api/v1/applications", "application.list", list_applications, NULL, &APPLICATION_PAGE,
     .subactions = HTTP_SUBACTIONS("application.read.contact")},
    {"GET", "/api/v1/applications/{id}", "application.read", get_application, NULL, &APPLICATION},
    {"PUT", "/api/v1/applications/{id}", "application.update", update_application, &UPDATE_BODY, &APPLICATION},
    {"POST", "/api/v1/applications/{id}/submit", "application.submit", submit_application, &NO_MEMBERS, &APPLICATION},
    {"POST", "/api/v1/applications/{id}/withdraw", "application.withdraw", withdraw_application, &NO_MEMBERS, &APPLICATION},
    {NULL, NULL, NULL, NULL},
};
