/* osm.c — feeds readosm's node and way callbacks into a plan_builder. */
#include "plan/osm.h"

#include <expat.h>
#include <readosm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

struct load_ctx {
    struct plan_builder *b;
    struct plan_tag *tags;
    size_t cap_tags;
    int failed;
};

static int on_node(const void *user, const readosm_node *node)
{
    struct load_ctx *c = (struct load_ctx *)user;
    if (node->latitude == READOSM_UNDEFINED || node->longitude == READOSM_UNDEFINED)
        return READOSM_OK; /* a node without coordinates cannot be placed; it is ignored */
    if (plan_builder_add_node(c->b, node->id, node->latitude, node->longitude) < 0) {
        c->failed = 1;
        return READOSM_ABORT;
    }
    return READOSM_OK;
}

static int on_way(const void *user, const readosm_way *way)
{
    struct load_ctx *c = (struct load_ctx *)user;
    size_t nt = way->tag_count > 0 ? (size_t)way->tag_count : 0;
    if (nt > c->cap_tags) {
        struct plan_tag *t = realloc(c->tags, nt * sizeof *t);
        if (!t) {
            c->failed = 1;
            return READOSM_ABORT;
        }
        c->tags = t;
        c->cap_tags = nt;
    }
    for (size_t i = 0; i < nt; i++) {
        c->tags[i].key = way->tags[i].key;
        c->tags[i].value = way->tags[i].value;
    }
    size_t nr = way->node_ref_count > 0 ? (size_t)way->node_ref_count : 0;
    if (plan_builder_add_way(c->b, (const int64_t *)way->node_refs, nr, c->tags, nt) < 0) {
        c->failed = 1;
        return READOSM_ABORT;
    }
    return READOSM_OK;
}

/* readosm 1.1 dereferences NULL (and crashes) on a <tag> without k or v, or a <member> without
 * type, ref or role. Before handing an XML file to it, scan for those elements and refuse such
 * files. Comments and CDATA sections are skipped; an element the scanner cannot read is left to
 * expat, which rejects it before readosm sees it. Returns 0, or -1 with e filled. */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *find(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    while (p + n <= end) {
        const char *q = memchr(p, needle[0], (size_t)(end - p));
        if (!q || q + n > end)
            return NULL;
        if (memcmp(q, needle, n) == 0)
            return q;
        p = q + 1;
    }
    return NULL;
}

static int xml_prescan(const char *shown, const char *text, size_t len, struct err *e)
{
    const char *p = text, *end = text + len;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *q = find(p + 4, end, "-->");
            if (!q)
                return 0;
            p = q + 3;
            continue;
        }
        if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
            const char *q = find(p + 9, end, "]]>");
            if (!q)
                return 0;
            p = q + 3;
            continue;
        }
        const char *name = p + 1;
        const char *q = name;
        while (q < end && !is_space(*q) && *q != '>' && *q != '/')
            q++;
        size_t nlen = (size_t)(q - name);
        int is_tag = nlen == 3 && memcmp(name, "tag", 3) == 0;
        int is_member = nlen == 6 && memcmp(name, "member", 6) == 0;
        p = q;
        if (!is_tag && !is_member)
            continue;
        /* attributes up to > or /> */
        int have_k = 0, have_v = 0, have_type = 0, have_ref = 0, have_role = 0, ok = 0;
        for (;;) {
            while (q < end && is_space(*q))
                q++;
            if (q >= end)
                break;
            if (*q == '>' || (*q == '/' && q + 1 < end && q[1] == '>')) {
                ok = 1;
                break;
            }
            const char *an = q;
            while (q < end && !is_space(*q) && *q != '=' && *q != '>' && *q != '/')
                q++;
            size_t alen = (size_t)(q - an);
            while (q < end && is_space(*q))
                q++;
            if (alen == 0 || q >= end || *q != '=')
                break;
            q++;
            while (q < end && is_space(*q))
                q++;
            if (q >= end || (*q != '"' && *q != '\''))
                break;
            const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
            if (!close)
                break;
            q = close + 1;
            if (alen == 1 && an[0] == 'k')
                have_k = 1;
            else if (alen == 1 && an[0] == 'v')
                have_v = 1;
            else if (alen == 4 && memcmp(an, "type", 4) == 0)
                have_type = 1;
            else if (alen == 3 && memcmp(an, "ref", 3) == 0)
                have_ref = 1;
            else if (alen == 4 && memcmp(an, "role", 4) == 0)
                have_role = 1;
        }
        if (!ok)
            continue; /* malformed: expat will refuse it */
        if ((is_tag && !(have_k && have_v)) || (is_member && !(have_type && have_ref && have_role)))
            return err_set(e, 422, "network_unreadable", "network",
                           "无法读取路网文件 %s：第 %zu 字节处的 <%s> 缺少必需属性", shown,
                           (size_t)(name - 1 - text), is_tag ? "tag" : "member");
        p = q;
    }
    return 0;
}

/* readosm trusts the sizes in a PBF file and allocates whatever they say (gigabytes for a few
 * corrupt bytes). Check the framing first: every BlobHeader is at most 64 KiB, every Blob and
 * its raw_size at most 32 MiB (the limits of the PBF format), and everything inside the file. */
static int pb_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*p >= end)
            return -1;
        uint8_t b = *(*p)++;
        *v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return 0;
    }
    return -1;
}

#define PBF_MAX_HEADER (64u * 1024)
#define PBF_MAX_BLOB (32u * 1024 * 1024)

/* one protobuf field: number, wire type, and its varint value or bytes */
struct pb_field {
    uint64_t num;
    int wire;
    uint64_t v;
    const uint8_t *data;
    size_t len;
};

/* read the next field; returns 1, 0 at the end, -1 when malformed */
static int pb_next(const uint8_t **p, const uint8_t *end, struct pb_field *f)
{
    if (*p >= end)
        return 0;
    uint64_t key;
    if (pb_varint(p, end, &key) < 0)
        return -1;
    f->num = key >> 3;
    f->wire = (int)(key & 7);
    f->data = NULL;
    f->len = 0;
    switch (f->wire) {
    case 0:
        return pb_varint(p, end, &f->v) < 0 ? -1 : 1;
    case 2:
        if (pb_varint(p, end, &f->v) < 0 || f->v > (uint64_t)(end - *p))
            return -1;
        f->data = *p;
        f->len = (size_t)f->v;
        *p += f->len;
        return 1;
    case 1:
        if (end - *p < 8)
            return -1;
        *p += 8;
        return 1;
    case 5:
        if (end - *p < 4)
            return -1;
        *p += 4;
        return 1;
    }
    return -1;
}

static int pb_fields(const uint8_t *p, const uint8_t *end, unsigned want, uint64_t *value)
{
    struct pb_field f;
    int r;
    *value = UINT64_MAX;
    while ((r = pb_next(&p, end, &f)) > 0)
        if (f.num == want && f.wire == 0)
            *value = f.v;
    return r;
}

/* A repeated integer field, packed or not: count its values; when check_max is nonzero every
 * value (as a delta-decoded signed sum when delta, else raw) must lie in [0, check_max). */
struct pb_ints {
    size_t count;
    int bad;
    int64_t sum;
};

static void pb_ints_add(struct pb_ints *a, uint64_t raw, int zigzag, int delta, uint64_t check_max)
{
    int64_t v = zigzag ? (int64_t)(raw >> 1) ^ -(int64_t)(raw & 1) : (int64_t)raw;
    a->count++;
    if (delta) {
        a->sum += v;
        v = a->sum;
    }
    if (check_max && (v < 0 || (uint64_t)v >= check_max))
        a->bad = 1;
}

static void pb_ints_field(struct pb_ints *a, const struct pb_field *f, int zigzag, int delta, uint64_t check_max)
{
    if (f->wire == 0) {
        pb_ints_add(a, f->v, zigzag, delta, check_max);
    } else if (f->wire == 2) {
        const uint8_t *q = f->data, *e = f->data + f->len;
        uint64_t v;
        while (q < e) {
            if (pb_varint(&q, e, &v) < 0) {
                a->bad = 1;
                return;
            }
            pb_ints_add(a, v, zigzag, delta, check_max);
        }
    } else {
        a->bad = 1;
    }
}

/* Info of a node, way or relation: user_sid (5) must index the string table */
static int pbf_info_ok(const struct pb_field *info, uint64_t nstr)
{
    const uint8_t *q = info->data, *e = info->data + info->len;
    struct pb_field f;
    int r;
    while ((r = pb_next(&q, e, &f)) > 0)
        if (f.num == 5 && (f.wire != 0 || f.v >= nstr))
            return 0;
    return r == 0;
}

/* Node, Way or Relation message (kind 1, 3, 4) */
static int pbf_element_ok(int kind, const struct pb_field *m, uint64_t nstr)
{
    const uint8_t *q = m->data, *e = m->data + m->len;
    struct pb_field f;
    struct pb_ints keys = {0}, vals = {0}, roles = {0}, memids = {0}, types = {0}, refs = {0};
    int r;
    while ((r = pb_next(&q, e, &f)) > 0) {
        if (f.num == 2)
            pb_ints_field(&keys, &f, 0, 0, nstr);
        else if (f.num == 3)
            pb_ints_field(&vals, &f, 0, 0, nstr);
        else if (f.num == 4 && (f.wire != 2 || !pbf_info_ok(&f, nstr)))
            return 0;
        else if (kind == 3 && f.num == 8)
            pb_ints_field(&refs, &f, 1, 0, 0);
        else if (kind == 4 && f.num == 8)
            pb_ints_field(&roles, &f, 0, 0, nstr);
        else if (kind == 4 && f.num == 9)
            pb_ints_field(&memids, &f, 1, 0, 0);
        else if (kind == 4 && f.num == 10)
            pb_ints_field(&types, &f, 0, 0, 3);
    }
    if (r < 0 || keys.bad || vals.bad || keys.count != vals.count || refs.bad)
        return 0;
    if (kind == 4 && (roles.bad || memids.bad || types.bad || roles.count != memids.count ||
                      memids.count != types.count))
        return 0;
    return 1;
}

static int pbf_dense_ok(const struct pb_field *m, uint64_t nstr)
{
    const uint8_t *q = m->data, *e = m->data + m->len;
    struct pb_field f;
    struct pb_ints ids = {0}, lats = {0}, lons = {0};
    const uint8_t *kv = NULL;
    size_t kv_len = 0, info_count[7] = {0};
    int r, have_kv = 0;
    while ((r = pb_next(&q, e, &f)) > 0) {
        if (f.num == 1)
            pb_ints_field(&ids, &f, 1, 0, 0);
        else if (f.num == 8)
            pb_ints_field(&lats, &f, 1, 0, 0);
        else if (f.num == 9)
            pb_ints_field(&lons, &f, 1, 0, 0);
        else if (f.num == 10) {
            if (f.wire != 2 || have_kv)
                return 0;
            have_kv = 1;
            kv = f.data;
            kv_len = f.len;
        } else if (f.num == 5) {
            if (f.wire != 2)
                return 0;
            /* DenseInfo: every present array as long as the ids; user_sid delta-coded indices */
            const uint8_t *iq = f.data, *ie = f.data + f.len;
            struct pb_field g;
            struct pb_ints arr[7] = {{0}};
            int ir;
            while ((ir = pb_next(&iq, ie, &g)) > 0)
                if (g.num >= 1 && g.num <= 6)
                    pb_ints_field(&arr[g.num], &g, g.num >= 2 && g.num <= 5, g.num == 5, g.num == 5 ? nstr : 0);
            if (ir < 0)
                return 0;
            for (int k = 1; k <= 6; k++) {
                if (arr[k].bad)
                    return 0;
                info_count[k] += arr[k].count;
            }
        }
    }
    for (int k = 1; k <= 6; k++)
        if (info_count[k] && info_count[k] != ids.count)
            return 0;
    if (r < 0 || ids.bad || lats.bad || lons.bad || lats.count != ids.count || lons.count != ids.count)
        return 0;
    if (have_kv && kv_len > 0) {
        /* keys_vals: for each node, (key val)* then 0; indices in the string table */
        const uint8_t *k = kv, *ke = kv + kv_len;
        size_t nodes = 0;
        uint64_t v;
        while (k < ke) {
            if (pb_varint(&k, ke, &v) < 0)
                return 0;
            if (v == 0) {
                nodes++;
                continue;
            }
            if (v >= nstr || pb_varint(&k, ke, &v) < 0 || v >= nstr)
                return 0;
        }
        if (nodes != ids.count)
            return 0;
    }
    return 1;
}

static int pbf_block_ok(const uint8_t *data, size_t len)
{
    const uint8_t *q = data, *e = data + len;
    struct pb_field f;
    uint64_t nstr = 0;
    int r;
    /* pass 1: the string table */
    while ((r = pb_next(&q, e, &f)) > 0)
        if (f.num == 1) {
            if (f.wire != 2)
                return 0;
            const uint8_t *sq = f.data, *se = f.data + f.len;
            struct pb_field g;
            int sr;
            while ((sr = pb_next(&sq, se, &g)) > 0)
                if (g.num == 1)
                    nstr++;
            if (sr < 0)
                return 0;
        }
    if (r < 0)
        return 0;
    /* pass 2: the groups */
    q = data;
    while ((r = pb_next(&q, e, &f)) > 0) {
        if (f.num != 2)
            continue;
        if (f.wire != 2)
            return 0;
        const uint8_t *gq = f.data, *ge = f.data + f.len;
        struct pb_field g;
        int gr;
        while ((gr = pb_next(&gq, ge, &g)) > 0) {
            if (g.num >= 1 && g.num <= 4 && g.wire != 2)
                return 0;
            if ((g.num == 1 || g.num == 3 || g.num == 4) && !pbf_element_ok((int)g.num, &g, nstr))
                return 0;
            if (g.num == 2 && !pbf_dense_ok(&g, nstr))
                return 0;
        }
        if (gr < 0)
            return 0;
    }
    return r == 0;
}

/* The blob's payload, inflated when zlib-compressed. *buf is set when memory was allocated. */
static int pbf_blob_data(const uint8_t *blob, size_t len, const uint8_t **data, size_t *dlen, uint8_t **buf)
{
    const uint8_t *q = blob, *e = blob + len;
    struct pb_field f;
    const uint8_t *raw = NULL, *z = NULL;
    size_t raw_len = 0, z_len = 0;
    uint64_t raw_size = UINT64_MAX;
    int r, payloads = 0;
    *buf = NULL;
    while ((r = pb_next(&q, e, &f)) > 0) {
        if (f.num == 1 && f.wire == 2)
            raw = f.data, raw_len = f.len, payloads++;
        else if (f.num == 2 && f.wire == 0)
            raw_size = f.v;
        else if (f.num == 3 && f.wire == 2)
            z = f.data, z_len = f.len, payloads++;
    }
    if (r < 0 || (raw_size != UINT64_MAX && raw_size > PBF_MAX_BLOB))
        return -1;
    /* exactly one payload: readosm keeps the last of several and leaks the others (found by
     * fuzz_osm under LeakSanitizer), and takes raw_size as a raw payload's length */
    if (payloads != 1 || (raw && raw_size != UINT64_MAX && raw_size != raw_len))
        return -1;
    if (raw) {
        *data = raw;
        *dlen = raw_len;
        return 0;
    }
    if (!z || raw_size == UINT64_MAX)
        return -1; /* no payload readosm can read */
    *buf = malloc(raw_size ? raw_size : 1);
    if (!*buf)
        return -1;
    uLongf out_len = (uLongf)raw_size;
    if (uncompress(*buf, &out_len, z, (uLong)z_len) != Z_OK || out_len != raw_size) {
        free(*buf);
        *buf = NULL;
        return -1;
    }
    *data = *buf;
    *dlen = out_len;
    return 0;
}

/* readosm trusts a PBF file: it allocates whatever sizes the headers claim and indexes arrays
 * by counts it never checks. Check the whole file first: framing (BlobHeader <= 64 KiB, Blob
 * and raw_size <= 32 MiB, everything inside the file) and every OSMData block (string-table
 * indices in range, keys and values paired, dense arrays of equal length, keys_vals
 * well-formed, relation member arrays of equal length). */
static int pbf_prescan(const char *shown, const uint8_t *data, size_t len, struct err *e)
{
    size_t off = 0;
    while (off < len) {
        if (len - off < 4)
            goto bad;
        uint32_t hl = (uint32_t)data[off] << 24 | (uint32_t)data[off + 1] << 16 | (uint32_t)data[off + 2] << 8 |
                      data[off + 3];
        size_t at = off;
        off += 4;
        if (hl > PBF_MAX_HEADER || hl > len - off)
            goto bad;
        uint64_t datasize;
        if (pb_fields(data + off, data + off + hl, 3, &datasize) < 0 || datasize > PBF_MAX_BLOB ||
            datasize > len - off - hl)
            goto bad;
        int is_data = 0;
        {
            const uint8_t *q = data + off, *qe = data + off + hl;
            struct pb_field f;
            while (pb_next(&q, qe, &f) > 0)
                if (f.num == 1 && f.wire == 2 && f.len == 7 && memcmp(f.data, "OSMData", 7) == 0)
                    is_data = 1;
        }
        off += hl;
        const uint8_t *payload;
        size_t plen;
        uint8_t *buf;
        if (pbf_blob_data(data + off, (size_t)datasize, &payload, &plen, &buf) < 0) {
            off = at;
            goto bad;
        }
        int ok = !is_data || pbf_block_ok(payload, plen);
        free(buf);
        if (!ok) {
            off = at;
            goto bad;
        }
        off += datasize;
    }
    return 0;
bad:
    return err_set(e, 422, "network_unreadable", "network", "无法读取路网文件 %s：PBF 文件在第 %zu 字节处损坏",
                   shown, off);
}

/* readosm gives up on malformed XML without freeing its expat parser (a leak per bad upload).
 * Parse the whole text with expat first and hand readosm only well-formed XML; the error then
 * also says where the file is broken. */
static int xml_well_formed(const char *shown, const char *text, size_t len, struct err *e)
{
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p)
        return err_set(e, 500, "out_of_memory", "", "内存不足");
    int rc = 0;
    const size_t chunk = 1u << 30; /* XML_Parse takes an int length */
    size_t off = 0;
    do {
        size_t n = len - off < chunk ? len - off : chunk;
        if (XML_Parse(p, text + off, (int)n, off + n == len) != XML_STATUS_OK) {
            rc = err_set(e, 422, "network_unreadable", "network", "路网文件 %s 不是格式正确的 XML：第 %lu 行第 %lu 列（%s）", shown,
                         (unsigned long)XML_GetCurrentLineNumber(p), (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
                         XML_ErrorString(XML_GetErrorCode(p)));
            break;
        }
        off += n;
    } while (off < len);
    XML_ParserFree(p);
    return rc;
}

static int prescan_file(const char *path, const char *shown, size_t size, struct err *e)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return err_set(e, 422, "network_unreadable", "network", "无法读取路网文件 %s", shown);
    void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return err_set(e, 422, "network_unreadable", "network", "无法读取路网文件 %s", shown);
    size_t plen = strlen(path);
    int rc;
    if (plen >= 4 && strcasecmp(path + plen - 4, ".pbf") == 0)
        rc = pbf_prescan(shown, m, size, e);
    else if ((rc = xml_prescan(shown, m, size, e)) == 0)
        rc = xml_well_formed(shown, m, size, e);
    munmap(m, size);
    return rc;
}

int plan_osm_load(const char *path, struct plan_graph **out, struct err *e)
{
    return plan_osm_load_as(path, path, out, e);
}

int plan_osm_load_as(const char *path, const char *shown, struct plan_graph **out, struct err *e)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return err_set(e, 422, "network_unreadable", "network", "无法读取路网文件 %s", shown);
    if (st.st_size == 0)
        return err_set(e, 422, "network_empty", "network", "路网文件 %s 为空", shown);
    _Static_assert(sizeof(long long) == sizeof(int64_t), "node refs are 64-bit");
    if (prescan_file(path, shown, (size_t)st.st_size, e) < 0)
        return -1;
    struct load_ctx c = {.b = plan_builder_new()};
    if (!c.b)
        return err_set(e, 500, "out_of_memory", "", "内存不足");
    const void *h = NULL;
    int rc = readosm_open(path, &h);
    if (rc == READOSM_OK)
        rc = readosm_parse(h, &c, on_node, on_way, NULL);
    readosm_close(h);
    free(c.tags);
    if (c.failed) {
        plan_builder_free(c.b);
        return err_set(e, 500, "out_of_memory", "", "内存不足");
    }
    if (rc != READOSM_OK) {
        plan_builder_free(c.b);
        const char *why = rc == READOSM_INVALID_SUFFIX ? "文件名须以 .osm 或 .pbf 结尾"
                          : rc == READOSM_FILE_NOT_FOUND ? "文件不存在"
                          : rc == READOSM_XML_ERROR ? "XML 格式错误"
                          : rc == READOSM_INVALID_PBF_HEADER ? "PBF 文件头无效"
                          : rc == READOSM_UNZIP_ERROR ? "PBF 解压失败"
                                                      : "读取失败";
        return err_set(e, 422, "network_unreadable", "network", "无法读取路网文件 %s：%s（readosm %d）",
                       shown, why, rc);
    }
    struct err e2 = {0};
    rc = plan_builder_finish(c.b, out, &e2);
    plan_builder_free(c.b);
    if (rc < 0) {
        if (e)
            *e = e2;
        if (e && strcmp(e2.code, "out_of_memory") != 0) {
            char msg[2048];
            snprintf(msg, sizeof msg, "路网文件 %s：%s", shown, e2.message);
            size_t len = strlen(msg);
            if (len >= sizeof e->message)
                len = sizeof e->message - 1;
            memcpy(e->message, msg, len);
            e->message[len] = 0;
        }
        return -1;
    }
    return 0;
}
