/* api.h — the registry's route table (see api.c), and the institution of a path for the handlers
 * of the domains that hang off an institution (staff, training, care…). */
#ifndef TUOYU_REGISTRY_API_H
#define TUOYU_REGISTRY_API_H

#include <jansson.h>

#include "http/http.h"

extern const struct route registry_routes[];
/* The institutions import and its template (import_api.c). */
extern const struct route registry_import_routes[];

struct institution;

/* The institution named by the path's {id}, loaded (404 when none) and with action checked on it
 * (authz_require: 403 when the role may never, 404 outside the user's jurisdiction); allocated
 * for the request. NULL with e. */
struct institution *registry_load_for(struct http_req *req, const char *action, struct err *e);

/* The `kept` function (http.h) of the public answers made from the institutions (the search list,
 * the vacancies): the district, the day and the institutions' public stamps. */
int registry_public_version(struct http_req *req, char *version, size_t cap, struct err *e);

/* Every institution of the district as the data exchange publishes it (src/exchange/), in id
 * order: a filed one as its public detail shows it (GET /api/v1/public/institutions/{id}, with
 * "status"), any other as {id, status} — it has left the public registry. 0 with *out (an array,
 * the caller's), or -1 with e. */
int registry_exchange_records(struct http_req *req, json_t **out, struct err *e);

#endif
