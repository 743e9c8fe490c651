/* api.c — GET /api/v1/dashboard: indicators against targets for the user's jurisdiction. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "base/date.h"
#include "http/http.h"
#include "params/params.h"
#include "registry/store.h"
#include "supervision/api.h"
#include "supervision/dashboard.h"

static double round_to(double v, double unit) { return round(v / unit) * unit; }

static json_t *kpi_json(const struct kpi *k, const struct kpi_targets *t)
{
    return json_pack("{s:i, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:i, s:i, s:i, s:i}", "institutions", k->institutions,
                     "places", (json_int_t)k->places, "inclusive_places", (json_int_t)k->inclusive_places, "residents",
                     (json_int_t)k->residents, "places_per_1000", round_to(k->places_per_1000, 0.01),
                     "places_per_1000_target", t->places_per_1000, "inclusive_share",
                     round_to(k->inclusive_share, 0.0001), "inclusive_share_target", t->inclusive_share,
                     "towns_covered", k->towns_covered, "towns_total", k->towns_total, "towns_covered_target",
                     t->towns_covered, "open_findings", k->open_findings);
}

/* The 15-minute service circle from the latest coverage the planning module computed (its cached
 * result): shares of residents and of children 0–3 within the walking threshold, for the
 * district or one town; null until coverage has been computed. */
static json_t *service_circle_json(struct http_req *req, const char *town)
{
    struct db_stmt *st;
    struct err e = {0};
    if (db_prepare(req->db,
                   "SELECT result, computed_at FROM planning_result WHERE district_code = ? AND kind = 'coverage' "
                   "ORDER BY computed_at DESC LIMIT 1",
                   &st, &e) < 0)
        return json_null();
    db_bind_text(st, 1, req->app->district_code);
    json_t *result = NULL;
    char computed_at[40] = "";
    if (db_step(st, &e) == DB_ROW) {
        result = json_loads(db_col_text(st, 0), 0, NULL);
        snprintf(computed_at, sizeof computed_at, "%s", db_col_text(st, 1));
    }
    db_finalize(st);
    if (!result)
        return json_null();
    json_t *area = json_object_get(result, "district");
    if (town) {
        size_t i;
        json_t *t;
        area = NULL;
        json_array_foreach(json_object_get(result, "towns"), i, t)
            if (json_is_string(json_object_get(t, "town_code")) &&
                strcmp(json_string_value(json_object_get(t, "town_code")), town) == 0)
                area = t;
    }
    json_t *out = area ? json_pack("{s:O?, s:O?, s:O?, s:O?, s:s}", "population_covered_share",
                                   json_object_get(area, "population_covered_share"), "children_covered_share",
                                   json_object_get(area, "children_covered_share"), "method",
                                   json_object_get(result, "method"), "minutes", json_object_get(result, "minutes"),
                                   "computed_at", computed_at)
                       : json_null();
    json_decref(result);
    return out ? out : json_null();
}

static int bind_town(struct db_stmt *st, int first, const void *arg)
{
    db_bind_text(st, first, arg);
    return first + 1;
}

static int get_dashboard(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const struct user *u = req->user;
    struct authz_target target = {.town_code = u->town_code};
    if (authz_require(req, "dashboard.read", &target, &e) < 0)
        return http_reply_err(rep, &e);
    int town_only = u->role == ROLE_TOWN_OFFICER;
    char today[11];
    date_format_day(req->now, today, sizeof today);

    struct params *p = http_alloc(req, sizeof *p);
    struct kpi_targets targets;
    double towns_target;
    if (params_load(req->db, req->app->district_code, today, p, &e) < 0 ||
        params_num(p, "planning.places_per_1000_target", &targets.places_per_1000, &e) < 0 ||
        params_num(p, "planning.inclusive_share_target", &targets.inclusive_share, &e) < 0 ||
        params_num(p, "planning.towns_covered_target", &towns_target, &e) < 0)
        return http_reply_err(rep, &e);
    targets.towns_covered = (int)towns_target;

    struct town_totals *towns = http_alloc(req, DASH_MAX_TOWNS * sizeof *towns);
    memset(towns, 0, DASH_MAX_TOWNS * sizeof *towns);
    int ntowns = 0;
    struct db_stmt *st;
    if (db_prepare(req->db,
                   town_only ? "SELECT code, name, population FROM town WHERE district_code = ? AND code = ?"
                             : "SELECT code, name, population FROM town WHERE district_code = ? ORDER BY code",
                   &st, &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_text(st, 1, req->app->district_code);
    if (town_only)
        db_bind_text(st, 2, u->town_code);
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW && ntowns < DASH_MAX_TOWNS) {
        snprintf(towns[ntowns].code, sizeof towns[ntowns].code, "%s", db_col_text(st, 0));
        snprintf(towns[ntowns].name, sizeof towns[ntowns].name, "%s", db_col_text(st, 1));
        towns[ntowns].residents = db_col_int64(st, 2);
        ntowns++;
    }
    db_finalize(st);
    if (rc < 0)
        return http_reply_err(rep, &e);

    struct registry_rules rules;
    char(*basis)[160] = http_alloc(req, RULE_COUNT * 160);
    if (registry_rules_from_params(req->db, req->app->district_code, today, &rules, basis, &e) < 0)
        return http_reply_err(rep, &e);
    const char *basis_ptr[RULE_COUNT];
    for (int i = 0; i < RULE_COUNT; i++)
        basis_ptr[i] = basis[i];
    struct institution *list;
    int n;
    if (registry_load_where(req->db, req->app->district_code,
                            town_only ? "i.status <> 'closed' AND i.town_code = ?" : "i.status <> 'closed'",
                            town_only ? bind_town : NULL, u->town_code, &list, &n, &e) < 0)
        return http_reply_err(rep, &e);
    struct finding f[64];
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
        t->open_findings += registry_findings(&list[i], &rules, basis_ptr, today, f, 64);
    }
    free(list);

    struct kpi total;
    dashboard_kpi(towns, ntowns, &total);
    json_t *by_town = json_array();
    for (int i = 0; i < ntowns; i++) {
        struct kpi k;
        dashboard_kpi(&towns[i], 1, &k);
        json_t *o = kpi_json(&k, &targets);
        json_object_set_new(o, "code", json_string(towns[i].code));
        json_object_set_new(o, "name", json_string(towns[i].name));
        json_object_set_new(o, "has_inclusive", json_boolean(towns[i].inclusive_institutions > 0));
        json_array_append_new(by_town, o);
    }
    return http_reply_json(rep, 200,
                           json_pack("{s:s, s:s, s:o, s:o, s:o}", "as_of", today, "scope", town_only ? "town" : "district",
                                     "district", kpi_json(&total, &targets), "towns", by_town, "service_circle",
                                     service_circle_json(req, town_only ? u->town_code : NULL)));
}

static const struct http_schema DASHBOARD = {NULL, HTTP_OBJECT, 0, "一屏掌控：全区（或本镇街）托育概况"};

const struct route supervision_routes[] = {
    {"GET", "/api/v1/dashboard", "dashboard.read", get_dashboard, NULL, &DASHBOARD},
    {NULL, NULL, NULL, NULL},
};
