/* applications.c — ranked applications of 入托一件事: a family creates an application for its
 * own child and an intake month with up to enrol.max_choices programs of the child's age band,
 * declares its priority criteria, edits the draft, submits or withdraws it; the points at each
 * program come from the dated points table. Reading one application after a round explains the
 * result: rank list, points at each program, lottery number and each program's cut-off. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "enrol/enrol.h"
#include "enrol/rounds.h"
#include "inbox/inbox.h"
#include "params/params.h"

const char *const enrol_criteria_keys[] = {"multi_child", "both_parents_working", "ouhai_residence", "disability",
                                           "hardship", NULL};

double enrol_points(const struct enrol_points_table *t, const struct enrol_criteria *c, int sibling, int same_town)
{
    double p = 0;
    p += c->multi_child ? t->multi_child : 0;
    p += c->both_parents_working ? t->both_parents_working : 0;
    p += c->ouhai_residence ? t->ouhai_residence : 0;
    p += c->disability ? t->disability : 0;
    p += c->hardship ? t->hardship : 0;
    p += sibling ? t->sibling_at_institution : 0;
    p += same_town ? t->same_town : 0;
    return p;
}

int enrol_points_load(struct db *db, const char *district, const char *date, struct enrol_points_table *t,
                      struct err *e)
{
    struct params *p = malloc(sizeof *p);
    if (!p)
        return err_set(e, 500, "nomem", "", "内存不足");
    int rc = params_load(db, district, date, p, e);
    double *dst[] = {&t->multi_child, &t->both_parents_working, &t->ouhai_residence, &t->disability,
                     &t->hardship, &t->sibling_at_institution, &t->same_town};
    const char *keys[] = {"multi_child", "both_parents_working", "ouhai_residence", "disability",
                          "hardship", "sibling_at_institution", "same_town"};
    for (int i = 0; rc == 0 && i < 7; i++) {
        char key[64];
        snprintf(key, sizeof key, "enrol.points.%s", keys[i]);
        rc = params_num(p, key, dst[i], e);
    }
    free(p);
    return rc;
}

static struct db_stmt *vstmt(struct db *db, struct err *e, const char *sql, const char *types, va_list ap)
{
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return NULL;
    for (int i = 0; types && types[i]; i++) {
        if (types[i] == 'i')
            db_bind_int64(st, i + 1, va_arg(ap, int64_t));
        else if (types[i] == 't')
            db_bind_text(st, i + 1, va_arg(ap, const char *));
        else
            db_bind_double(st, i + 1, va_arg(ap, double));
    }
    return st;
}

struct db_stmt *enrol_stmt(struct db *db, struct err *e, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = vstmt(db, e, sql, types, ap);
    va_end(ap);
    return st;
}

int64_t enrol_exec(struct db *db, struct err *e, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = vstmt(db, e, sql, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc = db_step(st, e);
    int64_t n = rc < 0 ? -1 : db_changes(st);
    db_finalize(st);
    return n;
}

int64_t enrol_int(struct db *db, struct err *e, int *found, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = vstmt(db, e, sql, types, ap);
    va_end(ap);
    *found = 0;
    if (!st)
        return -1;
    int rc = db_step(st, e);
    int64_t v = 0;
    if (rc == DB_ROW && !db_col_is_null(st, 0)) {
        *found = 1;
        v = db_col_int64(st, 0);
    }
    db_finalize(st);
    return rc < 0 ? -1 : v;
}

int enrol_app_transition(struct http_req *req, int64_t app_id, const char *from, const char *to, const char *now_ts,
                         json_t *extra, struct err *e)
{
    if (enrol_exec(req->db, e, "UPDATE application SET status = ?, updated_at = ? WHERE id = ?", "tti", to, now_ts,
                   (int64_t)app_id) < 0) {
        json_decref(extra);
        return -1;
    }
    /* a pending offer's reminder goes when the offer is decided, lapses, is withdrawn or replaced */
    if (from && strcmp(from, "offered") == 0 && inbox_withdraw(req->db, "application", app_id, "offer.reminder", now_ts, e) < 0) {
        json_decref(extra);
        return -1;
    }
    json_t *f = extra ? extra : json_object();
    json_object_set_new(f, "from", from ? json_string(from) : json_null());
    json_object_set_new(f, "to", json_string(to));
    int rc = audit_request(req, http_printf(req, "application.%s", to), "application",
                           http_printf(req, "%" PRId64, app_id), f, e);
    json_decref(f);
    return rc;
}

static void criteria_from_json(const char *text, struct enrol_criteria *c)
{
    memset(c, 0, sizeof *c);
    json_t *j = json_loads(text ? text : "{}", 0, NULL);
    int *dst[] = {&c->multi_child, &c->both_parents_working, &c->ouhai_residence, &c->disability, &c->hardship};
    for (int i = 0; enrol_criteria_keys[i]; i++)
        *dst[i] = json_is_true(json_object_get(j, enrol_criteria_keys[i]));
    json_decref(j);
}

int enrol_application_points(struct db *db, const struct enrol_points_table *t, int64_t app_id, struct err *e)
{
    struct db_stmt *st = enrol_stmt(db, e,
                                    "SELECT a.criteria, a.family_user_id, a.child_id, COALESCE(ch.hukou_town, '') "
                                    "FROM application a JOIN child ch ON ch.id = a.child_id WHERE a.id = ?",
                                    "i", (int64_t)app_id);
    if (!st)
        return -1;
    int rc = db_step(st, e);
    struct enrol_criteria c;
    int64_t family = 0, child = 0;
    char hukou[32] = "";
    if (rc == DB_ROW) {
        criteria_from_json(db_col_text(st, 0), &c);
        family = db_col_int64(st, 1);
        child = db_col_int64(st, 2);
        snprintf(hukou, sizeof hukou, "%s", db_col_text(st, 3));
    }
    db_finalize(st);
    if (rc != DB_ROW)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该申请");
    st = enrol_stmt(db, e,
                    "SELECT ac.id, i.town_code, (SELECT COUNT(*) FROM child s WHERE s.family_user_id = ? AND s.id <> ? "
                    "AND s.institution_id = ac.institution_id) FROM application_choice ac "
                    "JOIN institution i ON i.id = ac.institution_id WHERE ac.application_id = ? ORDER BY ac.choice_rank",
                    "iii", (int64_t)family, (int64_t)child, (int64_t)app_id);
    if (!st)
        return -1;
    int64_t ids[64];
    double pts[64];
    int n = 0;
    while ((rc = db_step(st, e)) == DB_ROW && n < 64) {
        ids[n] = db_col_int64(st, 0);
        const char *town = db_col_text(st, 1);
        pts[n] = enrol_points(t, &c, db_col_int64(st, 2) > 0, hukou[0] && town && strcmp(town, hukou) == 0);
        n++;
    }
    db_finalize(st);
    if (rc < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (enrol_exec(db, e, "UPDATE application_choice SET points = ? WHERE id = ?", "di", pts[i], (int64_t)ids[i]) < 0)
            return -1;
    return 0;
}

/* Recompute an application's points with the table in force today. */
static int points_today(struct http_req *req, int64_t app_id, const char *today, struct err *e)
{
    struct enrol_points_table t;
    if (enrol_points_load(req->db, req->app->district_code, today, &t, e) < 0)
        return -1;
    return enrol_application_points(req->db, &t, app_id, e);
}

/* ---- validation of a body (create, or a draft merged with the edit) ---- */

#define MAX_CHOICES 16 /* input sanity; the rule is the parameter enrol.max_choices */

struct app_input {
    int64_t child_id;
    char intake[8];
    int n;
    int64_t inst[MAX_CHOICES];
    char type[MAX_CHOICES][24];
    json_t *criteria; /* the body's object of booleans (borrowed), or NULL */
};

/* Validate intake, choices and criteria of a body the schema admitted (child and ownership
 * checked by the caller; birth is the child's birth date). 0, or -1 with e (422 and the field). */
static int validate(struct http_req *req, json_t *body, const char *birth, struct app_input *in, struct err *e)
{
    const char *intake = json_string_value(json_object_get(body, "intake"));
    char first_day[16];
    snprintf(first_day, sizeof first_day, "%s-01", intake);
    char today[11];
    date_format_day(req->now, today, sizeof today);
    if (strncmp(intake, today, 7) < 0)
        return err_set(e, 422, "past_month", "intake", "入托月份不能早于本月");
    snprintf(in->intake, sizeof in->intake, "%s", intake);
    struct params *p = http_alloc(req, sizeof *p);
    double max_choices;
    if (params_load(req->db, req->app->district_code, today, p, e) < 0 ||
        params_num(p, "enrol.max_choices", &max_choices, e) < 0)
        return -1;
    json_t *choices = json_object_get(body, "choices");
    if (json_array_size(choices) == 0)
        return err_set(e, 422, "required", "choices", "请至少填写一个志愿");
    if (json_array_size(choices) > (size_t)max_choices)
        return err_set(e, 422, "too_many_choices", "choices", "最多可填报 %d 个志愿", (int)max_choices);
    struct enrol_bands bands;
    if (enrol_load_bands(req, first_day, &bands, e) < 0)
        return -1;
    int age = enrol_age_months(birth, intake);
    in->n = 0;
    size_t i;
    json_t *c;
    json_array_foreach(choices, i, c)
    {
        const char *type = json_string_value(json_object_get(c, "class_type"));
        char *fi = http_printf(req, "choices[%zu].institution_id", i), *ft = http_printf(req, "choices[%zu].class_type", i);
        int t = class_type_from_code(type);
        if (t < 0)
            return err_set(e, 422, "bad_class_type", ft, "第 %zu 志愿班型无效", i + 1);
        int64_t inst = json_integer_value(json_object_get(c, "institution_id"));
        for (int k = 0; k < in->n; k++)
            if (in->inst[k] == inst && strcmp(in->type[k], type) == 0)
                return err_set(e, 422, "duplicate_choice", http_printf(req, "choices[%zu]", i),
                               "第 %zu 志愿与第 %d 志愿重复", i + 1, k + 1);
        if (!enrol_band_fits(&bands, (enum class_type)t, age))
            return err_set(e, 422, "age_band", ft, "孩子在 %s 时 %d 个月，不在%s的月龄范围（%d–%d 个月）内", intake, age,
                           class_type_name((enum class_type)t), bands.min_months[t], bands.max_months[t]);
        int found;
        int64_t n = enrol_int(req->db, e, &found,
                              "SELECT COUNT(c.id) FROM institution i JOIN institution_class c ON c.institution_id = i.id "
                              "AND c.class_type = ? WHERE i.id = ? AND i.district_code = ? AND i.status = 'filed'",
                              "tit", type, inst, req->app->district_code);
        if (n < 0)
            return -1;
        if (n == 0)
            return err_set(e, 422, "no_program", fi, "第 %zu 志愿的机构没有开设此班型，或尚未备案", i + 1);
        in->inst[in->n] = inst;
        snprintf(in->type[in->n], sizeof in->type[in->n], "%s", type);
        in->n++;
    }
    json_t *crit = json_object_get(body, "criteria");
    in->criteria = json_is_object(crit) ? crit : NULL; /* null or absent: none declared */
    return 0;
}

/* The declared criteria as stored: their JSON text with sorted keys (malloc'd). */
static char *criteria_text(const struct app_input *in)
{
    return in->criteria ? json_dumps(in->criteria, JSON_SORT_KEYS | JSON_COMPACT) : strdup("{}");
}

static int store_choices(struct http_req *req, int64_t app_id, const struct app_input *in, struct err *e)
{
    if (enrol_exec(req->db, e, "DELETE FROM application_choice WHERE application_id = ?", "i", app_id) < 0)
        return -1;
    for (int k = 0; k < in->n; k++)
        if (enrol_exec(req->db, e,
                       "INSERT INTO application_choice (application_id, choice_rank, institution_id, class_type, points) "
                       "VALUES (?,?,?,?,0)",
                       "iiit", app_id, (int64_t)(k + 1), in->inst[k], in->type[k]) < 0)
            return -1;
    return 0;
}

static json_t *app_json(struct http_req *req, int64_t id, struct err *e);

static int create_application(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    struct app_input in = {0};
    char birth[11] = "", now_ts[32], today[11];
    int64_t owner = 0, id = 0;
    in.child_id = json_integer_value(json_object_get(body, "child_id"));
    struct db_stmt *st = enrol_stmt(req->db, &e, "SELECT family_user_id, birth_date FROM child WHERE id = ? AND district_code = ?",
                                    "it", in.child_id, req->app->district_code);
    if (!st)
        return http_reply_err(rep, &e);
    int rc = db_step(st, &e);
    if (rc == DB_ROW) {
        owner = db_col_is_null(st, 0) ? 0 : db_col_int64(st, 0);
        snprintf(birth, sizeof birth, "%s", db_col_text(st, 1));
    }
    db_finalize(st);
    if (rc < 0)
        return http_reply_err(rep, &e);
    struct authz_target target = {.owner_user_id = owner};
    if (rc != DB_ROW)
        return http_reply_error(rep, 404, "not_found", "child_id", "未找到该孩子");
    if (authz_require(req, "application.create", &target, &e) < 0 || validate(req, body, birth, &in, &e) < 0)
        return http_reply_err(rep, &e);
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    date_format_day(req->now, today, sizeof today);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (enrol_exec(req->db, &e, "UPDATE child SET updated_at = updated_at WHERE id = ?", "i", in.child_id) < 0)
        goto fail;
    int found;
    int64_t open = enrol_int(req->db, &e, &found,
                             "SELECT COUNT(*) FROM application WHERE child_id = ? AND intake = ? AND status NOT IN "
                             "('withdrawn', 'declined', 'lapsed')",
                             "it", in.child_id, in.intake);
    if (open < 0)
        goto fail;
    if (open > 0) {
        err_set(&e, 409, "duplicate_application", "child_id", "该孩子在 %s 已有入托申请，请修改或撤回原申请", in.intake);
        goto fail;
    }
    char *crit = criteria_text(&in);
    st = enrol_stmt(req->db, &e,
                    "INSERT INTO application (district_code, child_id, family_user_id, intake, status, criteria, created_at, "
                    "updated_at) VALUES (?,?,?,?,'draft',?,?,?) RETURNING id",
                    "tiittts", req->app->district_code, in.child_id, req->user->id, in.intake, crit, now_ts, now_ts);
    free(crit);
    if (!st)
        goto fail;
    rc = db_step(st, &e);
    id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW)
        goto fail;
    if (store_choices(req, id, &in, &e) < 0 ||
        points_today(req, id, today, &e) < 0 ||
        enrol_app_transition(req, id, NULL, "draft", now_ts,
                             json_pack("{s:I, s:s, s:i}", "child_id", (json_int_t)in.child_id, "intake", in.intake,
                                       "choices", in.n),
                             &e) < 0 ||
        db_commit(req->db, &e) < 0)
        goto fail;
    json_t *out = app_json(req, id, &e);
    return out ? http_reply_json(rep, 201, out) : http_reply_err(rep, &e);
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

/* Load an application's owner, child, status; authorize action on it. 0, or -1 with e (404 when
 * absent or out of scope). */
static int load_for(struct http_req *req, const char *action, int64_t *id, int64_t *child, char status[24], struct err *e)
{
    *id = http_param_id(req, "id");
    struct db_stmt *st = enrol_stmt(req->db, e,
                                    "SELECT family_user_id, child_id, status FROM application WHERE id = ? AND district_code = ?",
                                    "it", *id, req->app->district_code);
    if (!st)
        return -1;
    int rc = db_step(st, e);
    int64_t owner = 0;
    if (rc == DB_ROW) {
        owner = db_col_int64(st, 0);
        *child = db_col_int64(st, 1);
        snprintf(status, 24, "%s", db_col_text(st, 2));
    }
    db_finalize(st);
    if (rc < 0)
        return -1;
    if (rc != DB_ROW)
        return err_set(e, 404, "not_found", "id", "未找到该申请");
    struct authz_target t = {.owner_user_id = owner};
    if (req->user && req->user->role == ROLE_INSTITUTION_OPERATOR) {
        int found;
        if (enrol_int(req->db, e, &found,
                      "SELECT 1 FROM application_choice WHERE application_id = ? AND institution_id = ?", "ii", *id,
                      req->user->institution_id) < 0)
            return -1;
        t.institution_id = found ? req->user->institution_id : 0;
    }
    return authz_require(req, action, &t, e);
}

static int update_application(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id, child;
    char status[24];
    if (load_for(req, "application.update", &id, &child, status, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    struct app_input in = {0};
    char now_ts[32], today[11];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    date_format_day(req->now, today, sizeof today);
    if (strcmp(status, "draft") != 0)
        return http_reply_error(rep, 409, "not_draft", "status", "只有草稿状态的申请可以修改（当前：%s）", status);
    /* merge: what the body leaves out stays as it is */
    json_t *cur = app_json(req, id, &e);
    if (!cur)
        return http_reply_err(rep, &e);
    if (!json_object_get(body, "intake"))
        json_object_set(body, "intake", json_object_get(cur, "intake"));
    if (!json_object_get(body, "criteria"))
        json_object_set(body, "criteria", json_object_get(cur, "criteria"));
    if (!json_object_get(body, "choices")) {
        json_t *chs = json_array(), *c;
        size_t i;
        json_array_foreach(json_object_get(cur, "choices"), i, c)
            json_array_append_new(chs, json_pack("{s:O, s:O}", "institution_id", json_object_get(c, "institution_id"),
                                                 "class_type", json_object_get(c, "class_type")));
        json_object_set_new(body, "choices", chs);
    }
    const char *birth = http_strdup(req, json_string_value(json_object_get(cur, "child_birth_date")));
    json_decref(cur);
    if (validate(req, body, birth ? birth : "", &in, &e) < 0 || db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    char *crit = criteria_text(&in);
    int64_t n = enrol_exec(req->db, &e,
                           "UPDATE application SET intake = ?, criteria = ?, updated_at = ? WHERE id = ? AND status = 'draft'",
                           "ttti", in.intake, crit, now_ts, id);
    free(crit);
    if (n < 0)
        goto fail;
    if (n == 0) {
        err_set(&e, 409, "not_draft", "status", "只有草稿状态的申请可以修改");
        goto fail;
    }
    json_t *f = json_pack("{s:s, s:i}", "intake", in.intake, "choices", in.n);
    int rc = audit_request(req, "application.update", "application", http_printf(req, "%" PRId64, id), f, &e);
    json_decref(f);
    if (rc < 0 || store_choices(req, id, &in, &e) < 0 ||
        points_today(req, id, today, &e) < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    json_t *o = app_json(req, id, &e);
    return o ? http_reply_json(rep, 200, o) : http_reply_err(rep, &e);
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static int change_state(struct http_req *req, struct http_reply *rep, const char *action, const char *to)
{
    struct err e = {0};
    int64_t id, child;
    char status[24];
    if (load_for(req, action, &id, &child, status, &e) < 0)
        return http_reply_err(rep, &e);
    int submit = strcmp(to, "submitted") == 0;
    const char *allowed = submit ? ",draft," : ",draft,submitted,in_round,offered,waitlisted,";
    if (!strstr(allowed, http_printf(req, ",%s,", status)))
        return http_reply_error(rep, 409, "bad_state", "status", "当前状态（%s）不能%s", status, submit ? "提交" : "撤回");
    char now_ts[32], today[11];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    date_format_day(req->now, today, sizeof today);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int found;
    /* re-read under the row lock so two requests cannot both move it */
    if (enrol_exec(req->db, &e, "UPDATE application SET updated_at = updated_at WHERE id = ?", "i", id) < 0)
        goto fail;
    struct db_stmt *st = enrol_stmt(req->db, &e, "SELECT status FROM application WHERE id = ?", "i", id);
    if (!st)
        goto fail;
    int rc = db_step(st, &e);
    if (rc == DB_ROW)
        snprintf(status, sizeof status, "%s", db_col_text(st, 0));
    db_finalize(st);
    if (rc != DB_ROW)
        goto fail;
    if (!strstr(allowed, http_printf(req, ",%s,", status))) {
        err_set(&e, 409, "bad_state", "status", "当前状态（%s）不能%s", status, submit ? "提交" : "撤回");
        goto fail;
    }
    if (submit && points_today(req, id, today, &e) < 0)
        goto fail;
    if (!submit) {
        int64_t off = enrol_int(req->db, &e, &found, "SELECT id FROM offer WHERE application_id = ? AND status = 'offered'",
                                "i", id);
        if (off < 0 || (found && enrol_exec(req->db, &e, "UPDATE offer SET status = 'withdrawn', decided_at = ? WHERE id = ?",
                                            "ti", now_ts, off) < 0))
            goto fail;
    }
    if (enrol_app_transition(req, id, status, to, now_ts, NULL, &e) < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    json_t *o = app_json(req, id, &e);
    return o ? http_reply_json(rep, 200, o) : http_reply_err(rep, &e);
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static int submit_application(struct http_req *req, struct http_reply *rep)
{
    return change_state(req, rep, "application.submit", "submitted");
}

static int withdraw_application(struct http_req *req, struct http_reply *rep)
{
    return change_state(req, rep, "application.withdraw", "withdrawn");
}

/* The cut-off of (inst, type) in the round's cutoffs JSON, borrowed; NULL when none. */
static json_t *find_cutoff(json_t *cutoffs, int64_t inst, const char *type)
{
    size_t i;
    json_t *c;
    json_array_foreach(cutoffs, i, c) if (json_integer_value(json_object_get(c, "institution_id")) == inst &&
                                          strcmp(json_string_value(json_object_get(c, "class_type")), type) == 0) return c;
    return NULL;
}

/* The full application with its choices, offers and — once a round ran — the explanation. */
static json_t *app_json(struct http_req *req, int64_t id, struct err *e)
{
    struct db_stmt *st = enrol_stmt(req->db, e,
                                    "SELECT a.id, a.child_id, ch.name_masked, ch.birth_date, a.family_user_id, a.intake, "
                                    "a.status, a.criteria, a.round_id, a.lottery, a.created_at, a.updated_at, r.cutoffs "
                                    "FROM application a JOIN child ch ON ch.id = a.child_id "
                                    "LEFT JOIN alloc_round r ON r.id = a.round_id WHERE a.id = ?",
                                    "i", id);
    if (!st)
        return NULL;
    int rc = db_step(st, e);
    if (rc != DB_ROW) {
        db_finalize(st);
        if (rc >= 0)
            err_set(e, 404, "not_found", "id", "未找到该申请");
        return NULL;
    }
    json_t *crit = json_loads(db_col_text(st, 7), 0, NULL);
    json_t *cutoffs = db_col_is_null(st, 12) ? NULL : json_loads(db_col_text(st, 12), 0, NULL);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s}", "id",
                          (json_int_t)db_col_int64(st, 0), "child_id", (json_int_t)db_col_int64(st, 1), "child_name",
                          db_col_text(st, 2), "child_birth_date", db_col_text(st, 3), "family_user_id",
                          (json_int_t)db_col_int64(st, 4), "intake", db_col_text(st, 5), "status", db_col_text(st, 6),
                          "criteria", crit ? crit : json_object(), "round_id",
                          db_col_is_null(st, 8) ? json_null() : json_integer(db_col_int64(st, 8)), "lottery",
                          db_col_is_null(st, 9) ? json_null() : json_integer(db_col_int64(st, 9)), "created_at",
                          db_col_text(st, 10), "updated_at", db_col_text(st, 11));
    int64_t lottery = db_col_is_null(st, 9) ? 0 : db_col_int64(st, 9);
    db_finalize(st);
    st = enrol_stmt(req->db, e,
                    "SELECT ac.choice_rank, ac.institution_id, i.name, ac.class_type, ac.points FROM application_choice ac "
                    "JOIN institution i ON i.id = ac.institution_id WHERE ac.application_id = ? ORDER BY ac.choice_rank",
                    "i", id);
    if (!st) {
        json_decref(o);
        json_decref(cutoffs);
        return NULL;
    }
    json_t *chs = json_array();
    while ((rc = db_step(st, e)) == DB_ROW) {
        const char *type = db_col_text(st, 3);
        int t = class_type_from_code(type);
        double pts = db_col_double(st, 4);
        json_t *c = json_pack("{s:i, s:I, s:s, s:s, s:s, s:f}", "rank", (int)db_col_int64(st, 0), "institution_id",
                              (json_int_t)db_col_int64(st, 1), "institution_name", db_col_text(st, 2), "class_type", type,
                              "class_type_name", t >= 0 ? class_type_name((enum class_type)t) : "", "points", pts);
        json_t *cut = cutoffs ? find_cutoff(cutoffs, db_col_int64(st, 1), type) : NULL;
        if (cut) {
            json_object_set(c, "cutoff", cut);
            /* would this child have got in here? (not full, or ahead of the last admitted) */
            int full = json_is_true(json_object_get(cut, "full"));
            double lp = json_number_value(json_object_get(cut, "last_points"));
            int64_t ll = json_integer_value(json_object_get(cut, "last_lottery"));
            int ahead = json_is_null(json_object_get(cut, "last_application_id")) ? 0
                        : pts > lp || (pts == lp && lottery > 0 && lottery <= ll);
            json_object_set_new(c, "within_cutoff", json_boolean(!full || ahead));
        }
        json_array_append_new(chs, c);
    }
    db_finalize(st);
    json_decref(cutoffs);
    json_object_set_new(o, "choices", chs);
    if (rc < 0) {
        json_decref(o);
        return NULL;
    }
    st = enrol_stmt(req->db, e,
                    "SELECT o.id, o.round_id, o.institution_id, i.name, o.class_type, o.status, o.deadline, o.created_at "
                    "FROM offer o JOIN institution i ON i.id = o.institution_id WHERE o.application_id = ? ORDER BY o.id",
                    "i", id);
    if (!st) {
        json_decref(o);
        return NULL;
    }
    json_t *offers = json_array();
    while ((rc = db_step(st, e)) == DB_ROW)
        json_array_append_new(offers, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id",
                                                (json_int_t)db_col_int64(st, 0), "round_id", (json_int_t)db_col_int64(st, 1),
                                                "institution_id", (json_int_t)db_col_int64(st, 2), "institution_name",
                                                db_col_text(st, 3), "class_type", db_col_text(st, 4), "status",
                                                db_col_text(st, 5), "deadline", db_col_text(st, 6), "created_at",
                                                db_col_text(st, 7)));
    db_finalize(st);
    json_object_set_new(o, "offers", offers);
    if (rc < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int get_application(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id, child;
    char status[24];
    if (load_for(req, "application.read", &id, &child, status, &e) < 0)
        return http_reply_err(rep, &e);
    if (audit_staff_read(req, "application.read", "application", http_printf(req, "%" PRId64, id), NULL, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o = app_json(req, id, &e);
    /* the declared criteria (disability, hardship…) are for the family and the district only;
     * an institution sees the resulting points */
    if (o && req->user->role == ROLE_INSTITUTION_OPERATOR)
        json_object_del(o, "criteria");
    return o ? http_reply_json(rep, 200, o) : http_reply_err(rep, &e);
}

static int list_applications(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    if (authz_scope(req, "application.list", "i.town_code", "a.id", "a.family_user_id", &scope, &e) < 0)
        return http_reply_err(rep, &e);
    if (req->user->role == ROLE_INSTITUTION_OPERATOR) /* applications naming one of its programs */
        snprintf(scope.sql, sizeof scope.sql,
                 "EXISTS (SELECT 1 FROM application_choice x WHERE x.application_id = a.id AND x.institution_id = ?)");
    const char *intake = http_query(req, "intake"), *status = http_query(req, "status"),
               *inst_q = http_query(req, "institution_id");
    intake = intake && intake[0] ? intake : NULL;
    status = status && status[0] ? status : NULL;
    int64_t inst = 0;
    if (inst_q && inst_q[0] && http_parse_id(inst_q, &inst) < 0)
        return http_reply_error(rep, 400, "bad_id", "institution_id", "机构编号无效");
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    /* the latest offer of each application, with the program it is for */
    char *sql = http_printf(req,
                            "SELECT a.id, a.child_id, ch.name_masked, a.intake, a.status, a.round_id, a.lottery, a.updated_at, "
                            "o.id, o.institution_id, o.class_type, o.status, o.deadline "
                            "FROM application a JOIN child ch ON ch.id = a.child_id "
                            "LEFT JOIN offer o ON o.id = (SELECT MAX(o2.id) FROM offer o2 WHERE o2.application_id = a.id) "
                            "WHERE a.district_code = ? "
                            "AND (CAST(? AS TEXT) IS NULL OR a.intake = ?) AND (CAST(? AS TEXT) IS NULL OR a.status = ?) "
                            "AND (? = 0 OR EXISTS (SELECT 1 FROM application_choice y WHERE y.application_id = a.id "
                            "AND y.institution_id = ?)) AND %s AND (? = 0 OR a.id < ?) ORDER BY a.id DESC LIMIT ?",
                            scope.sql);
    struct db_stmt *st;
    if (db_prepare(req->db, sql, &st, &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_text(st, 1, req->app->district_code);
    db_bind_text(st, 2, intake);
    db_bind_text(st, 3, intake);
    db_bind_text(st, 4, status);
    db_bind_text(st, 5, status);
    db_bind_int64(st, 6, inst);
    db_bind_int64(st, 7, inst);
    int n = authz_scope_bind(&scope, st, 8);
    db_bind_int64(st, n++, page.after_id);
    db_bind_int64(st, n++, page.after_id);
    db_bind_int64(st, n, page.limit + 1);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW && http_page_take(req, &page, db_col_int64(st, 0), NULL)) {
        json_t *offer = db_col_is_null(st, 8)
                            ? json_null()
                            : json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 8), "institution_id",
                                        (json_int_t)db_col_int64(st, 9), "class_type", db_col_text(st, 10), "status",
                                        db_col_text(st, 11), "deadline", db_col_text(st, 12));
        json_array_append_new(
            items, json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:o}", "id", (json_int_t)db_col_int64(st, 0),
                             "child_id", (json_int_t)db_col_int64(st, 1), "child_name", db_col_text(st, 2), "intake",
                             db_col_text(st, 3), "status", db_col_text(st, 4), "round_id",
                             db_col_is_null(st, 5) ? json_null() : json_integer(db_col_int64(st, 5)), "lottery",
                             db_col_is_null(st, 6) ? json_null() : json_integer(db_col_int64(st, 6)), "updated_at",
                             db_col_text(st, 7), "offer", offer));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    if (audit_staff_list(req, "application.list", "application", "applications", json_array_size(items), &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static const struct http_schema CHOICE = {NULL, HTTP_OBJECT, 0, "志愿",
                                          .members = (const struct http_schema[]){
                                              {"institution_id", HTTP_ID, HTTP_REQUIRED, "托育机构"},
                                              {"class_type", HTTP_STRING, HTTP_REQUIRED, "班型", 24},
                                              {NULL}}};
static const struct http_schema CRITERIA_MEMBERS[] = {
    {"multi_child", HTTP_BOOLEAN, 0, "多孩家庭"},
    {"both_parents_working", HTTP_BOOLEAN, 0, "双职工"},
    {"ouhai_residence", HTTP_BOOLEAN, 0, "瓯海户籍或居住"},
    {"disability", HTTP_BOOLEAN, 0, "残疾"},
    {"hardship", HTTP_BOOLEAN, 0, "困难家庭"},
    {NULL},
};

/* A new application names its child; an update may not change it. */
static const struct http_schema CREATE_BODY = {
    NULL, HTTP_OBJECT, 0, "入托申请",
    .members = (const struct http_schema[]){
        {"child_id", HTTP_ID, HTTP_REQUIRED, "申请入托的孩子"},
        {"intake", HTTP_MONTH, HTTP_REQUIRED, "入托月份"},
        {"choices", HTTP_ARRAY, HTTP_REQUIRED, "志愿（按顺序；个数上限见参数 enrol.max_choices）", MAX_CHOICES, .items = &CHOICE},
        {"criteria", HTTP_OBJECT, HTTP_NULLABLE, "申报条件", .members = CRITERIA_MEMBERS},
        {NULL}}};
static const struct http_schema UPDATE_BODY = {
    NULL, HTTP_OBJECT, 0, "入托申请的修改（未给出的保持不变）",
    .members = (const struct http_schema[]){
        {"intake", HTTP_MONTH, 0, "入托月份"},
        {"choices", HTTP_ARRAY, 0, "志愿（按顺序）", MAX_CHOICES, .items = &CHOICE},
        {"criteria", HTTP_OBJECT, HTTP_NULLABLE, "申报条件", .members = CRITERIA_MEMBERS},
        {NULL}}};
/* submit, withdraw: no members, an empty body or {} */
static const struct http_schema NO_MEMBERS = {NULL, HTTP_OBJECT, 0, "无字段（可不带请求体）"};

static const struct http_schema OFFER_MEMBERS[] = {
    {"id", HTTP_ID, HTTP_REQUIRED, "录取通知编号"},
    {"round_id", HTTP_ID, 0, "轮次"},
    {"institution_id", HTTP_ID, 0, "托育机构"},
    {"institution_name", HTTP_STRING, 0, "机构名称"},
    {"class_type", HTTP_STRING, 0, "班型"},
    {"status", HTTP_STRING, HTTP_REQUIRED, "状态（offered/accepted/declined/lapsed/withdrawn/superseded）"},
    {"deadline", HTTP_DATE, 0, "确认截止日"},
    {"created_at", HTTP_DATETIME, 0, "发出时间"},
    {NULL},
};
static const struct http_schema OFFER = {NULL, HTTP_OBJECT, 0, "录取通知", .members = OFFER_MEMBERS};
static const struct http_schema CHOICE_REPLY = {NULL, HTTP_OBJECT, 0, "志愿及其积分、分数线"};
static const struct http_schema APPLICATION = {
    NULL, HTTP_OBJECT, 0, "入托申请",
    .members = (const struct http_schema[]){
        {"id", HTTP_ID, HTTP_REQUIRED, "申请编号"},
        {"child_id", HTTP_ID, HTTP_REQUIRED, "孩子"},
        {"child_name", HTTP_STRING, 0, "孩子姓名（打码）"},
        {"child_birth_date", HTTP_DATE, 0, "出生日期"},
        {"family_user_id", HTTP_ID, 0, "家长账号"},
        {"intake", HTTP_MONTH, HTTP_REQUIRED, "入托月份"},
        {"status", HTTP_STRING, HTTP_REQUIRED, "状态"},
        {"criteria", HTTP_OBJECT, 0, "申报条件（机构看不到）", .members = CRITERIA_MEMBERS},
        {"round_id", HTTP_ID, HTTP_NULLABLE, "轮次"},
        {"lottery", HTTP_INTEGER, HTTP_NULLABLE, "摇号序号"},
        {"created_at", HTTP_DATETIME, 0, "创建时间"},
        {"updated_at", HTTP_DATETIME, 0, "更新时间"},
        {"choices", HTTP_ARRAY, HTTP_REQUIRED, "志愿", .items = &CHOICE_REPLY},
        {"offers", HTTP_ARRAY, HTTP_REQUIRED, "录取通知", .items = &OFFER},
        {NULL}}};
static const struct http_schema APPLICATION_ITEM = {
    NULL, HTTP_OBJECT, 0, "入托申请（列表）",
    .members = (const struct http_schema[]){
        {"id", HTTP_ID, HTTP_REQUIRED, "申请编号"},
        {"child_id", HTTP_ID, HTTP_REQUIRED, "孩子"},
        {"child_name", HTTP_STRING, 0, "孩子姓名（打码）"},
        {"intake", HTTP_MONTH, HTTP_REQUIRED, "入托月份"},
        {"status", HTTP_STRING, HTTP_REQUIRED, "状态"},
        {"round_id", HTTP_ID, HTTP_NULLABLE, "轮次"},
        {"lottery", HTTP_INTEGER, HTTP_NULLABLE, "摇号序号"},
        {"updated_at", HTTP_DATETIME, 0, "更新时间"},
        {"offer", HTTP_OBJECT, HTTP_NULLABLE, "最新的录取通知", .members = OFFER_MEMBERS},
        {NULL}}};
static const struct http_schema APPLICATION_PAGE = HTTP_PAGE_OF(APPLICATION_ITEM);

const struct route applications_routes[] = {
    {"POST", "/api/v1/applications", "application.create", create_application, &CREATE_BODY, &APPLICATION, 201},
    {"GET", "/api/v1/applications", "application.list", list_applications, NULL, &APPLICATION_PAGE},
    {"GET", "/api/v1/applications/{id}", "application.read", get_application, NULL, &APPLICATION},
    {"PUT", "/api/v1/applications/{id}", "application.update", update_application, &UPDATE_BODY, &APPLICATION},
    {"POST", "/api/v1/applications/{id}/submit", "application.submit", submit_application, &NO_MEMBERS, &APPLICATION},
    {"POST", "/api/v1/applications/{id}/withdraw", "application.withdraw", withdraw_application, &NO_MEMBERS, &APPLICATION},
    {NULL, NULL, NULL, NULL},
};
