/* sites.c — the site recommendation pipeline: coverage by the existing sites, the candidates'
 * cover lists, then maximal covering. */
#include "plan/sites.h"

#include <stdlib.h>
#include <string.h>

#include "plan/mclp.h"

void plan_sites_free(struct plan_sites_result *out)
{
    free(out->chosen);
    free(out->added);
    free(out->cover_off);
    free(out->cover);
    memset(out, 0, sizeof *out);
}

int plan_sites(const struct plan_sites_input *in, struct plan_sites_result *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    size_t nd = in->n_demand, nc = in->n_candidates;
    size_t nk = in->k < nc ? in->k : nc;
    double m = in->params->minutes;
    int rc = -1;
    struct plan_pairs existing = {0}, reach = {0};
    long *nearest = malloc((nd ? nd : 1) * sizeof *nearest);
    double *nearest_min = malloc((nd ? nd : 1) * sizeof *nearest_min);
    double *weight = malloc((nd ? nd : 1) * sizeof *weight);
    out->chosen = malloc((nk ? nk : 1) * sizeof *out->chosen);
    out->added = malloc((nk ? nk : 1) * sizeof *out->added);
    out->cover_off = calloc(nc + 1, sizeof *out->cover_off);
    if (!nearest || !nearest_min || !weight || !out->chosen || !out->added || !out->cover_off) {
        err_set(e, 500, "out_of_memory", "", "内存不足");
        goto done;
    }
    if (plan_pairs_within(in->graph, in->params, in->demand, nd, in->existing, in->n_existing, m, m, &existing,
                          nearest, nearest_min, e) < 0 ||
        plan_pairs_within(in->graph, in->params, in->demand, nd, in->candidates, nc, m, m, &reach, NULL, NULL, e) < 0)
        goto done;
    /* what is left to cover: the children of demand no existing site reaches */
    for (size_t i = 0; i < nd; i++) {
        int covered = nearest[i] >= 0 && nearest_min[i] <= m;
        weight[i] = covered ? 0 : in->demand[i].children;
        out->children += in->demand[i].children;
        if (covered)
            out->children_covered_before += in->demand[i].children;
    }
    /* cover lists of the candidates from their pairs, which come grouped by candidate */
    for (size_t q = 0; q < reach.n; q++)
        if (weight[reach.items[q].demand] > 0)
            out->cover_off[reach.items[q].site + 1]++;
    for (size_t j = 0; j < nc; j++)
        out->cover_off[j + 1] += out->cover_off[j];
    out->cover = malloc((out->cover_off[nc] ? out->cover_off[nc] : 1) * sizeof *out->cover);
    if (!out->cover) {
        err_set(e, 500, "out_of_memory", "", "内存不足");
        goto done;
    }
    for (size_t q = 0, t = 0; q < reach.n; q++)
        if (weight[reach.items[q].demand] > 0)
            out->cover[t++] = reach.items[q].demand;
    struct plan_mclp prob = {.n_demand = nd, .weight = weight, .n_cand = nc, .cover_off = out->cover_off,
                             .cover = out->cover, .k = in->k};
    struct plan_mclp_result res = {.chosen = out->chosen, .added = out->added};
    if (in->exact ? plan_mclp_exact(&prob, in->exact_time_limit_ms, &res, &out->proven, e)
                  : plan_mclp_solve(&prob, &res, e))
        goto done;
    out->n_chosen = res.n_chosen;
    out->children_added = res.total;
    rc = 0;
done:
    plan_pairs_free(&existing);
    plan_pairs_free(&reach);
    free(nearest);
    free(nearest_min);
    free(weight);
    if (rc < 0)
        plan_sites_free(out);
    return rc;
}
