/* store.h — the SQL of caregivers on duty and of the day pages (duty.h). All functions run on the
 * caller's connection; writers expect the caller's transaction (with its audit row). A scope here
 * is a WHERE fragment over "i.town_code" and "i.id" (the institution of each row, joined as i). */
#ifndef TUOYU_DUTY_STORE_H
#define TUOYU_DUTY_STORE_H

#include <stdint.h>

#include "auth/auth.h"
#include "db/db.h"
#include "duty/duty.h"

/* Has staff_id a duty on day still running at minute, or ending after it? 1 / 0 / -1. A new duty
 * begins only after every earlier one of the person that day has ended. */
int duty_overlaps(struct db *db, int64_t staff_id, const char *day, const char *at, struct err *e);
/* Check staff_id in on duty for class_id of institution_id on day at check_in; *id set. 409
 * already_on_duty when another check-in of the person got there first. */
int duty_insert(struct db *db, const char *district, int64_t staff_id, int64_t institution_id, int64_t class_id,
                const char *day, const char *check_in, int covering, int64_t recorded_by, const char *now_ts,
                int64_t *id, struct err *e);
/* The person's open duty on day: 1 with *id, *class_id and check_in (6 bytes), 0 none, -1. */
int duty_open_load(struct db *db, int64_t staff_id, const char *day, int64_t *id, int64_t *class_id, char *check_in,
                   struct err *e);
/* Check duty id out at check_out: rows changed (0 when it was already checked out), -1. */
int64_t duty_close(struct db *db, int64_t id, const char *check_out, const char *now_ts, struct err *e);
/* The duties of institution_id on day as [{id, staff_id, staff_name (masked), class_id,
 * class_name, check_in, check_out, covering}], by class and check-in. */
int duty_shifts_json(struct db *db, int64_t institution_id, const char *day, json_t **out, struct err *e);

/* The rows of day of every class of the district's open institutions inside scope (see above). */
int duty_board_load(struct db *db, const char *district, const struct authz_scope *scope, const char *day,
                    struct duty_board *b, struct err *e);
void duty_board_free(struct duty_board *b);

/* The district's open institutions inside scope with their town, by town and id, as
 * {id, name, town_code, town_name, open_alerts} rows (malloc'd; free them). */
struct duty_institution_row {
    int64_t id;
    char name[128], town_code[16], town_name[32];
    int open_alerts;       /* outbreak alerts not yet closed */
};
int duty_institutions_load(struct db *db, const char *district, const struct authz_scope *scope,
                           struct duty_institution_row **out, size_t *n, struct err *e);

/* ---- findings: a class's ratio broken for longer than duty.ratio_broken_minutes ---- */

struct duty_finding_row {
    int64_t institution_id, class_id;
    const char *day;
    char from[6], to[6];      /* HH:MM; to "" while the break runs */
    int minutes;
    const char *rule, *basis;
};
/* Record the break f: 1 when new (*id set), 0 when recorded before and now brought up to date
 * (and no longer withdrawn; *id, and *town_told whether the town was told of it), -1 with e. */
int duty_finding_record(struct db *db, const char *district, const struct duty_finding_row *f, const char *now_ts,
                        int64_t *id, int *town_told, struct err *e);
/* The findings of day not withdrawn at the institutions inside scope (malloc'd; free them). */
struct duty_recorded {
    int64_t id, class_id;
    char from[6];
};
int duty_findings_recorded(struct db *db, const char *district, const struct authz_scope *scope, const char *day,
                           struct duty_recorded **out, size_t *n, struct err *e);
/* Withdraw finding id: the day's records, corrected since, no longer show it. */
int duty_finding_withdraw(struct db *db, int64_t id, const char *now_ts, struct err *e);
/* Mark finding id as told to the town. */
int duty_finding_town_told(struct db *db, int64_t id, const char *now_ts, struct err *e);
/* Who is told of a finding at institution_id: its operators (town 0), or its town's officers
 * (town 1); *ids malloc'd. */
int duty_recipients(struct db *db, const char *district, int64_t institution_id, int town, int64_t **ids, size_t *n,
                    struct err *e);
/* The findings recorded at institution_id on day, not withdrawn, as [{id, class_id, class_name,
 * broken_from, broken_to, minutes, rule, basis, town_told}]. */
int duty_findings_json(struct db *db, int64_t institution_id, const char *day, json_t **out, struct err *e);

/* Each class and day of institution_id with attendance, paired with each caregiver assigned to the
 * class and employed that day (day, class, caregiver order), for the demonstration's duties:
 * *out malloc'd (free it), *n rows. */
struct duty_attended {
    int64_t class_id, staff_id;
    char day[11]; /* YYYY-MM-DD */
};
int duty_attended_class_days(struct db *db, int64_t institution_id, struct duty_attended **out, size_t *n,
                             struct err *e);

#endif
