/* static.c — the web app from web_dir (web/dist): safe path resolution (no "..", no dot files,
 * nothing outside the directory even through symlinks), content types, strong ETags and 304s,
 * long-lived caching for Vite's hashed assets/, a precompressed .br or .gz sibling when the
 * client accepts brotli or gzip (with Vary: Accept-Encoding), index.html for client-side routes,
 * and an in-memory cache of file contents (checked against stat() on every request, refcounted
 * so a reload never frees a buffer that is still being sent). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/internal.h"

#define STATIC_BUCKETS 256
#define STATIC_MAX_CACHED_FILE (16u << 20)   /* bigger files are sent from the file */
#define STATIC_MAX_CACHE_BYTES (256u << 20)

struct static_file {
    atomic_int refs;
    char *key;
    char *data;
    size_t len;
    dev_t dev;
    ino_t ino;
    struct timespec mtime;
    struct static_file *next;
};

struct http_static {
    int dirfd;
    char root[PATH_MAX];
    size_t root_len;
    pthread_mutex_t lock;
    size_t cached_bytes;
    struct static_file *buckets[STATIC_BUCKETS];
};

int http_static_open(struct http_static **out, const char *web_dir, struct err *e)
{
    struct http_static *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(e, 500, "oom", "", "内存不足");
    if (!realpath(web_dir, s->root)) {
        free(s);
        return err_set(e, 400, "bad_web_dir", "web", "静态文件目录不存在：%s", web_dir);
    }
    s->root_len = strlen(s->root);
    s->dirfd = open(s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->dirfd < 0) {
        free(s);
        return err_set(e, 400, "bad_web_dir", "web", "无法打开静态文件目录：%s（%s）", web_dir, strerror(errno));
    }
    pthread_mutex_init(&s->lock, NULL);
    *out = s;
    return 0;
}

static void file_release(void *p)
{
    struct static_file *f = p;
    if (atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) == 1) {
        free(f->data);
        free(f->key);
        free(f);
    }
}

void http_static_close(struct http_static *s)
{
    for (int i = 0; i < STATIC_BUCKETS; i++) {
        struct static_file *f = s->buckets[i];
        while (f) {
            struct static_file *next = f->next;
            file_release(f);
            f = next;
        }
    }
    pthread_mutex_destroy(&s->lock);
    close(s->dirfd);
    free(s);
}

static unsigned hash_key(const char *k)
{
    unsigned h = 2166136261u;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 16777619u;
    return h % STATIC_BUCKETS;
}

static int same_file(const struct static_file *f, const struct stat *sb)
{
    return f->dev == sb->st_dev && f->ino == sb->st_ino && (off_t)f->len == sb->st_size &&
           f->mtime.tv_sec == sb->st_mtim.tv_sec && f->mtime.tv_nsec == sb->st_mtim.tv_nsec;
}

/* 1 when rel is a safe relative path: segments non-empty, none starting with '.', no
 * backslashes or control characters. */
static int safe_rel(const char *rel)
{
    if (!*rel)
        return 0;
    const char *seg = rel;
    for (const char *p = rel;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '/' || c == '\0') {
            if (p == seg || seg[0] == '.')
                return 0;
            if (c == '\0')
                return 1;
            seg = p + 1;
        } else if (c < 0x20 || c == 0x7f || c == '\\') {
            return 0;
        }
    }
}

/* The opened file must lie inside the root, whatever symlinks led to it. */
static int inside_root(struct http_static *s, int fd)
{
    char link[64], real[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, real, sizeof real - 1);
    if (n < 0)
        return 0;
    real[n] = '\0';
    return (size_t)n > s->root_len && memcmp(real, s->root, s->root_len) == 0 && real[s->root_len] == '/';
}

/* Read the file for key (stat'ed as sb) into a new entry; NULL when it cannot be read or lies
 * outside the root. *fd_out gets an open fd instead when the file is too big to cache. */
static struct static_file *load_file(struct http_static *s, const char *key, int *fd_out, struct stat *sb)
{
    *fd_out = -1;
    int fd = openat(s->dirfd, key, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    if (fstat(fd, sb) < 0 || !S_ISREG(sb->st_mode) || !inside_root(s, fd)) {
        close(fd);
        return NULL;
    }
    if ((uint64_t)sb->st_size > STATIC_MAX_CACHED_FILE) {
        *fd_out = fd;
        return NULL;
    }
    struct static_file *f = calloc(1, sizeof *f);
    size_t len = (size_t)sb->st_size;
    if (f) {
        f->key = strdup(key);
        f->data = malloc(len ? len : 1);
    }
    if (!f || !f->key || !f->data) {
        if (f) {
            free(f->key);
            free(f->data);
        }
        free(f);
        close(fd);
        return NULL;
    }
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, f->data + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != len) {
        free(f->key);
        free(f->data);
        free(f);
        return NULL;
    }
    f->len = len;
    f->dev = sb->st_dev;
    f->ino = sb->st_ino;
    f->mtime = sb->st_mtim;
    atomic_init(&f->refs, 1);
    return f;
}

/* The cached entry for key (a reference the caller releases), loading it when it is missing or
 * the file changed. NULL with *fd_out >= 0 for a file too big to cache; NULL and -1 when not servable. */
static struct static_file *get_file(struct http_static *s, const char *key, const struct stat *now, int *fd_out,
                                    struct stat *sb_out)
{
    unsigned h = hash_key(key);
    *fd_out = -1;
    pthread_mutex_lock(&s->lock);
    for (struct static_file *f = s->buckets[h]; f; f = f->next)
        if (strcmp(f->key, key) == 0 && same_file(f, now)) {
            atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
            pthread_mutex_unlock(&s->lock);
            *sb_out = *now;
            return f;
        }
    pthread_mutex_unlock(&s->lock);

    struct static_file *f = load_file(s, key, fd_out, sb_out);
    if (!f)
        return NULL;
    pthread_mutex_lock(&s->lock);
    struct static_file **pp = &s->buckets[h];
    while (*pp && strcmp((*pp)->key, key) != 0)
        pp = &(*pp)->next;
    if (*pp) { /* drop the stale entry (freed when its last reply is sent) */
        struct static_file *old = *pp;
        *pp = old->next;
        s->cached_bytes -= old->len;
        file_release(old);
    }
    if (s->cached_bytes + f->len <= STATIC_MAX_CACHE_BYTES) {
        atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed); /* the cache's reference */
        f->next = s->buckets[h];
        s->buckets[h] = f;
        s->cached_bytes += f->len;
    }
    pthread_mutex_unlock(&s->lock);
    return f;
}

static const char *content_type(const char *name)
{
    static const struct { const char *ext, *type; } types[] = {
        {"html", "text/html; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"},
        {"mjs", "text/javascript; charset=utf-8"},
        {"css", "text/css; charset=utf-8"},
        {"svg", "image/svg+xml"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"webp", "image/webp"},
        {"ico", "image/x-icon"},
        {"json", "application/json; charset=utf-8"},
        {"woff2", "font/woff2"},
        {"woff", "font/woff"},
        {"ttf", "font/ttf"},
        {"map", "application/json; charset=utf-8"},
        {"webmanifest", "application/manifest+json; charset=utf-8"},
        {"txt", "text/plain; charset=utf-8"},
        {"csv", "text/csv; charset=utf-8"},
        {"pdf", "application/pdf"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"wasm", "application/wasm"},
    };
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(slash ? slash : name, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot + 1, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

static int etag_matches(const char *inm, const char *etag)
{
    if (!inm)
        return 0;
    if (strcmp(inm, "*") == 0)
        return 1;
    return strstr(inm, etag) != NULL; /* a list of tags, W/ prefixes compare weakly: still a match */
}

static enum MHD_Result not_found(struct http_req_state *st)
{
    http_reply_error(&st->rep, 404, "not_found", "", "找不到请求的资源：%s", st->req.path);
    return http_send(st);
}

enum MHD_Result http_static_serve(struct http_static *s, struct http_req_state *st)
{
    const char *path = st->req.path;
    size_t plen = strlen(path);
    if (plen > 1024)
        return not_found(st);
    char rel[1100];
    if (plen <= 1 || path[plen - 1] == '/')
        snprintf(rel, sizeof rel, "%sindex.html", path + 1);
    else
        snprintf(rel, sizeof rel, "%s", path + 1);
    if (!safe_rel(rel))
        return not_found(st);

    struct stat sb;
    int found = fstatat(s->dirfd, rel, &sb, 0) == 0;
    if (found && S_ISDIR(sb.st_mode)) {
        size_t n = strlen(rel);
        snprintf(rel + n, sizeof rel - n, "/index.html");
        found = fstatat(s->dirfd, rel, &sb, 0) == 0;
    }
    if (!found || !S_ISREG(sb.st_mode)) {
        /* a client-side route (no extension in the last segment) gets the index.html of its
         * app: <first segment>/index.html when there is one (a second entry point such as
         * /console/…), else the root index.html */
        const char *last = strrchr(path, '/');
        if (strchr(last ? last : path, '.'))
            return not_found(st);
        const char *slash = strchr(rel, '/');
        found = 0;
        if (slash) {
            snprintf(rel + (slash - rel), sizeof rel - (size_t)(slash - rel), "/index.html");
            found = fstatat(s->dirfd, rel, &sb, 0) == 0 && S_ISREG(sb.st_mode);
        }
        if (!found) {
            snprintf(rel, sizeof rel, "index.html");
            if (fstatat(s->dirfd, rel, &sb, 0) != 0 || !S_ISREG(sb.st_mode))
                return not_found(st);
        }
    }

    /* a precompressed sibling (written by the web build: tools/precompress.mjs), brotli before
     * gzip, when the client takes it; a sibling older than the file is stale and ignored */
    static const struct { const char *suffix, *coding; } codings[] = {{".br", "br"}, {".gz", "gzip"}};
    const char *coding = NULL;
    int has_sibling = 0;
    char zrel[1110];
    struct stat zsb;
    for (size_t i = 0; i < sizeof codings / sizeof codings[0] && !coding; i++) {
        snprintf(zrel, sizeof zrel, "%s%s", rel, codings[i].suffix);
        if (fstatat(s->dirfd, zrel, &zsb, 0) != 0 || !S_ISREG(zsb.st_mode) ||
            zsb.st_mtim.tv_sec < sb.st_mtim.tv_sec ||
            (zsb.st_mtim.tv_sec == sb.st_mtim.tv_sec && zsb.st_mtim.tv_nsec < sb.st_mtim.tv_nsec))
            continue;
        has_sibling = 1;
        if (http_accepts_coding(st, codings[i].coding))
            coding = codings[i].coding;
    }

    int fd = -1;
    struct stat fsb;
    struct static_file *f = coding ? get_file(s, zrel, &zsb, &fd, &fsb) : NULL;
    if (!f && fd < 0) {
        coding = NULL;
        f = get_file(s, rel, &sb, &fd, &fsb);
    }
    if (!f && fd < 0)
        return not_found(st);

    char etag[80];
    snprintf(etag, sizeof etag, "\"%" PRIx64 "-%" PRIx64 "-%" PRIx64 "%s\"", (uint64_t)fsb.st_size,
             (uint64_t)fsb.st_mtim.tv_sec * 1000000000u + (uint64_t)fsb.st_mtim.tv_nsec, (uint64_t)fsb.st_ino,
             coding ? (coding[0] == 'b' ? "-br" : "-gz") : "");
    const char *cache = strncmp(rel, "assets/", 7) == 0 ? "public, max-age=31536000, immutable" : "no-cache";

    struct MHD_Response *resp;
    int status = 200;
    if (etag_matches(MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH), etag)) {
        status = 304;
        if (f)
            file_release(f);
        if (fd >= 0)
            close(fd);
        resp = MHD_create_response_from_buffer(0, (char *)"", MHD_RESPMEM_PERSISTENT);
    } else if (f) {
        resp = MHD_create_response_from_buffer_with_free_callback_cls(f->len, f->data, file_release, f);
        if (!resp)
            file_release(f);
    } else {
        resp = MHD_create_response_from_fd((uint64_t)fsb.st_size, fd); /* closes fd */
        if (!resp)
            close(fd);
    }
    if (!resp)
        return MHD_NO;
    int ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag) == MHD_YES;
    ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cache) == MHD_YES;
    if (status == 200)
        ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type(rel)) == MHD_YES;
    if (coding && status == 200)
        ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, coding) == MHD_YES;
    if (has_sibling)
        ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding") == MHD_YES;
    if (!ok) {
        MHD_destroy_response(resp);
        return MHD_NO;
    }
    return http_send_response(st, resp, status);
}
