/* outdoor.c — a class's outdoor time on a day of care, the pure part (outdoor.h): the record's
 * body, whether a day fell short of 管理规范 第十八条's minimum, and the findings over the days an
 * institution had children in care. */
#include "care/outdoor.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"

#include "care/outdoor.schemas.inc"

/* The weather 第十八条 allows the time to be adjusted for ("寒冷、炎热季节或特殊天气情况"). */
static const struct {
    const char *code, *name;
} WEATHER[] = {{"cold", "寒冷"}, {"heat", "炎热"}, {"rain", "雨雪"}, {"air", "重污染天气"}};

const char *care_weather_name(const char *code)
{
    for (size_t i = 0; code && i < sizeof WEATHER / sizeof *WEATHER; i++)
        if (strcmp(WEATHER[i].code, code) == 0)
            return WEATHER[i].name;
    return NULL;
}

json_t *care_weather_json(void)
{
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof WEATHER / sizeof *WEATHER; i++)
        json_object_set_new(o, WEATHER[i].code, json_string(WEATHER[i].name));
    return o;
}

json_t *care_outdoor_rule_names_json(void)
{
    return json_pack("{s:s, s:s}", "outdoor_short", "户外活动时间不足", "outdoor_unrecorded", "户外活动未记录");
}

int care_outdoor_from_json(const json_t *body, const char *today, struct care_outdoor *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->class_id = (int64_t)jfield_number(body, "class_id");
    jfield_copy(body, "date", out->day, sizeof out->day);
    out->minutes = (int)jfield_number(body, "minutes");
    jfield_copy(body, "weather", out->weather, sizeof out->weather);
    jfield_copy(body, "note", out->note, sizeof out->note);
    if (strcmp(out->day, today) > 0)
        return err_set(e, 422, "future_date", "date", "不能登记今天以后的户外活动");
    if (out->weather[0] && !care_weather_name(out->weather))
        return err_set(e, 422, "bad_weather", "weather", "天气只能是寒冷（cold）、炎热（heat）、雨雪（rain）或重污染天气（air）");
    return 0;
}

int care_outdoor_short(const struct care_outdoor_day *d, const struct care_outdoor_rules *r)
{
    return d->minutes >= 0 && d->minutes < r->min_hours * 60 && !d->weather[0];
}

int care_outdoor_findings(const struct care_outdoor_day *days, int n, const struct care_outdoor_rules *r,
                          struct finding *out, int max)
{
    int found = 0;
    for (int i = 0; i < n;) {
        int j = i, nshort = 0, unrecorded = 0, least = -1;
        for (; j < n && days[j].class_id == days[i].class_id; j++) {
            if (days[j].minutes < 0)
                unrecorded++;
            else if (care_outdoor_short(&days[j], r)) {
                nshort++;
                if (least < 0 || days[j].minutes < least)
                    least = days[j].minutes;
            }
        }
        if (nshort)
            found = finding_add(out, max, found, "outdoor_short", "medium", r->basis, days[i].class_id, 0,
                                "%s近 %d 日有 %d 天户外活动不足 %g 小时且未注明天气原因（最少 %d 分钟）",
                                days[i].class_name, r->review_days, nshort, r->min_hours, least);
        if (unrecorded)
            found = finding_add(out, max, found, "outdoor_unrecorded", "low", r->basis, days[i].class_id, 0,
                                "%s近 %d 日有 %d 个在园日未记录户外活动时间", days[i].class_name, r->review_days,
                                unrecorded);
        i = j;
    }
    return found;
}
