/* test_dashboard.c — 一屏掌控's pure part: institutions tallied into their towns (places, the
 * inclusive ones, open findings; other towns left out), the indicators over the towns (per 1,000
 * residents, the inclusive share, towns covered; no division by zero), the service circle picked
 * out of a coverage result for the district or a town, and the reply with its rounding. */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "supervision/dashboard.h"
#include "registry_rules.h"

/* An owned, ground-floor institution of town with one 托大班, a fee catalogue, and a health room and
 * daylight the rules accept. */
static struct institution inst(const char *town, int inclusive, int capacity, int enrolled, int caregivers)
{
    struct institution in = {.inclusive = inclusive, .floor = 1, .health_room_m2 = 8, .window_floor_ratio = 0.25,
                             .nclasses = 1, .nfees = 1};
    snprintf(in.town_code, sizeof in.town_code, "%s", town);
    snprintf(in.operating_model, sizeof in.operating_model, "market");
    snprintf(in.premises_tenure, sizeof in.premises_tenure, "owned");
    in.classes[0] = (struct inst_class){.type = CLASS_TODDLER_OLD, .capacity = capacity, .enrolled = enrolled,
                                        .caregivers = caregivers};
    snprintf(in.fees[0].item, sizeof in.fees[0].item, "保育费");
    snprintf(in.fees[0].category, sizeof in.fees[0].category, "basic");
    in.fees[0].amount_fen = 200000;
    return in;
}

static struct town_totals town(const char *code, const char *name, int64_t residents)
{
    struct town_totals t = {.residents = residents};
    snprintf(t.code, sizeof t.code, "%s", code);
    snprintf(t.name, sizeof t.name, "%s", name);
    return t;
}

static void test_tally_by_town(void **state)
{
    (void)state;
    struct town_totals towns[2] = {town("330304001", "景山街道", 50000), town("330304002", "梧田街道", 80000)};
    struct institution list[4] = {
        inst("330304001", 1, 20, 10, 2),  /* compliant */
        inst("330304001", 0, 20, 25, 1),  /* over its places and its caregivers */
        inst("330304002", 0, 15, 5, 1),
        inst("330304099", 1, 100, 0, 0), /* a town outside the list */
    };
    static const char *const basis[RULE_COUNT] = {0};
    struct finding f[16];
    int findings[4];
    for (int i = 0; i < 4; i++)
        findings[i] = registry_findings(&list[i], &RULES, basis, "2026-06-01", f, 16);
    dashboard_tally(towns, 2, list, findings, 4);
    assert_int_equal(towns[0].institutions, 2);
    assert_int_equal(towns[0].places, 40);
    assert_int_equal(towns[0].inclusive_institutions, 1);
    assert_int_equal(towns[0].inclusive_places, 20);
    assert_int_equal(findings[0], 0);
    assert_true(findings[1] >= 2);
    assert_int_equal(towns[0].open_findings, findings[1]); /* the counts of its institutions, summed */
    assert_int_equal(towns[1].institutions, 1);
    assert_int_equal(towns[1].places, 15);
    assert_int_equal(towns[1].inclusive_institutions, 0);
    assert_int_equal(towns[1].open_findings, 0);
    assert_int_equal(towns[0].residents, 50000); /* residents are the store's, left as they were */
}

static void test_kpi_sums_and_ratios(void **state)
{
    (void)state;
    struct town_totals towns[3] = {town("1", "a", 40000), town("2", "b", 60000), town("3", "c", 0)};
    towns[0].institutions = 3, towns[0].places = 150, towns[0].inclusive_places = 100, towns[0].inclusive_institutions = 2;
    towns[1].institutions = 1, towns[1].places = 50, towns[1].open_findings = 4;
    struct kpi k;
    dashboard_kpi(towns, 3, &k);
    assert_int_equal(k.institutions, 4);
    assert_int_equal(k.places, 200);
    assert_int_equal(k.residents, 100000);
    assert_true(k.places_per_1000 == 2.0);
    assert_true(k.inclusive_share == 0.5);
    assert_int_equal(k.towns_covered, 1);
    assert_int_equal(k.towns_total, 3);
    assert_int_equal(k.open_findings, 4);
    /* a town without residents or places: 0, not a division by zero */
    dashboard_kpi(&towns[2], 1, &k);
    assert_true(k.places_per_1000 == 0 && k.inclusive_share == 0);
    assert_int_equal(k.towns_total, 1);
}

/* the totals of several districts: counts added, ratios of the sums (not the mean of ratios) */
static void test_kpi_of_several_districts(void **state)
{
    (void)state;
    struct town_totals a[1] = {town("1", "a", 10000)}, b[2] = {town("2", "b", 90000), town("3", "c", 0)};
    a[0].institutions = 2, a[0].places = 100, a[0].inclusive_places = 100, a[0].inclusive_institutions = 2;
    b[0].institutions = 1, b[0].places = 100, b[0].open_findings = 3;
    struct kpi ka, kb, sum = {0};
    dashboard_kpi(a, 1, &ka);
    dashboard_kpi(b, 2, &kb);
    dashboard_kpi_add(&sum, &ka);
    assert_true(sum.places_per_1000 == 10.0);
    dashboard_kpi_add(&sum, &kb);
    assert_int_equal(sum.institutions, 3);
    assert_int_equal(sum.places, 200);
    assert_int_equal(sum.residents, 100000);
    assert_true(sum.places_per_1000 == 2.0);
    assert_true(sum.inclusive_share == 0.5);
    assert_int_equal(sum.towns_covered, 1);
    assert_int_equal(sum.towns_total, 3);
    assert_int_equal(sum.open_findings, 3);
}

static void test_service_circle_of_the_area(void **state)
{
    (void)state;
    json_t *coverage = json_loads("{\"method\":\"e2sfca\",\"minutes\":15,"
                                  "\"district\":{\"population_covered_share\":0.8,\"children_covered_share\":0.75},"
                                  "\"towns\":[{\"town_code\":\"330304001\",\"population_covered_share\":0.9,"
                                  "\"children_covered_share\":0.95}]}",
                                  0, NULL);
    assert_non_null(coverage);
    json_t *d = dashboard_service_circle(coverage, "2026-05-01T00:00:00Z", NULL);
    assert_true(json_real_value(json_object_get(d, "population_covered_share")) == 0.8);
    assert_string_equal(json_string_value(json_object_get(d, "method")), "e2sfca");
    assert_int_equal(json_integer_value(json_object_get(d, "minutes")), 15);
    assert_string_equal(json_string_value(json_object_get(d, "computed_at")), "2026-05-01T00:00:00Z");
    json_t *t = dashboard_service_circle(coverage, "2026-05-01T00:00:00Z", "330304001");
    assert_true(json_real_value(json_object_get(t, "children_covered_share")) == 0.95);
    json_t *none = dashboard_service_circle(coverage, "2026-05-01T00:00:00Z", "330304002");
    assert_true(json_is_null(none));
    json_decref(d);
    json_decref(t);
    json_decref(none);
    json_decref(coverage);
}

static void test_reply_rounds_and_names_the_scope(void **state)
{
    (void)state;
    struct town_totals towns[2] = {town("330304001", "景山街道", 30000), town("330304002", "梧田街道", 0)};
    towns[0].institutions = 2, towns[0].places = 100, towns[0].inclusive_places = 33, towns[0].inclusive_institutions = 1;
    struct kpi_targets targets = {.places_per_1000 = 4.5, .inclusive_share = 0.6, .towns_covered = 13};
    json_t *r = dashboard_json(towns, 2, &targets, "2026-06-01", 0, json_null());
    assert_string_equal(json_string_value(json_object_get(r, "as_of")), "2026-06-01");
    assert_string_equal(json_string_value(json_object_get(r, "scope")), "district");
    json_t *district = json_object_get(r, "district");
    assert_true(fabs(json_real_value(json_object_get(district, "places_per_1000")) - 3.33) < 1e-9);
    assert_true(fabs(json_real_value(json_object_get(district, "inclusive_share")) - 0.33) < 1e-9);
    assert_true(json_real_value(json_object_get(district, "places_per_1000_target")) == 4.5);
    assert_int_equal(json_integer_value(json_object_get(district, "towns_covered_target")), 13);
    json_t *by_town = json_object_get(r, "towns");
    assert_int_equal(json_array_size(by_town), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(by_town, 0), "name")), "景山街道");
    assert_true(json_is_true(json_object_get(json_array_get(by_town, 0), "has_inclusive")));
    assert_true(json_is_false(json_object_get(json_array_get(by_town, 1), "has_inclusive")));
    assert_true(json_is_null(json_object_get(r, "service_circle")));
    json_decref(r);
    r = dashboard_json(towns, 1, &targets, "2026-06-01", 1, json_null());
    assert_string_equal(json_string_value(json_object_get(r, "scope")), "town");
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tally_by_town),
        cmocka_unit_test(test_kpi_sums_and_ratios),
        cmocka_unit_test(test_kpi_of_several_districts),
        cmocka_unit_test(test_service_circle_of_the_area),
        cmocka_unit_test(test_reply_rounds_and_names_the_scope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
