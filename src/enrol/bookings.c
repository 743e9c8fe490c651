/* bookings.c — 入托网上约: the public list of free places by program, and first-come booking of a
 * free place by a family for its own child. A booking that may succeed locks first (SQLite's BEGIN
 * IMMEDIATE serialises writers; on PostgreSQL SELECT … FOR UPDATE takes the program's rows), then
 * counts again, so no program is ever overbooked however many requests race; a child holds at most
 * one place (enrol_may_book: no second booking — also the unique index —, none beside an accepted or
 * pending offer); refusals are answered from one read without the lock. Places
 * held by open offers of an allocation round count as taken. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/geo.h"
#include "base/parse.h"
#include "children/children.h"
#include "enrol/api.h"
#include "enrol/enrol.h"
#include "enrol/internal.h"
#include "enrol/store.h"
#include "inbox/inbox.h"
#include "registry/api.h"

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
    json_t *rows;
    if (enrol_store_vacancies(req->db, req->district, req->today, town && town[0] ? town : NULL, type && type[0] ? type : NULL,
                              page.after_id, page.after_key, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = json_array(), *r;
    size_t i;
    int want_inclusive = inclusive && (inclusive[0] == '1' || inclusive[0] == 't');
    json_array_foreach(rows, i, r)
    {
        int capacity = (int)json_integer_value(json_object_get(r, "capacity"));
        int enrolled = (int)json_integer_value(json_object_get(r, "enrolled"));
        int held = (int)json_integer_value(json_object_get(r, "held"));
        int free_places = enrol_free_places(capacity, enrolled, held);
        json_t *fee = json_object_get(r, "monthly_fee_fen");
        if (free_places == 0 || (want_inclusive && !json_is_true(json_object_get(r, "inclusive"))) ||
            (max_fee >= 0 && (json_is_null(fee) || json_integer_value(fee) > max_fee)))
            continue;
        double lon = json_real_value(json_object_get(r, "lon")), lat = json_real_value(json_object_get(r, "lat"));
        double km = near ? geo_haversine_m(near_lat, near_lon, lat, lon) / 1000 : 0;
        if (near && km > radius)
            continue;
        const char *code = json_string_value(json_object_get(r, "class_type"));
        if (!http_page_take(req, &page, json_integer_value(json_object_get(r, "institution_id")), code))
            break;
        int t = class_type_from_code(code);
        json_object_set_new(r, "class_type_name", json_string(t >= 0 ? class_type_name((enum class_type)t) : ""));
        json_object_set(r, "booked", json_object_get(r, "held"));
        json_object_del(r, "held");
        json_object_set_new(r, "free_places", json_integer(free_places));
        if (near)
            json_object_set_new(r, "distance_km", json_real(round(km * 100) / 100));
        json_array_append(items, r);
    }
    json_decref(rows);
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

/* The refusal the state calls for (409 already_booked / already_placed / offer_pending: one place
 * per child; 404 no_program, 409 program_full), or 0. */
static int refuse_booking(const struct enrol_booking_state *ps, int t, struct err *e)
{
    if (enrol_may_book(&ps->holding, e) < 0)
        return -1;
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
    char first_day[11], today[DATE_DAY_LEN], now_ts[DATE_TIMESTAMP_LEN];
    snprintf(first_day, sizeof first_day, "%s-01", start);
    date_format_day(req->now, today, sizeof today); /* most requests are refusals: the timestamp waits */
    if (strncmp(start, today, 7) < 0)
        return http_reply_error(rep, 422, "past_month", "start_month", "入托月份不能早于本月");

    /* everything the decision needs, in one read; a refusal needs no transaction (see above) */
    struct enrol_booking_state bs;
    const char *district = req->district;
    if (enrol_store_booking_state(req->db, district, child_id, inst, class_code, first_day, &bs, &e) < 0)
        return http_reply_err(rep, &e);
    if (!bs.found)
        return http_reply_error(rep, 404, "not_found", "child_id", "未找到该孩子");
    /* the child must be the family's own */
    struct authz_target target = {.owner_user_id = bs.owner};
    if (authz_require(req, "booking.create", &target, &e) < 0 || enrol_bands_check(&bs.bands, t, first_day, &e) < 0)
        return http_reply_err(rep, &e);
    int age = enrol_age_months(bs.birth, start);
    if (!enrol_band_fits(&bs.bands, (enum class_type)t, age))
        return http_reply_error(rep, 422, "age_band", "class_type", "孩子在 %s 时 %d 个月，不在%s的月龄范围（%d–%d 个月）内", start,
                                age, class_type_name((enum class_type)t), bs.bands.min_months[t], bs.bands.max_months[t]);
    if (refuse_booking(&bs, t, &e) < 0)
        return http_reply_err(rep, &e);

    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    /* the program's rows locked (PostgreSQL; SQLite's BEGIN IMMEDIATE already excludes writers);
     * the child needs no lock: its second active booking is refused by booking_child_active */
    if (enrol_store_lock_program(req->db, inst, class_code, &e) < 0 ||
        enrol_store_booking_state(req->db, district, child_id, inst, class_code, first_day, &bs, &e) < 0)
        goto fail;
    if (!bs.found) {
        err_set(&e, 404, "not_found", "child_id", "未找到该孩子");
        goto fail;
    }
    if (refuse_booking(&bs, t, &e) < 0)
        goto fail;
    int64_t id;
    if (enrol_store_booking_insert(req->db, district, child_id, inst, class_code, start, req->user->id, now_ts, &id,
                                   &e) < 0)
        goto fail;
    const char *words;
    json_t *next = NULL;
    if (enrol_next_steps(req, inst, 1, start, &words, &next, &e) < 0)
        goto fail;
    struct inbox_message m = {.user_id = req->user->id, .kind = "booking.created", .subject = "入托预约成功",
                              .body = http_printf(req, "您已预约%s的%s托位，%s入托。%s如不再需要，请在“我的”中取消预约，把托位留给其他家庭。",
                                                  json_string_value(json_object_get(next, "institution_name")),
                                                  class_type_name((enum class_type)t), start, words),
                              .ref_type = "booking", .ref_id = id, .due_at = now_ts};
    if (inbox_post(req->db, district, &m, now_ts, &e) < 0) {
        json_decref(next);
        goto fail;
    }
    json_t *f = json_pack("{s:I, s:I, s:s, s:s}", "child_id", (json_int_t)child_id, "institution_id", (json_int_t)inst,
                          "class_type", class_code, "start_month", start);
    /* the audit row last, with the commit: the chain's head is locked only for that round trip */
    int rc = audit_request_commit(req, "booking.create", "booking", http_printf(req, "%" PRId64, id), f, &e);
    json_decref(f);
    if (rc < 0) {
        json_decref(next);
        goto fail;
    }
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)id, "child_id",
                                               (json_int_t)child_id, "institution_id", (json_int_t)inst, "class_type",
                                               class_code, "start_month", start, "status", "booked", "next_steps", next));
fail:
    return http_reply_rollback(req, rep, &e);
}

static int list_bookings(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    json_t *rows;
    if (authz_scope(req, "booking.list", "i.town_code", "b.institution_id", "b.family_user_id", &scope, &e) < 0 ||
        http_page_begin(req, &page, &e) < 0 ||
        enrol_store_bookings(req->db, req->district, scope.sql, &scope.params, page.after_id, page.limit + 1,
                             &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = http_page_rows(req, &page, rows, "id", NULL);
    /* the list names children: a staff read is audited */
    if (children_reveal_names(req, items, &e) < 0 || enrol_family_contacts(req, items, "family.contact", 0, &e) < 0 ||
        audit_staff_list(req, "booking.list", "booking", "bookings", json_array_size(items), &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int cancel_booking(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id"), owner;
    int found = enrol_store_booking_owner(req->db, id, &owner, &e);
    if (found < 0)
        return http_reply_err(rep, &e);
    if (!found)
        return http_reply_error(rep, 404, "not_found", "id", "未找到有效的预约");
    struct authz_target t = {.owner_user_id = owner};
    if (authz_require(req, "booking.cancel", &t, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int changed = enrol_store_booking_cancel(req->db, id, now_ts, &e);
    if (changed < 0)
        goto fail;
    if (!changed) {
        err_set(&e, 404, "not_found", "id", "未找到有效的预约");
        goto fail;
    }
    if (audit_request_commit(req, "booking.cancel", "booking", http_printf(req, "%" PRId64, id), NULL, &e) < 0)
        goto fail;
    return http_reply_json(rep, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "cancelled"));
fail:
    return http_reply_rollback(req, rep, &e);
}

#include "enrol/bookings.schemas.inc"

const struct route bookings_routes[] = {
    {"GET", "/api/v1/public/vacancies", "public", public_vacancies, NULL, &VACANCY_PAGE,
     .kept = registry_public_version},
    {"POST", "/api/v1/bookings", "booking.create", create_booking, &BOOKING_BODY, &BOOKING, 201},
    {"GET", "/api/v1/bookings", "booking.list", list_bookings, NULL, &BOOKING_PAGE,
     .subactions = HTTP_SUBACTIONS("family.contact", "child.read.full_name")},
    {"DELETE", "/api/v1/bookings/{id}", "booking.cancel", cancel_booking, NULL, &CANCELLED},
    {NULL, NULL, NULL, NULL},
};
