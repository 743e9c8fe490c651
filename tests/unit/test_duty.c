/* test_duty.c — the live caregiver ratio engine (issue 15 item 5): the state of a class from the
 * children present and the caregivers on duty against the seeded 1:3 / 1:5 / 1:7 / 1:5 ratios,
 * the boundaries, an empty class, bad figures, and the broken-for-longer-than test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "duty/ratio.h"

static struct registry_rules rules(void)
{
    struct registry_rules r = {0};
    r.children_per_caregiver[CLASS_INFANT] = 3;
    r.children_per_caregiver[CLASS_TODDLER_YOUNG] = 5;
    r.children_per_caregiver[CLASS_TODDLER_OLD] = 7;
    r.children_per_caregiver[CLASS_MIXED] = 5;
    return r;
}

static void test_ratio_boundaries(void **state)
{
    (void)state;
    struct registry_rules r = rules();
    struct duty_ratio d;
    /* infant 1:3 — 3 children with one caregiver is kept, a fourth child breaks it */
    assert_int_equal(duty_ratio_compute(&r, CLASS_INFANT, 3, 1, &d), 0);
    assert_int_equal(d.state, DUTY_RATIO_OK);
    assert_int_equal(d.needed, 1);
    assert_int_equal(duty_ratio_compute(&r, CLASS_INFANT, 4, 1, &d), 0);
    assert_int_equal(d.state, DUTY_RATIO_BROKEN);
    assert_int_equal(d.needed, 2);
    /* toddler_old 1:7 — 14 children with two caregivers kept, 15 broken and need three */
    assert_int_equal(duty_ratio_compute(&r, CLASS_TODDLER_OLD, 14, 2, &d), 0);
    assert_int_equal(d.state, DUTY_RATIO_OK);
    assert_int_equal(duty_ratio_compute(&r, CLASS_TODDLER_OLD, 15, 2, &d), 0);
    assert_int_equal(d.state, DUTY_RATIO_BROKEN);
    assert_int_equal(d.needed, 3);
    /* toddler_young and mixed 1:5 */
    assert_int_equal(duty_ratio_compute(&r, CLASS_TODDLER_YOUNG, 6, 1, &d), 0);
    assert_int_equal(d.state, DUTY_RATIO_BROKEN);
    assert_int_equal(duty_ratio_compute(&r, CLASS_MIXED, 10, 2, &d), 0);
    assert_int_equal(d.state, DUTY_RATIO_OK);
    assert_true(d.per == 5);
    /* children present and nobody on duty: broken */
    assert_int_equal(duty_ratio_compute(&r, CLASS_TODDLER_YOUNG, 1, 0, &d), 0);
    assert_int_equal(d.state, DUTY_RATIO_BROKEN);
    assert_int_equal(d.needed, 1);
}

static void test_ratio_empty_and_bad(void **state)
{
    (void)state;
    struct registry_rules r = rules();
    struct duty_ratio d;
    assert_int_equal(duty_ratio_compute(&r, CLASS_INFANT, 0, 0, &d), 0);
    assert_int_equal(d.state, DUTY_RATIO_EMPTY);
    assert_int_equal(d.needed, 0);
    assert_int_equal(duty_ratio_compute(&r, CLASS_TYPE_COUNT, 1, 1, &d), -1);
    assert_int_equal(duty_ratio_compute(&r, -1, 1, 1, &d), -1);
    assert_int_equal(duty_ratio_compute(&r, CLASS_INFANT, -1, 1, &d), -1);
    assert_int_equal(duty_ratio_compute(&r, CLASS_INFANT, 1, -1, &d), -1);
    r.children_per_caregiver[CLASS_INFANT] = 0;
    assert_int_equal(duty_ratio_compute(&r, CLASS_INFANT, 1, 1, &d), -1);
}

static void test_overdue(void **state)
{
    (void)state;
    assert_false(duty_ratio_overdue(-1, 1000, 15));   /* not broken */
    assert_false(duty_ratio_overdue(100, 115, 15));   /* exactly the limit: not yet */
    assert_true(duty_ratio_overdue(100, 116, 15));    /* longer than the limit */
    assert_false(duty_ratio_overdue(100, 100, 0));
    assert_true(duty_ratio_overdue(100, 101, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratio_boundaries),
        cmocka_unit_test(test_ratio_empty_and_bad),
        cmocka_unit_test(test_overdue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
