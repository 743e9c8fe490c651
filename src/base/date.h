/* date.h — calendar dates and timestamps without a clock or a time-zone database.
 *
 * Dates are ISO 8601 calendar dates "YYYY-MM-DD" in the proleptic Gregorian calendar, years
 * 0001–9999, and must exist (2023-02-30 and 2023-02-29 are rejected; 2024-02-29 is fine).
 * Timestamps are unix seconds (int64_t), written as ISO 8601 UTC "2026-03-02T09:00:00Z".
 *
 * "Today" is the calendar day in China Standard Time (UTC+08:00, no daylight saving since
 * 1991): the service's business day is Beijing time, so date_format_day(t) of
 * 2026-03-01T20:00:00Z is "2026-03-02". Timestamps stay in UTC.
 *
 * Everything here is pure (no clock, no locale, no global state) and thread-safe. The caller
 * passes "now" in. */
#ifndef TUOYU_DATE_H
#define TUOYU_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Offset of the business day from UTC, seconds (China Standard Time). */
#define DATE_LOCAL_OFFSET_SECONDS (8 * 3600)
/* Bytes needed for "YYYY-MM-DD" plus NUL, and for "YYYY-MM-DDTHH:MM:SSZ" plus NUL. */
#define DATE_DAY_LEN 11
#define DATE_TIMESTAMP_LEN 21

struct date_ymd {
    int year;  /* 1..9999 */
    int month; /* 1..12 */
    int day;   /* 1..31 */
};

/* 1 when y is a Gregorian leap year. */
int date_is_leap(int year);
/* Days in the month (28..31), 0 when month is out of 1..12. */
int date_days_in_month(int year, int month);
/* 1 when year/month/day is a real date in 0001-01-01..9999-12-31. */
int date_ymd_is_valid(int year, int month, int day);

/* Parse exactly "YYYY-MM-DD" (no spaces, no other forms) that exists. 0 on success; -1 with
 * e = 422 "bad_date" "日期无效：2023-02-30（应为 YYYY-MM-DD 格式的真实日期）" otherwise.
 * e->field is left empty for the caller to set. */
int date_parse(const char *s, struct date_ymd *out, struct err *e);
/* 1 when s is a valid date for date_parse, 0 otherwise (NULL is invalid). */
int date_is_valid(const char *s);
/* Write "YYYY-MM-DD" (out needs DATE_DAY_LEN bytes). 0, or -1 when d is not a valid date
 * (out is then ""). */
int date_format(const struct date_ymd *d, char out[DATE_DAY_LEN]);

/* Days since 1970-01-01 (negative before). d must be valid. */
int64_t date_to_days(const struct date_ymd *d);
/* The date `days` days after 1970-01-01. 0, or -1 when outside years 1..9999. */
int date_from_days(int64_t days, struct date_ymd *out);

/* *out = to − from in days (negative when to is earlier). 0, or -1 with "bad_date" in e. */
int date_days_between(const char *from, const char *to, int64_t *out, struct err *e);
/* out = day + n days (n may be negative). 0, or -1 when day is invalid or the result leaves
 * years 1..9999 (out is then ""). out needs DATE_DAY_LEN bytes and may not alias day. */
int date_add_days(const char *day, int64_t n, char out[DATE_DAY_LEN]);
/* out = day + n months (n may be negative); a day past the end of the target month becomes
 * its last day (2024-01-31 + 1 month = 2024-02-29, 2023-01-31 + 1 = 2023-02-28), as in
 * 民法典 第二百零三条 ("没有对应日的，月末日为期间的最后一日"). 0, or -1 like date_add_days. */
int date_add_months(const char *day, int n, char out[DATE_DAY_LEN]);
/* Add n whole years (same rule: 02-29 becomes 02-28 in a common year). */
int date_add_years(const char *day, int n, char out[DATE_DAY_LEN]);
/* ISO day of the week: 1 = Monday … 7 = Sunday; -1 when day is invalid. */
int date_day_of_week(const char *day);
/* Whole years of age on `on` of someone born on `birth` (a 02-29 birthday counts on 03-01 in
 * common years); -1 when either date is invalid or on < birth. */
int date_age_years(const char *birth, const char *on);
/* Whole months from `from` to `to` (e.g. a child's age in months): the number of month
 * anniversaries passed, clamped like date_add_months. -1 when invalid or to < from. */
int date_months_between(const char *from, const char *to);

/* The business day (UTC+08:00) of unix time t as "YYYY-MM-DD" into out (n ≥ DATE_DAY_LEN;
 * out is "" when n is too small or t is out of range). */
void date_format_day(int64_t t, char *out, size_t n);
/* How people read dates (messages, errors, exports): "2027-01-18" → "2027年1月18日", "2027-01" →
 * "2027年1月", anything else copied as it is. The one formatter of dates in words on the server;
 * web/src/lib/format.js is the web app's. out needs DATE_WORDS_LEN bytes. Returns out. */
#define DATE_WORDS_LEN 40
const char *date_words(const char *day_or_month, char *out, size_t n);
/* Unix time t as the business day and time in words: "2026年12月4日 19:16:05"; date_words_minute
 * to the minute, as messages say it: "2026年12月4日 19:16". */
const char *date_words_time(int64_t t, char *out, size_t n);
const char *date_words_minute(int64_t t, char *out, size_t n);
/* Unix time t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into out (n ≥ DATE_TIMESTAMP_LEN; "" when too
 * small or out of range). */
void date_format_timestamp(int64_t t, char *out, size_t n);
/* Parse an ISO 8601 timestamp: "YYYY-MM-DDTHH:MM:SS" (a space instead of T is accepted),
 * optional fraction ".sss" (truncated), then "Z" or an offset "+08:00"/"+0800"/"-05:00".
 * A timestamp without zone is rejected (it would be ambiguous). Seconds 60 are rejected.
 * 0 and *out = unix seconds, or -1. */
int date_parse_timestamp(const char *s, int64_t *out);
/* Unix time of midnight at the start of `day` in the business zone (UTC+08:00). 0 or -1. */
int date_day_start(const char *day, int64_t *out);
/* Minutes since midnight of a time of day "HH:MM" (00:00–23:59, two digits each), or -1 (NULL
 * too): the one reader of the times a form gives (attendance, training sessions, duty). */
int date_hhmm_minutes(const char *t);
/* The minute of the business day (UTC+08:00, 0–1439) of unix time t. */
int date_minute_of_day(int64_t t);

#endif
