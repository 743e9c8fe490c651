/* fuzz_multipart.c — libFuzzer target for the parsers of uploads: the first byte picks one of
 *   0  a multipart/form-data body (boundary "XyZ") fed whole and fed in pieces whose sizes come
 *      from the input: both must give the same parts, bytes, result and error (the streaming
 *      parser may not depend on where the network cut the body), errors being 400 bad_multipart
 *      with a message that is valid UTF-8;
 *   1  a Content-Type value: a boundary it gives is 1–70 bytes without CR, LF or NUL;
 *   2  a file's bytes through the type detection (ZIP central directory walk included): an OFD
 *      must hold the bytes "OFD.xml";
 *   3  a file name: kept ones are valid UTF-8 of at most 255 bytes without / or \, and the
 *      Content-Disposition of their download is printable ASCII starting "attachment;". */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"
#include "materials/materials.h"

struct trace {
    char *text;
    size_t len, cap;
};

static void put(struct trace *t, const char *p, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 1024;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *q = realloc(t->text, cap);
        if (!q)
            abort();
        t->text = q;
        t->cap = cap;
    }
    memcpy(t->text + t->len, p, n);
    t->len += n;
}

static int on_part(void *ctx, const struct http_multipart_part *p, struct err *e)
{
    char head[2048];
    int n = snprintf(head, sizeof head, "[%s|%d|%s|%s]", p->name, p->has_filename, p->filename, p->content_type);
    if (n < 0 || !p->name[0])
        abort(); /* a part always has a name */
    put(ctx, head, (size_t)n < sizeof head ? (size_t)n : sizeof head - 1);
    return 0;
}
static int on_data(void *ctx, const char *p, size_t n, struct err *e)
{
    if (n == 0)
        abort(); /* no empty pieces */
    put(ctx, p, n);
    return 0;
}
static int on_end(void *ctx, struct err *e)
{
    put(ctx, "<end>", 5);
    return 0;
}
static const struct http_multipart_cb CB = {on_part, on_data, on_end};

/* Parse body in pieces whose sizes are taken from cuts (whole when ncuts is 0). */
static int parse(const uint8_t *body, size_t len, const uint8_t *cuts, size_t ncuts, struct trace *t, struct err *e)
{
    static struct http_multipart m;
    http_multipart_init(&m, "XyZ");
    int rc = 0;
    size_t i = 0, k = 0;
    while (i < len && rc == 0) {
        size_t n = ncuts ? (size_t)cuts[k++ % ncuts] % 17 + 1 : len;
        if (n > len - i)
            n = len - i;
        rc = http_multipart_feed(&m, (const char *)body + i, n, &CB, t, e);
        i += n;
    }
    if (rc == 0)
        rc = http_multipart_finish(&m, e);
    return rc;
}

static void fuzz_body(const uint8_t *data, size_t size)
{
    /* the first few bytes say where to cut, the rest is the body */
    size_t ncuts = size ? data[0] % 8 : 0;
    if (ncuts + 1 > size)
        return;
    const uint8_t *cuts = data + 1, *body = data + 1 + ncuts;
    size_t len = size - 1 - ncuts;
    struct trace whole = {0}, pieces = {0};
    struct err e1 = {0}, e2 = {0};
    int r1 = parse(body, len, NULL, 0, &whole, &e1);
    int r2 = parse(body, len, cuts, ncuts ? ncuts : 1, &pieces, &e2);
    if (r1 != r2 || whole.len != pieces.len || (whole.len && memcmp(whole.text, pieces.text, whole.len) != 0))
        abort();
    if (r1 < 0) {
        json_t *m = json_string(e1.message);
        if (e1.status != 400 || strcmp(e1.code, "bad_multipart") != 0 || strcmp(e1.message, e2.message) != 0 || !m)
            abort();
        json_decref(m);
    }
    free(whole.text);
    free(pieces.text);
}

static void fuzz_content_type(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    char b[HTTP_MULTIPART_BOUNDARY_MAX + 1];
    struct err e = {0};
    if (http_multipart_boundary(s, b, &e) == 0) {
        size_t n = strlen(b);
        if (n < 1 || n > HTTP_MULTIPART_BOUNDARY_MAX || strpbrk(b, "\r\n"))
            abort();
    } else if (!((e.status == 415 && strcmp(e.code, "unsupported_media_type") == 0) ||
                 (e.status == 400 && strcmp(e.code, "bad_multipart") == 0))) {
        abort();
    }
    free(s);
}

struct buf {
    const uint8_t *p;
    size_t n;
};

static long read_buf(void *ctx, uint64_t off, void *out, size_t n)
{
    const struct buf *b = ctx;
    if (off >= b->n)
        return 0;
    size_t k = b->n - off < n ? b->n - (size_t)off : n;
    memcpy(out, b->p + off, k);
    return (long)k;
}

static void fuzz_detect(const uint8_t *data, size_t size)
{
    struct buf b = {data, size};
    enum materials_type t;
    if (materials_detect(read_buf, &b, size, &t) < 0)
        abort();
    if (t == MATERIALS_OFD && !memmem(data, size, "OFD.xml", 7))
        abort();
}

static void fuzz_name(const uint8_t *data, size_t size)
{
    char *raw = malloc(size + 1);
    memcpy(raw, data, size);
    raw[size] = '\0';
    char name[MATERIALS_NAME_MAX + 1];
    struct err e = {0};
    if (materials_name_clean(raw, name, &e) == 0) {
        json_t *j = json_string(name); /* NULL unless valid UTF-8 */
        if (!j || strlen(name) > MATERIALS_NAME_MAX || !name[0] || strpbrk(name, "/\\"))
            abort();
        json_decref(j);
        char dl[MATERIALS_NAME_MAX + 8], cd[MATERIALS_DISPOSITION_MAX];
        materials_download_name(name, (enum materials_type)(size % 5), dl, sizeof dl);
        materials_disposition(dl, "material-1.pdf", cd, sizeof cd);
        if (strncmp(cd, "attachment;", 11) != 0)
            abort();
        for (const unsigned char *p = (const unsigned char *)cd; *p; p++)
            if (*p < 0x20 || *p > 0x7e)
                abort();
    } else if (e.status != 422 || strcmp(e.code, "bad_file_name") != 0) {
        abort();
    }
    free(raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] % 4) {
    case 0:
        fuzz_body(data + 1, size - 1);
        break;
    case 1:
        fuzz_content_type(data + 1, size - 1);
        break;
    case 2:
        fuzz_detect(data + 1, size - 1);
        break;
    default:
        fuzz_name(data + 1, size - 1);
        break;
    }
    return 0;
}
