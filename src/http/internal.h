/* internal.h — what the files of src/http/ share: the server, the per-request state behind
 * http_req.impl, the compiled route table, metrics and the static-file cache. Not for other modules. */
#ifndef TUOYU_HTTP_INTERNAL_H
#define TUOYU_HTTP_INTERNAL_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#include <microhttpd.h>

#include "base/buf.h"
#include "http/http.h"

#define HTTP_MAX_SEGS 16

/* Metric slots: the fixed ones, then one per route of the tables, in table order. */
enum {
    HTTP_SLOT_UNMATCHED = 0, /* 404 / 405 / 413 before a route was known */
    HTTP_SLOT_STATIC = 1,    /* files from web_dir */
    HTTP_SLOT_HEALTHZ = 2,
    HTTP_SLOT_METRICS = 3,
    HTTP_SLOT_FIRST_ROUTE = 4,
};

/* ---- router.c ---- */
struct http_seg {
    const char *text; /* literal text, or the parameter name for {name} */
    size_t len;
    int is_param;
};

struct http_compiled_route {
    const struct route *route;
    int nseg;
    int slot;
    struct http_seg segs[HTTP_MAX_SEGS];
};

struct http_router {
    int nroutes;
    struct http_compiled_route *routes;
};

/* Compile every route of the NULL-terminated tables. -1 with e filled on a bad pattern. */
int http_router_build(struct http_router *rt, const struct route *const *tables, struct err *e);
void http_router_free(struct http_router *rt);

enum http_match { HTTP_MATCH_OK, HTTP_MATCH_NO_PATH, HTTP_MATCH_NO_METHOD };
struct http_req_state;
/* Match method + path; on HTTP_MATCH_OK fills st->route, st->slot and the path parameters
 * (copied into the request arena). On HTTP_MATCH_NO_METHOD, *allow is a "GET, PUT" list in the arena. */
/* 1 when a path parameter of this name holds a record id ({id}, {…_id}). */
int http_param_is_id(const char *name, size_t len);
enum http_match http_router_match(const struct http_router *rt, struct http_req_state *st, const char *method,
                                  const char *path, const char **allow);

/* ---- metrics.c ---- */
#define HTTP_NBUCKETS 16 /* finite bounds; one more for +Inf */
#define HTTP_NSTATUS 500 /* status 100..599 */

struct http_metrics {
    int nslots;
    const char **labels; /* route label per slot */
    const char **methods; /* method label per slot */
    _Atomic uint64_t *status_counts; /* nslots * HTTP_NSTATUS */
    _Atomic uint64_t *buckets;       /* nslots * (HTTP_NBUCKETS + 1), not cumulative */
    _Atomic uint64_t *sum_us;        /* nslots */
    /* connections: open now, and closed by the server for being over the per-address limit or
     * past the header or body deadline */
    _Atomic uint64_t conns_open, closed_per_addr, closed_header, closed_body;
};

int http_metrics_init(struct http_metrics *m, const struct http_router *rt);
void http_metrics_free(struct http_metrics *m);
void http_metrics_record(struct http_metrics *m, int slot, int status, uint64_t us);
/* The Prometheus text exposition; malloc'd, *len set. NULL on OOM. */
char *http_metrics_text(struct http_metrics *m, size_t *len);

/* ---- conn.c ---- */
/* What a connection is doing, for the deadlines the sweeper enforces. */
enum http_conn_phase {
    HTTP_CONN_FRESH, /* opened, no request yet: headers due header_timeout after the opening */
    HTTP_CONN_IDLE,  /* between requests: headers due header_timeout after the next request's first byte */
    HTTP_CONN_BODY,  /* headers read: the body due body_timeout after them */
    HTTP_CONN_BUSY,  /* answering: libmicrohttpd's timeout only */
};

struct http_conn {
    struct http_conn *prev, *next; /* in its shard */
    int fd;
    int trusted;                   /* the peer is a trusted proxy */
    int counted;                   /* holds one count of key in the per-address table */
    _Atomic int closing;           /* shut down by the server: its requests are not run */
    unsigned char addr[16];        /* the peer, IPv4 as ::ffff:a.b.c.d */
    unsigned char key[16];         /* what the per-address limit counts: the IPv4 address, the IPv6 /64 */
    char addr_text[64];
    _Atomic uint64_t state;        /* monotonic ms << 2 | phase, written by the connection's worker */
    uint64_t seen_state;           /* the sweeper's: state at its last look */
    uint64_t data_ms;              /* the sweeper's: when bytes of the next request were seen (idle) */
};

struct http_net {
    unsigned char addr[16];
    int bits;                      /* prefix length over the 16 bytes */
};

struct http_addr_slot {
    unsigned char key[16];
    uint32_t count;                /* 0 = empty slot */
    uint32_t home;                 /* the slot key hashes to */
};

#define HTTP_CONN_SHARDS 16

struct http_conn_shard {
    pthread_mutex_t lock;
    struct http_conn *head;
};

struct http_conns {
    int initialised;
    struct http_conn_shard shards[HTTP_CONN_SHARDS]; /* by descriptor */
    pthread_mutex_t addr_lock;
    struct http_addr_slot *addrs;  /* connections per address; NULL without a limit */
    size_t addr_mask;
    unsigned char hash_key[16];
    int per_addr;                  /* 0 = no limit */
    uint64_t header_ms, body_ms;
    struct http_net *trusted;
    int ntrusted;
    pthread_t sweeper;
    int sweeping;
    pthread_mutex_t stop_lock;
    pthread_cond_t stop_cond;
    int stop;
};

/* The comma-separated list of addresses and networks ("10.0.0.0/8, ::1") into a malloc'd array
 * (NULL and 0 for an empty list). -1 with e (400 "bad_trusted_proxy") on a bad element. */
int http_trusted_parse(const char *list, struct http_net **out, int *count, struct err *e);
/* Set up from the configuration (trusted proxies, limits); -1 with e on a bad proxy address. */
int http_conns_init(struct http_conns *cs, const struct http_server_config *cfg, int max_connections, struct err *e);
/* Start the sweeper thread. */
int http_conns_start(struct http_server *srv, struct err *e);
/* Stop the sweeper and free (after the daemon has stopped); safe on a zeroed struct. */
void http_conns_free(struct http_conns *cs);
/* MHD_OPTION_NOTIFY_CONNECTION: track a new connection (closing it at once when its address is
 * over the limit), forget a closed one. cls is the server. */
void http_conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                      enum MHD_ConnectionNotificationCode code);
void http_conn_set_phase(struct http_conn *hc, enum http_conn_phase phase);
/* Set st->req.remote_addr, st->req.tls and st->client_loopback for a request, believing the
 * X-Forwarded-For and X-Forwarded-Proto values (NULL when absent) only from a trusted proxy. */
void http_conn_client(struct http_req_state *st, const char *fwd_for, size_t fwd_for_len, const char *fwd_proto,
                      size_t fwd_proto_len);

/* ---- static.c ---- */
struct http_static;
int http_static_open(struct http_static **out, const char *web_dir, struct err *e);
void http_static_close(struct http_static *s);
/* Answer a GET/HEAD for a path that no route took. Returns the MHD result of queueing. */
enum MHD_Result http_static_serve(struct http_static *s, struct http_req_state *st);

/* ---- server.c ---- */
struct http_server {
    struct http_server_config cfg;
    struct MHD_Daemon *daemon;
    int port;
    struct http_router router;
    struct http_metrics metrics;
    struct http_static *statics; /* NULL when no web_dir */
    const char *csp;
    sigset_t sigs, old_mask;
    pthread_key_t spare_state;   /* per worker thread: one freed http_req_state kept for reuse */
    int has_key;
    struct http_conns conns;
    int max_connections;         /* in force */
    int tls;                     /* serving HTTPS */
    const char *upload_dir;      /* where upload bodies go (cfg.upload_dir, $TMPDIR or /tmp) */
    int has_metrics_token;
    unsigned char metrics_token_hash[32]; /* BLAKE2b of the /metrics bearer token */
};

/* The per-request arena: a first chunk inside the request state, then malloc'd chunks. */
struct http_chunk {
    struct http_chunk *next;
    size_t cap;
    _Alignas(16) char data[];
};

struct http_req_state {
    struct http_req req;
    struct http_reply rep;
    struct http_server *srv;
    struct MHD_Connection *conn;
    struct http_conn *hc;  /* its connection */
    int client_loopback;   /* the client (after X-Forwarded-For from a trusted proxy) is this machine */
    int phase;          /* 0 = new, 1 = set up (reading the body), 2 = answered */
    int kind;           /* what answers it (server.c) */
    int slot;           /* metrics slot */
    const char *route_label;
    int status;         /* as sent */
    int before_called;
    uint64_t t0_ns;     /* monotonic: request line parsed */
    uint64_t t1_ns;     /* monotonic: reply queued (small replies are written right after) */
    /* path parameters */
    int nparams;
    const char *param_names[HTTP_MAX_PARAMS];
    size_t param_name_lens[HTTP_MAX_PARAMS];
    const char *param_values[HTTP_MAX_PARAMS];
    /* query string (raw, copied at the start; parsed on first use) */
    char *query_raw;
    int query_parsed;
    int nquery;
    const char **query_keys, **query_values;
    /* body */
    json_t *body_json;  /* parsed and checked (schema.c); freed with the arena */
    char *body;
    size_t body_len, body_cap;
    size_t body_seen;   /* bytes received, kept or not */
    uint64_t declared_len; /* Content-Length, 0 when absent */
    int too_large;
    struct http_upload_state *upload; /* an HTTP_FILE route's body (upload.c); NULL otherwise */
    /* reply body built by the server (JSON text, metrics) */
    struct buf out;
    int out_json;       /* out holds the reply's JSON text (http_send: made from rep.json, or kept.c's) */
    char *out_gz;       /* out gzipped, when made beforehand (kept.c); malloc'd, NULL when not */
    size_t out_gz_len;
    /* arena */
    struct http_chunk *chunks;
    char *arena_cur;
    size_t arena_left;
    _Alignas(16) char arena_first[3072];
};

/* Build and queue st->rep (adds the security headers, X-Request-Id, Cache-Control on /api/). */
enum MHD_Result http_send(struct http_req_state *st);
/* Queue an MHD response built elsewhere (static files): adds the common headers and records
 * the status. Destroys resp. */
enum MHD_Result http_send_response(struct http_req_state *st, struct MHD_Response *resp, int status);
/* Add the security headers (and X-Request-Id) to resp. 0 on success. */
int http_add_common_headers(struct http_req_state *st, struct MHD_Response *resp);
/* 1 when the request's Accept-Encoding takes coding ("br", "gzip"): named with q > 0, or "*". */
int http_accepts_coding(struct http_req_state *st, const char *coding);

/* JSON text of j in st->out, as json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12)) writes it.
 * 0, or -1 when out of memory or nested too deep. (reply.c) */
int http_json_text(struct http_req_state *st, json_t *j);
/* st->out (JSON text) gzipped into st->out_gz when it is long enough to be sent gzipped and is not
 * yet: 0 (st->out_gz may stay NULL: too short), or -1 when it cannot be. (reply.c) */
int http_json_gzip(struct http_req_state *st);

/* ---- kept.c ---- */
/* Answer a request of a route with a `kept` function: the kept answer while its version holds,
 * else the handler's (kept when it is a 200 of a public GET). Queues the reply. */
enum MHD_Result http_kept_answer(struct http_req_state *st);

/* ---- upload.c ---- */
struct http_upload_state;
/* 1 when the route's body is an HTTP_FILE (streamed, not collected). */
int http_upload_route(const struct route *r);
/* The upload directory in force and a check that an O_TMPFILE can be made there: 0, or -1 with e. */
int http_upload_dir_check(struct http_server *srv, struct err *e);
/* First call of an upload request: the before hook, the route's begin hook, the Content-Type, the
 * declared length and the temporary file. Answers at once (and closes the connection) when it
 * refuses and the body is not worth reading; otherwise MHD_YES. */
enum MHD_Result http_upload_start(struct http_req_state *st);
/* A piece of the body: parsed and stored, or counted and thrown away after a refusal. */
enum MHD_Result http_upload_take(struct http_req_state *st, const char *data, size_t n);
/* The body is complete: 0 to run the handler with http_upload(), 1 when st->rep holds the answer. */
int http_upload_end(struct http_req_state *st);
/* Release what the request holds (the temporary file). */
void http_upload_free(struct http_req_state *st);

/* ---- schema.c ---- */
/* Check the body against the route's schema: 0 to go on (the parsed body kept in st->body_json),
 * or 1 with st->rep filled (400/422). Called after the before hook, before the handler. */
int http_schema_check(struct http_req_state *st);
/* The media type of a route body of schema s: application/json, application/octet-stream
 * (HTTP_BINARY) or multipart/form-data (HTTP_FILE). */
const char *http_body_media_type(const struct http_schema *s);
/* 1 when s is well formed (arrays have items, a binary body only at the top). */
int http_schema_valid(const struct http_schema *s);

/* Set (or add) the query parameter name for the rest of the request (list_export.c pages with
 * its own limit and cursor). */
void http_query_set(struct http_req *req, const char *name, const char *value);
/* A paged list asked for with ?export=xlsx (list_export.c): answer it as a workbook. */
int http_list_export_wanted(struct http_req_state *st);
void http_list_export(struct http_req_state *st);
/* s as JSON Schema 2020-12; request: objects refuse other members (additionalProperties). */
json_t *http_schema_json(const struct http_schema *s, int request);
/* The route's sub-actions as a JSON array of strings ([] when none). */
json_t *http_subactions_json(const struct route *r);

/* request.c */
void http_arena_free(struct http_req_state *st);
/* libmicrohttpd's unescape callback: %XX decoded in place, but %00 kept as the three characters
 * (a NUL would cut the path short: "/x/1%00" must not read as "/x/1"). Returns the new length. */
size_t http_unescape(void *cls, struct MHD_Connection *conn, char *s);
void http_request_id(struct http_req_state *st);
/* Monotonic nanoseconds. */
uint64_t http_now_ns(void);

/* log line (metrics.c) */
void http_log_request(struct http_req_state *st, uint64_t us);

#endif
