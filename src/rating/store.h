/* store.h — SQL of the assessment schemes (migration 031): a scheme read into the engine's
 * struct rating_scheme and described as JSON for the API, and the district's schemes listed. */
#ifndef TUOYU_RATING_STORE_H
#define TUOYU_RATING_STORE_H

#include <jansson.h>

#include "base/date.h"
#include "db/db.h"
#include "rating/rating.h"

/* The scheme id of the district into s (checked coherent by rating_scheme_check) and, when doc is
 * not NULL, its description (*doc the caller's): header, dimensions with their points, items,
 * levels, each figure with its basis and certainty. -1 with e: 404 not_found, or 500
 * bad_scheme when the stored scheme is not coherent. */
int rating_store_load(struct db *db, const char *district, int64_t id, struct rating_scheme *s, json_t **doc,
                      struct err *e);

/* Every scheme version of the district (code, then newest first) with its levels, each marked
 * current when in force on day. *items the caller's. */
int rating_store_list(struct db *db, const char *district, const char *day, json_t **items, struct err *e);


/* ---- the rating workflow (migration 034): assessments, experts, conflicts, objections ---- */

/* An assessment with its case's state and town. The JSON members are owned: rating_assessment_free. */
struct rating_assessment {
    int64_t case_id, institution_id, scheme_id;
    char state[24], town_code[16], concluded_on[DATE_DAY_LEN];
    json_t *self_sheet, *evidence; /* objects */
    json_t *row;                   /* the whole row as the API shows it */
};
void rating_assessment_free(struct rating_assessment *a);
/* The assessment of case_id: 0, or -1 with e (404 not_found). */
int rating_store_assessment(struct db *db, const char *district, int64_t case_id, struct rating_assessment *out,
                            struct err *e);
int rating_store_assessment_insert(struct db *db, const char *district, int64_t case_id, int64_t institution_id,
                                   int64_t scheme_id, const char *now_ts, struct err *e);
/* Every assessment of the institution, newest first (the history), as the API shows them. */
int rating_store_history(struct db *db, const char *district, int64_t institution_id, json_t **out, struct err *e);
int rating_store_save_self(struct db *db, int64_t case_id, const json_t *sheet, const json_t *evidence,
                           const char *now_ts, struct err *e);

/* The experts of an assessment: user_id, name, assigned_at, submitted_at (null), sheet (object). */
int rating_store_experts(struct db *db, int64_t case_id, json_t **out, struct err *e);
/* The assessments user_id is an expert of, id above after_id, at most limit, in id order: id,
 * institution_id, institution_name, scheme_code, state, assigned_at, submitted_at. */
int rating_store_assigned(struct db *db, const char *district, int64_t user_id, int64_t after_id, int limit,
                          json_t **out, struct err *e);
/* Every assessment of the district, by town and institution, oldest first: {id, institution_id,
 * institution_name, town_name, scheme_name, state, total_points, level_name, meaning, concluded_on,
 * in_force_from, in_force_to} (nulls where not yet concluded or in force). */
int rating_store_results(struct db *db, const char *district, json_t **out, struct err *e);
/* The district's enabled evaluator accounts {id, login, name, pending (sheets not yet submitted)}. */
int rating_store_evaluators(struct db *db, const char *district, json_t **out, struct err *e);
/* The evaluator's declared link to the institution: 1 with reason filled, 0 none. */
int rating_store_conflict(struct db *db, int64_t user_id, int64_t institution_id, char reason[256], struct err *e);
int rating_store_declare_conflict(struct db *db, int64_t user_id, int64_t institution_id, const char *reason,
                                  const char *now_ts, struct err *e);
/* Assign an expert: 409 already_assigned when they are. */
int rating_store_expert_add(struct db *db, int64_t case_id, int64_t user_id, int64_t by, const char *now_ts,
                            struct err *e);
/* An assigned expert's sheet, submitted when submitted_at is not NULL: 1 found, 0 not assigned. */
int rating_store_expert_sheet(struct db *db, int64_t case_id, int64_t user_id, json_t **sheet, int *submitted,
                              struct err *e);
int rating_store_expert_save(struct db *db, int64_t case_id, int64_t user_id, const json_t *sheet,
                             const char *submitted_at, struct err *e);
/* The conclusion: the combined sheet, its total and level (NULL none), on day. */
int rating_store_conclude(struct db *db, int64_t case_id, const json_t *combined, int total_tenths,
                          const char *level_code, const char *day, const char *now_ts, struct err *e);
/* The experts score again (back to expert review after an objection upheld, or returned for
 * correction): their sheets reopened, the objections upheld marked reviewed. */
int rating_store_reopen(struct db *db, int64_t case_id, struct err *e);
/* The level takes force on day: the institution's assessment in force until now ends the day
 * before; the institution's star_level is derived (stars: the level's "starN" code, else 0). */
int rating_store_in_force(struct db *db, int64_t case_id, int64_t institution_id, const char *day,
                          const char *day_before, int stars, struct err *e);
/* The level in force on day for the institution, with its scheme and meaning: *out null when none. */
int rating_store_current(struct db *db, const char *district, int64_t institution_id, const char *day, json_t **out,
                         struct err *e);
/* The same for every institution of district in one read: {"<institution id>": level}, an
 * institution without a level in force absent. */
int rating_store_current_all(struct db *db, const char *district, const char *day, json_t **by_inst, struct err *e);

/* The assessments in publicity (公示), id above after_id, at most limit, in id order: id,
 * institution_id, institution_name, scheme_code, scheme_name, level_code, level_name, meaning,
 * total_points, concluded_on. */
int rating_store_in_publicity(struct db *db, const char *district, int64_t after_id, int limit, json_t **out,
                              struct err *e);

/* Objections: insert (id), list of the case, load one (case_id, upheld -1 unanswered), answer,
 * and the counts confirming waits on (open: unanswered; upheld: upheld and not yet reviewed). */
int rating_store_objection_add(struct db *db, int64_t case_id, int64_t user_id, const char *text, const char *now_ts,
                               int64_t *id, struct err *e);
int rating_store_objections(struct db *db, int64_t case_id, json_t **out, struct err *e);
int rating_store_objection_case(struct db *db, int64_t id, int64_t *case_id, int *upheld, struct err *e);
int rating_store_objection_answer(struct db *db, int64_t id, int upheld, const char *answer, int64_t by,
                                  const char *now_ts, struct err *e);
int rating_store_objection_counts(struct db *db, int64_t case_id, int *open, int *upheld, struct err *e);

#endif
