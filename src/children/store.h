/* store.h — SQL for children's records and their growth measurements. Personal fields are sealed
 * with the app key on the way in (name, ID number, with a keyed lookup hash of the number for
 * uniqueness) and opened on the way out; the masked copies are stored beside them. All functions
 * run on the caller's connection; writers expect the caller to hold a transaction (and to write
 * the audit row in it). */
#ifndef TUOYU_CHILDREN_STORE_H
#define TUOYU_CHILDREN_STORE_H

#include "auth/auth.h"
#include "base/crypt.h"
#include "children/children.h"
#include "db/db.h"

/* The child id of the district, with its institution's town; 0, or -1 with e = 404 not_found. */
int children_load(struct db *db, const struct crypt_key *key, const char *district, int64_t id, struct child *out,
                  struct err *e);
/* The children of the district inside scope (built over "i.town_code", "c.institution_id",
 * "c.family_user_id") with an id above after_id, in id order: at most max into out, *n of them. */
int children_page(struct db *db, const struct crypt_key *key, const char *district, const struct authz_scope *scope,
                  int64_t after_id, int max, struct child *out, int *n, struct err *e);
/* Insert c (institution_id or family_user_id set) and set c->id. The plain ID number is wiped from
 * c once sealed. 409 child_exists when the number is already registered. */
int children_insert(struct db *db, const struct crypt_key *key, const char *district, struct child *c,
                    const char *now_ts, struct err *e);
/* Insert a measurement of child_id taken by user measured_by, and set m->id. */
int children_insert_measurement(struct db *db, const char *district, int64_t child_id, struct measurement *m,
                                int64_t measured_by, const char *now_ts, struct err *e);
/* Every measurement of child_id, by date; *out is malloc'd (free it, also when *n is 0). */
int children_measurements(struct db *db, int64_t child_id, struct measurement **out, int *n, struct err *e);

#endif
