/* date.c — ISO dates and timestamps: parsing, validation, arithmetic, formatting.
 * Day counts use Howard Hinnant's civil-from-days algorithms (public domain), exact for the
 * proleptic Gregorian calendar. */
#include "base/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 0001-01-01 and 9999-12-31 as days since 1970-01-01 */
#define MIN_DAYS (-719162)
#define MAX_DAYS 2932896

int date_is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && date_is_leap(year) ? 29 : days[month - 1];
}

int date_ymd_is_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= date_days_in_month(year, month);
}

/* n ASCII digits at s into *out; -1 if any is not a digit */
static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* "YYYY-MM-DD" at the start of s (exactly 10 chars consumed) into d; no validity check */
static int scan_ymd(const char *s, struct date_ymd *d)
{
    if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    if (digits(s, 4, &d->year) || digits(s + 5, 2, &d->month) || digits(s + 8, 2, &d->day))
        return -1;
    return 0;
}

int date_parse(const char *s, struct date_ymd *out, struct err *e)
{
    struct date_ymd d;
    if (!s || strlen(s) != 10 || scan_ymd(s, &d) < 0 || !date_ymd_is_valid(d.year, d.month, d.day)) {
        char shown[40];
        /* show at most a short, printable prefix of what was given */
        size_t n = 0;
        for (const char *p = s ? s : ""; *p && n < 24; p++)
            shown[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
        shown[n] = 0;
        if (s && strlen(s) > n)
            snprintf(shown + n, sizeof shown - n, "…");
        return err_set(e, 422, "bad_date", "", "日期无效：%s（应为 YYYY-MM-DD 格式的真实日期）", shown);
    }
    if (out)
        *out = d;
    return 0;
}

int date_is_valid(const char *s) { return date_parse(s, NULL, NULL) == 0; }

/* "YYYY-MM-DD" and a NUL into out; d must be valid (so every part fits its digits) */
static void put_ymd(char *out, const struct date_ymd *d)
{
    int parts[3] = {d->year, d->month, d->day}, widths[3] = {4, 2, 2}, o = 0;
    for (int p = 0; p < 3; p++) {
        if (p)
            out[o++] = '-';
        for (int i = widths[p] - 1, v = parts[p]; i >= 0; i--, v /= 10)
            out[o + i] = (char)('0' + v % 10);
        o += widths[p];
    }
    out[o] = 0;
}

int date_format(const struct date_ymd *d, char out[DATE_DAY_LEN])
{
    if (!d || !date_ymd_is_valid(d->year, d->month, d->day)) {
        out[0] = 0;
        return -1;
    }
    put_ymd(out, d);
    return 0;
}

int64_t date_to_days(const struct date_ymd *d)
{
    int64_t y = d->year - (d->month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (d->month + 9) % 12; /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d->day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int date_from_days(int64_t days, struct date_ymd *out)
{
    if (days < MIN_DAYS || days > MAX_DAYS)
        return -1;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    out->year = (int)(yoe + era * 400 + (m <= 2));
    out->month = (int)m;
    out->day = (int)d;
    return 0;
}

int date_days_between(const char *from, const char *to, int64_t *out, struct err *e)
{
    struct date_ymd a, b;
    if (date_parse(from, &a, e) < 0 || date_parse(to, &b, e) < 0)
        return -1;
    *out = date_to_days(&b) - date_to_days(&a);
    return 0;
}

int date_add_days(const char *day, int64_t n, char out[DATE_DAY_LEN])
{
    struct date_ymd d;
    out[0] = 0;
    if (date_parse(day, &d, NULL) < 0 || n < MIN_DAYS - MAX_DAYS || n > MAX_DAYS - MIN_DAYS)
        return -1;
    if (date_from_days(date_to_days(&d) + n, &d) < 0)
        return -1;
    return date_format(&d, out);
}

int date_add_months(const char *day, int n, char out[DATE_DAY_LEN])
{
    struct date_ymd d;
    out[0] = 0;
    if (date_parse(day, &d, NULL) < 0)
        return -1;
    int64_t m = (int64_t)d.year * 12 + (d.month - 1) + n;
    if (m < 12 || m > 9999 * 12 + 11)
        return -1;
    d.year = (int)(m / 12);
    d.month = (int)(m % 12) + 1;
    int last = date_days_in_month(d.year, d.month);
    if (d.day > last)
        d.day = last;
    return date_format(&d, out);
}

int date_add_years(const char *day, int n, char out[DATE_DAY_LEN])
{
    if (n > 10000 || n < -10000) {
        out[0] = 0;
        return -1;
    }
    return date_add_months(day, n * 12, out);
}

int date_day_of_week(const char *day)
{
    struct date_ymd d;
    if (date_parse(day, &d, NULL) < 0)
        return -1;
    int64_t days = date_to_days(&d); /* 1970-01-01 was a Thursday (4) */
    int64_t w = (days + 3) % 7;      /* 0 = Monday */
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

/* from and to parsed into a and b: 0, or -1 when either is not a date or to comes before from. */
static int parse_span(const char *from, const char *to, struct date_ymd *a, struct date_ymd *b)
{
    if (date_parse(from, a, NULL) < 0 || date_parse(to, b, NULL) < 0)
        return -1;
    return date_to_days(b) < date_to_days(a) ? -1 : 0;
}

int date_age_years(const char *birth, const char *on)
{
    struct date_ymd b, o;
    if (parse_span(birth, on, &b, &o) < 0)
        return -1;
    int age = o.year - b.year;
    /* birthday not yet reached this year (02-29 is reached on 03-01 of a common year) */
    if (o.month < b.month || (o.month == b.month && o.day < b.day))
        age--;
    return age;
}

int date_months_between(const char *from, const char *to)
{
    struct date_ymd a, b;
    if (parse_span(from, to, &a, &b) < 0)
        return -1;
    int months = (b.year - a.year) * 12 + (b.month - a.month);
    /* the anniversary in to's month: a.day clamped to that month's length */
    int anniv = a.day;
    int last = date_days_in_month(b.year, b.month);
    if (anniv > last)
        anniv = last;
    if (b.day < anniv)
        months--;
    return months;
}

/* split unix seconds into a date and seconds of the day */
static int split(int64_t t, struct date_ymd *d, int *sod)
{
    /* guard the arithmetic; the date range check happens in date_from_days */
    if (t < (int64_t)MIN_DAYS * 86400 || t > ((int64_t)MAX_DAYS + 1) * 86400 - 1)
        return -1;
    int64_t days = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    *sod = (int)rem;
    return date_from_days(days, d);
}

/* split for the local (Beijing) time of t: -1 when out of range. */
static int split_local(int64_t t, struct date_ymd *d, int *sod)
{
    return t > INT64_MAX - DATE_LOCAL_OFFSET_SECONDS ? -1 : split(t + DATE_LOCAL_OFFSET_SECONDS, d, sod);
}

void date_format_day(int64_t t, char *out, size_t n)
{
    struct date_ymd d;
    int sod;
    if (!out || n == 0)
        return;
    out[0] = 0;
    if (n < DATE_DAY_LEN || split_local(t, &d, &sod) < 0)
        return;
    put_ymd(out, &d);
}

const char *date_words(const char *s, char *out, size_t n)
{
    struct date_ymd d;
    struct err ignored = {0};
    if (!out || n == 0)
        return out;
    if (!s)
        s = "";
    int month = strlen(s) == 7 && s[4] == '-';
    for (int i = 0; month && i < 7; i++)
        month = i == 4 || (s[i] >= '0' && s[i] <= '9');
    int y = month ? atoi(s) : 0, m = month ? atoi(s + 5) : 0;
    if (date_parse(s, &d, &ignored) == 0)
        snprintf(out, n, "%d年%d月%d日", d.year, d.month, d.day);
    else if (month && y >= 1 && m >= 1 && m <= 12)
        snprintf(out, n, "%d年%d月", y, m);
    else
        snprintf(out, n, "%s", s);
    return out;
}

static const char *words_time(int64_t t, int seconds, char *out, size_t n)
{
    struct date_ymd d;
    int sod;
    if (!out || n == 0)
        return out;
    out[0] = 0;
    if (split_local(t, &d, &sod) < 0)
        return out;
    if (seconds)
        snprintf(out, n, "%d年%d月%d日 %02d:%02d:%02d", d.year, d.month, d.day, sod / 3600, sod / 60 % 60, sod % 60);
    else
        snprintf(out, n, "%d年%d月%d日 %02d:%02d", d.year, d.month, d.day, sod / 3600, sod / 60 % 60);
    return out;
}

const char *date_words_time(int64_t t, char *out, size_t n) { return words_time(t, 1, out, n); }
const char *date_words_minute(int64_t t, char *out, size_t n) { return words_time(t, 0, out, n); }

void date_format_timestamp(int64_t t, char *out, size_t n)
{
    struct date_ymd d;
    int sod;
    if (!out || n == 0)
        return;
    out[0] = 0;
    if (n < DATE_TIMESTAMP_LEN || split(t, &d, &sod) < 0)
        return;
    snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day, sod / 3600, sod / 60 % 60, sod % 60);
}

int date_parse_timestamp(const char *s, int64_t *out)
{
    struct date_ymd d;
    if (!s || scan_ymd(s, &d) < 0 || !date_ymd_is_valid(d.year, d.month, d.day))
        return -1;
    const char *p = s + 10;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return -1;
    p++;
    int hh, mm, ss;
    if (strnlen(p, 8) < 8 || p[2] != ':' || p[5] != ':' || digits(p, 2, &hh) || digits(p + 3, 2, &mm) ||
        digits(p + 6, 2, &ss))
        return -1;
    if (hh > 23 || mm > 59 || ss > 59)
        return -1;
    p += 8;
    if (*p == '.' || *p == ',') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        for (int n = 0; *p >= '0' && *p <= '9'; p++)
            if (++n > 9)
                return -1;
    }
    int offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, oh, om;
        p++;
        if (digits(p, 2, &oh))
            return -1;
        p += 2;
        if (*p == ':')
            p++;
        if (digits(p, 2, &om))
            return -1;
        p += 2;
        if (oh > 23 || om > 59)
            return -1;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p)
        return -1;
    *out = date_to_days(&d) * 86400 + hh * 3600 + mm * 60 + ss - offset;
    return 0;
}

int date_day_start(const char *day, int64_t *out)
{
    struct date_ymd d;
    if (date_parse(day, &d, NULL) < 0)
        return -1;
    *out = date_to_days(&d) * 86400 - DATE_LOCAL_OFFSET_SECONDS;
    return 0;
}

int date_hhmm_minutes(const char *t)
{
    if (!t || strlen(t) != 5 || t[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (t[i] < '0' || t[i] > '9'))
            return -1;
    int h = (t[0] - '0') * 10 + t[1] - '0', m = (t[3] - '0') * 10 + t[4] - '0';
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

int date_minute_of_day(int64_t t)
{
    int64_t s = (t + DATE_LOCAL_OFFSET_SECONDS) % 86400;
    return (int)((s < 0 ? s + 86400 : s) / 60);
}
