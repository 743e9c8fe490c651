/* keytasks.c — key tasks of the pilot plan: their checks and states (keytasks.h). Pure. */
#include "keytasks/keytasks.h"

#include "base/json.h"

#include <stdio.h>
#include <string.h>

static const char *const OWNER_KINDS[][2] = {{"district", "区卫生健康局"}, {"department", "部门"}, {"town", "镇街"}};
static const char *const STATES[][2] = {
    {"planned", "未开始"}, {"in_progress", "进行中"}, {"done", "已完成"}, {"cancelled", "已取消"}};

const char *keytask_owner_kind_name(const char *kind)
{
    for (size_t i = 0; i < sizeof OWNER_KINDS / sizeof *OWNER_KINDS; i++)
        if (strcmp(OWNER_KINDS[i][0], kind) == 0)
            return OWNER_KINDS[i][1];
    return "";
}

const char *keytask_state_name(const char *state)
{
    for (size_t i = 0; i < sizeof STATES / sizeof *STATES; i++)
        if (strcmp(STATES[i][0], state) == 0)
            return STATES[i][1];
    return "";
}

int keytask_from_json(const json_t *body, struct keytask *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    jfield_copy(body, "item", out->item, sizeof out->item);
    jfield_copy(body, "title", out->title, sizeof out->title);
    jfield_copy(body, "description", out->description, sizeof out->description);
    jfield_copy(body, "owner_kind", out->owner_kind, sizeof out->owner_kind);
    jfield_copy(body, "owner_code", out->owner_code, sizeof out->owner_code);
    jfield_copy(body, "due_on", out->due_on, sizeof out->due_on);
    if (!keytask_owner_kind_name(out->owner_kind)[0])
        return err_set(e, 422, "bad_owner_kind", "owner_kind", "责任主体类型应为 district（区卫健局）、department（部门）或 town（镇街）：%s",
                       out->owner_kind);
    int district = strcmp(out->owner_kind, "district") == 0;
    if (!district && !out->owner_code[0])
        return err_set(e, 422, "owner_required", "owner_code", "请选择责任%s", keytask_owner_kind_name(out->owner_kind));
    if (district && out->owner_code[0])
        return err_set(e, 422, "owner_not_allowed", "owner_code", "区卫健局牵头的任务不填责任单位代码");
    const json_t *ms = json_object_get(body, "milestones");
    size_t i;
    const json_t *m;
    json_array_foreach(ms, i, m) {
        struct keytask_milestone *k = &out->milestones[out->nmilestones++];
        jfield_copy(m, "title", k->title, sizeof k->title);
        jfield_copy(m, "due_on", k->due_on, sizeof k->due_on);
        if (strcmp(k->due_on, out->due_on) > 0) {
            char field[40];
            snprintf(field, sizeof field, "milestones[%zu].due_on", i);
            return err_set(e, 422, "milestone_after_deadline", field, "节点时间 %s 晚于任务完成时限 %s", k->due_on,
                           out->due_on);
        }
    }
    return 0;
}

static int closed(const char *state) { return strcmp(state, "done") == 0 || strcmp(state, "cancelled") == 0; }

int keytask_report_check(const char *from, const char *to, const char *note, struct err *e)
{
    if (closed(from))
        return err_set(e, 409, "task_closed", "", "任务%s，不再报送进展", keytask_state_name(from));
    if (strcmp(to, "in_progress") != 0 && strcmp(to, "done") != 0)
        return err_set(e, 422, "bad_state", "state", "进展报送的状态应为 in_progress（进行中）或 done（已完成）：%s", to);
    if (!note || !note[strspn(note, " \t\r\n")])
        return err_set(e, 422, "note_required", "note", "请填写工作进展");
    return 0;
}

int keytask_done_check(int evidence, struct err *e)
{
    if (evidence < 1)
        return err_set(e, 422, "evidence_required", "state", "标记完成前请上传佐证材料");
    return 0;
}

int keytask_overdue(const char *state, const char *due_on, const char *done_on, const char *today)
{
    if (done_on && done_on[0])
        return 0;
    return !closed(state) && strcmp(due_on, today) < 0;
}

#include "keytasks/keytasks.schemas.inc"
