/* store.c — SQL of towns' population by year (store.h). */
#include "population/store.h"

#include <stdio.h>
#include <string.h>

int population_store_towns(struct db *db, const char *district, char (*codes)[16], int max, int *n, struct err *e)
{
    *n = 0;
    struct db_stmt *st = db_query(db, e, "SELECT code FROM town WHERE district_code = ? ORDER BY code", "t", district);
    int rc = st ? 0 : -1;
    while (st && *n < max && (rc = db_step(st, e)) == DB_ROW)
        db_col_copy(st, 0, codes[(*n)++], 16);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int population_store_years(struct db *db, const char *district, json_t **years, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT DISTINCT year FROM town_population WHERE district_code = ? ORDER BY year DESC",
                                  "t", district);
    *years = json_array();
    int rc = st ? 0 : -1;
    while (st && (rc = db_step(st, e)) == DB_ROW)
        json_array_append_new(*years, json_integer(db_col_int64(st, 0)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(*years);
        *years = NULL;
        return -1;
    }
    return 0;
}

static json_t *optional_count(struct db_stmt *st, int i)
{
    return db_col_is_null(st, i) ? json_null() : json_integer(db_col_int64(st, i));
}

static json_t *year_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "town_code", db_col_text(st, 0), "town_name",
                     db_col_text(st, 1), "residents", optional_count(st, 2), "under3", optional_count(st, 3), "births",
                     optional_count(st, 4), "source", db_col_json_text(st, 5), "updated_at", db_col_json_text(st, 6));
}

int population_store_year(struct db *db, const char *district, const char *scope_sql,
                          const struct db_params *scope_params, int year, json_t **rows, struct err *e)
{
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT t.code, t.name, p.residents, p.under3, p.births, p.source, p.updated_at FROM town t LEFT JOIN "
        "town_population p ON p.town_code = t.code AND p.year = ? WHERE t.district_code = ? AND %s ORDER BY t.code",
        scope_sql, scope_params, -1, "it", (int64_t)year, district);
    return db_rows_json(st, e, year_row, NULL, rows);
}

int population_store_put(struct db *db, const char *district, int year, const struct population_row *rows, int n,
                         const char *source, int64_t user_id, const char *now_ts, struct err *e)
{
    for (int i = 0; i < n; i++) {
        const struct population_row *r = &rows[i];
        if (db_run(db, e, "DELETE FROM town_population WHERE town_code = ? AND year = ?", "ti", r->town_code,
                   (int64_t)year) < 0)
            return -1;
        struct db_stmt *st;
        if (db_prepare(db,
                       "INSERT INTO town_population (district_code, town_code, year, residents, under3, births, source, "
                       "updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       &st, e) < 0)
            return -1;
        db_bind_text(st, 1, district);
        db_bind_text(st, 2, r->town_code);
        db_bind_int64(st, 3, year);
        db_bind_int64(st, 4, r->residents);
        if (r->under3 < 0)
            db_bind_null(st, 5);
        else
            db_bind_int64(st, 5, r->under3);
        if (r->births < 0)
            db_bind_null(st, 6);
        else
            db_bind_int64(st, 6, r->births);
        db_bind_text(st, 7, source);
        db_bind_id_or_null(st, 8, user_id);
        db_bind_text(st, 9, now_ts);
        int rc = db_step(st, e);
        db_finalize(st);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int population_store_residents(struct db *db, const char *district, int year, int64_t *out, struct err *e)
{
    int64_t n = db_query_int(db, e, NULL,
                             "SELECT COALESCE(SUM(residents), 0) FROM town_population WHERE district_code = ? AND year = ?",
                             "ti", district, (int64_t)year);
    if (n < 0)
        return -1;
    *out = n;
    return 0;
}
