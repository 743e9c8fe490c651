/* planning.c — validating communities and candidate sites, and the coverage and site analyses
 * of the district as JSON, from records loaded by store.c and the engines of src/plan/. */
#include "planning/planning.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/geo.h"
#include "base/json.h"
#include "plan/sites.h"

static int oom(struct err *e) { return err_set(e, 500, "oom", "", "内存不足"); }

void planning_inputs_free(struct planning_inputs *in)
{
    free(in->comms);
    free(in->insts);
    free(in->cands);
    memset(in, 0, sizeof *in);
}

const char *planning_town_name(const struct planning_inputs *in, const char *code)
{
    for (size_t i = 0; i < in->ntowns; i++)
        if (strcmp(in->towns[i].code, code) == 0)
            return in->towns[i].name;
    return "";
}

/* ---- communities and candidate sites ---------------------------------------------------- */

/* lon, lat (numbers, by the schema) inside the district's area. */
static int get_coord(const json_t *body, const struct planning_settings *s, double *lon, double *lat, struct err *e)
{
    *lon = json_number_value(json_object_get(body, "lon"));
    *lat = json_number_value(json_object_get(body, "lat"));
    if (!(*lon >= s->min_lon && *lon <= s->max_lon))
        return err_set(e, 422, "outside_district", "lon", "经度 %.6f 不在本区范围内（%.2f–%.2f）", *lon, s->min_lon,
                       s->max_lon);
    if (!(*lat >= s->min_lat && *lat <= s->max_lat))
        return err_set(e, 422, "outside_district", "lat", "纬度 %.6f 不在本区范围内（%.2f–%.2f）", *lat, s->min_lat,
                       s->max_lat);
    return 0;
}

int planning_community_from_json(const json_t *body, const struct planning_settings *s,
                                 struct planning_community *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    jfield_copy(body, "name", out->name, sizeof out->name);
    jfield_copy(body, "town_code", out->town, sizeof out->town);
    out->population = json_integer_value(json_object_get(body, "population"));
    out->children = json_integer_value(json_object_get(body, "children_0_3"));
    out->is_new = json_is_true(json_object_get(body, "is_new"));
    if (get_coord(body, s, &out->lon, &out->lat, e) < 0)
        return -1;
    if (out->children > out->population)
        return err_set(e, 422, "out_of_range", "children_0_3", "0–3岁婴幼儿数不能超过常住人口");
    return 0;
}

int planning_candidate_from_json(const json_t *body, const struct planning_settings *s,
                                 struct planning_candidate *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    jfield_copy(body, "name", out->name, sizeof out->name);
    jfield_copy(body, "kind", out->kind, sizeof out->kind);
    jfield_copy(body, "note", out->note, sizeof out->note);
    if (get_coord(body, s, &out->lon, &out->lat, e) < 0)
        return -1;
    if (strcmp(out->kind, "idle_premises") && strcmp(out->kind, "new_community"))
        return err_set(e, 422, "bad_kind", "kind",
                       "候选点类型应为 idle_premises（闲置国有房产）或 new_community（新建社区）");
    return 0;
}

json_t *planning_community_json(const struct planning_community *c, const char *town_name)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:f, s:f, s:I, s:I, s:b}", "id", (json_int_t)c->id, "name", c->name,
                     "town_code", c->town, "town_name", town_name, "lon", c->lon, "lat", c->lat, "population",
                     (json_int_t)c->population, "children_0_3", (json_int_t)c->children, "is_new", c->is_new);
}

json_t *planning_candidate_json(const struct planning_candidate *c)
{
    return json_pack("{s:I, s:s, s:f, s:f, s:s, s:s}", "id", (json_int_t)c->id, "name", c->name, "lon", c->lon, "lat",
                     c->lat, "kind", c->kind, "note", c->note);
}

/* ---- shared by both analyses ------------------------------------------------------------ */

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }
static json_t *share(double part, double whole) { return whole > 0 ? json_real(part / whole) : json_null(); }
static json_t *verdict(int meets) { return meets < 0 ? json_null() : json_boolean(meets); }
static double round_to(double v, double scale) { return round(v * scale) / scale; }

/* The method and parameters every result states. */
static json_t *method_json(const struct planning_inputs *in)
{
    const struct plan_params *pp = &in->s.pp;
    json_t *o = json_pack("{s:s, s:f, s:f, s:f, s:f}", "method", in->network.id ? "network" : "straight_line",
                          "minutes", pp->minutes, "speed_kmh", pp->speed_kmh, "max_minutes", pp->max_minutes,
                          "detour_factor", pp->detour_factor);
    json_object_set_new(o, "network",
                        in->network.id ? json_pack("{s:I, s:s}", "id", (json_int_t)in->network.id, "name",
                                                   in->network.name)
                                       : json_null());
    return o;
}

/* The communities as demand points of the engines. */
static struct plan_demand *demand_of(const struct planning_inputs *in)
{
    struct plan_demand *d = calloc(in->ncomm ? in->ncomm : 1, sizeof *d);
    for (size_t i = 0; d && i < in->ncomm; i++)
        d[i] = (struct plan_demand){.lat = in->comms[i].lat, .lon = in->comms[i].lon,
                                    .population = (double)in->comms[i].population,
                                    .children = (double)in->comms[i].children};
    return d;
}

/* ---- coverage --------------------------------------------------------------------------- */

/* Coverage figures of one town's communities. */
struct town_cover {
    double children, population_covered, children_covered;
    int communities;
};

/* One coverage run: the engines' answers, before they become JSON. */
struct coverage_run {
    const struct planning_inputs *in;
    const struct plan_graph *g;
    struct plan_demand *demand;        /* per community */
    struct plan_point *sites;          /* per institution */
    double *places;                    /* per institution */
    long *home;                        /* per institution: the community its places count towards */
    struct plan_coverage_row *rows;    /* per community */
    struct plan_coverage_totals totals;
    double inclusive_places;
    struct plan_pairs reach;           /* (community, institution) pairs within the threshold */
    struct plan_area *areas;           /* [0] district, [1 .. ntowns] towns, then communities */
    struct plan_area_result *verdicts; /* same indices */
    struct town_cover *towns;          /* per town */
};

static void coverage_run_free(struct coverage_run *r)
{
    plan_pairs_free(&r->reach);
    free(r->demand), free(r->sites), free(r->places), free(r->home), free(r->rows);
    free(r->areas), free(r->verdicts), free(r->towns);
}

/* Index of the community an institution's places count towards: the nearest one (straight line)
 * in its own town, else the nearest overall; -1 without communities. */
static long home_community(const struct planning_inputs *in, const struct planning_institution *x)
{
    long best = -1, best_any = -1;
    double bd = INFINITY, bd_any = INFINITY;
    for (size_t i = 0; i < in->ncomm; i++) {
        double d = geo_haversine_m(x->lat, x->lon, in->comms[i].lat, in->comms[i].lon);
        if (d < bd_any)
            bd_any = d, best_any = (long)i;
        if (strcmp(in->comms[i].town, x->town) == 0 && d < bd)
            bd = d, best = (long)i;
    }
    return best >= 0 ? best : best_any;
}

static void add_places(struct plan_area *a, double places, int inclusive)
{
    a->places += places;
    if (inclusive)
        a->inclusive_places += places;
}

/* Coverage and reach by the engine, then residents and places summed by town and community and
 * held against their targets. */
static int coverage_compute(struct coverage_run *r, struct err *e)
{
    const struct planning_inputs *in = r->in;
    size_t nd = in->ncomm, ns = in->ninst, nt = in->ntowns;
    r->demand = demand_of(in);
    r->sites = calloc(ns ? ns : 1, sizeof *r->sites);
    r->places = calloc(ns ? ns : 1, sizeof *r->places);
    r->home = calloc(ns ? ns : 1, sizeof *r->home);
    r->rows = calloc(nd ? nd : 1, sizeof *r->rows);
    r->areas = calloc(1 + nt + nd, sizeof *r->areas);
    r->verdicts = calloc(1 + nt + nd, sizeof *r->verdicts);
    r->towns = calloc(nt ? nt : 1, sizeof *r->towns);
    if (!r->demand || !r->sites || !r->places || !r->home || !r->rows || !r->areas || !r->verdicts || !r->towns)
        return oom(e);
    double total_places = 0;
    for (size_t j = 0; j < ns; j++) {
        r->sites[j] = (struct plan_point){.lat = in->insts[j].lat, .lon = in->insts[j].lon};
        r->places[j] = in->insts[j].places;
        total_places += r->places[j];
        if (in->insts[j].inclusive)
            r->inclusive_places += r->places[j];
        r->home[j] = home_community(in, &in->insts[j]);
    }
    const struct plan_params *pp = &in->s.pp;
    if (plan_coverage_run(r->g, pp, r->demand, nd, r->sites, r->places, ns, r->rows, &r->totals, e) < 0 ||
        plan_pairs_within(r->g, pp, r->demand, nd, r->sites, ns, pp->minutes, pp->minutes, &r->reach, NULL, NULL,
                          e) < 0)
        return -1;

    struct plan_area *district = &r->areas[0], *towns = &r->areas[1], *comms = &r->areas[1 + nt];
    *district = (struct plan_area){.code = in->district, .level = PLAN_AREA_DISTRICT,
                                   .population = r->totals.population, .places = total_places,
                                   .inclusive_places = r->inclusive_places};
    for (size_t t = 0; t < nt; t++)
        towns[t] = (struct plan_area){.code = in->towns[t].code, .level = PLAN_AREA_TOWN};
    for (size_t i = 0; i < nd; i++) {
        const struct plan_demand *d = &r->demand[i];
        comms[i] = (struct plan_area){.code = in->comms[i].name, .level = PLAN_AREA_COMMUNITY,
                                      .new_community = in->comms[i].is_new, .population = d->population};
        for (size_t t = 0; t < nt; t++)
            if (strcmp(in->towns[t].code, in->comms[i].town) == 0) {
                struct town_cover *tc = &r->towns[t];
                towns[t].population += d->population;
                tc->children += d->children;
                tc->communities++;
                if (r->rows[i].covered)
                    tc->population_covered += d->population, tc->children_covered += d->children;
            }
    }
    for (size_t j = 0; j < ns; j++) {
        for (size_t t = 0; t < nt; t++)
            if (strcmp(in->towns[t].code, in->insts[j].town) == 0)
                add_places(&towns[t], r->places[j], in->insts[j].inclusive);
        if (r->home[j] >= 0)
            add_places(&comms[r->home[j]], r->places[j], in->insts[j].inclusive);
    }
    return plan_rules_areas(&in->s.rp, r->areas, 1 + nt + nd, r->verdicts, e);
}

static json_t *area_json(const struct plan_area *a, const struct plan_area_result *v)
{
    return json_pack("{s:f, s:f, s:o, s:o, s:o, s:f, s:o, s:o}", "population", a->population, "places", a->places,
                     "places_per_1000", num_or_null(v->places_per_1000), "target", num_or_null(v->target),
                     "meets_target", verdict(v->meets_places), "places_short", ceil(v->places_short),
                     "inclusive_share", num_or_null(v->inclusive_share), "meets_inclusive",
                     verdict(v->meets_inclusive));
}

static json_t *communities_json(const struct coverage_run *r)
{
    const struct planning_inputs *in = r->in;
    json_t *list = json_array();
    for (size_t i = 0; i < in->ncomm; i++) {
        const struct planning_community *c = &in->comms[i];
        const struct plan_coverage_row *row = &r->rows[i];
        const struct plan_area *a = &r->areas[1 + in->ntowns + i];
        const struct plan_area_result *v = &r->verdicts[1 + in->ntowns + i];
        json_t *o = planning_community_json(c, planning_town_name(in, c->town));
        const struct planning_institution *x = row->nearest_site >= 0 ? &in->insts[row->nearest_site] : NULL;
        json_object_set_new(o, "nearest_institution",
                            x ? json_pack("{s:I, s:s}", "id", (json_int_t)x->id, "name", x->name) : json_null());
        json_object_set_new(o, "minutes",
                            isfinite(row->minutes) ? json_real(round_to(row->minutes, 1000)) : json_null());
        json_object_set_new(o, "covered", json_boolean(row->covered));
        json_object_set_new(o, "access_per_1000", json_real(round_to(row->access_per_1000, 1e6)));
        json_object_set_new(o, "places", json_real(a->places));
        json_object_set_new(o, "places_per_1000", num_or_null(v->places_per_1000));
        json_object_set_new(o, "target", num_or_null(v->target));
        json_object_set_new(o, "meets_target", verdict(v->meets_places));
        if (r->g)
            json_object_set_new(o, "outside_network",
                                json_boolean(!plan_graph_contains(r->g, c->lat, c->lon, in->s.margin_m)));
        json_array_append_new(list, o);
    }
    return list;
}

static json_t *towns_json(const struct coverage_run *r)
{
    const struct planning_inputs *in = r->in;
    json_t *list = json_array();
    for (size_t t = 0; t < in->ntowns; t++) {
        const struct plan_area *a = &r->areas[1 + t];
        const struct town_cover *tc = &r->towns[t];
        json_t *o = area_json(a, &r->verdicts[1 + t]);
        json_object_set_new(o, "town_code", json_string(in->towns[t].code));
        json_object_set_new(o, "town_name", json_string(in->towns[t].name));
        json_object_set_new(o, "communities", json_integer(tc->communities));
        json_object_set_new(o, "children_0_3", json_real(tc->children));
        json_object_set_new(o, "population_covered", json_real(tc->population_covered));
        json_object_set_new(o, "children_covered", json_real(tc->children_covered));
        json_object_set_new(o, "population_covered_share", share(tc->population_covered, a->population));
        json_object_set_new(o, "children_covered_share", share(tc->children_covered, tc->children));
        json_object_set_new(o, "inclusive_places", json_real(a->inclusive_places));
        json_array_append_new(list, o);
    }
    return list;
}

static json_t *district_json(const struct coverage_run *r)
{
    const struct plan_coverage_totals *tot = &r->totals;
    json_t *o = area_json(&r->areas[0], &r->verdicts[0]);
    json_object_set_new(o, "children_0_3", json_real(tot->children));
    json_object_set_new(o, "population_covered", json_real(tot->population_covered));
    json_object_set_new(o, "children_covered", json_real(tot->children_covered));
    json_object_set_new(o, "population_covered_share", share(tot->population_covered, tot->population));
    json_object_set_new(o, "children_covered_share", share(tot->children_covered, tot->children));
    json_object_set_new(o, "inclusive_places", json_real(r->inclusive_places));
    json_object_set_new(o, "institutions", json_integer((json_int_t)r->in->ninst));
    return o;
}

/* The C10.1 rules: the targets, towns without an inclusive institution, and new-community
 * kindergartens with too few toddler classes. */
static int rules_json(const struct coverage_run *r, json_t **out, struct err *e)
{
    const struct planning_inputs *in = r->in;
    const struct plan_rule_params *rp = &in->s.rp;
    size_t ns = in->ninst, nt = in->ntowns;
    const char **codes = calloc(nt ? nt : 1, sizeof *codes);
    size_t *idx = calloc((nt > ns ? nt : ns) + 1, sizeof *idx);
    struct plan_institution *pi = calloc(ns ? ns : 1, sizeof *pi);
    struct plan_kindergarten *kg = calloc(ns ? ns : 1, sizeof *kg);
    size_t *kg_inst = calloc(ns ? ns : 1, sizeof *kg_inst);
    if (!codes || !idx || !pi || !kg || !kg_inst) {
        free(codes), free(idx), free(pi), free(kg), free(kg_inst);
        return oom(e);
    }
    for (size_t t = 0; t < nt; t++)
        codes[t] = in->towns[t].code;
    for (size_t j = 0; j < ns; j++)
        pi[j] = (struct plan_institution){.town_code = in->insts[j].town, .inclusive = in->insts[j].inclusive,
                                          .active = 1};
    size_t nwo = plan_rules_towns_without_inclusive(codes, nt, pi, ns, idx);
    json_t *without = json_array();
    for (size_t q = 0; q < nwo; q++)
        json_array_append_new(without, json_pack("{s:s, s:s}", "town_code", in->towns[idx[q]].code, "town_name",
                                                 in->towns[idx[q]].name));
    size_t nkg = 0;
    for (size_t j = 0; j < ns; j++)
        if (strcmp(in->insts[j].operating_model, "kindergarten") == 0) {
            kg[nkg] = (struct plan_kindergarten){.id = in->insts[j].name,
                                                 .new_community = r->home[j] >= 0 && in->comms[r->home[j]].is_new,
                                                 .toddler_classes = in->insts[j].toddler_classes};
            kg_inst[nkg++] = j;
        }
    size_t nshort = plan_rules_short_kindergartens(rp, kg, nkg, idx);
    json_t *shortk = json_array();
    for (size_t q = 0; q < nshort; q++) {
        const struct planning_institution *x = &in->insts[kg_inst[idx[q]]];
        json_array_append_new(shortk, json_pack("{s:I, s:s, s:s, s:i, s:i}", "id", (json_int_t)x->id, "name", x->name,
                                                "town_code", x->town, "toddler_classes", kg[idx[q]].toddler_classes,
                                                "required", rp->kindergarten_min_toddler_classes));
    }
    const struct plan_area_result *v = &r->verdicts[0];
    *out = json_pack("{s:f, s:f, s:f, s:o, s:o, s:o, s:o}", "places_per_1000_target", rp->district_places_per_1000,
                     "new_community_places_per_1000_target", rp->new_community_places_per_1000,
                     "inclusive_share_target", rp->inclusive_share_min, "inclusive_share",
                     num_or_null(v->inclusive_share), "meets_inclusive", verdict(v->meets_inclusive),
                     "towns_without_inclusive", without, "kindergartens_short_of_toddler_classes", shortk);
    free(codes), free(idx), free(pi), free(kg), free(kg_inst);
    return 0;
}

/* Each institution with the communities within the threshold of it. */
static json_t *reach_json(const struct coverage_run *r)
{
    const struct planning_inputs *in = r->in;
    json_t *list = json_array();
    size_t q = 0;
    for (size_t j = 0; j < in->ninst; j++) {
        json_t *covers = json_array();
        for (; q < r->reach.n && r->reach.items[q].site == j; q++)
            json_array_append_new(covers, json_integer((json_int_t)in->comms[r->reach.items[q].demand].id));
        const struct planning_institution *x = &in->insts[j];
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:f, s:f, s:f, s:b, s:o}", "id", (json_int_t)x->id,
                                              "name", x->name, "town_code", x->town, "lon", x->lon, "lat", x->lat,
                                              "places", r->places[j], "inclusive", x->inclusive, "covers", covers));
    }
    return list;
}

int planning_coverage(const struct planning_inputs *in, const struct plan_graph *g, json_t **out, struct err *e)
{
    struct coverage_run r = {.in = in, .g = g};
    json_t *rules = NULL;
    if (coverage_compute(&r, e) < 0 || rules_json(&r, &rules, e) < 0) {
        coverage_run_free(&r);
        return -1;
    }
    json_t *o = method_json(in);
    json_object_set_new(o, "communities", communities_json(&r));
    json_object_set_new(o, "district", district_json(&r));
    json_object_set_new(o, "towns", towns_json(&r));
    json_object_set_new(o, "rules", rules);
    json_object_set_new(o, "institutions", reach_json(&r));
    coverage_run_free(&r);
    *out = o;
    return 0;
}

/* Keep the members of parent[key] (an array of objects) whose town_code is town. */
static void keep_town(json_t *parent, const char *key, const char *town)
{
    json_t *kept = json_array(), *v;
    size_t i;
    json_array_foreach(json_object_get(parent, key), i, v)
    {
        const char *tc = json_string_value(json_object_get(v, "town_code"));
        if (tc && strcmp(tc, town) == 0)
            json_array_append(kept, v);
    }
    json_object_set_new(parent, key, kept);
}

void planning_coverage_for_town(json_t *coverage, const char *town)
{
    keep_town(coverage, "communities", town);
    keep_town(coverage, "towns", town);
    keep_town(coverage, "institutions", town);
    json_t *rules = json_object_get(coverage, "rules");
    if (rules) {
        keep_town(rules, "towns_without_inclusive", town);
        keep_town(rules, "kindergartens_short_of_toddler_classes", town);
    }
    json_object_set_new(coverage, "scope_town", json_string(town));
}

/* ---- site recommendations --------------------------------------------------------------- */

int planning_sites(const struct planning_inputs *in, const struct plan_graph *g, size_t k, json_t **out,
                   struct err *e)
{
    size_t ns = in->ninst, nc = in->ncand;
    struct plan_demand *d = demand_of(in);
    struct plan_point *s = calloc(ns ? ns : 1, sizeof *s), *c = calloc(nc ? nc : 1, sizeof *c);
    int rc = -1;
    if (!d || !s || !c) {
        oom(e);
        goto done;
    }
    for (size_t j = 0; j < ns; j++)
        s[j] = (struct plan_point){.lat = in->insts[j].lat, .lon = in->insts[j].lon};
    for (size_t j = 0; j < nc; j++)
        c[j] = (struct plan_point){.lat = in->cands[j].lat, .lon = in->cands[j].lon};
    struct plan_sites_input q = {.graph = g, .params = &in->s.pp, .demand = d, .n_demand = in->ncomm,
                                 .existing = s, .n_existing = ns, .candidates = c, .n_candidates = nc, .k = k};
    struct plan_sites_result res;
    if (plan_sites(&q, &res, e) < 0)
        goto done;
    json_t *items = json_array();
    for (size_t r = 0; r < res.n_chosen; r++) {
        uint32_t j = res.chosen[r];
        const struct planning_candidate *x = &in->cands[j];
        json_t *covers = json_array();
        for (size_t p = res.cover_off[j]; p < res.cover_off[j + 1]; p++)
            json_array_append_new(covers, json_integer((json_int_t)in->comms[res.cover[p]].id));
        json_array_append_new(items, json_pack("{s:i, s:I, s:s, s:f, s:f, s:s, s:f, s:o}", "rank", (int)r + 1, "id",
                                               (json_int_t)x->id, "name", x->name, "lon", x->lon, "lat", x->lat,
                                               "kind", x->kind, "added_children_covered", res.added[r], "covers",
                                               covers));
    }
    double before = res.children_covered_before, after = before + res.children_added;
    json_t *o = method_json(in);
    json_object_set_new(o, "k", json_integer((json_int_t)k));
    json_object_set_new(o, "candidates", json_integer((json_int_t)nc));
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "children_0_3", json_real(res.children));
    json_object_set_new(o, "children_covered_before", json_real(before));
    json_object_set_new(o, "children_covered_after", json_real(after));
    json_object_set_new(o, "children_covered_share_before", share(before, res.children));
    json_object_set_new(o, "children_covered_share_after", share(after, res.children));
    plan_sites_free(&res);
    *out = o;
    rc = 0;
done:
    free(d), free(s), free(c);
    return rc;
}
