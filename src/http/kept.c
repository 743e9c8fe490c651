/* kept.c — answers kept while their data is unchanged: a GET route with a `kept` function (http.h)
 * has its 200 answers kept per process, as JSON text (and gzipped for a public route), under the
 * route, the query string as sent and the version the route's function names for the data (the
 * day, the stamps that database triggers move with every write to it and, for an answer that
 * depends on who asks, the caller's jurisdiction). A request reads the version again — one small
 * statement — and gets the kept bytes without the handler while an answer is kept under the same
 * route, query and version; otherwise the handler runs and its answer is kept. A write another
 * process or an operator's SQL makes moves the version too, so an answer is never older than the
 * writes acknowledged before the request came. The before hook has authenticated the caller and
 * checked the route's action for its role as for any request.
 *
 * Parts of answers (http_kept_part_*) are kept the same way, under a name, a key and a version:
 * an answer made of many of them recomputes only those whose version moved. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

/* How many answers are kept (a query string maps to one slot; another one there replaces it) and
 * the largest kept (a longer answer is sent, not kept). */
#define KEPT_SLOTS 256
#define KEPT_MAX_BYTES (1u << 20)
#define KEPT_VERSION_LEN 192

struct kept_answer {
    char *key;       /* route pattern, '\n', query string, '\n', version */
    char *text, *gz; /* gz NULL when too short to send gzipped, or the route is not public */
    size_t text_len, gz_len;
};
static struct kept_answer kept[KEPT_SLOTS];
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* n bytes of p with a NUL after them (as a struct buf holds them), malloc'd; NULL when out of memory. */
static char *copy_bytes(const char *p, size_t n)
{
    char *c = malloc(n + 1);
    if (c) {
        memcpy(c, p, n);
        c[n] = '\0';
    }
    return c;
}

/* The kept answer of slot a into st (its JSON text, and the gzipped text when gz_ok: the client
 * takes gzip), when it is kept under key: 1, else 0 (also when out of memory). */
static int take(struct http_req_state *st, const struct kept_answer *a, const char *key, int gz_ok)
{
    if (!a->key || strcmp(a->key, key) != 0)
        return 0;
    int with_gz = gz_ok && a->gz;
    char *text = copy_bytes(a->text, a->text_len);
    char *gz = with_gz ? copy_bytes(a->gz, a->gz_len) : NULL;
    if (!text || (with_gz && !gz)) {
        free(text);
        free(gz);
        return 0;
    }
    free(st->out.p);
    st->out = (struct buf){.p = text, .len = a->text_len, .cap = a->text_len};
    st->out_gz = gz;
    st->out_gz_len = with_gz ? a->gz_len : 0;
    return 1;
}

/* st's JSON answer (st->out, st->out_gz) kept in slot a under key, replacing what was there;
 * nothing kept when out of memory. */
static void keep(struct kept_answer *a, const struct http_req_state *st, const char *key)
{
    char *k = strdup(key), *text = copy_bytes(st->out.p, st->out.len);
    char *gz = st->out_gz ? copy_bytes(st->out_gz, st->out_gz_len) : NULL;
    if (!k || !text || (st->out_gz && !gz)) {
        free(k);
        free(text);
        free(gz);
        return;
    }
    free(a->key);
    free(a->text);
    free(a->gz);
    a->key = k;
    a->text = text;
    a->text_len = st->out.len;
    a->gz = gz;
    a->gz_len = st->out_gz ? st->out_gz_len : 0;
}

enum MHD_Result http_kept_answer(struct http_req_state *st)
{
    const struct route *r = st->req.route;
    struct http_reply *rep = &st->rep;
    if (strcmp(r->method, "GET") != 0) {
        r->handler(&st->req, rep); /* only reads are kept */
        return http_send(st);
    }
    int public = strcmp(r->action, "public") == 0;
    int gz_ok = public && http_accepts_coding(st, "gzip"); /* only public answers go out gzipped */
    char version[KEPT_VERSION_LEN];
    struct err e = {0};
    if (r->kept(&st->req, version, sizeof version, &e) < 0) {
        http_reply_err(rep, &e);
        return http_send(st);
    }
    const char *query = http_query_raw(&st->req);
    size_t key_len = strlen(r->pattern) + 1 + strlen(query) + 1 + strlen(version);
    char *key = http_alloc(&st->req, key_len + 1);
    snprintf(key, key_len + 1, "%s\n%s\n%s", r->pattern, query, version);
    struct kept_answer *a = &kept[fnv1a(key) % KEPT_SLOTS];

    pthread_mutex_lock(&kept_lock);
    int hit = take(st, a, key, gz_ok);
    pthread_mutex_unlock(&kept_lock);
    if (hit) {
        rep->status = 200;
        st->out_json = 1;
        return http_send(st);
    }

    st->req.kept_version = version;
    r->handler(&st->req, rep);
    st->req.kept_version = NULL; /* the array lives in this frame */
    if (rep->status != 200 || !rep->json || rep->nheaders > 0)
        return http_send(st); /* an error, or an answer with headers of its own: sent, not kept */
    if (http_json_text(st, rep->json) < 0)
        return MHD_NO;
    json_decref(rep->json);
    rep->json = NULL;
    st->out_json = 1;
    if (st->out.len <= KEPT_MAX_BYTES && (!public || http_json_gzip(st) == 0)) {
        pthread_mutex_lock(&kept_lock);
        keep(a, st, key);
        pthread_mutex_unlock(&kept_lock);
    }
    if (st->out_gz && !gz_ok) {
        free(st->out_gz);
        st->out_gz = NULL;
    }
    return http_send(st);
}

/* ---- parts of answers ---- */

#define KEPT_PARTS 1024
#define KEPT_PART_PROBES 8 /* slots looked at from a part's own: its key's, else a free one, else the first */

struct kept_part {
    char *id;      /* name, '\n', key */
    char *version;
    void *bytes;
    size_t size;
};
static struct kept_part parts[KEPT_PARTS];

/* The slot of (name, key) — id "name\nkey" — among the probes from its hash: the one holding it,
 * else the first free one, else the first (replaced). Under kept_lock. */
static struct kept_part *part_slot(const char *id)
{
    size_t h = fnv1a(id) % KEPT_PARTS;
    struct kept_part *free_slot = NULL;
    for (size_t i = 0; i < KEPT_PART_PROBES; i++) {
        struct kept_part *p = &parts[(h + i) % KEPT_PARTS];
        if (p->id && strcmp(p->id, id) == 0)
            return p;
        if (!p->id && !free_slot)
            free_slot = p;
    }
    return free_slot ? free_slot : &parts[h];
}

/* "name\nkey" into buf of cap bytes: 0, or -1 when it does not fit. */
static int part_id(char *buf, size_t cap, const char *name, const char *key)
{
    return snprintf(buf, cap, "%s\n%s", name, key) < (int)cap ? 0 : -1;
}

void *http_kept_part_get(const char *name, const char *key, const char *version, size_t *size)
{
    char id[256];
    if (part_id(id, sizeof id, name, key) < 0)
        return NULL;
    void *copy = NULL;
    pthread_mutex_lock(&kept_lock);
    const struct kept_part *p = part_slot(id);
    if (p->id && strcmp(p->id, id) == 0 && strcmp(p->version, version) == 0 && (copy = malloc(p->size ? p->size : 1))) {
        memcpy(copy, p->bytes, p->size);
        *size = p->size;
    }
    pthread_mutex_unlock(&kept_lock);
    return copy;
}

void http_kept_part_put(const char *name, const char *key, const char *version, const void *part, size_t size)
{
    char id[256];
    if (part_id(id, sizeof id, name, key) < 0)
        return;
    char *i = strdup(id), *v = strdup(version);
    void *bytes = malloc(size ? size : 1);
    if (!i || !v || !bytes) {
        free(i), free(v), free(bytes);
        return;
    }
    memcpy(bytes, part, size);
    pthread_mutex_lock(&kept_lock);
    struct kept_part *p = part_slot(id);
    free(p->id), free(p->version), free(p->bytes);
    *p = (struct kept_part){.id = i, .version = v, .bytes = bytes, .size = size};
    pthread_mutex_unlock(&kept_lock);
}
