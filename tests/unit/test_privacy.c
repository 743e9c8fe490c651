/* test_privacy.c — the pure part of health-data consent and retention (src/privacy/privacy.c): a
 * consent body checked (purposes known, once each, at least one, stored in the table's order; a
 * paper form needs its guardian, relation and scan, the family's own consent none of them), the
 * purposes a consent covers, and the cut-off day of each retention kind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "privacy/privacy.h"

static json_t *body(const char *text)
{
    struct err e = {0};
    json_t *b = http_json_check(&privacy_consent_schema, text, strlen(text), &e);
    assert_non_null(b);
    return b;
}

/* Parse text as a consent (paper or not): the error code, or "" when accepted (into out, whose
 * strings point into the body, kept until the next call). */
static json_t *b;

static const char *parse(const char *text, int paper, struct privacy_consent_req *out, char *field)
{
    static struct err e;
    memset(&e, 0, sizeof e);
    json_decref(b);
    b = body(text);
    int rc = privacy_consent_from_json(b, paper, out, &e);
    if (field)
        strcpy(field, e.field);
    return rc == 0 ? "" : e.code;
}

static void test_purposes(void **state)
{
    (void)state;
    struct privacy_consent_req r;
    char field[64];
    assert_string_equal(parse("{\"purposes\":[\"growth\",\"care_health\"]}", 0, &r, NULL), "");
    assert_string_equal(r.purposes, "care_health,growth");
    assert_string_equal(parse("{\"purposes\":[]}", 0, &r, field), "no_purpose");
    assert_string_equal(field, "purposes");
    assert_string_equal(parse("{\"purposes\":[\"growth\",\"growth\"]}", 0, &r, NULL), "duplicate_purpose");
    assert_string_equal(parse("{\"purposes\":[\"marketing\"]}", 0, &r, NULL), "bad_purpose");
}

static void test_paper_or_family(void **state)
{
    (void)state;
    struct privacy_consent_req r;
    char field[64];
    const char *paper = "{\"purposes\":[\"growth\"],\"guardian_name\":\"李春燕\",\"relation\":\"母亲\",\"material_id\":7}";
    assert_string_equal(parse(paper, 1, &r, NULL), "");
    assert_string_equal(r.guardian_name, "李春燕");
    assert_int_equal(r.material_id, 7);
    assert_string_equal(parse(paper, 0, &r, field), "not_paper");
    assert_string_equal(field, "material_id");
    assert_string_equal(parse("{\"purposes\":[\"growth\"],\"guardian_name\":\"李春燕\",\"relation\":\"母亲\"}", 1, &r, field), "required");
    assert_string_equal(field, "material_id");
    assert_string_equal(parse("{\"purposes\":[\"growth\"],\"relation\":\"母亲\",\"material_id\":7}", 1, &r, field), "required");
    assert_string_equal(field, "guardian_name");
    assert_string_equal(parse("{\"purposes\":[\"growth\"]}", 0, &r, NULL), "");
    assert_null(r.guardian_name);
    assert_int_equal(r.material_id, 0);
}

static void test_cover(void **state)
{
    (void)state;
    assert_true(privacy_purposes_cover("care_health,growth", "growth"));
    assert_true(privacy_purposes_cover("care_health,growth", "care_health"));
    assert_false(privacy_purposes_cover("care_health", "growth"));
    assert_false(privacy_purposes_cover("care_health", "care"));
    assert_false(privacy_purposes_cover("", "growth"));
    json_t *a = privacy_purposes_json("growth");
    assert_int_equal(json_array_size(a), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "code")), "growth");
    json_decref(a);
}

static void test_cutoff(void **state)
{
    (void)state;
    char out[11];
    const struct privacy_retention *k = privacy_retention_kinds;
    assert_string_equal(k->kind, "attendance");
    assert_int_equal(privacy_cutoff("2029-05-05", k, 36, out), 0);
    assert_string_equal(out, "2026-05-05");
    while (k->kind && strcmp(k->kind, "sms_code"))
        k++;
    assert_non_null(k->kind);
    assert_int_equal(privacy_cutoff("2029-05-05", k, 7, out), 0);
    assert_string_equal(out, "2029-04-28");
    /* months clamp at the month's end */
    assert_int_equal(privacy_cutoff("2029-03-31", privacy_retention_kinds, 1, out), 0);
    assert_string_equal(out, "2029-02-28");
}

static int free_body(void **state)
{
    (void)state;
    json_decref(b);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_purposes),
        cmocka_unit_test(test_paper_or_family),
        cmocka_unit_test(test_cover),
        cmocka_unit_test(test_cutoff),
    };
    return cmocka_run_group_tests(tests, NULL, free_body);
}
