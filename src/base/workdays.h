/* workdays.h — working days (工作日): a calendar of public holidays and adjusted working days
 * (调休) held as data, and counting on it. Part of the date module (prefix date_); every deadline
 * in working days (a filing's 5-day receipt, a 15-day notice, a 30-day review) is counted here.
 *
 * A day is a working day when the calendar lists it as an adjusted working day ('work'), or when
 * it is Monday–Friday and the calendar does not list it as a holiday ('off'). The calendar covers
 * whole years (the State Council announces one year at a time); a date in a year the calendar does
 * not hold cannot be counted, and the error names that year so that an administrator adds it.
 *
 * Counting (docs/decisions.md, "Working-day calendar"): the n-th working day after a day never
 * counts that day itself, whether it is a working day or not — a filing submitted on 2024-09-30
 * has its 5-working-day receipt due on 2024-10-12 (10-01…10-07 off; 10-08, 10-09, 10-10, 10-11
 * and Saturday 10-12, an adjusted working day). n = 0 gives the day itself; a negative n counts
 * backwards (-1: the last working day before it).
 *
 * Pure: the calendar is built from data the caller loaded (src/calendar/ reads it from the
 * database), never reads a file or a clock, and is read-only once built, so threads may share
 * one. Building takes O(days in the span); each count is O(1) (a running count of working days
 * per day, the position of each working day, and each day's text). */
#ifndef TUOYU_WORKDAYS_H
#define TUOYU_WORKDAYS_H

#include <stdint.h>

#include "base/date.h"
#include "base/err.h"

/* At most this many years from the first year of a calendar to its last. */
#define DATE_CALENDAR_MAX_YEARS 64

/* The largest count a caller should accept as input (an API query, a command line): more working
 * days than a calendar of DATE_CALENDAR_MAX_YEARS years holds. */
#define DATE_MAX_WORKING_DAYS 20000

/* One listed day: "YYYY-MM-DD", and 1 for an adjusted working day or 0 for a holiday. */
struct date_calendar_entry {
    const char *date;
    int work;
};

struct date_calendar {
    int first_year, last_year; /* the span indexed; both 0 for an empty calendar */
    uint64_t years;            /* bit (y − first_year) set: year y is in the calendar */
    int64_t first_day;         /* first_year-01-01 as days since 1970-01-01 */
    int ndays;                 /* days in the span */
    int nwork;                 /* working days in the span (years held only) */
    int32_t *before;           /* [ndays + 1]: working days in the span before day i */
    int32_t *nth;              /* [nwork]: day index of the k-th working day (k from 0) */
    char (*text)[DATE_DAY_LEN]; /* [ndays]: each day of the span as "YYYY-MM-DD" */
};

/* Build cal from the years it holds (any order, each once, spanning at most
 * DATE_CALENDAR_MAX_YEARS) and the days they list (each date once, in one of those years).
 * 0, or -1 with e (422 bad_calendar naming what is wrong; 500 oom); cal is then empty.
 * Free with date_calendar_free. */
int date_calendar_build(struct date_calendar *cal, const int *years, int nyears,
                        const struct date_calendar_entry *entries, int nentries, struct err *e);
/* Release what date_calendar_build allocated; cal becomes empty. */
void date_calendar_free(struct date_calendar *cal);

/* *working = 1 when day is a working day, 0 when it is off. 0, or -1 with e: 422 bad_date, or
 * 422 calendar_year_missing naming the year to add. e->field is left empty for the caller. */
int date_is_working_day(const struct date_calendar *cal, const char *day, int *working, struct err *e);

/* out = the n-th working day after day (n > 0), before it (n < 0), or day itself (n = 0); day
 * itself never counts. 0, or -1 with e: 422 bad_date, or 422 calendar_year_missing naming the
 * first year the count would need that the calendar does not hold (day's own year included);
 * out is then "". out needs DATE_DAY_LEN bytes and may not alias day. */
int date_add_working_days(const struct date_calendar *cal, const char *day, int n, char out[DATE_DAY_LEN],
                          struct err *e);

#endif
