/* server.c — the libmicrohttpd daemon (epoll thread pool, optionally TLS) and the life of one
 * request: state set up on the first call (framing checks, client address, route, request id,
 * body limit), body collected over the next calls, the answer given on the last call (before hook
 * → handler → reply), and logging, metrics and the after hook once the reply is sent. Also
 * /healthz, /metrics (loopback clients or a bearer token), start, wait and stop. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>

#include <sodium.h>

#include "base/date.h"
#include "http/internal.h"

/* frame-src blob: lets the console show a PDF material it fetched itself (an object URL) in the
 * browser's viewer; materials are still served as attachments, never framed from the server. */
static const char DEFAULT_CSP[] = "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self' "
                                  "'unsafe-inline'; frame-src blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
static const char HEALTHZ_BODY[] = "{\"status\":\"ok\"}";
/* TLS 1.2 and 1.3 only */
static const char TLS_PRIORITIES[] = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
/* Descriptors kept for everything but client connections: databases, static files, logs,
 * libmicrohttpd's epoll and inter-thread pipes, per worker thread and overall. */
#define FD_RESERVE_PER_THREAD 8
#define FD_RESERVE 64

enum req_kind {
    KIND_ROUTE,
    KIND_HEALTHZ,
    KIND_METRICS,
    KIND_STATIC,
    KIND_NOT_FOUND,
    KIND_NOT_ALLOWED,
    KIND_REFUSED, /* answered at once (bad framing), the connection closed */
};

/* Per-request state lives behind MHD's request context. It is created by the URI log callback,
 * which sees the raw URI (with the query string, before MHD decodes it). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct http_server *srv = cls;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct http_conn *hc = ci ? ci->socket_context : NULL;
    /* untracked (out of memory when it opened), or shut down by us (over the per-address limit,
     * past a deadline): bytes the client sent before the shutdown are still readable, but must
     * not run as a request. NULL drops the connection. */
    if (!hc || atomic_load_explicit(&hc->closing, memory_order_relaxed))
        return NULL;
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
    st->hc = hc;
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

/* What the first call needs from the request headers, in one pass over them. */
struct header_scan {
    int bad_name;                /* a name that is not an RFC 9110 token (e.g. "Transfer-Encoding ") */
    int n_length, n_coding;      /* Content-Length and Transfer-Encoding fields */
    const char *length;          /* the first Content-Length (the one libmicrohttpd uses) */
    const char *coding;
    size_t coding_len;
    const char *fwd_for, *fwd_proto; /* the last X-Forwarded-For and X-Forwarded-Proto */
    size_t fwd_for_len, fwd_proto_len;
};

static int is_token_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           (c > ' ' && c < 0x7f && strchr("!#$%&'*+.^_`|~", c));
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                   const char *value, size_t value_size)
{
    (void)kind;
    struct header_scan *h = cls;
    for (size_t i = 0; i < key_size; i++)
        if (!is_token_char((unsigned char)key[i])) {
            h->bad_name = 1;
            return MHD_NO;
        }
    if (key_size == 0) {
        h->bad_name = 1;
        return MHD_NO;
    }
    if (key_size == 14 && strncasecmp(key, "Content-Length", 14) == 0) {
        if (h->n_length++ == 0)
            h->length = value;
    } else if (key_size == 17 && strncasecmp(key, "Transfer-Encoding", 17) == 0) {
        h->n_coding++;
        h->coding = value;
        h->coding_len = value_size;
    } else if (key_size == 15 && strncasecmp(key, "X-Forwarded-For", 15) == 0) {
        h->fwd_for = value;
        h->fwd_for_len = value_size;
    } else if (key_size == 17 && strncasecmp(key, "X-Forwarded-Proto", 17) == 0) {
        h->fwd_proto = value;
        h->fwd_proto_len = value_size;
    }
    return MHD_YES;
}

/* Refuse a request whose body length is ambiguous (RFC 9112 section 6): a front proxy might read
 * it differently and the rest would run as a second request on this connection. The reply goes
 * out before any body and libmicrohttpd closes the connection after it. Returns KIND_REFUSED, or
 * -1 when the framing is clear. */
static int check_framing(struct http_req_state *st, const struct header_scan *h, const char *version)
{
    struct http_reply *rep = &st->rep;
    if (h->bad_name)
        http_reply_error(rep, 400, "bad_framing", "", "请求头名称不合法（名称与冒号之间不得有空白）");
    else if (h->n_coding && h->n_length)
        http_reply_error(rep, 400, "bad_framing", "Transfer-Encoding",
                         "请求同时带有 Content-Length 和 Transfer-Encoding，无法确定请求体长度");
    else if (h->n_length > 1)
        http_reply_error(rep, 400, "bad_framing", "Content-Length", "请求带有多个 Content-Length");
    else if (h->n_coding > 1 || (h->n_coding && strcmp(version, MHD_HTTP_VERSION_1_0) == 0))
        http_reply_error(rep, 400, "bad_framing", "Transfer-Encoding",
                         h->n_coding > 1 ? "请求带有多个 Transfer-Encoding" : "HTTP/1.0 请求不得使用 Transfer-Encoding");
    else if (h->n_coding && !(h->coding_len == 7 && strncasecmp(h->coding, "chunked", 7) == 0))
        http_reply_error(rep, 501, "unsupported_transfer_encoding", "Transfer-Encoding",
                         "不支持的传输编码（仅支持 chunked）");
    else
        return -1;
    http_reply_header(rep, "Connection", "close");
    return KIND_REFUSED;
}

/* First call: everything that does not need the body. Returns the request kind. */
static int setup(struct http_req_state *st, const char *url, const char *method, const char *version)
{
    struct http_server *srv = st->srv;
    http_conn_set_phase(st->hc, HTTP_CONN_BODY);
    st->req.method = method;
    st->req.path = url;
    http_request_id(st);
    struct header_scan h = {0};
    MHD_get_connection_values_n(st->conn, MHD_HEADER_KIND, scan_header, &h);
    http_conn_client(st, h.fwd_for, h.fwd_for_len, h.fwd_proto, h.fwd_proto_len);
    st->req.now = srv->cfg.clock ? srv->cfg.clock(srv->cfg.app) : (int64_t)time(NULL);
    int refused = check_framing(st, &h, version);
    if (refused >= 0)
        return refused;

    if (h.length) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(h.length, &end, 10);
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
        if (http_upload_route(st->req.route))
            st->too_large = 0; /* an upload has its own limit (upload.c) */
        date_format_day(st->req.now, st->req.today, sizeof st->req.today);
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

/* /metrics: for clients on this machine, or with "Authorization: Bearer TOKEN" (compared in
 * constant time, through hashes so the length does not show either). */
static int metrics_allowed(struct http_req_state *st)
{
    struct http_server *srv = st->srv;
    if (st->client_loopback)
        return 1;
    const char *auth = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!srv->has_metrics_token || !auth || strncasecmp(auth, "Bearer ", 7) != 0)
        return 0;
    unsigned char hash[sizeof srv->metrics_token_hash];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)auth + 7, strlen(auth + 7), NULL, 0);
    return sodium_memcmp(hash, srv->metrics_token_hash, sizeof hash) == 0;
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
        if (!metrics_allowed(st)) {
            http_reply_error(rep, 403, "metrics_forbidden", "", "监控指标仅对本机或持有令牌的请求开放");
            return http_send(st);
        }
        size_t len = 0;
        char *text = http_metrics_text(&srv->metrics, &len);
        if (!text)
            return MHD_NO;
        st->out.p = text; /* freed with the request */
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
    if (st->upload) {
        stop = http_upload_end(st); /* the before hook ran on the first call */
    } else if (srv->cfg.before) {
        st->before_called = 1;
        stop = srv->cfg.before(&st->req, rep);
    }
    if (!stop)
        stop = http_schema_check(st);
    if (!stop) {
        if (http_list_export_wanted(st))
            http_list_export(st);
        else if (st->req.route->kept)
            return http_kept_answer(st);
        else
            st->req.route->handler(&st->req, rep);
    }
    return http_send(st);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    (void)cls;
    (void)conn;
    struct http_req_state *st = *req_cls;
    if (!st)
        return MHD_NO; /* out of memory in on_uri: drop the connection */
    if (st->phase == 0) {
        st->phase = 1;
        st->kind = setup(st, url, method, version);
        if (st->kind == KIND_REFUSED)
            return http_send(st);
        if (st->kind == KIND_ROUTE && http_upload_route(st->req.route))
            return http_upload_start(st); /* the body streams to a file (upload.c) */
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
    if (*upload_data_size && st->upload) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        return http_upload_take(st, upload_data, n);
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
    http_conn_set_phase(st->hc, HTTP_CONN_IDLE);
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
    http_upload_free(st);
    free(st->body);
    free(st->out.p);
    free(st->out_gz);
    http_arena_free(st);
    if (pthread_getspecific(srv->spare_state) || pthread_setspecific(srv->spare_state, st) != 0)
        free(st);
}

/* The connection limit: as configured (or the default), but no more than the descriptors
 * RLIMIT_NOFILE leaves after what the rest of the process needs. */
static int connection_budget(const struct http_server *srv)
{
    int64_t want = srv->cfg.max_connections > 0 ? srv->cfg.max_connections : HTTP_DEFAULT_MAX_CONNECTIONS;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        int64_t left = (int64_t)rl.rlim_cur - FD_RESERVE - FD_RESERVE_PER_THREAD * (int64_t)srv->cfg.threads;
        if (want > left)
            want = left;
    }
    return (int)want;
}

/* Why libmicrohttpd may refuse to start without setting errno. */
static const char *start_failure_hint(const struct http_server_config *cfg)
{
    return cfg->tls_cert_pem ? "libmicrohttpd 启动失败（证书或私钥无法读取，或二者不匹配？）" : "libmicrohttpd 启动失败";
}

int http_server_check_config(const struct http_server_config *cfg, struct err *e)
{
    if (!cfg->tls_cert_pem != !cfg->tls_key_pem)
        return err_set(e, 400, "tls_config", "tls", "TLS 需要同时提供证书和私钥");
    struct http_net *nets;
    int n;
    if (http_trusted_parse(cfg->trusted_proxies, &nets, &n, e) < 0)
        return -1;
    free(nets);
    return 0;
}

int http_server_start(const struct http_server_config *cfg, struct http_server **out, struct err *e)
{
    *out = NULL;
    if (http_server_check_config(cfg, e) < 0)
        return -1;
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
    if (http_upload_dir_check(srv, e) < 0) {
        http_server_stop(srv);
        return -1;
    }
    srv->max_connections = connection_budget(srv);
    if (srv->max_connections < 1) {
        http_server_stop(srv);
        return err_set(e, 500, "too_few_descriptors", "max_connections",
                       "可用文件描述符太少（RLIMIT_NOFILE），无法接受连接");
    }
    if (http_conns_init(&srv->conns, cfg, srv->max_connections, e) < 0) {
        http_server_stop(srv);
        return -1;
    }
    if (cfg->metrics_token) {
        srv->has_metrics_token = 1;
        crypto_generichash(srv->metrics_token_hash, sizeof srv->metrics_token_hash,
                           (const unsigned char *)cfg->metrics_token, strlen(cfg->metrics_token), NULL, 0);
    }
    srv->tls = cfg->tls_cert_pem != NULL;
    if (srv->tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        http_server_stop(srv);
        return err_set(e, 500, "tls_unsupported", "tls", "本机的 libmicrohttpd 不支持 TLS");
    }

    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | (srv->tls ? MHD_USE_TLS : 0);
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

    int idle = cfg->idle_timeout > 0 ? cfg->idle_timeout : HTTP_DEFAULT_IDLE_TIMEOUT;
    struct MHD_OptionItem opts[16] = {
        {MHD_OPTION_SOCK_ADDR, 0, &ss},
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, srv},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv},
        {MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)http_unescape, NULL},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)http_conn_notify, srv},
        /* libmicrohttpd's timeout: no byte in or out for this long (it restarts with every byte;
         * the header and body deadlines are the sweeper's, conn.c) */
        {MHD_OPTION_CONNECTION_TIMEOUT, idle, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, srv->max_connections, NULL},
        {MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL},
        /* per-connection pool for request headers and I/O buffers; libmicrohttpd zeroes it for
         * every request, so the default 32 KiB cost more than the rest of a /healthz reply */
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 16384, NULL},
    };
    int nopts = 8;
    if (srv->cfg.threads > 1)
        opts[nopts++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, srv->cfg.threads, NULL};
    if (srv->tls) {
        opts[nopts++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cfg->tls_cert_pem};
        opts[nopts++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)cfg->tls_key_pem};
        opts[nopts++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)TLS_PRIORITIES};
    }
    opts[nopts] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    errno = 0;
    srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (srv->daemon && http_conns_start(srv, e) < 0) {
        http_server_stop(srv);
        return -1;
    }
    if (!srv->daemon) {
        int saved = errno;
        http_server_stop(srv);
        return err_set(e, 500, "listen_failed", "listen", "无法在 %s:%d 上监听：%s", addr, cfg->port,
                       saved ? strerror(saved) : start_failure_hint(cfg));
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : cfg->port;
    *out = srv;
    return 0;
}

int http_server_port(struct http_server *srv) { return srv->port; }

void http_server_limits(struct http_server *srv, int *max_connections, int *max_per_addr)
{
    *max_connections = srv->max_connections;
    *max_per_addr = srv->conns.per_addr;
}

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
    http_conns_free(&srv->conns); /* after the daemon: every connection has left it */
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
