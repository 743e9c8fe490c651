/* assessment.h — what surveys give the annual assessment (星级评定 item p1, 家长满意度): an
 * institution's satisfaction score of a year, read by GET /api/v1/institutions/{id}/satisfaction
 * and shown on its assessments (src/rating/workflow.c). */
#ifndef TUOYU_SURVEYS_ASSESSMENT_H
#define TUOYU_SURVEYS_ASSESSMENT_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"

/* An institution's satisfaction for its annual assessment in year: {institution_id, year,
 * responses, min_responses, score (0–100, null without scale answers), counts (enough answers:
 * survey.min_responses)} from the closed satisfaction surveys that closed in year, each family's
 * answer counting once (the caller's); NULL with e. */
json_t *surveys_satisfaction_json(struct db *db, const char *district, int64_t institution_id, int year,
                                  const char *today, struct err *e);

#endif
