/* store.h — every SQL text of incidents and mandatory reports (tables of migration 026:
 * incident, incident_follow_up, incident_report). Writers run in the caller's transaction (with
 * its audit row). */
#ifndef TUOYU_INCIDENTS_STORE_H
#define TUOYU_INCIDENTS_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "auth/auth.h"
#include "db/db.h"
#include "incidents/incidents.h"

/* What the handlers need to know of a stored incident. */
struct incident_row {
    int64_t id, institution_id, child_id, family_user_id;
    char town_code[16];
    char institution_name[128];
    char kind[32];
    char status[8];
    char place[101], severity[12], occurred_at[32];
    int mandatory, family_visible, guardian_notified;
};

/* Insert the incident in (of institution_id, the child's class_id on the day) recorded by user;
 * guardian_at/channel: when and how the guardian was told ("" not yet). Sets *id. */
int incidents_store_insert(struct db *db, const char *district, int64_t institution_id, int64_t class_id,
                           const struct incident_input *in, const struct incident_kind *k, const char *occurred_at,
                           const char *guardian_at, const char *guardian_channel, const char *police_at,
                           int64_t user_id, const char *now_ts, int64_t *id, struct err *e);
/* The incident id of the district: 0, or -1 with e = 404 not_found. */
int incidents_store_load(struct db *db, const char *district, int64_t id, struct incident_row *out, struct err *e);
/* The incident as JSON with its follow-ups, and (with_report) its report and the police's
 * details (else both null): *out. */
int incidents_store_json(struct db *db, int64_t id, int with_report, json_t **out, struct err *e);
/* Incidents within scope (a WHERE fragment over i.town_code, n.institution_id, c.family_user_id),
 * of one institution or child (0: any), withheld ones left out when family is set, with their
 * reports as incidents_store_json (with_report), newest first, at most limit: *out. */
int incidents_store_list(struct db *db, const char *district, const struct authz_scope *scope, int64_t institution_id,
                         int64_t child_id, int family, int with_report, int limit, json_t **out, struct err *e);
/* Append a follow-up; sets *id. */
int incidents_store_follow_up(struct db *db, const char *district, int64_t incident_id, const char *note,
                              int64_t user_id, const char *now_ts, int64_t *id, struct err *e);
/* Mark the guardian told at (channel) when not yet: rows changed (0: already told), -1 with e. */
int64_t incidents_store_notified(struct db *db, int64_t id, const char *at, const char *channel, const char *now_ts,
                                 struct err *e);
/* Close an open incident: rows changed (0: closed meanwhile), -1 with e. */
int64_t incidents_store_close(struct db *db, int64_t id, int64_t user_id, const char *note, const char *now_ts,
                              struct err *e);

/* ---- mandatory reports ---- */

struct incident_report_row {
    int64_t id, incident_id, institution_id;
    char town_code[16];
    char state[16];
    char due_on[11]; /* "" none */
};
/* Open the report of incident_id in state with its deadline ("" none); sets *id. */
int incidents_store_report_insert(struct db *db, const char *district, int64_t incident_id, int64_t institution_id,
                                  const char *town_code, const char *state, const char *due_on, const char *now_ts,
                                  int64_t *id, struct err *e);
/* The report id of the district: 0, or -1 with e = 404 not_found. */
int incidents_store_report_load(struct db *db, const char *district, int64_t id, struct incident_report_row *out,
                                struct err *e);
/* Move the report from state `from` to `to` with the new deadline ("" none), by user (the outcome
 * when it is handled): rows changed (0: it moved meanwhile), -1 with e. */
int64_t incidents_store_report_move(struct db *db, int64_t id, const char *from, const char *to, const char *due_on,
                                    int64_t user_id, const char *outcome, const char *now_ts, struct err *e);
/* Reports within scope (over r.town_code, r.institution_id), of one state ("" the open ones),
 * overdue first then by deadline, at most limit; today marks the overdue: *out. */
int incidents_store_reports(struct db *db, const char *district, const struct authz_scope *scope, const char *state,
                            const char *today, int limit, json_t **out, struct err *e);
/* Who is told of a report at once: the enabled town officers of town_code and district
 * administrators. *ids malloc'ed. */
int incidents_store_report_recipients(struct db *db, const char *district, const char *town_code, int64_t **ids,
                                      size_t *n, struct err *e);

#endif
