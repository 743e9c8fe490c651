/* store.c — reading and replacing the years of the working-day calendar, and loading the whole
 * calendar for counting. */
#include "calendar/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int calendar_list_years(struct db *db, const char *district, struct calendar_year_info *out, int cap, int *n,
                        struct err *e)
{
    *n = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT y.year, y.basis, y.updated_at, "
                                  "(SELECT COUNT(*) FROM calendar_day d WHERE d.district_code = y.district_code "
                                  "AND d.year = y.year AND d.kind = 'off'), "
                                  "(SELECT COUNT(*) FROM calendar_day d WHERE d.district_code = y.district_code "
                                  "AND d.year = y.year AND d.kind = 'work') "
                                  "FROM calendar_year y WHERE y.district_code = ? ORDER BY y.year",
                                  "t", district);
    if (!st)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW && *n < cap) {
        struct calendar_year_info *y = &out[(*n)++];
        db_scan(st, DB_INT(&y->year), DB_TEXT(y->basis), DB_TEXT(y->updated_at), DB_INT(&y->off_days),
                DB_INT(&y->work_days));
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int calendar_load_year(struct db *db, const char *district, int year, struct calendar_year *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_query(db, e,
                                  "SELECT basis, updated_at FROM calendar_year WHERE district_code = ? AND year = ?",
                                  "ti", district, (int64_t)year);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc;
    out->year = year;
    db_scan(st, DB_TEXT(out->basis), DB_TEXT(out->updated_at));
    db_finalize(st);
    st = db_query(db, e, "SELECT day, kind, name FROM calendar_day WHERE district_code = ? AND year = ? ORDER BY day",
                  "ti", district, (int64_t)year);
    if (!st)
        return -1;
    while ((rc = db_step(st, e)) == DB_ROW && out->ndays < CALENDAR_MAX_DAYS) {
        struct calendar_day *d = &out->days[out->ndays++];
        db_col_copy(st, 0, d->date, sizeof d->date);
        d->work = strcmp(db_col_text(st, 1), "work") == 0;
        db_col_copy(st, 2, d->name, sizeof d->name);
    }
    db_finalize(st);
    return rc < 0 ? -1 : 1;
}

int calendar_day_name(struct db *db, const char *district, const char *day, char *name, size_t cap, struct err *e)
{
    struct db_stmt *st =
        db_query(db, e, "SELECT name FROM calendar_day WHERE district_code = ? AND day = ?", "tt", district, day);
    int rc = db_first_row(st, e);
    if (rc > 0) {
        db_col_copy(st, 0, name, cap);
        db_finalize(st);
    }
    return rc;
}

int calendar_replace_year(struct db *db, const char *district, const struct calendar_year *y, const char *now_ts,
                          struct err *e)
{
    int64_t year = y->year;
    if (db_run(db, e, "DELETE FROM calendar_day WHERE district_code = ? AND year = ?", "ti", district, year) < 0 ||
        db_run(db, e, "DELETE FROM calendar_year WHERE district_code = ? AND year = ?", "ti", district, year) < 0 ||
        db_run(db, e, "INSERT INTO calendar_year (district_code, year, basis, updated_at) VALUES (?, ?, ?, ?)", "titt",
               district, year, y->basis, now_ts) < 0)
        return -1;
    for (int i = 0; i < y->ndays; i++)
        if (db_run(db, e, "INSERT INTO calendar_day (district_code, day, year, kind, name) VALUES (?, ?, ?, ?, ?)",
                   "ttitt", district, y->days[i].date, year, y->days[i].work ? "work" : "off", y->days[i].name) < 0)
            return -1;
    return 0;
}

struct listed_day {
    char date[DATE_DAY_LEN];
    int work;
};

static void read_listed_day(struct db_stmt *st, void *item)
{
    struct listed_day *d = item;
    db_col_copy(st, 0, d->date, DATE_DAY_LEN);
    d->work = strcmp(db_col_text(st, 1), "work") == 0;
}

int calendar_load(struct db *db, const char *district, struct date_calendar *out, struct err *e)
{
    int years[DATE_CALENDAR_MAX_YEARS + 1], nyears = 0, rc;
    memset(out, 0, sizeof *out);
    struct db_stmt *st =
        db_query(db, e, "SELECT year FROM calendar_year WHERE district_code = ? ORDER BY year", "t", district);
    if (!st)
        return -1;
    while ((rc = db_step(st, e)) == DB_ROW && nyears <= DATE_CALENDAR_MAX_YEARS)
        years[nyears++] = (int)db_col_int64(st, 0);
    db_finalize(st);
    if (rc < 0)
        return -1;
    if (nyears > DATE_CALENDAR_MAX_YEARS)
        return err_set(e, 500, "bad_calendar", "", "工作日历的年份超过 %d 个", DATE_CALENDAR_MAX_YEARS);
    st = db_query(db, e, "SELECT day, kind FROM calendar_day WHERE district_code = ? ORDER BY day", "t", district);
    void *rows;
    size_t ndays;
    if (db_rows(st, e, sizeof(struct listed_day), read_listed_day, &rows, &ndays) < 0)
        return -1;
    struct listed_day *listed = rows;
    struct date_calendar_entry *entries = malloc((ndays ? ndays : 1) * sizeof *entries);
    if (entries) {
        for (size_t i = 0; i < ndays; i++)
            entries[i] = (struct date_calendar_entry){listed[i].date, listed[i].work};
        rc = date_calendar_build(out, years, nyears, entries, (int)ndays, e);
    } else {
        rc = err_set(e, 500, "oom", "", "内存不足");
    }
    free(listed);
    free(entries);
    return rc < 0 ? -1 : 0;
}
