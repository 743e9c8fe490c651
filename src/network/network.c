/* network.c — request bodies of instructors' assignments and duties, and their checks (network.h). */
#include "network/network.h"

#include <stdio.h>
#include <string.h>

#include "base/json.h"

#include "network/network.schemas.inc"

/* "" for an absent optional string. */
static const char *text_or_empty(const json_t *body, const char *key)
{
    const char *s = jfield_text(body, key);
    return s ? s : "";
}

int network_attendance_from_json(const json_t *body, int64_t *came, int *n, struct err *e)
{
    const json_t *list = json_object_get(body, "came");
    size_t k;
    json_t *v;
    *n = 0;
    json_array_foreach(list, k, v) {
        int64_t id = json_integer_value(v);
        for (int i = 0; i < *n; i++)
            if (came[i] == id)
                return err_set(e, 422, "duplicate", "came", "报名编号 %lld 重复", (long long)id);
        if (*n == NETWORK_MAX_ATTENDEES)
            return err_set(e, 422, "too_many", "came", "一次最多签到 %d 个家庭", NETWORK_MAX_ATTENDEES);
        came[(*n)++] = id;
    }
    return 0;
}

const char *network_age_band_name(const char *code)
{
    static const struct {
        const char *code, *name;
    } BANDS[] = {{"0_12", "0～12月龄"}, {"12_24", "12～24月龄"}, {"24_36", "24～36月龄"}, {"0_36", "0～3岁"}};
    for (size_t i = 0; code && i < sizeof BANDS / sizeof *BANDS; i++)
        if (strcmp(BANDS[i].code, code) == 0)
            return BANDS[i].name;
    return NULL;
}

int network_activity_from_json(const json_t *body, int64_t now, struct network_activity *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->topic = text_or_empty(body, "topic");
    out->age_band = text_or_empty(body, "age_band");
    out->place = text_or_empty(body, "place");
    out->host = text_or_empty(body, "host");
    out->town_code = jfield_text(body, "town_code");
    out->capacity = (int64_t)jfield_number(body, "capacity");
    if (!network_age_band_name(out->age_band))
        return err_set(e, 422, "bad_age_band", "age_band", "适合月龄应为 0_12、12_24、24_36 或 0_36");
    int64_t starts;
    if (date_parse_timestamp(jfield_text(body, "starts_at"), &starts) < 0)
        return err_set(e, 422, "bad_time", "starts_at", "时间格式无效（应为带时区的 ISO 8601 时间，如 2026-12-05T09:30:00+08:00）");
    if (starts <= now)
        return err_set(e, 422, "past_time", "starts_at", "开始时间应晚于现在");
    date_format_timestamp(starts, out->starts_at, sizeof out->starts_at);
    return 0;
}

int network_day_from_json(const json_t *body, const char *key, const char *today, char out[DATE_DAY_LEN],
                          struct err *e)
{
    const char *day = jfield_text(body, key);
    snprintf(out, DATE_DAY_LEN, "%s", day ? day : today);
    if (strcmp(out, today) > 0)
        return err_set(e, 422, "future_date", key, "日期不能晚于今天");
    return 0;
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

int network_year_bounds(const char *year, char from[DATE_TIMESTAMP_LEN], char to[DATE_TIMESTAMP_LEN])
{
    char first[DATE_DAY_LEN], next[DATE_DAY_LEN];
    int64_t t0, t1;
    if (!year || strlen(year) != 4 || strspn(year, "0123456789") != 4)
        return -1;
    snprintf(first, sizeof first, "%s-01-01", year);
    if (date_add_years(first, 1, next) < 0 || date_day_start(first, &t0) < 0 || date_day_start(next, &t1) < 0)
        return -1;
    date_format_timestamp(t0, from, DATE_TIMESTAMP_LEN);
    date_format_timestamp(t1, to, DATE_TIMESTAMP_LEN);
    return 0;
}
