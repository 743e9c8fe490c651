/* test_date.c — ISO dates: validation of real calendar dates (leap years), arithmetic across
 * month, year and leap-day boundaries, day of week, ages, the business day in UTC+8, and
 * ISO timestamps both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/date.h"

static void valid_and_invalid_dates(void **state)
{
    (void)state;
    assert_true(date_is_valid("2024-02-29"));
    assert_true(date_is_valid("2000-02-29"));
    assert_true(date_is_valid("0001-01-01"));
    assert_true(date_is_valid("9999-12-31"));
    assert_true(date_is_valid("2023-12-31"));
    assert_false(date_is_valid("2023-02-29"));
    assert_false(date_is_valid("1900-02-29"));
    assert_false(date_is_valid("2023-02-30"));
    assert_false(date_is_valid("2023-04-31"));
    assert_false(date_is_valid("2023-13-01"));
    assert_false(date_is_valid("2023-00-10"));
    assert_false(date_is_valid("2023-01-00"));
    assert_false(date_is_valid("0000-01-01"));
    assert_false(date_is_valid("2023-1-01"));
    assert_false(date_is_valid("2023/01/01"));
    assert_false(date_is_valid("2023-01-01 "));
    assert_false(date_is_valid(" 2023-01-01"));
    assert_false(date_is_valid("2023-01-01T00:00:00Z"));
    assert_false(date_is_valid("20230101"));
    assert_false(date_is_valid("+023-01-01"));
    assert_false(date_is_valid(""));
    assert_false(date_is_valid(NULL));
}

static void parse_error_is_chinese_and_coded(void **state)
{
    (void)state;
    struct err e = {0};
    struct date_ymd d;
    assert_int_equal(date_parse("2023-02-30", &d, &e), -1);
    assert_string_equal(e.code, "bad_date");
    assert_int_equal(e.status, 422);
    assert_non_null(strstr(e.message, "日期无效：2023-02-30"));
    /* long garbage is cut short in the message */
    assert_int_equal(date_parse("2023-02-30xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", &d, &e), -1);
    assert_true(strlen(e.message) < 200);
    assert_int_equal(date_parse("2024-02-29", &d, &e), 0);
    assert_int_equal(d.year, 2024);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 29);
}

static void day_numbers_round_trip(void **state)
{
    (void)state;
    struct date_ymd d = {1970, 1, 1};
    assert_int_equal(date_to_days(&d), 0);
    d = (struct date_ymd){2000, 3, 1};
    assert_int_equal(date_to_days(&d), 11017);
    d = (struct date_ymd){1969, 12, 31};
    assert_int_equal(date_to_days(&d), -1);
    /* every day over four centuries round-trips and increases by one */
    struct date_ymd a = {1800, 1, 1}, b;
    int64_t start = date_to_days(&a);
    for (int64_t n = start; n < start + 146097 * 2; n++) {
        assert_int_equal(date_from_days(n, &b), 0);
        assert_true(date_ymd_is_valid(b.year, b.month, b.day));
        assert_int_equal(date_to_days(&b), n);
    }
    assert_int_equal(date_from_days(-719162, &b), 0);
    assert_int_equal(b.year, 1);
    assert_int_equal(date_from_days(-719163, &b), -1);
    assert_int_equal(date_from_days(2932896, &b), 0);
    assert_int_equal(b.year, 9999);
    assert_int_equal(date_from_days(2932897, &b), -1);
}

static void add_days_and_between(void **state)
{
    (void)state;
    char out[DATE_DAY_LEN];
    assert_int_equal(date_add_days("2024-02-28", 1, out), 0);
    assert_string_equal(out, "2024-02-29");
    assert_int_equal(date_add_days("2023-02-28", 1, out), 0);
    assert_string_equal(out, "2023-03-01");
    assert_int_equal(date_add_days("2023-12-31", 1, out), 0);
    assert_string_equal(out, "2024-01-01");
    assert_int_equal(date_add_days("2024-01-01", -1, out), 0);
    assert_string_equal(out, "2023-12-31");
    assert_int_equal(date_add_days("2024-03-01", -1, out), 0);
    assert_string_equal(out, "2024-02-29");
    assert_int_equal(date_add_days("2023-01-01", 365, out), 0);
    assert_string_equal(out, "2024-01-01");
    assert_int_equal(date_add_days("2023-02-30", 1, out), -1);
    assert_string_equal(out, "");
    assert_int_equal(date_add_days("9999-12-31", 1, out), -1);
    assert_int_equal(date_add_days("0001-01-01", -1, out), -1);
    assert_int_equal(date_add_days("2023-01-01", INT64_MAX, out), -1);
    assert_int_equal(date_add_days("2023-01-01", INT64_MIN, out), -1);

    int64_t n;
    struct err e = {0};
    assert_int_equal(date_days_between("2023-01-01", "2024-01-01", &n, &e), 0);
    assert_int_equal(n, 365);
    assert_int_equal(date_days_between("2024-01-01", "2025-01-01", &n, &e), 0);
    assert_int_equal(n, 366);
    assert_int_equal(date_days_between("2024-03-01", "2024-02-28", &n, &e), 0);
    assert_int_equal(n, -2);
    assert_int_equal(date_days_between("2024-03-01", "2024-02-30", &n, &e), -1);
    assert_string_equal(e.code, "bad_date");
}

static void add_months_clamps_to_month_end(void **state)
{
    (void)state;
    char out[DATE_DAY_LEN];
    assert_int_equal(date_add_months("2024-01-31", 1, out), 0);
    assert_string_equal(out, "2024-02-29");
    assert_int_equal(date_add_months("2023-01-31", 1, out), 0);
    assert_string_equal(out, "2023-02-28");
    assert_int_equal(date_add_months("2023-03-31", 1, out), 0);
    assert_string_equal(out, "2023-04-30");
    assert_int_equal(date_add_months("2023-11-15", 2, out), 0);
    assert_string_equal(out, "2024-01-15");
    assert_int_equal(date_add_months("2024-01-15", -2, out), 0);
    assert_string_equal(out, "2023-11-15");
    assert_int_equal(date_add_months("2024-03-01", 36, out), 0);
    assert_string_equal(out, "2027-03-01");
    assert_int_equal(date_add_years("2024-02-29", 1, out), 0);
    assert_string_equal(out, "2025-02-28");
    assert_int_equal(date_add_years("2024-02-29", 4, out), 0);
    assert_string_equal(out, "2028-02-29");
    assert_int_equal(date_add_months("9999-12-01", 1, out), -1);
    assert_int_equal(date_add_months("0001-01-01", -1, out), -1);
    assert_int_equal(date_add_months("2023-02-29", 1, out), -1);
}

static void weekday_age_and_months(void **state)
{
    (void)state;
    assert_int_equal(date_day_of_week("1970-01-01"), 4); /* Thursday */
    assert_int_equal(date_day_of_week("2024-02-29"), 4);
    assert_int_equal(date_day_of_week("2023-10-01"), 7); /* 国庆 2023 was a Sunday */
    assert_int_equal(date_day_of_week("2026-03-02"), 1);
    assert_int_equal(date_day_of_week("1949-10-01"), 6);
    assert_int_equal(date_day_of_week("0001-01-01"), 1);
    assert_int_equal(date_day_of_week("bad"), -1);

    assert_int_equal(date_age_years("2020-06-15", "2023-06-14"), 2);
    assert_int_equal(date_age_years("2020-06-15", "2023-06-15"), 3);
    assert_int_equal(date_age_years("2020-02-29", "2021-02-28"), 0);
    assert_int_equal(date_age_years("2020-02-29", "2021-03-01"), 1);
    assert_int_equal(date_age_years("2020-02-29", "2020-02-28"), -1);

    assert_int_equal(date_months_between("2023-01-31", "2023-02-28"), 1);
    assert_int_equal(date_months_between("2023-01-31", "2023-02-27"), 0);
    assert_int_equal(date_months_between("2023-01-15", "2024-01-14"), 11);
    assert_int_equal(date_months_between("2023-01-15", "2024-01-15"), 12);
    assert_int_equal(date_months_between("2023-01-15", "2023-01-15"), 0);
    assert_int_equal(date_months_between("2023-01-15", "2023-01-14"), -1);
}

static void business_day_is_beijing_time(void **state)
{
    (void)state;
    char day[DATE_DAY_LEN];
    date_format_day(0, day, sizeof day);
    assert_string_equal(day, "1970-01-01");
    int64_t t;
    assert_int_equal(date_parse_timestamp("2026-03-01T15:59:59Z", &t), 0);
    date_format_day(t, day, sizeof day);
    assert_string_equal(day, "2026-03-01");
    date_format_day(t + 1, day, sizeof day); /* 16:00 UTC = midnight in Beijing */
    assert_string_equal(day, "2026-03-02");
    assert_int_equal(date_day_start("2026-03-02", &t), 0);
    date_format_day(t, day, sizeof day);
    assert_string_equal(day, "2026-03-02");
    date_format_day(t - 1, day, sizeof day);
    assert_string_equal(day, "2026-03-01");
    /* too small a buffer gives "" rather than a cut date */
    char small[5] = "xxxx";
    date_format_day(0, small, sizeof small);
    assert_string_equal(small, "");
    date_format_day(INT64_MAX, day, sizeof day);
    assert_string_equal(day, "");
    date_format_day(INT64_MIN, day, sizeof day);
    assert_string_equal(day, "");
}

static void timestamps(void **state)
{
    (void)state;
    char ts[32];
    date_format_timestamp(0, ts, sizeof ts);
    assert_string_equal(ts, "1970-01-01T00:00:00Z");
    date_format_timestamp(1111111109, ts, sizeof ts);
    assert_string_equal(ts, "2005-03-18T01:58:29Z");
    date_format_timestamp(-1, ts, sizeof ts);
    assert_string_equal(ts, "1969-12-31T23:59:59Z");
    date_format_timestamp(253402300799LL, ts, sizeof ts);
    assert_string_equal(ts, "9999-12-31T23:59:59Z");
    date_format_timestamp(253402300800LL, ts, sizeof ts);
    assert_string_equal(ts, "");
    date_format_timestamp(INT64_MIN, ts, sizeof ts);
    assert_string_equal(ts, "");

    int64_t t;
    assert_int_equal(date_parse_timestamp("2005-03-18T01:58:29Z", &t), 0);
    assert_int_equal(t, 1111111109);
    assert_int_equal(date_parse_timestamp("2005-03-18 09:58:29+08:00", &t), 0);
    assert_int_equal(t, 1111111109);
    assert_int_equal(date_parse_timestamp("2005-03-18T09:58:29+0800", &t), 0);
    assert_int_equal(t, 1111111109);
    assert_int_equal(date_parse_timestamp("2005-03-17T20:58:29.999-05:00", &t), 0);
    assert_int_equal(t, 1111111109);
    assert_int_equal(date_parse_timestamp("1969-12-31T23:59:59Z", &t), 0);
    assert_int_equal(t, -1);
    /* round trip over a range of times */
    for (int64_t x = -100000000; x < 4000000000LL; x += 7777777) {
        date_format_timestamp(x, ts, sizeof ts);
        assert_int_equal(date_parse_timestamp(ts, &t), 0);
        assert_int_equal(t, x);
    }
    const char *bad[] = {"2005-03-18T01:58:29", "2005-03-18", "2005-02-30T00:00:00Z", "2005-03-18T24:00:00Z",
                         "2005-03-18T23:60:00Z", "2005-03-18T23:59:60Z", "2005-03-18T1:58:29Z",
                         "2005-03-18T01:58:29ZZ", "2005-03-18T01:58:29+8", "2005-03-18T01:58:29+24:00",
                         "2005-03-18T01:58:29.Z", "2005-03-18T01:58:29.1234567890Z", "", "2005-03-18X01:58:29Z",
                         "2005-03-18T01:58", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(date_parse_timestamp(bad[i], &t), -1);
    }
    assert_int_equal(date_parse_timestamp(NULL, &t), -1);
}

/* Dates and months as people read them: 2027年1月18日, 2027年1月; anything else as it is. */
static void dates_in_words(void **state)
{
    (void)state;
    char w[DATE_WORDS_LEN];
    assert_string_equal(date_words("2027-01-18", w, sizeof w), "2027年1月18日");
    assert_string_equal(date_words("2026-12-05", w, sizeof w), "2026年12月5日");
    assert_string_equal(date_words("2027-01", w, sizeof w), "2027年1月");
    assert_string_equal(date_words("2027-13", w, sizeof w), "2027-13");
    assert_string_equal(date_words("2023-02-30", w, sizeof w), "2023-02-30");
    assert_string_equal(date_words("20x7-01", w, sizeof w), "20x7-01");
    assert_string_equal(date_words(NULL, w, sizeof w), "");
    /* a time in Beijing: 2026-12-05T11:16:05Z is 19:16:05 there; 16:30Z is the next day */
    assert_string_equal(date_words_time(1796469365, w, sizeof w), "2026年12月5日 19:16:05");
    assert_string_equal(date_words_time(1796488200, w, sizeof w), "2026年12月6日 00:30:00");
}

static void times_of_day(void **state)
{
    (void)state;
    assert_int_equal(date_hhmm_minutes("00:00"), 0);
    assert_int_equal(date_hhmm_minutes("08:05"), 485);
    assert_int_equal(date_hhmm_minutes("23:59"), 1439);
    const char *bad[] = {"24:00", "08:60", "8:05", "08:5", "08-05", "0805 ", "ab:cd", "", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(date_hhmm_minutes(bad[i]), -1);
    /* the minute of the business day: 2026-03-01T20:00:00Z is 04:00 in Beijing */
    int64_t t;
    assert_int_equal(date_parse_timestamp("2026-03-01T20:00:00Z", &t), 0);
    assert_int_equal(date_minute_of_day(t), 240);
    assert_int_equal(date_parse_timestamp("2026-03-01T15:59:59Z", &t), 0);
    assert_int_equal(date_minute_of_day(t), 1439);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_and_invalid_dates),
        cmocka_unit_test(dates_in_words),
        cmocka_unit_test(parse_error_is_chinese_and_coded),
        cmocka_unit_test(day_numbers_round_trip),
        cmocka_unit_test(add_days_and_between),
        cmocka_unit_test(add_months_clamps_to_month_end),
        cmocka_unit_test(weekday_age_and_months),
        cmocka_unit_test(business_day_is_beijing_time),
        cmocka_unit_test(timestamps),
        cmocka_unit_test(times_of_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
