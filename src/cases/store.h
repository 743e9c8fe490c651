/* store.h — every SQL text of the cases engine (tables of migration 019: case_file, case_task,
 * case_event, department, staff_department, institution_filing). Functions run on the caller's
 * connection; writers expect the caller's transaction (with its audit row). */
#ifndef TUOYU_CASES_STORE_H
#define TUOYU_CASES_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "cases/cases.h"
#include "db/db.h"

/* The due_on of a task without a deadline (the column is NOT NULL so the inbox walks its index). */
#define CASES_NO_DUE "9999-12-31"

struct cases_case {
    int64_t id;
    char process[16];
    int64_t institution_id;
    char town_code[16];
    char state[24];
    json_t *data; /* owned: json_decref */
    int64_t version;
    char submitted_on[DATE_DAY_LEN]; /* "" never */
    int64_t created_by;
    char created_at[32], updated_at[32], closed_at[32];
};

/* Insert c (process, institution, town, state, data, created_by set); sets c->id. */
int cases_store_insert(struct db *db, const char *district, struct cases_case *c, const char *now_ts, struct err *e);
/* The case id of the district: 0, or -1 with e = 404 not_found. */
int cases_store_load(struct db *db, const char *district, int64_t id, struct cases_case *out, struct err *e);
/* Row-lock the case until the transaction ends (two decisions on one case take turns) and read it
 * again: as cases_store_load. */
int cases_store_take(struct db *db, const char *district, int64_t id, struct cases_case *out, struct err *e);
/* Replace the case's data (a draft or a deficient case being corrected). */
int cases_store_save_data(struct db *db, const char *district, int64_t id, const json_t *data, const char *now_ts,
                          struct err *e);
/* Cases of the institution and process not yet closed: *n. */
int cases_store_open_count(struct db *db, const char *district, int64_t institution_id, const char *process, int *n,
                           struct err *e);
/* The case's open tasks, at most max into out. */
int cases_store_open_tasks(struct db *db, const char *district, int64_t case_id, struct cases_task *out, int max, int *n,
                           struct err *e);

/* Write what cases_transition decided for case c (as read, its version): the case's state,
 * version + 1, submitted_on and closed_at; the task it closed (done, with the outcome, comment,
 * user), those it cancelled, those it opened (their ids into opened_ids), and the history row.
 * 409 case_changed when the case moved meanwhile, 409 task_closed when the task was closed. */
struct cases_by {
    int64_t user_id;
    const char *user_name;
};
int cases_store_apply(struct db *db, const char *district, const struct cases_case *c, const struct cases_result *r,
                      const struct cases_by *by, const char *comment, const json_t *items, const char *today,
                      const char *now_ts, int64_t opened_ids[CASES_MAX_STEPS], struct err *e);

/* The case's tasks (every state, id order) and history (id order) as JSON arrays. */
int cases_store_tasks_json(struct db *db, const char *district, int64_t case_id, json_t **out, struct err *e);
int cases_store_history_json(struct db *db, const char *district, int64_t case_id, json_t **out, struct err *e);

/* Cases within scope (a WHERE fragment over c.town_code, c.institution_id), optionally of one
 * state, process and town, at most limit, overdue first: in the order of the earliest deadline of
 * their open tasks (due_on, null when none: those last), then id, after (after_due, after_id). */
struct cases_filter {
    const char *state, *process, *town;
    const char *after_due; /* "" on the first page */
    int64_t after_id;
    int limit;
};
int cases_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                     const struct cases_filter *f, json_t **rows, struct err *e);

/* The inbox: open tasks whose action is one of actions, of department ("" none), within scope
 * (over t.town_code, t.institution_id), in due order after (after_due, after_id), at most limit;
 * *total and *overdue (due before today) count them all. */
struct cases_inbox_query {
    const char *const *actions;
    int nactions;
    const char *department;
    const char *today;
    const char *after_due;
    int64_t after_id;
    int limit;
};
int cases_store_inbox(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                      const struct cases_inbox_query *q, json_t **rows, int64_t *total, int64_t *overdue,
                      struct err *e);

/* The user's department: 1 found (out filled), 0 none, -1 with e. */
int cases_store_department_of(struct db *db, const char *district, int64_t user_id, char out[24], struct err *e);
/* Make user_id a member of department (the one department a reviewer belongs to). 422
 * unknown_department when the district has no such department. */
int cases_store_set_department(struct db *db, const char *district, int64_t user_id, const char *department,
                               struct err *e);
/* The district's departments: [{code, name}]. */
int cases_store_departments(struct db *db, const char *district, json_t **rows, struct err *e);

/* Enabled users who might act on a task: of department ("" none); bound to institution_id when it
 * is not 0. *out (malloc'ed) holds their ids and role codes. */
struct cases_recipient {
    int64_t user_id;
    char role[24];
};
int cases_store_recipients(struct db *db, const char *district, const char *department, int64_t institution_id,
                           struct cases_recipient **out, int *n, struct err *e);

/* The families with an open booking at the institution or an application still in play naming
 * it (what a cancellation tells): distinct user ids, *out malloc'ed. */
int cases_store_families_of(struct db *db, const char *district, int64_t institution_id, int64_t **out, int *n,
                            struct err *e);

/* ---- the filing register (公示) ---- */

/* Enter institution_id as filed on today by case_id (0: filed before the platform kept cases), with a new filing number of the year
 * (<district>-<year>-<NNNN>) into filing_no (32 bytes); an institution filed before keeps its number. */
int cases_store_register_file(struct db *db, const char *district, int64_t institution_id, int64_t case_id,
                              const char *today, char filing_no[32], struct err *e);
/* A change filing decided (changed_on) or a cancellation (cancelled_on) of the institution. */
int cases_store_register_mark(struct db *db, const char *district, int64_t institution_id, int64_t case_id,
                              int cancelled, const char *today, struct err *e);
/* Filed institutions (not cancelled, institution status filed), id above after_id, at most limit:
 * [{institution_id, name, town_code, town_name, address, operating_model, filing_no, filed_on,
 * changed_on}]. */
int cases_store_public_filings(struct db *db, const char *district, int64_t after_id, int limit, json_t **rows,
                               struct err *e);

#endif
