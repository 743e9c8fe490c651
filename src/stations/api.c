/* api.c — 婴幼儿成长驿站 (growth stations, issue 16 item 3): the stations in the caller's reach with
 * their site records (GET /api/v1/stations[/{id}]), the site recorded by the station, its town or
 * the district (PUT /api/v1/stations/{id}), and the joint acceptance opened as a case (POST
 * /api/v1/stations/{id}/acceptance; process station_accept: the health bureau and the town
 * each sign, the station is accepted when both have) whose outcome puts the station's subsidy in
 * the ledger (stations_case_outcome). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/parse.h"
#include "cases/cases.h"
#include "cases/store.h"
#include "funds/store.h"
#include "params/params.h"
#include "registry/store.h"
#include "stations/api.h"
#include "stations/stations.h"
#include "stations/store.h"

/* The station of the path within the caller's reach for action: its row, or NULL with e (404
 * outside the reach or when the institution is no station). */
static json_t *station_for(struct http_req *req, const char *action, struct err *e)
{
    struct authz_scope scope;
    json_t *rows;
    int64_t id = http_param_id(req, "id");
    if (authz_scope(req, action, "i.town_code", "i.id", NULL, &scope, e) < 0 ||
        stations_store_list(req->db, req->district, scope.sql, &scope.params, id, 0, 1, &rows, e) < 0)
        return NULL;
    json_t *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    if (!row)
        err_set(e, 404, "not_found", "id", "未找到该成长驿站");
    return row;
}

static int list_stations(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    json_t *rows;
    if (http_page_begin(req, &page, &e) < 0 ||
        authz_scope(req, "station.read", "i.town_code", "i.id", NULL, &scope, &e) < 0 ||
        stations_store_list(req->db, req->district, scope.sql, &scope.params, 0, page.after_id,
                            page.limit + 1, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL)));
}

static int get_station(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *row = station_for(req, "station.read", &e);
    return row ? http_reply_json(rep, 200, row) : http_reply_err(rep, &e);
}

static int put_station(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct station_site s, old;
    int accepted = 0;
    json_t *row = station_for(req, "station.manage", &e);
    if (!row || station_site_from_json(http_body(req), &s, &e) < 0) {
        json_decref(row);
        return http_reply_err(rep, &e);
    }
    int64_t id = json_integer_value(json_object_get(row, "id"));
    json_decref(row);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int had = stations_store_site(req->db, req->district, id, &old, &accepted, &e);
    if (had < 0)
        return http_reply_rollback(req, rep, &e);
    if (had && accepted && old.investment_fen != s.investment_fen) {
        err_set(&e, 409, "accepted", "investment_fen", "驿站已通过联合验收，核定投入不能再改");
        return http_reply_rollback(req, rep, &e);
    }
    json_t *fields = json_pack("{s:f, s:s, s:i, s:s, s:I}", "area_m2", s.area_m2, "surroundings", s.surroundings,
                               "weekly_visits", s.weekly_visits, "services", s.services, "investment_fen",
                               (json_int_t)s.investment_fen);
    if (stations_store_save(req->db, req->district, id, &s, now_ts, &e) < 0) {
        json_decref(fields);
        return http_reply_rollback(req, rep, &e);
    }
    if (audit_write_commit(req, "station.update", "institution", id, fields, &e) < 0)
        return http_reply_err(rep, &e);
    row = station_for(req, "station.read", &e);
    return row ? http_reply_json(rep, 200, row) : http_reply_err(rep, &e);
}

/* POST /api/v1/stations/{id}/acceptance: the joint acceptance opened as a case, once the site is
 * recorded; one open at a time, none once accepted. */
static int open_acceptance(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const struct cases_process *proc = cases_process("station_accept");
    json_t *row = station_for(req, "station.manage", &e);
    if (!row)
        return http_reply_err(rep, &e);
    int64_t id = json_integer_value(json_object_get(row, "id"));
    const char *status = json_string_value(json_object_get(row, "status"));
    struct cases_case c = {.institution_id = id, .created_by = req->user->id};
    snprintf(c.process, sizeof c.process, "%s", proc->code);
    snprintf(c.town_code, sizeof c.town_code, "%s", json_string_value(json_object_get(row, "town_code")));
    snprintf(c.state, sizeof c.state, "%s", proc->initial);
    if (json_is_null(json_object_get(row, "site")))
        err_set(&e, 409, "no_site", "id", "请先登记驿站的场地信息，再申请联合验收");
    else if (!json_is_null(json_object_get(row, "accepted_on")))
        err_set(&e, 409, "accepted", "id", "驿站已于 %s 通过联合验收", json_string_value(json_object_get(row, "accepted_on")));
    else if (strcmp(status, proc->opens_on_status))
        err_set(&e, 409, "wrong_status", "id", "只有在册的驿站可以申请联合验收（当前为 %s）", status);
    else if (!json_is_null(json_object_get(row, "open_case_id")))
        err_set(&e, 409, "case_open", "id", "该驿站的联合验收正在办理（办件 %" PRId64 "）",
                (int64_t)json_integer_value(json_object_get(row, "open_case_id")));
    if (e.status) {
        json_decref(row);
        return http_reply_err(rep, &e);
    }
    c.data = json_pack("{s:O, s:[]}", "site", json_object_get(row, "site"), "materials");
    json_decref(row);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int rc = db_begin(req->db, &e) < 0 || cases_store_insert(req->db, req->district, &c, now_ts, &e) < 0
                 ? -1
                 : 0;
    json_decref(c.data);
    if (rc < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:s, s:I}", "process", proc->code, "institution_id", (json_int_t)id);
    rc = audit_request_commit(req, "case.create", "case", http_printf(req, "%" PRId64, c.id), f, &e);
    json_decref(f);
    if (rc < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:s, s:s}", "case_id", (json_int_t)c.id, "station_id",
                                               (json_int_t)id, "process", proc->code, "state", c.state));
}

int stations_case_outcome(struct http_req *req, int64_t case_id, int64_t institution_id, json_t *fields,
                          struct err *e)
{
    struct station_site s;
    int accepted = 0;
    struct param_version cap;
    struct institution *in = http_alloc(req, sizeof *in);
    int rc = stations_store_site(req->db, req->district, institution_id, &s, &accepted, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 409, "no_site", "id", "驿站没有场地信息");
    if (accepted)
        return err_set(e, 409, "accepted", "id", "驿站已通过联合验收");
    rc = params_version_on(req->db, req->district, "subsidy.station_max_fen", req->today, &cap, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 500, "param_missing", "subsidy.station_max_fen", "缺少参数 subsidy.station_max_fen");
    int64_t cap_fen = 0, amount = 0;
    parse_int64(cap.value, &cap_fen);
    if (registry_load(req->db, req->district, institution_id, req->today, in, e) < 0)
        return -1;
    const char *basis = "瓯海区普惠托育基本公共服务试点工作方案 四(二)5";
    json_t *why = station_subsidy_explain(s.investment_fen, cap_fen, cap.valid_from, basis, &amount);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct funds_new n = {"station", in->id, in->town_code, in->name, req->today, amount, why, 0};
    int64_t entitlement = 0;
    rc = stations_store_accept(req->db, req->district, institution_id, case_id, req->today, now_ts, e) < 0 ||
                 funds_store_insert(req->db, req->district, &n, req->user->id, now_ts, &entitlement, e) < 0
             ? -1
             : 0;
    json_decref(why);
    if (rc < 0)
        return -1;
    json_object_set_new(fields, "accepted_on", json_string(req->today));
    json_object_set_new(fields, "entitlement_id", json_integer(entitlement));
    json_object_set_new(fields, "subsidy_fen", json_integer(amount));
    return 0;
}

/* ---- schemas and routes ---- */

#include "stations/api.schemas.inc"

const struct route stations_routes[] = {
    {"GET", "/api/v1/stations", "station.read", list_stations, NULL, &STATION_PAGE},
    {"GET", "/api/v1/stations/{id}", "station.read", get_station, NULL, &STATION},
    {"PUT", "/api/v1/stations/{id}", "station.manage", put_station, &station_site_schema, &STATION},
    {"POST", "/api/v1/stations/{id}/acceptance", "station.manage", open_acceptance, &http_no_body_schema, &OPENED, 201},
    {NULL, NULL, NULL, NULL},
};
