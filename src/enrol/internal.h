/* internal.h — what enrolment's handlers share (handlers.c): the request's clock, computed once
 * and passed down; a page of a store's rows; moving an application along the transition table
 * (enrol.c) with its audit row; the moves a reader may make on an application now. */
#ifndef TUOYU_ENROL_INTERNAL_H
#define TUOYU_ENROL_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "http/http.h"

/* The request's time as enrolment reads it: its business day and its timestamp. (When struct
 * http_req carries the day itself — req->today, issue 11 item 6 — take it from there.) */
struct enrol_clock {
    char today[DATE_DAY_LEN];
    char now_ts[DATE_TIMESTAMP_LEN];
};
void enrol_clock_of(const struct http_req *req, struct enrol_clock *c);

/* Move application app_id from state from on event: refused (409 bad_state) unless the transition
 * table has the move, else its state written and the move recorded (enrol_app_moved, commit as
 * there). extra is stolen. */
int enrol_app_move(struct http_req *req, int64_t app_id, const char *from, const char *event, const char *now_ts,
                   json_t *extra, int commit, struct err *e);
/* Record a move whose state the caller has written: the pending offer's reminder withdrawn when the
 * application was "offered", and the audit row "application.<to>" with {from (null for a new
 * application), to} and the fields of extra (may be NULL; stolen). commit: the audit row is the
 * transaction's last statement and goes with COMMIT (audit_request_commit). */
int enrol_app_moved(struct http_req *req, int64_t app_id, const char *from, const char *to, const char *now_ts,
                    json_t *extra, int commit, struct err *e);
/* The moves the user may make now on an application in state: the events of enrol_person_moves the
 * table allows from state and the policy lets the user's role take, e.g. ["submit", "withdraw"]. */
json_t *enrol_app_actions(const struct http_req *req, const char *state);

/* What a family does next with institution inst (issue 12 item 2): call or visit it, bring the
 * documents (ENROL_DOCUMENTS, for a place) and start on start (a month "2027-01", a time, or NULL).
 * *words: one sentence for the messages (request memory); *next (may be NULL): the reply's
 * "next_steps" {institution_name, institution_phone, institution_address, documents (null for a
 * visit), start}. 0 or -1. */
/* The reply schema's members of "next_steps". */
extern const struct http_schema ENROL_NEXT_STEPS_MEMBERS[];
int enrol_next_steps(struct http_req *req, int64_t inst, int place, const char *start, const char **words, json_t **next,
                     struct err *e);

/* How an institution reaches the families of its list (issue 12 item 2): each row's
 * "family_user_id" is replaced by "family_name" and "family_mobile" (the verified number, null when
 * none), in full where the user may (the route's sub-action subaction on the row: its family, its
 * "institution_id" or inst when not 0, for application.read.contact the application "id"), masked
 * otherwise. A staff read of full contacts is audited in one row (family.contact). */
int enrol_family_contacts(struct http_req *req, json_t *rows, const char *subaction, int64_t inst, struct err *e);

#endif
