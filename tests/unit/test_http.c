/* test_http.c — the HTTP layer (src/http/) over real sockets: a server on 127.0.0.1 port 0 with a
 * test route table and before/after hooks, spoken to by a tiny HTTP/1.1 client. Covers routing
 * with path parameters, query/cookie/header access, 404/405, the body limit (413, also with
 * Expect: 100-continue and chunked bodies), bad JSON with line and column, the error shape,
 * security headers and request ids, keep-alive, static files (types, ETag/304, Cache-Control,
 * gzip siblings, index.html fallback, traversal and symlink escapes refused), /healthz,
 * /metrics counting, the arena, concurrent clients, http_routes_json, http_server_wait and the
 * count of connections per address (raw-socket limits, deadlines and framing: tests/api/http_*);
 * strict record ids in paths and the body checked against the route's schema before the handler. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "http/http.h"

/* ---- the test application ---- */

static atomic_int before_calls, after_calls, handler_calls;

static int h_thing(struct http_req *req, struct http_reply *rep)
{
    atomic_fetch_add(&handler_calls, 1);
    const char *q = http_query(req, "q"), *c = http_cookie(req, "c"), *h = http_header(req, "x-test");
    return http_reply_json(rep, 200,
                           json_pack("{s:s, s:s?, s:s?, s:s?, s:b, s:b, s:b, s:I, s:s}", "id", http_param(req, "key"), "q", q,
                                     "cookie", c, "hdr", h, "no_query", http_query(req, "absent") == NULL,
                                     "flag_empty", http_query(req, "flag") && !*http_query(req, "flag"),
                                     "no_param", http_param(req, "absent") == NULL, "user", (json_int_t)req->user_id,
                                     "method", req->method));
}

static int h_part(struct http_req *req, struct http_reply *rep)
{
    return http_reply_json(rep, 200, json_pack("{s:s, s:s}", "id", http_param(req, "key"), "part", http_param(req, "part")));
}

static int h_create(struct http_req *req, struct http_reply *rep)
{
    json_t *body = json_deep_copy(http_body(req)); /* the request's own is freed with it */
    json_object_set_new(body, "len", json_integer((json_int_t)req->body_len));
    return http_reply_json(rep, 201, body);
}

static int h_item(struct http_req *req, struct http_reply *rep)
{
    return http_reply_json(rep, 200, json_pack("{s:I}", "id", (json_int_t)http_param_id(req, "id")));
}

static int h_delete(struct http_req *req, struct http_reply *rep)
{
    rep->status = 204;
    return 0;
}

static int h_denied(struct http_req *req, struct http_reply *rep)
{
    fail_msg("the before hook should have answered");
    return 0;
}

static int h_noreply(struct http_req *req, struct http_reply *rep) { return -1; }

static int h_raw(struct http_req *req, struct http_reply *rep)
{
    rep->status = 200;
    rep->raw = http_printf(req, "plain %s", http_param(req, "word"));
    rep->raw_len = strlen(rep->raw);
    rep->content_type = "text/plain; charset=utf-8";
    http_reply_header(rep, "X-Extra", http_strdup(req, "yes"));
    http_reply_header(rep, "Cache-Control", "private, max-age=60");
    return 0;
}

/* Many arena allocations of assorted sizes, each filled and checked afterwards. */
static int h_arena(struct http_req *req, struct http_reply *rep)
{
    enum { N = 300 };
    unsigned char *ptrs[N];
    size_t sizes[N];
    for (int i = 0; i < N; i++) {
        sizes[i] = (size_t)(i * 97 % 20000) + 1;
        ptrs[i] = http_alloc(req, sizes[i]);
        assert_true(((uintptr_t)ptrs[i] & 15) == 0);
        memset(ptrs[i], i & 0xff, sizes[i]);
    }
    for (int i = 0; i < N; i++)
        for (size_t k = 0; k < sizes[i]; k += 101)
            if (ptrs[i][k] != (i & 0xff))
                return http_reply_error(rep, 500, "arena", "", "overlap at %d", i);
    char *big = http_printf(req, "%0500d|%s", 7, "end");
    if (strlen(big) != 504 || strcmp(big + 500, "|end") != 0)
        return http_reply_error(rep, 500, "printf", "", "bad printf");
    return http_reply_json(rep, 200, json_pack("{s:b}", "ok", 1));
}

/* A value exercising every JSON type and every string escape. */
static json_t *tricky_json(void)
{
    json_t *o = json_object();
    json_object_set_new(o, "plain", json_string("托育 ok"));
    json_object_set_new(o, "escapes", json_string("q\" b\\ / \b\f\n\r\t \x01\x1f \x7f end"));
    json_object_set_new(o, "nul", json_stringn("a\0b", 3));
    json_object_set_new(o, "k\"ey\n", json_true());
    json_object_set_new(o, "f", json_false());
    json_object_set_new(o, "n", json_null());
    json_t *ints = json_pack("[I, I, I, I, I]", (json_int_t)0, (json_int_t)-1, (json_int_t)1234567890123,
                             (json_int_t)INT64_MAX, (json_int_t)INT64_MIN);
    json_object_set_new(o, "ints", ints);
    json_t *reals = json_array();
    const double rs[] = {0.0, -0.0, 1.0, 0.1, 0.1 + 0.2, 120.622185, 28.002699, 1e21, 1e300, -1.5e-300,
                         123456789012.5, 3.0e-5, 2.0 / 3.0, 1e-7, 100000000000000.0};
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
        json_array_append_new(reals, json_real(rs[i]));
    /* decimals of up to four places (the writer's fast path) and their neighbours, around each
     * power of ten up to the path's 1e7 limit, and arbitrary doubles: all as jansson writes them */
    const double edges[] = {0.0001, -0.0001, 0.00015, 0.00005, 9999999.9999, -9999999.9999, 10000000.0,
                            9999999.99995, 1234567.5, 0.5, 36.6, 100.0, -3.0, 1e-4 + 1e-19};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        json_array_append_new(reals, json_real(edges[i]));
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 1500; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double scale = pow(10, (int)(x % 12) - 4), places = pow(10, (int)((x >> 8) % 6));
        double d = (double)(int64_t)((x >> 16) % 200000000 - 100000000) / 1e4 * scale;
        json_array_append_new(reals, json_real(i % 3 ? round(d * places) / places : d / 7.0));
        json_array_append_new(reals, json_real(nextafter(round(d * places) / places, 0)));
    }
    json_object_set_new(o, "reals", reals);
    json_object_set_new(o, "empty", json_pack("{s:{}, s:[], s:s}", "o", "a", "s", ""));
    json_object_set_new(o, "nested", json_pack("[[[{s:[1,{s:null}]}]]]", "x", "y"));
    return o;
}

static int h_tricky(struct http_req *req, struct http_reply *rep) { return http_reply_json(rep, 200, tricky_json()); }

static const struct http_schema THING = {NULL, HTTP_OBJECT, 0, "thing",
                                         .members = (const struct http_schema[]){
                                             {"name", HTTP_STRING, HTTP_TRIM, "名称", 16}, {"k", HTTP_STRING},
                                             {"a", HTTP_INTEGER}, {"b", HTTP_INTEGER}, {NULL}}};

static const struct route test_routes[] = {
    {"GET", "/api/v1/things/{key}", "thing.read", h_thing},
    {"DELETE", "/api/v1/things/{key}", "thing.delete", h_delete},
    {"GET", "/api/v1/things/{key}/parts/{part}", "thing.read", h_part},
    {"POST", "/api/v1/things", "thing.create", h_create, &THING},
    {"GET", "/api/v1/items/{id}", "public", h_item},
    {"GET", "/api/v1/denied", "deny", h_denied},
    {"GET", "/api/v1/noreply", "public", h_noreply},
    {"GET", "/api/v1/raw/{word}", "public", h_raw},
    {"GET", "/api/v1/arena", "public", h_arena},
    {"GET", "/api/v1/tricky", "public", h_tricky},
    {NULL, NULL, NULL, NULL},
};
static const struct route *const test_tables[] = {test_routes, NULL};

static int before_hook(struct http_req *req, struct http_reply *rep)
{
    atomic_fetch_add(&before_calls, 1);
    if (strcmp(req->route->action, "deny") == 0)
        return http_reply_error(rep, 401, "unauthenticated", "", "请先登录"), 1;
    req->user_id = 7;
    return 0;
}

static void after_hook(struct http_req *req) { atomic_fetch_add(&after_calls, 1); }

/* ---- fixture: a web directory and a server ---- */

struct fx {
    char dir[128];      /* temp root: web/ inside, secret.txt beside it */
    char web[160];
    struct http_server *srv;
    int port;
};

static void write_file(const char *dir, const char *name, const char *text, size_t len)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

#define INDEX_HTML "<!doctype html><title>托育</title><div id=app></div>"
#define APP_JS "console.log('app')"
#define CONSOLE_HTML "<!doctype html><title>console</title>"
#define APP_JS_GZ "\x1f\x8b fake gzip bytes"
#define APP_JS_BR "\x0b\x02 fake brotli bytes"

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/tuoyu-http-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->web, sizeof fx->web, "%s/web", fx->dir);
    assert_int_equal(mkdir(fx->web, 0755), 0);
    char assets[200];
    snprintf(assets, sizeof assets, "%s/assets", fx->web);
    assert_int_equal(mkdir(assets, 0755), 0);
    write_file(fx->web, "index.html", INDEX_HTML, strlen(INDEX_HTML));
    write_file(fx->web, "assets/app.5f3a9c.js", APP_JS, strlen(APP_JS));
    write_file(fx->web, "assets/app.5f3a9c.js.gz", APP_JS_GZ, sizeof APP_JS_GZ - 1);
    write_file(fx->web, "assets/app.5f3a9c.js.br", APP_JS_BR, sizeof APP_JS_BR - 1);
    /* a sibling older than its file (the file was rebuilt, the sibling not): never served */
    write_file(fx->web, "assets/old.js", APP_JS, strlen(APP_JS));
    write_file(fx->web, "assets/old.js.br", APP_JS_BR, sizeof APP_JS_BR - 1);
    char stale[256];
    snprintf(stale, sizeof stale, "%s/assets/old.js.br", fx->web);
    assert_int_equal(utimensat(AT_FDCWD, stale, (const struct timespec[]){{.tv_sec = 1000000}, {.tv_sec = 1000000}}, 0), 0);
    write_file(fx->web, "robots.txt", "User-agent: *\n", 14);
    char console[200];
    snprintf(console, sizeof console, "%s/console", fx->web);
    assert_int_equal(mkdir(console, 0755), 0);
    write_file(fx->web, "console/index.html", CONSOLE_HTML, strlen(CONSOLE_HTML));
    write_file(fx->web, ".env", "SECRET=1\n", 9);
    write_file(fx->dir, "secret.txt", "top secret\n", 11);
    char target[256], link[256];
    snprintf(target, sizeof target, "%s/secret.txt", fx->dir);
    snprintf(link, sizeof link, "%s/leak.txt", fx->web);
    assert_int_equal(symlink(target, link), 0);
    snprintf(link, sizeof link, "%s/inside.txt", fx->web);
    assert_int_equal(symlink("robots.txt", link), 0);

    atomic_store(&before_calls, 0);
    atomic_store(&after_calls, 0);
    atomic_store(&handler_calls, 0);
    struct http_server_config cfg = {
        .port = 0,
        .threads = 2,
        .max_body = 1024,
        .web_dir = fx->web,
        .tables = test_tables,
        .before = before_hook,
        .after = after_hook,
        .quiet = 1,
    };
    snprintf(cfg.listen_addr, sizeof cfg.listen_addr, "127.0.0.1");
    struct err e = {0};
    if (http_server_start(&cfg, &fx->srv, &e) < 0)
        fail_msg("start: %s", e.message);
    fx->port = http_server_port(fx->srv);
    assert_true(fx->port > 0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    http_server_stop(fx->srv);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(fx);
    return 0;
}

/* ---- a tiny HTTP/1.1 client ---- */

struct conn {
    int fd;
    char buf[1 << 16];
    size_t len;
};

struct resp {
    int status;
    char head[8192];
    char body[1 << 16];
    size_t body_len;
};

static struct conn *conn_open(int port)
{
    struct conn *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(c->fd >= 0);
    struct timeval tv = {.tv_sec = 10};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(c->fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return c;
}

static void conn_close(struct conn *c)
{
    close(c->fd);
    free(c);
}

static void send_all(struct conn *c, const char *data, size_t n)
{
    while (n) {
        ssize_t w = send(c->fd, data, n, MSG_NOSIGNAL);
        if (w <= 0)
            return; /* the server may close early (413): the reply is still read */
        data += w;
        n -= (size_t)w;
    }
}

/* Read more into c->buf; 0 at EOF or error. */
static int fill(struct conn *c)
{
    if (c->len == sizeof c->buf)
        return 0;
    ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
    if (r <= 0)
        return 0;
    c->len += (size_t)r;
    return 1;
}

static const char *header_of(const struct resp *r, const char *name)
{
    static _Thread_local char value[1024];
    size_t n = strlen(name);
    const char *p = strstr(r->head, "\r\n");
    while (p && p[2]) {
        p += 2;
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            const char *end = strstr(v, "\r\n");
            size_t len = end ? (size_t)(end - v) : strlen(v);
            snprintf(value, sizeof value, "%.*s", (int)len, v);
            return value;
        }
        p = strstr(p, "\r\n");
    }
    return NULL;
}

/* Read one response (head, then Content-Length bytes unless head_only). 0 on success. */
static int read_resp(struct conn *c, struct resp *r, int head_only)
{
    memset(r, 0, offsetof(struct resp, body));
    r->body_len = 0;
    char *end;
    for (;;) {
        c->buf[c->len < sizeof c->buf ? c->len : sizeof c->buf - 1] = '\0';
        end = c->len ? strstr(c->buf, "\r\n\r\n") : NULL;
        if (end)
            break;
        if (!fill(c))
            return -1;
    }
    size_t head_len = (size_t)(end - c->buf) + 4;
    if (head_len >= sizeof r->head)
        return -1;
    memcpy(r->head, c->buf, head_len);
    r->head[head_len] = '\0';
    if (sscanf(r->head, "HTTP/1.1 %d", &r->status) != 1)
        return -1;
    const char *cl = header_of(r, "Content-Length");
    size_t want = head_only || !cl ? 0 : (size_t)strtoul(cl, NULL, 10);
    if (want >= sizeof r->body)
        return -1;
    while (c->len < head_len + want)
        if (!fill(c))
            return -1;
    memcpy(r->body, c->buf + head_len, want);
    r->body[want] = '\0';
    r->body_len = want;
    memmove(c->buf, c->buf + head_len + want, c->len - head_len - want);
    c->len -= head_len + want;
    return 0;
}

/* One request on a new connection. */
static void request(int port, const char *raw, struct resp *r)
{
    struct conn *c = conn_open(port);
    send_all(c, raw, strlen(raw));
    int rc = read_resp(c, r, strncmp(raw, "HEAD ", 5) == 0);
    conn_close(c);
    assert_int_equal(rc, 0);
}

static void get(int port, const char *path, struct resp *r)
{
    char raw[1024];
    snprintf(raw, sizeof raw, "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", path);
    request(port, raw, r);
}

static json_t *body_json(const struct resp *r)
{
    json_error_t je;
    json_t *j = json_loadb(r->body, r->body_len, 0, &je);
    if (!j)
        fail_msg("not JSON (%s): %s", je.text, r->body);
    return j;
}

static void assert_error(const struct resp *r, int status, const char *code)
{
    assert_int_equal(r->status, status);
    json_t *j = body_json(r);
    json_t *err = json_object_get(j, "error");
    assert_non_null(err);
    assert_string_equal(json_string_value(json_object_get(err, "code")), code);
    assert_non_null(json_string_value(json_object_get(err, "field")));
    assert_non_null(json_string_value(json_object_get(err, "message")));
    assert_string_equal(header_of(r, "Content-Type"), "application/json; charset=utf-8");
    json_decref(j);
}

/* ---- tests ---- */

static void routing_with_params(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    request(fx->port,
            "GET /api/v1/things/42?flag&q=a%20b+c%E4%B8%AD&x=1&q=second HTTP/1.1\r\nHost: t\r\nX-Test: hi\r\n"
            "Cookie: other=2; c=v%3D1\r\nConnection: close\r\n\r\n",
            r);
    assert_int_equal(r->status, 200);
    json_t *j = body_json(r);
    assert_string_equal(json_string_value(json_object_get(j, "id")), "42");
    assert_string_equal(json_string_value(json_object_get(j, "q")), "a b c中");
    assert_string_equal(json_string_value(json_object_get(j, "cookie")), "v=1");
    assert_string_equal(json_string_value(json_object_get(j, "hdr")), "hi");
    assert_true(json_is_true(json_object_get(j, "no_query")));
    assert_true(json_is_true(json_object_get(j, "flag_empty"))); /* a key without '=' */
    assert_true(json_is_true(json_object_get(j, "no_param")));
    assert_int_equal(json_integer_value(json_object_get(j, "user")), 7); /* set by the before hook */
    json_decref(j);

    get(fx->port, "/api/v1/things/%E6%89%98%E8%82%B2/parts/p-9", r);
    assert_int_equal(r->status, 200);
    j = body_json(r);
    assert_string_equal(json_string_value(json_object_get(j, "id")), "托育");
    assert_string_equal(json_string_value(json_object_get(j, "part")), "p-9");
    json_decref(j);

    request(fx->port, "DELETE /api/v1/things/5 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", r);
    assert_int_equal(r->status, 204);

    /* HEAD on a GET route: headers, no body */
    request(fx->port, "HEAD /api/v1/things/8 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", r);
    assert_int_equal(r->status, 200);
    assert_int_equal(r->body_len, 0);

    get(fx->port, "/api/v1/raw/hello", r);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, "plain hello");
    assert_string_equal(header_of(r, "Content-Type"), "text/plain; charset=utf-8");
    assert_string_equal(header_of(r, "X-Extra"), "yes");
    assert_string_equal(header_of(r, "Cache-Control"), "private, max-age=60");
    free(r);
}

static void not_found_and_not_allowed(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    get(fx->port, "/api/v1/nothing", r);
    assert_error(r, 404, "not_found");
    get(fx->port, "/api/v1/things/1/extra", r); /* more segments than any pattern */
    assert_error(r, 404, "not_found");
    get(fx->port, "/api/v1/things//parts/x", r); /* an empty parameter does not match */
    assert_error(r, 404, "not_found");
    get(fx->port, "/api/whatever.js", r); /* /api/ never falls through to static files */
    assert_error(r, 404, "not_found");

    request(fx->port, "PUT /api/v1/things/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", r);
    assert_error(r, 405, "method_not_allowed");
    const char *allow = header_of(r, "Allow");
    assert_non_null(allow);
    assert_non_null(strstr(allow, "GET"));
    assert_non_null(strstr(allow, "DELETE"));
    request(fx->port, "POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", r);
    assert_error(r, 405, "method_not_allowed");
    request(fx->port, "POST /index.html HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", r);
    assert_error(r, 405, "method_not_allowed");
    assert_int_equal(atomic_load(&handler_calls), 0);
    assert_int_equal(atomic_load(&before_calls), 0); /* unmatched requests never reach the hook */
    free(r);
}

static void before_hook_answers_and_after_hook_runs(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    get(fx->port, "/api/v1/denied", r);
    assert_error(r, 401, "unauthenticated");
    get(fx->port, "/api/v1/things/1", r);
    assert_int_equal(r->status, 200);
    get(fx->port, "/api/v1/noreply", r); /* the handler filled nothing */
    assert_error(r, 500, "internal");
    get(fx->port, "/healthz", r); /* built-in: no hooks */
    http_server_stop(fx->srv); /* completion callbacks have all run after this */
    fx->srv = NULL;
    assert_int_equal(atomic_load(&before_calls), 3);
    assert_int_equal(atomic_load(&after_calls), 3);
    /* restart for teardown */
    struct http_server_config cfg = {.threads = 1, .max_body = 10, .tables = test_tables, .quiet = 1};
    struct err e = {0};
    assert_int_equal(http_server_start(&cfg, &fx->srv, &e), 0);
    free(r);
}

static void body_limit(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    /* exactly at the limit: accepted */
    char body[1025];
    memset(body, ' ', 1024);
    memcpy(body, "{\"a\":1}", 7);
    body[1024] = '\0';
    char raw[4096];
    snprintf(raw, sizeof raw, "POST /api/v1/things HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\nConnection: close\r\n\r\n%s",
             body);
    request(fx->port, raw, r);
    assert_int_equal(r->status, 201);
    json_t *j = body_json(r);
    assert_int_equal(json_integer_value(json_object_get(j, "len")), 1024);
    json_decref(j);

    /* one byte over: 413, and the handler is not called */
    int before = atomic_load(&handler_calls);
    snprintf(raw, sizeof raw, "POST /api/v1/things HTTP/1.1\r\nHost: t\r\nContent-Length: 1025\r\nConnection: close\r\n\r\n%s ",
             body);
    request(fx->port, raw, r);
    assert_error(r, 413, "payload_too_large");

    /* a huge declared body with Expect: 100-continue is refused before it is sent */
    request(fx->port,
            "POST /api/v1/things HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000000\r\nExpect: 100-continue\r\n\r\n", r);
    assert_error(r, 413, "payload_too_large");

    /* chunked, no Content-Length: counted while reading */
    struct conn *c = conn_open(fx->port);
    const char *head = "POST /api/v1/things HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    send_all(c, head, strlen(head));
    char chunk[900];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 2; i++) {
        send_all(c, "384\r\n", 5);
        send_all(c, chunk, sizeof chunk);
        send_all(c, "\r\n", 2);
    }
    send_all(c, "0\r\n\r\n", 5);
    assert_int_equal(read_resp(c, r, 0), 0);
    conn_close(c);
    assert_error(r, 413, "payload_too_large");

    /* a declared body far beyond the limit is answered before it is read */
    c = conn_open(fx->port);
    const char *h2 = "POST /api/v1/things HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n";
    send_all(c, h2, strlen(h2));
    assert_int_equal(read_resp(c, r, 0), 0);
    conn_close(c);
    assert_error(r, 413, "payload_too_large");

    /* an oversized body that is sent anyway (no Expect) is read, dropped, and answered with a
     * clean 413 on a connection that stays usable */
    c = conn_open(fx->port);
    char *junk = calloc(1, (1 << 20) + 64);
    int n = sprintf(junk, "POST /api/v1/things HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n", 500000);
    send_all(c, junk, (size_t)n);
    send_all(c, junk + 64, 500000);
    assert_int_equal(read_resp(c, r, 0), 0);
    assert_error(r, 413, "payload_too_large");
    send_all(c, "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n", 35);
    assert_int_equal(read_resp(c, r, 0), 0);
    assert_int_equal(r->status, 200);
    conn_close(c);

    /* a chunked body far beyond the limit: dropped up to a bound, then the server answers and
     * closes; the client may see the 413 or a reset, and the server keeps serving */
    c = conn_open(fx->port);
    send_all(c, head, strlen(head));
    n = sprintf(junk, "%x\r\n", 1 << 20);
    for (int i = 0; i < 3; i++) {
        send_all(c, junk, (size_t)n);
        send_all(c, junk + 64, 1 << 20);
        send_all(c, "\r\n", 2);
    }
    free(junk);
    if (read_resp(c, r, 0) == 0)
        assert_error(r, 413, "payload_too_large");
    conn_close(c);
    get(fx->port, "/healthz", r);
    assert_int_equal(r->status, 200);
    assert_int_equal(atomic_load(&handler_calls), before);
    free(r);
}

static void post(int port, const char *body, struct resp *r)
{
    char raw[4096];
    snprintf(raw, sizeof raw,
             "POST /api/v1/things HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n%s",
             strlen(body), body);
    request(port, raw, r);
}

static void bad_json_names_line_and_column(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    post(fx->port, "{\n  \"a\": 1,\n  \"b\" 2\n}", r);
    assert_error(r, 400, "bad_json");
    json_t *j = body_json(r);
    const char *msg = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
    assert_non_null(strstr(msg, "请求体不是有效的 JSON（第 3 行第"));
    json_decref(j);

    post(fx->port, "[1, 2]", r);
    assert_error(r, 400, "bad_json");
    post(fx->port, "{\"a\": 1, \"a\": 2}", r);
    assert_error(r, 400, "bad_json");
    j = body_json(r);
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "重复"));
    json_decref(j);
    post(fx->port, "", r); /* an empty body counts as {} */
    assert_int_equal(r->status, 201);
    post(fx->port, "{\"a\": 1} trailing", r);
    assert_error(r, 400, "bad_json");
    post(fx->port, "{\"name\": \"托育\"}", r);
    assert_int_equal(r->status, 201);
    free(r);
}

static int is_hex32(const char *s)
{
    if (!s || strlen(s) != 32)
        return 0;
    return strspn(s, "0123456789abcdef") == 32;
}

static void assert_security_headers(const struct resp *r)
{
    const char *csp = header_of(r, "Content-Security-Policy");
    assert_non_null(csp);
    assert_non_null(strstr(csp, "frame-ancestors 'none'"));
    assert_non_null(strstr(csp, "default-src 'self'"));
    assert_string_equal(header_of(r, "X-Content-Type-Options"), "nosniff");
    assert_string_equal(header_of(r, "Referrer-Policy"), "no-referrer");
    assert_string_equal(header_of(r, "X-Frame-Options"), "DENY");
    assert_non_null(header_of(r, "X-Request-Id"));
}

static void security_headers_and_request_ids(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    const char *paths[] = {"/api/v1/things/1", "/api/v1/nothing", "/healthz", "/index.html", "/no/such.png"};
    char first_id[80] = "";
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        get(fx->port, paths[i], r);
        assert_security_headers(r);
        assert_true(is_hex32(header_of(r, "X-Request-Id")));
        if (i == 0)
            snprintf(first_id, sizeof first_id, "%s", header_of(r, "X-Request-Id"));
        else
            assert_string_not_equal(first_id, header_of(r, "X-Request-Id"));
        if (strncmp(paths[i], "/api/", 5) == 0)
            assert_string_equal(header_of(r, "Cache-Control"), "no-store");
    }
    /* request headers: 6 kB of cookies pass, 20 kB are refused (431) */
    char *big = malloc(21000);
    memset(big, 'c', 21000);
    int n = snprintf(big, 200, "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\nCookie: x=");
    big[n + 6000] = '\0';
    strcat(big, "\r\n\r\n");
    request(fx->port, big, r);
    assert_int_equal(r->status, 200);
    memset(big + n, 'c', 20000);
    big[n + 20000] = '\0';
    strcat(big, "\r\n\r\n");
    request(fx->port, big, r);
    assert_int_equal(r->status, 431);
    free(big);
    request(fx->port, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Request-Id: trace-ABC-123\r\nConnection: close\r\n\r\n", r);
    assert_string_equal(header_of(r, "X-Request-Id"), "trace-ABC-123");
    request(fx->port, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Request-Id: bad id\"<x>\r\nConnection: close\r\n\r\n", r);
    assert_true(is_hex32(header_of(r, "X-Request-Id")));
    char raw[512], long_id[66];
    memset(long_id, 'a', 65);
    long_id[65] = '\0';
    snprintf(raw, sizeof raw, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Request-Id: %s\r\nConnection: close\r\n\r\n", long_id);
    request(fx->port, raw, r);
    assert_true(is_hex32(header_of(r, "X-Request-Id"))); /* 65 characters: replaced */
    long_id[64] = '\0';
    snprintf(raw, sizeof raw, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Request-Id: %s\r\nConnection: close\r\n\r\n", long_id);
    request(fx->port, raw, r);
    assert_string_equal(header_of(r, "X-Request-Id"), long_id); /* 64: kept */
    free(r);
}

static void keep_alive(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    struct conn *c = conn_open(fx->port);
    const char *a = "GET /api/v1/things/1 HTTP/1.1\r\nHost: t\r\n\r\n";
    const char *b = "POST /api/v1/things HTTP/1.1\r\nHost: t\r\nContent-Length: 8\r\n\r\n{\"k\":\"v\"}";
    const char *d = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
    send_all(c, a, strlen(a));
    assert_int_equal(read_resp(c, r, 0), 0);
    assert_int_equal(r->status, 200);
    assert_null(header_of(r, "Connection")); /* no "close" */
    send_all(c, b, strlen(b) - 1); /* Content-Length 8 of 9 bytes: '{"k":"v"' */
    assert_int_equal(read_resp(c, r, 0), 0);
    assert_error(r, 400, "bad_json");
    send_all(c, d, strlen(d));
    assert_int_equal(read_resp(c, r, 0), 0);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, "{\"status\":\"ok\"}");
    /* pipelined: two requests in one write, two answers in order */
    char two[256];
    snprintf(two, sizeof two, "%s%s", d, a);
    send_all(c, two, strlen(two));
    assert_int_equal(read_resp(c, r, 0), 0);
    assert_string_equal(r->body, "{\"status\":\"ok\"}");
    assert_int_equal(read_resp(c, r, 0), 0);
    assert_non_null(strstr(r->body, "\"id\":\"1\""));
    conn_close(c);
    free(r);
}

static void static_files(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    get(fx->port, "/", r);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, INDEX_HTML);
    assert_string_equal(header_of(r, "Content-Type"), "text/html; charset=utf-8");
    assert_string_equal(header_of(r, "Cache-Control"), "no-cache");
    assert_security_headers(r);
    char etag[128];
    assert_non_null(header_of(r, "ETag"));
    snprintf(etag, sizeof etag, "%s", header_of(r, "ETag"));
    assert_true(etag[0] == '"' && etag[strlen(etag) - 1] == '"'); /* strong */

    char raw[512];
    snprintf(raw, sizeof raw, "GET /index.html HTTP/1.1\r\nHost: t\r\nIf-None-Match: %s\r\nConnection: close\r\n\r\n", etag);
    request(fx->port, raw, r);
    assert_int_equal(r->status, 304);
    assert_int_equal(r->body_len, 0);
    assert_string_equal(header_of(r, "ETag"), etag);
    snprintf(raw, sizeof raw, "GET / HTTP/1.1\r\nHost: t\r\nIf-None-Match: \"other\"\r\nConnection: close\r\n\r\n");
    request(fx->port, raw, r);
    assert_int_equal(r->status, 200);

    /* hashed assets: cached for a year; gzip sibling when accepted */
    get(fx->port, "/assets/app.5f3a9c.js", r);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, APP_JS);
    assert_string_equal(header_of(r, "Content-Type"), "text/javascript; charset=utf-8");
    assert_string_equal(header_of(r, "Cache-Control"), "public, max-age=31536000, immutable");
    assert_null(header_of(r, "Content-Encoding"));
    assert_string_equal(header_of(r, "Vary"), "Accept-Encoding");
    char plain_etag[128];
    snprintf(plain_etag, sizeof plain_etag, "%s", header_of(r, "ETag"));
    request(fx->port, "GET /assets/app.5f3a9c.js HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip, br\r\nConnection: close\r\n\r\n",
            r);
    assert_int_equal(r->status, 200);
    assert_string_equal(header_of(r, "Content-Encoding"), "br");
    assert_string_equal(header_of(r, "Vary"), "Accept-Encoding");
    assert_int_equal(r->body_len, sizeof APP_JS_BR - 1);
    assert_memory_equal(r->body, APP_JS_BR, sizeof APP_JS_BR - 1);
    assert_string_equal(header_of(r, "Content-Type"), "text/javascript; charset=utf-8");
    assert_security_headers(r);
    char br_etag[128];
    snprintf(br_etag, sizeof br_etag, "%s", header_of(r, "ETag"));
    assert_string_not_equal(br_etag, plain_etag); /* each variant its own tag */
    snprintf(raw, sizeof raw, "GET /assets/app.5f3a9c.js HTTP/1.1\r\nHost: t\r\nAccept-Encoding: br\r\nIf-None-Match: %s\r\nConnection: close\r\n\r\n", br_etag);
    request(fx->port, raw, r);
    assert_int_equal(r->status, 304);
    assert_string_equal(header_of(r, "Vary"), "Accept-Encoding");
    request(fx->port, "GET /assets/old.js HTTP/1.1\r\nHost: t\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n", r);
    assert_int_equal(r->status, 200);
    assert_null(header_of(r, "Content-Encoding"));
    assert_string_equal(r->body, APP_JS);
    request(fx->port, "GET /assets/app.5f3a9c.js HTTP/1.1\r\nHost: t\r\nAccept-Encoding: br;q=0, gzip;q=0.5\r\nConnection: close\r\n\r\n",
            r);
    assert_int_equal(r->status, 200);
    assert_string_equal(header_of(r, "Content-Encoding"), "gzip");
    assert_int_equal(r->body_len, sizeof APP_JS_GZ - 1);
    assert_memory_equal(r->body, APP_JS_GZ, sizeof APP_JS_GZ - 1);
    assert_string_equal(header_of(r, "Content-Type"), "text/javascript; charset=utf-8");
    request(fx->port,
            "GET /assets/app.5f3a9c.js HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip;q=0\r\nConnection: close\r\n\r\n", r);
    assert_null(header_of(r, "Content-Encoding"));

    get(fx->port, "/robots.txt", r);
    assert_string_equal(header_of(r, "Content-Type"), "text/plain; charset=utf-8");
    assert_string_equal(r->body, "User-agent: *\n");
    get(fx->port, "/inside.txt", r); /* a symlink that stays inside */
    assert_int_equal(r->status, 200);

    /* client routes fall back to index.html; missing files with an extension do not */
    get(fx->port, "/institutions/12/edit", r);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, INDEX_HTML);
    assert_string_equal(header_of(r, "Cache-Control"), "no-cache");
    get(fx->port, "/assets/missing.js", r);
    assert_error(r, 404, "not_found");
    /* a second entry point: the directory and its client routes get its own index.html */
    const char *console_paths[] = {"/console", "/console/", "/console/institutions/12"};
    for (size_t i = 0; i < 3; i++) {
        get(fx->port, console_paths[i], r);
        assert_int_equal(r->status, 200);
        assert_string_equal(r->body, CONSOLE_HTML);
    }

    /* HEAD: headers only */
    request(fx->port, "HEAD /robots.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", r);
    assert_int_equal(r->status, 200);
    assert_string_equal(header_of(r, "Content-Length"), "14");

    /* escapes refused */
    const char *bad[] = {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt", "/leak.txt",
                         "/.env",          "/assets/%2e%2e%2f%2e%2e%2fsecret.txt", "/a\\..\\secret.txt"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        get(fx->port, bad[i], r);
        assert_int_not_equal(r->status, 200);
        assert_null(strstr(r->body, "top secret"));
        assert_null(strstr(r->body, "SECRET"));
    }
    free(r);
}

static void static_file_changes_are_seen(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    get(fx->port, "/robots.txt", r);
    char etag[128];
    snprintf(etag, sizeof etag, "%s", header_of(r, "ETag"));
    write_file(fx->web, "robots.txt", "User-agent: none at all\n", 24);
    get(fx->port, "/robots.txt", r);
    assert_string_equal(r->body, "User-agent: none at all\n");
    assert_string_not_equal(header_of(r, "ETag"), etag);
    free(r);
}

static void healthz_and_metrics(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    get(fx->port, "/healthz", r);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, "{\"status\":\"ok\"}");
    assert_string_equal(header_of(r, "Content-Type"), "application/json; charset=utf-8");

    /* one connection: each request completes (and is counted) before the next is read */
    struct conn *c = conn_open(fx->port);
    const char *a = "GET /api/v1/things/9 HTTP/1.1\r\nHost: t\r\n\r\n";
    for (int i = 0; i < 3; i++) {
        send_all(c, a, strlen(a));
        assert_int_equal(read_resp(c, r, 0), 0);
    }
    const char *nf = "GET /api/v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n";
    send_all(c, nf, strlen(nf));
    assert_int_equal(read_resp(c, r, 0), 0);
    const char *m = "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n";
    send_all(c, m, strlen(m));
    assert_int_equal(read_resp(c, r, 0), 0);
    conn_close(c);
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(header_of(r, "Content-Type"), "text/plain"));
    assert_non_null(strstr(r->body, "tuoyu_http_requests_total{route=\"/api/v1/things/{key}\",method=\"GET\",status=\"200\"} 3\n"));
    assert_non_null(strstr(r->body, "tuoyu_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1\n"));
    assert_non_null(strstr(r->body, "tuoyu_http_requests_total{route=\"unmatched\",method=\"*\",status=\"404\"} 1\n"));
    assert_non_null(strstr(r->body, "tuoyu_http_request_duration_seconds_bucket{route=\"/api/v1/things/{key}\",le=\"+Inf\"} 3\n"));
    assert_non_null(strstr(r->body, "tuoyu_http_request_duration_seconds_count{route=\"/api/v1/things/{key}\"} 3\n"));
    assert_non_null(strstr(r->body, "tuoyu_http_request_duration_seconds_sum{route=\"/api/v1/things/{key}\"} "));
    assert_non_null(strstr(r->body, "tuoyu_db_calls_total "));
    assert_non_null(strstr(r->body, "tuoyu_db_seconds_total "));
    free(r);
}

struct worker {
    int port, id, ok;
};

static void *client_thread(void *arg)
{
    struct worker *w = arg;
    struct resp *r = malloc(sizeof *r);
    struct conn *c = conn_open(w->port);
    for (int i = 0; i < 50; i++) {
        char raw[256], want[64];
        snprintf(raw, sizeof raw, "GET /api/v1/things/%d-%d HTTP/1.1\r\nHost: t\r\n\r\n", w->id, i);
        send_all(c, raw, strlen(raw));
        if (read_resp(c, r, 0) < 0)
            break;
        snprintf(want, sizeof want, "\"id\":\"%d-%d\"", w->id, i);
        if (r->status == 200 && strstr(r->body, want))
            w->ok++;
    }
    conn_close(c);
    free(r);
    return NULL;
}

static void concurrent_clients(void **state)
{
    struct fx *fx = *state;
    enum { T = 8 };
    pthread_t th[T];
    struct worker w[T];
    for (int i = 0; i < T; i++) {
        w[i] = (struct worker){.port = fx->port, .id = i};
        assert_int_equal(pthread_create(&th[i], NULL, client_thread, &w[i]), 0);
    }
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].ok, 50);
    }
    /* every answered request is counted once (the last completions may lag the replies) */
    struct resp *r = malloc(sizeof *r);
    for (int tries = 0; tries < 50; tries++) {
        get(fx->port, "/metrics", r);
        if (strstr(r->body, "route=\"/api/v1/things/{key}\",method=\"GET\",status=\"200\"} 400\n"))
            break;
        usleep(20000);
    }
    assert_non_null(strstr(r->body, "route=\"/api/v1/things/{key}\",method=\"GET\",status=\"200\"} 400\n"));
    assert_int_equal(atomic_load(&handler_calls), 400);
    free(r);
}

static void arena_survives_many_allocations(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    get(fx->port, "/api/v1/arena", r);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, "{\"ok\":true}");
    free(r);
}

static void json_replies_match_jansson(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    get(fx->port, "/api/v1/tricky", r);
    assert_int_equal(r->status, 200);
    json_t *j = tricky_json();
    char *want = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12));
    assert_string_equal(r->body, want);
    assert_int_equal(r->body_len, strlen(want));
    free(want);
    json_decref(j);
    free(r);
}

static void strict_ids_and_body_schema(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    get(fx->port, "/api/v1/items/9223372036854775807", r);
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(r->body, "\"id\":9223372036854775807"));
    const char *bad[] = {"01", "+1", "1%00", "%201", "1.0", "0", "-1", "9223372036854775808", "9999999999999999999999", "1%2F2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/items/%s", bad[i]);
        get(fx->port, path, r);
        assert_error(r, 404, "not_found");
    }
    /* the body: checked before the handler, trimmed for it */
    post(fx->port, "{\"name\": \"  托育 \"}", r);
    assert_int_equal(r->status, 201);
    assert_non_null(strstr(r->body, "\"name\":\"托育\""));
    post(fx->port, "{\"name\": \"x\", \"colour\": 1}", r);
    assert_error(r, 400, "unknown_field");
    post(fx->port, "{\"name\": 5}", r);
    assert_error(r, 422, "wrong_type");
    post(fx->port, "{\"name\": \"\u3000 \"}", r);
    assert_error(r, 422, "required");
    /* a body where the route takes none */
    request(fx->port, "DELETE /api/v1/things/5 HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", r);
    assert_error(r, 400, "unexpected_body");
    free(r);
}

static void routes_json(void **state)
{
    json_t *a = http_routes_json(test_tables);
    assert_non_null(a);
    assert_int_equal(json_array_size(a), 10);
    json_t *first = json_array_get(a, 0);
    assert_string_equal(json_string_value(json_object_get(first, "method")), "GET");
    assert_string_equal(json_string_value(json_object_get(first, "pattern")), "/api/v1/things/{key}");
    assert_string_equal(json_string_value(json_object_get(first, "action")), "thing.read");
    json_decref(a);
}

/* A connection from src (an address of 127.0.0.0/8) asking for /healthz: its descriptor, kept open,
 * when the server answers; -1 when the server closes it instead. */
static int healthz_from(int port, const char *src)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in local = {.sin_family = AF_INET}, sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    assert_int_equal(inet_pton(AF_INET, src, &local.sin_addr), 1);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&local, sizeof local), 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
    send(fd, req, sizeof req - 1, MSG_NOSIGNAL);
    char buf[2048];
    size_t len = 0;
    while (len < sizeof buf - 1) {
        ssize_t r = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (r <= 0)
            break;
        len += (size_t)r;
        buf[len] = '\0';
        if (strstr(buf, "{\"status\":\"ok\"}"))
            return fd;
    }
    assert_int_equal(len, 0); /* closed without a reply, not a reply cut short */
    close(fd);
    return -1;
}

/* The count per address under churn: 40 addresses, one connection each at most, a table of 16
 * slots (twice the connection limit of 8), so that probe runs collide and entries are removed
 * from their middle. An address with an open connection is always refused a second one; one
 * without is always let in (once the server has noticed its last close). */
static void per_address_counts_under_churn(void **state)
{
    (void)state;
    struct http_server_config cfg = {.threads = 1, .max_body = 10, .tables = test_tables, .quiet = 1,
                                     .max_connections = 8, .max_per_addr = 1};
    snprintf(cfg.listen_addr, sizeof cfg.listen_addr, "127.0.0.1");
    struct http_server *srv;
    struct err e = {0};
    assert_int_equal(http_server_start(&cfg, &srv, &e), 0);
    int port = http_server_port(srv), fds[40], nopen = 0;
    for (int i = 0; i < 40; i++)
        fds[i] = -1;
    uint32_t rnd = 12345;
    for (int step = 0; step < 3000; step++) {
        rnd = rnd * 1103515245u + 12345u;
        int a = (int)(rnd >> 16) % 40;
        char src[32];
        snprintf(src, sizeof src, "127.0.0.%d", 10 + a);
        if (fds[a] >= 0) {
            if (rnd & 0x8000) {
                close(fds[a]);
                fds[a] = -1;
                nopen--;
            } else {
                assert_int_equal(healthz_from(port, src), -1);
            }
        } else if (nopen < 7) {
            for (int tries = 0; fds[a] < 0 && tries < 100; tries++) /* its last close may be in flight */
                if ((fds[a] = healthz_from(port, src)) < 0)
                    usleep(20000);
            assert_true(fds[a] >= 0);
            nopen++;
        }
    }
    for (int i = 0; i < 40; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    http_server_stop(srv);
}

static void bad_pattern_and_address_refused(void **state)
{
    static const struct route bad[] = {{"GET", "/api/v1/x/{}", "public", h_raw}, {NULL, NULL, NULL, NULL}};
    static const struct route *const bad_tables[] = {bad, NULL};
    struct http_server_config cfg = {.threads = 1, .max_body = 10, .tables = bad_tables, .quiet = 1};
    struct http_server *srv = NULL;
    struct err e = {0};
    assert_true(http_server_start(&cfg, &srv, &e) < 0);
    assert_string_equal(e.code, "bad_route");
    cfg.tables = test_tables;
    snprintf(cfg.listen_addr, sizeof cfg.listen_addr, "not-an-address");
    assert_true(http_server_start(&cfg, &srv, &e) < 0);
    /* a port in use */
    struct fx *fx = *state;
    snprintf(cfg.listen_addr, sizeof cfg.listen_addr, "127.0.0.1");
    cfg.port = fx->port;
    assert_true(http_server_start(&cfg, &srv, &e) < 0);
    assert_string_equal(e.code, "listen_failed");
    /* a web directory that does not exist */
    cfg.port = 0;
    cfg.web_dir = "/nonexistent/tuoyu-web";
    assert_true(http_server_start(&cfg, &srv, &e) < 0);
}

static void wait_returns_on_sigterm(void **state)
{
    struct fx *fx = *state;
    /* the start blocked SIGTERM in this thread: a directed signal stays pending for sigwait */
    assert_int_equal(pthread_kill(pthread_self(), SIGTERM), 0);
    http_server_wait(fx->srv);
    http_server_stop(fx->srv);
    fx->srv = NULL;
    struct http_server_config cfg = {.threads = 1, .max_body = 10, .tables = test_tables, .quiet = 1};
    struct err e = {0};
    assert_int_equal(http_server_start(&cfg, &fx->srv, &e), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(routing_with_params),
        T(not_found_and_not_allowed),
        T(before_hook_answers_and_after_hook_runs),
        T(body_limit),
        T(bad_json_names_line_and_column),
        T(security_headers_and_request_ids),
        T(keep_alive),
        T(static_files),
        T(static_file_changes_are_seen),
        T(healthz_and_metrics),
        T(concurrent_clients),
        T(arena_survives_many_allocations),
        T(json_replies_match_jansson),
        T(strict_ids_and_body_schema),
        cmocka_unit_test(routes_json),
        cmocka_unit_test(per_address_counts_under_churn),
        T(bad_pattern_and_address_refused),
        T(wait_returns_on_sigterm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
