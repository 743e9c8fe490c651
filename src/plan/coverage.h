/* coverage.h — walking-time coverage, E2SFCA accessibility and travel-time pairs: the pure
 * engine behind `tuoyu plan coverage` and the planning API's coverage analysis, and the travel
 * times of plan_sites (sites.h). No I/O.
 *
 * Time between a demand point i and a site j (docs/planning.md):
 *   with a graph:    metres = snap_i + network(node_i, node_j) + snap_j
 *   without a graph: metres = haversine(i, j) × detour_factor
 *   minutes = metres / (speed_kmh × 1000 / 60)
 * Comparisons use the unrounded minutes. */
#ifndef TUOYU_PLAN_COVERAGE_H
#define TUOYU_PLAN_COVERAGE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "plan/graph.h"

/* Policy parameters (seeded keys in docs/parameters.md: planning.walk_minutes,
 * planning.walk_speed_kmh, planning.detour_factor). */
struct plan_params {
    double minutes;          /* catchment / coverage threshold, e.g. 15 */
    double speed_kmh;        /* walking speed, e.g. 4.0 */
    double max_minutes;      /* a nearest site further than this is not reported, e.g. 60 */
    double detour_factor;    /* straight-line multiplier when graph is NULL, e.g. 1.3 */
    double zone_weight[3];   /* E2SFCA weights of the three equal zones, e.g. 1.00 0.68 0.22 */
};

/* Fill p with the defaults named above. */
void plan_params_default(struct plan_params *p);

/* E2SFCA weight of a time: zone 1 is [0, m/3], zone 2 (m/3, 2m/3], zone 3 (2m/3, m]
 * with boundaries computed as m/3.0 and 2.0*m/3.0; 0 beyond m (or for a negative or NaN t). */
double plan_zone_weight(const struct plan_params *p, double minutes);

struct plan_point {
    double lat, lon;
};

/* A demand point with its population and children aged 0–3 (both >= 0). */
struct plan_demand {
    double lat, lon;
    double population;
    double children;
};

/* One (demand, site) pair within a time limit. */
struct plan_pair {
    uint32_t demand;
    uint32_t site;
    double minutes;
};

/* A growable list of pairs. */
struct plan_pairs {
    struct plan_pair *items;
    size_t n, cap;
};

void plan_pairs_free(struct plan_pairs *p);

/* Every (demand, site) pair with minutes <= min(limit_minutes, pair_minutes), appended to out
 * grouped by site in ascending site order (within a site in order of increasing network
 * distance of the demand's node, or demand order without a graph). graph may be NULL (straight
 * line × detour). Snapping follows graph.h. When nearest is not NULL, nearest[i] receives the
 * index of the quickest site within limit_minutes (ties: the lower site index) or -1, and
 * nearest_minutes[i] its time (NAN when none). Returns 0, or -1 with e filled (bad parameters,
 * allocation failure). */
int plan_pairs_within(const struct plan_graph *g, const struct plan_params *p,
                      const struct plan_demand *demand, size_t n_demand,
                      const struct plan_point *sites, size_t n_sites, double limit_minutes,
                      double pair_minutes, struct plan_pairs *out, long *nearest,
                      double *nearest_minutes, struct err *e);

/* One output row of the coverage run, per demand point. */
struct plan_coverage_row {
    long nearest_site;       /* index into sites, -1 when none within max_minutes */
    double minutes;          /* time to it (NAN when none) */
    int covered;             /* 1 when a site is reached within p->minutes */
    double access_per_1000;  /* 1000 × E2SFCA accessibility A_i */
};

/* Totals for the summary. */
struct plan_coverage_totals {
    double population, children, places;
    double population_covered, children_covered;
};

/* Coverage and E2SFCA accessibility. places[j] >= 0 are the sites' places. rows has n_demand
 * entries, filled in demand order; totals may be NULL. Returns 0, or -1 with e filled. */
int plan_coverage_run(const struct plan_graph *g, const struct plan_params *p,
                      const struct plan_demand *demand, size_t n_demand,
                      const struct plan_point *sites, const double *places, size_t n_sites,
                      struct plan_coverage_row *rows, struct plan_coverage_totals *totals,
                      struct err *e);

#endif
