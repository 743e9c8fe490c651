/* rules.c — the C10.1 planning rules (places per 1,000, inclusive share, towns, toddler classes). */
#include "plan/rules.h"

#include <math.h>
#include <string.h>

double plan_rules_target(const struct plan_rule_params *p, const struct plan_area *a)
{
    switch (a->level) {
    case PLAN_AREA_DISTRICT:
        return p->district_places_per_1000 > 0 ? p->district_places_per_1000 : NAN;
    case PLAN_AREA_TOWN:
        return p->town_places_per_1000 > 0 ? p->town_places_per_1000 : NAN;
    case PLAN_AREA_COMMUNITY:
        return a->new_community && p->new_community_places_per_1000 > 0 ? p->new_community_places_per_1000 : NAN;
    }
    return NAN;
}

int plan_rules_areas(const struct plan_rule_params *p, const struct plan_area *areas, size_t n,
                     struct plan_area_result *results, struct err *e)
{
    for (size_t k = 0; k < n; k++) {
        const struct plan_area *a = &areas[k];
        const char *code = a->code ? a->code : "";
        if (a->level != PLAN_AREA_DISTRICT && a->level != PLAN_AREA_TOWN && a->level != PLAN_AREA_COMMUNITY)
            return err_set(e, 422, "bad_area", "level", "区域 %s 的层级无效", code);
        if (!(a->population >= 0))
            return err_set(e, 422, "bad_area", "population", "区域 %s 的常住人口无效", code);
        if (!(a->places >= 0))
            return err_set(e, 422, "bad_area", "places", "区域 %s 的托位数无效", code);
        if (!(a->inclusive_places >= 0) || a->inclusive_places > a->places)
            return err_set(e, 422, "bad_area", "inclusive_places", "区域 %s 的普惠托位数无效", code);
        struct plan_area_result *r = &results[k];
        r->target = plan_rules_target(p, a);
        r->places_per_1000 = a->population > 0 ? 1000.0 * a->places / a->population : NAN;
        if (isnan(r->target) || isnan(r->places_per_1000)) {
            r->meets_places = -1;
            r->places_short = 0;
        } else {
            r->meets_places = r->places_per_1000 >= r->target;
            double need = ceil(r->target * a->population / 1000.0 - 1e-9) - a->places;
            r->places_short = r->meets_places || need < 0 ? 0 : need;
        }
        r->inclusive_share = a->places > 0 ? a->inclusive_places / a->places : NAN;
        r->meets_inclusive = isnan(r->inclusive_share) ? -1 : r->inclusive_share >= p->inclusive_share_min;
    }
    return 0;
}

size_t plan_rules_towns_without_inclusive(const char *const *town_codes, size_t n_towns,
                                          const struct plan_institution *inst, size_t n_inst,
                                          size_t *out)
{
    size_t m = 0;
    for (size_t t = 0; t < n_towns; t++) {
        int found = 0;
        for (size_t k = 0; k < n_inst && !found; k++)
            found = inst[k].inclusive && inst[k].active && inst[k].town_code && town_codes[t] &&
                    strcmp(inst[k].town_code, town_codes[t]) == 0;
        if (!found)
            out[m++] = t;
    }
    return m;
}

size_t plan_rules_short_kindergartens(const struct plan_rule_params *p,
                                      const struct plan_kindergarten *kg, size_t n, size_t *out)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (kg[k].new_community && kg[k].toddler_classes < p->kindergarten_min_toddler_classes)
            out[m++] = k;
    return m;
}
