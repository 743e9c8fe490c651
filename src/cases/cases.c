/* cases.c — the cases engine's transition function (cases.h): which event a state allows, who may
 * fire it, which tasks it closes and opens, and their deadlines in working or calendar days.
 * Pure: no database, no clock. */
#include "cases/cases.h"

#include <stdio.h>
#include <string.h>

#include "registry/registry.h"

const struct cases_process *cases_process(const char *code)
{
    for (const struct cases_process *const *p = cases_processes; code && *p; p++)
        if (strcmp((*p)->code, code) == 0)
            return *p;
    return NULL;
}

const struct cases_state *cases_state(const struct cases_process *p, const char *code)
{
    for (const struct cases_state *s = p->states; code && s->code; s++)
        if (strcmp(s->code, code) == 0)
            return s;
    return NULL;
}

/* Is kind one of the comma-separated kinds (none: every kind), or, with except, not one of them? */
static int kind_applies(const char *kinds, int except, const char *kind)
{
    if (!kinds)
        return 1;
    size_t n = strlen(kind ? kind : "");
    int listed = 0;
    for (const char *k = kinds; *k && !listed;) {
        size_t len = strcspn(k, ",");
        listed = n && len == n && strncmp(k, kind, n) == 0;
        k += len + (k[len] == ',');
    }
    return except ? !listed : listed;
}

int cases_step_applies(const struct cases_step *s, const char *kind) { return kind_applies(s->kinds, s->except, kind); }

static int need_holds(const struct cases_need *n, const struct institution *in, const json_t *data)
{
    if (!kind_applies(n->kinds, n->except, in->operating_model))
        return 0;
    switch (n->when) {
    case CASES_IF_MEALS:
        return json_is_true(json_object_get(data, "meals"));
    case CASES_IF_PROFIT:
        return in->profit;
    default:
        return 1;
    }
}

int cases_checklist(const struct cases_process *p, const struct institution *in, const json_t *data,
                    struct cases_checklist_entry *out, int max)
{
    int n = 0;
    for (const struct cases_state *s = p->states; s->code; s++)
        for (int i = 0; s->steps[i]; i++) {
            const struct cases_step *st = s->steps[i];
            if (!st->needs || !cases_step_applies(st, in->operating_model))
                continue;
            for (const struct cases_need *nd = st->needs; nd->item; nd++) {
                const struct cases_checklist_item *item = cases_checklist_item(nd->item);
                if (!item || !need_holds(nd, in, data))
                    continue;
                /* in the catalogue's order: find the item or the place it goes */
                int k = 0;
                while (k < n && out[k].item < item)
                    k++;
                if (k == n || out[k].item != item) {
                    if (n == max)
                        continue;
                    memmove(&out[k + 1], &out[k], (size_t)(n - k) * sizeof *out);
                    out[k] = (struct cases_checklist_entry){.item = item};
                    n++;
                }
                int seen = 0;
                for (int j = 0; j < out[k].nsteps && !seen; j++)
                    seen = strcmp(out[k].steps[j]->code, st->code) == 0;
                if (!seen && out[k].nsteps < CASES_MAX_NEEDING)
                    out[k].steps[out[k].nsteps++] = st;
            }
        }
    return n;
}

json_t *cases_missing_materials(const struct cases_process *p, const struct institution *in, const json_t *data,
                                const int64_t *active_ids, int nactive)
{
    struct cases_checklist_entry need[16];
    int n = cases_checklist(p, in, data, need, 16);
    json_t *missing = json_array();
    for (int k = 0; k < n; k++) {
        int found = 0;
        json_t *m;
        size_t i;
        json_array_foreach(json_object_get(data, "materials"), i, m)
        {
            if (strcmp(json_string_value(json_object_get(m, "item")), need[k].item->code))
                continue;
            int64_t id = json_integer_value(json_object_get(m, "material_id"));
            for (int a = 0; a < nactive && !found; a++)
                found = active_ids[a] == id;
        }
        if (!found)
            json_array_append_new(missing, json_pack("{s:s, s:s}", "item", need[k].item->code, "name", need[k].item->name));
    }
    return missing;
}

int cases_step_actions(const char **out, int max)
{
    int n = 0;
    for (const struct cases_process *const *p = cases_processes; *p; p++)
        for (const struct cases_state *s = (*p)->states; s->code; s++)
            for (int i = 0; s->steps[i]; i++) {
                int seen = 0;
                for (int k = 0; k < n && !seen; k++)
                    seen = strcmp(out[k], s->steps[i]->action) == 0;
                if (!seen && n < max)
                    out[n++] = s->steps[i]->action;
            }
    return n;
}

/* Is step code one of state s's steps? */
static const struct cases_step *state_step(const struct cases_state *s, const char *code)
{
    for (int i = 0; s && s->steps[i]; i++)
        if (strcmp(s->steps[i]->code, code) == 0)
            return s->steps[i];
    return NULL;
}

/* Is one of the open tasks a task of state s whose step has action? */
static int task_open_for(const struct cases_state *s, const struct cases_task *open, int nopen, const char *action)
{
    for (int i = 0; i < nopen; i++) {
        const struct cases_step *st = state_step(s, open[i].step);
        if (st && strcmp(st->action, action) == 0)
            return 1;
    }
    return 0;
}

json_t *cases_allowed_events(const struct cases_process *p, const char *state, const struct cases_task *open, int nopen)
{
    json_t *a = json_array();
    const struct cases_state *s = cases_state(p, state);
    for (const struct cases_transition *t = p->transitions; s && t->event; t++)
        if (strcmp(t->from, state) == 0 && (!t->on_task || task_open_for(s, open, nopen, t->action)))
            json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "event", t->event, "name", t->name, "action", t->action));
    return a;
}

int cases_due(const struct cases_step *s, const char *submitted_on, const char *entered, const struct cases_clock *clk,
              char out[DATE_DAY_LEN], struct err *e)
{
    out[0] = '\0';
    if (!s->due_param)
        return 0;
    double n;
    if (params_num(clk->params, s->due_param, &n, e) < 0)
        return -1;
    const char *from = s->due_from == CASES_FROM_SUBMITTED && submitted_on && submitted_on[0] ? submitted_on : entered;
    if (s->working) {
        if (date_add_working_days(clk->cal, from, (int)n, out, e) < 0) {
            snprintf(e->field, sizeof e->field, "due_on");
            return -1;
        }
        return 0;
    }
    if (date_add_days(from, (int64_t)n, out) < 0)
        return err_set(e, 422, "bad_date", "due_on", "期限日期无效：%s 起 %d 日", from, (int)n);
    return 0;
}

int cases_working_days_left(const struct date_calendar *cal, const char *today, const char *due, int *out,
                            struct err *e)
{
    int cmp = strcmp(due, today), step = cmp >= 0 ? 1 : -1, k = 0;
    char d[DATE_DAY_LEN];
    /* a deadline is at most a few months away or past: count working day by working day */
    for (k = 0; k < DATE_MAX_WORKING_DAYS; k++) {
        if (date_add_working_days(cal, today, step * (k + 1), d, e) < 0)
            return -1;
        if (step > 0 ? strcmp(d, due) > 0 : strcmp(d, due) < 0)
            break;
    }
    *out = step * k;
    return 0;
}

/* The transition of event from state, NULL when none. */
static const struct cases_transition *find_transition(const struct cases_process *p, const char *state,
                                                      const char *event)
{
    for (const struct cases_transition *t = p->transitions; event && t->event; t++)
        if (strcmp(t->from, state) == 0 && strcmp(t->event, event) == 0)
            return t;
    return NULL;
}

static int not_allowed(const struct cases_process *p, const char *state, const char *event, struct err *e)
{
    char list[256] = "";
    size_t len = 0;
    for (const struct cases_transition *t = p->transitions; t->event; t++)
        if (strcmp(t->from, state) == 0 && len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s（%s）", len ? "、" : "", t->event, t->name);
    const struct cases_state *s = cases_state(p, state);
    return err_set(e, 409, "event_not_allowed", "event", "案件处于“%s”，不能执行“%s”；可执行：%s", s ? s->name : state,
                   event ? event : "", list[0] ? list : "无");
}

int cases_transition(const struct cases_process *p, const char *kind, const char *state, const char *submitted_on,
                     const struct cases_task *open, int nopen, const char *event, int64_t task_id, const char *comment,
                     const struct cases_actor *actor, const struct cases_clock *clk, struct cases_result *out,
                     struct err *e)
{
    memset(out, 0, sizeof *out);
    const struct cases_state *from = cases_state(p, state);
    const struct cases_transition *t = from ? find_transition(p, state, event) : NULL;
    if (!t)
        return not_allowed(p, state, event, e);
    out->t = t;
    snprintf(out->submitted_on, sizeof out->submitted_on, "%s", submitted_on ? submitted_on : "");

    /* who may, before anything about the task: a refusal says nothing of the case's tasks */
    if (!actor->may(actor->ctx, t->action))
        return err_set(e, 403, "forbidden", "", "当前角色无权执行“%s”", t->name);
    const struct cases_task *task = NULL;
    if (t->on_task) {
        for (int i = 0; i < nopen && !task; i++) {
            const struct cases_step *st = state_step(from, open[i].step);
            if (!st || strcmp(st->action, t->action))
                continue;
            if (task_id ? open[i].id == task_id : 1)
                task = &open[i];
        }
        if (!task)
            return err_set(e, 409, "task_closed", "task_id", "该待办已办结或不属于此案件的当前环节");
        /* without a task id the transition takes the only task it may act on */
        if (!task_id)
            for (const struct cases_task *x = task + 1; x < open + nopen; x++)
                if (state_step(from, x->step) && strcmp(x->action, t->action) == 0)
                    return err_set(e, 422, "task_required", "task_id", "此环节有多个待办，请指明待办编号");
    }
    if (task && task->department[0] && strcmp(task->department, actor->department ? actor->department : ""))
        return err_set(e, 403, "other_department", "task_id", "该待办属于其他部门，本部门不能办理");
    if (t->needs_comment && (!comment || !comment[0]))
        return err_set(e, 422, "comment_required", "comment", "请填写意见（说明需要补正的事项）");
    if (task)
        out->done_task = task->id;
    if (t->submits)
        snprintf(out->submitted_on, sizeof out->submitted_on, "%s", clk->today);

    /* parallel: the case stays while another task of the state is still open */
    if (t->wait_all)
        for (int i = 0; i < nopen; i++)
            if (open[i].id != out->done_task && state_step(from, open[i].step)) {
                out->to = from->code;
                return 0;
            }

    const struct cases_state *to = cases_state(p, t->to);
    if (!to)
        return err_set(e, 500, "bad_process", "", "流程定义有误：状态 %s 不存在", t->to);
    out->to = to->code;
    out->entered = 1;
    out->final = to->final;
    for (int i = 0; i < nopen && out->ncancelled < CASES_MAX_OPEN; i++)
        if (open[i].id != out->done_task)
            out->cancelled[out->ncancelled++] = open[i].id;
    for (int i = 0; to->steps[i]; i++) {
        if (!cases_step_applies(to->steps[i], kind))
            continue;
        struct cases_opened *o = &out->opened[out->nopened++];
        o->step = to->steps[i];
        if (cases_due(o->step, out->submitted_on, clk->today, clk, o->due_on, e) < 0)
            return -1;
    }
    return 0;
}
