/* test_params.c — dated parameters on a real SQLite database with the seeded migrations: the
 * value in force on a date, versions that end and begin, and every rule figure the registry
 * needs present on today's date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "params/params.h"
#include "registry/store.h"

static struct db *db;
static char path[256];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/tuoyu-test-params-%d.db", (int)getpid());
    unlink(path);
    struct db_config cfg = {.kind = DB_SQLITE};
    snprintf(cfg.target, sizeof cfg.target, "%s", path);
    struct err e = {0};
    assert_int_equal(db_open(&cfg, &db, &e), 0);
    assert_true(db_migrate(db, &e) > 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    return 0;
}

static void test_seeded_values_and_dates(void **state)
{
    (void)state;
    struct err e = {0};
    double v;
    assert_int_equal(params_get(db, "330304", "class.toddler_old.max_size", "2024-01-01", &v, &e), 0);
    assert_true(v == 20);
    assert_int_equal(params_get(db, "330304", "subsidy.childcare.per_year_fen", "2025-01-01", &v, &e), 0);
    assert_true(v == 360000);
    /* the national childcare subsidy did not exist before 2025 */
    assert_int_equal(params_get(db, "330304", "subsidy.childcare.per_year_fen", "2024-12-31", &v, &e), -1);
    assert_string_equal(e.code, "param_missing");
    /* the 20-station target was for 2023 only */
    assert_int_equal(params_get(db, "330304", "stations.target_count", "2023-12-31", &v, &e), 0);
    assert_int_equal(params_get(db, "330304", "stations.target_count", "2024-01-01", &v, &e), -1);
}

static void test_new_version_takes_over_on_its_date(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(db_exec(db,
                             "UPDATE param SET valid_to = '2027-12-31' WHERE key = 'planning.places_per_1000_target';"
                             "INSERT INTO param (district_code, key, value, unit, basis, certainty, description, "
                             "valid_from) VALUES ('330304', 'planning.places_per_1000_target', '6', 'x', 'b', 'LOCAL', "
                             "'d', '2028-01-01')",
                             &e),
                     0);
    struct params *p = malloc(sizeof *p);
    double v;
    assert_int_equal(params_load(db, "330304", "2027-12-31", p, &e), 0);
    assert_int_equal(params_num(p, "planning.places_per_1000_target", &v, &e), 0);
    assert_true(v == 4.5);
    assert_int_equal(params_load(db, "330304", "2028-01-01", p, &e), 0);
    assert_int_equal(params_num(p, "planning.places_per_1000_target", &v, &e), 0);
    assert_true(v == 6);
    assert_string_equal(params_basis(p, "planning.places_per_1000_target"), "b");
    assert_int_equal(params_num(p, "no.such.key", &v, &e), -1);
    assert_true(params_num_or(p, "no.such.key", 7) == 7);
    free(p);
}

/* A key set for the province applies to every district below it; a city's version wins over the
 * province's, the district's own over both; a district the tree does not list still reads its own.
 * A district's new version of an inherited key leaves the province's in force for the others. */
static void test_nearest_level_wins(void **state)
{
    (void)state;
    struct err e = {0};
#define ROW(code, value, from) \
    "INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from) VALUES ('" code \
    "', 'test.level', '" value "', 'x', 'basis " code "', 'LOCAL', 'd', '" from "');"
    assert_int_equal(db_exec(db, ROW("330000", "1", "2020-01-01") ROW("330300", "2", "2025-01-01"), &e), 0);
    double v;
    struct params *p = malloc(sizeof *p);
    assert_int_equal(params_get(db, "330304", "test.level", "2024-06-01", &v, &e), 0);
    assert_true(v == 1); /* only the province's yet */
    assert_int_equal(params_get(db, "330304", "test.level", "2025-06-01", &v, &e), 0);
    assert_true(v == 2); /* Wenzhou's, nearer */
    assert_int_equal(params_get(db, "330102", "test.level", "2025-06-01", &v, &e), 0);
    assert_true(v == 1); /* Hangzhou's 上城区: the province's */
    assert_int_equal(params_get(db, "999999", "test.level", "2025-06-01", &v, &e), -1); /* not in the tree */
    assert_int_equal(params_load(db, "330304", "2025-06-01", p, &e), 0);
    assert_int_equal(params_num(p, "test.level", &v, &e), 0);
    assert_true(v == 2);
    assert_string_equal(params_basis(p, "test.level"), "basis 330300");

    /* the district sets its own from 2026: the city's is not closed, the district's wins */
    struct param_version prev;
    assert_int_equal(params_version_on(db, "330304", "test.level", "2026-01-01", &prev, &e), 1);
    assert_string_equal(prev.district_code, "330300");
    assert_int_equal(db_begin(db, &e), 0);
    assert_int_equal(params_add_version(db, "330304", &prev, "test.level", "3", "2026-01-01", "区级文件", &e), 0);
    assert_int_equal(db_commit(db, &e), 0);
    assert_int_equal(params_get(db, "330304", "test.level", "2026-06-01", &v, &e), 0);
    assert_true(v == 3);
    assert_int_equal(params_get(db, "330303", "test.level", "2026-06-01", &v, &e), 0);
    assert_true(v == 2); /* 龙湾区 still reads Wenzhou's */
    assert_int_equal(params_load(db, "330304", "2026-06-01", p, &e), 0);
    assert_int_equal(params_num(p, "test.level", &v, &e), 0);
    assert_true(v == 3);
    /* and its own next version closes its own, not the city's */
    assert_int_equal(params_version_on(db, "330304", "test.level", "2027-01-01", &prev, &e), 1);
    assert_string_equal(prev.district_code, "330304");
    assert_int_equal(db_begin(db, &e), 0);
    assert_int_equal(params_add_version(db, "330304", &prev, "test.level", "4", "2027-01-01", "区级文件", &e), 0);
    assert_int_equal(db_commit(db, &e), 0);
    assert_int_equal(params_get(db, "330304", "test.level", "2026-12-31", &v, &e), 0);
    assert_true(v == 3);
    assert_int_equal(params_get(db, "330304", "test.level", "2027-01-01", &v, &e), 0);
    assert_true(v == 4);
    assert_int_equal(params_get(db, "330303", "test.level", "2027-06-01", &v, &e), 0);
    assert_true(v == 2);
    free(p);
#undef ROW
}

/* The tree holds Zhejiang's province, its 11 cities and 90 districts and counties, each district
 * with its chain up (itself, its city, the province). */
static void test_tree(void **state)
{
    (void)state;
    struct err e = {0};
    int found;
    assert_int_equal(db_query_int(db, &e, &found, "SELECT COUNT(*) FROM jurisdiction WHERE level = 'city'", ""), 11);
    assert_int_equal(db_query_int(db, &e, &found, "SELECT COUNT(*) FROM jurisdiction WHERE level = 'district'", ""), 90);
    assert_int_equal(db_query_int(db, &e, &found,
                                  "SELECT COUNT(*) FROM jurisdiction_ancestor a JOIN jurisdiction j ON j.code = a.code "
                                  "WHERE j.level = 'district'", ""),
                     270);
    assert_int_equal(db_query_int(db, &e, &found,
                                  "SELECT COUNT(*) FROM jurisdiction WHERE code = '330304' AND name = '瓯海区' "
                                  "AND parent_code = '330300'", ""),
                     1);
}

static void test_registry_rules_complete(void **state)
{
    (void)state;
    struct err e = {0};
    struct registry_rules r;
    char basis[RULE_COUNT][160];
    assert_int_equal(registry_rules_from_params(db, "330304", "2026-06-01", &r, basis, &e), 0);
    assert_int_equal(r.max_class_size[CLASS_INFANT], 10);
    assert_true(r.children_per_caregiver[CLASS_TODDLER_OLD] == 7);
    assert_int_equal(r.health_worker_min_children, 150);
    assert_int_equal(r.max_floor, 3);
    for (int i = 0; i < RULE_COUNT; i++)
        assert_true(strlen(basis[i]) > 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeded_values_and_dates),
        cmocka_unit_test(test_new_version_takes_over_on_its_date),
        cmocka_unit_test(test_registry_rules_complete),
        cmocka_unit_test(test_nearest_level_wins),
        cmocka_unit_test(test_tree),
    };
    return cmocka_run_group_tests_name("params", tests, setup, teardown);
}
