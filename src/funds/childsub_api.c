/* childsub_api.c — 育儿补贴 for families (issue 18 items 4, 6, 7): a family applies for one of its
 * children (POST /api/v1/children/{id}/childcare-subsidy: the birth certificate number, the
 * guardian relation, the bank and account — sealed at rest, masked in every reply), one live
 * application per child, none for a child with no eligible month; the child's town reviews it
 * within subsidy.childcare.review_working_days working days (the calendar's) and approves it —
 * the entitlement enters the funds ledger, one row per calendar year with its months explained,
 * approved for a payment batch — or rejects it with a reason; nobody decides their own. The
 * family, the town and the district see the entitlement month by month, the application and
 * the ledger rows' states (GET …/childcare-subsidy); the town's queue is GET
 * /api/v1/childcare-subsidy. Every write is one transaction with its audit row; staff reads of a
 * child's subsidy are audited.
 *
 * The reviewing town is the town of the child's institution, or for a child in none the
 * household's (hukou) town: the jurisdiction the platform already checks children's records by. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/crypt.h"
#include "base/date.h"
#include "base/json.h"
#include "calendar/api.h"
#include "children/children.h"
#include "children/store.h"
#include "funds/childsub.h"
#include "funds/childsub_api.h"
#include "funds/store_childsub.h"
#include "funds/store.h"
#include "params/params.h"

static const char *subsidy_town(const struct child *c)
{
    return c->town_code[0] ? c->town_code : c->hukou_town;
}

/* The path's child with action checked on it (its subsidy town, its institution, its family). */
static struct child *child_for(struct http_req *req, const char *action, struct err *e)
{
    struct child *c = http_alloc(req, sizeof *c);
    if (children_load(req->db, &req->app->key, req->district, http_param_id(req, "id"), c, e) < 0)
        return NULL;
    struct authz_target t = {.town_code = subsidy_town(c), .institution_id = c->institution_id,
                             .owner_user_id = c->family_user_id};
    return authz_require(req, action, &t, e) < 0 ? NULL : c;
}

/* The child's entitlement on the rules in force today (all years). */
static int entitlement(struct http_req *req, const struct child *c, struct funds_childcare_rules *rules,
                       struct funds_childcare *out, struct err *e)
{
    if (funds_store_childcare_rules(req->db, req->district, req->today, rules, e) < 0 ||
        funds_childcare_compute(rules, c->birth_date, "", req->today, 0, out, e) < 0)
        return -1;
    return 0;
}

/* {child_id, child_name, birth_date, town_code, entitlement, applications, ledger} */
static int subsidy_json(struct http_req *req, const struct child *c, json_t **out, struct err *e)
{
    struct funds_childcare_rules *rules = http_alloc(req, sizeof *rules);
    struct funds_childcare cc;
    json_t *apps = NULL, *ledger = NULL;
    if (entitlement(req, c, rules, &cc, e) < 0 ||
        childsub_store_of_child(req->db, req->district, c->id, &apps, e) < 0 ||
        childsub_store_ledger(req->db, req->district, c->id, &ledger, e) < 0) {
        json_decref(apps);
        return -1;
    }
    char first[8] = "", last[8] = "";
    if (cc.months_total) {
        funds_month_format(cc.first, first);
        funds_month_format(cc.last, last);
    }
    *out = json_pack("{s:I, s:s, s:s, s:s, s:{s:i, s:I, s:o, s:o, s:o}, s:o, s:o}", "child_id", (json_int_t)c->id,
                     "child_name", c->name_masked, "birth_date", c->birth_date, "town_code", subsidy_town(c),
                     "entitlement", "months_total", cc.months_total, "amount_total_fen",
                     (json_int_t)cc.amount_total_fen, "first_month", first[0] ? json_string(first) : json_null(),
                     "last_month", last[0] ? json_string(last) : json_null(), "months", childsub_months(rules, &cc, 0),
                     "applications", apps, "ledger", ledger);
    return 0;
}

static int get_subsidy(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *o;
    struct child *c = child_for(req, "childsub.read", &e);
    if (!c || audit_staff_read(req, "childsub.read", "child", http_printf(req, "%" PRId64, c->id), NULL, &e) < 0 ||
        subsidy_json(req, c, &o, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, o);
}

static int apply(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct childsub_in in;
    struct child *c = child_for(req, "childsub.apply", &e);
    if (!c || childsub_from_json(http_body(req), &in, &e) < 0)
        return http_reply_err(rep, &e);
    if (!subsidy_town(c)[0])
        return http_reply_error(rep, 422, "no_town", "id", "该婴幼儿未登记户籍所在镇街，无法确定受理镇街");
    struct funds_childcare_rules *rules = http_alloc(req, sizeof *rules);
    struct funds_childcare cc;
    if (entitlement(req, c, rules, &cc, &e) < 0)
        return http_reply_err(rep, &e);
    if (cc.months_total == 0)
        return http_reply_error(rep, 422, "no_eligible_months", "id",
                                "该婴幼儿（出生于 %s）没有可领取育儿补贴的月份：补贴发放至年满 %d 个月", c->birth_date,
                                rules->max_age_months);
    /* the town's deadline: subsidy.childcare.review_working_days working days (003; 育儿补贴制度实施方案) */
    double days;
    const struct date_calendar *cal;
    char due[DATE_DAY_LEN];
    if (params_get(req->db, req->district, "subsidy.childcare.review_working_days", req->today, &days, &e) < 0 ||
        calendar_for_request(req, &cal, &e) < 0 || date_add_working_days(cal, req->today, (int)days, due, &e) < 0)
        return http_reply_err(rep, &e);
    char cert_sealed[128], account_sealed[160], now[DATE_TIMESTAMP_LEN];
    int rc = crypt_seal(&req->app->key, in.cert, cert_sealed, sizeof cert_sealed, &e) < 0 ||
                     crypt_seal(&req->app->key, in.account, account_sealed, sizeof account_sealed, &e) < 0
                 ? -1
                 : 0;
    memset(in.account, 0, sizeof in.account);
    memset(in.cert, 0, sizeof in.cert);
    if (rc < 0)
        return http_reply_err(rep, &e);
    date_format_timestamp(req->now, now, sizeof now);
    struct childsub_new n = {c->id, req->user->id, subsidy_town(c), cert_sealed, in.cert_masked, in.relation,
                             in.bank_name, account_sealed, in.account_masked, cc.months_total, cc.amount_total_fen,
                             req->today, due};
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (childsub_store_insert(req->db, req->district, &n, now, &id, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, "childsub.apply", "childcare_application", id,
                           json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:I, s:s}", "child_id", (json_int_t)c->id,
                                     "relation", in.relation, "bank_name", in.bank_name, "bank_account",
                                     in.account_masked, "birth_cert_no", in.cert_masked, "months_total",
                                     cc.months_total, "amount_fen", (json_int_t)cc.amount_total_fen, "due_on", due),
                           &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o;
    if (subsidy_json(req, c, &o, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, o);
}

/* The approved application's ledger rows: one per calendar year of the entitlement, approved for
 * a payment batch by the deciding official, each with its months explained. */
static int enter_ledger(struct http_req *req, const struct child *c, int64_t app, const char *town, const char *now,
                        json_t *ids, struct err *e)
{
    struct funds_childcare_rules *rules = http_alloc(req, sizeof *rules);
    struct funds_childcare all;
    if (entitlement(req, c, rules, &all, e) < 0)
        return -1;
    if (all.months_total == 0)
        return err_set(e, 409, "no_eligible_months", "decision", "该婴幼儿已没有可领取育儿补贴的月份");
    funds_month birth = funds_month_of(atoi(c->birth_date), atoi(c->birth_date + 5));
    for (int year = all.first / 12; year <= all.last / 12; year++) {
        struct funds_childcare y;
        if (funds_childcare_compute(rules, c->birth_date, "", req->today, year, &y, e) < 0)
            return -1;
        if (y.months_in_year == 0)
            continue;
        json_t *why = childsub_explain_year(rules, &y, birth, year);
        json_t *months = json_object_get(why, "months");
        const char *from = json_string_value(json_object_get(json_array_get(months, 0), "month"));
        const char *to = json_string_value(json_object_get(json_array_get(months, json_array_size(months) - 1), "month"));
        const char *period = http_printf(req, "%s~%s", from, to);
        const char *basis = http_printf(req,
                                        "《育儿补贴制度实施方案》（中办 国办 2025-07）；%d 年 %d 个月，"
                                        "按 subsidy.childcare.per_month_fen 逐月计发",
                                        year, y.months_in_year);
        struct funds_new n = {"childcare", 0, town, c->name_masked, period, y.amount_in_year_fen, why, 0};
        int64_t id;
        int rc = funds_store_insert(req->db, req->district, &n, req->user->id, now, &id, e) < 0 ||
                         funds_store_move(req->db, req->district, id, "computed", "approved", req->user->id,
                                          "育儿补贴申请经镇街核准", now, e) < 0 ||
                         childsub_store_link(req->db, id, c->id, app, basis, e) < 0
                     ? -1
                     : 0;
        json_decref(why);
        if (rc < 0)
            return -1;
        json_array_append_new(ids, json_integer(id));
    }
    return 0;
}

static int decide(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = child_for(req, "childsub.decide", &e);
    if (!c)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    const char *decision = jfield_text(body, "decision"), *reason = jfield_text(body, "reason");
    if (reason && !*reason)
        reason = NULL;
    char now[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now, sizeof now);
    struct childsub_stored a;
    const char *to;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int found = childsub_store_live(req->db, req->district, c->id, &a, &e);
    if (found == 0)
        err_set(&e, 409, "no_application", "decision", "该婴幼儿没有待审核的育儿补贴申请");
    json_t *ids = json_array();
    if (found <= 0 || childsub_decide(a.state, a.family_user_id, req->user->id, decision, reason, &to, &e) < 0 ||
        childsub_store_decide(req->db, req->district, a.id, to, req->user->id, reason, now, &e) < 0 ||
        (strcmp(to, "approved") == 0 && enter_ledger(req, c, a.id, a.town_code, now, ids, &e) < 0)) {
        json_decref(ids);
        return http_reply_rollback(req, rep, &e);
    }
    if (audit_write_commit(req, "childsub.decide", "childcare_application", a.id,
                           json_pack("{s:I, s:s, s:s?, s:o}", "child_id", (json_int_t)c->id, "decision", to, "reason",
                                     reason, "entitlement_ids", ids),
                           &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o;
    if (subsidy_json(req, c, &o, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, o);
}

/* GET /api/v1/childcare-subsidy: applications in the caller's reach (the town its own, the
 * district all, a family its own), by state and town, the earliest deadline first. */
static int list_applications(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    json_t *rows;
    const char *state = http_query(req, "state"), *town = http_query(req, "town");
    if (state && !*state)
        state = NULL;
    if (town && !*town)
        town = NULL;
    if (state && strcmp(state, "submitted") && strcmp(state, "approved") && strcmp(state, "rejected"))
        return http_reply_error(rep, 400, "bad_state", "state", "申请状态应为 submitted、approved 或 rejected");
    if (http_page_begin(req, &page, &e) < 0 ||
        authz_scope(req, "childsub.read", "a.town_code", NULL, "a.family_user_id", &scope, &e) < 0)
        return http_reply_err(rep, &e);
    struct childsub_filter f = {state, town, page.after_key ? page.after_key : "", page.after_id, page.limit + 1};
    if (childsub_store_list(req->db, req->district, scope.sql, &scope.params, &f, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = http_page_rows(req, &page, rows, "id", "due_on");
    if (audit_staff_list(req, "childsub.read", "childcare_application", "rows", json_array_size(items), &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

/* ---- schemas ---- */

#include "funds/childsub_api.schemas.inc"

const struct route childsub_routes[] = {
    {"GET", "/api/v1/children/{id}/childcare-subsidy", "childsub.read", get_subsidy, NULL, &SUBSIDY},
    {"POST", "/api/v1/children/{id}/childcare-subsidy", "childsub.apply", apply, &childsub_schema, &SUBSIDY, 201},
    {"POST", "/api/v1/children/{id}/childcare-subsidy/decision", "childsub.decide", decide, &DECISION, &SUBSIDY},
    {"GET", "/api/v1/childcare-subsidy", "childsub.read", list_applications, NULL, &APPLICATION_PAGE},
    {NULL, NULL, NULL, NULL},
};
