/* test_geo.c — geometry in base/: the haversine distance (known values, symmetry, zero) and the
 * public search's near/radius parameter (absent, defaults, every error with its code and field). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "base/geo.h"

#define R GEO_EARTH_RADIUS_M
#define DEG (M_PI / 180.0)

static void haversine_known_values(void **state)
{
    (void)state;
    assert_float_equal(geo_haversine_m(0, 0, 0, 1), R * DEG, 1e-6);
    assert_float_equal(geo_haversine_m(0, 0, 1, 0), R * DEG, 1e-6);
    assert_float_equal(geo_haversine_m(90, 0, -90, 0), R * M_PI, 1e-6);
    assert_true(geo_haversine_m(30.1, 104.2, 30.3, 104.0) == geo_haversine_m(30.3, 104.0, 30.1, 104.2));
    assert_true(geo_haversine_m(30.1, 104.2, 30.1, 104.2) == 0);
}

static void near_absent_and_defaults(void **state)
{
    (void)state;
    struct err e = {0};
    int present = -1;
    double lon = -1, lat = -1, radius = -1;
    assert_int_equal(geo_parse_near(NULL, "3", &present, &lon, &lat, &radius, &e), 0);
    assert_int_equal(present, 0);
    present = -1;
    assert_int_equal(geo_parse_near("", NULL, &present, &lon, &lat, &radius, &e), 0);
    assert_int_equal(present, 0);
    assert_float_equal(radius, -1, 0); /* nothing else is set */
    assert_int_equal(geo_parse_near("120.65,27.99", NULL, &present, &lon, &lat, &radius, &e), 0);
    assert_int_equal(present, 1);
    assert_float_equal(lon, 120.65, 0);
    assert_float_equal(lat, 27.99, 0);
    assert_float_equal(radius, 5, 0);
    assert_int_equal(geo_parse_near(" -180 , 90 ", "", &present, &lon, &lat, &radius, &e), 0);
    assert_float_equal(lon, -180, 0);
    assert_float_equal(lat, 90, 0);
    assert_float_equal(radius, 5, 0);
    assert_int_equal(geo_parse_near("120.6,27.9", "100", &present, &lon, &lat, &radius, &e), 0);
    assert_float_equal(radius, 100, 0);
    assert_int_equal(geo_parse_near("120.6,27.9", "0.5", &present, &lon, &lat, &radius, &e), 0);
    assert_float_equal(radius, 0.5, 0);
}

static void near_errors(void **state)
{
    (void)state;
    const struct {
        const char *near, *radius, *code, *field;
    } bad[] = {
        {"120.6", NULL, "bad_point", "near"},
        {"120.6;27.9", NULL, "bad_point", "near"},
        {"x,27.9", NULL, "bad_point", "near"},
        {"120.6,", NULL, "bad_point", "near"},
        {"180.1,27.9", NULL, "bad_point", "near"},
        {"120.6,-90.5", NULL, "bad_point", "near"},
        {"120.6,27.9,1", NULL, "bad_point", "near"},
        {"1234567890123456789012345678901,27.9", NULL, "bad_point", "near"},  /* 31 characters */
        {"120.6,1234567890123456789012345678901", NULL, "bad_point", "near"},
        {"120.6,27.9", "0", "bad_radius", "radius_km"},
        {"120.6,27.9", "-1", "bad_radius", "radius_km"},
        {"120.6,27.9", "100.5", "bad_radius", "radius_km"},
        {"120.6,27.9", "km", "bad_radius", "radius_km"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct err e = {0};
        int present = -1;
        double lon, lat, radius;
        assert_int_equal(geo_parse_near(bad[i].near, bad[i].radius, &present, &lon, &lat, &radius, &e), -1);
        assert_string_equal(e.code, bad[i].code);
        assert_string_equal(e.field, bad[i].field);
        assert_int_equal(e.status, 400);
        assert_int_equal(present, 0);
        assert_true(strlen(e.message) > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(haversine_known_values),
        cmocka_unit_test(near_absent_and_defaults),
        cmocka_unit_test(near_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
