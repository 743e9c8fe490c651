/* api.c — the data exchange's feed for the provincial platforms (浙有善育, 安心托; issue 21 item 5;
 * docs/exchange.md): GET /api/v1/exchange/institutions gives the institutions whose published
 * record (registry, places, free places, fees, star level) changed, in change order, each with
 * its stable source id, for a machine client's bearer token (auth/clients.c) or the district. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth/auth.h"
#include "base/date.h"
#include "exchange/api.h"
#include "exchange/exchange.h"
#include "exchange/store.h"
#include "registry/api.h"

/* The record of institution id among records (registry_exchange_records' array, in id order). */
static json_t *record_of(json_t *records, int64_t id)
{
    size_t lo = 0, hi = json_array_size(records);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int64_t at = json_integer_value(json_object_get(json_array_get(records, mid), "id"));
        if (at == id)
            return json_array_get(records, mid);
        if (at < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The page as JSON Lines: one record a line, the next page's cursor in X-Next-Cursor. */
static int reply_jsonl(struct http_req *req, struct http_reply *rep, json_t *page)
{
    json_t *items = json_object_get(page, "items"), *item;
    const char *next = json_string_value(json_object_get(page, "next"));
    size_t i, len = 0, cap = 0;
    char *body = NULL;
    json_array_foreach(items, i, item)
    {
        char *line = json_dumps(item, JSON_COMPACT);
        size_t n = line ? strlen(line) : 0;
        if (len + n + 1 > cap) {
            char *grown = http_alloc(req, cap = (len + n + 1) * 2);
            if (len)
                memcpy(grown, body, len);
            body = grown;
        }
        memcpy(body + len, line, n);
        body[len + n] = '\n';
        len += n + 1;
        free(line);
    }
    if (next)
        http_reply_header(rep, "X-Next-Cursor", http_printf(req, "%s", next));
    json_decref(page);
    rep->status = 200;
    rep->raw = len ? body : "";
    rep->raw_len = len;
    rep->content_type = "application/x-ndjson; charset=utf-8";
    return 0;
}

/* GET /api/v1/exchange/institutions?changed_since=&cursor=&limit=&format=json|jsonl */
static int list_institutions(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    struct http_page page;
    char since[DATE_TIMESTAMP_LEN], now_ts[DATE_TIMESTAMP_LEN];
    int jsonl;
    if (authz_require(req, "exchange.read", &t, &e) < 0 || http_page_begin(req, &page, &e) < 0 ||
        exchange_query(http_query(req, "changed_since"), http_query(req, "format"), since, sizeof since, &jsonl,
                       &e) < 0)
        return http_reply_err(rep, &e);
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    /* first bring the change numbers up to date with the records as they are now */
    json_t *records = NULL, *changes = NULL;
    if (db_begin(req->db, &e) < 0 || registry_exchange_records(req, &records, &e) < 0 ||
        exchange_store_refresh(req->db, req->app->district_code, records, now_ts, &e) < 0 ||
        db_commit(req->db, &e) < 0 ||
        exchange_store_changes(req->db, req->app->district_code, page.after_id, since, page.limit + 1, &changes,
                               &e) < 0) {
        json_decref(records);
        return http_reply_rollback(req, rep, &e);
    }
    json_t *items = json_array(), *c;
    size_t i;
    json_array_foreach(changes, i, c)
    {
        int64_t seq = json_integer_value(json_object_get(c, "seq"));
        if (!http_page_take(req, &page, seq, NULL))
            break;
        int64_t id = json_integer_value(json_object_get(c, "institution_id"));
        json_t *r = record_of(records, id);
        json_t *item = r ? json_deep_copy(r) : json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "deleted");
        char source[32];
        exchange_source_id(req->app->district_code, id, source);
        json_object_set_new(item, "source_id", json_string(source));
        json_object_set(item, "seq", json_object_get(c, "seq"));
        json_object_set(item, "changed_at", json_object_get(c, "changed_at"));
        json_array_append_new(items, item);
    }
    json_decref(changes);
    json_decref(records);
    json_t *reply = http_page_reply(req, &page, items);
    return jsonl ? reply_jsonl(req, rep, reply) : http_reply_json(rep, 200, reply);
}

static const struct http_schema RECORD = {
    NULL, HTTP_OBJECT, 0,
    "交换记录：在册机构为公开详情（名录、班级与托位、各班型空余托位、收费、星级），其他状态只有 id、status",
    .members = (const struct http_schema[]){
        {"source_id", HTTP_STRING, HTTP_REQUIRED, "来源编号：行政区划代码:本区机构编号（全省唯一、不变）"},
        {"id", HTTP_ID, HTTP_REQUIRED, "本区机构编号"},
        {"status", HTTP_STRING, HTTP_REQUIRED, "备案状态（filed 在册；其他状态表示已不在公开名录）"},
        {"seq", HTTP_INTEGER, HTTP_REQUIRED, "变更序号（本区内递增，翻页游标即按此）"},
        {"changed_at", HTTP_STRING, HTTP_REQUIRED, "交换接口首次发现此版本的时间（UTC）"},
        {NULL}}};
static const struct http_schema PAGE = HTTP_PAGE_OF(RECORD);

const struct route exchange_routes[] = {
    {"GET", "/api/v1/exchange/institutions", "exchange.read", list_institutions, NULL, &PAGE},
    {NULL, NULL, NULL, NULL},
};
