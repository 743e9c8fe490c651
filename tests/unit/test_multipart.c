/* test_multipart.c — the strict streaming multipart/form-data parser (src/http/multipart.c)
 * without a server: the boundary from the Content-Type, a body parsed whole and in pieces of every
 * size giving the same parts and bytes (content holding near-delimiters, CRs and an empty part),
 * and each malformed body refused with 400 bad_multipart: preamble, missing or extra bytes at the
 * end, unknown, folded or repeated headers, filename*, a bare LF, a NUL, an oversized header
 * block, a missing name; a callback that stops the parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/multipart.h"

/* What the callbacks saw, as text: "[name|filename|type]" per part, then its bytes, then "<end>". */
struct seen {
    char text[65536];
    size_t len;
    int stop_at_part; /* a part callback that refuses the n-th part (1-based); 0 = never */
};

static void put(struct seen *s, const char *p, size_t n)
{
    assert_true(s->len + n < sizeof s->text);
    memcpy(s->text + s->len, p, n);
    s->len += n;
    s->text[s->len] = '\0';
}

static int on_part(void *ctx, const struct http_multipart_part *p, struct err *e)
{
    struct seen *s = ctx;
    char buf[2048];
    int n = snprintf(buf, sizeof buf, "[%s|%s%s|%s]", p->name, p->has_filename ? "" : "-", p->filename, p->content_type);
    put(s, buf, (size_t)n);
    if (s->stop_at_part && s->stop_at_part-- == 1)
        return err_set(e, 400, "stopped", p->name, "停止");
    return 0;
}
static int on_data(void *ctx, const char *p, size_t n, struct err *e) { put(ctx, p, n); return 0; }
static int on_end(void *ctx, struct err *e) { put(ctx, "<end>", 5); return 0; }
static const struct http_multipart_cb CB = {on_part, on_data, on_end};

/* Parse body in pieces of `step` bytes (0 = whole); 0 or -1 with e. */
static int parse(const char *boundary, const char *body, size_t len, size_t step, struct seen *s, struct err *e)
{
    struct http_multipart *m = malloc(sizeof *m);
    assert_non_null(m);
    http_multipart_init(m, boundary);
    memset(e, 0, sizeof *e);
    int stop = s->stop_at_part;
    s->len = 0;
    s->text[0] = '\0';
    s->stop_at_part = stop;
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0;) {
        size_t n = step && step < len - i ? step : len - i;
        rc = http_multipart_feed(m, body + i, n, &CB, s, e);
        i += n;
    }
    if (rc == 0)
        rc = http_multipart_finish(m, e);
    free(m);
    return rc;
}

static void boundary_from_content_type(void **state)
{
    (void)state;
    char b[HTTP_MULTIPART_BOUNDARY_MAX + 1];
    struct err e = {0};
    assert_int_equal(http_multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundaryx7Yq", b, &e), 0);
    assert_string_equal(b, "----WebKitFormBoundaryx7Yq");
    assert_int_equal(http_multipart_boundary("Multipart/Form-Data;charset=utf-8; boundary=\"a b:c\"", b, &e), 0);
    assert_string_equal(b, "a b:c");
    char longest[80];
    memset(longest, 'x', 70);
    longest[70] = '\0';
    char ct[160];
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", longest);
    assert_int_equal(http_multipart_boundary(ct, b, &e), 0);
    assert_string_equal(b, longest);

    static const struct {
        const char *ct;
        int status;
        const char *code;
    } bad[] = {
        {NULL, 415, "unsupported_media_type"},
        {"application/json", 415, "unsupported_media_type"},
        {"multipart/form-datax; boundary=a", 415, "unsupported_media_type"},
        {"multipart/mixed; boundary=a", 415, "unsupported_media_type"},
        {"multipart/form-data", 400, "bad_multipart"},
        {"multipart/form-data; charset=utf-8", 400, "bad_multipart"},
        {"multipart/form-data; boundary=", 400, "bad_multipart"},
        {"multipart/form-data; boundary=\"\"", 400, "bad_multipart"},
        {"multipart/form-data; boundary=\"ab \"", 400, "bad_multipart"},   /* may not end with a space */
        {"multipart/form-data; boundary=\"a\rb\"", 400, "bad_multipart"},
        {"multipart/form-data; boundary=a; boundary=b", 400, "bad_multipart"},
        {"multipart/form-data; boundary=\"unterminated", 400, "bad_multipart"},
        {"multipart/form-data boundary=a", 400, "bad_multipart"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&e, 0, sizeof e);
        if (http_multipart_boundary(bad[i].ct, b, &e) == 0)
            fail_msg("accepted: %s", bad[i].ct ? bad[i].ct : "(none)");
        assert_int_equal(e.status, bad[i].status);
        assert_string_equal(e.code, bad[i].code);
        assert_true(strlen(e.message) > 0);
    }
    memset(longest, 'x', 71);
    longest[71] = '\0';
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", longest);
    assert_int_equal(http_multipart_boundary(ct, b, &e), -1);
}

#define B "XyZ"
/* content with a CR, CRLFs, a dash line and near-delimiters that must stay content */
static const char TRICKY[] = "a\r\rb\r\n-\r\n--\r\n--X\r\n--XyY\r\n--Xy\r\r\n--Xy\r\n--XyA";

static void whole_and_in_pieces_agree(void **state)
{
    (void)state;
    char body[4096];
    int n = snprintf(body, sizeof body,
                     "--" B "\r\n"
                     "Content-Disposition: form-data; name=\"file\"; filename=\"营业执照 (1).pdf\"\r\n"
                     "Content-Type: application/pdf\r\n"
                     "\r\n"
                     "%s\r\n"
                     "--" B "\r\n"
                     "content-disposition:form-data;name=note\r\n"
                     "\r\n"
                     "\r\n"
                     "--" B "\r\n"
                     "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
                     "\r\n"
                     "\r\n"
                     "--" B "--\r\n",
                     TRICKY);
    struct seen *whole = calloc(1, sizeof *whole), *piece = calloc(1, sizeof *piece);
    struct err e;
    if (parse(B, body, (size_t)n, 0, whole, &e) < 0)
        fail_msg("%s %s: %s", e.code, e.field, e.message);
    char want[1024];
    snprintf(want, sizeof want, "[file|营业执照 (1).pdf|application/pdf]%s<end>[note|-|]<end>[empty||]<end>", TRICKY);
    assert_string_equal(whole->text, want);
    for (size_t step = 1; step <= (size_t)n; step++) {
        assert_int_equal(parse(B, body, (size_t)n, step, piece, &e), 0);
        assert_int_equal(piece->len, whole->len);
        assert_memory_equal(piece->text, whole->text, whole->len);
    }
    /* the close delimiter alone ends it too (no CRLF after it) */
    assert_int_equal(parse(B, body, (size_t)n - 2, 0, piece, &e), 0);
    free(whole);
    free(piece);
}

struct counter {
    size_t bytes;
    unsigned sum;
};

static int count_data(void *ctx, const char *p, size_t n, struct err *e)
{
    struct counter *c = ctx;
    for (size_t i = 0; i < n; i++)
        c->sum = c->sum * 31 + (unsigned char)p[i];
    c->bytes += n;
    return 0;
}

static void binary_content_passes_through(void **state)
{
    (void)state;
    static const char head[] = "--" B "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n\r\n";
    static const char tail[] = "\r\n--" B "--";
    size_t size = 70000;
    char *body = malloc(sizeof head + size + sizeof tail);
    memcpy(body, head, sizeof head - 1);
    for (size_t i = 0; i < size; i++)
        body[sizeof head - 1 + i] = (char)(i * 7 % 256); /* every byte value, NUL and CR included */
    memcpy(body + sizeof head - 1 + size, tail, sizeof tail - 1);
    size_t len = sizeof head - 1 + size + sizeof tail - 1;
    struct http_multipart *m = malloc(sizeof *m);
    http_multipart_init(m, B);
    struct counter c = {0, 0};
    const struct http_multipart_cb cb = {NULL, count_data, NULL};
    struct err e;
    for (size_t i = 0; i < len; i += 1000)
        assert_int_equal(http_multipart_feed(m, body + i, len - i < 1000 ? len - i : 1000, &cb, &c, &e), 0);
    assert_int_equal(http_multipart_finish(m, &e), 0);
    assert_int_equal(c.bytes, size);
    unsigned sum = 0;
    for (size_t i = 0; i < size; i++)
        sum = sum * 31 + (unsigned char)body[sizeof head - 1 + i];
    assert_int_equal(c.sum, sum);
    free(m);
    free(body);
}

static void expect_refused(const char *body, size_t len, const char *what)
{
    struct seen *s = calloc(1, sizeof *s);
    struct err e;
    for (size_t step = 0; step <= 7; step += 7) {
        if (parse(B, body, len, step, s, &e) == 0)
            fail_msg("accepted (%s): %s", what, body);
        assert_int_equal(e.status, 400);
        assert_string_equal(e.code, "bad_multipart");
        assert_non_null(strstr(e.message, "multipart"));
    }
    free(s);
}
#define REFUSED(body, what) expect_refused(body, sizeof(body) - 1, what)

#define CD "Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
static void malformed_bodies_are_refused(void **state)
{
    (void)state;
    REFUSED("", "empty body");
    REFUSED("preamble\r\n--" B "\r\n" CD "\r\nx\r\n--" B "--", "a preamble");
    REFUSED("--" B "--", "no part at all");
    REFUSED("--" B " \r\n" CD "\r\nx\r\n--" B "--", "padding after the boundary");
    REFUSED("--" B "\r\n" CD "\r\nx\r\n--" B, "cut after the last delimiter");
    REFUSED("--" B "\r\n" CD "\r\nx", "cut in the content");
    REFUSED("--" B "\r\n" CD, "cut in the headers");
    REFUSED("--" B "\r\n" CD "\r\nx\r\n--" B "--\r\nepilogue", "an epilogue");
    REFUSED("--" B "\r\n" CD "\r\nx\r\n--" B "--\r", "a lone CR after the end");
    REFUSED("--" B "\r\n" CD "\r\nx\r\n--" B "-x", "one dash");
    REFUSED("--" B "\r\n" CD "\r\nx\r\n--" B "x", "another boundary");
    REFUSED("--" B "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" B "--", "no Content-Disposition");
    REFUSED("--" B "\r\n\r\nx\r\n--" B "--", "no headers");
    REFUSED("--" B "\r\n" CD CD "\r\nx\r\n--" B "--", "Content-Disposition twice");
    REFUSED("--" B "\r\n" CD "Content-Type: a\r\nContent-Type: b\r\n\r\nx\r\n--" B "--", "Content-Type twice");
    REFUSED("--" B "\r\n" CD "Content-Transfer-Encoding: base64\r\n\r\nx\r\n--" B "--", "another header");
    REFUSED("--" B "\r\n" CD " folded\r\n\r\nx\r\n--" B "--", "a folded line");
    REFUSED("--" B "\r\nContent-Disposition: form-data; name=\"file\"\n; filename=\"a\"\r\n\r\nx\r\n--" B "--", "bare LF");
    REFUSED("--" B "\r\nContent-Disposition: attachment; name=\"file\"\r\n\r\nx\r\n--" B "--", "not form-data");
    REFUSED("--" B "\r\nContent-Disposition: form-data\r\n\r\nx\r\n--" B "--", "no name");
    REFUSED("--" B "\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--" B "--", "empty name");
    REFUSED("--" B "\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--" B "--", "name twice");
    REFUSED("--" B "\r\nContent-Disposition: form-data; name=file; filename=a; filename=b\r\n\r\nx\r\n--" B "--", "filename twice");
    REFUSED("--" B "\r\nContent-Disposition: form-data; name=file; filename*=UTF-8''a.pdf\r\n\r\nx\r\n--" B "--", "filename*");
    REFUSED("--" B "\r\nContent-Disposition: form-data; name=file; size=3\r\n\r\nx\r\n--" B "--", "unknown parameter");
    REFUSED("--" B "\r\nContent-Disposition: form-data; name=\"file; filename=a\r\n\r\nx\r\n--" B "--", "unterminated quote");
    REFUSED("--" B "\r\nContent-Disposition: form-data; name=file filename=a\r\n\r\nx\r\n--" B "--", "no semicolon");
    REFUSED("--" B "\r\nNo colon here\r\n\r\nx\r\n--" B "--", "no colon");
    REFUSED("--" B "\r\nContent-Disposition : form-data; name=file\r\n\r\nx\r\n--" B "--", "space before the colon");
    static const char nul[] = "--" B "\r\nContent-Disposition: form-data; name=\"fi\0le\"\r\n\r\nx\r\n--" B "--";
    expect_refused(nul, sizeof nul - 1, "a NUL in a header");

    /* an oversized header block */
    size_t big = HTTP_MULTIPART_HEAD_MAX + 100;
    char *body = malloc(big + 200);
    int n = snprintf(body, big + 200, "--" B "\r\n" CD "X-Pad: ");
    memset(body + n, 'a', big);
    strcpy(body + n + big, "\r\n\r\nx\r\n--" B "--");
    expect_refused(body, strlen(body), "header block too long");
    free(body);

    /* a file name over the limit */
    body = malloc(HTTP_MULTIPART_FILENAME_MAX + 200);
    n = snprintf(body, 200, "--" B "\r\nContent-Disposition: form-data; name=file; filename=\"");
    memset(body + n, 'a', HTTP_MULTIPART_FILENAME_MAX + 1);
    strcpy(body + n + HTTP_MULTIPART_FILENAME_MAX + 1, "\"\r\n\r\nx\r\n--" B "--");
    expect_refused(body, strlen(body), "file name too long");
    free(body);
}

static void a_callback_stops_the_parse(void **state)
{
    (void)state;
    static const char body[] = "--" B "\r\n" CD "\r\nx\r\n--" B "\r\n" CD "\r\ny\r\n--" B "--";
    struct seen *s = calloc(1, sizeof *s);
    s->stop_at_part = 2;
    struct err e;
    assert_int_equal(parse(B, body, sizeof body - 1, 0, s, &e), -1);
    assert_string_equal(e.code, "stopped");
    assert_string_equal(e.field, "file");
    assert_string_equal(s->text, "[file|a.pdf|]x<end>[file|a.pdf|]");
    /* after an error the parser refuses everything, also the end */
    struct http_multipart *m = malloc(sizeof *m);
    http_multipart_init(m, B);
    assert_int_equal(http_multipart_feed(m, "junk", 4, &CB, s, &e), -1);
    assert_int_equal(http_multipart_feed(m, "--" B "\r\n", 7, &CB, s, &e), -1);
    assert_int_equal(http_multipart_finish(m, &e), -1);
    free(m);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boundary_from_content_type),   cmocka_unit_test(whole_and_in_pieces_agree),
        cmocka_unit_test(binary_content_passes_through), cmocka_unit_test(malformed_bodies_are_refused),
        cmocka_unit_test(a_callback_stops_the_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
