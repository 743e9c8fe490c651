/* api.c — the pilot's key-task plan (重点工作计划, issue 19 item 3):
 *   GET  /api/v1/key-tasks[?owner_kind=&owner_code=&state=&overdue=1]  the plan, in deadline
 *        order, each task with its owner, milestones, evidence count and whether it is overdue;
 *        and each owner's tally (the plan by owner)
 *   GET  /api/v1/key-tasks/{id}                   one task with its progress reports
 *   POST /api/v1/key-tasks, PUT /api/v1/key-tasks/{id}   the district writes a task
 *   POST /api/v1/key-tasks/{id}/reports           the owner reports progress (a town officer their
 *        town's tasks; the district any, and those of departments, which report to it); done only
 *        with evidence attached
 *   POST /api/v1/key-tasks/{id}/cancel            the district cancels one, with its reason
 *   POST|GET /api/v1/key-tasks/{id}/materials     its evidence
 * Every write has its audit row in its transaction; the rules are keytasks.c's. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "keytasks/api.h"
#include "keytasks/store.h"

static const char *now_ts(struct http_req *req)
{
    char *ts = http_alloc(req, DATE_TIMESTAMP_LEN);
    date_format_timestamp(req->now, ts, DATE_TIMESTAMP_LEN);
    return ts;
}

/* The place of a task in the jurisdiction tree: a town's task is the town's; the district's and
 * departments' are the district's (only district-wide roles reach them). */
static void target_of(struct http_req *req, const struct keytask_head *h, struct authz_target *t)
{
    *t = (struct authz_target){.town_code = strcmp(h->owner_kind, "town") == 0 ? http_printf(req, "%s", h->owner_code) : NULL};
}

/* The whole plan is read by whoever the policy lets read it: a town officer at their own town. */
static int require_reader(struct http_req *req, struct err *e)
{
    return authz_require(req, "plan.read", &(struct authz_target){.town_code = authz_town_of(req->user)}, e);
}

/* The task of the path with action checked on it. */
static int load_for(struct http_req *req, const char *action, struct keytask_head *h, struct err *e)
{
    struct authz_target t;
    if (keytasks_store_load(req->db, req->district, http_param_id(req, "id"), h, e) < 0)
        return -1;
    target_of(req, h, &t);
    /* the plan is read whole by whoever may read it; acting on a task needs its owner's reach */
    return strcmp(action, "plan.read") == 0 ? require_reader(req, e) : authz_require(req, action, &t, e);
}

static int reply_task(struct http_req *req, struct http_reply *rep, int64_t id, int status)
{
    struct err e = {0};
    json_t *tasks;
    if (keytasks_store_list(req->db, req->district, id, req->today, &tasks, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *one = json_incref(json_array_get(tasks, 0));
    json_decref(tasks);
    if (!one)
        return http_reply_error(rep, 404, "not_found", "id", "未找到该重点工作任务");
    return http_reply_json(rep, status, one);
}

static int matches(const json_t *task, const char *name, const char *want)
{
    return !want || strcmp(json_string_value(json_object_get(task, name)), want) == 0;
}

static int list_tasks(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *tasks;
    if (require_reader(req, &e) < 0 ||
        keytasks_store_list(req->db, req->district, 0, req->today, &tasks, &e) < 0)
        return http_reply_err(rep, &e);
    const char *kind = http_query(req, "owner_kind"), *code = http_query(req, "owner_code"),
               *state = http_query(req, "state"), *overdue = http_query(req, "overdue");
    json_t *items = json_array(), *owners = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t) {
        int late = json_is_true(json_object_get(t, "overdue"));
        /* the tally by owner counts the whole plan; the list what the filters keep */
        json_t *o = NULL;
        for (size_t j = 0; j < json_array_size(owners) && !o; j++) {
            json_t *c = json_array_get(owners, j);
            if (matches(t, "owner_kind", json_string_value(json_object_get(c, "owner_kind"))) &&
                matches(t, "owner_code", json_string_value(json_object_get(c, "owner_code"))))
                o = c;
        }
        if (!o) {
            o = json_pack("{s:O, s:O, s:O, s:i, s:i, s:i}", "owner_kind", json_object_get(t, "owner_kind"), "owner_code",
                          json_object_get(t, "owner_code"), "owner_name", json_object_get(t, "owner_name"), "tasks", 0,
                          "done", 0, "overdue", 0);
            json_array_append_new(owners, o);
        }
        json_object_set_new(o, "tasks", json_integer(json_integer_value(json_object_get(o, "tasks")) + 1));
        json_object_set_new(o, "done", json_integer(json_integer_value(json_object_get(o, "done")) +
                                                    matches(t, "state", "done")));
        json_object_set_new(o, "overdue", json_integer(json_integer_value(json_object_get(o, "overdue")) + late));
        if (matches(t, "owner_kind", kind) && matches(t, "owner_code", code) && matches(t, "state", state) &&
            (!overdue || strcmp(overdue, "1") || late))
            json_array_append(items, t);
    }
    json_decref(tasks);
    return http_reply_json(rep, 200, json_pack("{s:s, s:o, s:o}", "as_of", req->today, "items", items, "owners", owners));
}

static int get_task(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct keytask_head h;
    if (load_for(req, "plan.read", &h, &e) < 0)
        return http_reply_err(rep, &e);
    return reply_task(req, rep, h.id, 200);
}

/* The body as a task whose owner the district has. */
static int task_of(struct http_req *req, struct keytask *t, struct err *e)
{
    if (keytask_from_json(http_body(req), t, e) < 0)
        return -1;
    int known = keytasks_store_owner_known(req->db, req->district, t->owner_kind, t->owner_code, e);
    if (known < 0)
        return -1;
    if (!known)
        return err_set(e, 422, "unknown_owner", "owner_code", "没有这个责任%s：%s", keytask_owner_kind_name(t->owner_kind),
                       t->owner_code);
    return 0;
}

static json_t *task_fields(const struct keytask *t)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "item", t->item, "title", t->title, "owner_kind", t->owner_kind,
                     "owner_code", t->owner_code, "due_on", t->due_on, "milestones", t->nmilestones);
}

static int create_task(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct keytask *t = http_alloc(req, sizeof *t);
    int64_t id;
    if (authz_require(req, "plan.manage", &(struct authz_target){0}, &e) < 0 || task_of(req, t, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_begin(req->db, &e) < 0 ||
        keytasks_store_insert(req->db, req->district, t, req->user->id, now_ts(req), &id, &e) < 0 ||
        audit_write_commit(req, "plan.create", "key_task", id, task_fields(t), &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return reply_task(req, rep, id, 201);
}

static int update_task(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct keytask_head h;
    struct keytask *t = http_alloc(req, sizeof *t);
    if (load_for(req, "plan.manage", &h, &e) < 0 || task_of(req, t, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_begin(req->db, &e) < 0 || keytasks_store_replace(req->db, h.id, t, now_ts(req), &e) < 0 ||
        audit_write_commit(req, "plan.update", "key_task", h.id, task_fields(t), &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return reply_task(req, rep, h.id, 200);
}

static int report(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct keytask_head h;
    if (load_for(req, "plan.report", &h, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    const char *state = json_string_value(json_object_get(body, "state"));
    const char *note = json_string_value(json_object_get(body, "note"));
    int done[KEYTASK_MAX_MILESTONES], ndone = 0;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(body, "milestones_done"), i, p) {
        json_int_t pos = json_integer_value(p);
        if (pos >= h.nmilestones)
            return http_reply_error(rep, 422, "unknown_milestone", http_printf(req, "milestones_done[%zu]", i),
                                    "该任务没有第 %lld 个节点", (long long)pos + 1);
        done[ndone++] = (int)pos;
    }
    if (keytask_report_check(h.state, state, note, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    /* the evidence is counted in the transaction that marks the task done */
    int evidence = 0;
    if (strcmp(state, "done") == 0 &&
        (keytasks_store_evidence(req->db, req->district, h.id, &evidence, &e) < 0 ||
         keytask_done_check(evidence, &e) < 0))
        return http_reply_rollback(req, rep, &e);
    if (keytasks_store_report(req->db, h.id, state, note, done, ndone, req->today, req->user->id, now_ts(req), &e) < 0 ||
        audit_write_commit(req, "plan.report", "key_task", h.id,
                           json_pack("{s:s, s:s, s:O?, s:i}", "from", h.state, "to", state, "milestones_done",
                                     json_object_get(body, "milestones_done"), "evidence", evidence),
                           &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return reply_task(req, rep, h.id, 200);
}

static int cancel(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct keytask_head h;
    if (load_for(req, "plan.manage", &h, &e) < 0)
        return http_reply_err(rep, &e);
    if (strcmp(h.state, "done") == 0 || strcmp(h.state, "cancelled") == 0)
        return http_reply_error(rep, 409, "task_closed", "", "任务%s，不能取消", keytask_state_name(h.state));
    const char *reason = json_string_value(json_object_get(http_body(req), "reason"));
    if (db_begin(req->db, &e) < 0 || keytasks_store_cancel(req->db, h.id, reason, req->user->id, now_ts(req), &e) < 0 ||
        audit_write_commit(req, "plan.cancel", "key_task", h.id, json_pack("{s:s, s:s}", "from", h.state, "reason", reason),
                           &e) < 0)
        return http_reply_rollback(req, rep, &e);
    return reply_task(req, rep, h.id, 200);
}

/* ---- evidence ---- */

static int task_target(struct http_req *req, int64_t id, struct authz_target *t, struct err *e)
{
    struct keytask_head h;
    if (keytasks_store_load(req->db, req->district, id, &h, e) < 0)
        return -1;
    target_of(req, &h, t);
    return 0;
}

const struct materials_owner keytasks_materials_owner = {"key_task", task_target};

static int begin_upload(struct http_req *req, struct http_reply *rep)
{
    return materials_upload_begin(req, rep, &keytasks_materials_owner, http_param_id(req, "id"));
}
static int upload(struct http_req *req, struct http_reply *rep)
{
    return materials_upload(req, rep, &keytasks_materials_owner, http_param_id(req, "id"));
}
static int list_materials(struct http_req *req, struct http_reply *rep)
{
    return materials_list(req, rep, &keytasks_materials_owner, http_param_id(req, "id"));
}

/* ---- schemas ---- */

#include "keytasks/api.schemas.inc"

const struct route keytasks_routes[] = {
    {"GET", "/api/v1/key-tasks", "plan.read", list_tasks, NULL, &PLAN},
    {"POST", "/api/v1/key-tasks", "plan.manage", create_task, &keytask_schema, &TASK, 201},
    {"GET", "/api/v1/key-tasks/{id}", "plan.read", get_task, NULL, &TASK},
    {"PUT", "/api/v1/key-tasks/{id}", "plan.manage", update_task, &keytask_schema, &TASK},
    {"POST", "/api/v1/key-tasks/{id}/reports", "plan.report", report, &keytask_report_schema, &TASK},
    {"POST", "/api/v1/key-tasks/{id}/cancel", "plan.manage", cancel, &CANCEL, &TASK},
    /* the task's own actions gate its evidence (material.* is then asked of its owner's place) */
    {"POST", "/api/v1/key-tasks/{id}/materials", "plan.report", upload, &materials_upload_schema, &materials_schema,
     201, .begin = begin_upload},
    {"GET", "/api/v1/key-tasks/{id}/materials", "plan.read", list_materials, NULL, &materials_page_schema},
    {NULL, NULL, NULL, NULL},
};
