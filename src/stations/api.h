/* api.h — the growth stations' routes (api.c) and the outcome of their joint acceptance. */
#ifndef TUOYU_STATIONS_API_H
#define TUOYU_STATIONS_API_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

extern const struct route stations_routes[];

/* The joint acceptance of case case_id (process station_accept) applied: the station of
 * institution_id accepted today, and its subsidy computed into the ledger with its explanation
 * (kind station); fields are the event's audit fields. In the caller's transaction. */
int stations_case_outcome(struct http_req *req, int64_t case_id, int64_t institution_id, json_t *fields,
                          struct err *e);

#endif
