/* multipart.h — a strict, streaming parser of multipart/form-data request bodies (RFC 7578 over
 * RFC 2046), for uploads. Bytes go in as they arrive, in pieces of any size; each part's headers
 * come out parsed (field name, file name, declared type) and its content as a run of callbacks,
 * never held: the parser's memory is its struct (about 9 KiB) whatever the body's size.
 *
 * Strict, so that one reading holds and nothing is repaired:
 *   - the body begins with the first boundary line (no preamble) and ends with the close
 *     delimiter, optionally followed by CRLF (no epilogue, no transport padding);
 *   - a part's header block is at most HTTP_MULTIPART_HEAD_MAX bytes of CRLF-terminated lines:
 *     Content-Disposition (required: form-data; name=…; optionally filename=…) and optionally
 *     Content-Type, each once; any other header, folded lines, a bare CR or LF, a NUL, filename*
 *     (RFC 7578 section 4.2 forbids it) or a parameter given twice is an error;
 *   - parameter values are tokens or quoted strings taken byte for byte (as browsers write them,
 *     RFC 7578 section 4.2 and the HTML standard: `"` arrives as %22, no backslash escapes).
 * Errors are 400 bad_multipart with a Chinese message saying what is wrong. */
#ifndef TUOYU_HTTP_MULTIPART_H
#define TUOYU_HTTP_MULTIPART_H

#include <stddef.h>

#include "base/err.h"

#define HTTP_MULTIPART_BOUNDARY_MAX 70   /* RFC 2046 */
#define HTTP_MULTIPART_HEAD_MAX 8192     /* one part's header block, CRLFs included */
#define HTTP_MULTIPART_NAME_MAX 64       /* a part's field name */
#define HTTP_MULTIPART_FILENAME_MAX 1024 /* a file name as sent (bytes) */
#define HTTP_MULTIPART_TYPE_MAX 127      /* a part's declared Content-Type */

/* One part's headers. */
struct http_multipart_part {
    char name[HTTP_MULTIPART_NAME_MAX + 1];
    char filename[HTTP_MULTIPART_FILENAME_MAX + 1]; /* raw bytes as sent, without NUL */
    int has_filename;                                /* filename=… was given (possibly "") */
    char content_type[HTTP_MULTIPART_TYPE_MAX + 1];  /* as declared, "" when absent; not to be trusted */
};

/* What the parser calls; each returns 0 to go on or -1 to stop (having filled e). */
struct http_multipart_cb {
    int (*part)(void *ctx, const struct http_multipart_part *p, struct err *e); /* headers read */
    int (*data)(void *ctx, const char *p, size_t n, struct err *e);             /* content, in order */
    int (*part_end)(void *ctx, struct err *e);                                  /* content complete */
};

struct http_multipart {
    int state;
    char delim[4 + HTTP_MULTIPART_BOUNDARY_MAX]; /* "\r\n--" boundary */
    size_t delim_len;
    size_t match;            /* bytes of the boundary line (or delimiter) matched so far */
    char head[HTTP_MULTIPART_HEAD_MAX];
    size_t head_len;
    int parts;               /* parts whose headers were read */
    struct http_multipart_part part;
};

/* The boundary of a request's Content-Type value ("multipart/form-data; boundary=…", the
 * parameter a token or a quoted string): 0, or -1 with e = 415 unsupported_media_type for any
 * other type (or none), 400 bad_multipart when the boundary is missing, given twice, or not
 * 1–70 characters of RFC 2046's bchars. boundary has room for HTTP_MULTIPART_BOUNDARY_MAX + 1. */
int http_multipart_boundary(const char *content_type, char *boundary, struct err *e);

/* Start parsing a body with this boundary (as http_multipart_boundary gave it). */
void http_multipart_init(struct http_multipart *m, const char *boundary);

/* The next n bytes of the body: 0, or -1 with e (the parser's 400 bad_multipart, or what a
 * callback filled). After an error the parser refuses everything. */
int http_multipart_feed(struct http_multipart *m, const char *p, size_t n, const struct http_multipart_cb *cb,
                        void *ctx, struct err *e);

/* The body has ended: 0 when it ended with the close delimiter, else -1 with e = 400
 * bad_multipart (cut short). */
int http_multipart_finish(struct http_multipart *m, struct err *e);

#endif
