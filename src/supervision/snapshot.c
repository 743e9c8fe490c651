/* snapshot.c — the dashboard's figures for a district or a town, and their monthly snapshots
 * (snapshot.h). */
#include "supervision/snapshot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/registry.h"
#include "registry/store.h"
#include "staff/staff.h"
#include "staff/store.h"
#include "supervision/store.h"
#include "video/api.h"

int supervision_totals(struct db *db, const char *district, const char *town, const char *today,
                       struct town_totals *towns, int max, int *ntowns, struct err *e)
{
    struct registry_rules rules;
    struct staff_rules srules;
    struct staff_filter sf = {.town = town};
    struct institution *list = NULL;
    struct staff *roster = NULL;
    int n = 0, nstaff = 0;
    if (supervision_towns(db, district, town, atoi(today), towns, max, ntowns, e) < 0 ||
        registry_rules_from_params(db, district, today, &rules, NULL, e) < 0 ||
        staff_rules_from_params(db, district, today, &srules, e) < 0 ||
        supervision_institutions(db, district, town, today, &list, &n, e) < 0)
        return -1;
    struct finding *f = malloc(STAFF_MAX_FINDINGS * sizeof *f);
    int *findings = malloc((size_t)(n ? n : 1) * sizeof *findings);
    json_t *video = NULL;
    int rc = !f || !findings ? err_set(e, 500, "oom", "", "内存不足")
                             : staff_roster(db, NULL, district, &sf, &roster, &nstaff, e);
    if (rc == 0)
        rc = video_findings_in(db, district, town, 0, today, &video, e);
    if (rc == 0) {
        /* counted, not shown: no basis needed */
        static const char *const no_basis[RULE_COUNT] = {0};
        for (int i = 0; i < n; i++) {
            char key[24];
            snprintf(key, sizeof key, "%lld", (long long)list[i].id);
            findings[i] = staff_institution_findings(&list[i], roster, nstaff, &rules, no_basis, &srules, today, f,
                                                     STAFF_MAX_FINDINGS) +
                          (int)json_array_size(json_object_get(video, key));
        }
        dashboard_tally(towns, *ntowns, list, findings, n);
    }
    json_decref(video);
    free(roster);
    free(findings);
    free(f);
    free(list);
    return rc < 0 ? -1 : 0;
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
