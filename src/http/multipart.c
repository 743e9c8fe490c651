/* multipart.c — the strict streaming multipart/form-data parser (multipart.h).
 *
 * The content of a part is scanned for the delimiter CRLF "--" boundary. A boundary holds no CR
 * (RFC 2046 bchars), so CR appears in the delimiter only at its start: when a partial match
 * fails, the bytes matched so far are content and the byte that failed is looked at afresh —
 * no other overlap is possible, and no byte of content is kept beyond the matched prefix. */
#include "http/multipart.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

enum {
    MP_OPEN,      /* the first boundary line: "--" boundary CRLF */
    MP_HEAD,      /* a part's header block, up to the empty line */
    MP_DATA,      /* a part's content, up to the delimiter */
    MP_AFTER,     /* after a delimiter: CRLF (another part) or "--" (the end) */
    MP_AFTER_CR,  /* … CR seen */
    MP_AFTER_DASH, /* … "-" seen */
    MP_END,       /* after the close delimiter: nothing, or CRLF */
    MP_END_CR,    /* … CR seen */
    MP_DONE,      /* CRLF after the close delimiter: nothing more */
    MP_FAILED,
};

static int fail(struct http_multipart *m, struct err *e, const char *field, const char *message)
{
    m->state = MP_FAILED;
    return err_set(e, 400, "bad_multipart", field, "上传内容格式不正确（multipart/form-data）：%s", message);
}

/* ---- the Content-Type of the request ---- */

static int is_bchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c && strchr("'()+_,-./:=? ", c));
}

static int is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* A token or quoted string at *s into out (cap bytes with the NUL); advances *s. Quoted strings
 * are taken byte for byte up to the next '"' (no escapes). 0, -1 when malformed, -2 when too long. */
static int param_value(const char **s, const char *end, char *out, size_t cap, size_t *len)
{
    const char *p = *s;
    size_t n = 0;
    if (p < end && *p == '"') {
        p++;
        while (p < end && *p != '"') {
            if (n + 1 >= cap)
                return -2;
            out[n++] = *p++;
        }
        if (p == end)
            return -1;
        p++;
    } else {
        while (p < end && is_tchar((unsigned char)*p)) {
            if (n + 1 >= cap)
                return -2;
            out[n++] = *p++;
        }
        if (n == 0)
            return -1;
    }
    out[n] = '\0';
    *len = n;
    *s = p;
    return 0;
}

int http_multipart_boundary(const char *content_type, char *boundary, struct err *e)
{
    static const char TYPE[] = "multipart/form-data";
    const char *s = content_type ? skip_ows(content_type) : "";
    size_t tn = strlen(TYPE);
    if (strncasecmp(s, TYPE, tn) != 0 || (s[tn] && s[tn] != ';' && s[tn] != ' ' && s[tn] != '\t'))
        return err_set(e, 415, "unsupported_media_type", "Content-Type",
                       "上传文件须以 multipart/form-data 方式提交（请求的 Content-Type 为 %.60s）",
                       content_type && *content_type ? content_type : "空");
    const char *end = s + strlen(s);
    s = skip_ows(s + tn);
    int found = 0;
    while (*s) {
        if (*s != ';')
            return err_set(e, 400, "bad_multipart", "Content-Type", "Content-Type 的参数格式不正确");
        s = skip_ows(s + 1);
        const char *name = s;
        while (is_tchar((unsigned char)*s))
            s++;
        size_t name_len = (size_t)(s - name);
        if (!name_len || *s != '=')
            return err_set(e, 400, "bad_multipart", "Content-Type", "Content-Type 的参数格式不正确");
        s++;
        char value[HTTP_MULTIPART_BOUNDARY_MAX + 1];
        size_t len = 0;
        int is_boundary = name_len == 8 && strncasecmp(name, "boundary", 8) == 0;
        if (is_boundary) {
            if (found)
                return err_set(e, 400, "bad_multipart", "Content-Type", "Content-Type 中的 boundary 重复");
            if (param_value(&s, end, value, sizeof value, &len) < 0 || len == 0 || value[len - 1] == ' ')
                return err_set(e, 400, "bad_multipart", "Content-Type",
                               "Content-Type 中的 boundary 无效（应为 1–70 个允许的字符）");
            for (size_t i = 0; i < len; i++)
                if (!is_bchar((unsigned char)value[i]))
                    return err_set(e, 400, "bad_multipart", "Content-Type", "Content-Type 中的 boundary 含有不允许的字符");
            memcpy(boundary, value, len + 1);
            found = 1;
        } else {
            char ignored[256];
            if (param_value(&s, end, ignored, sizeof ignored, &len) < 0)
                return err_set(e, 400, "bad_multipart", "Content-Type", "Content-Type 的参数格式不正确");
        }
        s = skip_ows(s);
    }
    if (!found)
        return err_set(e, 400, "bad_multipart", "Content-Type", "Content-Type 缺少 boundary 参数");
    return 0;
}

void http_multipart_init(struct http_multipart *m, const char *boundary)
{
    memset(m, 0, offsetof(struct http_multipart, head));
    memset(&m->part, 0, sizeof m->part);
    size_t n = strlen(boundary);
    if (n > HTTP_MULTIPART_BOUNDARY_MAX)
        n = HTTP_MULTIPART_BOUNDARY_MAX;
    memcpy(m->delim, "\r\n--", 4);
    memcpy(m->delim + 4, boundary, n);
    m->delim_len = 4 + n;
    m->head_len = 0;
    m->state = MP_OPEN;
}

/* ---- a part's headers ---- */

/* Content-Disposition: form-data; name="…"; filename="…" */
static int disposition(struct http_multipart *m, const char *v, const char *end, struct err *e)
{
    struct http_multipart_part *p = &m->part;
    static const char FORM[] = "form-data";
    const char *s = v;
    while (s < end && is_tchar((unsigned char)*s))
        s++;
    if ((size_t)(s - v) != sizeof FORM - 1 || strncasecmp(v, FORM, sizeof FORM - 1) != 0)
        return fail(m, e, "", "Content-Disposition 应为 form-data");
    int has_name = 0;
    for (;;) {
        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        if (s == end)
            break;
        if (*s != ';')
            return fail(m, e, "", "Content-Disposition 的参数格式不正确");
        s++;
        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        const char *name = s;
        while (s < end && is_tchar((unsigned char)*s))
            s++;
        size_t n = (size_t)(s - name);
        if (!n || s == end || *s != '=')
            return fail(m, e, "", "Content-Disposition 的参数格式不正确");
        s++;
        size_t len;
        int rc;
        if (n == 4 && strncasecmp(name, "name", 4) == 0) {
            if (has_name)
                return fail(m, e, "", "Content-Disposition 的 name 重复");
            rc = param_value(&s, end, p->name, sizeof p->name, &len);
            if (rc == -2)
                return fail(m, e, "", "字段名过长");
            has_name = 1;
        } else if (n == 8 && strncasecmp(name, "filename", 8) == 0) {
            if (p->has_filename)
                return fail(m, e, p->name, "Content-Disposition 的 filename 重复");
            rc = param_value(&s, end, p->filename, sizeof p->filename, &len);
            if (rc == -2)
                return fail(m, e, p->name, "文件名过长");
            p->has_filename = 1;
        } else if (n == 9 && strncasecmp(name, "filename*", 9) == 0) {
            return fail(m, e, p->name, "不接受 filename*（RFC 7578 规定文件名用 filename 传送）");
        } else {
            return fail(m, e, "", "Content-Disposition 中有不认识的参数");
        }
        if (rc < 0)
            return fail(m, e, p->name, "Content-Disposition 的参数值格式不正确");
    }
    if (!has_name || !p->name[0])
        return fail(m, e, "", "Content-Disposition 缺少 name");
    return 0;
}

/* The header block head[0..len) (lines with their CRLF, the empty line excluded). */
static int headers(struct http_multipart *m, size_t len, struct err *e)
{
    memset(&m->part, 0, sizeof m->part);
    int has_disposition = 0, has_type = 0;
    const char *s = m->head, *end = m->head + len;
    while (s < end) {
        const char *eol = s;
        while (eol < end && *eol != '\r' && *eol != '\n' && *eol != '\0')
            eol++;
        if (eol == end || *eol != '\r' || eol + 1 == end || eol[1] != '\n')
            return fail(m, e, "", eol < end && *eol == '\0' ? "分段头中有 NUL 字符" : "分段头中有单独的 CR 或 LF");
        if (*s == ' ' || *s == '\t')
            return fail(m, e, "", "不接受折行的分段头");
        const char *colon = s;
        while (colon < eol && is_tchar((unsigned char)*colon))
            colon++;
        if (colon == s || colon == eol || *colon != ':')
            return fail(m, e, "", "分段头格式不正确");
        size_t nlen = (size_t)(colon - s);
        const char *v = colon + 1, *vend = eol;
        while (v < vend && (*v == ' ' || *v == '\t'))
            v++;
        while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
            vend--;
        if (nlen == 19 && strncasecmp(s, "Content-Disposition", 19) == 0) {
            if (has_disposition)
                return fail(m, e, "", "Content-Disposition 重复");
            has_disposition = 1;
            if (disposition(m, v, vend, e) < 0)
                return -1;
        } else if (nlen == 12 && strncasecmp(s, "Content-Type", 12) == 0) {
            if (has_type)
                return fail(m, e, "", "分段的 Content-Type 重复");
            has_type = 1;
            size_t n = (size_t)(vend - v);
            if (n > HTTP_MULTIPART_TYPE_MAX)
                return fail(m, e, "", "分段的 Content-Type 过长");
            memcpy(m->part.content_type, v, n);
            m->part.content_type[n] = '\0';
        } else {
            return fail(m, e, "", "分段中有不接受的头（只接受 Content-Disposition 和 Content-Type）");
        }
        s = eol + 2;
    }
    if (!has_disposition)
        return fail(m, e, "", "分段缺少 Content-Disposition");
    return 0;
}

/* ---- feeding ---- */

static int emit(const struct http_multipart_cb *cb, void *ctx, const char *p, size_t n, struct http_multipart *m,
                struct err *e)
{
    if (n == 0 || !cb->data)
        return 0;
    if (cb->data(ctx, p, n, e) < 0) {
        m->state = MP_FAILED;
        return -1;
    }
    return 0;
}

int http_multipart_feed(struct http_multipart *m, const char *p, size_t n, const struct http_multipart_cb *cb,
                        void *ctx, struct err *e)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        switch (m->state) {
        case MP_OPEN: {
            /* "--" boundary CRLF: the delimiter without its leading CRLF, then CRLF */
            size_t open_len = m->delim_len;
            char want = m->match < m->delim_len - 2 ? m->delim[m->match + 2] : "\r\n"[m->match - (m->delim_len - 2)];
            if ((char)c != want)
                return fail(m, e, "", m->match < m->delim_len - 2 ? "请求体应以 boundary 开始" : "boundary 行后应为换行（CRLF）");
            i++;
            if (++m->match == open_len) {
                m->match = 0;
                m->head_len = 0;
                m->state = MP_HEAD;
            }
            break;
        }
        case MP_HEAD:
            if (m->head_len == sizeof m->head)
                return fail(m, e, "", "分段头过长");
            m->head[m->head_len++] = (char)c;
            i++;
            /* the block ends with an empty line: "\r\n" alone, or "\r\n\r\n" after the lines */
            if ((m->head_len == 2 && m->head[0] == '\r' && m->head[1] == '\n') ||
                (m->head_len >= 4 && memcmp(m->head + m->head_len - 4, "\r\n\r\n", 4) == 0)) {
                if (headers(m, m->head_len - 2, e) < 0)
                    return -1;
                m->parts++;
                if (cb->part && cb->part(ctx, &m->part, e) < 0) {
                    m->state = MP_FAILED;
                    return -1;
                }
                m->match = 0;
                m->state = MP_DATA;
            }
            break;
        case MP_DATA:
            if (m->match) {
                if (c == (unsigned char)m->delim[m->match]) {
                    i++;
                    if (++m->match == m->delim_len) {
                        m->match = 0;
                        if (cb->part_end && cb->part_end(ctx, e) < 0) {
                            m->state = MP_FAILED;
                            return -1;
                        }
                        m->state = MP_AFTER;
                    }
                } else {
                    /* not the delimiter: what matched is content; look at this byte afresh */
                    if (emit(cb, ctx, m->delim, m->match, m, e) < 0)
                        return -1;
                    m->match = 0;
                }
            } else {
                const char *cr = memchr(p + i, '\r', n - i);
                size_t run = cr ? (size_t)(cr - (p + i)) : n - i;
                if (emit(cb, ctx, p + i, run, m, e) < 0)
                    return -1;
                i += run;
                if (cr) {
                    m->match = 1;
                    i++;
                }
            }
            break;
        case MP_AFTER:
            if (c == '\r')
                m->state = MP_AFTER_CR;
            else if (c == '-')
                m->state = MP_AFTER_DASH;
            else
                return fail(m, e, "", "boundary 后应为换行或结束标记“--”");
            i++;
            break;
        case MP_AFTER_CR:
            if (c != '\n')
                return fail(m, e, "", "boundary 后应为换行（CRLF）");
            i++;
            m->head_len = 0;
            m->state = MP_HEAD;
            break;
        case MP_AFTER_DASH:
            if (c != '-')
                return fail(m, e, "", "boundary 后应为换行或结束标记“--”");
            i++;
            m->state = MP_END;
            break;
        case MP_END:
            if (c != '\r')
                return fail(m, e, "", "结束标记后不应再有内容");
            i++;
            m->state = MP_END_CR;
            break;
        case MP_END_CR:
            if (c != '\n')
                return fail(m, e, "", "结束标记后不应再有内容");
            i++;
            m->state = MP_DONE;
            break;
        case MP_DONE:
            return fail(m, e, "", "结束标记后不应再有内容");
        default:
            return err_set(e, 400, "bad_multipart", "", "上传内容格式不正确（multipart/form-data）");
        }
    }
    return 0;
}

int http_multipart_finish(struct http_multipart *m, struct err *e)
{
    if (m->state == MP_END || m->state == MP_DONE)
        return 0;
    if (m->state == MP_FAILED)
        return err_set(e, 400, "bad_multipart", "", "上传内容格式不正确（multipart/form-data）");
    return fail(m, e, "", "请求体不完整（缺少结束标记）");
}
