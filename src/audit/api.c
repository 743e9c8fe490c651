/* api.c — GET /api/v1/audit: the audit log, newest first, for the auditor role only. */
#include <inttypes.h>
#include <stdio.h>

#include "app.h"
#include "audit/api.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/parse.h"
#include "http/http.h"

static int list_audit(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "audit.read", &t, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t limit = 100, before = 0;
    const char *l = http_query(req, "limit"), *c = http_query(req, "cursor");
    if (l && (parse_int64(l, &limit) < 0 || limit < 1 || limit > 500))
        return http_reply_error(rep, 400, "bad_limit", "limit", "limit 应为 1 到 500 之间的整数");
    if (c && c[0] && (parse_int64(c, &before) < 0 || before < 1))
        return http_reply_error(rep, 400, "bad_cursor", "cursor", "分页游标无效");
    json_t *items;
    if (audit_list_json(req->db, req->app->district_code, before, (int)limit, &items, &e) < 0)
        return http_reply_err(rep, &e);
    size_t n = json_array_size(items);
    json_t *next = json_null();
    if (n == (size_t)limit) {
        json_int_t last = json_integer_value(json_object_get(json_array_get(items, n - 1), "id"));
        if (last > 1)
            next = json_string(http_printf(req, "%" PRId64, (int64_t)last));
    }
    return http_reply_json(rep, 200, json_pack("{s:o, s:o}", "items", items, "next", next));
}

const struct route audit_routes[] = {
    {"GET", "/api/v1/audit", "audit.read", list_audit},
    {NULL, NULL, NULL, NULL},
};
