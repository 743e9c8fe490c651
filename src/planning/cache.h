/* cache.h — the planning result cache: a coverage or site result is kept in planning_result
 * under a BLAKE2b hash of every input it was computed from (the network in use, towns,
 * communities, institutions, candidates, the parameters in force, k), so a repeated request is
 * answered from the table until something changes. One result per kind is kept: once an input
 * changed, the older ones can no longer be asked for. Best effort both ways: a failure to read
 * or write the cache never fails a request. */
#ifndef TUOYU_PLANNING_CACHE_H
#define TUOYU_PLANNING_CACHE_H

#include <jansson.h>

#include "db/db.h"
#include "planning/planning.h"

/* The hash of the inputs of a result of kind ("coverage", "sites"; k for sites), as 64 hex
 * digits and a NUL. */
void planning_cache_key(const struct planning_inputs *in, const char *kind, long k, char out[65]);
/* The cached result of kind under key, or NULL. */
json_t *planning_cache_get(struct db *db, const char *district, const char *kind, const char *key);
/* Store result as the one result of kind, computed at computed_at (its own transaction). */
void planning_cache_put(struct db *db, const char *district, const char *kind, const char *key,
                        const char *computed_at, const json_t *result);

#endif
