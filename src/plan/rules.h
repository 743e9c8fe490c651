/* rules.h — planning rules of the Ouhai pilot (C10.1), as pure functions over plain structs:
 * places per 1,000 residents by district, town and community against their targets, the share
 * of inclusive (普惠) places, towns without an inclusive institution, and new-community
 * kindergartens with too few toddler classes. Thresholds are inputs (policy parameters).
 * "N以上" / "达到N" are read as inclusive (>= N), as 以上 includes the number in Chinese
 * legal usage (民法典 第一千二百五十九条). No I/O. */
#ifndef TUOYU_PLAN_RULES_H
#define TUOYU_PLAN_RULES_H

#include <stddef.h>

#include "base/err.h"

enum plan_area_level { PLAN_AREA_DISTRICT = 0, PLAN_AREA_TOWN = 1, PLAN_AREA_COMMUNITY = 2 };

/* Parameters (keys in docs/parameters.md):
 *   district_places_per_1000       planning.places_per_1000_target (4.5)
 *   town_places_per_1000           same key unless a town target is seeded (4.5); <= 0: none
 *   new_community_places_per_1000  planning.new_community_places_per_1000 (10)
 *   inclusive_share_min            planning.inclusive_share_target (0.6)
 *   kindergarten_min_toddler_classes planning.kindergarten_min_toddler_classes (2) */
struct plan_rule_params {
    double district_places_per_1000;
    double town_places_per_1000;
    double new_community_places_per_1000;
    double inclusive_share_min;
    int kindergarten_min_toddler_classes;
};

/* An area with its residents and the places of the institutions in it. */
struct plan_area {
    const char *code;
    enum plan_area_level level;
    int new_community;          /* communities only: 1 for a new community (新建社区) */
    double population;          /* residents, >= 0 */
    double places;              /* all childcare places, >= 0 */
    double inclusive_places;    /* of which inclusive (普惠), 0..places */
};

/* Verdict on one area. A "meets" flag is 1 (meets), 0 (falls short) or -1 (no target applies,
 * or the figure is undefined because its denominator is 0). */
struct plan_area_result {
    double places_per_1000;     /* 1000 × places / population; NAN when population is 0 */
    double target;              /* the target applied, NAN when none */
    int meets_places;           /* places_per_1000 >= target */
    double places_short;        /* places still needed to reach the target (0 when met or none) */
    double inclusive_share;     /* inclusive_places / places; NAN when places is 0 */
    int meets_inclusive;        /* inclusive_share >= inclusive_share_min */
};

/* Which target applies: district → district_places_per_1000; town → town_places_per_1000
 * (none when <= 0); new community → new_community_places_per_1000; other community → none. */
double plan_rules_target(const struct plan_rule_params *p, const struct plan_area *a);

/* Evaluate n areas into results[n]. Fails ("bad_area", field named) on a negative population
 * or places, inclusive places above places, or an unknown level. Returns 0 or -1. */
int plan_rules_areas(const struct plan_rule_params *p, const struct plan_area *areas, size_t n,
                     struct plan_area_result *results, struct err *e);

/* An institution as the town rule sees it. */
struct plan_institution {
    const char *town_code;
    int inclusive;              /* 1 for a 普惠 institution */
    int active;                 /* 1 when operating (closed ones do not count) */
};

/* Towns (codes[n_towns]) that have no active inclusive institution. Writes their indices into
 * out (room for n_towns), in input order, and returns how many. */
size_t plan_rules_towns_without_inclusive(const char *const *town_codes, size_t n_towns,
                                          const struct plan_institution *inst, size_t n_inst,
                                          size_t *out);

/* A kindergarten with its toddler (托班) classes. */
struct plan_kindergarten {
    const char *id;
    int new_community;          /* 1 when it is a new community's kindergarten */
    int toddler_classes;        /* 托班 classes, >= 0 */
};

/* New-community kindergartens with fewer than kindergarten_min_toddler_classes toddler classes:
 * their indices into out (room for n), in input order; returns how many. */
size_t plan_rules_short_kindergartens(const struct plan_rule_params *p,
                                      const struct plan_kindergarten *kg, size_t n, size_t *out);

#endif
