/* test_growth_flags.c — the growth flags rule (src/growth/flags.c): a measurement is flagged on
 * each graded indicator whose z-score grades 下 (below −2 SD) or 上 (from +2 SD) under WS/T 423;
 * measurements built from the WHO tables at chosen z-scores. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "growth/flags.h"

#define AGE 365 /* days: a boy or girl of one year */

/* The value of age-keyed table t for sex at z-score z at AGE. */
static double at_z(enum growth_table_id t, int sex, double z)
{
    double l, m, s;
    assert_int_equal(growth_lms_at(t, sex, AGE, &l, &m, &s), 0);
    return growth_value_at_z(l, m, s, z);
}

static struct growth_input measured(int sex, double weight, double lenhei, double headc)
{
    return (struct growth_input){.sex = sex, .age = AGE, .weight_kg = weight, .lenhei_cm = lenhei, .measure = 'l',
                                 .headc_cm = headc, .armc_cm = NAN, .triskin_mm = NAN, .subskin_mm = NAN};
}

static int flags(const struct growth_input *m, const struct growth_cutoffs *c, struct growth_flag *out)
{
    struct err e = {0};
    return growth_flags_of(m, c, out, &e);
}

static void test_below_and_above(void **state)
{
    struct growth_cutoffs c;
    growth_cutoffs_default(&c);
    struct growth_flag f[GROWTH_FLAGS_MAX];
    /* weight alone at −2.5 SD: weight-for-age 下, nothing else computed */
    struct growth_input m = measured(1, at_z(GROWTH_T_WFA, 1, -2.5), NAN, NAN);
    assert_int_equal(flags(&m, &c, f), 1);
    assert_int_equal(f[0].ind, GROWTH_WEI);
    assert_int_equal(f[0].grade, 1);
    assert_true(fabs(f[0].z.z + 2.5) < 0.011);
    /* at −1.9 SD: 中下, not flagged */
    m = measured(1, at_z(GROWTH_T_WFA, 1, -1.9), NAN, NAN);
    assert_int_equal(flags(&m, &c, f), 0);
    /* head circumference at +2.3 SD, weight at the median: 上 on head circumference only */
    m = measured(2, at_z(GROWTH_T_WFA, 2, 0), NAN, at_z(GROWTH_T_HCFA, 2, 2.3));
    assert_int_equal(flags(&m, &c, f), 1);
    assert_int_equal(f[0].ind, GROWTH_HC);
    assert_int_equal(f[0].grade, 5);
}

static void test_edges_follow_the_grades(void **state)
{
    struct growth_cutoffs c;
    growth_cutoffs_default(&c);
    struct growth_flag f[GROWTH_FLAGS_MAX];
    /* the rounded z decides, as the grade does: −2.00 is 中下, +2.00 is 上 */
    struct growth_input m = measured(1, at_z(GROWTH_T_WFA, 1, -1.999), NAN, NAN);
    assert_int_equal(flags(&m, &c, f), 0);
    m = measured(1, at_z(GROWTH_T_WFA, 1, 2.001), NAN, NAN);
    assert_int_equal(flags(&m, &c, f), 1);
    assert_int_equal(f[0].grade, 5);
    /* the cut-offs are the parameters: with 下 below −3 SD, −2.5 is not flagged */
    c.grade_cuts[0] = -3;
    m = measured(1, at_z(GROWTH_T_WFA, 1, -2.5), NAN, NAN);
    assert_int_equal(flags(&m, &c, f), 0);
}

static void test_several_in_order(void **state)
{
    struct growth_cutoffs c;
    growth_cutoffs_default(&c);
    struct growth_flag f[GROWTH_FLAGS_MAX];
    /* short and light (length −2.6, weight −3.2), head small: wfa, lhfa, hcfa flagged in that
     * order; weight-for-length and BMI follow from the two and are reported when beyond too */
    struct growth_input m =
        measured(1, at_z(GROWTH_T_WFA, 1, -3.2), at_z(GROWTH_T_LHFA, 1, -2.6), at_z(GROWTH_T_HCFA, 1, -2.4));
    int n = flags(&m, &c, f);
    assert_true(n >= 3);
    assert_int_equal(f[0].ind, GROWTH_WEI);
    assert_int_equal(f[1].ind, GROWTH_LEN);
    assert_int_equal(f[n - 1].ind, GROWTH_HC);
    for (int i = 0; i < n; i++)
        assert_true(f[i].z.z < -2 && f[i].grade == 1);
}

static void test_bad_input(void **state)
{
    struct growth_cutoffs c;
    growth_cutoffs_default(&c);
    struct growth_flag f[GROWTH_FLAGS_MAX];
    struct growth_input m = measured(7, 9.0, NAN, NAN);
    struct err e = {0};
    assert_int_equal(growth_flags_of(&m, &c, f, &e), -1);
    assert_string_equal(e.code, "bad_sex");
    /* nothing measured: nothing flagged */
    m = measured(1, NAN, NAN, NAN);
    assert_int_equal(flags(&m, &c, f), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_below_and_above),
        cmocka_unit_test(test_edges_follow_the_grades),
        cmocka_unit_test(test_several_in_order),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
