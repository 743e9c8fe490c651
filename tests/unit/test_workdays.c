/* test_workdays.c — working days on the shipped calendar (data/holidays/holidays.csv, 2023–2026):
 * the filing example of 备案办法 Art. 9 (2024-09-30 + 5 = 2024-10-12), n = 0, counting from a
 * holiday, backwards, across years, the Spring Festival, adjusted Saturday and Sunday working
 * days, years the calendar does not hold (before, after and inside it), bad input, building
 * errors — and every day of 2023–2026 × n in −25…25 against a plain day-by-day count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/csv.h"
#include "base/workdays.h"

#define MAX_ROWS 400
static char dates[MAX_ROWS][DATE_DAY_LEN];
static struct date_calendar_entry rows[MAX_ROWS];
static int nrows;
static struct date_calendar cal;

static int load(void **state)
{
    (void)state;
    FILE *f = fopen("data/holidays/holidays.csv", "r");
    assert_non_null(f);
    struct csv_reader *r = csv_open(f, "holidays.csv");
    assert_int_equal(csv_read_header(r), 0);
    int cdate = csv_column(r, "date"), ckind = csv_column(r, "kind");
    assert_true(cdate >= 0 && ckind >= 0);
    while (csv_next(r) > 0) {
        assert_true(nrows < MAX_ROWS);
        snprintf(dates[nrows], DATE_DAY_LEN, "%s", csv_get(r, cdate));
        rows[nrows] = (struct date_calendar_entry){dates[nrows], strcmp(csv_get(r, ckind), "work") == 0};
        nrows++;
    }
    csv_close(r);
    fclose(f);
    int years[] = {2023, 2024, 2025, 2026};
    struct err e = {0};
    assert_int_equal(date_calendar_build(&cal, years, 4, rows, nrows, &e), 0);
    return 0;
}

static int unload(void **state)
{
    (void)state;
    date_calendar_free(&cal);
    return 0;
}

static void expect_add(const struct date_calendar *c, const char *day, int n, const char *want)
{
    char out[DATE_DAY_LEN];
    struct err e = {0};
    int rc = date_add_working_days(c, day, n, out, &e);
    if (rc != 0)
        fail_msg("%s %+d: %s", day, n, e.message);
    if (strcmp(out, want) != 0)
        fail_msg("%s %+d: got %s, want %s", day, n, out, want);
}

static void expect_missing(const struct date_calendar *c, const char *day, int n, const char *year)
{
    char out[DATE_DAY_LEN] = "x";
    struct err e = {0};
    assert_int_equal(date_add_working_days(c, day, n, out, &e), -1);
    assert_string_equal(out, "");
    assert_int_equal(e.status, 422);
    assert_string_equal(e.code, "calendar_year_missing");
    if (!strstr(e.message, year))
        fail_msg("%s %+d: the message names %s: %s", day, n, year, e.message);
}

static int working(const char *day)
{
    int w = -1;
    struct err e = {0};
    assert_int_equal(date_is_working_day(&cal, day, &w, &e), 0);
    return w;
}

static void filing_receipt_example(void **state)
{
    (void)state;
    /* 备案办法 Art. 9: receipt within 5 working days; National Day 2024 */
    expect_add(&cal, "2024-09-30", 5, "2024-10-12");
    expect_add(&cal, "2024-09-30", 1, "2024-10-08");
    expect_add(&cal, "2024-09-30", 4, "2024-10-11");
    expect_add(&cal, "2024-09-30", 6, "2024-10-14"); /* 10-13 is an ordinary Sunday */
    /* 15 working days (the deficiency notice) from the same day */
    expect_add(&cal, "2024-09-30", 15, "2024-10-25");
}

static void zero_and_from_a_day_off(void **state)
{
    (void)state;
    expect_add(&cal, "2024-10-01", 0, "2024-10-01"); /* the day itself, though off */
    expect_add(&cal, "2024-09-30", 0, "2024-09-30");
    expect_add(&cal, "2024-10-01", 1, "2024-10-08"); /* the day never counts */
    expect_add(&cal, "2024-10-05", 1, "2024-10-08");
    expect_add(&cal, "2024-10-13", 1, "2024-10-14"); /* from an ordinary Sunday */
    expect_add(&cal, "2024-10-11", 1, "2024-10-12"); /* Friday → the adjusted Saturday */
}

static void backwards(void **state)
{
    (void)state;
    expect_add(&cal, "2024-10-12", -5, "2024-09-30");
    expect_add(&cal, "2024-10-08", -1, "2024-09-30");
    expect_add(&cal, "2024-10-08", -2, "2024-09-29"); /* Sunday 09-29, an adjusted working day */
    expect_add(&cal, "2024-10-03", -1, "2024-09-30");
    expect_add(&cal, "2025-01-02", -1, "2024-12-31");
}

static void crossing_years(void **state)
{
    (void)state;
    expect_add(&cal, "2024-12-31", 1, "2025-01-02");  /* 2025-01-01 off */
    expect_add(&cal, "2025-12-31", 1, "2026-01-04");  /* 01-01…03 off, Sunday 01-04 works */
    expect_add(&cal, "2025-12-31", 2, "2026-01-05");
    expect_add(&cal, "2023-12-29", 1, "2024-01-02");  /* weekend, then 2024-01-01 off */
    expect_add(&cal, "2023-01-03", 250, "2024-01-03"); /* 2023 has 249 working days */
    expect_add(&cal, "2024-01-03", -250, "2023-01-03");
}

static void spring_festival_and_adjusted_days(void **state)
{
    (void)state;
    /* 2024: 02-10…02-17 off; Sunday 02-04 and Sunday 02-18 work; 除夕 02-09 an ordinary Friday */
    assert_int_equal(working("2024-02-04"), 1);
    assert_int_equal(working("2024-02-03"), 0);
    assert_int_equal(working("2024-02-09"), 1);
    assert_int_equal(working("2024-02-12"), 0);
    assert_int_equal(working("2024-02-18"), 1);
    expect_add(&cal, "2024-02-02", 1, "2024-02-04");
    expect_add(&cal, "2024-02-08", 2, "2024-02-18");
    /* 2025: 01-28…02-04 off; Sunday 01-26 and Saturday 02-08 work */
    expect_add(&cal, "2025-01-24", 1, "2025-01-26");
    expect_add(&cal, "2025-01-27", 1, "2025-02-05");
    expect_add(&cal, "2025-02-07", 1, "2025-02-08");
    /* 2026: 02-15…02-23 off (nine days); Saturdays 02-14 and 02-28 work */
    expect_add(&cal, "2026-02-13", 1, "2026-02-14");
    expect_add(&cal, "2026-02-14", 1, "2026-02-24");
    expect_add(&cal, "2026-02-27", 1, "2026-02-28");
    /* 2023: Saturday and Sunday after the Spring Festival both work */
    assert_int_equal(working("2023-01-28"), 1);
    assert_int_equal(working("2023-01-29"), 1);
    expect_add(&cal, "2023-01-20", 1, "2023-01-28");
    /* National Day 2024: Saturday 10-12 works, Sunday 10-13 does not */
    assert_int_equal(working("2024-10-12"), 1);
    assert_int_equal(working("2024-10-13"), 0);
    assert_int_equal(working("2024-10-07"), 0);
}

static void years_outside_the_calendar(void **state)
{
    (void)state;
    expect_missing(&cal, "2027-01-04", 1, "2027");
    expect_missing(&cal, "2027-01-04", 0, "2027");
    expect_missing(&cal, "2026-12-30", 5, "2027");   /* the count runs into 2027 */
    expect_add(&cal, "2026-12-30", 1, "2026-12-31"); /* but not this one */
    expect_missing(&cal, "2022-12-30", 1, "2022");
    expect_missing(&cal, "2023-01-03", -1, "2022");
    expect_missing(&cal, "1999-05-04", 3, "1999");
    int w;
    struct err e = {0};
    assert_int_equal(date_is_working_day(&cal, "2027-03-01", &w, &e), -1);
    assert_string_equal(e.code, "calendar_year_missing");
    assert_non_null(strstr(e.message, "2027"));

    /* a year missing inside the calendar: 2024 and 2026 only */
    struct date_calendar gap;
    int years[] = {2026, 2024};
    assert_int_equal(date_calendar_build(&gap, years, 2, rows + 0, 0, &e), 0);
    expect_add(&gap, "2024-06-03", 1, "2024-06-04");
    expect_missing(&gap, "2024-12-30", 5, "2025");
    expect_missing(&gap, "2026-01-02", -5, "2025");
    expect_missing(&gap, "2025-06-03", 1, "2025");
    expect_add(&gap, "2026-01-02", 1, "2026-01-05"); /* no holidays listed: plain weekends */
    date_calendar_free(&gap);

    /* an empty calendar holds no year */
    struct date_calendar empty;
    assert_int_equal(date_calendar_build(&empty, NULL, 0, NULL, 0, &e), 0);
    expect_missing(&empty, "2024-09-30", 5, "2024");
    date_calendar_free(&empty);
}

static void bad_input(void **state)
{
    (void)state;
    char out[DATE_DAY_LEN];
    struct err e = {0};
    const char *bad[] = {"2024-02-30", "2024-9-30", "", "2024-09-30 ", "tomorrow"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(date_add_working_days(&cal, bad[i], 1, out, &e), -1);
        assert_string_equal(e.code, "bad_date");
        assert_int_equal(e.status, 422);
    }
    int w;
    assert_int_equal(date_is_working_day(&cal, NULL, &w, &e), -1);
    assert_string_equal(e.code, "bad_date");
    /* huge counts leave the calendar instead of overflowing */
    expect_missing(&cal, "2024-09-30", 2147483647, "2027");
    expect_missing(&cal, "2024-09-30", -2147483647 - 1, "2022");
}

static void building_errors(void **state)
{
    (void)state;
    struct date_calendar c;
    struct err e = {0};
    int twice[] = {2024, 2024};
    assert_int_equal(date_calendar_build(&c, twice, 2, NULL, 0, &e), -1);
    assert_string_equal(e.code, "bad_calendar");
    int wide[] = {2000, 2064};
    assert_int_equal(date_calendar_build(&c, wide, 2, NULL, 0, &e), -1);
    assert_string_equal(e.code, "bad_calendar");
    int ok[] = {2000, 2063};
    assert_int_equal(date_calendar_build(&c, ok, 2, NULL, 0, &e), 0);
    date_calendar_free(&c);
    int y2024[] = {2024};
    struct date_calendar_entry outside[] = {{"2025-01-01", 0}};
    assert_int_equal(date_calendar_build(&c, y2024, 1, outside, 1, &e), -1);
    assert_string_equal(e.code, "bad_calendar");
    assert_non_null(strstr(e.message, "2025-01-01"));
    struct date_calendar_entry dup[] = {{"2024-10-01", 0}, {"2024-10-01", 1}};
    assert_int_equal(date_calendar_build(&c, y2024, 1, dup, 2, &e), -1);
    assert_string_equal(e.code, "bad_calendar");
    struct date_calendar_entry baddate[] = {{"2024-13-01", 0}};
    assert_int_equal(date_calendar_build(&c, y2024, 1, baddate, 1, &e), -1);
    assert_string_equal(e.code, "bad_date");
    assert_int_equal(c.ndays, 0); /* a failed build leaves it empty */
}

/* the plain definition, one day at a time */
static int listed(const char *day, int *work)
{
    for (int i = 0; i < nrows; i++)
        if (strcmp(rows[i].date, day) == 0) {
            *work = rows[i].work;
            return 1;
        }
    return 0;
}

static int plain_working(const char *day)
{
    int work;
    if (listed(day, &work))
        return work;
    return date_day_of_week(day) <= 5;
}

static void every_day_against_a_plain_count(void **state)
{
    (void)state;
    /* working day status of every day, kept to count with */
    static char day[1462][DATE_DAY_LEN]; /* and 2027-01-01, where the loop stops */
    static int work[1462];
    int n = 0;
    for (snprintf(day[0], DATE_DAY_LEN, "2023-01-01"); strcmp(day[n], "2027-01-01") < 0; n++) {
        work[n] = plain_working(day[n]);
        assert_int_equal(working(day[n]), work[n]);
        date_add_days(day[n], 1, day[n + 1]);
    }
    assert_int_equal(n, 1461);
    int per_year[4] = {0};
    for (int i = 0; i < n; i++)
        per_year[day[i][3] - '3'] += work[i];
    /* working days per year, counted by hand from the notices: Monday–Friday, less the holidays
     * on them, plus the adjusted working days (2023: 260 − 18 + 7; 2024: 262 − 19 + 8;
     * 2025: 261 − 18 + 5; 2026: 261 − 19 + 6) */
    assert_int_equal(per_year[0], 249);
    assert_int_equal(per_year[1], 251);
    assert_int_equal(per_year[2], 248);
    assert_int_equal(per_year[3], 248);
    for (int i = 0; i < n; i++)
        for (int k = -25; k <= 25; k++) {
            int j = i, left = k < 0 ? -k : k;
            while (left > 0) {
                j += k > 0 ? 1 : -1;
                if (j < 0 || j >= n)
                    break;
                left -= work[j];
            }
            char out[DATE_DAY_LEN];
            struct err e = {0};
            int rc = date_add_working_days(&cal, day[i], k, out, &e);
            if (j < 0 || j >= n) {
                assert_int_equal(rc, -1);
                assert_string_equal(e.code, "calendar_year_missing");
            } else {
                if (rc != 0 || strcmp(out, day[j]) != 0)
                    fail_msg("%s %+d: got %s (%s), want %s", day[i], k, out, e.message, day[j]);
            }
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(filing_receipt_example),
        cmocka_unit_test(zero_and_from_a_day_off),
        cmocka_unit_test(backwards),
        cmocka_unit_test(crossing_years),
        cmocka_unit_test(spring_festival_and_adjusted_days),
        cmocka_unit_test(years_outside_the_calendar),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(building_errors),
        cmocka_unit_test(every_day_against_a_plain_count),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
