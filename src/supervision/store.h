/* store.h — what the dashboard reads: the towns with their population, the institutions not
 * closed (through the registry's store), and the latest service-circle coverage the planning
 * module stored. */
#ifndef TUOYU_SUPERVISION_STORE_H
#define TUOYU_SUPERVISION_STORE_H

#include <jansson.h>

#include "db/db.h"
#include "supervision/dashboard.h"

/* The towns of the district (only town when not NULL) in code order, at most max: code, name and
 * residents (of the latest year not after year, with population_year; 0 when none) set, the
 * totals zero. */
int supervision_towns(struct db *db, const char *district, const char *town, int year, struct town_totals *out, int max,
                      int *n, struct err *e);
/* The institutions of the district (only town's when not NULL) that are not closed, with their
 * classes and fees; *list is malloc'd (free it). */
int supervision_institutions(struct db *db, const char *district, const char *town, struct institution **list,
                             int *n, struct err *e);
/* The latest coverage result (planning_result of kind 'coverage'), parsed (caller decrefs), and
 * when it was computed; *result NULL when none has been computed. */
int supervision_latest_coverage(struct db *db, const char *district, json_t **result, char computed_at[40],
                                struct err *e);

/* The filing figures of the district (only town's when not NULL) on today: filing cases submitted
 * and not yet closed, receipt tasks of filing cases still open after their due day, and
 * institutions whose filing was decided in today's calendar year. */
struct filing_figures {
    int64_t submitted_open, receipts_overdue, filed_this_year;
};
int supervision_filing_figures(struct db *db, const char *district, const char *town, const char *today,
                               struct filing_figures *out, struct err *e);

#endif
