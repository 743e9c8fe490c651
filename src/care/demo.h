/* demo.h — demonstration daily care for `tuoyu demo` (see demo.c). */
#ifndef TUOYU_CARE_DEMO_H
#define TUOYU_CARE_DEMO_H

#include <stdint.h>

#include "base/crypt.h"
#include "db/db.h"

/* The daily care of the n children of institution_id (their consent already recorded), in the
 * caller's transaction: each placed in the institution's first class a month before today with
 * passed entry checks and a pick-up person, and `days` days (at most 30) of weekday attendance
 * and 晨检 up to today, recorded by operator. The first `fevers` children (at most three) have a fever
 * at the morning check, one a weekday, on consecutive weekdays back from the latest Wednesday to
 * Friday, and are sent home: a child with a family account gets the guardian's notice in its
 * inbox (care_check_notify, as the check route posts it), and the outbreak engine runs after each
 * (three in one class raise its alert). Seeded by seed. 0 or -1 with e. */
int care_demo_institution(struct db *db, const struct crypt_key *key, const char *district, int64_t institution_id,
                          const int64_t *children, int n, int64_t operator_id, int days, int fevers, uint64_t seed,
                          const char *today, const char *now_ts, struct err *e);

#endif
