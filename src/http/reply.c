/* reply.c — filling a struct http_reply (JSON, the error shape, extra headers) and turning it into
 * a libmicrohttpd response with the security headers every answer carries; the replies of public
 * reads (GET, no login) gzip-compressed when the client takes it. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "db/db.h"
#include "http/internal.h"

static const char JSON_TYPE[] = "application/json; charset=utf-8";
/* JSON replies of public routes at least this long are gzipped for clients that take it */
#define GZIP_MIN_BYTES 1024

int http_reply_json(struct http_reply *rep, int status, json_t *json)
{
    if (rep->json && rep->json != json)
        json_decref(rep->json);
    rep->status = status;
    rep->json = json;
    rep->raw = NULL;
    rep->raw_len = 0;
    return 0;
}

static json_t *error_object(const char *code, const char *field, const char *message)
{
    return json_pack("{s:{s:s, s:s, s:s}}", "error", "code", code && *code ? code : "error", "field",
                     field ? field : "", "message", message ? message : "");
}

int http_reply_err(struct http_reply *rep, const struct err *e)
{
    int status = e && e->status ? e->status : 500;
    const char *code = e && e->code[0] ? e->code : "internal";
    const char *message = e && e->message[0] ? e->message : "服务器内部错误";
    return http_reply_json(rep, status, error_object(code, e ? e->field : "", message));
}

int http_reply_rollback(struct http_req *req, struct http_reply *rep, const struct err *e)
{
    db_rollback(req->db);
    return http_reply_err(rep, e);
}

int http_reply_error(struct http_reply *rep, int status, const char *code, const char *field, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return http_reply_json(rep, status, error_object(code, field, message));
}

int http_reply_import_rows(struct http_reply *rep, json_t *rows, const char *what)
{
    json_t *o = error_object("import_rows", "file", "");
    json_t *error = json_object_get(o, "error");
    char message[256];
    snprintf(message, sizeof message, "导入文件有 %zu 处错误，未导入任何%s，请改正后重新导入", json_array_size(rows),
             what);
    json_object_set_new(error, "message", json_string(message));
    json_object_set_new(error, "rows", rows);
    return http_reply_json(rep, 422, o);
}

void http_reply_header(struct http_reply *rep, const char *name, const char *value)
{
    if (rep->nheaders >= HTTP_MAX_HEADERS || !name || !value)
        return;
    rep->header_names[rep->nheaders] = name;
    rep->header_values[rep->nheaders] = value;
    rep->nheaders++;
}

/* ---- sending ---- */

/* ---- JSON text ----
 * Writes what json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12)) writes, byte for byte (the
 * unit test compares them), in a fraction of the instructions: jansson's dump formats and hashes
 * every container's address for its loop check and walks strings code point by code point.
 * Containers nested deeper than JSON_MAX_DEPTH fail. */

#define JSON_MAX_DEPTH 512

static int out_put(struct http_req_state *st, const char *s, size_t n)
{
    if (buf_reserve(&st->out, n) < 0)
        return -1;
    memcpy(st->out.p + st->out.len, s, n);
    st->out.len += n;
    return 0;
}

static int out_string(struct http_req_state *st, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    if (n > (SIZE_MAX - 2) / 6 || buf_reserve(&st->out, n * 6 + 2) < 0) /* worst case: every byte \u00XX */
        return -1;
    char *o = st->out.p + st->out.len;
    *o++ = '"';
    size_t i = 0;
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    for (;;) {
        /* eight bytes at a time while none is a control character, '"' or '\\' */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
            if (((v - ones * 0x20) & ~v & highs) | ((q - ones) & ~q & highs) | ((b - ones) & ~b & highs))
                break;
            memcpy(o, &v, 8);
            o += 8;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = (unsigned char)s[i++];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o++ = '"';
    st->out.len = (size_t)(o - st->out.p);
    return 0;
}

static int out_integer(struct http_req_state *st, json_int_t v)
{
    char buf[24], *p = buf + sizeof buf;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return out_put(st, p, (size_t)(buf + sizeof buf - p));
}

/* The fast path of out_real for what most replies carry — coordinates, measurements, curve
 * points: a nonzero v below 1e7 in magnitude that is the double nearest to a decimal of at most
 * four places, q / 10^4. Such a decimal has at most 11 significant digits, so "%.12g" prints it
 * exactly (trailing zeros dropped, never an exponent); written here with integer arithmetic, as
 * printf's float formatting was half the time of a growth chart's reply. Returns its length in
 * buf, or 0 when v is not such a number. */
static int short_decimal(double v, char *buf)
{
    if (!(v != 0 && v > -1e7 && v < 1e7))
        return 0;
    long long q = llround(v * 1e4);
    if ((double)q / 1e4 != v)
        return 0;
    unsigned long long u = (unsigned long long)(q < 0 ? -q : q), whole = u / 10000, frac = u % 10000;
    int n = 0;
    if (q < 0)
        buf[n++] = '-';
    n += snprintf(buf + n, 24, "%llu", whole);
    buf[n++] = '.';
    if (!frac) {
        buf[n++] = '0';
        return n;
    }
    for (unsigned long long d = 1000; d && frac; d /= 10) {
        buf[n++] = (char)('0' + frac / d);
        frac %= d;
    }
    return n;
}

/* As jansson's jsonp_dtostr with precision 12: "%.12g", then ".0" when it would read as an
 * integer, and the exponent without '+' or leading zeros. */
static int out_real(struct http_req_state *st, double v)
{
    char buf[64];
    int n = short_decimal(v, buf);
    if (n > 0)
        return out_put(st, buf, (size_t)n);
    n = snprintf(buf, sizeof buf, "%.12g", v);
    if (n < 0 || (size_t)n >= sizeof buf - 3)
        return -1;
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(buf, 'e');
    if (e) {
        char *start = e + 1, *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start)
            memmove(start, end, strlen(end) + 1);
        n = (int)strlen(buf);
    }
    return out_put(st, buf, (size_t)n);
}

static int out_json(struct http_req_state *st, json_t *j, int depth)
{
    if (depth > JSON_MAX_DEPTH)
        return -1;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        if (out_put(st, "{", 1) < 0)
            return -1;
        int first = 1;
        for (void *it = json_object_iter(j); it; it = json_object_iter_next(j, it)) {
            if (!first && out_put(st, ",", 1) < 0)
                return -1;
            first = 0;
            if (out_string(st, json_object_iter_key(it), json_object_iter_key_len(it)) < 0 ||
                out_put(st, ":", 1) < 0 || out_json(st, json_object_iter_value(it), depth + 1) < 0)
                return -1;
        }
        return out_put(st, "}", 1);
    }
    case JSON_ARRAY: {
        if (out_put(st, "[", 1) < 0)
            return -1;
        size_t n = json_array_size(j);
        for (size_t i = 0; i < n; i++)
            if ((i && out_put(st, ",", 1) < 0) || out_json(st, json_array_get(j, i), depth + 1) < 0)
                return -1;
        return out_put(st, "]", 1);
    }
    case JSON_STRING:
        return out_string(st, json_string_value(j), json_string_length(j));
    case JSON_INTEGER:
        return out_integer(st, json_integer_value(j));
    case JSON_REAL:
        return out_real(st, json_real_value(j));
    case JSON_TRUE:
        return out_put(st, "true", 4);
    case JSON_FALSE:
        return out_put(st, "false", 5);
    case JSON_NULL:
        return out_put(st, "null", 4);
    }
    return -1;
}

int http_json_text(struct http_req_state *st, json_t *j)
{
    st->out.len = 0;
    st->out.failed = 0;
    if (out_json(st, j, 0) < 0 || buf_reserve(&st->out, 0) < 0)
        return -1;
    st->out.p[st->out.len] = '\0';
    return 0;
}

/* 1 when the client's Accept-Encoding takes coding (a token with q > 0, or "*" with q > 0 when
 * the coding is not named). */
int http_accepts_coding(struct http_req_state *st, const char *coding)
{
    const char *ae = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    if (!ae)
        return 0;
    size_t clen = strlen(coding);
    int star = 0;
    for (const char *p = ae; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        size_t tlen = (size_t)(p - tok);
        double q = 1;
        while (*p && *p != ',') { /* parameters: only q matters */
            if (*p == ';') {
                p++;
                while (*p == ' ' || *p == '\t')
                    p++;
                if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
                    q = strtod(p + 2, NULL);
                continue;
            }
            p++;
        }
        if (tlen == clen && strncasecmp(tok, coding, clen) == 0)
            return q > 0;
        if (tlen == 1 && *tok == '*')
            star = q > 0;
    }
    return star;
}

/* st->out gzipped into a new malloc'd buffer (*out, *out_len); -1 when it cannot be. */
static int gzip_out(struct http_req_state *st, char **out, size_t *out_len)
{
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t cap = deflateBound(&z, (uLong)st->out.len);
    char *buf = malloc(cap);
    if (!buf) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)st->out.p;
    z.avail_in = (uInt)st->out.len;
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

int http_json_gzip(struct http_req_state *st)
{
    if (st->out_gz || st->out.len < GZIP_MIN_BYTES)
        return 0;
    return gzip_out(st, &st->out_gz, &st->out_gz_len);
}

int http_add_common_headers(struct http_req_state *st, struct MHD_Response *resp)
{
    int ok = MHD_add_response_header(resp, "Content-Security-Policy", st->srv->csp) == MHD_YES;
    ok &= MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES;
    ok &= MHD_add_response_header(resp, "X-Frame-Options", "DENY") == MHD_YES;
    ok &= MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") == MHD_YES;
    ok &= MHD_add_response_header(resp, "X-Request-Id", st->req.request_id) == MHD_YES;
    if (st->req.tls) /* browsers take it only over HTTPS; a year, as the HSTS preload list asks */
        ok &= MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000") == MHD_YES;
    return ok ? 0 : -1;
}

enum MHD_Result http_send_response(struct http_req_state *st, struct MHD_Response *resp, int status)
{
    if (http_add_common_headers(st, resp) < 0) {
        MHD_destroy_response(resp);
        return MHD_NO;
    }
    st->status = status;
    st->phase = 2;
    http_conn_set_phase(st->hc, HTTP_CONN_BUSY);
    enum MHD_Result r = MHD_queue_response(st->conn, (unsigned)status, resp);
    st->t1_ns = http_now_ns();
    MHD_destroy_response(resp);
    return r;
}

enum MHD_Result http_send(struct http_req_state *st)
{
    struct http_reply *rep = &st->rep;
    if (rep->status < 100 || rep->status > 599)
        http_reply_error(rep, 500, "internal", "", "服务器内部错误"); /* the handler set no reply */
    else if (rep->status >= 400 && !rep->json && !rep->raw)
        http_reply_error(rep, rep->status, "error", "", "请求未能完成");
    if (st->before_called && st->srv->cfg.replying)
        st->srv->cfg.replying(&st->req, rep);
    struct MHD_Response *resp;
    int has_body = 1, vary = 0, gzipped = 0;
    if (rep->json) {
        if (http_json_text(st, rep->json) < 0)
            return MHD_NO;
        json_decref(rep->json);
        rep->json = NULL;
        st->out_json = 1;
    }
    if (st->out_json) {
        /* public reads (GET of a route without login: no secret in the reply that a reflected
         * input could reveal through the compressed length — BREACH; the login itself is a POST)
         * go out gzipped when long enough and the client takes it (gzipped beforehand by kept.c) */
        vary = st->req.route && strcmp(st->req.route->method, "GET") == 0 &&
               strcmp(st->req.route->action, "public") == 0 && st->out.len >= GZIP_MIN_BYTES;
        if (vary && http_accepts_coding(st, "gzip") && http_json_gzip(st) == 0 && st->out_gz) {
            resp = MHD_create_response_from_buffer(st->out_gz_len, st->out_gz, MHD_RESPMEM_MUST_FREE);
            if (resp) {
                gzipped = 1;
                st->out_gz = NULL;
            }
        }
        if (!gzipped) {
            /* MHD takes the buffer and free()s it with the response */
            resp = MHD_create_response_from_buffer(st->out.len, st->out.p ? st->out.p : (char *)"",
                                                   st->out.p ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
            if (resp)
                st->out = (struct buf){0};
        }
    } else if (rep->raw) {
        resp = MHD_create_response_from_buffer(rep->raw_len, (void *)rep->raw, MHD_RESPMEM_PERSISTENT);
    } else if (rep->has_file) {
        resp = MHD_create_response_from_fd64(rep->file_size, rep->file_fd); /* MHD closes fd */
        if (resp)
            rep->has_file = 0;
    } else {
        has_body = 0;
        resp = MHD_create_response_from_buffer(0, (char *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return MHD_NO;
    int ok = 1;
    if (has_body)
        ok &= MHD_add_response_header(resp, "Content-Type", rep->content_type ? rep->content_type : JSON_TYPE) == MHD_YES;
    if (gzipped)
        ok &= MHD_add_response_header(resp, "Content-Encoding", "gzip") == MHD_YES;
    if (vary)
        ok &= MHD_add_response_header(resp, "Vary", "Accept-Encoding") == MHD_YES;
    int has_cache_control = 0;
    for (int i = 0; i < rep->nheaders; i++) {
        ok &= MHD_add_response_header(resp, rep->header_names[i], rep->header_values[i]) == MHD_YES;
        has_cache_control |= strcasecmp(rep->header_names[i], "Cache-Control") == 0;
    }
    if (!has_cache_control)
        ok &= MHD_add_response_header(resp, "Cache-Control", "no-store") == MHD_YES;
    if (!ok) {
        MHD_destroy_response(resp);
        return MHD_NO;
    }
    return http_send_response(st, resp, rep->status);
}
