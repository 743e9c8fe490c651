/* test_plan.c — the planning engine: the OSM way filter rule by rule, graph building (both-way
 * edges, haversine lengths, largest component and its tie), snapping ties, bounded Dijkstra,
 * coverage and E2SFCA on hand-built graphs with known answers, zone boundaries, straight-line
 * mode, site selection against an exact GLPK optimum (up to 200 candidates), the site pipeline
 * (plan_sites) with known answers, the C10.1 planning rules, the generator (XML and PBF give the
 * same graph), real OSM files (Chengdu XML, Monaco PBF) against figures from the independent
 * bench/plan_reference.py, and bad input on the CLI (exit 2, message, no output file), and
 * `plan sites` against `plan sites --exact` on Chengdu. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/geo.h"
#include "commands.h"
#include "plan/coverage.h"
#include "plan/gen.h"
#include "plan/graph.h"
#include "plan/mclp.h"
#include "plan/osm.h"
#include "plan/rules.h"
#include "plan/sites.h"

#define R GEO_EARTH_RADIUS_M
#define DEG (M_PI / 180.0)

/* ---- helpers ------------------------------------------------------------------------- */

static const struct plan_tag HW_RES[] = {{"highway", "residential"}};

/* build a graph from nodes (id, lat, lon) and ways given as id lists terminated by 0 */
static struct plan_graph *build(const double (*nodes)[3], size_t n_nodes, const int64_t *ways)
{
    struct plan_builder *b = plan_builder_new();
    assert_non_null(b);
    for (size_t i = 0; i < n_nodes; i++)
        assert_int_equal(plan_builder_add_node(b, (int64_t)nodes[i][0], nodes[i][1], nodes[i][2]), 0);
    size_t k = 0;
    while (ways && ways[k]) {
        size_t s = k;
        while (ways[k])
            k++;
        assert_int_equal(plan_builder_add_way(b, ways + s, k - s, HW_RES, 1), 0);
        k++;
    }
    struct plan_graph *g = NULL;
    struct err e = {0};
    int rc = plan_builder_finish(b, &g, &e);
    plan_builder_free(b);
    return rc == 0 ? g : NULL;
}

static long node_index(const struct plan_graph *g, int64_t id)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->ids[i] == id)
            return (long)i;
    return -1;
}

static double edge_len(const struct plan_graph *g, int64_t a, int64_t b)
{
    long x = node_index(g, a), y = node_index(g, b);
    if (x < 0 || y < 0)
        return -1;
    for (size_t k = g->off[x]; k < g->off[x + 1]; k++)
        if (g->adj[k] == (uint32_t)y)
            return g->len[k];
    return -1;
}

/* metres east along the equator: 1e-5 degree steps are R * 1e-5 * DEG metres */
static double lon_for_m(double m)
{
    return m / (R * DEG);
}

/* ---- the way filter ------------------------------------------------------------------ */

static int walk(const char *k1, const char *v1, const char *k2, const char *v2, const char *k3, const char *v3)
{
    struct plan_tag t[3];
    size_t n = 0;
    if (k1)
        t[n++] = (struct plan_tag){k1, v1};
    if (k2)
        t[n++] = (struct plan_tag){k2, v2};
    if (k3)
        t[n++] = (struct plan_tag){k3, v3};
    return plan_way_walkable(t, n);
}

static void way_filter_highway_whitelist(void **state)
{
    (void)state;
    const char *yes[] = {"trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
                         "tertiary", "tertiary_link", "unclassified", "residential", "living_street", "service",
                         "pedestrian", "track", "road", "footway", "path", "steps", "cycleway", "bridleway",
                         "corridor"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        assert_int_equal(walk("highway", yes[i], NULL, NULL, NULL, NULL), 1);
    const char *no[] = {"motorway", "motorway_link", "construction", "proposed", "platform", "bus_stop",
                        "crossing", "elevator", "Residential", "residential ", ""};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_int_equal(walk("highway", no[i], NULL, NULL, NULL, NULL), 0);
    assert_int_equal(walk(NULL, NULL, NULL, NULL, NULL, NULL), 0);          /* no tags */
    assert_int_equal(walk("railway", "rail", "name", "x", NULL, NULL), 0);  /* no highway */
    assert_int_equal(walk("name", "x", "highway", "path", NULL, NULL), 1);  /* any position */
}

static void way_filter_foot_and_access(void **state)
{
    (void)state;
    /* foot=no excludes, whatever access says */
    assert_int_equal(walk("highway", "footway", "foot", "no", NULL, NULL), 0);
    assert_int_equal(walk("highway", "primary", "foot", "no", "access", "yes"), 0);
    /* access=no|private excludes unless foot=yes|designated|permissive */
    assert_int_equal(walk("highway", "service", "access", "no", NULL, NULL), 0);
    assert_int_equal(walk("highway", "service", "access", "private", NULL, NULL), 0);
    assert_int_equal(walk("highway", "service", "access", "private", "foot", "yes"), 1);
    assert_int_equal(walk("highway", "service", "access", "no", "foot", "designated"), 1);
    assert_int_equal(walk("highway", "service", "access", "private", "foot", "permissive"), 1);
    assert_int_equal(walk("highway", "service", "access", "private", "foot", "use_sidepath"), 0);
    assert_int_equal(walk("highway", "service", "access", "no", "foot", "no"), 0);
    /* other access values do not exclude */
    assert_int_equal(walk("highway", "service", "access", "destination", NULL, NULL), 1);
    assert_int_equal(walk("highway", "service", "access", "customers", NULL, NULL), 1);
    assert_int_equal(walk("highway", "service", "access", "yes", NULL, NULL), 1);
    assert_int_equal(walk("highway", "service", "foot", "yes", NULL, NULL), 1);
    /* a repeated key: the first occurrence counts */
    assert_int_equal(walk("highway", "path", "foot", "yes", "foot", "no"), 1);
    assert_int_equal(walk("highway", "motorway", "highway", "path", NULL, NULL), 0);
}

/* ---- graph building ------------------------------------------------------------------ */

static void graph_edges_both_ways_with_haversine_length(void **state)
{
    (void)state;
    /* nodes added out of id order; way 30-10-20 */
    const double nodes[][3] = {{30, 0, 0}, {10, 0, 0.001}, {20, 0.001, 0.001}, {99, 1, 1}};
    const int64_t ways[] = {30, 10, 20, 0, 0};
    struct plan_graph *g = build(nodes, 4, ways);
    assert_non_null(g);
    assert_int_equal(g->n, 3); /* node 99 is on no way */
    assert_true(g->ids[0] == 10 && g->ids[1] == 20 && g->ids[2] == 30);
    assert_int_equal(g->edges, 2);
    double d1 = geo_haversine_m(0, 0, 0, 0.001), d2 = geo_haversine_m(0, 0.001, 0.001, 0.001);
    assert_true(edge_len(g, 30, 10) == d1 && edge_len(g, 10, 30) == d1);
    assert_true(edge_len(g, 10, 20) == d2 && edge_len(g, 20, 10) == d2);
    assert_true(edge_len(g, 30, 20) < 0);
    plan_graph_free(g);
}

static void graph_filtered_ways_missing_nodes_and_repeats(void **state)
{
    (void)state;
    struct plan_builder *b = plan_builder_new();
    for (int i = 1; i <= 6; i++)
        plan_builder_add_node(b, i, 0, 0.001 * i);
    const int64_t w1[] = {1, 2, 2, 3};        /* repeated ref: no self-loop */
    const int64_t w2[] = {3, 77, 4};          /* 77 absent: neither 3-77 nor 77-4 */
    const int64_t w3[] = {4, 5, 6};           /* motorway: not walkable */
    const int64_t w4[] = {5, 6};              /* private: not walkable */
    const struct plan_tag mw[] = {{"highway", "motorway"}};
    const struct plan_tag pv[] = {{"highway", "service"}, {"access", "private"}};
    plan_builder_add_way(b, w1, 4, HW_RES, 1);
    plan_builder_add_way(b, w2, 3, HW_RES, 1);
    plan_builder_add_way(b, w3, 3, mw, 1);
    plan_builder_add_way(b, w4, 2, pv, 2);
    struct plan_graph *g = NULL;
    struct err e = {0};
    assert_int_equal(plan_builder_finish(b, &g, &e), 0);
    plan_builder_free(b);
    assert_int_equal(g->n, 3); /* 1-2-3 */
    assert_int_equal(g->edges, 2);
    assert_int_equal(g->input_ways, 4);
    assert_int_equal(g->walk_ways, 2);
    for (size_t v = 0; v < g->n; v++)
        for (size_t k = g->off[v]; k < g->off[v + 1]; k++)
            assert_true(g->adj[k] != v);
    plan_graph_free(g);
}

static void graph_keeps_largest_component_tie_to_lowest_id(void **state)
{
    (void)state;
    /* component {5,6,7} (3 nodes) beats {1,2} (2 nodes) */
    const double nodes[][3] = {{1, 0, 0}, {2, 0, 0.001}, {5, 1, 0}, {6, 1, 0.001}, {7, 1, 0.002},
                               {8, 2, 0}, {9, 2, 0.001}, {3, 3, 0}, {4, 3, 0.001}};
    const int64_t ways[] = {1, 2, 0, 5, 6, 7, 0, 0};
    struct plan_graph *g = build(nodes, 9, ways);
    assert_int_equal(g->n, 3);
    assert_true(g->ids[0] == 5);
    assert_int_equal(g->components, 2);
    plan_graph_free(g);
    /* tie of two 2-node components: the one with node 3 (lower than 8) wins */
    const int64_t ways2[] = {8, 9, 0, 4, 3, 0, 0};
    g = build(nodes, 9, ways2);
    assert_int_equal(g->n, 2);
    assert_true(g->ids[0] == 3 && g->ids[1] == 4);
    plan_graph_free(g);
}

static void graph_without_walkable_edge_is_an_error(void **state)
{
    (void)state;
    struct plan_builder *b = plan_builder_new();
    plan_builder_add_node(b, 1, 0, 0);
    plan_builder_add_node(b, 2, 0, 0.001);
    const int64_t w[] = {1, 2};
    const struct plan_tag mw[] = {{"highway", "motorway"}};
    plan_builder_add_way(b, w, 2, mw, 1);
    struct plan_graph *g = NULL;
    struct err e = {0};
    assert_int_equal(plan_builder_finish(b, &g, &e), -1);
    assert_null(g);
    assert_string_equal(e.code, "network_empty");
    plan_builder_free(b);
    /* duplicate node id with different coordinates */
    b = plan_builder_new();
    plan_builder_add_node(b, 2, 0, 0.001);
    plan_builder_add_node(b, 1, 0, 0);
    plan_builder_add_node(b, 1, 0, 0.5);
    plan_builder_add_way(b, w, 2, HW_RES, 1);
    assert_int_equal(plan_builder_finish(b, &g, &e), -1);
    assert_string_equal(e.code, "network_node");
    plan_builder_free(b);
}

/* ---- snapping ------------------------------------------------------------------------ */

static void snap_ties_go_to_lowest_id(void **state)
{
    (void)state;
    /* 7 and 4 share coordinates; 9 and 2 are equidistant from the query at lon 0.0015 */
    const double nodes[][3] = {{7, 0, 0}, {4, 0, 0}, {9, 0, 0.001}, {2, 0, 0.002}, {12, 0, 0.003}};
    const int64_t ways[] = {7, 9, 2, 12, 0, 4, 7, 0, 0};
    struct plan_graph *g = build(nodes, 5, ways);
    double d;
    uint32_t v = plan_graph_snap(g, 0.0001, 0, &d);
    assert_true(g->ids[v] == 4);
    assert_true(d == geo_haversine_m(0.0001, 0, 0, 0));
    v = plan_graph_snap(g, 0, 0.0015, &d);
    assert_true(g->ids[v] == 2);
    v = plan_graph_snap(g, 0, 0.00151, &d);
    assert_true(g->ids[v] == 2);
    v = plan_graph_snap(g, 0, 0.00149, &d);
    assert_true(g->ids[v] == 9);
    plan_graph_free(g);
}

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static double urand(uint64_t *s)
{
    return (double)(rng(s) >> 11) / 9007199254740992.0;
}

static void snap_matches_brute_force(void **state)
{
    (void)state;
    uint64_t s = 42;
    size_t n = 3000;
    struct plan_builder *b = plan_builder_new();
    int64_t *refs = malloc(n * sizeof *refs);
    for (size_t i = 0; i < n; i++) {
        /* a coarse lattice so that many exact ties occur, plus random points */
        double lat = 30 + (i % 2 ? urand(&s) * 0.05 : (double)(rng(&s) % 20) * 0.0025);
        double lon = 104 + (i % 2 ? urand(&s) * 0.05 : (double)(rng(&s) % 20) * 0.0025);
        plan_builder_add_node(b, (int64_t)(n - i) * 3, lat, lon);
        refs[i] = (int64_t)(n - i) * 3;
    }
    plan_builder_add_way(b, refs, n, HW_RES, 1);
    struct plan_graph *g = NULL;
    struct err e = {0};
    assert_int_equal(plan_builder_finish(b, &g, &e), 0);
    plan_builder_free(b);
    free(refs);
    for (int q = 0; q < 2000; q++) {
        double lat = 29.99 + urand(&s) * 0.07, lon = 103.99 + urand(&s) * 0.07;
        if (q % 3 == 0) { /* exactly on the lattice or midway between lattice points */
            lat = 30 + (double)(rng(&s) % 40) * 0.00125;
            lon = 104 + (double)(rng(&s) % 40) * 0.00125;
        }
        double best = INFINITY;
        size_t bi = 0;
        for (size_t i = 0; i < g->n; i++) {
            double d = geo_haversine_m(lat, lon, g->lat[i], g->lon[i]);
            if (d < best) {
                best = d;
                bi = i;
            }
        }
        double d;
        uint32_t v = plan_graph_snap(g, lat, lon, &d);
        assert_int_equal(v, bi);
        assert_true(d == best);
    }
    plan_graph_free(g);
}

static void contains_uses_bbox_plus_margin(void **state)
{
    (void)state;
    const double nodes[][3] = {{1, 30, 104}, {2, 30.01, 104.01}};
    const int64_t ways[] = {1, 2, 0, 0};
    struct plan_graph *g = build(nodes, 2, ways);
    assert_true(plan_graph_contains(g, 30.005, 104.005, 0));
    assert_false(plan_graph_contains(g, 29.995, 104.005, 0));
    assert_true(plan_graph_contains(g, 29.995, 104.005, 1000));  /* 0.005 deg ≈ 556 m */
    assert_false(plan_graph_contains(g, 29.98, 104.005, 1000));  /* ≈ 2.2 km */
    assert_false(plan_graph_contains(g, 30.005, 104.03, 1000));
    plan_graph_free(g);
}

/* ---- Dijkstra ------------------------------------------------------------------------ */

static void dijkstra_shortest_and_bounded(void **state)
{
    (void)state;
    /* square 1-2-3-4-1 with a long way round and a direct diagonal 1-3 */
    const double nodes[][3] = {{1, 0, 0}, {2, 0, 0.01}, {3, 0.01, 0.01}, {4, 0.01, 0}};
    const int64_t ways[] = {1, 2, 3, 4, 1, 0, 1, 3, 0, 0};
    struct plan_graph *g = build(nodes, 4, ways);
    struct plan_search s;
    assert_int_equal(plan_search_init(&s, g), 0);
    assert_int_equal(plan_search_run(&s, g, (uint32_t)node_index(g, 1), 1e9), 0);
    assert_int_equal(s.n_settled, 4);
    double diag = geo_haversine_m(0, 0, 0.01, 0.01);
    assert_true(s.dist[node_index(g, 3)] == diag);
    assert_true(s.dist[node_index(g, 2)] == geo_haversine_m(0, 0, 0, 0.01));
    for (size_t k = 1; k < s.n_settled; k++)
        assert_true(s.dist[s.settled[k - 1]] <= s.dist[s.settled[k]]);
    /* bounded: only nodes within the limit */
    assert_int_equal(plan_search_run(&s, g, (uint32_t)node_index(g, 1), 1200), 0);
    assert_int_equal(s.n_settled, 3); /* 1, and 2 and 4 at ≈1.1 km; 3 at ≈1.57 km is not */
    assert_int_equal(plan_search_run(&s, g, (uint32_t)node_index(g, 1), 0), 0);
    assert_int_equal(s.n_settled, 1);
    plan_search_free(&s);
    plan_graph_free(g);
}

/* ---- coverage and E2SFCA -------------------------------------------------------------- */

static void zone_boundaries(void **state)
{
    (void)state;
    struct plan_params p;
    plan_params_default(&p);
    assert_true(plan_zone_weight(&p, 0) == 1.00);
    assert_true(plan_zone_weight(&p, 5) == 1.00);                  /* m/3 is in zone 1 */
    assert_true(plan_zone_weight(&p, nextafter(5, 6)) == 0.68);
    assert_true(plan_zone_weight(&p, 10) == 0.68);                 /* 2m/3 is in zone 2 */
    assert_true(plan_zone_weight(&p, nextafter(10, 11)) == 0.22);
    assert_true(plan_zone_weight(&p, 15) == 0.22);                 /* m is in zone 3 */
    assert_true(plan_zone_weight(&p, nextafter(15, 16)) == 0);
    assert_true(plan_zone_weight(&p, -0.001) == 0);
    assert_true(plan_zone_weight(&p, NAN) == 0);
    p.minutes = 10; /* boundaries computed as m/3.0 and 2.0*m/3.0 */
    assert_true(plan_zone_weight(&p, 10.0 / 3.0) == 1.00);
    assert_true(plan_zone_weight(&p, nextafter(10.0 / 3.0, 4)) == 0.68);
    assert_true(plan_zone_weight(&p, 2.0 * 10.0 / 3.0) == 0.68);
    assert_true(plan_zone_weight(&p, nextafter(2.0 * 10.0 / 3.0, 7)) == 0.22);
}

/* A straight street along the equator, nodes every 100 m (ids 1..41). Demand and sites sit
 * exactly on nodes or a known distance north of one. */
static struct plan_graph *street(void)
{
    double nodes[41][3];
    int64_t ways[43];
    for (int i = 0; i < 41; i++) {
        nodes[i][0] = i + 1;
        nodes[i][1] = 0;
        nodes[i][2] = lon_for_m(100.0 * i);
        ways[i] = i + 1;
    }
    ways[41] = 0;
    ways[42] = 0;
    return build((const double(*)[3])nodes, 41, ways);
}

static void coverage_known_answers(void **state)
{
    (void)state;
    struct plan_graph *g = street();
    assert_non_null(g);
    struct plan_params p;
    plan_params_default(&p); /* 15 min, 4 km/h: 1000 m = 15 min */
    double north20 = 20.0 / (R * DEG); /* 20 m north of a node */
    struct plan_demand d[] = {
        {0, lon_for_m(0), 1000, 10},           /* at node 1 */
        {north20, lon_for_m(500), 2000, 20},   /* 20 m off node 6 */
        {0, lon_for_m(2000), 500, 5},          /* node 21 */
        {0, lon_for_m(4000), 100, 0},          /* node 41, far from everything */
    };
    struct plan_point s[] = {
        {0, lon_for_m(300)},   /* site A at node 4 */
        {0, lon_for_m(1200)},  /* site B at node 13 */
    };
    double places[] = {30, 10};
    struct plan_coverage_row rows[4];
    struct plan_coverage_totals t;
    struct err e = {0};
    p.max_minutes = 40;
    assert_int_equal(plan_coverage_run(g, &p, d, 4, s, places, 2, rows, &t, &e), 0);
    /* times: network metres along the street (float sums of 100 m edges) */
    double mpm = 4000.0 / 60;
    assert_int_equal(rows[0].nearest_site, 0);
    assert_float_equal(rows[0].minutes, 300 / mpm, 1e-6);   /* 4.5 min: zone 1 of A */
    assert_int_equal(rows[0].covered, 1);
    assert_int_equal(rows[1].nearest_site, 0);
    double snap1 = geo_haversine_m(north20, lon_for_m(500), 0, lon_for_m(500));
    assert_float_equal(snap1, 20, 1e-6);
    assert_float_equal(rows[1].minutes, (20 + 200) / mpm, 1e-6); /* 3.3 min to A */
    assert_int_equal(rows[2].nearest_site, 1);
    assert_float_equal(rows[2].minutes, 800 / mpm, 1e-6);   /* 12 min to B: zone 3 */
    assert_int_equal(rows[2].covered, 1);
    assert_int_equal(rows[3].nearest_site, -1);             /* 2800 m = 42 min > 40: none */
    assert_true(isnan(rows[3].minutes));
    assert_int_equal(rows[3].covered, 0);
    plan_graph_free(g);
}

static void coverage_max_minutes_and_e2sfca(void **state)
{
    (void)state;
    struct plan_graph *g = street();
    struct plan_params p;
    plan_params_default(&p);
    double mpm = 4000.0 / 60;
    struct plan_demand d[] = {
        {0, lon_for_m(0), 1000, 10},     /* node 1 */
        {0, lon_for_m(500), 2000, 20},   /* node 6 */
        {0, lon_for_m(2000), 500, 5},    /* node 21 */
        {0, lon_for_m(4000), 100, 7},    /* node 41 */
    };
    struct plan_point s[] = {{0, lon_for_m(300)}, {0, lon_for_m(1200)}};
    double places[] = {30, 10};
    struct plan_coverage_row rows[4];
    struct plan_coverage_totals t;
    struct err e = {0};
    p.max_minutes = 40;
    assert_int_equal(plan_coverage_run(g, &p, d, 4, s, places, 2, rows, &t, &e), 0);
    assert_int_equal(rows[3].nearest_site, -1); /* 42 min away */
    assert_true(isnan(rows[3].minutes));
    p.max_minutes = 42.5;
    assert_int_equal(plan_coverage_run(g, &p, d, 4, s, places, 2, rows, &t, &e), 0);
    assert_int_equal(rows[3].nearest_site, 1);
    assert_float_equal(rows[3].minutes, 42, 1e-6);
    assert_int_equal(rows[3].covered, 0);
    /* E2SFCA by hand. times (min): A: d0 4.5 (w1), d1 3 (w1), d2 25.5 (0);
     * B: d0 18 (0), d1 10.5 (w3: 10.5 > 10), d2 12 (w3), d3 42 (0) */
    double wa = 1.0 * 10 + 1.0 * 20;
    double wb = 0.22 * 20 + 0.22 * 5;
    double ra = 30 / wa, rb = 10 / wb;
    assert_float_equal(rows[0].access_per_1000, 1000 * (1.0 * ra), 1e-9);
    assert_float_equal(rows[1].access_per_1000, 1000 * (1.0 * ra + 0.22 * rb), 1e-9);
    assert_float_equal(rows[2].access_per_1000, 1000 * (0.22 * rb), 1e-9);
    assert_float_equal(rows[3].access_per_1000, 0, 0);
    assert_float_equal(rows[1].minutes, 200 / mpm, 1e-9);
    /* totals: d0, d1, d2 covered */
    assert_float_equal(t.population, 3600, 0);
    assert_float_equal(t.population_covered, 3500, 0);
    assert_float_equal(t.children_covered, 35, 0);
    assert_float_equal(t.places, 40, 0);
    /* a site whose catchment holds no children gets R = 0, not a division by zero */
    struct plan_demand d0[] = {{0, lon_for_m(0), 100, 0}};
    assert_int_equal(plan_coverage_run(g, &p, d0, 1, s, places, 2, rows, &t, &e), 0);
    assert_float_equal(rows[0].access_per_1000, 0, 0);
    assert_int_equal(rows[0].covered, 1);
    plan_graph_free(g);
}

static void coverage_exact_threshold_and_ties(void **state)
{
    (void)state;
    struct plan_graph *g = street();
    struct plan_params p;
    plan_params_default(&p);
    /* speed so that 600 m of network is exactly 15 min: 2.4 km/h */
    p.speed_kmh = 2.4;
    struct plan_demand d[] = {{0, lon_for_m(600), 10, 1}};
    /* two sites at the same node: the first in the file wins the tie */
    struct plan_point s[] = {{0, lon_for_m(0)}, {0, lon_for_m(0)}, {0, lon_for_m(1300)}};
    double places[] = {1, 1, 1};
    struct plan_coverage_row rows[1];
    struct err e = {0};
    assert_int_equal(plan_coverage_run(g, &p, d, 1, s, places, 3, rows, NULL, &e), 0);
    assert_int_equal(rows[0].nearest_site, 0);
    assert_float_equal(rows[0].minutes, 15, 1e-9);
    /* covered iff minutes <= 15 on the unrounded time */
    double t = rows[0].minutes;
    assert_int_equal(rows[0].covered, t <= 15);
    plan_graph_free(g);
}

static void straight_line_mode(void **state)
{
    (void)state;
    struct plan_params p;
    plan_params_default(&p);
    struct plan_demand d[] = {{30, 104, 100, 10}, {30.05, 104, 50, 5}};
    struct plan_point s[] = {{30.005, 104.003}};
    double places[] = {12};
    struct plan_coverage_row rows[2];
    struct err e = {0};
    assert_int_equal(plan_coverage_run(NULL, &p, d, 2, s, places, 1, rows, NULL, &e), 0);
    double m = geo_haversine_m(30, 104, 30.005, 104.003) * 1.3;
    assert_float_equal(rows[0].minutes, m / (4000.0 / 60), 1e-9);
    assert_int_equal(rows[0].covered, 1);
    assert_int_equal(rows[1].covered, 0);
    p.detour_factor = 2;
    assert_int_equal(plan_coverage_run(NULL, &p, d, 2, s, places, 1, rows, NULL, &e), 0);
    assert_float_equal(rows[0].minutes, m / 1.3 * 2 / (4000.0 / 60), 1e-9);
    p.speed_kmh = 0;
    assert_int_equal(plan_coverage_run(NULL, &p, d, 2, s, places, 1, rows, NULL, &e), -1);
    assert_string_equal(e.code, "bad_params");
}

/* ---- site selection ------------------------------------------------------------------ */

static void mclp_swap_fixes_greedy(void **state)
{
    (void)state;
    /* weights d0=3 d1=3 d2=2 d3=2; c0={d0,d1} (6), c1={d0,d2} (5), c2={d1,d3} (5).
     * Greedy with k=2 takes c0 then +2 = 8; the optimum {c1,c2} is 10. */
    double w[] = {3, 3, 2, 2};
    size_t off[] = {0, 2, 4, 6};
    uint32_t cover[] = {0, 1, 0, 2, 1, 3};
    struct plan_mclp in = {.n_demand = 4, .weight = w, .n_cand = 3, .cover_off = off, .cover = cover, .k = 2};
    uint32_t chosen[2];
    double added[2];
    struct plan_mclp_result r = {.chosen = chosen, .added = added};
    struct err e = {0};
    assert_int_equal(plan_mclp_solve(&in, &r, &e), 0);
    assert_int_equal(r.n_chosen, 2);
    assert_float_equal(r.total, 10, 0);
    assert_int_equal(chosen[0], 1); /* tie 5/5 ranked to the lower index */
    assert_int_equal(chosen[1], 2);
    assert_float_equal(added[0], 5, 0);
    assert_float_equal(added[1], 5, 0);
    int proven = 0;
    assert_int_equal(plan_mclp_exact(&in, 0, &r, &proven, &e), 0);
    assert_int_equal(proven, 1);
    assert_float_equal(r.total, 10, 1e-9);
    /* k larger than the candidates: all of them */
    in.k = 9;
    uint32_t ch3[3];
    double ad3[3];
    struct plan_mclp_result r3 = {.chosen = ch3, .added = ad3};
    assert_int_equal(plan_mclp_solve(&in, &r3, &e), 0);
    assert_int_equal(r3.n_chosen, 3);
    assert_float_equal(r3.total, 10, 0);
    in.k = 0;
    assert_int_equal(plan_mclp_solve(&in, &r3, &e), 0);
    assert_int_equal(r3.n_chosen, 0);
}

/* the site pipeline (plan_sites) on a line without a network, 1,000 m = 15 minutes:
 *   demand d0 0 m (10 children, next to the existing site), d1 3,000 m (20), d2 3,500 m (5),
 *          d3 6,000 m (no children), d4 9,000 m (7);
 *   candidates c0 3,200 m (reaches d1, d2), c1 2,400 m (d1), c2 9,100 m (d4), c3 6,000 m (d3). */
static void sites_pipeline_known_answers(void **state)
{
    (void)state;
    struct plan_params p;
    plan_params_default(&p);
    p.detour_factor = 1;
    const double dm[] = {0, 3000, 3500, 6000, 9000}, dc[] = {10, 20, 5, 0, 7}, cm[] = {3200, 2400, 9100, 6000};
    struct plan_demand d[5];
    struct plan_point existing[] = {{0, 0}}, cand[4];
    for (int i = 0; i < 5; i++)
        d[i] = (struct plan_demand){0, lon_for_m(dm[i]), 1000, dc[i]};
    for (int j = 0; j < 4; j++)
        cand[j] = (struct plan_point){0, lon_for_m(cm[j])};
    struct plan_sites_input in = {.params = &p, .demand = d, .n_demand = 5, .existing = existing, .n_existing = 1,
                                  .candidates = cand, .n_candidates = 4, .k = 2};
    struct plan_sites_result r;
    struct err e = {0};
    assert_int_equal(plan_sites(&in, &r, &e), 0);
    assert_float_equal(r.children, 42, 0);
    assert_float_equal(r.children_covered_before, 10, 0);
    assert_int_equal(r.n_chosen, 2);
    assert_int_equal(r.chosen[0], 0);
    assert_int_equal(r.chosen[1], 2);
    assert_float_equal(r.added[0], 25, 0);
    assert_float_equal(r.added[1], 7, 0);
    assert_float_equal(r.children_added, 32, 0);
    /* cover lists: uncovered demand with children only, in demand order without a network */
    const size_t off[] = {0, 2, 3, 4, 4};
    const uint32_t cover[] = {1, 2, 1, 4};
    for (int j = 0; j <= 4; j++)
        assert_int_equal(r.cover_off[j], off[j]);
    for (int q = 0; q < 4; q++)
        assert_int_equal(r.cover[q], cover[q]);
    plan_sites_free(&r);
    /* the exact solver agrees; k beyond the candidates takes all, the useless last by index */
    in.exact = 1;
    assert_int_equal(plan_sites(&in, &r, &e), 0);
    assert_int_equal(r.proven, 1);
    assert_float_equal(r.children_added, 32, 1e-9);
    plan_sites_free(&r);
    in.exact = 0;
    in.k = 10;
    assert_int_equal(plan_sites(&in, &r, &e), 0);
    assert_int_equal(r.n_chosen, 4);
    const uint32_t ranked[] = {0, 2, 1, 3};
    const double added[] = {25, 7, 0, 0};
    for (int q = 0; q < 4; q++) {
        assert_int_equal(r.chosen[q], ranked[q]);
        assert_float_equal(r.added[q], added[q], 0);
    }
    plan_sites_free(&r);
    /* nothing to choose: the coverage before still stands */
    in.k = 0;
    assert_int_equal(plan_sites(&in, &r, &e), 0);
    assert_int_equal(r.n_chosen, 0);
    assert_float_equal(r.children_covered_before, 10, 0);
    assert_float_equal(r.children_added, 0, 0);
    plan_sites_free(&r);
    in.k = 3;
    in.n_candidates = 0;
    assert_int_equal(plan_sites(&in, &r, &e), 0);
    assert_int_equal(r.n_chosen, 0);
    plan_sites_free(&r);
    /* bad parameters: an error, nothing left allocated */
    p.speed_kmh = 0;
    assert_int_equal(plan_sites(&in, &r, &e), -1);
    assert_string_equal(e.code, "bad_params");
    assert_null(r.chosen);
    assert_null(r.cover_off);
}

/* random planar instances: demand and candidates in the unit square, coverage by radius */
static void mclp_within_one_percent_of_glpk(void **state)
{
    (void)state;
    const struct {
        size_t n_demand, n_cand, k;
        double radius;
    } cases[] = {{300, 30, 3, 0.15},  {400, 60, 5, 0.12},  {600, 100, 8, 0.1},  {800, 150, 10, 0.09},
                 {1000, 200, 12, 0.08}, {1000, 200, 20, 0.07}, {500, 200, 5, 0.12}, {1000, 200, 30, 0.05}};
    uint64_t s = 7;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t nd = cases[c].n_demand, nc = cases[c].n_cand;
        double *dx = malloc(nd * sizeof *dx), *dy = malloc(nd * sizeof *dy), *w = malloc(nd * sizeof *w);
        size_t *off = calloc(nc + 1, sizeof *off);
        uint32_t *cover = malloc(nd * nc * sizeof *cover);
        for (size_t i = 0; i < nd; i++) {
            /* clustered demand: a few dense neighbourhoods */
            double cx = 0.2 + 0.6 * (double)(i % 5) / 4, cy = 0.2 + 0.6 * (double)((i / 5) % 3) / 2;
            dx[i] = i % 3 ? cx + (urand(&s) - 0.5) * 0.4 : urand(&s);
            dy[i] = i % 3 ? cy + (urand(&s) - 0.5) * 0.4 : urand(&s);
            w[i] = i % 7 == 0 ? 0 : (double)(1 + rng(&s) % 60);
        }
        size_t t = 0;
        for (size_t j = 0; j < nc; j++) {
            double x = urand(&s), y = urand(&s);
            for (size_t i = 0; i < nd; i++)
                if (hypot(dx[i] - x, dy[i] - y) <= cases[c].radius)
                    cover[t++] = (uint32_t)i;
            off[j + 1] = t;
        }
        struct plan_mclp in = {.n_demand = nd, .weight = w, .n_cand = nc, .cover_off = off, .cover = cover,
                               .k = cases[c].k};
        uint32_t ch[64], chx[64];
        double ad[64], adx[64];
        struct plan_mclp_result r = {.chosen = ch, .added = ad}, rx = {.chosen = chx, .added = adx};
        struct err e = {0};
        int proven = 0;
        assert_int_equal(plan_mclp_solve(&in, &r, &e), 0);
        assert_int_equal(plan_mclp_exact(&in, 120000, &rx, &proven, &e), 0);
        assert_int_equal(proven, 1);
        double sum = 0;
        for (size_t q = 0; q < r.n_chosen; q++) {
            sum += ad[q];
            if (q > 0)
                assert_true(ad[q] <= ad[q - 1] + 1e-9); /* ranked by marginal gain */
        }
        assert_float_equal(sum, r.total, 1e-6);
        assert_float_equal(plan_mclp_value(&in, ch, r.n_chosen), r.total, 1e-6);
        assert_true(r.total <= rx.total + 1e-6);
        assert_true(r.total >= 0.99 * rx.total);
        printf("# mclp case %zu: %zu demand, %zu candidates, k=%zu: heuristic %.0f, optimum %.0f (%.3f%%)\n", c, nd,
               nc, cases[c].k, r.total, rx.total, rx.total > 0 ? 100 * r.total / rx.total : 100.0);
        free(dx), free(dy), free(w), free(off), free(cover);
    }
}

/* ---- planning rules ------------------------------------------------------------------- */

static void rules_places_per_1000_and_inclusive_share(void **state)
{
    (void)state;
    struct plan_rule_params p = {4.5, 4.5, 10, 0.6, 2};
    struct plan_area a[] = {
        {"330304", PLAN_AREA_DISTRICT, 0, 1000000, 4500, 2700},  /* exactly 4.5 and exactly 60 % */
        {"330304001", PLAN_AREA_TOWN, 0, 100000, 449, 300},      /* 4.49 */
        {"c-new", PLAN_AREA_COMMUNITY, 1, 5000, 49, 10},         /* 9.8 < 10: short by 1 */
        {"c-new2", PLAN_AREA_COMMUNITY, 1, 5000, 50, 0},         /* exactly 10 */
        {"c-old", PLAN_AREA_COMMUNITY, 0, 5000, 0, 0},           /* no target, no places */
        {"t-empty", PLAN_AREA_TOWN, 0, 0, 0, 0},                 /* no residents */
    };
    struct plan_area_result r[6];
    struct err e = {0};
    assert_int_equal(plan_rules_areas(&p, a, 6, r, &e), 0);
    assert_float_equal(r[0].places_per_1000, 4.5, 1e-12);
    assert_int_equal(r[0].meets_places, 1);
    assert_float_equal(r[0].inclusive_share, 0.6, 1e-12);
    assert_int_equal(r[0].meets_inclusive, 1);
    assert_int_equal(r[1].meets_places, 0);
    assert_float_equal(r[1].places_short, 1, 0);
    assert_int_equal(r[1].meets_inclusive, 1);
    assert_float_equal(r[2].target, 10, 0);
    assert_int_equal(r[2].meets_places, 0);
    assert_float_equal(r[2].places_short, 1, 0);
    assert_int_equal(r[2].meets_inclusive, 0);
    assert_int_equal(r[3].meets_places, 1);
    assert_float_equal(r[3].places_short, 0, 0);
    assert_true(isnan(r[4].target));
    assert_int_equal(r[4].meets_places, -1);
    assert_int_equal(r[4].meets_inclusive, -1);
    assert_true(isnan(r[5].places_per_1000));
    assert_int_equal(r[5].meets_places, -1);
    /* the thresholds are inputs */
    p.new_community_places_per_1000 = 9.8;
    assert_int_equal(plan_rules_areas(&p, a, 6, r, &e), 0);
    assert_int_equal(r[2].meets_places, 1);
    p.town_places_per_1000 = 0; /* no town target */
    assert_int_equal(plan_rules_areas(&p, a, 6, r, &e), 0);
    assert_int_equal(r[1].meets_places, -1);
    /* bad input */
    struct plan_area bad[] = {{"x", PLAN_AREA_TOWN, 0, 100, 5, 6}};
    assert_int_equal(plan_rules_areas(&p, bad, 1, r, &e), -1);
    assert_string_equal(e.field, "inclusive_places");
    bad[0].inclusive_places = 1;
    bad[0].population = -1;
    assert_int_equal(plan_rules_areas(&p, bad, 1, r, &e), -1);
    assert_string_equal(e.field, "population");
    bad[0].population = NAN;
    assert_int_equal(plan_rules_areas(&p, bad, 1, r, &e), -1);
}

static void rules_towns_and_kindergartens(void **state)
{
    (void)state;
    const char *towns[] = {"T1", "T2", "T3", "T4"};
    struct plan_institution inst[] = {
        {"T1", 1, 1}, /* inclusive, active */
        {"T2", 0, 1}, /* not inclusive */
        {"T3", 1, 0}, /* inclusive but closed */
        {"T1", 0, 1},
    };
    size_t out[4];
    size_t n = plan_rules_towns_without_inclusive(towns, 4, inst, 4, out);
    assert_int_equal(n, 3);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 2);
    assert_int_equal(out[2], 3);
    struct plan_rule_params p = {4.5, 4.5, 10, 0.6, 2};
    struct plan_kindergarten kg[] = {{"k1", 1, 1}, {"k2", 1, 2}, {"k3", 0, 0}, {"k4", 1, 0}};
    n = plan_rules_short_kindergartens(&p, kg, 4, out);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 3);
    p.kindergarten_min_toddler_classes = 3;
    assert_int_equal(plan_rules_short_kindergartens(&p, kg, 4, out), 3);
}

/* ---- files: generator, real OSM, loader errors ---------------------------------------- */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tuoyu-test-plan-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp_path(const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", tmpdir, name);
    return buf;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void generator_xml_and_pbf_agree(void **state)
{
    (void)state;
    char px[256], pp[256];
    struct plan_gen_params gp;
    plan_gen_default(&gp);
    gp.nodes = 5000;
    gp.seed = 3;
    for (int fmt = 0; fmt < 2; fmt++) {
        FILE *f = fopen(fmt ? tmp_path("gen.osm.pbf", pp, sizeof pp) : tmp_path("gen.osm", px, sizeof px), "w");
        assert_non_null(f);
        assert_int_equal(plan_gen_write(&gp, fmt, f), 0);
        fclose(f);
    }
    struct plan_graph *gx = NULL, *gb = NULL;
    struct err e = {0};
    assert_int_equal(plan_osm_load(px, &gx, &e), 0);
    assert_int_equal(plan_osm_load(pp, &gb, &e), 0);
    assert_int_equal(gx->n, gb->n);
    assert_int_equal(gx->edges, gb->edges);
    assert_int_equal(gx->input_nodes, 5015);
    assert_true(gx->components >= 4);                /* the three islands at least */
    assert_true(gx->n > 4900 && gx->n <= 5000);      /* most of the grid is one component */
    assert_true(gx->walk_ways < gx->input_ways);     /* motorway and private ways dropped */
    for (size_t i = 0; i < gx->n; i++) {
        assert_true(gx->ids[i] == gb->ids[i]);
        assert_float_equal(gx->lat[i], gb->lat[i], 1e-9);
        assert_float_equal(gx->lon[i], gb->lon[i], 1e-9);
        assert_int_equal(gx->off[i + 1], gb->off[i + 1]);
    }
    /* the river: walking distance between a point just south and just north of it, away from
     * a bridge, is much longer than the straight line */
    plan_graph_free(gx);
    plan_graph_free(gb);
}

static void real_osm_files(void **state)
{
    (void)state;
    struct plan_graph *g = NULL;
    struct err e = {0};
    assert_int_equal(plan_osm_load("data/osm/chengdu-central.osm", &g, &e), 0);
    assert_int_equal(g->input_nodes, 24617);
    assert_int_equal(g->input_ways, 3820);
    assert_int_equal(g->n, 9312);
    assert_int_equal(g->edges, 10792);
    assert_int_equal(g->components, 45);
    /* a handful of rows checked against bench/plan_reference.py (independent brute force) */
    struct plan_demand d[] = {
        {30.6600, 104.0650, 1200, 40}, {30.6900, 104.0800, 900, 25}, {30.7100, 104.1000, 2000, 70},
        {30.7200, 104.0500, 500, 10},  {30.6700, 104.1200, 1500, 55}, {30.7000, 104.0700, 800, 30},
    };
    struct plan_point s[] = {{30.6610, 104.0670}, {30.6920, 104.0820}, {30.6690, 104.1180},
                             {30.7190, 104.0530}, {30.7080, 104.0990}};
    double places[] = {60, 40, 80, 20, 30};
    const long want_site[] = {0, 1, 4, 3, 2, 1};
    const double want_min[] = {5.858, 8.294, 36.183, 5.282, 5.268, 31.282};
    const double want_acc[] = {1500, 1600, 0, 2000, 1454.545455, 0};
    struct plan_coverage_row rows[6];
    struct plan_params p;
    plan_params_default(&p);
    assert_int_equal(plan_coverage_run(g, &p, d, 6, s, places, 5, rows, NULL, &e), 0);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(rows[i].nearest_site, want_site[i]);
        assert_float_equal(rows[i].minutes, want_min[i], 0.0005);
        assert_int_equal(rows[i].covered, want_min[i] <= 15);
        assert_float_equal(rows[i].access_per_1000, want_acc[i], 1e-6);
    }
    plan_graph_free(g);
    assert_int_equal(plan_osm_load("data/osm/monaco.osm.pbf", &g, &e), 0);
    assert_int_equal(g->input_nodes, 180118);
    assert_int_equal(g->n, 23948);
    assert_int_equal(g->edges, 25118);
    plan_graph_free(g);
}

/* plan sites on the real Chengdu network: demand, existing sites and 200 candidates spread
 * over the extract; heuristic against the GLPK optimum for several k */
static void mclp_on_real_network_within_one_percent(void **state)
{
    (void)state;
    struct plan_graph *g = NULL;
    struct err e = {0};
    assert_int_equal(plan_osm_load("data/osm/chengdu-central.osm", &g, &e), 0);
    uint64_t s = 99;
    size_t nd = 2000, ne = 15, nc = 200;
    struct plan_demand *d = malloc(nd * sizeof *d);
    struct plan_point *ex = malloc(ne * sizeof *ex), *cand = malloc(nc * sizeof *cand);
    for (size_t i = 0; i < nd; i++)
        d[i] = (struct plan_demand){30.6528 + urand(&s) * 0.0751, 104.0421 + urand(&s) * 0.0875, 1000,
                                    (double)(rng(&s) % 80)};
    for (size_t j = 0; j < ne; j++)
        ex[j] = (struct plan_point){30.6528 + urand(&s) * 0.0751, 104.0421 + urand(&s) * 0.0875};
    for (size_t j = 0; j < nc; j++)
        cand[j] = (struct plan_point){30.6528 + urand(&s) * 0.0751, 104.0421 + urand(&s) * 0.0875};
    struct plan_params p;
    plan_params_default(&p);
    struct plan_pairs pe = {0}, pc = {0};
    long *nearest = malloc(nd * sizeof *nearest);
    double *nmin = malloc(nd * sizeof *nmin), *w = malloc(nd * sizeof *w);
    assert_int_equal(plan_pairs_within(g, &p, d, nd, ex, ne, 15, 15, &pe, nearest, nmin, &e), 0);
    assert_int_equal(plan_pairs_within(g, &p, d, nd, cand, nc, 15, 15, &pc, NULL, NULL, &e), 0);
    for (size_t i = 0; i < nd; i++)
        w[i] = nearest[i] >= 0 ? 0 : d[i].children;
    size_t *off = calloc(nc + 1, sizeof *off);
    uint32_t *cover = malloc((pc.n + 1) * sizeof *cover);
    for (size_t q = 0; q < pc.n; q++)
        off[pc.items[q].site + 1]++;
    for (size_t j = 0; j < nc; j++)
        off[j + 1] += off[j];
    for (size_t q = 0; q < pc.n; q++)
        cover[q] = pc.items[q].demand; /* pairs come grouped by site in ascending order */
    const size_t ks[] = {1, 5, 10, 25};
    for (size_t t = 0; t < 4; t++) {
        struct plan_mclp in = {.n_demand = nd, .weight = w, .n_cand = nc, .cover_off = off, .cover = cover,
                               .k = ks[t]};
        uint32_t ch[32], chx[32];
        double ad[32], adx[32];
        struct plan_mclp_result r = {.chosen = ch, .added = ad}, rx = {.chosen = chx, .added = adx};
        int proven = 0;
        assert_int_equal(plan_mclp_solve(&in, &r, &e), 0);
        assert_int_equal(plan_mclp_exact(&in, 120000, &rx, &proven, &e), 0);
        assert_int_equal(proven, 1);
        assert_true(r.total >= 0.99 * rx.total && r.total <= rx.total + 1e-6);
        printf("# chengdu k=%zu: heuristic %.0f, optimum %.0f\n", ks[t], r.total, rx.total);
    }
    plan_pairs_free(&pe);
    plan_pairs_free(&pc);
    free(d), free(ex), free(cand), free(nearest), free(nmin), free(w), free(off), free(cover);
    plan_graph_free(g);
}

static void loader_errors(void **state)
{
    (void)state;
    char p[256];
    struct plan_graph *g = NULL;
    struct err e = {0};
    assert_int_equal(plan_osm_load(tmp_path("missing.osm", p, sizeof p), &g, &e), -1);
    assert_string_equal(e.code, "network_unreadable");
    write_file(tmp_path("empty.osm", p, sizeof p), "");
    assert_int_equal(plan_osm_load(p, &g, &e), -1);
    assert_string_equal(e.code, "network_empty");
    /* malformed XML is refused by our own expat pass (readosm would leak its parser) with the
     * place it breaks; no leak suppression: LeakSanitizer checks this under make asan */
    write_file(tmp_path("broken.osm", p, sizeof p), "<osm><node id='1' lat='0' lon='0'>\n<way");
    assert_int_equal(plan_osm_load(p, &g, &e), -1);
    assert_string_equal(e.code, "network_unreadable");
    assert_non_null(strstr(e.message, "第 2 行第 1 列"));
    write_file(tmp_path("nowalk.osm", p, sizeof p),
               "<osm version='0.6'><node id='1' lat='0' lon='0'/><node id='2' lat='0' lon='0.01'/>"
               "<way id='1'><nd ref='1'/><nd ref='2'/><tag k='highway' v='motorway'/></way></osm>");
    assert_int_equal(plan_osm_load(p, &g, &e), -1);
    assert_string_equal(e.code, "network_empty");
    write_file(tmp_path("net.txt", p, sizeof p), "<osm/>");
    assert_int_equal(plan_osm_load(p, &g, &e), -1);
    assert_string_equal(e.code, "network_unreadable");
    write_file(tmp_path("junk.osm.pbf", p, sizeof p), "this is not a pbf file at all");
    assert_int_equal(plan_osm_load(p, &g, &e), -1);
    assert_null(g);
    /* node ids from INT64_MIN to INT64_MAX (found by fuzz_osm: the id span overflowed a signed
     * difference, UBSan): loaded through the sorted lookup, the way between them kept */
    write_file(tmp_path("span.osm", p, sizeof p),
               "<osm version='0.6'><node id='-9223372036854775808' lat='0' lon='0'/>"
               "<node id='9223372036854775807' lat='0' lon='0.001'/>"
               "<way id='1'><nd ref='-9223372036854775808'/><nd ref='9223372036854775807'/>"
               "<tag k='highway' v='footway'/></way></osm>");
    assert_int_equal(plan_osm_load(p, &g, &e), 0);
    assert_int_equal(g->n, 2);
    assert_int_equal(g->edges, 1);
    plan_graph_free(g);
    g = NULL;
    /* inputs that crash readosm 1.1 itself are refused before it sees them */
    const char *crashers[] = {
        "<osm><way id='1'><nd ref='1'/><tag v='x'/></way></osm>",       /* tag without k */
        "<osm><node id='1' lat='1' lon='2'><tag k='a'/></node></osm>",  /* tag without v */
        "<osm><relation id='1'><member ref='1' type='node'/></relation></osm>", /* member without role */
    };
    for (size_t i = 0; i < 3; i++) {
        write_file(tmp_path("crash.osm", p, sizeof p), crashers[i]);
        assert_int_equal(plan_osm_load(p, &g, &e), -1);
        assert_string_equal(e.code, "network_unreadable");
    }
    /* a PBF whose blob header claims 3 GB: refused without allocating it */
    FILE *f = fopen(tmp_path("huge.osm.pbf", p, sizeof p), "wb");
    const unsigned char hdr[] = {0, 0, 0, 14, 0x0a, 0x07, 'O', 'S', 'M', 'D', 'a', 't', 'a',
                                 0x18, 0x80, 0xbc, 0xc1, 0x96, 0x0b}; /* datasize 3,000,000,000 */
    fwrite(hdr, 1, sizeof hdr, f);
    fclose(f);
    assert_int_equal(plan_osm_load(p, &g, &e), -1);
    assert_string_equal(e.code, "network_unreadable");
    /* a PBF whose dense-node arrays disagree in length (found by fuzz_osm; crashed readosm):
     * the seed file's first byte selects the format and is not part of the file */
    FILE *seed = fopen("tests/fuzz/corpus/osm/readosm-crash-pbf-dense", "rb");
    assert_non_null(seed);
    unsigned char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, seed);
    fclose(seed);
    assert_true(n > 1);
    f = fopen(tmp_path("dense.osm.pbf", p, sizeof p), "wb");
    fwrite(buf + 1, 1, n - 1, f);
    fclose(f);
    assert_int_equal(plan_osm_load(p, &g, &e), -1);
    assert_string_equal(e.code, "network_unreadable");
    /* a blob with two raw payloads (found by fuzz_osm: readosm keeps the last and leaks the
     * first, LeakSanitizer under make asan) */
    seed = fopen("tests/fuzz/corpus/osm/readosm-leak-two-raw-payloads", "rb");
    assert_non_null(seed);
    n = fread(buf, 1, sizeof buf, seed);
    fclose(seed);
    assert_true(n > 1);
    f = fopen(tmp_path("two-raw.osm.pbf", p, sizeof p), "wb");
    fwrite(buf + 1, 1, n - 1, f);
    fclose(f);
    assert_int_equal(plan_osm_load(p, &g, &e), -1);
    assert_string_equal(e.code, "network_unreadable");
    /* attribute values may hold '>' and comments may hold anything */
    write_file(tmp_path("odd.osm", p, sizeof p),
               "<osm version='0.6'><!-- <tag v='x'/> --><node id='1' lat='0' lon='0'/>"
               "<node id='2' lat='0' lon='0.01'/><way id='1'><nd ref='1'/><nd ref='2'/>"
               "<tag k = 'name' v='a>b'/><tag k='highway' v='path'/></way></osm>");
    assert_int_equal(plan_osm_load(p, &g, &e), 0);
    assert_int_equal(g->n, 2);
    plan_graph_free(g);
}

/* ---- CLI: output and bad input --------------------------------------------------------- */

static const char NET[] =
    "<osm version='0.6'>\n"
    "<node id='1' lat='30.0' lon='104.000'/><node id='2' lat='30.0' lon='104.005'/>\n"
    "<node id='3' lat='30.0' lon='104.010'/><node id='4' lat='30.0' lon='104.015'/>\n"
    "<way id='1'><nd ref='1'/><nd ref='2'/><nd ref='3'/><nd ref='4'/><tag k='highway' v='residential'/></way>\n"
    "</osm>\n";

static int run_plan(int argc, const char **argv)
{
    return cmd_plan(argc, (char **)argv);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static void cli_coverage_and_sites(void **state)
{
    (void)state;
    char net[256], dem[256], sit[256], cand[256], out[256], sum[256];
    write_file(tmp_path("net.osm", net, sizeof net), NET);
    write_file(tmp_path("demand.csv", dem, sizeof dem),
               "id,lon,lat,population,children_0_3,town_code\n"
               "d1,104.000,30.0,1000,10,T1\nd2,104.015,30.0,2000,20,T2\n\"d,3\",104.0075,30.0,500,5,T1\n");
    write_file(tmp_path("sites.csv", sit, sizeof sit), "id,lon,lat,places\ns1,104.000,30.0,30\n");
    write_file(tmp_path("cand.csv", cand, sizeof cand), "id,lon,lat\nc1,104.010,30.0\nc2,104.015,30.0\n");
    tmp_path("out.csv", out, sizeof out);
    tmp_path("sum.json", sum, sizeof sum);
    const char *a1[] = {"plan", "coverage", "--network", net, "--demand", dem, "--sites", sit,
                        "--out", out, "--summary", sum};
    assert_int_equal(run_plan(12, a1), 0);
    char *text = slurp(out);
    assert_non_null(text);
    /* d1 at the site: 0 min; d2 1.44 km: 21.6 min; d3 is 240 m from node 2 or 3 -> snaps to 2 */
    assert_non_null(strstr(text, "id,nearest_site,minutes,covered,access_per_1000\nd1,s1,0.000,1,"));
    assert_non_null(strstr(text, "\nd2,s1,21."));
    assert_non_null(strstr(text, "\n\"d,3\",s1,"));
    text = slurp(sum);
    assert_non_null(strstr(text, "\"method\": \"network\""));
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    assert_non_null(j);
    /* d1 and d3 covered (1500 of 3500 residents, 15 of 35 children); 30 places / 3500 residents */
    assert_float_equal(json_real_value(json_object_get(j, "population_covered_share")), 1500.0 / 3500, 1e-9);
    assert_float_equal(json_real_value(json_object_get(j, "children_0_3_covered_share")), 15.0 / 35, 1e-9);
    assert_float_equal(json_real_value(json_object_get(j, "places_per_1000_residents")), 30000.0 / 3500, 1e-9);
    json_t *towns = json_object_get(j, "towns");
    assert_int_equal(json_array_size(towns), 2);
    json_t *t1 = json_array_get(towns, 0), *t2 = json_array_get(towns, 1);
    assert_string_equal(json_string_value(json_object_get(t1, "town_code")), "T1");
    assert_float_equal(json_real_value(json_object_get(t1, "population_covered_share")), 1, 1e-12);
    assert_float_equal(json_real_value(json_object_get(t2, "population_covered_share")), 0, 1e-12);
    assert_true(json_is_null(json_object_get(t1, "places_per_1000_residents"))); /* sites carry no town */
    json_decref(j);
    unlink(out);
    /* without a network: the method column says so in every row */
    const char *a2[] = {"plan", "coverage", "--demand", dem, "--sites", sit, "--out", out};
    assert_int_equal(run_plan(8, a2), 0);
    text = slurp(out);
    assert_non_null(strstr(text, "access_per_1000,method\n"));
    assert_non_null(strstr(text, "\nd1,s1,0.000,1,"));
    assert_non_null(strstr(text, ",straight_line_x1.3\nd2,"));
    /* sites: c2 covers d2 (20 children); c1 covers d2 too (5 min) — the lower index wins */
    const char *a3[] = {"plan", "sites", "--network", net, "--demand", dem, "--sites", sit,
                        "--candidates", cand, "--k", "1", "--out", out};
    assert_int_equal(run_plan(14, a3), 0);
    text = slurp(out);
    assert_string_equal(text, "rank,candidate_id,added_children_covered\n1,c1,20\n");
    const char *a4[] = {"plan", "sites", "--network", net, "--demand", dem, "--sites", sit,
                        "--candidates", cand, "--k", "2", "--exact", "--out", out};
    assert_int_equal(run_plan(15, a4), 0);
    text = slurp(out);
    assert_string_equal(text, "rank,candidate_id,added_children_covered\n1,c1,20\n2,c2,0\n");
}

/* the CLI end to end on Chengdu: `plan sites` (heuristic) against `plan sites --exact` (GLPK)
 * with 200 candidates; the heuristic's total must reach 99 % of the optimum */
static double sum_added(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[256];
    double sum = 0;
    assert_non_null(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        char *c = strrchr(line, ',');
        assert_non_null(c);
        sum += strtod(c + 1, NULL);
    }
    fclose(f);
    return sum;
}

static void cli_sites_on_chengdu_against_exact(void **state)
{
    (void)state;
    char dem[256], ex[256], cand[256], out1[256], out2[256];
    uint64_t s = 2024;
    FILE *f = fopen(tmp_path("cd-demand.csv", dem, sizeof dem), "w");
    fprintf(f, "id,lon,lat,population,children_0_3\n");
    for (int i = 0; i < 3000; i++)
        fprintf(f, "d%d,%.7f,%.7f,%d,%d\n", i, 104.0421 + urand(&s) * 0.0875, 30.6528 + urand(&s) * 0.0751,
                100 + (int)(rng(&s) % 2000), (int)(rng(&s) % 90));
    fclose(f);
    f = fopen(tmp_path("cd-existing.csv", ex, sizeof ex), "w");
    fprintf(f, "id,lon,lat,places\n");
    for (int i = 0; i < 12; i++)
        fprintf(f, "e%d,%.7f,%.7f,%d\n", i, 104.0421 + urand(&s) * 0.0875, 30.6528 + urand(&s) * 0.0751, 50);
    fclose(f);
    f = fopen(tmp_path("cd-cand.csv", cand, sizeof cand), "w");
    fprintf(f, "id,lon,lat\n");
    for (int i = 0; i < 200; i++)
        fprintf(f, "c%d,%.7f,%.7f\n", i, 104.0421 + urand(&s) * 0.0875, 30.6528 + urand(&s) * 0.0751);
    fclose(f);
    tmp_path("cd-h.csv", out1, sizeof out1);
    tmp_path("cd-x.csv", out2, sizeof out2);
    const char *ks[] = {"3", "15", "30"};
    for (int t = 0; t < 3; t++) {
        const char *a[] = {"plan", "sites", "--network", "data/osm/chengdu-central.osm", "--demand", dem, "--sites", ex,
                           "--candidates", cand, "--k", ks[t], "--out", out1};
        assert_int_equal(run_plan(14, a), 0);
        const char *b[] = {"plan", "sites", "--network", "data/osm/chengdu-central.osm", "--demand", dem, "--sites", ex,
                           "--candidates", cand, "--k", ks[t], "--exact", "--out", out2};
        assert_int_equal(run_plan(15, b), 0);
        double h = sum_added(out1), x = sum_added(out2);
        printf("# plan sites on Chengdu, k=%s: heuristic %.0f, exact %.0f\n", ks[t], h, x);
        assert_true(x > 0);
        assert_true(h >= 0.99 * x && h <= x + 1e-6);
    }
}

static void cli_bad_input_exit_2_without_output(void **state)
{
    (void)state;
    char net[256], dem[256], sit[256], out[256], p[256];
    write_file(tmp_path("net.osm", net, sizeof net), NET);
    write_file(tmp_path("demand.csv", dem, sizeof dem), "id,lon,lat,population,children_0_3\nd1,104.0,30.0,10,1\n");
    write_file(tmp_path("sites.csv", sit, sizeof sit), "id,lon,lat,places\ns1,104.0,30.0,3\n");
    tmp_path("bad-out.csv", out, sizeof out);
    const struct {
        const char *file; /* which file to replace: 'd' demand, 's' sites, 'n' network */
        const char *text;
    } cases[] = {
        {"s", "id,lon,lat,places\ns1,104.0,30.0,3\ns1,104.005,30.0,4\n"},   /* duplicate id */
        {"s", "id,lon,lat,places\ns1,104.0,30.0,many\n"},                   /* non-numeric places */
        {"s", "id,lon,lat,places\ns1,104.0,30.0,-3\n"},                     /* negative places */
        {"s", "id,lon,lat\ns1,104.0,30.0\n"},                               /* places column missing */
        {"d", "id,lon,lat,population,children_0_3\nd1,120.6,28.0,10,1\n"},  /* outside the area */
        {"d", "id,lon,lat,population,children_0_3\nd1,104.0,95,10,1\n"},    /* not a latitude */
        {"d", "id,lon,lat,population,children_0_3\nd1,104.0,30.0,,1\n"},    /* empty number */
        {"d", "id,lon,lat,population,children_0_3\n,104.0,30.0,1,1\n"},     /* empty id */
        {"d", ""},                                                          /* empty file */
        {"n", ""},                                                          /* empty network */
        {"n", "<osm><way id='1'><nd ref='1'/></way>"},                      /* unreadable */
        {"n", "<osm version='0.6'></osm>"},                                 /* nothing walkable */
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const char *d = dem, *s = sit, *n = net;
        if (cases[c].file[0] == 'd')
            write_file(d = tmp_path("bad-demand.csv", p, sizeof p), cases[c].text);
        else if (cases[c].file[0] == 's')
            write_file(s = tmp_path("bad-sites.csv", p, sizeof p), cases[c].text);
        else
            write_file(n = tmp_path("bad-net.osm", p, sizeof p), cases[c].text);
        const char *argv[] = {"plan", "coverage", "--network", n, "--demand", d, "--sites", s, "--out", out};
        assert_int_equal(run_plan(10, argv), 2);
        assert_int_equal(access(out, F_OK), -1); /* nothing written */
    }
    /* usage errors */
    const char *u1[] = {"plan", "coverage", "--demand", dem};
    assert_int_equal(run_plan(4, u1), 2);
    const char *u2[] = {"plan", "coverage", "--demand", dem, "--sites", sit, "--minutes", "0"};
    assert_int_equal(run_plan(8, u2), 2);
    const char *u3[] = {"plan", "sites", "--demand", dem, "--sites", sit, "--candidates", sit, "--k", "1.5"};
    assert_int_equal(run_plan(10, u3), 2);
    const char *u4[] = {"plan", "nosuch"};
    assert_int_equal(run_plan(2, u4), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(way_filter_highway_whitelist),
        cmocka_unit_test(way_filter_foot_and_access),
        cmocka_unit_test(graph_edges_both_ways_with_haversine_length),
        cmocka_unit_test(graph_filtered_ways_missing_nodes_and_repeats),
        cmocka_unit_test(graph_keeps_largest_component_tie_to_lowest_id),
        cmocka_unit_test(graph_without_walkable_edge_is_an_error),
        cmocka_unit_test(snap_ties_go_to_lowest_id),
        cmocka_unit_test(snap_matches_brute_force),
        cmocka_unit_test(contains_uses_bbox_plus_margin),
        cmocka_unit_test(dijkstra_shortest_and_bounded),
        cmocka_unit_test(zone_boundaries),
        cmocka_unit_test(coverage_known_answers),
        cmocka_unit_test(coverage_max_minutes_and_e2sfca),
        cmocka_unit_test(coverage_exact_threshold_and_ties),
        cmocka_unit_test(straight_line_mode),
        cmocka_unit_test(mclp_swap_fixes_greedy),
        cmocka_unit_test(sites_pipeline_known_answers),
        cmocka_unit_test(mclp_within_one_percent_of_glpk),
        cmocka_unit_test(rules_places_per_1000_and_inclusive_share),
        cmocka_unit_test(rules_towns_and_kindergartens),
        cmocka_unit_test(generator_xml_and_pbf_agree),
        cmocka_unit_test(real_osm_files),
        cmocka_unit_test(mclp_on_real_network_within_one_percent),
        cmocka_unit_test(loader_errors),
        cmocka_unit_test(cli_coverage_and_sites),
        cmocka_unit_test(cli_sites_on_chengdu_against_exact),
        cmocka_unit_test(cli_bad_input_exit_2_without_output),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
