/* api.h — the parameter routes (see api.c). */
#ifndef TUOYU_PARAMS_API_H
#define TUOYU_PARAMS_API_H

#include "http/http.h"

extern const struct route params_routes[];

/* The parameters in force today for the request's district, loaded at the first call and kept for
 * the rest of the request (a list that needs them for each of its rows loads them once). NULL
 * with e when they cannot be read. Not for a request that writes parameters before reading them. */
struct params;
const struct params *params_of_request(struct http_req *req, struct err *e);

#endif
