/* store.c — SQL of surveys (store.h). */
#include "surveys/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/surveys.h"

int surveys_store_insert(struct db *db, const char *district, const struct survey_input *s, int64_t user_id,
                         const char *now_ts, int64_t *id, struct err *e)
{
    char *questions = json_dumps(s->questions, JSON_COMPACT);
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO survey (district_code, kind, title, intro, audience_institution_id, town_code, "
                       "opens_on, closes_on, questions, state, created_by, created_at, updated_at) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id",
                       "ttttIttttitt", district, s->kind, s->title, s->intro ? s->intro : "", s->institution_id,
                       s->town_code, s->opens_on, s->closes_on, questions, user_id, now_ts, now_ts);
    free(questions);
    return *id < 0 ? -1 : 0;
}

int surveys_store_update(struct db *db, int64_t id, const struct survey_input *s, const char *now_ts, struct err *e)
{
    char *questions = json_dumps(s->questions, JSON_COMPACT);
    int64_t n = db_run(db, e,
                       "UPDATE survey SET kind = ?, title = ?, intro = ?, audience_institution_id = ?, town_code = ?, "
                       "opens_on = ?, closes_on = ?, questions = ?, updated_at = ? WHERE id = ? AND state = 'draft'",
                       "tttIttttti", s->kind, s->title, s->intro ? s->intro : "", s->institution_id, s->town_code,
                       s->opens_on, s->closes_on, questions, now_ts, id);
    free(questions);
    if (n < 0)
        return -1;
    return n ? 0 : err_set(e, 409, "survey_published", "", "问卷已发布，不能再修改");
}

int surveys_store_load(struct db *db, const char *district, int64_t id, const char *token, struct survey_row *out,
                       struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, kind, state, town_code, opens_on, closes_on, token, "
                                  "audience_institution_id, questions FROM survey WHERE district_code = ? AND "
                                  "(id = ? OR token = ?)",
                                  "tit", district, id, token ? token : "");
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", token ? "token" : "id", "未找到该问卷");
    memset(out, 0, sizeof *out);
    db_scan(st, DB_I64(&out->id), DB_TEXT(out->kind), DB_TEXT(out->state), DB_TEXT(out->town_code),
            DB_TEXT(out->opens_on), DB_TEXT(out->closes_on), DB_TEXT(out->token));
    out->institution_id = db_col_is_null(st, 7) ? 0 : db_col_int64(st, 7);
    out->questions = json_loads(db_col_text(st, 8), 0, NULL);
    db_finalize(st);
    return out->questions ? 0 : err_set(e, 500, "bad_questions", "", "问卷的问题无法读取");
}

#define SURVEY_COLUMNS                                                                                              \
    "s.id, s.kind, s.title, s.intro, s.audience_institution_id, i.name, s.town_code, t.name, s.opens_on, "        \
    "s.closes_on, s.state, s.token, s.published_at, s.closed_at, s.created_at, s.questions, "                     \
    "(SELECT COUNT(*) FROM survey_participation p WHERE p.survey_id = s.id)"
#define SURVEY_FROM                                                                                                 \
    " FROM survey s JOIN town t ON t.district_code = s.district_code AND t.code = s.town_code LEFT JOIN "          \
    "institution i ON i.id = s.audience_institution_id "

static json_t *survey_json(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    const char *kind = db_col_text(st, 1);
    json_t *questions = json_loads(db_col_text(st, 15), 0, NULL);
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}",
                     "id", (json_int_t)db_col_int64(st, 0), "kind", kind, "kind_name", survey_kind_name(kind), "title",
                     db_col_json_text(st, 2), "intro", db_col_json_text(st, 3), "institution_id",
                     db_col_json_id(st, 4), "institution_name", db_col_json_text(st, 5), "town_code",
                     db_col_json_text(st, 6), "town_name", db_col_json_text(st, 7), "opens_on", db_col_json_text(st, 8),
                     "closes_on", db_col_json_text(st, 9), "state", db_col_json_text(st, 10), "token",
                     db_col_json_text(st, 11), "published_at", db_col_json_text(st, 12), "closed_at",
                     db_col_json_text(st, 13), "created_at", db_col_json_text(st, 14), "questions",
                     questions ? questions : json_array(), "responses", (json_int_t)db_col_int64(st, 16));
}

int surveys_store_json(struct db *db, const char *district, int64_t id, json_t **out, struct err *e)
{
    json_t *rows;
    struct db_stmt *st = db_query(db, e, "SELECT " SURVEY_COLUMNS SURVEY_FROM "WHERE s.district_code = ? AND s.id = ?",
                                  "ti", district, id);
    if (db_rows_json(st, e, survey_json, NULL, &rows) < 0)
        return -1;
    *out = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return *out ? 0 : err_set(e, 404, "not_found", "id", "未找到该问卷");
}

int surveys_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope,
                       json_t **out, struct err *e)
{
    struct db_stmt *st = db_query_scoped(db, e,
                                         "SELECT " SURVEY_COLUMNS SURVEY_FROM
                                         "WHERE s.district_code = ? AND %s ORDER BY s.id DESC",
                                         scope_sql, scope, -1, "t", district);
    return db_rows_json(st, e, survey_json, NULL, out);
}

int surveys_store_move(struct db *db, int64_t id, const char *from, const char *to, const char *token,
                       const char *now_ts, struct err *e)
{
    int64_t n = strcmp(to, "published") == 0
                    ? db_run(db, e,
                             "UPDATE survey SET state = ?, token = ?, published_at = ?, updated_at = ? WHERE id = ? AND "
                             "state = ?",
                             "ttttit", to, token, now_ts, now_ts, id, from)
                    : db_run(db, e,
                             "UPDATE survey SET state = ?, closed_at = ?, updated_at = ? WHERE id = ? AND state = ?",
                             "tttit", to, now_ts, now_ts, id, from);
    if (n < 0)
        return -1;
    return n ? 0 : err_set(e, 409, "survey_moved", "", "问卷状态已被更改，请刷新");
}

/* The audience condition over child c joined to its institution i. */
#define AUDIENCE "(i.id = ? OR (? = 0 AND i.town_code = ?))"

int surveys_store_family_institutions(struct db *db, const char *district, const struct survey_row *s,
                                      int64_t family, int64_t *out, int max, int *n, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT DISTINCT i.id FROM child c JOIN institution i ON i.id = c.institution_id "
                                  "WHERE c.district_code = ? AND c.family_user_id = ? AND " AUDIENCE " ORDER BY i.id",
                                  "tiiit", district, family, s->institution_id, s->institution_id, s->town_code);
    *n = 0;
    int rc = st ? 0 : -1;
    while (st && *n < max && (rc = db_step(st, e)) == DB_ROW)
        out[(*n)++] = db_col_int64(st, 0);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int surveys_store_answer(struct db *db, int64_t survey_id, int64_t family, const char *day, const char *key,
                         int64_t institution_id, const char *town, const char *values, struct err *e)
{
    if (db_run(db, e,
               "INSERT INTO survey_participation (district_code, survey_id, family_user_id, answered_on) "
               "SELECT district_code, id, ?, ? FROM survey WHERE id = ?",
               "iti", family, day, survey_id) < 0)
        return db_conflict_as(e, "already_answered", "", "您已填写过这份问卷，每户只能填写一次");
    return db_write(db, e,
                    "INSERT INTO survey_answer (district_code, answer_key, survey_id, institution_id, town_code, answers) "
                    "SELECT district_code, ?, id, ?, ?, ? FROM survey WHERE id = ?",
                    "titti", key, institution_id, town, values, survey_id);
}

int surveys_store_answered(struct db *db, int64_t survey_id, int64_t family, int *out, struct err *e)
{
    int found;
    if (db_query_int(db, e, &found, "SELECT 1 FROM survey_participation WHERE survey_id = ? AND family_user_id = ?",
                     "ii", survey_id, family) < 0)
        return -1;
    *out = found;
    return 0;
}

static json_t *answer_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    json_t *values = json_loads(db_col_text(st, 2), 0, NULL);
    return json_pack("{s:I, s:o, s:o}", "institution_id", (json_int_t)db_col_int64(st, 0), "town_code",
                     db_col_json_text(st, 1), "values", values ? values : json_array());
}

int surveys_store_answers(struct db *db, int64_t survey_id, int64_t institution_id, json_t **answers, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT institution_id, town_code, answers FROM survey_answer WHERE survey_id = ? AND "
                                  "(? = 0 OR institution_id = ?) ORDER BY answer_key",
                                  "iii", survey_id, institution_id, institution_id);
    return db_rows_json(st, e, answer_row, NULL, answers);
}

static json_t *audience_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:o, s:o, s:o, s:I, s:I}", "institution_id", (json_int_t)db_col_int64(st, 0), "name",
                     db_col_json_text(st, 1), "town_code", db_col_json_text(st, 2), "town_name", db_col_json_text(st, 3),
                     "families", (json_int_t)db_col_int64(st, 4), "answered", (json_int_t)db_col_int64(st, 5));
}

int surveys_store_audience(struct db *db, const char *district, const struct survey_row *s, json_t **out,
                           struct err *e)
{
    struct db_stmt *st = db_query(
        db, e,
        "SELECT i.id, i.name, i.town_code, t.name, (SELECT COUNT(DISTINCT c.family_user_id) FROM child c WHERE "
        "c.institution_id = i.id AND c.family_user_id IS NOT NULL), (SELECT COUNT(*) FROM survey_answer a WHERE "
        "a.survey_id = ? AND a.institution_id = i.id) FROM institution i JOIN town t ON t.district_code = "
        "i.district_code AND t.code = i.town_code WHERE i.district_code = ? AND " AUDIENCE " AND i.status <> 'closed' "
        "ORDER BY i.id",
        "itiit", s->id, district, s->institution_id, s->institution_id, s->town_code);
    return db_rows_json(st, e, audience_row, NULL, out);
}

static json_t *open_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    const char *kind = db_col_text(st, 1);
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:b}", "id", (json_int_t)db_col_int64(st, 0), "kind", kind,
                     "kind_name", survey_kind_name(kind), "title", db_col_json_text(st, 2), "token",
                     db_col_json_text(st, 3), "closes_on", db_col_json_text(st, 4), "answered",
                     (int)db_col_int64(st, 5));
}

int surveys_store_open_for(struct db *db, const char *district, int64_t family, const char *today, json_t **out,
                           struct err *e)
{
    struct db_stmt *st = db_query(
        db, e,
        "SELECT s.id, s.kind, s.title, s.token, s.closes_on, (SELECT COUNT(*) FROM survey_participation p WHERE "
        "p.survey_id = s.id AND p.family_user_id = ?) FROM survey s WHERE s.district_code = ? AND s.state = "
        "'published' AND s.opens_on <= ? AND s.closes_on >= ? AND EXISTS (SELECT 1 FROM child c JOIN institution i "
        "ON i.id = c.institution_id WHERE c.family_user_id = ? AND (i.id = s.audience_institution_id OR "
        "(s.audience_institution_id IS NULL AND i.town_code = s.town_code))) ORDER BY s.closes_on, s.id",
        "ittti", family, district, today, today, family);
    return db_rows_json(st, e, open_row, NULL, out);
}

int surveys_store_satisfaction(struct db *db, const char *district, int64_t institution_id, int year,
                               json_t **rows, struct err *e)
{
    char from[DATE_DAY_LEN + 1], to[DATE_DAY_LEN + 1];
    snprintf(from, sizeof from, "%04d", year);
    snprintf(to, sizeof to, "%04d", year + 1);
    struct db_stmt *st = db_query(
        db, e,
        "SELECT a.answers, s.questions FROM survey_answer a JOIN survey s ON s.id = a.survey_id WHERE "
        "s.district_code = ? AND s.kind = 'satisfaction' AND s.state = 'closed' AND a.institution_id = ? AND "
        "s.closed_at >= ? AND s.closed_at < ? ORDER BY s.id, a.answer_key",
        "titt", district, institution_id, from, to);
    *rows = json_array();
    int rc = st ? 0 : -1;
    while (st && (rc = db_step(st, e)) == DB_ROW) {
        json_t *values = json_loads(db_col_text(st, 0), 0, NULL), *questions = json_loads(db_col_text(st, 1), 0, NULL);
        if (values && questions)
            json_array_append_new(*rows, json_pack("{s:o, s:o}", "values", values, "questions", questions));
        else
            json_decref(values), json_decref(questions);
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(*rows);
        *rows = NULL;
        return -1;
    }
    return 0;
}
