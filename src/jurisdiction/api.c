/* api.c — GET /api/v1/region/districts: the districts below a province or city administrator,
 * side by side — for each district on the platform (its towns are here) its dashboard indicators
 * against its own targets (the nearest level's parameters), the others marked not on it — with
 * the totals of them all; the district the console now works in (req->district: the
 * X-Tuoyu-District header, auth/session.c) is named, so the chooser shows it. And the districts a
 * deployment serves, for the parents' search (GET /api/v1/public/districts). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "http/http.h"
#include "jurisdiction/api.h"
#include "jurisdiction/rows.h"
#include "jurisdiction/store.h"
#include "supervision/dashboard.h"
#include "supervision/store.h"

/* One district's code, name and city, whether it runs on the platform, and when it does its
 * indicators against its targets. */
static json_t *district_json(const struct jurisdiction_node *d, const struct region_row *row)
{
    json_t *o = row->on_platform ? dashboard_kpi_json(&row->k, &row->targets) : json_object();
    json_object_set_new(o, "code", json_string(d->code));
    json_object_set_new(o, "name", json_string(d->name));
    json_object_set_new(o, "city_code", json_string(d->city_code));
    json_object_set_new(o, "city_name", json_string(d->city_name));
    json_object_set_new(o, "on_platform", json_boolean(row->on_platform));
    return o;
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
    struct district_stamps *stamps;
    int n, nstamps;
    if (jurisdiction_store_districts(req->db, self.code, &below, &n, &e) < 0)
        return http_reply_err(rep, &e);
    if (supervision_store_district_stamps(req->db, self.code, &stamps, &nstamps, &e) < 0) {
        free(below);
        return http_reply_err(rep, &e);
    }
    struct town_totals *towns = http_alloc(req, DASH_MAX_TOWNS * sizeof *towns);
    struct kpi total = {0};
    json_t *items = json_array();
    /* the same districts of the tree in code order, a row of stamps each */
    int rc = n == nstamps ? 0 : err_set(&e, 500, "region_stamps", "", "区县与其版本戳不一致");
    for (int i = 0; rc == 0 && i < n; i++) {
        struct region_row row;
        if (strcmp(stamps[i].code, below[i].code) != 0)
            rc = err_set(&e, 500, "region_stamps", "", "区县与其版本戳不一致：%s", below[i].code);
        else if ((rc = region_row(req->db, below[i].code, req->today, stamps[i].s, towns, &row, &e)) == 0) {
            if (row.on_platform)
                dashboard_kpi_add(&total, &row.k);
            json_array_append_new(items, district_json(&below[i], &row));
        }
    }
    free(stamps);
    free(below);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
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

/* GET /api/v1/public/districts: the districts this deployment serves, for the parents' search of a
 * deployment that holds several (?district= on the public reads), and the one a request without it
 * reads. */
static int served_districts(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *items;
    if (jurisdiction_store_served(req->db, &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o, s:s}", "items", items, "current", req->district));
}

#include "jurisdiction/api.schemas.inc"

const struct route jurisdiction_routes[] = {
    {"GET", "/api/v1/region/districts", "region.read", list_districts, NULL, &REGION, .kept = region_version},
    {"GET", "/api/v1/public/districts", "public", served_districts, NULL, &SERVED},
    {NULL, NULL, NULL, NULL},
};
