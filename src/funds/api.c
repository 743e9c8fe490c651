/* api.c — HTTP routes of the subsidy ledger (issue 18 item 3): the district computes an
 * institution's construction subsidy (the engine's amount stored with its explanation), the
 * entitlement moves applied → reviewed (the town) → approved (the district, four eyes) or is
 * rejected with a reason, approved ones go into a payment batch that is marked paid; a paid one is
 * corrected by a reversal row, never edited. Lists are scoped: the district everything, a town
 * its own, an institution its own. Every write is one transaction with its audit row. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "audit/export.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/parse.h"
#include "funds/api.h"
#include "funds/ledger.h"
#include "funds/store.h"
#include "registry/api.h"
#include "registry/store.h"

static void now_ts(struct http_req *req, char out[DATE_TIMESTAMP_LEN])
{
    date_format_timestamp(req->now, out, DATE_TIMESTAMP_LEN);
}

static int reply_entitlement(struct http_req *req, struct http_reply *rep, int64_t id, int status)
{
    struct err e = {0};
    json_t *o;
    if (funds_store_json(req->db, req->district, id, &o, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, status, o);
}

/* The path's entitlement, checked against action for its town and institution. */
static int load_for(struct http_req *req, const char *action, struct funds_stored *out, struct err *e)
{
    if (funds_store_load(req->db, req->district, http_param_id(req, "id"), out, e) < 0)
        return -1;
    struct authz_target t = {.town_code = out->town_code, .institution_id = out->institution_id};
    return authz_require(req, action, &t, e);
}

/* POST /api/v1/funds/construction: the construction subsidy of an institution (seed 四(五)14). */
static int compute_construction(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, json_integer_value(json_object_get(body, "institution_id")), req->today, in,
                      &e) < 0) {
        snprintf(e.field, sizeof e.field, "institution_id");
        return http_reply_err(rep, &e);
    }
    struct authz_target t = {.town_code = in->town_code, .institution_id = in->id};
    if (authz_require(req, "funds.compute", &t, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t investment = json_integer_value(json_object_get(body, "investment_fen"));
    struct funds_construction_rules rules;
    struct funds_param_used used[FUNDS_CONSTRUCTION_PARAMS];
    struct funds_construction c;
    int own = funds_ownership_of(in->ownership);
    if (own < 0)
        return http_reply_error(rep, 422, "unknown_ownership", "institution_id", "机构的举办性质未知：%s", in->ownership);
    if (funds_store_construction_rules(req->db, req->district, req->today, &rules, used, &e) < 0 ||
        funds_construction_compute(&rules, (enum funds_ownership)own, investment, &c, &e) < 0) {
        if (strcmp(e.code, "negative_investment") == 0)
            snprintf(e.field, sizeof e.field, "investment_fen");
        return http_reply_err(rep, &e);
    }
    json_t *explanation = funds_construction_explain((enum funds_ownership)own, investment, &rules, &c, used,
                                                     FUNDS_CONSTRUCTION_PARAMS);
    char ts[DATE_TIMESTAMP_LEN];
    now_ts(req, ts);
    struct funds_new n = {"construction", in->id, in->town_code, in->name, req->today, c.subsidy_fen, explanation, 0};
    int64_t id;
    if (db_begin(req->db, &e) < 0) {
        json_decref(explanation);
        return http_reply_err(rep, &e);
    }
    int rc = funds_store_insert(req->db, req->district, &n, req->user->id, ts, &id, &e);
    json_decref(explanation);
    if (rc < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, "funds.compute", "funds_entitlement", id,
                           json_pack("{s:s, s:I, s:I, s:I}", "kind", "construction", "institution_id",
                                     (json_int_t)in->id, "investment_fen", (json_int_t)investment, "amount_fen",
                                     (json_int_t)c.subsidy_fen),
                           &e) < 0)
        return http_reply_err(rep, &e);
    return reply_entitlement(req, rep, id, 201);
}

/* GET /api/v1/funds/forecast?year=: next year's budget (or the year asked, this year or later),
 * line by line with how each was reckoned (forecast.c). */
static int get_forecast(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *q = http_query(req, "year");
    int this_year = atoi(req->today);
    int64_t year = this_year + 1;
    if (q && q[0] && (parse_int64(q, &year) < 0 || year < this_year || year > this_year + 5))
        return http_reply_error(rep, 400, "bad_year", "year", "预算年度应为今年至五年后之间的年份：%s", q);
    struct funds_forecast_inputs in;
    if (funds_store_forecast_inputs(req->db, req->district, (int)year, req->today, &in, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o = funds_forecast(&in);
    json_object_set_new(o, "as_of", json_string(req->today));
    return http_reply_json(rep, 200, o);
}

/* GET /api/v1/funds/totals?by=kind|town|institution|period&year=: the ledger in reach summed, as one
 * page (so ?export=xlsx gives the finance bureau the table). */
static int get_totals(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    const char *by = http_query(req, "by"), *yq = http_query(req, "year");
    if (!by || !by[0])
        by = "kind";
    if (strcmp(by, "kind") && strcmp(by, "town") && strcmp(by, "institution") && strcmp(by, "period"))
        return http_reply_error(rep, 400, "bad_group", "by", "汇总方式无效：%s（可选 kind、town、institution、period）", by);
    int64_t year = 0;
    if (yq && yq[0] && (parse_int64(yq, &year) < 0 || year < 2000 || year > 2100))
        return http_reply_error(rep, 400, "bad_year", "year", "年度应为 2000–2100 之间的年份：%s", yq);
    json_t *rows;
    if (http_page_begin(req, &page, &e) < 0 ||
        authz_scope(req, "funds.read", "f.town_code", "f.institution_id", NULL, &scope, &e) < 0 ||
        funds_store_totals(req->db, req->district, scope.sql, &scope.params, by, (int)year, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    /* every group on the one page: the rows after the cursor (an export walks it like any list) */
    json_t *page_rows = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) if (json_integer_value(json_object_get(r, "id")) > page.after_id &&
                                       json_array_size(page_rows) < (size_t)page.limit + 1) json_array_append(page_rows, r);
    json_decref(rows);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, page_rows, "id", NULL)));
}

/* GET /api/v1/funds/entitlements: a page in the caller's jurisdiction, with the totals of every
 * row the filter takes. */
static int list_entitlements(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    if (authz_scope(req, "funds.read", "f.town_code", "f.institution_id", NULL, &scope, &e) < 0 ||
        http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct funds_filter f = {http_query(req, "kind"), http_query(req, "state"), http_query(req, "town"), 0, 0,
                             page.after_id, page.limit + 1};
    if (http_query_id(req, "institution_id", "机构编号", &f.institution_id, &e) < 0 ||
        http_query_id(req, "batch_id", "批次编号", &f.batch_id, &e) < 0)
        return http_reply_err(rep, &e);
    if (f.state && f.state[0] && !funds_state_name(f.state))
        return http_reply_error(rep, 400, "bad_state", "state", "资金状态无效：%s", f.state);
    const char **texts[] = {&f.kind, &f.state, &f.town};
    for (int i = 0; i < 3; i++)
        if (*texts[i] && !**texts[i])
            *texts[i] = NULL;
    json_t *rows, *totals;
    if (funds_store_list(req->db, req->district, scope.sql, &scope.params, &f, &rows, &totals, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o = http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL));
    json_object_set_new(o, "totals", totals);
    return http_reply_json(rep, 200, o);
}

static int get_entitlement(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct funds_stored s;
    if (load_for(req, "funds.read", &s, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_entitlement(req, rep, s.id, 200);
}

/* POST /api/v1/funds/entitlements/{id}/events {event, comment}: apply, review, approve, reject —
 * each by the policy action the rules name for it, on the row's town and institution. */
static int post_event(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct funds_stored s;
    if (load_for(req, "funds.event", &s, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    const char *event = json_string_value(json_object_get(body, "event"));
    const char *comment = json_string_value(json_object_get(body, "comment"));
    const char *to, *action;
    struct authz_target t = {.town_code = s.town_code, .institution_id = s.institution_id};
    if (funds_move(&s.row, event, req->user->id, comment, &to, &action, &e) < 0 ||
        authz_require(req, action, &t, &e) < 0)
        return http_reply_err(rep, &e);
    char ts[DATE_TIMESTAMP_LEN];
    now_ts(req, ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (funds_store_move(req->db, req->district, s.id, s.row.state, to, req->user->id, comment, ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, action, "funds_entitlement", s.id,
                           json_pack("{s:s, s:s, s:s, s:s?}", "event", event, "from", s.row.state, "to", to, "comment",
                                     comment),
                           &e) < 0)
        return http_reply_err(rep, &e);
    return reply_entitlement(req, rep, s.id, 200);
}

/* POST /api/v1/funds/entitlements/{id}/reverse {reason}: a paid amount corrected by a new row of
 * the opposite amount (computed, to be approved like any other), once. */
static int reverse(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct funds_stored s;
    if (load_for(req, "funds.compute", &s, &e) < 0)
        return http_reply_err(rep, &e);
    const char *reason = json_string_value(json_object_get(http_body(req), "reason"));
    if (strcmp(s.row.state, "paid"))
        return http_reply_error(rep, 409, "not_paid", "id", "只有已拨付的资金才以冲销更正（未拨付的请驳回）");
    if (s.reverses_id)
        return http_reply_error(rep, 409, "is_reversal", "id", "冲销记录本身不能再冲销");
    char ts[DATE_TIMESTAMP_LEN];
    now_ts(req, ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int done = funds_store_reversed(req->db, s.id, &e);
    if (done < 0)
        return http_reply_rollback(req, rep, &e);
    if (done) {
        err_set(&e, 409, "already_reversed", "id", "该笔资金已冲销");
        return http_reply_rollback(req, rep, &e);
    }
    json_t *explanation = json_pack("{s:s, s:I, s:s, s:I}", "rule", "冲销更正：金额与原记录相反", "reverses_id",
                                    (json_int_t)s.id, "reason", reason, "amount_fen", (json_int_t)-s.amount_fen);
    struct funds_new n = {s.kind, s.institution_id, s.town_code, s.beneficiary, s.period, -s.amount_fen, explanation,
                          s.id};
    int64_t id;
    int rc = funds_store_insert(req->db, req->district, &n, req->user->id, ts, &id, &e);
    json_decref(explanation);
    if (rc < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, "funds.compute", "funds_entitlement", id,
                           json_pack("{s:I, s:s}", "reverses_id", (json_int_t)s.id, "reason", reason), &e) < 0)
        return http_reply_err(rep, &e);
    return reply_entitlement(req, rep, id, 201);
}

/* ---- payment batches ---- */

static int reply_batch(struct http_req *req, struct http_reply *rep, int64_t id, int status)
{
    struct err e = {0};
    json_t *o;
    if (funds_store_batch_json(req->db, req->district, id, &o, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, status, o);
}

#define FUNDS_MAX_BATCH 100000

struct id_at {
    int64_t id;
    size_t at;
};

static int by_id_at(const void *a, const void *b)
{
    const struct id_at *x = a, *y = b;
    return x->id != y->id ? (x->id > y->id) - (x->id < y->id) : (x->at > y->at) - (x->at < y->at);
}

static int create_batch(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "funds.pay", &t, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req), *list = json_object_get(body, "entitlement_ids");
    size_t n = json_array_size(list);
    if (n == 0)
        return http_reply_error(rep, 422, "empty_batch", "entitlement_ids", "支付批次至少包含一笔资金");
    int64_t *ids = http_alloc(req, n * sizeof *ids);
    struct id_at *sorted = http_alloc(req, n * sizeof *sorted);
    for (size_t i = 0; i < n; i++) {
        ids[i] = json_integer_value(json_array_get(list, i));
        sorted[i] = (struct id_at){ids[i], i};
    }
    /* a second mention of an id, the earliest one in the list (sorted: a batch holds up to 100,000) */
    qsort(sorted, n, sizeof *sorted, by_id_at);
    size_t dup = n;
    for (size_t i = 1; i < n; i++)
        if (sorted[i].id == sorted[i - 1].id && sorted[i].at < dup)
            dup = sorted[i].at;
    if (dup < n)
        return http_reply_error(rep, 422, "duplicate_id", http_printf(req, "entitlement_ids[%zu]", dup),
                                "同一笔资金列入了两次");
    char ts[DATE_TIMESTAMP_LEN];
    now_ts(req, ts);
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (funds_store_batch_create(req->db, req->district,
                                 json_string_value(json_object_get(body, "name")), ids, (int)n, req->user->id, ts, &id,
                                 &e) < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, "funds.pay", "funds_batch", id,
                           json_pack("{s:s, s:O}", "event", "create", "entitlement_ids", list), &e) < 0)
        return http_reply_err(rep, &e);
    return reply_batch(req, rep, id, 201);
}

static int pay_batch(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "funds.pay", &t, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t id = http_param_id(req, "id");
    char ts[DATE_TIMESTAMP_LEN];
    now_ts(req, ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (funds_store_batch_pay(req->db, req->district, id, req->user->id, ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, "funds.pay", "funds_batch", id, json_pack("{s:s}", "event", "paid"), &e) < 0)
        return http_reply_err(rep, &e);
    return reply_batch(req, rep, id, 200);
}

static int get_batch(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "funds.pay", &t, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_batch(req, rep, http_param_id(req, "id"), 200);
}

/* GET /api/v1/funds/batches/{id}/export: the batch as the bank's payment list (.xlsx, audited
 * with its row count): each row's beneficiary (a child's name masked), the bank and account
 * (masked: the bank holds the full number from the application, never this file), the amount in
 * yuan, the period and the basis of the rule. */
struct export_ctx {
    struct http_req *req;
    int64_t id;
    struct xlsx_sheet *x;
};

static int export_row(void *ctx, const struct funds_export_row *r, struct err *e)
{
    struct xlsx_sheet *x = ((struct export_ctx *)ctx)->x;
    const char *kind = funds_kind_name(r->kind), *basis = r->basis ? r->basis : funds_kind_basis(r->kind);
    xlsx_next_row(x);
    return xlsx_number(x, 0, (double)r->id, e) < 0 || xlsx_text(x, 1, kind ? kind : r->kind, e) < 0 ||
                   xlsx_text(x, 2, r->beneficiary, e) < 0 || xlsx_text(x, 3, r->town_name, e) < 0 ||
                   xlsx_text(x, 4, r->bank_name, e) < 0 || xlsx_text(x, 5, r->account_masked, e) < 0 ||
                   xlsx_yuan(x, 6, r->amount_fen, e) < 0 || xlsx_text(x, 7, r->period, e) < 0 ||
                   xlsx_text(x, 8, basis, e) < 0
               ? -1
               : 0;
}

static int export_fill(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    struct export_ctx *c = ctx;
    c->x = x;
    return funds_store_batch_each(c->req->db, c->req->district, c->id, export_row, c, e);
}

static int export_batch(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    int64_t id = http_param_id(req, "id");
    if (authz_require(req, "funds.pay", &t, &e) < 0 ||
        funds_store_batch_exists(req->db, req->district, id, &e) < 0)
        return http_reply_err(rep, &e);
    static const char *const HEAD[] = {"资金记录编号", "资金类别", "受益人", "所在镇街", "开户银行", "银行账号",
                                       "金额（元）", "所属期间", "依据"};
    static const double WIDTH[] = {12, 16, 24, 14, 20, 24, 14, 20, 60};
    struct export_ctx ctx = {req, id, NULL};
    json_t *fields = json_pack("{s:I}", "batch_id", (json_int_t)id);
    const struct audit_xlsx x = {"支付批次", HEAD, WIDTH, (int)(sizeof HEAD / sizeof *HEAD), export_fill, &ctx,
                                 "funds.pay", "funds_batch", fields, http_printf(req, "funds-batch-%" PRId64, id),
                                 http_printf(req, "支付批次-%" PRId64, id)};
    int rc = audit_reply_xlsx(req, rep, &x);
    json_decref(fields);
    return rc;
}

/* ---- schemas ---- */

#include "funds/api.schemas.inc"

const struct route funds_routes[] = {
    {"POST", "/api/v1/funds/construction", "funds.compute", compute_construction, &CONSTRUCTION, &ENTITLEMENT, 201},
    {"GET", "/api/v1/funds/entitlements", "funds.read", list_entitlements, NULL, &ENTITLEMENT_PAGE},
    {"GET", "/api/v1/funds/forecast", "funds.compute", get_forecast, NULL, &FORECAST},
    {"GET", "/api/v1/funds/totals", "funds.read", get_totals, NULL, &TOTALS_PAGE},
    {"GET", "/api/v1/funds/entitlements/{id}", "funds.read", get_entitlement, NULL, &ENTITLEMENT},
    {"POST", "/api/v1/funds/entitlements/{id}/events", "funds.event", post_event, &EVENT, &ENTITLEMENT},
    {"POST", "/api/v1/funds/entitlements/{id}/reverse", "funds.compute", reverse, &REVERSE, &ENTITLEMENT, 201},
    {"POST", "/api/v1/funds/batches", "funds.pay", create_batch, &BATCH_BODY, &BATCH, 201},
    {"GET", "/api/v1/funds/batches/{id}", "funds.pay", get_batch, NULL, &BATCH},
    {"POST", "/api/v1/funds/batches/{id}/paid", "funds.pay", pay_batch, &http_no_body_schema, &BATCH},
    {"GET", "/api/v1/funds/batches/{id}/export", "funds.pay", export_batch, NULL, &BATCH_XLSX},
    {NULL, NULL, NULL, NULL},
};
