/* http.h — the HTTP layer every domain API uses: requests, replies, routes, the server.
 *
 * A domain module declares a route table:
 *   const struct route registry_routes[] = {
 *       {"GET", "/api/v1/institutions/{id}", "institution.read", registry_get, NULL, &INSTITUTION_REPLY},
 *       {"PUT", "/api/v1/institutions/{id}", "institution.update", registry_put, &INSTITUTION_BODY, …,
 *        .subactions = HTTP_SUBACTIONS("institution.update.regulated", "institution.transfer")},
 *       {NULL, NULL, NULL, NULL},
 *   };
 * and the server is started with the list of tables. For each request the server:
 *   refuses ambiguous framing (400 bad_framing, 501 for a transfer coding other than chunked) →
 *   matches the route (404 / 405 with the error shape when none; a malformed {id} matches nothing)
 *   → assigns a request id → limits the body (413) → calls the app's `before` hook
 *   (authentication, CSRF and the route's action check live there, in src/auth/) → checks the
 *   body against the route's schema (400 / 422 naming the member; schema.c) → calls the handler
 *   → sends the reply with the security headers → logs one JSON line → records metrics.
 * A route whose body is an HTTP_FILE runs the before hook and its begin hook on the headers, then
 * streams the body to a temporary file as it arrives (upload.c) and calls the handler at its end. 
 * Everything allocated with http_alloc/http_strdup/http_printf, and the parsed body, is freed
 * after the reply. Handlers run on libmicrohttpd worker threads: they must be thread-safe. */
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

/* ---- schemas: what a request body may hold, what a reply holds ----
 * A static, data-only description of a JSON value. The server checks every request body against
 * its route's schema before the handler runs (schema.c), `tuoyu routes` prints the schemas, the
 * OpenAPI document is generated from them (openapi.c) and the bad-input API test is generated
 * from the printed route table. A handler keeps only the checks that need meaning (an ID number's
 * check digit, a date in range, a record that exists). */
enum http_type {
    HTTP_STRING = 1,
    HTTP_INTEGER,
    HTTP_ID,        /* integer ≥ 1 (a record id) */
    HTTP_NUMBER,    /* integer or decimal */
    HTTP_BOOLEAN,
    HTTP_DATE,      /* string YYYY-MM-DD naming a real day */
    HTTP_MONTH,     /* string YYYY-MM */
    HTTP_DATETIME,  /* string, ISO 8601 time with a zone (the handler parses it) */
    HTTP_ARRAY,
    HTTP_OBJECT,
    HTTP_BINARY,    /* a route body of raw bytes, not JSON (only as a route's body); as a route's
                     * reply: a file (http_reply_file) */
    HTTP_FILE,      /* a route body in multipart/form-data holding one file in the part named
                     * "file", streamed to an unnamed temporary file as it arrives, never held in
                     * memory (only as a route's body; see http_upload) */
};

#define HTTP_REQUIRED 1u /* present and not null; a string also not empty */
#define HTTP_NULLABLE 2u /* null is accepted and means absent */
#define HTTP_TRIM 4u     /* string: white space (also U+3000) trimmed at both ends; must not be blank */
#define HTTP_READONLY 8u /* accepted and ignored: a member of the record as read, sent back with it */

/* Longest accepted string for a char array member of a struct (its size less the NUL). */
#define HTTP_MAX_OF(type, member) (sizeof(((type *)0)->member) - 1)

struct http_schema {
    const char *name;                  /* member name; NULL ends a member list */
    enum http_type type;
    unsigned flags;                    /* HTTP_REQUIRED | … */
    const char *label;                 /* what it is, in Chinese (messages, OpenAPI description) */
    size_t max;                        /* string: bytes; array: items; 0 = no limit */
    double min_value, max_value;       /* integer, number: the range when min_value < max_value */
    const struct http_schema *items;   /* array: the schema of each item */
    const struct http_schema *members; /* object: its members, ended by {NULL} */
};

/* Nesting of a request body deeper than this many arrays and objects is refused (400 too_deep). */
#define HTTP_MAX_DEPTH 8

/* What the server does with a request body of route schema s (an HTTP_OBJECT): the parsed object
 * (caller decrefs; {} for an empty body), or NULL with e = 400 bad_json / unknown_field / bad_utf8
 * / bad_char / too_deep, or 422 wrong_type / required / too_long / too_many / out_of_range /
 * bad_date / bad_month, with e->field naming the member ("choices[0].institution_id"). */
json_t *http_json_check(const struct http_schema *s, const char *body, size_t len, struct err *e);

/* The body of a POST that takes nothing ({} or none): an object without members. */
extern const struct http_schema http_no_body_schema;

struct route {
    const char *method;   /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern;  /* "/api/v1/institutions/{id}"; {name} matches one path segment, and
                           * {id} or {…_id} only a strict id: 1–19 digits, no leading zero, ≤ INT64_MAX */
    const char *action;   /* authorization action, e.g. "institution.read"; "public" for none */
    http_handler handler;
    const struct http_schema *body;  /* HTTP_OBJECT (an empty body counts as {}) or HTTP_BINARY;
                                      * NULL: the route takes no body (400 unexpected_body when sent) */
    const struct http_schema *reply; /* the success reply, for the OpenAPI document; NULL = an object */
    int status;                      /* the success status; 0 = 200 */
    /* The finer policy actions the handler consults beyond `action` (who may change a regulated
     * field, who sees a full name; see authz_allows), NULL-terminated (HTTP_SUBACTIONS); NULL =
     * none. `tuoyu routes` lists them, the authorization-matrix test exercises each one. */
    const char *const *subactions;
    /* Routes with an HTTP_FILE body: called once the request's headers are in, after the before
     * hook and before any byte of the body is kept — authorize the target and set the file's
     * size limit (http_upload_limit). A reply it sets is sent (the body is read and thrown away,
     * or the connection closed when it is large); otherwise the body is streamed and the handler
     * runs once it is complete. NULL: the limit is max_body. */
    http_handler begin;
    /* GET routes whose answer is kept while its data is unchanged (kept.c): writes into version
     * (cap bytes) a text naming the state of the data the answer is made from — the day, the
     * stamps the database's triggers move with every write to it and, when the answer depends on
     * who asks, the caller's jurisdiction (after authorizing it as the handler would). The server
     * keeps a 200 answer under (route, query string, version) and serves it again, without the
     * handler, for the same query while the version is the same. 0, or -1 with e (answered as an
     * error). NULL: every request runs the handler. */
    int (*kept)(struct http_req *req, char *version, size_t cap, struct err *e);
    /* GET routes that write before they read what they wrote (the exchange feed numbers the
     * changes, then lists them): 1 = never answered from a read replica. */
    int on_primary;
};
/* The sub-action list of a route: HTTP_SUBACTIONS("child.read.full_name"). */
#define HTTP_SUBACTIONS(...) ((const char *const[]){__VA_ARGS__, NULL})

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
    char today[11];              /* the business day of now (Beijing time, YYYY-MM-DD: date_format_day),
                                  * set with now for every request a route answers */
    const char *district;        /* the district (GB/T 2260 code) the request works in, set by the
                                  * before hook: the caller's account's, a province or city
                                  * administrator's chosen district below them, or the deployment's
                                  * for anonymous callers (auth/session.c, auth_district) */
    struct user *user;           /* set by the before hook; NULL for anonymous */
    int64_t user_id;             /* for the log line; 0 when anonymous */
    struct db *db;               /* this worker thread's connection, set by the before hook: the
                                  * primary's, or a read replica's for a read (src/db/replica.h) */
    struct db *primary;          /* the primary's connection when db is a replica's, else db: what
                                  * a read writes (the audit of a staff read) goes there */
    void *params;                /* the district's parameters in force today, once a handler asked for
                                  * them (params_of_request, src/params/api.h); NULL before */
    const char *kept_version;    /* a kept route's handler (kept.c): the version its `kept` function
                                  * named for this request, for parts of the answer kept under it;
                                  * NULL for other routes and when the handler runs outside the kept
                                  * answer (a list's ?export=xlsx) */
    void *impl;                  /* server internals */
};

struct http_reply {
    int status;
    json_t *json;                /* body as JSON (owned; freed after sending), or */
    const char *raw;             /* raw bytes (must live until sent: arena or static) */
    size_t raw_len;
    const char *content_type;    /* default application/json; charset=utf-8 */
    int has_file;                /* the body is file_size bytes read from file_fd (http_reply_file) */
    int file_fd;
    uint64_t file_size;
    int nheaders;
    const char *header_names[HTTP_MAX_HEADERS];
    const char *header_values[HTTP_MAX_HEADERS];
};

/* Request accessors. All returned strings live until the reply is sent. */
const char *http_param(struct http_req *req, const char *name);    /* path parameter */
const char *http_query(struct http_req *req, const char *name);    /* query string, NULL if absent */
const char *http_query_raw(struct http_req *req);  /* the query string as sent (after "?"), "" when none */
const char *http_header(struct http_req *req, const char *name);   /* case-insensitive */
const char *http_cookie(struct http_req *req, const char *name);

/* Per-request memory, freed after the reply. Never NULL: when memory runs out the process stops
 * (abort, after one JSON line on stderr) — a handler may hold a transaction, so unwinding it is
 * not safe; the supervisor restarts the server. */
void *http_alloc(struct http_req *req, size_t n);
char *http_strdup(struct http_req *req, const char *s);
char *http_printf(struct http_req *req, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The request body, parsed and checked against the route's schema before the handler was called
 * (the client got 400/422 otherwise); {} when the schema allows an empty body. Owned by the
 * request: it (and every string in it) lives until the reply is sent — never json_decref it.
 * A handler may change it. NULL for a route without a JSON body schema. */
json_t *http_body(struct http_req *req);

/* The file of an HTTP_FILE route's request, complete when the handler runs: an unnamed temporary
 * file (O_TMPFILE, mode 0600, in the server's upload_dir) that the server closes after the reply,
 * its size, SHA-256 (computed as the bytes arrived), and the name and type the client declared —
 * neither to be trusted. NULL for other routes. */
struct http_upload {
    int fd;                      /* read it with pread; it may be linked into place (linkat) */
    uint64_t size;
    unsigned char sha256[32];
    char sha256_hex[65];
    const char *filename;        /* bytes as sent in the part's Content-Disposition, without NUL */
    const char *content_type;    /* the part's Content-Type, "" when absent */
};
const struct http_upload *http_upload(struct http_req *req);
/* From a route's begin hook: the largest file accepted, in bytes (413 payload_too_large beyond). */
void http_upload_limit(struct http_req *req, uint64_t max_bytes);
/* A new unnamed temporary file (O_TMPFILE, 0600) in the server's upload_dir, read-write: the
 * descriptor, or -1 with errno. The caller closes it. */
int http_temp_file(struct http_req *req);

/* The one strict parser of record ids (path parameters, cursors, id query parameters): 1–19
 * decimal digits, no sign, no leading zero, no spaces, at most INT64_MAX. 0, or -1. */
int http_parse_id(const char *s, int64_t *out);

/* The path parameter name as a record id. The router matched only a strict id there, so for
 * {id} and {…_id} parameters this cannot fail; 0 when the parameter is absent. */
int64_t http_param_id(struct http_req *req, const char *name);

/* An optional record id in the query string (a filter such as ?institution_id=): *out 0 when the
 * parameter is absent or empty, the id when it is one (http_parse_id). Anything else is 400 bad_id on
 * the parameter, "<label>应为正整数编号", as a bad cursor is 400: one answer for every list. 0, or -1. */
int http_query_id(struct http_req *req, const char *name, const char *label, int64_t *out, struct err *e);

/* Lists (one way for every list): `limit` (1–HTTP_PAGE_MAX, default HTTP_PAGE_DEFAULT) and an
 * opaque `cursor` from the query; the reply is {"items":[…],"next":cursor or null}. The query
 * asks for limit + 1 rows in a fixed order ending with a unique id, after the cursor's position:
 *   id ascending:        … AND x.id > ?                       (after_id, 0 on the first page)
 *   id descending:       … AND (? = 0 OR x.id < ?)
 *   key, id ascending:   … AND (? = 0 OR k > ? OR (k = ? AND x.id > ?))   (after_key)
 * and passes each row to http_page_take until it answers 0. */
#define HTTP_PAGE_DEFAULT 50
#define HTTP_PAGE_MAX 500
struct http_page {
    int limit;
    int64_t after_id;        /* the cursor's id; 0 on the first page */
    const char *after_key;   /* the cursor's sort key; "" when none */
    int count;               /* rows taken */
    int more;                /* a row past the page exists */
    int64_t last_id;
    const char *last_key;
};
/* Read limit and cursor: 0, or -1 with e = 400 bad_limit / bad_cursor. */
int http_page_begin(struct http_req *req, struct http_page *p, struct err *e);
/* 1: put this row (id, and its sort key or NULL) on the page; 0: it is past the page, stop. */
int http_page_take(struct http_req *req, struct http_page *p, int64_t id, const char *key);
/* The rows a store returned (a JSON array of objects, limit + 1 of them; stolen) that fall on the page:
 * each passed to http_page_take by its members id_member and key_member (NULL: no key) until it
 * answers 0. A new array. */
json_t *http_page_rows(struct http_req *req, struct http_page *p, json_t *rows, const char *id_member,
                       const char *key_member);
/* {"items": items (stolen), "next": the cursor after the last row taken, or null}. */
json_t *http_page_reply(struct http_req *req, const struct http_page *p, json_t *items);
/* The reply schema of a page of items (for route tables). */
#define HTTP_PAGE_OF(item_schema)                                                                                    \
    {NULL, HTTP_OBJECT, 0, "分页列表", .members = (const struct http_schema[]){                                     \
         {"items", HTTP_ARRAY, HTTP_REQUIRED, "本页条目", .items = &(item_schema)},                                  \
         {"next", HTTP_STRING, HTTP_REQUIRED | HTTP_NULLABLE, "下一页的游标（cursor），没有下一页时为 null"},        \
         {NULL}}}

/* Parts of answers kept while their data is unchanged (kept.c), for answers made of parts a write
 * changes few of — a district's row of 区县比较 among 90, a district's catalogue the parents'
 * searches filter: size bytes kept under (name, key) with the version of the part's data (as a
 * route's `kept` function names it), in the process, a later put replacing them.
 * http_kept_part_get: a malloc'd copy (free it) with *size while the same version is kept, else
 * NULL (also when out of memory). */
void *http_kept_part_get(const char *name, const char *key, const char *version, size_t *size);
void http_kept_part_put(const char *name, const char *key, const char *version, const void *part, size_t size);

/* Replies. json is stolen. Return 0 so handlers can `return http_reply_json(...)`. */
int http_reply_json(struct http_reply *rep, int status, json_t *json);
/* {"error":{"code":…,"field":…,"message":…}} with e->status (500 when unset). */
int http_reply_err(struct http_reply *rep, const struct err *e);
/* The error path of a write handler: roll back the request's open transaction (req->db), then
 * http_reply_err. `fail: return http_reply_rollback(req, rep, &e);` */
int http_reply_rollback(struct http_req *req, struct http_reply *rep, const struct err *e);
int http_reply_error(struct http_reply *rep, int status, const char *code, const char *field,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The 422 of an all-or-nothing import with bad rows: error code import_rows on field "file", the
 * message "导入文件有 N 处错误，未导入任何<what>，请改正后重新导入" and rows, each bad row with its line,
 * column, value and reason (stolen). */
int http_reply_import_rows(struct http_reply *rep, json_t *rows, const char *what);
/* Answer with size bytes of the open file fd (from its start), streamed by the server — never
 * read into memory; the server closes fd. Call it last. */
int http_reply_file(struct http_reply *rep, int status, int fd, uint64_t size, const char *content_type);
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
    /* Called with the reply the handler made, before it is sent (after `before` ran): may add
     * headers. May be NULL. */
    void (*replying)(struct http_req *req, struct http_reply *rep);
    /* Called after the reply is sent, to release what `before` took. May be NULL. */
    void (*after)(struct http_req *req);
    /* Called when a list is exported as .xlsx (?export=xlsx: list_export.c) with the rows it
     * holds, before the file is sent: the export's audit. 0, or -1 with e (nothing is sent but
     * the error). May be NULL. */
    int (*on_export)(struct http_req *req, size_t rows, struct err *e);
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
    /* Where upload bodies (HTTP_FILE routes) are streamed as unnamed temporary files (O_TMPFILE):
     * the same file system as where they are kept lets the store link them into place. NULL =
     * $TMPDIR, else /tmp. The server refuses to start when it cannot create one there. */
    const char *upload_dir;
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

/* Every route of the given tables with its body and reply schemas and its sub-actions (for
 * `tuoyu routes`, the authorization-matrix and bad-input tests). */
json_t *http_routes_json(const struct route *const *tables);
/* The OpenAPI 3.1 document of the given tables (openapi.c); also served by http_openapi_routes. */
json_t *http_openapi_json(const struct route *const *tables);
/* GET /api/v1/openapi.json (public): the document of the tables the server runs. */
extern const struct route http_openapi_routes[];

#endif
