/* visits.c — visit appointments (预约参观, issue 5 part 2). An institution publishes time slots
 * with a capacity (families per slot); families book and cancel. A booking takes its place with
 * one conditional UPDATE (booked < capacity, slot open and not started), so no slot is ever
 * overbooked however many requests race; the booked count is kept equal to the active bookings.
 * Each booking queues a confirmation and a reminder (parameter visit.reminder_hours_before) in the
 * family's inbox (inbox.h); cancelling withdraws the reminder, and cancelling a slot tells every
 * family booked on it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/crypt.h"
#include "enrol/api.h"
#include "enrol/internal.h"
#include "enrol/store.h"
#include "inbox/inbox.h"
#include "params/params.h"

#define NOTE_MAX_BYTES 600   /* 200 CJK characters */
#define SLOT_CAPACITY_MAX 500 /* input sanity, not a rule */
#define SLOT_SERIES_MAX_WEEKS 26 /* input sanity: half a year of weekly slots at once */

/* The institution {id} of the path, checked against action. */
static int institution_target(struct http_req *req, const char *action, int64_t *id, struct err *e)
{
    *id = http_param_id(req, "id");
    char town[16] = "";
    int found = enrol_store_institution(req->db, req->district, *id, town, NULL, e);
    if (found < 0)
        return -1;
    if (!found)
        return err_set(e, 404, "not_found", "id", "未找到该托育机构");
    struct authz_target t = {.town_code = town, .institution_id = *id};
    return authz_require(req, action, &t, e);
}

/* Parse a required timestamp member with an explicit zone into *out (unix seconds). */
static int time_field(json_t *body, const char *field, int64_t *out, struct err *e)
{
    const char *s = json_string_value(json_object_get(body, field));
    if (date_parse_timestamp(s, out) < 0)
        return err_set(e, 422, "bad_time", field, "时间格式无效：%s（应为带时区的 ISO 8601 时间，如 2026-12-05T09:30:00+08:00）", s);
    return 0;
}

/* Create `weeks` slots of institution {id}, the first as the body says and each next one 7 days
 * later (China has no daylight saving time), in one transaction with one audit row each: all or
 * none. A slot overlapping an open slot of the institution is refused (409 slot_overlap). *out:
 * the slots created. */
static int create_slots(struct http_req *req, int weeks, json_t **out, struct err *e)
{
    int64_t inst;
    if (institution_target(req, "visit_slot.manage", &inst, e) < 0)
        return -1;
    json_t *body = http_body(req);
    int64_t starts = 0, ends = 0;
    if (time_field(body, "starts_at", &starts, e) < 0 || time_field(body, "ends_at", &ends, e) < 0)
        return -1;
    if (starts <= req->now)
        return err_set(e, 422, "past_time", "starts_at", "开始时间应晚于现在");
    if (ends <= starts)
        return err_set(e, 422, "ends_before_start", "ends_at", "结束时间应晚于开始时间");
    int64_t capacity = json_integer_value(json_object_get(body, "capacity"));
    const char *note = json_string_value(json_object_get(body, "note"));
    note = note ? note : "";
    struct enrol_clock clk;
    enrol_clock_of(req, &clk);
    if (db_begin(req->db, e) < 0)
        return -1;
    json_t *slots = json_array();
    for (int w = 0; w < weeks; w++) {
        char s_ts[DATE_TIMESTAMP_LEN], e_ts[DATE_TIMESTAMP_LEN], taken[DATE_TIMESTAMP_LEN];
        date_format_timestamp(starts + (int64_t)w * 7 * 86400, s_ts, sizeof s_ts);
        date_format_timestamp(ends + (int64_t)w * 7 * 86400, e_ts, sizeof e_ts);
        int64_t id, taken_t = 0;
        int overlap = enrol_store_slot_overlap(req->db, inst, s_ts, e_ts, taken, e);
        if (overlap < 0)
            goto fail;
        if (overlap) {
            char when[DATE_WORDS_LEN];
            date_parse_timestamp(taken, &taken_t);
            date_words_minute(taken_t, when, sizeof when);
            err_set(e, 409, "slot_overlap", "starts_at", "与已开放的参观时段（%s开始）时间重叠%s", when,
                    weeks > 1 ? "，所有时段均未创建" : "");
            goto fail;
        }
        if (enrol_store_slot_insert(req->db, req->district, inst, s_ts, e_ts, capacity, note, req->user->id,
                                    clk.now_ts, &id, e) < 0)
            goto fail;
        json_t *f = json_pack("{s:I, s:s, s:s, s:I}", "institution_id", (json_int_t)inst, "starts_at", s_ts, "ends_at",
                              e_ts, "capacity", (json_int_t)capacity);
        int rc = audit_request(req, "visit_slot.create", "visit_slot", http_printf(req, "%" PRId64, id), f, e);
        json_decref(f);
        json_t *slot = NULL;
        if (rc < 0 || (rc = enrol_store_slot(req->db, id, &slot, e)) < 0)
            goto fail;
        json_array_append_new(slots, slot);
    }
    if (db_commit(req->db, e) < 0)
        goto fail;
    *out = slots;
    return 0;
fail:
    json_decref(slots);
    db_rollback(req->db);
    return -1;
}

static int create_slot(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *slots;
    if (create_slots(req, 1, &slots, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *slot = json_incref(json_array_get(slots, 0));
    json_decref(slots);
    return http_reply_json(rep, 201, slot);
}

/* POST …/visit-slots/series: the same time every week for `weeks` weeks (每周六 9:30，共 8 周). */
static int create_slot_series(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *slots;
    int weeks = (int)json_integer_value(json_object_get(http_body(req), "weeks"));
    if (create_slots(req, weeks, &slots, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:o}", "items", slots));
}

/* Slots of institution {id} from the start of today on; with their bookings for staff. */
static int list_slots(struct http_req *req, struct http_reply *rep, int staff)
{
    struct err e = {0};
    int64_t inst;
    if (staff) {
        if (institution_target(req, "visit_slot.manage", &inst, &e) < 0)
            return http_reply_err(rep, &e);
    } else {
        inst = http_param_id(req, "id");
    }
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct enrol_clock clk;
    char from_ts[DATE_TIMESTAMP_LEN];
    int64_t day_start;
    enrol_clock_of(req, &clk);
    date_day_start(clk.today, &day_start);
    date_format_timestamp(staff ? day_start : req->now, from_ts, sizeof from_ts);
    json_t *rows;
    if (enrol_store_slots(req->db, req->district, inst, from_ts, !staff, page.after_id, page.after_key,
                          page.limit + 1, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = http_page_rows(req, &page, rows, "id", "starts_at"), *s;
    size_t i;
    if (!staff) { /* the public sees when, how many places are left and the note */
        json_array_foreach(items, i, s)
        {
            json_object_del(s, "institution_name");
            json_object_del(s, "booked");
            json_object_del(s, "status");
            json_object_del(s, "institution_id");
        }
        return http_reply_json(rep, 200, http_page_reply(req, &page, items));
    }
    json_array_foreach(items, i, s) json_object_set_new(s, "bookings", json_array());
    json_t *first = json_array_get(items, 0), *b;
    if (first) { /* the bookings of the slots on this page */
        if (enrol_store_slot_bookings(req->db, inst, from_ts, json_string_value(json_object_get(first, "starts_at")),
                                      json_integer_value(json_object_get(first, "id")), page.last_key, page.last_id, &rows,
                                      &e) < 0) {
            json_decref(items);
            return http_reply_err(rep, &e);
        }
        if (enrol_family_contacts(req, rows, "family.contact", inst, &e) < 0) {
            json_decref(rows);
            json_decref(items);
            return http_reply_err(rep, &e);
        }
        json_array_foreach(rows, i, b)
        {
            int64_t slot = json_integer_value(json_object_get(b, "slot_id"));
            json_object_del(b, "slot_id");
            size_t k;
            json_array_foreach(items, k, s) if (json_integer_value(json_object_get(s, "id")) == slot)
            {
                json_array_append(json_object_get(s, "bookings"), b);
                break;
            }
        }
        json_decref(rows);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int list_slots_staff(struct http_req *req, struct http_reply *rep) { return list_slots(req, rep, 1); }
static int list_slots_public(struct http_req *req, struct http_reply *rep) { return list_slots(req, rep, 0); }

/* The inbox texts of a visit: "<institution> <local start time>". */
static void visit_words(const char *inst_name, const char *starts_ts, char *out, size_t n)
{
    int64_t starts = 0;
    char local[DATE_WORDS_LEN];
    date_parse_timestamp(starts_ts, &starts);
    snprintf(out, n, "%s（%s）", inst_name, date_words_minute(starts, local, sizeof local));
}

static int cancel_slot(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id");
    struct enrol_slot s;
    int found = enrol_store_slot_read(req->db, req->district, id, &s, &e);
    if (found < 0)
        return http_reply_err(rep, &e);
    if (!found)
        return http_reply_error(rep, 404, "not_found", "id", "未找到该参观时段");
    struct authz_target t = {.town_code = s.town, .institution_id = s.institution_id};
    if (authz_require(req, "visit_slot.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    struct enrol_clock clk;
    enrol_clock_of(req, &clk);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    /* the slot and every active booking on it */
    int64_t ids[SLOT_CAPACITY_MAX], users[SLOT_CAPACITY_MAX];
    int nb;
    int changed = enrol_store_slot_cancel(req->db, id, clk.now_ts, ids, users, SLOT_CAPACITY_MAX, &nb, &e);
    if (changed < 0)
        goto fail;
    if (!changed) {
        err_set(&e, 409, "slot_closed", "id", "该参观时段已取消");
        goto fail;
    }
    /* tell each family, withdraw its reminder */
    char what[320];
    visit_words(s.institution_name, s.starts_at, what, sizeof what);
    for (int k = 0; k < nb; k++) {
        if (inbox_withdraw(req->db, "visit_booking", ids[k], NULL, clk.now_ts, &e) < 0)
            goto fail;
        struct inbox_message m = {
            .user_id = users[k], .kind = "visit.slot_cancelled", .subject = "参观时段已取消",
            .body = http_printf(req, "很抱歉，%s的参观时段已被机构取消，请另选时段预约。", what),
            .ref_type = "visit_booking", .ref_id = ids[k], .due_at = clk.now_ts};
        if (inbox_post(req->db, req->district, &m, clk.now_ts, &e) < 0)
            goto fail;
    }
    json_t *f = json_pack("{s:I, s:i}", "institution_id", (json_int_t)s.institution_id, "bookings_cancelled", nb);
    if (audit_write_commit(req, "visit_slot.cancel", "visit_slot", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:s, s:i}", "id", (json_int_t)id, "status", "cancelled",
                                               "bookings_cancelled", nb));
fail:
    return http_reply_rollback(req, rep, &e);
}

static int book_visit(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req), *jv = json_object_get(body, "visitors"), *next = NULL;
    int64_t slot = json_integer_value(json_object_get(body, "slot_id"));
    int64_t child = json_integer_value(json_object_get(body, "child_id")); /* 0 when absent or null */
    int64_t visitors = jv ? json_integer_value(jv) : 1;
    const char *district = req->district;
    struct enrol_clock clk;
    enrol_clock_of(req, &clk);
    struct params *p = http_alloc(req, sizeof *p);
    double max_visitors, reminder_hours;
    if (params_load(req->db, district, clk.today, p, &e) < 0 ||
        params_num(p, "visit.max_visitors_per_booking", &max_visitors, &e) < 0 ||
        params_num(p, "visit.reminder_hours_before", &reminder_hours, &e) < 0)
        return http_reply_err(rep, &e);
    if (visitors > (int64_t)max_visitors)
        return http_reply_error(rep, 422, "bad_visitors", "visitors", "参观人数应为 1–%d 人", (int)max_visitors);
    if (child) { /* optional: which of the family's children the visit is for */
        struct enrol_child c;
        if (enrol_store_child(req->db, district, child, NULL, &c, &e) < 0)
            return http_reply_err(rep, &e);
        if (!c.found || c.owner != req->user->id)
            return http_reply_error(rep, 404, "not_found", "child_id", "未找到该孩子");
    }
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t dup;
    if (enrol_store_visit_count(req->db, slot, req->user->id, &dup, &e) < 0)
        goto fail;
    if (dup > 0) {
        err_set(&e, 409, "already_booked", "slot_id", "您已预约该时段，无需重复预约");
        goto fail;
    }
    /* the place: one conditional update, so concurrent bookings can never exceed capacity */
    int taken = enrol_store_slot_take(req->db, district, slot, clk.now_ts, &e);
    struct enrol_slot s;
    int found = taken < 0 ? -1 : enrol_store_slot_read(req->db, district, slot, &s, &e);
    if (found < 0)
        goto fail;
    if (!found || !s.institution_filed) {
        err_set(&e, 404, "not_found", "slot_id", "未找到该参观时段");
        goto fail;
    }
    if (!taken) {
        if (strcmp(s.status, "open") || strcmp(s.starts_at, clk.now_ts) <= 0)
            err_set(&e, 422, "slot_closed", "slot_id", "该参观时段已取消或已开始，请选择其他时段");
        else
            err_set(&e, 409, "slot_full", "slot_id", "很抱歉，该参观时段已约满，请选择其他时段");
        goto fail;
    }
    int64_t id;
    if (enrol_store_visit_insert(req->db, district, slot, s.institution_id, req->user->id, child, visitors, clk.now_ts,
                                 &id, &e) < 0)
        goto fail;
    char what[320];
    visit_words(s.institution_name, s.starts_at, what, sizeof what);
    const char *contact;
    if (enrol_next_steps(req, s.institution_id, 0, s.starts_at, &contact, &next, &e) < 0)
        goto fail;
    struct inbox_message m = {.user_id = req->user->id, .kind = "visit.booked", .subject = "参观预约成功",
                              .body = http_printf(req, "您已预约参观%s，共 %d 人。%s如不能前往，请提前取消，把名额留给其他家庭。",
                                                  what, (int)visitors, contact),
                              .ref_type = "visit_booking", .ref_id = id, .due_at = clk.now_ts};
    if (inbox_post(req->db, district, &m, clk.now_ts, &e) < 0)
        goto fail;
    int64_t starts = 0;
    date_parse_timestamp(s.starts_at, &starts);
    int64_t remind = starts - (int64_t)(reminder_hours * 3600);
    if (remind > req->now) {
        char remind_ts[DATE_TIMESTAMP_LEN];
        date_format_timestamp(remind, remind_ts, sizeof remind_ts);
        m.kind = "visit.reminder";
        m.subject = "参观提醒";
        m.body = http_printf(req, "提醒：您预约了参观%s，请按时前往。%s", what, contact);
        m.due_at = remind_ts;
        if (inbox_post(req->db, district, &m, clk.now_ts, &e) < 0)
            goto fail;
    }
    json_t *f = json_pack("{s:I, s:I, s:I}", "slot_id", (json_int_t)slot, "institution_id", (json_int_t)s.institution_id,
                          "visitors", (json_int_t)visitors);
    if (audit_write_commit(req, "visit.book", "visit_booking", id, f, &e) < 0)
        goto fail;
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:o}", "id", (json_int_t)id,
                                               "slot_id", (json_int_t)slot, "institution_id", (json_int_t)s.institution_id,
                                               "institution_name", s.institution_name, "starts_at", s.starts_at, "ends_at",
                                               s.ends_at, "visitors", (json_int_t)visitors, "status", "booked",
                                               "next_steps", next));
fail:
    json_decref(next);
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static int list_visits(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    json_t *rows;
    if (authz_scope(req, "visit.list", "i.town_code", "b.institution_id", "b.family_user_id", &scope, &e) < 0 ||
        http_page_begin(req, &page, &e) < 0 ||
        enrol_store_visits(req->db, req->district, scope.sql, &scope.params, page.after_id, page.after_key,
                           page.limit + 1, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = http_page_rows(req, &page, rows, "id", "starts_at");
    if (enrol_family_contacts(req, items, "family.contact", 0, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int cancel_visit(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id"), owner;
    int found = enrol_store_visit_owner(req->db, req->district, id, &owner, &e);
    if (found < 0)
        return http_reply_err(rep, &e);
    if (!found)
        return http_reply_error(rep, 404, "not_found", "id", "未找到该参观预约");
    struct authz_target t = {.owner_user_id = owner};
    if (authz_require(req, "visit.cancel", &t, &e) < 0)
        return http_reply_err(rep, &e);
    struct enrol_clock clk;
    enrol_clock_of(req, &clk);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int changed = enrol_store_visit_cancel(req->db, id, clk.now_ts, &e);
    if (changed < 0)
        goto fail;
    if (!changed) {
        err_set(&e, 409, "not_booked", "id", "该参观预约已取消");
        goto fail;
    }
    if (inbox_withdraw(req->db, "visit_booking", id, "visit.reminder", clk.now_ts, &e) < 0 ||
        audit_request_commit(req, "visit.cancel", "visit_booking", http_printf(req, "%" PRId64, id), NULL, &e) < 0)
        goto fail;
    return http_reply_json(rep, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "cancelled"));
fail:
    return http_reply_rollback(req, rep, &e);
}

#include "enrol/visits.schemas.inc"

const struct route visits_routes[] = {
    {"GET", "/api/v1/public/institutions/{id}/visit-slots", "public", list_slots_public, NULL, &SLOT_PAGE},
    {"POST", "/api/v1/institutions/{id}/visit-slots", "visit_slot.manage", create_slot, &SLOT_BODY, &SLOT, 201},
    {"POST", "/api/v1/institutions/{id}/visit-slots/series", "visit_slot.manage", create_slot_series, &SERIES_BODY,
     &SLOT_SERIES, 201},
    {"GET", "/api/v1/institutions/{id}/visit-slots", "visit_slot.manage", list_slots_staff, NULL, &SLOT_PAGE,
     .subactions = HTTP_SUBACTIONS("family.contact")},
    {"DELETE", "/api/v1/visit-slots/{id}", "visit_slot.manage", cancel_slot, NULL, &SLOT_CANCELLED},
    {"POST", "/api/v1/visit-bookings", "visit.book", book_visit, &VISIT_BODY, &VISIT_BOOKING, 201},
    {"GET", "/api/v1/visit-bookings", "visit.list", list_visits, NULL, &VISIT_BOOKING_PAGE,
     .subactions = HTTP_SUBACTIONS("family.contact")},
    {"DELETE", "/api/v1/visit-bookings/{id}", "visit.cancel", cancel_visit, NULL, &VISIT_BOOKING},
    {NULL, NULL, NULL, NULL},
};
