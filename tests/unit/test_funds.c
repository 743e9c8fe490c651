/* test_funds.c — the subsidy rules engine (issue 18 item 1) on hand-worked examples: 育儿补贴's two
 * examples of the issue (born 2025-06-15: 36 months, 10,800 yuan; born 2022-10-08: 9 months,
 * 2,700), a child 3 before the start (no months), an end date cutting the months, a year's share,
 * a rate changing mid-way (each month at its own rate), bad dates; the construction subsidy's
 * caps for public and private institutions with the private share rounded half up; exact yuan
 * parsing and formatting; the CSV batch with an error row among good ones; and the ledger's
 * moves: the path to approved, a rejection needing its reason, the four-eyes rule, moves a state
 * does not allow, and only approved rows going into a batch; 托育券 age eligibility on its edge
 * months and expiry after the last day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "funds/funds.h"
#include "funds/ledger.h"
#include "funds/subsidy_csv.h"
#include "funds/vouchers.h"

/* the national plan: 300 yuan a month from 2025-01, to age 36 months */
static struct funds_childcare_rules national(void)
{
    struct funds_childcare_rules r = {0};
    r.nrates = 1;
    r.rates[0] = (struct funds_rate){funds_month_of(2025, 1), funds_month_of(9999, 12), 30000};
    r.max_age_months = 36;
    return r;
}

static void test_childcare_examples(void **state)
{
    (void)state;
    struct funds_childcare_rules r = national();
    struct funds_childcare c;
    struct err e = {0};
    char m[8];
    assert_int_equal(funds_childcare_compute(&r, "2025-06-15", "", "2026-12-04", 0, &c, &e), 0);
    assert_int_equal(c.months_total, 36);
    assert_int_equal(c.amount_total_fen, 1080000);
    funds_month_format(c.first, m);
    assert_string_equal(m, "2025-06");
    funds_month_format(c.last, m);
    assert_string_equal(m, "2028-05");
    assert_int_equal(funds_childcare_compute(&r, "2022-10-08", "", "2026-12-04", 2025, &c, &e), 0);
    assert_int_equal(c.months_total, 9);
    assert_int_equal(c.amount_total_fen, 270000);
    funds_month_format(c.first, m);
    assert_string_equal(m, "2025-01");
    funds_month_format(c.last, m);
    assert_string_equal(m, "2025-09");
    assert_int_equal(c.months_in_year, 9);
    assert_int_equal(c.amount_in_year_fen, 270000);
    /* born 2025-06-15, the months of 2026: all twelve; of 2028: January to May */
    assert_int_equal(funds_childcare_compute(&r, "2025-06-15", NULL, "2026-12-04", 2026, &c, &e), 0);
    assert_int_equal(c.months_in_year, 12);
    assert_int_equal(funds_childcare_compute(&r, "2025-06-15", NULL, "2026-12-04", 2028, &c, &e), 0);
    assert_int_equal(c.months_in_year, 5);
    assert_int_equal(c.amount_in_year_fen, 150000);
    /* three before the start: born 2021-12-31 (last month 2024-11) and 2022-01-01 (2024-12) */
    assert_int_equal(funds_childcare_compute(&r, "2021-12-31", "", "2026-12-04", 2025, &c, &e), 0);
    assert_int_equal(c.months_total, 0);
    assert_int_equal(c.amount_total_fen, 0);
    assert_int_equal(funds_childcare_compute(&r, "2022-01-01", "", "2026-12-04", 0, &c, &e), 0);
    assert_int_equal(c.months_total, 0);
    /* born 2022-02-01: exactly one month, 2025-01 */
    assert_int_equal(funds_childcare_compute(&r, "2022-02-01", "", "2026-12-04", 0, &c, &e), 0);
    assert_int_equal(c.months_total, 1);
    /* moved out on 2026-03-20: paid through March 2026 */
    assert_int_equal(funds_childcare_compute(&r, "2025-06-15", "2026-03-20", "2026-12-04", 0, &c, &e), 0);
    assert_int_equal(c.months_total, 10);
    funds_month_format(c.last, m);
    assert_string_equal(m, "2026-03");
}

static void test_childcare_rate_change(void **state)
{
    (void)state;
    /* a province adds 100 yuan a month from 2026-01: each month at its own rate */
    struct funds_childcare_rules r = national();
    r.rates[0].to = funds_month_of(2025, 12);
    r.rates[1] = (struct funds_rate){funds_month_of(2026, 1), funds_month_of(9999, 12), 40000};
    r.nrates = 2;
    struct funds_childcare c;
    struct err e = {0};
    assert_int_equal(funds_childcare_compute(&r, "2025-06-15", "", "2026-12-04", 2026, &c, &e), 0);
    assert_int_equal(c.months_total, 36);
    assert_int_equal(c.amount_total_fen, 7 * 30000 + 29 * 40000);
    assert_int_equal(c.amount_in_year_fen, 12 * 40000);
}

static void test_childcare_bad_input(void **state)
{
    (void)state;
    struct funds_childcare_rules r = national();
    struct funds_childcare c;
    struct err e = {0};
    assert_int_equal(funds_childcare_compute(&r, "2027-01-01", "", "2026-12-04", 0, &c, &e), -1);
    assert_string_equal(e.code, "future_birth_date");
    assert_int_equal(funds_childcare_compute(&r, "1899-12-31", "", "2026-12-04", 0, &c, &e), -1);
    assert_string_equal(e.code, "birth_before_1900");
    assert_int_equal(funds_childcare_compute(&r, "2025-02-29", "", "2026-12-04", 0, &c, &e), -1);
    assert_string_equal(e.code, "bad_birth_date");
    assert_int_equal(funds_childcare_compute(&r, "2025-06-15", "2025-06-14", "2026-12-04", 0, &c, &e), -1);
    assert_string_equal(e.code, "end_before_birth");
    assert_int_equal(funds_childcare_compute(&r, "2025-06-15", "2025/07/01", "2026-12-04", 0, &c, &e), -1);
    assert_string_equal(e.code, "bad_end_date");
}

static const struct funds_construction_rules OUHAI = {2, 30000000, 15000000, 4900};

static void test_construction_caps(void **state)
{
    (void)state;
    struct funds_construction c;
    struct err e = {0};
    /* public, 450,000 yuan: fully covered, under 2 × 300,000 */
    assert_int_equal(funds_construction_compute(&OUHAI, FUNDS_PUBLIC, 45000000, &c, &e), 0);
    assert_int_equal(c.subsidy_fen, 45000000);
    assert_int_equal(c.cap_fen, 60000000);
    assert_false(c.capped);
    /* public, 1,000,000: capped at 600,000 */
    assert_int_equal(funds_construction_compute(&OUHAI, FUNDS_PUBLIC, 100000000, &c, &e), 0);
    assert_int_equal(c.subsidy_fen, 60000000);
    assert_true(c.capped);
    /* private, 200,000: 49 % = 98,000, under 2 × 150,000 */
    assert_int_equal(funds_construction_compute(&OUHAI, FUNDS_PRIVATE, 20000000, &c, &e), 0);
    assert_int_equal(c.subsidy_fen, 9800000);
    assert_false(c.capped);
    /* private, 1,000,000: 490,000 capped at 300,000 */
    assert_int_equal(funds_construction_compute(&OUHAI, FUNDS_PRIVATE, 100000000, &c, &e), 0);
    assert_int_equal(c.subsidy_fen, 30000000);
    assert_int_equal(c.base_fen, 49000000);
    assert_true(c.capped);
    /* the share rounded half up: 1.02 yuan × 49 % = 0.4998 → 0.50; 0.01 × 49 % = 0.0049 → 0.00 */
    assert_int_equal(funds_construction_compute(&OUHAI, FUNDS_PRIVATE, 102, &c, &e), 0);
    assert_int_equal(c.subsidy_fen, 50);
    assert_int_equal(funds_construction_compute(&OUHAI, FUNDS_PRIVATE, 1, &c, &e), 0);
    assert_int_equal(c.subsidy_fen, 0);
    assert_int_equal(funds_construction_compute(&OUHAI, FUNDS_PUBLIC, -1, &c, &e), -1);
    assert_string_equal(e.code, "negative_investment");
    assert_int_equal(funds_ownership_of("public"), FUNDS_PUBLIC);
    assert_int_equal(funds_ownership_of("private"), FUNDS_PRIVATE);
    assert_int_equal(funds_ownership_of("state"), -1);
}

static void test_yuan(void **state)
{
    (void)state;
    int64_t f;
    char out[24];
    assert_int_equal(funds_parse_yuan("12", &f), 0);
    assert_int_equal(f, 1200);
    assert_int_equal(funds_parse_yuan("12.5", &f), 0);
    assert_int_equal(f, 1250);
    assert_int_equal(funds_parse_yuan("0.07", &f), 0);
    assert_int_equal(f, 7);
    assert_int_equal(funds_parse_yuan("-3", &f), 0);
    assert_int_equal(f, -300);
    const char *bad[] = {"", "12.", ".5", "1.234", "1e5", "12 ", "abc", "1,000", "99999999999999", "--1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(funds_parse_yuan(bad[i], &f), -1);
    funds_format_yuan(1080000, out);
    assert_string_equal(out, "10800.00");
    funds_format_yuan(-50, out);
    assert_string_equal(out, "-0.50");
    funds_format_yuan(7, out);
    assert_string_equal(out, "0.07");
}

/* run a CSV batch over in-memory streams, its output into out */
static long run_csv(int childcare, const char *input, char **out)
{
    FILE *in = fmemopen((void *)input, strlen(input), "r");
    size_t n;
    FILE *o = open_memstream(out, &n);
    struct err e = {0};
    struct funds_childcare_rules r = national();
    long rows = childcare ? funds_childcare_csv(in, "test", o, &r, "2026-12-04", 2025, &e)
                          : funds_construction_csv(in, "test", o, &OUHAI, &e);
    fclose(o);
    fclose(in);
    return rows;
}

static void test_csv(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(run_csv(1, "ID,Birth_Date,note\nb1,2022-10-08,x\nbad,2025-13-01,y\n\"a,1\",2025-06-15,z\n", &out), 3);
    assert_string_equal(out, "id,error,first_month,last_month,months_total,amount_total_yuan,months_in_year,"
                             "amount_in_year_yuan\n"
                             "b1,,2025-01,2025-09,9,2700.00,9,2700.00\n"
                             "bad,bad_birth_date,,,,,,\n"
                             "\"a,1\",,2025-06,2028-05,36,10800.00,7,2100.00\n");
    free(out);
    assert_int_equal(run_csv(0, "id,ownership,investment_yuan\np,public,1000000\nq,co-op,5\n", &out), 2);
    assert_string_equal(out, "id,error,subsidy_yuan,cap_yuan,capped\np,,600000.00,600000.00,1\nq,unknown_ownership,,,\n");
    free(out);
    assert_int_equal(run_csv(1, "id,born\nx,2025-01-01\n", &out), -1); /* birth_date missing */
    free(out);
}

static void test_ledger_moves(void **state)
{
    (void)state;
    struct funds_row r = {"computed", 0, 0};
    const char *to, *action;
    struct err e = {0};
    assert_int_equal(funds_move(&r, "apply", 7, NULL, &to, &action, &e), 0);
    assert_string_equal(to, "applied");
    assert_string_equal(action, "funds.apply");
    r = (struct funds_row){"applied", 7, 0};
    assert_int_equal(funds_move(&r, "review", 8, NULL, &to, &action, &e), 0);
    assert_string_equal(to, "reviewed");
    assert_string_equal(action, "funds.review");
    r = (struct funds_row){"reviewed", 7, 8};
    /* who applied or reviewed does not approve */
    assert_int_equal(funds_move(&r, "approve", 7, NULL, &to, &action, &e), -1);
    assert_string_equal(e.code, "self_approval");
    assert_int_equal(funds_move(&r, "approve", 8, NULL, &to, &action, &e), -1);
    assert_int_equal(funds_move(&r, "approve", 9, NULL, &to, &action, &e), 0);
    assert_string_equal(to, "approved");
    assert_string_equal(action, "funds.approve");
    /* a rejection names its reason */
    assert_int_equal(funds_move(&r, "reject", 9, "", &to, &action, &e), -1);
    assert_string_equal(e.code, "reason_required");
    assert_int_equal(funds_move(&r, "reject", 9, "投资额未经审计", &to, &action, &e), 0);
    assert_string_equal(to, "rejected");
    /* moves the state does not allow */
    r = (struct funds_row){"computed", 0, 0};
    assert_int_equal(funds_move(&r, "approve", 9, NULL, &to, &action, &e), -1);
    assert_string_equal(e.code, "event_not_allowed");
    r = (struct funds_row){"paid", 7, 8};
    assert_int_equal(funds_move(&r, "reject", 9, "x", &to, &action, &e), -1);
    r = (struct funds_row){"rejected", 7, 8};
    assert_int_equal(funds_move(&r, "apply", 7, NULL, &to, &action, &e), -1);
    assert_int_equal(funds_batchable("approved", &e), 0);
    assert_int_equal(funds_batchable("rejected", &e), -1);
    assert_string_equal(e.code, "not_approved");
    assert_int_equal(funds_batchable("batched", &e), -1);
}

/* 托育券: eligible from min_age_months of age up to, not including, max_age_months (whole months
 * of age on the issuing day); an issued voucher past its last day reads as expired. */
static void test_voucher_ages_and_expiry(void **state)
{
    (void)state;
    struct voucher_terms t = {.min_age_months = 6, .max_age_months = 36};
    assert_false(voucher_eligible(&t, "2024-03-16", "2024-09-15")); /* 5 months and 30 days */
    assert_true(voucher_eligible(&t, "2024-03-15", "2024-09-15"));  /* 6 months to the day */
    assert_true(voucher_eligible(&t, "2021-09-16", "2024-09-15"));  /* 35 months */
    assert_false(voucher_eligible(&t, "2021-09-15", "2024-09-15")); /* 36 months: the third birthday */
    assert_string_equal(voucher_state_on("issued", "2024-12-31", "2024-12-31"), "issued");
    assert_string_equal(voucher_state_on("issued", "2024-12-31", "2025-01-01"), "expired");
    assert_string_equal(voucher_state_on("redeemed", "2024-12-31", "2025-01-01"), "redeemed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_childcare_examples), cmocka_unit_test(test_childcare_rate_change),
        cmocka_unit_test(test_childcare_bad_input), cmocka_unit_test(test_construction_caps),
        cmocka_unit_test(test_yuan),               cmocka_unit_test(test_csv),
        cmocka_unit_test(test_ledger_moves),       cmocka_unit_test(test_voucher_ages_and_expiry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
