/* network.h — the district's road network: an OpenStreetMap file is validated by the planning
 * engine (it must give a walking graph) and stored with its audit row; the network in use is
 * read back as a walking graph. readosm reads only files, so stored bytes pass through a private
 * temp file (mkstemps), unlinked at once. */
#ifndef TUOYU_PLANNING_NETWORK_H
#define TUOYU_PLANNING_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "http/http.h"
#include "plan/graph.h"
#include "planning/planning.h"

/* Validate the OSM file at path (format from its name: .pbf, else .osm) with the engine and
 * store it as the district's newest network, with an audit row (user 0 and login "cli" when req
 * is NULL; otherwise the request's user). bytes/len are the file's contents. Runs its own
 * transaction. On success out holds the new row. Errors name the file as the command line gave
 * it, or as "the uploaded file" for a request (never a server path): 422 network_unreadable or
 * network_empty (field network). */
int planning_network_import(struct db *db, struct http_req *req, const char *district, int64_t now,
                            const char *name, const char *path, const void *bytes, size_t len,
                            struct planning_network *out, struct err *e);
/* An uploaded file (.osm XML or .osm.pbf, told apart by its first bytes) imported as above for
 * the request's district; 422 network_unreadable when it is neither. */
int planning_network_upload(struct http_req *req, const char *name, const void *bytes, size_t len,
                            struct planning_network *out, struct err *e);
/* The walking graph of stored network id; *g is NULL when id is 0 (no network: straight line). */
int planning_network_graph(struct db *db, const char *district, int64_t id, struct plan_graph **g,
                           struct err *e);

#endif
