/* test_schema.c — the request body check of src/http/schema.c without a server: members named
 * with their path (nested and in arrays), the scan of the raw text for invalid UTF-8, NUL and
 * nesting (which jansson refuses without saying where), types, lengths, ranges, dates, months,
 * required and trimmed members; the strict id parser; the schemas as JSON Schema; an array
 * schema without its items refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "http/http.h"
#include "http/internal.h"

static const struct http_schema ITEM = {NULL, HTTP_OBJECT, 0, "志愿",
                                        .members = (const struct http_schema[]){
                                            {"institution_id", HTTP_ID, HTTP_REQUIRED, "托育机构"},
                                            {"class_type", HTTP_STRING, HTTP_REQUIRED, "班型", 8},
                                            {NULL}}};
static const struct http_schema TAG = {NULL, HTTP_STRING, 0, "标签", 4};
static const struct http_schema BODY = {
    NULL, HTTP_OBJECT, 0, "测试",
    .members = (const struct http_schema[]){
        {"name", HTTP_STRING, HTTP_REQUIRED | HTTP_TRIM, "姓名", 12},
        {"note", HTTP_STRING, HTTP_NULLABLE, "备注", 6},
        {"count", HTTP_INTEGER, 0, "数量", 0, 1, 10},
        {"ratio", HTTP_NUMBER, 0, "比例", 0, -1.5, 1.5},
        {"on", HTTP_DATE, 0, "日期"},
        {"month", HTTP_MONTH, 0, "月份"},
        {"flag", HTTP_BOOLEAN, 0, "开关"},
        {"choices", HTTP_ARRAY, 0, "志愿", 2, .items = &ITEM},
        {"tags", HTTP_ARRAY, 0, "标签", .items = &TAG},
        {"place", HTTP_OBJECT, HTTP_NULLABLE, "地点",
         .members = (const struct http_schema[]){{"floor", HTTP_INTEGER, 0, "楼层"}, {NULL}}},
        {NULL}}};

static json_t *check(const char *text, struct err *e)
{
    memset(e, 0, sizeof *e);
    return http_json_check(&BODY, text, strlen(text), e);
}

static void expect(const char *text, int status, const char *code, const char *field)
{
    struct err e;
    json_t *j = check(text, &e);
    if (j)
        fail_msg("accepted: %s", text);
    assert_int_equal(e.status, status);
    assert_string_equal(e.code, code);
    assert_string_equal(e.field, field);
    assert_true(strlen(e.message) > 0);
}

static void accepts_and_trims(void **state)
{
    (void)state;
    struct err e;
    json_t *j = check("{\"name\": \" \xe3\x80\x80王小明\\t \", \"note\": null, \"count\": 10, \"ratio\": -1.5, \"on\": \"2024-02-29\","
                      "\"month\": \"2024-12\", \"flag\": true, \"choices\": [{\"institution_id\": 9223372036854775807, "
                      "\"class_type\": \"infant\"}], \"tags\": [\"a\", \"bcd\"], \"place\": {\"floor\": -2}}",
                      &e);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "name")), "王小明");
    json_decref(j);
    /* an empty body counts as {}; then required members are missing */
    j = http_json_check(&BODY, " \r\n", 3, &e);
    assert_null(j);
    assert_string_equal(e.code, "required");
    assert_string_equal(e.field, "name");
    /* a name of exactly the limit in bytes: four CJK characters are twelve */
    j = check("{\"name\": \"托育托育\"}", &e);
    assert_non_null(j);
    json_decref(j);
}

/* A message names the member by its Chinese label, never by its code (the code is in e.field),
 * and an item of an array by its number counted from 1. */
static void messages_use_labels(void **state)
{
    (void)state;
    struct err e;
    assert_null(check("{\"note\": null}", &e));
    assert_string_equal(e.message, "请填写姓名");
    assert_null(check("{\"name\": \"a\", \"choices\": [{\"institution_id\": 1, \"class_type\": \"a\"}, "
                      "{\"institution_id\": 0, \"class_type\": \"b\"}]}",
                      &e));
    assert_string_equal(e.field, "choices[1].institution_id");
    assert_string_equal(e.message, "托育机构（第 2 项）应为正整数");
    assert_null(check("{\"name\": \"a\", \"count\": 11}", &e));
    assert_string_equal(e.message, "数量应在 1 到 10 之间");
}

static void members_are_named(void **state)
{
    (void)state;
    expect("{\"name\": \"a\", \"colour\": 1}", 400, "unknown_field", "colour");
    expect("{\"name\": \"a\", \"choices\": [{\"institution_id\": 1, \"class_type\": \"x\", \"zz\": 1}]}", 400, "unknown_field",
           "choices[0].zz");
    expect("{\"name\": \"a\", \"place\": {\"floor\": 1, \"room\": 2}}", 400, "unknown_field", "place.room");
    expect("{\"name\": 7}", 422, "wrong_type", "name");
    expect("{\"name\": \"a\", \"count\": 2.5}", 422, "wrong_type", "count");
    expect("{\"name\": \"a\", \"ratio\": \"1\"}", 422, "wrong_type", "ratio");
    expect("{\"name\": \"a\", \"flag\": 1}", 422, "wrong_type", "flag");
    expect("{\"name\": \"a\", \"count\": null}", 422, "wrong_type", "count");
    expect("{\"name\": null}", 422, "required", "name");
    expect("{\"name\": \"a\", \"choices\": [{\"institution_id\": \"1\", \"class_type\": \"x\"}]}", 422, "wrong_type",
           "choices[0].institution_id");
    expect("{\"name\": \"a\", \"choices\": [{\"institution_id\": 1, \"class_type\": \"x\"}, {\"class_type\": \"y\"}]}", 422,
           "required", "choices[1].institution_id");
    expect("{\"name\": \"a\", \"choices\": [{\"institution_id\": 0, \"class_type\": \"x\"}]}", 422, "out_of_range",
           "choices[0].institution_id");
    expect("{\"name\": \"a\", \"tags\": [\"a\", 5]}", 422, "wrong_type", "tags[1]");
    expect("{\"name\": \"a\", \"tags\": [\"abcde\"]}", 422, "too_long", "tags[0]");
    expect("{\"name\": \"a\", \"place\": []}", 422, "wrong_type", "place");
}

static void values_are_checked(void **state)
{
    (void)state;
    expect("{\"name\": \"托育托育托\"}", 422, "too_long", "name"); /* 15 bytes > 12 */
    expect("{\"name\": \"   \"}", 422, "required", "name");
    expect("{\"name\": \"\xe3\x80\x80\"}", 422, "required", "name");
    expect("{\"name\": \"\"}", 422, "required", "name");
    expect("{\"name\": \"a\", \"count\": 0}", 422, "out_of_range", "count");
    expect("{\"name\": \"a\", \"count\": 11}", 422, "out_of_range", "count");
    expect("{\"name\": \"a\", \"ratio\": 1.6}", 422, "out_of_range", "ratio");
    expect("{\"name\": \"a\", \"on\": \"2023-02-29\"}", 422, "bad_date", "on");
    expect("{\"name\": \"a\", \"on\": \"2024-1-01\"}", 422, "bad_date", "on");
    expect("{\"name\": \"a\", \"month\": \"2024-13\"}", 422, "bad_month", "month");
    expect("{\"name\": \"a\", \"month\": \"2024-01-01\"}", 422, "bad_month", "month");
    expect("{\"name\": \"a\", \"choices\": [{\"institution_id\": 1, \"class_type\": \"x\"}, {\"institution_id\": 2, "
           "\"class_type\": \"x\"}, {\"institution_id\": 3, \"class_type\": \"x\"}]}",
           422, "too_many", "choices");
}

static void the_raw_text_is_scanned(void **state)
{
    (void)state;
    expect("{\"name\": \"a\\u0000b\"}", 400, "bad_char", "name");
    expect("{\"name\": \"a\", \"choices\": [{\"institution_id\": 1, \"class_type\": \"x\\u0000\"}]}", 400, "bad_char",
           "choices[0].class_type");
    struct err e;
    static const char raw_nul[] = "{\"name\": \"a\", \"note\": \"x\0y\"}";
    assert_null(http_json_check(&BODY, raw_nul, sizeof raw_nul - 1, &e));
    assert_string_equal(e.code, "bad_char");
    assert_string_equal(e.field, "note");
    expect("{\"name\": \"a\", \"note\": \"x\ty\"}", 400, "bad_char", "note"); /* a raw control character */
    expect("{\"name\": \"a\xff\"}", 400, "bad_utf8", "name");
    expect("{\"name\": \"\xc0\xaf\"}", 400, "bad_utf8", "name");         /* overlong '/' */
    expect("{\"name\": \"\xed\xa0\x80\"}", 400, "bad_utf8", "name");     /* a surrogate */
    expect("{\"name\": \"\xf4\x90\x80\x80\"}", 400, "bad_utf8", "name"); /* above U+10FFFF */
    expect("{\"name\": \"\xe6\x89\"}", 400, "bad_utf8", "name");         /* cut short */
    expect("{\"name\": \"\\ud800x\"}", 400, "bad_utf8", "name");         /* a lone surrogate escape */
    expect("{\"name\": \"\\udc00\"}", 400, "bad_utf8", "name");
    expect("{\"name\": \"a\", \"tags\": [\"ok\", \"\xff\"]}", 400, "bad_utf8", "tags[1]");
    expect("{\"n\xffme\": 1}", 400, "bad_utf8", ""); /* a bad key: the object holding it */
    /* a pair of surrogate escapes is one character */
    json_t *j = check("{\"name\": \"\\ud83d\\ude00\"}", &e);
    assert_non_null(j);
    json_decref(j);
}

static void nesting_is_limited(void **state)
{
    (void)state;
    char text[512];
    snprintf(text, sizeof text, "{\"name\": \"a\", \"count\": %s1%s}", "[[[[[[[[[[[[[[[[", "]]]]]]]]]]]]]]]]");
    expect(text, 400, "too_deep", "count");
    snprintf(text, sizeof text, "{\"name\": \"a\", \"choices\": [{\"class_type\": %s1%s}]}", "[[[[[[[[[[[[", "]]]]]]]]]]]]");
    expect(text, 400, "too_deep", "choices[0].class_type");
    snprintf(text, sizeof text, "{\"zz\": {\"a\": {\"b\": %s}}}", "[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]");
    expect(text, 400, "too_deep", "zz");
    snprintf(text, sizeof text, "{\"count\": {\"a\": {\"b\": %s}}}", "[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]");
    expect(text, 400, "too_deep", "count"); /* a number: nothing inside it is named */
    snprintf(text, sizeof text, "{\"place\": {\"floor\": {\"b\": %s}}}", "[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]");
    expect(text, 400, "too_deep", "place.floor");
    /* within the limit: an ordinary wrong type */
    expect("{\"name\": \"a\", \"count\": [[1]]}", 422, "wrong_type", "count");
}

static void malformed_json(void **state)
{
    (void)state;
    expect("{\"name\": \"a\",", 400, "bad_json", "");
    expect("[1]", 400, "bad_json", "");
    expect("{\"name\": \"a\", \"name\": \"b\"}", 400, "bad_json", "");
    expect("\"text\"", 400, "bad_json", "");
}

static void strict_ids(void **state)
{
    (void)state;
    int64_t id;
    assert_int_equal(http_parse_id("1", &id), 0);
    assert_int_equal(id, 1);
    assert_int_equal(http_parse_id("9223372036854775807", &id), 0);
    assert_int_equal(id, INT64_MAX);
    const char *bad[] = {"", "0", "01", "+1", "-1", " 1", "1 ", "1.0", "1e3", "0x1", "9223372036854775808",
                         "18446744073709551617", "99999999999999999999", "1a", NULL};
    for (int i = 0; i < 14; i++)
        assert_int_equal(http_parse_id(bad[i], &id), -1);
    assert_int_equal(http_parse_id(NULL, &id), -1);
}

static void as_json_schema(void **state)
{
    (void)state;
    const struct route routes[] = {{"POST", "/x", "public", NULL, &BODY, NULL, 201}, {NULL, NULL, NULL, NULL}};
    const struct route *const tables[] = {routes, NULL};
    json_t *a = http_routes_json(tables);
    json_t *s = json_object_get(json_array_get(a, 0), "body");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(a, 0), "status")), 201);
    assert_string_equal(json_string_value(json_object_get(s, "type")), "object");
    assert_true(json_is_false(json_object_get(s, "additionalProperties")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(s, "required"), 0)), "name");
    json_t *props = json_object_get(s, "properties");
    json_t *name = json_object_get(props, "name");
    assert_int_equal(json_integer_value(json_object_get(name, "x-max-bytes")), 12);
    assert_true(json_is_true(json_object_get(name, "x-trim")));
    json_t *note = json_object_get(props, "note");
    assert_string_equal(json_string_value(json_array_get(json_object_get(note, "type"), 1)), "null");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(props, "count"), "maximum")), 10);
    assert_string_equal(json_string_value(json_object_get(json_object_get(props, "on"), "format")), "date");
    json_t *choices = json_object_get(props, "choices");
    assert_int_equal(json_integer_value(json_object_get(choices, "maxItems")), 2);
    json_t *iid = json_object_get(json_object_get(json_object_get(choices, "items"), "properties"), "institution_id");
    assert_int_equal(json_integer_value(json_object_get(iid, "minimum")), 1);
    json_decref(a);
}

/* A route table's schema with an array that does not say what it holds is refused (the server
 * then refuses to start, naming the route), never followed into a NULL. */
static void an_array_needs_its_items(void **state)
{
    (void)state;
    const struct http_schema LIST = {NULL, HTTP_ARRAY, 0, "列表"};
    const struct http_schema REPLY = {NULL, HTTP_OBJECT, 0, "回复",
                                      .members = (const struct http_schema[]){
                                          {"items", HTTP_ARRAY, HTTP_REQUIRED, "条目"}, {NULL}}};
    assert_false(http_schema_valid(&LIST));
    assert_false(http_schema_valid(&REPLY));
    assert_true(http_schema_valid(&BODY));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_and_trims),   cmocka_unit_test(members_are_named),
        cmocka_unit_test(messages_use_labels),
        cmocka_unit_test(values_are_checked),  cmocka_unit_test(the_raw_text_is_scanned),
        cmocka_unit_test(nesting_is_limited),  cmocka_unit_test(malformed_json),
        cmocka_unit_test(strict_ids),          cmocka_unit_test(as_json_schema),
        cmocka_unit_test(an_array_needs_its_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
