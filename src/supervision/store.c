/* store.c — the dashboard's SQL (store.h). */
#include "supervision/store.h"

#include <stdio.h>
#include <string.h>

#include "registry/store.h"

int supervision_towns(struct db *db, const char *district, const char *town, struct town_totals *out, int max,
                      int *n, struct err *e)
{
    *n = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT code, name, population FROM town WHERE district_code = ? "
                                  "AND (CAST(? AS TEXT) IS NULL OR code = ?) ORDER BY code",
                                  "ttt", district, town, town);
    if (!st)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max) {
        struct town_totals *t = &out[(*n)++];
        memset(t, 0, sizeof *t);
        snprintf(t->code, sizeof t->code, "%s", db_col_text(st, 0));
        snprintf(t->name, sizeof t->name, "%s", db_col_text(st, 1));
        t->residents = db_col_int64(st, 2);
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int supervision_institutions(struct db *db, const char *district, const char *town, struct institution **list,
                             int *n, struct err *e)
{
    struct registry_filter f = {.town = town, .open_only = 1, .inclusive = -1};
    return registry_load_filtered(db, district, &f, list, n, e);
}

int supervision_latest_coverage(struct db *db, const char *district, json_t **result, char computed_at[40],
                                struct err *e)
{
    *result = NULL;
    computed_at[0] = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT result, computed_at FROM planning_result WHERE district_code = ? "
                                  "AND kind = 'coverage' ORDER BY computed_at DESC LIMIT 1",
                                  "t", district);
    int rc = db_first_row(st, e);
    if (rc > 0) {
        *result = json_loads(db_col_text(st, 0), 0, NULL);
        snprintf(computed_at, 40, "%s", db_col_text(st, 1));
        db_finalize(st);
    }
    return rc < 0 ? -1 : 0;
}
