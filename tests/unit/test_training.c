/* test_training.c — training's pure part: what publishers send (kinds, session times and days),
 * hours per person, completion by institution, the certificate page escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "training/training.h"

static const char *TODAY = "2026-06-01";

/* As the server does: the body against the schema, then the record. */
static int session(const char *text, struct training_session *s, struct err *e)
{
    json_t *j = http_json_check(&training_session_schema, text, strlen(text), e);
    memset(s, 0, sizeof *s);
    int rc = j ? training_session_from_json(j, TODAY, s, e) : -1;
    json_decref(j);
    return rc;
}

static void test_course(void **state)
{
    (void)state;
    struct err e = {0};
    struct training_course c;
    const char *ok = "{\"kind\":\"first_aid\",\"title\":\" 婴幼儿急救 \",\"provider\":\"温州市急救中心\"}";
    json_t *j = http_json_check(&training_course_schema, ok, strlen(ok), &e);
    assert_non_null(j);
    assert_int_equal(training_course_from_json(j, &c, &e), 0);
    assert_string_equal(c.title, "婴幼儿急救");
    assert_string_equal(c.town_code, "");
    json_decref(j);
    const char *bad = "{\"kind\":\"cooking\",\"title\":\"烹饪\",\"provider\":\"x\"}";
    j = http_json_check(&training_course_schema, bad, strlen(bad), &e);
    assert_int_equal(training_course_from_json(j, &c, &e), -1);
    assert_string_equal(e.code, "bad_kind");
    assert_string_equal(e.field, "kind");
    json_decref(j);
    assert_string_equal(training_kind_name("health_lecture"), "医育结合讲座");
    assert_null(training_kind_name("cooking"));
}

static void test_session(void **state)
{
    (void)state;
    struct err e = {0};
    struct training_session s;
    assert_int_equal(session("{\"day\":\"2026-06-01\",\"start_time\":\"09:00\",\"end_time\":\"11:30\",\"place\":\"会议室\","
                             "\"places\":30,\"hours\":3}", &s, &e), 0);
    assert_int_equal(s.places, 30);
    assert_int_equal(s.hours, 3);
    struct {
        const char *text, *code, *field;
    } bad[] = {
        {"{\"day\":\"2026-05-31\",\"start_time\":\"09:00\",\"end_time\":\"11:00\",\"place\":\"x\",\"places\":1,\"hours\":1}",
         "session_in_past", "day"},
        {"{\"day\":\"2026-06-02\",\"start_time\":\"24:00\",\"end_time\":\"11:00\",\"place\":\"x\",\"places\":1,\"hours\":1}",
         "bad_time", "start_time"},
        {"{\"day\":\"2026-06-02\",\"start_time\":\"09:00\",\"end_time\":\"9:30\",\"place\":\"x\",\"places\":1,\"hours\":1}",
         "bad_time", "end_time"},
        {"{\"day\":\"2026-06-02\",\"start_time\":\"09:00\",\"end_time\":\"09:00\",\"place\":\"x\",\"places\":1,\"hours\":1}",
         "end_before_start", "end_time"},
        {"{\"day\":\"2026-06-02\",\"start_time\":\"09:00\",\"end_time\":\"10:00\",\"place\":\"x\",\"places\":501,\"hours\":1}",
         "out_of_range", "places"},
        {"{\"day\":\"2026-06-02\",\"start_time\":\"09:00\",\"end_time\":\"10:00\",\"place\":\"x\",\"places\":5,\"hours\":0}",
         "out_of_range", "hours"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        e = (struct err){0};
        assert_int_equal(session(bad[i].text, &s, &e), -1);
        assert_string_equal(e.code, bad[i].code);
        assert_string_equal(e.field, bad[i].field);
    }
}

static struct staff member(int64_t id, int64_t inst, const char *end, const char *prejob)
{
    struct staff s = {.id = id, .institution_id = inst, .role = STAFF_CAREGIVER};
    snprintf(s.start_date, sizeof s.start_date, "2024-01-01");
    snprintf(s.end_date, sizeof s.end_date, "%s", end);
    snprintf(s.prejob_date, sizeof s.prejob_date, "%s", prejob);
    snprintf(s.institution_name, sizeof s.institution_name, "园%lld", (long long)inst);
    snprintf(s.town_code, sizeof s.town_code, "330304001");
    return s;
}

static void test_hours_and_completion(void **state)
{
    (void)state;
    struct training_record recs[] = {{1, 8}, {2, 4}, {1, 6}, {3, 12}, {4, 12}};
    assert_int_equal(training_hours_of(recs, 5, 1), 14);
    assert_int_equal(training_hours_of(recs, 5, 9), 0);
    struct staff roster[] = {member(1, 10, "", "2026-01-05"), member(2, 10, "", ""), member(3, 11, "2026-05-01", ""),
                             member(4, 11, "", "")};
    struct training_rules r = {.annual_hours_min = 12};
    json_t *items = training_completion_json(roster, 4, recs, 5, &r, TODAY);
    assert_int_equal(json_array_size(items), 2);
    json_t *a = json_array_get(items, 0), *b = json_array_get(items, 1);
    assert_int_equal(json_integer_value(json_object_get(a, "on_duty")), 2);
    assert_int_equal(json_integer_value(json_object_get(a, "hours_met")), 1);
    assert_int_equal(json_integer_value(json_object_get(a, "prejob_missing")), 1);
    assert_int_equal(json_integer_value(json_object_get(a, "hours")), 18);
    /* person 3 has left: their 12 hours and missing pre-job training do not count; person 4's
     * 12 hours are exactly the year's minimum: met */
    assert_int_equal(json_integer_value(json_object_get(b, "on_duty")), 1);
    assert_int_equal(json_integer_value(json_object_get(b, "hours")), 12);
    assert_int_equal(json_integer_value(json_object_get(b, "hours_met")), 1);
    assert_int_equal(json_integer_value(json_object_get(b, "prejob_missing")), 1);
    json_decref(items);
}

static void test_certificate_escaped(void **state)
{
    (void)state;
    struct training_certificate c = {.enrolment_id = 42, .hours = 8};
    snprintf(c.name, sizeof c.name, "林晓燕");
    snprintf(c.institution_name, sizeof c.institution_name, "A&B 托育园");
    snprintf(c.title, sizeof c.title, "<script>alert(1)</script>");
    snprintf(c.kind, sizeof c.kind, "prejob");
    snprintf(c.provider, sizeof c.provider, "\"讲师\"");
    snprintf(c.day, sizeof c.day, "2026-06-01");
    snprintf(c.publisher, sizeof c.publisher, "景山街道");
    char *html = training_certificate_html(&c);
    assert_non_null(html);
    assert_non_null(strstr(html, "林晓燕"));
    assert_non_null(strstr(html, "A&amp;B 托育园"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(html, "<script>"));
    assert_non_null(strstr(html, "&quot;讲师&quot;"));
    assert_non_null(strstr(html, "岗前培训"));
    assert_non_null(strstr(html, "8 学时"));
    assert_non_null(strstr(html, "PX-2026-06-01-000042"));
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_course),
        cmocka_unit_test(test_session),
        cmocka_unit_test(test_hours_and_completion),
        cmocka_unit_test(test_certificate_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
