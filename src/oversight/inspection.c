/* inspection.c — the inspection checklist and the checks of a recorded inspection (inspection.h). */
#include "oversight/inspection.h"

#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "registry/registry.h"
#include "staff/staff.h"

#include "oversight/inspection.schemas.inc"

/* The rule names, registry's then staff's, merged into one object. */
static json_t *rule_names(void)
{
    json_t *names = registry_rule_names_json();
    json_object_update_new(names, staff_rule_names_json());
    return names;
}

json_t *inspection_checklist_json(void)
{
    json_t *names = rule_names(), *items = json_array(), *v;
    const char *code;
    json_object_foreach(names, code, v)
        json_array_append_new(items, json_pack("{s:s, s:O}", "code", code, "name", v));
    json_array_append_new(items, json_pack("{s:s, s:s}", "code", "other", "name", "其他（督查组填写）"));
    json_decref(names);
    return json_pack("{s:o}", "items", items);
}

int inspection_from_json(const json_t *body, const char *today, struct inspection *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    jfield_copy(body, "kind", out->kind, sizeof out->kind);
    jfield_copy(body, "inspected_on", out->inspected_on, sizeof out->inspected_on);
    jfield_copy(body, "team", out->team, sizeof out->team);
    jfield_copy(body, "summary", out->summary, sizeof out->summary);
    if (strcmp(out->kind, "planned") && strcmp(out->kind, "unannounced"))
        return err_set(e, 422, "bad_kind", "kind", "督查方式应为 planned（计划督查）或 unannounced（飞行检查）：%s", out->kind);
    if (strcmp(out->inspected_on, today) > 0)
        return err_set(e, 422, "future_date", "inspected_on", "督查日期不能晚于今天（%s）", today);
    json_t *names = rule_names();
    size_t i;
    const json_t *p;
    int rc = 0;
    json_array_foreach(json_object_get(body, "items"), i, p)
    {
        struct inspection_point *x = &out->points[out->npoints];
        char field[48];
        jfield_copy(p, "code", x->code, sizeof x->code);
        jfield_copy(p, "name", x->name, sizeof x->name);
        jfield_copy(p, "result", x->result, sizeof x->result);
        jfield_copy(p, "note", x->note, sizeof x->note);
        const char *known = json_string_value(json_object_get(names, x->code));
        snprintf(field, sizeof field, "items[%zu].code", i);
        if (strcmp(x->code, "other") == 0) {
            if (!x->name[0]) {
                snprintf(field, sizeof field, "items[%zu].name", i);
                rc = err_set(e, 422, "other_needs_name", field, "“其他”检查项须写明名称");
                break;
            }
        } else if (!known) {
            rc = err_set(e, 422, "unknown_point", field, "检查项 %s 不在督查清单中", x->code);
            break;
        } else {
            snprintf(x->name, sizeof x->name, "%s", known);
            for (int k = 0; k < out->npoints; k++)
                if (strcmp(out->points[k].code, x->code) == 0) {
                    rc = err_set(e, 422, "duplicate_point", field, "检查项「%s」重复", known);
                    break;
                }
            if (rc)
                break;
        }
        snprintf(field, sizeof field, "items[%zu].result", i);
        if (strcmp(x->result, "pass") && strcmp(x->result, "fail") && strcmp(x->result, "na")) {
            rc = err_set(e, 422, "bad_result", field, "检查结果应为 pass（符合）、fail（不符合）或 na（不适用）：%s", x->result);
            break;
        }
        if (strcmp(x->result, "fail") == 0 && !x->note[0]) {
            snprintf(field, sizeof field, "items[%zu].note", i);
            rc = err_set(e, 422, "note_required", field, "「%s」不符合，请写明发现的问题", x->name);
            break;
        }
        out->npoints++;
    }
    json_decref(names);
    if (rc == 0 && out->npoints == 0)
        rc = err_set(e, 422, "empty_checklist", "items", "请至少填写一个检查项");
    return rc;
}
