/* api.c — GET /api/v1/params (the parameters in force on a date, each with the level that set it)
 * and POST /api/v1/params (a new dated version of one parameter: the version in force is closed the
 * day before; audited). A district administrator writes for the district; a province or city
 * administrator for the province or the city, which every district below without a version of its
 * own then reads (src/jurisdiction/). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/parse.h"
#include "http/http.h"
#include "params/api.h"
#include "params/params.h"

static int list_params(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *date = http_query(req, "date");
    if (date && date[0] && !date_is_valid(date))
        return http_reply_error(rep, 400, "bad_date", "date", "日期无效：%s（应为 YYYY-MM-DD）", date);
    if (!date || !date[0])
        date = req->today;
    json_t *items;
    if (params_list_json(req->db, req->district, date, &items, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:s, s:o}", "date", date, "items", items));
}

static int create_param(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {.town_code = req->user->town_code};
    if (authz_require(req, "params.update", &t, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    const char *pkey = json_string_value(json_object_get(body, "key"));
    const char *value = json_string_value(json_object_get(body, "value"));
    const char *from = json_string_value(json_object_get(body, "valid_from"));
    const char *basis = json_string_value(json_object_get(body, "basis"));
    if (strlen(basis) < 2)
        return http_reply_error(rep, 422, "required", "basis", "须注明依据文件");

    /* the level written: the district, or the province's or city's own code */
    const char *level = role_above_district(req->user->role) ? req->user->district_code : req->district;
    /* the version in force on valid_from at this level or above; for a key a province or city has
     * not set yet, the chosen district's: its unit, description and numeric kind carry over */
    struct param_version prev;
    int found = params_version_on(req->db, level, pkey, from, &prev, &e);
    if (found == 0 && strcmp(level, req->district) != 0)
        found = params_version_on(req->db, req->district, pkey, from, &prev, &e);
    if (found <= 0)
        return found < 0 ? http_reply_err(rep, &e)
                         : http_reply_error(rep, 404, "unknown_param", "key", "参数 %s 在 %s 没有有效版本", pkey, from);
    double num;
    if (parse_double(prev.value, &num) == 0 && parse_double(value, &num) < 0)
        return http_reply_error(rep, 422, "not_numeric", "value", "参数 %s 的值应为数值：%s", pkey, value);
    if (strcmp(prev.district_code, level) == 0 && strcmp(prev.valid_from, from) >= 0)
        return http_reply_error(rep, 409, "version_exists", "valid_from", "该参数在 %s 已有版本，新版本须晚于 %s", from,
                                prev.valid_from);

    req->district = level; /* the write, and its audit row, belong to the level written */
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (params_add_version(req->db, level, &prev, pkey, value, from, basis, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:s, s:s, s:s}", "value", value, "previous", prev.value, "valid_from", from, "basis",
                          basis);
    int rc = audit_request(req, "params.update", "param", pkey, f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    atomic_fetch_add(&req->app->params_generation, 1);
    return http_reply_json(rep, 201, json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s}}", "key", pkey, "value", value, "unit",
                                               prev.unit, "basis", basis, "valid_from", from, "set_by", "code", level));
fail:
    return http_reply_rollback(req, rep, &e);
}

#include "params/api.schemas.inc"

const struct route params_routes[] = {
    {"GET", "/api/v1/params", "params.read", list_params, NULL, &PARAMS},
    {"POST", "/api/v1/params", "params.update", create_param, &PARAM_BODY, &PARAM, 201},
    {NULL, NULL, NULL, NULL},
};

const struct params *params_of_request(struct http_req *req, struct err *e)
{
    if (!req->params) {
        struct params *p = http_alloc(req, sizeof *p);
        if (params_load(req->db, req->district, req->today, p, e) < 0)
            return NULL;
        req->params = p;
    }
    return req->params;
}
