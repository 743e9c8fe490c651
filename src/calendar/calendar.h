/* calendar.h — the working-day calendar's pure part: a year of public holidays and adjusted
 * working days (调休) as the State Council's notice lists them, the request body that replaces a
 * year (its schema, and checking what it means), the replies, and the audit diff. No database,
 * no clock. Counting working days is src/base/workdays.h; SQL is store.c; routes are api.c. */
#ifndef TUOYU_CALENDAR_H
#define TUOYU_CALENDAR_H

#include <jansson.h>

#include "base/date.h"
#include "base/err.h"
#include "http/http.h"

/* The years a calendar may hold (a path's {year}); the span of those held is at most
 * DATE_CALENDAR_MAX_YEARS. */
#define CALENDAR_FIRST_YEAR 2000
#define CALENDAR_LAST_YEAR 2099
#define CALENDAR_MAX_DAYS 366

struct calendar_day {
    char date[DATE_DAY_LEN];
    int work;      /* 1: adjusted working day (调休上班), 0: holiday (放假) */
    char name[64]; /* 春节, 国庆节 … */
};

/* One year as held: its notice, and the days it lists in date order. */
struct calendar_year {
    int year;
    char basis[192];      /* the notice: 国办发明电〔2023〕7号 */
    char updated_at[32];  /* ISO 8601 UTC */
    int ndays;
    struct calendar_day days[CALENDAR_MAX_DAYS];
};

/* A year's summary for the list of years. */
struct calendar_year_info {
    int year;
    char basis[192];
    char updated_at[32];
    int off_days, work_days;
};

/* The body of PUT /api/v1/calendar/{year}: {basis, days: [{date, kind, name}]}. */
extern const struct http_schema calendar_year_schema;

/* The {year} of a path: four digits in CALENDAR_FIRST_YEAR..CALENDAR_LAST_YEAR. 0, or -1 with
 * e = 400 bad_year on field "year". */
int calendar_parse_year(const char *text, int *year, struct err *e);

/* Fill out (year, basis, days sorted by date) from a body the schema admitted, checking what it
 * means: at least one day; each date in `year`, listed once; kind "off" or "work"; an adjusted
 * working day on a Saturday or Sunday. 0, or -1 with e (422 naming the member, e.g.
 * days[3].date). */
int calendar_year_from_json(const json_t *body, int year, struct calendar_year *out, struct err *e);

/* {year, basis, updated_at, off_days, work_days, days: [{date, kind, name}]}. */
json_t *calendar_year_to_json(const struct calendar_year *y);
/* {year, basis, updated_at, off_days, work_days}. */
json_t *calendar_year_info_to_json(const struct calendar_year_info *y);

/* What replacing `before` (NULL: a new year) by `after` changes, for the audit row:
 * {basis, previous_basis?, added: ["2027-01-01 off 元旦", …], removed: […]}. */
json_t *calendar_changes(const struct calendar_year *before, const struct calendar_year *after);

#endif
