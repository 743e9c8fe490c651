/* api.h — the planning routes (see api.c): the district's road network, communities, candidate
 * sites, the 15-minute coverage analysis and site recommendations over HTTP. */
#ifndef TUOYU_PLAN_API_H
#define TUOYU_PLAN_API_H

#include "db/db.h"
#include "http/http.h"

extern const struct route planning_routes[];

/* Validate the OSM file at path (.osm or .osm.pbf) (format from its name) with the planning engine and
 * store it as the district's road network, with an audit row (user_id 0 and login "cli" when req is NULL;
 * otherwise the request's user). bytes/len are the file's contents. Runs its own transaction.
 * On success *id is the new row's id and *nodes and *edges the walking graph's size. */
int plan_network_store(struct db *db, struct http_req *req, const char *district, int64_t now,
                       const char *name, const char *path, const void *bytes, size_t len, int64_t *id,
                       size_t *nodes, size_t *edges, struct err *e);

#endif
