/* demo.h — demonstration staff for `tuoyu demo` (see demo.c). */
#ifndef TUOYU_STAFF_DEMO_H
#define TUOYU_STAFF_DEMO_H

#include <stdint.h>

#include "base/crypt.h"
#include "db/db.h"
#include "registry/registry.h"

/* Insert the demo roster of institution in (inserted, its classes with ids) in the caller's
 * transaction. serial numbers the people across the district (their ID numbers are unique by
 * it) and is advanced. 0 or -1 with e. */
int staff_demo_roster(struct db *db, const struct crypt_key *key, const char *district, const struct institution *in,
                      uint64_t seed, int *serial, const char *today, const char *now_ts, struct err *e);

/* Tell every demo institution's operators of their people's dated certificates
 * (staff_post_reminders), once the accounts exist. 0 or -1 with e. */
int staff_demo_reminders(struct db *db, const char *district, const char *today, const char *now_ts, struct err *e);

#endif
