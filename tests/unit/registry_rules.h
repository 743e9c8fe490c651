/* registry_rules.h — the registry's rule figures as Ouhai's parameter table seeds them (migration
 * 003: class sizes, ratios, the health worker, the lease, the floor, the 卫生评价's health room and
 * window share, the 家庭托育点 limits, the district's bounding box), for the tests of the pure
 * engines that take them as an argument (test_registry, test_dashboard, fuzz_registry_import). */
#ifndef TUOYU_TESTS_REGISTRY_RULES_H
#define TUOYU_TESTS_REGISTRY_RULES_H

#include "registry/registry.h"

static const struct registry_rules RULES = {
    .max_class_size = {10, 15, 20, 18},
    .children_per_caregiver = {3, 5, 7, 5},
    .health_worker_min_children = 150,
    .lease_min_years = 3,
    .lease_warning_days = 180,
    .max_floor = 3,
    .health_room_min_m2 = 6,
    .window_area_min_share = 0.2,
    .family_point_max_children = 5,
    .family_point_children_per_carer = 3,
    .min_lon = 120.40, .max_lon = 120.78, .min_lat = 27.83, .max_lat = 28.10,
};

#endif
