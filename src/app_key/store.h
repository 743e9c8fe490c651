/* store.h — the SQL behind app_key.c: the database's key check value (table key_check)
 * and the sealed values a key must open (children's names and ID numbers, TOTP secrets). */
#ifndef TUOYU_APP_KEY_STORE_H
#define TUOYU_APP_KEY_STORE_H

#include "base/crypt.h"
#include "db/db.h"

/* The stored check value: 1 found (enc, lookup filled), 0 none, -1 error. */
int app_key_store_read_check(struct db *db, char enc[CRYPT_LOOKUP_HEX_LEN], char lookup[CRYPT_LOOKUP_HEX_LEN],
                             struct err *e);
/* Store k's check value unless one is there already. 0 or -1. */
int app_key_store_write_check(struct db *db, const struct crypt_key_check *k, struct err *e);
/* 1 when the database holds a check value or any sealed field, 0 when not, -1 error. */
int app_key_store_holds_sealed(struct db *db, struct err *e);
/* Open every sealed value under k: children's names and ID numbers (with the ID lookup hash
 * recomputed as children/store.c makes it, "<id_kind>:<number>", which proves the lookup key) and
 * TOTP secrets. *total counts the rows, *bad those that do not open. 0 or -1. */
int app_key_store_scan_sealed(struct db *db, const struct crypt_key *k, int64_t *total, int64_t *bad, struct err *e);

#endif
