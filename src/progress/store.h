/* store.h — SQL of quarterly progress reports (migration 054; the rules are progress.h's). */
#ifndef TUOYU_PROGRESS_STORE_H
#define TUOYU_PROGRESS_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "progress/progress.h"

/* What the routes decide by: a report's key and state. */
struct progress_head {
    int64_t id;
    char town_code[16];
    char period[PROGRESS_PERIOD_LEN];
    int version;
    char state[16];
};

/* A new version of town's report of period as a draft (reopen_reason NULL for the first): 0 with
 * *id, or -1 with e (409 report_exists when the quarter has a current report). */
int progress_store_create(struct db *db, const char *district, const char *town, const char *period, int version,
                          const char *reopen_reason, int64_t user_id, const char *now_ts, int64_t *id, struct err *e);
/* Report id: its head, and (row not NULL) the whole report as JSON (caller decrefs): town_name,
 * the narrative, frozen indicators (null while drafted), who and when. 404 not_found when the
 * district has no such report. */
int progress_store_load(struct db *db, const char *district, int64_t id, struct progress_head *h, json_t **row,
                        struct err *e);
/* Write the narrative of report id while it is a draft or returned: 0, or -1 with e (409
 * report_moved when it moved meanwhile). */
int progress_store_write_text(struct db *db, int64_t id, const char *progress, const char *problems,
                              const char *next_steps, const char *now_ts, struct err *e);
/* Move report id from state `from` to `to` by user: submitted (with the indicators frozen, JSON
 * text), approved or returned (with note), superseded. 409 report_moved when it is no longer in
 * `from`. */
int progress_store_move(struct db *db, int64_t id, const char *from, const char *to, const char *indicators,
                        const char *note, int64_t user_id, const char *now_ts, struct err *e);
/* The narrative of report from_id copied into to_id (a reopened correction starts from it). */
int progress_store_copy_text(struct db *db, int64_t from_id, int64_t to_id, struct err *e);
/* Every town in scope (a WHERE fragment over t.code) with its current report of period, or null:
 * [{town_code, town_name, report: {id, version, state, submitted_at, reviewed_at} | null}]. */
int progress_store_period(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope,
                          const char *period, json_t **towns, struct err *e);
/* Every town of the district with its current report of period, for the district's compiled
 * report: [{town_code, town_name, state (null: none), state_name, progress, problems, next_steps,
 * indicators (frozen; null while drafted or none)}]. */
int progress_store_compiled(struct db *db, const char *district, const char *period, json_t **out, struct err *e);
/* The versions of town's report of period, newest first: [{id, version, state, reopen_reason,
 * review_note, submitted_at, reviewed_at}]. */
int progress_store_versions(struct db *db, const char *district, const char *town, const char *period, json_t **out,
                            struct err *e);
/* What the town's supervision did in [first, last]: inspections recorded, rectification items
 * raised and closed (town NULL: the district). */
struct progress_quarter_counts {
    int64_t inspections, rectifications_raised, rectifications_closed;
};
int progress_store_quarter_counts(struct db *db, const char *district, const char *town, const char *first,
                                  const char *last, struct progress_quarter_counts *out, struct err *e);
/* The same for every town of district in one read, in town code order (free *out). */
struct progress_town_counts {
    char town_code[16];
    struct progress_quarter_counts counts;
};
int progress_store_quarter_counts_by_town(struct db *db, const char *district, const char *first, const char *last,
                                          struct progress_town_counts **out, size_t *n, struct err *e);

/* The completeness of period for the dashboard: towns (all, or town), reports submitted or
 * approved, approved. */
struct progress_tally {
    int64_t towns, submitted, approved;
};
int progress_store_tally(struct db *db, const char *district, const char *town, const char *period,
                         struct progress_tally *out, struct err *e);

#endif
