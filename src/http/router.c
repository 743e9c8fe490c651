/* router.c — the route tables compiled into segment lists, and matching a method + path against
 * them: literal segments compare bytes, {name} takes one non-empty segment, and {id} or {…_id}
 * only a strict record id (http_parse_id), so a malformed id matches no route (404) whatever the
 * route, before anything else looks at it. HEAD matches GET. */
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

int http_param_is_id(const char *name, size_t len)
{
    return (len == 2 && memcmp(name, "id", 2) == 0) || (len > 3 && memcmp(name + len - 3, "_id", 3) == 0);
}

/* 1 when the segment is a strict record id. */
static int id_segment(const char *p, size_t len)
{
    char buf[24];
    int64_t id;
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return http_parse_id(buf, &id) == 0;
}

/* Split a pattern into segments; -1 on a malformed one. */
static int compile_pattern(const char *pattern, struct http_compiled_route *cr)
{
    if (pattern[0] != '/')
        return -1;
    cr->nseg = 0;
    const char *p = pattern + 1;
    if (*p == '\0')
        return 0; /* "/" */
    for (;;) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (cr->nseg >= HTTP_MAX_SEGS)
            return -1;
        struct http_seg *s = &cr->segs[cr->nseg++];
        if (len >= 2 && p[0] == '{' && p[len - 1] == '}') {
            s->is_param = 1;
            s->text = p + 1;
            s->len = len - 2;
            if (s->len == 0)
                return -1;
        } else {
            if (memchr(p, '{', len) || memchr(p, '}', len))
                return -1;
            s->is_param = 0;
            s->text = p;
            s->len = len;
        }
        if (!end)
            break;
        p = end + 1;
    }
    int nparams = 0;
    for (int i = 0; i < cr->nseg; i++)
        nparams += cr->segs[i].is_param;
    return nparams <= HTTP_MAX_PARAMS ? 0 : -1;
}

int http_router_build(struct http_router *rt, const struct route *const *tables, struct err *e)
{
    rt->nroutes = 0;
    rt->routes = NULL;
    int n = 0;
    for (const struct route *const *t = tables; t && *t; t++)
        for (const struct route *r = *t; r->method; r++)
            n++;
    rt->routes = calloc(n ? (size_t)n : 1, sizeof *rt->routes);
    if (!rt->routes)
        return err_set(e, 500, "oom", "", "内存不足");
    for (const struct route *const *t = tables; t && *t; t++)
        for (const struct route *r = *t; r->method; r++) {
            struct http_compiled_route *cr = &rt->routes[rt->nroutes];
            cr->route = r;
            cr->slot = HTTP_SLOT_FIRST_ROUTE + rt->nroutes;
            if (!r->pattern || !r->handler || !r->action || compile_pattern(r->pattern, cr) < 0 ||
                (r->body && !http_schema_valid(r->body)) || (r->reply && !http_schema_valid(r->reply))) {
                err_set(e, 500, "bad_route", "", "路由定义有误：%s %s", r->method, r->pattern ? r->pattern : "(null)");
                http_router_free(rt);
                return -1;
            }
            rt->nroutes++;
        }
    return 0;
}

void http_router_free(struct http_router *rt)
{
    free(rt->routes);
    rt->routes = NULL;
    rt->nroutes = 0;
}

enum http_match http_router_match(const struct http_router *rt, struct http_req_state *st, const char *method,
                                  const char *path, const char **allow)
{
    struct { const char *p; size_t len; } segs[HTTP_MAX_SEGS];
    int nseg = 0;
    if (path[0] != '/')
        return HTTP_MATCH_NO_PATH;
    const char *p = path + 1;
    if (*p) {
        for (;;) {
            const char *end = strchr(p, '/');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            if (nseg >= HTTP_MAX_SEGS)
                return HTTP_MATCH_NO_PATH;
            segs[nseg].p = p;
            segs[nseg].len = len;
            nseg++;
            if (!end)
                break;
            p = end + 1;
        }
    }
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    const struct http_compiled_route *path_hit[32];
    int npath_hit = 0;
    for (int i = 0; i < rt->nroutes; i++) {
        const struct http_compiled_route *cr = &rt->routes[i];
        if (cr->nseg != nseg)
            continue;
        int ok = 1;
        for (int k = 0; k < nseg && ok; k++) {
            const struct http_seg *s = &cr->segs[k];
            if (s->is_param)
                ok = segs[k].len > 0 && (!http_param_is_id(s->text, s->len) || id_segment(segs[k].p, segs[k].len));
            else
                ok = s->len == segs[k].len && memcmp(s->text, segs[k].p, s->len) == 0;
        }
        if (!ok)
            continue;
        if (strcmp(cr->route->method, want) != 0) {
            if (npath_hit < (int)(sizeof path_hit / sizeof path_hit[0]))
                path_hit[npath_hit++] = cr;
            continue;
        }
        st->req.route = cr->route;
        st->slot = cr->slot;
        st->nparams = 0;
        for (int k = 0; k < nseg; k++) {
            const struct http_seg *s = &cr->segs[k];
            if (!s->is_param)
                continue;
            char *v = http_alloc(&st->req, segs[k].len + 1);
            memcpy(v, segs[k].p, segs[k].len);
            v[segs[k].len] = '\0';
            st->param_names[st->nparams] = s->text;
            st->param_name_lens[st->nparams] = s->len;
            st->param_values[st->nparams] = v;
            st->nparams++;
        }
        return HTTP_MATCH_OK;
    }
    if (npath_hit == 0)
        return HTTP_MATCH_NO_PATH;
    /* "GET, HEAD, PUT" — each method once */
    size_t cap = 16;
    for (int i = 0; i < npath_hit; i++)
        cap += strlen(path_hit[i]->route->method) + 2;
    char *a = http_alloc(&st->req, cap);
    a[0] = '\0';
    int has_get = 0;
    for (int i = 0; i < npath_hit; i++) {
        const char *m = path_hit[i]->route->method;
        int dup = 0;
        for (int j = 0; j < i; j++)
            dup |= strcmp(path_hit[j]->route->method, m) == 0;
        if (dup)
            continue;
        if (a[0])
            strcat(a, ", ");
        strcat(a, m);
        has_get |= strcmp(m, "GET") == 0;
    }
    if (has_get)
        strcat(a, ", HEAD");
    *allow = a;
    return HTTP_MATCH_NO_METHOD;
}
