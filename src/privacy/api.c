/* api.c — routes of a guardian's consent to the processing of a child's health data
 * (《个人信息保护法》第二十八、二十九、三十一条: a child under 14's sensitive personal information
 * needs the guardian's separate consent): its status and history, for the family, the child's
 * institution and its health instructor; giving it — the family in the portal, or the institution
 * recording a guardian's signed paper form with its scan; withdrawing it (Art. 15), which deletes
 * the health data it covered (Art. 47). The notice version is the one parents accept at sign-up
 * (privacy.notice_version). Every staff read audited, every write with its audit row. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/json.h"
#include "children/store.h"
#include "params/params.h"
#include "privacy/api.h"
#include "privacy/privacy.h"
#include "privacy/store.h"

/* A paper form's scan must be a material of the child's institution: 0, or -1 with 422. */
static int check_material(struct http_req *req, const struct child *c, int64_t material, struct err *e)
{
    int found = c->institution_id ? privacy_material_of(req->db, req->district, material, c->institution_id, e)
                                  : 0;
    if (found < 0)
        return -1;
    if (!found)
        return err_set(e, 422, "unknown_material", "material_id", "未找到该附件材料（须为本机构上传的签字文书扫描件）");
    return 0;
}

/* The status reply of child c: {child_id, status, consent (the live one or null), notice_version
 * (in force today), purposes (all there are), history}. */
static int consent_reply(struct http_req *req, const struct child *c, json_t **out, struct err *e)
{
    double notice;
    struct privacy_consent live;
    json_t *history;
    int found = privacy_consent_live(req->db, c->id, &live, e);
    if (found < 0 ||
        params_get(req->db, req->district, "privacy.notice_version", req->today, &notice, e) < 0 ||
        privacy_consents_json(req->db, c->id, &history, e) < 0)
        return -1;
    json_t *all = json_array(), *current = json_null();
    for (int k = 0; privacy_purposes[k].code; k++)
        json_array_append_new(all, json_pack("{s:s, s:s}", "code", privacy_purposes[k].code, "name",
                                             privacy_purposes[k].name));
    if (found)
        current = json_incref(json_array_get(history, 0));
    *out = json_pack("{s:I, s:s, s:o, s:I, s:o, s:o}", "child_id", (json_int_t)c->id, "status",
                     found ? "given" : json_array_size(history) ? "withdrawn" : "none", "consent", current,
                     "notice_version", (json_int_t)notice, "purposes", all, "history", history);
    return 0;
}

/* GET /api/v1/children/{id}/consent */
static int get_consent(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "consent.read", &e);
    json_t *reply;
    if (!c || consent_reply(req, c, &reply, &e) < 0)
        return http_reply_err(rep, &e);
    if (audit_staff_read(req, "consent.read", "child", http_printf(req, "%" PRId64, c->id), NULL, &e) < 0) {
        json_decref(reply);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, reply);
}

static const char *now_timestamp(struct http_req *req)
{
    char *ts = http_alloc(req, DATE_TIMESTAMP_LEN);
    date_format_timestamp(req->now, ts, DATE_TIMESTAMP_LEN);
    return ts;
}

/* POST /api/v1/children/{id}/consent: the family's own consent, or a staff member recording a
 * guardian's signed paper form (guardian, relation, scan). */
static int give_consent(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "consent.give", &e);
    if (!c)
        return http_reply_err(rep, &e);
    int paper = c->family_user_id != req->user->id;
    struct privacy_consent_req r;
    double notice;
    if (privacy_consent_from_json(http_body(req), paper, &r, &e) < 0 ||
        (paper && check_material(req, c, r.material_id, &e) < 0) ||
        params_get(req->db, req->district, "privacy.notice_version", req->today, &notice, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (privacy_consent_insert(req->db, &req->app->key, req->district, c->id, paper ? "paper" : "family", &r,
                               (int64_t)notice, req->user->id, now_timestamp(req), &id, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:I, s:s, s:I, s:s, s:o}", "child_id", (json_int_t)c->id, "purposes", r.purposes,
                          "notice_version", (json_int_t)notice, "source", paper ? "paper" : "family", "material_id",
                          r.material_id ? json_integer(r.material_id) : json_null());
    int rc = audit_request(req, "consent.give", "child_consent", http_printf(req, "%" PRId64, id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    json_t *reply;
    if (consent_reply(req, c, &reply, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, reply);
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

/* POST /api/v1/children/{id}/consent/withdraw: the live consent ends; the health data it covered
 * is deleted in the same transaction (Art. 47(1)(3)) and no new is stored. */
static int withdraw_consent(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "consent.withdraw", &e);
    if (!c)
        return http_reply_err(rep, &e);
    const json_t *body = http_body(req);
    int paper = c->family_user_id != req->user->id;
    double m = jfield_number(body, "material_id");
    int64_t material = isnan(m) ? 0 : (int64_t)m;
    if (!json_is_true(json_object_get(body, "confirm")))
        return http_reply_error(rep, 422, "not_confirmed", "confirm", "请确认撤回：撤回后将删除已记录的健康信息，且不再记录新的健康信息");
    if (paper && !material)
        return http_reply_error(rep, 422, "required", "material_id", "请上传监护人签字的撤回书扫描件");
    if (!paper && material)
        return http_reply_error(rep, 422, "not_paper", "material_id", "家长本人在线撤回，无需上传撤回书");
    if (paper && check_material(req, c, material, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    struct privacy_consent live;
    json_t *deleted = json_object();
    int found = privacy_consent_live(req->db, c->id, &live, &e);
    if (found < 0)
        goto fail;
    if (!found) {
        err_set(&e, 409, "no_consent", "", "该婴幼儿没有有效的同意记录");
        goto fail;
    }
    int64_t n = privacy_consent_withdraw(req->db, live.id, req->user->id, material, now_timestamp(req), &e);
    if (n < 0 || (n == 0 && err_set(&e, 409, "no_consent", "", "该婴幼儿没有有效的同意记录") < 0) ||
        privacy_delete_health(req->db, c->id, live.purposes, deleted, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:I, s:s, s:O}", "child_id", (json_int_t)c->id, "purposes", live.purposes, "deleted", deleted);
    int rc = audit_request(req, "consent.withdraw", "child_consent", http_printf(req, "%" PRId64, live.id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    json_t *reply;
    if (consent_reply(req, c, &reply, &e) < 0) {
        json_decref(deleted);
        return http_reply_err(rep, &e);
    }
    json_object_set_new(reply, "deleted", deleted);
    return http_reply_json(rep, 200, reply);
fail:
    db_rollback(req->db);
    json_decref(deleted);
    return http_reply_err(rep, &e);
}

#include "privacy/api.schemas.inc"

const struct route privacy_routes[] = {
    {"GET", "/api/v1/children/{id}/consent", "consent.read", get_consent, NULL, &CONSENT},
    {"POST", "/api/v1/children/{id}/consent", "consent.give", give_consent, &privacy_consent_schema, &CONSENT, 201},
    {"POST", "/api/v1/children/{id}/consent/withdraw", "consent.withdraw", withdraw_consent, &privacy_withdraw_schema,
     &CONSENT},
    {NULL, NULL, NULL, NULL},
};
