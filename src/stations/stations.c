/* stations.c — a growth station's site record and its subsidy (stations.h). */
#include "stations/stations.h"

#include <stdio.h>
#include <string.h>

/* What a station offers (C6.1; seed 四(二)5: 科学育儿指导、养育照护小组活动 …). */
static const struct {
    const char *code, *name;
} SERVICES[] = {
    {"parenting_guidance", "科学育儿指导"}, {"care_group", "养育照护小组活动"}, {"play", "亲子游戏"},
    {"consultation", "发育咨询"},           {"temporary_care", "临时照护"},     {"lending", "玩具图书借阅"},
};
#define NSERVICES (sizeof SERVICES / sizeof *SERVICES)

#include "stations/stations.schemas.inc"

int station_site_from_json(const json_t *body, struct station_site *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->area_m2 = json_number_value(json_object_get(body, "area_m2"));
    snprintf(out->surroundings, sizeof out->surroundings, "%s",
             json_string_value(json_object_get(body, "surroundings")) ? json_string_value(json_object_get(body, "surroundings")) : "");
    out->weekly_visits = (int)json_integer_value(json_object_get(body, "weekly_visits"));
    out->investment_fen = json_integer_value(json_object_get(body, "investment_fen"));
    size_t i, used = 0;
    json_t *s;
    json_array_foreach(json_object_get(body, "services"), i, s)
    {
        const char *code = json_string_value(s);
        size_t k = 0;
        while (k < NSERVICES && strcmp(code, SERVICES[k].code))
            k++;
        if (k == NSERVICES) {
            char field[32];
            snprintf(field, sizeof field, "services[%zu]", i);
            return err_set(e, 422, "unknown_service", field, "未知的服务项目：%s", code);
        }
        int w = snprintf(out->services + used, sizeof out->services - used, "%s%s", used ? "," : "", code);
        if (w > 0 && (size_t)w < sizeof out->services - used)
            used += (size_t)w;
    }
    return 0;
}

json_t *station_services_json(void)
{
    json_t *o = json_object();
    for (size_t i = 0; i < NSERVICES; i++)
        json_object_set_new(o, SERVICES[i].code, json_string(SERVICES[i].name));
    return o;
}

json_t *station_subsidy_explain(int64_t investment_fen, int64_t cap_fen, const char *cap_valid_from,
                                const char *cap_basis, int64_t *amount_fen)
{
    int capped = investment_fen > cap_fen;
    *amount_fen = capped ? cap_fen : investment_fen;
    return json_pack("{s:s, s:{s:I}, s:[{s:s, s:I}], s:[{s:s, s:I, s:b}], s:I, s:[{s:s, s:I, s:s, s:s}]}", "rule",
                     "婴幼儿成长驿站联合验收合格后补助（瓯海区普惠托育基本公共服务试点工作方案 四(二)5）", "inputs",
                     "investment_fen", (json_int_t)investment_fen, "steps", "text", "补助基数 = 验收时核定的投入",
                     "amount_fen", (json_int_t)investment_fen, "caps", "text", "每家驿站补助上限", "cap_fen",
                     (json_int_t)cap_fen, "applied", capped, "amount_fen", (json_int_t)*amount_fen, "params", "key",
                     "subsidy.station_max_fen", "value", (json_int_t)cap_fen, "valid_from", cap_valid_from, "basis",
                     cap_basis);
}
