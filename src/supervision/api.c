/* api.c — GET /api/v1/dashboard: indicators against targets for the user's jurisdiction (the
 * whole district, or a town officer's town), with the filing figures (备案) of the same scope. */
#include <stdlib.h>

#include "app.h"
#include "auth/auth.h"
#include "http/http.h"
#include "params/params.h"
#include "registry/store.h"
#include "staff/staff.h"
#include "staff/store.h"
#include "supervision/api.h"
#include "supervision/dashboard.h"
#include "supervision/store.h"

static int load_targets(struct http_req *req, struct kpi_targets *t, struct err *e)
{
    struct params *p = http_alloc(req, sizeof *p);
    double towns;
    if (params_load(req->db, req->app->district_code, req->today, p, e) < 0 ||
        params_num(p, "planning.places_per_1000_target", &t->places_per_1000, e) < 0 ||
        params_num(p, "planning.inclusive_share_target", &t->inclusive_share, e) < 0 ||
        params_num(p, "planning.towns_covered_target", &towns, e) < 0)
        return -1;
    t->towns_covered = (int)towns;
    return 0;
}

/* The service circle from the latest coverage computed; null until there is one (or when it
 * cannot be read: the dashboard shows the rest). */
static json_t *service_circle(struct http_req *req, const char *town)
{
    json_t *coverage;
    char computed_at[40];
    struct err e = {0};
    if (supervision_latest_coverage(req->db, req->app->district_code, &coverage, computed_at, &e) < 0 || !coverage)
        return json_null();
    json_t *out = dashboard_service_circle(coverage, computed_at, town);
    json_decref(coverage);
    return out;
}

static int get_dashboard(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *town = authz_town_of(req->user); /* NULL: the whole district */
    struct authz_target target = {.town_code = town};
    if (authz_require(req, "dashboard.read", &target, &e) < 0)
        return http_reply_err(rep, &e);
    struct kpi_targets targets;
    struct registry_rules rules;
    struct town_totals *towns = http_alloc(req, DASH_MAX_TOWNS * sizeof *towns);
    int ntowns, n;
    struct institution *list;
    if (load_targets(req, &targets, &e) < 0 ||
        supervision_towns(req->db, req->app->district_code, town, atoi(req->today), towns, DASH_MAX_TOWNS, &ntowns, &e) < 0 ||
        registry_rules_from_params(req->db, req->app->district_code, req->today, &rules, NULL, &e) < 0 ||
        supervision_institutions(req->db, req->app->district_code, town, &list, &n, &e) < 0)
        return http_reply_err(rep, &e);
    /* each institution's findings as the findings list makes them (registry and staff rules, the
     * people on duty from the roster) */
    struct staff_filter sf = {.town = town};
    struct staff_rules srules;
    struct staff *roster;
    int nstaff;
    if (staff_rules_from_params(req->db, req->app->district_code, req->today, &srules, &e) < 0 ||
        staff_roster(req->db, NULL, req->app->district_code, &sf, &roster, &nstaff, &e) < 0) {
        free(list);
        return http_reply_err(rep, &e);
    }
    static const char *const no_basis[RULE_COUNT] = {0}; /* counted, not shown: no basis needed */
    struct finding *f = http_alloc(req, STAFF_MAX_FINDINGS * sizeof *f);
    int *findings = http_alloc(req, (size_t)(n ? n : 1) * sizeof *findings);
    for (int i = 0; i < n; i++)
        findings[i] = staff_institution_findings(&list[i], roster, nstaff, &rules, no_basis, &srules, req->today, f,
                                                 STAFF_MAX_FINDINGS);
    free(roster);
    dashboard_tally(towns, ntowns, list, findings, n);
    free(list);
    struct filing_figures ff;
    if (supervision_filing_figures(req->db, req->app->district_code, town, req->today, &ff, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *reply = dashboard_json(towns, ntowns, &targets, req->today, town != NULL, service_circle(req, town));
    json_object_set_new(reply, "filings",
                        json_pack("{s:I, s:I, s:I, s:s#}", "submitted_open", (json_int_t)ff.submitted_open,
                                  "receipts_overdue", (json_int_t)ff.receipts_overdue, "filed_this_year",
                                  (json_int_t)ff.filed_this_year, "year", req->today, (size_t)4));
    return http_reply_json(rep, 200, reply);
}

static const struct http_schema DASHBOARD = {NULL, HTTP_OBJECT, 0, "一屏掌控：全区（或本镇街）托育概况"};

const struct route supervision_routes[] = {
    {"GET", "/api/v1/dashboard", "dashboard.read", get_dashboard, NULL, &DASHBOARD},
    {NULL, NULL, NULL, NULL},
};
