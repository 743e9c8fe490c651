/* demo.h — demonstration duty for `tuoyu demo` (see demo.c). */
#ifndef TUOYU_DUTY_DEMO_H
#define TUOYU_DUTY_DEMO_H

#include <stdint.h>

#include "db/db.h"

/* The caregivers' duty at institution_id for every class and day it has attendance (the care demo's
 * month), in the caller's transaction: each caregiver assigned to the class and employed that day on
 * duty 07:30–17:30 (today still on duty), recorded by operator. 0 or -1 with e. */
int duty_demo_institution(struct db *db, const char *district, int64_t institution_id, int64_t operator_id,
                          const char *today, const char *now_ts, struct err *e);

#endif
