/* workdays.c — the working-day calendar: built once from its years and listed days into a running
 * count of working days per day (before[]), the position of each working day (nth[]) and each
 * day's text, so that "the n-th working day after d" is text[nth[before[d + 1] + n − 1]]: three
 * loads, no loop. */
#include "base/workdays.h"

#include <stdlib.h>
#include <string.h>

/* kinds of day while building */
enum { DAY_WEEKDAY = 0, DAY_WEEKEND, DAY_OFF, DAY_WORK, DAY_NO_YEAR };

void date_calendar_free(struct date_calendar *cal)
{
    free(cal->before);
    free(cal->nth);
    free(cal->text);
    memset(cal, 0, sizeof *cal);
}

static int64_t jan1(int year) { return date_to_days(&(struct date_ymd){year, 1, 1}); }

static int held(const struct date_calendar *cal, int year)
{
    return cal->ndays && year >= cal->first_year && year <= cal->last_year &&
           (cal->years >> (year - cal->first_year) & 1);
}

int date_calendar_build(struct date_calendar *cal, const int *years, int nyears,
                        const struct date_calendar_entry *entries, int nentries, struct err *e)
{
    memset(cal, 0, sizeof *cal);
    if (nyears <= 0)
        return 0;
    int first = years[0], last = years[0];
    for (int i = 0; i < nyears; i++) {
        if (years[i] < 1 || years[i] > 9998)
            return err_set(e, 422, "bad_calendar", "", "工作日历的年份无效：%d", years[i]);
        first = years[i] < first ? years[i] : first;
        last = years[i] > last ? years[i] : last;
    }
    if (last - first >= DATE_CALENDAR_MAX_YEARS)
        return err_set(e, 422, "bad_calendar", "", "工作日历跨越 %d–%d 年，超过 %d 年", first, last,
                       DATE_CALENDAR_MAX_YEARS);
    uint64_t bits = 0;
    for (int i = 0; i < nyears; i++) {
        uint64_t bit = UINT64_C(1) << (years[i] - first);
        if (bits & bit)
            return err_set(e, 422, "bad_calendar", "", "工作日历中 %d 年出现了两次", years[i]);
        bits |= bit;
    }
    int64_t start = jan1(first);
    int ndays = (int)(jan1(last + 1) - start);
    unsigned char *kind = malloc((size_t)ndays);
    int32_t *before = malloc(((size_t)ndays + 1) * sizeof *before);
    int32_t *nth = malloc((size_t)ndays * sizeof *nth);
    char(*text)[DATE_DAY_LEN] = malloc((size_t)ndays * sizeof *text);
    if (!kind || !before || !nth || !text)
        goto oom;
    for (int i = 0; i < ndays; i++) {
        int64_t w = (start + i + 3) % 7; /* 1970-01-01 was a Thursday: 0 = Monday */
        if (w < 0)
            w += 7;
        kind[i] = w >= 5 ? DAY_WEEKEND : DAY_WEEKDAY;
    }
    for (int y = first; y <= last; y++)
        if (!(bits >> (y - first) & 1))
            memset(kind + (jan1(y) - start), DAY_NO_YEAR, (size_t)(jan1(y + 1) - jan1(y)));
    for (int i = 0; i < nentries; i++) {
        struct date_ymd d;
        if (date_parse(entries[i].date, &d, e) < 0)
            goto fail;
        int64_t at = date_to_days(&d) - start;
        if (at < 0 || at >= ndays || kind[at] == DAY_NO_YEAR) {
            err_set(e, 422, "bad_calendar", "", "日期 %s 不在工作日历的年份中", entries[i].date);
            goto fail;
        }
        if (kind[at] == DAY_OFF || kind[at] == DAY_WORK) {
            err_set(e, 422, "bad_calendar", "", "日期 %s 在工作日历中出现了两次", entries[i].date);
            goto fail;
        }
        kind[at] = entries[i].work ? DAY_WORK : DAY_OFF;
    }
    int nwork = 0;
    for (int i = 0; i < ndays; i++) {
        struct date_ymd d;
        date_from_days(start + i, &d);
        date_format(&d, text[i]);
        before[i] = nwork;
        if (kind[i] == DAY_WEEKDAY || kind[i] == DAY_WORK)
            nth[nwork++] = i;
    }
    before[ndays] = nwork;
    free(kind);
    *cal = (struct date_calendar){.first_year = first, .last_year = last, .years = bits, .first_day = start,
                                  .ndays = ndays, .nwork = nwork, .before = before, .nth = nth, .text = text};
    return 0;
oom:
    err_set(e, 500, "oom", "", "内存不足");
fail:
    free(kind);
    free(before);
    free(nth);
    free(text);
    return -1;
}

static int year_missing(int year, struct err *e)
{
    return err_set(e, 422, "calendar_year_missing", "",
                   "工作日历中没有 %d 年：请先添加 %d 年的法定节假日和调休上班日"
                   "（国务院办公厅关于 %d 年部分节假日安排的通知）",
                   year, year, year);
}

/* The first year from `from` towards `to` (either direction) that the calendar does not hold,
 * or 0 when it holds them all. */
static int first_missing(const struct date_calendar *cal, int from, int to)
{
    for (int y = from;; y += from <= to ? 1 : -1) {
        if (!held(cal, y))
            return y;
        if (y == to)
            return 0;
    }
}

/* Day index of day in cal's span, or -1 with e (bad date, or a year the calendar does not hold). */
static int64_t index_of(const struct date_calendar *cal, const char *day, int *year, struct err *e)
{
    struct date_ymd d;
    if (date_parse(day, &d, e) < 0)
        return -1;
    *year = d.year;
    if (!held(cal, d.year))
        return year_missing(d.year, e);
    return date_to_days(&d) - cal->first_day;
}

int date_is_working_day(const struct date_calendar *cal, const char *day, int *working, struct err *e)
{
    int year;
    int64_t i = index_of(cal, day, &year, e);
    if (i < 0)
        return -1;
    *working = cal->before[i + 1] != cal->before[i];
    return 0;
}

int date_add_working_days(const struct date_calendar *cal, const char *day, int n, char out[DATE_DAY_LEN],
                          struct err *e)
{
    out[0] = 0;
    int year;
    int64_t i = index_of(cal, day, &year, e);
    if (i < 0)
        return -1;
    /* k: the position of the target among the span's working days */
    int64_t k = n > 0 ? (int64_t)cal->before[i + 1] + n - 1 : (int64_t)cal->before[i] + n;
    int64_t t = n == 0 ? i : k >= 0 && k < cal->nwork ? cal->nth[k] : -1;
    if (t < 0) { /* the count runs off the span: a year missing inside it, or the next one outside */
        int edge = n > 0 ? cal->last_year : cal->first_year, missing = first_missing(cal, year, edge);
        return year_missing(missing ? missing : n > 0 ? edge + 1 : edge - 1, e);
    }
    const char *found = cal->text[t];
    if (memcmp(found, day, 4) != 0) {
        /* a year the span skips (not held) has no working days: a count that crossed it is refused */
        int missing = first_missing(cal, year, atoi(found));
        if (missing)
            return year_missing(missing, e);
    }
    memcpy(out, found, DATE_DAY_LEN);
    return 0;
}
