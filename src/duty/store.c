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
    struct db_stmt *st = db_query(db, e,
                                  "INSERT INTO duty_shift (district_code, staff_id, institution_id, class_id, day, check_in, "
                                  "covering, recorded_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                  "RETURNING id",
                                  "tiiittiitt", district, staff_id, institution_id, class_id, day, check_in,
                                  (int64_t)covering, recorded_by, now_ts, now_ts);
    int rc = db_first_row(st, e);
    if (rc < 0 && strcmp(e->code, "db_conflict") == 0)
        return err_set(e, 409, "already_on_duty", "staff_id", "该保育人员已在岗，请先登记离岗");
    if (rc <= 0)
        return -1;
    *id = db_col_int64(st, 0);
    db_finalize(st);
    return 0;
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
    *id = db_col_int64(st, 0);
    *class_id = db_col_int64(st, 1);
    snprintf(check_in, 6, "%s", db_col_text(st, 2));
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

/* Prepare sql (with one %s for the scope) and bind day ndays times, then district and the scope:
 * NULL with e. */
static struct db_stmt *board_query(struct db *db, const char *sql, const char *district,
                                   const struct authz_scope *scope, const char *day, int ndays, struct err *e)
{
    char text[2048];
    snprintf(text, sizeof text, sql, scope->sql);
    struct db_stmt *st;
    if (db_prepare(db, text, &st, e) < 0)
        return NULL;
    int next = 1;
    while (next <= ndays)
        db_bind_text(st, next++, day);
    db_bind_text(st, next++, district);
    authz_scope_bind(scope, st, next);
    return st;
}

/* Minutes of an "HH:MM" column, -1 for NULL or not a time. */
static int col_minute(struct db_stmt *st, int i) { return date_hhmm_minutes(db_col_text(st, i)); }

static void class_row(struct db_stmt *st, void *item)
{
    struct duty_class_row *c = item;
    c->id = db_col_int64(st, 0);
    c->institution_id = db_col_int64(st, 1);
    c->type = class_type_from_code(db_col_text(st, 2));
    snprintf(c->name, sizeof c->name, "%s", db_col_text(st, 3));
    c->placed = (int)db_col_int64(st, 4);
}

static void attendance_row(struct db_stmt *st, void *item)
{
    struct duty_attendance_row *a = item;
    a->class_id = db_col_int64(st, 0);
    a->child_id = db_col_int64(st, 1);
    a->present = strcmp(db_col_text(st, 2), "present") == 0;
    a->in = col_minute(st, 3);
    a->out = col_minute(st, 4);
}

static void check_row(struct db_stmt *st, void *item)
{
    struct duty_check_row *c = item;
    c->class_id = db_col_int64(st, 0);
    c->child_id = db_col_int64(st, 1);
    c->abnormal = (int)db_col_int64(st, 2);
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
    struct db_stmt *st = board_query(
        db,
        "SELECT k.id, k.institution_id, k.class_type, k.name, (SELECT COUNT(*) FROM care_placement p WHERE "
        "p.class_id = k.id AND p.start_date <= ? AND (p.end_date IS NULL OR p.end_date > ?)) FROM institution_class k "
        "JOIN institution i ON i.id = k.institution_id WHERE i.district_code = ? AND i.status <> 'closed' AND %s "
        "ORDER BY i.id, k.id",
        district, scope, day, 2, e);
    if (db_rows(st, e, sizeof *b->classes, class_row, &rows, &b->nclasses) < 0)
        goto fail;
    b->classes = rows;
    st = board_query(db,
                     "SELECT a.class_id, a.child_id, a.status, a.check_in, a.check_out FROM care_attendance a JOIN "
                     "institution i ON i.id = a.institution_id WHERE a.day = ? AND i.district_code = ? AND %s",
                     district, scope, day, 1, e);
    if (db_rows(st, e, sizeof *b->attendance, attendance_row, &rows, &b->nattendance) < 0)
        goto fail;
    b->attendance = rows;
    st = board_query(db,
                     "SELECT c.class_id, c.child_id, CASE WHEN c.symptoms <> '' OR c.action <> 'none' THEN 1 ELSE 0 END "
                     "FROM care_health_check c JOIN institution i ON i.id = c.institution_id WHERE c.day = ? AND "
                     "c.slot = 'morning' AND i.district_code = ? AND %s",
                     district, scope, day, 1, e);
    if (db_rows(st, e, sizeof *b->checks, check_row, &rows, &b->nchecks) < 0)
        goto fail;
    b->checks = rows;
    st = board_query(db,
                     "SELECT s.class_id, s.check_in, s.check_out FROM duty_shift s JOIN institution i ON i.id = "
                     "s.institution_id WHERE s.day = ? AND i.district_code = ? AND %s",
                     district, scope, day, 1, e);
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
    r->id = db_col_int64(st, 0);
    snprintf(r->name, sizeof r->name, "%s", db_col_text(st, 1));
    snprintf(r->town_code, sizeof r->town_code, "%s", db_col_text(st, 2));
    snprintf(r->town_name, sizeof r->town_name, "%s", db_col_text(st, 3));
    r->open_alerts = (int)db_col_int64(st, 4);
}

int duty_institutions_load(struct db *db, const char *district, const struct authz_scope *scope,
                           struct duty_institution_row **out, size_t *n, struct err *e)
{
    void *rows;
    struct db_stmt *st = board_query(
        db,
        "SELECT i.id, i.name, i.town_code, t.name, (SELECT COUNT(*) FROM care_alert a WHERE a.institution_id = i.id "
        "AND a.status <> 'closed') FROM institution i JOIN town t ON t.code = i.town_code WHERE i.district_code = ? AND "
        "i.status <> 'closed' AND %s ORDER BY i.town_code, i.id",
        district, scope, NULL, 0, e);
    int rc = db_rows(st, e, sizeof **out, institution_row, &rows, n);
    *out = rows;
    return rc;
}
