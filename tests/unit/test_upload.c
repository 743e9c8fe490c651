/* test_upload.c — upload bodies (HTTP_FILE routes) through a real server on loopback: a file
 * larger than max_body streams to an unnamed temporary file whose size and SHA-256 the handler
 * gets, and nothing named is left in the upload directory; every refusal (the before hook, the
 * route's begin hook, the Content-Type, malformed multipart, a second file, a file over the limit
 * declared or sent chunked) is answered with the error shape and never reaches the handler — before
 * the body when the client waits for 100 Continue; the body deadline still closes a stalled
 * upload, while one that keeps sending is let finish; and replies from a file descriptor. */
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "http/http.h"

#define LIMIT (4u << 20) /* the route's file limit; max_body is 1 KiB */
static atomic_int handler_calls;

static int begin_upload(struct http_req *req, struct http_reply *rep)
{
    if (http_query(req, "refuse"))
        return http_reply_error(rep, 404, "not_found", "", "未找到");
    http_upload_limit(req, LIMIT);
    return 0;
}

/* Reads the file back and answers its size, hash (computed again here) and names. */
static int h_upload(struct http_req *req, struct http_reply *rep)
{
    atomic_fetch_add(&handler_calls, 1);
    const struct http_upload *up = http_upload(req);
    if (!up)
        return http_reply_error(rep, 500, "no_upload", "", "x");
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    char buf[4096];
    uint64_t off = 0;
    ssize_t n;
    while ((n = pread(up->fd, buf, sizeof buf, (off_t)off)) > 0) {
        crypto_hash_sha256_update(&h, (unsigned char *)buf, (size_t)n);
        off += (uint64_t)n;
    }
    unsigned char d[32];
    char hex[65];
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    struct stat st;
    fstat(up->fd, &st);
    return http_reply_json(rep, 201,
                           json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:i}", "size", (json_int_t)up->size, "read",
                                     (json_int_t)off, "sha256", up->sha256_hex, "sha256_read", hex, "filename",
                                     up->filename, "type", up->content_type, "mode", (int)(st.st_mode & 0777)));
}

/* Replies 200 KiB of a pattern from a temporary file. */
static int h_file(struct http_req *req, struct http_reply *rep)
{
    int fd = http_temp_file(req);
    if (fd < 0)
        return http_reply_error(rep, 500, "temp", "", "x");
    char buf[1024];
    for (int i = 0; i < 200; i++) {
        memset(buf, 'a' + i % 26, sizeof buf);
        if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
            return http_reply_error(rep, 500, "write", "", "x");
    }
    http_reply_header(rep, "Content-Disposition", "attachment; filename=\"x.bin\"");
    return http_reply_file(rep, 200, fd, 200 * 1024, "application/octet-stream");
}

static const struct http_schema FILE_BODY = {NULL, HTTP_FILE, 0, "文件"};
static const struct route routes[] = {
    {"POST", "/api/v1/files", "ok", h_upload, &FILE_BODY, NULL, 201, .begin = begin_upload},
    {"POST", "/api/v1/denied-files", "deny", h_upload, &FILE_BODY, NULL, 201, .begin = begin_upload},
    {"GET", "/api/v1/file", "ok", h_file},
    {NULL, NULL, NULL, NULL},
};
static const struct route *const tables[] = {routes, NULL};

static int before_hook(struct http_req *req, struct http_reply *rep)
{
    if (strcmp(req->route->action, "deny") == 0)
        return http_reply_error(rep, 401, "unauthenticated", "", "请先登录"), 1;
    return 0;
}

struct fx {
    char dir[64];
    struct http_server *srv;
    int port;
};

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/tuoyu-upload-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    atomic_store(&handler_calls, 0);
    struct http_server_config cfg = {
        .port = 0, .threads = 2, .max_body = 1024, .tables = tables, .before = before_hook, .quiet = 1,
        .body_timeout = 2, .upload_dir = fx->dir,
    };
    snprintf(cfg.listen_addr, sizeof cfg.listen_addr, "127.0.0.1");
    struct err e = {0};
    if (http_server_start(&cfg, &fx->srv, &e) < 0)
        fail_msg("start: %s", e.message);
    fx->port = http_server_port(fx->srv);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    http_server_stop(fx->srv);
    assert_int_equal(rmdir(fx->dir), 0); /* empty: nothing named was ever left in it */
    free(fx);
    return 0;
}

/* ---- a tiny client ---- */

static int conn_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

/* Send all; 0, or -1 when the server closed the connection. */
static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

struct resp {
    int status;
    char text[1 << 18]; /* head and body */
    size_t len;
    const char *body;
};

/* Read one response to the end of its Content-Length: 0, -1 when the connection closed first. */
static int read_resp(int fd, struct resp *r)
{
    r->len = 0;
    r->status = 0;
    for (;;) {
        r->text[r->len] = '\0';
        char *end = strstr(r->text, "\r\n\r\n");
        if (end) {
            const char *cl = strcasestr(r->text, "\r\nContent-Length:");
            size_t want = (size_t)(end + 4 - r->text) + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
            if (r->len >= want) {
                r->body = end + 4;
                sscanf(r->text, "HTTP/1.1 %d", &r->status);
                return 0;
            }
        }
        if (r->len + 1 >= sizeof r->text)
            return -1;
        ssize_t n = recv(fd, r->text + r->len, sizeof r->text - 1 - r->len, 0);
        if (n <= 0)
            return -1;
        r->len += (size_t)n;
    }
}

static json_t *error_of(const struct resp *r, const char *code)
{
    json_error_t je;
    json_t *j = json_loads(r->body, 0, &je);
    if (!j)
        fail_msg("not JSON: %s", r->text);
    json_t *err = json_object_get(j, "error");
    if (!err || strcmp(json_string_value(json_object_get(err, "code")), code) != 0)
        fail_msg("expected %s: %s", code, r->text);
    assert_non_null(json_string_value(json_object_get(err, "message")));
    return j;
}

#define BOUNDARY "----tuoyuTestBoundary7MA4YWxk"

/* A multipart body holding a file of size bytes (a pattern) named name. */
static char *multipart(const char *name, size_t size, size_t *len)
{
    char head[512];
    int h = snprintf(head, sizeof head,
                     "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                     "Content-Type: application/pdf\r\n\r\n",
                     name);
    static const char tail[] = "\r\n--" BOUNDARY "--\r\n";
    char *b = malloc((size_t)h + size + sizeof tail);
    memcpy(b, head, (size_t)h);
    for (size_t i = 0; i < size; i++)
        b[h + i] = (char)(i * 131 % 251); /* CRs and dashes included */
    memcpy(b + h + size, tail, sizeof tail - 1);
    *len = (size_t)h + size + sizeof tail - 1;
    return b;
}

static void sha256_hex(const char *p, size_t n, char hex[65])
{
    unsigned char d[32];
    crypto_hash_sha256(d, (const unsigned char *)p, n);
    sodium_bin2hex(hex, 65, d, 32);
}

/* POST body to path with Content-Length (or chunked), in pieces; the response. */
static void post(int port, const char *path, const char *type, const char *body, size_t len, int chunked,
                 const char *extra, struct resp *r)
{
    int fd = conn_open(port);
    char head[1024], length[48];
    snprintf(length, sizeof length, "Content-Length: %zu\r\n", len);
    int n = snprintf(head, sizeof head, "POST %s HTTP/1.1\r\nHost: t\r\nContent-Type: %s\r\n%s%s\r\n", path, type,
                     extra ? extra : "", chunked ? "Transfer-Encoding: chunked\r\n" : length);
    int closed = send_all(fd, head, (size_t)n);
    for (size_t off = 0; off < len && !closed; off += 65536) {
        size_t k = len - off < 65536 ? len - off : 65536;
        if (chunked) {
            char size[32];
            int s = snprintf(size, sizeof size, "%zx\r\n", k);
            closed = send_all(fd, size, (size_t)s) || send_all(fd, body + off, k) || send_all(fd, "\r\n", 2);
        } else {
            closed = send_all(fd, body + off, k);
        }
    }
    if (chunked && !closed)
        send_all(fd, "0\r\n\r\n", 5);
    assert_int_equal(read_resp(fd, r), 0);
    close(fd);
}

static void streams_a_file_larger_than_max_body(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    for (int chunked = 0; chunked <= 1; chunked++) {
        size_t len, size = 3u << 20;
        char *body = multipart("营业执照 2024.pdf", size, &len);
        post(fx->port, "/api/v1/files", "multipart/form-data; boundary=" BOUNDARY, body, len, chunked, NULL, r);
        assert_int_equal(r->status, 201);
        json_t *j = json_loads(r->body, 0, NULL);
        char want[65];
        const char *head_end = strstr(body, "\r\n\r\n") + 4;
        sha256_hex(head_end, size, want);
        assert_int_equal(json_integer_value(json_object_get(j, "size")), size);
        assert_int_equal(json_integer_value(json_object_get(j, "read")), size);
        assert_string_equal(json_string_value(json_object_get(j, "sha256")), want);
        assert_string_equal(json_string_value(json_object_get(j, "sha256_read")), want);
        assert_string_equal(json_string_value(json_object_get(j, "filename")), "营业执照 2024.pdf");
        assert_string_equal(json_string_value(json_object_get(j, "type")), "application/pdf");
        assert_int_equal(json_integer_value(json_object_get(j, "mode")), 0600);
        json_decref(j);
        free(body);
    }
    /* an empty file is a file: the handler decides */
    size_t len;
    char *body = multipart("empty.pdf", 0, &len);
    post(fx->port, "/api/v1/files", "multipart/form-data; boundary=" BOUNDARY, body, len, 0, NULL, r);
    assert_int_equal(r->status, 201);
    free(body);
    /* at the limit exactly */
    body = multipart("max.pdf", LIMIT, &len);
    post(fx->port, "/api/v1/files", "multipart/form-data; boundary=" BOUNDARY, body, len, 1, NULL, r);
    assert_int_equal(r->status, 201);
    free(body);
    assert_int_equal(atomic_load(&handler_calls), 4);
    free(r);
}

static void refusals_never_reach_the_handler(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    size_t len;
    char *body = multipart("a.pdf", 200000, &len);
    const char *mp = "multipart/form-data; boundary=" BOUNDARY;

    post(fx->port, "/api/v1/denied-files", mp, body, len, 0, NULL, r);
    json_decref(error_of(r, "unauthenticated"));
    assert_int_equal(r->status, 401);
    post(fx->port, "/api/v1/files?refuse=1", mp, body, len, 0, NULL, r);
    assert_int_equal(r->status, 404);
    json_decref(error_of(r, "not_found"));
    post(fx->port, "/api/v1/files", "application/json", body, len, 0, NULL, r);
    assert_int_equal(r->status, 415);
    json_decref(error_of(r, "unsupported_media_type"));
    post(fx->port, "/api/v1/files", "multipart/form-data", body, len, 0, NULL, r);
    assert_int_equal(r->status, 400);
    json_decref(error_of(r, "bad_multipart"));
    post(fx->port, "/api/v1/files", "multipart/form-data; boundary=other", body, len, 0, NULL, r);
    assert_int_equal(r->status, 400);
    json_decref(error_of(r, "bad_multipart"));
    /* cut short: no close delimiter */
    post(fx->port, "/api/v1/files", mp, body, len - 12, 0, NULL, r);
    assert_int_equal(r->status, 400);
    json_decref(error_of(r, "bad_multipart"));

    /* a second part, a part not named file, a file part without a file name */
    static const char two[] = "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n"
                              "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b\"\r\n\r\ny\r\n"
                              "--" BOUNDARY "--";
    post(fx->port, "/api/v1/files", mp, two, sizeof two - 1, 0, NULL, r);
    json_t *j = error_of(r, "bad_multipart");
    assert_int_equal(r->status, 400);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "file");
    json_decref(j);
    static const char other[] = "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a\"\r\n\r\nx\r\n"
                                "--" BOUNDARY "--";
    post(fx->port, "/api/v1/files", mp, other, sizeof other - 1, 0, NULL, r);
    json_decref(error_of(r, "bad_multipart"));
    static const char unnamed[] = "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n"
                                  "--" BOUNDARY "--";
    post(fx->port, "/api/v1/files", mp, unnamed, sizeof unnamed - 1, 0, NULL, r);
    json_decref(error_of(r, "bad_multipart"));

    /* over the limit: declared (the body read and thrown away, then answered) or found as it is
     * sent chunked; a declared length far beyond is answered at once and the connection closed */
    free(body);
    body = multipart("big.pdf", LIMIT + 1, &len);
    post(fx->port, "/api/v1/files", mp, body, len, 0, NULL, r);
    assert_int_equal(r->status, 413);
    json_decref(error_of(r, "payload_too_large"));
    assert_non_null(strstr(r->body, "4 MiB"));
    post(fx->port, "/api/v1/files", mp, body, len, 1, NULL, r);
    assert_int_equal(r->status, 413);
    json_decref(error_of(r, "payload_too_large"));
    free(body);
    int fd = conn_open(fx->port);
    static const char huge[] = "POST /api/v1/files HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; "
                               "boundary=" BOUNDARY "\r\nContent-Length: 100000000\r\n\r\n";
    assert_int_equal(send_all(fd, huge, sizeof huge - 1), 0);
    assert_int_equal(read_resp(fd, r), 0);
    assert_int_equal(r->status, 413);
    assert_non_null(strcasestr(r->text, "Connection: close"));
    close(fd);

    /* the client waits for 100 Continue: the refusal comes before any of the body is sent */
    fd = conn_open(fx->port);
    static const char expect[] = "POST /api/v1/denied-files HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; "
                                 "boundary=" BOUNDARY "\r\nContent-Length: 3000000\r\nExpect: 100-continue\r\n\r\n";
    assert_int_equal(send_all(fd, expect, sizeof expect - 1), 0);
    assert_int_equal(read_resp(fd, r), 0);
    assert_int_equal(r->status, 401);
    close(fd);
    assert_int_equal(atomic_load(&handler_calls), 0);
    free(r);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static void the_body_deadline_still_applies(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    size_t len;
    char *body = multipart("slow.pdf", 600000, &len);
    char head[512];
    int n = snprintf(head, sizeof head,
                     "POST /api/v1/files HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=" BOUNDARY
                     "\r\nContent-Length: %zu\r\n\r\n",
                     len);

    /* a client that keeps sending 64 KiB every 0.7 s takes about 7 s, over three deadlines */
    int fd = conn_open(fx->port);
    assert_int_equal(send_all(fd, head, (size_t)n), 0);
    for (size_t off = 0; off < len; off += 65536) {
        assert_int_equal(send_all(fd, body + off, len - off < 65536 ? len - off : 65536), 0);
        if (off + 65536 < len)
            sleep_ms(700);
    }
    assert_int_equal(read_resp(fd, r), 0);
    assert_int_equal(r->status, 201);
    close(fd);

    /* one that stops sending is closed after the deadline (2 s) without an answer */
    fd = conn_open(fx->port);
    assert_int_equal(send_all(fd, head, (size_t)n), 0);
    assert_int_equal(send_all(fd, body, 100000), 0);
    time_t t0 = time(NULL);
    assert_int_equal(read_resp(fd, r), -1);
    assert_true(time(NULL) - t0 <= 5);
    close(fd);
    assert_int_equal(atomic_load(&handler_calls), 1);
    free(body);
    free(r);
}

static void replies_stream_from_a_file(void **state)
{
    struct fx *fx = *state;
    struct resp *r = malloc(sizeof *r);
    int fd = conn_open(fx->port);
    static const char get[] = "GET /api/v1/file HTTP/1.1\r\nHost: t\r\n\r\n";
    for (int i = 0; i < 2; i++) { /* twice on one connection */
        assert_int_equal(send_all(fd, get, sizeof get - 1), 0);
        assert_int_equal(read_resp(fd, r), 0);
        assert_int_equal(r->status, 200);
        assert_non_null(strcasestr(r->text, "Content-Length: 204800\r\n"));
        assert_non_null(strcasestr(r->text, "Content-Type: application/octet-stream\r\n"));
        assert_non_null(strcasestr(r->text, "X-Content-Type-Options: nosniff\r\n"));
        for (size_t k = 0; k < 200; k++)
            assert_int_equal(r->body[k * 1024 + 1023], 'a' + (int)(k % 26));
    }
    close(fd);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(streams_a_file_larger_than_max_body, setup, teardown),
        cmocka_unit_test_setup_teardown(refusals_never_reach_the_handler, setup, teardown),
        cmocka_unit_test_setup_teardown(the_body_deadline_still_applies, setup, teardown),
        cmocka_unit_test_setup_teardown(replies_stream_from_a_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
