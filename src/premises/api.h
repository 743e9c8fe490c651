/* api.h — the idle state premises register's routes (see api.c), and the outcome of an
 * application case that the cases engine applies. */
#ifndef TUOYU_PREMISES_API_H
#define TUOYU_PREMISES_API_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "http/http.h"

extern const struct route premises_routes[];

/* The outcome of an application case (process "premises", src/cases/processes.c) decided
 * "allocate": the entry it applies for goes to institution_id — while still available, the
 * institution still 普惠 — in the caller's transaction, with its own audit row; fields (the case's
 * audit fields) gain premises_id. 0, or -1 with e: 409 premises_allocated (another allocation won,
 * or the entry was withdrawn), 422 not_inclusive. */
int premises_case_outcome(struct http_req *req, int64_t case_id, int64_t institution_id, json_t *fields,
                          struct err *e);

#endif
