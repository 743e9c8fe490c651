/* reply.c — filling a struct http_reply (JSON, the error shape, extra headers) and turning it into
 * a libmicrohttpd response with the security headers every answer carries. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/internal.h"

static const char JSON_TYPE[] = "application/json; charset=utf-8";

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

int http_reply_error(struct http_reply *rep, int status, const char *code, const char *field, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return http_reply_json(rep, status, error_object(code, field, message));
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

static int out_append(const char *buf, size_t n, void *data)
{
    struct http_req_state *st = data;
    if (st->out_len + n + 1 > st->out_cap) {
        size_t cap = st->out_cap ? st->out_cap : 1024;
        while (cap < st->out_len + n + 1)
            cap *= 2;
        char *p = realloc(st->out, cap);
        if (!p) {
            st->out_failed = 1;
            return -1;
        }
        st->out = p;
        st->out_cap = cap;
    }
    memcpy(st->out + st->out_len, buf, n);
    st->out_len += n;
    return 0;
}

int http_add_common_headers(struct http_req_state *st, struct MHD_Response *resp)
{
    int ok = MHD_add_response_header(resp, "Content-Security-Policy", st->srv->csp) == MHD_YES;
    ok &= MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES;
    ok &= MHD_add_response_header(resp, "X-Frame-Options", "DENY") == MHD_YES;
    ok &= MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") == MHD_YES;
    ok &= MHD_add_response_header(resp, "X-Request-Id", st->req.request_id) == MHD_YES;
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
    enum MHD_Result r = MHD_queue_response(st->conn, (unsigned)status, resp);
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
    struct MHD_Response *resp;
    int has_body = 1;
    if (rep->json) {
        st->out_len = 0;
        if (json_dump_callback(rep->json, out_append, st, JSON_COMPACT | JSON_REAL_PRECISION(12)) < 0 || st->out_failed)
            return MHD_NO;
        json_decref(rep->json);
        rep->json = NULL;
        /* MHD takes the buffer and free()s it with the response */
        resp = MHD_create_response_from_buffer(st->out_len, st->out ? st->out : (char *)"", st->out ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
        if (resp) {
            st->out = NULL;
            st->out_cap = st->out_len = 0;
        }
    } else if (rep->raw) {
        resp = MHD_create_response_from_buffer(rep->raw_len, (void *)rep->raw, MHD_RESPMEM_PERSISTENT);
    } else {
        has_body = 0;
        resp = MHD_create_response_from_buffer(0, (char *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return MHD_NO;
    int ok = 1;
    if (has_body)
        ok &= MHD_add_response_header(resp, "Content-Type", rep->content_type ? rep->content_type : JSON_TYPE) == MHD_YES;
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
