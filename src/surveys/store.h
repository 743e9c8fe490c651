/* store.h — SQL of surveys (migration 056; the rules are surveys.h's). Who answered and what was
 * answered are written apart (survey_participation, survey_answer) and never joined. */
#ifndef TUOYU_SURVEYS_STORE_H
#define TUOYU_SURVEYS_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "base/date.h"
#include "db/db.h"

struct survey_row {
    int64_t id;
    char kind[16], state[16], town_code[16], opens_on[DATE_DAY_LEN], closes_on[DATE_DAY_LEN], token[48];
    int64_t institution_id; /* 0: the families of the town */
    json_t *questions;      /* the caller's */
};

/* What a survey is written from (POST, PUT). */
struct survey_input {
    const char *kind, *title, *intro, *town_code, *opens_on, *closes_on;
    int64_t institution_id;
    const json_t *questions;
};

int surveys_store_insert(struct db *db, const char *district, const struct survey_input *s, int64_t user_id,
                         const char *now_ts, int64_t *id, struct err *e);
/* Rewrite survey id while it is a draft (409 survey_published when it no longer is). */
int surveys_store_update(struct db *db, int64_t id, const struct survey_input *s, const char *now_ts, struct err *e);
/* Survey id (token NULL) or the survey of token: its row; 404 not_found when none. */
int surveys_store_load(struct db *db, const char *district, int64_t id, const char *token, struct survey_row *out,
                       struct err *e);
/* Survey id as JSON (caller decrefs): everything but the answers. */
int surveys_store_json(struct db *db, const char *district, int64_t id, json_t **out, struct err *e);
/* The surveys in scope (a WHERE fragment over s.town_code, s.audience_institution_id), newest first. */
int surveys_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope,
                       json_t **out, struct err *e);
/* Move survey id from state `from` to `to` (published: with token; closed), 409 survey_moved when
 * it is no longer in `from`. */
int surveys_store_move(struct db *db, int64_t id, const char *from, const char *to, const char *token,
                       const char *now_ts, struct err *e);
/* The institutions of family's children that are in the audience of s, lowest id first, at most
 * max into out: 0 with *n. */
int surveys_store_family_institutions(struct db *db, const char *district, const struct survey_row *s,
                                      int64_t family, int64_t *out, int max, int *n, struct err *e);
/* Record that family answered survey_id on day, and the answers (values: JSON text) counted for
 * institution_id of town under a random key — two statements, in the caller's transaction. A
 * second answer of the family: 409 already_answered. */
int surveys_store_answer(struct db *db, int64_t survey_id, int64_t family, const char *day, const char *key,
                         int64_t institution_id, const char *town, const char *values, struct err *e);
/* Has family answered survey_id? */
int surveys_store_answered(struct db *db, int64_t survey_id, int64_t family, int *out, struct err *e);
/* The answers of survey_id (only those counted for institution_id when > 0): each row's values
 * parsed, with its institution_id and town_code (*answers an array of {institution_id, town_code,
 * values}, the caller's). */
int surveys_store_answers(struct db *db, int64_t survey_id, int64_t institution_id, json_t **answers, struct err *e);
/* The audience of s by institution: [{institution_id, name, town_code, town_name, families,
 * answered}] — families with a child there, and the answers counted for it. */
int surveys_store_audience(struct db *db, const char *district, const struct survey_row *s, json_t **out,
                           struct err *e);
/* The open surveys whose audience holds one of family's children, with whether it answered. */
int surveys_store_open_for(struct db *db, const char *district, int64_t family, const char *today, json_t **out,
                           struct err *e);
/* The answers counted for institution_id in closed satisfaction surveys that closed in year. */
int surveys_store_satisfaction(struct db *db, const char *district, int64_t institution_id, int year,
                               json_t **rows, struct err *e);

#endif
