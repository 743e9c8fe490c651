/* coverage.c — travel-time pairs by one bounded Dijkstra per site, nearest site, coverage and
 * enhanced two-step floating catchment (E2SFCA). */
#include "plan/coverage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/geo.h"

void plan_params_default(struct plan_params *p)
{
    p->minutes = 15;
    p->speed_kmh = 4.0;
    p->max_minutes = 60;
    p->detour_factor = 1.3;
    p->zone_weight[0] = 1.00;
    p->zone_weight[1] = 0.68;
    p->zone_weight[2] = 0.22;
}

double plan_zone_weight(const struct plan_params *p, double t)
{
    double m = p->minutes;
    if (!(t >= 0) || !(t <= m))
        return 0;
    if (t <= m / 3.0)
        return p->zone_weight[0];
    if (t <= 2.0 * m / 3.0)
        return p->zone_weight[1];
    return p->zone_weight[2];
}

void plan_pairs_free(struct plan_pairs *p)
{
    free(p->items);
    memset(p, 0, sizeof *p);
}

static int pairs_push(struct plan_pairs *p, uint32_t i, uint32_t j, double t)
{
    if (p->n == p->cap) {
        size_t nc = p->cap ? 2 * p->cap : 4096;
        struct plan_pair *q = realloc(p->items, nc * sizeof *q);
        if (!q)
            return -1;
        p->items = q;
        p->cap = nc;
    }
    p->items[p->n++] = (struct plan_pair){i, j, t};
    return 0;
}

static double metres_per_minute(const struct plan_params *p)
{
    return p->speed_kmh * 1000.0 / 60.0;
}

int plan_pairs_within(const struct plan_graph *g, const struct plan_params *p,
                      const struct plan_demand *demand, size_t n_demand,
                      const struct plan_point *sites, size_t n_sites, double limit_minutes,
                      double pair_minutes, struct plan_pairs *out, long *nearest,
                      double *nearest_minutes, struct err *e)
{
    double mpm = metres_per_minute(p);
    if (!(mpm > 0) || !(limit_minutes >= 0))
        return err_set(e, 400, "bad_params", "speed_kmh", "步行速度和时间上限须为正数");
    if (n_demand >= UINT32_MAX || n_sites >= UINT32_MAX)
        return err_set(e, 422, "too_many_points", "", "点数过多");
    if (nearest)
        for (size_t i = 0; i < n_demand; i++) {
            nearest[i] = -1;
            nearest_minutes[i] = NAN;
        }

    if (!g) {
        for (size_t j = 0; j < n_sites; j++)
            for (size_t i = 0; i < n_demand; i++) {
                double m = geo_haversine_m(demand[i].lat, demand[i].lon, sites[j].lat, sites[j].lon) *
                           p->detour_factor;
                double t = m / mpm;
                if (!(t <= limit_minutes))
                    continue;
                if (t <= pair_minutes && pairs_push(out, (uint32_t)i, (uint32_t)j, t) < 0)
                    return err_set(e, 500, "out_of_memory", "", "内存不足");
                if (nearest && (nearest[i] < 0 || t < nearest_minutes[i])) {
                    nearest[i] = (long)j;
                    nearest_minutes[i] = t;
                }
            }
        return 0;
    }

    int rc = -1;
    struct plan_search s;
    uint32_t *dnode = malloc((n_demand ? n_demand : 1) * sizeof *dnode);
    double *dsnap = malloc((n_demand ? n_demand : 1) * sizeof *dsnap);
    uint32_t *head = malloc(g->n * sizeof *head);
    uint32_t *next = malloc((n_demand ? n_demand : 1) * sizeof *next);
    if (!dnode || !dsnap || !head || !next) {
        free(dnode), free(dsnap), free(head), free(next);
        return err_set(e, 500, "out_of_memory", "", "内存不足");
    }
    if (plan_search_init(&s, g) < 0) {
        free(dnode), free(dsnap), free(head), free(next);
        return err_set(e, 500, "out_of_memory", "", "内存不足");
    }
    for (size_t v = 0; v < g->n; v++)
        head[v] = UINT32_MAX;
    /* demand points grouped by node, each list in ascending demand order */
    for (size_t i = n_demand; i-- > 0;) {
        dnode[i] = plan_graph_snap(g, demand[i].lat, demand[i].lon, &dsnap[i]);
        next[i] = head[dnode[i]];
        head[dnode[i]] = (uint32_t)i;
    }
    double limit_m = limit_minutes * mpm;
    if (!nearest && pair_minutes < limit_minutes)
        limit_m = pair_minutes * mpm;
    for (size_t j = 0; j < n_sites; j++) {
        double sj;
        uint32_t src = plan_graph_snap(g, sites[j].lat, sites[j].lon, &sj);
        /* a little slack so that a pair exactly on the limit is not lost to rounding in the
         * metre bound; the minute test below decides */
        double budget = limit_m - sj + 1e-6 * (1 + limit_m);
        if (budget < 0)
            continue;
        if (plan_search_run(&s, g, src, budget) < 0) {
            err_set(e, 500, "out_of_memory", "", "内存不足");
            goto done;
        }
        for (size_t k = 0; k < s.n_settled; k++) {
            uint32_t v = s.settled[k];
            for (uint32_t i = head[v]; i != UINT32_MAX; i = next[i]) {
                double t = (dsnap[i] + s.dist[v] + sj) / mpm;
                if (!(t <= limit_minutes))
                    continue;
                if (t <= pair_minutes && pairs_push(out, i, (uint32_t)j, t) < 0) {
                    err_set(e, 500, "out_of_memory", "", "内存不足");
                    goto done;
                }
                if (nearest && (nearest[i] < 0 || t < nearest_minutes[i])) {
                    nearest[i] = (long)j;
                    nearest_minutes[i] = t;
                }
            }
        }
    }
    rc = 0;
done:
    plan_search_free(&s);
    free(dnode);
    free(dsnap);
    free(head);
    free(next);
    return rc;
}

int plan_coverage_run(const struct plan_graph *g, const struct plan_params *p,
                      const struct plan_demand *demand, size_t n_demand,
                      const struct plan_point *sites, const double *places, size_t n_sites,
                      struct plan_coverage_row *rows, struct plan_coverage_totals *totals,
                      struct err *e)
{
    if (!(p->minutes > 0) || !(p->speed_kmh > 0) || !(p->max_minutes >= 0) ||
        (!g && !(p->detour_factor > 0)))
        return err_set(e, 400, "bad_params", "minutes", "时间阈值、步行速度和绕行系数须为正数");
    double limit = p->max_minutes > p->minutes ? p->max_minutes : p->minutes;
    struct plan_pairs pairs = {0};
    long *nearest = malloc((n_demand ? n_demand : 1) * sizeof *nearest);
    double *nearest_min = malloc((n_demand ? n_demand : 1) * sizeof *nearest_min);
    double *demand_sum = calloc(n_sites ? n_sites : 1, sizeof *demand_sum);
    double *ratio = calloc(n_sites ? n_sites : 1, sizeof *ratio);
    int rc = -1;
    if (!nearest || !nearest_min || !demand_sum || !ratio) {
        err_set(e, 500, "out_of_memory", "", "内存不足");
        goto done;
    }
    if (plan_pairs_within(g, p, demand, n_demand, sites, n_sites, limit, p->minutes, &pairs,
                          nearest, nearest_min, e) < 0)
        goto done;

    /* step 1: R_j = places_j / sum_k W(t_kj) children_k */
    for (size_t k = 0; k < pairs.n; k++) {
        const struct plan_pair *q = &pairs.items[k];
        double w = plan_zone_weight(p, q->minutes);
        if (w > 0)
            demand_sum[q->site] += w * demand[q->demand].children;
    }
    for (size_t j = 0; j < n_sites; j++)
        ratio[j] = demand_sum[j] > 0 ? places[j] / demand_sum[j] : 0;
    /* step 2: A_i = sum_j W(t_ij) R_j, summed in ascending site order */
    for (size_t i = 0; i < n_demand; i++) {
        rows[i].access_per_1000 = 0;
        rows[i].covered = 0;
    }
    for (size_t k = 0; k < pairs.n; k++) {
        const struct plan_pair *q = &pairs.items[k];
        double w = plan_zone_weight(p, q->minutes);
        if (w > 0)
            rows[q->demand].access_per_1000 += w * ratio[q->site];
    }
    struct plan_coverage_totals t = {0};
    for (size_t j = 0; j < n_sites; j++)
        t.places += places[j];
    for (size_t i = 0; i < n_demand; i++) {
        rows[i].access_per_1000 *= 1000;
        if (nearest[i] >= 0 && nearest_min[i] <= p->max_minutes) {
            rows[i].nearest_site = nearest[i];
            rows[i].minutes = nearest_min[i];
        } else {
            rows[i].nearest_site = -1;
            rows[i].minutes = NAN;
        }
        rows[i].covered = nearest[i] >= 0 && nearest_min[i] <= p->minutes;
        t.population += demand[i].population;
        t.children += demand[i].children;
        if (rows[i].covered) {
            t.population_covered += demand[i].population;
            t.children_covered += demand[i].children;
        }
    }
    if (totals)
        *totals = t;
    rc = 0;
done:
    plan_pairs_free(&pairs);
    free(nearest);
    free(nearest_min);
    free(demand_sum);
    free(ratio);
    return rc;
}
