/* routes.h — the HTTP API the server runs: every module's route table in one list, for `tuoyu
 * serve`, `tuoyu routes` and `tuoyu openapi` (routes.c), and the public labels route (labels.c). */
#ifndef TUOYU_ROUTES_H
#define TUOYU_ROUTES_H

#include "http/http.h"

/* The route tables, NULL-terminated. A new domain adds its table here. */
extern const struct route *const app_route_tables[];

/* GET /api/v1/public/labels: the names of codes the web app shows (labels.c). */
extern const struct route labels_routes[];

#endif
