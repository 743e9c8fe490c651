/* workflow.h — the star-rating workflow on the cases engine (workflow.c): its routes, the guard the
 * engine calls on every event of a "rating" case, the outcome that puts the level in force, and
 * the level in force for the public pages. */
#ifndef TUOYU_RATING_WORKFLOW_H
#define TUOYU_RATING_WORKFLOW_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "cases/cases.h"
#include "http/http.h"

extern const struct route rating_workflow_routes[];

/* The rating process's guard (struct cases_process.guard): submit — the self-assessment complete
 * and in range, every item that asks for evidence with a material of the case attached (422
 * evidence_missing, *detail naming each); conclude — experts assigned and every one submitted,
 * their sheets combined and judged, stored with the level; confirm — the publicity period over
 * (409 publicity_running) with no objection unanswered (409 objection_open) or upheld and not yet
 * re-reviewed (409 objection_upheld); review_again — an objection upheld (409
 * no_upheld_objection), the experts score again; return from expert review — the experts score
 * the corrected self-assessment again. */
int rating_case_guard(struct http_req *req, int64_t case_id, const struct cases_result *r, json_t *fields,
                      json_t **detail, struct err *e);

/* The outcome of a rating case confirmed: its level in force from today until the next one, the
 * institution's star_level derived from it; audited in the caller's transaction. */
int rating_case_outcome(struct http_req *req, int64_t case_id, int64_t institution_id, json_t *fields, struct err *e);

/* The level in force today for the institution (scheme, level, meaning, since), or JSON null. */
int rating_public_level(struct http_req *req, int64_t institution_id, json_t **out, struct err *e);
/* The same for every institution of the district: {"<institution id>": level}, those without absent. */
int rating_public_levels(struct http_req *req, json_t **by_inst, struct err *e);

#endif
