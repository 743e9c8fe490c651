/* planning.h — the planning domain (requirements C10): its records — the settings in force,
 * towns, communities, candidate sites, the registry's institutions as planning sees them, the
 * road network in use — and its pure half: validating a new community or candidate site, and
 * the two analyses the API answers, the district's 15-minute coverage (docs/planning.md) and
 * new-site recommendations, as JSON. Pure: no database, no HTTP, no clock; store.c loads the
 * records, the engines in src/plan/ compute. */
#ifndef TUOYU_PLANNING_H
#define TUOYU_PLANNING_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "plan/coverage.h"
#include "plan/graph.h"
#include "plan/rules.h"

#define PLANNING_MAX_TOWNS 32

/* Policy parameters in force (keys in docs/parameters.md: planning.*, geo.bbox.*). */
struct planning_settings {
    struct plan_params pp;          /* walking threshold, speed, detour factor, E2SFCA weights */
    struct plan_rule_params rp;     /* C10.1 targets */
    double margin_m;                /* planning.area_margin_m: a community further outside the
                                       network's box is flagged outside_network */
    double min_lon, max_lon, min_lat, max_lat;   /* the district's box */
};

struct planning_town {
    char code[16];
    char name[64];
};

struct planning_community {
    int64_t id;
    char town[16];
    char name[128];
    double lon, lat;
    int64_t population, children;   /* residents, children aged 0–3 */
    int is_new;                      /* 新建社区 */
};

struct planning_candidate {
    int64_t id;
    char name[128];
    double lon, lat;
    char kind[16];                   /* idle_premises | new_community */
    char note[256];
};

/* An institution of the registry that is not closed, with what the analyses read of it. */
struct planning_institution {
    int64_t id;
    char town[16];
    char name[128];
    double lon, lat;
    int places;                      /* institution_places() */
    int inclusive;
    char status[12];
    char operating_model[24];
    int toddler_classes;             /* its classes other than infant classes (托班) */
};

/* A stored road network (the newest is the one in use). */
struct planning_network {
    int64_t id;                      /* 0: none stored */
    char name[128];
    char format[8];                  /* osm | pbf */
    int64_t size_bytes, nodes, edges;
    double min_lon, max_lon, min_lat, max_lat;
    char created_at[32];
};

/* Everything an analysis is computed from (and its cache key hashes). */
struct planning_inputs {
    const char *district;
    struct planning_settings s;
    struct planning_network network;
    struct planning_town towns[PLANNING_MAX_TOWNS];
    size_t ntowns;
    struct planning_community *comms;      /* malloc'd */
    size_t ncomm;
    struct planning_institution *insts;    /* malloc'd */
    size_t ninst;
    struct planning_candidate *cands;      /* malloc'd; only for site recommendations */
    size_t ncand;
};

void planning_inputs_free(struct planning_inputs *in);
/* The name of town code among in->towns, "" when unknown. */
const char *planning_town_name(const struct planning_inputs *in, const char *code);

/* A community or candidate site from a body its route's schema admitted (sizes and types are
 * checked there). Its point must lie in the district's box (422 outside_district, field lon or
 * lat); a community's children cannot outnumber its residents (422 out_of_range); a candidate's
 * kind is idle_premises or new_community (422 bad_kind). That the town exists is the caller's
 * check. Returns 0 or -1 with e filled. */
int planning_community_from_json(const json_t *body, const struct planning_settings *s,
                                 struct planning_community *out, struct err *e);
int planning_candidate_from_json(const json_t *body, const struct planning_settings *s,
                                 struct planning_candidate *out, struct err *e);
json_t *planning_community_json(const struct planning_community *c, const char *town_name);
json_t *planning_candidate_json(const struct planning_candidate *c);

/* The coverage analysis of the district: each community's nearest institution, walking time,
 * coverage, E2SFCA access and places against its target; totals and targets by town and for the
 * district; the C10.1 rules; each institution's walking reach. g is the network's graph, NULL
 * for straight line × detour. Returns 0 with *out set, or -1 with e filled. */
int planning_coverage(const struct planning_inputs *in, const struct plan_graph *g, json_t **out,
                      struct err *e);
/* Keep only town's communities, towns, institutions and rule findings in a coverage result. */
void planning_coverage_for_town(json_t *coverage, const char *town);
/* The k candidate sites that add the most children within the threshold (plan_sites), with the
 * communities each newly covers. Returns 0 with *out set, or -1 with e filled. */
int planning_sites(const struct planning_inputs *in, const struct plan_graph *g, size_t k, json_t **out,
                   struct err *e);

#endif
