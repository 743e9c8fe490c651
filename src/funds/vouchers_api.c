/* vouchers_api.c — 托育券 (issue 18 item 5):
 *   POST /api/v1/voucher-issues, GET /api/v1/voucher-issues       the district's issues
 *   POST /api/v1/voucher-issues/{id}/issue                          one voucher per eligible child
 *   GET /api/v1/vouchers                                            a family's own, an institution's
 *                                                                   redeemed there, the district's all
 *   POST /api/v1/vouchers/{id}/redeem                               the family, where the child is in care
 *   POST /api/v1/vouchers/{id}/claim                                the institution: its face value into
 *                                                                   the ledger (kind voucher)
 * Redemption is one conditional update (store_vouchers.c): two racing, one wins, the other 409. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "funds/api.h"
#include "funds/store.h"
#include "funds/store_vouchers.h"
#include "funds/vouchers.h"
#include "registry/store.h"

static void now_ts(struct http_req *req, char ts[DATE_TIMESTAMP_LEN])
{
    date_format_timestamp(req->now, ts, DATE_TIMESTAMP_LEN);
}

static int create_issue(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct voucher_terms t;
    /* vouchers.manage is the district's (the route's action, checked before): no record to reach */
    if (voucher_terms_from_json(http_body(req), req->today, &t, &e) < 0)
        return http_reply_err(rep, &e);
    char ts[DATE_TIMESTAMP_LEN];
    now_ts(req, ts);
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (vouchers_store_issue_insert(req->db, req->district, &t, req->user->id, ts, &id, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *f = json_pack("{s:s, s:I, s:s, s:s, s:i, s:i, s:s}", "name", t.name, "face_fen", (json_int_t)t.face_fen,
                          "valid_from", t.valid_from, "valid_to", t.valid_to, "min_age_months", t.min_age_months,
                          "max_age_months", t.max_age_months, "basis", t.basis);
    if (audit_write_commit(req, "vouchers.create_issue", "voucher_issue", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *rows;
    if (vouchers_store_issues(req->db, req->district, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *row = NULL, *r;
    size_t i;
    json_array_foreach(rows, i, r) if (json_integer_value(json_object_get(r, "id")) == id) row = json_incref(r);
    json_decref(rows);
    return http_reply_json(rep, 201, row);
}

static int list_issues(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *rows;
    if (vouchers_store_issues(req->db, req->district, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", rows));
}

static int issue_out(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct voucher_terms t;
    char issued_on[11], ts[DATE_TIMESTAMP_LEN];
    int64_t id = http_param_id(req, "id");
    if (vouchers_store_issue_load(req->db, req->district, id, &t, issued_on, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(req->today, t.valid_to) > 0)
        return http_reply_error(rep, 409, "expired", "id", "该批次已于 %s 到期，不能再发放", t.valid_to);
    now_ts(req, ts);
    int count = 0;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (vouchers_store_issue_out(req->db, req->district, id, &t, req->today, ts, &count, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, "vouchers.issue", "voucher_issue", id, json_pack("{s:i}", "issued", count), &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:s, s:i}", "issue_id", (json_int_t)id, "issued_on", req->today,
                                               "issued", count));
}

/* The voucher of the path within the caller's reach for action, or NULL with e (404 outside it). */
static json_t *voucher_for(struct http_req *req, const char *action, struct err *e)
{
    struct authz_scope scope;
    json_t *rows;
    if (authz_scope(req, action, NULL, "v.institution_id", "v.family_user_id", &scope, e) < 0 ||
        vouchers_store_list(req->db, req->district, scope.sql, &scope.params, req->today,
                            http_param_id(req, "id"), 0, 1, &rows, e) < 0)
        return NULL;
    json_t *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    if (!row)
        err_set(e, 404, "not_found", "id", "未找到该托育券");
    return row;
}

static int list_vouchers(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    json_t *rows;
    if (http_page_begin(req, &page, &e) < 0 ||
        authz_scope(req, "vouchers.read", NULL, "v.institution_id", "v.family_user_id", &scope, &e) < 0 ||
        vouchers_store_list(req->db, req->district, scope.sql, &scope.params, req->today, 0, page.after_id,
                            page.limit + 1, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = http_page_rows(req, &page, rows, "id", NULL);
    /* the vouchers name children (masked): a staff read is audited like any list of children */
    if (audit_staff_list(req, "vouchers.read", "voucher", "vouchers", (size_t)page.count, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int redeem(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *v = voucher_for(req, "vouchers.redeem", &e);
    if (!v)
        return http_reply_err(rep, &e);
    int64_t id = json_integer_value(json_object_get(v, "id")), child = json_integer_value(json_object_get(v, "child_id"));
    int64_t inst_id = json_integer_value(json_object_get(http_body(req), "institution_id"));
    const char *state = json_string_value(json_object_get(v, "state"));
    char valid_from[11];
    snprintf(valid_from, sizeof valid_from, "%s", json_string_value(json_object_get(v, "valid_from")));
    int expired = strcmp(state, "expired") == 0;
    json_decref(v);
    if (expired)
        return http_reply_error(rep, 409, "expired", "id", "该托育券已过期");
    /* whether it is still unused is the redeeming statement's to decide, atomically: a check here
     * could only be a second, racy copy of it */
    if (strcmp(req->today, valid_from) < 0)
        return http_reply_error(rep, 409, "not_yet_valid", "id", "该托育券自 %s 起可用", valid_from);
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, inst_id, req->today, in, &e) < 0) {
        snprintf(e.field, sizeof e.field, "institution_id");
        return http_reply_err(rep, &e);
    }
    if (strcmp(in->status, "filed") || !(strcmp(in->ownership, "public") == 0 || in->inclusive))
        return http_reply_error(rep, 422, "not_inclusive", "institution_id", "托育券只能在已备案的普惠托育机构使用（%s 不是）",
                                in->name);
    int care = vouchers_store_in_care(req->db, child, in->id, req->today, &e);
    if (care < 0)
        return http_reply_err(rep, &e);
    if (!care)
        return http_reply_error(rep, 422, "not_in_care", "institution_id", "孩子尚未在%s入托，入托后再使用托育券", in->name);
    char ts[DATE_TIMESTAMP_LEN];
    now_ts(req, ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int moved = vouchers_store_redeem(req->db, id, in->id, req->today, ts, &e);
    if (moved < 0)
        return http_reply_rollback(req, rep, &e);
    if (moved == 0) {
        err_set(&e, 409, "already_redeemed", "id", "该托育券已使用");
        return http_reply_rollback(req, rep, &e);
    }
    if (audit_write_commit(req, "vouchers.redeem", "voucher", id, json_pack("{s:I}", "institution_id", (json_int_t)in->id),
                           &e) < 0)
        return http_reply_err(rep, &e);
    json_t *row = voucher_for(req, "vouchers.read", &e);
    return row ? http_reply_json(rep, 200, row) : http_reply_err(rep, &e);
}

static int claim(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *v = voucher_for(req, "vouchers.claim", &e);
    if (!v)
        return http_reply_err(rep, &e);
    int64_t id = json_integer_value(json_object_get(v, "id"));
    if (strcmp(json_string_value(json_object_get(v, "state")), "redeemed")) {
        json_decref(v);
        return http_reply_error(rep, 409, "not_redeemed", "id", "只有已使用、未申领的托育券可以申领");
    }
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, json_integer_value(json_object_get(v, "institution_id")),
                      req->today, in, &e) < 0) {
        json_decref(v);
        return http_reply_err(rep, &e);
    }
    int64_t face = json_integer_value(json_object_get(v, "face_fen"));
    char period[11];
    snprintf(period, sizeof period, "%.10s", json_string_value(json_object_get(v, "redeemed_at")));
    json_t *why = json_pack("{s:s, s:{s:s, s:s, s:O, s:s}, s:I}", "rule",
                            "家庭托育券结算：按券面值计入资金台账（瓯海区普惠托育基本公共服务试点工作方案 四(五)15）",
                            "inputs", "code", json_string_value(json_object_get(v, "code")), "issue",
                            json_string_value(json_object_get(v, "issue_name")), "child", json_object_get(v, "child_name"),
                            "redeemed_at", json_string_value(json_object_get(v, "redeemed_at")), "amount_fen",
                            (json_int_t)face);
    json_decref(v);
    char ts[DATE_TIMESTAMP_LEN];
    now_ts(req, ts);
    struct funds_new n = {"voucher", in->id, in->town_code, in->name, period, face, why, 0};
    int64_t entitlement = 0;
    int rc = db_begin(req->db, &e) < 0 ? -1 : 0;
    if (rc == 0)
        rc = funds_store_insert(req->db, req->district, &n, req->user->id, ts, &entitlement, &e);
    json_decref(why);
    if (rc < 0)
        return http_reply_rollback(req, rep, &e);
    int moved = vouchers_store_claim(req->db, id, entitlement, ts, &e);
    if (moved <= 0) {
        if (moved == 0)
            err_set(&e, 409, "not_redeemed", "id", "该托育券已申领");
        return http_reply_rollback(req, rep, &e);
    }
    if (audit_write_commit(req, "vouchers.claim", "voucher", id,
                           json_pack("{s:I, s:I}", "entitlement_id", (json_int_t)entitlement, "amount_fen", (json_int_t)face),
                           &e) < 0)
        return http_reply_err(rep, &e);
    json_t *row = voucher_for(req, "vouchers.read", &e);
    return row ? http_reply_json(rep, 200, row) : http_reply_err(rep, &e);
}

/* ---- schemas and routes ---- */

#include "funds/vouchers_api.schemas.inc"

const struct route vouchers_routes[] = {
    {"POST", "/api/v1/voucher-issues", "vouchers.manage", create_issue, &voucher_terms_schema, &ISSUE, 201},
    {"GET", "/api/v1/voucher-issues", "vouchers.manage", list_issues, NULL, &ISSUES},
    {"POST", "/api/v1/voucher-issues/{id}/issue", "vouchers.manage", issue_out, &http_no_body_schema, &ISSUED},
    {"GET", "/api/v1/vouchers", "vouchers.read", list_vouchers, NULL, &VOUCHER_PAGE},
    {"POST", "/api/v1/vouchers/{id}/redeem", "vouchers.redeem", redeem, &REDEEM, &VOUCHER},
    {"POST", "/api/v1/vouchers/{id}/claim", "vouchers.claim", claim, &http_no_body_schema, &VOUCHER},
    {NULL, NULL, NULL, NULL},
};
