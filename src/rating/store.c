/* store.c — SQL of the assessment schemes (store.h). A scheme is read once as JSON (what the API
 * shows) and the engine's struct is built from that same JSON, so the two never disagree. */
#include "rating/store.h"

#include <string.h>

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
