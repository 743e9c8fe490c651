/* store.c — reading and writing incidents and mandatory reports (store.h). */
#include "incidents/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int incidents_store_insert(struct db *db, const char *district, int64_t institution_id, int64_t class_id,
                           const struct incident_input *in, const struct incident_kind *k, const char *occurred_at,
                           const char *guardian_at, const char *guardian_channel, const char *police_at,
                           int64_t user_id, const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO incident (district_code, institution_id, child_id, class_id, kind, occurred_at, "
                       "place, description, body_part, severity, first_aid, hospital, hospital_note, "
                       "guardian_notified_at, guardian_channel, police_reported_at, police_note, mandatory, "
                       "family_visible, status, recorded_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id",
                       "tiiittttTtTiTTTTTiiitt", district, institution_id, in->child_id, class_id, in->kind,
                       occurred_at, in->place, in->description, in->body_part, in->severity, in->first_aid,
                       (int64_t)in->hospital, in->hospital_note, guardian_at, guardian_channel, police_at,
                       in->police_note, (int64_t)k->mandatory, (int64_t)k->family_visible, user_id, now_ts, now_ts);
    return *id < 0 ? -1 : 0;
}

static void incidents_store_load_row(struct db_stmt *st, void *item)
{
    struct incident_row *out = item;
    db_scan(st, DB_I64(&out->id), DB_I64(&out->institution_id), DB_I64(&out->child_id), DB_I64(&out->family_user_id),
            DB_TEXT(out->town_code), DB_TEXT(out->institution_name), DB_TEXT(out->kind), DB_TEXT(out->status),
            DB_INT(&out->mandatory), DB_INT(&out->family_visible));
    out->guardian_notified = !db_col_is_null(st, 10);
    db_scan_from(st, 11, DB_TEXT(out->place), DB_TEXT(out->severity), DB_TEXT(out->occurred_at));
}

int incidents_store_load(struct db *db, const char *district, int64_t id, struct incident_row *out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT n.id, n.institution_id, n.child_id, c.family_user_id, i.town_code, i.name, n.kind, "
                                  "n.status, n.mandatory, n.family_visible, n.guardian_notified_at, n.place, n.severity, n.occurred_at "
                                  "FROM incident n "
                                  "JOIN institution i ON i.id = n.institution_id JOIN child c ON c.id = n.child_id "
                                  "WHERE n.id = ? AND n.district_code = ?",
                                  "it", id, district);
    return db_one_or_404(st, e, sizeof *out, incidents_store_load_row, out, "id", "未找到该事件");
}

/* The columns an incident is shown with (incident_json reads them in this order). */
#define INCIDENT_COLUMNS                                                                                           \
    "n.id, n.institution_id, i.name, n.child_id, c.name_masked, k.name, n.kind, n.mandatory, n.occurred_at, n.place, " \
    "n.description, n.body_part, n.severity, n.first_aid, n.hospital, n.hospital_note, n.guardian_notified_at, "     \
    "n.guardian_channel, n.police_reported_at, n.police_note, n.status, n.closed_at, n.close_note, n.created_at, "   \
    "n.family_visible, i.town_code"
#define INCIDENT_FROM                                                                                              \
    " FROM incident n JOIN institution i ON i.id = n.institution_id JOIN child c ON c.id = n.child_id "             \
    "LEFT JOIN institution_class k ON k.id = n.class_id "

static json_t *incident_json(struct db_stmt *st)
{
    const char *kind = db_col_text(st, 6), *part = db_col_is_null(st, 11) ? NULL : db_col_text(st, 11),
               *severity = db_col_text(st, 12), *channel = db_col_is_null(st, 17) ? NULL : db_col_text(st, 17);
    json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:s, s:o, s:s, s:s, s:b, s:s, s:s, s:s}", "id",
                          (json_int_t)db_col_int64(st, 0), "institution_id", (json_int_t)db_col_int64(st, 1),
                          "institution_name", db_col_text(st, 2), "child_id", (json_int_t)db_col_int64(st, 3),
                          "child_name", db_col_text(st, 4), "class_name", db_col_json_text(st, 5), "kind", kind,
                          "kind_name", incident_name(kind), "mandatory", (int)db_col_int64(st, 7), "occurred_at",
                          db_col_text(st, 8), "place", db_col_text(st, 9), "description", db_col_text(st, 10));
    json_object_update_new(
        o,
        json_pack("{s:s?, s:s?, s:s, s:s, s:o, s:b, s:o, s:o, s:s?, s:s?, s:o, s:o, s:s, s:s, s:o, s:o, s:s, s:b, s:s}",
                  "body_part", part, "body_part_name", part ? incident_name(part) : NULL, "severity", severity,
                  "severity_name", incident_name(severity), "first_aid", db_col_json_text(st, 13), "hospital",
                  (int)db_col_int64(st, 14), "hospital_note", db_col_json_text(st, 15), "guardian_notified_at",
                  db_col_json_text(st, 16), "guardian_channel", channel, "guardian_channel_name",
                  channel ? incident_name(channel) : NULL, "police_reported_at", db_col_json_text(st, 18),
                  "police_note", db_col_json_text(st, 19), "status", db_col_text(st, 20), "status_name",
                  incident_name(db_col_text(st, 20)), "closed_at", db_col_json_text(st, 21), "close_note",
                  db_col_json_text(st, 22), "created_at", db_col_text(st, 23), "family_visible",
                  (int)db_col_int64(st, 24), "town_code", db_col_text(st, 25)));
    return o;
}

static json_t *follow_up_json(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_col_int64(st, 0), "note", db_col_text(st, 1), "created_at",
                     db_col_text(st, 2));
}

/* The columns a report is shown with (report_json reads them in this order, after the incident's). */
#define REPORT_COLUMNS "r.id, r.state, r.due_on, r.reported_at, r.acknowledged_at, r.handled_at, r.outcome"

static json_t *report_json(struct db_stmt *st, int at, const char *today)
{
    const char *state = db_col_text(st, at + 1), *due = db_col_is_null(st, at + 2) ? NULL : db_col_text(st, at + 2);
    return json_pack("{s:I, s:s, s:s, s:s?, s:b, s:s, s:o, s:o, s:o}", "id", (json_int_t)db_col_int64(st, at), "state",
                     state, "state_name", incident_name(state), "due_on", due, "overdue",
                     due && today && strcmp(due, today) < 0, "reported_at", db_col_text(st, at + 3), "acknowledged_at",
                     db_col_json_text(st, at + 4), "handled_at", db_col_json_text(st, at + 5), "outcome",
                     db_col_json_text(st, at + 6));
}

/* The incident of a row read with INCIDENT_COLUMNS, REPORT_COLUMNS: with its report, or (for
 * readers who may not see the report) with neither the report nor the police's details. */
static json_t *incident_with_report(struct db_stmt *st, int with_report, const char *today)
{
    json_t *o = incident_json(st);
    if (!with_report) {
        json_object_set_new(o, "police_reported_at", json_null());
        json_object_set_new(o, "police_note", json_null());
    }
    json_object_set_new(o, "report", with_report && !db_col_is_null(st, 26) ? report_json(st, 26, today) : json_null());
    return o;
}

/* How a listed incident is shown: with its report or not, overdue counted from today (or not). */
struct shown {
    int with_report;
    const char *today;
};

static json_t *shown_row(struct db_stmt *st, void *ctx)
{
    const struct shown *how = ctx;
    return incident_with_report(st, how->with_report, how->today);
}

int incidents_store_json(struct db *db, int64_t id, int with_report, json_t **out, struct err *e)
{
    *out = NULL;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT " INCIDENT_COLUMNS ", " REPORT_COLUMNS INCIDENT_FROM
                                  "LEFT JOIN incident_report r ON r.incident_id = n.id WHERE n.id = ?",
                                  "i", id);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该事件");
    json_t *o = incident_with_report(st, with_report, NULL);
    db_finalize(st);
    json_t *follow;
    if (db_rows_json(db_query(db, e, "SELECT id, note, created_at FROM incident_follow_up WHERE incident_id = ? ORDER BY id",
                              "i", id),
                     e, follow_up_json, NULL, &follow) < 0) {
        json_decref(o);
        return -1;
    }
    json_object_set_new(o, "follow_ups", follow);
    *out = o;
    return 0;
}

int incidents_store_list(struct db *db, const char *district, const struct authz_scope *scope, int64_t institution_id,
                         int64_t child_id, int family, int with_report, int limit, json_t **out, struct err *e)
{
    *out = NULL;
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT " INCIDENT_COLUMNS ", " REPORT_COLUMNS INCIDENT_FROM
        "LEFT JOIN incident_report r ON r.incident_id = n.id WHERE n.district_code = ? AND (? = 0 OR "
        "n.institution_id = ?) AND (? = 0 OR n.child_id = ?) AND (? = 0 OR n.family_visible = 1) AND %s "
        "ORDER BY n.occurred_at DESC, n.id DESC LIMIT ?",
        scope->sql, &scope->params, limit, "tiiiii", district, institution_id, institution_id, child_id, child_id,
        (int64_t)family);
    return db_rows_json(st, e, shown_row, &(struct shown){with_report, NULL}, out);
}

int incidents_store_follow_up(struct db *db, const char *district, int64_t incident_id, const char *note,
                              int64_t user_id, const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO incident_follow_up (district_code, incident_id, note, recorded_by, created_at) "
                       "VALUES (?, ?, ?, ?, ?) RETURNING id",
                       "titit", district, incident_id, note, user_id, now_ts);
    return *id < 0 ? -1 : 0;
}

int64_t incidents_store_notified(struct db *db, int64_t id, const char *at, const char *channel, const char *now_ts,
                                 struct err *e)
{
    return db_run(db, e,
                  "UPDATE incident SET guardian_notified_at = ?, guardian_channel = ?, updated_at = ? "
                  "WHERE id = ? AND guardian_notified_at IS NULL",
                  "ttti", at, channel, now_ts, id);
}

int64_t incidents_store_close(struct db *db, int64_t id, int64_t user_id, const char *note, const char *now_ts,
                              struct err *e)
{
    return db_run(db, e,
                  "UPDATE incident SET status = 'closed', closed_at = ?, closed_by = ?, close_note = ?, updated_at = ? "
                  "WHERE id = ? AND status = 'open'",
                  "titti", now_ts, user_id, note, now_ts, id);
}

int incidents_store_report_insert(struct db *db, const char *district, int64_t incident_id, int64_t institution_id,
                                  const char *town_code, const char *state, const char *due_on, const char *now_ts,
                                  int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO incident_report (district_code, incident_id, institution_id, town_code, state, "
                       "due_on, reported_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       "tiittTtt", district, incident_id, institution_id, town_code, state, due_on, now_ts, now_ts);
    return *id < 0 ? -1 : 0;
}

static void incidents_store_report_load_row(struct db_stmt *st, void *item)
{
    struct incident_report_row *out = item;
    db_scan(st, DB_I64(&out->id), DB_I64(&out->incident_id), DB_I64(&out->institution_id), DB_TEXT(out->town_code),
            DB_TEXT(out->state), DB_TEXT(out->due_on));
}

int incidents_store_report_load(struct db *db, const char *district, int64_t id, struct incident_report_row *out,
                                struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, incident_id, institution_id, town_code, state, due_on FROM incident_report "
                                  "WHERE id = ? AND district_code = ?",
                                  "it", id, district);
    return db_one_or_404(st, e, sizeof *out, incidents_store_report_load_row, out, "id", "未找到该强制报告");
}

int64_t incidents_store_report_move(struct db *db, int64_t id, const char *from, const char *to, const char *due_on,
                                    int64_t user_id, const char *outcome, const char *now_ts, struct err *e)
{
    const char *due = due_on[0] ? due_on : NULL;
    if (strcmp(to, "acknowledged") == 0)
        return db_run(db, e,
                      "UPDATE incident_report SET state = ?, due_on = ?, acknowledged_by = ?, acknowledged_at = ?, "
                      "updated_at = ? WHERE id = ? AND state = ?",
                      "ttittit", to, due, user_id, now_ts, now_ts, id, from);
    return db_run(db, e,
                  "UPDATE incident_report SET state = ?, due_on = ?, handled_by = ?, handled_at = ?, outcome = ?, "
                  "updated_at = ? WHERE id = ? AND state = ?",
                  "ttitttit", to, due, user_id, now_ts, outcome, now_ts, id, from);
}

int incidents_store_reports(struct db *db, const char *district, const struct authz_scope *scope, const char *state,
                            const char *today, int limit, json_t **out, struct err *e)
{
    *out = NULL;
    struct db_stmt *st =
        db_query_scoped(db, e,
                        "SELECT " INCIDENT_COLUMNS ", " REPORT_COLUMNS INCIDENT_FROM
                        "JOIN incident_report r ON r.incident_id = n.id WHERE r.district_code = ? AND "
                        "(? = '' AND r.state <> 'handled' OR r.state = ?) AND %s "
                        "ORDER BY CASE WHEN r.due_on IS NULL THEN 1 ELSE 0 END, r.due_on, r.id LIMIT ?",
                        scope->sql, &scope->params, limit, "ttt", district, state, state);
    return db_rows_json(st, e, shown_row, &(struct shown){1, today}, out);
}

int incidents_store_report_recipients(struct db *db, const char *district, const char *town_code, int64_t **ids,
                                      size_t *n, struct err *e)
{
    *ids = NULL;
    *n = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id FROM app_user WHERE district_code = ? AND disabled = 0 AND (role = ? OR "
                                  "(role = ? AND town_code = ?)) ORDER BY id",
                                  "tttt", district, role_code(ROLE_DISTRICT_ADMIN), role_code(ROLE_TOWN_OFFICER), town_code);
    void *rows;
    int rc = db_rows(st, e, sizeof(int64_t), db_row_int64, &rows, n);
    *ids = rows;
    return rc;
}
