/* programs.c — an institution's programs for staff (the console's 托位与参观 page): per class type,
 * the classes, capacity, enrolled, places held by active bookings and by open offers (view
 * held_place's two parts, counted apart so staff see which), and the free places that follow. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "enrol/enrol.h"
#include "enrol/rounds.h"

static int list_programs(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t inst = http_param_id(req, "id");
    struct db_stmt *st = enrol_stmt(req->db, &e, "SELECT town_code, status FROM institution WHERE id = ? AND district_code = ?",
                                    "it", inst, req->app->district_code);
    if (!st)
        return http_reply_err(rep, &e);
    int rc = db_step(st, &e);
    char town[16] = "";
    int filed = 0;
    if (rc == DB_ROW) {
        snprintf(town, sizeof town, "%s", db_col_text(st, 0));
        filed = strcmp(db_col_text(st, 1), "filed") == 0;
    }
    db_finalize(st);
    if (rc < 0)
        return http_reply_err(rep, &e);
    struct authz_target t = {.town_code = town, .institution_id = inst};
    if (rc != DB_ROW) {
        err_set(&e, 404, "not_found", "id", "未找到该托育机构");
        return http_reply_err(rep, &e);
    }
    if (authz_require(req, "program.read", &t, &e) < 0)
        return http_reply_err(rep, &e);
    st = enrol_stmt(req->db, &e,
                    "SELECT c.class_type, COUNT(*), SUM(c.capacity), SUM(c.enrolled), "
                    "(SELECT COUNT(*) FROM booking b WHERE b.institution_id = c.institution_id AND b.class_type = c.class_type "
                    "AND b.status = 'booked'), "
                    "(SELECT COUNT(*) FROM offer o WHERE o.institution_id = c.institution_id AND o.class_type = c.class_type "
                    "AND o.status = 'offered') "
                    "FROM institution_class c WHERE c.institution_id = ? GROUP BY c.institution_id, c.class_type",
                    "i", inst);
    if (!st)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    while ((rc = db_step(st, &e)) == DB_ROW) {
        int type = class_type_from_code(db_col_text(st, 0));
        int capacity = (int)db_col_int64(st, 2), enrolled = (int)db_col_int64(st, 3);
        int booked = (int)db_col_int64(st, 4), offered = (int)db_col_int64(st, 5);
        json_array_append_new(items, json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "class_type", db_col_text(st, 0),
                                               "class_type_name", type >= 0 ? class_type_name((enum class_type)type) : "",
                                               "classes", (int)db_col_int64(st, 1), "capacity", capacity, "enrolled",
                                               enrolled, "booked", booked, "offered", offered, "free_places",
                                               filed ? enrol_free_places(capacity, enrolled, booked + offered) : 0));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:I, s:b, s:o}", "institution_id", (json_int_t)inst, "filed", filed,
                                               "items", items));
}

static const struct http_schema PROGRAM = {
    NULL, HTTP_OBJECT, 0, "班型（托位项目）",
    .members = (const struct http_schema[]){
        {"class_type", HTTP_STRING, HTTP_REQUIRED, "班型"},
        {"class_type_name", HTTP_STRING, 0, "班型名称"},
        {"classes", HTTP_INTEGER, 0, "班级数"},
        {"capacity", HTTP_INTEGER, 0, "托位数"},
        {"enrolled", HTTP_INTEGER, 0, "在托人数"},
        {"booked", HTTP_INTEGER, 0, "有效入托预约"},
        {"offered", HTTP_INTEGER, 0, "待确认的录取"},
        {"free_places", HTTP_INTEGER, HTTP_REQUIRED, "空余托位"},
        {NULL}}};
static const struct http_schema PROGRAMS = {
    NULL, HTTP_OBJECT, 0, "机构的班型（至多 4 项，不分页）",
    .members = (const struct http_schema[]){
        {"institution_id", HTTP_ID, HTTP_REQUIRED, "托育机构"},
        {"filed", HTTP_BOOLEAN, HTTP_REQUIRED, "已备案"},
        {"items", HTTP_ARRAY, HTTP_REQUIRED, "班型", .items = &PROGRAM},
        {NULL}}};

const struct route programs_routes[] = {
    {"GET", "/api/v1/institutions/{id}/programs", "program.read", list_programs, NULL, &PROGRAMS},
    {NULL, NULL, NULL, NULL},
};
