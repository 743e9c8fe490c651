/* premises.c — the idle state premises register's pure part (premises.h): parsing and validating
 * an entry, its shown status, and who may apply for or be allocated one. */
#include "premises/premises.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"

#include "premises/premises.schemas.inc"

int premises_from_json(const json_t *body, const struct premises_bounds *b, struct premises *out, struct err *e)
{
    jfield_copy(body, "town_code", out->town_code, sizeof out->town_code);
    jfield_copy(body, "address", out->address, sizeof out->address);
    jfield_copy(body, "owner_unit", out->owner_unit, sizeof out->owner_unit);
    jfield_copy(body, "relief_terms", out->relief_terms, sizeof out->relief_terms);
    out->lon = json_number_value(json_object_get(body, "lon"));
    out->lat = json_number_value(json_object_get(body, "lat"));
    out->area_m2 = json_number_value(json_object_get(body, "area_m2"));
    out->floor = (int)json_integer_value(json_object_get(body, "floor"));
    out->rent_free_months = (int)json_integer_value(json_object_get(body, "rent_free_months"));
    if (!isfinite(out->lon) || out->lon < b->min_lon || out->lon > b->max_lon)
        return err_set(e, 422, "outside_district", "lon", "经度 %.6f 不在瓯海区范围内（%.2f–%.2f）", out->lon, b->min_lon,
                       b->max_lon);
    if (!isfinite(out->lat) || out->lat < b->min_lat || out->lat > b->max_lat)
        return err_set(e, 422, "outside_district", "lat", "纬度 %.6f 不在瓯海区范围内（%.2f–%.2f）", out->lat, b->min_lat,
                       b->max_lat);
    if (out->floor == 0)
        return err_set(e, 422, "bad_floor", "floor", "楼层不能为 0（地上从 1 层起，地下为 -1、-2 …）");
    return 0;
}

const char *premises_status_shown(const struct premises *p)
{
    return strcmp(p->status, "available") == 0 && p->open_applications > 0 ? "applied" : p->status;
}

const char *premises_status_name(const char *code)
{
    static const char *const names[][2] = {
        {"available", "可申请"}, {"applied", "已有申请"}, {"allocated", "已分配"}, {"withdrawn", "已撤回"}};
    for (size_t i = 0; code && i < sizeof names / sizeof *names; i++)
        if (strcmp(names[i][0], code) == 0)
            return names[i][1];
    return NULL;
}

static json_t *text_or_null(const char *s) { return s && s[0] ? json_string(s) : json_null(); }

json_t *premises_to_json(const struct premises *p, const char *town_name, const char *institution_name)
{
    const char *shown = premises_status_shown(p);
    json_t *o = json_pack("{s:I, s:s, s:o, s:s, s:f, s:f, s:f, s:i, s:s, s:s, s:i, s:s, s:s, s:i}", "id",
                          (json_int_t)p->id, "town_code", p->town_code, "town_name", text_or_null(town_name), "address",
                          p->address, "lon", p->lon, "lat", p->lat, "area_m2", p->area_m2, "floor", p->floor,
                          "owner_unit", p->owner_unit, "relief_terms", p->relief_terms, "rent_free_months",
                          p->rent_free_months, "status", shown, "status_name", premises_status_name(shown),
                          "open_applications", p->open_applications);
    json_object_set_new(o, "institution_id", p->institution_id ? json_integer(p->institution_id) : json_null());
    json_object_set_new(o, "institution_name", text_or_null(p->institution_id ? institution_name : NULL));
    json_object_set_new(o, "case_id", p->case_id ? json_integer(p->case_id) : json_null());
    json_object_set_new(o, "allocated_on", text_or_null(p->allocated_on));
    json_object_set_new(o, "withdrawn_reason", text_or_null(p->withdrawn_reason));
    json_object_set_new(o, "version", json_integer(p->version));
    json_object_set_new(o, "created_at", json_string(p->created_at));
    json_object_set_new(o, "updated_at", json_string(p->updated_at));
    return o;
}

int premises_may_apply(const struct premises *p, int inclusive, struct err *e)
{
    if (strcmp(p->status, "available"))
        return err_set(e, 409, "premises_unavailable", "id", "该房源%s，不能申请", premises_status_name(p->status));
    if (!inclusive)
        return err_set(e, 422, "not_inclusive", "institution_id",
                       "国有闲置房源仅向普惠性托育机构提供，本机构尚未认定为普惠性托育机构");
    return 0;
}

int premises_may_allocate(const struct premises *p, int inclusive, struct err *e)
{
    if (strcmp(p->status, "allocated") == 0)
        return err_set(e, 409, "premises_allocated", "id", "该房源已分配给其他机构，不能重复分配");
    return premises_may_apply(p, inclusive, e);
}

int premises_may_change(const struct premises *p, struct err *e)
{
    if (strcmp(p->status, "available"))
        return err_set(e, 409, "premises_closed", "id", "该房源%s，不能再修改或撤回", premises_status_name(p->status));
    return 0;
}
