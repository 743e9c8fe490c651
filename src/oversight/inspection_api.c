/* inspection_api.c — 督查 (issue 19 item 5): GET /api/v1/inspection-checklist (the points an
 * inspection is recorded against), POST /api/v1/institutions/{id}/inspections (the district or the
 * institution's town records one; every failed point is raised as a rectification item — source
 * inspection, subject "inspection:<id>" — in the same transaction, all or nothing) and
 * GET /api/v1/institutions/{id}/inspections (the institution's, newest first, each point with the
 * item raised for it). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "oversight/api.h"
#include "oversight/inspection.h"
#include "oversight/store.h"
#include "registry/api.h"

static int checklist(struct http_req *req, struct http_reply *rep)
{
    (void)req;
    return http_reply_json(rep, 200, inspection_checklist_json());
}

static int record(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct inspection *insp = http_alloc(req, sizeof *insp);
    struct institution *in = registry_load_for(req, "rectify.raise", &e);
    if (!in || inspection_from_json(http_body(req), req->today, insp, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int64_t id;
    int failed = 0;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (inspection_store_insert(req->db, req->district, in->id, insp, req->user->id, now_ts, &id, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    const char *subject = http_printf(req, "inspection:%" PRId64, id);
    for (int i = 0; i < insp->npoints; i++) {
        const struct inspection_point *p = &insp->points[i];
        int64_t item = 0;
        if (strcmp(p->result, "fail") == 0) {
            /* "other" points keep their own rule code per position, so two of them are two items */
            const char *rule = strcmp(p->code, "other") ? p->code : http_printf(req, "other:%d", i + 1);
            struct rectify_finding f = {"inspection", rule, subject, http_printf(req, "%s：%s", p->name, p->note)};
            if (rectify_raise(req, in, &f, &item, &e) < 0)
                return http_reply_rollback(req, rep, &e);
            failed++;
        }
        if (inspection_store_point(req->db, id, i, p, item, &e) < 0)
            return http_reply_rollback(req, rep, &e);
    }
    json_t *fields = json_pack("{s:I, s:s, s:s, s:i, s:i}", "institution_id", (json_int_t)in->id, "kind", insp->kind,
                               "inspected_on", insp->inspected_on, "points", insp->npoints, "failed", failed);
    if (audit_write_commit(req, "inspection.record", "inspection", id, fields, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *list;
    if (inspection_store_list(req->db, req->district, in->id, id, &list, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *one = json_incref(json_array_get(list, 0));
    json_decref(list);
    return http_reply_json(rep, 201, one);
}

static int list(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *items;
    struct institution *in = registry_load_for(req, "rectify.read", &e);
    if (!in || inspection_store_list(req->db, req->district, in->id, 0, &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

#include "oversight/inspection_api.schemas.inc"

const struct route inspection_routes[] = {
    {"GET", "/api/v1/inspection-checklist", "rectify.raise", checklist, NULL, &CHECKLIST},
    {"POST", "/api/v1/institutions/{id}/inspections", "rectify.raise", record, &inspection_schema, &INSPECTION, 201},
    {"GET", "/api/v1/institutions/{id}/inspections", "rectify.read", list, NULL, &INSPECTIONS},
    {NULL, NULL, NULL, NULL},
};
