/* store_outdoor.c — the SQL of a class's outdoor time (store_outdoor.h). */
#include "care/store_outdoor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/params.h"

int care_outdoor_rules_load(struct db *db, const char *district, const char *day, struct care_outdoor_rules *r,
                            struct err *e)
{
    struct params *p = malloc(sizeof *p);
    if (!p)
        return err_set(e, 500, "oom", "", "内存不足");
    memset(r, 0, sizeof *r);
    double days = 0;
    int rc = params_load(db, district, day, p, e);
    if (rc == 0)
        rc = params_num(p, "care.outdoor_min_hours_full_day", &r->min_hours, e);
    if (rc == 0)
        rc = params_num(p, "care.outdoor_review_days", &days, e);
    if (rc == 0) {
        r->review_days = (int)days;
        snprintf(r->basis, sizeof r->basis, "%s", params_basis(p, "care.outdoor_min_hours_full_day"));
    }
    free(p);
    return rc;
}

int care_outdoor_save(struct db *db, const char *district, int64_t institution_id, const struct care_outdoor *o,
                      int64_t recorded_by, const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO care_outdoor (district_code, institution_id, class_id, day, minutes, weather, note, "
                    "recorded_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (district_code, class_id, day) DO UPDATE SET minutes = excluded.minutes, "
                    "weather = excluded.weather, note = excluded.note, recorded_by = excluded.recorded_by, "
                    "updated_at = excluded.updated_at",
                    "tiitiTTitt", district, institution_id, o->class_id, o->day, (int64_t)o->minutes, o->weather,
                    o->note, recorded_by, now_ts, now_ts);
}

static json_t *day_row(struct db_stmt *st, void *ctx)
{
    int recorded = !db_col_is_null(st, 4);
    return json_pack("{s:I, s:s, s:s, s:I, s:o, s:o, s:o, s:o}", "class_id", (json_int_t)db_col_int64(st, 0),
                     "class_name", db_col_text(st, 1), "date", db_col_text(st, 2), "present",
                     (json_int_t)db_col_int64(st, 3), "minutes",
                     recorded ? json_integer(db_col_int64(st, 4)) : json_null(), "weather",
                     db_col_is_null(st, 5) ? json_null() : json_string(db_col_text(st, 5)), "note",
                     db_col_is_null(st, 6) ? json_null() : json_string(db_col_text(st, 6)), "updated_at",
                     recorded ? json_string(db_col_text(st, 7)) : json_null());
}

/* The class-days (institution, class, day) with children present from..to, and those recorded,
 * as one set "d" with the count present: the two sources of a day of care. */
#define CARE_DAYS_SQL                                                                                                  \
    "(SELECT institution_id, class_id, day, SUM(present) AS present FROM ("                                           \
    "SELECT institution_id, class_id, day, 1 AS present FROM care_attendance WHERE district_code = ? AND "            \
    "status = 'present' AND day >= ? AND day <= ? AND %s "                                                             \
    "UNION ALL SELECT institution_id, class_id, day, 0 FROM care_outdoor WHERE district_code = ? AND day >= ? AND "   \
    "day <= ? AND %s) x GROUP BY institution_id, class_id, day) d"

int care_outdoor_days_json(struct db *db, const char *district, int64_t institution_id, int64_t class_id,
                           const char *from, const char *to, json_t **out, struct err *e)
{
    const char *which = class_id ? "institution_id = ? AND class_id = ?" : "institution_id = ? AND ? = 0";
    char sql[1536];
    snprintf(sql, sizeof sql,
             "SELECT d.class_id, k.name, d.day, d.present, o.minutes, o.weather, o.note, o.updated_at FROM " CARE_DAYS_SQL
             " JOIN institution_class k ON k.id = d.class_id AND k.district_code = ? LEFT JOIN care_outdoor o ON "
             "o.district_code = ? AND o.class_id = d.class_id AND o.day = d.day ORDER BY k.id, d.day",
             which, which);
    return db_rows_json(db_query(db, e, sql, "tttiitttiitt", district, from, to, institution_id, class_id, district,
                                 from, to, institution_id, class_id, district, district),
                        e, day_row, NULL, out);
}

static void care_day_row(struct db_stmt *st, void *item)
{
    struct care_outdoor_day *d = item;
    db_scan(st, DB_I64(&d->institution_id), DB_I64(&d->class_id), DB_TEXT(d->class_name), DB_TEXT(d->day));
    d->minutes = db_col_is_null(st, 4) ? -1 : (int)db_col_int64(st, 4);
    db_col_copy(st, 5, d->weather, sizeof d->weather);
}

int care_outdoor_care_days(struct db *db, const char *district, const char *town, int64_t institution_id,
                           const char *from, const char *to, struct care_outdoor_day **out, int *n, struct err *e)
{
    struct db_params p = {0};
    char where[160] = "";
    if (town) {
        strcat(where, " AND i.town_code = ?");
        db_params_text(&p, town);
    }
    if (institution_id > 0) {
        strcat(where, " AND i.id = ?");
        db_params_int64(&p, institution_id);
    }
    char sql[1536];
    snprintf(sql, sizeof sql,
             "SELECT a.institution_id, a.class_id, k.name, a.day, o.minutes, o.weather FROM "
             "(SELECT DISTINCT institution_id, class_id, day FROM care_attendance WHERE district_code = ? AND "
             "status = 'present' AND day >= ? AND day <= ?) a JOIN institution i ON i.id = a.institution_id AND "
             "i.district_code = ?%s JOIN institution_class k ON k.id = a.class_id AND k.district_code = i.district_code "
             "LEFT JOIN care_outdoor o ON "
             "o.district_code = ? AND o.class_id = a.class_id AND o.day = a.day "
             "ORDER BY a.institution_id, a.class_id, a.day",
             where);
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    db_bind_text(st, 1, district);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_text(st, 4, district);
    int next = db_params_bind(&p, st, 5);
    db_bind_text(st, next, district);
    void *list;
    size_t count;
    if (db_rows(st, e, sizeof **out, care_day_row, &list, &count) < 0)
        return -1;
    *out = list;
    *n = (int)count;
    return 0;
}
