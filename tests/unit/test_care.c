/* test_care.c — daily care's pure part: the class sheet (future day, duplicate child, times,
 * absence causes), the admission gate of 管理规范 Art. 11 (entry checks, the re-check after
 * months away), the 晨午检 body (temperatures, symptoms, fever added), and the outbreak early
 * warning engine on built cases (class and institution thresholds, the window, distinct
 * children, groups kept apart, illness absences). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "base/date.h"
#include "care/care.h"
#include "care/outbreak.h"
#include "http/http.h"

static const char *TODAY = "2026-06-01";

/* As the server does: the body against its schema, then the pure parser. */
static json_t *checked(const struct http_schema *s, const char *text)
{
    struct err e = {0};
    json_t *b = http_json_check(s, text, strlen(text), &e);
    if (!b)
        fail_msg("schema refused %s: %s %s", text, e.code, e.field);
    return b;
}

static int sheet(const char *text, struct care_sheet *out, struct err *e)
{
    json_t *b = checked(&care_sheet_schema, text);
    int rc = care_sheet_from_json(b, TODAY, out, e);
    json_decref(b);
    return rc;
}

static void test_sheet(void **state)
{
    (void)state;
    struct care_sheet s;
    struct err e = {0};
    assert_int_equal(sheet("{\"class_id\":3,\"date\":\"2026-06-01\",\"entries\":[{\"child_id\":1,\"status\":\"present\","
                           "\"check_in\":\"08:05\",\"brought_by\":9},{\"child_id\":2,\"status\":\"absent\","
                           "\"absence_cause\":\"illness\",\"symptom\":\"发热\"},{\"child_id\":4,\"status\":\"absent\"}]}",
                           &s, &e),
                     0);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.entries[0].brought_by, 9);
    assert_string_equal(s.entries[1].absence_cause, "illness");
    assert_string_equal(s.entries[2].absence_cause, "");
    struct {
        const char *body, *code, *field;
    } bad[] = {
        {"{\"class_id\":3,\"date\":\"2026-06-02\",\"entries\":[]}", "future_date", "date"},
        {"{\"class_id\":3,\"date\":\"2026-06-01\",\"entries\":[{\"child_id\":1,\"status\":\"absent\"},{\"child_id\":1,"
         "\"status\":\"absent\"}]}", "duplicate_child", "entries[1].child_id"},
        {"{\"class_id\":3,\"date\":\"2026-06-01\",\"entries\":[{\"child_id\":1,\"status\":\"here\"}]}", "bad_status",
         "entries[0].status"},
        {"{\"class_id\":3,\"date\":\"2026-06-01\",\"entries\":[{\"child_id\":1,\"status\":\"present\",\"check_in\":\"24:00\"}]}",
         "bad_time", "entries[0].check_in"},
        {"{\"class_id\":3,\"date\":\"2026-06-01\",\"entries\":[{\"child_id\":1,\"status\":\"absent\",\"check_in\":\"08:00\"}]}",
         "check_in_when_absent", "entries[0].check_in"},
        {"{\"class_id\":3,\"date\":\"2026-06-01\",\"entries\":[{\"child_id\":1,\"status\":\"absent\",\"absence_cause\":\"x\"}]}",
         "bad_cause", "entries[0].absence_cause"},
        {"{\"class_id\":3,\"date\":\"2026-06-01\",\"entries\":[{\"child_id\":1,\"status\":\"absent\",\"absence_cause\":"
         "\"family\",\"symptom\":\"咳嗽\"}]}", "symptom_without_illness", "entries[0].symptom"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(sheet(bad[i].body, &s, &e), -1);
        assert_string_equal(e.code, bad[i].code);
        assert_string_equal(e.field, bad[i].field);
    }
    assert_true(care_time_valid("00:00") && care_time_valid("23:59") && !care_time_valid("8:05") &&
                !care_time_valid("12:60"));
}

static void test_gate(void **state)
{
    (void)state;
    struct err e = {0};
    struct care_gate_state s = {.in_class = 1, .health_pass = "2026-01-02", .vaccination_pass = "2026-01-02"};
    assert_int_equal(care_gate(&s, "2026-03-01", 1, 3, "f", &e), 0);
    s.in_class = 0;
    assert_int_equal(care_gate(&s, "2026-03-01", 0, 3, "f", &e), -1);
    assert_string_equal(e.code, "not_in_class");
    assert_string_equal(e.field, "f");
    s.in_class = 1;
    s.vaccination_pass[0] = 0;
    assert_int_equal(care_gate(&s, "2026-03-01", 0, 3, "f", &e), 0); /* an absence needs no checks */
    assert_int_equal(care_gate(&s, "2026-03-01", 1, 3, "f", &e), -1);
    assert_string_equal(e.code, "entry_checks_missing");
    /* last present 2026-01-05: 3 months later is 04-05 */
    snprintf(s.vaccination_pass, sizeof s.vaccination_pass, "2026-01-02");
    snprintf(s.last_present, sizeof s.last_present, "2026-01-05");
    assert_int_equal(care_gate(&s, "2026-04-04", 1, 3, "f", &e), 0);
    assert_int_equal(care_gate(&s, "2026-04-05", 1, 3, "f", &e), -1);
    assert_string_equal(e.code, "recheck_required");
    snprintf(s.health_pass, sizeof s.health_pass, "2026-04-05"); /* checked again on return */
    assert_int_equal(care_gate(&s, "2026-04-05", 1, 3, "f", &e), 0);
    snprintf(s.health_pass, sizeof s.health_pass, "2026-01-05"); /* on the last day present: not since */
    assert_int_equal(care_gate(&s, "2026-06-01", 1, 3, "f", &e), -1);
    assert_int_equal(care_gate(&s, "2026-06-01", 1, 6, "f", &e), 0); /* the parameter decides */
}

static int check(const char *text, struct care_check *out, struct err *e)
{
    json_t *b = checked(&care_check_schema, text);
    int rc = care_check_from_json(b, TODAY, 37.3, out, e);
    json_decref(b);
    return rc;
}

static void test_check(void **state)
{
    (void)state;
    struct care_check c;
    struct err e = {0};
    assert_int_equal(check("{\"date\":\"2026-06-01\",\"slot\":\"morning\",\"temperature_c\":37.3,\"symptoms\":[\"cough\"],"
                           "\"action\":\"send_home\"}", &c, &e), 0);
    assert_int_equal(c.nsymptoms, 2);
    assert_string_equal(c.symptoms[1], "fever");
    assert_true(care_check_tells_guardian(&c));
    char joined[64];
    care_symptoms_join(&c, joined, sizeof joined);
    assert_string_equal(joined, "cough,fever");
    assert_int_equal(check("{\"date\":\"2026-06-01\",\"slot\":\"noon\",\"temperature_c\":37.2,\"action\":\"none\"}", &c, &e), 0);
    assert_int_equal(c.nsymptoms, 0);
    assert_false(care_check_tells_guardian(&c));
    struct {
        const char *body, *code, *field;
    } bad[] = {
        {"{\"date\":\"2026-06-01\",\"slot\":\"morning\",\"temperature_c\":50,\"action\":\"none\"}", "bad_temperature", "temperature_c"},
        {"{\"date\":\"2026-06-01\",\"slot\":\"morning\",\"temperature_c\":33.9,\"action\":\"none\"}", "bad_temperature", "temperature_c"},
        {"{\"date\":\"2026-06-02\",\"slot\":\"morning\",\"action\":\"none\"}", "future_date", "date"},
        {"{\"date\":\"2026-06-01\",\"slot\":\"night\",\"action\":\"none\"}", "bad_slot", "slot"},
        {"{\"date\":\"2026-06-01\",\"slot\":\"morning\",\"action\":\"ignore\"}", "bad_action", "action"},
        {"{\"date\":\"2026-06-01\",\"slot\":\"morning\",\"symptoms\":[\"rash\",\"sneeze\"],\"action\":\"none\"}", "unknown_symptom", "symptoms[1]"},
        {"{\"date\":\"2026-06-01\",\"slot\":\"morning\",\"symptoms\":[\"rash\",\"rash\"],\"action\":\"none\"}", "duplicate_symptom", "symptoms[1]"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(check(bad[i].body, &c, &e), -1);
        assert_string_equal(e.code, bad[i].code);
        assert_string_equal(e.field, bad[i].field);
    }
    /* every symptom's group is a group the warning counts, but injury and other */
    for (const char *const *s = (const char *const[]){"fever", "cough", "hfmd_signs", "diarrhoea", "conjunctivitis", NULL}; *s; s++)
        assert_true(outbreak_group_of(care_symptom_find(*s)->group) >= 0);
    assert_int_equal(outbreak_group_of(care_symptom_find("injury")->group), -1);
}

static int32_t day(const char *d)
{
    struct date_ymd y;
    struct err e;
    assert_int_equal(date_parse(d, &y, &e), 0);
    return (int32_t)date_to_days(&y);
}

#define G(g) (1u << (g))
static const struct outbreak_rules RULES = {.class_cases = 3, .institution_cases = 5, .window_days = 3};

static void test_outbreak_class(void **state)
{
    (void)state;
    struct outbreak_alert a[8];
    /* children 1, 2 of class 10 with hfmd signs; child 1 twice (morning and noon), child 3 outside the window */
    struct outbreak_case c[] = {
        {1, 10, day("2026-05-30"), G(OUTBREAK_HFMD)}, {1, 10, day("2026-05-30"), G(OUTBREAK_HFMD) | G(OUTBREAK_FEVER)},
        {2, 10, day("2026-05-31"), G(OUTBREAK_HFMD)}, {3, 10, day("2026-05-29"), G(OUTBREAK_HFMD)},
        {4, 10, day("2026-06-01"), 0},                {5, 10, day("2026-06-01"), G(OUTBREAK_GASTRO)},
    };
    size_t n = sizeof c / sizeof *c;
    assert_int_equal(outbreak_scan(c, n, day("2026-06-01"), &RULES, a, 8), 0);
    /* the window reaching back one more day takes child 3 in: three children of class 10 */
    assert_int_equal(outbreak_scan(c, n, day("2026-05-31"), &RULES, a, 8), 1);
    assert_int_equal(a[0].scope, OUTBREAK_CLASS);
    assert_int_equal(a[0].class_id, 10);
    assert_int_equal(a[0].group, OUTBREAK_HFMD);
    assert_int_equal(a[0].nchildren, 3);
    assert_int_equal(a[0].children[0], 1);
    assert_int_equal(a[0].children[2], 3);
    assert_int_equal(a[0].first_day, day("2026-05-29"));
    assert_int_equal(a[0].last_day, day("2026-05-31"));
    /* a third child on 06-01 with the same group: the alert for the window ending that day */
    c[4].groups = G(OUTBREAK_HFMD);
    assert_int_equal(outbreak_scan(c, n, day("2026-06-01"), &RULES, a, 8), 1);
    assert_int_equal(a[0].nchildren, 3);
    /* different groups never add up: fever and gastro have one child each, no alert of theirs */
}

static void test_outbreak_institution(void **state)
{
    (void)state;
    struct outbreak_alert a[8];
    /* five children with illness absences in three classes (2, 2, 1): no class has three, the
     * institution has five */
    struct outbreak_case c[] = {
        {1, 10, day("2026-06-01"), G(OUTBREAK_ILLNESS_ABSENCE)}, {2, 10, day("2026-05-31"), G(OUTBREAK_ILLNESS_ABSENCE)},
        {3, 11, day("2026-06-01"), G(OUTBREAK_ILLNESS_ABSENCE)}, {4, 11, day("2026-05-30"), G(OUTBREAK_ILLNESS_ABSENCE)},
        {5, 12, day("2026-06-01"), G(OUTBREAK_ILLNESS_ABSENCE)},
    };
    assert_int_equal(outbreak_scan(c, 5, day("2026-06-01"), &RULES, a, 8), 1);
    assert_int_equal(a[0].scope, OUTBREAK_INSTITUTION);
    assert_int_equal(a[0].class_id, 0);
    assert_int_equal(a[0].nchildren, 5);
    assert_string_equal(outbreak_group_code(a[0].group), "illness_absence");
    assert_int_equal(outbreak_scan(c, 4, day("2026-06-01"), &RULES, a, 8), 0);
    /* class and institution together, sorted; max keeps the count */
    struct outbreak_rules low = {.class_cases = 2, .institution_cases = 5, .window_days = 3};
    assert_int_equal(outbreak_scan(c, 5, day("2026-06-01"), &low, a, 8), 3);
    assert_int_equal(a[0].class_id, 10);
    assert_int_equal(a[1].class_id, 11);
    assert_int_equal(a[2].scope, OUTBREAK_INSTITUTION);
    assert_int_equal(outbreak_scan(c, 5, day("2026-06-01"), &low, a, 1), 3);
    struct outbreak_rules bad = {.class_cases = 0, .institution_cases = 5, .window_days = 3};
    assert_int_equal(outbreak_scan(c, 5, day("2026-06-01"), &bad, a, 8), -1);
    assert_int_equal(outbreak_scan(NULL, 0, day("2026-06-01"), &RULES, a, 8), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sheet),
        cmocka_unit_test(test_gate),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_outbreak_class),
        cmocka_unit_test(test_outbreak_institution),
    };
    return cmocka_run_group_tests_name("care", tests, NULL, NULL);
}
