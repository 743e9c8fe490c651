/* api.c — GET /api/v1/region/districts: the districts below a province or city administrator,
 * side by side — for each district on the platform (its towns are here) its dashboard indicators
 * against its own targets (the nearest level's parameters), the others marked not on it — with
 * the totals of them all; the district the console now works in (req->district: the
 * X-Tuoyu-District header, auth/session.c) is named, so the chooser shows it. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "http/http.h"
#include "jurisdiction/api.h"
#include "jurisdiction/store.h"
#include "supervision/dashboard.h"
#include "supervision/snapshot.h"
#include "supervision/store.h"

/* One district's code, name and city, whether it runs on the platform (it has its towns here),
 * and when it does its indicators against its targets. */
static int district_json(struct http_req *req, const struct jurisdiction_node *d, struct town_totals *towns,
                         struct kpi *sum, json_t **out, struct err *e)
{
    int ntowns = 0;
    struct kpi_targets targets;
    if (supervision_totals(req->db, d->code, NULL, req->today, towns, DASH_MAX_TOWNS, &ntowns, e) < 0)
        return -1;
    if (ntowns == 0) {
        *out = json_pack("{s:s, s:s, s:s, s:s, s:b}", "code", d->code, "name", d->name, "city_code", d->city_code,
                         "city_name", d->city_name, "on_platform", 0);
        return 0;
    }
    if (supervision_targets(req->db, d->code, req->today, &targets, e) < 0)
        return -1;
    struct kpi k;
    dashboard_kpi(towns, ntowns, &k);
    dashboard_kpi_add(sum, &k);
    *out = dashboard_kpi_json(&k, &targets);
    json_object_set_new(*out, "code", json_string(d->code));
    json_object_set_new(*out, "name", json_string(d->name));
    json_object_set_new(*out, "city_code", json_string(d->city_code));
    json_object_set_new(*out, "city_name", json_string(d->city_name));
    json_object_set_new(*out, "on_platform", json_true());
    return 0;
}

static int list_districts(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target whole = {0};
    if (authz_require(req, "region.read", &whole, &e) < 0)
        return http_reply_err(rep, &e);
    struct jurisdiction_node self;
    int known = jurisdiction_store_get(req->db, req->user->district_code, &self, &e);
    if (known <= 0)
        return known < 0 ? http_reply_err(rep, &e)
                         : http_reply_error(rep, 404, "not_found", "", "未找到您所属的行政区划");
    struct jurisdiction_node *below;
    int n;
    if (jurisdiction_store_districts(req->db, self.code, &below, &n, &e) < 0)
        return http_reply_err(rep, &e);
    struct town_totals *towns = http_alloc(req, DASH_MAX_TOWNS * sizeof *towns);
    struct kpi total = {0};
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *d;
        if (district_json(req, &below[i], towns, &total, &d, &e) < 0) {
            free(below);
            json_decref(items);
            return http_reply_err(rep, &e);
        }
        json_array_append_new(items, d);
    }
    free(below);
    return http_reply_json(rep, 200,
                           json_pack("{s:s, s:{s:s, s:s, s:s}, s:s, s:{s:i, s:I, s:I, s:I, s:f, s:f, s:i, s:i, s:i}, s:o}", "as_of",
                                     req->today, "jurisdiction", "code", self.code, "level", self.level, "name", self.name,
                                     "district", req->district, "totals", "institutions", total.institutions, "places",
                                     (json_int_t)total.places, "inclusive_places", (json_int_t)total.inclusive_places,
                                     "residents", (json_int_t)total.residents, "places_per_1000",
                                     round(total.places_per_1000 * 100) / 100, "inclusive_share",
                                     round(total.inclusive_share * 10000) / 10000, "open_findings", total.open_findings,
                                     "towns_covered", total.towns_covered, "towns_total", total.towns_total,
                                     "districts", items));
}

/* The state 区县比较 is made from (src/http/kept.c): the caller's province or city, the district the
 * console reads (named in the answer), the day and the stamps of every district below and of the
 * levels above. */
static int region_version(struct http_req *req, char *version, size_t cap, struct err *e)
{
    struct authz_target whole = {0};
    int64_t s[5];
    if (authz_require(req, "region.read", &whole, e) < 0 ||
        supervision_store_region_stamps(req->db, req->user->district_code, s, e) < 0)
        return -1;
    snprintf(version, cap, "%s %s %s %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64,
             req->user->district_code, req->district, req->today, s[0], s[1], s[2], s[3], s[4]);
    return 0;
}

static const struct http_schema REGION = {NULL, HTTP_OBJECT, 0,
                                          "下辖各区（县、市）的托育服务指标及其目标，合计；当前查看的区县"};

const struct route jurisdiction_routes[] = {
    {"GET", "/api/v1/region/districts", "region.read", list_districts, NULL, &REGION, .kept = region_version},
    {NULL, NULL, NULL, NULL},
};
