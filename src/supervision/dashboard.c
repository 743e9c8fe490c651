/* dashboard.c — indicator arithmetic of the supervision dashboard. Pure. */
#include "supervision/dashboard.h"

#include <string.h>

void dashboard_kpi(const struct town_totals *towns, int n, struct kpi *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++) {
        out->institutions += towns[i].institutions;
        out->places += towns[i].places;
        out->inclusive_places += towns[i].inclusive_places;
        out->residents += towns[i].residents;
        out->open_findings += towns[i].open_findings;
        out->towns_covered += towns[i].inclusive_institutions > 0;
    }
    out->towns_total = n;
    out->places_per_1000 = out->residents > 0 ? (double)out->places * 1000.0 / (double)out->residents : 0;
    out->inclusive_share = out->places > 0 ? (double)out->inclusive_places / (double)out->places : 0;
}
