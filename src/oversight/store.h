/* store.h — reading and writing rectification items and their evidence (040_rectification.sql). */
#ifndef TUOYU_OVERSIGHT_STORE_H
#define TUOYU_OVERSIGHT_STORE_H

#include <stdint.h>

#include "base/err.h"
#include "base/json.h"
#include "db/db.h"

/* A finding's stable key (the findings list's: source, rule, subject) and its text. */
struct rectify_finding {
    const char *source, *rule, *subject, *finding;
};

/* An item as the handlers check it. */
struct rectify_row {
    int64_t id, institution_id, evidence;
    char town_code[16], status[16], due_on[11];
};

/* Insert an open item; 409 already_open when the finding has an open item at the institution. */
int rectify_store_insert(struct db *db, const char *district, int64_t institution_id, const struct rectify_finding *f,
                         const char *due_on, int64_t user_id, const char *now_ts, int64_t *id, struct err *e);
/* Item id of institution_id in district, or 404 not_found. */
int rectify_store_load(struct db *db, const char *district, int64_t institution_id, int64_t id, struct rectify_row *out,
                       struct err *e);
/* The item as answered (with its evidence material ids). */
int rectify_store_json(struct db *db, int64_t id, json_t **out, struct err *e);
/* The items not closed of the district (only town's when not NULL) as a JSON object keyed
 * "institution_id/source/rule/subject" → {id, status, due_on}, for the findings list. */
int rectify_store_open_by_key(struct db *db, const char *district, const char *town, json_t **out, struct err *e);
/* The items of the institution, newest first. */
int rectify_store_list(struct db *db, const char *district, int64_t institution_id, json_t **out, struct err *e);
/* Record the response and mark the item responded. */
int rectify_store_respond(struct db *db, int64_t id, const char *response, const char *now_ts, struct err *e);
/* Add material_id as evidence of item id; 422 bad_material unless it is an active material of
 * institution_id. */
int rectify_store_evidence_add(struct db *db, const char *district, int64_t institution_id, int64_t id,
                               int64_t material_id, struct err *e);
/* Close the item with the review note. */
int rectify_store_close(struct db *db, int64_t id, const char *note, const char *now_ts, struct err *e);

/* ---- inspections (053_inspections.sql; inspection.h) ---- */
struct inspection;
struct inspection_point;
int inspection_store_insert(struct db *db, const char *district, int64_t institution_id, const struct inspection *in,
                            int64_t by, const char *now_ts, int64_t *id, struct err *e);
/* Point position of inspection id, with the rectification item raised for it (0: none). */
int inspection_store_point(struct db *db, int64_t id, int position, const struct inspection_point *p,
                           int64_t rectification_id, struct err *e);
/* The inspections of an institution (one_id: only that one, 0 all), newest first, each with its
 * points: [{id, kind, inspected_on, team, summary, created_at, items:[{code, name, result, note,
 * rectification_id}]}]. */
int inspection_store_list(struct db *db, const char *district, int64_t institution_id, int64_t one_id, json_t **out,
                          struct err *e);

#endif
