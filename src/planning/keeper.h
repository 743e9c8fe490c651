/* keeper.h — planning results computed once per set of inputs, and the 15-minute service circle
 * kept current for the dashboard (issue 19 item 1): computed when the server starts and again
 * whenever an input changed (an institution opened, moved or closed, a community, the population
 * or a parameter), not on the first visit to 规划分析. */
#ifndef TUOYU_PLANNING_KEEPER_H
#define TUOYU_PLANNING_KEEPER_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "planning/planning.h"

struct app;

/* The result of kind ("coverage" or "sites", with k) for inputs in, read on db: from the cache,
 * else computed on the network in use, stamped with its input hash and computed_at (now), cached
 * on cache_db (the primary when db is a read replica's), and marked "cached" false. NULL with e
 * on failure. */
json_t *planning_result(struct db *db, struct db *cache_db, const char *district, const char *kind,
                        const struct planning_inputs *in, size_t k, int64_t now, struct err *e);

/* Make sure the coverage of today's inputs is cached: 0 with *computed 1 when it had to be
 * computed, 0 when it was; -1 with e. */
int planning_coverage_refresh(struct db *db, const char *district, int64_t now, int *computed, struct err *e);

/* A thread refreshing the coverage at once and then every interval seconds (a cheap hash of the
 * inputs when nothing changed); stopped (joined) by planning_keeper_stop. NULL with e when the
 * thread cannot start. */
struct planning_keeper *planning_keeper_start(struct app *app, int interval, struct err *e);
void planning_keeper_stop(struct planning_keeper *k);

#endif
