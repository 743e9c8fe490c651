/* api.c — routes of rectification items (整改清单, issue 19 item 5). The district or the town
 * raises an item against an institution from a finding — an inspection's, or a live compliance
 * finding, kept by the findings list's stable key (source, rule, subject) so the two join; its
 * deadline is rectify.deadline_days (a dated parameter) after raising. The town's officers and the
 * district's administrators get an overdue notice the day after the deadline (src/inbox/, withdrawn
 * when the item is closed). The operator answers with what was done and evidence — the
 * institution's own materials (src/materials/); the officer closes it, never without evidence
 * (422 no_evidence). Scoping is authz_require's on the institution: a town officer their town, an
 * operator their institution. Every write has its audit row in its transaction.
 * The item is not run on the cases engine: its states (open → responded → closed) have no steps
 * with deadlines of their own beyond the one overdue notice, and its subject is a finding, not an
 * application with a department queue — a plain table reads and joins with the findings list more
 * simply. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/json.h"
#include "inbox/inbox.h"
#include "incidents/store.h"
#include "oversight/api.h"
#include "oversight/store.h"
#include "params/params.h"
#include "registry/store.h"

static const char *timestamp(struct http_req *req, int64_t t)
{
    char *ts = http_alloc(req, DATE_TIMESTAMP_LEN);
    date_format_timestamp(t, ts, DATE_TIMESTAMP_LEN);
    return ts;
}

/* The institution of the path with action checked on it. */
static int load_institution(struct http_req *req, const char *action, struct institution *in, struct err *e)
{
    if (registry_load(req->db, req->district, http_param_id(req, "id"), req->today, in, e) < 0)
        return -1;
    struct authz_target t = {.town_code = in->town_code, .institution_id = in->id};
    return authz_require(req, action, &t, e);
}

/* Queue the overdue notice of item id (due on due_on) for the town's officers and the district's
 * administrators, due the day after the deadline. */
static int queue_overdue(struct http_req *req, const struct institution *in, int64_t id, const char *finding,
                         const char *due_on, const char *now_ts, struct err *e)
{
    char over_day[DATE_DAY_LEN], over_at[DATE_TIMESTAMP_LEN], due_words[DATE_WORDS_LEN];
    int64_t over_t;
    if (date_add_days(due_on, 1, over_day) < 0 || date_day_start(over_day, &over_t) < 0)
        return err_set(e, 500, "internal", "", "内部错误");
    date_format_timestamp(over_t, over_at, sizeof over_at);
    date_words(due_on, due_words, sizeof due_words);
    int64_t *to;
    size_t nto;
    if (incidents_store_report_recipients(req->db, req->district, in->town_code, &to, &nto, e) < 0)
        return -1;
    struct inbox_message m = {
        .kind = "rectify.overdue",
        .subject = http_printf(req, "整改逾期未销号：%s", in->name),
        .body = http_printf(req, "%s 的整改事项“%s”应于 %s 前完成，尚未销号。", in->name, finding, due_words),
        .ref_type = "rectification",
        .ref_id = id,
        .due_at = over_at,
    };
    int rc = inbox_post_each(req->db, req->district, &m, to, nto, now_ts, e);
    free(to);
    return rc;
}

static int reply_item(struct http_req *req, struct http_reply *rep, int status, int64_t id)
{
    struct err e = {0};
    json_t *o;
    if (rectify_store_json(req->db, id, &o, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, status, o);
}

int rectify_raise(struct http_req *req, const struct institution *in, const struct rectify_finding *f, int64_t *id,
                  struct err *e)
{
    double days;
    char due_on[DATE_DAY_LEN];
    if (params_get(req->db, req->district, "rectify.deadline_days", req->today, &days, e) < 0)
        return -1;
    if (date_add_days(req->today, (int64_t)days, due_on) < 0)
        return err_set(e, 500, "internal", "", "整改期限参数有误");
    const char *now_ts = timestamp(req, req->now);
    if (rectify_store_insert(req->db, req->district, in->id, f, due_on, req->user->id, now_ts, id, e) < 0 ||
        queue_overdue(req, in, *id, f->finding, due_on, now_ts, e) < 0)
        return -1;
    json_t *fields = json_pack("{s:I, s:s, s:s, s:s, s:s}", "institution_id", (json_int_t)in->id, "source", f->source,
                               "rule", f->rule, "subject", f->subject, "due_on", due_on);
    int rc = audit_request(req, "rectify.raise", "rectification", http_printf(req, "%" PRId64, *id), fields, e);
    json_decref(fields);
    return rc;
}

/* POST /api/v1/institutions/{id}/rectifications: raise an item from a finding. */
static int raise(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = http_alloc(req, sizeof *in);
    if (load_institution(req, "rectify.raise", in, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *b = http_body(req);
    const char *subject = jfield_text(b, "subject");
    struct rectify_finding f = {jfield_text(b, "source"), jfield_text(b, "rule"), subject ? subject : "",
                                jfield_text(b, "finding")};
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (rectify_raise(req, in, &f, &id, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    if (db_commit(req->db, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return reply_item(req, rep, 201, id);
}

/* GET /api/v1/institutions/{id}/rectifications: the institution's items, newest first. */
static int list(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = http_alloc(req, sizeof *in);
    json_t *items;
    if (load_institution(req, "rectify.read", in, &e) < 0 ||
        rectify_store_list(req->db, req->district, in->id, &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

/* The item of the path at the institution of the path, action checked on the institution. */
static int load_item(struct http_req *req, const char *action, struct institution *in, struct rectify_row *r,
                     struct err *e)
{
    if (load_institution(req, action, in, e) < 0)
        return -1;
    return rectify_store_load(req->db, req->district, in->id, http_param_id(req, "item_id"), r, e);
}

/* POST …/rectifications/{item_id}/response: the operator's account and evidence. */
static int respond(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = http_alloc(req, sizeof *in);
    struct rectify_row r;
    if (load_item(req, "rectify.respond", in, &r, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(r.status, "closed") == 0)
        return http_reply_error(rep, 409, "already_closed", "item_id", "该整改事项已销号");
    json_t *b = http_body(req);
    json_t *ids = json_object_get(b, "material_ids");
    const char *now_ts = timestamp(req, req->now);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (rectify_store_respond(req->db, r.id, jfield_text(b, "response"), now_ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        if (rectify_store_evidence_add(req->db, req->district, in->id, r.id, json_integer_value(v), &e) < 0)
            return http_reply_rollback(req, rep, &e);
    }
    json_t *fields = json_pack("{s:O?}", "material_ids", ids);
    if (audit_write_commit(req, "rectify.respond", "rectification", r.id, fields, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_item(req, rep, 200, r.id);
}

/* POST …/rectifications/{item_id}/close: review and close; never without evidence. */
static int close_item(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = http_alloc(req, sizeof *in);
    struct rectify_row r;
    if (load_item(req, "rectify.close", in, &r, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(r.status, "closed") == 0)
        return http_reply_error(rep, 409, "already_closed", "item_id", "该整改事项已销号");
    if (r.evidence == 0)
        return http_reply_error(rep, 422, "no_evidence", "item_id", "机构尚未提交整改佐证材料，不能销号");
    const char *now_ts = timestamp(req, req->now);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (rectify_store_close(req->db, r.id, jfield_text(http_body(req), "review_note"), now_ts, &e) < 0 ||
        inbox_withdraw(req->db, "rectification", r.id, "rectify.overdue", now_ts, &e) < 0)
        return http_reply_rollback(req, rep, &e);
    if (audit_write_commit(req, "rectify.close", "rectification", r.id, NULL, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_item(req, rep, 200, r.id);
}

#include "oversight/api.schemas.inc"

const struct route oversight_routes[] = {
    {"POST", "/api/v1/institutions/{id}/rectifications", "rectify.raise", raise, &RAISE, NULL, 201},
    {"GET", "/api/v1/institutions/{id}/rectifications", "rectify.read", list, NULL, NULL},
    {"POST", "/api/v1/institutions/{id}/rectifications/{item_id}/response", "rectify.respond", respond, &RESPOND, NULL},
    {"POST", "/api/v1/institutions/{id}/rectifications/{item_id}/close", "rectify.close", close_item, &CLOSE, NULL},
    {NULL, NULL, NULL, NULL},
};
