/* test_rounds.c — the pure part of applications and rounds (src/enrol/rounds.h): priority points
 * from the points table and the declared / computed criteria, and the points table read from the
 * dated parameters seeded by migration 008 (in a scratch SQLite file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "enrol/rounds.h"

static const struct enrol_points_table T = {.multi_child = 2, .both_parents_working = 1, .ouhai_residence = 2,
                                            .disability = 3, .hardship = 3, .sibling_at_institution = 2,
                                            .same_town = 1};

static void points_add_up(void **state)
{
    (void)state;
    struct enrol_criteria none = {0}, all = {1, 1, 1, 1, 1}, some = {.multi_child = 1, .hardship = 1};
    assert_true(enrol_points(&T, &none, 0, 0) == 0);
    assert_true(enrol_points(&T, &none, 1, 0) == 2);
    assert_true(enrol_points(&T, &none, 0, 1) == 1);
    assert_true(enrol_points(&T, &some, 0, 0) == 5);
    assert_true(enrol_points(&T, &all, 1, 1) == 14);
    /* each criterion counts its own row, not another's */
    struct enrol_points_table t = {0};
    t.disability = 7;
    struct enrol_criteria d = {.disability = 1};
    assert_true(enrol_points(&t, &d, 1, 1) == 7);
    assert_true(enrol_points(&t, &some, 0, 0) == 0);
}

static void criteria_keys_match_struct(void **state)
{
    (void)state;
    int n = 0;
    while (enrol_criteria_keys[n])
        n++;
    assert_int_equal(n, (int)(sizeof(struct enrol_criteria) / sizeof(int)));
    assert_string_equal(enrol_criteria_keys[0], "multi_child");
    assert_string_equal(enrol_criteria_keys[4], "hardship");
}

static void table_from_parameters(void **state)
{
    (void)state;
    struct db_config cfg = {.kind = DB_SQLITE};
    snprintf(cfg.target, sizeof cfg.target, "/tmp/tuoyu-test-rounds-%d.db", (int)getpid());
    unlink(cfg.target);
    struct db *db = NULL;
    struct err e = {0};
    assert_int_equal(db_open(&cfg, &db, &e), 0);
    assert_true(db_migrate(db, &e) > 0);
    struct enrol_points_table t;
    assert_int_equal(enrol_points_load(db, "330304", "2026-06-01", &t, &e), 0);
    assert_true(t.multi_child == 2 && t.both_parents_working == 1 && t.ouhai_residence == 2);
    assert_true(t.disability == 3 && t.hardship == 3 && t.sibling_at_institution == 2 && t.same_town == 1);
    /* before the rows are in force: the parameter is missing, an error, not a silent 0 */
    assert_int_equal(enrol_points_load(db, "330304", "2020-01-01", &t, &e), -1);
    assert_int_equal(e.status, 500);
    db_close(db);
    unlink(cfg.target);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_add_up),
        cmocka_unit_test(criteria_keys_match_struct),
        cmocka_unit_test(table_from_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
