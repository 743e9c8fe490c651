/* store.c — reading and writing health checks, screenings and their reminders (store.h). */
#include "checkups/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void done_row(struct db_stmt *st, void *item)
{
    struct checkups_done *d = item;
    db_scan(st, DB_TEXT(d->code), DB_TEXT(d->day));
}

int checkups_done_load(struct db *db, int64_t child_id, struct checkups_done **out, int *n, struct err *e)
{
    size_t count = 0;
    int rc = db_rows(db_query(db, e,
                              "SELECT check_code, checked_on FROM checkup_record WHERE child_id = ? UNION ALL "
                              "SELECT 'entry', checked_on FROM care_entry_check WHERE child_id = ? AND "
                              "kind = 'health_check' AND result = 'pass'",
                              "ii", child_id, child_id),
                     e, sizeof **out, done_row, (void **)out, &count);
    *n = (int)count;
    return rc;
}

int checkups_care_from(struct db *db, int64_t child_id, char out[DATE_DAY_LEN], struct err *e)
{
    out[0] = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT MIN(p.start_date) FROM care_placement p JOIN care_placement o ON "
                                  "o.child_id = p.child_id AND o.end_date IS NULL AND o.institution_id = "
                                  "p.institution_id WHERE p.child_id = ?",
                                  "i", child_id);
    int rc = db_first_row(st, e);
    if (rc < 0)
        return -1;
    if (rc) {
        db_col_copy(st, 0, out, DATE_DAY_LEN);
        db_finalize(st);
    }
    return 0;
}

int checkups_insert_record(struct db *db, const char *district, int64_t child_id, const struct checkups_record *r,
                           int64_t by, const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO checkup_record (district_code, child_id, check_code, checked_on, place, examiner, "
                       "result, note, measurement_id, institution_id, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       "titttttTIIit", district, child_id, r->check_code, r->checked_on, r->place, r->examiner,
                       r->result, r->note, r->measurement_id, r->institution_id, by, now_ts);
    return *id < 0 ? -1 : 0;
}

int checkups_insert_screening(struct db *db, const char *district, int64_t child_id,
                              const struct checkups_screening *s, int64_t by, const char *now_ts, int64_t *id,
                              struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO checkup_screening (district_code, child_id, tool, screened_on, result, referral_to, "
                       "follow_up, note, institution_id, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                       "?, ?) RETURNING id",
                       "titttTTTIit", district, child_id, s->tool, s->screened_on, s->result, s->referral_to,
                       s->follow_up, s->note, s->institution_id, by, now_ts);
    return *id < 0 ? -1 : 0;
}

/* A checkup_record row (with its measurement) as JSON. */
static json_t *record_json(struct db_stmt *st, void *ctx)
{
    char name[64];
    json_t *m = db_col_is_null(st, 7) ? json_null()
                                      : json_pack("{s:I, s:o, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 7),
                                                  "weight_kg", db_col_is_null(st, 8) ? json_null() : json_real(db_col_double(st, 8)),
                                                  "lenhei_cm", db_col_is_null(st, 9) ? json_null() : json_real(db_col_double(st, 9)),
                                                  "headc_cm", db_col_is_null(st, 10) ? json_null() : json_real(db_col_double(st, 10)));
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 0), "check_code",
                     db_col_text(st, 1), "check_name", checkups_code_name(db_col_text(st, 1), name, sizeof name),
                     "checked_on", db_col_text(st, 2), "place", db_col_text(st, 3), "examiner", db_col_text(st, 4),
                     "result", db_col_text(st, 5), "note", db_col_json_text(st, 6), "measurement", m);
}

int checkups_records_json(struct db *db, int64_t child_id, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT r.id, r.check_code, r.checked_on, r.place, r.examiner, r.result, r.note, "
                                  "r.measurement_id, m.weight_kg, m.lenhei_cm, m.headc_cm FROM checkup_record r "
                                  "LEFT JOIN measurement m ON m.id = r.measurement_id WHERE r.child_id = ? "
                                  "ORDER BY r.checked_on DESC, r.id DESC",
                                  "i", child_id);
    return db_rows_json(st, e, record_json, NULL, out);
}

/* A checkup_screening row as JSON. */
static json_t *screening_json(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 0), "tool",
                     db_col_text(st, 1), "screened_on", db_col_text(st, 2), "result", db_col_text(st, 3), "referral_to",
                     db_col_json_text(st, 4), "follow_up", db_col_json_text(st, 5), "note", db_col_json_text(st, 6));
}

int checkups_screenings_json(struct db *db, int64_t child_id, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, tool, screened_on, result, referral_to, follow_up, note FROM "
                                  "checkup_screening WHERE child_id = ? ORDER BY screened_on DESC, id DESC",
                                  "i", child_id);
    return db_rows_json(st, e, screening_json, NULL, out);
}

static void in_care_row(struct db_stmt *st, void *item)
{
    struct checkups_in_care *c = item;
    db_scan(st, DB_I64(&c->child_id), DB_I64(&c->institution_id), DB_I64(&c->family_user_id), DB_TEXT(c->name_masked),
            DB_TEXT(c->birth_date), DB_TEXT(c->care_from), DB_TEXT(c->institution_name), DB_TEXT(c->name_sealed));
}

int checkups_children_in_care(struct db *db, const char *district, const struct authz_scope *scope,
                              int64_t institution_id, struct checkups_in_care **out, int *n, struct err *e)
{
    static const struct db_params everywhere = {0};
    *out = NULL;
    *n = 0;
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT c.id, p.institution_id, c.family_user_id, c.name_masked, c.birth_date, "
        "(SELECT MIN(q.start_date) FROM care_placement q WHERE q.child_id = p.child_id AND q.institution_id = "
        "p.institution_id), i.name, c.name_sealed FROM care_placement p JOIN child c ON c.id = p.child_id JOIN institution i "
        "ON i.id = p.institution_id WHERE p.district_code = ? AND p.end_date IS NULL AND (? = 0 OR "
        "p.institution_id = ?) AND %s ORDER BY i.name, c.id",
        scope ? scope->sql : "1 = 1", scope ? &scope->params : &everywhere, -1, "tii", district, institution_id,
        institution_id);
    size_t count = 0;
    int rc = db_rows(st, e, sizeof **out, in_care_row, (void **)out, &count);
    *n = (int)count;
    return rc;
}

int checkups_claim_reminder(struct db *db, const char *district, int64_t child_id, const char *code,
                            const char *opens, const char *now_ts, int64_t *id, struct err *e)
{
    int found = 0;
    int64_t v = db_query_int(db, e, &found,
                             "INSERT INTO checkup_reminder (district_code, child_id, check_code, window_opens, sent_at) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                             "tittt", district, child_id, code, opens, now_ts);
    if (v < 0 && !found)
        return -1;
    *id = v;
    return found;
}
