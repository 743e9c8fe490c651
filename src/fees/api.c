/* api.c — fee catalogues, price guidance and cost worksheets (issue 17 items 4–6, 8):
 *   GET /api/v1/institutions/{id}/fees      the catalogue in force, the announced and past changes,
 *                                           the guidance that applies and the items outside it
 *   PUT /api/v1/institutions/{id}/fees      publish a new catalogue from a day not in the past
 *   GET /api/v1/fees                        every catalogue item in force in the caller's reach with
 *                                           its band check (?export=xlsx for the workbook)
 *   GET/PUT /api/v1/institutions/{id}/fee-worksheets/{year}   the price-formation worksheet
 * (the public page's part is public.c). */
#include "fees/api.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/parse.h"
#include "fees/fees.h"
#include "fees/public.h"
#include "fees/store.h"
#include "params/api.h"
#include "params/params.h"
#include "registry/api.h"
#include "registry/store.h"

/* The items of a catalogue outside guidance g, as findings [{item, message, basis}]. */
static json_t *band_findings(const struct fee_item *items, int n, const struct fee_guidance *g)
{
    json_t *out = json_array();
    for (int i = 0; i < n; i++) {
        char msg[256];
        if (fees_outside_band(&items[i], g, msg, sizeof msg))
            json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "item", items[i].item, "message", msg, "basis",
                                                 g->basis));
    }
    return out;
}

static json_t *items_json(const struct fee_item *items, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, fees_item_json(&items[i]));
    return a;
}

/* The catalogue page of in: {institution_id, name, ownership, inclusive, guidance, in_force
 * {effective_from, items}, monthly_full_day_fen, outside_band, changes}. */
static int catalogue_json(struct http_req *req, const struct institution *in, json_t **out, struct err *e)
{
    struct fee_guidance g;
    json_t *changes;
    if (fees_guidance_for(req, in, &g, e) < 0 || fees_store_history(req->db, in->id, req->today, &changes, e) < 0)
        return -1;
    json_t *current = json_null();
    size_t i;
    json_t *c;
    json_array_foreach(changes, i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "state")), "in_force") == 0)
            current = json_pack("{s:O, s:O}", "effective_from", json_object_get(c, "effective_from"), "items",
                                json_object_get(c, "items"));
    }
    int64_t monthly = fees_monthly_full_day(in->fees, in->nfees);
    *out = json_pack("{s:s, s:I, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o}", "as_of", req->today, "institution_id",
                     (json_int_t)in->id, "name",
                     in->name, "ownership", in->ownership, "inclusive", in->inclusive, "guidance",
                     fees_guidance_json(&g), "in_force", current, "monthly_full_day_fen",
                     monthly < 0 ? json_null() : json_integer(monthly), "outside_band",
                     band_findings(in->fees, in->nfees, &g), "changes", changes);
    return 0;
}

static int get_fees(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *o;
    struct institution *in = registry_load_for(req, "fees.read", &e);
    if (!in || catalogue_json(req, in, &o, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, o);
}

static int put_fees(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const json_t *body = http_body(req);
    struct institution *in = registry_load_for(req, "fees.edit", &e);
    if (!in)
        return http_reply_err(rep, &e);
    const char *from = json_string_value(json_object_get(body, "effective_from"));
    const char *note = json_string_value(json_object_get(body, "note"));
    if (strcmp(from, req->today) < 0)
        return http_reply_error(rep, 422, "retroactive_change", "effective_from",
                                "收费调整不得追溯：执行日期 %s 早于今天（%s），请选择今天或以后的日期", from, req->today);
    struct fee_item *items = http_alloc(req, REG_MAX_FEES * sizeof *items);
    int n = fees_items_from_json(json_object_get(body, "items"), "items", items, REG_MAX_FEES, &e);
    if (n < 0)
        return http_reply_err(rep, &e);
    if (n == 0)
        return http_reply_error(rep, 422, "empty_catalogue", "items", "收费目录至少应有一项（须公示收费目录清单，目录外不得收费）");
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t change = fees_store_publish(req->db, req->district, in->id, from, note, req->user->id, items, n,
                                        now_ts, &e);
    if (change < 0)
        return http_reply_rollback(req, rep, &e);
    json_t *fields = json_pack("{s:I, s:s, s:s, s:o}", "change_id", (json_int_t)change, "effective_from", from,
                               "note", note ? note : "", "items", items_json(items, n));
    if (audit_write_commit(req, "fees.publish", "institution", in->id, fields, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o;
    if (registry_load(req->db, req->district, in->id, req->today, in, &e) < 0 ||
        catalogue_json(req, in, &o, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, o);
}

/* GET /api/v1/fees: the items in force in the caller's reach, ?town=, ?service_type=, each with the
 * guidance that applies to its institution and, when outside it, why. */
static int list_fees(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    const char *town = http_query(req, "town"), *service = http_query(req, "service_type");
    if (service && service[0] && fee_service_from_code(service) < 0)
        return http_reply_error(rep, 400, "bad_service_type", "service_type",
                                "托育类型无效：%s（可选 full_day、half_day、hourly、temporary、boarding）", service);
    const struct params *p = NULL;
    struct fee_guidance guided, reference, market = {.kind = FEE_GUIDE_MARKET};
    struct fees_listed *list = NULL;
    int n = 0;
    if (http_page_begin(req, &page, &e) < 0 ||
        authz_scope(req, "fees.list", "i.town_code", "i.id", NULL, &scope, &e) < 0 ||
        !(p = params_of_request(req, &e)) ||
        fees_guidance(p, "public", 1, &guided, &e) < 0 || fees_guidance(p, "private", 1, &reference, &e) < 0 ||
        fees_store_list(req->db, req->district, scope.sql, &scope.params, req->today, town ? town : "",
                        service ? service : "", page.after_id, page.limit + 1, &list, &n, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    for (int i = 0; i < n && http_page_take(req, &page, list[i].id, NULL); i++) {
        const struct fees_listed *x = &list[i];
        const struct fee_guidance *g = strcmp(x->ownership, "public") == 0 ? &guided
                                       : x->inclusive                      ? &reference
                                                                           : &market;
        char msg[256];
        int outside = fees_outside_band(&x->item, g, msg, sizeof msg);
        json_t *o = fees_item_json(&x->item);
        json_object_update_missing_new(o, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:o}", "id",
                                                    (json_int_t)x->id, "institution_id", (json_int_t)x->institution_id,
                                                    "institution_name", x->institution_name, "town_code", x->town_code,
                                                    "town_name", x->town_name, "ownership", x->ownership, "inclusive",
                                                    x->inclusive, "effective_from", x->effective_from, "guidance",
                                                    fees_guidance_name(g->kind), "outside_band",
                                                    outside ? json_string(msg) : json_null()));
        json_array_append_new(items, o);
    }
    free(list);
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

/* ---- the price-formation worksheet ---- */

static int path_year(struct http_req *req, int *year, struct err *e)
{
    int64_t y = 0;
    if (parse_int64(http_param(req, "year"), &y) < 0 || y < 2000 || y > 2100)
        return err_set(e, 400, "bad_year", "year", "年度应为 2000–2100 之间的整数：%s", http_param(req, "year"));
    *year = (int)y;
    return 0;
}

/* The worksheet reply: {institution_id, name, year, years, worksheet (null when none: a draft from
 * the registry's places and children in care), updated_at, guidance, local_income_fen, basis}. */
static int worksheet_reply(struct http_req *req, const struct institution *in, int year, json_t **out, struct err *e)
{
    struct fee_worksheet w;
    struct fee_worksheet_result r;
    char updated_at[32] = "";
    json_t *years;
    const struct params *p = NULL;
    struct fee_guidance g;
    double margin, income;
    const char *margin_key = strcmp(in->ownership, "public") == 0 ? "fees.margin_pct.public" : "fees.margin_pct.private";
    int found = fees_store_worksheet(req->db, in->id, year, &w, updated_at, e);
    if (found < 0 || fees_store_worksheet_years(req->db, in->id, &years, e) < 0)
        return -1;
    if (!(p = params_of_request(req, e)) ||
        fees_guidance(p, in->ownership, in->inclusive, &g, e) < 0 || params_num(p, margin_key, &margin, e) < 0 ||
        params_num(p, "fees.local_income_fen", &income, e) < 0) {
        json_decref(years);
        return -1;
    }
    json_t *sheet = json_null(), *draft = json_null();
    if (found) {
        fees_worksheet_compute(&w, margin, (int64_t)income, &r);
        sheet = fees_worksheet_json(&w, &r);
    } else {
        draft = json_pack("{s:i, s:i, s:i}", "places", institution_places(in), "avg_enrolled",
                          institution_enrolled(in), "months", 12);
    }
    *out = json_pack("{s:I, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:f, s:I, s:{s:s, s:s}}", "institution_id",
                     (json_int_t)in->id, "name", in->name, "year", year, "years", years, "worksheet", sheet, "draft",
                     draft, "updated_at", updated_at[0] ? json_string(updated_at) : json_null(), "guidance",
                     fees_guidance_json(&g), "margin_pct", margin, "local_income_fen", (json_int_t)income, "basis",
                     "margin", params_basis(p, margin_key), "local_income", params_basis(p, "fees.local_income_fen"));
    return 0;
}

static int get_worksheet(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int year;
    json_t *o;
    struct institution *in = registry_load_for(req, "fees.worksheet", &e);
    if (!in || path_year(req, &year, &e) < 0 || worksheet_reply(req, in, year, &o, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, o);
}

static int put_worksheet(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int year;
    struct fee_worksheet w;
    struct institution *in = registry_load_for(req, "fees.worksheet.edit", &e);
    if (!in || path_year(req, &year, &e) < 0 || fees_worksheet_from_json(http_body(req), year, &w, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (fees_store_worksheet_save(req->db, req->district, in->id, &w, req->user->id, now_ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    /* the audit keeps what was entered; the result is worked out on every read */
    struct fee_worksheet_result r;
    fees_worksheet_compute(&w, 0, 0, &r);
    json_t *entered = fees_worksheet_json(&w, &r);
    json_object_del(entered, "result");
    if (audit_write_commit(req, "fees.worksheet", "institution", in->id, entered, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o;
    return worksheet_reply(req, in, year, &o, &e) < 0 ? http_reply_err(rep, &e) : http_reply_json(rep, 200, o);
}

/* ---- schemas and routes ---- */

#include "fees/api.schemas.inc"

const struct route fees_routes[] = {
    {"GET", "/api/v1/institutions/{id}/fees", "fees.read", get_fees, NULL, &CATALOGUE},
    {"PUT", "/api/v1/institutions/{id}/fees", "fees.edit", put_fees, &CHANGE_BODY, &CATALOGUE},
    {"GET", "/api/v1/fees", "fees.list", list_fees, NULL, &LISTED_PAGE},
    {"GET", "/api/v1/institutions/{id}/fee-worksheets/{year}", "fees.worksheet", get_worksheet, NULL, &WORKSHEET},
    {"PUT", "/api/v1/institutions/{id}/fee-worksheets/{year}", "fees.worksheet.edit", put_worksheet, &WORKSHEET_BODY,
     &WORKSHEET},
    {NULL, NULL, NULL, NULL},
};
