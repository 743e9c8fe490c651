/* api.c — the data exchange's feed for the provincial platforms (浙有善育, 安心托; issue 21 item 5;
 * docs/exchange.md): GET /api/v1/exchange/institutions gives the institutions whose published
 * record (registry, places, free places, fees, star level) changed, in change order, each with
 * its stable source id, for a machine client's bearer token (auth/clients.c) or the district; POST
 * on the same path takes the records another platform sends back, keeping its ids beside ours. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/parse.h"
#include "exchange/api.h"
#include "exchange/exchange.h"
#include "exchange/store.h"
#include "registry/api.h"
#include "registry/registry.h"
#include "registry/store.h"

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
        exchange_store_refresh(req->db, req->district, records, now_ts, &e) < 0 ||
        db_commit(req->db, &e) < 0 ||
        exchange_store_changes(req->db, req->district, page.after_id, since, page.limit + 1, &changes,
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
        exchange_source_id(req->district, id, source);
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

/* One record of the body, checked as POST /api/v1/institutions checks its body. */
static int import_record(struct http_req *req, const struct registry_rules *rules, const json_t *rec,
                         const char *now_ts, json_t *results, struct err *e)
{
    const char *external_id = json_string_value(json_object_get(rec, "external_id"));
    const json_t *body = json_object_get(rec, "record");
    const char *uscc = json_string_value(json_object_get(body, "uscc"));
    const char *district = req->district, *source = req->user->login;
    int64_t id = 0;
    int found = exchange_store_find(req->db, district, source, "institution", external_id, uscc, &id, e);
    if (found < 0)
        return -1;
    struct institution *in = http_alloc(req, sizeof *in);
    if (found) {
        if (registry_load(req->db, district, id, req->today, in, e) < 0)
            return -1;
    } else {
        institution_init(in, "pending");
    }
    if (registry_from_json(body, rules, req->today, in, e) < 0)
        return -1;
    int town = registry_town_name(req->db, district, in->town_code, NULL, 0, e);
    if (town <= 0)
        return town < 0 ? -1 : err_set(e, 422, "unknown_town", "town_code", "镇街代码不存在：%s", in->town_code);
    if ((found ? registry_update(req->db, district, in, now_ts, e) : registry_insert(req->db, district, in, now_ts, 0, e)) < 0 ||
        exchange_store_link(req->db, district, source, "institution", external_id, in->id, now_ts, e) < 0)
        return -1;
    const char *action = found ? "updated" : "created";
    json_t *fields = json_pack("{s:s, s:s, s:s}", "source", source, "external_id", external_id, "action", action);
    int rc = audit_request(req, "exchange.import", "institution", http_printf(req, "%" PRId64, in->id), fields, e);
    json_decref(fields);
    if (rc == 0)
        json_array_append_new(results, json_pack("{s:s, s:I, s:s}", "external_id", external_id, "id",
                                                 (json_int_t)in->id, "action", action));
    return rc;
}

/* POST /api/v1/exchange/institutions {"records": [{"external_id", "record"}]}: institutions another
 * platform sends (浙有善育 registers kindergartens' toddler classes — seed 四(三)10). Ours is
 * updated where that platform's id — or else the unified social credit code — is known, created
 * where not, the platform's id kept beside ours; every record checked as POST
 * /api/v1/institutions checks a body; all or nothing, the first bad record named; each write
 * audited. */
static int import_institutions(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    struct registry_rules rules;
    if (authz_require(req, "exchange.write", &t, &e) < 0 ||
        registry_rules_from_params(req->db, req->district, req->today, &rules, NULL, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    json_t *records = json_object_get(http_body(req), "records"), *rec, *results = json_array();
    size_t i;
    if (db_begin(req->db, &e) < 0) {
        json_decref(results);
        return http_reply_err(rep, &e);
    }
    json_array_foreach(records, i, rec)
    {
        if (import_record(req, &rules, rec, now_ts, results, &e) < 0) {
            json_decref(results);
            if (e.status < 500) { /* the record's own fault: say which one */
                char path[160];
                snprintf(path, sizeof path, "records[%zu].record%s%s", i, e.field[0] ? "." : "", e.field);
                parse_copy_text(e.field, sizeof e.field, path);
            }
            return http_reply_rollback(req, rep, &e);
        }
    }
    if (db_commit(req->db, &e) < 0) {
        json_decref(results);
        return http_reply_rollback(req, rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:o}", "items", results));
}

#include "exchange/api.schemas.inc"

const struct route exchange_routes[] = {
    {"GET", "/api/v1/exchange/institutions", "exchange.read", list_institutions, NULL, &PAGE, .on_primary = 1},
    {"POST", "/api/v1/exchange/institutions", "exchange.write", import_institutions, &RECORDS_IN, &IMPORTED},
    {NULL, NULL, NULL, NULL},
};
