/* store.h — SQL of the assessment schemes (migration 031): a scheme read into the engine's
 * struct rating_scheme and described as JSON for the API, and the district's schemes listed. */
#ifndef TUOYU_RATING_STORE_H
#define TUOYU_RATING_STORE_H

#include <jansson.h>

#include "db/db.h"
#include "rating/rating.h"

/* The scheme id of the district into s (checked coherent by rating_scheme_check) and, when doc is
 * not NULL, its description (*doc the caller's): header, dimensions with their points, items,
 * levels, each figure with its basis and certainty. -1 with e: 404 not_found, or 500
 * bad_scheme when the stored scheme is not coherent. */
int rating_store_load(struct db *db, const char *district, int64_t id, struct rating_scheme *s, json_t **doc,
                      struct err *e);

/* Every scheme version of the district (code, then newest first) with its levels, each marked
 * current when in force on day. *items the caller's. */
int rating_store_list(struct db *db, const char *district, const char *day, json_t **items, struct err *e);

#endif
