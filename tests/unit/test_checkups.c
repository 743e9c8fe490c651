/* test_checkups.c — the health-check schedule engine: the age windows (edge days, month ends,
 * leap years), done early, on time and late, due and overdue on the window's edge days, the care
 * rule filling a gap a sparser schedule leaves, a child entering care at 20 months, and bad
 * dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "checkups/checkups.h"

static const struct checkups_rules RULES = {
    .ages_months = {3, 6, 8, 12, 18, 24, 30, 36}, .nages = 8, .window_before_days = 0, .window_months = 1,
    .care_from_months = 12, .care_to_months = 36, .care_interval_months = 6};

static struct checkups_item items[CHECKUPS_MAX];

static int run(const char *birth, const char *care_from, const struct checkups_done *done, int ndone,
               const struct checkups_rules *r, const char *today)
{
    struct err e = {0};
    struct checkups_child c = {birth, care_from, done, ndone};
    int n = checkups_schedule(&c, r, today, items, CHECKUPS_MAX, &e);
    if (n < 0)
        fail_msg("schedule failed: %s %s", e.code, e.message);
    return n;
}

static const struct checkups_item *find(int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(items[i].code, code) == 0)
            return &items[i];
    fail_msg("no item %s", code);
    return NULL;
}

static void test_windows(void **state)
{
    (void)state;
    int n = run("2025-01-15", "", NULL, 0, &RULES, "2025-04-15");
    assert_int_equal(n, 8);
    const struct checkups_item *m3 = find(n, "m3");
    assert_string_equal(m3->target, "2025-04-15");
    assert_string_equal(m3->opens, "2025-04-15");
    assert_string_equal(m3->closes, "2025-05-14"); /* the day before 4 months */
    assert_int_equal(m3->status, CHECKUPS_DUE);     /* the first day of the window */
    assert_int_equal(m3->in_care, 0);
    assert_int_equal(find(n, "m6")->status, CHECKUPS_UPCOMING);
    assert_string_equal(find(n, "m36")->target, "2028-01-15");
    /* in target order */
    for (int i = 1; i < n; i++)
        assert_true(strcmp(items[i - 1].target, items[i].target) <= 0);
    /* the day before the window: upcoming; its last day: due; the day after: overdue */
    n = run("2025-01-15", "", NULL, 0, &RULES, "2025-04-14");
    assert_int_equal(find(n, "m3")->status, CHECKUPS_UPCOMING);
    n = run("2025-01-15", "", NULL, 0, &RULES, "2025-05-14");
    assert_int_equal(find(n, "m3")->status, CHECKUPS_DUE);
    n = run("2025-01-15", "", NULL, 0, &RULES, "2025-05-15");
    assert_int_equal(find(n, "m3")->status, CHECKUPS_OVERDUE);
    /* a window opening a week early */
    struct checkups_rules early = RULES;
    early.window_before_days = 7;
    n = run("2025-01-15", "", NULL, 0, &early, "2025-04-08");
    assert_string_equal(find(n, "m3")->opens, "2025-04-08");
    assert_int_equal(find(n, "m3")->status, CHECKUPS_DUE);
}

static void test_month_ends_and_leap_years(void **state)
{
    (void)state;
    /* born on 29 February: 12 months on is 28 February of a common year, 48 of a leap one */
    struct checkups_rules r = RULES;
    r.ages_months[r.nages++] = 48;
    int n = run("2024-02-29", "", NULL, 0, &r, "2024-03-01");
    assert_string_equal(find(n, "m12")->target, "2025-02-28");
    assert_string_equal(find(n, "m12")->closes, "2025-03-28"); /* 13 months on (03-29) less a day */
    assert_string_equal(find(n, "m48")->target, "2028-02-29");
    /* born on 31 August: 6 months on is the end of February (leap 2024: the 29th) */
    n = run("2023-08-31", "", NULL, 0, &RULES, "2024-01-01");
    assert_string_equal(find(n, "m6")->target, "2024-02-29");
    assert_string_equal(find(n, "m6")->closes, "2024-03-30"); /* 7 months on is 03-31 */
    assert_string_equal(find(n, "m3")->target, "2023-11-30");
    /* born 31 January 2023: the 1-month step of the 3-month window crosses a common February */
    n = run("2022-11-30", "", NULL, 0, &RULES, "2023-01-01");
    assert_string_equal(find(n, "m3")->target, "2023-02-28");
    assert_string_equal(find(n, "m3")->closes, "2023-03-29");
}

static void test_done_early_on_time_late(void **state)
{
    (void)state;
    const struct checkups_done done[] = {
        {"m3", "2025-04-10"},  /* five days before 3 months: early */
        {"m6", "2025-07-15"},  /* the first day: on time */
        {"m8", "2025-10-20"},  /* 9 months and 5 days: late */
        {"m12", "2026-02-14"}, /* the window's last day, but … */
        {"m12", "2026-01-30"}, /* … an earlier record of the same check counts */
        {"other", "2025-05-01"},
    };
    int n = run("2025-01-15", "", done, 6, &RULES, "2026-03-01");
    const struct checkups_item *m3 = find(n, "m3"), *m6 = find(n, "m6"), *m8 = find(n, "m8"), *m12 = find(n, "m12");
    assert_int_equal(m3->status, CHECKUPS_DONE);
    assert_int_equal(m3->timing, CHECKUPS_EARLY);
    assert_string_equal(m3->done_on, "2025-04-10");
    assert_int_equal(m6->timing, CHECKUPS_ON_TIME);
    assert_int_equal(m8->status, CHECKUPS_DONE);
    assert_int_equal(m8->timing, CHECKUPS_LATE);
    assert_string_equal(m12->done_on, "2026-01-30");
    assert_int_equal(m12->timing, CHECKUPS_ON_TIME);
    assert_int_equal(find(n, "m18")->status, CHECKUPS_UPCOMING);
    assert_string_equal(checkups_timing_code(m8->timing), "late");
    /* done on the window's last day: on time, not late */
    const struct checkups_done last_day[] = {{"m6", "2025-08-14"}};
    n = run("2025-01-15", "", last_day, 1, &RULES, "2026-03-01");
    m6 = find(n, "m6");
    assert_string_equal(m6->closes, "2025-08-14");
    assert_int_equal(m6->status, CHECKUPS_DONE);
    assert_int_equal(m6->timing, CHECKUPS_ON_TIME);
    assert_string_equal(checkups_status_code(CHECKUPS_OVERDUE), "overdue");
}

static void test_entering_care_at_20_months(void **state)
{
    (void)state;
    /* born 2024-01-10, entered care 2025-09-10 (20 months), nothing recorded, today 2026-01-20:
     * the checks up to 18 months closed before entry (not the institution's), the 24-month check
     * (2026-01-10 … 2026-02-09) is due and the institution's; with the default ages every 6
     * months the age schedule meets the twice-a-year care rule: no care check is added */
    int n = run("2024-01-10", "2025-09-10", NULL, 0, &RULES, "2026-01-20");
    assert_int_equal(n, 8);
    assert_int_equal(find(n, "m18")->status, CHECKUPS_OVERDUE);
    assert_int_equal(find(n, "m18")->in_care, 0);
    assert_int_equal(find(n, "m24")->status, CHECKUPS_DUE);
    assert_int_equal(find(n, "m24")->in_care, 1);
    assert_int_equal(find(n, "m30")->in_care, 1);
    /* entering on the day the 18-month window closes makes it the institution's */
    n = run("2024-01-10", "2025-08-09", NULL, 0, &RULES, "2026-01-20");
    assert_int_equal(find(n, "m18")->in_care, 1);
    n = run("2024-01-10", "2025-08-10", NULL, 0, &RULES, "2026-01-20");
    assert_int_equal(find(n, "m18")->in_care, 0);
}

static void test_care_rule_fills_gaps(void **state)
{
    (void)state;
    /* a sparser schedule (12, 24, 36): a child in care from 12 months gets care checks at 18 and
     * 30 months */
    struct checkups_rules r = RULES;
    r.nages = 3;
    r.ages_months[0] = 12, r.ages_months[1] = 24, r.ages_months[2] = 36;
    int n = run("2024-01-10", "2024-06-01", NULL, 0, &r, "2025-07-20");
    assert_int_equal(n, 5);
    assert_string_equal(items[1].code, "care");
    assert_string_equal(items[1].target, "2025-07-10");
    assert_int_equal(items[1].age_months, 18);
    assert_int_equal(items[1].status, CHECKUPS_DUE);
    assert_string_equal(items[3].code, "care");
    assert_string_equal(items[3].target, "2026-07-10");
    /* entering at 20 months: six months on (26 months) no age check falls due since 20 months
     * … the 24-month one does, so the next care check is 6 months after 24: 30 months */
    n = run("2024-01-10", "2025-09-10", NULL, 0, &r, "2025-09-10");
    assert_int_equal(n, 4);
    assert_string_equal(find(n, "care")->target, "2026-07-10");
    /* a check done in the gap (any code) does the care check, and the next counts from it: six
     * months after 2025-06-01 comes before the 24-month check, so one more care check falls due */
    const struct checkups_done done[] = {{"other", "2025-06-01"}};
    n = run("2024-01-10", "2024-06-01", done, 1, &r, "2026-09-01");
    assert_int_equal(n, 6);
    assert_string_equal(items[1].code, "care");
    assert_int_equal(items[1].status, CHECKUPS_DONE);
    assert_int_equal(items[1].timing, CHECKUPS_EARLY);
    assert_string_equal(items[1].done_on, "2025-06-01");
    assert_string_equal(items[2].code, "care");
    assert_string_equal(items[2].target, "2025-12-01");
    assert_int_equal(items[2].status, CHECKUPS_OVERDUE);
    assert_string_equal(items[3].code, "m24");
    assert_string_equal(items[4].target, "2026-07-10");
    assert_int_equal(items[4].status, CHECKUPS_OVERDUE);
    /* not in care: no care checks */
    assert_int_equal(run("2024-01-10", "", NULL, 0, &r, "2025-07-20"), 3);
    /* entering care after 3 years: none either */
    assert_int_equal(run("2024-01-10", "2027-02-01", NULL, 0, &r, "2027-03-01"), 3);
}

static void test_bad_input(void **state)
{
    (void)state;
    struct err e = {0};
    struct checkups_child c = {"2025-02-30", "", NULL, 0};
    assert_int_equal(checkups_schedule(&c, &RULES, "2026-01-01", items, CHECKUPS_MAX, &e), -1);
    assert_string_equal(e.code, "bad_date");
    assert_string_equal(e.field, "birth_date");
    c.birth_date = "2025-01-01";
    memset(&e, 0, sizeof e);
    assert_int_equal(checkups_schedule(&c, &RULES, "2026-01-01", items, 3, &e), -1);
    assert_string_equal(e.code, "checkups_full");
    assert_true(checkups_code_valid(&RULES, "m18"));
    assert_true(checkups_code_valid(&RULES, "care"));
    assert_false(checkups_code_valid(&RULES, "m17"));
    assert_false(checkups_code_valid(&RULES, "m"));
    char name[64];
    assert_string_equal(checkups_code_name("m18", name, sizeof name), "18月龄健康检查");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows),
        cmocka_unit_test(test_month_ends_and_leap_years),
        cmocka_unit_test(test_done_early_on_time_late),
        cmocka_unit_test(test_entering_care_at_20_months),
        cmocka_unit_test(test_care_rule_fills_gaps),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
