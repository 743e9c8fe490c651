/* upload.c — request bodies of HTTP_FILE routes, streamed to storage as they arrive: the
 * multipart/form-data body is parsed piece by piece (multipart.c) and the one file part it holds
 * is hashed (SHA-256) and written to an unnamed temporary file (O_TMPFILE, 0600) in the server's
 * upload directory through a 64 KiB buffer, so a request costs about 80 KiB of memory whatever
 * the file's size. The before hook (session, CSRF, role) and the route's begin hook (the record,
 * the size limit) run on the headers, before any byte is kept; a refusal is answered at once when
 * the client waits for "100 Continue" or the body is too big to be worth reading, and otherwise
 * once the body was read and thrown away (answering while a client still sends makes the kernel
 * reset the connection and the client loses the answer). While a file is being stored the body
 * deadline restarts after every 64 KiB, so a large file may take as long as it needs at a pace of
 * 64 KiB per --body-timeout; a stalled or refused body still meets the deadline. Also replies from
 * a file (http_reply_file) and the temporary files handlers use for them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/date.h"
#include "http/internal.h"
#include "http/multipart.h"

#define UPLOAD_BUF (64 * 1024)      /* write buffer; also the progress that restarts the body deadline */
#define UPLOAD_FRAMING (HTTP_MULTIPART_HEAD_MAX + 1024) /* the multipart framing around the file */

struct http_upload_state {
    struct http_upload pub;
    struct http_req_state *st;
    uint64_t limit;            /* the largest file accepted */
    int refused;               /* st->rep holds the answer: the rest of the body is thrown away */
    int parts;
    size_t buf_len;
    crypto_hash_sha256_state sha;
    struct http_multipart mp;  /* from here on set up by http_multipart_init */
    char buf[UPLOAD_BUF];
};

int http_upload_route(const struct route *r) { return r && r->body && r->body->type == HTTP_FILE; }

static const char *default_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

static int temp_fd(const struct http_server *srv)
{
    return open(srv->upload_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

int http_upload_dir_check(struct http_server *srv, struct err *e)
{
    srv->upload_dir = srv->cfg.upload_dir && *srv->cfg.upload_dir ? srv->cfg.upload_dir : default_dir();
    int fd = temp_fd(srv);
    if (fd < 0)
        return err_set(e, 500, "upload_dir", "upload_dir", "无法在 %s 中创建上传用的临时文件（需要 Linux 的 O_TMPFILE）：%s",
                       srv->upload_dir, strerror(errno));
    close(fd);
    return 0;
}

int http_temp_file(struct http_req *req)
{
    struct http_req_state *st = req->impl;
    return temp_fd(st->srv);
}

const struct http_upload *http_upload(struct http_req *req)
{
    struct http_req_state *st = req->impl;
    return st->upload && !st->upload->refused && st->upload->pub.fd >= 0 ? &st->upload->pub : NULL;
}

void http_upload_limit(struct http_req *req, uint64_t max_bytes)
{
    struct http_req_state *st = req->impl;
    if (st->upload)
        st->upload->limit = max_bytes;
}

/* "20 MiB", "512 KiB", "1000 字节" */
static const char *size_text(uint64_t n, char *buf, size_t cap)
{
    if (n && n % (1u << 20) == 0)
        snprintf(buf, cap, "%llu MiB", (unsigned long long)(n >> 20));
    else if (n && n % 1024 == 0)
        snprintf(buf, cap, "%llu KiB", (unsigned long long)(n >> 10));
    else
        snprintf(buf, cap, "%llu 字节", (unsigned long long)n);
    return buf;
}

static int too_large(struct http_upload_state *u, struct err *e)
{
    char limit[32];
    return err_set(e, 413, "payload_too_large", "file", "上传的文件超过大小上限（%s）",
                   size_text(u->limit, limit, sizeof limit));
}

/* How much of a refused body is read and thrown away before the answer goes out at once. */
static uint64_t discard_limit(const struct http_upload_state *u)
{
    uint64_t floor = 16 * (uint64_t)u->st->srv->cfg.max_body + (1u << 20);
    uint64_t twice = 2 * u->limit + (1u << 20);
    return twice > floor ? twice : floor;
}

static void refuse(struct http_upload_state *u, const struct err *e)
{
    http_reply_err(&u->st->rep, e);
    u->refused = 1;
    if (u->pub.fd >= 0)
        close(u->pub.fd); /* unnamed: nothing of it stays */
    u->pub.fd = -1;
}

/* Write the buffer out; the body deadline restarts (the client is making progress). */
static int flush(struct http_upload_state *u, struct err *e)
{
    const char *p = u->buf;
    size_t n = u->buf_len;
    while (n) {
        ssize_t w = write(u->pub.fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (errno == ENOSPC || errno == EDQUOT)
                return err_set(e, 507, "storage_full", "file", "服务器存储空间不足，文件未保存，请稍后再试");
            return err_set(e, 500, "upload_failed", "file", "文件保存失败：%s", strerror(errno));
        }
        p += w;
        n -= (size_t)w;
    }
    u->buf_len = 0;
    http_conn_set_phase(u->st->hc, HTTP_CONN_BODY);
    return 0;
}

static int on_part(void *ctx, const struct http_multipart_part *p, struct err *e)
{
    struct http_upload_state *u = ctx;
    if (u->parts++)
        return err_set(e, 400, "bad_multipart", p->name, "一次只能上传一个文件（请求体中有多个分段）");
    if (strcmp(p->name, "file") != 0)
        return err_set(e, 400, "bad_multipart", p->name, "文件应放在名为 file 的分段中");
    if (!p->has_filename)
        return err_set(e, 400, "bad_multipart", "file", "file 分段缺少文件名（filename）");
    u->pub.filename = http_strdup(&u->st->req, p->filename);
    u->pub.content_type = http_strdup(&u->st->req, p->content_type);
    return 0;
}

static int on_data(void *ctx, const char *p, size_t n, struct err *e)
{
    struct http_upload_state *u = ctx;
    if (n > u->limit - u->pub.size)
        return too_large(u, e);
    u->pub.size += n;
    crypto_hash_sha256_update(&u->sha, (const unsigned char *)p, n);
    while (n) {
        size_t take = sizeof u->buf - u->buf_len < n ? sizeof u->buf - u->buf_len : n;
        memcpy(u->buf + u->buf_len, p, take);
        u->buf_len += take;
        p += take;
        n -= take;
        if (u->buf_len == sizeof u->buf && flush(u, e) < 0)
            return -1;
    }
    return 0;
}

static int on_part_end(void *ctx, struct err *e) { return flush(ctx, e); }

static const struct http_multipart_cb CALLBACKS = {on_part, on_data, on_part_end};

enum MHD_Result http_upload_start(struct http_req_state *st)
{
    struct http_server *srv = st->srv;
    struct http_reply *rep = &st->rep;
    struct http_upload_state *u = http_alloc(&st->req, sizeof *u);
    memset(u, 0, offsetof(struct http_upload_state, mp));
    u->pub.fd = -1;
    u->st = st;
    u->limit = srv->cfg.max_body;
    st->upload = u;
    st->before_called = 1;
    int stop = srv->cfg.before ? srv->cfg.before(&st->req, rep) : 0;
    if (!stop && st->req.route->begin) {
        st->req.route->begin(&st->req, rep);
        stop = rep->status != 0;
    }
    struct err e = {0};
    char boundary[HTTP_MULTIPART_BOUNDARY_MAX + 1];
    if (!stop) {
        const char *type = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (http_multipart_boundary(type, boundary, &e) < 0 ||
            (st->declared_len > u->limit + UPLOAD_FRAMING && too_large(u, &e) < 0)) {
            http_reply_err(rep, &e);
            stop = 1;
        } else if ((u->pub.fd = temp_fd(srv)) < 0) {
            err_set(&e, 500, "upload_failed", "file", "无法创建上传用的临时文件：%s", strerror(errno));
            http_reply_err(rep, &e);
            stop = 1;
        }
    }
    if (!stop) {
        http_multipart_init(&u->mp, boundary);
        crypto_hash_sha256_init(&u->sha);
        return MHD_YES;
    }
    u->refused = 1;
    const char *expect = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
    if ((expect && strcasecmp(expect, "100-continue") == 0) || st->declared_len > discard_limit(u)) {
        http_reply_header(rep, "Connection", "close");
        return http_send(st);
    }
    return MHD_YES;
}

enum MHD_Result http_upload_take(struct http_req_state *st, const char *data, size_t n)
{
    struct http_upload_state *u = st->upload;
    st->body_seen += n;
    struct err e = {0};
    if (!u->refused && http_multipart_feed(&u->mp, data, n, &CALLBACKS, u, &e) < 0)
        refuse(u, &e);
    if (u->refused && st->body_seen > discard_limit(u)) {
        http_reply_header(&st->rep, "Connection", "close");
        return http_send(st);
    }
    return MHD_YES;
}

int http_upload_end(struct http_req_state *st)
{
    struct http_upload_state *u = st->upload;
    if (u->refused)
        return 1;
    struct err e = {0};
    if (http_multipart_finish(&u->mp, &e) < 0) {
        refuse(u, &e);
        return 1;
    }
    crypto_hash_sha256_final(&u->sha, u->pub.sha256);
    sodium_bin2hex(u->pub.sha256_hex, sizeof u->pub.sha256_hex, u->pub.sha256, sizeof u->pub.sha256);
    /* the request's time is when the file was complete, not when its headers came */
    const struct http_server *srv = st->srv;
    st->req.now = srv->cfg.clock ? srv->cfg.clock(srv->cfg.app) : (int64_t)time(NULL);
    date_format_day(st->req.now, st->req.today, sizeof st->req.today);
    return 0;
}

void http_upload_free(struct http_req_state *st)
{
    if (st->upload && st->upload->pub.fd >= 0)
        close(st->upload->pub.fd);
    st->upload = NULL;
    if (st->rep.has_file) /* a file reply that never became a response */
        close(st->rep.file_fd);
    st->rep.has_file = 0;
}

int http_reply_file(struct http_reply *rep, int status, int fd, uint64_t size, const char *content_type)
{
    if (rep->json)
        json_decref(rep->json);
    rep->json = NULL;
    rep->raw = NULL;
    rep->raw_len = 0;
    rep->status = status;
    rep->has_file = 1;
    rep->file_fd = fd;
    rep->file_size = size;
    rep->content_type = content_type;
    return 0;
}
