/* test_population.c — the rules of a year's population figures (population.c): the year's range,
 * each town of the district once, residents positive (the schema), under-3s and births not above
 * the residents, absent counts kept as absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "population/population.h"

static const char *const TOWNS[] = {"330304001", "330304002", "330304108"};

static int rows_of(const char *text, struct population_row *rows, int *n, struct err *e)
{
    struct err se = {0};
    json_t *b = http_json_check(&population_body_schema, text, strlen(text), &se);
    if (!b) {
        *e = se;
        return -2; /* refused by the schema */
    }
    int rc = population_rows_from_json(b, TOWNS, 3, rows, n, e);
    json_decref(b);
    return rc;
}

static void test_rows(void **state)
{
    (void)state;
    struct population_row rows[POPULATION_MAX_ROWS];
    struct err e = {0};
    int n;
    assert_int_equal(rows_of("{\"source\":\"统计年鉴\",\"rows\":[{\"town_code\":\"330304001\",\"residents\":90000,"
                             "\"under3\":2100,\"births\":700},{\"town_code\":\"330304108\",\"residents\":30000}]}",
                             rows, &n, &e),
                     0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].town_code, "330304001");
    assert_int_equal(rows[0].under3, 2100);
    assert_int_equal(rows[1].under3, -1); /* not given: not known, not zero */
    assert_int_equal(rows[1].births, -1);
    /* under-3s may equal the residents (a boundary), not exceed them */
    assert_int_equal(rows_of("{\"source\":\"x\",\"rows\":[{\"town_code\":\"330304002\",\"residents\":5,\"under3\":5}]}",
                             rows, &n, &e),
                     0);
    const char *bad[][3] = {
        {"{\"source\":\"x\",\"rows\":[{\"town_code\":\"330305001\",\"residents\":5}]}", "unknown_town", "rows[0].town_code"},
        {"{\"source\":\"x\",\"rows\":[{\"town_code\":\"330304001\",\"residents\":5},{\"town_code\":\"330304001\",\"residents\":6}]}",
         "duplicate_town", "rows[1].town_code"},
        {"{\"source\":\"x\",\"rows\":[{\"town_code\":\"330304001\",\"residents\":5,\"births\":6}]}", "more_than_residents",
         "rows[0].births"},
        {"{\"source\":\"x\",\"rows\":[{\"town_code\":\"330304001\",\"residents\":0}]}", "out_of_range", "rows[0].residents"},
        {"{\"source\":\" \",\"rows\":[]}", "required", "source"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err_clear(&e);
        assert_true(rows_of(bad[i][0], rows, &n, &e) < 0);
        assert_string_equal(e.code, bad[i][1]);
        assert_string_equal(e.field, bad[i][2]);
    }
}

static void test_year(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(population_year_check(2000, 2026, &e), 0);
    assert_int_equal(population_year_check(2027, 2026, &e), 0); /* next year's, announced early */
    assert_int_equal(population_year_check(2028, 2026, &e), -1);
    assert_string_equal(e.code, "bad_year");
    assert_int_equal(population_year_check(1999, 2026, &e), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_rows), cmocka_unit_test(test_year)};
    return cmocka_run_group_tests_name("population", tests, NULL, NULL);
}
