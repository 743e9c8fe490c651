/* test_operating.c — the quarterly operating subsidies (operating.c): the quarter and its
 * counting days, the per-child amount over child-months, the star award as a quarter of the
 * level's yearly amount, withheld without a level, for a level with no amount, and while a 保育费 is
 * outside its price guidance (unless the parameter turns that condition off); the explanation
 * carries the inputs and the parameters read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "funds/forecast.h"
#include "funds/operating.h"

static const struct funds_operating_rules RULES = {
    .per_child_month_fen = 10000,
    .count_day = 15,
    .star_award_year_fen = {0, 0, 1000000, 3000000, 5000000, 8000001},
    .award_requires_prices_within = 1,
};

static void test_quarter(void **state)
{
    (void)state;
    struct funds_quarter q;
    struct err e = {0};
    assert_int_equal(funds_quarter_parse("2024-Q1", 15, &q, &e), 0);
    assert_string_equal(q.first, "2024-01-01");
    assert_string_equal(q.last, "2024-03-31");
    assert_string_equal(q.count_days[1], "2024-02-15");
    assert_int_equal(funds_quarter_parse("2026-Q4", 1, &q, &e), 0);
    assert_string_equal(q.last, "2026-12-31");
    assert_string_equal(q.count_days[0], "2026-10-01");
    const char *bad[] = {"2026-Q0", "2026-Q5", "2026Q1", "2026-Q1x", "1999-Q1", "", "2026-q1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(funds_quarter_parse(bad[i], 15, &q, &e), -1);
        assert_string_equal(e.code, "bad_quarter");
        assert_string_equal(e.field, "quarter");
    }
    assert_int_equal(funds_quarter_parse("2026-Q1", 29, &q, &e), -1); /* a counting day every month has */
}

static void test_amounts(void **state)
{
    (void)state;
    struct funds_operating o;
    struct funds_operating_input in = {.children = {2, 1, 2}, .stars = 3, .prices_outside = 0};
    funds_operating_compute(&RULES, &in, &o);
    assert_int_equal(o.child_months, 5);
    assert_int_equal(o.per_child_fen, 50000);
    assert_int_equal(o.award_fen, 750000); /* 30,000 元 a year, a quarter of it */
    assert_int_equal(o.award_state, FUNDS_AWARD_PAID);
    /* a yearly amount that does not divide by 4: the fen rounded down */
    in.stars = 5;
    funds_operating_compute(&RULES, &in, &o);
    assert_int_equal(o.award_fen, 2000000);
    /* withheld: no level, a level without an amount, a price outside the guidance */
    in.stars = 0;
    funds_operating_compute(&RULES, &in, &o);
    assert_int_equal(o.award_fen, 0);
    assert_int_equal(o.award_state, FUNDS_AWARD_NO_LEVEL);
    assert_string_equal(funds_award_withheld_text(o.award_state), "季末无生效的星级");
    in.stars = 1;
    funds_operating_compute(&RULES, &in, &o);
    assert_int_equal(o.award_state, FUNDS_AWARD_NO_AMOUNT);
    in.stars = 4;
    in.prices_outside = 1;
    funds_operating_compute(&RULES, &in, &o);
    assert_int_equal(o.award_fen, 0);
    assert_int_equal(o.award_state, FUNDS_AWARD_PRICES);
    assert_int_equal(o.per_child_fen, 50000); /* the per-child subsidy does not depend on prices */
    struct funds_operating_rules lax = RULES;
    lax.award_requires_prices_within = 0;
    funds_operating_compute(&lax, &in, &o);
    assert_int_equal(o.award_fen, 1250000);
    /* a level out of range counts as none */
    in.stars = 7;
    funds_operating_compute(&RULES, &in, &o);
    assert_int_equal(o.award_state, FUNDS_AWARD_NO_LEVEL);
}

static void test_post(void **state)
{
    (void)state;
    struct funds_operating_rules r = RULES;
    for (int g = 1; g <= 5; g++)
        r.post_grade_month_fen[g] = (6 - g) * 20000; /* grade 1: 1,000 元 … grade 5: 200 元 */
    struct funds_post_month m[] = {{1, "林**", 0, 4}, {1, "林**", 1, 4}, {2, "王**", 2, 1}, {3, "张**", 2, 0}};
    assert_int_equal(funds_post_compute(&r, m, 4), 40000 + 40000 + 100000); /* no grade: nothing */
    assert_int_equal(funds_post_compute(&r, m, 0), 0);
    /* the two ends of the scale, 五级 (初级) and 一级, are both paid; a grade outside 1–5 is not */
    struct funds_post_month ends[] = {{4, "赵**", 0, 5}, {5, "钱**", 0, 1}, {6, "孙**", 0, 6}};
    assert_int_equal(funds_post_compute(&r, ends, 3), 20000 + 100000);
}

static void test_explain(void **state)
{
    (void)state;
    struct funds_quarter q;
    struct err e = {0};
    assert_int_equal(funds_quarter_parse("2026-Q1", 15, &q, &e), 0);
    struct funds_param_used used[FUNDS_OPERATING_PARAMS];
    static const char *const keys[FUNDS_OPERATING_PARAMS] = {
        "subsidy.operating.per_child_month_fen", "subsidy.operating.count_day", "subsidy.award.star1_fen",
        "subsidy.award.star2_fen", "subsidy.award.star3_fen", "subsidy.award.star4_fen", "subsidy.award.star5_fen",
        "subsidy.award.requires_prices_within", "subsidy.post.grade1_fen", "subsidy.post.grade2_fen",
        "subsidy.post.grade3_fen", "subsidy.post.grade4_fen", "subsidy.post.grade5_fen"};
    for (int i = 0; i < FUNDS_OPERATING_PARAMS; i++)
        used[i] = (struct funds_param_used){keys[i], i, "2023-01-01", "试点方案"};
    struct funds_operating_input in = {.children = {2, 1, 2}, .stars = 3};
    struct funds_operating o;
    funds_operating_compute(&RULES, &in, &o);
    json_t *x = funds_operating_explain(&q, &RULES, &in, &o, used);
    assert_int_equal(json_integer_value(json_object_get(x, "amount_fen")), 50000);
    assert_int_equal(json_array_size(json_object_get(json_object_get(x, "inputs"), "count_days")), 3);
    assert_int_equal(json_array_size(json_object_get(x, "params")), 2);
    json_decref(x);
    x = funds_award_explain(&q, &RULES, &in, &o, used);
    json_t *params = json_object_get(x, "params");
    assert_int_equal(json_array_size(params), 2); /* the level's amount and the price condition */
    assert_string_equal(json_string_value(json_object_get(json_array_get(params, 0), "key")), "subsidy.award.star3_fen");
    assert_string_equal(json_string_value(json_object_get(json_array_get(params, 1), "key")),
                        "subsidy.award.requires_prices_within");
    assert_int_equal(json_integer_value(json_object_get(x, "amount_fen")), 750000);
    json_decref(x);
}

static int64_t amount_of(json_t *f, const char *kind)
{
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(f, "lines"), i, l) if (strcmp(json_string_value(json_object_get(l, "kind")), kind) == 0)
        return json_integer_value(json_object_get(l, "amount_fen"));
    return -1;
}

static void test_forecast(void **state)
{
    (void)state;
    struct funds_forecast_inputs in = {
        .year = 2027, .population_year = 2025, .under3 = 24000, .births = 7500, .childcare_per_month_fen = 30000,
        .in_care = 1500, .operating_per_child_month_fen = 10000, .stars = {0, 2, 1, 0, 3, 1},
        .star_award_year_fen = {0, 0, 1000000, 3000000, 5000000, 8000000}, .stations_pending = 2,
        .stations_pending_fen = 15000000, .vouchers_open = 40, .vouchers_open_fen = 4000000, .caregivers_graded = 3,
        .post_month_fen = 150000};
    json_t *f = funds_forecast(&in);
    assert_int_equal(amount_of(f, "childcare"), 24000LL * 12 * 30000);
    assert_int_equal(amount_of(f, "operating"), 1500LL * 12 * 10000);
    assert_int_equal(amount_of(f, "star_award"), 1 * 1000000 + 3 * 5000000 + 8000000);
    assert_int_equal(amount_of(f, "station"), 15000000);
    assert_int_equal(amount_of(f, "voucher"), 4000000);
    assert_int_equal(amount_of(f, "post"), 150000 * 12);
    assert_int_equal(json_integer_value(json_object_get(f, "total_fen")),
                     24000LL * 12 * 30000 + 1500LL * 12 * 10000 + 24000000 + 15000000 + 4000000 + 1800000);
    json_decref(f);
    /* no population known: no 育儿补贴 line rather than a zero that looks like a figure */
    in.population_year = 0;
    f = funds_forecast(&in);
    assert_int_equal(amount_of(f, "childcare"), -1);
    json_decref(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_quarter), cmocka_unit_test(test_amounts),
                                       cmocka_unit_test(test_explain), cmocka_unit_test(test_forecast),
                                       cmocka_unit_test(test_post)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
