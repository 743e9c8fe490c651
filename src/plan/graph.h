/* graph.h — the walking graph of the planning engine: OSM way filter, graph building
 * (both-ways edges, haversine lengths, largest connected component), nearest-node snapping
 * and bounded Dijkstra searches. Pure: no I/O; the OSM file reader is in osm.h.
 *
 * The exact rules (docs/planning.md):
 *  - a way is walkable when its `highway` is in the whitelist (plan_way_walkable) and it is
 *    not excluded by foot=no, or by access=no|private unless foot=yes|designated|permissive;
 *  - each pair of consecutive node refs of a walkable way is an edge walkable both ways whose
 *    length is the haversine distance (geo_haversine_m, base/geo.h); a pair where either node
 *    is absent from the input, or both refs are the same node, gives no edge;
 *  - only the largest connected component by node count is kept (a tie goes to the component
 *    holding the lowest node id); node indices follow ascending OSM node id;
 *  - a point snaps to the nearest node of that component by haversine distance, ties to the
 *    lowest node id. */
#ifndef TUOYU_PLAN_GRAPH_H
#define TUOYU_PLAN_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* One OSM tag. */
struct plan_tag {
    const char *key;
    const char *value;
};

/* 1 when a way with these tags is part of the walking graph, else 0. When a key occurs more
 * than once the first occurrence counts. */
int plan_way_walkable(const struct plan_tag *tags, size_t n_tags);

/* The walking graph: the largest connected component only, nodes in ascending OSM id,
 * adjacency in compressed rows (both directions stored). Read-only once built, so one graph
 * can be shared by threads, each with its own struct plan_search. */
struct plan_graph {
    size_t n;              /* nodes */
    int64_t *ids;          /* OSM node id of each node, ascending */
    double *lat, *lon;     /* degrees */
    size_t *off;           /* n + 1 row offsets into adj / len */
    uint32_t *adj;         /* neighbour node index */
    double *len;           /* edge length in metres */
    double min_lat, max_lat, min_lon, max_lon;   /* bounding box of the nodes */
    /* statistics of the whole input, before keeping the largest component */
    size_t input_nodes;    /* nodes read */
    size_t input_ways;     /* ways read */
    size_t walk_ways;      /* ways kept by the filter */
    size_t walk_nodes;     /* distinct nodes on walkable edges */
    size_t components;     /* connected components among them */
    size_t edges;          /* undirected edges in the kept component (duplicates counted) */
    /* nearest-node index (3-D k-d tree over unit vectors, implicit, median splits) */
    struct plan_kd_item *kd;
    uint8_t *kd_axis;
};

/* one entry of the k-d tree: a node's unit vector and index */
struct plan_kd_item {
    double xyz[3];
    uint32_t node;
};

/* Collects nodes and ways (in any order) and builds the graph. */
struct plan_builder;

struct plan_builder *plan_builder_new(void);
void plan_builder_free(struct plan_builder *b);
/* Add a node. Returns 0, or -1 on allocation failure. */
int plan_builder_add_node(struct plan_builder *b, int64_t id, double lat, double lon);
/* Add a way; it is kept only when plan_way_walkable(tags). Returns 0, or -1 on allocation
 * failure. */
int plan_builder_add_way(struct plan_builder *b, const int64_t *refs, size_t n_refs,
                         const struct plan_tag *tags, size_t n_tags);
/* Build the graph (largest component). Fails with code "network_empty" (status 422) when no
 * walkable edge exists, or on duplicate node ids with different coordinates ("network_node").
 * The builder can be freed afterwards. */
int plan_builder_finish(struct plan_builder *b, struct plan_graph **out, struct err *e);

void plan_graph_free(struct plan_graph *g);

/* Nearest node of the graph to (lat, lon) by haversine distance, ties to the lowest node id.
 * Returns the node index and stores the distance in metres in *dist_m. */
uint32_t plan_graph_snap(const struct plan_graph *g, double lat, double lon, double *dist_m);

/* 1 when (lat, lon) lies inside the bounding box of the graph's nodes widened by margin_m
 * metres on every side; 0 otherwise (the point is "outside the network's area"). */
int plan_graph_contains(const struct plan_graph *g, double lat, double lon, double margin_m);

/* Workspace of a bounded single-source Dijkstra search (binary heap). One per thread. */
struct plan_search {
    size_t n;
    double *dist;          /* INFINITY when not reached */
    uint32_t *settled;     /* nodes settled by the last run, in order of distance */
    size_t n_settled;
    uint32_t *touched;     /* nodes whose dist was written (reset lazily) */
    size_t n_touched;
    struct plan_heap_item *heap;
    size_t heap_len, heap_cap;
};

int plan_search_init(struct plan_search *s, const struct plan_graph *g);
void plan_search_free(struct plan_search *s);
/* Shortest network distances from node `source`, settling every node whose distance is
 * <= limit_m. Afterwards s->settled[0..n_settled) lists them in non-decreasing distance and
 * s->dist[v] holds each one's distance (other entries are INFINITY or a tentative value
 * above the limit). Returns 0, or -1 on allocation failure. */
int plan_search_run(struct plan_search *s, const struct plan_graph *g, uint32_t source,
                    double limit_m);

#endif
