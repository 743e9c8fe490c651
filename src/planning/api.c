/* api.c — HTTP routes of planning (C10): the district's road network (an uploaded OSM file,
 * validated by the engine and stored: network.c), communities and candidate sites (validated,
 * audited), the 15-minute coverage analysis of the registry's institutions against the
 * communities, and site recommendations (maximal covering); and, for families without login, a
 * point of the map described in words (its nearest community and town). Results come from the
 * cache (cache.c) until an input changes; SQL is in store.c, the analyses in planning.c. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/geo.h"
#include "planning/api.h"
#include "planning/keeper.h"
#include "planning/network.h"
#include "planning/planning.h"
#include "planning/store.h"
#include "registry/store.h"

#define MAX_K 100
#define MAX_ROWS 20000

/* action (planning.read, planning.manage) on the user's own town: the district's planning is
 * one record, so the role decides. */
static int authorize(struct http_req *req, const char *action, struct err *e)
{
    struct authz_target t = {.town_code = req->user ? req->user->town_code : NULL};
    return authz_require(req, action, &t, e);
}

/* Commit a created record with its audit row (its fields: the reply) and answer 201. */
static int created(struct http_req *req, struct http_reply *rep, const char *action, const char *target_type,
                   int64_t id, json_t *out)
{
    struct err e = {0};
    if (audit_request(req, action, target_type, http_printf(req, "%" PRId64, id), out, &e) < 0 ||
        db_commit(req->db, &e) < 0) {
        json_decref(out);
        db_rollback(req->db);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 201, out);
}

/* ---- the network ------------------------------------------------------------------------ */

static int post_network(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    if (authorize(req, "planning.manage", &e) < 0)
        return http_reply_err(rep, &e);
    const char *name = http_query(req, "name");
    if (!name || !name[0])
        name = "路网";
    if (strlen(name) > 100)
        return http_reply_error(rep, 400, "too_long", "name", "路网名称过长");
    struct planning_network n;
    if (planning_network_upload(req, name, req->body, req->body_len, &n, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)n.id, "name",
                                               n.name, "format", n.format, "size_bytes", (json_int_t)n.size_bytes,
                                               "nodes", (json_int_t)n.nodes, "edges", (json_int_t)n.edges));
}

static int get_network(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct planning_network n;
    if (authorize(req, "planning.read", &e) < 0 || planning_store_network(req->db, req->district, &n, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *net = n.id ? json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:[f,f,f,f], s:s}", "id", (json_int_t)n.id,
                                   "name", n.name, "format", n.format, "size_bytes", (json_int_t)n.size_bytes,
                                   "nodes", (json_int_t)n.nodes, "edges", (json_int_t)n.edges, "bbox", n.min_lon,
                                   n.min_lat, n.max_lon, n.max_lat, "created_at", n.created_at)
                       : json_null();
    return http_reply_json(rep, 200, json_pack("{s:o}", "network", net));
}

/* ---- communities and candidate sites ---------------------------------------------------- */

static int list_communities(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct planning_inputs in = {0};
    struct http_page page;
    const char *district = req->district;
    if (authorize(req, "planning.read", &e) < 0 || http_page_begin(req, &page, &e) < 0 ||
        planning_store_towns(req->db, district, &in, &e) < 0 ||
        planning_store_communities(req->db, district, authz_town_of(req->user), &in.comms, &in.ncomm, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    for (size_t i = 0; i < in.ncomm; i++)
        if (in.comms[i].id > page.after_id && http_page_take(req, &page, in.comms[i].id, NULL))
            json_array_append_new(items,
                                  planning_community_json(&in.comms[i], planning_town_name(&in, in.comms[i].town)));
        else if (page.more)
            break;
    planning_inputs_free(&in);
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int create_community(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *district = req->district;
    char now_ts[32], town_name[64] = "";
    struct planning_settings s;
    struct planning_community c;
    if (authorize(req, "planning.manage", &e) < 0 || planning_store_settings(req->db, district, req->today, &s, &e) < 0 ||
        planning_community_from_json(http_body(req), &s, &c, &e) < 0)
        return http_reply_err(rep, &e);
    int rc = registry_town_name(req->db, district, c.town, town_name, sizeof town_name, &e);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (rc == 0)
        return http_reply_error(rep, 422, "unknown_town", "town_code", "镇街代码不存在：%s", c.town);
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (planning_store_add_community(req->db, district, &c, now_ts, &e) < 0) {
        db_rollback(req->db);
        return http_reply_err(rep, &e);
    }
    return created(req, rep, "planning.community.create", "community", c.id, planning_community_json(&c, town_name));
}

/* GET /api/v1/public/places/{lon,lat} — the point a family chose on the map, in words: the
 * nearest community with its town and distance (null when there is none or the point lies
 * outside the district's box). */
static int public_place(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct planning_inputs in = {0};
    struct planning_settings s;
    const char *district = req->district;
    double lon, lat, radius;
    int present;
    if (geo_parse_near(http_param(req, "point"), NULL, &present, &lon, &lat, &radius, &e) < 0) {
        snprintf(e.field, sizeof e.field, "point");
        return http_reply_err(rep, &e);
    }
    if (planning_store_settings(req->db, district, req->today, &s, &e) < 0)
        return http_reply_err(rep, &e);
    int inside = lon >= s.min_lon && lon <= s.max_lon && lat >= s.min_lat && lat <= s.max_lat;
    if (inside && (planning_store_towns(req->db, district, &in, &e) < 0 ||
                   planning_store_communities(req->db, district, NULL, &in.comms, &in.ncomm, &e) < 0)) {
        planning_inputs_free(&in);
        return http_reply_err(rep, &e);
    }
    const struct planning_community *best = NULL;
    double best_m = 0;
    for (size_t i = 0; i < in.ncomm; i++) {
        double m = geo_haversine_m(lat, lon, in.comms[i].lat, in.comms[i].lon);
        if (!best || m < best_m) {
            best = &in.comms[i];
            best_m = m;
        }
    }
    json_t *community = best ? json_pack("{s:I, s:s, s:s, s:s, s:f}", "id", (json_int_t)best->id, "name", best->name,
                                         "town_code", best->town, "town_name", planning_town_name(&in, best->town),
                                         "distance_km", round(best_m / 10) / 100)
                             : json_null();
    planning_inputs_free(&in);
    return http_reply_json(rep, 200, json_pack("{s:f, s:f, s:b, s:o}", "lon", lon, "lat", lat, "inside_district",
                                               inside, "community", community));
}

static int list_candidates(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct planning_candidate *list;
    size_t n;
    struct http_page page;
    if (authorize(req, "planning.read", &e) < 0 || http_page_begin(req, &page, &e) < 0 ||
        planning_store_candidates(req->db, req->district, &list, &n, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        if (list[i].id > page.after_id && http_page_take(req, &page, list[i].id, NULL))
            json_array_append_new(items, planning_candidate_json(&list[i]));
        else if (page.more)
            break;
    free(list);
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int create_candidate(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *district = req->district;
    char now_ts[32];
    struct planning_settings s;
    struct planning_candidate c;
    if (authorize(req, "planning.manage", &e) < 0 || planning_store_settings(req->db, district, req->today, &s, &e) < 0 ||
        planning_candidate_from_json(http_body(req), &s, &c, &e) < 0)
        return http_reply_err(rep, &e);
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (planning_store_add_candidate(req->db, district, &c, now_ts, &e) < 0) {
        db_rollback(req->db);
        return http_reply_err(rep, &e);
    }
    return created(req, rep, "planning.candidate.create", "candidate_site", c.id, planning_candidate_json(&c));
}

/* ---- analyses --------------------------------------------------------------------------- */

static int post_coverage(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct planning_inputs in;
    if (authorize(req, "planning.read", &e) < 0 ||
        planning_store_inputs(req->db, req->district, req->today, 0, &in, &e) < 0)
        return http_reply_err(rep, &e);
    if (in.ncomm > MAX_ROWS) {
        planning_inputs_free(&in);
        return http_reply_error(rep, 422, "too_many", "communities", "社区数量过多（上限 %d）", MAX_ROWS);
    }
    json_t *o = planning_result(req->db, req->primary, req->district, "coverage", &in, 0, req->now, &e);
    planning_inputs_free(&in);
    if (!o)
        return http_reply_err(rep, &e);
    const char *town = authz_town_of(req->user);
    if (town)
        planning_coverage_for_town(o, town);
    return http_reply_json(rep, 200, o);
}

static int post_sites(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    size_t k = (size_t)json_integer_value(json_object_get(http_body(req), "k"));
    struct planning_inputs in;
    if (authorize(req, "planning.read", &e) < 0 ||
        planning_store_inputs(req->db, req->district, req->today, 1, &in, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o = planning_result(req->db, req->primary, req->district, "sites", &in, k, req->now, &e);
    planning_inputs_free(&in);
    if (!o)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, o);
}

#include "planning/api.schemas.inc"

const struct route planning_routes[] = {
    {"GET", "/api/v1/planning/network", "planning.read", get_network, NULL, &NETWORK_REPLY},
    {"POST", "/api/v1/planning/network", "planning.manage", post_network, &NETWORK_BODY, &NETWORK, 201},
    {"GET", "/api/v1/planning/communities", "planning.read", list_communities, NULL, &COMMUNITY_PAGE},
    {"POST", "/api/v1/planning/communities", "planning.manage", create_community, &COMMUNITY_BODY, &COMMUNITY, 201},
    {"GET", "/api/v1/planning/candidates", "planning.read", list_candidates, NULL, &CANDIDATE_PAGE},
    {"POST", "/api/v1/planning/candidates", "planning.manage", create_candidate, &CANDIDATE_BODY, &CANDIDATE, 201},
    {"POST", "/api/v1/planning/coverage", "planning.read", post_coverage, &COVERAGE_BODY, &COVERAGE},
    {"POST", "/api/v1/planning/sites", "planning.read", post_sites, &SITES_BODY, &SITES},
    {"GET", "/api/v1/public/places/{point}", "public", public_place, NULL, &PLACE},
    {NULL, NULL, NULL, NULL},
};
