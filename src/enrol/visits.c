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
#include "base/date.h"
#include "enrol/rounds.h"
#include "inbox/inbox.h"
#include "params/params.h"

#define NOTE_MAX_BYTES 600   /* 200 CJK characters */
#define SLOT_CAPACITY_MAX 500 /* input sanity, not a rule */

static const char SLOT_COLUMNS[] = "s.id, s.institution_id, i.name, s.starts_at, s.ends_at, s.capacity, s.booked, "
                                   "s.note, s.status";

/* A slot row selected with SLOT_COLUMNS as JSON. */
static json_t *slot_json(struct db_stmt *st)
{
    int capacity = (int)db_col_int64(st, 5), booked = (int)db_col_int64(st, 6);
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 0),
                     "institution_id", (json_int_t)db_col_int64(st, 1), "institution_name", db_col_text(st, 2),
                     "starts_at", db_col_text(st, 3), "ends_at", db_col_text(st, 4), "capacity", capacity, "booked",
                     booked, "remaining", capacity - booked, "note", db_col_text(st, 7), "status", db_col_text(st, 8));
}

/* The institution {id} of the path, checked against action; fills town. */
static int institution_target(struct http_req *req, const char *action, int64_t *id, struct err *e)
{
    *id = http_param_id(req, "id");
    int found;
    struct db_stmt *st = enrol_stmt(req->db, e, "SELECT town_code FROM institution WHERE id = ? AND district_code = ?",
                                    "it", *id, req->app->district_code);
    if (!st)
        return -1;
    int rc = db_step(st, e);
    char town[16] = "";
    found = rc == DB_ROW;
    if (found)
        snprintf(town, sizeof town, "%s", db_col_text(st, 0));
    db_finalize(st);
    if (rc < 0)
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

static int create_slot(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t inst;
    if (institution_target(req, "visit_slot.manage", &inst, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    int64_t starts = 0, ends = 0;
    if (time_field(body, "starts_at", &starts, &e) < 0 || time_field(body, "ends_at", &ends, &e) < 0)
        return http_reply_err(rep, &e);
    if (starts <= req->now)
        return http_reply_error(rep, 422, "past_time", "starts_at", "开始时间应晚于现在");
    if (ends <= starts)
        return http_reply_error(rep, 422, "ends_before_start", "ends_at", "结束时间应晚于开始时间");
    json_t *jc = json_object_get(body, "capacity");
    const char *note = json_string_value(json_object_get(body, "note"));
    note = note ? note : "";
    char now_ts[DATE_TIMESTAMP_LEN], s_ts[DATE_TIMESTAMP_LEN], e_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    date_format_timestamp(starts, s_ts, sizeof s_ts);
    date_format_timestamp(ends, e_ts, sizeof e_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st = enrol_stmt(req->db, &e,
                                    "INSERT INTO visit_slot (district_code, institution_id, starts_at, ends_at, capacity, "
                                    "booked, note, status, created_by, created_at, updated_at) "
                                    "VALUES (?,?,?,?,?,0,?,'open',?,?,?) RETURNING id",
                                    "tittititt", req->app->district_code, inst, s_ts, e_ts, json_integer_value(jc), note,
                                    req->user->id, now_ts, now_ts);
    if (!st)
        goto fail;
    int rc = db_step(st, &e);
    int64_t id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW)
        goto fail;
    json_t *f = json_pack("{s:I, s:s, s:s, s:I}", "institution_id", (json_int_t)inst, "starts_at", s_ts, "ends_at",
                          e_ts, "capacity", (json_int_t)json_integer_value(jc));
    rc = audit_request(req, "visit_slot.create", "visit_slot", http_printf(req, "%" PRId64, id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    st = enrol_stmt(req->db, &e,
                    http_printf(req, "SELECT %s FROM visit_slot s JOIN institution i ON i.id = s.institution_id WHERE s.id = ?",
                                SLOT_COLUMNS),
                    "i", id);
    if (!st || db_step(st, &e) != DB_ROW) {
        if (st)
            db_finalize(st);
        return http_reply_err(rep, &e);
    }
    json_t *out = slot_json(st);
    db_finalize(st);
    return http_reply_json(rep, 201, out);
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
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
    char today[DATE_DAY_LEN], from_ts[DATE_TIMESTAMP_LEN], now_ts[DATE_TIMESTAMP_LEN];
    int64_t day_start;
    date_format_day(req->now, today, sizeof today);
    date_day_start(today, &day_start);
    date_format_timestamp(staff ? day_start : req->now, from_ts, sizeof from_ts);
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct db_stmt *st = enrol_stmt(
        req->db, &e,
        http_printf(req,
                    "SELECT %s FROM visit_slot s JOIN institution i ON i.id = s.institution_id "
                    "WHERE s.institution_id = ? AND s.district_code = ? AND s.starts_at >= ? %s "
                    "AND (? = 0 OR s.starts_at > ? OR (s.starts_at = ? AND s.id > ?)) ORDER BY s.starts_at, s.id LIMIT ?",
                    SLOT_COLUMNS, staff ? "" : "AND s.status = 'open' AND i.status = 'filed'"),
        "itti" "ttii", inst, req->app->district_code, from_ts, page.after_id, page.after_key, page.after_key,
        page.after_id, (int64_t)page.limit + 1);
    if (!st)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW && http_page_take(req, &page, db_col_int64(st, 0), db_col_text(st, 3))) {
        json_t *s = slot_json(st);
        if (!staff) { /* the public sees when, how many places are left and the note */
            json_object_del(s, "institution_name");
            json_object_del(s, "booked");
            json_object_del(s, "status");
            json_object_del(s, "institution_id");
        }
        json_array_append_new(items, s);
    }
    db_finalize(st);
    if (rc >= 0 && staff && page.count) { /* the bookings of the slots on this page */
        json_t *first = json_array_get(items, 0);
        st = enrol_stmt(req->db, &e,
                        "SELECT b.slot_id, b.id, u.name, b.visitors, b.status, b.created_at FROM visit_booking b "
                        "JOIN visit_slot s ON s.id = b.slot_id JOIN app_user u ON u.id = b.family_user_id "
                        "WHERE s.institution_id = ? AND s.starts_at >= ? AND (s.starts_at > ? OR (s.starts_at = ? AND "
                        "s.id >= ?)) AND (s.starts_at < ? OR (s.starts_at = ? AND s.id <= ?)) ORDER BY b.id",
                        "itttitti", inst, from_ts, json_string_value(json_object_get(first, "starts_at")),
                        json_string_value(json_object_get(first, "starts_at")),
                        (int64_t)json_integer_value(json_object_get(first, "id")), page.last_key, page.last_key,
                        page.last_id);
        if (!st)
            rc = -1;
        while (st && (rc = db_step(st, &e)) == DB_ROW) {
            char masked[96];
            mask_name(db_col_text(st, 2), masked, sizeof masked);
            int64_t slot = db_col_int64(st, 0);
            size_t i;
            json_t *s;
            json_array_foreach(items, i, s)
            {
                if (json_integer_value(json_object_get(s, "id")) != slot)
                    continue;
                json_t *list = json_object_get(s, "bookings");
                if (!list)
                    json_object_set_new(s, "bookings", list = json_array());
                json_array_append_new(list, json_pack("{s:I, s:s, s:i, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 1),
                                                      "family_name", masked, "visitors", (int)db_col_int64(st, 3),
                                                      "status", db_col_text(st, 4), "created_at", db_col_text(st, 5)));
                break;
            }
        }
        if (st)
            db_finalize(st);
        size_t i;
        json_t *s;
        json_array_foreach(items, i, s) if (!json_object_get(s, "bookings"))
            json_object_set_new(s, "bookings", json_array());
    }
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int list_slots_staff(struct http_req *req, struct http_reply *rep) { return list_slots(req, rep, 1); }
static int list_slots_public(struct http_req *req, struct http_reply *rep) { return list_slots(req, rep, 0); }

/* The inbox texts of a visit: "<institution> <local start time>". */
static void visit_words(const char *inst_name, int64_t starts, char *out, size_t n)
{
    char local[17];
    inbox_local_time(starts, local);
    snprintf(out, n, "%s（%s）", inst_name, local);
}

static int cancel_slot(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id");
    struct db_stmt *st = enrol_stmt(req->db, &e,
                                    "SELECT s.institution_id, i.town_code, i.name, s.starts_at FROM visit_slot s "
                                    "JOIN institution i ON i.id = s.institution_id WHERE s.id = ? AND s.district_code = ?",
                                    "it", id, req->app->district_code);
    if (!st)
        return http_reply_err(rep, &e);
    int rc = db_step(st, &e);
    char town[16] = "", *inst_name = "";
    int64_t inst = 0, starts = 0;
    if (rc == DB_ROW) {
        inst = db_col_int64(st, 0);
        snprintf(town, sizeof town, "%s", db_col_text(st, 1));
        inst_name = http_printf(req, "%s", db_col_text(st, 2));
        date_parse_timestamp(db_col_text(st, 3), &starts);
    }
    db_finalize(st);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (rc != DB_ROW)
        return http_reply_error(rep, 404, "not_found", "id", "未找到该参观时段");
    struct authz_target t = {.town_code = town, .institution_id = inst};
    if (authz_require(req, "visit_slot.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t changed = enrol_exec(req->db, &e,
                                 "UPDATE visit_slot SET status = 'cancelled', booked = 0, updated_at = ? "
                                 "WHERE id = ? AND status = 'open'",
                                 "ti", now_ts, id);
    if (changed < 0)
        goto fail;
    if (changed == 0) {
        err_set(&e, 409, "slot_closed", "id", "该参观时段已取消");
        goto fail;
    }
    /* every active booking: tell the family, withdraw its reminder */
    st = enrol_stmt(req->db, &e, "SELECT id, family_user_id FROM visit_booking WHERE slot_id = ? AND status = 'booked'",
                    "i", id);
    if (!st)
        goto fail;
    int64_t ids[SLOT_CAPACITY_MAX], users[SLOT_CAPACITY_MAX];
    int nb = 0;
    while ((rc = db_step(st, &e)) == DB_ROW && nb < SLOT_CAPACITY_MAX) {
        ids[nb] = db_col_int64(st, 0);
        users[nb++] = db_col_int64(st, 1);
    }
    db_finalize(st);
    if (rc < 0)
        goto fail;
    char what[320];
    visit_words(inst_name, starts, what, sizeof what);
    for (int k = 0; k < nb; k++) {
        if (enrol_exec(req->db, &e, "UPDATE visit_booking SET status = 'slot_cancelled', cancelled_at = ? WHERE id = ?",
                       "ti", now_ts, ids[k]) < 0 ||
            inbox_withdraw(req->db, "visit_booking", ids[k], NULL, now_ts, &e) < 0)
            goto fail;
        struct inbox_message m = {
            .user_id = users[k], .kind = "visit.slot_cancelled", .subject = "参观时段已取消",
            .body = http_printf(req, "很抱歉，%s的参观时段已被机构取消，请另选时段预约。", what),
            .ref_type = "visit_booking", .ref_id = ids[k], .due_at = now_ts};
        if (inbox_post(req->db, req->app->district_code, &m, now_ts, &e) < 0)
            goto fail;
    }
    json_t *f = json_pack("{s:I, s:i}", "institution_id", (json_int_t)inst, "bookings_cancelled", nb);
    rc = audit_request(req, "visit_slot.cancel", "visit_slot", http_printf(req, "%" PRId64, id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    return http_reply_json(rep, 200, json_pack("{s:I, s:s, s:i}", "id", (json_int_t)id, "status", "cancelled",
                                               "bookings_cancelled", nb));
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static int book_visit(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req), *jv = json_object_get(body, "visitors");
    int64_t slot = json_integer_value(json_object_get(body, "slot_id"));
    int64_t child = json_integer_value(json_object_get(body, "child_id")); /* 0 when absent or null */
    int64_t visitors = jv ? json_integer_value(jv) : 1;
    char today[DATE_DAY_LEN], now_ts[DATE_TIMESTAMP_LEN];
    date_format_day(req->now, today, sizeof today);
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    double max_visitors, reminder_hours;
    if (params_get(req->db, req->app->district_code, "visit.max_visitors_per_booking", today, &max_visitors, &e) < 0 ||
        params_get(req->db, req->app->district_code, "visit.reminder_hours_before", today, &reminder_hours, &e) < 0)
        return http_reply_err(rep, &e);
    if (visitors > (int64_t)max_visitors)
        return http_reply_error(rep, 422, "bad_visitors", "visitors", "参观人数应为 1–%d 人", (int)max_visitors);
    if (child) { /* optional: which of the family's children the visit is for */
        int found;
        int64_t owner = enrol_int(req->db, &e, &found, "SELECT family_user_id FROM child WHERE id = ? AND district_code = ?",
                                  "it", child, req->app->district_code);
        if (owner < 0)
            return http_reply_err(rep, &e);
        if (!found || owner != req->user->id)
            return http_reply_error(rep, 404, "not_found", "child_id", "未找到该孩子");
    }
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int found;
    int64_t dup = enrol_int(req->db, &e, &found,
                            "SELECT COUNT(*) FROM visit_booking WHERE slot_id = ? AND family_user_id = ? AND status = 'booked'",
                            "ii", slot, req->user->id);
    if (dup < 0)
        goto fail;
    if (dup > 0) {
        err_set(&e, 409, "already_booked", "slot_id", "您已预约该时段，无需重复预约");
        goto fail;
    }
    /* the place: one conditional update, so concurrent bookings can never exceed capacity */
    int64_t taken = enrol_exec(req->db, &e,
                               "UPDATE visit_slot SET booked = booked + 1, updated_at = ? WHERE id = ? AND district_code = ? "
                               "AND status = 'open' AND starts_at > ? AND booked < capacity",
                               "titt", now_ts, slot, req->app->district_code, now_ts);
    if (taken < 0)
        goto fail;
    struct db_stmt *st = enrol_stmt(req->db, &e,
                                    "SELECT s.status, s.starts_at, s.ends_at, s.institution_id, i.name, i.status "
                                    "FROM visit_slot s JOIN institution i ON i.id = s.institution_id "
                                    "WHERE s.id = ? AND s.district_code = ?",
                                    "it", slot, req->app->district_code);
    if (!st)
        goto fail;
    int rc = db_step(st, &e);
    char status[16] = "", starts_ts[DATE_TIMESTAMP_LEN] = "", ends_ts[DATE_TIMESTAMP_LEN] = "", *inst_name = "";
    int64_t inst = 0;
    int inst_filed = 0;
    if (rc == DB_ROW) {
        snprintf(status, sizeof status, "%s", db_col_text(st, 0));
        snprintf(starts_ts, sizeof starts_ts, "%s", db_col_text(st, 1));
        snprintf(ends_ts, sizeof ends_ts, "%s", db_col_text(st, 2));
        inst = db_col_int64(st, 3);
        inst_name = http_printf(req, "%s", db_col_text(st, 4));
        inst_filed = strcmp(db_col_text(st, 5), "filed") == 0;
    }
    db_finalize(st);
    if (rc < 0)
        goto fail;
    if (rc != DB_ROW || !inst_filed) {
        err_set(&e, 404, "not_found", "slot_id", "未找到该参观时段");
        goto fail;
    }
    if (!taken) {
        if (strcmp(status, "open") || strcmp(starts_ts, now_ts) <= 0)
            err_set(&e, 422, "slot_closed", "slot_id", "该参观时段已取消或已开始，请选择其他时段");
        else
            err_set(&e, 409, "slot_full", "slot_id", "很抱歉，该参观时段已约满，请选择其他时段");
        goto fail;
    }
    st = enrol_stmt(req->db, &e,
                    "INSERT INTO visit_booking (district_code, slot_id, institution_id, family_user_id, child_id, visitors, "
                    "status, created_at) VALUES (?,?,?,?,?,?,'booked',?) RETURNING id",
                    "tiii", req->app->district_code, slot, inst, req->user->id);
    if (!st)
        goto fail;
    if (child)
        db_bind_int64(st, 5, child);
    else
        db_bind_null(st, 5);
    db_bind_int64(st, 6, visitors);
    db_bind_text(st, 7, now_ts);
    rc = db_step(st, &e);
    int64_t id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW) {
        if (strcmp(e.code, "db_conflict") == 0) /* the same family raced itself */
            err_set(&e, 409, "already_booked", "slot_id", "您已预约该时段，无需重复预约");
        goto fail;
    }
    int64_t starts = 0;
    date_parse_timestamp(starts_ts, &starts);
    char what[320];
    visit_words(inst_name, starts, what, sizeof what);
    struct inbox_message m = {.user_id = req->user->id, .kind = "visit.booked", .subject = "参观预约成功",
                              .body = http_printf(req, "您已预约参观%s，共 %d 人。如不能前往，请提前取消，把名额留给其他家庭。",
                                                  what, (int)visitors),
                              .ref_type = "visit_booking", .ref_id = id, .due_at = now_ts};
    if (inbox_post(req->db, req->app->district_code, &m, now_ts, &e) < 0)
        goto fail;
    int64_t remind = starts - (int64_t)(reminder_hours * 3600);
    if (remind > req->now) {
        char remind_ts[DATE_TIMESTAMP_LEN];
        date_format_timestamp(remind, remind_ts, sizeof remind_ts);
        m.kind = "visit.reminder";
        m.subject = "参观提醒";
        m.body = http_printf(req, "提醒：您预约了参观%s，请按时前往。", what);
        m.due_at = remind_ts;
        if (inbox_post(req->db, req->app->district_code, &m, now_ts, &e) < 0)
            goto fail;
    }
    json_t *f = json_pack("{s:I, s:I, s:I}", "slot_id", (json_int_t)slot, "institution_id", (json_int_t)inst, "visitors",
                          (json_int_t)visitors);
    rc = audit_request(req, "visit.book", "visit_booking", http_printf(req, "%" PRId64, id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)id, "slot_id",
                                               (json_int_t)slot, "institution_id", (json_int_t)inst, "institution_name",
                                               inst_name, "starts_at", starts_ts, "ends_at", ends_ts, "visitors",
                                               (json_int_t)visitors, "status", "booked"));
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static int list_visits(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    if (authz_scope(req, "visit.list", "i.town_code", "b.institution_id", "b.family_user_id", &scope, &e) < 0 ||
        http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st;
    if (db_prepare(req->db,
                   http_printf(req,
                               "SELECT b.id, b.slot_id, b.institution_id, i.name, s.starts_at, s.ends_at, b.visitors, "
                               "b.status, b.created_at, u.name FROM visit_booking b JOIN visit_slot s ON s.id = b.slot_id "
                               "JOIN institution i ON i.id = b.institution_id JOIN app_user u ON u.id = b.family_user_id "
                               "WHERE b.district_code = ? AND %s AND (? = 0 OR s.starts_at < ? OR (s.starts_at = ? "
                               "AND b.id < ?)) ORDER BY s.starts_at DESC, b.id DESC LIMIT ?",
                               scope.sql),
                   &st, &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_text(st, 1, req->app->district_code);
    int n = authz_scope_bind(&scope, st, 2);
    db_bind_int64(st, n++, page.after_id);
    db_bind_text(st, n++, page.after_key);
    db_bind_text(st, n++, page.after_key);
    db_bind_int64(st, n++, page.after_id);
    db_bind_int64(st, n, page.limit + 1);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW && http_page_take(req, &page, db_col_int64(st, 0), db_col_text(st, 4))) {
        char masked[96];
        mask_name(db_col_text(st, 9), masked, sizeof masked);
        json_array_append_new(items, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "id",
                                               (json_int_t)db_col_int64(st, 0), "slot_id", (json_int_t)db_col_int64(st, 1),
                                               "institution_id", (json_int_t)db_col_int64(st, 2), "institution_name",
                                               db_col_text(st, 3), "starts_at", db_col_text(st, 4), "ends_at",
                                               db_col_text(st, 5), "visitors", (int)db_col_int64(st, 6), "status",
                                               db_col_text(st, 7), "created_at", db_col_text(st, 8), "family_name",
                                               masked));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int cancel_visit(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t id = http_param_id(req, "id");
    int found;
    int64_t owner = enrol_int(req->db, &e, &found,
                              "SELECT family_user_id FROM visit_booking WHERE id = ? AND district_code = ?", "it", id,
                              req->app->district_code);
    if (owner < 0)
        return http_reply_err(rep, &e);
    struct authz_target t = {.owner_user_id = found ? owner : 0};
    if (!found)
        return http_reply_error(rep, 404, "not_found", "id", "未找到该参观预约");
    if (authz_require(req, "visit.cancel", &t, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t changed = enrol_exec(req->db, &e,
                                 "UPDATE visit_booking SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'booked'",
                                 "ti", now_ts, id);
    if (changed < 0)
        goto fail;
    if (changed == 0) {
        err_set(&e, 409, "not_booked", "id", "该参观预约已取消");
        goto fail;
    }
    if (enrol_exec(req->db, &e,
                   "UPDATE visit_slot SET booked = booked - 1, updated_at = ? WHERE id = (SELECT slot_id FROM visit_booking "
                   "WHERE id = ?) AND status = 'open'",
                   "ti", now_ts, id) < 0 ||
        inbox_withdraw(req->db, "visit_booking", id, "visit.reminder", now_ts, &e) < 0 ||
        audit_request(req, "visit.cancel", "visit_booking", http_printf(req, "%" PRId64, id), NULL, &e) < 0 ||
        db_commit(req->db, &e) < 0)
        goto fail;
    return http_reply_json(rep, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "cancelled"));
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static const struct http_schema SLOT_BODY = {
    NULL, HTTP_OBJECT, 0, "参观时段",
    .members = (const struct http_schema[]){
        {"starts_at", HTTP_DATETIME, HTTP_REQUIRED, "开始时间", 40},
        {"ends_at", HTTP_DATETIME, HTTP_REQUIRED, "结束时间", 40},
        {"capacity", HTTP_INTEGER, HTTP_REQUIRED, "可预约家庭数", 0, 1, SLOT_CAPACITY_MAX},
        {"note", HTTP_STRING, HTTP_NULLABLE, "备注（不超过 200 字）", NOTE_MAX_BYTES},
        {NULL}}};

static const struct http_schema VISIT_BODY = {
    NULL, HTTP_OBJECT, 0, "参观预约",
    .members = (const struct http_schema[]){
        {"slot_id", HTTP_ID, HTTP_REQUIRED, "参观时段"},
        {"visitors", HTTP_INTEGER, 0, "参观人数（上限见参数 visit.max_visitors_per_booking）", 0, 1, 100},
        {"child_id", HTTP_ID, HTTP_NULLABLE, "为哪个孩子参观（可不填）"},
        {NULL}}};

static const struct http_schema VISIT_BOOKING_MEMBERS[] = {
    {"id", HTTP_ID, HTTP_REQUIRED, "参观预约编号"},
    {"slot_id", HTTP_ID, 0, "参观时段"},
    {"institution_id", HTTP_ID, 0, "托育机构"},
    {"institution_name", HTTP_STRING, 0, "机构名称"},
    {"starts_at", HTTP_DATETIME, 0, "开始时间"},
    {"ends_at", HTTP_DATETIME, 0, "结束时间"},
    {"visitors", HTTP_INTEGER, 0, "参观人数"},
    {"status", HTTP_STRING, HTTP_REQUIRED, "状态（booked/cancelled/slot_cancelled）"},
    {"created_at", HTTP_DATETIME, 0, "预约时间（列表）"},
    {"family_name", HTTP_STRING, 0, "家长姓名（打码，列表）"},
    {NULL},
};
static const struct http_schema VISIT_BOOKING = {NULL, HTTP_OBJECT, 0, "参观预约", .members = VISIT_BOOKING_MEMBERS};
static const struct http_schema VISIT_BOOKING_PAGE = HTTP_PAGE_OF(VISIT_BOOKING);

static const struct http_schema SLOT_MEMBERS[] = {
    {"id", HTTP_ID, HTTP_REQUIRED, "参观时段编号"},
    {"institution_id", HTTP_ID, 0, "托育机构（员工）"},
    {"institution_name", HTTP_STRING, 0, "机构名称（员工）"},
    {"starts_at", HTTP_DATETIME, HTTP_REQUIRED, "开始时间"},
    {"ends_at", HTTP_DATETIME, HTTP_REQUIRED, "结束时间"},
    {"capacity", HTTP_INTEGER, HTTP_REQUIRED, "可预约家庭数"},
    {"booked", HTTP_INTEGER, 0, "已预约（员工）"},
    {"remaining", HTTP_INTEGER, HTTP_REQUIRED, "剩余名额"},
    {"note", HTTP_STRING, 0, "备注"},
    {"status", HTTP_STRING, 0, "状态（员工：open/cancelled）"},
    {"bookings", HTTP_ARRAY, 0, "预约（员工）", .items = &VISIT_BOOKING},
    {NULL},
};
static const struct http_schema SLOT = {NULL, HTTP_OBJECT, 0, "参观时段", .members = SLOT_MEMBERS};
static const struct http_schema SLOT_PAGE = HTTP_PAGE_OF(SLOT);

static const struct http_schema SLOT_CANCELLED = {NULL, HTTP_OBJECT, 0, "已取消的参观时段",
                                                  .members = (const struct http_schema[]){
                                                      {"id", HTTP_ID, HTTP_REQUIRED, "参观时段编号"},
                                                      {"status", HTTP_STRING, HTTP_REQUIRED, "cancelled"},
                                                      {"bookings_cancelled", HTTP_INTEGER, HTTP_REQUIRED, "随之取消的预约数"},
                                                      {NULL}}};

const struct route visits_routes[] = {
    {"GET", "/api/v1/public/institutions/{id}/visit-slots", "public", list_slots_public, NULL, &SLOT_PAGE},
    {"POST", "/api/v1/institutions/{id}/visit-slots", "visit_slot.manage", create_slot, &SLOT_BODY, &SLOT, 201},
    {"GET", "/api/v1/institutions/{id}/visit-slots", "visit_slot.manage", list_slots_staff, NULL, &SLOT_PAGE},
    {"DELETE", "/api/v1/visit-slots/{id}", "visit_slot.manage", cancel_slot, NULL, &SLOT_CANCELLED},
    {"POST", "/api/v1/visit-bookings", "visit.book", book_visit, &VISIT_BODY, &VISIT_BOOKING, 201},
    {"GET", "/api/v1/visit-bookings", "visit.list", list_visits, NULL, &VISIT_BOOKING_PAGE},
    {"DELETE", "/api/v1/visit-bookings/{id}", "visit.cancel", cancel_visit, NULL, &VISIT_BOOKING},
    {NULL, NULL, NULL, NULL},
};
