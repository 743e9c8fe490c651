/* store.c — SQL of the data exchange's feed (store.h). */
#include "exchange/store.h"

#include <stdlib.h>
#include <string.h>

#include "exchange/exchange.h"

/* An institution's published fingerprint. */
struct published {
    int64_t institution_id;
    char hash[EXCHANGE_HASH_LEN];
};

static void published_row(struct db_stmt *st, void *item)
{
    struct published *p = item;
    db_scan(st, DB_I64(&p->institution_id), DB_TEXT(p->hash));
}

static int by_institution(const void *key, const void *item)
{
    int64_t a = *(const int64_t *)key, b = ((const struct published *)item)->institution_id;
    return (a > b) - (a < b);
}

int exchange_store_refresh(struct db *db, const char *district, const json_t *records, const char *now_ts,
                           struct err *e)
{
    /* the counter row first: on PostgreSQL the UPDATE holds its lock to the end of the transaction */
    if (db_run(db, e, "INSERT INTO exchange_counter (district_code, last_seq) VALUES (?, 0) ON CONFLICT DO NOTHING",
               "t", district) < 0 ||
        db_run(db, e, "UPDATE exchange_counter SET last_seq = last_seq WHERE district_code = ?", "t", district) < 0)
        return -1;
    int64_t seq = db_query_int(db, e, NULL, "SELECT last_seq FROM exchange_counter WHERE district_code = ?", "t",
                               district);
    struct published *pub = NULL;
    size_t npub = 0;
    if (seq < 0 || db_rows(db_query(db, e,
                                    "SELECT institution_id, record_hash FROM exchange_institution "
                                    "WHERE district_code = ? ORDER BY institution_id",
                                    "t", district),
                           e, sizeof *pub, published_row, (void **)&pub, &npub) < 0)
        return -1;
    int64_t first = seq;
    size_t i;
    json_t *r;
    int failed = 0;
    json_array_foreach(records, i, r)
    {
        int64_t id = json_integer_value(json_object_get(r, "id"));
        char hash[EXCHANGE_HASH_LEN];
        exchange_record_hash(r, hash);
        const struct published *p = npub ? bsearch(&id, pub, npub, sizeof *pub, by_institution) : NULL;
        if (p && strcmp(p->hash, hash) == 0)
            continue;
        if ((failed = db_run(db, e,
                             "INSERT INTO exchange_institution (district_code, institution_id, record_hash, seq, "
                             "changed_at) VALUES (?,?,?,?,?) ON CONFLICT (district_code, institution_id) DO UPDATE SET "
                             "record_hash = excluded.record_hash, seq = excluded.seq, changed_at = excluded.changed_at",
                             "titit", district, id, hash, ++seq, now_ts) < 0))
            break;
    }
    free(pub);
    if (failed || (seq != first && db_run(db, e, "UPDATE exchange_counter SET last_seq = ? WHERE district_code = ?",
                                          "it", seq, district) < 0))
        return -1;
    return 0;
}

static json_t *change_json(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:I, s:o}", "institution_id", (json_int_t)db_col_int64(st, 0), "seq",
                     (json_int_t)db_col_int64(st, 1), "changed_at", db_col_json_text(st, 2));
}

int exchange_store_changes(struct db *db, const char *district, int64_t after_seq, const char *since, int limit,
                           json_t **rows, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT institution_id, seq, changed_at FROM exchange_institution "
                                 "WHERE district_code = ? AND seq > ? AND (? = '' OR changed_at >= ?) "
                                 "ORDER BY seq LIMIT ?",
                                 "titti", district, after_seq, since, since, (int64_t)limit),
                        e, change_json, NULL, rows);
}

int exchange_store_find(struct db *db, const char *district, const char *source, const char *kind,
                        const char *external_id, const char *uscc, int64_t *id, struct err *e)
{
    int found = 0;
    *id = db_query_int(db, e, &found,
                       "SELECT local_id FROM external_ref WHERE district_code = ? AND source = ? AND kind = ? "
                       "AND external_id = ?",
                       "tttt", district, source, kind, external_id);
    if (*id < 0)
        return -1;
    if (found || !uscc || !uscc[0])
        return found;
    *id = db_query_int(db, e, &found, "SELECT id FROM institution WHERE district_code = ? AND uscc = ?", "tt",
                       district, uscc);
    return *id < 0 ? -1 : found;
}

int exchange_store_link(struct db *db, const char *district, const char *source, const char *kind,
                        const char *external_id, int64_t local_id, const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO external_ref (district_code, source, kind, external_id, local_id, created_at) "
                    "VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                    "ttttit", district, source, kind, external_id, local_id, now_ts);
}
