/* app_key.h — the personal-data key file and the database belong together. The database records
 * which key its sealed fields were written under as a key check value (table key_check,
 * migration 012; crypt_key_check), never the key. Every command that opens the database with
 * a key (app_open) binds the two here:
 *   - a stored check value must equal the key's, else the start is refused (key_mismatch);
 *   - a database without one (made before migration 012) gets it only after every sealed value
 *     in it opened under the key and every ID lookup hash was recomputed equal (back-fill);
 *     one that has sealed values the key cannot open is refused (key_mismatch, or key_mixed
 *     when some open and some do not: data was already written under two keys);
 *   - a database with nothing sealed gets the check value of the key at once;
 *   - without a key file, a new key is created only for a database that holds no check value
 *     and nothing sealed; otherwise the start is refused (key_missing), because a fresh key
 *     would make every sealed field unreadable and let the same ID number be registered twice.
 * The refusals (status 409) carry one message in Chinese and English naming the key file;
 * commands exit 2 for them (app_open_failed). */
#ifndef TUOYU_APP_KEY_H
#define TUOYU_APP_KEY_H

#include "base/crypt.h"
#include "db/db.h"

/* k holds the key read from key_path when loaded is 1; when 0 there is no file at key_path.
 * Create the key when allowed (see above) and bind it to db. Writes the check value when
 * missing. 0 or -1. */
int app_key_bind(struct db *db, struct crypt_key *k, int loaded, const char *key_path, struct err *e);

/* Compare k with a stored check value (hex texts, e.g. read from a backup archive): 0 when
 * they match, else -1 with the key_mismatch error naming key_path. */
int app_key_compare(const struct crypt_key *k, const char *enc_check, const char *lookup_check, const char *key_path,
                    struct err *e);

/* 1 when e is one of the refusals above (the command exits 2), else 0. */
int app_key_refusal(const struct err *e);

#endif
