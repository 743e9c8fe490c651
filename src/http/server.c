/* server.c — the libmicrohttpd daemon (epoll thread pool) and the life of one request:
 * state set up on the first call (route, request id, body limit), body collected over the next
 * calls, the answer given on the last call (before hook → handler → reply), and logging, metrics
 * and the after hook once the reply is sent. Also /healthz, /metrics, start, wait and stop. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/internal.h"

static const char DEFAULT_CSP[] = "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self' "
                                  "'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
static const char HEALTHZ_BODY[] = "{\"status\":\"ok\"}";

enum req_kind { KIND_ROUTE, KIND_HEALTHZ, KIND_METRICS, KIND_STATIC, KIND_NOT_FOUND, KIND_NOT_ALLOWED };

/* Per-request state lives behind MHD's request context. It is created by the URI log callback,
 * which sees the raw URI (with the query string, before MHD decodes it). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct http_server *srv = cls;
    /* a connection stays on one worker thread, so the state the thread's last request freed is
     * usually waiting here: no 4 kB malloc/free per request */
    struct http_req_state *st = pthread_getspecific(srv->spare_state);
    if (st)
        pthread_setspecific(srv->spare_state, NULL);
    else if (!(st = malloc(sizeof *st)))
        return NULL;
    memset(st, 0, offsetof(struct http_req_state, arena_first));
    st->t0_ns = http_now_ns();
    st->srv = srv;
    st->conn = conn;
    st->slot = HTTP_SLOT_UNMATCHED;
    st->route_label = "unmatched";
    st->arena_cur = st->arena_first;
    st->arena_left = sizeof st->arena_first;
    st->req.impl = st;
    st->req.app = srv->cfg.app;
    st->req.body = "";
    const char *q = strchr(uri, '?');
    if (q) {
        const char *hash = strchr(q, '#');
        size_t n = hash ? (size_t)(hash - q - 1) : strlen(q + 1);
        char *copy = http_alloc(&st->req, n + 1);
        memcpy(copy, q + 1, n);
        copy[n] = '\0';
        st->query_raw = copy;
    }
    return st;
}

static void set_remote_addr(struct http_req_state *st)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(st->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) { /* by hand: inet_ntop goes through sprintf */
        const unsigned char *b = (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
        char *o = st->req.remote_addr;
        for (int i = 0; i < 4; i++) {
            unsigned v = b[i];
            if (v >= 100)
                *o++ = (char)('0' + v / 100);
            if (v >= 10)
                *o++ = (char)('0' + v / 10 % 10);
            *o++ = (char)('0' + v % 10);
            *o++ = i < 3 ? '.' : '\0';
        }
    } else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, st->req.remote_addr,
                  sizeof st->req.remote_addr);
}

/* First call: everything that does not need the body. Returns the request kind. */
static int setup(struct http_req_state *st, const char *url, const char *method)
{
    struct http_server *srv = st->srv;
    st->req.method = method;
    st->req.path = url;
    http_request_id(st);
    set_remote_addr(st);
    st->req.now = srv->cfg.clock ? srv->cfg.clock(srv->cfg.app) : (int64_t)time(NULL);

    const char *cl = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        st->declared_len = errno || *end ? UINT64_MAX : (uint64_t)n;
        if (st->declared_len > srv->cfg.max_body)
            st->too_large = 1;
    }

    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (strcmp(url, "/healthz") == 0 || strcmp(url, "/metrics") == 0) {
        int health = url[1] == 'h';
        st->slot = health ? HTTP_SLOT_HEALTHZ : HTTP_SLOT_METRICS;
        st->route_label = health ? "/healthz" : "/metrics";
        if (!is_get) {
            http_reply_header(&st->rep, "Allow", "GET, HEAD");
            return KIND_NOT_ALLOWED;
        }
        return health ? KIND_HEALTHZ : KIND_METRICS;
    }
    const char *allow = NULL;
    switch (http_router_match(&srv->router, st, method, url, &allow)) {
    case HTTP_MATCH_OK:
        st->route_label = st->req.route->pattern;
        return KIND_ROUTE;
    case HTTP_MATCH_NO_METHOD:
        http_reply_header(&st->rep, "Allow", allow);
        return KIND_NOT_ALLOWED;
    case HTTP_MATCH_NO_PATH:
        break;
    }
    if (!srv->statics || strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0)
        return KIND_NOT_FOUND;
    st->slot = HTTP_SLOT_STATIC;
    st->route_label = "static";
    if (!is_get) {
        http_reply_header(&st->rep, "Allow", "GET, HEAD");
        return KIND_NOT_ALLOWED;
    }
    return KIND_STATIC;
}

/* How much of an oversized body is read and thrown away before answering 413. */
static uint64_t discard_limit(const struct http_server *srv) { return 16 * (uint64_t)srv->cfg.max_body + (1u << 20); }

/* early: answered before the whole body was read, so the connection closes after the reply. */
static enum MHD_Result reply_too_large(struct http_req_state *st, int early)
{
    http_reply_error(&st->rep, 413, "payload_too_large", "", "请求体过大（上限 %zu 字节）", st->srv->cfg.max_body);
    if (early)
        http_reply_header(&st->rep, "Connection", "close");
    return http_send(st);
}

/* Take one chunk of the body: keep it while within max_body, afterwards only count it. */
static void take_body(struct http_req_state *st, const char *data, size_t n)
{
    size_t max = st->srv->cfg.max_body;
    st->body_seen += n;
    if (st->too_large)
        return;
    if (st->body_len + n > max) {
        st->too_large = 1;
        free(st->body);
        st->body = NULL;
        st->body_len = st->body_cap = 0;
        return;
    }
    if (st->body_len + n + 1 > st->body_cap) {
        size_t cap = st->body_cap ? st->body_cap : 1024;
        while (cap < st->body_len + n + 1)
            cap *= 2;
        if (cap > max + 1)
            cap = max + 1;
        char *p = realloc(st->body, cap);
        if (!p) {
            st->too_large = 1; /* answered as 413: better than a half body */
            free(st->body);
            st->body = NULL;
            st->body_len = st->body_cap = 0;
            return;
        }
        st->body = p;
        st->body_cap = cap;
    }
    memcpy(st->body + st->body_len, data, n);
    st->body_len += n;
}

static enum MHD_Result answer(struct http_req_state *st, int kind)
{
    struct http_server *srv = st->srv;
    struct http_reply *rep = &st->rep;
    if (st->too_large)
        return reply_too_large(st, 0);
    switch (kind) {
    case KIND_HEALTHZ:
        rep->status = 200;
        rep->raw = HEALTHZ_BODY;
        rep->raw_len = sizeof HEALTHZ_BODY - 1;
        return http_send(st);
    case KIND_METRICS: {
        size_t len = 0;
        char *text = http_metrics_text(&srv->metrics, &len);
        if (!text)
            return MHD_NO;
        st->out = text; /* freed with the request */
        rep->status = 200;
        rep->raw = text;
        rep->raw_len = len;
        rep->content_type = "text/plain; version=0.0.4; charset=utf-8";
        return http_send(st);
    }
    case KIND_NOT_FOUND:
        http_reply_error(rep, 404, "not_found", "", "找不到请求的资源：%s", st->req.path);
        return http_send(st);
    case KIND_NOT_ALLOWED:
        http_reply_error(rep, 405, "method_not_allowed", "", "该资源不支持 %s 请求", st->req.method);
        return http_send(st);
    case KIND_STATIC:
        return http_static_serve(srv->statics, st);
    default:
        break;
    }
    if (st->body) {
        st->body[st->body_len] = '\0';
        st->req.body = st->body;
        st->req.body_len = st->body_len;
    }
    int stop = 0;
    if (srv->cfg.before) {
        st->before_called = 1;
        stop = srv->cfg.before(&st->req, rep);
    }
    if (!stop)
        stop = http_schema_check(st);
    if (!stop)
        st->req.route->handler(&st->req, rep);
    return http_send(st);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    (void)cls;
    (void)conn;
    (void)version;
    struct http_req_state *st = *req_cls;
    if (!st)
        return MHD_NO; /* out of memory in on_uri: drop the connection */
    if (st->phase == 0) {
        st->phase = 1;
        st->kind = setup(st, url, method);
        if (st->too_large) {
            /* Answer before the body when the client waits for "100 Continue", or when the body
             * is too big even to read and throw away. Otherwise read and discard it, so that the
             * client (which is still sending) receives the 413 rather than a connection reset. */
            const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
            if ((expect && strcasecmp(expect, "100-continue") == 0) || st->declared_len > discard_limit(st->srv))
                return reply_too_large(st, 1);
        }
        return MHD_YES;
    }
    if (st->phase == 2) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        take_body(st, upload_data, *upload_data_size);
        *upload_data_size = 0;
        if (st->too_large && st->body_seen > discard_limit(st->srv))
            return reply_too_large(st, 1); /* stop reading */
        return MHD_YES;
    }
    return answer(st, st->kind);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    struct http_server *srv = cls;
    struct http_req_state *st = *req_cls;
    if (!st)
        return;
    *req_cls = NULL;
    if (st->before_called && srv->cfg.after)
        srv->cfg.after(&st->req);
    if (st->phase == 2) {
        /* until the reply was queued: the completion itself may come much later (when a
         * client that sent one request closes the connection) */
        uint64_t us = (st->t1_ns - st->t0_ns) / 1000;
        http_metrics_record(&srv->metrics, st->slot, st->status, us);
        if (!srv->cfg.quiet)
            http_log_request(st, us);
    }
    if (st->rep.json)
        json_decref(st->rep.json);
    free(st->body);
    free(st->out);
    http_arena_free(st);
    if (pthread_getspecific(srv->spare_state) || pthread_setspecific(srv->spare_state, st) != 0)
        free(st);
}

int http_server_start(const struct http_server_config *cfg, struct http_server **out, struct err *e)
{
    *out = NULL;
    struct http_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return err_set(e, 500, "oom", "", "内存不足");
    srv->cfg = *cfg;
    if (srv->cfg.threads < 1)
        srv->cfg.threads = 1;
    if (srv->cfg.max_body == 0)
        srv->cfg.max_body = 1 << 20;
    srv->csp = cfg->csp ? cfg->csp : DEFAULT_CSP;
    if (http_router_build(&srv->router, cfg->tables, e) < 0) {
        free(srv);
        return -1;
    }
    if (pthread_key_create(&srv->spare_state, free) != 0) {
        http_router_free(&srv->router);
        free(srv);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    srv->has_key = 1;
    if (http_metrics_init(&srv->metrics, &srv->router) < 0) {
        http_server_stop(srv);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    if (cfg->web_dir && http_static_open(&srv->statics, cfg->web_dir, e) < 0) {
        http_server_stop(srv);
        return -1;
    }

    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO;
    const char *addr = cfg->listen_addr[0] ? cfg->listen_addr : "127.0.0.1";
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)cfg->port);
    } else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)cfg->port);
        flags |= MHD_USE_IPv6;
    } else {
        http_server_stop(srv);
        return err_set(e, 400, "bad_listen", "listen", "监听地址无效：%s", addr);
    }

    /* SIGINT/SIGTERM are taken by http_server_wait with sigwait: block them here so that
     * the worker threads created below inherit the block and never take them. */
    sigemptyset(&srv->sigs);
    sigaddset(&srv->sigs, SIGINT);
    sigaddset(&srv->sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &srv->sigs, &srv->old_mask);

    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_SOCK_ADDR, 0, &ss},
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, srv},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv},
        {MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)http_unescape, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, 120, NULL},
        {MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL},
        /* per-connection pool for request headers and I/O buffers; libmicrohttpd zeroes it for
         * every request, so the default 32 KiB cost more than the rest of a /healthz reply */
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 16384, NULL},
        {srv->cfg.threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, srv->cfg.threads, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    errno = 0;
    srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!srv->daemon) {
        int saved = errno;
        http_server_stop(srv);
        return err_set(e, 500, "listen_failed", "listen", "无法在 %s:%d 上监听：%s", addr, cfg->port,
                       saved ? strerror(saved) : "libmicrohttpd 启动失败");
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : cfg->port;
    *out = srv;
    return 0;
}

int http_server_port(struct http_server *srv) { return srv->port; }

void http_server_wait(struct http_server *srv)
{
    for (;;) {
        int sig = 0;
        if (sigwait(&srv->sigs, &sig) == 0 && (sig == SIGINT || sig == SIGTERM))
            break;
    }
    if (srv->daemon) {
        MHD_stop_daemon(srv->daemon);
        srv->daemon = NULL;
    }
}

void http_server_stop(struct http_server *srv)
{
    if (!srv)
        return;
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon); /* joins the workers: their spare states are freed */
    srv->daemon = NULL;
    if (srv->has_key) {
        free(pthread_getspecific(srv->spare_state)); /* none unless a request ran on this thread */
        pthread_key_delete(srv->spare_state);
    }
    if (srv->statics)
        http_static_close(srv->statics);
    http_metrics_free(&srv->metrics);
    http_router_free(&srv->router);
    if (!sigisemptyset(&srv->sigs))
        pthread_sigmask(SIG_SETMASK, &srv->old_mask, NULL);
    free(srv);
}
