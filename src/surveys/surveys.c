/* surveys.c — questions, answers, tallies and satisfaction (surveys.h). Pure. */
#include "surveys/surveys.h"

#include <stdio.h>
#include <string.h>

/* The characters of a UTF-8 string (jansson's strings are valid UTF-8): its bytes that do not
 * continue a sequence. */
static json_int_t chars(const char *s)
{
    json_int_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static const char *const TYPES[] = {"single", "multiple", "scale", "text"};

static int field_err(struct err *e, const char *code, const char *list, size_t i, const char *member, const char *fmt,
                     const char *arg)
{
    char field[48];
    if (member)
        snprintf(field, sizeof field, "%s[%zu].%s", list, i, member);
    else
        snprintf(field, sizeof field, "%s[%zu]", list, i);
    return err_set(e, 422, code, field, fmt, arg);
}

int survey_meta_check(const char *kind, const char *opens_on, const char *closes_on, struct err *e)
{
    if (strcmp(kind, "demand") && strcmp(kind, "satisfaction"))
        return err_set(e, 422, "bad_kind", "kind", "问卷类型应为 demand（需求调查）或 satisfaction（满意度测评）：%s", kind);
    if (strcmp(closes_on, opens_on) < 0)
        return err_set(e, 422, "bad_dates", "closes_on", "截止日期 %s 早于开始日期 %s", closes_on, opens_on);
    return 0;
}

const char *survey_kind_name(const char *kind)
{
    return strcmp(kind, "demand") == 0 ? "需求调查" : strcmp(kind, "satisfaction") == 0 ? "满意度测评" : "";
}

int survey_questions_check(json_t *questions, struct err *e)
{
    if (json_array_size(questions) == 0)
        return err_set(e, 422, "no_questions", "questions", "问卷至少要有一个问题");
    size_t i;
    json_t *q;
    json_array_foreach(questions, i, q) {
        const char *type = json_string_value(json_object_get(q, "type"));
        int known = 0;
        for (size_t t = 0; t < sizeof TYPES / sizeof *TYPES; t++)
            known |= strcmp(type, TYPES[t]) == 0;
        if (!known)
            return field_err(e, "bad_type", "questions", i, "type", "题型应为 single、multiple、scale 或 text：%s", type);
        int choice = strcmp(type, "single") == 0 || strcmp(type, "multiple") == 0;
        json_t *options = json_object_get(q, "options");
        size_t nopt = json_array_size(options);
        if (choice && (nopt < 2 || nopt > SURVEY_MAX_OPTIONS))
            return field_err(e, "options_needed", "questions", i, "options", "%s需要 2–12 个选项", "选择题");
        if (!choice && nopt)
            return field_err(e, "options_not_allowed", "questions", i, "options", "%s没有选项", strcmp(type, "scale") ? "填空题" : "评分题");
        for (size_t a = 0; a < nopt; a++)
            for (size_t b = 0; b < a; b++)
                if (strcmp(json_string_value(json_array_get(options, a)), json_string_value(json_array_get(options, b))) == 0)
                    return field_err(e, "duplicate_option", "questions", i, "options", "选项重复：%s",
                                     json_string_value(json_array_get(options, a)));
        if (strcmp(type, "text") == 0) {
            json_t *max = json_object_get(q, "max_length");
            if (!max)
                json_object_set_new(q, "max_length", json_integer(SURVEY_TEXT_DEFAULT));
            else if (json_integer_value(max) > SURVEY_TEXT_MAX || json_integer_value(max) < 1)
                return field_err(e, "too_long", "questions", i, "max_length", "填空题字数上限应在 1–2000 之间%s", "");
        } else {
            json_object_del(q, "max_length");
        }
        if (!json_object_get(q, "required"))
            json_object_set_new(q, "required", json_false());
        if (!options)
            json_object_set_new(q, "options", json_array());
    }
    return 0;
}

static int is_index(const json_t *v, size_t nopt)
{
    return json_is_integer(v) && json_integer_value(v) >= 0 && (size_t)json_integer_value(v) < nopt;
}

/* The member of an answer object the question's type is answered by. */
static const char *member_of(const char *type)
{
    return strcmp(type, "single") == 0 ? "choice" : strcmp(type, "multiple") == 0 ? "choices"
                                                  : strcmp(type, "scale") == 0    ? "score"
                                                                                  : "text";
}

int survey_answers_check(const json_t *questions, const json_t *answers, json_t **values, struct err *e)
{
    *values = NULL;
    if (json_array_size(answers) != json_array_size(questions))
        return err_set(e, 422, "answers_count", "answers", "应逐题作答（%zu 题），未答的题为 {}", json_array_size(questions));
    json_t *out = json_array();
    size_t i;
    const json_t *q;
    json_array_foreach(questions, i, q) {
        const char *type = json_string_value(json_object_get(q, "type"));
        const json_t *given = json_array_get(answers, i);
        const char *member = member_of(type);
        /* an answer by another type's member is a mistake, not a skip */
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)given, key, v)
            if (strcmp(key, member) && !json_is_null(v)) {
                json_decref(out);
                return field_err(e, "wrong_type", "answers", i, NULL, "该题应以 %s 作答", member);
            }
        const json_t *a = json_object_get(given, member);
        size_t nopt = json_array_size(json_object_get(q, "options"));
        int empty = !a || json_is_null(a) || (json_is_array(a) && json_array_size(a) == 0) ||
                    (json_is_string(a) && !json_string_value(a)[strspn(json_string_value(a), " \t\r\n")]);
        int rc = 0;
        if (empty) {
            if (json_is_true(json_object_get(q, "required")))
                rc = field_err(e, "required", "answers", i, NULL, "此题必答：%s", json_string_value(json_object_get(q, "text")));
            json_array_append_new(out, json_null());
        } else if (strcmp(type, "single") == 0) {
            if (!is_index(a, nopt))
                rc = field_err(e, "bad_choice", "answers", i, NULL, "没有这个选项%s", "");
        } else if (strcmp(type, "multiple") == 0) {
            for (size_t k = 0; rc == 0 && k < json_array_size(a); k++) {
                if (!is_index(json_array_get(a, k), nopt))
                    rc = field_err(e, "bad_choice", "answers", i, NULL, "没有这个选项%s", "");
                for (size_t j = 0; rc == 0 && j < k; j++)
                    if (json_integer_value(json_array_get(a, j)) == json_integer_value(json_array_get(a, k)))
                        rc = field_err(e, "duplicate_choice", "answers", i, NULL, "同一选项选了两次%s", "");
            }
        } else if (strcmp(type, "scale") == 0) {
            if (json_integer_value(a) < 1 || json_integer_value(a) > 5)
                rc = field_err(e, "out_of_range", "answers", i, NULL, "评分应在 1–5 之间%s", "");
        } else {
            const char *s = json_string_value(a);
            if (chars(s) > json_integer_value(json_object_get(q, "max_length")))
                rc = field_err(e, "too_long", "answers", i, NULL, "回答超过字数上限%s", "");
        }
        if (rc < 0) {
            json_decref(out);
            return -1;
        }
        if (!empty)
            json_array_append(out, (json_t *)a);
    }
    *values = out;
    return 0;
}

json_t *survey_tally(const json_t *questions, const json_t *const *answers, int n)
{
    json_t *out = json_array();
    size_t i;
    const json_t *q;
    json_array_foreach(questions, i, q) {
        const char *type = json_string_value(json_object_get(q, "type"));
        size_t nopt = strcmp(type, "scale") == 0 ? 5 : json_array_size(json_object_get(q, "options"));
        json_t *counts = json_array(), *texts = json_array();
        json_int_t c[SURVEY_MAX_OPTIONS] = {0}, answered = 0, sum = 0;
        for (int k = 0; k < n; k++) {
            const json_t *a = json_array_get(answers[k], i);
            if (!a || json_is_null(a))
                continue;
            if (strcmp(type, "text") == 0) {
                if (json_string_value(a)[strspn(json_string_value(a), " \t\r\n")]) {
                    json_array_append(texts, (json_t *)a);
                    answered++;
                }
            } else if (strcmp(type, "multiple") == 0) {
                for (size_t j = 0; j < json_array_size(a); j++)
                    c[json_integer_value(json_array_get(a, j))]++;
                answered += json_array_size(a) > 0;
            } else {
                json_int_t v = json_integer_value(a);
                c[strcmp(type, "scale") == 0 ? v - 1 : v]++;
                sum += v;
                answered++;
            }
        }
        for (size_t o = 0; o < nopt && strcmp(type, "text"); o++)
            json_array_append_new(counts, json_integer(c[o]));
        json_t *row = json_pack("{s:I, s:s, s:O, s:O, s:I}", "index", (json_int_t)i, "type", type, "text",
                                json_object_get(q, "text"), "options", json_object_get(q, "options"), "answered", answered);
        if (strcmp(type, "text") == 0) {
            json_object_set_new(row, "texts", texts);
            json_decref(counts);
        } else {
            json_object_set_new(row, "counts", counts);
            json_decref(texts);
        }
        if (strcmp(type, "scale") == 0)
            json_object_set_new(row, "mean", answered ? json_real((double)sum / (double)answered) : json_null());
        json_array_append_new(out, row);
    }
    return out;
}

double survey_satisfaction(const json_t *questions, const json_t *const *answers, int n)
{
    double sum = 0;
    long count = 0;
    size_t i;
    const json_t *q;
    json_array_foreach(questions, i, q) {
        if (strcmp(json_string_value(json_object_get(q, "type")), "scale"))
            continue;
        for (int k = 0; k < n; k++) {
            const json_t *a = json_array_get(answers[k], i);
            if (json_is_integer(a)) {
                sum += (double)(json_integer_value(a) - 1) * 25.0;
                count++;
            }
        }
    }
    return count ? sum / (double)count : -1;
}

#include "surveys/surveys.schemas.inc"
