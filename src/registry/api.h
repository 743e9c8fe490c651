/* api.h — the registry's route table (see api.c). */
#ifndef TUOYU_REGISTRY_API_H
#define TUOYU_REGISTRY_API_H

#include "http/http.h"

extern const struct route registry_routes[];

/* The public search's "near=lon,lat&radius_km=R" (radius default 5 km, at most 100): *present 0
 * when near is absent; 400 bad_point / bad_radius otherwise. */
int public_near(struct http_req *req, int *present, double *lon, double *lat, double *radius_km, struct err *e);


#endif
