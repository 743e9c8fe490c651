/* http.h — the HTTP layer every domain API uses: requests, replies, routes, the server.
 *
 * A domain module declares a route table:
 *   const struct route registry_routes[] = {
 *       {"GET", "/api/v1/institutions/{id}", "institution.read", registry_get},
 *       {NULL, NULL, NULL, NULL}
 *   };
 * and the server is started with the list of tables. For each request the server:
 *   refuses ambiguous framing (400 bad_framing, 501 for a transfer coding other than chunked) →
 *   matches the route (404 / 405 with the error shape when none) → assigns a request id →
 *   limits the body (413) → calls the app's `before` hook (authentication, CSRF and the
 *   route's action check live there, in src/auth/) → calls the handler → sends the reply with
 *   the security headers → logs one JSON line → records metrics.
 * Everything allocated with http_alloc/http_strdup/http_printf is freed after the reply.
 * Handlers run on libmicrohttpd worker threads: they must be thread-safe. */
#ifndef TUOYU_HTTP_H
#define TUOYU_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct http_req;
struct http_reply;
struct app;   /* the server-wide context, defined by the application (src/app.h) */
struct user;  /* the authenticated user, defined in src/auth/ */

typedef int (*http_handler)(struct http_req *req, struct http_reply *rep);

struct route {
    const char *method;   /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern;  /* "/api/v1/institutions/{id}"; {name} matches one path segment */
    const char *action;   /* authorization action, e.g. "institution.read"; "public" for none */
    http_handler handler;
};

#define HTTP_MAX_PARAMS 8
#define HTTP_MAX_HEADERS 16

struct http_req {
    struct app *app;
    const struct route *route;
    const char *method;
    const char *path;            /* decoded path without the query string */
    const char *body;            /* NUL-terminated; "" when none */
    size_t body_len;
    char remote_addr[64];        /* the client: the peer, or from X-Forwarded-For when the peer is a
                                  * trusted proxy */
    char request_id[65];         /* 32 hex chars (16 random bytes), or the client's X-Request-Id when it
                                  * is 1–64 of [A-Za-z0-9-]; also sent as X-Request-Id */
    int tls;                     /* 1 when served over TLS, directly or through a trusted proxy that says
                                  * X-Forwarded-Proto: https (cookie gets Secure, replies carry HSTS) */
    int64_t now;                 /* request time, unix seconds, from the app's clock */
    struct user *user;           /* set by the before hook; NULL for anonymous */
    int64_t user_id;             /* for the log line; 0 when anonymous */
    struct db *db;               /* this worker thread's connection, set by the before hook */
    void *impl;                  /* server internals */
};

struct http_reply {
    int status;
    json_t *json;                /* body as JSON (owned; freed after sending), or */
    const char *raw;             /* raw bytes (must live until sent: arena or static) */
    size_t raw_len;
    const char *content_type;    /* default application/json; charset=utf-8 */
    int nheaders;
    const char *header_names[HTTP_MAX_HEADERS];
    const char *header_values[HTTP_MAX_HEADERS];
};

/* Request accessors. All returned strings live until the reply is sent. */
const char *http_param(struct http_req *req, const char *name);    /* path parameter */
const char *http_query(struct http_req *req, const char *name);    /* query string, NULL if absent */
const char *http_header(struct http_req *req, const char *name);   /* case-insensitive */
const char *http_cookie(struct http_req *req, const char *name);

/* Per-request memory, freed after the reply; never NULL (aborts the request with 500 on OOM). */
void *http_alloc(struct http_req *req, size_t n);
char *http_strdup(struct http_req *req, const char *s);
char *http_printf(struct http_req *req, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse the body as a JSON object. On malformed JSON or a non-object, fills e with status 400,
 * code "bad_json", and a Chinese message naming line and column; returns NULL. Caller decrefs. */
json_t *http_json_body(struct http_req *req, struct err *e);

/* Replies. json is stolen. Return 0 so handlers can `return http_reply_json(...)`. */
int http_reply_json(struct http_reply *rep, int status, json_t *json);
/* {"error":{"code":…,"field":…,"message":…}} with e->status (500 when unset). */
int http_reply_err(struct http_reply *rep, const struct err *e);
int http_reply_error(struct http_reply *rep, int status, const char *code, const char *field,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Add a response header (name and value must live until sent). */
void http_reply_header(struct http_reply *rep, const char *name, const char *value);

/* Server. */

/* Defaults of the connection limits and deadlines (`tuoyu serve --help` names the flags). */
#define HTTP_DEFAULT_MAX_CONNECTIONS 10000  /* lowered to what RLIMIT_NOFILE allows */
#define HTTP_DEFAULT_MAX_PER_ADDR 128       /* per IPv4 address or IPv6 /64 */
#define HTTP_DEFAULT_HEADER_TIMEOUT 10      /* seconds */
#define HTTP_DEFAULT_BODY_TIMEOUT 30        /* seconds */
#define HTTP_DEFAULT_IDLE_TIMEOUT 30        /* seconds */

struct http_server_config {
    char listen_addr[64];        /* "127.0.0.1" */
    int port;
    int threads;                 /* worker threads in libmicrohttpd's pool */
    size_t max_body;             /* bytes; larger bodies get 413 */
    const char *web_dir;         /* static files (web/dist) or NULL */
    const struct route *const *tables; /* NULL-terminated list of route tables */
    struct app *app;
    /* Called after routing and before the handler. Return 0 to continue, or fill rep and
     * return non-zero to answer now (401/403/…). May set req->user, req->user_id, req->db. */
    int (*before)(struct http_req *req, struct http_reply *rep);
    /* Called after the reply is sent, to release what `before` took. May be NULL. */
    void (*after)(struct http_req *req);
    int64_t (*clock)(struct app *app); /* unix seconds; NULL = time(NULL) */
    int quiet;                   /* 1 = no per-request JSON log line on stderr (benchmarks) */
    const char *csp;             /* Content-Security-Policy value; NULL = the built-in default */
    /* Connections. 0 = the default above. A client over max_per_addr is closed at once (trusted
     * proxies are exempt); a request whose headers are not complete header_timeout seconds after
     * the connection opened or its first byte arrived, or whose body is not complete
     * body_timeout seconds after its headers, is closed; so is a connection idle between
     * requests for idle_timeout seconds (or silent that long while sending a reply). */
    int max_connections;         /* all clients; lowered to what RLIMIT_NOFILE allows */
    int max_per_addr;            /* per IPv4 address or IPv6 /64; negative = no limit */
    int header_timeout, body_timeout, idle_timeout;
    /* TLS: PEM text of the certificate (chain) and its private key; both NULL = plain HTTP. */
    const char *tls_cert_pem, *tls_key_pem;
    /* Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: a comma-separated list of
     * addresses or networks ("127.0.0.1,10.0.0.0/8,::1"); NULL or "" = none. */
    const char *trusted_proxies;
    /* GET /metrics answers loopback clients, and others that send "Authorization: Bearer TOKEN";
     * NULL = loopback only. */
    const char *metrics_token;
};

struct http_server;
/* Check what can be checked of cfg before anything is opened (the trusted proxies, TLS given
 * whole): 0, or -1 with e (status 400). http_server_start checks it again. */
int http_server_check_config(const struct http_server_config *cfg, struct err *e);
/* Start listening and serving on cfg->threads worker threads. cfg is copied (the tables, web_dir,
 * csp and app it points to must outlive the server). Blocks SIGINT and SIGTERM in the calling
 * thread (and so in the workers it creates) so that http_server_wait can take them. */
int http_server_start(const struct http_server_config *cfg, struct http_server **out, struct err *e);
/* Block until SIGINT or SIGTERM, then stop serving (requests in flight are finished).
 * Call http_server_stop afterwards to free the server. */
void http_server_wait(struct http_server *srv);
/* Stop serving (if still running), free the server and restore the signal mask of the thread
 * that started it. Call it from that thread. */
void http_server_stop(struct http_server *srv);
/* The port the server listens on (the one picked by the system when cfg->port was 0). */
int http_server_port(struct http_server *srv);
/* The connection limits in force (max_connections after the descriptor limit; per_addr 0 = none). */
void http_server_limits(struct http_server *srv, int *max_connections, int *max_per_addr);

/* Every route of the given tables (for `tuoyu routes` and the authorization-matrix test). */
json_t *http_routes_json(const struct route *const *tables);

#endif
