/* surveys.h — surveys (需求调查, 满意度测评; issue 19 item 6, C11.4), the pure part: questions as
 * data, a family's answers checked against them, the tally of all answers, and an institution's
 * satisfaction score for its annual assessment.
 *
 * A question is {type, text, options, required, max_length}: single (one of options, answered by
 * its index), multiple (a set of option indexes), scale (1–5, 5 best), text (at most max_length
 * characters). The answers are stored as one value per question, in order — null for one skipped. */
#ifndef TUOYU_SURVEYS_H
#define TUOYU_SURVEYS_H

#include <jansson.h>

#include "base/err.h"
#include "http/http.h"

#define SURVEY_MAX_QUESTIONS 40
#define SURVEY_MAX_OPTIONS 12
#define SURVEY_TEXT_MAX 2000    /* characters of a text answer, at most */
#define SURVEY_TEXT_DEFAULT 500

/* Check questions (an array the schema admitted) and fill each text question's max_length
 * (SURVEY_TEXT_DEFAULT when absent): 0, or -1 with e (422) naming questions[i].field: bad_type,
 * options_needed (a choice question needs 2–12 distinct options), options_not_allowed (scale and
 * text have none), too_long (max_length over SURVEY_TEXT_MAX), duplicate_option; no_questions. */
int survey_questions_check(json_t *questions, struct err *e);

/* Check a family's answers against questions — one object per question, answered by the member
 * of its type (single: choice, multiple: choices, scale: score, text: text; {} skips it) — and
 * give the values to store, one per question (*values, the caller's: an index, an array of
 * indexes, a score, a text, or null). 0, or -1 with e (422) naming answers[i]: answers_count (one
 * per question), required, wrong_type (another type's member), bad_choice (an index not among the
 * options), duplicate_choice, out_of_range (a score outside 1–5), too_long. */
int survey_answers_check(const json_t *questions, const json_t *answers, json_t **values, struct err *e);

/* The tally of n answer arrays to questions: per question its type and text and — single and
 * multiple: the count of each option; scale: the count of each of 1–5 and the mean (null when
 * none); text: the texts given (no one's identity: there is none in an answer). */
json_t *survey_tally(const json_t *questions, const json_t *const *answers, int n);

/* The satisfaction score 0–100 of n answer arrays: the mean of every scale answer, 1 → 0 and
 * 5 → 100; -1 when there is no scale answer. */
double survey_satisfaction(const json_t *questions, const json_t *const *answers, int n);

/* Is a survey of kind and audience valid? kind demand | satisfaction: 0, or -1 with e = 422
 * bad_kind; closes_on before opens_on: 422 bad_dates (closes_on). */
int survey_meta_check(const char *kind, const char *opens_on, const char *closes_on, struct err *e);
const char *survey_kind_name(const char *kind);

/* The bodies: a survey (POST, PUT), a family's answers {answers: [...]}. */
extern const struct http_schema survey_schema, survey_answers_schema;

#endif
