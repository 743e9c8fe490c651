/* api.c — routes for children's records and growth: registering a child (an institution or a
 * family), the scoped roster, a child's record, measurements, and the growth evaluation with WHO
 * z-scores, percentiles, classes, WS/T 423 grades and reference curves for charts. Every staff
 * read of a child is written to the audit log; names are shown in full only to the child's own
 * institution and family, ID numbers never. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "children/children.h"
#include "db/db.h"
#include "growth/cutoffs.h"
#include "growth/growth.h"
#include "params/params.h"

#define CHILD_COLUMNS                                                                                             \
    "c.id, c.institution_id, c.family_user_id, c.name_sealed, c.name_masked, c.sex, c.birth_date, c.id_kind, "     \
    "c.id_masked, c.hukou_town, i.town_code"

static void today_of(struct http_req *req, char today[11]) { date_format_day(req->now, today, 11); }

static void read_child(struct http_req *req, struct db_stmt *st, struct child *c)
{
    memset(c, 0, sizeof *c);
    c->id = db_col_int64(st, 0);
    c->institution_id = db_col_is_null(st, 1) ? 0 : db_col_int64(st, 1);
    c->family_user_id = db_col_is_null(st, 2) ? 0 : db_col_int64(st, 2);
    struct err e;
    if (crypt_open(&req->app->key, db_col_text(st, 3), c->name, sizeof c->name, &e) < 0)
        c->name[0] = 0;
    snprintf(c->name_masked, sizeof c->name_masked, "%s", db_col_text(st, 4));
    c->sex = (int)db_col_int64(st, 5);
    snprintf(c->birth_date, sizeof c->birth_date, "%s", db_col_text(st, 6));
    snprintf(c->id_kind, sizeof c->id_kind, "%s", db_col_text(st, 7));
    snprintf(c->id_masked, sizeof c->id_masked, "%s", db_col_text(st, 8));
    snprintf(c->hukou_town, sizeof c->hukou_town, "%s", db_col_text(st, 9) ? db_col_text(st, 9) : "");
    snprintf(c->town_code, sizeof c->town_code, "%s", db_col_text(st, 10) ? db_col_text(st, 10) : "");
}

/* The full name only for the child's own institution and family. */
static int sees_full_name(const struct http_req *req, const struct child *c)
{
    const struct user *u = req->user;
    return (u->role == ROLE_INSTITUTION_OPERATOR && u->institution_id == c->institution_id && c->institution_id) ||
           (u->role == ROLE_FAMILY && u->id == c->family_user_id);
}

static json_t *child_json(const struct http_req *req, const struct child *c)
{
    return json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:s?}", "id", (json_int_t)c->id, "name",
                     sees_full_name(req, c) ? c->name : c->name_masked, "sex", c->sex, "birth_date", c->birth_date,
                     "id_kind", c->id_kind, "id_masked", c->id_masked, "institution_id",
                     c->institution_id ? json_integer(c->institution_id) : json_null(), "family_user_id",
                     c->family_user_id ? json_integer(c->family_user_id) : json_null(), "hukou_town",
                     c->hukou_town[0] ? c->hukou_town : NULL);
}

/* Load the child of the path and check action on it; staff reads are audited by the caller. */
static struct child *load_child(struct http_req *req, const char *action, struct err *e)
{
    int64_t id = http_param_id(req, "id");
    struct db_stmt *st;
    if (db_prepare(req->db,
                   "SELECT " CHILD_COLUMNS " FROM child c LEFT JOIN institution i ON i.id = c.institution_id "
                   "WHERE c.id = ? AND c.district_code = ?",
                   &st, e) < 0)
        return NULL;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, req->app->district_code);
    int rc = db_step(st, e);
    struct child *c = NULL;
    if (rc == DB_ROW) {
        c = http_alloc(req, sizeof *c);
        read_child(req, st, c);
    }
    db_finalize(st);
    if (rc < 0)
        return NULL;
    if (!c) {
        err_set(e, 404, "not_found", "id", "未找到该婴幼儿");
        return NULL;
    }
    struct authz_target t = {.town_code = c->town_code, .institution_id = c->institution_id,
                             .owner_user_id = c->family_user_id};
    if (authz_require(req, action, &t, e) < 0)
        return NULL;
    return c;
}

/* Audit a staff member's read of a child's personal data (audit_staff_read). */
static int audit_read(struct http_req *req, const char *action, int64_t child_id, struct err *e)
{
    return audit_staff_read(req, action, "child", http_printf(req, "%" PRId64, child_id), NULL, e);
}

static int create_child(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const struct user *u = req->user;
    struct authz_target t = {.institution_id = u->institution_id, .owner_user_id = u->id};
    if (authz_require(req, "child.create", &t, &e) < 0)
        return http_reply_err(rep, &e);
    char today[11], now_ts[32];
    today_of(req, today);
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct child c;
    int rc = child_from_json(http_body(req), today, &c, &e);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (u->role == ROLE_INSTITUTION_OPERATOR)
        c.institution_id = u->institution_id;
    else
        c.family_user_id = u->id;

    char name_sealed[256], id_sealed[128], lookup[CRYPT_LOOKUP_HEX_LEN], material[48];
    snprintf(material, sizeof material, "%s:%s", c.id_kind, c.id_number);
    if (crypt_seal(&req->app->key, c.name, name_sealed, sizeof name_sealed, &e) < 0 ||
        crypt_seal(&req->app->key, c.id_number, id_sealed, sizeof id_sealed, &e) < 0 ||
        crypt_lookup_hash(&req->app->key, material, lookup) < 0)
        return http_reply_err(rep, &e);
    mask_name(c.name, c.name_masked, sizeof c.name_masked);
    mask_id_number(c.id_number, c.id_masked, sizeof c.id_masked);
    memset(c.id_number, 0, sizeof c.id_number);

    struct db_stmt *st;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_prepare(req->db,
                   "INSERT INTO child (district_code, institution_id, family_user_id, name_sealed, name_masked, sex, "
                   "birth_date, id_kind, id_sealed, id_lookup, id_masked, hukou_town, created_at, updated_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                   &st, &e) < 0)
        goto fail;
    db_bind_text(st, 1, req->app->district_code);
    if (c.institution_id)
        db_bind_int64(st, 2, c.institution_id);
    if (c.family_user_id)
        db_bind_int64(st, 3, c.family_user_id);
    db_bind_text(st, 4, name_sealed);
    db_bind_text(st, 5, c.name_masked);
    db_bind_int64(st, 6, c.sex);
    db_bind_text(st, 7, c.birth_date);
    db_bind_text(st, 8, c.id_kind);
    db_bind_text(st, 9, id_sealed);
    db_bind_text(st, 10, lookup);
    db_bind_text(st, 11, c.id_masked);
    db_bind_text(st, 12, c.hukou_town[0] ? c.hukou_town : NULL);
    db_bind_text(st, 13, now_ts);
    db_bind_text(st, 14, now_ts);
    rc = db_step(st, &e);
    if (rc == DB_ROW)
        c.id = db_col_int64(st, 0);
    db_finalize(st);
    if (rc < 0) {
        if (strcmp(e.code, "db_conflict") == 0)
            err_set(&e, 409, "child_exists", "id_number", "该证件号的婴幼儿已登记");
        goto fail;
    }
    json_t *f = json_pack("{s:s, s:s, s:s, s:i}", "name", c.name_masked, "id_number", c.id_masked, "birth_date",
                          c.birth_date, "sex", c.sex);
    rc = audit_request(req, "child.create", "child", http_printf(req, "%" PRId64, c.id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    return http_reply_json(rep, 201, child_json(req, &c));
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static int list_children(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    if (authz_scope(req, "child.list", "i.town_code", "c.institution_id", "c.family_user_id", &scope, &e) < 0)
        return http_reply_err(rep, &e);
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    char *sql = http_printf(req,
                            "SELECT " CHILD_COLUMNS " FROM child c LEFT JOIN institution i ON i.id = c.institution_id "
                            "WHERE c.district_code = ? AND %s AND c.id > ? ORDER BY c.id LIMIT ?",
                            scope.sql);
    struct db_stmt *st;
    if (db_prepare(req->db, sql, &st, &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_text(st, 1, req->app->district_code);
    int next = authz_scope_bind(&scope, st, 2);
    db_bind_int64(st, next++, page.after_id);
    db_bind_int64(st, next, page.limit + 1);
    json_t *items = json_array();
    int rc;
    struct child c;
    while ((rc = db_step(st, &e)) == DB_ROW && http_page_take(req, &page, db_col_int64(st, 0), NULL)) {
        read_child(req, st, &c);
        json_array_append_new(items, child_json(req, &c));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    if (audit_staff_list(req, "child.list", "child", "children", (size_t)page.count, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int get_child(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = load_child(req, "child.read", &e);
    if (!c || audit_read(req, "child.read", c->id, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, child_json(req, c));
}

static int add_measurement(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = load_child(req, "measurement.create", &e);
    if (!c)
        return http_reply_err(rep, &e);
    char today[11], now_ts[32];
    today_of(req, today);
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct measurement m;
    int rc = measurement_from_json(http_body(req), c->birth_date, today, &m, &e);
    if (rc < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_prepare(req->db,
                   "INSERT INTO measurement (district_code, child_id, measured_on, weight_kg, lenhei_cm, measure, "
                   "headc_cm, armc_cm, triskin_mm, subskin_mm, oedema, measured_by, created_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                   &st, &e) < 0)
        goto fail;
    db_bind_text(st, 1, req->app->district_code);
    db_bind_int64(st, 2, c->id);
    db_bind_text(st, 3, m.measured_on);
    double vals[] = {m.weight_kg, m.lenhei_cm, 0, m.headc_cm, m.armc_cm, m.triskin_mm, m.subskin_mm};
    for (int i = 0; i < 7; i++) {
        if (i == 2) {
            char measure[2] = {m.measure, 0};
            db_bind_text(st, 6, m.measure ? measure : NULL);
        } else if (!isnan(vals[i])) {
            db_bind_double(st, 4 + i, vals[i]);
        } else {
            db_bind_null(st, 4 + i);
        }
    }
    db_bind_int64(st, 11, m.oedema);
    db_bind_int64(st, 12, req->user->id);
    db_bind_text(st, 13, now_ts);
    rc = db_step(st, &e);
    if (rc == DB_ROW)
        m.id = db_col_int64(st, 0);
    db_finalize(st);
    if (rc < 0)
        goto fail;
    json_t *f = measurement_to_json(&m);
    json_object_set_new(f, "child_id", json_integer(c->id));
    rc = audit_request(req, "measurement.create", "measurement", http_printf(req, "%" PRId64, m.id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    return http_reply_json(rep, 201, measurement_to_json(&m));
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static double col_or_nan(struct db_stmt *st, int i) { return db_col_is_null(st, i) ? NAN : db_col_double(st, i); }

static json_t *z_json(const struct growth_z *z, const char *class_code, int grade)
{
    if (isnan(z->z))
        return json_null();
    return json_pack("{s:f, s:f, s:b, s:s, s:i, s:s}", "z", z->z, "percentile", round(z->pct * 100) / 100, "flag",
                     z->flag == 1, "class", class_code, "grade", grade, "grade_name", growth_grade_name(grade));
}

static json_t *curve_json(enum growth_table_id t, int sex, double from, double to, double step, struct err *e)
{
    static _Thread_local struct growth_curve_point pts[600];
    size_t n = 0;
    double first, last;
    growth_table_range(t, &first, &last);
    if (from < first)
        from = first;
    if (to > last)
        to = last;
    if (to <= from || growth_curve(t, sex, from, to, step, pts, 600, &n, e) < 0)
        return json_array();
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("[f, f, f, f, f, f, f, f]", pts[i].x, pts[i].sd[0], pts[i].sd[1],
                                             pts[i].sd[2], pts[i].sd[3], pts[i].sd[4], pts[i].sd[5], pts[i].sd[6]));
    return arr;
}

static int get_growth(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = load_child(req, "growth.read", &e);
    if (!c)
        return http_reply_err(rep, &e);
    char today[11];
    today_of(req, today);
    struct params *p = http_alloc(req, sizeof *p);
    struct growth_cutoffs cut;
    if (params_load(req->db, req->app->district_code, today, p, &e) < 0 || growth_cutoffs_from_params(p, &cut, &e) < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st;
    if (db_prepare(req->db,
                   "SELECT id, measured_on, weight_kg, lenhei_cm, measure, headc_cm, armc_cm, triskin_mm, subskin_mm, "
                   "oedema FROM measurement WHERE child_id = ? ORDER BY measured_on, id",
                   &st, &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_int64(st, 1, c->id);
    json_t *items = json_array();
    int rc;
    int64_t min_age = -1, max_age = 0;
    double min_len = 1e9, max_len = 0;
    while ((rc = db_step(st, &e)) == DB_ROW) {
        struct measurement m = {.id = db_col_int64(st, 0)};
        snprintf(m.measured_on, sizeof m.measured_on, "%s", db_col_text(st, 1));
        m.weight_kg = col_or_nan(st, 2);
        m.lenhei_cm = col_or_nan(st, 3);
        m.measure = db_col_text(st, 4) ? db_col_text(st, 4)[0] : 0;
        m.headc_cm = col_or_nan(st, 5);
        m.armc_cm = col_or_nan(st, 6);
        m.triskin_mm = col_or_nan(st, 7);
        m.subskin_mm = col_or_nan(st, 8);
        m.oedema = (int)db_col_int64(st, 9);
        int64_t age_days = 0;
        struct err de = {0};
        date_days_between(c->birth_date, m.measured_on, &age_days, &de);
        struct growth_input in = {.sex = c->sex, .age = (double)age_days, .weight_kg = m.weight_kg,
                                  .lenhei_cm = m.lenhei_cm, .measure = m.measure, .headc_cm = m.headc_cm,
                                  .armc_cm = m.armc_cm, .triskin_mm = m.triskin_mm, .subskin_mm = m.subskin_mm,
                                  .oedema = m.oedema};
        struct growth_result r;
        json_t *o = measurement_to_json(&m);
        json_object_set_new(o, "age_days", json_integer(age_days));
        if (growth_zscores(&in, &r, &de) == 0) {
            json_t *z = json_object();
            for (int k = 0; k < GROWTH_N2006; k++)
                json_object_set_new(z, growth_indicator_key((enum growth_indicator)k),
                                    z_json(&r.ind[k], growth_class_code((enum growth_indicator)k,
                                                                        growth_classify((enum growth_indicator)k, r.ind[k].z, &cut)),
                                           growth_grade(r.ind[k].z, &cut)));
            json_object_set_new(o, "zscores", z);
            json_object_set_new(o, "clenhei_cm", isnan(r.clenhei) ? json_null() : json_real(r.clenhei));
            json_object_set_new(o, "bmi", isnan(r.cbmi) ? json_null() : json_real(round(r.cbmi * 100) / 100));
            if (!isnan(r.clenhei)) {
                min_len = fmin(min_len, r.clenhei);
                max_len = fmax(max_len, r.clenhei);
            }
        } else {
            json_object_set_new(o, "error", json_string(de.code));
        }
        json_array_append_new(items, o);
        if (min_age < 0 || age_days < min_age)
            min_age = age_days;
        if (age_days > max_age)
            max_age = age_days;
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    if (audit_read(req, "growth.read", c->id, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    /* reference curves over the child's age range (at least the first year), a point a week */
    int64_t age_now = 0;
    struct err de = {0};
    date_days_between(c->birth_date, today, &age_now, &de);
    double from = min_age < 0 ? 0 : fmax(0, (double)min_age - 60);
    double to = fmax(fmax((double)max_age + 60, (double)age_now), 365);
    double step = fmax(7, ceil((to - from) / 300));
    json_t *curves = json_object();
    json_object_set_new(curves, "wfa", curve_json(GROWTH_T_WFA, c->sex, from, to, step, &de));
    json_object_set_new(curves, "lhfa", curve_json(GROWTH_T_LHFA, c->sex, from, to, step, &de));
    json_object_set_new(curves, "bmifa", curve_json(GROWTH_T_BMIFA, c->sex, from, to, step, &de));
    json_object_set_new(curves, "hcfa", curve_json(GROWTH_T_HCFA, c->sex, from, to, step, &de));
    if (max_len > 0) {
        json_object_set_new(curves, "wfl", curve_json(GROWTH_T_WFL, c->sex, min_len - 5, max_len + 5, 0.5, &de));
        json_object_set_new(curves, "wfh", curve_json(GROWTH_T_WFH, c->sex, min_len - 5, max_len + 5, 0.5, &de));
    }
    return http_reply_json(rep, 200,
                           json_pack("{s:o, s:o, s:o, s:s}", "child", child_json(req, c), "measurements", items,
                                     "curves", curves, "curve_columns",
                                     "x (age in days or length in cm), -3SD, -2SD, -1SD, median, +1SD, +2SD, +3SD"));
}

static const struct http_schema CHILD = {
    NULL, HTTP_OBJECT, 0, "婴幼儿（姓名只对本机构、本家庭显示全名，证件号只显示打码）",
    .members = (const struct http_schema[]){
        {"id", HTTP_ID, HTTP_REQUIRED, "编号"},
        {"name", HTTP_STRING, HTTP_REQUIRED, "姓名"},
        {"sex", HTTP_INTEGER, HTTP_REQUIRED, "性别"},
        {"birth_date", HTTP_DATE, HTTP_REQUIRED, "出生日期"},
        {"id_kind", HTTP_STRING, 0, "证件类型（resident_id/birth_cert）"},
        {"id_masked", HTTP_STRING, 0, "证件号（打码）"},
        {"institution_id", HTTP_ID, HTTP_NULLABLE, "所在机构"},
        {"family_user_id", HTTP_ID, HTTP_NULLABLE, "家长账号"},
        {"hukou_town", HTTP_STRING, HTTP_NULLABLE, "户籍镇街"},
        {NULL}}};
static const struct http_schema CHILD_PAGE = HTTP_PAGE_OF(CHILD);
static const struct http_schema MEASUREMENT = {NULL, HTTP_OBJECT, 0, "生长测量（含编号）"};
static const struct http_schema GROWTH = {
    NULL, HTTP_OBJECT, 0, "生长评价",
    .members = (const struct http_schema[]){
        {"child", HTTP_OBJECT, HTTP_REQUIRED, "婴幼儿"},
        {"measurements", HTTP_ARRAY, HTTP_REQUIRED, "测量及其 z 评分、百分位、分类（不分页）", .items = &MEASUREMENT},
        {"curves", HTTP_OBJECT, HTTP_REQUIRED, "参考曲线"},
        {"curve_columns", HTTP_STRING, 0, "曲线各列的含义"},
        {NULL}}};

const struct route children_routes[] = {
    {"POST", "/api/v1/children", "child.create", create_child, &child_schema, &CHILD, 201},
    {"GET", "/api/v1/children", "child.list", list_children, NULL, &CHILD_PAGE},
    {"GET", "/api/v1/children/{id}", "child.read", get_child, NULL, &CHILD},
    {"POST", "/api/v1/children/{id}/measurements", "measurement.create", add_measurement, &measurement_schema, &MEASUREMENT, 201},
    {"GET", "/api/v1/children/{id}/growth", "growth.read", get_growth, NULL, &GROWTH},
    {NULL, NULL, NULL, NULL},
};
