/* api.c — routes of incidents and injuries, and mandatory reports. An institution's staff record
 * what happened to a child in their care (the child placed there that day), tell the guardian
 * through the inbox or record that they did, add follow-ups and close it. A mandatory-report kind
 * (incidents.c) opens a report the town and the district are told of at once; they acknowledge it
 * within incident.report.ack_days and record how it was handled — the report's states and deadline
 * are the cases engine's (cases_transition over incident_report_process). Who may read: the
 * institution, the town and district regulators, the child's family (never a kind withheld from
 * it); every staff read is audited, every write has its audit row in its transaction. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/json.h"
#include "calendar/api.h"
#include "care/store.h"
#include "children/store.h"
#include "inbox/inbox.h"
#include "incidents/api.h"
#include "incidents/incidents.h"
#include "incidents/store.h"
#include "params/api.h"
#include "params/params.h"
#include "registry/store.h"

#define INCIDENT_LIST_MAX 500 /* incidents one list answers (newest first) */

static const char *timestamp(struct http_req *req, int64_t t)
{
    char *ts = http_alloc(req, DATE_TIMESTAMP_LEN);
    date_format_timestamp(t, ts, DATE_TIMESTAMP_LEN);
    return ts;
}

/* Commit with the audit row of action on (type, id) with fields (stolen), or roll back. */
static int audit_commit(struct http_req *req, const char *action, const char *type, int64_t id, json_t *fields,
                        struct err *e)
{
    int rc = audit_request_commit(req, action, type, http_printf(req, "%" PRId64, id), fields, e);
    json_decref(fields);
    return rc;
}

/* The incident of the path with action checked on it; a kind withheld from the family is not
 * found by those who may not read it (incident.read.withheld). */
static int load_incident(struct http_req *req, const char *action, struct incident_row *n, struct authz_target *t,
                         struct err *e)
{
    if (incidents_store_load(req->db, req->district, http_param_id(req, "id"), n, e) < 0)
        return -1;
    *t = (struct authz_target){.town_code = n->town_code, .institution_id = n->institution_id,
                               .owner_user_id = n->family_user_id};
    if (authz_require(req, action, t, e) < 0)
        return -1;
    if (!n->family_visible && !authz_allows(req, "incident.read.withheld", t))
        return err_set(e, 404, "not_found", "", "未找到该记录，或不在您的管辖范围内");
    return 0;
}

/* The guardian's message about incident incident_id of child ch at institution inst_name. */
static struct inbox_message guardian_message(struct http_req *req, const struct child *ch, const char *inst_name,
                                             const char *kind, const char *place, const char *severity,
                                             int64_t occurred_at, int64_t incident_id, const char *now_ts)
{
    char when[DATE_WORDS_LEN];
    date_words_minute(occurred_at, when, sizeof when);
    return (struct inbox_message){
        .user_id = ch->family_user_id,
        .kind = "incident.guardian",
        .subject = http_printf(req, "意外情况告知：%s", ch->name),
        .body = http_printf(req, "%s，%s在%s发生“%s”，伤害程度：%s。详情请查看婴幼儿页面或联系%s。", when, ch->name, place,
                            incident_name(kind), incident_name(severity), inst_name),
        .ref_type = "incident",
        .ref_id = incident_id,
        .due_at = now_ts,
    };
}

/* Open the report of a mandatory incident: its deadline from the process's first step, the town's
 * officers and the district's administrators told at once, an overdue notice queued for the day
 * after the deadline (withdrawn when it is acknowledged). */
static int open_report(struct http_req *req, const struct institution *in, const struct child *ch,
                       const struct incident_kind *k, int64_t incident_id, const char *now_ts, int64_t *report_id,
                       char due_on[DATE_DAY_LEN], struct err *e)
{
    const struct cases_process *p = &incident_report_process;
    const struct cases_step *ack = cases_state(p, p->initial)->steps[0];
    const struct date_calendar *cal;
    const struct params *prm = NULL;
    if (calendar_for_request(req, &cal, e) < 0 || !(prm = params_of_request(req, e)))
        return -1;
    struct cases_clock clk = {req->today, cal, prm};
    if (cases_due(ack, "", req->today, &clk, due_on, e) < 0 ||
        incidents_store_report_insert(req->db, req->district, incident_id, in->id, in->town_code, p->initial,
                                      due_on, now_ts, report_id, e) < 0)
        return -1;
    int64_t *to;
    size_t nto;
    if (incidents_store_report_recipients(req->db, req->district, in->town_code, &to, &nto, e) < 0)
        return -1;
    char due_words[DATE_WORDS_LEN], over_at[DATE_TIMESTAMP_LEN], over_day[DATE_DAY_LEN];
    int64_t over_t;
    date_words(due_on, due_words, sizeof due_words);
    date_add_days(due_on, 1, over_day);
    date_day_start(over_day, &over_t);
    date_format_timestamp(over_t, over_at, sizeof over_at);
    struct inbox_message now = {
        .kind = "incident.report",
        .subject = http_printf(req, "强制报告：%s %s", in->name, k->name),
        .body = http_printf(req, "%s 登记了“%s”（婴幼儿 %s）。请于 %s 前签收，并核查处理。依据：%s", in->name, k->name,
                            ch->name_masked, due_words, k->basis),
        .ref_type = "incident_report",
        .ref_id = *report_id,
        .due_at = now_ts,
    };
    struct inbox_message over = now;
    over.kind = "incident.report.overdue";
    over.subject = http_printf(req, "强制报告逾期未签收：%s", in->name);
    over.body = http_printf(req, "%s 的强制报告（%s）应于 %s 前签收，尚未签收。", in->name, k->name, due_words);
    over.due_at = over_at;
    int rc = inbox_post_each(req->db, req->district, &now, to, nto, now_ts, e) < 0 ||
                     inbox_post_each(req->db, req->district, &over, to, nto, now_ts, e) < 0
                 ? -1
                 : 0;
    free(to);
    return rc;
}

/* POST /api/v1/institutions/{id}/incidents: an incident of a child in the institution's care. */
static int record(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, http_param_id(req, "id"), req->today, in, &e) < 0)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = in->town_code, .institution_id = in->id};
    struct incident_input *x = http_alloc(req, sizeof *x);
    if (authz_require(req, "incident.write", &t, &e) < 0 || incident_from_json(http_body(req), req->now, x, &e) < 0)
        return http_reply_err(rep, &e);
    const struct incident_kind *k = incident_kind_find(x->kind);
    char day[DATE_DAY_LEN];
    date_format_day(x->occurred_at, day, sizeof day);
    struct child *ch = http_alloc(req, sizeof *ch);
    int64_t inst = 0, class_id = 0;
    /* a child the district does not have is, like another institution's, not in its care */
    struct err unknown = {0};
    int placed = 0;
    if (children_load(req->db, &req->app->key, req->district, x->child_id, ch, &unknown) == 0)
        placed = care_class_on(req->db, ch->id, day, &inst, &class_id, &e);
    else if (unknown.status != 404)
        return http_reply_err(rep, &unknown);
    if (placed < 0)
        return http_reply_err(rep, &e);
    if (!placed || inst != in->id)
        return http_reply_error(rep, 422, "not_in_care", "child_id", "该婴幼儿在发生当天不在本机构的班级");
    if (x->notify_guardian && !ch->family_user_id)
        return http_reply_error(rep, 422, "no_family_account", "notify_guardian",
                                "该婴幼儿没有家长账号，无法通过平台告知；请电话或当面告知后登记告知时间");
    const char *now_ts = timestamp(req, req->now);
    const char *guardian_at = x->notify_guardian ? now_ts : x->guardian_notified_at ? timestamp(req, x->guardian_notified_at) : "";
    const char *channel = x->notify_guardian ? "inbox" : x->guardian_channel;
    int64_t id, report_id = 0;
    char due_on[DATE_DAY_LEN] = "";
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (incidents_store_insert(req->db, req->district, in->id, class_id, x, k, timestamp(req, x->occurred_at),
                               guardian_at, channel, x->police_reported_at ? timestamp(req, x->police_reported_at) : "",
                               req->user->id, now_ts, &id, &e) < 0)
        goto fail;
    if (x->notify_guardian) {
        struct inbox_message m = guardian_message(req, ch, in->name, x->kind, x->place, x->severity, x->occurred_at, id, now_ts);
        if (inbox_post(req->db, req->district, &m, now_ts, &e) < 0)
            goto fail;
    }
    if (k->mandatory && open_report(req, in, ch, k, id, now_ts, &report_id, due_on, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:I, s:s, s:s, s:b, s:o, s:o}", "child_id", (json_int_t)ch->id, "kind", x->kind, "severity",
                          x->severity, "guardian_told", guardian_at[0] != 0, "report_id",
                          report_id ? json_integer(report_id) : json_null(), "report_due_on",
                          due_on[0] ? json_string(due_on) : json_null());
    if (audit_commit(req, "incident.record", "incident", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    /* the institution that recorded it reads its report (incident.write's roles hold report.read) */
    json_t *o;
    if (incidents_store_json(req->db, id, 1, &o, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, o);
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

/* GET /api/v1/incidents/{id}: the incident with its follow-ups; the report for those who may read
 * it (report.read). */
static int get_incident(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct incident_row n;
    struct authz_target t;
    json_t *o;
    if (load_incident(req, "incident.read", &n, &t, &e) < 0 ||
        incidents_store_json(req->db, n.id, authz_allows(req, "report.read", &t), &o, &e) < 0)
        return http_reply_err(rep, &e);
    if (audit_staff_read(req, "incident.read", "incident", http_printf(req, "%" PRId64, n.id), NULL, &e) < 0) {
        json_decref(o);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, o);
}

/* A list of incidents within the caller's reach, of one institution or child. A staff read of a
 * child's list is audited naming the child, even when it is empty (that a child had no incident is
 * the child's data too); an institution's list, when it has rows, with their count. */
static int reply_list(struct http_req *req, struct http_reply *rep, const char *action, int64_t institution_id,
                      int64_t child_id, const struct authz_target *t, const char *target)
{
    struct err e = {0};
    struct authz_scope scope;
    json_t *items;
    if (authz_scope(req, action, "i.town_code", "n.institution_id", "c.family_user_id", &scope, &e) < 0 ||
        incidents_store_list(req->db, req->district, &scope, institution_id, child_id,
                             !authz_allows(req, "incident.read.withheld", t), authz_allows(req, "report.read", t),
                             INCIDENT_LIST_MAX, &items, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *count = child_id ? json_pack("{s:I}", "incidents", (json_int_t)json_array_size(items)) : NULL;
    int rc = child_id ? audit_staff_read(req, action, target, http_printf(req, "%" PRId64, child_id), count, &e)
                      : audit_staff_list(req, action, target, "incidents", json_array_size(items), &e);
    json_decref(count);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/institutions/{id}/incidents: the institution's incidents, newest first. */
static int list_institution(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, http_param_id(req, "id"), req->today, in, &e) < 0)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = in->town_code, .institution_id = in->id};
    if (authz_require(req, "incident.list", &t, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_list(req, rep, "incident.list", in->id, 0, &t, "institution");
}

/* GET /api/v1/children/{id}/incidents: a child's incidents (its family sees those not withheld). */
static int list_child(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct child *c = children_load_for(req, "incident.read", &e);
    if (!c)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = c->town_code, .institution_id = c->institution_id,
                             .owner_user_id = c->family_user_id};
    return reply_list(req, rep, "incident.read", 0, c->id, &t, "child");
}

/* POST /api/v1/incidents/{id}/follow-ups: a follow-up, appended (never changed). */
static int follow_up(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct incident_row n;
    struct authz_target t;
    if (load_incident(req, "incident.write", &n, &t, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(n.status, "open"))
        return http_reply_error(rep, 409, "incident_closed", "", "该事件已结案，不能再添加跟进记录");
    const char *note = jfield_text(http_body(req), "note"), *now_ts = timestamp(req, req->now);
    int64_t id;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (incidents_store_follow_up(req->db, req->district, n.id, note, req->user->id, now_ts, &id, &e) < 0) {
        db_rollback(req->db);
        return http_reply_err(rep, &e);
    }
    if (audit_commit(req, "incident.follow_up", "incident", n.id, json_pack("{s:I}", "follow_up_id", (json_int_t)id), &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 201, json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)id, "incident_id",
                                               (json_int_t)n.id, "note", note, "created_at", now_ts));
}

#include "incidents/api.schemas.inc"

/* POST /api/v1/incidents/{id}/notify-guardian: tell the guardian now through the inbox, or record
 * when they were told by phone or in person. */
static int notify(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct incident_row n;
    struct authz_target t;
    if (load_incident(req, "incident.write", &n, &t, &e) < 0)
        return http_reply_err(rep, &e);
    const json_t *body = http_body(req);
    const char *channel = jfield_text(body, "channel"), *at_text = jfield_text(body, "notified_at");
    int inbox = strcmp(channel, "inbox") == 0;
    if (!n.family_visible)
        return http_reply_error(rep, 422, "guardian_notice_withheld", "channel",
                                "疑似家庭暴力不经平台告知家长：是否及何时告知由镇街、区卫健局和公安机关决定");
    if (!inbox && strcmp(channel, "phone") && strcmp(channel, "in_person"))
        return http_reply_error(rep, 422, "bad_channel", "channel", "告知方式只能是平台消息（inbox）、电话（phone）或当面（in_person）");
    int64_t at = req->now;
    if (inbox ? at_text != NULL : !at_text || date_parse_timestamp(at_text, &at) < 0 || at > req->now)
        return http_reply_error(rep, 422, "bad_notice_time", "notified_at",
                                inbox ? "平台消息现在发送，不填告知时间" : "请填写不晚于现在的告知时间（带时区）");
    if (n.guardian_notified)
        return http_reply_error(rep, 409, "already_notified", "", "已告知过家长");
    struct child *ch = http_alloc(req, sizeof *ch);
    if (children_load(req->db, &req->app->key, req->district, n.child_id, ch, &e) < 0)
        return http_reply_err(rep, &e);
    if (inbox && !ch->family_user_id)
        return http_reply_error(rep, 422, "no_family_account", "channel", "该婴幼儿没有家长账号，无法通过平台告知");
    const char *now_ts = timestamp(req, req->now), *at_ts = timestamp(req, at);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t changed = incidents_store_notified(req->db, n.id, at_ts, channel, now_ts, &e);
    if (changed == 0)
        err_set(&e, 409, "already_notified", "", "已告知过家长");
    if (changed <= 0)
        goto fail;
    if (inbox) {
        int64_t occurred = 0;
        date_parse_timestamp(n.occurred_at, &occurred);
        struct inbox_message m = guardian_message(req, ch, n.institution_name, n.kind, n.place, n.severity, occurred,
                                                  n.id, now_ts);
        if (inbox_post(req->db, req->district, &m, now_ts, &e) < 0)
            goto fail;
    }
    if (audit_commit(req, "incident.notify_guardian", "incident", n.id, json_pack("{s:s, s:s}", "channel", channel, "at", at_ts),
                     &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)n.id, "guardian_notified_at", at_ts,
                                               "guardian_channel", channel));
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

/* POST /api/v1/incidents/{id}/close: closed with a note, once the guardian was told (a kind
 * withheld from the family excepted). */
static int close_incident(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct incident_row n;
    struct authz_target t;
    if (load_incident(req, "incident.write", &n, &t, &e) < 0 ||
        incident_may_close(n.status, n.family_visible, n.guardian_notified, &e) < 0)
        return http_reply_err(rep, &e);
    const char *note = jfield_text(http_body(req), "note"), *now_ts = timestamp(req, req->now);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t changed = incidents_store_close(req->db, n.id, req->user->id, note, now_ts, &e);
    if (changed <= 0) {
        db_rollback(req->db);
        if (changed == 0)
            return http_reply_error(rep, 409, "incident_closed", "", "该事件已结案");
        return http_reply_err(rep, &e);
    }
    if (audit_commit(req, "incident.close", "incident", n.id, json_pack("{s:s}", "note", note), &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)n.id, "status", "closed",
                                               "closed_at", now_ts, "close_note", note));
}

/* GET /api/v1/incident-reports?state=: the mandatory reports within the caller's reach (the town's,
 * the district's), open ones unless a state is asked for, overdue first. */
static int list_reports(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    const char *state = http_query(req, "state");
    if (state && !cases_state(&incident_report_process, state))
        return http_reply_error(rep, 422, "bad_state", "state", "状态只能是 reported、acknowledged 或 handled");
    json_t *items;
    if (authz_scope(req, "report.read", "r.town_code", "r.institution_id", NULL, &scope, &e) < 0 ||
        incidents_store_reports(req->db, req->district, &scope, state ? state : "", req->today,
                                INCIDENT_LIST_MAX, &items, &e) < 0)
        return http_reply_err(rep, &e);
    if (audit_staff_list(req, "report.read", "incident_report", "reports", json_array_size(items), &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

struct may_ctx {
    struct http_req *req;
    const struct authz_target *t;
};
static int may(void *ctx, const char *action)
{
    struct may_ctx *m = ctx;
    struct err e;
    return authz_require(m->req, action, m->t, &e) == 0;
}

/* Fire event on the report of the path through the cases engine's transition function. */
static int move_report(struct http_req *req, struct http_reply *rep, const char *event, const char *outcome)
{
    struct err e = {0};
    struct incident_report_row r;
    if (incidents_store_report_load(req->db, req->district, http_param_id(req, "id"), &r, &e) < 0)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = r.town_code, .institution_id = r.institution_id};
    if (authz_require(req, req->route->action, &t, &e) < 0)
        return http_reply_err(rep, &e);
    const struct cases_process *p = &incident_report_process;
    const struct cases_state *s = cases_state(p, r.state);
    struct cases_task open = {.id = r.id};
    int nopen = s && s->steps[0] ? 1 : 0;
    if (nopen) {
        snprintf(open.step, sizeof open.step, "%s", s->steps[0]->code);
        snprintf(open.action, sizeof open.action, "%s", s->steps[0]->action);
        snprintf(open.due_on, sizeof open.due_on, "%s", r.due_on);
    }
    const struct date_calendar *cal;
    const struct params *prm = NULL;
    if (calendar_for_request(req, &cal, &e) < 0 || !(prm = params_of_request(req, &e)))
        return http_reply_err(rep, &e);
    struct may_ctx mc = {req, &t};
    struct cases_actor actor = {may, &mc, ""};
    struct cases_clock clk = {req->today, cal, prm};
    struct cases_result res;
    if (cases_transition(p, NULL, r.state, "", &open, nopen, event, 0, outcome, &actor, &clk, &res, &e) < 0)
        return http_reply_err(rep, &e);
    const char *due = res.nopened ? res.opened[0].due_on : "", *now_ts = timestamp(req, req->now);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t changed = incidents_store_report_move(req->db, r.id, r.state, res.to, due, req->user->id, outcome, now_ts, &e);
    if (changed == 0)
        err_set(&e, 409, "report_changed", "", "该报告刚被他人处理，请刷新后再试");
    if (changed <= 0 || inbox_withdraw(req->db, "incident_report", r.id, "incident.report.overdue", now_ts, &e) < 0) {
        db_rollback(req->db);
        return http_reply_err(rep, &e);
    }
    json_t *f = json_pack("{s:s, s:s, s:s, s:s?}", "event", event, "from", r.state, "to", res.to, "outcome", outcome);
    if (audit_commit(req, strcmp(event, "acknowledge") ? "report.handle" : "report.acknowledge", "incident_report", r.id, f,
                     &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:I, s:s, s:s, s:s?}", "id", (json_int_t)r.id, "incident_id",
                                               (json_int_t)r.incident_id, "state", res.to, "state_name",
                                               incident_name(res.to), "due_on", due[0] ? due : NULL));
}

static int acknowledge(struct http_req *req, struct http_reply *rep) { return move_report(req, rep, "acknowledge", NULL); }

static int handle(struct http_req *req, struct http_reply *rep)
{
    return move_report(req, rep, "handle", jfield_text(http_body(req), "outcome"));
}

const struct route incidents_routes[] = {
    {"POST", "/api/v1/institutions/{id}/incidents", "incident.write", record, &incident_schema, &OBJECT, 201},
    {"GET", "/api/v1/institutions/{id}/incidents", "incident.list", list_institution, NULL, &LIST, 0,
     HTTP_SUBACTIONS("incident.read.withheld", "report.read")},
    {"GET", "/api/v1/children/{id}/incidents", "incident.read", list_child, NULL, &LIST, 0,
     HTTP_SUBACTIONS("incident.read.withheld", "report.read")},
    {"GET", "/api/v1/incidents/{id}", "incident.read", get_incident, NULL, &OBJECT, 0,
     HTTP_SUBACTIONS("incident.read.withheld", "report.read")},
    {"POST", "/api/v1/incidents/{id}/follow-ups", "incident.write", follow_up, &incident_follow_up_schema, &OBJECT, 201,
     HTTP_SUBACTIONS("incident.read.withheld")},
    {"POST", "/api/v1/incidents/{id}/notify-guardian", "incident.write", notify, &NOTIFY, &OBJECT, 0,
     HTTP_SUBACTIONS("incident.read.withheld")},
    {"POST", "/api/v1/incidents/{id}/close", "incident.write", close_incident, &incident_close_schema, &OBJECT, 0,
     HTTP_SUBACTIONS("incident.read.withheld")},
    {"GET", "/api/v1/incident-reports", "report.read", list_reports, NULL, &REPORTS},
    {"POST", "/api/v1/incident-reports/{id}/acknowledge", "report.acknowledge", acknowledge, &NO_MEMBERS, &OBJECT},
    {"POST", "/api/v1/incident-reports/{id}/handle", "report.handle", handle, &incident_report_handle_schema, &OBJECT},
    {NULL, NULL, NULL, NULL},
};
