/* plan_bench.c — times the parts of `tuoyu plan coverage` separately on one network: load,
 * snapping, and the per-site bounded Dijkstra searches alone (the work pgr_drivingDistance
 * does), each repeated. usage: plan_bench NETWORK demand.csv sites.csv [repeat] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan/coverage.h"
#include "plan/graph.h"
#include "plan/osm.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* minimal reader for the bench's own generated CSV: id,lon,lat,... */
static size_t read_xy(const char *path, double **lat, double **lon)
{
    FILE *f = fopen(path, "r");
    if (!f)
        exit(2);
    char line[512];
    size_t n = 0, cap = 1024;
    *lat = malloc(cap * sizeof **lat);
    *lon = malloc(cap * sizeof **lon);
    if (!fgets(line, sizeof line, f))
        exit(2);
    while (fgets(line, sizeof line, f)) {
        char *p = strchr(line, ',');
        if (!p)
            continue;
        if (n == cap) {
            cap *= 2;
            *lat = realloc(*lat, cap * sizeof **lat);
            *lon = realloc(*lon, cap * sizeof **lon);
        }
        (*lon)[n] = strtod(p + 1, &p);
        (*lat)[n] = strtod(p + 1, NULL);
        n++;
    }
    fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: plan_bench NETWORK demand.csv sites.csv [repeat]\n");
        return 2;
    }
    int repeat = argc > 4 ? atoi(argv[4]) : 5;
    double t0 = now(), c0 = cpu();
    struct plan_graph *g = NULL;
    struct err e = {0};
    if (plan_osm_load(argv[1], &g, &e) < 0) {
        fprintf(stderr, "%s\n", e.message);
        return 2;
    }
    printf("load: %.3f s wall, %.3f s cpu (%zu nodes, %zu edges)\n", now() - t0, cpu() - c0, g->n, g->edges);
    double *dlat, *dlon, *slat, *slon;
    size_t nd = read_xy(argv[2], &dlat, &dlon), ns = read_xy(argv[3], &slat, &slon);
    uint32_t *src = malloc(ns * sizeof *src);
    double *snap = malloc(ns * sizeof *snap), d;
    t0 = now(), c0 = cpu();
    for (size_t i = 0; i < nd; i++)
        plan_graph_snap(g, dlat[i], dlon[i], &d);
    for (size_t j = 0; j < ns; j++)
        src[j] = plan_graph_snap(g, slat[j], slon[j], &snap[j]);
    printf("snap %zu + %zu points: %.3f s wall, %.3f s cpu\n", nd, ns, now() - t0, cpu() - c0);
    struct plan_search s;
    if (plan_search_init(&s, g) < 0)
        return 1;
    double limit = 60 * 4000.0 / 60; /* 60 minutes at 4 km/h = 4000 m, as pgr_drivingDistance */
    for (int r = 0; r < repeat; r++) {
        size_t settled = 0;
        t0 = now(), c0 = cpu();
        for (size_t j = 0; j < ns; j++) {
            plan_search_run(&s, g, src[j], limit);
            settled += s.n_settled;
        }
        printf("searches from %zu sites to %.0f m: %.3f s wall, %.3f s cpu, %zu nodes settled\n", ns, limit,
               now() - t0, cpu() - c0, settled);
    }
    plan_search_free(&s);
    plan_graph_free(g);
    free(dlat), free(dlon), free(slat), free(slon), free(src), free(snap);
    return 0;
}
