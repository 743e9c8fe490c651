/* api.c — 入托网上约: the public list of free places by program, and first-come booking of a free
 * place by a family for its own child. A booking that may succeed locks first (SQLite's BEGIN
 * IMMEDIATE serialises writers; on PostgreSQL SELECT … FOR UPDATE takes the program's rows), then
 * counts again, so no program is ever overbooked however many requests race; a child holds at most
 * one active booking (unique index); refusals are answered from one read without the lock. Places
 * held by open offers of an allocation round count as taken. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/geo.h"
#include "base/parse.h"
#include "enrol/enrol.h"
#include "enrol/rounds.h"
#include "params/params.h"

int enrol_load_bands(struct http_req *req, const char *date, struct enrol_bands *b, struct err *e)
{
    struct params *p = http_alloc(req, sizeof *p);
    if (params_load(req->db, req->app->district_code, date, p, e) < 0)
        return -1;
    for (int t = 0; t < CLASS_TYPE_COUNT; t++) {
        char key[64];
        double v;
        snprintf(key, sizeof key, "class.%s.min_months", class_type_code((enum class_type)t));
        if (params_num(p, key, &v, e) < 0)
            return -1;
        b->min_months[t] = (int)v;
        snprintf(key, sizeof key, "class.%s.max_months", class_type_code((enum class_type)t));
        if (params_num(p, key, &v, e) < 0)
            return -1;
        b->max_months[t] = (int)v;
    }
    return 0;
}

static int public_vacancies(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *town = http_query(req, "town"), *type = http_query(req, "class_type");
    const char *inclusive = http_query(req, "inclusive"), *fee_q = http_query(req, "max_fee_fen");
    int64_t max_fee = -1;
    if (type && type[0] && class_type_from_code(type) < 0)
        return http_reply_error(rep, 400, "bad_class_type", "class_type", "班型无效：%s", type);
    if (fee_q && fee_q[0] && (parse_int64(fee_q, &max_fee) < 0 || max_fee < 0))
        return http_reply_error(rep, 400, "bad_fee", "max_fee_fen", "价格上限应为非负整数（分）");
    int near;
    double near_lon, near_lat, radius;
    struct http_page page;
    if (geo_parse_near(http_query(req, "near"), http_query(req, "radius_km"), &near, &near_lon, &near_lat, &radius,
                       &e) < 0 ||
        http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st;
    if (db_prepare(req->db,
                   "SELECT i.id, i.name, i.town_code, t.name, c.class_type, SUM(c.capacity), SUM(c.enrolled), "
                   "i.inclusive, i.lon, i.lat, "
                   "(SELECT COUNT(*) FROM held_place h WHERE h.institution_id = i.id AND h.class_type = c.class_type), "
                   "(SELECT MIN(f.amount_fen) FROM fee_item f WHERE f.institution_id = i.id AND f.category = 'basic') "
                   "FROM institution i JOIN institution_class c ON c.institution_id = i.id "
                   "JOIN town t ON t.code = i.town_code "
                   "WHERE i.district_code = ? AND i.status = 'filed' AND (CAST(? AS TEXT) IS NULL OR i.town_code = ?) "
                   "AND (CAST(? AS TEXT) IS NULL OR c.class_type = ?) "
                   "AND (? = 0 OR i.id > ? OR (i.id = ? AND c.class_type > ?)) "
                   "GROUP BY i.id, i.name, i.town_code, t.name, c.class_type, i.inclusive, i.lon, i.lat "
                   "ORDER BY i.id, c.class_type",
                   &st, &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_text(st, 1, req->app->district_code);
    const char *t1 = town && town[0] ? town : NULL, *t2 = type && type[0] ? type : NULL;
    db_bind_text(st, 2, t1);
    db_bind_text(st, 3, t1);
    db_bind_text(st, 4, t2);
    db_bind_text(st, 5, t2);
    for (int k = 6; k <= 8; k++)
        db_bind_int64(st, k, page.after_id);
    db_bind_text(st, 9, page.after_key);
    json_t *items = json_array();
    int rc;
    int want_inclusive = inclusive && (inclusive[0] == '1' || inclusive[0] == 't');
    while ((rc = db_step(st, &e)) == DB_ROW) {
        int capacity = (int)db_col_int64(st, 5), enrolled = (int)db_col_int64(st, 6), booked = (int)db_col_int64(st, 10);
        int free_places = enrol_free_places(capacity, enrolled, booked);
        int64_t fee = db_col_is_null(st, 11) ? -1 : db_col_int64(st, 11);
        if (free_places == 0 || (want_inclusive && !db_col_int64(st, 7)) || (max_fee >= 0 && (fee < 0 || fee > max_fee)))
            continue;
        double km = near ? geo_haversine_m(near_lat, near_lon, db_col_double(st, 9), db_col_double(st, 8)) / 1000 : 0;
        if (near && km > radius)
            continue;
        if (!http_page_take(req, &page, db_col_int64(st, 0), db_col_text(st, 4)))
            break;
        int t = class_type_from_code(db_col_text(st, 4));
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:b, s:f, s:f, s:o}", "institution_id",
                             (json_int_t)db_col_int64(st, 0), "name", db_col_text(st, 1), "town_code",
                             db_col_text(st, 2), "town_name", db_col_text(st, 3), "class_type", db_col_text(st, 4),
                             "class_type_name", t >= 0 ? class_type_name((enum class_type)t) : "", "capacity", capacity,
                             "enrolled", enrolled, "booked", booked, "free_places", free_places, "inclusive",
                             (int)db_col_int64(st, 7), "lon", db_col_double(st, 8), "lat", db_col_double(st, 9),
                             "min_basic_fee_fen", fee >= 0 ? json_integer(fee) : json_null()));
        if (near)
            json_object_set_new(json_array_get(items, json_array_size(items) - 1), "distance_km",
                                json_real(round(km * 100) / 100));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}


/* What a booking decision needs, read by one statement (one consistent snapshot, one round trip):
 * the child's owner and birth date, the class type's age band in force at the start month
 * (PARAMS_VALUE_SQL, the rule of params_get), the
 * child's active bookings, and the program's capacity, enrolment and places held (view held_place:
 * active bookings and open offers). */
struct booking_state {
    int found;              /* the child exists in this district */
    int64_t owner;          /* its family's user id, 0 when none */
    char birth[11];
    const char *band_null;  /* the band parameter that is missing or not numeric, else NULL */
    double band_min, band_max;
    int64_t child_active;   /* the child's active bookings */
    int capacity, enrolled, classes, filed;
    int64_t held;           /* the program's held places: active bookings + open offers */
};

static int read_booking_state(struct http_req *req, int64_t child_id, int64_t inst, const char *class_code,
                              const char *first_day, struct booking_state *bs, struct err *e)
{
    static const char *const sql =
        "SELECT ch.family_user_id, ch.birth_date, " PARAMS_VALUE_SQL ", " PARAMS_VALUE_SQL ", "
        "(SELECT COUNT(*) FROM booking WHERE child_id = ch.id AND status = 'booked'), "
        "p.capacity, p.enrolled, p.classes, p.status, h.held "
        "FROM child ch, (SELECT COALESCE(SUM(c.capacity), 0) AS capacity, COALESCE(SUM(c.enrolled), 0) AS enrolled, "
        "COUNT(c.id) AS classes, MAX(i.status) AS status FROM institution i LEFT JOIN institution_class c "
        "ON c.institution_id = i.id AND c.class_type = ? WHERE i.id = ? AND i.district_code = ?) p, "
        /* in FROM, not a scalar subquery: SQLite then builds no automatic index on the view */
        "(SELECT COUNT(*) AS held FROM held_place WHERE institution_id = ? AND class_type = ?) h "
        "WHERE ch.id = ? AND ch.district_code = ?";
    const char *district = req->app->district_code;
    char kmin[64], kmax[64];
    snprintf(kmin, sizeof kmin, "class.%s.min_months", class_code);
    snprintf(kmax, sizeof kmax, "class.%s.max_months", class_code);
    struct db_stmt *st;
    if (db_prepare(req->db, sql, &st, e) < 0)
        return -1;
    int n = 1;
    const char *keys[2] = {kmin, kmax};
    for (int k = 0; k < 2; k++) {
        db_bind_text(st, n++, district);
        db_bind_text(st, n++, keys[k]);
        db_bind_text(st, n++, first_day);
        db_bind_text(st, n++, first_day);
    }
    db_bind_text(st, n++, class_code);
    db_bind_int64(st, n++, inst);
    db_bind_text(st, n++, district);
    db_bind_int64(st, n++, inst);
    db_bind_text(st, n++, class_code);
    db_bind_int64(st, n++, child_id);
    db_bind_text(st, n++, district);
    int rc = db_step(st, e);
    memset(bs, 0, sizeof *bs);
    if (rc == DB_ROW) {
        bs->found = 1;
        bs->owner = db_col_is_null(st, 0) ? 0 : db_col_int64(st, 0);
        snprintf(bs->birth, sizeof bs->birth, "%s", db_col_text(st, 1));
        if (db_col_is_null(st, 2) || parse_double(db_col_text(st, 2), &bs->band_min) < 0)
            bs->band_null = "min_months";
        else if (db_col_is_null(st, 3) || parse_double(db_col_text(st, 3), &bs->band_max) < 0)
            bs->band_null = "max_months";
        bs->child_active = db_col_int64(st, 4);
        bs->capacity = (int)db_col_int64(st, 5);
        bs->enrolled = (int)db_col_int64(st, 6);
        bs->classes = (int)db_col_int64(st, 7);
        bs->filed = db_col_text(st, 8) && strcmp(db_col_text(st, 8), "filed") == 0;
        bs->held = db_col_int64(st, 9);
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* The refusal the state calls for (409 already_booked, 404 no_program, 409 program_full), or 0. */
static int refuse_booking(const struct booking_state *ps, int t, struct err *e)
{
    if (ps->child_active > 0)
        return err_set(e, 409, "already_booked", "child_id", "该孩子已有有效的入托预约，请先取消后再预约");
    if (!ps->filed || ps->classes == 0)
        return err_set(e, 404, "no_program", "institution_id", "该机构没有开设此班型，或尚未备案");
    if (enrol_free_places(ps->capacity, ps->enrolled, (int)ps->held) == 0)
        return err_set(e, 409, "program_full", "institution_id", "很抱歉，该机构%s的名额刚刚约满，请选择其他机构或班型",
                       class_type_name((enum class_type)t));
    return 0;
}

/* First come, first served. Most requests under load are refusals, so the state is read first
 * without a transaction: a refusal read there is true of a committed state that existed while the
 * request was being handled (the statement's snapshot is taken after the request arrived), so
 * answering it at once is the same as answering at that instant. Only a request that may succeed
 * opens the write transaction, takes the lock (SQLite: BEGIN IMMEDIATE, one writer; PostgreSQL:
 * the program's class rows, FOR UPDATE) and reads the state again under it before inserting —
 * that second read is what prevents overbooking. A second active booking of the same child is
 * refused by the unique index booking_child_active (PostgreSQL: when two race). The audit row is
 * the last statement, sent with COMMIT. */
static int create_booking(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    int64_t child_id = json_integer_value(json_object_get(body, "child_id"));
    int64_t inst = json_integer_value(json_object_get(body, "institution_id"));
    const char *class_code = json_string_value(json_object_get(body, "class_type"));
    const char *start = json_string_value(json_object_get(body, "start_month"));
    int t = class_type_from_code(class_code);
    if (t < 0)
        return http_reply_error(rep, 422, "bad_class_type", "class_type", "班型无效：%s", class_code);
    char first_day[11];
    snprintf(first_day, sizeof first_day, "%s-01", start);
    char today[11];
    date_format_day(req->now, today, sizeof today);
    if (strncmp(start, today, 7) < 0)
        return http_reply_error(rep, 422, "past_month", "start_month", "入托月份不能早于本月");

    /* everything the decision needs, in one read; a refusal needs no transaction (see above) */
    struct booking_state bs;
    if (read_booking_state(req, child_id, inst, class_code, first_day, &bs, &e) < 0)
        return http_reply_err(rep, &e);
    if (!bs.found)
        return http_reply_error(rep, 404, "not_found", "child_id", "未找到该孩子");
    /* the child must be the family's own */
    struct authz_target target = {.owner_user_id = bs.owner};
    if (authz_require(req, "booking.create", &target, &e) < 0)
        return http_reply_err(rep, &e);
    if (bs.band_null) {
        char k[64];
        snprintf(k, sizeof k, "class.%s.%s", class_code, bs.band_null);
        return http_reply_error(rep, 500, "param_missing", k, "参数 %s 在 %s 没有有效的数值", k, first_day);
    }
    struct enrol_bands bands = {0};
    bands.min_months[t] = (int)bs.band_min;
    bands.max_months[t] = (int)bs.band_max;
    int age = enrol_age_months(bs.birth, start);
    if (!enrol_band_fits(&bands, (enum class_type)t, age))
        return http_reply_error(rep, 422, "age_band", "class_type", "孩子在 %s 时 %d 个月，不在%s的月龄范围（%d–%d 个月）内", start,
                                age, class_type_name((enum class_type)t), bands.min_months[t], bands.max_months[t]);
    if (refuse_booking(&bs, t, &e) < 0)
        return http_reply_err(rep, &e);

    char now_ts[32];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    /* PostgreSQL: the program's rows locked (SQLite's BEGIN IMMEDIATE already excludes writers);
     * the child needs no lock: its second active booking is refused by booking_child_active */
    if (db_kind_of(req->db) == DB_PG &&
        enrol_exec(req->db, &e, "SELECT id FROM institution_class WHERE institution_id = ? AND class_type = ? FOR UPDATE",
                   "it", inst, class_code) < 0)
        goto fail;
    if (read_booking_state(req, child_id, inst, class_code, first_day, &bs, &e) < 0)
        goto fail;
    if (!bs.found) {
        err_set(&e, 404, "not_found", "child_id", "未找到该孩子");
        goto fail;
    }
    if (refuse_booking(&bs, t, &e) < 0)
        goto fail;
    int64_t id = 0;
    struct db_stmt *st;
    if (db_prepare(req->db,
                   "INSERT INTO booking (district_code, child_id, institution_id, class_type, start_month, status, "
                   "family_user_id, created_at) VALUES (?,?,?,?,?,'booked',?,?) RETURNING id",
                   &st, &e) < 0)
        goto fail;
    db_bind_text(st, 1, req->app->district_code);
    db_bind_int64(st, 2, child_id);
    db_bind_int64(st, 3, inst);
    db_bind_text(st, 4, class_code);
    db_bind_text(st, 5, start);
    db_bind_int64(st, 6, req->user->id);
    db_bind_text(st, 7, now_ts);
    int rc = db_step(st, &e);
    if (rc == DB_ROW)
        id = db_col_int64(st, 0);
    db_finalize(st);
    if (rc < 0 && strcmp(e.code, "db_conflict") == 0 && strcmp(e.field, "child_id") == 0) /* a racing booking won */
        err_set(&e, 409, "already_booked", "child_id", "该孩子已有有效的入托预约，请先取消后再预约");
    if (rc < 0)
        goto fail;
    json_t *f = json_pack("{s:I, s:I, s:s, s:s}", "child_id", (json_int_t)child_id, "institution_id", (json_int_t)inst,
                          "class_type", class_code, "start_month", start);
    /* the audit row last, with the commit: the chain's head is locked only for that round trip */
    rc = audit_request_commit(req, "booking.create", "booking", http_printf(req, "%" PRId64, id), f, &e);
    json_decref(f);
    if (rc < 0)
        goto fail;
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "child_id",
                                               (json_int_t)child_id, "institution_id", (json_int_t)inst, "class_type",
                                               class_code, "start_month", start, "status", "booked"));
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static int list_bookings(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    if (authz_scope(req, "booking.list", "i.town_code", "b.institution_id", "b.family_user_id", &scope, &e) < 0 ||
        http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    char *sql = http_printf(req,
                            "SELECT b.id, b.child_id, b.institution_id, i.name, b.class_type, b.start_month, b.status, "
                            "b.created_at, ch.name_masked FROM booking b JOIN institution i ON i.id = b.institution_id "
                            "JOIN child ch ON ch.id = b.child_id WHERE b.district_code = ? AND %s "
                            "AND (? = 0 OR b.id < ?) ORDER BY b.id DESC LIMIT ?",
                            scope.sql);
    struct db_stmt *st;
    if (db_prepare(req->db, sql, &st, &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_text(st, 1, req->app->district_code);
    int n = authz_scope_bind(&scope, st, 2);
    db_bind_int64(st, n++, page.after_id);
    db_bind_int64(st, n++, page.after_id);
    db_bind_int64(st, n, page.limit + 1);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW && http_page_take(req, &page, db_col_int64(st, 0), NULL))
        json_array_append_new(items, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                                               (json_int_t)db_col_int64(st, 0), "child_id", (json_int_t)db_col_int64(st, 1),
                                               "institution_id", (json_int_t)db_col_int64(st, 2), "institution_name",
                                               db_col_text(st, 3), "class_type", db_col_text(st, 4), "start_month",
                                               db_col_text(st, 5), "status", db_col_text(st, 6), "created_at",
                                               db_col_text(st, 7), "child_name", db_col_text(st, 8)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    /* the list names children (masked): a staff read is audited */
    if (audit_staff_list(req, "booking.list", "booking", "bookings", json_array_size(items), &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int cancel_booking(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id");
    int found;
    int64_t owner = enrol_int(req->db, &e, &found, "SELECT family_user_id FROM booking WHERE id = ? AND status = 'booked'",
                              "i", id);
    if (owner < 0)
        return http_reply_err(rep, &e);
    if (!found)
        return http_reply_error(rep, 404, "not_found", "id", "未找到有效的预约");
    struct authz_target t = {.owner_user_id = owner};
    if (authz_require(req, "booking.cancel", &t, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[32];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct db_stmt *st;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_prepare(req->db, "UPDATE booking SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'booked'",
                   &st, &e) < 0)
        goto fail;
    db_bind_text(st, 1, now_ts);
    db_bind_int64(st, 2, id);
    int rc = db_step(st, &e);
    int64_t changed = rc < 0 ? 0 : db_changes(st);
    db_finalize(st);
    if (rc < 0)
        goto fail;
    if (!changed) {
        err_set(&e, 404, "not_found", "id", "未找到有效的预约");
        goto fail;
    }
    if (audit_request_commit(req, "booking.cancel", "booking", http_printf(req, "%" PRId64, id), NULL, &e) < 0)
        goto fail;
    return http_reply_json(rep, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "cancelled"));
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static const struct http_schema BOOKING_BODY = {
    NULL, HTTP_OBJECT, 0, "入托预约",
    .members = (const struct http_schema[]){
        {"child_id", HTTP_ID, HTTP_REQUIRED, "要预约的孩子"},
        {"institution_id", HTTP_ID, HTTP_REQUIRED, "托育机构"},
        {"class_type", HTTP_STRING, HTTP_REQUIRED, "班型（infant/toddler_young/toddler_old/mixed）", 24},
        {"start_month", HTTP_MONTH, HTTP_REQUIRED, "入托月份"},
        {NULL}}};

static const struct http_schema BOOKING_MEMBERS[] = {
    {"id", HTTP_ID, HTTP_REQUIRED, "预约编号"},
    {"child_id", HTTP_ID, HTTP_REQUIRED, "孩子"},
    {"institution_id", HTTP_ID, HTTP_REQUIRED, "托育机构"},
    {"institution_name", HTTP_STRING, 0, "机构名称（列表）"},
    {"class_type", HTTP_STRING, HTTP_REQUIRED, "班型"},
    {"start_month", HTTP_MONTH, HTTP_REQUIRED, "入托月份"},
    {"status", HTTP_STRING, HTTP_REQUIRED, "状态（booked/cancelled）"},
    {"created_at", HTTP_DATETIME, 0, "预约时间（列表）"},
    {"child_name", HTTP_STRING, 0, "孩子姓名（打码，列表）"},
    {NULL},
};
static const struct http_schema BOOKING = {NULL, HTTP_OBJECT, 0, "入托预约", .members = BOOKING_MEMBERS};
static const struct http_schema BOOKING_PAGE = HTTP_PAGE_OF(BOOKING);

static const struct http_schema CANCELLED = {NULL, HTTP_OBJECT, 0, "已取消",
                                             .members = (const struct http_schema[]){
                                                 {"id", HTTP_ID, HTTP_REQUIRED, "预约编号"},
                                                 {"status", HTTP_STRING, HTTP_REQUIRED, "cancelled"},
                                                 {NULL}}};

static const struct http_schema VACANCY_MEMBERS[] = {
    {"institution_id", HTTP_ID, HTTP_REQUIRED, "托育机构"},
    {"name", HTTP_STRING, HTTP_REQUIRED, "机构名称"},
    {"town_code", HTTP_STRING, 0, "镇街代码"},
    {"town_name", HTTP_STRING, 0, "镇街名称"},
    {"class_type", HTTP_STRING, HTTP_REQUIRED, "班型"},
    {"class_type_name", HTTP_STRING, 0, "班型名称"},
    {"capacity", HTTP_INTEGER, 0, "托位数"},
    {"enrolled", HTTP_INTEGER, 0, "在托人数"},
    {"booked", HTTP_INTEGER, 0, "已被预约或录取占用"},
    {"free_places", HTTP_INTEGER, HTTP_REQUIRED, "空余托位"},
    {"inclusive", HTTP_BOOLEAN, 0, "普惠"},
    {"lon", HTTP_NUMBER, 0, "经度"},
    {"lat", HTTP_NUMBER, 0, "纬度"},
    {"min_basic_fee_fen", HTTP_INTEGER, HTTP_NULLABLE, "最低基本保育费（分）"},
    {"distance_km", HTTP_NUMBER, 0, "距离（公里，给出 near 时）"},
    {NULL},
};
static const struct http_schema VACANCY = {NULL, HTTP_OBJECT, 0, "有空位的班型", .members = VACANCY_MEMBERS};
static const struct http_schema VACANCY_PAGE = HTTP_PAGE_OF(VACANCY);

const struct route enrol_routes[] = {
    {"GET", "/api/v1/public/vacancies", "public", public_vacancies, NULL, &VACANCY_PAGE},
    {"POST", "/api/v1/bookings", "booking.create", create_booking, &BOOKING_BODY, &BOOKING, 201},
    {"GET", "/api/v1/bookings", "booking.list", list_bookings, NULL, &BOOKING_PAGE},
    {"DELETE", "/api/v1/bookings/{id}", "booking.cancel", cancel_booking, NULL, &CANCELLED},
    {NULL, NULL, NULL, NULL},
};
