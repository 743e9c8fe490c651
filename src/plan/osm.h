/* osm.h — reading an OpenStreetMap file (.osm XML or .osm.pbf, via readosm) into the walking
 * graph of graph.h: the planning engine's input format and its only file reader. The rest of
 * src/plan/ but gen.c is pure (no I/O); the domain that stores networks is src/planning/. */
#ifndef TUOYU_PLAN_OSM_H
#define TUOYU_PLAN_OSM_H

#include "base/err.h"
#include "plan/graph.h"

/* Read path (name ending .osm or .pbf) and build the walking graph. Errors (struct err,
 * field "network"): "network_unreadable" when the file is missing, unreadable, not OSM or
 * malformed; "network_empty" when it has no walkable road. */
int plan_osm_load(const char *path, struct plan_graph **out, struct err *e);
/* The same, naming the file `shown` in messages (an upload is read from a private temp file
 * whose path must not reach the client). */
int plan_osm_load_as(const char *path, const char *shown, struct plan_graph **out, struct err *e);

#endif
