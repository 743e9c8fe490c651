/* test_outdoor.c — a class's outdoor time, the pure part (care/outdoor.c): the record's body (a
 * future day, a weather code), a day short only under the minimum with no weather said (the
 * minimum itself passes, 管理规范 第十八条's adjustment for weather), and the findings per class: the
 * short days with the least minutes, the days of care with nothing recorded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "care/outdoor.h"

static const struct care_outdoor_rules RULES = {.min_hours = 2, .review_days = 7, .basis = "管理规范 第十八条"};

static struct care_outdoor_day day(int64_t class_id, const char *name, const char *date, int minutes, const char *weather)
{
    struct care_outdoor_day d = {.institution_id = 1, .class_id = class_id, .minutes = minutes};
    strcpy(d.class_name, name);
    strcpy(d.day, date);
    strcpy(d.weather, weather);
    return d;
}

static void test_short_at_the_minimum_and_below(void **state)
{
    (void)state;
    struct care_outdoor_day d = day(1, "托大一班", "2026-12-01", 120, "");
    assert_false(care_outdoor_short(&d, &RULES));
    d.minutes = 119;
    assert_true(care_outdoor_short(&d, &RULES));
    strcpy(d.weather, "rain"); /* adjusted for the weather: allowed */
    assert_false(care_outdoor_short(&d, &RULES));
    d = day(1, "托大一班", "2026-12-01", -1, ""); /* not recorded: not short, unrecorded */
    assert_false(care_outdoor_short(&d, &RULES));
}

static void test_findings_per_class(void **state)
{
    (void)state;
    struct care_outdoor_day days[] = {
        day(1, "托大一班", "2026-12-01", 130, ""), day(1, "托大一班", "2026-12-02", 95, ""),
        day(1, "托大一班", "2026-12-03", 60, "heat"), day(1, "托大一班", "2026-12-04", 80, ""),
        day(1, "托大一班", "2026-12-05", -1, ""),
        day(2, "托小一班", "2026-12-01", 120, ""), day(2, "托小一班", "2026-12-02", -1, ""),
        day(2, "托小一班", "2026-12-03", -1, ""),
        day(3, "乳儿班", "2026-12-01", 150, "cold"),
    };
    struct finding f[8];
    int n = care_outdoor_findings(days, 9, &RULES, f, 8);
    assert_int_equal(n, 3);
    assert_string_equal(f[0].rule, "outdoor_short");
    assert_string_equal(f[0].severity, "medium");
    assert_int_equal(f[0].class_id, 1);
    assert_string_equal(f[0].message, "托大一班近 7 日有 2 天户外活动不足 2 小时且未注明天气原因（最少 80 分钟）");
    assert_string_equal(f[0].basis, "管理规范 第十八条");
    assert_string_equal(f[1].rule, "outdoor_unrecorded");
    assert_string_equal(f[1].severity, "low");
    assert_int_equal(f[1].class_id, 1);
    assert_string_equal(f[1].message, "托大一班近 7 日有 1 个在园日未记录户外活动时间");
    assert_string_equal(f[2].rule, "outdoor_unrecorded");
    assert_int_equal(f[2].class_id, 2);
    assert_string_equal(f[2].message, "托小一班近 7 日有 2 个在园日未记录户外活动时间");
    assert_int_equal(care_outdoor_findings(days, 9, &RULES, f, 1), 1); /* at most max */
    assert_int_equal(care_outdoor_findings(days + 8, 1, &RULES, f, 8), 0);
    assert_int_equal(care_outdoor_findings(days, 0, &RULES, f, 8), 0);
}

static int parse(const char *text, struct care_outdoor *o, struct err *e)
{
    json_t *j = http_json_check(&care_outdoor_schema, text, strlen(text), e);
    int rc = j ? care_outdoor_from_json(j, "2026-12-04", o, e) : -1;
    json_decref(j);
    return rc;
}

static void test_body(void **state)
{
    (void)state;
    struct care_outdoor o;
    struct err e = {0};
    assert_int_equal(parse("{\"class_id\":7,\"date\":\"2026-12-04\",\"minutes\":125,\"weather\":\"air\",\"note\":\"雾霾\"}", &o, &e), 0);
    assert_int_equal(o.class_id, 7);
    assert_string_equal(o.day, "2026-12-04");
    assert_int_equal(o.minutes, 125);
    assert_string_equal(o.weather, "air");
    assert_string_equal(care_weather_name(o.weather), "重污染天气");
    assert_int_equal(parse("{\"class_id\":7,\"date\":\"2026-12-04\",\"minutes\":125,\"weather\":null}", &o, &e), 0);
    assert_string_equal(o.weather, "");
    assert_int_equal(parse("{\"class_id\":7,\"date\":\"2026-12-05\",\"minutes\":125}", &o, &e), -1);
    assert_string_equal(e.code, "future_date");
    assert_int_equal(parse("{\"class_id\":7,\"date\":\"2026-12-04\",\"minutes\":125,\"weather\":\"sun\"}", &o, &e), -1);
    assert_string_equal(e.code, "bad_weather");
    assert_int_equal(parse("{\"class_id\":7,\"date\":\"2026-12-04\",\"minutes\":721}", &o, &e), -1);
    assert_string_equal(e.field, "minutes");
    assert_int_equal(parse("{\"class_id\":7,\"date\":\"2026-12-04\",\"minutes\":720}", &o, &e), 0);
    assert_null(care_weather_name("sun"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_at_the_minimum_and_below),
        cmocka_unit_test(test_findings_per_class),
        cmocka_unit_test(test_body),
    };
    return cmocka_run_group_tests_name("outdoor", tests, NULL, NULL);
}
