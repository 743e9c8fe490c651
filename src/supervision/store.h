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
int supervision_institutions(struct db *db, const char *district, const char *town, const char *today,
                             struct institution **list,
                             int *n, struct err *e);
/* The institutions of the district that are not closed (only town's when not NULL; only
 * institution_id when > 0), in id order, each with its findings stamp (migration 059: it moves with
 * every write to what its findings are computed from); and the parameters' stamp (their row count
 * and last id: a change of a parameter adds a row). *out is malloc'd (free it). 0 or -1 with e. */
struct scan_head {
    int64_t id, stamp;
    char name[128];
    char town_code[16];
};
int supervision_store_heads(struct db *db, const char *district, const char *town, int64_t institution_id,
                            struct scan_head **out, int *n, int64_t params_stamp[2], struct err *e);
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

/* The state of what the district's dashboard and findings list are made from (src/http/kept.c):
 * how many institutions, the sums of their findings and public stamps and of their ids (migrations
 * 059, 062), and the district's supervision stamp (064). 0 with out, or -1 with e. */
int supervision_store_stamps(struct db *db, const char *district, int64_t out[5], struct err *e);
/* The same over every district below code (a province or a city, src/jurisdiction/), with the
 * stamps of code and of the levels above it: what 区县比较 is made from. */
int supervision_store_region_stamps(struct db *db, const char *code, int64_t out[5], struct err *e);
/* Each district's own stamps (as supervision_store_stamps gives them, the levels above it
 * included) for every district below code, in code order: *out malloc'd (free it), *n of them.
 * 0, or -1 with e. */
struct district_stamps {
    char code[8];
    int64_t s[5];
};
int supervision_store_district_stamps(struct db *db, const char *code, struct district_stamps **out, int *n,
                                      struct err *e);

/* The dashboard's monthly snapshots (migration 049, src/supervision/snapshot.c): whether month
 * (YYYY-MM) is taken (1, 0, -1 with e); one town's row put, unless there (in the caller's
 * transaction); and the months up to month (at most max, newest first), each the sums over the
 * district's towns (only town's when not NULL), into sums and months[i] ("YYYY-MM"), *n of them. */
int supervision_store_snapshot_taken(struct db *db, const char *district, const char *month, struct err *e);
int supervision_store_snapshot_put(struct db *db, const char *district, const char *month,
                                   const struct town_totals *t, const char *now_ts, struct err *e);
int supervision_store_trend(struct db *db, const char *district, const char *town, const char *month, int max,
                            struct town_totals *sums, char (*months)[8], int *n, struct err *e);

#endif
