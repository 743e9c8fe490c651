/* api.h — the registry's route table (see api.c), and the institution of a path for the handlers
 * of the domains that hang off an institution (staff, training, care…). */
#ifndef TUOYU_REGISTRY_API_H
#define TUOYU_REGISTRY_API_H

#include "http/http.h"

extern const struct route registry_routes[];

struct institution;

/* The institution named by the path's {id}, loaded (404 when none) and with action checked on it
 * (authz_require: 403 when the role may never, 404 outside the user's jurisdiction); allocated
 * for the request. NULL with e. */
struct institution *registry_load_for(struct http_req *req, const char *action, struct err *e);

#endif
