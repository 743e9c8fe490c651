/* store.h — SQL for the staff registry. Names and ID numbers are sealed with the app key on the
 * way in (with a keyed lookup hash of the number, so one person is found across institutions) and
 * opened on the way out; the masked copies are stored beside them. All functions run on the
 * caller's connection; writers expect the caller to hold a transaction (and to write the audit
 * row in it). */
#ifndef TUOYU_STAFF_STORE_H
#define TUOYU_STAFF_STORE_H

#include <jansson.h>

#include "auth/auth.h"
#include "base/crypt.h"
#include "db/db.h"
#include "staff/staff.h"

/* The staff rule figures in force on date, with their basis documents. */
int staff_rules_from_params(struct db *db, const char *district, const char *date, struct staff_rules *r,
                            struct err *e);
/* Staff member id of the district with its classes, certificates, institution town and name;
 * the name opened with key. 0, or -1 with e (404 not_found). */
int staff_load(struct db *db, const struct crypt_key *key, const char *district, int64_t id, struct staff *out,
               struct err *e);
/* Which staff a roster takes: one institution (institution_id), or every institution of a town
 * (town) or of the district (both 0/NULL); and of those, the ones inside scope (a fragment over
 * "i.town_code", "s.institution_id"; NULL: no further limit). */
struct staff_filter {
    int64_t institution_id;
    const char *town;
    const struct authz_scope *scope;
};
/* The staff f takes, in institution and id order, with classes and certificates; names opened
 * with key, or left "" when key is NULL (findings and counts read the masked copies). *out is
 * malloc'd (free it; NULL when none). */
int staff_roster(struct db *db, const struct crypt_key *key, const char *district, const struct staff_filter *f,
                 struct staff **out, int *n, struct err *e);
/* Insert s (institution_id set) and set s->id; update s (id set). Within the caller's
 * transaction: the classes must be the institution's (422 class_other_institution on
 * class_ids[i]); the same person cannot be registered twice in one institution (409
 * staff_exists) nor be full time in another institution over overlapping dates (409
 * full_time_elsewhere, naming that institution by its masked name). The plain ID number is
 * wiped from s once sealed; an update without one keeps the stored number. */
int staff_insert(struct db *db, const struct crypt_key *key, const char *district, struct staff *s,
                 const char *now_ts, struct err *e);
int staff_update(struct db *db, const struct crypt_key *key, const char *district, struct staff *s,
                 const char *now_ts, struct err *e);
/* The operators of s's institution are told of s's dated certificates (staff_reminders, with
 * before the record an update replaced, or NULL for a new one): on an update the messages not yet
 * due about s are withdrawn; the new ones are queued in the inbox, each due at the start of its
 * day. In the caller's
 * transaction. 0 or -1 with e. */
int staff_post_reminders(struct db *db, const char *district, const struct staff *before, const struct staff *s,
                         const struct staff_rules *rules, const char *today, const char *now_ts, struct err *e);
/* Health certificates and qualification certificates of staff on duty on today expiring on or
 * before until (lapsed ones too), within scope (a fragment over "i.town_code", "s.institution_id"),
 * soonest first, at most limit: JSON rows {staff_id, name (masked), role, institution_id,
 * institution_name, town_code, certificate, kind, number, expiry_date}. */
int staff_expiring(struct db *db, const char *district, const struct authz_scope *scope, const char *today,
                   const char *until, int limit, json_t **rows, struct err *e);

#endif
