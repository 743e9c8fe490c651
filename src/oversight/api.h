/* api.h — the routes of rectification items (api.c). */
#ifndef TUOYU_OVERSIGHT_API_H
#define TUOYU_OVERSIGHT_API_H

#include "http/http.h"
#include "oversight/store.h"
#include "registry/registry.h"

extern const struct route oversight_routes[];
/* Inspections (inspection_api.c) */
extern const struct route inspection_routes[];

/* Raise a rectification item at in from finding f: its deadline rectify.deadline_days from today,
 * the overdue notice queued, the audit row written — in the caller's transaction. *id. 409
 * already_open when the finding has an open item. */
int rectify_raise(struct http_req *req, const struct institution *in, const struct rectify_finding *f, int64_t *id,
                  struct err *e);

#endif
