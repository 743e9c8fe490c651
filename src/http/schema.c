/* schema.c — every request body is checked at the edge against its route's schema (http.h),
 * after the before hook and before the handler: a scan of the raw text that names the member
 * holding invalid UTF-8, a NUL or control character, or nesting deeper than HTTP_MAX_DEPTH
 * (jansson refuses such input without saying where); then the parse (duplicate keys refused);
 * then the tree against the schema: unknown members, types, lengths, ranges, dates, months,
 * required and trimmed members. The parsed body is kept for the handler (http_body) until the
 * reply is sent. Also the schemas as JSON Schema 2020-12, for `tuoyu routes` and OpenAPI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "http/internal.h"

#define PATH_MAX_BYTES 64 /* struct err's field */

/* ---- names of members: "choices[0].institution_id" ---- */

/* The length of s cut to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

struct path {
    char text[PATH_MAX_BYTES];
    size_t len;
};

static void path_put(struct path *p, const char *s, size_t n)
{
    size_t room = sizeof p->text - 1 - p->len;
    n = utf8_cut(s, n, room);
    memcpy(p->text + p->len, s, n);
    p->len += n;
    p->text[p->len] = '\0';
}

static void path_key(struct path *p, const char *key, size_t n)
{
    if (p->len)
        path_put(p, ".", 1);
    path_put(p, key, n);
}

static void path_index(struct path *p, size_t i)
{
    char b[24];
    int n = snprintf(b, sizeof b, "[%zu]", i);
    path_put(p, b, (size_t)n);
}

/* What a person reads for the member at p: its Chinese label ("机构名称"), with the item of the
 * innermost array it is in ("核定人数（第 2 项）"); the path when it has no label; "请求体" at the
 * top. The member's code stays in the error's field for programs. */
static const char *what(const struct http_schema *s, const struct path *p, char *buf, size_t cap)
{
    const char *bracket = p->len ? strrchr(p->text, '[') : NULL;
    if (!p->len)
        snprintf(buf, cap, "请求体");
    else if (s && s->label && bracket)
        snprintf(buf, cap, "%s（第 %zu 项）", s->label, (size_t)strtoull(bracket + 1, NULL, 10) + 1);
    else if (s && s->label)
        snprintf(buf, cap, "%s", s->label);
    else
        snprintf(buf, cap, "%s", p->text);
    return buf;
}

/* ---- the raw scan ---- */

struct frame {
    char kind;              /* '{' or '[' */
    int want_key;           /* object: the next string is a key */
    size_t index;           /* array: the item being read */
    const char *key;        /* object: the member being read (raw text between the quotes) */
    size_t key_len;
};

struct scan {
    struct frame frames[HTTP_MAX_DEPTH];
    int depth;
};

/* The path of the value being read: the full one, or (schema != NULL) only as far as the schema
 * describes it, plus the first member it does not know. */
static void scan_path(const struct scan *sc, const struct http_schema *schema, struct path *p)
{
    p->len = 0;
    p->text[0] = '\0';
    const struct http_schema *s = schema;
    for (int i = 0; i < sc->depth; i++) {
        const struct frame *f = &sc->frames[i];
        if (f->kind == '{') {
            if (f->want_key || !f->key || (schema && !(s && s->type == HTTP_OBJECT)))
                return;
            path_key(p, f->key, f->key_len);
            if (schema) {
                const struct http_schema *m = NULL;
                for (const struct http_schema *c = s->members; c && c->name; c++)
                    if (strlen(c->name) == f->key_len && memcmp(c->name, f->key, f->key_len) == 0)
                        m = c;
                if (!m)
                    return;
                s = m;
            }
        } else {
            if (schema && !(s && s->type == HTTP_ARRAY))
                return;
            path_index(p, f->index);
            if (schema)
                s = s->items;
        }
    }
}

/* A bad value is named by its path; a bad key by the object that holds it (scan_path stops at
 * an object still waiting for its key). */
static int scan_fail(const struct scan *sc, const char *code, const char *fmt, struct err *e)
{
    struct path p;
    scan_path(sc, NULL, &p);
    char w[128];
    what(NULL, &p, w, sizeof w);
    return err_set(e, 400, code, p.text, fmt, w);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when invalid: no overlong forms,
 * no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    unsigned cp = c & (0x3F >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

static int hex4(const char *s, size_t n, unsigned *out)
{
    if (n < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 0;
}

/* Check one string starting after its opening quote at *i; leaves *i after the closing quote.
 * 0, 1 when the text is malformed in a way jansson will report, or -1 with e filled. */
static int scan_string(const struct scan *sc, const char *b, size_t n, size_t *i, struct err *e)
{
    size_t k = *i;
    while (k < n) {
        unsigned char c = (unsigned char)b[k];
        if (c == '"') {
            *i = k + 1;
            return 0;
        }
        if (c < 0x20)
            return scan_fail(sc, "bad_char", "%s含有 NUL 或控制字符", e);
        if (c == '\\') {
            if (k + 1 >= n || !b[k + 1] || !strchr("\"\\/bfnrtu", b[k + 1]))
                return 1; /* not a JSON escape: jansson says where */
            if (b[k + 1] != 'u') {
                k += 2;
                continue;
            }
            unsigned u;
            if (hex4(b + k + 2, n - k - 2, &u) < 0)
                return 1;
            k += 6;
            if (u == 0)
                return scan_fail(sc, "bad_char", "%s含有 NUL 字符", e);
            if (u >= 0xDC00 && u <= 0xDFFF)
                return scan_fail(sc, "bad_utf8", "%s含有无效的 Unicode 字符（孤立的代理项）", e);
            if (u >= 0xD800 && u <= 0xDBFF) {
                unsigned lo;
                if (k + 1 >= n || b[k] != '\\' || b[k + 1] != 'u' || hex4(b + k + 2, n - k - 2, &lo) < 0 || lo < 0xDC00 ||
                    lo > 0xDFFF)
                    return scan_fail(sc, "bad_utf8", "%s含有无效的 Unicode 字符（孤立的代理项）", e);
                k += 6;
            }
            continue;
        }
        if (c < 0x80) {
            k++;
            continue;
        }
        size_t len = utf8_seq((const unsigned char *)b + k, n - k);
        if (!len)
            return scan_fail(sc, "bad_utf8", "%s含有无效的 UTF-8 编码", e);
        k += len;
    }
    return 1; /* unterminated: jansson says where */
}

/* 0 when nothing is wrong that the scan can name (jansson reports what remains), -1 with e. */
static int body_scan(const char *b, size_t n, const struct http_schema *schema, struct err *e)
{
    struct scan sc = {.depth = 0};
    size_t i = 0;
    while (i < n) {
        char c = b[i];
        struct frame *top = sc.depth ? &sc.frames[sc.depth - 1] : NULL;
        if (c == '{' || c == '[') {
            if (sc.depth == HTTP_MAX_DEPTH) {
                struct path p;
                scan_path(&sc, schema, &p);
                char w[128];
                what(NULL, &p, w, sizeof w);
                return err_set(e, 400, "too_deep", p.text, "%s嵌套过深（最多 %d 层数组或对象）", w, HTTP_MAX_DEPTH);
            }
            sc.frames[sc.depth++] = (struct frame){.kind = c, .want_key = c == '{'};
            i++;
        } else if (c == '}' || c == ']') {
            if (!sc.depth)
                return 0;
            sc.depth--;
            i++;
        } else if (c == ',') {
            if (top && top->kind == '[')
                top->index++;
            else if (top)
                top->want_key = 1;
            i++;
        } else if (c == ':') {
            i++;
        } else if (c == '"') {
            int is_key = top && top->kind == '{' && top->want_key;
            size_t start = i + 1;
            i = start;
            int rc = scan_string(&sc, b, n, &i, e);
            if (rc < 0)
                return -1;
            if (rc > 0)
                return 0;
            if (is_key) {
                top->key = b + start;
                top->key_len = i - 1 - start;
                top->want_key = 0;
            }
        } else {
            i++; /* white space, numbers, literals: jansson checks them */
        }
    }
    return 0;
}

/* ---- the tree against the schema ---- */

static const char *type_words(enum http_type t)
{
    switch (t) {
    case HTTP_STRING:
        return "字符串";
    case HTTP_INTEGER:
        return "整数";
    case HTTP_ID:
        return "正整数编号";
    case HTTP_NUMBER:
        return "数字";
    case HTTP_BOOLEAN:
        return "true 或 false";
    case HTTP_DATE:
        return "日期字符串 YYYY-MM-DD";
    case HTTP_MONTH:
        return "月份字符串 YYYY-MM";
    case HTTP_DATETIME:
        return "带时区的 ISO 8601 时间字符串";
    case HTTP_ARRAY:
        return "数组";
    case HTTP_OBJECT:
        return "对象";
    case HTTP_BINARY:
        return "原始字节";
    case HTTP_FILE:
        return "上传的文件";
    }
    return "";
}

static int is_space_at(const char *s, size_t n, size_t *len)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
        *len = 1;
        return 1;
    }
    if (n >= 2 && c == 0xC2 && (unsigned char)s[1] == 0xA0) { /* U+00A0 */
        *len = 2;
        return 1;
    }
    if (n >= 3 && c == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80) { /* U+3000 全角空格 */
        *len = 3;
        return 1;
    }
    return 0;
}

/* Trim white space at both ends of the string v in place (v is the request's own). */
static void trim_string(json_t *v)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v), a = 0, w;
    while (a < n && is_space_at(s + a, n - a, &w))
        a += w;
    size_t z = n;
    for (;;) {
        /* the last character: step back over continuation bytes */
        if (z <= a)
            break;
        size_t start = z - 1;
        while (start > a && ((unsigned char)s[start] & 0xC0) == 0x80)
            start--;
        if (!is_space_at(s + start, z - start, &w) || start + w != z)
            break;
        z = start;
    }
    if (a || z != n)
        json_string_setn(v, s + a, z - a);
}

static int check_value(json_t *v, const struct http_schema *s, struct path *p, struct err *e);

static int wrong_type(const struct http_schema *s, const struct path *p, struct err *e)
{
    char w[160];
    return err_set(e, 422, "wrong_type", p->text, "%s应为%s", what(s, p, w, sizeof w), type_words(s->type));
}

static int check_object(json_t *obj, const struct http_schema *s, struct path *p, struct err *e)
{
    const char *key;
    json_t *v;
    size_t base = p->len;
    json_object_foreach(obj, key, v)
    {
        const struct http_schema *m = s->members;
        while (m && m->name && strcmp(m->name, key))
            m++;
        path_key(p, key, strlen(key));
        if (!m || !m->name)
            return err_set(e, 400, "unknown_field", p->text, "不支持的字段：%s", p->text);
        if (json_is_null(v)) {
            if (!(m->flags & HTTP_NULLABLE)) {
                char w[160];
                return err_set(e, 422, m->flags & HTTP_REQUIRED ? "required" : "wrong_type", p->text,
                               m->flags & HTTP_REQUIRED ? "请填写%s" : "%s不能为 null", what(m, p, w, sizeof w));
            }
        } else if (check_value(v, m, p, e) < 0) {
            return -1;
        }
        p->len = base;
        p->text[base] = '\0';
    }
    for (const struct http_schema *m = s->members; m && m->name; m++) {
        if (!(m->flags & HTTP_REQUIRED))
            continue;
        json_t *v2 = json_object_get(obj, m->name);
        if (v2 && !json_is_null(v2))
            continue;
        path_key(p, m->name, strlen(m->name));
        char w[160];
        return err_set(e, 422, "required", p->text, "请填写%s", what(m, p, w, sizeof w));
    }
    return 0;
}

static int check_value(json_t *v, const struct http_schema *s, struct path *p, struct err *e)
{
    char w[160];
    switch (s->type) {
    case HTTP_STRING:
    case HTTP_DATE:
    case HTTP_MONTH:
    case HTTP_DATETIME: {
        if (!json_is_string(v))
            return wrong_type(s, p, e);
        if (s->flags & HTTP_TRIM)
            trim_string(v);
        const char *str = json_string_value(v);
        size_t len = json_string_length(v);
        if (len == 0 && (s->flags & (HTTP_REQUIRED | HTTP_TRIM)))
            return err_set(e, 422, "required", p->text, "请填写%s", what(s, p, w, sizeof w));
        if (s->max && len > s->max)
            return err_set(e, 422, "too_long", p->text, "%s过长（最多 %zu 字节，收到 %zu 字节）", what(s, p, w, sizeof w),
                           s->max, len);
        if (s->type == HTTP_DATE && date_parse(str, NULL, e) < 0) {
            snprintf(e->field, sizeof e->field, "%s", p->text);
            return -1;
        }
        if (s->type == HTTP_MONTH) {
            char day[16];
            snprintf(day, sizeof day, "%.7s-01", str);
            if (len != 7 || !date_is_valid(day))
                return err_set(e, 422, "bad_month", p->text, "%s应为存在的月份 YYYY-MM", what(s, p, w, sizeof w));
        }
        return 0;
    }
    case HTTP_INTEGER:
    case HTTP_ID:
    case HTTP_NUMBER: {
        if (s->type == HTTP_NUMBER ? !json_is_number(v) : !json_is_integer(v))
            return wrong_type(s, p, e);
        double x = json_number_value(v);
        double lo = s->type == HTTP_ID ? 1 : s->min_value, hi = s->type == HTTP_ID ? 0 : s->max_value;
        if (s->type == HTTP_ID && json_integer_value(v) < 1)
            return err_set(e, 422, "out_of_range", p->text, "%s应为正整数", what(s, p, w, sizeof w));
        if (lo < hi && !(x >= lo && x <= hi))
            return err_set(e, 422, "out_of_range", p->text, "%s应在 %.15g 到 %.15g 之间", what(s, p, w, sizeof w), lo, hi);
        return 0;
    }
    case HTTP_BOOLEAN:
        return json_is_boolean(v) ? 0 : wrong_type(s, p, e);
    case HTTP_ARRAY: {
        if (!json_is_array(v))
            return wrong_type(s, p, e);
        if (s->max && json_array_size(v) > s->max)
            return err_set(e, 422, "too_many", p->text, "%s最多 %zu 项", what(s, p, w, sizeof w), s->max);
        size_t base = p->len, i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            path_index(p, i);
            if (json_is_null(item) && !(s->items->flags & HTTP_NULLABLE))
                return wrong_type(s->items, p, e);
            if (!json_is_null(item) && check_value(item, s->items, p, e) < 0)
                return -1;
            p->len = base;
            p->text[base] = '\0';
        }
        return 0;
    }
    case HTTP_OBJECT:
        return json_is_object(v) ? check_object(v, s, p, e) : wrong_type(s, p, e);
    case HTTP_BINARY:
    case HTTP_FILE:
        break;
    }
    return 0;
}

/* 1 when b holds something other than white space. */
static int has_content(const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
            return 1;
    return 0;
}

static json_t *parse(const char *b, size_t n, struct err *e)
{
    json_error_t je;
    json_t *j = json_loadb(b, n, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        int line = je.line < 1 ? 1 : je.line, col = je.column < 1 ? 1 : je.column;
        if (json_error_code(&je) == json_error_duplicate_key)
            err_set(e, 400, "bad_json", "", "请求体中有重复的字段（第 %d 行第 %d 列）", line, col);
        else
            err_set(e, 400, "bad_json", "", "请求体不是有效的 JSON（第 %d 行第 %d 列）", line, col);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        err_set(e, 400, "bad_json", "", "请求体应为 JSON 对象");
        return NULL;
    }
    return j;
}

json_t *http_json_check(const struct http_schema *s, const char *body, size_t len, struct err *e)
{
    json_t *j = NULL;
    if (!has_content(body, len))
        j = json_object();
    else if (body_scan(body, len, s, e) == 0)
        j = parse(body, len, e);
    struct path p = {.len = 0};
    if (j && check_object(j, s, &p, e) < 0) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

int http_schema_check(struct http_req_state *st)
{
    struct http_req *req = &st->req;
    const struct http_schema *s = req->route->body;
    struct err e = {0};
    if (!s) {
        if (!has_content(req->body, req->body_len))
            return 0;
        http_reply_error(&st->rep, 400, "unexpected_body", "", "该请求不接受请求体");
        return 1;
    }
    if (s->type == HTTP_BINARY || s->type == HTTP_FILE)
        return 0;
    st->body_json = http_json_check(s, req->body, req->body_len, &e); /* freed with the request */
    if (!st->body_json) {
        http_reply_err(&st->rep, &e);
        return 1;
    }
    return 0;
}

json_t *http_body(struct http_req *req)
{
    struct http_req_state *st = req->impl;
    return st->body_json;
}

int http_schema_valid(const struct http_schema *s)
{
    if (!s || s->type < HTTP_STRING || s->type > HTTP_FILE)
        return 0;
    if (s->type == HTTP_ARRAY)
        return s->items && s->items->type != HTTP_FILE && http_schema_valid(s->items);
    if (s->type == HTTP_OBJECT)
        for (const struct http_schema *m = s->members; m && m->name; m++)
            if (m->type == HTTP_BINARY || m->type == HTTP_FILE || !http_schema_valid(m))
                return 0;
    return 1;
}

const char *http_body_media_type(const struct http_schema *s)
{
    return s->type == HTTP_BINARY ? "application/octet-stream"
           : s->type == HTTP_FILE ? "multipart/form-data"
                                  : "application/json";
}

/* ---- the schemas as JSON Schema 2020-12 ---- */

json_t *http_schema_json(const struct http_schema *s, int request)
{
    json_t *o = json_object();
    static const char *const json_types[] = {
        [HTTP_STRING] = "string",  [HTTP_INTEGER] = "integer", [HTTP_ID] = "integer", [HTTP_NUMBER] = "number",
        [HTTP_BOOLEAN] = "boolean", [HTTP_DATE] = "string",    [HTTP_MONTH] = "string", [HTTP_DATETIME] = "string",
        [HTTP_ARRAY] = "array",    [HTTP_OBJECT] = "object",  [HTTP_BINARY] = "string",  [HTTP_FILE] = "object",
    };
    const char *t = json_types[s->type];
    json_object_set_new(o, "type", s->flags & HTTP_NULLABLE ? json_pack("[s, s]", t, "null") : json_string(t));
    if (s->label)
        json_object_set_new(o, "description", json_string(s->label));
    if (s->flags & HTTP_READONLY)
        json_object_set_new(o, "readOnly", json_true());
    switch (s->type) {
    case HTTP_STRING:
        if (s->max) {
            /* the limit is in UTF-8 bytes; as characters it is an upper bound */
            json_object_set_new(o, "maxLength", json_integer((json_int_t)s->max));
            json_object_set_new(o, "x-max-bytes", json_integer((json_int_t)s->max));
        }
        if (s->flags & (HTTP_REQUIRED | HTTP_TRIM))
            json_object_set_new(o, "minLength", json_integer(1));
        if (s->flags & HTTP_TRIM) {
            json_object_set_new(o, "pattern", json_string("\\S"));
            json_object_set_new(o, "x-trim", json_true());
        }
        break;
    case HTTP_ID:
        json_object_set_new(o, "minimum", json_integer(1));
        json_object_set_new(o, "format", json_string("int64"));
        break;
    case HTTP_INTEGER:
    case HTTP_NUMBER:
        if (s->min_value < s->max_value) {
            json_object_set_new(o, "minimum", s->type == HTTP_INTEGER ? json_integer((json_int_t)s->min_value)
                                                                      : json_real(s->min_value));
            json_object_set_new(o, "maximum", s->type == HTTP_INTEGER ? json_integer((json_int_t)s->max_value)
                                                                      : json_real(s->max_value));
        }
        break;
    case HTTP_DATE:
        json_object_set_new(o, "format", json_string("date"));
        break;
    case HTTP_MONTH:
        json_object_set_new(o, "pattern", json_string("^[0-9]{4}-(0[1-9]|1[0-2])$"));
        break;
    case HTTP_DATETIME:
        json_object_set_new(o, "format", json_string("date-time"));
        break;
    case HTTP_ARRAY:
        json_object_set_new(o, "items", http_schema_json(s->items, request));
        if (s->max)
            json_object_set_new(o, "maxItems", json_integer((json_int_t)s->max));
        break;
    case HTTP_OBJECT: {
        json_t *props = json_object(), *req = json_array();
        for (const struct http_schema *m = s->members; m && m->name; m++) {
            json_object_set_new(props, m->name, http_schema_json(m, request));
            if (m->flags & HTTP_REQUIRED)
                json_array_append_new(req, json_string(m->name));
        }
        json_object_set_new(o, "properties", props);
        if (json_array_size(req))
            json_object_set_new(o, "required", req);
        else
            json_decref(req);
        if (request)
            json_object_set_new(o, "additionalProperties", json_false());
        break;
    }
    case HTTP_BINARY:
        json_object_set_new(o, "contentMediaType", json_string("application/octet-stream"));
        break;
    case HTTP_FILE: /* the form: one member "file" whose value is the file's bytes */
        json_object_set_new(o, "properties",
                            json_pack("{s:{s:s, s:s, s:s}}", "file", "type", "string", "contentMediaType",
                                      "application/octet-stream", "description", "文件（分段名 file，带文件名）"));
        json_object_set_new(o, "required", json_pack("[s]", "file"));
        if (request)
            json_object_set_new(o, "additionalProperties", json_false());
        break;
    case HTTP_BOOLEAN:
        break;
    }
    return o;
}

json_t *http_subactions_json(const struct route *r)
{
    json_t *a = json_array();
    for (const char *const *s = r->subactions; s && *s; s++)
        json_array_append_new(a, json_string(*s));
    return a;
}

json_t *http_routes_json(const struct route *const *tables)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    for (const struct route *const *t = tables; t && *t; t++)
        for (const struct route *r = *t; r->method; r++) {
            json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "method", r->method, "pattern", r->pattern, "action",
                                  r->action ? r->action : "", "status", r->status ? r->status : 200);
            if (!o || json_array_append_new(a, o) < 0) {
                json_decref(a);
                return NULL;
            }
            json_object_set_new(o, "body", r->body ? http_schema_json(r->body, 1) : json_null());
            if (r->body)
                json_object_set_new(o, "body_media_type", json_string(http_body_media_type(r->body)));
            json_object_set_new(o, "reply", r->reply ? http_schema_json(r->reply, 0) : json_null());
            json_object_set_new(o, "subactions", http_subactions_json(r));
        }
    return a;
}

const struct http_schema http_no_body_schema = {NULL, HTTP_OBJECT, 0, "无需填写（可不带请求体）",
                                                .members = (const struct http_schema[]){{NULL}}};
