/* alerts.h — raising the outbreak early warning's alerts (alerts.c): the engine over the window's
 * checks and absences, each alert it finds stored and told, for the care routes and the demo alike. */
#ifndef TUOYU_CARE_ALERTS_H
#define TUOYU_CARE_ALERTS_H

#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "params/params.h"

#define CARE_MAX_RAISED 32 /* alerts one raise considers */

/* An alert care_outbreak_raise raised anew (one already live and only updated is not listed). */
struct care_raised {
    int64_t id;
    const char *group; /* its symptom group's code */
    int cases;         /* distinct children */
    char rule[512];    /* the rule that fired, in Chinese, naming its parameters */
};

/* Run the outbreak early warning for institution_id on day, inside the caller's transaction after
 * its write: each alert the engine finds is raised (a live one updated), and a new one posted to the
 * inbox of the institution's operators, its health instructors and its town's officers. p: the
 * parameters in force on day. Fills up to cap new alerts into raised; their number, or -1 with e. */
int care_outbreak_raise(struct db *db, const char *district, int64_t institution_id, const char *day,
                        const struct params *p, const char *now_ts, struct care_raised *raised, int cap,
                        struct err *e);

#endif
