/* test_surveys.c — the rules of surveys (surveys.c): questions checked and completed, a family's
 * answers checked against them and turned into the values stored, the tally per question, and the
 * satisfaction score (scale answers 1 → 0, 5 → 100). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "surveys/surveys.h"

static json_t *questions(void)
{
    json_t *q = json_loads("[{\"type\":\"scale\",\"text\":\"总体\",\"required\":true},"
                           "{\"type\":\"single\",\"text\":\"愿意入园\",\"options\":[\"是\",\"否\"]},"
                           "{\"type\":\"multiple\",\"text\":\"看重\",\"options\":[\"安全\",\"饮食\",\"价格\"]},"
                           "{\"type\":\"text\",\"text\":\"建议\",\"max_length\":4}]",
                           0, NULL);
    struct err e = {0};
    assert_int_equal(survey_questions_check(q, &e), 0);
    return q;
}

static void test_questions(void **state)
{
    (void)state;
    json_t *q = questions();
    assert_false(json_is_true(json_object_get(json_array_get(q, 1), "required")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(q, 3), "max_length")), 4);
    json_decref(q);
    static const char *const BAD[][3] = {
        {"[]", "no_questions", "questions"},
        {"[{\"type\":\"rank\",\"text\":\"x\"}]", "bad_type", "questions[0].type"},
        {"[{\"type\":\"single\",\"text\":\"x\",\"options\":[\"a\"]}]", "options_needed", "questions[0].options"},
        {"[{\"type\":\"scale\",\"text\":\"x\"},{\"type\":\"text\",\"text\":\"y\",\"options\":[\"a\",\"b\"]}]",
         "options_not_allowed", "questions[1].options"},
        {"[{\"type\":\"multiple\",\"text\":\"x\",\"options\":[\"a\",\"b\",\"a\"]}]", "duplicate_option", "questions[0].options"},
        {"[{\"type\":\"text\",\"text\":\"x\",\"max_length\":5000}]", "too_long", "questions[0].max_length"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        json_t *b = json_loads(BAD[i][0], 0, NULL);
        struct err e = {0};
        assert_int_equal(survey_questions_check(b, &e), -1);
        assert_string_equal(e.code, BAD[i][1]);
        assert_string_equal(e.field, BAD[i][2]);
        json_decref(b);
    }
}

static void test_answers(void **state)
{
    (void)state;
    json_t *q = questions(), *values;
    struct err e = {0};
    json_t *a = json_loads("[{\"score\":4},{\"choice\":1},{\"choices\":[2,0]},{\"text\":\"很好很好\"}]", 0, NULL);
    assert_int_equal(survey_answers_check(q, a, &values, &e), 0);
    char *text = json_dumps(values, JSON_COMPACT);
    assert_string_equal(text, "[4,1,[2,0],\"很好很好\"]");
    free(text);
    json_decref(values);
    json_decref(a);
    /* skipped optional questions are stored as null */
    a = json_loads("[{\"score\":1},{},{\"choices\":[]},{\"text\":\"  \"}]", 0, NULL);
    assert_int_equal(survey_answers_check(q, a, &values, &e), 0);
    text = json_dumps(values, JSON_COMPACT);
    assert_string_equal(text, "[1,null,null,null]");
    free(text);
    json_decref(values);
    json_decref(a);
    static const char *const BAD[][3] = {
        {"[{\"score\":4}]", "answers_count", "answers"},
        {"[{},{},{},{}]", "required", "answers[0]"},
        {"[{\"score\":0},{},{},{}]", "out_of_range", "answers[0]"},
        {"[{\"score\":3},{\"choice\":2},{},{}]", "bad_choice", "answers[1]"},
        {"[{\"score\":3},{},{\"choices\":[1,1]},{}]", "duplicate_choice", "answers[2]"},
        {"[{\"score\":3},{\"text\":\"是\"},{},{}]", "wrong_type", "answers[1]"},
        {"[{\"score\":3},{},{},{\"text\":\"五个字太长\"}]", "too_long", "answers[3]"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        json_t *b = json_loads(BAD[i][0], 0, NULL);
        struct err be = {0};
        json_t *v = (json_t *)1;
        assert_int_equal(survey_answers_check(q, b, &v, &be), -1);
        assert_null(v);
        assert_string_equal(be.code, BAD[i][1]);
        assert_string_equal(be.field, BAD[i][2]);
        json_decref(b);
    }
    json_decref(q);
}

static void test_tally(void **state)
{
    (void)state;
    json_t *q = questions();
    json_t *a[3] = {json_loads("[5,0,[0,1],\"好\"]", 0, NULL), json_loads("[3,1,[0],null]", 0, NULL),
                    json_loads("[4,null,null,null]", 0, NULL)};
    json_t *t = survey_tally(q, (const json_t *const *)a, 3);
    char *text = json_dumps(json_object_get(json_array_get(t, 0), "counts"), JSON_COMPACT);
    assert_string_equal(text, "[0,0,1,1,1]");
    free(text);
    assert_true(json_real_value(json_object_get(json_array_get(t, 0), "mean")) == 4.0);
    text = json_dumps(json_object_get(json_array_get(t, 2), "counts"), JSON_COMPACT);
    assert_string_equal(text, "[2,1,0]");
    free(text);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 1), "answered")), 2);
    assert_int_equal(json_array_size(json_object_get(json_array_get(t, 3), "texts")), 1);
    /* (5, 3, 4) → (100, 50, 75): 75 */
    assert_true(survey_satisfaction(q, (const json_t *const *)a, 3) == 75.0);
    assert_true(survey_satisfaction(q, (const json_t *const *)a, 0) < 0);
    json_decref(t);
    for (int i = 0; i < 3; i++)
        json_decref(a[i]);
    json_decref(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_questions), cmocka_unit_test(test_answers),
                                       cmocka_unit_test(test_tally)};
    return cmocka_run_group_tests_name("surveys", tests, NULL, NULL);
}
