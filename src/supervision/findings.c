/* findings.c — GET /api/v1/findings: the compliance findings of every open institution in the
 * caller's jurisdiction (the district, or a town officer's town), as supervision_scan makes them
 * (registry, staff and 可视托 rules), one row per finding with its institution, town and the
 * rectification item raised for it (matched by the item's stable key: institution, source, rule,
 * subject), filtered by town, institution, rule and severity; a paged list, so ?export=xlsx gives
 * it as a workbook. The dashboard's 待整改合规问题 leads here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "oversight/store.h"
#include "registry/api.h"
#include "supervision/api.h"
#include "supervision/scan.h"

/* The list being made: its rows, the row count so far, the open rectification items by finding
 * key, the filters, and the page (a row is built only when the page shows it). */
struct rows {
    json_t *items;
    int64_t seq;
    const json_t *raised;
    const char *rule, *severity;
    const struct http_page *page;
};

static json_t *id_or_null(int64_t id) { return id ? json_integer(id) : json_null(); }

/* Add r of institution h unless the filters leave it out, with the rectification item raised for
 * it (matched by its stable key: institution, source, rule, subject). */
static void add_row(struct rows *out, const struct scan_head *h, const struct scan_finding *r)
{
    if ((out->rule && strcmp(out->rule, r->rule)) || (out->severity && strcmp(out->severity, r->severity)))
        return;
    out->seq++; /* the row's number in the list: the same data and filters give the same numbers */
    if (out->seq <= out->page->after_id || json_array_size(out->items) > (size_t)out->page->limit)
        return;
    char key[200];
    snprintf(key, sizeof key, "%lld/%s/%s/%s", (long long)h->id, r->source, r->rule, r->subject);
    json_t *item = json_object_get(out->raised, key);
    json_array_append_new(
        out->items,
        json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                  (json_int_t)out->seq, "institution_id", (json_int_t)h->id, "institution_name", h->name, "town_code",
                  h->town_code, "rule", r->rule, "severity", r->severity, "message", r->message, "basis", r->basis,
                  "source", r->source, "subject", r->subject, "class_id", id_or_null(r->class_id), "staff_id",
                  id_or_null(r->staff_id), "camera_id", id_or_null(r->camera_id), "rectification_id",
                  item ? json_incref(json_object_get(item, "id")) : json_null(), "rectification_status",
                  item ? json_incref(json_object_get(item, "status")) : json_null(), "rectification_due_on",
                  item ? json_incref(json_object_get(item, "due_on")) : json_null()));
}

static int list_findings(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *own = authz_town_of(req->user);
    const char *town = own ? own : http_query(req, "town");
    const char *rule = http_query(req, "rule"), *severity = http_query(req, "severity");
    int64_t institution;
    struct authz_target t = {.town_code = town};
    struct http_page page;
    if (authz_require(req, "findings.list", &t, &e) < 0 || http_page_begin(req, &page, &e) < 0 ||
        http_query_id(req, "institution_id", "机构编号", &institution, &e) < 0)
        return http_reply_err(rep, &e);
    if (severity && strcmp(severity, "high") && strcmp(severity, "medium") && strcmp(severity, "low"))
        return http_reply_error(rep, 422, "bad_query", "severity", "严重程度应为 high、medium 或 low");
    struct scan scan;
    json_t *raised = NULL;
    if (supervision_scan(req->db, req->district, town, institution, req->today, &scan, &e) < 0)
        return http_reply_err(rep, &e);
    if (rectify_store_open_by_key(req->db, req->district, town, &raised, &e) < 0) {
        scan_free(&scan);
        return http_reply_err(rep, &e);
    }
    /* the rows after the cursor, one more than the page to tell whether more follow */
    struct rows out = {json_array(), 0, raised, rule, severity, &page};
    for (int i = 0; i < scan.n; i++) {
        const struct scan_institution *si = &scan.institutions[i];
        for (int k = 0; k < si->count; k++)
            add_row(&out, &si->head, &scan.findings[si->first + k]);
    }
    scan_free(&scan);
    json_decref(raised);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, out.items, "id", NULL)));
}

/* GET /api/v1/institutions/{id}/findings: one institution's findings as the district's list has
 * them (the registry's, staff, 可视托 and daily-care rules, kept by the scan), for its workbench, its
 * profile and its staff page; a closed institution has none. */
static int institution_findings(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "institution.findings", &e);
    struct scan scan;
    if (!in || supervision_scan(req->db, req->district, NULL, in->id, req->today, &scan, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    for (int i = 0; i < scan.n; i++)
        for (int k = 0; k < scan.institutions[i].count; k++) {
            const struct scan_finding *r = &scan.findings[scan.institutions[i].first + k];
            json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "rule", r->rule,
                                                   "severity", r->severity, "message", r->message, "basis", r->basis,
                                                   "source", r->source, "class_id", id_or_null(r->class_id),
                                                   "staff_id", id_or_null(r->staff_id), "camera_id",
                                                   id_or_null(r->camera_id)));
        }
    scan_free(&scan);
    return http_reply_json(rep, 200, json_pack("{s:s, s:o}", "as_of", req->today, "items", items));
}

#include "supervision/findings.schemas.inc"

/* The list's `kept` function: authorized on the town asked for as list_findings does. */
static int findings_version(struct http_req *req, char *version, size_t cap, struct err *e)
{
    const char *own = authz_town_of(req->user);
    struct authz_target target = {.town_code = own ? own : http_query(req, "town")};
    return supervision_kept_version(req, "findings.list", &target, version, cap, e);
}

const struct route findings_routes[] = {
    {"GET", "/api/v1/findings", "findings.list", list_findings, NULL, &FINDING_PAGE, .kept = findings_version},
    {"GET", "/api/v1/institutions/{id}/findings", "institution.findings", institution_findings, NULL,
     &INSTITUTION_FINDINGS},
    {NULL, NULL, NULL, NULL},
};
