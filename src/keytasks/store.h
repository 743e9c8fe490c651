/* store.h — SQL of the key-task plan (migration 055; the rules are keytasks.h's). */
#ifndef TUOYU_KEYTASKS_STORE_H
#define TUOYU_KEYTASKS_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "keytasks/keytasks.h"

/* What the routes decide by. */
struct keytask_head {
    int64_t id;
    char owner_kind[16], owner_code[24], state[16], due_on[DATE_DAY_LEN];
    int nmilestones;
};

/* Does the owner exist (a department or town of the district; the district always)? 1, 0, -1. */
int keytasks_store_owner_known(struct db *db, const char *district, const char *kind, const char *code, struct err *e);
/* Insert t as planned (with its milestones): 0 with *id, or -1 with e. */
int keytasks_store_insert(struct db *db, const char *district, const struct keytask *t, int64_t user_id,
                          const char *now_ts, int64_t *id, struct err *e);
/* Replace task id's fields and milestones (a milestone kept at its position and title keeps its
 * done day). */
int keytasks_store_replace(struct db *db, int64_t id, const struct keytask *t, const char *now_ts, struct err *e);
/* Task id's head; 404 not_found when the district has none. */
int keytasks_store_load(struct db *db, const char *district, int64_t id, struct keytask_head *h, struct err *e);
/* The tasks of the district (only id's when id > 0), in deadline order, each with owner_name, its
 * milestones, its evidence count and its updates (with id > 0 only) — overdue computed on today. */
int keytasks_store_list(struct db *db, const char *district, int64_t id, const char *today, json_t **out,
                        struct err *e);
/* Record a progress report on task id: the update row, the new state (done_on set when done), the
 * milestones of positions marked done on today. */
int keytasks_store_report(struct db *db, int64_t id, const char *state, const char *note, const int *done, int ndone,
                          const char *today, int64_t user_id, const char *now_ts, struct err *e);
/* Cancel task id (the district): its state, and an update row with the reason. */
int keytasks_store_cancel(struct db *db, int64_t id, const char *reason, int64_t user_id, const char *now_ts,
                          struct err *e);
/* Active materials attached to task id. */
int keytasks_store_evidence(struct db *db, const char *district, int64_t id, int *n, struct err *e);

/* The plan's tally for the dashboard: tasks not cancelled, done, overdue on today — the district's,
 * or a town's own tasks (town not NULL). */
struct keytasks_tally {
    int64_t tasks, done, overdue;
};
int keytasks_store_tally(struct db *db, const char *district, const char *town, const char *today,
                         struct keytasks_tally *out, struct err *e);

#endif
