/* openapi.c — the OpenAPI 3.1 document generated from the route tables: every route with its
 * path parameters, authorization action (x-action), request body schema, success reply and the
 * error replies it can give (the shared error object, with the codes the edge itself answers).
 * Served at GET /api/v1/openapi.json and printed by `tuoyu openapi`. */
#include <ctype.h>
#include <string.h>

#include "http/internal.h"

/* The error replies every route shares, with the codes the HTTP layer and the schema check give
 * (handlers add their own, documented in docs/api.md). */
static const struct {
    const char *status, *name, *description;
    const char *codes[12];
} ERRORS[] = {
    {"400", "BadRequest", "请求格式错误（JSON 无效、未知字段、编码错误、嵌套过深、分页参数或查询中的编号无效）",
     {"bad_json", "unknown_field", "unexpected_body", "bad_utf8", "bad_char", "too_deep", "bad_limit", "bad_cursor",
      "bad_id", "bad_multipart"}},
    {"401", "Unauthorized", "未登录或登录已失效", {"unauthenticated", "session_expired"}},
    {"403", "Forbidden", "当前角色无权执行此操作，或缺少 CSRF 令牌", {"forbidden", "csrf"}},
    {"404", "NotFound", "记录不存在、不在本人管辖范围内，或路径中的编号格式无效", {"not_found"}},
    {"413", "PayloadTooLarge", "请求体或上传的文件过大", {"payload_too_large"}},
    {"415", "UnsupportedMediaType", "上传文件须以 multipart/form-data 提交", {"unsupported_media_type"}},
    {"422", "Unprocessable", "字段值不符合要求",
     {"required", "wrong_type", "too_long", "too_many", "out_of_range", "bad_date", "bad_month"}},
};

static json_t *error_schema(void)
{
    return json_pack("{s:s, s:s, s:[s], s:{s:{s:s, s:[s,s,s], s:{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}}}}}",
                     "description", "错误答复：code 为稳定的 ASCII 代码，field 为出错的字段（如 choices[0].institution_id，"
                     "无则为空），message 为中文说明",
                     "type", "object", "required", "error", "properties", "error", "type", "object", "required", "code",
                     "field", "message", "properties", "code", "type", "string", "description", "错误代码",
                     "field", "type", "string", "description", "出错的字段", "message", "type", "string",
                     "description", "中文说明");
}

static json_t *components(void)
{
    json_t *responses = json_object();
    for (size_t i = 0; i < sizeof ERRORS / sizeof *ERRORS; i++) {
        json_t *codes = json_array();
        for (int k = 0; ERRORS[i].codes[k]; k++)
            json_array_append_new(codes, json_string(ERRORS[i].codes[k]));
        json_object_set_new(responses, ERRORS[i].name,
                            json_pack("{s:s, s:o, s:{s:{s:{s:s}}}}", "description", ERRORS[i].description,
                                      "x-error-codes", codes, "content", "application/json", "schema", "$ref",
                                      "#/components/schemas/Error"));
    }
    json_object_set_new(responses, "Error",
                        json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "其他错误（409 冲突、429 过多尝试、500 等）",
                                  "content", "application/json", "schema", "$ref", "#/components/schemas/Error"));
    return json_pack("{s:{s:o}, s:o, s:{s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}}}", "schemas", "Error",
                     error_schema(), "responses", responses, "securitySchemes", "session", "type", "apiKey", "in",
                     "cookie", "name", "tuoyu_session", "description", "登录（POST /api/v1/session）后的会话 Cookie",
                     "csrf", "type", "apiKey", "in", "header", "name", "X-CSRF-Token", "description",
                     "登录答复中的 csrf_token，改变数据的请求必须携带");
}

/* "get_api_v1_institutions_id" */
static json_t *operation_id(const struct route *r)
{
    char buf[256];
    size_t n = 0;
    for (const char *m = r->method; *m && n < sizeof buf - 1; m++)
        buf[n++] = (char)tolower((unsigned char)*m);
    for (const char *p = r->pattern; *p && n < sizeof buf - 1; p++) {
        char c = *p;
        if (isalnum((unsigned char)c))
            buf[n++] = c;
        else if (c == '/' || c == '-' || c == '.' || c == '_')
            buf[n++] = '_';
    }
    buf[n] = '\0';
    return json_string(buf);
}

static json_t *path_parameters(const struct route *r)
{
    json_t *params = json_array();
    for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        if (!end)
            break;
        int id = http_param_is_id(p + 1, (size_t)(end - p - 1));
        json_t *schema = id ? json_pack("{s:s, s:i, s:s}", "type", "integer", "minimum", 1, "format", "int64")
                            : json_pack("{s:s}", "type", "string");
        json_array_append_new(params, json_pack("{s:s#, s:s, s:b, s:o, s:s}", "name", p + 1, (int)(end - p - 1), "in",
                                                "path", "required", 1, "schema", schema, "description",
                                                id ? "记录编号：十进制正整数，无前导零（格式不符时 404）"
                                                   : "路径参数（格式不符时 400，见接口说明）"));
    }
    return params;
}

/* A paged list: its reply begins with "items" and "next" (HTTP_PAGE_OF). */
static int is_page(const struct http_schema *s)
{
    return s && s->type == HTTP_OBJECT && s->members && s->members[0].name && strcmp(s->members[0].name, "items") == 0 &&
           s->members[1].name && strcmp(s->members[1].name, "next") == 0;
}

static json_t *operation(const struct route *r)
{
    int is_public = strcmp(r->action, "public") == 0, is_get = strcmp(r->method, "GET") == 0;
    json_t *op = json_pack("{s:o, s:s, s:s}", "operationId", operation_id(r), "summary", r->action, "x-action", r->action);
    json_t *params = path_parameters(r);
    if (is_page(r->reply)) {
        json_array_append_new(params, json_pack("{s:s, s:s, s:{s:s, s:i, s:i, s:i}, s:s}", "name", "limit", "in", "query",
                                                "schema", "type", "integer", "minimum", 1, "maximum", HTTP_PAGE_MAX,
                                                "default", HTTP_PAGE_DEFAULT, "description", "每页条数"));
        json_array_append_new(params, json_pack("{s:s, s:s, s:{s:s}, s:s}", "name", "cursor", "in", "query", "schema",
                                                "type", "string", "description", "上一页答复中的 next（不透明）"));
    }
    if (json_array_size(params))
        json_object_set_new(op, "parameters", params);
    else
        json_decref(params);
    if (r->subactions)
        json_object_set_new(op, "x-subactions", http_subactions_json(r));
    if (r->body) {
        json_t *schema = http_schema_json(r->body, 1);
        const char *type = http_body_media_type(r->body);
        json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:o}}}", "required", r->body->type != HTTP_OBJECT,
                                                         "content", type, "schema", schema));
    }
    json_t *responses = json_object();
    char status[8];
    snprintf(status, sizeof status, "%d", r->status ? r->status : 200);
    json_object_set_new(responses, status,
                        json_pack("{s:s, s:{s:{s:o}}}", "description", "成功", "content",
                                  r->reply && r->reply->type == HTTP_BINARY ? "application/octet-stream" : "application/json",
                                  "schema", r->reply ? http_schema_json(r->reply, 0) : json_pack("{s:s}", "type", "object")));
    for (size_t i = 0; i < sizeof ERRORS / sizeof *ERRORS; i++) {
        const char *s = ERRORS[i].status;
        int applies = strcmp(s, "400") == 0 || ((strcmp(s, "401") == 0 || strcmp(s, "403") == 0) && !is_public) ||
                      (strcmp(s, "404") == 0 && strchr(r->pattern, '{')) ||
                      ((strcmp(s, "413") == 0 || strcmp(s, "422") == 0) && r->body) ||
                      (strcmp(s, "415") == 0 && r->body && r->body->type == HTTP_FILE);
        if (applies)
            json_object_set_new(responses, s,
                                json_pack("{s:s+}", "$ref", "#/components/responses/", ERRORS[i].name));
    }
    json_object_set_new(responses, "default", json_pack("{s:s}", "$ref", "#/components/responses/Error"));
    json_object_set_new(op, "responses", responses);
    json_object_set_new(op, "security", is_public ? json_array()
                                        : is_get  ? json_pack("[{s:[]}]", "session")
                                                  : json_pack("[{s:[], s:[]}]", "session", "csrf"));
    return op;
}

json_t *http_openapi_json(const struct route *const *tables)
{
    json_t *paths = json_object();
    for (const struct route *const *t = tables; t && *t; t++)
        for (const struct route *r = *t; r->method; r++) {
            json_t *item = json_object_get(paths, r->pattern);
            if (!item)
                json_object_set_new(paths, r->pattern, item = json_object());
            char method[8];
            size_t n = 0;
            for (; r->method[n] && n < sizeof method - 1; n++)
                method[n] = (char)tolower((unsigned char)r->method[n]);
            method[n] = '\0';
            json_object_set_new(item, method, operation(r));
        }
    return json_pack("{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:s, s:o, s:o}", "openapi", "3.1.0", "info", "title",
                     "tuoyu 托育 API", "version", "v1", "description",
                     "瓯海区普惠托育基本公共服务平台的 HTTP API，由服务器的路由表生成（docs/api.md）", "license", "name",
                     "GPL-3.0-or-later", "identifier", "GPL-3.0-or-later", "jsonSchemaDialect",
                     "https://json-schema.org/draft/2020-12/schema", "paths", paths, "components", components());
}

static int get_openapi(struct http_req *req, struct http_reply *rep)
{
    struct http_req_state *st = req->impl;
    json_t *doc = http_openapi_json(st->srv->cfg.tables);
    if (!doc)
        return http_reply_error(rep, 500, "oom", "", "内存不足");
    return http_reply_json(rep, 200, doc);
}

static const struct http_schema OPENAPI_REPLY = {NULL, HTTP_OBJECT, 0, "OpenAPI 3.1 文档（本文档）"};

const struct route http_openapi_routes[] = {
    {"GET", "/api/v1/openapi.json", "public", get_openapi, NULL, &OPENAPI_REPLY},
    {NULL, NULL, NULL, NULL},
};
