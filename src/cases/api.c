/* api.c — HTTP routes of the cases engine: open a case (办托一件事 filing, change filing,
 * cancellation) on an institution, fill it (the institution record with the registry's checks and
 * findings, the checklist of materials, uploads), fire its events (submit, receive, approve,
 * return, file, deficiency, withdraw — each asked of the policy, one transaction with its history
 * and audit rows), the task inbox (我的待办) with deadlines in working days, the departments, and
 * the public list of filed institutions (公示). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/users.h"
#include "base/date.h"
#include "calendar/api.h"
#include "cases/api.h"
#include "cases/cases.h"
#include "cases/store.h"
#include "inbox/inbox.h"
#include "materials/api.h"
#include "materials/store.h"
#include "params/api.h"
#include "params/params.h"
#include "premises/api.h"
#include "rating/workflow.h"
#include "registry/registry.h"
#include "registry/store.h"
#include "stations/api.h"

/* ---- loading ---- */

struct loaded {
    struct cases_case c;
    const struct cases_process *p;
    struct authz_target t;
};

static void loaded_free(struct loaded *l) { json_decref(l->c.data); }

/* The case of the path with action checked on it (its town and institution). */
static int load_for(struct http_req *req, const char *action, struct loaded *l, struct err *e)
{
    memset(l, 0, sizeof *l);
    if (cases_store_load(req->db, req->district, http_param_id(req, "id"), &l->c, e) < 0)
        return -1;
    l->t = (struct authz_target){.town_code = l->c.town_code, .institution_id = l->c.institution_id};
    l->p = cases_process(l->c.process);
    if (authz_require(req, action, &l->t, e) < 0 || !l->p) {
        if (!l->p && !e->status)
            err_set(e, 500, "bad_process", "", "案件的流程未知：%s", l->c.process);
        loaded_free(l);
        return -1;
    }
    return 0;
}

/* The institution record as the case's data has it: the stored record with the data's members
 * parsed onto it; the fields regulators decide stay the stored ones. */
static int case_institution(struct http_req *req, const struct cases_case *c, const struct registry_rules *rules,
                            struct institution *in, struct err *e)
{
    if (registry_load(req->db, req->district, c->institution_id, req->today, in, e) < 0)
        return -1;
    struct institution stored = *in;
    json_t *rec = json_object_get(c->data, "institution");
    if (rec && registry_from_json(rec, rules, req->today, in, e) < 0) {
        char field[sizeof e->field];
        snprintf(field, sizeof field, "institution.%.51s", e->field);
        memcpy(e->field, field, sizeof field);
        return -1;
    }
    snprintf(in->status, sizeof in->status, "%s", stored.status);
    in->inclusive = stored.inclusive;
    snprintf(in->inclusive_since, sizeof in->inclusive_since, "%s", stored.inclusive_since);
    in->star_level = stored.star_level;
    in->demonstration = stored.demonstration;
    snprintf(in->town_code, sizeof in->town_code, "%s", stored.town_code);
    return 0;
}

static json_t *findings_json(const struct finding *f, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "rule", f[i].rule, "severity", f[i].severity,
                                           "message", f[i].message, "basis", f[i].basis));
    return a;
}

/* The ids of the case's active materials (at most max). */
static int active_materials(struct http_req *req, int64_t case_id, int64_t *ids, int max, int *n, struct err *e)
{
    struct material *rows = http_alloc(req, (size_t)max * sizeof *rows);
    if (materials_page(req->db, req->district, "case", case_id, 0, max, rows, n, e) < 0)
        return -1;
    for (int i = 0; i < *n; i++)
        ids[i] = rows[i].id;
    return 0;
}

/* What the case lacks and what its record is found to break, on today. */
struct checks {
    json_t *missing, *findings, *checklist;
    int high;
    struct err record; /* the record's own error (status 0 when none) */
};

static int run_checks(struct http_req *req, const struct loaded *l, struct checks *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct registry_rules rules;
    char(*basis)[160] = http_alloc(req, RULE_COUNT * 160);
    if (registry_rules_from_params(req->db, req->district, req->today, &rules, basis, e) < 0)
        return -1;
    const char *basis_ptr[RULE_COUNT];
    for (int i = 0; i < RULE_COUNT; i++)
        basis_ptr[i] = basis[i];
    struct institution *in = http_alloc(req, sizeof *in);
    if (case_institution(req, &l->c, &rules, in, &out->record) < 0 && out->record.status >= 500) {
        *e = out->record;
        return -1;
    }
    struct finding f[64];
    int nf = out->record.status ? 0 : registry_findings(in, &rules, basis_ptr, req->today, f, 64);
    for (int i = 0; i < nf; i++)
        out->high += strcmp(f[i].severity, "high") == 0;
    out->findings = findings_json(f, nf);
    int64_t ids[64];
    int n;
    if (active_materials(req, l->c.id, ids, 64, &n, e) < 0) {
        json_decref(out->findings);
        return -1;
    }
    out->missing = cases_missing_materials(l->p, in, l->c.data, ids, n);
    struct cases_checklist_entry need[16];
    int nneed = cases_checklist(l->p, in, l->c.data, need, 16);
    out->checklist = json_array();
    for (int k = 0; k < nneed; k++) {
        json_t *steps = json_array();
        for (int j = 0; j < need[k].nsteps; j++)
            json_array_append_new(steps, json_pack("{s:s, s:s}", "code", need[k].steps[j]->code, "name", need[k].steps[j]->name));
        json_array_append_new(out->checklist, json_pack("{s:s, s:s, s:o}", "item", need[k].item->code, "name",
                                                        need[k].item->name, "steps", steps));
    }
    return 0;
}

/* The case as answered: record, state, tasks, history, the events allowed, the checks. */
static int case_reply(struct http_req *req, struct http_reply *rep, struct loaded *l, int status)
{
    struct err e = {0};
    json_t *tasks, *history;
    struct cases_task open[CASES_MAX_OPEN];
    int nopen;
    struct checks ck;
    char name[128] = "";
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, l->c.institution_id, req->today, in, &e) == 0)
        snprintf(name, sizeof name, "%s", in->name);
    if (cases_store_open_tasks(req->db, req->district, l->c.id, open, CASES_MAX_OPEN, &nopen, &e) < 0 ||
        run_checks(req, l, &ck, &e) < 0)
        return http_reply_err(rep, &e);
    if (cases_store_tasks_json(req->db, req->district, l->c.id, &tasks, &e) < 0) {
        json_decref(ck.missing), json_decref(ck.findings), json_decref(ck.checklist);
        return http_reply_err(rep, &e);
    }
    if (cases_store_history_json(req->db, req->district, l->c.id, &history, &e) < 0) {
        json_decref(tasks), json_decref(ck.missing), json_decref(ck.findings), json_decref(ck.checklist);
        return http_reply_err(rep, &e);
    }
    const struct cases_state *s = cases_state(l->p, l->c.state);
    json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:b, s:I, s:o, s:s, s:s, s:o, s:O}", "id",
                          (json_int_t)l->c.id, "process", l->p->code, "process_name", l->p->name, "institution_id",
                          (json_int_t)l->c.institution_id, "institution_name", name, "town_code", l->c.town_code,
                          "state", l->c.state, "state_name", s ? s->name : l->c.state, "final", s && s->final,
                          "version", (json_int_t)l->c.version, "submitted_on",
                          l->c.submitted_on[0] ? json_string(l->c.submitted_on) : json_null(), "created_at",
                          l->c.created_at, "updated_at", l->c.updated_at, "closed_at",
                          l->c.closed_at[0] ? json_string(l->c.closed_at) : json_null(), "data", l->c.data);
    json_object_set_new(o, "tasks", tasks);
    json_object_set_new(o, "history", history);
    json_object_set_new(o, "allowed", cases_allowed_events(l->p, l->c.state, open, nopen));
    json_object_set_new(o, "checklist", ck.checklist);
    json_object_set_new(o, "missing", ck.missing);
    json_object_set_new(o, "findings", ck.findings);
    json_object_set_new(o, "record_error", ck.record.status ? json_pack("{s:s, s:s, s:s}", "code", ck.record.code, "field",
                                                                         ck.record.field, "message", ck.record.message)
                                                            : json_null());
    loaded_free(l);
    return http_reply_json(rep, status, o);
}

/* ---- open, read, list ---- */

static int create_case(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    const char *process = json_string_value(json_object_get(body, "process"));
    int64_t inst_id = json_integer_value(json_object_get(body, "institution_id"));
    const struct cases_process *p = cases_process(process);
    if (!p)
        return http_reply_error(rep, 422, "unknown_process", "process", "未知的办理事项：%s", process);
    if (p->opened_by)
        return http_reply_error(rep, 422, "opened_elsewhere", "process", "“%s”须通过 %s 发起", p->name, p->opened_by);
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, inst_id, req->today, in, &e) < 0) {
        snprintf(e.field, sizeof e.field, "institution_id");
        return http_reply_err(rep, &e);
    }
    struct authz_target t = {.town_code = in->town_code, .institution_id = in->id};
    if (authz_require(req, "case.create", &t, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(in->status, p->opens_on_status))
        return http_reply_error(rep, 409, "wrong_status", "institution_id", "“%s”只能由备案状态为 %s 的机构办理（当前为 %s）",
                                p->name, p->opens_on_status, in->status);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct loaded l = {.p = p, .t = t};
    l.c = (struct cases_case){.institution_id = in->id, .created_by = req->user->id};
    snprintf(l.c.process, sizeof l.c.process, "%s", p->code);
    snprintf(l.c.town_code, sizeof l.c.town_code, "%s", in->town_code);
    snprintf(l.c.state, sizeof l.c.state, "%s", p->initial);
    l.c.data = json_pack("{s:o, s:b, s:[]}", "institution", registry_to_json(in, NULL), "meals", 0, "materials");
    int open = 0;
    if (db_begin(req->db, &e) < 0)
        goto fail_nodb;
    if (p->one_open && cases_store_open_count(req->db, req->district, in->id, p->code, &open, &e) < 0)
        goto fail;
    if (open) {
        err_set(&e, 409, "case_open", "process", "该机构已有正在办理的“%s”", p->name);
        goto fail;
    }
    if (cases_store_insert(req->db, req->district, &l.c, now_ts, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:I}", "process", p->code, "institution_id", (json_int_t)in->id);
    int rc = audit_request_commit(req, "case.create", "case", http_printf(req, "%" PRId64, l.c.id), f, &e);
    json_decref(f);
    if (rc < 0)
        goto fail_nodb;
    return case_reply(req, rep, &l, 201);
fail:
    db_rollback(req->db);
fail_nodb:
    json_decref(l.c.data);
    return http_reply_err(rep, &e);
}

static int get_case(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct loaded l;
    if (load_for(req, "case.read", &l, &e) < 0)
        return http_reply_err(rep, &e);
    return case_reply(req, rep, &l, 200);
}

/* The page of listed case rows (rows is released), keyed by due date with undated cases last: each
 * row gains process_name and overdue, then fill(req, row, state, ctx) adds the rest; state (read
 * from the column state_key) is NULL for a code this build does not know. */
static json_t *case_rows(struct http_req *req, struct http_page *page, json_t *rows, const char *state_key,
                         void (*fill)(struct http_req *req, json_t *r, const struct cases_state *s, void *ctx),
                         void *ctx)
{
    json_t *items = json_array(), *r;
    size_t i;
    json_array_foreach(rows, i, r)
    {
        const char *due = json_string_value(json_object_get(r, "due_on"));
        if (!http_page_take(req, page, json_integer_value(json_object_get(r, "id")),
                            http_printf(req, "%s", due ? due : CASES_NO_DUE)))
            break;
        const struct cases_process *p = cases_process(json_string_value(json_object_get(r, "process")));
        json_object_set_new(r, "process_name", json_string(p ? p->name : ""));
        json_object_set_new(r, "overdue", json_boolean(due && strcmp(due, req->today) < 0));
        fill(req, r, p ? cases_state(p, json_string_value(json_object_get(r, state_key))) : NULL, ctx);
        json_array_append(items, r);
    }
    json_decref(rows);
    return items;
}

static void fill_case(struct http_req *req, json_t *r, const struct cases_state *s, void *ctx)
{
    json_object_set_new(r, "state_name", json_string(s ? s->name : ""));
}

static int list_cases(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    if (authz_scope(req, "case.read", "c.town_code", "c.institution_id", NULL, &scope, &e) < 0 ||
        http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct cases_filter f = {http_query(req, "state"), http_query(req, "process"), http_query(req, "town"),
                             page.after_key ? page.after_key : "", page.after_id, page.limit + 1};
    if (f.state && !f.state[0])
        f.state = NULL;
    if (f.process && !f.process[0])
        f.process = NULL;
    if (f.town && !f.town[0])
        f.town = NULL;
    if (f.process && !cases_process(f.process))
        return http_reply_error(rep, 400, "unknown_process", "process", "未知的办理事项：%s", f.process);
    json_t *rows;
    if (cases_store_list(req->db, req->district, scope.sql, &scope.params, &f, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = case_rows(req, &page, rows, "state", fill_case, NULL);
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

/* ---- filling ---- */

/* The case of the path, loaded for case.update and still open to changes (a draft, or a case sent
 * back for correction): 0, or -1 with e (409 case_locked). */
static int load_editable(struct http_req *req, struct loaded *l, struct err *e)
{
    if (load_for(req, "case.update", l, e) < 0)
        return -1;
    if (strcmp(l->c.state, l->p->initial) && strcmp(l->c.state, "deficient")) {
        const struct cases_state *s = cases_state(l->p, l->c.state);
        err_set(e, 409, "case_locked", "", "案件处于“%s”，已提交的内容不能修改", s ? s->name : l->c.state);
        loaded_free(l);
        return -1;
    }
    return 0;
}

static int save_data(struct http_req *req, struct http_reply *rep, struct loaded *l, const char *what)
{
    struct err e = {0};
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0 ||
        cases_store_save_data(req->db, req->district, l->c.id, l->c.data, now_ts, &e) < 0) {
        db_rollback(req->db);
        loaded_free(l);
        return http_reply_err(rep, &e);
    }
    json_t *f = json_pack("{s:s}", "changed", what);
    int rc = audit_request_commit(req, "case.update", "case", http_printf(req, "%" PRId64, l->c.id), f, &e);
    json_decref(f);
    if (rc < 0) {
        loaded_free(l);
        return http_reply_err(rep, &e);
    }
    snprintf(l->c.updated_at, sizeof l->c.updated_at, "%s", now_ts);
    return case_reply(req, rep, l, 200);
}

static int put_institution(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct loaded l;
    if (load_editable(req, &l, &e) < 0)
        return http_reply_err(rep, &e);
    struct registry_rules rules;
    struct institution *in = http_alloc(req, sizeof *in);
    json_object_set(l.c.data, "institution", http_body(req));
    /* the whole record checked as the registry checks it: errors now, findings in the reply */
    if (registry_rules_from_params(req->db, req->district, req->today, &rules, NULL, &e) < 0 ||
        case_institution(req, &l.c, &rules, in, &e) < 0) {
        loaded_free(&l);
        return http_reply_err(rep, &e);
    }
    json_object_set_new(l.c.data, "institution", registry_to_json(in, NULL));
    return save_data(req, rep, &l, "institution");
}

static int put_checklist(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct loaded l;
    json_t *body = http_body(req);
    if (cases_checklist_check(body, &e) < 0 || load_editable(req, &l, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *meals = json_object_get(body, "meals"), *materials = json_object_get(body, "materials");
    if (meals)
        json_object_set(l.c.data, "meals", meals);
    if (materials)
        json_object_set(l.c.data, "materials", materials);
    return save_data(req, rep, &l, "checklist");
}

/* ---- events ---- */

struct may_ctx {
    struct http_req *req;
    const struct authz_target *t;
};
static int may(void *ctx, const char *action)
{
    struct may_ctx *m = ctx;
    return authz_allows(m->req, action, m->t);
}

/* Queue, for each user who may act on the task, a reminder one working day before it is due
 * (09:00 Beijing) and an overdue notice the day after (00:00 Beijing). */
static int post_reminders(struct http_req *req, const struct loaded *l, const struct cases_opened *o, int64_t task_id,
                          const struct date_calendar *cal, const char *inst_name, const char *now_ts, struct err *e)
{
    if (!o->due_on[0])
        return 0;
    char remind_day[DATE_DAY_LEN], over_day[DATE_DAY_LEN];
    struct err ignored;
    /* a calendar-day deadline may fall in a year the calendar does not hold yet: the day before */
    if ((date_add_working_days(cal, o->due_on, -1, remind_day, &ignored) < 0 && date_add_days(o->due_on, -1, remind_day) < 0) ||
        date_add_days(o->due_on, 1, over_day) < 0)
        return err_set(e, 422, "bad_date", "due_on", "期限日期无效：%s", o->due_on);
    int64_t remind_t, over_t;
    date_day_start(remind_day, &remind_t);
    date_day_start(over_day, &over_t);
    char remind_at[DATE_TIMESTAMP_LEN], over_at[DATE_TIMESTAMP_LEN];
    /* Beijing 09:00 and 00:00 in UTC */
    date_format_timestamp(remind_t + 9 * 3600 - DATE_LOCAL_OFFSET_SECONDS, remind_at, sizeof remind_at);
    date_format_timestamp(over_t - DATE_LOCAL_OFFSET_SECONDS, over_at, sizeof over_at);
    struct cases_recipient *to;
    int n;
    if (cases_store_recipients(req->db, req->district, o->step->department ? o->step->department : "",
                               o->step->by_subject ? l->c.institution_id : 0, &to, &n, e) < 0)
        return -1;
    char *subject = http_printf(req, "待办提醒：%s（%s）", o->step->name, inst_name);
    char *body = http_printf(req, "“%s”的“%s”将于 %s 到期，请及时办理。", l->p->name, o->step->name, o->due_on);
    char *over_subject = http_printf(req, "待办已逾期：%s（%s）", o->step->name, inst_name);
    char *over_body = http_printf(req, "“%s”的“%s”已于 %s 到期，尚未办理。", l->p->name, o->step->name, o->due_on);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        if (!authz_role_may(role_from_code(to[i].role), o->step->action))
            continue;
        struct inbox_message m = {to[i].user_id, "case.task.reminder", subject, body, "case_task", task_id, remind_at};
        struct inbox_message over = {to[i].user_id, "case.task.overdue", over_subject, over_body, "case_task", task_id,
                                     over_at};
        rc = inbox_post(req->db, req->district, &m, now_ts, e) < 0 ||
                     inbox_post(req->db, req->district, &over, now_ts, e) < 0
                 ? -1
                 : 0;
    }
    free(to);
    return rc;
}

/* A cancelled institution's families with open bookings or applications naming it are told. */
static int tell_families(struct http_req *req, const struct institution *in, const char *now_ts, json_t *fields,
                         struct err *e)
{
    int64_t *families;
    int n;
    if (cases_store_families_of(req->db, req->district, in->id, &families, &n, e) < 0)
        return -1;
    char *subject = http_printf(req, "托育机构已注销：%s", in->name);
    char *body = http_printf(req, "“%s”已于 %s 注销备案，不再提供托育服务。您在该机构的入托预约或申请志愿将无法办理，请另选机构。",
                             in->name, req->today);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        struct inbox_message m = {families[i], "institution.cancelled", subject, body, "institution", in->id, now_ts};
        rc = inbox_post(req->db, req->district, &m, now_ts, e);
    }
    free(families);
    json_object_set_new(fields, "families_told", json_integer(n));
    return rc;
}

/* The outcome of the process on its institution (the hooks' effect): filed, changed, cancelled. */
static int apply_outcome(struct http_req *req, const struct loaded *l, const char *now_ts, json_t *fields, struct err *e)
{
    if (l->p->outcome == CASES_OUTCOME_PREMISES)
        return premises_case_outcome(req, l->c.id, l->c.institution_id, fields, e);
    if (l->p->outcome == CASES_OUTCOME_RATING)
        return rating_case_outcome(req, l->c.id, l->c.institution_id, fields, e);
    if (l->p->outcome == CASES_OUTCOME_STATION)
        return stations_case_outcome(req, l->c.id, l->c.institution_id, fields, e);
    struct registry_rules rules;
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_rules_from_params(req->db, req->district, req->today, &rules, NULL, e) < 0)
        return -1;
    if (l->p->outcome == CASES_OUTCOME_CANCEL) {
        if (registry_load(req->db, req->district, l->c.institution_id, req->today, in, e) < 0)
            return -1;
        snprintf(in->status, sizeof in->status, "closed");
    } else if (case_institution(req, &l->c, &rules, in, e) < 0) {
        return -1;
    }
    if (l->p->outcome == CASES_OUTCOME_FILE)
        snprintf(in->status, sizeof in->status, "filed");
    if (registry_update(req->db, req->district, in, now_ts, e) < 0)
        return -1;
    if (l->p->outcome == CASES_OUTCOME_FILE) {
        char filing_no[32];
        if (cases_store_register_file(req->db, req->district, in->id, l->c.id, req->today, filing_no, e) < 0)
            return -1;
        json_object_set_new(fields, "filing_no", json_string(filing_no));
        return 0;
    }
    if (cases_store_register_mark(req->db, req->district, in->id, l->c.id,
                                  l->p->outcome == CASES_OUTCOME_CANCEL, req->today, e) < 0)
        return -1;
    return l->p->outcome == CASES_OUTCOME_CANCEL ? tell_families(req, in, now_ts, fields, e) : 0;
}

static int transition_error(struct http_reply *rep, const struct err *e, const struct loaded *l,
                            const struct cases_task *open, int nopen, const char *extra_name, json_t *extra)
{
    json_t *o = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", e->code, "field", e->field, "message", e->message);
    json_t *err = json_object_get(o, "error");
    if (e->status == 409)
        json_object_set_new(err, "allowed", cases_allowed_events(l->p, l->c.state, open, nopen));
    if (extra)
        json_object_set_new(err, extra_name, extra);
    return http_reply_json(rep, e->status ? e->status : 500, o);
}

static int post_event(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct loaded l;
    if (load_for(req, "case.event", &l, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req), *items = json_object_get(body, "items");
    const char *event = json_string_value(json_object_get(body, "event"));
    const char *comment = json_string_value(json_object_get(body, "comment"));
    int64_t task_id = json_integer_value(json_object_get(body, "task_id"));
    json_t *it;
    size_t i;
    json_array_foreach(items, i, it)
    {
        if (!cases_checklist_item(json_string_value(it))) {
            loaded_free(&l);
            return http_reply_error(rep, 422, "unknown_item", http_printf(req, "items[%zu]", i), "未知的材料清单事项：%s",
                                    json_string_value(it));
        }
    }
    char dept[24] = "";
    const struct date_calendar *cal;
    const struct params *prm = NULL;
    if (cases_store_department_of(req->db, req->district, req->user->id, dept, &e) < 0 ||
        calendar_for_request(req, &cal, &e) < 0 ||
        !(prm = params_of_request(req, &e))) {
        loaded_free(&l);
        return http_reply_err(rep, &e);
    }
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct may_ctx mc = {req, &l.t};
    struct cases_actor actor = {may, &mc, dept};
    struct cases_clock clk = {req->today, cal, prm};
    struct cases_task open[CASES_MAX_OPEN];
    int nopen = 0;
    struct cases_result r;
    json_t *extra = NULL, *fields = NULL;
    const char *extra_name = "missing";
    char name[128] = "";
    /* the case again, row-locked: two decisions on it take turns, the second sees the first */
    json_decref(l.c.data);
    l.c.data = NULL;
    if (db_begin(req->db, &e) < 0)
        goto fail_nodb;
    if (cases_store_take(req->db, req->district, l.c.id, &l.c, &e) < 0 ||
        cases_store_open_tasks(req->db, req->district, l.c.id, open, CASES_MAX_OPEN, &nopen, &e) < 0)
        goto fail;
    struct institution *in = http_alloc(req, sizeof *in);
    if (registry_load(req->db, req->district, l.c.institution_id, req->today, in, &e) < 0)
        goto fail;
    snprintf(name, sizeof name, "%s", in->name);
    if (cases_transition(l.p, in->operating_model, l.c.state, l.c.submitted_on, open, nopen, event, task_id, comment,
                         &actor, &clk, &r, &e) < 0)
        goto fail;
    if (r.t->submits) {
        /* 网上提交即刻办: the record, the rules and the materials are checked now */
        if (!json_is_true(json_object_get(body, "declaration"))) {
            err_set(&e, 422, "declaration_required", "declaration", "请确认承诺：所填信息和所附材料真实有效");
            goto fail;
        }
        struct checks ck;
        if (run_checks(req, &l, &ck, &e) < 0)
            goto fail;
        json_decref(ck.checklist);
        if (l.p->checks_record && ck.record.status) {
            json_decref(ck.missing), json_decref(ck.findings);
            e = ck.record;
            goto fail;
        }
        if (json_array_size(ck.missing)) {
            char list[400] = "";
            size_t len = 0;
            json_t *m;
            json_array_foreach(ck.missing, i, m)
                if (len < sizeof list)
                    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? "、" : "",
                                            json_string_value(json_object_get(m, "name")));
            err_set(&e, 422, "materials_missing", "materials", "材料不齐：缺少%s", list);
            extra = ck.missing;
            json_decref(ck.findings);
            goto fail;
        }
        json_decref(ck.missing);
        if (l.p->checks_record && ck.high) {
            err_set(&e, 422, "rule_findings", "institution", "机构信息不符合设置标准（%d 项严重问题），请先修改", ck.high);
            extra = ck.findings;
            extra_name = "findings";
            goto fail;
        }
        json_decref(ck.findings);
    }
    int locked = 0;
    if (r.t->lock && (materials_owner_take(req->db, req->district, "case", l.c.id, &locked, &e) < 0 ||
                      materials_set_locked(req->db, req->district, "case", l.c.id, r.t->lock > 0, now_ts, &e) < 0))
        goto fail;
    struct cases_by by = {req->user->id, req->user->name};
    int64_t opened_ids[CASES_MAX_STEPS];
    if (cases_store_apply(req->db, req->district, &l.c, &r, &by, comment, items, req->today, now_ts, opened_ids,
                          &e) < 0)
        goto fail;
    fields = json_pack("{s:s, s:s, s:s, s:o}", "event", r.t->event, "from", l.c.state, "to", r.to, "task_id",
                       r.done_task ? json_integer(r.done_task) : json_null());
    /* the process's own check of the move (a domain's guard) */
    if (l.p->guard && l.p->guard(req, l.c.id, &r, fields, &extra, &e) < 0)
        goto fail;
    /* a parallel step applies the outcome when its signature is the last one, as the case moves */
    if (r.t->applies && r.entered && apply_outcome(req, &l, now_ts, fields, &e) < 0)
        goto fail;
    /* reminders: withdrawn for the tasks closed, queued for those opened */
    if (r.done_task && inbox_withdraw(req->db, "case_task", r.done_task, NULL, now_ts, &e) < 0)
        goto fail;
    for (int k = 0; k < r.ncancelled; k++)
        if (inbox_withdraw(req->db, "case_task", r.cancelled[k], NULL, now_ts, &e) < 0)
            goto fail;
    for (int k = 0; k < r.nopened; k++)
        if (post_reminders(req, &l, &r.opened[k], opened_ids[k], cal, name, now_ts, &e) < 0)
            goto fail;
    if (audit_request_commit(req, "case.event", "case", http_printf(req, "%" PRId64, l.c.id), fields, &e) < 0)
        goto fail_nodb;
    json_decref(fields);
    json_decref(l.c.data);
    if (load_for(req, "case.read", &l, &e) < 0)
        return http_reply_err(rep, &e);
    return case_reply(req, rep, &l, 200);
fail:
    db_rollback(req->db);
fail_nodb:
    json_decref(fields);
    {
        int rc = transition_error(rep, &e, &l, open, nopen, extra_name, extra);
        loaded_free(&l);
        return rc;
    }
}

/* ---- materials of a case ---- */

static int case_target(struct http_req *req, int64_t id, struct authz_target *t, struct err *e)
{
    struct cases_case *c = http_alloc(req, sizeof *c);
    if (cases_store_load(req->db, req->district, id, c, e) < 0)
        return -1;
    json_decref(c->data);
    t->town_code = http_printf(req, "%s", c->town_code);
    t->institution_id = c->institution_id;
    return 0;
}

const struct materials_owner cases_materials_owner = {"case", case_target};

static int begin_upload(struct http_req *req, struct http_reply *rep)
{
    return materials_upload_begin(req, rep, &cases_materials_owner, http_param_id(req, "id"));
}
static int upload(struct http_req *req, struct http_reply *rep)
{
    return materials_upload(req, rep, &cases_materials_owner, http_param_id(req, "id"));
}
static int list_materials(struct http_req *req, struct http_reply *rep)
{
    return materials_list(req, rep, &cases_materials_owner, http_param_id(req, "id"));
}

/* ---- the inbox ---- */

/* A task row's step name and working days left, counted on the calendar ctx. */
static void fill_task(struct http_req *req, json_t *r, const struct cases_state *s, void *ctx)
{
    const char *due = json_string_value(json_object_get(r, "due_on"));
    const char *step_code = json_string_value(json_object_get(r, "step"));
    const char *step_name = step_code;
    for (int k = 0; s && s->steps[k]; k++)
        if (strcmp(s->steps[k]->code, step_code) == 0)
            step_name = s->steps[k]->name;
    json_object_set_new(r, "step_name", json_string(step_name));
    /* unknown (null) when the count reaches a year the calendar does not hold yet */
    struct err e = {0};
    int left = 0, counted = due && cases_working_days_left(ctx, req->today, due, &left, &e) == 0;
    json_object_set_new(r, "working_days_left", counted ? json_integer(left) : json_null());
}

static int list_tasks(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct http_page page;
    if (authz_scope(req, "task.list", "t.town_code", "t.institution_id", NULL, &scope, &e) < 0 ||
        http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    /* the actions the steps wait for that the caller's role may perform */
    const char *all[16], *actions[16];
    int nall = cases_step_actions(all, 16), nactions = 0;
    for (int i = 0; i < nall; i++)
        if (authz_role_may(req->user->role, all[i]))
            actions[nactions++] = all[i];
    char dept[24];
    const struct date_calendar *cal;
    if (cases_store_department_of(req->db, req->district, req->user->id, dept, &e) < 0 ||
        calendar_for_request(req, &cal, &e) < 0)
        return http_reply_err(rep, &e);
    struct cases_inbox_query q = {actions, nactions, dept, req->today, page.after_key ? page.after_key : "",
                                  page.after_id, page.limit + 1};
    json_t *rows;
    int64_t total, overdue;
    if (cases_store_inbox(req->db, req->district, scope.sql, &scope.params, &q, &rows, &total, &overdue, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = case_rows(req, &page, rows, "case_state", fill_task, (void *)cal);
    json_t *o = http_page_reply(req, &page, items);
    json_object_set_new(o, "total", json_integer(total));
    json_object_set_new(o, "overdue", json_integer(overdue));
    json_object_set_new(o, "today", json_string(req->today));
    return http_reply_json(rep, 200, o);
}

/* ---- processes, departments, the public list ---- */

static json_t *process_json(const struct cases_process *p)
{
    json_t *states = json_array();
    for (const struct cases_state *s = p->states; s->code; s++) {
        json_t *steps = json_array();
        for (int i = 0; s->steps[i]; i++)
            json_array_append_new(steps, json_pack("{s:s, s:s, s:s, s:o}", "code", s->steps[i]->code, "name",
                                                   s->steps[i]->name, "action", s->steps[i]->action, "department",
                                                   s->steps[i]->department ? json_string(s->steps[i]->department)
                                                                           : json_null()));
        json_array_append_new(states,
                              json_pack("{s:s, s:s, s:b, s:o}", "code", s->code, "name", s->name, "final", s->final, "steps", steps));
    }
    json_t *transitions = json_array();
    for (const struct cases_transition *t = p->transitions; t->event; t++)
        json_array_append_new(transitions, json_pack("{s:s, s:s, s:s, s:s, s:s}", "from", t->from, "event", t->event,
                                                     "to", t->to, "name", t->name, "action", t->action));
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "code", p->code, "name", p->name, "opens_on_status",
                     p->opens_on_status, "opened_by", p->opened_by ? json_string(p->opened_by) : json_null(), "states",
                     states, "transitions", transitions);
}

static int list_processes(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *items = json_array(), *departments;
    for (const struct cases_process *const *p = cases_processes; *p; p++)
        json_array_append_new(items, process_json(*p));
    if (cases_store_departments(req->db, req->district, &departments, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:o, s:o}", "items", items, "departments", departments));
}

static int public_filings(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *rows, *r;
    if (cases_store_public_filings(req->db, req->district, page.after_id, page.limit + 1, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = http_page_rows(req, &page, rows, "institution_id", NULL);
    size_t i;
    json_array_foreach(items, i, r)
    {
        const char *model = operating_model_name(json_string_value(json_object_get(r, "operating_model")));
        json_object_set_new(r, "operating_model_name", model ? json_string(model) : json_null());
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

/* A department reviewer's department (the security administrator's, like the rest of an account):
 * one per reviewer, a code of the district's departments. */
static int put_department(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct account_info a;
    const char *dept = json_string_value(json_object_get(http_body(req), "department"));
    if (users_load(req->db, req->district, http_param_id(req, "id"), &a, &e) < 0)
        return http_reply_err(rep, &e);
    if (!authz_role_may(a.role, "case.review"))
        return http_reply_error(rep, 422, "not_reviewer", "department", "只有部门审核员账号属于部门（%s 是%s）", a.login,
                                role_name(a.role));
    char before[24];
    if (cases_store_department_of(req->db, req->district, a.id, before, &e) < 0 || db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (cases_store_set_department(req->db, req->district, a.id, dept, &e) < 0) {
        db_rollback(req->db);
        return http_reply_err(rep, &e);
    }
    json_t *f = json_pack("{s:s, s:o}", "department", dept, "previous", before[0] ? json_string(before) : json_null());
    if (audit_write_commit(req, "user.department", "user", a.id, f, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)a.id, "login", a.login,
                                               "department", dept));
}

/* ---- schemas and routes ---- */

#include "cases/api.schemas.inc"

const struct route cases_routes[] = {
    {"GET", "/api/v1/processes", "session", list_processes, NULL, &PROCESSES},
    {"GET", "/api/v1/cases", "case.read", list_cases, NULL, &CASE_PAGE},
    {"POST", "/api/v1/cases", "case.create", create_case, &CREATE, &CASE, 201},
    {"GET", "/api/v1/cases/{id}", "case.read", get_case, NULL, &CASE},
    {"PUT", "/api/v1/cases/{id}/institution", "case.update", put_institution, &registry_schema, &CASE},
    {"PUT", "/api/v1/cases/{id}/checklist", "case.update", put_checklist, &cases_checklist_schema, &CASE},
    {"POST", "/api/v1/cases/{id}/events", "case.event", post_event, &EVENT, &CASE, 0,
     HTTP_SUBACTIONS("case.submit", "case.receive", "case.review", "case.decide", "case.town_check")},
    {"POST", "/api/v1/cases/{id}/materials", "material.upload", upload, &materials_upload_schema, &materials_schema, 201,
     .begin = begin_upload},
    {"GET", "/api/v1/cases/{id}/materials", "material.read", list_materials, NULL, &materials_page_schema},
    {"GET", "/api/v1/tasks", "task.list", list_tasks, NULL, &TASK_PAGE},
    {"GET", "/api/v1/public/filings", "public", public_filings, NULL, &FILING_PAGE},
    {"PUT", "/api/v1/users/{id}/department", "user.manage", put_department, &DEPARTMENT, &DEPARTMENT_REPLY},
    {NULL, NULL, NULL, NULL},
};
