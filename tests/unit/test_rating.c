/* test_rating.c — the star-rating engine (issue 17 item 2): a scheme's coherence, a sheet's range,
 * the level from the points (a tie at a threshold reaches it, below the lowest none), a failed
 * veto capping the level or withholding it, and experts' sheets combined by mean and by trimmed
 * mean, rounded half up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rating/rating.h"

/* Two dimensions: A holds items 0 (40 points) and 1 (30), B holds item 2 (30) and the veto 3.
 * Levels: 三星 ≥ 85, 二星 ≥ 70, 一星 ≥ 60; a failed veto caps at 一星 (index 2). */
static struct rating_scheme scheme(void)
{
    struct rating_scheme s = {0};
    s.ndimensions = 2;
    s.nitems = 4;
    s.items[0] = (struct rating_item){0, RATING_POINTS, 400};
    s.items[1] = (struct rating_item){0, RATING_POINTS, 300};
    s.items[2] = (struct rating_item){1, RATING_POINTS, 300};
    s.items[3] = (struct rating_item){1, RATING_VETO, 0};
    s.nlevels = 3;
    s.levels[0].min_tenths = 850;
    s.levels[1].min_tenths = 700;
    s.levels[2].min_tenths = 600;
    s.veto_cap = 2;
    s.combine = RATING_MEAN;
    return s;
}

static struct rating_sheet sheet(int a, int b, int c, int veto)
{
    struct rating_sheet x;
    for (int i = 0; i < RATING_MAX_ITEMS; i++)
        x.score[i] = RATING_UNSCORED;
    x.score[0] = a;
    x.score[1] = b;
    x.score[2] = c;
    x.score[3] = veto;
    return x;
}

static void test_scheme_check(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s = scheme();
    assert_int_equal(rating_scheme_check(&s, &e), 0);
    s.levels[1].min_tenths = 850; /* two levels at one threshold */
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    assert_string_equal(e.field, "levels[1]");
    s = scheme();
    s.levels[0].min_tenths = 1001; /* above the full 100 points */
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    s = scheme();
    s.items[3].max_tenths = 10; /* a veto carries no points */
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    assert_string_equal(e.field, "items[3]");
    s = scheme();
    s.items[1].dimension = 2;
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    s = scheme();
    s.veto_cap = 4;
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    s = scheme();
    s.combine = RATING_TRIMMED_MEAN;
    s.trim_from = 2;
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    assert_string_equal(e.field, "trim_from");
}

static void test_sheet_check(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s = scheme();
    struct rating_sheet x = sheet(400, 301, 300, RATING_MET);
    assert_int_equal(rating_sheet_check(&s, &x, 0, &e), -1);
    assert_string_equal(e.code, "score_above_max");
    assert_string_equal(e.field, "items[1]");
    x = sheet(-5, 0, 0, RATING_MET);
    assert_int_equal(rating_sheet_check(&s, &x, 0, &e), -1);
    assert_string_equal(e.code, "score_negative");
    x = sheet(0, 0, 0, 2);
    assert_int_equal(rating_sheet_check(&s, &x, 0, &e), -1);
    assert_string_equal(e.code, "bad_veto");
    x = sheet(100, RATING_UNSCORED, 0, RATING_MET);
    assert_int_equal(rating_sheet_check(&s, &x, 0, &e), -1);
    assert_string_equal(e.code, "item_unscored");
    assert_int_equal(rating_sheet_check(&s, &x, 1, &e), 0); /* a draft may leave it */
    struct rating_result r;
    assert_int_equal(rating_judge(&s, &x, &r, &e), -1);      /* a judged sheet may not */
}

static void test_levels_and_ties(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s = scheme();
    struct rating_result r;
    struct rating_sheet x = sheet(400, 250, 200, RATING_MET); /* 85.0: exactly 三星's line */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.total_tenths, 850);
    assert_int_equal(r.max_tenths, 1000);
    assert_int_equal(r.dimension_tenths[0], 650);
    assert_int_equal(r.dimension_tenths[1], 200);
    assert_int_equal(r.points_level, 0);
    assert_int_equal(r.level, 0);
    x = sheet(400, 249, 200, RATING_MET); /* 84.9: half a point short */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, 1);
    x = sheet(300, 200, 99, RATING_MET); /* 59.9: below the lowest line */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, RATING_NO_LEVEL);
    x = sheet(300, 200, 100, RATING_MET); /* 60.0 */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, 2);
}

static void test_veto_caps(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s = scheme();
    struct rating_result r;
    struct rating_sheet x = sheet(400, 300, 300, RATING_NOT_MET); /* full points, veto failed */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.total_tenths, 1000);
    assert_int_equal(r.points_level, 0);
    assert_int_equal(r.level, 2); /* capped at 一星 */
    assert_int_equal(r.nvetoes_failed, 1);
    assert_int_equal(r.vetoes_failed[0], 3);
    x = sheet(0, 0, 0, RATING_NOT_MET); /* a cap never raises a level the points do not reach */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, RATING_NO_LEVEL);
    s.veto_cap = s.nlevels; /* a scheme where a failed veto withholds any level */
    x = sheet(400, 300, 300, RATING_NOT_MET);
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.points_level, 0);
    assert_int_equal(r.level, RATING_NO_LEVEL);
    x = sheet(400, 300, 300, RATING_MET);
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, 0);
    assert_int_equal(r.nvetoes_failed, 0);
}

static void test_combine(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s = scheme();
    struct rating_sheet ex[5], out;
    ex[0] = sheet(400, 200, 100, RATING_MET);
    ex[1] = sheet(300, 201, 100, RATING_MET);
    ex[2] = sheet(350, 200, 101, RATING_NOT_MET);
    /* mean: (400+300+350)/3 = 350; (200+201+200)/3 = 200.33 → 200; (100+100+101)/3 → 100 */
    assert_int_equal(rating_combine_sheets(&s, ex, 3, &out, &e), 0);
    assert_int_equal(out.score[0], 350);
    assert_int_equal(out.score[1], 200);
    assert_int_equal(out.score[2], 100);
    assert_int_equal(out.score[3], RATING_NOT_MET); /* one expert saw the baseline unmet */
    /* half up: (1 + 2) / 2 = 1.5 → 2 */
    ex[0] = sheet(1, 0, 0, RATING_MET);
    ex[1] = sheet(2, 0, 0, RATING_MET);
    assert_int_equal(rating_combine_sheets(&s, ex, 2, &out, &e), 0);
    assert_int_equal(out.score[0], 2);
    assert_int_equal(out.score[3], RATING_MET);
    /* trimmed from 5 experts: the 400 and the 0 are dropped, (300+310+320)/3 = 310 */
    s.combine = RATING_TRIMMED_MEAN;
    s.trim_from = 5;
    int a[5] = {400, 300, 0, 310, 320};
    for (int k = 0; k < 5; k++)
        ex[k] = sheet(a[k], 0, 0, RATING_MET);
    assert_int_equal(rating_combine_sheets(&s, ex, 5, &out, &e), 0);
    assert_int_equal(out.score[0], 310);
    /* four experts are fewer than trim_from: the plain mean (400+300+0+310)/4 = 252.5 → 253 */
    assert_int_equal(rating_combine_sheets(&s, ex, 4, &out, &e), 0);
    assert_int_equal(out.score[0], 253);
    /* a bad count or an out-of-range sheet combines nothing */
    assert_int_equal(rating_combine_sheets(&s, ex, 0, &out, &e), -1);
    assert_string_equal(e.code, "bad_expert_count");
    ex[1].score[2] = 301;
    assert_int_equal(rating_combine_sheets(&s, ex, 3, &out, &e), -1);
    assert_string_equal(e.code, "score_above_max");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scheme_check),     cmocka_unit_test(test_sheet_check),
        cmocka_unit_test(test_levels_and_ties),  cmocka_unit_test(test_veto_caps),
        cmocka_unit_test(test_combine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
