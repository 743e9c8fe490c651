/* store.c — reading and writing caregivers on duty, and the rows of the day pages (store.h). */
#include "duty/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"

int duty_overlaps(struct db *db, int64_t staff_id, const char *day, const char *at, struct err *e)
{
    int found;
    int64_t rc = db_query_int(db, e, &found,
                              "SELECT 1 FROM duty_shift WHERE staff_id = ? AND day = ? AND (check_out IS NULL OR "
                              "check_out > ?) LIMIT 1",
                              "itt", staff_id, day, at);
    return rc < 0 ? -1 : found;
}

int duty_insert(struct db *db, const char *district, int64_t staff_id, int64_t institution_id, int64_t class_id,
                const char *day, const char *check_in, int covering, int64_t recorded_by, const char *now_ts,
                int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO duty_shift (district_code, staff_id, institution_id, class_id, day, check_in, "
                       "covering, recorded_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id",
                       "tiiittiitt", district, staff_id, institution_id, class_id, day, check_in, (int64_t)covering,
                       recorded_by, now_ts, now_ts);
    return *id < 0 ? db_conflict_as(e, "already_on_duty", "staff_id", "该保育人员已在岗，请先登记离岗") : 0;
}

int duty_open_load(struct db *db, int64_t staff_id, const char *day, int64_t *id, int64_t *class_id, char *check_in,
                   struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, class_id, check_in FROM duty_shift WHERE staff_id = ? AND day = ? AND "
                                  "check_out IS NULL",
                                  "it", staff_id, day);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc;
    db_scan(st, DB_I64(id), DB_I64(class_id));
    db_col_copy(st, 2, check_in, 6);
    db_finalize(st);
    return 1;
}

int64_t duty_close(struct db *db, int64_t id, const char *check_out, const char *now_ts, struct err *e)
{
    return db_run(db, e, "UPDATE duty_shift SET check_out = ?, updated_at = ? WHERE id = ? AND check_out IS NULL", "tti",
                  check_out, now_ts, id);
}

static json_t *shift_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:b}", "id", (json_int_t)db_col_int64(st, 0), "staff_id",
                     (json_int_t)db_col_int64(st, 1), "staff_name", db_col_text(st, 2), "class_id",
                     (json_int_t)db_col_int64(st, 3), "class_name", db_col_text(st, 4), "check_in", db_col_text(st, 5),
                     "check_out", db_col_json_text(st, 6), "covering", (int)db_col_int64(st, 7));
}

int duty_shifts_json(struct db *db, int64_t institution_id, const char *day, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT s.id, s.staff_id, m.name_masked, s.class_id, k.name, s.check_in, s.check_out, "
                                  "s.covering FROM duty_shift s JOIN staff_member m ON m.id = s.staff_id JOIN "
                                  "institution_class k ON k.id = s.class_id WHERE s.day = ? AND s.institution_id = ? "
                                  "ORDER BY s.class_id, s.check_in, s.id",
                                  "ti", day, institution_id);
    return db_rows_json(st, e, shift_row, NULL, out);
}

/* ---- the rows of the day pages ---- */

/* Minutes of an "HH:MM" column, -1 for NULL or not a time. */
static int col_minute(struct db_stmt *st, int i) { return date_hhmm_minutes(db_col_text(st, i)); }

static void class_row(struct db_stmt *st, void *item)
{
    struct duty_class_row *c = item;
    db_scan(st, DB_I64(&c->id), DB_I64(&c->institution_id));
    c->type = class_type_from_code(db_col_text(st, 2));
    db_scan_from(st, 3, DB_TEXT(c->name), DB_INT(&c->placed), DB_TEXT(c->institution_name));
}

static void attendance_row(struct db_stmt *st, void *item)
{
    struct duty_attendance_row *a = item;
    db_scan(st, DB_I64(&a->class_id), DB_I64(&a->child_id));
    a->present = strcmp(db_col_text(st, 2), "present") == 0;
    a->in = col_minute(st, 3);
    a->out = col_minute(st, 4);
}

static void check_row(struct db_stmt *st, void *item)
{
    struct duty_check_row *c = item;
    db_scan(st, DB_I64(&c->class_id), DB_I64(&c->child_id), DB_INT(&c->abnormal));
}

static void shift_minutes(struct db_stmt *st, void *item)
{
    struct duty_shift_row *s = item;
    s->class_id = db_col_int64(st, 0);
    s->in = col_minute(st, 1);
    s->out = col_minute(st, 2);
}

int duty_board_load(struct db *db, const char *district, const struct authz_scope *scope, const char *day,
                    struct duty_board *b, struct err *e)
{
    memset(b, 0, sizeof *b);
    void *rows;
    /* each class with the children placed in it on the day */
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT k.id, k.institution_id, k.class_type, k.name, (SELECT COUNT(*) FROM care_placement p WHERE "
        "p.class_id = k.id AND p.start_date <= ? AND (p.end_date IS NULL OR p.end_date > ?)), i.name FROM institution_class k "
        "JOIN institution i ON i.id = k.institution_id WHERE i.district_code = ? AND i.status <> 'closed' AND %s "
        "ORDER BY i.id, k.id",
        scope->sql, &scope->params, -1, "ttt", day, day, district);
    if (db_rows(st, e, sizeof *b->classes, class_row, &rows, &b->nclasses) < 0)
        goto fail;
    b->classes = rows;
    st = db_query_scoped(db, e,
                         "SELECT a.class_id, a.child_id, a.status, a.check_in, a.check_out FROM care_attendance a JOIN "
                         "institution i ON i.id = a.institution_id WHERE a.day = ? AND i.district_code = ? AND %s",
                         scope->sql, &scope->params, -1, "tt", day, district);
    if (db_rows(st, e, sizeof *b->attendance, attendance_row, &rows, &b->nattendance) < 0)
        goto fail;
    b->attendance = rows;
    st = db_query_scoped(
        db, e,
        "SELECT c.class_id, c.child_id, CASE WHEN c.symptoms <> '' OR c.action <> 'none' THEN 1 ELSE 0 END "
        "FROM care_health_check c JOIN institution i ON i.id = c.institution_id WHERE c.day = ? AND "
        "c.slot = 'morning' AND i.district_code = ? AND %s",
        scope->sql, &scope->params, -1, "tt", day, district);
    if (db_rows(st, e, sizeof *b->checks, check_row, &rows, &b->nchecks) < 0)
        goto fail;
    b->checks = rows;
    st = db_query_scoped(db, e,
                         "SELECT s.class_id, s.check_in, s.check_out FROM duty_shift s JOIN institution i ON i.id = "
                         "s.institution_id WHERE s.day = ? AND i.district_code = ? AND %s",
                         scope->sql, &scope->params, -1, "tt", day, district);
    if (db_rows(st, e, sizeof *b->shifts, shift_minutes, &rows, &b->nshifts) < 0)
        goto fail;
    b->shifts = rows;
    return 0;
fail:
    duty_board_free(b);
    return -1;
}

void duty_board_free(struct duty_board *b)
{
    free(b->classes);
    free(b->attendance);
    free(b->checks);
    free(b->shifts);
    memset(b, 0, sizeof *b);
}

static void institution_row(struct db_stmt *st, void *item)
{
    struct duty_institution_row *r = item;
    db_scan(st, DB_I64(&r->id), DB_TEXT(r->name), DB_TEXT(r->town_code), DB_TEXT(r->town_name),
            DB_INT(&r->open_alerts));
}

int duty_institutions_load(struct db *db, const char *district, const struct authz_scope *scope,
                           struct duty_institution_row **out, size_t *n, struct err *e)
{
    void *rows;
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT i.id, i.name, i.town_code, t.name, (SELECT COUNT(*) FROM care_alert a WHERE a.institution_id = i.id "
        "AND a.status <> 'closed') FROM institution i JOIN town t ON t.code = i.town_code WHERE i.district_code = ? AND "
        "i.status <> 'closed' AND %s ORDER BY i.town_code, i.id",
        scope->sql, &scope->params, -1, "t", district);
    int rc = db_rows(st, e, sizeof **out, institution_row, &rows, n);
    *out = rows;
    return rc;
}

/* ---- findings ---- */

int duty_finding_record(struct db *db, const char *district, const struct duty_finding_row *f, const char *now_ts,
                        int64_t *id, int *town_told, struct err *e)
{
    int found;
    *town_told = 0;
    *id = db_query_int(db, e, &found,
                       "INSERT INTO duty_finding (district_code, institution_id, class_id, day, broken_from, broken_to, "
                       "minutes, rule, basis, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                       "(class_id, day, broken_from, district_code) DO NOTHING RETURNING id",
                       "tiitttitttt", district, f->institution_id, f->class_id, f->day, f->from, f->to[0] ? f->to : NULL,
                       (int64_t)f->minutes, f->rule, f->basis, now_ts, now_ts);
    if (*id < 0)
        return -1;
    if (found)
        return 1;
    /* recorded before: bring its end and length up to date */
    struct db_stmt *st = db_query(db, e,
                                  "UPDATE duty_finding SET broken_to = ?, minutes = ?, rule = ?, withdrawn_at = NULL, "
                                  "updated_at = ? WHERE "
                                  "class_id = ? AND day = ? AND broken_from = ? RETURNING id, town_told",
                                  "tittitt", f->to[0] ? f->to : NULL, (int64_t)f->minutes, f->rule, now_ts, f->class_id,
                                  f->day, f->from);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 500, "duty_finding", "", "发现记录丢失");
    db_scan(st, DB_I64(id), DB_INT(town_told));
    db_finalize(st);
    return 0;
}

static void recorded_row(struct db_stmt *st, void *item)
{
    struct duty_recorded *r = item;
    db_scan(st, DB_I64(&r->id), DB_I64(&r->class_id), DB_TEXT(r->from));
}

int duty_findings_recorded(struct db *db, const char *district, const struct authz_scope *scope, const char *day,
                           struct duty_recorded **out, size_t *n, struct err *e)
{
    void *rows;
    struct db_stmt *st =
        db_query_scoped(db, e,
                        "SELECT f.id, f.class_id, f.broken_from FROM duty_finding f JOIN institution i ON "
                        "i.id = f.institution_id WHERE f.day = ? AND f.withdrawn_at IS NULL AND "
                        "i.district_code = ? AND %s",
                        scope->sql, &scope->params, -1, "tt", day, district);
    int rc = db_rows(st, e, sizeof **out, recorded_row, &rows, n);
    *out = rows;
    return rc;
}

int duty_finding_withdraw(struct db *db, int64_t id, const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "UPDATE duty_finding SET withdrawn_at = ?, updated_at = ? WHERE id = ?", "tti", now_ts, now_ts,
                    id);
}

int duty_finding_town_told(struct db *db, int64_t id, const char *now_ts, struct err *e)
{
    return db_write(db, e, "UPDATE duty_finding SET town_told = 1, updated_at = ? WHERE id = ?", "ti", now_ts, id);
}

int duty_recipients(struct db *db, const char *district, int64_t institution_id, int town, int64_t **ids, size_t *n,
                    struct err *e)
{
    struct db_stmt *st =
        town ? db_query(db, e,
                        "SELECT id FROM app_user WHERE district_code = ? AND disabled = 0 AND role = ? AND town_code = "
                        "(SELECT town_code FROM institution WHERE id = ?) ORDER BY id",
                        "tti", district, role_code(ROLE_TOWN_OFFICER), institution_id)
             : db_query(db, e,
                        "SELECT id FROM app_user WHERE district_code = ? AND disabled = 0 AND role = ? AND "
                        "institution_id = ? ORDER BY id",
                        "tti", district, role_code(ROLE_INSTITUTION_OPERATOR), institution_id);
    void *rows;
    int rc = db_rows(st, e, sizeof(int64_t), db_row_int64, &rows, n);
    *ids = rows;
    return rc;
}

static json_t *finding_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:o, s:i, s:s, s:s, s:b}", "id", (json_int_t)db_col_int64(st, 0), "class_id",
                     (json_int_t)db_col_int64(st, 1), "class_name", db_col_text(st, 2), "broken_from",
                     db_col_text(st, 3), "broken_to", db_col_json_text(st, 4), "minutes", (int)db_col_int64(st, 5),
                     "rule", db_col_text(st, 6), "basis", db_col_text(st, 7), "town_told", (int)db_col_int64(st, 8));
}

int duty_findings_json(struct db *db, int64_t institution_id, const char *day, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT f.id, f.class_id, k.name, f.broken_from, f.broken_to, f.minutes, f.rule, f.basis, "
                                  "f.town_told FROM duty_finding f JOIN institution_class k ON k.id = f.class_id WHERE "
                                  "f.day = ? AND f.institution_id = ? AND f.withdrawn_at IS NULL ORDER BY f.broken_from, "
                                  "f.id",
                                  "ti", day, institution_id);
    return db_rows_json(st, e, finding_row, NULL, out);
}

static void class_day_row(struct db_stmt *st, void *item)
{
    struct duty_attended *x = item;
    db_scan(st, DB_I64(&x->class_id), DB_I64(&x->staff_id), DB_TEXT(x->day));
}

int duty_attended_class_days(struct db *db, int64_t institution_id, struct duty_attended **out, size_t *n,
                             struct err *e)
{
    void *rows;
    int rc = db_rows(db_query(db, e,
                              "SELECT d.class_id, m.id, d.day FROM (SELECT DISTINCT class_id, day FROM care_attendance "
                              "WHERE institution_id = ?) d JOIN staff_class sc ON sc.class_id = d.class_id JOIN "
                              "staff_member m ON m.id = sc.staff_id AND m.role = 'caregiver' AND m.start_date <= d.day "
                              "AND (m.end_date IS NULL OR m.end_date >= d.day) ORDER BY d.day, d.class_id, m.id",
                              "i", institution_id),
                     e, sizeof **out, class_day_row, &rows, n);
    *out = rows;
    return rc;
}
