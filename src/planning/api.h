/* api.h — the planning routes (see api.c): the district's road network, communities, candidate
 * sites, the 15-minute coverage analysis and site recommendations over HTTP. */
#ifndef TUOYU_PLANNING_API_H
#define TUOYU_PLANNING_API_H

#include "http/http.h"

extern const struct route planning_routes[];

#endif
