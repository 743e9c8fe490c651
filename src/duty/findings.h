/* findings.h — the broken-ratio finding (issue 15 item 5) raised (findings.c): the day's classes in
 * scope replayed to the minute, each break longer than duty.ratio_broken_minutes recorded (one row
 * per break, kept up to date while it runs), a new one told to the institution's operators, and one
 * lasting longer than duty.ratio_town_minutes told once to the officers of its town — for
 * `tuoyu duty-scan` (run from cron every few minutes) and the duty writes alike. */
#ifndef TUOYU_DUTY_FINDINGS_H
#define TUOYU_DUTY_FINDINGS_H

#include <stdint.h>

#include "auth/auth.h"
#include "db/db.h"

#define DUTY_MAX_RAISED 32 /* what one scan reports back (all are recorded and told) */

/* What a scan did to one finding: recorded it anew (told the operators), or told the town. */
struct duty_raised {
    int64_t id, institution_id, class_id;
    int town;        /* 0: a new finding, 1: told to the town now */
    int minutes;
};

/* Scan day (today) at now_minute over the classes of the district's institutions inside scope (a
 * fragment over "i.town_code", "i.id"), inside the caller's transaction. Fills the first cap of
 * what it did into raised; returns how many things it did (new findings and town messages; *ntown
 * of them town messages), or -1 with e. */
int duty_findings_scan(struct db *db, const char *district, const struct authz_scope *scope, const char *day,
                       int now_minute, const char *now_ts, struct duty_raised *raised, int cap, int *ntown,
                       struct err *e);

#endif
