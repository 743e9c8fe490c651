/* store.h — SQL of the health-check schedule: checks recorded (with the entry health checks of
 * care_entry_check counted as done), screening results, the children in care a due list covers,
 * and the reminders sent once per check window. Writers expect the caller's transaction. */
#ifndef TUOYU_CHECKUPS_STORE_H
#define TUOYU_CHECKUPS_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "auth/auth.h"
#include "checkups/checkups.h"
#include "db/db.h"

/* The checks child_id had: its checkup_record rows and its passed entry health checks ("entry");
 * *out malloc'd (free it, also when *n is 0). */
int checkups_done_load(struct db *db, int64_t child_id, struct checkups_done **out, int *n, struct err *e);
/* The day child_id entered care (its first placement at the institution of its open one) into
 * out, or "" when it is not in care. */
int checkups_care_from(struct db *db, int64_t child_id, char out[DATE_DAY_LEN], struct err *e);

/* A check recorded. */
struct checkups_record {
    const char *check_code, *checked_on, *place, *examiner, *result, *note;
    int64_t measurement_id; /* 0: none */
    int64_t institution_id; /* 0: none */
};
int checkups_insert_record(struct db *db, const char *district, int64_t child_id, const struct checkups_record *r,
                           int64_t by, const char *now_ts, int64_t *id, struct err *e);

/* A screening result. */
struct checkups_screening {
    const char *tool, *screened_on, *result, *referral_to, *follow_up, *note;
    int64_t institution_id;
};
int checkups_insert_screening(struct db *db, const char *district, int64_t child_id,
                              const struct checkups_screening *s, int64_t by, const char *now_ts, int64_t *id,
                              struct err *e);

/* The child's records and screenings, newest first, as JSON arrays. */
int checkups_records_json(struct db *db, int64_t child_id, json_t **out, struct err *e);
int checkups_screenings_json(struct db *db, int64_t child_id, json_t **out, struct err *e);

/* One child in care for a due list. */
struct checkups_in_care {
    int64_t child_id, institution_id, family_user_id;
    char name_masked[96];
    char name_sealed[256]; /* for children_reveal_names */
    char birth_date[DATE_DAY_LEN];
    char care_from[DATE_DAY_LEN];
    char institution_name[128];
};
/* The children in care (open placement) within scope (over "i.town_code", "p.institution_id",
 * "c.family_user_id"; NULL: every one of the district), of institution_id when not 0; *out
 * malloc'd. */
int checkups_children_in_care(struct db *db, const char *district, const struct authz_scope *scope,
                              int64_t institution_id, struct checkups_in_care **out, int *n, struct err *e);

/* Claim the reminder of (child, check, window): 1 when it is new (send it), 0 when one was
 * already sent for that window, -1 with e. */
int checkups_claim_reminder(struct db *db, const char *district, int64_t child_id, const char *code,
                            const char *opens, const char *now_ts, int64_t *id, struct err *e);

#endif
