/* api.c — GET /api/v1/audit: the audit log, newest first, paged, for the auditor role only. */
#include <inttypes.h>
#include <stdio.h>

#include "app.h"
#include "audit/api.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "http/http.h"

static int list_audit(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "audit.read", &t, &e) < 0)
        return http_reply_err(rep, &e);
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *all, *items = json_array();
    if (audit_list_json(req->db, req->app->district_code, page.after_id, page.limit + 1, &all, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    size_t i;
    json_t *row;
    json_array_foreach(all, i, row)
    {
        if (!http_page_take(req, &page, json_integer_value(json_object_get(row, "id")), NULL))
            break;
        json_array_append(items, row);
    }
    json_decref(all);
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static const struct http_schema ENTRY = {
    NULL, HTTP_OBJECT, 0, "审计记录（哈希链）",
    .members = (const struct http_schema[]){
        {"id", HTTP_ID, HTTP_REQUIRED, "序号（连续）"},
        {"at", HTTP_DATETIME, HTTP_REQUIRED, "时间"},
        {"user_id", HTTP_ID, HTTP_NULLABLE, "操作人"},
        {"login", HTTP_STRING, 0, "操作人账号"},
        {"action", HTTP_STRING, HTTP_REQUIRED, "动作"},
        {"target_type", HTTP_STRING, 0, "对象类型"},
        {"target_id", HTTP_STRING, HTTP_NULLABLE, "对象编号"},
        {"fields", HTTP_OBJECT, 0, "变更内容（个人信息打码）"},
        {"request_id", HTTP_STRING, HTTP_NULLABLE, "请求编号"},
        {"hash", HTTP_STRING, HTTP_REQUIRED, "本条哈希"},
        {NULL}}};
static const struct http_schema ENTRY_PAGE = HTTP_PAGE_OF(ENTRY);

const struct route audit_routes[] = {
    {"GET", "/api/v1/audit", "audit.read", list_audit, NULL, &ENTRY_PAGE},
    {NULL, NULL, NULL, NULL},
};
