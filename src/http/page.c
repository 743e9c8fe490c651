/* page.c — the one way lists page: `limit` and an opaque `cursor` in the query, {"items","next"}
 * in the reply. A cursor is the last row's id, and when the list is sorted by a key before the
 * id, that key base64url-encoded after a dot ("812" or "812.MjAyNi0xMi0wNQ"); clients must not
 * build or read them. */
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#include "http/internal.h"

#define KEY_MAX 64 /* bytes of a sort key in a cursor */

int http_page_begin(struct http_req *req, struct http_page *p, struct err *e)
{
    memset(p, 0, sizeof *p);
    p->after_key = "";
    p->limit = HTTP_PAGE_DEFAULT;
    const char *l = http_query(req, "limit"), *c = http_query(req, "cursor");
    if (l) {
        int64_t v;
        if (http_parse_id(l, &v) < 0 || v > HTTP_PAGE_MAX)
            return err_set(e, 400, "bad_limit", "limit", "limit 应为 1 到 %d 之间的整数", HTTP_PAGE_MAX);
        p->limit = (int)v;
    }
    if (!c || !c[0])
        return 0;
    const char *dot = strchr(c, '.');
    char id[24];
    size_t idlen = dot ? (size_t)(dot - c) : strlen(c);
    if (idlen >= sizeof id)
        return err_set(e, 400, "bad_cursor", "cursor", "分页游标无效");
    memcpy(id, c, idlen);
    id[idlen] = '\0';
    if (http_parse_id(id, &p->after_id) < 0)
        return err_set(e, 400, "bad_cursor", "cursor", "分页游标无效");
    if (dot) {
        char *key = http_alloc(req, KEY_MAX + 1);
        size_t n = 0;
        if (sodium_base642bin((unsigned char *)key, KEY_MAX, dot + 1, strlen(dot + 1), NULL, &n, NULL,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
            memchr(key, '\0', n))
            return err_set(e, 400, "bad_cursor", "cursor", "分页游标无效");
        key[n] = '\0';
        p->after_key = key;
    }
    return 0;
}

int http_page_take(struct http_req *req, struct http_page *p, int64_t id, const char *key)
{
    if (p->count == p->limit) {
        p->more = 1;
        return 0;
    }
    p->count++;
    p->last_id = id;
    p->last_key = key ? http_strdup(req, key) : NULL;
    return 1;
}

json_t *http_page_rows(struct http_req *req, struct http_page *p, json_t *rows, const char *id_member,
                       const char *key_member)
{
    json_t *items = json_array(), *r;
    size_t i;
    json_array_foreach(rows, i, r)
    {
        if (!http_page_take(req, p, json_integer_value(json_object_get(r, id_member)),
                            key_member ? json_string_value(json_object_get(r, key_member)) : NULL))
            break;
        json_array_append(items, r);
    }
    json_decref(rows);
    return items;
}

json_t *http_page_reply(struct http_req *req, const struct http_page *p, json_t *items)
{
    json_t *next = json_null();
    if (p->more) {
        char *cursor = http_printf(req, "%" PRId64, p->last_id);
        if (p->last_key) {
            size_t klen = strlen(p->last_key);
            size_t cap = sodium_base64_encoded_len(klen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
            char *b64 = http_alloc(req, cap);
            sodium_bin2base64(b64, cap, (const unsigned char *)p->last_key, klen,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING);
            cursor = http_printf(req, "%s.%s", cursor, b64);
        }
        next = json_string(cursor);
    }
    return json_pack("{s:o, s:o}", "items", items, "next", next);
}
