/* store.c — the dashboard's SQL (store.h). */
#include "supervision/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jurisdiction/jurisdiction.h"
#include "registry/store.h"

int supervision_towns(struct db *db, const char *district, const char *town, int year, struct town_totals *out, int max,
                      int *n, struct err *e)
{
    *n = 0;
    /* each town's latest figures not after year (src/population/) */
    struct db_stmt *st = db_query(db, e,
                                  "SELECT t.code, t.name, p.residents, p.year FROM town t LEFT JOIN town_population p ON "
                                  "p.town_code = t.code AND p.year = (SELECT MAX(q.year) FROM town_population q WHERE "
                                  "q.town_code = t.code AND q.year <= ?) WHERE t.district_code = ? "
                                  "AND (CAST(? AS TEXT) IS NULL OR t.code = ?) ORDER BY t.code",
                                  "ittt", (int64_t)year, district, town, town);
    if (!st)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max) {
        struct town_totals *t = &out[(*n)++];
        memset(t, 0, sizeof *t);
        db_scan(st, DB_TEXT(t->code), DB_TEXT(t->name), DB_I64(&t->residents), DB_INT(&t->population_year));
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int supervision_institutions(struct db *db, const char *district, const char *town, const char *today,
                             struct institution **list,
                             int *n, struct err *e)
{
    struct registry_filter f = {.town = town, .open_only = 1, .inclusive = -1, .day = today};
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
        db_col_copy(st, 1, computed_at, 40);
        db_finalize(st);
    }
    return rc < 0 ? -1 : 0;
}

int supervision_filing_figures(struct db *db, const char *district, const char *town, const char *today,
                               struct filing_figures *out, struct err *e)
{
    char year_start[11];
    snprintf(year_start, sizeof year_start, "%.4s-01-01", today);
    out->submitted_open = db_query_int(db, e, NULL,
                                       "SELECT COUNT(*) FROM case_file WHERE district_code = ? AND process = 'filing' "
                                       "AND state <> 'draft' AND closed_at IS NULL "
                                       "AND (CAST(? AS TEXT) IS NULL OR town_code = ?)",
                                       "ttt", district, town, town);
    out->receipts_overdue = db_query_int(db, e, NULL,
                                         "SELECT COUNT(*) FROM case_task t JOIN case_file c ON c.id = t.case_id "
                                         "WHERE t.district_code = ? AND t.state = 'open' AND t.step = 'receipt' "
                                         "AND c.process = 'filing' AND t.due_on < ? "
                                         "AND (CAST(? AS TEXT) IS NULL OR t.town_code = ?)",
                                         "tttt", district, today, town, town);
    out->filed_this_year = db_query_int(db, e, NULL,
                                        "SELECT COUNT(*) FROM institution_filing f "
                                        "JOIN institution i ON i.id = f.institution_id "
                                        "WHERE f.district_code = ? AND f.filed_on >= ? AND f.filed_on <= ? "
                                        "AND (CAST(? AS TEXT) IS NULL OR i.town_code = ?)",
                                        "ttttt", district, year_start, today, town, town);
    return out->submitted_open < 0 || out->receipts_overdue < 0 || out->filed_this_year < 0 ? -1 : 0;
}

int supervision_store_snapshot_taken(struct db *db, const char *district, const char *month, struct err *e)
{
    int found = 0;
    if (db_query_int(db, e, &found, "SELECT 1 FROM indicator_snapshot WHERE district_code = ? AND month = ? LIMIT 1",
                     "tt", district, month) < 0)
        return -1;
    return found;
}

int supervision_store_snapshot_put(struct db *db, const char *district, const char *month,
                                   const struct town_totals *t, const char *now_ts, struct err *e)
{
    /* a snapshot another process took first stays */
    return db_write(db, e,
                    "INSERT INTO indicator_snapshot (district_code, month, town_code, institutions, inclusive_institutions, "
                    "places, inclusive_places, residents, population_year, open_findings, taken_at) VALUES (?, ?, ?, ?, ?, "
                    "?, ?, ?, ?, ?, ?) ON CONFLICT (district_code, month, town_code) DO NOTHING",
                    "tttiiiiiIit", district, month, t->code, (int64_t)t->institutions, (int64_t)t->inclusive_institutions,
                    t->places, t->inclusive_places, t->residents, (int64_t)t->population_year, (int64_t)t->open_findings,
                    now_ts);
}

int supervision_store_trend(struct db *db, const char *district, const char *town, const char *month, int max,
                            struct town_totals *sums, char (*months)[8], int *n, struct err *e)
{
    *n = 0;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT month, SUM(institutions), SUM(places), SUM(inclusive_places), SUM(residents), "
                                  "SUM(open_findings) FROM indicator_snapshot WHERE district_code = ? AND month <= ? "
                                  "AND (CAST(? AS TEXT) IS NULL OR town_code = ?) GROUP BY month ORDER BY month DESC "
                                  "LIMIT ?",
                                  "tttti", district, month, town, town, (int64_t)max);
    int rc = st ? 0 : -1;
    while (st && *n < max && (rc = db_step(st, e)) == DB_ROW) {
        db_col_copy(st, 0, months[*n], 8);
        sums[(*n)++] = (struct town_totals){.institutions = (int)db_col_int64(st, 1), .places = db_col_int64(st, 2),
                                            .inclusive_places = db_col_int64(st, 3), .residents = db_col_int64(st, 4),
                                            .open_findings = (int)db_col_int64(st, 5)};
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int supervision_store_heads(struct db *db, const char *district, const char *town, int64_t institution_id,
                            struct scan_head **out, int *n, int64_t params_stamp[2], struct err *e)
{
    *out = NULL;
    *n = 0;
    /* the parameters change only by a new dated row (params.c closes the old one and inserts) */
    if (db_query_counts(db, e, params_stamp, 2,
                        "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM param p JOIN " JURISDICTION_LEVELS_SQL
                        " l ON l.code = p.district_code", "tt", district, district) < 0)
        return -1;
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, name, town_code, findings_stamp FROM institution WHERE district_code = ? "
                                  "AND status <> 'closed' AND (CAST(? AS TEXT) IS NULL OR town_code = ?) "
                                  "AND (? = 0 OR id = ?) ORDER BY id",
                                  "tttii", district, town, town, institution_id, institution_id);
    if (!st)
        return -1;
    int rc, cap = 0;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            struct scan_head *grown = realloc(*out, (size_t)cap * sizeof **out);
            if (!grown) {
                rc = err_set(e, 500, "oom", "", "内存不足");
                break;
            }
            *out = grown;
        }
        struct scan_head *h = &(*out)[(*n)++];
        db_scan(st, DB_I64(&h->id), DB_TEXT(h->name), DB_TEXT(h->town_code), DB_I64(&h->stamp));
    }
    db_finalize(st);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int supervision_store_region_stamps(struct db *db, const char *code, int64_t out[5], struct err *e)
{
    return db_query_counts(db, e, out, 5,
                           /* the districts below code, and the stamps of code, the districts below it
                            * and the levels above it (their parameters are the districts' targets) */
                           "SELECT COUNT(*), SUM(findings_stamp), SUM(public_stamp), SUM(id), (SELECT SUM(s.n) FROM "
                           "supervision_stamp s WHERE s.district_code IN (SELECT code FROM jurisdiction_ancestor "
                           "WHERE ancestor = ?) OR s.district_code IN (SELECT ancestor FROM jurisdiction_ancestor "
                           "WHERE code = ?)) FROM institution WHERE district_code IN (SELECT code FROM "
                           "jurisdiction_ancestor WHERE ancestor = ?)",
                           "ttt", code, code, code);
}

int supervision_store_stamps(struct db *db, const char *district, int64_t out[5], struct err *e)
{
    return db_query_counts(db, e, out, 5,
                           /* the district's stamp and those above it, where a parameter set for
                            * the city or the province moves its level's stamp */
                           "SELECT COUNT(*), SUM(findings_stamp), SUM(public_stamp), SUM(id), (SELECT SUM(s.n) FROM "
                           "supervision_stamp s JOIN " JURISDICTION_LEVELS_SQL " l ON l.code = s.district_code) "
                           "FROM institution WHERE district_code = ?",
                           "ttt", district, district, district);
}

static void district_stamps_row(struct db_stmt *st, void *item)
{
    struct district_stamps *d = item;
    db_col_copy(st, 0, d->code, sizeof d->code);
    for (int i = 0; i < 5; i++)
        d->s[i] = db_col_int64(st, i + 1);
}

int supervision_store_district_stamps(struct db *db, const char *code, struct district_stamps **out, int *n,
                                      struct err *e)
{
    size_t count = 0;
    void *rows = NULL;
    int rc = db_rows(db_query(db, e,
                              /* aggregated apart and joined (not a subquery per district: PostgreSQL's
                               * generic plan ran that one 90 times over, 130 ms) */
                              "WITH below AS (SELECT d.code FROM jurisdiction_ancestor d JOIN jurisdiction j "
                              "ON j.code = d.code AND j.level = 'district' WHERE d.ancestor = ?), "
                              "inst AS (SELECT district_code, COUNT(*) AS n, SUM(findings_stamp) AS f, "
                              "SUM(public_stamp) AS p, SUM(id) AS ids FROM institution WHERE district_code IN "
                              "(SELECT code FROM below) GROUP BY district_code), "
                              "sup AS (SELECT l.code, SUM(s.n) AS n FROM jurisdiction_ancestor l JOIN supervision_stamp s "
                              "ON s.district_code = l.ancestor WHERE l.code IN (SELECT code FROM below) GROUP BY l.code) "
                              "SELECT b.code, COALESCE(inst.n, 0), COALESCE(inst.f, 0), COALESCE(inst.p, 0), "
                              "COALESCE(inst.ids, 0), COALESCE(sup.n, 0) FROM below b LEFT JOIN inst ON "
                              "inst.district_code = b.code LEFT JOIN sup ON sup.code = b.code ORDER BY b.code",
                              "t", code),
                     e, sizeof **out, district_stamps_row, &rows, &count);
    *out = rows;
    *n = (int)count;
    return rc;
}
