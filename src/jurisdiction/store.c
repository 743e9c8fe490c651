/* store.c — SQL of the jurisdiction tree (store.h). */
#include <stdlib.h>
#include <string.h>

#include "jurisdiction/store.h"

/* A node from columns code, level, name, city code, city name, parent code starting at first. */
static void node_from_row(struct db_stmt *st, int first, struct jurisdiction_node *n)
{
    memset(n, 0, sizeof *n);
    db_col_copy(st, first, n->code, sizeof n->code);
    db_col_copy(st, first + 1, n->level, sizeof n->level);
    db_col_copy(st, first + 2, n->name, sizeof n->name);
    db_col_copy(st, first + 3, n->city_code, sizeof n->city_code);
    db_col_copy(st, first + 4, n->city_name, sizeof n->city_name);
    db_col_copy(st, first + 5, n->parent_code, sizeof n->parent_code);
}

#define NODE_COLUMNS                                                                                              \
    "j.code, j.level, j.name, CASE WHEN j.level = 'district' THEN c.code ELSE '' END, "                            \
    "CASE WHEN j.level = 'district' THEN c.name ELSE '' END, COALESCE(j.parent_code, '')"

int jurisdiction_store_get(struct db *db, const char *code, struct jurisdiction_node *out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT " NODE_COLUMNS " FROM jurisdiction j "
                                  "LEFT JOIN jurisdiction c ON c.code = j.parent_code WHERE j.code = ?",
                                  "t", code);
    int rc = db_first_row(st, e);
    if (rc == 1) {
        node_from_row(st, 0, out);
        db_finalize(st);
    }
    return rc;
}

int jurisdiction_store_reaches(struct db *db, const char *code, const char *district, struct err *e)
{
    int found = 0;
    int64_t one = db_query_int(db, e, &found,
                               "SELECT 1 FROM jurisdiction_ancestor a JOIN jurisdiction j ON j.code = a.code "
                               "WHERE a.ancestor = ? AND a.code = ? AND j.level = 'district'",
                               "tt", code, district);
    return one < 0 ? -1 : found;
}

int jurisdiction_store_districts(struct db *db, const char *code, struct jurisdiction_node **out, int *n,
                                 struct err *e)
{
    *out = NULL;
    *n = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT " NODE_COLUMNS " FROM jurisdiction_ancestor a "
                                  "JOIN jurisdiction j ON j.code = a.code AND j.level = 'district' "
                                  "LEFT JOIN jurisdiction c ON c.code = j.parent_code "
                                  "WHERE a.ancestor = ? ORDER BY j.code",
                                  "t", code);
    if (!st)
        return -1;
    int cap = 0, rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (*n == cap) {
            int grown_cap = cap ? cap * 2 : 16;
            struct jurisdiction_node *grown = realloc(*out, (size_t)grown_cap * sizeof *grown);
            if (!grown) {
                db_finalize(st);
                free(*out);
                *out = NULL;
                return err_set(e, 500, "oom", "", "内存不足");
            }
            *out = grown;
            cap = grown_cap;
        }
        node_from_row(st, 0, &(*out)[(*n)++]);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int jurisdiction_store_add_town(struct db *db, const char *code, const char *district, const char *name,
                                const char *kind, int64_t residents, int year, struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO town (code, district_code, name, kind, population, population_year) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    "ttttii", code, district, name, kind, residents, (int64_t)year);
}

static json_t *served_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:s, s:s, s:s}", "code", db_col_text(st, 0), "name", db_col_text(st, 1), "city_name",
                     db_col_text(st, 2));
}

int jurisdiction_store_served(struct db *db, json_t **out, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT j.code, j.name, COALESCE(c.name, '') FROM jurisdiction j "
                                 "LEFT JOIN jurisdiction c ON c.code = j.parent_code WHERE j.level = 'district' "
                                 "AND EXISTS (SELECT 1 FROM town t WHERE t.district_code = j.code) ORDER BY j.code",
                                 ""),
                        e, served_row, NULL, out);
}

int jurisdiction_store_top(struct db *db, const char *district, char out[16], struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT ancestor FROM jurisdiction_ancestor WHERE code = ? ORDER BY distance DESC LIMIT 1",
                                  "t", district);
    int rc = db_first_row(st, e);
    if (rc == 1) {
        db_col_copy(st, 0, out, 16);
        db_finalize(st);
    }
    return rc;
}
