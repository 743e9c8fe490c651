/* test_duty.c — the live caregiver ratio engine (issue 15 item 5): the state of a class from the
 * children present and the caregivers on duty against the seeded 1:3 / 1:5 / 1:7 / 1:5 ratios,
 * the boundaries, an empty class, bad figures, the broken-for-longer-than test, and a class's day
 * replayed from its arrivals, departures and duty check-ins (since when it is broken, the longest
 * break, a handover in one minute). */
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

#define IN(m) {(m), 1, 0}
#define OUT(m) {(m), -1, 0}
#define ON(m) {(m), 0, 1}
#define OFF(m) {(m), 0, -1}
#define HM(h, m) ((h) * 60 + (m))

static void test_day_broken_since(void **state)
{
    (void)state;
    struct registry_rules r = rules();
    struct duty_day d;
    /* an infant class (1:3): a caregiver from 07:50, three children by 08:10, a fourth at 08:20
     * breaks it until a second caregiver comes at 08:50; at 09:00 it is kept, the break was 30 min */
    struct duty_event ev[] = {IN(HM(8, 20)), ON(HM(8, 50)), IN(HM(8, 0)), ON(HM(7, 50)), IN(HM(8, 5)), IN(HM(8, 10))};
    size_t n = sizeof ev / sizeof *ev;
    assert_int_equal(duty_ratio_day(&r, CLASS_INFANT, ev, n, HM(8, 30), 15, &d), 0);
    assert_int_equal(d.now.state, DUTY_RATIO_BROKEN);
    assert_int_equal(d.now.present, 4);
    assert_int_equal(d.now.on_duty, 1);
    assert_int_equal(d.now.needed, 2);
    assert_int_equal(d.broken_since, HM(8, 20));
    assert_int_equal(d.longest_from, HM(8, 20));
    assert_int_equal(d.longest_to, -1);          /* still running */
    assert_int_equal(d.longest_minutes, 10);
    assert_int_equal(d.nover, 0);                /* 10 minutes: within 15 */
    assert_int_equal(duty_ratio_day(&r, CLASS_INFANT, ev, n, HM(9, 0), 15, &d), 0);
    assert_int_equal(d.now.state, DUTY_RATIO_OK);
    assert_int_equal(d.broken_since, -1);
    assert_int_equal(d.longest_from, HM(8, 20));
    assert_int_equal(d.longest_to, HM(8, 50));
    assert_int_equal(d.longest_minutes, 30);
    assert_int_equal(d.nover, 1);
    assert_int_equal(d.over[0].from, HM(8, 20));
    assert_int_equal(d.over[0].to, HM(8, 50));
    /* events after the minute asked for do not count: at 08:04 one child, one caregiver */
    assert_int_equal(duty_ratio_day(&r, CLASS_INFANT, ev, n, HM(8, 4), 15, &d), 0);
    assert_int_equal(d.now.state, DUTY_RATIO_OK);
    assert_int_equal(d.now.present, 1);
    assert_int_equal(d.longest_minutes, 0);
    assert_int_equal(d.longest_from, -1);
}

static void test_day_handover_and_longest(void **state)
{
    (void)state;
    struct registry_rules r = rules();
    struct duty_day d;
    /* toddler_old (1:7), 7 children: A hands over to B at 12:00 in the same minute — no break;
     * B leaves at 13:00 with nobody after (a break of 20 min until C at 13:20), then C leaves at
     * 15:00 and the children are collected at 15:10 (10 min): the longest is the first */
    struct duty_event ev[32];
    size_t n = 0;
    for (int i = 0; i < 7; i++)
        ev[n++] = (struct duty_event)IN(HM(8, i));
    struct duty_event more[] = {ON(HM(7, 55)), OFF(HM(12, 0)), ON(HM(12, 0)), OFF(HM(13, 0)), ON(HM(13, 20)),
                                OFF(HM(15, 0))};
    for (size_t i = 0; i < sizeof more / sizeof *more; i++)
        ev[n++] = more[i];
    for (int i = 0; i < 7; i++)
        ev[n++] = (struct duty_event)OUT(HM(15, 10));
    assert_int_equal(duty_ratio_day(&r, CLASS_TODDLER_OLD, ev, n, HM(12, 30), 15, &d), 0);
    assert_int_equal(d.now.state, DUTY_RATIO_OK);
    assert_int_equal(d.longest_minutes, 0);
    assert_int_equal(duty_ratio_day(&r, CLASS_TODDLER_OLD, ev, n, HM(18, 0), 15, &d), 0);
    assert_int_equal(d.now.state, DUTY_RATIO_EMPTY);
    assert_int_equal(d.broken_since, -1);
    assert_int_equal(d.longest_from, HM(13, 0));
    assert_int_equal(d.longest_to, HM(13, 20));
    assert_int_equal(d.longest_minutes, 20);
    assert_int_equal(d.nover, 1);                /* 20 > 15; the 10-minute break is not */
    assert_int_equal(d.over[0].from, HM(13, 0));
    /* at a 5-minute limit both breaks are findings, in order */
    assert_int_equal(duty_ratio_day(&r, CLASS_TODDLER_OLD, ev, n, HM(18, 0), 5, &d), 0);
    assert_int_equal(d.nover, 2);
    assert_int_equal(d.over[1].from, HM(15, 0));
    assert_int_equal(d.over[1].to, HM(15, 10));
    assert_true(duty_ratio_overdue(HM(13, 0), HM(13, 20), 15));
    assert_false(duty_ratio_overdue(HM(13, 0), HM(13, 15), 15));
}

static void test_day_edges(void **state)
{
    (void)state;
    struct registry_rules r = rules();
    struct duty_day d;
    /* no events: an empty class */
    assert_int_equal(duty_ratio_day(&r, CLASS_MIXED, NULL, 0, HM(10, 0), 15, &d), 0);
    assert_int_equal(d.now.state, DUTY_RATIO_EMPTY);
    assert_int_equal(d.broken_since, -1);
    /* a check-out without its check-in is ignored (counts stay at zero) */
    struct duty_event ev[] = {OUT(HM(8, 0)), OFF(HM(8, 0)), IN(HM(9, 0))};
    assert_int_equal(duty_ratio_day(&r, CLASS_MIXED, ev, 3, HM(9, 30), 15, &d), 0);
    assert_int_equal(d.now.present, 1);
    assert_int_equal(d.now.on_duty, 0);
    assert_int_equal(d.broken_since, HM(9, 0));
    assert_int_equal(d.longest_minutes, 30);
    assert_int_equal(d.nover, 1);                /* running for 30 minutes */
    assert_int_equal(d.over[0].to, -1);
    /* bad minute or class type */
    assert_int_equal(duty_ratio_day(&r, CLASS_MIXED, ev, 3, 24 * 60, 15, &d), -1);
    assert_int_equal(duty_ratio_day(&r, CLASS_MIXED, ev, 3, -1, 15, &d), -1);
    assert_int_equal(duty_ratio_day(&r, CLASS_TYPE_COUNT, ev, 3, HM(9, 0), 15, &d), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratio_boundaries),
        cmocka_unit_test(test_ratio_empty_and_bad),
        cmocka_unit_test(test_overdue),
        cmocka_unit_test(test_day_broken_since),
        cmocka_unit_test(test_day_handover_and_longest),
        cmocka_unit_test(test_day_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
