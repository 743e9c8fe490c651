/* demo.h — demonstration growth stations (demo.c). */
#ifndef TUOYU_STATIONS_DEMO_H
#define TUOYU_STATIONS_DEMO_H

#include <stdint.h>

#include "base/err.h"
#include "db/db.h"

/* Add the demo's growth stations to district (in the caller's transaction): sixteen more across
 * the towns with their sites, most accepted (their subsidy entered by admin), some with the joint
 * acceptance opened. 0 or -1 with e. */
int stations_demo(struct db *db, const char *district, int64_t admin, const char *today, const char *now_ts,
                  struct err *e);

#endif
