/* store.c — SQL of the assessment schemes (store.h). A scheme is read once as JSON (what the API
 * shows) and the engine's struct is built from that same JSON, so the two never disagree. */
#include "rating/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

/* points held in tenths, shown as points (45 → 4.5) */
static json_t *points(int64_t tenths)
{
    return json_real((double)tenths / 10.0);
}

static json_t *header_row(struct db_stmt *st, void *ctx)
{
    const char *day = ctx;
    const char *from = db_col_text(st, 8), *to = db_col_text(st, 9);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:s, s:o}", "id", (json_int_t)db_col_int64(st, 0),
                          "code", db_col_text(st, 1), "name", db_col_text(st, 2), "basis", db_col_text(st, 3),
                          "certainty", db_col_text(st, 4), "combine", db_col_text(st, 5), "trim_from",
                          (json_int_t)db_col_int64(st, 6), "veto_cap", db_col_json_text(st, 7), "valid_from", from,
                          "valid_to", db_col_json_text(st, 9));
    if (day)
        json_object_set_new(o, "current", json_boolean(strcmp(from, day) <= 0 && (!to || strcmp(day, to) <= 0)));
    return o;
}

#define HEADER_COLUMNS "id, code, name, basis, certainty, combine, trim_from, veto_cap, valid_from, valid_to"

static json_t *dimension_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:s, s:s, s:o, s:s, s:s}", "code", db_col_text(st, 0), "name", db_col_text(st, 1), "points",
                     points(db_col_int64(st, 2)), "basis", db_col_text(st, 3), "certainty", db_col_text(st, 4));
}

static json_t *item_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s}", "code", db_col_text(st, 0), "dimension",
                     db_col_text(st, 1), "text", db_col_text(st, 2), "kind", db_col_text(st, 3), "max_points",
                     points(db_col_int64(st, 4)), "evidence", db_col_json_text(st, 5), "maps_to",
                     db_col_json_text(st, 6), "basis", db_col_text(st, 7), "certainty", db_col_text(st, 8));
}

static json_t *level_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:s}", "code", db_col_text(st, 0), "name", db_col_text(st, 1),
                     "min_points", points(db_col_int64(st, 2)), "meaning", db_col_text(st, 3), "basis",
                     db_col_text(st, 4), "certainty", db_col_text(st, 5));
}

static const char LEVELS_SQL[] = "SELECT code, name, min_tenths, meaning, basis, certainty FROM rating_level "
                                 "WHERE scheme_id = ? ORDER BY position";

/* index of the member "code" equal to code in an array of objects, -1 when none */
static int index_of(json_t *array, const char *code)
{
    size_t i;
    json_t *it;
    json_array_foreach(array, i, it) if (strcmp(json_string_value(json_object_get(it, "code")), code) == 0) return (int)i;
    return -1;
}

/* the engine's scheme from its description */
static int scheme_from_doc(json_t *doc, struct rating_scheme *s, struct err *e)
{
    json_t *dims = json_object_get(doc, "dimensions"), *items = json_object_get(doc, "items"),
           *levels = json_object_get(doc, "levels");
    if (json_array_size(dims) > RATING_MAX_DIMENSIONS || json_array_size(items) > RATING_MAX_ITEMS ||
        json_array_size(levels) > RATING_MAX_LEVELS)
        return err_set(e, 500, "bad_scheme", "", "评估方案的维度、指标或等级过多");
    *s = (struct rating_scheme){0};
    s->ndimensions = (int)json_array_size(dims);
    s->nitems = (int)json_array_size(items);
    s->nlevels = (int)json_array_size(levels);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        s->items[i].dimension = index_of(dims, json_string_value(json_object_get(it, "dimension")));
        s->items[i].kind = strcmp(json_string_value(json_object_get(it, "kind")), "veto") == 0 ? RATING_VETO : RATING_POINTS;
        s->items[i].max_tenths = (int)(json_real_value(json_object_get(it, "max_points")) * 10.0 + 0.5);
    }
    json_array_foreach(levels, i, it)
        s->levels[i].min_tenths = (int)(json_real_value(json_object_get(it, "min_points")) * 10.0 + 0.5);
    const char *cap = json_string_value(json_object_get(doc, "veto_cap"));
    s->veto_cap = cap ? index_of(levels, cap) : s->nlevels;
    s->combine = strcmp(json_string_value(json_object_get(doc, "combine")), "trimmed_mean") == 0 ? RATING_TRIMMED_MEAN
                                                                                                : RATING_MEAN;
    s->trim_from = (int)json_integer_value(json_object_get(doc, "trim_from"));
    if (rating_scheme_check(s, e) < 0) {
        e->status = 500;
        return -1;
    }
    return 0;
}

int rating_store_load(struct db *db, const char *district, int64_t id, struct rating_scheme *s, json_t **doc,
                      struct err *e)
{
    json_t *found = NULL, *dims = NULL, *items = NULL, *levels = NULL;
    if (db_rows_json(db_query(db, e, "SELECT " HEADER_COLUMNS " FROM rating_scheme WHERE id = ? AND district_code = ?",
                              "it", id, district),
                     e, header_row, NULL, &found) < 0)
        return -1;
    json_t *header = json_incref(json_array_get(found, 0));
    json_decref(found);
    if (!header)
        return err_set(e, 404, "not_found", "id", "评估方案不存在");
    /* a dimension's points are the sum of its items' */
    if (db_rows_json(db_query(db, e,
                              "SELECT d.code, d.name, (SELECT COALESCE(SUM(max_tenths), 0) FROM rating_item i "
                              "WHERE i.scheme_id = d.scheme_id AND i.dimension_code = d.code), d.basis, d.certainty "
                              "FROM rating_dimension d WHERE d.scheme_id = ? ORDER BY d.position",
                              "i", id),
                     e, dimension_row, NULL, &dims) < 0 ||
        db_rows_json(db_query(db, e,
                              "SELECT code, dimension_code, text, kind, max_tenths, evidence, maps_to, basis, certainty "
                              "FROM rating_item WHERE scheme_id = ? ORDER BY position",
                              "i", id),
                     e, item_row, NULL, &items) < 0 ||
        db_rows_json(db_query(db, e, LEVELS_SQL, "i", id), e, level_row, NULL, &levels) < 0)
        goto fail;
    json_object_set_new(header, "dimensions", dims);
    json_object_set_new(header, "items", items);
    json_object_set_new(header, "levels", levels);
    dims = items = levels = NULL;
    if (scheme_from_doc(header, s, e) < 0)
        goto fail;
    int total = 0;
    for (int k = 0; k < s->nitems; k++)
        total += s->items[k].max_tenths;
    json_object_set_new(header, "max_points", points(total));
    if (doc)
        *doc = header;
    else
        json_decref(header);
    return 0;
fail:
    json_decref(header);
    json_decref(dims);
    json_decref(items);
    json_decref(levels);
    return -1;
}

int rating_store_list(struct db *db, const char *district, const char *day, json_t **items, struct err *e)
{
    *items = NULL;
    json_t *list;
    if (db_rows_json(db_query(db, e,
                              "SELECT " HEADER_COLUMNS " FROM rating_scheme WHERE district_code = ? "
                              "ORDER BY code, valid_from DESC",
                              "t", district),
                     e, header_row, (void *)day, &list) < 0)
        return -1;
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        json_t *levels;
        if (db_rows_json(db_query(db, e, LEVELS_SQL, "i", (int64_t)json_integer_value(json_object_get(it, "id"))), e,
                         level_row, NULL, &levels) < 0) {
            json_decref(list);
            return -1;
        }
        json_object_set_new(it, "levels", levels);
    }
    *items = list;
    return 0;
}

/* ---- the rating workflow (migration 034) ---- */

/* a JSON text column parsed, {} when NULL or not an object */
static json_t *col_object(struct db_stmt *st, int i)
{
    const char *t = db_col_text(st, i);
    json_t *o = t ? json_loads(t, 0, NULL) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        o = json_object();
    }
    return o;
}

static json_t *assessment_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "id",
                     (json_int_t)db_col_int64(st, 0), "institution_id", (json_int_t)db_col_int64(st, 1),
                     "institution_name", db_col_text(st, 13), "scheme_id", (json_int_t)db_col_int64(st, 2),
                     "scheme_code", db_col_text(st, 14), "state", db_col_text(st, 11), "town_code",
                     db_col_text(st, 12), "self_sheet", col_object(st, 3), "evidence", col_object(st, 4),
                     "combined_sheet", db_col_is_null(st, 5) ? json_null() : col_object(st, 5), "total_points",
                     db_col_is_null(st, 6) ? json_null() : points(db_col_int64(st, 6)), "level_code",
                     db_col_json_text(st, 7), "concluded_on", db_col_json_text(st, 8), "in_force_from",
                     db_col_json_text(st, 9), "in_force_to", db_col_json_text(st, 10), "level_name",
                     db_col_is_null(st, 15) ? "" : db_col_text(st, 15));
}

#define ASSESSMENT_SQL                                                                                            \
    "SELECT a.case_id, a.institution_id, a.scheme_id, a.self_sheet, a.evidence, a.combined_sheet, a.total_tenths, " \
    "a.level_code, a.concluded_on, a.in_force_from, a.in_force_to, c.state, c.town_code, i.name, s.code, l.name "  \
    "FROM rating_assessment a JOIN case_file c ON c.id = a.case_id JOIN institution i ON i.id = a.institution_id " \
    "JOIN rating_scheme s ON s.id = a.scheme_id "                                                                 \
    "LEFT JOIN rating_level l ON l.scheme_id = a.scheme_id AND l.code = a.level_code "

void rating_assessment_free(struct rating_assessment *a) { json_decref(a->row); }

int rating_store_assessment(struct db *db, const char *district, int64_t case_id, struct rating_assessment *out,
                            struct err *e)
{
    memset(out, 0, sizeof *out);
    json_t *rows;
    if (db_rows_json(db_query(db, e, ASSESSMENT_SQL "WHERE a.case_id = ? AND a.district_code = ?", "it", case_id,
                              district),
                     e, assessment_row, NULL, &rows) < 0)
        return -1;
    out->row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    if (!out->row)
        return err_set(e, 404, "not_found", "id", "星级评定不存在");
    out->case_id = case_id;
    out->institution_id = json_integer_value(json_object_get(out->row, "institution_id"));
    out->scheme_id = json_integer_value(json_object_get(out->row, "scheme_id"));
    snprintf(out->state, sizeof out->state, "%s", json_string_value(json_object_get(out->row, "state")));
    snprintf(out->town_code, sizeof out->town_code, "%s", json_string_value(json_object_get(out->row, "town_code")));
    const char *c = json_string_value(json_object_get(out->row, "concluded_on"));
    snprintf(out->concluded_on, sizeof out->concluded_on, "%s", c ? c : "");
    out->self_sheet = json_object_get(out->row, "self_sheet");
    out->evidence = json_object_get(out->row, "evidence");
    return 0;
}

int rating_store_assessment_insert(struct db *db, const char *district, int64_t case_id, int64_t institution_id,
                                   int64_t scheme_id, const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO rating_assessment (case_id, district_code, institution_id, scheme_id, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    "itiitt", case_id, district, institution_id, scheme_id, now_ts, now_ts);
}

int rating_store_history(struct db *db, const char *district, int64_t institution_id, json_t **out, struct err *e)
{
    return db_rows_json(db_query(db, e, ASSESSMENT_SQL "WHERE a.institution_id = ? AND a.district_code = ? "
                                        "ORDER BY a.case_id DESC",
                                 "it", institution_id, district),
                        e, assessment_row, NULL, out);
}

/* a JSON value as text for a column (the caller frees) */
static char *dump(const json_t *v) { return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS); }

int rating_store_save_self(struct db *db, int64_t case_id, const json_t *sheet, const json_t *evidence,
                           const char *now_ts, struct err *e)
{
    char *s = dump(sheet), *ev = dump(evidence);
    int64_t rc = db_run(db, e, "UPDATE rating_assessment SET self_sheet = ?, evidence = ?, updated_at = ? WHERE case_id = ?",
                        "ttti", s, ev, now_ts, case_id);
    free(s);
    free(ev);
    return rc < 0 ? -1 : 0;
}

static json_t *expert_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:s, s:s, s:o, s:o}", "user_id", (json_int_t)db_col_int64(st, 0), "name",
                     db_col_text(st, 1), "assigned_at", db_col_text(st, 2), "submitted_at", db_col_json_text(st, 3),
                     "sheet", col_object(st, 4));
}

int rating_store_experts(struct db *db, int64_t case_id, json_t **out, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT x.user_id, u.name, x.assigned_at, x.submitted_at, x.sheet FROM rating_expert x "
                                 "JOIN app_user u ON u.id = x.user_id WHERE x.case_id = ? ORDER BY x.user_id",
                                 "i", case_id),
                        e, expert_row, NULL, out);
}

static json_t *assigned_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)db_col_int64(st, 0), "institution_id",
                     (json_int_t)db_col_int64(st, 1), "institution_name", db_col_text(st, 2), "scheme_code",
                     db_col_text(st, 3), "state", db_col_text(st, 4), "assigned_at", db_col_text(st, 5),
                     "submitted_at", db_col_json_text(st, 6));
}

int rating_store_assigned(struct db *db, const char *district, int64_t user_id, int64_t after_id, int limit,
                          json_t **out, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT a.case_id, a.institution_id, i.name, s.code, c.state, x.assigned_at, "
                                 "x.submitted_at FROM rating_expert x JOIN rating_assessment a ON a.case_id = x.case_id "
                                 "JOIN case_file c ON c.id = a.case_id JOIN institution i ON i.id = a.institution_id "
                                 "JOIN rating_scheme s ON s.id = a.scheme_id WHERE a.district_code = ? AND x.user_id = ? "
                                 "AND a.case_id > ? ORDER BY a.case_id LIMIT ?",
                                 "tiii", district, user_id, after_id, (int64_t)limit),
                        e, assigned_row, NULL, out);
}

static json_t *result_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                     (json_int_t)db_col_int64(st, 0), "institution_id", (json_int_t)db_col_int64(st, 1),
                     "institution_name", db_col_text(st, 2), "town_name", db_col_text(st, 3), "scheme_name",
                     db_col_text(st, 4), "state", db_col_text(st, 5), "total_points",
                     db_col_is_null(st, 6) ? json_null() : points(db_col_int64(st, 6)), "level_name",
                     db_col_json_text(st, 7), "meaning", db_col_json_text(st, 8), "concluded_on",
                     db_col_json_text(st, 9), "in_force_from", db_col_json_text(st, 10), "in_force_to",
                     db_col_json_text(st, 11));
}

int rating_store_results(struct db *db, const char *district, json_t **out, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT a.case_id, a.institution_id, i.name, t.name, s.name, c.state, a.total_tenths, "
                                 "l.name, l.meaning, a.concluded_on, a.in_force_from, a.in_force_to "
                                 "FROM rating_assessment a JOIN case_file c ON c.id = a.case_id "
                                 "JOIN institution i ON i.id = a.institution_id JOIN town t ON t.code = i.town_code "
                                 "JOIN rating_scheme s ON s.id = a.scheme_id "
                                 "LEFT JOIN rating_level l ON l.scheme_id = a.scheme_id AND l.code = a.level_code "
                                 "WHERE a.district_code = ? ORDER BY i.town_code, i.name, i.id, a.case_id",
                                 "t", district),
                        e, result_row, NULL, out);
}

static json_t *evaluator_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)db_col_int64(st, 0), "login", db_col_text(st, 1), "name",
                     db_col_text(st, 2), "pending", (json_int_t)db_col_int64(st, 3));
}

int rating_store_evaluators(struct db *db, const char *district, json_t **out, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT u.id, u.login, u.name, (SELECT COUNT(*) FROM rating_expert x WHERE x.user_id = "
                                 "u.id AND x.submitted_at IS NULL) FROM app_user u WHERE u.district_code = ? AND u.role = "
                                 "'evaluator' AND u.disabled = 0 ORDER BY u.name, u.id",
                                 "t", district),
                        e, evaluator_row, NULL, out);
}

int rating_store_conflict(struct db *db, int64_t user_id, int64_t institution_id, char reason[256], struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT reason FROM rating_conflict WHERE user_id = ? AND institution_id = ?",
                                  "ii", user_id, institution_id);
    int rc = db_first_row(st, e);
    if (rc == 1) {
        db_col_copy(st, 0, reason, 256);
        db_finalize(st);
    }
    return rc;
}

int rating_store_declare_conflict(struct db *db, int64_t user_id, int64_t institution_id, const char *reason,
                                  const char *now_ts, struct err *e)
{
    if (db_run(db, e, "DELETE FROM rating_conflict WHERE user_id = ? AND institution_id = ?", "ii", user_id,
               institution_id) < 0)
        return -1;
    return db_write(db, e,
                    "INSERT INTO rating_conflict (district_code, user_id, institution_id, reason, declared_at) "
                    "SELECT district_code, ?, id, ?, ? FROM institution WHERE id = ?",
                    "itti", user_id, reason, now_ts, institution_id);
}

int rating_store_expert_add(struct db *db, int64_t case_id, int64_t user_id, int64_t by, const char *now_ts,
                            struct err *e)
{
    int found = 0;
    if (db_query_int(db, e, &found, "SELECT 1 FROM rating_expert WHERE case_id = ? AND user_id = ?", "ii", case_id,
                     user_id) < 0)
        return -1;
    if (found)
        return err_set(e, 409, "already_assigned", "user_id", "该专家已指派到本次评定");
    return db_write(db, e,
                    "INSERT INTO rating_expert (district_code, case_id, user_id, assigned_by, assigned_at) "
                    "SELECT district_code, case_id, ?, ?, ? FROM rating_assessment WHERE case_id = ?",
                    "iiti", user_id, by, now_ts, case_id);
}

int rating_store_expert_sheet(struct db *db, int64_t case_id, int64_t user_id, json_t **sheet, int *submitted,
                              struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT sheet, submitted_at FROM rating_expert WHERE case_id = ? AND user_id = ?",
                                  "ii", case_id, user_id);
    int rc = db_first_row(st, e);
    if (rc == 1) {
        *sheet = col_object(st, 0);
        *submitted = !db_col_is_null(st, 1);
        db_finalize(st);
    }
    return rc;
}

int rating_store_expert_save(struct db *db, int64_t case_id, int64_t user_id, const json_t *sheet,
                             const char *submitted_at, struct err *e)
{
    char *s = dump(sheet);
    int64_t rc = db_run(db, e, "UPDATE rating_expert SET sheet = ?, submitted_at = ? WHERE case_id = ? AND user_id = ?",
                        "ttii", s, submitted_at, case_id, user_id);
    free(s);
    return rc < 0 ? -1 : 0;
}

int rating_store_conclude(struct db *db, int64_t case_id, const json_t *combined, int total_tenths,
                          const char *level_code, const char *day, const char *now_ts, struct err *e)
{
    char *s = dump(combined);
    int64_t rc = db_run(db, e,
                        "UPDATE rating_assessment SET combined_sheet = ?, total_tenths = ?, level_code = ?, "
                        "concluded_on = ?, updated_at = ? WHERE case_id = ?",
                        "tittti", s, (int64_t)total_tenths, level_code, day, now_ts, case_id);
    free(s);
    return rc < 0 ? -1 : 0;
}

int rating_store_reopen(struct db *db, int64_t case_id, struct err *e)
{
    return db_run(db, e, "UPDATE rating_expert SET submitted_at = NULL WHERE case_id = ?", "i", case_id) < 0 ||
                   db_run(db, e, "UPDATE rating_objection SET reviewed = 1 WHERE case_id = ? AND upheld = 1", "i",
                          case_id) < 0
               ? -1
               : 0;
}

int rating_store_in_force(struct db *db, int64_t case_id, int64_t institution_id, const char *day,
                          const char *day_before, int stars, struct err *e)
{
    return db_run(db, e,
                  "UPDATE rating_assessment SET in_force_to = ? WHERE institution_id = ? AND case_id <> ? "
                  "AND in_force_from IS NOT NULL AND in_force_to IS NULL",
                  "tii", day_before, institution_id, case_id) < 0 ||
                   db_run(db, e, "UPDATE rating_assessment SET in_force_from = ? WHERE case_id = ?", "ti", day,
                          case_id) < 0 ||
                   db_run(db, e, "UPDATE institution SET star_level = ? WHERE id = ?", "ii", (int64_t)stars,
                          institution_id) < 0
               ? -1
               : 0;
}

static json_t *current_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o}", "assessment_id", (json_int_t)db_col_int64(st, 0),
                     "scheme_code", db_col_text(st, 1), "scheme_name", db_col_text(st, 2), "level_code",
                     db_col_json_text(st, 3), "level_name", db_col_json_text(st, 4), "meaning", db_col_json_text(st, 5),
                     "total_points", points(db_col_int64(st, 6)), "in_force_from", db_col_text(st, 7), "in_force_to",
                     db_col_json_text(st, 8));
}

/* The assessments in force on day with their scheme and level (CURRENT_SQL's two ? the day), per
 * institution the latest first. */
#define CURRENT_SQL(where)                                                                                             \
    "SELECT a.case_id, s.code, s.name, a.level_code, l.name, l.meaning, a.total_tenths, a.in_force_from, "             \
    "a.in_force_to, a.institution_id FROM rating_assessment a JOIN rating_scheme s ON s.id = a.scheme_id "             \
    "LEFT JOIN rating_level l ON l.scheme_id = a.scheme_id AND l.code = a.level_code "                                 \
    "WHERE a.district_code = ? " where " AND a.in_force_from <= ? AND (a.in_force_to IS NULL OR a.in_force_to >= ?) "  \
    "ORDER BY a.institution_id, a.in_force_from DESC, a.case_id DESC"

int rating_store_current(struct db *db, const char *district, int64_t institution_id, const char *day, json_t **out,
                         struct err *e)
{
    json_t *rows;
    if (db_rows_json(db_query(db, e, CURRENT_SQL("AND a.institution_id = ?") " LIMIT 1", "titt", district,
                              institution_id, day, day),
                     e, current_row, NULL, &rows) < 0)
        return -1;
    json_t *first = json_array_get(rows, 0);
    *out = first ? json_incref(first) : json_null();
    json_decref(rows);
    return 0;
}

int rating_store_current_all(struct db *db, const char *district, const char *day, json_t **by_inst, struct err *e)
{
    *by_inst = NULL;
    struct db_stmt *st = db_query(db, e, CURRENT_SQL(""), "ttt", district, day, day);
    if (!st)
        return -1;
    json_t *out = json_object();
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (!jobject_by_id(out, db_col_int64(st, 9))) /* the latest of the institution's comes first */
            jobject_set_by_id(out, db_col_int64(st, 9), current_row(st, NULL));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(out);
        return -1;
    }
    *by_inst = out;
    return 0;
}

static json_t *notice_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s}", "id", (json_int_t)db_col_int64(st, 0),
                     "institution_id", (json_int_t)db_col_int64(st, 1), "institution_name", db_col_text(st, 2),
                     "scheme_code", db_col_text(st, 3), "scheme_name", db_col_text(st, 4), "level_code",
                     db_col_json_text(st, 5), "level_name", db_col_json_text(st, 6), "meaning", db_col_json_text(st, 7),
                     "total_points", points(db_col_int64(st, 8)), "concluded_on", db_col_text(st, 9));
}

int rating_store_in_publicity(struct db *db, const char *district, int64_t after_id, int limit, json_t **out,
                              struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT a.case_id, a.institution_id, i.name, s.code, s.name, a.level_code, l.name, "
                                 "l.meaning, a.total_tenths, a.concluded_on FROM rating_assessment a "
                                 "JOIN case_file c ON c.id = a.case_id JOIN institution i ON i.id = a.institution_id "
                                 "JOIN rating_scheme s ON s.id = a.scheme_id "
                                 "LEFT JOIN rating_level l ON l.scheme_id = a.scheme_id AND l.code = a.level_code "
                                 "WHERE a.district_code = ? AND c.state = 'publicity' AND a.case_id > ? "
                                 "ORDER BY a.case_id LIMIT ?",
                                 "tii", district, after_id, (int64_t)limit),
                        e, notice_row, NULL, out);
}

int rating_store_objection_add(struct db *db, int64_t case_id, int64_t user_id, const char *text, const char *now_ts,
                               int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO rating_objection (district_code, case_id, filed_by, filed_at, text) "
                       "SELECT district_code, case_id, ?, ?, ? FROM rating_assessment WHERE case_id = ? RETURNING id",
                       "itti", user_id, now_ts, text, case_id);
    return *id < 0 ? -1 : 0;
}

static json_t *objection_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 0), "filed_at",
                     db_col_text(st, 1), "text", db_col_text(st, 2), "answer", db_col_json_text(st, 3), "upheld",
                     db_col_is_null(st, 4) ? json_null() : json_boolean(db_col_int64(st, 4)), "answered_at",
                     db_col_json_text(st, 5));
}

int rating_store_objections(struct db *db, int64_t case_id, json_t **out, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT id, filed_at, text, answer, upheld, answered_at FROM rating_objection "
                                 "WHERE case_id = ? ORDER BY id",
                                 "i", case_id),
                        e, objection_row, NULL, out);
}

int rating_store_objection_case(struct db *db, int64_t id, int64_t *case_id, int *upheld, struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT case_id, upheld FROM rating_objection WHERE id = ?", "i", id);
    int rc = db_first_row(st, e);
    if (rc == 0)
        return err_set(e, 404, "not_found", "id", "异议不存在");
    if (rc < 0)
        return -1;
    *case_id = db_col_int64(st, 0);
    *upheld = db_col_is_null(st, 1) ? -1 : (int)db_col_int64(st, 1);
    db_finalize(st);
    return 0;
}

int rating_store_objection_answer(struct db *db, int64_t id, int upheld, const char *answer, int64_t by,
                                  const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "UPDATE rating_objection SET upheld = ?, answer = ?, answered_by = ?, answered_at = ? WHERE id = ?",
                    "ititi", (int64_t)upheld, answer, by, now_ts, id);
}

int rating_store_objection_counts(struct db *db, int64_t case_id, int *open, int *upheld, struct err *e)
{
    int64_t a = db_query_int(db, e, NULL, "SELECT COUNT(*) FROM rating_objection WHERE case_id = ? AND upheld IS NULL",
                             "i", case_id);
    int64_t b = a < 0 ? -1
                      : db_query_int(db, e, NULL,
                                     "SELECT COUNT(*) FROM rating_objection WHERE case_id = ? AND upheld = 1 AND reviewed = 0",
                                     "i", case_id);
    if (b < 0)
        return -1;
    *open = (int)a;
    *upheld = (int)b;
    return 0;
}
