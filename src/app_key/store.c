/* store.c — the key check value and the scan of sealed values (store.h). */
#include "app_key/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int app_key_store_read_check(struct db *db, char enc[CRYPT_LOOKUP_HEX_LEN], char lookup[CRYPT_LOOKUP_HEX_LEN],
                             struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT enc_check, lookup_check FROM key_check WHERE id = 1", NULL);
    int rc = db_first_row(st, e);
    if (rc > 0) {
        db_col_copy(st, 0, enc, CRYPT_LOOKUP_HEX_LEN);
        db_col_copy(st, 1, lookup, CRYPT_LOOKUP_HEX_LEN);
        db_finalize(st);
    }
    return rc;
}

int app_key_store_write_check(struct db *db, const struct crypt_key_check *k, struct err *e)
{
    int64_t n = db_run(db, e,
                       "INSERT INTO key_check (id, enc_check, lookup_check) VALUES (1, ?, ?) "
                       "ON CONFLICT (id) DO NOTHING",
                       "tt", k->enc, k->lookup);
    return n < 0 ? -1 : 0;
}

int app_key_store_holds_sealed(struct db *db, struct err *e)
{
    int64_t held = db_query_int(db, e, NULL,
                                "SELECT CASE WHEN EXISTS (SELECT 1 FROM key_check) OR EXISTS (SELECT 1 FROM child) "
                                "OR EXISTS (SELECT 1 FROM app_user WHERE totp_secret IS NOT NULL) THEN 1 ELSE 0 END",
                                NULL);
    return held < 0 ? -1 : held == 1;
}

static int opens(const struct crypt_key *k, const char *sealed, char *out, size_t n)
{
    struct err ignored = {0};
    return sealed && crypt_open(k, sealed, out, n, &ignored) == 0;
}

int app_key_store_scan_sealed(struct db *db, const struct crypt_key *k, int64_t *total, int64_t *bad, struct err *e)
{
    *total = *bad = 0;
    char plain[1024], material[1100], lookup[CRYPT_LOOKUP_HEX_LEN];
    struct db_stmt *st = db_query(db, e, "SELECT id_kind, name_sealed, id_sealed, id_lookup FROM child", NULL);
    if (!st)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        int ok = opens(k, db_col_text(st, 1), plain, sizeof plain) && opens(k, db_col_text(st, 2), plain, sizeof plain);
        if (ok) {
            snprintf(material, sizeof material, "%s:%s", db_col_text(st, 0) ? db_col_text(st, 0) : "", plain);
            ok = crypt_lookup_hash(k, material, lookup) == 0 && db_col_text(st, 3) &&
                 strcmp(lookup, db_col_text(st, 3)) == 0;
        }
        ++*total;
        *bad += !ok;
    }
    db_finalize(st);
    if (rc >= 0) {
        st = db_query(db, e, "SELECT totp_secret FROM app_user WHERE totp_secret IS NOT NULL", NULL);
        rc = st ? 0 : -1;
        while (st && (rc = db_step(st, e)) == DB_ROW) {
            ++*total;
            *bad += !opens(k, db_col_text(st, 0), plain, sizeof plain);
        }
        db_finalize(st);
    }
    sodium_memzero(plain, sizeof plain);
    sodium_memzero(material, sizeof material);
    return rc < 0 ? -1 : 0;
}
