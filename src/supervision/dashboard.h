/* dashboard.h — 一屏掌控: the pilot's indicators against their targets, district-wide and by
 * town. Pure (dashboard.c): the per-town totals tallied from the registry's institutions, the
 * indicator arithmetic over them, and the reply; store.c reads the towns and the latest
 * service-circle coverage, api.c the rest within the user's jurisdiction. */
#ifndef TUOYU_DASHBOARD_H
#define TUOYU_DASHBOARD_H

#include <jansson.h>
#include <stdint.h>

#include "registry/registry.h"

#define DASH_MAX_TOWNS 32

struct town_totals {
    char code[16];
    char name[64];
    int64_t residents;
    int population_year;       /* the year of residents (the latest not after today's); 0: none */
    int institutions;          /* not closed */
    int inclusive_institutions;
    int64_t places;
    int64_t inclusive_places;
    int open_findings;
};

struct kpi {
    int institutions;
    int64_t places, inclusive_places, residents;
    double places_per_1000;    /* places ÷ residents × 1000; 0 when no residents */
    double inclusive_share;    /* inclusive places ÷ places; 0 when no places */
    int towns_covered;         /* towns with at least one inclusive institution */
    int towns_total;
    int open_findings;
};

struct kpi_targets {
    double places_per_1000;    /* planning.places_per_1000_target */
    double inclusive_share;    /* planning.inclusive_share_target */
    int towns_covered;         /* planning.towns_covered_target */
    double service_circle;     /* planning.service_circle_target: the share of children under 3 within the walk */
};

/* Add the n institutions (not closed) of list to the totals of their towns: the count, places,
 * inclusive ones and their places, and findings[i], the compliance findings open at list[i] (as
 * the findings list makes them: staff_institution_findings). An institution of a town not in
 * towns is left out. */
void dashboard_tally(struct town_totals *towns, int ntowns, const struct institution *list, const int *findings, int n);

/* Sum towns into one KPI (for the district, or for one town when n = 1). */
void dashboard_kpi(const struct town_totals *towns, int n, struct kpi *out);

/* Add k's counts to sum and work out sum's ratios again (the totals of several districts). */
void dashboard_kpi_add(struct kpi *sum, const struct kpi *k);

/* One KPI against its targets: {institutions, places, inclusive_places, residents,
 * places_per_1000 (and _target), inclusive_share (and _target), towns_covered, towns_total,
 * towns_covered_target, open_findings}. */
json_t *dashboard_kpi_json(const struct kpi *k, const struct kpi_targets *t);

/* The 15-minute service circle of the area (town code, or NULL for the district) from a coverage
 * result of the planning module computed at computed_at: the shares of residents and of children
 * 0–3 within the walking threshold, the method and minutes; null when there is no result or the
 * town is not in it. */
json_t *dashboard_service_circle(const json_t *coverage, const char *computed_at, const char *town);

/* The reply of GET /api/v1/dashboard: as_of today, the scope ("town" when town_scope, else
 * "district"), the KPI of all towns against targets, each town's, and service_circle (stolen). */
json_t *dashboard_json(const struct town_totals *towns, int ntowns, const struct kpi_targets *targets,
                       const char *today, int town_scope, json_t *service_circle);

#endif
