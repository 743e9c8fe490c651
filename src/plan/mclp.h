/* mclp.h — maximal covering location: choose k candidate sites that cover the largest weight
 * of demand (children 0–3 not yet covered by existing sites). Pure engine, no I/O.
 *
 * Heuristic (plan_mclp_solve): from each of several starts (plain greedy — largest marginal
 * gain, ties to the lower candidate index — and greedy with the t-th best single candidate
 * forced first), local search to a swap optimum — best-improving 1-swaps (one chosen out, one
 * unchosen in) until none improves, then best-improving 2-swaps where the neighbourhood is
 * small enough, repeating 1-swaps after every improvement; the best set over the starts wins
 * (ties: the earlier start). The chosen set is finally ranked
 * by greedy marginal gain within itself, so the `added` values sum to the covered weight.
 * Exact (plan_mclp_exact): the integer program solved by GLPK. */
#ifndef TUOYU_PLAN_MCLP_H
#define TUOYU_PLAN_MCLP_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Problem: candidate c covers demand indices cover[cover_off[c] .. cover_off[c+1]); each
 * demand i has weight[i] >= 0 (0 for demand already covered). */
struct plan_mclp {
    size_t n_demand;
    const double *weight;
    size_t n_cand;
    const size_t *cover_off;   /* n_cand + 1 */
    const uint32_t *cover;     /* demand indices, no duplicates within one candidate */
    size_t k;                  /* how many to choose; more than n_cand means all */
    /* optional cap on 2-swap work: the neighbourhood's worst-case inner steps (pairs out × pairs in
     * × mean cover size) above which 2-swaps are skipped; 0 means the default (2e10) */
    double swap2_budget;
    /* local searches from different starts (start t puts the t-th best single candidate first
     * and fills greedily; start 0 is plain greedy); 0 means the default (8) */
    size_t starts;
};

/* Result: n_chosen = min(k, n_cand) candidates in rank order with their marginal weight. */
struct plan_mclp_result {
    size_t n_chosen;
    uint32_t *chosen;          /* caller-provided, room for min(k, n_cand) */
    double *added;             /* caller-provided, same size */
    double total;              /* weight covered by the chosen set */
};

/* Greedy plus swap improvement. Returns 0, or -1 with e filled. */
int plan_mclp_solve(const struct plan_mclp *in, struct plan_mclp_result *out, struct err *e);

/* Weight covered by a set of candidates (duplicates ignored). Returns -1 on allocation failure. */
double plan_mclp_value(const struct plan_mclp *in, const uint32_t *set, size_t n);

/* The optimum by integer programming (GLPK branch and cut). time_limit_ms 0 = no limit.
 * out->chosen/added as for plan_mclp_solve (ranked the same way). *proven is set to 1 when
 * GLPK proved optimality, 0 when it stopped at the time limit with its best solution.
 * Returns 0, or -1 with e filled. */
int plan_mclp_exact(const struct plan_mclp *in, int time_limit_ms, struct plan_mclp_result *out,
                    int *proven, struct err *e);

#endif
