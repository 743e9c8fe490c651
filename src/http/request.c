/* request.c — what a handler reads from a request: path parameters (ids by the one strict id
 * parser), the query string (parsed on first use, %XX and '+' decoded), headers and cookies (from
 * libmicrohttpd); the per-request arena (with the parsed body); request ids; the path unescaping. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "base/parse.h"
#include "http/internal.h"

static struct http_req_state *state_of(struct http_req *req) { return req->impl; }

uint64_t http_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- arena ---- */

static _Noreturn void out_of_memory(size_t n)
{
    /* The interface promises never to return NULL. Unwinding a handler that may hold a
     * transaction is not safe, so like g_malloc we stop the process; the supervisor restarts it. */
    fprintf(stderr, "{\"fatal\":\"out of memory\",\"bytes\":%zu}\n", n);
    abort();
}

void *http_alloc(struct http_req *req, size_t n)
{
    struct http_req_state *st = state_of(req);
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n)
        out_of_memory(n);
    if (need == 0)
        need = 16;
    if (need <= st->arena_left) {
        void *p = st->arena_cur;
        st->arena_cur += need;
        st->arena_left -= need;
        return p;
    }
    size_t cap = need > 8192 ? need : 8192;
    struct http_chunk *c = malloc(sizeof *c + cap);
    if (!c)
        out_of_memory(n);
    c->next = st->chunks;
    c->cap = cap;
    st->chunks = c;
    if (cap - need >= st->arena_left) { /* keep the tail of whichever chunk has more room */
        st->arena_cur = c->data + need;
        st->arena_left = cap - need;
    }
    return c->data;
}

void http_arena_free(struct http_req_state *st)
{
    json_decref(st->body_json);
    st->body_json = NULL;
    struct http_chunk *c = st->chunks;
    while (c) {
        struct http_chunk *next = c->next;
        free(c);
        c = next;
    }
    st->chunks = NULL;
}

char *http_strdup(struct http_req *req, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *p = http_alloc(req, n + 1);
    memcpy(p, s, n + 1);
    return p;
}


char *http_printf(struct http_req *req, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return http_strdup(req, "");
    char *p = http_alloc(req, (size_t)n + 1);
    if ((size_t)n < sizeof small) {
        memcpy(p, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}

/* ---- request id ---- */

/* xoshiro256** per worker thread, seeded from getrandom: request ids need to be unique and hard
 * to guess, not secret, and a system call per request would cost more than the rest of /healthz. */
static _Thread_local uint64_t rng_state[4];
static _Thread_local int rng_seeded;

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(void)
{
    if (!rng_seeded) {
        if (getrandom(rng_state, sizeof rng_state, 0) != (ssize_t)sizeof rng_state) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            rng_state[0] = (uint64_t)ts.tv_nsec ^ 0x9e3779b97f4a7c15u;
            rng_state[1] = (uint64_t)ts.tv_sec * 0xbf58476d1ce4e5b9u;
            rng_state[2] = (uint64_t)(uintptr_t)&ts;
            rng_state[3] = http_now_ns();
        }
        if (!(rng_state[0] | rng_state[1] | rng_state[2] | rng_state[3]))
            rng_state[0] = 1;
        rng_seeded = 1;
    }
    uint64_t *s = rng_state;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static int valid_incoming_id(const char *v)
{
    size_t n = 0;
    for (; v[n]; n++) {
        char c = v[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
        if (n >= 64)
            return 0;
    }
    return n >= 1;
}

void http_request_id(struct http_req_state *st)
{
    const char *in = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, "X-Request-Id");
    if (in && valid_incoming_id(in)) {
        snprintf(st->req.request_id, sizeof st->req.request_id, "%s", in);
        return;
    }
    static const char hex[] = "0123456789abcdef";
    uint64_t w[2] = {rng_next(), rng_next()};
    char *o = st->req.request_id;
    for (int i = 0; i < 2; i++)
        for (int b = 0; b < 16; b++)
            *o++ = hex[(w[i] >> (60 - 4 * b)) & 15];
    *o = '\0';
}

/* ---- accessors ---- */

const char *http_param(struct http_req *req, const char *name)
{
    struct http_req_state *st = state_of(req);
    size_t n = strlen(name);
    for (int i = 0; i < st->nparams; i++)
        if (st->param_name_lens[i] == n && memcmp(st->param_names[i], name, n) == 0)
            return st->param_values[i];
    return NULL;
}

int http_parse_id(const char *s, int64_t *out)
{
    if (!s || s[0] < '1' || s[0] > '9')
        return -1;
    uint64_t v = 0;
    size_t n = 0;
    for (; s[n]; n++) {
        if (s[n] < '0' || s[n] > '9' || n >= 19)
            return -1;
        v = v * 10 + (uint64_t)(s[n] - '0');
    }
    if (v > (uint64_t)INT64_MAX)
        return -1;
    *out = (int64_t)v;
    return 0;
}

int64_t http_param_id(struct http_req *req, const char *name)
{
    int64_t id;
    return http_parse_id(http_param(req, name), &id) == 0 ? id : 0;
}

int http_query_id(struct http_req *req, const char *name, const char *label, int64_t *out, struct err *e)
{
    const char *s = http_query(req, name);
    *out = 0;
    if (!s || !s[0])
        return 0;
    return http_parse_id(s, out) < 0 ? err_set(e, 400, "bad_id", name, "%s应为正整数编号", label) : 0;
}

/* Decode %XX (and '+' as space when plus) in place; an invalid escape stays as it is. */
static void url_decode(char *s, int plus)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p == '%' && parse_hex_digit(p[1]) >= 0 && parse_hex_digit(p[2]) >= 0) {
            char c = (char)(parse_hex_digit(p[1]) * 16 + parse_hex_digit(p[2]));
            p += 2;
            if (c == '\0')
                c = '?'; /* a NUL would cut the value short silently */
            *o++ = c;
        } else if (*p == '+' && plus) {
            *o++ = ' ';
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

size_t http_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p == '%' && parse_hex_digit(p[1]) >= 0 && parse_hex_digit(p[2]) >= 0 && (p[1] != '0' || p[2] != '0')) {
            *o++ = (char)(parse_hex_digit(p[1]) * 16 + parse_hex_digit(p[2]));
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return (size_t)(o - s);
}

static void parse_query(struct http_req_state *st)
{
    st->query_parsed = 1;
    if (!st->query_raw || !*st->query_raw)
        return;
    int n = 1;
    for (const char *p = st->query_raw; *p; p++)
        n += *p == '&';
    st->query_keys = http_alloc(&st->req, sizeof(char *) * (size_t)n);
    st->query_values = http_alloc(&st->req, sizeof(char *) * (size_t)n);
    char *q = http_strdup(&st->req, st->query_raw);
    char *save = NULL;
    for (char *part = strtok_r(q, "&", &save); part; part = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(part, '=');
        char *v = part + strlen(part); /* "" inside the copy: url_decode writes to it */
        if (eq) {
            *eq = '\0';
            v = eq + 1;
        }
        url_decode(part, 1);
        url_decode(v, 1);
        if (!*part)
            continue;
        st->query_keys[st->nquery] = part;
        st->query_values[st->nquery] = v;
        st->nquery++;
    }
}

const char *http_query(struct http_req *req, const char *name)
{
    struct http_req_state *st = state_of(req);
    if (!st->query_parsed)
        parse_query(st);
    for (int i = 0; i < st->nquery; i++)
        if (strcmp(st->query_keys[i], name) == 0)
            return st->query_values[i];
    return NULL;
}

void http_query_set(struct http_req *req, const char *name, const char *value)
{
    struct http_req_state *st = state_of(req);
    if (!st->query_parsed)
        parse_query(st);
    for (int i = 0; i < st->nquery; i++)
        if (strcmp(st->query_keys[i], name) == 0) {
            st->query_values[i] = http_strdup(req, value);
            return;
        }
    const char **keys = http_alloc(req, sizeof *keys * (size_t)(st->nquery + 1));
    const char **values = http_alloc(req, sizeof *values * (size_t)(st->nquery + 1));
    for (int i = 0; i < st->nquery; i++)
        keys[i] = st->query_keys[i], values[i] = st->query_values[i];
    keys[st->nquery] = http_strdup(req, name);
    values[st->nquery] = http_strdup(req, value);
    st->query_keys = keys;
    st->query_values = values;
    st->nquery++;
}

const char *http_query_raw(struct http_req *req)
{
    struct http_req_state *st = state_of(req);
    return st->query_raw ? st->query_raw : "";
}

const char *http_header(struct http_req *req, const char *name)
{
    struct http_req_state *st = state_of(req);
    return st->conn ? MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, name) : NULL;
}

const char *http_cookie(struct http_req *req, const char *name)
{
    struct http_req_state *st = state_of(req);
    if (!st->conn)
        return NULL;
    const char *v = MHD_lookup_connection_value(st->conn, MHD_COOKIE_KIND, name);
    if (!v || !strchr(v, '%'))
        return v;
    char *d = http_strdup(req, v);
    url_decode(d, 0);
    return d;
}
