/* rounds.h — ranked applications (applications.c) and allocation rounds with offers (rounds.c) of
 * 入托一件事 (issue 5 parts 3 and 5). A family applies for one child and one intake month with up
 * to enrol.max_choices ranked programs (institution × class type); priority points per program
 * come from the points table (parameters enrol.points.*). The district administrator runs a round
 * per intake: the submitted applications are frozen, lottery numbers drawn from a published seed
 * (alloc/lottery.h, children numbered by ascending application id), the engine (alloc/alloc.h)
 * runs with each program's free places as capacity, and offers go out with a deadline. Accepting
 * enrols the child; declining or lapsing frees the place for the waitlist re-run.
 *
 * Application states: draft → submitted → in_round → offered → accepted | declined | lapsed;
 * in_round → waitlisted → offered (re-run); withdrawn from any state before accepted. */
#ifndef TUOYU_ENROL_ROUNDS_H
#define TUOYU_ENROL_ROUNDS_H

#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "http/http.h"

/* The criteria a family declares (1 = applies). */
struct enrol_criteria {
    int multi_child;          /* 多孩家庭 */
    int both_parents_working; /* 父母双方在职 */
    int ouhai_residence;      /* 瓯海户籍或社保 */
    int disability;           /* 残疾 */
    int hardship;             /* 低保、低边、特困 */
};

/* Points of each criterion (parameters enrol.points.<criterion>). */
struct enrol_points_table {
    double multi_child, both_parents_working, ouhai_residence, disability, hardship;
    double sibling_at_institution, same_town;
};

/* The criteria keys in the order of struct enrol_criteria, NULL-terminated. */
extern const char *const enrol_criteria_keys[];

/* A child's points at one program: the sum of the points of every criterion that applies; sibling
 * and same_town are computed by the caller from data. Pure. */
double enrol_points(const struct enrol_points_table *t, const struct enrol_criteria *c, int sibling, int same_town);

/* Load the points table in force on date (YYYY-MM-DD). 0, or -1 with e (500 param_missing). */
int enrol_points_load(struct db *db, const char *district, const char *date, struct enrol_points_table *t,
                      struct err *e);

/* Recompute and store the points of every choice of application app_id with points table t (see
 * enrol_points_load). Call inside the caller's transaction. 0 or -1 with e. */
int enrol_application_points(struct db *db, const struct enrol_points_table *t, int64_t app_id, struct err *e);

/* Record a state change of an application: sets status (and updated_at = now_ts) and appends an
 * audit row "application.<to>" with {from, to} and the fields of extra (may be NULL; stolen: the
 * function takes the reference), inside the caller's transaction. Returns 0 or -1 with e. */
int enrol_app_transition(struct http_req *req, int64_t app_id, const char *from, const char *to, const char *now_ts,
                         json_t *extra, struct err *e);

/* Prepare sql and bind the variadic arguments by types, one letter each: 'i' int64_t, 't' const
 * char * (NULL binds NULL), 'd' double. Returns the statement, or NULL with e filled. */
struct db_stmt *enrol_stmt(struct db *db, struct err *e, const char *sql, const char *types, ...);
/* Prepare, bind as enrol_stmt, step once, finalize. Returns the rows changed (>= 0) or -1 with e. */
int64_t enrol_exec(struct db *db, struct err *e, const char *sql, const char *types, ...);
/* Prepare, bind, step once: the first column of the first row as an integer; *found = 0 when
 * there is no row (return 0) or the value is NULL. Returns -1 with e on error. */
int64_t enrol_int(struct db *db, struct err *e, int *found, const char *sql, const char *types, ...);

extern const struct route applications_routes[];
extern const struct route rounds_routes[];

#endif
