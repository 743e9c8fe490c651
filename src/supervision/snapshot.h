/* snapshot.h — the dashboard's figures computed for a district (or a town) on a day, and kept
 * month by month for the trend lines (issue 19 item 1; migration 049). */
#ifndef TUOYU_SUPERVISION_SNAPSHOT_H
#define TUOYU_SUPERVISION_SNAPSHOT_H

#include <jansson.h>

#include "base/err.h"
#include "db/db.h"
#include "supervision/dashboard.h"

/* The towns of district (only town when not NULL) with their totals on today: institutions and
 * places, inclusive ones, residents of the latest year not after today's, and each institution's
 * open findings as the findings list makes them (supervision_scan). 0 or -1 with e. */
int supervision_totals(struct db *db, const char *district, const char *town, const char *today,
                       struct town_totals *towns, int max, int *ntowns, struct err *e);

/* The targets the district's indicators are measured against on today (parameters planning.*:
 * the nearest level's, src/params). 0 or -1 with e. */
int supervision_targets(struct db *db, const char *district, const char *today, struct kpi_targets *out,
                        struct err *e);

/* Take this month's snapshot of every town of the district unless it is taken (its own
 * transaction). 1 taken now, 0 already there, -1 with e. */
int supervision_snapshot_ensure(struct db *db, const char *district, const char *today, const char *now_ts,
                                struct err *e);

/* The last months (at most months, up to today's) of the district's or one town's indicators,
 * oldest first: [{month, institutions, places, inclusive_places, residents, places_per_1000,
 * inclusive_share, open_findings}]. */
int supervision_trend(struct db *db, const char *district, const char *town, const char *today, int months,
                      json_t **out, struct err *e);

#endif
