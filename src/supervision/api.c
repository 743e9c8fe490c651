/* api.c — GET /api/v1/dashboard: indicators against targets for the user's jurisdiction (the
 * whole district, or a town officer's town), with the filing figures (备案) of the same scope. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "auth/auth.h"
#include "base/date.h"
#include "http/http.h"
#include "keytasks/store.h"
#include "progress/store.h"
#include "supervision/api.h"
#include "supervision/dashboard.h"
#include "supervision/snapshot.h"
#include "supervision/store.h"

/* The service circle from the latest coverage computed (src/planning/keeper.c keeps it current
 * from the server's start); null until there is one (or when it cannot be read: the dashboard
 * shows the rest). */
static json_t *service_circle(struct http_req *req, const char *town)
{
    json_t *coverage;
    char computed_at[40];
    struct err e = {0};
    if (supervision_latest_coverage(req->db, req->district, &coverage, computed_at, &e) < 0 || !coverage)
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
    struct town_totals *towns = http_alloc(req, DASH_MAX_TOWNS * sizeof *towns);
    int ntowns;
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    json_t *trend;
    if (supervision_targets(req->db, req->district, req->today, &targets, &e) < 0 ||
        supervision_totals(req->db, req->district, town, req->today, towns, DASH_MAX_TOWNS, &ntowns, &e) < 0 ||
        /* this month's snapshot, taken by the month's first read: written on the primary when
         * the read is answered from a replica */
        supervision_snapshot_ensure(req->primary, req->district, req->today, now_ts, &e) < 0 ||
        supervision_trend(req->db, req->district, town, req->today, 12, &trend, &e) < 0)
        return http_reply_err(rep, &e);
    struct filing_figures ff;
    if (supervision_filing_figures(req->db, req->district, town, req->today, &ff, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *circle = service_circle(req, town);
    if (json_is_object(circle))
        json_object_set_new(circle, "children_covered_target", json_real(targets.service_circle));
    json_t *reply = dashboard_json(towns, ntowns, &targets, req->today, town != NULL, circle);
    json_object_set_new(reply, "trend", trend);
    /* the pilot's own machinery: the key-task plan and the last quarter's progress reports */
    struct keytasks_tally kt;
    struct progress_tally pt;
    struct progress_period last;
    char before[DATE_DAY_LEN];
    progress_period_of(req->today, &last);
    date_add_days(last.first, -1, before);
    progress_period_of(before, &last);
    if (keytasks_store_tally(req->db, req->district, town, req->today, &kt, &e) < 0 ||
        progress_store_tally(req->db, req->district, town, last.code, &pt, &e) < 0) {
        json_decref(reply);
        return http_reply_err(rep, &e);
    }
    json_object_set_new(reply, "pilot",
                        json_pack("{s:{s:I, s:I, s:I}, s:{s:s, s:I, s:I, s:I}}", "key_tasks", "tasks", (json_int_t)kt.tasks,
                                  "done", (json_int_t)kt.done, "overdue", (json_int_t)kt.overdue, "progress_reports",
                                  "period", last.code, "towns", (json_int_t)pt.towns, "submitted",
                                  (json_int_t)pt.submitted, "approved", (json_int_t)pt.approved));
    json_object_set_new(reply, "filings",
                        json_pack("{s:I, s:I, s:I, s:s#}", "submitted_open", (json_int_t)ff.submitted_open,
                                  "receipts_overdue", (json_int_t)ff.receipts_overdue, "filed_this_year",
                                  (json_int_t)ff.filed_this_year, "year", req->today, (size_t)4));
    return http_reply_json(rep, 200, reply);
}

int supervision_kept_version(struct http_req *req, const char *action, const struct authz_target *target,
                             char *version, size_t cap, struct err *e)
{
    const char *own = authz_town_of(req->user);
    int64_t stamps[5];
    if (authz_require(req, action, target, e) < 0 ||
        supervision_store_stamps(req->db, req->district, stamps, e) < 0)
        return -1;
    snprintf(version, cap, "%s %s %s %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64,
             req->district, own ? own : "*", req->today, stamps[0], stamps[1], stamps[2], stamps[3],
             stamps[4]);
    return 0;
}

static int dashboard_version(struct http_req *req, char *version, size_t cap, struct err *e)
{
    struct authz_target target = {.town_code = authz_town_of(req->user)};
    return supervision_kept_version(req, "dashboard.read", &target, version, cap, e);
}

#include "supervision/api.schemas.inc"

const struct route supervision_routes[] = {
    {"GET", "/api/v1/dashboard", "dashboard.read", get_dashboard, NULL, &DASHBOARD, .kept = dashboard_version},
    {NULL, NULL, NULL, NULL},
};
