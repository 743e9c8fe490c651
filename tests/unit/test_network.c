/* test_network.c — the compliance rule of health instructors' duties (src/network/duties.c): the
 * seeded one visit a quarter, one lecture a half year, one review a year; quarter boundaries (the
 * first and last day of a quarter, grace days after it), an instructor reassigned in mid-quarter
 * (the earlier instructor's visit counts, the new one is responsible), an institution filed in
 * mid-quarter (owes from the next quarter), the year window, nobody assigned, bad dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "network/duties.h"

static const struct network_rule SEEDED = {.required = {1, 1, 1}, .grace_days = 0};
static const struct network_rule VISITS_ONLY = {.required = {1, 0, 0}, .grace_days = 0};

static const struct network_period *find(const struct network_period *p, int n, enum network_kind k, const char *start)
{
    for (int i = 0; i < n; i++)
        if (p[i].kind == k && strcmp(p[i].start, start) == 0)
            return &p[i];
    return NULL;
}

static void test_quarter_boundaries(void **state)
{
    (void)state;
    struct network_assignment a[] = {{7, "2025-01-01", ""}};
    struct network_done done[] = {{NETWORK_VISIT, "2026-03-31"}, {NETWORK_VISIT, "2026-04-01"}};
    struct network_period p[NETWORK_MAX_PERIODS];
    struct network_institution in = {"2026-07-01", "2025-01-01", a, 1, done, 2};
    int n = network_duty_periods(&VISITS_ONLY, &in, p, NETWORK_MAX_PERIODS);
    /* the quarters that fell due within the 365 days before today (from 2025-07-01) or still run:
     * 2025-Q3 … 2026-Q3 (2025-Q2 fell due on 2025-06-30) */
    assert_int_equal(n, 5);
    assert_string_equal(p[0].start, "2025-07-01");
    assert_string_equal(p[4].start, "2026-07-01");
    /* the last day of Q1 counts for Q1, the first day of Q2 for Q2 */
    const struct network_period *q1 = find(p, n, NETWORK_VISIT, "2026-01-01");
    assert_non_null(q1);
    assert_string_equal(q1->end, "2026-03-31");
    assert_int_equal(q1->done, 1);
    assert_int_equal(q1->state, NETWORK_DONE);
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-04-01")->state, NETWORK_DONE);
    /* 2025-Q4 without a visit, past its last day: overdue, on the instructor's list */
    const struct network_period *q4 = find(p, n, NETWORK_VISIT, "2025-10-01");
    assert_int_equal(q4->state, NETWORK_OVERDUE);
    assert_int_equal(q4->responsible, 7);
    /* the running quarter is due, not overdue */
    assert_int_equal(p[4].state, NETWORK_DUE);
    assert_string_equal(p[4].due, "2026-09-30");
    /* on its last day a quarter is still due; the day after, overdue */
    in.today = "2026-09-30";
    n = network_duty_periods(&VISITS_ONLY, &in, p, NETWORK_MAX_PERIODS);
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-07-01")->state, NETWORK_DUE);
    in.today = "2026-10-01";
    n = network_duty_periods(&VISITS_ONLY, &in, p, NETWORK_MAX_PERIODS);
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-07-01")->state, NETWORK_OVERDUE);
    /* grace days move the day it falls overdue */
    struct network_rule grace = VISITS_ONLY;
    grace.grace_days = 15;
    in.today = "2026-10-15";
    n = network_duty_periods(&grace, &in, p, NETWORK_MAX_PERIODS);
    assert_string_equal(find(p, n, NETWORK_VISIT, "2026-07-01")->due, "2026-10-15");
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-07-01")->state, NETWORK_DUE);
    in.today = "2026-10-16";
    n = network_duty_periods(&grace, &in, p, NETWORK_MAX_PERIODS);
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-07-01")->state, NETWORK_OVERDUE);
}

static void test_halves_and_years(void **state)
{
    (void)state;
    struct network_assignment a[] = {{7, "2024-01-01", ""}};
    struct network_done done[] = {{NETWORK_LECTURE, "2026-02-10"}, {NETWORK_REVIEW, "2025-12-31"},
                                  {NETWORK_VISIT, "2026-05-05"}};
    struct network_period p[NETWORK_MAX_PERIODS];
    struct network_institution in = {"2026-05-20", "2024-01-01", a, 1, done, 3};
    int n = network_duty_periods(&SEEDED, &in, p, NETWORK_MAX_PERIODS);
    assert_true(n > 0);
    /* a lecture in February covers the first half; the second half of 2025 had none */
    assert_int_equal(find(p, n, NETWORK_LECTURE, "2026-01-01")->state, NETWORK_DONE);
    assert_string_equal(find(p, n, NETWORK_LECTURE, "2026-01-01")->end, "2026-06-30");
    assert_int_equal(find(p, n, NETWORK_LECTURE, "2025-07-01")->state, NETWORK_OVERDUE);
    /* the review on 31 December counts for 2025; 2026's is due */
    assert_int_equal(find(p, n, NETWORK_REVIEW, "2025-01-01")->state, NETWORK_DONE);
    assert_int_equal(find(p, n, NETWORK_REVIEW, "2026-01-01")->state, NETWORK_DUE);
    assert_string_equal(find(p, n, NETWORK_REVIEW, "2026-01-01")->end, "2026-12-31");
    /* a kind counts only its own records: the visit is not a lecture */
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-04-01")->state, NETWORK_DONE);
    assert_int_equal(find(p, n, NETWORK_LECTURE, "2026-01-01")->done, 1);
    /* periods come by kind, then start */
    for (int i = 1; i < n; i++)
        assert_true(p[i - 1].kind < p[i].kind || (p[i - 1].kind == p[i].kind && strcmp(p[i - 1].start, p[i].start) < 0));
    /* two visits required: one is not enough */
    struct network_rule two = VISITS_ONLY;
    two.required[NETWORK_VISIT] = 2;
    n = network_duty_periods(&two, &in, p, NETWORK_MAX_PERIODS);
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-04-01")->state, NETWORK_DUE);
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-04-01")->required, 2);
}

static void test_reassigned_mid_quarter(void **state)
{
    (void)state;
    /* instructor 7 until 15 February, instructor 8 from 16 February */
    struct network_assignment a[] = {{8, "2026-02-16", ""}, {7, "2025-01-01", "2026-02-15"}};
    struct network_done visit_by_7[] = {{NETWORK_VISIT, "2026-01-20"}};
    struct network_period p[NETWORK_MAX_PERIODS];
    struct network_institution in = {"2026-03-10", "2025-01-01", a, 2, visit_by_7, 1};
    int n = network_duty_periods(&VISITS_ONLY, &in, p, NETWORK_MAX_PERIODS);
    const struct network_period *q1 = find(p, n, NETWORK_VISIT, "2026-01-01");
    /* the earlier instructor's visit counts for the institution's quarter; the new one is responsible */
    assert_int_equal(q1->state, NETWORK_DONE);
    assert_int_equal(q1->responsible, 8);
    /* without the visit: overdue after the quarter, on the new instructor's list */
    in.ndone = 0;
    in.today = "2026-04-02";
    n = network_duty_periods(&VISITS_ONLY, &in, p, NETWORK_MAX_PERIODS);
    q1 = find(p, n, NETWORK_VISIT, "2026-01-01");
    assert_int_equal(q1->state, NETWORK_OVERDUE);
    assert_int_equal(q1->responsible, 8);
    /* 2025-Q4 was wholly instructor 7's */
    assert_int_equal(find(p, n, NETWORK_VISIT, "2025-10-01")->responsible, 7);
    /* unassigned on 20 March, nobody after: the last instructor of the quarter stays responsible */
    struct network_assignment ended[] = {{8, "2026-02-16", "2026-03-20"}, {7, "2025-01-01", "2026-02-15"}};
    in.assignments = ended;
    n = network_duty_periods(&VISITS_ONLY, &in, p, NETWORK_MAX_PERIODS);
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-01-01")->responsible, 8);
    /* and Q2, with nobody assigned, has nobody responsible */
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-04-01")->responsible, 0);
}

static void test_filed_mid_quarter(void **state)
{
    (void)state;
    struct network_assignment a[] = {{7, "2026-02-10", ""}};
    struct network_period p[NETWORK_MAX_PERIODS];
    /* filed on 10 February: Q1 is listed as not owed (a visit in it still counted); Q2 is the first
     * quarter owed, the second half the first half year, 2027 the first year */
    struct network_done feb[] = {{NETWORK_VISIT, "2026-03-01"}};
    struct network_institution in = {"2026-05-01", "2026-02-10", a, 1, feb, 1};
    int n = network_duty_periods(&SEEDED, &in, p, NETWORK_MAX_PERIODS);
    assert_int_equal(n, 4); /* Q1, Q2; the first half; 2026 — the last three of them not owed but Q2 */
    const struct network_period *q1 = find(p, n, NETWORK_VISIT, "2026-01-01");
    assert_int_equal(q1->state, NETWORK_NOT_OWED);
    assert_int_equal(q1->required, 0);
    assert_int_equal(q1->done, 1);
    const struct network_period *q2 = find(p, n, NETWORK_VISIT, "2026-04-01");
    assert_int_equal(q2->state, NETWORK_DUE);
    assert_int_equal(q2->required, 1);
    assert_int_equal(find(p, n, NETWORK_LECTURE, "2026-01-01")->state, NETWORK_NOT_OWED);
    assert_int_equal(find(p, n, NETWORK_REVIEW, "2026-01-01")->state, NETWORK_NOT_OWED);
    /* past Q1 without the visit it is still not overdue: it was never owed */
    in.ndone = 0;
    n = network_duty_periods(&SEEDED, &in, p, NETWORK_MAX_PERIODS);
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-01-01")->state, NETWORK_NOT_OWED);
    /* filed on the first day of a quarter: that quarter is owed */
    in.since = "2026-04-01";
    n = network_duty_periods(&SEEDED, &in, p, NETWORK_MAX_PERIODS);
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-04-01")->state, NETWORK_DUE);
    assert_null(find(p, n, NETWORK_VISIT, "2026-01-01"));
    /* filed on 1 January: the quarter, the half and the year are owed */
    in.since = "2026-01-01";
    n = network_duty_periods(&SEEDED, &in, p, NETWORK_MAX_PERIODS);
    assert_int_equal(find(p, n, NETWORK_VISIT, "2026-01-01")->state, NETWORK_OVERDUE);
    assert_int_equal(find(p, n, NETWORK_LECTURE, "2026-01-01")->state, NETWORK_DUE);
    assert_int_equal(find(p, n, NETWORK_REVIEW, "2026-01-01")->state, NETWORK_DUE);
    /* filed after today: nothing owed yet */
    in.since = "2026-06-01";
    assert_int_equal(network_duty_periods(&SEEDED, &in, p, NETWORK_MAX_PERIODS), 0);
}

static void test_codes_and_bad_input(void **state)
{
    (void)state;
    assert_int_equal(network_kind_from_code("visit"), NETWORK_VISIT);
    assert_int_equal(network_kind_from_code("review"), NETWORK_REVIEW);
    assert_int_equal(network_kind_from_code("Visit"), -1);
    assert_int_equal(network_kind_from_code(NULL), -1);
    assert_int_equal(network_kind_months(NETWORK_LECTURE), 6);
    assert_string_equal(network_state_code(NETWORK_OVERDUE), "overdue");
    struct network_assignment a[] = {{7, "2026-02-30", ""}};
    struct network_period p[NETWORK_MAX_PERIODS];
    struct network_institution in = {"2026-05-01", "2026-01-01", a, 1, NULL, 0};
    assert_int_equal(network_duty_periods(&SEEDED, &in, p, NETWORK_MAX_PERIODS), -1);
    a[0] = (struct network_assignment){7, "2026-01-01", ""};
    in.since = "2026-1-1";
    assert_int_equal(network_duty_periods(&SEEDED, &in, p, NETWORK_MAX_PERIODS), -1);
    in.since = "2026-01-01";
    assert_true(network_duty_periods(&SEEDED, &in, p, NETWORK_MAX_PERIODS) > 0);
    /* too small an output */
    assert_int_equal(network_duty_periods(&SEEDED, &in, p, 1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quarter_boundaries),
        cmocka_unit_test(test_halves_and_years),
        cmocka_unit_test(test_reassigned_mid_quarter),
        cmocka_unit_test(test_filed_mid_quarter),
        cmocka_unit_test(test_codes_and_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
