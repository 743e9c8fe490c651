/* network.c — request bodies of instructors' assignments and duties, and their checks (network.h). */
#include "network/network.h"

#include <stdio.h>
#include <string.h>

#include "base/json.h"

const struct http_schema network_assign_schema = {
    NULL, HTTP_OBJECT, 0, "分配健康指导员",
    .members = (const struct http_schema[]){
        {"user_id", HTTP_ID, HTTP_REQUIRED, "健康指导员账号编号"},
        {"from", HTTP_DATE, 0, "起始日期（默认今天，不能晚于今天）"},
        {NULL}}};

const struct http_schema network_unassign_schema = {
    NULL, HTTP_OBJECT, 0, "结束健康指导员的分配",
    .members = (const struct http_schema[]){
        {"user_id", HTTP_ID, HTTP_REQUIRED, "健康指导员账号编号"},
        {"to", HTTP_DATE, 0, "最后一天（默认今天，不能晚于今天、不能早于起始日期）"},
        {NULL}}};

const struct http_schema network_duty_schema = {
    NULL, HTTP_OBJECT, 0, "健康指导员履职记录",
    .members = (const struct http_schema[]){
        {"kind", HTTP_STRING, HTTP_REQUIRED, "类别：visit 实地指导、lecture 健康知识讲座、review 卫生保健工作梳理", 16},
        {"date", HTTP_DATE, HTTP_REQUIRED, "日期（不能晚于今天）"},
        {"content", HTTP_STRING, HTTP_REQUIRED, "内容（讲座主题）", 2000},
        {"findings", HTTP_STRING, 0, "发现的问题", 4000},
        {"advice", HTTP_STRING, 0, "指导意见", 4000},
        {"follow_up", HTTP_STRING, 0, "需跟进的事项（仅实地指导）", 2000},
        {"follow_up_by", HTTP_DATE, 0, "跟进期限（仅实地指导）"},
        {NULL}}};

int network_day_from_json(const json_t *body, const char *key, const char *today, char out[DATE_DAY_LEN],
                          struct err *e)
{
    const char *day = jfield_text(body, key);
    snprintf(out, DATE_DAY_LEN, "%s", day ? day : today);
    if (strcmp(out, today) > 0)
        return err_set(e, 422, "future_date", key, "日期不能晚于今天");
    return 0;
}

/* "" for an absent optional string. */
static const char *text_or_empty(const json_t *body, const char *key)
{
    const char *s = jfield_text(body, key);
    return s ? s : "";
}

int network_duty_from_json(const json_t *body, const char *today, const char *assigned_from, struct network_duty *out,
                           struct err *e)
{
    memset(out, 0, sizeof *out);
    int kind = network_kind_from_code(jfield_text(body, "kind"));
    if (kind < 0)
        return err_set(e, 422, "bad_kind", "kind", "类别应为 visit（实地指导）、lecture（健康知识讲座）或 review（卫生保健工作梳理）");
    out->kind = (enum network_kind)kind;
    snprintf(out->done_on, sizeof out->done_on, "%s", text_or_empty(body, "date"));
    if (strcmp(out->done_on, today) > 0)
        return err_set(e, 422, "future_date", "date", "不能登记今天以后的履职");
    if (strcmp(out->done_on, assigned_from) < 0)
        return err_set(e, 422, "before_assignment", "date", "日期早于您被分配指导该机构的日期（%s）", assigned_from);
    out->content = text_or_empty(body, "content");
    out->findings = text_or_empty(body, "findings");
    out->advice = text_or_empty(body, "advice");
    out->follow_up = text_or_empty(body, "follow_up");
    out->follow_up_by = jfield_text(body, "follow_up_by");
    if (out->kind != NETWORK_VISIT && (out->follow_up[0] || out->follow_up_by))
        return err_set(e, 422, "follow_up_not_visit", out->follow_up[0] ? "follow_up" : "follow_up_by",
                       "只有实地指导记录跟进事项");
    if (out->follow_up_by && !out->follow_up[0])
        return err_set(e, 422, "required", "follow_up", "填写跟进期限时须写明跟进事项");
    if (out->follow_up_by && strcmp(out->follow_up_by, out->done_on) < 0)
        return err_set(e, 422, "bad_follow_up_by", "follow_up_by", "跟进期限不能早于指导日期");
    return 0;
}
