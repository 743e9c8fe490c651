/* demo.h — demonstration daily care for `tuoyu demo` (see demo.c). */
#ifndef TUOYU_CARE_DEMO_H
#define TUOYU_CARE_DEMO_H

#include <stdint.h>

#include "base/crypt.h"
#include "db/db.h"

/* The daily care of the n children of institution_id (their consent already recorded), in the
 * caller's transaction: each placed in the institution's first class a month before today with
 * passed entry checks and a pick-up person, and `days` days (at most 30) of weekday attendance
 * and 晨检 up to today, recorded by operator. With fever_cluster, three of them get a fever on the last three
 * weekdays and the outbreak engine raises its alert. Seeded by seed. 0 or -1 with e. */
int care_demo_institution(struct db *db, const struct crypt_key *key, const char *district, int64_t institution_id,
                          const int64_t *children, int n, int64_t operator_id, int days, int fever_cluster, uint64_t seed,
                          const char *today, const char *now_ts, struct err *e);

#endif
