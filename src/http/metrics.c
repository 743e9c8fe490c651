/* metrics.c — request counters by route and status, a latency histogram per route, connection
 * counts and the database timings, all lock-free (relaxed atomics in fixed arrays indexed by the
 * route's slot), rendered as Prometheus text for GET /metrics; and the one JSON log line per
 * request. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/replica.h"
#include "http/internal.h"

/* Upper bounds of the latency buckets, in microseconds and as printed. */
static const uint64_t bucket_us[HTTP_NBUCKETS] = {100,   250,    500,    1000,   2500,    5000,    10000,   25000,
                                                  50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000};
static const char *const bucket_le[HTTP_NBUCKETS] = {"0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005",
                                                     "0.01",   "0.025",   "0.05",   "0.1",   "0.25",   "0.5",
                                                     "1",      "2.5",     "5",      "10"};

int http_metrics_init(struct http_metrics *m, const struct http_router *rt)
{
    memset(m, 0, sizeof *m);
    m->nslots = HTTP_SLOT_FIRST_ROUTE + rt->nroutes;
    size_t n = (size_t)m->nslots;
    m->labels = calloc(n, sizeof *m->labels);
    m->methods = calloc(n, sizeof *m->methods);
    m->status_counts = calloc(n * HTTP_NSTATUS, sizeof *m->status_counts);
    m->buckets = calloc(n * (HTTP_NBUCKETS + 1), sizeof *m->buckets);
    m->sum_us = calloc(n, sizeof *m->sum_us);
    if (!m->labels || !m->methods || !m->status_counts || !m->buckets || !m->sum_us) {
        http_metrics_free(m);
        return -1;
    }
    m->labels[HTTP_SLOT_UNMATCHED] = "unmatched";
    m->labels[HTTP_SLOT_STATIC] = "static";
    m->labels[HTTP_SLOT_HEALTHZ] = "/healthz";
    m->labels[HTTP_SLOT_METRICS] = "/metrics";
    m->methods[HTTP_SLOT_UNMATCHED] = "*";
    m->methods[HTTP_SLOT_STATIC] = "GET";
    m->methods[HTTP_SLOT_HEALTHZ] = "GET";
    m->methods[HTTP_SLOT_METRICS] = "GET";
    for (int i = 0; i < rt->nroutes; i++) {
        m->labels[rt->routes[i].slot] = rt->routes[i].route->pattern;
        m->methods[rt->routes[i].slot] = rt->routes[i].route->method;
    }
    return 0;
}

void http_metrics_free(struct http_metrics *m)
{
    free(m->labels);
    free(m->methods);
    free(m->status_counts);
    free(m->buckets);
    free(m->sum_us);
    memset(m, 0, sizeof *m);
}

void http_metrics_record(struct http_metrics *m, int slot, int status, uint64_t us)
{
    if (slot < 0 || slot >= m->nslots)
        slot = HTTP_SLOT_UNMATCHED;
    if (status < 100 || status > 599)
        status = 500;
    int b = 0;
    while (b < HTTP_NBUCKETS && us > bucket_us[b])
        b++;
    atomic_fetch_add_explicit(&m->status_counts[(size_t)slot * HTTP_NSTATUS + (size_t)(status - 100)], 1,
                              memory_order_relaxed);
    atomic_fetch_add_explicit(&m->buckets[(size_t)slot * (HTTP_NBUCKETS + 1) + (size_t)b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->sum_us[slot], us, memory_order_relaxed);
}

struct text {
    char *p;
    size_t len, cap;
    int failed;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = 1;
            return;
        }
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap * 2 + (size_t)n;
        char *p = realloc(t->p, cap);
        if (!p) {
            t->failed = 1;
            return;
        }
        t->p = p;
        t->cap = cap;
    }
}

char *http_metrics_text(struct http_metrics *m, size_t *len)
{
    struct text t = {.cap = 8192};
    t.p = malloc(t.cap);
    if (!t.p)
        return NULL;
    t.p[0] = '\0';
    put(&t, "# HELP tuoyu_http_requests_total HTTP requests answered, by route pattern, method and status (HEAD counts as GET; method \"*\" for requests no route took).\n"
            "# TYPE tuoyu_http_requests_total counter\n");
    for (int s = 0; s < m->nslots; s++) {
        for (int k = 0; k < HTTP_NSTATUS; k++) {
            uint64_t c = atomic_load_explicit(&m->status_counts[(size_t)s * HTTP_NSTATUS + (size_t)k],
                                              memory_order_relaxed);
            if (c)
                put(&t, "tuoyu_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %" PRIu64 "\n",
                    m->labels[s], m->methods[s], k + 100, c);
        }
    }
    put(&t, "# HELP tuoyu_http_request_duration_seconds Time from the request line to the reply being queued (the body read, the handler run).\n"
            "# TYPE tuoyu_http_request_duration_seconds histogram\n");
    for (int s = 0; s < m->nslots; s++) {
        uint64_t counts[HTTP_NBUCKETS + 1], total = 0;
        for (int b = 0; b <= HTTP_NBUCKETS; b++) {
            counts[b] = atomic_load_explicit(&m->buckets[(size_t)s * (HTTP_NBUCKETS + 1) + (size_t)b],
                                             memory_order_relaxed);
            total += counts[b];
        }
        if (!total)
            continue;
        uint64_t cum = 0;
        for (int b = 0; b < HTTP_NBUCKETS; b++) {
            cum += counts[b];
            put(&t, "tuoyu_http_request_duration_seconds_bucket{route=\"%s\",le=\"%s\"} %" PRIu64 "\n", m->labels[s],
                bucket_le[b], cum);
        }
        uint64_t sum = atomic_load_explicit(&m->sum_us[s], memory_order_relaxed);
        put(&t, "tuoyu_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %" PRIu64 "\n", m->labels[s],
            total);
        put(&t, "tuoyu_http_request_duration_seconds_sum{route=\"%s\"} %" PRIu64 ".%06" PRIu64 "\n", m->labels[s],
            sum / 1000000, sum % 1000000);
        put(&t, "tuoyu_http_request_duration_seconds_count{route=\"%s\"} %" PRIu64 "\n", m->labels[s], total);
    }
    put(&t,
        "# HELP tuoyu_http_connections Client connections open now.\n"
        "# TYPE tuoyu_http_connections gauge\n"
        "tuoyu_http_connections %" PRIu64 "\n"
        "# HELP tuoyu_http_connections_closed_total Connections the server closed: over the per-address limit, headers or body not complete by their deadline.\n"
        "# TYPE tuoyu_http_connections_closed_total counter\n"
        "tuoyu_http_connections_closed_total{reason=\"per_address_limit\"} %" PRIu64 "\n"
        "tuoyu_http_connections_closed_total{reason=\"header_timeout\"} %" PRIu64 "\n"
        "tuoyu_http_connections_closed_total{reason=\"body_timeout\"} %" PRIu64 "\n",
        atomic_load_explicit(&m->conns_open, memory_order_relaxed),
        atomic_load_explicit(&m->closed_per_addr, memory_order_relaxed),
        atomic_load_explicit(&m->closed_header, memory_order_relaxed),
        atomic_load_explicit(&m->closed_body, memory_order_relaxed));
    uint64_t calls = 0, micros = 0;
    db_stats(&calls, &micros);
    put(&t,
        "# HELP tuoyu_db_calls_total Database statement executions and exec calls.\n"
        "# TYPE tuoyu_db_calls_total counter\n"
        "tuoyu_db_calls_total %" PRIu64 "\n"
        "# HELP tuoyu_db_seconds_total Time spent in the database.\n"
        "# TYPE tuoyu_db_seconds_total counter\n"
        "tuoyu_db_seconds_total %" PRIu64 ".%06" PRIu64 "\n",
        calls, micros / 1000000, micros % 1000000);
    struct db_replica_counts rc;
    db_replica_counts(&rc);
    if (rc.configured)
        put(&t,
            "# HELP tuoyu_db_replica_usable 1 while reads may go to the read replica (tuoyu serve --pg-read).\n"
            "# TYPE tuoyu_db_replica_usable gauge\n"
            "tuoyu_db_replica_usable %d\n"
            "# HELP tuoyu_db_replica_reads_total Requests read on the replica.\n"
            "# TYPE tuoyu_db_replica_reads_total counter\n"
            "tuoyu_db_replica_reads_total %" PRIu64 "\n"
            "# HELP tuoyu_db_replica_misses_total Reads sent to the primary instead: the replica not answering, behind by more than the allowed lag, or not yet at the caller's own last write.\n"
            "# TYPE tuoyu_db_replica_misses_total counter\n"
            "tuoyu_db_replica_misses_total{reason=\"down\"} %" PRIu64 "\n"
            "tuoyu_db_replica_misses_total{reason=\"behind\"} %" PRIu64 "\n"
            "tuoyu_db_replica_misses_total{reason=\"own_write\"} %" PRIu64 "\n",
            rc.usable, rc.reads, rc.misses[DB_REPLICA_DOWN], rc.misses[DB_REPLICA_BEHIND],
            rc.misses[DB_REPLICA_OWN_WRITE]);
    if (t.failed) {
        free(t.p);
        return NULL;
    }
    *len = t.len;
    return t.p;
}

/* ---- the request log ---- */

static size_t json_escape(char *o, size_t cap, const char *s, size_t max_in)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    for (size_t i = 0; s[i] && i < max_in && n + 7 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            o[n++] = '\\';
            o[n++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            o[n++] = '\\';
            o[n++] = 'u';
            o[n++] = '0';
            o[n++] = '0';
            o[n++] = hex[c >> 4];
            o[n++] = hex[c & 15];
        } else {
            o[n++] = (char)c;
        }
    }
    o[n] = '\0';
    return n;
}

void http_log_request(struct http_req_state *st, uint64_t us)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char path[1024], method[32];
    json_escape(path, sizeof path, st->req.path ? st->req.path : "", 512);
    json_escape(method, sizeof method, st->req.method ? st->req.method : "", 16);
    char line[1600];
    int n = snprintf(line, sizeof line,
                     "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"method\":\"%s\",\"route\":\"%s\",\"path\":\"%s\","
                     "\"status\":%d,\"us\":%" PRIu64 ",\"user\":%" PRId64 ",\"addr\":\"%s\",\"req\":\"%s\"}\n",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, method, st->route_label, path, st->status, us, st->req.user_id,
                     st->req.remote_addr, st->req.request_id);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = (int)sizeof line - 1;
    /* one write per line: lines from worker threads do not interleave */
    ssize_t w = write(STDERR_FILENO, line, (size_t)n);
    (void)w;
}
