/* sites.h — new-site recommendation: the k candidate sites that add the most children 0–3
 * within the walking threshold, the existing sites fixed (maximal covering location). The one
 * pipeline behind `tuoyu plan sites` and POST /api/v1/planning/sites (docs/planning.md):
 *   1. a demand point is covered when an existing site is within params->minutes (coverage.h);
 *   2. a candidate's cover list is the uncovered demand points with children within
 *      params->minutes of it;
 *   3. k candidates are chosen over those lists by plan_mclp_solve (greedy and swaps), or by
 *      plan_mclp_exact (GLPK) when asked, ranked by marginal gain (mclp.h).
 * Pure engine: plain structs in and out, no I/O. */
#ifndef TUOYU_PLAN_SITES_H
#define TUOYU_PLAN_SITES_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "plan/coverage.h"

struct plan_sites_input {
    const struct plan_graph *graph;          /* NULL: straight line × detour factor */
    const struct plan_params *params;
    const struct plan_demand *demand;
    size_t n_demand;
    const struct plan_point *existing;       /* the sites already open */
    size_t n_existing;
    const struct plan_point *candidates;
    size_t n_candidates;
    size_t k;                                /* how many to choose; more than n_candidates: all */
    int exact;                               /* 1: the GLPK optimum instead of the heuristic */
    int exact_time_limit_ms;                 /* with exact; 0 = no limit */
};

struct plan_sites_result {
    size_t n_chosen;                         /* min(k, n_candidates) */
    uint32_t *chosen;                        /* candidate indices in rank order */
    double *added;                           /* children each adds, in rank order */
    /* candidate c would newly cover demand cover[cover_off[c] .. cover_off[c + 1]) (uncovered
     * demand with children only, in the order coverage.h gives pairs) */
    size_t *cover_off;                       /* n_candidates + 1 */
    uint32_t *cover;
    double children;                         /* children 0–3 of all demand points */
    double children_covered_before;          /* of which within the threshold of an existing site */
    double children_added;                   /* newly covered by the chosen (the sum of added) */
    int proven;                              /* exact: 1 when GLPK proved optimality, 0 when it
                                                stopped at the time limit */
};

/* Run the pipeline. Returns 0 with out filled (free it with plan_sites_free), or -1 with e
 * filled (bad parameters, allocation failure, solver failure) and out empty. */
int plan_sites(const struct plan_sites_input *in, struct plan_sites_result *out, struct err *e);
void plan_sites_free(struct plan_sites_result *out);

#endif
