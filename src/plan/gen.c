/* gen.c — the synthetic city generator (see gen.h). Layout: C columns × R rows of
 * intersections, each moved by up to ±30 % of the spacing; streets follow rows and columns and
 * are cut into ways of at most 16 segments; every arterial_every-th line is primary/secondary;
 * a random share of local segments is cut (dead ends) or made access=private (half of those
 * with foot=yes, which keeps them walkable); a river meanders east–west through the middle
 * and only every bridge_every-th column crosses it (bridge=yes); a motorway shadows every 50th
 * row (not walkable); three five-node islands are not connected to the grid. */
#include "plan/gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

void plan_gen_default(struct plan_gen_params *p)
{
    p->nodes = 10000;
    p->seed = 1;
    p->origin_lat = 27.95;
    p->origin_lon = 120.55;
    p->spacing_m = 90;
    p->arterial_every = 8;
    p->dead_end_share = 0.08;
    p->bridge_every = 12;
}

static uint64_t rnd_next(uint64_t *s)
{
    /* splitmix64 */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double rnd_unit(uint64_t *s)
{
    return (double)(rnd_next(s) >> 11) / 9007199254740992.0;
}

/* ---- output: OSM XML or uncompressed OSM PBF ---------------------------------------- */

static void gb_varint(struct buf *b, uint64_t v)
{
    uint8_t tmp[10];
    size_t k = 0;
    while (v >= 0x80) {
        tmp[k++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    tmp[k++] = (uint8_t)v;
    buf_add(b, tmp, k);
}

static void gb_svarint(struct buf *b, int64_t v)
{
    gb_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void gb_key(struct buf *b, unsigned field, unsigned wire)
{
    gb_varint(b, (uint64_t)(field << 3 | wire));
}

static void gb_bytes(struct buf *b, unsigned field, const void *data, size_t len)
{
    gb_key(b, field, 2);
    gb_varint(b, len);
    buf_add(b, data, len);
}

static void gb_uint(struct buf *b, unsigned field, uint64_t v)
{
    gb_key(b, field, 0);
    gb_varint(b, v);
}

#define PBF_BLOCK 8000
#define PBF_MAX_STRINGS 64

struct emitter {
    FILE *out;
    int pbf;
    int failed;
    /* PBF: pending dense nodes */
    int64_t ids[PBF_BLOCK], lats[PBF_BLOCK], lons[PBF_BLOCK];
    size_t n_nodes;
    /* PBF: pending ways (encoded) and their string table */
    struct buf ways;
    size_t n_ways;
    const char *strings[PBF_MAX_STRINGS];
    size_t n_strings;
    struct buf tmp, tmp2, tmp3;
};

static void pbf_blob(struct emitter *e, const char *type, const struct buf *data)
{
    struct buf blob = {0}, head = {0};
    gb_bytes(&blob, 1, data->p, data->len);
    gb_uint(&blob, 2, data->len);
    gb_bytes(&head, 1, type, strlen(type));
    gb_uint(&head, 3, blob.len);
    if (blob.failed || head.failed || data->failed) {
        e->failed = 1;
    } else {
        uint8_t len[4] = {(uint8_t)(head.len >> 24), (uint8_t)(head.len >> 16), (uint8_t)(head.len >> 8),
                          (uint8_t)head.len};
        fwrite(len, 1, 4, e->out);
        fwrite(head.p, 1, head.len, e->out);
        fwrite(blob.p, 1, blob.len, e->out);
    }
    free(blob.p);
    free(head.p);
}

/* a PrimitiveBlock: string table (strings or just ""), one group, granularity 100 */
static void pbf_block(struct emitter *e, const struct buf *group)
{
    struct buf st = {0}, block = {0};
    gb_bytes(&st, 1, "", 0);
    for (size_t i = 1; i < e->n_strings; i++)
        gb_bytes(&st, 1, e->strings[i], strlen(e->strings[i]));
    gb_bytes(&block, 1, st.p, st.len);
    gb_bytes(&block, 2, group->p, group->len);
    gb_uint(&block, 17, 100);
    if (st.failed)
        e->failed = 1;
    pbf_blob(e, "OSMData", &block);
    free(st.p);
    free(block.p);
}

static void pbf_flush_nodes(struct emitter *e)
{
    if (e->n_nodes == 0)
        return;
    struct buf *packed = &e->tmp, *dense = &e->tmp2, *group = &e->tmp3;
    dense->len = group->len = 0;
    const int64_t *cols[3] = {e->ids, e->lats, e->lons};
    const unsigned fields[3] = {1, 8, 9};
    for (int c = 0; c < 3; c++) {
        packed->len = 0;
        int64_t prev = 0;
        for (size_t i = 0; i < e->n_nodes; i++) {
            gb_svarint(packed, cols[c][i] - prev);
            prev = cols[c][i];
        }
        gb_bytes(dense, fields[c], packed->p, packed->len);
    }
    packed->len = 0;
    for (size_t i = 0; i < e->n_nodes; i++)
        gb_varint(packed, 0); /* no tags */
    gb_bytes(dense, 10, packed->p, packed->len);
    gb_bytes(group, 2, dense->p, dense->len);
    size_t saved = e->n_strings;
    e->n_strings = 1;
    pbf_block(e, group);
    e->n_strings = saved;
    e->n_nodes = 0;
}

static void pbf_flush_ways(struct emitter *e)
{
    if (e->n_ways == 0)
        return;
    pbf_block(e, &e->ways);
    e->ways.len = 0;
    e->n_ways = 0;
    e->n_strings = 1;
}

static uint32_t pbf_string(struct emitter *e, const char *s)
{
    for (size_t i = 1; i < e->n_strings; i++)
        if (strcmp(e->strings[i], s) == 0)
            return (uint32_t)i;
    if (e->n_strings == PBF_MAX_STRINGS) {
        e->failed = 1;
        return 0;
    }
    e->strings[e->n_strings] = s;
    return (uint32_t)e->n_strings++;
}

static void emit_begin(struct emitter *e)
{
    e->n_strings = 1;
    if (!e->pbf) {
        fprintf(e->out, "<?xml version='1.0' encoding='UTF-8'?>\n"
                        "<osm version=\"0.6\" generator=\"tuoyu plan gen-network\">\n");
        return;
    }
    struct buf h = {0};
    gb_bytes(&h, 4, "OsmSchema-V0.6", 14);
    gb_bytes(&h, 4, "DenseNodes", 10);
    gb_bytes(&h, 16, "tuoyu plan gen-network", 22);
    pbf_blob(e, "OSMHeader", &h);
    free(h.p);
}

/* coordinates are rounded to 1e-7 degree, the same in both formats */
static void emit_node(struct emitter *e, size_t id, double lat, double lon)
{
    int64_t la = llround(lat * 1e7), lo = llround(lon * 1e7);
    if (!e->pbf) {
        fprintf(e->out, "  <node id=\"%zu\" lat=\"%s%lld.%07lld\" lon=\"%s%lld.%07lld\"/>\n", id, la < 0 ? "-" : "",
                (long long)(llabs(la) / 10000000), (long long)(llabs(la) % 10000000), lo < 0 ? "-" : "",
                (long long)(llabs(lo) / 10000000), (long long)(llabs(lo) % 10000000));
        return;
    }
    e->ids[e->n_nodes] = (int64_t)id;
    e->lats[e->n_nodes] = la;
    e->lons[e->n_nodes] = lo;
    if (++e->n_nodes == PBF_BLOCK)
        pbf_flush_nodes(e);
}

static void emit_way(struct emitter *e, size_t id, const size_t *refs, int n, const char *const *kv, int n_tags)
{
    if (!e->pbf) {
        fprintf(e->out, "  <way id=\"%zu\">\n", id);
        for (int i = 0; i < n; i++)
            fprintf(e->out, "    <nd ref=\"%zu\"/>\n", refs[i]);
        for (int t = 0; t < n_tags; t++)
            fprintf(e->out, "    <tag k=\"%s\" v=\"%s\"/>\n", kv[2 * t], kv[2 * t + 1]);
        fprintf(e->out, "  </way>\n");
        return;
    }
    pbf_flush_nodes(e);
    struct buf *w = &e->tmp, *packed = &e->tmp2;
    w->len = 0;
    gb_uint(w, 1, id);
    for (int f = 0; f < 2; f++) {
        packed->len = 0;
        for (int t = 0; t < n_tags; t++)
            gb_varint(packed, pbf_string(e, kv[2 * t + f]));
        gb_bytes(w, 2 + (unsigned)f, packed->p, packed->len);
    }
    packed->len = 0;
    int64_t prev = 0;
    for (int i = 0; i < n; i++) {
        gb_svarint(packed, (int64_t)refs[i] - prev);
        prev = (int64_t)refs[i];
    }
    gb_bytes(w, 8, packed->p, packed->len);
    gb_bytes(&e->ways, 3, w->p, w->len);
    if (++e->n_ways == PBF_BLOCK || e->n_strings > PBF_MAX_STRINGS - 8)
        pbf_flush_ways(e);
}

static int emit_end(struct emitter *e)
{
    if (e->pbf) {
        pbf_flush_nodes(e);
        pbf_flush_ways(e);
    } else {
        fprintf(e->out, "</osm>\n");
    }
    int failed = e->failed || e->ways.failed || e->tmp.failed || e->tmp2.failed || e->tmp3.failed;
    free(e->ways.p);
    free(e->tmp.p);
    free(e->tmp2.p);
    free(e->tmp3.p);
    return failed || ferror(e->out) ? -1 : 0;
}

struct way_writer {
    struct emitter *em;
    size_t next_way_id;
    size_t refs[17];
    int n;
    const char *highway;
    const char *extra_k, *extra_v, *extra2_k, *extra2_v;
};

static void way_flush(struct way_writer *w)
{
    if (w->n >= 2) {
        const char *kv[6] = {"highway", w->highway};
        int nt = 1;
        if (w->extra_k)
            kv[2 * nt] = w->extra_k, kv[2 * nt + 1] = w->extra_v, nt++;
        if (w->extra2_k)
            kv[2 * nt] = w->extra2_k, kv[2 * nt + 1] = w->extra2_v, nt++;
        emit_way(w->em, w->next_way_id++, w->refs, w->n, kv, nt);
    }
    w->n = 0;
    w->extra_k = w->extra2_k = NULL;
}

/* add segment a-b to the current way of kind highway (starting a new way when needed) */
static void way_segment(struct way_writer *w, size_t a, size_t b, const char *highway)
{
    if (w->n > 0 && (w->refs[w->n - 1] != a || w->highway != highway || w->n >= 17 || w->extra_k))
        way_flush(w);
    if (w->n == 0) {
        w->highway = highway;
        w->refs[w->n++] = a;
    }
    w->refs[w->n++] = b;
}

/* a one-segment way with extra tags */
static void way_single(struct way_writer *w, size_t a, size_t b, const char *highway, const char *k,
                       const char *v, const char *k2, const char *v2)
{
    way_flush(w);
    w->highway = highway;
    w->refs[0] = a;
    w->refs[1] = b;
    w->n = 2;
    w->extra_k = k, w->extra_v = v, w->extra2_k = k2, w->extra2_v = v2;
    way_flush(w);
}

static const char *line_kind(int line, int every, int local_variant)
{
    if (every > 0 && line % every == 0)
        return line % (2 * every) == 0 ? "primary" : "secondary";
    static const char *const local[] = {"residential", "residential", "residential", "service",
                                        "living_street", "footway", "unclassified", "tertiary"};
    return local[local_variant & 7];
}

/* the river runs between row river_row(c) and the row above it */
static long river_row(size_t rows, size_t c)
{
    return (long)(rows / 2) + lround((double)rows / 10.0 * sin(2 * M_PI * (double)c / 40.0));
}

int plan_gen_write(const struct plan_gen_params *p, int pbf, FILE *out)
{
    struct emitter *em = calloc(1, sizeof *em);
    if (!em)
        return -1;
    em->out = out;
    em->pbf = pbf;
    size_t n = p->nodes < 4 ? 4 : p->nodes;
    size_t cols = (size_t)ceil(sqrt((double)n));
    size_t rows = (n + cols - 1) / cols;
    double dlat = p->spacing_m / 6371008.8 * 180.0 / M_PI;
    double dlon = dlat / cos(p->origin_lat * M_PI / 180.0);
    uint64_t s = p->seed;

    emit_begin(em);
    for (size_t i = 0; i < n; i++) {
        size_t r = i / cols, c = i % cols;
        double jr = (rnd_unit(&s) - 0.5) * 0.6, jc = (rnd_unit(&s) - 0.5) * 0.6;
        emit_node(em, i + 1, p->origin_lat + ((double)r + jr) * dlat, p->origin_lon + ((double)c + jc) * dlon);
    }
    /* islands: three 5-node chains in gaps between grid lines */
    size_t island_base = n + 1;
    for (int k = 0; k < 3; k++) {
        double r0 = (double)rows * (0.2 + 0.3 * k) + 0.5, c0 = (double)cols * (0.7 - 0.2 * k) + 0.5;
        for (int q = 0; q < 5; q++)
            emit_node(em, island_base + (size_t)(5 * k + q), p->origin_lat + r0 * dlat,
                      p->origin_lon + (c0 + 0.15 * q) * dlon);
    }

    struct way_writer w = {.em = em, .next_way_id = 1};
    uint64_t cut_seed = p->seed ^ 0x5bd1e995ULL;
    /* east-west streets */
    for (size_t r = 0; r < rows; r++) {
        int variant = (int)(rnd_next(&cut_seed) & 7);
        const char *kind = line_kind((int)r, p->arterial_every, variant);
        int arterial = p->arterial_every > 0 && r % (size_t)p->arterial_every == 0;
        for (size_t c = 0; c + 1 < cols; c++) {
            size_t a = r * cols + c, b = a + 1;
            if (b >= n)
                break;
            if (((long)r > river_row(rows, c)) != ((long)r > river_row(rows, c + 1))) {
                way_flush(&w); /* would cross the river */
                continue;
            }
            double u = rnd_unit(&cut_seed);
            if (!arterial && u < p->dead_end_share) {
                way_flush(&w);
                continue;
            }
            if (!arterial && u < p->dead_end_share * 1.25) {
                int foot = (rnd_next(&cut_seed) & 1) != 0;
                way_single(&w, a + 1, b + 1, kind, "access", "private", foot ? "foot" : NULL, foot ? "yes" : NULL);
                continue;
            }
            way_segment(&w, a + 1, b + 1, kind);
        }
        way_flush(&w);
        if (r % 50 == 25) /* a motorway shadowing this row: not walkable */
            for (size_t c = 0; c + 1 < cols && r * cols + c + 1 < n; c++)
                way_segment(&w, r * cols + c + 1, r * cols + c + 2, "motorway");
        way_flush(&w);
    }
    /* north-south streets, broken by the river except at bridges */
    for (size_t c = 0; c < cols; c++) {
        int variant = (int)(rnd_next(&cut_seed) & 7);
        const char *kind = line_kind((int)c, p->arterial_every, variant);
        int arterial = p->arterial_every > 0 && c % (size_t)p->arterial_every == 0;
        long river_r = river_row(rows, c);
        for (size_t r = 0; r + 1 < rows; r++) {
            size_t a = r * cols + c, b = a + cols;
            if (b >= n)
                break;
            if ((long)r == river_r) {
                if (p->bridge_every > 0 && c % (size_t)p->bridge_every == 0)
                    way_single(&w, a + 1, b + 1, "secondary", "bridge", "yes", NULL, NULL);
                else
                    way_flush(&w);
                continue;
            }
            double u = rnd_unit(&cut_seed);
            if (!arterial && u < p->dead_end_share) {
                way_flush(&w);
                continue;
            }
            way_segment(&w, a + 1, b + 1, kind);
        }
        way_flush(&w);
    }
    for (int k = 0; k < 3; k++) {
        for (int q = 0; q < 4; q++)
            way_segment(&w, island_base + (size_t)(5 * k + q), island_base + (size_t)(5 * k + q + 1), "path");
        way_flush(&w);
    }
    int rc = emit_end(em);
    free(em);
    return rc;
}
