/* dashboard.c — the dashboard's tally, indicator arithmetic and reply. Pure: no I/O, no clock. */
#include "supervision/dashboard.h"

#include <math.h>
#include <string.h>

void dashboard_tally(struct town_totals *towns, int ntowns, const struct institution *list, const int *findings, int n)
{
    for (int i = 0; i < n; i++) {
        struct town_totals *t = NULL;
        for (int k = 0; k < ntowns && !t; k++)
            if (strcmp(towns[k].code, list[i].town_code) == 0)
                t = &towns[k];
        if (!t)
            continue;
        int places = institution_places(&list[i]);
        t->institutions++;
        t->places += places;
        if (list[i].inclusive) {
            t->inclusive_institutions++;
            t->inclusive_places += places;
        }
        t->open_findings += findings[i];
    }
}

/* The ratios of a KPI from its counts. */
static void kpi_ratios(struct kpi *k)
{
    k->places_per_1000 = k->residents > 0 ? (double)k->places * 1000.0 / (double)k->residents : 0;
    k->inclusive_share = k->places > 0 ? (double)k->inclusive_places / (double)k->places : 0;
}

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
    kpi_ratios(out);
}

void dashboard_kpi_add(struct kpi *sum, const struct kpi *k)
{
    sum->institutions += k->institutions;
    sum->places += k->places;
    sum->inclusive_places += k->inclusive_places;
    sum->residents += k->residents;
    sum->open_findings += k->open_findings;
    sum->towns_covered += k->towns_covered;
    sum->towns_total += k->towns_total;
    kpi_ratios(sum);
}

json_t *dashboard_service_circle(const json_t *coverage, const char *computed_at, const char *town)
{
    json_t *area = json_object_get(coverage, "district");
    if (town) {
        size_t i;
        json_t *t;
        area = NULL;
        json_array_foreach(json_object_get(coverage, "towns"), i, t)
            if (json_is_string(json_object_get(t, "town_code")) &&
                strcmp(json_string_value(json_object_get(t, "town_code")), town) == 0)
                area = t;
    }
    json_t *out = area ? json_pack("{s:O?, s:O?, s:O?, s:O?, s:s}", "population_covered_share",
                                   json_object_get(area, "population_covered_share"), "children_covered_share",
                                   json_object_get(area, "children_covered_share"), "method",
                                   json_object_get(coverage, "method"), "minutes", json_object_get(coverage, "minutes"),
                                   "computed_at", computed_at)
                       : NULL;
    return out ? out : json_null();
}

static double round_to(double v, double unit) { return round(v / unit) * unit; }

json_t *dashboard_kpi_json(const struct kpi *k, const struct kpi_targets *t)
{
    return json_pack("{s:i, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:i, s:i, s:i, s:i}", "institutions", k->institutions,
                     "places", (json_int_t)k->places, "inclusive_places", (json_int_t)k->inclusive_places, "residents",
                     (json_int_t)k->residents, "places_per_1000", round_to(k->places_per_1000, 0.01),
                     "places_per_1000_target", t->places_per_1000, "inclusive_share",
                     round_to(k->inclusive_share, 0.0001), "inclusive_share_target", t->inclusive_share,
                     "towns_covered", k->towns_covered, "towns_total", k->towns_total, "towns_covered_target",
                     t->towns_covered, "open_findings", k->open_findings);
}

json_t *dashboard_json(const struct town_totals *towns, int ntowns, const struct kpi_targets *targets,
                       const char *today, int town_scope, json_t *service_circle)
{
    struct kpi total;
    dashboard_kpi(towns, ntowns, &total);
    json_t *by_town = json_array();
    for (int i = 0; i < ntowns; i++) {
        struct kpi k;
        dashboard_kpi(&towns[i], 1, &k);
        json_t *o = dashboard_kpi_json(&k, targets);
        json_object_set_new(o, "code", json_string(towns[i].code));
        json_object_set_new(o, "name", json_string(towns[i].name));
        json_object_set_new(o, "has_inclusive", json_boolean(towns[i].inclusive_institutions > 0));
        json_object_set_new(o, "population_year", towns[i].population_year ? json_integer(towns[i].population_year) : json_null());
        json_array_append_new(by_town, o);
    }
    /* the residents' year the figure divides by: the latest any town's comes from */
    int year = 0;
    for (int i = 0; i < ntowns; i++)
        if (towns[i].population_year > year)
            year = towns[i].population_year;
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "as_of", today, "scope", town_scope ? "town" : "district",
                     "district", dashboard_kpi_json(&total, targets), "towns", by_town, "service_circle", service_circle,
                     "population_year", year ? json_integer(year) : json_null());
}
