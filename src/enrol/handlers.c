/* handlers.c — what enrolment's handlers share: the request's clock, moving an application (its
 * state, the pending offer reminder, the audit row) and the moves a reader may make; the families'
 * contacts in an institution's lists. */
#include "enrol/internal.h"

#include <inttypes.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/users.h"
#include "enrol/enrol.h"
#include "enrol/store.h"
#include "inbox/inbox.h"

void enrol_clock_of(const struct http_req *req, struct enrol_clock *c)
{
    date_format_day(req->now, c->today, sizeof c->today);
    date_format_timestamp(req->now, c->now_ts, sizeof c->now_ts);
}

int enrol_app_move(struct http_req *req, int64_t app_id, const char *from, const char *event, const char *now_ts,
                   json_t *extra, int commit, struct err *e)
{
    const char *to = enrol_app_next(from, event);
    if (!to) {
        json_decref(extra);
        return err_set(e, 409, "bad_state", "status", "申请当前状态（%s）不允许此操作（%s）", from, event);
    }
    if (enrol_store_app_status(req->db, app_id, to, now_ts, e) < 0) {
        json_decref(extra);
        return -1;
    }
    return enrol_app_moved(req, app_id, from, to, now_ts, extra, commit, e);
}

int enrol_app_moved(struct http_req *req, int64_t app_id, const char *from, const char *to, const char *now_ts,
                    json_t *extra, int commit, struct err *e)
{
    /* a pending offer's reminder goes when the offer is decided, lapses, is withdrawn or replaced */
    if (from && strcmp(from, "offered") == 0 &&
        inbox_withdraw(req->db, "application", app_id, "offer.reminder", now_ts, e) < 0) {
        json_decref(extra);
        return -1;
    }
    json_t *f = extra ? extra : json_object();
    json_object_set_new(f, "from", from && from[0] ? json_string(from) : json_null());
    json_object_set_new(f, "to", json_string(to));
    const char *action = http_printf(req, "application.%s", to), *target = http_printf(req, "%" PRId64, app_id);
    int rc = commit ? audit_request_commit(req, action, "application", target, f, e)
                    : audit_request(req, action, "application", target, f, e);
    json_decref(f);
    return rc;
}

json_t *enrol_app_actions(const struct http_req *req, const char *state)
{
    json_t *a = json_array();
    for (const struct enrol_person_move *m = enrol_person_moves; m->event; m++)
        if (req->user && enrol_app_may(state, m->event) && authz_role_may(req->user->role, m->action))
            json_array_append_new(a, json_string(m->event));
    return a;
}

#include "enrol/handlers.schemas.inc"

int enrol_next_steps(struct http_req *req, int64_t inst, int place, const char *start, const char **words, json_t **next,
                     struct err *e)
{
    struct enrol_contact c;
    int found = enrol_store_institution_contact(req->db, inst, &c, e);
    if (found <= 0)
        return found < 0 ? -1 : err_set(e, 404, "not_found", "institution_id", "未找到该托育机构");
    const char *phone = c.phone[0] ? c.phone : "未登记（请向所在镇街咨询）";
    *words = place ? http_printf(req, "接下来：机构会与您联系确认；您也可致电%s（%s），地址：%s。入托时请带好%s。", c.name, phone,
                                 c.address, ENROL_DOCUMENTS)
                   : http_printf(req, "机构电话：%s，地址：%s。", phone, c.address);
    if (next)
        *next = json_pack("{s:s, s:s?, s:s, s:s?, s:s?}", "institution_name", c.name, "institution_phone",
                          c.phone[0] ? c.phone : NULL, "institution_address", c.address, "documents",
                          place ? ENROL_DOCUMENTS : NULL, "start", start);
    return 0;
}

int enrol_family_contacts(struct http_req *req, json_t *rows, const char *subaction, int64_t inst, struct err *e)
{
    json_t *r, *revealed = json_array();
    size_t i;
    int by_application = strcmp(subaction, "application.read.contact") == 0;
    json_array_foreach(rows, i, r)
    {
        int64_t uid = json_integer_value(json_object_get(r, "family_user_id"));
        struct authz_target t = {
            .institution_id = inst ? inst : json_integer_value(json_object_get(r, "institution_id")),
            .owner_user_id = uid,
            .application_id = by_application ? json_integer_value(json_object_get(r, "id")) : 0,
        };
        int reveal = authz_allows(req, subaction, &t);
        struct users_contact c;
        if (users_contact(req->db, &req->app->key, uid, reveal, &c, e) < 0) {
            json_decref(revealed);
            return -1;
        }
        json_object_del(r, "family_user_id");
        json_object_set_new(r, "family_name", json_string(c.name));
        json_object_set_new(r, "family_mobile", c.mobile[0] ? json_string(c.mobile) : json_null());
        if (reveal && uid != req->user->id)
            json_array_append_new(revealed, json_integer(uid));
    }
    int rc = 0;
    if (json_array_size(revealed)) {
        json_t *f = json_pack("{s:O, s:s}", "users", revealed, "list", req->route->pattern);
        rc = audit_staff_read(req, "family.contact", "app_user", "list", f, e);
        json_decref(f);
    }
    json_decref(revealed);
    return rc;
}
