/* fuzz_router.c — libFuzzer target for the parsers of outside input in src/http/: the first byte
 * picks one of
 *   0  route matching of an arbitrary path and method against a table with parameters
 *      (a match must give non-empty parameters without '/', and {id} a strict id; a 405 must
 *      carry an Allow list),
 *   1  query-string parsing and decoding (every value found must be NUL-free),
 *   2  request bodies through http_json_check against a schema (an object, or a 400/422 error
 *      with a known code, and a field and a message that are valid UTF-8),
 *   3  the JSON reply writer, which must write exactly what json_dumps writes.
 * The request state is built by hand, without a server (no connection: headers are absent). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

static int h_any(struct http_req *req, struct http_reply *rep) { return 0; }

static const struct route routes[] = {
    {"GET", "/api/v1/institutions", "institution.list", h_any},
    {"POST", "/api/v1/institutions", "institution.create", h_any},
    {"GET", "/api/v1/institutions/{id}", "institution.read", h_any},
    {"PUT", "/api/v1/institutions/{id}", "institution.update", h_any},
    {"GET", "/api/v1/institutions/{id}/classes/{class}", "institution.read", h_any},
    {"DELETE", "/api/v1/session", "public", h_any},
    {"GET", "/", "public", h_any},
    {NULL, NULL, NULL, NULL},
};
static const struct route *const tables[] = {routes, NULL};

static void state_init(struct http_req_state *st)
{
    memset(st, 0, offsetof(struct http_req_state, arena_first));
    st->arena_cur = st->arena_first;
    st->arena_left = sizeof st->arena_first;
    st->req.impl = st;
    st->req.body = "";
}

static void state_free(struct http_req_state *st)
{
    free(st->out.p);
    free(st->body);
    http_arena_free(st);
}

static void fuzz_route(struct http_req_state *st, const uint8_t *data, size_t size)
{
    static struct http_router rt;
    static int built;
    if (!built) {
        struct err e;
        if (http_router_build(&rt, tables, &e) < 0)
            abort();
        built = 1;
    }
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"};
    const char *method = size ? methods[data[0] % 6] : "GET";
    char *path = http_alloc(&st->req, size + 1);
    if (size)
        memcpy(path, data + 1, size - 1);
    path[size ? size - 1 : 0] = '\0';
    const char *allow = NULL;
    enum http_match m = http_router_match(&rt, st, method, path, &allow);
    if (m == HTTP_MATCH_OK) {
        if (!st->req.route)
            abort();
        int64_t id;
        for (int i = 0; i < st->nparams; i++)
            if (!st->param_values[i][0] || strchr(st->param_values[i], '/') ||
                (http_param_is_id(st->param_names[i], st->param_name_lens[i]) && http_parse_id(st->param_values[i], &id) < 0))
                abort();
    } else if (m == HTTP_MATCH_NO_METHOD && (!allow || !allow[0])) {
        abort();
    }
}

static void fuzz_query(struct http_req_state *st, const uint8_t *data, size_t size)
{
    char *q = http_alloc(&st->req, size + 1);
    memcpy(q, data, size);
    q[size] = '\0';
    st->query_raw = q;
    static const char *const names[] = {"q", "town", "limit", "cursor", "", "a b"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = http_query(&st->req, names[i]);
        if (v)
            (void)strlen(v);
    }
}

static const struct http_schema ITEM = {NULL, HTTP_OBJECT, 0, "志愿",
                                        .members = (const struct http_schema[]){
                                            {"institution_id", HTTP_ID, HTTP_REQUIRED, "托育机构"},
                                            {"class_type", HTTP_STRING, 0, "班型", 24},
                                            {NULL}}};
static const struct http_schema TAG = {NULL, HTTP_STRING, 0, "标签", 8};
static const struct http_schema BODY = {
    NULL, HTTP_OBJECT, 0, "请求",
    .members = (const struct http_schema[]){
        {"name", HTTP_STRING, HTTP_TRIM, "名称", 32},
        {"n", HTTP_INTEGER, HTTP_NULLABLE, "数量", 0, 0, 100},
        {"x", HTTP_NUMBER, 0, "数"},
        {"on", HTTP_DATE, 0, "日期"},
        {"month", HTTP_MONTH, 0, "月份"},
        {"b", HTTP_BOOLEAN, 0, "开关"},
        {"choices", HTTP_ARRAY, 0, "志愿", 4, .items = &ITEM},
        {"tags", HTTP_ARRAY, 0, "标签", .items = &TAG},
        {"o", HTTP_OBJECT, 0, "对象", .members = (const struct http_schema[]){{"a", HTTP_STRING}, {NULL}}},
        {NULL}}};

static void fuzz_body(struct http_req_state *st, const uint8_t *data, size_t size)
{
    static const char *const codes[] = {"bad_json", "unknown_field", "bad_utf8", "bad_char", "too_deep", "wrong_type",
                                        "required", "too_long", "too_many", "out_of_range", "bad_date", "bad_month", NULL};
    struct err e = {0};
    json_t *j = http_json_check(&BODY, (const char *)data, size, &e);
    if (j) {
        if (!json_is_object(j))
            abort();
        json_decref(j);
        return;
    }
    int known = 0;
    for (int i = 0; codes[i]; i++)
        known |= strcmp(e.code, codes[i]) == 0;
    json_t *f = json_string(e.field), *m = json_string(e.message); /* NULL when not valid UTF-8 */
    if (!known || (e.status != 400 && e.status != 422) || !f || !m || !e.message[0])
        abort();
    json_decref(f);
    json_decref(m);
}

static void fuzz_writer(struct http_req_state *st, const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (!j)
        return;
    char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));
    if (want) {
        if (http_json_text(st, j) < 0 || st->out.len != strlen(want) || memcmp(st->out.p, want, st->out.len) != 0) {
            fprintf(stderr, "writer mismatch:\n want %s\n got  %.*s\n", want, (int)st->out.len, st->out.p ? st->out.p : "");
            abort();
        }
        free(want);
    }
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 16)
        return 0;
    struct http_req_state *st = malloc(sizeof *st);
    if (!st)
        return 0;
    state_init(st);
    switch (data[0] % 4) {
    case 0: fuzz_route(st, data + 1, size - 1); break;
    case 1: fuzz_query(st, data + 1, size - 1); break;
    case 2: fuzz_body(st, data + 1, size - 1); break;
    case 3: fuzz_writer(st, data + 1, size - 1); break;
    }
    state_free(st);
    free(st);
    return 0;
}
