/* test_children.c — the pure part of children's records: a new child's body checked against its
 * schema and then against its meaning (ID number against birth date and sex, one document only,
 * dates, the masked copies), the record as replies show it (full or masked name, never the full
 * number), measurements in range, and the growth evaluation (WHO z-scores and classes, ages,
 * errors kept per measurement, reference curves over the child's ages and lengths). */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "children/children.h"
#include "growth/growth.h"

/* A GB 11643 number of a child born on birth (YYYY-MM-DD) in 330304 with sequence seq (3 digits,
 * odd for a boy), with its check character. */
static void id_for(const char *birth, const char *seq, char out[19])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    snprintf(out, 19, "330304%.4s%.2s%.2s%s", birth, birth + 5, birth + 8, seq);
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (out[i] - '0') * w[i];
    out[17] = "10X98765432"[sum % 11];
    out[18] = 0;
}

/* As the server does: the body against its schema, then its meaning. */
static int parse_child(const char *text, struct child *c, struct err *e)
{
    json_t *j = http_json_check(&child_schema, text, strlen(text), e);
    int rc = j ? child_from_json(j, "2026-06-01", c, e) : -1;
    json_decref(j);
    return rc;
}

static void expect_child_error(const char *text, const char *field, const char *code)
{
    struct child c;
    struct err e = {0};
    assert_int_equal(parse_child(text, &c, &e), -1);
    assert_string_equal(e.field, field);
    assert_string_equal(e.code, code);
    assert_int_equal(e.status, 422);
    assert_true(strlen(e.message) > 0);
}

static void test_child_with_resident_id(void **state)
{
    (void)state;
    char id[19], text[256];
    id_for("2025-03-15", "024", id); /* even: a girl */
    snprintf(text, sizeof text,
             "{\"name\":\"陈小雨\",\"birth_date\":\"2025-03-15\",\"sex\":2,\"id_number\":\"%s\",\"hukou_town\":\"330304001\"}",
             id);
    struct child c;
    struct err e = {0};
    assert_int_equal(parse_child(text, &c, &e), 0);
    assert_string_equal(c.name, "陈小雨");
    assert_string_equal(c.name_masked, "陈*雨");
    assert_string_equal(c.id_kind, "resident_id");
    assert_string_equal(c.id_number, id);
    char masked[24];
    snprintf(masked, sizeof masked, "330304********%s", id + 14);
    assert_string_equal(c.id_masked, masked);
    assert_string_equal(c.hukou_town, "330304001");
    assert_int_equal(c.sex, 2);
}

static void test_child_with_birth_certificate(void **state)
{
    (void)state;
    struct child c;
    struct err e = {0};
    assert_int_equal(parse_child("{\"name\":\"王小明\",\"birth_date\":\"2025-06-01\",\"sex\":1,\"birth_cert\":\"O330012345\"}",
                                 &c, &e),
                     0);
    assert_string_equal(c.id_kind, "birth_cert");
    assert_string_equal(c.id_number, "O330012345");
    assert_true(strchr(c.id_masked, '*') != NULL);
    assert_string_equal(c.hukou_town, "");
}

static void test_child_errors_name_the_field(void **state)
{
    (void)state;
    char id[19], text[256];
    id_for("2025-03-15", "024", id);
    snprintf(text, sizeof text, "{\"name\":\"陈小雨\",\"birth_date\":\"2025-03-15\",\"sex\":1,\"id_number\":\"%s\"}", id);
    expect_child_error(text, "id_number", "id_sex_mismatch");
    snprintf(text, sizeof text, "{\"name\":\"陈小雨\",\"birth_date\":\"2025-03-16\",\"sex\":2,\"id_number\":\"%s\"}", id);
    expect_child_error(text, "id_number", "id_birth_mismatch");
    snprintf(text, sizeof text,
             "{\"name\":\"陈小雨\",\"birth_date\":\"2025-03-15\",\"sex\":2,\"id_number\":\"%s\",\"birth_cert\":\"O330012345\"}",
             id);
    expect_child_error(text, "id_number", "one_id_only");
    expect_child_error("{\"name\":\"陈小雨\",\"birth_date\":\"2025-03-15\",\"sex\":2}", "id_number", "required");
    expect_child_error("{\"name\":\"陈小雨\",\"birth_date\":\"2026-06-02\",\"sex\":2,\"birth_cert\":\"O330012345\"}",
                       "birth_date", "future_date");
    expect_child_error("{\"name\":\"A\",\"birth_date\":\"2025-03-15\",\"sex\":2,\"birth_cert\":\"O330012345\"}", "name",
                       "bad_name");
    expect_child_error(
        "{\"name\":\"陈小雨\",\"birth_date\":\"2025-03-15\",\"sex\":2,\"birth_cert\":\"O330012345\",\"hukou_town\":\"33030400A\"}",
        "hukou_town", "bad_town");
}

static void test_child_json_full_or_masked_name_never_the_number(void **state)
{
    (void)state;
    struct child c = {.id = 7, .institution_id = 3, .sex = 1};
    snprintf(c.name, sizeof c.name, "王小明");
    snprintf(c.name_masked, sizeof c.name_masked, "王*明");
    snprintf(c.birth_date, sizeof c.birth_date, "2025-06-01");
    snprintf(c.id_kind, sizeof c.id_kind, "resident_id");
    snprintf(c.id_number, sizeof c.id_number, "330304202506010017");
    snprintf(c.id_masked, sizeof c.id_masked, "330304********0017");
    for (int full = 0; full <= 1; full++) {
        json_t *j = child_to_json(&c, full);
        assert_string_equal(json_string_value(json_object_get(j, "name")), full ? "王小明" : "王*明");
        assert_string_equal(json_string_value(json_object_get(j, "id_masked")), "330304********0017");
        assert_int_equal(json_integer_value(json_object_get(j, "institution_id")), 3);
        assert_true(json_is_null(json_object_get(j, "family_user_id")));
        assert_true(json_is_null(json_object_get(j, "hukou_town")));
        char *text = json_dumps(j, 0);
        assert_null(strstr(text, c.id_number));
        free(text);
        json_decref(j);
    }
}

static int parse_measurement(const char *text, struct measurement *m, struct err *e)
{
    json_t *j = http_json_check(&measurement_schema, text, strlen(text), e);
    int rc = j ? measurement_from_json(j, "2025-06-01", "2026-06-01", m, e) : -1;
    json_decref(j);
    return rc;
}

static void test_measurements_in_range(void **state)
{
    (void)state;
    struct measurement m;
    struct err e = {0};
    assert_int_equal(parse_measurement("{\"measured_on\":\"2026-06-01\",\"weight_kg\":9.6,\"lenhei_cm\":75.7,\"measure\":\"l\"}",
                                       &m, &e),
                     0);
    assert_true(m.weight_kg == 9.6 && m.lenhei_cm == 75.7 && m.measure == 'l');
    assert_true(isnan(m.headc_cm) && isnan(m.armc_cm));
    static const struct {
        const char *body, *field, *code;
    } bad[] = {
        {"{\"measured_on\":\"2025-05-31\",\"weight_kg\":3.3}", "measured_on", "date_out_of_range"},
        {"{\"measured_on\":\"2026-06-02\",\"weight_kg\":3.3}", "measured_on", "date_out_of_range"},
        {"{\"measured_on\":\"2025-12-01\",\"weight_kg\":8100}", "weight_kg", "out_of_range"},
        {"{\"measured_on\":\"2025-12-01\",\"weight_kg\":0.4}", "weight_kg", "out_of_range"},
        {"{\"measured_on\":\"2025-12-01\"}", "weight_kg", "required"},
        {"{\"measured_on\":\"2025-12-01\",\"weight_kg\":8,\"measure\":\"x\",\"lenhei_cm\":70}", "measure", "bad_measure"},
        {"{\"measured_on\":\"2025-12-01\",\"weight_kg\":8,\"measure\":\"h\"}", "measure", "measure_without_length"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(parse_measurement(bad[i].body, &m, &e), -1);
        assert_string_equal(e.field, bad[i].field);
        assert_string_equal(e.code, bad[i].code);
    }
}

static struct measurement measured(const char *on, double weight, double length)
{
    struct measurement m = {.weight_kg = weight, .lenhei_cm = length, .headc_cm = NAN, .armc_cm = NAN,
                            .triskin_mm = NAN, .subskin_mm = NAN, .measure = isnan(length) ? 0 : 'l'};
    snprintf(m.measured_on, sizeof m.measured_on, "%s", on);
    return m;
}

static struct child boy_born(const char *birth)
{
    struct child c = {.id = 1, .sex = GROWTH_SEX_MALE};
    snprintf(c.name, sizeof c.name, "王小明");
    snprintf(c.name_masked, sizeof c.name_masked, "王*明");
    snprintf(c.birth_date, sizeof c.birth_date, "%s", birth);
    return c;
}

static double curve_x(const json_t *curve, size_t i) { return json_real_value(json_array_get(json_array_get(curve, i), 0)); }

static void test_growth_evaluation(void **state)
{
    (void)state;
    struct growth_cutoffs cut;
    growth_cutoffs_default(&cut);
    struct child c = boy_born("2025-06-01");
    /* at 365 days a boy's WHO weight-for-age median is 9.6479 kg: z = 0; 4.0 kg at 92 days is
     * below −3 SD */
    struct measurement m[2] = {measured("2025-09-01", 4.0, 60), measured("2026-06-01", 9.6479, 75.7)};
    json_t *g = child_growth_json(&c, 0, m, 2, &cut, "2026-06-01");
    assert_string_equal(json_string_value(json_object_get(json_object_get(g, "child"), "name")), "王*明");
    json_t *items = json_object_get(g, "measurements");
    assert_int_equal(json_array_size(items), 2);
    json_t *early = json_array_get(items, 0), *late = json_array_get(items, 1);
    assert_int_equal(json_integer_value(json_object_get(early, "age_days")), 92);
    assert_int_equal(json_integer_value(json_object_get(late, "age_days")), 365);
    json_t *wfa = json_object_get(json_object_get(late, "zscores"), "wfa");
    assert_true(fabs(json_real_value(json_object_get(wfa, "z"))) < 0.005);
    assert_string_equal(json_string_value(json_object_get(wfa, "class")), "normal");
    assert_true(fabs(json_real_value(json_object_get(wfa, "percentile")) - 50) < 0.5);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(json_object_get(early, "zscores"), "wfa"), "class")),
        "severe_underweight");
    /* age curves from 60 days before the first measurement (not before birth) to 60 days after
     * the last, at least the first year; length curves around the lengths measured */
    json_t *curves = json_object_get(g, "curves");
    json_t *age_curve = json_object_get(curves, "wfa");
    assert_true(json_array_size(age_curve) > 10);
    assert_true(curve_x(age_curve, 0) == 32);
    assert_true(curve_x(age_curve, json_array_size(age_curve) - 1) <= 425);
    assert_int_equal(json_array_size(json_array_get(age_curve, 0)), 8);
    json_t *wfl = json_object_get(curves, "wfl");
    assert_non_null(wfl);
    assert_true(curve_x(wfl, 0) >= 55 && curve_x(wfl, json_array_size(wfl) - 1) <= 80.7 + 1e-9);
    json_decref(g);
}

static void test_growth_without_measurements_and_with_errors(void **state)
{
    (void)state;
    struct growth_cutoffs cut;
    growth_cutoffs_default(&cut);
    struct child c = boy_born("2026-01-01");
    json_t *g = child_growth_json(&c, 1, NULL, 0, &cut, "2026-06-01");
    assert_string_equal(json_string_value(json_object_get(json_object_get(g, "child"), "name")), "王小明");
    assert_int_equal(json_array_size(json_object_get(g, "measurements")), 0);
    json_t *age_curve = json_object_get(json_object_get(g, "curves"), "wfa");
    assert_true(curve_x(age_curve, 0) == 0);
    assert_true(curve_x(age_curve, json_array_size(age_curve) - 1) >= 357); /* the first year, a point a week */
    assert_null(json_object_get(json_object_get(g, "curves"), "wfl"));
    json_decref(g);
    /* a measurement the engine refuses keeps its place, with the engine's error code */
    c.sex = 3;
    struct measurement m = measured("2026-03-01", 5.0, NAN);
    g = child_growth_json(&c, 1, &m, 1, &cut, "2026-06-01");
    json_t *only = json_array_get(json_object_get(g, "measurements"), 0);
    assert_string_equal(json_string_value(json_object_get(only, "error")), "bad_sex");
    assert_null(json_object_get(only, "zscores"));
    json_decref(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_child_with_resident_id),
        cmocka_unit_test(test_child_with_birth_certificate),
        cmocka_unit_test(test_child_errors_name_the_field),
        cmocka_unit_test(test_child_json_full_or_masked_name_never_the_number),
        cmocka_unit_test(test_measurements_in_range),
        cmocka_unit_test(test_growth_evaluation),
        cmocka_unit_test(test_growth_without_measurements_and_with_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
