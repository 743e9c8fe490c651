/* operating_api.c — POST /api/v1/funds/operating-rounds: a quarter's operating subsidies of the
 * filed 普惠 institutions (公办, or 社会办 recognised as 普惠) worked out (operating.c) from the
 * children in care on each month's counting day (care placements), the star level in force at the
 * quarter's end (src/rating) and its 保育费 against the price guidance then (src/fees), the
 * caregivers with a graded certificate on each counting day (src/staff, 岗位补贴), and — unless
 * dry_run — put in the ledger as computed rows with their explanations, all or none. A quarter is
 * worked out once it has ended; an institution whose row of a kind for the quarter is already live
 * in the ledger is passed over (a reversed row may be worked out again). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/json.h"
#include "fees/fees.h"
#include "funds/api.h"
#include "funds/operating.h"
#include "funds/store.h"
#include "params/params.h"
#include "rating/store.h"
#include "registry/store.h"

static int children_of(const struct funds_in_care *list, size_t n, int64_t inst)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].institution_id == inst)
            return list[i].children;
    return 0;
}

/* The stars of inst's level among levels (rating_store_current_all: "star3" → 3; another scheme's
 * level or none → 0). */
static int stars_of(const json_t *levels, int64_t inst)
{
    const char *level = json_string_value(json_object_get(jobject_by_id(levels, inst), "level_code"));
    return level && strncmp(level, "star", 4) == 0 ? atoi(level + 4) : 0;
}

/* The per-institution facts and amounts of the round, the ledger rows made unless dry. */
struct round {
    struct funds_quarter q;
    struct funds_operating_rules rules;
    struct funds_param_used used[FUNDS_OPERATING_PARAMS];
    struct funds_in_care *care[3];
    size_t ncare[3];
    struct funds_post_row *posts[3]; /* caregivers with a graded certificate on each counting day */
    size_t nposts[3];
    struct params *prices; /* the parameters in force at the quarter's end (the price guidance) */
    json_t *levels;        /* the rating levels in force on the quarter's last day, by institution */
    struct funds_live *live; /* what the ledger already holds for the quarter */
    size_t nlive;
};

static int one_institution(struct http_req *req, struct round *r, const struct institution *in, int dry, const char *ts,
                           json_t *items, int64_t totals[3], struct err *e)
{
    struct funds_operating_input input = {0};
    for (int m = 0; m < 3; m++)
        input.children[m] = children_of(r->care[m], r->ncare[m], in->id);
    input.stars = stars_of(r->levels, in->id);
    struct fee_guidance g;
    if (fees_guidance(r->prices, in->ownership, in->inclusive, &g, e) < 0)
        return -1;
    for (int i = 0; i < in->nfees; i++) {
        char msg[256];
        input.prices_outside += fees_outside_band(&in->fees[i], &g, msg, sizeof msg);
    }
    struct funds_operating o;
    funds_operating_compute(&r->rules, &input, &o);
    struct funds_post_month *months = http_alloc(req, (r->nposts[0] + r->nposts[1] + r->nposts[2] + 1) * sizeof *months);
    int nmonths = 0;
    for (int m = 0; m < 3; m++)
        for (size_t i = 0; i < r->nposts[m]; i++)
            if (r->posts[m][i].institution_id == in->id) {
                months[nmonths] = r->posts[m][i].m;
                months[nmonths++].month = m;
            }
    int64_t post = funds_post_compute(&r->rules, months, nmonths);
    const char *kinds[3] = {"operating", "star_award", "post"};
    int64_t amounts[3] = {o.per_child_fen, o.award_fen, post};
    json_t *ids[3] = {json_null(), json_null(), json_null()}, *already = json_array();
    for (int k = 0; k < 3; k++) {
        if (amounts[k] <= 0)
            continue;
        int live = 0;
        for (size_t i = 0; i < r->nlive && !live; i++)
            live = r->live[i].institution_id == in->id && strcmp(r->live[i].kind, kinds[k]) == 0;
        if (live) {
            json_array_append_new(already, json_string(kinds[k]));
            continue;
        }
        totals[k] += amounts[k];
        if (dry)
            continue;
        json_t *why = k == 0   ? funds_operating_explain(&r->q, &r->rules, &input, &o, r->used)
                      : k == 1 ? funds_award_explain(&r->q, &r->rules, &input, &o, r->used)
                               : funds_post_explain(&r->q, &r->rules, months, nmonths, post, r->used);
        struct funds_new n = {kinds[k], in->id, in->town_code, in->name, r->q.label, amounts[k], why, 0};
        int64_t id;
        int rc = funds_store_insert(req->db, req->district, &n, req->user->id, ts, &id, e);
        json_decref(why);
        if (rc < 0)
            goto fail;
        ids[k] = json_integer(id);
    }
    json_t *children = json_pack("[i, i, i]", input.children[0], input.children[1], input.children[2]);
    json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:o, s:i, s:I, s:i, s:i, s:I, s:s, s:i, s:I, s:o, s:o, s:o, s:o}",
                                           "institution_id", (json_int_t)in->id, "name", in->name, "town_code",
                                           in->town_code, "children", children, "child_months", o.child_months,
                                           "operating_fen", (json_int_t)o.per_child_fen, "stars", input.stars,
                                           "prices_outside", input.prices_outside, "award_fen",
                                           (json_int_t)o.award_fen, "award_withheld",
                                           funds_award_withheld_text(o.award_state), "caregiver_months", nmonths,
                                           "post_fen", (json_int_t)post, "operating_entitlement_id", ids[0],
                                           "award_entitlement_id", ids[1], "post_entitlement_id", ids[2],
                                           "already_in_ledger", already));
    return 0;
fail:
    json_decref(ids[0]);
    json_decref(ids[1]);
    json_decref(ids[2]);
    json_decref(already);
    return -1;
}

static int operating_round(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const json_t *body = http_body(req);
    const char *label = json_string_value(json_object_get(body, "quarter"));
    int dry = json_is_true(json_object_get(body, "dry_run"));
    struct round *r = http_alloc(req, sizeof *r);
    memset(r, 0, sizeof *r);
    r->prices = http_alloc(req, sizeof *r->prices);
    /* the parameters in force on the quarter's last day (its counting day among them) */
    if (funds_quarter_parse(label, 1, &r->q, &e) < 0 ||
        funds_store_operating_rules(req->db, req->district, r->q.last, &r->rules, r->used, &e) < 0 ||
        funds_quarter_parse(label, r->rules.count_day, &r->q, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(r->q.last, req->today) >= 0)
        return http_reply_error(rep, 422, "quarter_not_ended", "quarter", "%s 尚未结束（截至 %s），季度结束后再测算", r->q.label,
                                r->q.last);
    struct registry_filter f = {.status = "filed", .inclusive = -1, .day = r->q.last};
    struct institution *list = NULL;
    int n = 0;
    int rc = params_load(req->db, req->district, r->q.last, r->prices, &e) < 0 ||
                     registry_load_filtered(req->db, req->district, &f, &list, &n, &e) < 0 ||
                     rating_store_current_all(req->db, req->district, r->q.last, &r->levels, &e) < 0 ||
                     funds_store_live_of_period(req->db, req->district, r->q.label, &r->live, &r->nlive, &e) < 0
                 ? -1
                 : 0;
    for (int m = 0; rc == 0 && m < 3; m++)
        rc = funds_store_in_care(req->db, req->district, r->q.count_days[m], &r->care[m], &r->ncare[m], &e) < 0 ||
                     funds_store_post_months(req->db, req->district, r->q.count_days[m], &r->posts[m],
                                             &r->nposts[m], &e) < 0
                 ? -1
                 : 0;
    char ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, ts, sizeof ts);
    json_t *items = json_array();
    int64_t totals[3] = {0, 0, 0};
    if (rc == 0 && !dry)
        rc = db_begin(req->db, &e);
    for (int i = 0; rc == 0 && i < n; i++)
        if (strcmp(list[i].ownership, "public") == 0 || list[i].inclusive)
            rc = one_institution(req, r, &list[i], dry, ts, items, totals, &e);
    free(list);
    json_decref(r->levels);
    free(r->live);
    for (int m = 0; m < 3; m++) {
        free(r->care[m]);
        free(r->posts[m]);
    }
    if (rc < 0) {
        json_decref(items);
        return dry ? http_reply_err(rep, &e) : http_reply_rollback(req, rep, &e);
    }
    if (!dry && audit_write_commit(req, "funds.operating_round", "district", 0,
                                   json_pack("{s:s, s:I, s:I, s:I}", "quarter", r->q.label, "operating_fen",
                                             (json_int_t)totals[0], "award_fen", (json_int_t)totals[1], "post_fen",
                                             (json_int_t)totals[2]),
                                   &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    json_t *days = json_pack("[s, s, s]", r->q.count_days[0], r->q.count_days[1], r->q.count_days[2]);
    return http_reply_json(rep, 200,
                           json_pack("{s:s, s:s, s:s, s:o, s:b, s:o, s:{s:I, s:I, s:I}}", "quarter", r->q.label,
                                     "first", r->q.first, "last", r->q.last, "count_days", days, "dry_run", dry,
                                     "institutions", items, "totals", "operating_fen", (json_int_t)totals[0],
                                     "award_fen", (json_int_t)totals[1], "post_fen", (json_int_t)totals[2]));
}

#include "funds/operating_api.schemas.inc"

const struct route funds_operating_routes[] = {
    {"POST", "/api/v1/funds/operating-rounds", "funds.compute", operating_round, &ROUND_BODY, &ROUND},
    {NULL, NULL, NULL, NULL},
};
