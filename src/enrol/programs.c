/* programs.c — an institution's programs for staff (the console's 托位与参观 page): per class type,
 * the classes, capacity, enrolled, places held by active bookings and by open offers (view
 * held_place's two parts, counted apart so staff see which), and the free places that follow. */
#include "app.h"
#include "auth/auth.h"
#include "enrol/api.h"
#include "enrol/enrol.h"
#include "enrol/store.h"

static int list_programs(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t inst = http_param_id(req, "id");
    char town[16] = "";
    int filed = 0;
    int found = enrol_store_institution(req->db, req->district, inst, town, &filed, &e);
    if (found < 0)
        return http_reply_err(rep, &e);
    if (!found)
        return http_reply_error(rep, 404, "not_found", "id", "未找到该托育机构");
    struct authz_target t = {.town_code = town, .institution_id = inst};
    json_t *items;
    if (authz_require(req, "program.read", &t, &e) < 0 || enrol_store_programs(req->db, inst, &items, &e) < 0)
        return http_reply_err(rep, &e);
    size_t i;
    json_t *p;
    json_array_foreach(items, i, p)
    {
        int type = class_type_from_code(json_string_value(json_object_get(p, "class_type")));
        int held = (int)(json_integer_value(json_object_get(p, "booked")) + json_integer_value(json_object_get(p, "offered")));
        json_object_set_new(p, "class_type_name", json_string(type >= 0 ? class_type_name((enum class_type)type) : ""));
        json_object_set_new(p, "free_places",
                            json_integer(filed ? enrol_free_places((int)json_integer_value(json_object_get(p, "capacity")),
                                                                   (int)json_integer_value(json_object_get(p, "enrolled")),
                                                                   held)
                                               : 0));
    }
    return http_reply_json(rep, 200, json_pack("{s:I, s:b, s:o}", "institution_id", (json_int_t)inst, "filed", filed,
                                               "items", items));
}

#include "enrol/programs.schemas.inc"

const struct route programs_routes[] = {
    {"GET", "/api/v1/institutions/{id}/programs", "program.read", list_programs, NULL, &PROGRAMS},
    {NULL, NULL, NULL, NULL},
};
