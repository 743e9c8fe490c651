/* api.c — HTTP routes of the idle state premises register (国有闲置房源): the district (and each
 * town, for its own) lists, enters, edits and withdraws entries; an institution's operator sees
 * the entries open to application and applies for one — which opens a case of the "premises"
 * process on the cases engine (src/cases/processes.c), decided on the case page; its outcome
 * allocates the entry (premises_case_outcome). Every write is one transaction with its audit row. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "cases/cases.h"
#include "cases/store.h"
#include "params/api.h"
#include "params/params.h"
#include "premises/api.h"
#include "premises/premises.h"
#include "premises/store.h"
#include "registry/store.h"

static int bounds(struct http_req *req, struct premises_bounds *b, struct err *e)
{
    const struct params *p = params_of_request(req, e);
    if (!p ||
        params_num(p, "geo.bbox.min_lon", &b->min_lon, e) < 0 || params_num(p, "geo.bbox.max_lon", &b->max_lon, e) < 0 ||
        params_num(p, "geo.bbox.min_lat", &b->min_lat, e) < 0 || params_num(p, "geo.bbox.max_lat", &b->max_lat, e) < 0)
        return -1;
    return 0;
}

/* The entry of the path, with action checked on its town. */
static int load_for(struct http_req *req, const char *action, struct premises *p, struct err *e)
{
    if (premises_store_load(req->db, req->district, http_param_id(req, "id"), p, e) < 0)
        return -1;
    struct authz_target t = {.town_code = p->town_code, .institution_id = p->institution_id};
    return authz_require(req, action, &t, e);
}

static int reply_entry(struct http_req *req, struct http_reply *rep, int64_t id, int status)
{
    struct err e = {0};
    json_t *o;
    if (premises_store_json(req->db, req->district, id, &o, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, status, o);
}

/* ---- lists ---- */

static int list_with(struct http_req *req, struct http_reply *rep, const char *scope_sql, const struct db_params *params,
                     const char *status)
{
    struct err e = {0};
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct premises_filter f = {http_query(req, "town"), status, page.after_id, page.limit + 1};
    if (f.town && !f.town[0])
        f.town = NULL;
    if (f.status && !f.status[0])
        f.status = NULL;
    if (f.status && !premises_status_name(f.status))
        return http_reply_error(rep, 400, "bad_status", "status", "房源状态无效：%s（available、applied、allocated、withdrawn）",
                                f.status);
    json_t *rows;
    if (premises_store_list(req->db, req->district, scope_sql, params, &f, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL)));
}

static int list_premises(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    if (authz_scope(req, "premises.read", "p.town_code", "p.institution_id", NULL, &scope, &e) < 0)
        return http_reply_err(rep, &e);
    return list_with(req, rep, scope.sql, &scope.params, http_query(req, "status"));
}

/* What an operator may apply for: the entries available across the district (those with
 * applications already in show as applied, still open to another). */
static int list_available(struct http_req *req, struct http_reply *rep)
{
    const char *status = http_query(req, "status");
    if (status && status[0] && strcmp(status, "available") && strcmp(status, "applied"))
        return http_reply_error(rep, 400, "bad_status", "status", "只能查看可申请（available）或已有申请（applied）的房源");
    return list_with(req, rep, "p.status = 'available'", &(struct db_params){0}, status);
}

static int get_premises(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct premises p;
    if (load_for(req, "premises.read", &p, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_entry(req, rep, p.id, 200);
}

/* ---- writes ---- */

/* Enter (before NULL) or edit an entry from the body: validated, the town known and within the
 * caller's jurisdiction, one transaction with its audit row. */
static int save(struct http_req *req, struct http_reply *rep, const struct premises *before)
{
    struct err e = {0};
    struct premises_bounds b;
    struct premises p = {0};
    if (before)
        p = *before;
    if (bounds(req, &b, &e) < 0 || premises_from_json(http_body(req), &b, &p, &e) < 0)
        return http_reply_err(rep, &e);
    char town_name[64];
    int rc = registry_town_name(req->db, req->district, p.town_code, town_name, sizeof town_name, &e);
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (rc == 0)
        return http_reply_error(rep, 422, "unknown_town", "town_code", "镇街代码不存在：%s", p.town_code);
    struct authz_target there = {.town_code = p.town_code};
    if (authz_require(req, "premises.manage", &there, &e) < 0)
        return http_reply_error(rep, 403, "outside_jurisdiction", "town_code", "只能登记本镇街的房源");
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if ((before ? premises_store_update(req->db, req->district, &p, now_ts, &e)
                : premises_store_insert(req->db, req->district, &p, now_ts, &e)) < 0 ||
        premises_store_sync_candidate(req->db, req->district, p.id, now_ts, &e) < 0) {
        db_rollback(req->db);
        return http_reply_err(rep, &e);
    }
    json_t *f = json_pack("{s:s, s:s, s:f, s:f, s:f, s:i, s:s, s:s, s:i}", "town_code", p.town_code, "address", p.address,
                          "lon", p.lon, "lat", p.lat, "area_m2", p.area_m2, "floor", p.floor, "owner_unit", p.owner_unit,
                          "relief_terms", p.relief_terms, "rent_free_months", p.rent_free_months);
    rc = audit_request_commit(req, before ? "premises.update" : "premises.create", "premises",
                              http_printf(req, "%" PRId64, p.id), f, &e);
    json_decref(f);
    if (rc < 0)
        return http_reply_err(rep, &e);
    return reply_entry(req, rep, p.id, before ? 200 : 201);
}

static int create_premises(struct http_req *req, struct http_reply *rep) { return save(req, rep, NULL); }

static int update_premises(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct premises p;
    if (load_for(req, "premises.manage", &p, &e) < 0 || premises_may_change(&p, &e) < 0)
        return http_reply_err(rep, &e);
    return save(req, rep, &p);
}

static int withdraw_premises(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct premises p;
    const char *reason = json_string_value(json_object_get(http_body(req), "reason"));
    if (load_for(req, "premises.manage", &p, &e) < 0 || premises_may_change(&p, &e) < 0)
        return http_reply_err(rep, &e);
    if (p.open_applications)
        return http_reply_error(rep, 409, "applications_open", "id", "该房源有 %d 份申请正在审核，请先作出分配或不予分配的决定",
                                p.open_applications);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (premises_store_withdraw(req->db, req->district, p.id, p.version, reason, now_ts, &e) < 0 ||
        premises_store_sync_candidate(req->db, req->district, p.id, now_ts, &e) < 0) {
        db_rollback(req->db);
        return http_reply_err(rep, &e);
    }
    json_t *f = json_pack("{s:s}", "reason", reason);
    if (audit_write_commit(req, "premises.withdraw", "premises", p.id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_entry(req, rep, p.id, 200);
}

/* An operator applies for the entry on behalf of their institution: a case of the "premises"
 * process opened in draft (the operator submits it from the case page), linked to the entry. */
static int apply(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const struct cases_process *proc = cases_process("premises");
    int64_t inst_id = req->user->institution_id;
    struct premises p;
    struct premises_applicant a;
    if (premises_store_load(req->db, req->district, http_param_id(req, "id"), &p, &e) < 0 ||
        premises_store_institution(req->db, req->district, inst_id, req->today, &a, &e) < 0)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = a.town_code, .institution_id = inst_id};
    if (authz_require(req, "premises.apply", &t, &e) < 0 || premises_may_apply(&p, a.inclusive, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(a.status, proc->opens_on_status))
        return http_reply_error(rep, 409, "wrong_status", "institution_id", "只有已备案的机构可以申请房源（本机构当前为 %s）",
                                a.status);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct cases_case c = {.institution_id = inst_id, .created_by = req->user->id};
    snprintf(c.process, sizeof c.process, "%s", proc->code);
    snprintf(c.town_code, sizeof c.town_code, "%s", a.town_code);
    snprintf(c.state, sizeof c.state, "%s", proc->initial);
    c.data = json_pack("{s:o, s:s, s:[]}", "premises", premises_to_json(&p, NULL, NULL), "plan",
                       json_string_value(json_object_get(http_body(req), "plan")), "materials");
    int open = 0;
    if (db_begin(req->db, &e) < 0)
        goto fail_nodb;
    if (premises_store_open_applications(req->db, req->district, p.id, inst_id, &open, &e) < 0)
        goto fail;
    if (open) {
        err_set(&e, 409, "case_open", "id", "本机构已有对该房源的申请正在办理");
        goto fail;
    }
    if (cases_store_insert(req->db, req->district, &c, now_ts, &e) < 0 ||
        premises_store_link(req->db, req->district, c.id, p.id, inst_id, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:I, s:I}", "process", proc->code, "institution_id", (json_int_t)inst_id, "premises_id",
                          (json_int_t)p.id);
    int rc = audit_request_commit(req, "case.create", "case", http_printf(req, "%" PRId64, c.id), f, &e);
    json_decref(f);
    json_decref(c.data);
    if (rc < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:s, s:s}", "case_id", (json_int_t)c.id, "premises_id",
                                               (json_int_t)p.id, "process", proc->code, "state", c.state));
fail:
    db_rollback(req->db);
fail_nodb:
    json_decref(c.data);
    return http_reply_err(rep, &e);
}

int premises_case_outcome(struct http_req *req, int64_t case_id, int64_t institution_id, json_t *fields, struct err *e)
{
    int64_t id;
    struct premises p;
    struct premises_applicant a;
    int rc = premises_store_of_case(req->db, req->district, case_id, &id, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(e, 500, "premises_link_missing", "", "申请未关联房源（案件 %" PRId64 "）", case_id);
    if (premises_store_load(req->db, req->district, id, &p, e) < 0 ||
        premises_store_institution(req->db, req->district, institution_id, req->today, &a, e) < 0 ||
        premises_may_allocate(&p, a.inclusive, e) < 0)
        return -1;
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (premises_store_allocate(req->db, req->district, id, institution_id, case_id, req->today, now_ts, e) < 0 ||
        premises_store_sync_candidate(req->db, req->district, id, now_ts, e) < 0)
        return -1;
    json_object_set_new(fields, "premises_id", json_integer(id));
    json_t *f = json_pack("{s:I, s:I, s:s}", "institution_id", (json_int_t)institution_id, "case_id", (json_int_t)case_id,
                          "allocated_on", req->today);
    rc = audit_request(req, "premises.allocate", "premises", http_printf(req, "%" PRId64, id), f, e);
    json_decref(f);
    return rc;
}

/* ---- schemas and routes ---- */

#include "premises/api.schemas.inc"

const struct route premises_routes[] = {
    {"GET", "/api/v1/premises", "premises.read", list_premises, NULL, &ENTRY_PAGE},
    {"POST", "/api/v1/premises", "premises.manage", create_premises, &premises_schema, &ENTRY, 201},
    {"GET", "/api/v1/premises/available", "premises.apply", list_available, NULL, &ENTRY_PAGE},
    {"GET", "/api/v1/premises/{id}", "premises.read", get_premises, NULL, &ENTRY},
    {"PUT", "/api/v1/premises/{id}", "premises.manage", update_premises, &premises_schema, &ENTRY},
    {"POST", "/api/v1/premises/{id}/withdraw", "premises.manage", withdraw_premises, &WITHDRAW, &ENTRY},
    {"POST", "/api/v1/premises/{id}/applications", "premises.apply", apply, &APPLY, &APPLIED, 201},
    {NULL, NULL, NULL, NULL},
};
