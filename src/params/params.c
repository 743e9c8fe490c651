/* params.c — dated policy parameters in table `param`: reading the set in force, and adding a
 * new version (params.h); the module is its own store. */
#include "params/params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/parse.h"

/* For each key, the version in force of the nearest level that sets it (JURISDICTION_LEVELS_SQL), and
 * the code of the level that set it. */
#define IN_FORCE_ROWS                                                                                             \
    "SELECT key, value, unit, basis, certainty, description, valid_from, valid_to, set_by FROM (SELECT p.key, "   \
    "p.value, p.unit, p.basis, p.certainty, p.description, p.valid_from, p.valid_to, p.district_code AS set_by, " \
    "ROW_NUMBER() OVER (PARTITION BY p.key ORDER BY l.distance, p.valid_from DESC) AS nearest FROM param p JOIN " \
    JURISDICTION_LEVELS_SQL " l ON l.code = p.district_code WHERE p.valid_from <= ? AND (p.valid_to IS NULL OR "  \
    "p.valid_to >= ?)) v WHERE nearest = 1"

/* In key order (params_load keeps them so); and for the list, with the level and name of the
 * division that set each version. */
#define IN_FORCE_SQL IN_FORCE_ROWS " ORDER BY key"
#define IN_FORCE_NAMED_SQL                                                                                        \
    "SELECT v.*, COALESCE(j.level, 'district'), COALESCE(j.name, '') FROM (" IN_FORCE_ROWS ") v "                  \
    "LEFT JOIN jurisdiction j ON j.code = v.set_by ORDER BY v.key"

/* sql (IN_FORCE_SQL or IN_FORCE_NAMED_SQL) prepared for the district on date. */
static int prepare_in_force(struct db *db, const char *sql, const char *district, const char *date,
                            struct db_stmt **st, struct err *e)
{
    if (db_prepare(db, sql, st, e) < 0)
        return -1;
    db_bind_text(*st, 1, district);
    db_bind_text(*st, 2, district);
    db_bind_text(*st, 3, date);
    db_bind_text(*st, 4, date);
    return 0;
}

int params_load(struct db *db, const char *district, const char *date, struct params *out, struct err *e)
{
    struct db_stmt *st;
    memset(out, 0, sizeof *out);
    snprintf(out->date, sizeof out->date, "%s", date);
    if (prepare_in_force(db, IN_FORCE_SQL, district, date, &st, e) < 0)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (out->count == PARAMS_MAX) {
            db_finalize(st);
            return err_set(e, 500, "params_overflow", "", "参数数量超过上限 %d", PARAMS_MAX);
        }
        struct param_value *v = &out->items[out->count++];
        db_scan(st, DB_TEXT(v->key), DB_TEXT(v->value));
        parse_copy_text(v->basis, sizeof v->basis, db_col_text(st, 3)); /* a long basis is cut whole characters */
        if (parse_double(v->value, &v->number) < 0)
            v->number = NAN;
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

static const struct param_value *find(const struct params *p, const char *key)
{
    int lo = 0, hi = p->count - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = strcmp(p->items[mid].key, key);
        if (c == 0)
            return &p->items[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

int params_num(const struct params *p, const char *key, double *out, struct err *e)
{
    const struct param_value *v = find(p, key);
    if (!v || isnan(v->number))
        return err_set(e, 500, "param_missing", key, "参数 %s 在 %s 没有有效的数值", key, p->date);
    *out = v->number;
    return 0;
}

double params_num_or(const struct params *p, const char *key, double fallback)
{
    const struct param_value *v = find(p, key);
    return v && !isnan(v->number) ? v->number : fallback;
}

const char *params_basis(const struct params *p, const char *key)
{
    const struct param_value *v = find(p, key);
    return v ? v->basis : "";
}

int params_get(struct db *db, const char *district, const char *key, const char *date, double *out,
               struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(db, "SELECT " PARAMS_VALUE_SQL, &st, e) < 0)
        return -1;
    db_bind_text(st, 1, district);
    db_bind_text(st, 2, district);
    db_bind_text(st, 3, key);
    db_bind_text(st, 4, date);
    db_bind_text(st, 5, date);
    int rc = db_step(st, e);
    int result = -1;
    if (rc == DB_ROW && db_col_is_null(st, 0)) { /* the subquery found no row in force */
        err_set(e, 500, "param_missing", key, "参数 %s 在 %s 没有有效值", key, date);
    } else if (rc == DB_ROW) {
        if (parse_double(db_col_text(st, 0), out) == 0)
            result = 0;
        else
            err_set(e, 500, "param_not_numeric", key, "参数 %s 的值不是数值", key);
    }
    db_finalize(st);
    return result;
}

static json_t *param_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:{s:s, s:s, s:s}}", "key", db_col_text(st, 0),
                     "value", db_col_text(st, 1), "unit", db_col_text(st, 2), "basis", db_col_text(st, 3),
                     "certainty", db_col_text(st, 4), "description", db_col_text(st, 5), "valid_from",
                     db_col_text(st, 6), "valid_to", db_col_text(st, 7), "set_by", "code", db_col_text(st, 8),
                     "level", db_col_text(st, 9), "name", db_col_text(st, 10));
}

int params_list_json(struct db *db, const char *district, const char *date, json_t **items, struct err *e)
{
    struct db_stmt *st;
    if (prepare_in_force(db, IN_FORCE_NAMED_SQL, district, date, &st, e) < 0)
        return -1;
    return db_rows_json(st, e, param_row, NULL, items);
}

int params_version_on(struct db *db, const char *district, const char *key, const char *date, struct param_version *out,
                      struct err *e)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st =
        db_query(db, e,
                 "SELECT p.id, p.value, p.unit, p.description, p.valid_from, p.district_code FROM param p JOIN "
                 JURISDICTION_LEVELS_SQL " l ON l.code = p.district_code WHERE p.key = ? AND p.valid_from <= ? "
                 "AND (p.valid_to IS NULL OR p.valid_to >= ?) ORDER BY l.distance, p.valid_from DESC LIMIT 1",
                 "ttttt", district, district, key, date, date);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_scan(st, DB_I64(&out->id), DB_TEXT(out->value), DB_TEXT(out->unit), DB_TEXT(out->description),
                DB_TEXT(out->valid_from), DB_TEXT(out->district_code));
        db_finalize(st);
    }
    return found;
}

int params_target(struct db *db, const char *district, const char *key, struct param_target *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_query(
        db, e,
        "SELECT p.value, p.basis, p.description, COALESCE(p.valid_to, '') FROM param p JOIN " JURISDICTION_LEVELS_SQL
        " l ON l.code = p.district_code WHERE p.key = ? "
        "ORDER BY l.distance, p.valid_from DESC LIMIT 1",
        "ttt", district, district, key);
    int found = db_first_row(st, e);
    if (found == 1) {
        const char *value = db_col_text(st, 0);
        if (parse_double(value, &out->value) < 0) {
            err_set(e, 500, "param_not_number", key, "参数 %s 不是数值：%s", key, value);
            db_finalize(st);
            return -1;
        }
        db_scan_from(st, 1, DB_TEXT(out->basis), DB_TEXT(out->description), DB_TEXT(out->by));
        db_finalize(st);
    }
    return found;
}

int params_add_version(struct db *db, const char *district, const struct param_version *prev, const char *key,
                       const char *value, const char *from, const char *basis, struct err *e)
{
    char day_before[11];
    date_add_days(from, -1, day_before);
    int own = strcmp(prev->district_code, district) == 0;
    if ((own && db_run(db, e, "UPDATE param SET valid_to = ? WHERE id = ?", "ti", day_before, prev->id) < 0) ||
        db_run(db, e,
               "INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, "
               "valid_to) VALUES (?,?,?,?,?,'LOCAL',?,?,NULL)",
               "ttttttt", district, key, value, prev->unit, basis, prev->description, from) < 0)
        return -1;
    return 0;
}

int params_copy_open(struct db *db, const char *from, const char *to, const char *before, const char *after,
                     struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, "
                    "valid_to) SELECT ?, key, value, unit, ? || basis || ?, certainty, description, valid_from, NULL "
                    "FROM param WHERE district_code = ? AND valid_to IS NULL",
                    "tttt", to, before, after, from);
}
