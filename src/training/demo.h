/* demo.h — demonstration training for `tuoyu demo` (see demo.c). */
#ifndef TUOYU_TRAINING_DEMO_H
#define TUOYU_TRAINING_DEMO_H

#include "db/db.h"

/* After the demo staff exist, in the caller's transaction: a district 岗前培训 held 120 days ago
 * that most people on the rosters attended (not those hired since, nor one in nine, so the
 * pre-job finding shows), and coming sessions for the catalogue: a district first-aid course and
 * a 景山 医育结合 lecture. 0 or -1 with e. */
int training_demo(struct db *db, const char *district, const char *today, const char *now_ts, struct err *e);

#endif
