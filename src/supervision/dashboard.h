/* dashboard.h — 一屏掌控: the pilot's indicators against their targets, district-wide and by
 * town. The arithmetic is a pure function over per-town totals (dashboard.c); api.c gathers the
 * totals from the registry within the user's jurisdiction. */
#ifndef TUOYU_DASHBOARD_H
#define TUOYU_DASHBOARD_H

#include <stdint.h>

#define DASH_MAX_TOWNS 32

struct town_totals {
    char code[16];
    char name[64];
    int64_t residents;
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
};

/* Sum towns into one KPI (for the district, or for one town when n = 1). */
void dashboard_kpi(const struct town_totals *towns, int n, struct kpi *out);

#endif
