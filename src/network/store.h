/* store.h — the SQL of the health guidance network: instructors' assignments with their history,
 * and their duties. All functions run on the caller's connection; writers expect the caller's
 * transaction (with its audit row). A scope here is a WHERE fragment over "i.town_code" and
 * "i.id" (the institution of each row, joined as i). */
#ifndef TUOYU_NETWORK_STORE_H
#define TUOYU_NETWORK_STORE_H

#include <stdint.h>

#include "auth/auth.h"
#include "db/db.h"
#include "network/duties.h"
#include "network/network.h"

/* Is user_id an enabled health instructor's account of the district? 1 / 0 / -1. */
int network_is_instructor(struct db *db, const char *district, int64_t user_id, struct err *e);
/* The network's organisations (migration 058: the district's 妇幼保健中心, each town's health centre,
 * the child health centres among them), hub first, each with its instructors and the number of
 * institutions assigned to each on today. */
int network_orgs_json(struct db *db, const char *district, const char *today, json_t **out, struct err *e);
/* Is org_id an organisation of the district? 1, 0, -1. */
int network_org_exists(struct db *db, const char *district, int64_t org_id, struct err *e);
/* The health centre of town: 0 with *id, or -1 with e (404 not_found). */
int network_org_of_town(struct db *db, const char *district, const char *town, int64_t *id, struct err *e);
/* The instructor user_id belongs to org_id from today (leaving the organisation it was in). */
int network_org_join(struct db *db, const char *district, int64_t user_id, int64_t org_id, const char *today,
                     struct err *e);

/* Assign user_id to institution_id from the day from (by: who assigns, 0 for the demo): the
 * current assignment (the policy's instructor_assignment) and its open period, *period_id set. 409 already_assigned when it is
 * current; 422 overlaps_history when from is not after the last day of an earlier period. */
int network_assign(struct db *db, const char *district, int64_t user_id, int64_t institution_id, const char *from,
                   int64_t by, const char *now_ts, int64_t *period_id, struct err *e);
/* The first day of user_id's current assignment to institution_id into from: 1, 0 when not
 * assigned, -1. */
int network_assigned_from(struct db *db, int64_t user_id, int64_t institution_id, char from[DATE_DAY_LEN],
                          struct err *e);
/* End user_id's current assignment to institution_id on the day to (its last day), *period_id
 * set: 0, or -1 with e. */
int network_unassign(struct db *db, int64_t user_id, int64_t institution_id, const char *to, int64_t by,
                     const char *now_ts, int64_t *period_id, struct err *e);
/* The assignment periods of institutions inside scope as [{id, user_id, user_name,
 * institution_id, institution_name, town_code, town_name, from, to}] — only current ones unless
 * history, of one institution or one instructor when not 0 — by town, institution, from. */
int network_assignments_json(struct db *db, const char *district, const struct authz_scope *scope,
                             int64_t institution_id, int64_t user_id, int history, json_t **out, struct err *e);
/* The district's enabled health instructors as [{id, login, name, institutions}] (institutions:
 * how many they are assigned to now), by name. */
int network_instructors_json(struct db *db, const char *district, json_t **out, struct err *e);

/* Record duty d of user_id at institution_id, *id set. */
int network_duty_insert(struct db *db, const char *district, int64_t institution_id, int64_t user_id,
                        const struct network_duty *d, const char *now_ts, int64_t *id, struct err *e);
/* The duties recorded at institution_id, latest first, as [{id, kind, kind_name, date, content,
 * findings, advice, follow_up, follow_up_by, user_id, user_name}]. */
int network_duties_json(struct db *db, int64_t institution_id, json_t **out, struct err *e);

/* What the compliance rule needs of the filed institutions inside scope (one when institution_id
 * is not 0): each institution (since: its filing day, else the day it was registered), its
 * assignment periods, and its duties done on or after since_day. Arrays malloc'd, each ordered by
 * institution id; network_compliance_free frees them. */
struct network_inst_row {
    int64_t id;
    char name[128], town_code[16], town_name[32], since[DATE_DAY_LEN];
};
struct network_assign_row {
    int64_t institution_id;
    struct network_assignment a;
    char user_name[64];
};
struct network_done_row {
    int64_t institution_id;
    struct network_done d;
};
struct network_compliance_rows {
    struct network_inst_row *insts;
    size_t ninsts;
    struct network_assign_row *assigns;
    size_t nassigns;
    struct network_done_row *done;
    size_t ndone;
};
int network_compliance_load(struct db *db, const char *district, const struct authz_scope *scope,
                            int64_t institution_id, const char *since_day, struct network_compliance_rows *out,
                            struct err *e);
void network_compliance_free(struct network_compliance_rows *rows);

/* ---- care-group activities (养育照护小组活动). A scope here is a fragment over "a.town_code" and
 * "a.institution_id" (the activity, as a). ---- */

/* Schedule activity x in town_code, of institution_id (0: the town's own), *id set. */
int network_activity_insert(struct db *db, const char *district, const char *town_code, int64_t institution_id,
                            const struct network_activity *x, int64_t by, const char *now_ts, int64_t *id,
                            struct err *e);
/* The activities inside scope starting in [from, to) (UTC timestamps), by start, as [{id, town_code,
 * town_name, institution_id, host, topic, age_band, age_band_name, place, starts_at, capacity,
 * registered, free}]. */
int network_activities_json(struct db *db, const char *district, const struct authz_scope *scope, const char *from,
                            const char *to, json_t **out, struct err *e);
/* Every town of the district with the number of activities inside scope starting in [from, to)
 * and their registrations, as [{town_code, town_name, activities, registered}], by code. */
int network_activities_by_town_json(struct db *db, const char *district, const struct authz_scope *scope,
                                    const char *from, const char *to, json_t **out, struct err *e);
/* Register family_user_id for activity_id, *id set: 409 already_registered when they are. */
int network_registration_insert(struct db *db, const char *district, int64_t activity_id, int64_t family_user_id,
                                const char *now_ts, int64_t *id, struct err *e);
/* Take one place of activity_id if it has one free and has not started by now_ts: 1 taken, 0
 * not (full, started or unknown), -1. One conditional UPDATE: never beyond capacity. */
int network_activity_take(struct db *db, const char *district, int64_t activity_id, const char *now_ts, struct err *e);
/* Has activity_id of the district started by now_ts? 1 started, 0 not, -1 with e (404 when unknown). */
int network_activity_started(struct db *db, const char *district, int64_t activity_id, const char *now_ts,
                             struct err *e);
/* The family's registrations with their activities, latest start first: each activity's row with
 * registration_id and came (null until attendance is taken). */
int network_registrations_json(struct db *db, int64_t family_user_id, json_t **out, struct err *e);
/* An activity of the district (404 when unknown): where, whose, when, its places. */
struct network_activity_head {
    int64_t id, institution_id, capacity, registered; /* institution_id 0: the town's own */
    char town_code[16];
    char topic[200];
    char starts_at[DATE_TIMESTAMP_LEN];
};
int network_activity_head(struct db *db, const char *district, int64_t id, struct network_activity_head *out,
                          struct err *e);
/* The families registered for activity_id, in order of registration: [{id (the registration),
 * family_name (masked), mobile (masked; null when none), registered_at, came (null until taken)}]. */
int network_attendees_json(struct db *db, int64_t activity_id, json_t **out, struct err *e);
/* Take attendance: the registrations came[0..n) came, every other of the activity did not; 422
 * not_registered (field came) when one is not the activity's. In the caller's transaction. */
int network_attendance_mark(struct db *db, int64_t activity_id, const int64_t *came, int n, const char *now_ts,
                            struct err *e);
/* The activity of family_user_id's registration id (404 when it is not theirs). */
int network_registration_of(struct db *db, int64_t id, int64_t family_user_id, int64_t *activity_id, struct err *e);
/* Delete registration id and give its place back to activity_id (in the caller's transaction). */
int network_registration_delete(struct db *db, int64_t id, int64_t activity_id, const char *now_ts, struct err *e);

/* The hosts of care-group activities: the district's accepted growth stations (institution_id set,
 * by id), then each town's health centre (institution_id 0, by town), at most max; place is where
 * each holds them. */
struct network_host {
    int64_t institution_id;
    char town_code[16], name[160], place[200];
};
int network_store_hosts(struct db *db, const char *district, struct network_host *out, int max, int *n,
                        struct err *e);

#endif
