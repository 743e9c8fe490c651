/* store.h — the SQL of daily care (care.h): placements, entry checks, authorised pick-up persons
 * (names sealed with the app key, masked copies beside them) and attendance. All functions run
 * on the caller's connection; writers expect the caller's transaction (with its audit row). */
#ifndef TUOYU_CARE_STORE_H
#define TUOYU_CARE_STORE_H

#include <stdint.h>

#include "auth/auth.h"
#include "base/crypt.h"
#include "care/care.h"
#include "care/outbreak.h"
#include "db/db.h"

struct care_placement {
    int64_t id, institution_id, class_id;
    char class_name[64];
    char start_date[11];
};

/* The class id of the district: its institution and name. 0, or -1 with 404 not_found. */
int care_class_load(struct db *db, const char *district, int64_t class_id, int64_t *institution_id, char *name,
                    size_t name_cap, struct err *e);
/* The child's open placement: 1 found (into out), 0 none, -1 with e. */
int care_open_placement(struct db *db, int64_t child_id, struct care_placement *out, struct err *e);
/* Place the child in class_id of institution_id from start_date; sets out->id. 409 already_placed
 * when another open placement got there first. */
int care_place(struct db *db, const char *district, int64_t child_id, int64_t institution_id, int64_t class_id,
               const char *start_date, const char *now_ts, int64_t *id, struct err *e);
/* End placement id on end_date for reason. */
int care_end_placement(struct db *db, int64_t id, const char *end_date, const char *reason, const char *now_ts,
                       struct err *e);

/* Record an entry check of child_id; *id set. */
int care_insert_entry_check(struct db *db, const char *district, int64_t child_id, const char *kind,
                            const char *checked_on, const char *result, const char *note, int64_t material_id,
                            int64_t recorded_by, const char *now_ts, int64_t *id, struct err *e);
/* The child's entry checks, newest first, as a JSON array (*out; NULL on error). */
int care_entry_checks_json(struct db *db, int64_t child_id, json_t **out, struct err *e);
/* Does material id exist in the district? 1 / 0 / -1. */
int care_material_exists(struct db *db, const char *district, int64_t id, struct err *e);

/* Add an authorised pick-up person of child_id (name sealed); *id set. */
int care_insert_pickup(struct db *db, const struct crypt_key *key, const char *district, int64_t child_id,
                       const char *name, const char *relation, const char *now_ts, int64_t *id, struct err *e);
/* The child's pick-up persons as [{id, name (masked unless key given), relation}]. */
int care_pickups_json(struct db *db, const struct crypt_key *key, int64_t child_id, json_t **out, struct err *e);
/* The child a pick-up person is authorised for: the child id, 0 when none, -1 with e. */
int64_t care_pickup_child(struct db *db, int64_t pickup_id, struct err *e);

/* What the gate needs of child_id on day for class_id (care.h). */
int care_gate_state_load(struct db *db, int64_t child_id, int64_t class_id, const char *day,
                         struct care_gate_state *out, struct err *e);
/* Insert the attendance of one child; 409 already_recorded when the child has one that day. */
int care_insert_attendance(struct db *db, const char *district, int64_t institution_id, int64_t class_id,
                           const char *day, const struct care_entry *x, int64_t recorded_by, const char *now_ts,
                           struct err *e);
/* Record a present child's check-out: rows changed (0 when the child was not checked in that day
 * or is already checked out), -1 with e. */
int64_t care_check_out(struct db *db, int64_t child_id, const char *day, const char *time, int64_t collected_by,
                       const char *now_ts, struct err *e);
/* The sheet of institution_id on day, of class_id (0: every class): each child placed there that
 * day with its class and what is recorded (not an illness's symptom: health data), by class, as a
 * JSON array; each row with whether a guardian's consent to health data is live, the masked
 * name, and the sealed name, institution and family for children_reveal_names (which removes the
 * sealed name). */
int care_sheet_json(struct db *db, int64_t institution_id, int64_t class_id, const char *day, json_t **out,
                    struct err *e);
/* The child's attendance, newest first, at most limit days, as a JSON array (with who brought and
 * collected the child: care_pickup ids, null when not said). */
int care_child_attendance_json(struct db *db, int64_t child_id, int limit, json_t **out, struct err *e);
/* Absences without a cause at institution_id from..to (days, both included), newest first. */
int care_unexplained_json(struct db *db, int64_t institution_id, const char *from, const char *to, json_t **out,
                          struct err *e);

/* The class child_id is placed in on day: 1 with *institution_id and *class_id, 0 none, -1. */
int care_class_on(struct db *db, int64_t child_id, const char *day, int64_t *institution_id, int64_t *class_id,
                  struct err *e);
/* Record a check of child_id in class_id of institution_id; *id set. */
int care_insert_health_check(struct db *db, const char *district, int64_t child_id, int64_t institution_id,
                             int64_t class_id, const struct care_check *c, int guardian_told, int64_t recorded_by,
                             const char *now_ts, int64_t *id, struct err *e);
/* The child's checks, newest first, at most limit, as a JSON array. */
int care_health_checks_json(struct db *db, int64_t child_id, int limit, json_t **out, struct err *e);

/* ---- the outbreak early warning ---- */

/* The sick child-days of institution_id from..to (checks with symptoms, illness absences) as
 * engine cases (*out malloc'd, free it; NULL when none). */
int care_outbreak_cases(struct db *db, int64_t institution_id, const char *from, const char *to,
                        struct outbreak_case **out, size_t *n, struct err *e);
/* What an alert is written from: the engine's alert with its days, rule and basis in words. */
struct care_alert_row {
    int64_t institution_id, class_id; /* class 0: the institution */
    const char *group, *first_day, *last_day, *rule, *basis;
    int cases;
    const int64_t *children;          /* the alert's children (the engine's list) */
    int nchildren;
};
/* Raise a: update the live alert of its institution, class and group, or insert one. Returns 1
 * when a new alert was inserted (*id set), 0 when a live one was updated, -1 with e. */
int care_alert_raise(struct db *db, const char *district, const struct care_alert_row *a, const char *now_ts,
                     int64_t *id, struct err *e);
/* The users an alert of institution_id goes to: its operators, its health instructors and the
 * officers of its town (*ids malloc'd). */
int care_alert_recipients(struct db *db, const char *district, int64_t institution_id, int64_t **ids, size_t *n,
                          struct err *e);
/* The alert id: its institution and town (for authorization) and status. 0, or -1 with 404. */
int care_alert_load(struct db *db, const char *district, int64_t id, int64_t *institution_id, char *town_code,
                    size_t town_cap, char *status, size_t status_cap, struct err *e);
/* Move alert id from status from to to (acknowledged or closed, with action): rows changed. */
int64_t care_alert_move(struct db *db, int64_t id, const char *from, const char *to, int64_t user_id,
                        const char *action, const char *now_ts, struct err *e);
/* Alerts inside scope (over "i.town_code", "a.institution_id"), of status (NULL: not closed),
 * newest first, at most limit, as a JSON array. */
int care_alerts_json(struct db *db, const char *district, const struct authz_scope *scope, const char *status,
                     int limit, json_t **out, struct err *e);

#endif
