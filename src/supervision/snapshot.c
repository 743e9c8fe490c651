/* snapshot.c — the dashboard's figures for a district or a town, and their monthly snapshots
 * (snapshot.h). */
#include "supervision/snapshot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/params.h"
#include "registry/registry.h"
#include "supervision/scan.h"
#include "supervision/store.h"

int supervision_totals(struct db *db, const char *district, const char *town, const char *today,
                       struct town_totals *towns, int max, int *ntowns, struct err *e)
{
    struct institution *list = NULL;
    int n = 0;
    struct scan scan;
    if (supervision_towns(db, district, town, atoi(today), towns, max, ntowns, e) < 0 ||
        supervision_institutions(db, district, town, today, &list, &n, e) < 0)
        return -1;
    if (supervision_scan(db, district, town, 0, today, &scan, e) < 0) {
        free(list);
        return -1;
    }
    int *findings = calloc((size_t)(n ? n : 1), sizeof *findings);
    if (!findings) {
        free(list);
        scan_free(&scan);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    /* both in id order: each institution's count of findings from the scan */
    for (int i = 0, k = 0; i < n; i++) {
        while (k < scan.n && scan.institutions[k].head.id < list[i].id)
            k++;
        if (k < scan.n && scan.institutions[k].head.id == list[i].id)
            findings[i] = scan.institutions[k].count;
    }
    dashboard_tally(towns, *ntowns, list, findings, n);
    free(findings);
    free(list);
    scan_free(&scan);
    return 0;
}

int supervision_targets(struct db *db, const char *district, const char *today, struct kpi_targets *out,
                        struct err *e)
{
    struct params *p = malloc(sizeof *p);
    if (!p)
        return err_set(e, 500, "oom", "", "内存不足");
    double towns = 0;
    int rc = params_load(db, district, today, p, e) < 0 ||
                     params_num(p, "planning.places_per_1000_target", &out->places_per_1000, e) < 0 ||
                     params_num(p, "planning.inclusive_share_target", &out->inclusive_share, e) < 0 ||
                     params_num(p, "planning.towns_covered_target", &towns, e) < 0 ||
                     params_num(p, "planning.service_circle_target", &out->service_circle, e) < 0
                 ? -1
                 : 0;
    out->towns_covered = (int)towns;
    free(p);
    return rc;
}

int supervision_snapshot_ensure(struct db *db, const char *district, const char *today, const char *now_ts,
                                struct err *e)
{
    char month[8];
    snprintf(month, sizeof month, "%.7s", today);
    int taken = supervision_store_snapshot_taken(db, district, month, e);
    if (taken != 0)
        return taken < 0 ? -1 : 0;
    struct town_totals *towns = calloc(DASH_MAX_TOWNS, sizeof *towns);
    int ntowns = 0;
    if (!towns)
        return err_set(e, 500, "oom", "", "内存不足");
    int rc = supervision_totals(db, district, NULL, today, towns, DASH_MAX_TOWNS, &ntowns, e);
    if (rc == 0)
        rc = db_begin(db, e);
    for (int i = 0; rc == 0 && i < ntowns; i++)
        rc = supervision_store_snapshot_put(db, district, month, &towns[i], now_ts, e);
    free(towns);
    if (rc < 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, e) < 0 ? -1 : 1;
}

int supervision_trend(struct db *db, const char *district, const char *town, const char *today, int months,
                      json_t **out, struct err *e)
{
    char month[8];
    snprintf(month, sizeof month, "%.7s", today);
    /* the months' sums for the scope, newest first */
    struct town_totals *sums = calloc((size_t)(months > 0 ? months : 1), sizeof *sums);
    char(*names)[8] = calloc((size_t)(months > 0 ? months : 1), sizeof *names);
    int n = 0;
    if (!sums || !names) {
        free(sums);
        free(names);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    if (supervision_store_trend(db, district, town, month, months, sums, names, &n, e) < 0) {
        free(sums);
        free(names);
        return -1;
    }
    json_t *rows = json_array();
    for (int i = n - 1; i >= 0; i--) {
        struct kpi k;
        dashboard_kpi(&sums[i], 1, &k);
        json_array_append_new(rows, json_pack("{s:s, s:i, s:I, s:I, s:I, s:f, s:f, s:i}", "month", names[i],
                                              "institutions", k.institutions, "places", (json_int_t)k.places,
                                              "inclusive_places", (json_int_t)k.inclusive_places, "residents",
                                              (json_int_t)k.residents, "places_per_1000",
                                              round(k.places_per_1000 * 100) / 100, "inclusive_share",
                                              round(k.inclusive_share * 10000) / 10000, "open_findings",
                                              k.open_findings));
    }
    free(sums);
    free(names);
    *out = rows;
    return 0;
}
