/* graph.c — building the walking graph from OSM nodes and ways, snapping points to it
 * (k-d tree over unit vectors, exact haversine tie-breaking) and bounded Dijkstra. */
#include "plan/graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/geo.h"

#define DEG (M_PI / 180.0)

/* ---- way filter ---------------------------------------------------------------------- */

static const char *const walk_highways[] = {
    "trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
    "tertiary", "tertiary_link", "unclassified", "residential", "living_street", "service",
    "pedestrian", "track", "road", "footway", "path", "steps", "cycleway", "bridleway",
    "corridor", NULL};

static const char *tag_get(const struct plan_tag *tags, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (tags[i].key && strcmp(tags[i].key, key) == 0)
            return tags[i].value ? tags[i].value : "";
    return NULL;
}

int plan_way_walkable(const struct plan_tag *tags, size_t n_tags)
{
    const char *hw = tag_get(tags, n_tags, "highway");
    if (!hw)
        return 0;
    int listed = 0;
    for (const char *const *p = walk_highways; *p; p++)
        if (strcmp(hw, *p) == 0) {
            listed = 1;
            break;
        }
    if (!listed)
        return 0;
    const char *foot = tag_get(tags, n_tags, "foot");
    if (foot && strcmp(foot, "no") == 0)
        return 0;
    const char *access = tag_get(tags, n_tags, "access");
    if (access && (strcmp(access, "no") == 0 || strcmp(access, "private") == 0)) {
        int foot_ok = foot && (strcmp(foot, "yes") == 0 || strcmp(foot, "designated") == 0 ||
                               strcmp(foot, "permissive") == 0);
        if (!foot_ok)
            return 0;
    }
    return 1;
}

/* ---- builder ------------------------------------------------------------------------- */

struct bnode {
    int64_t id;
    double lat, lon;
};

struct plan_builder {
    struct bnode *nodes;
    size_t n_nodes, cap_nodes;
    int64_t *pairs; /* 2 refs per candidate edge */
    size_t n_pairs, cap_pairs;
    size_t n_ways, n_walk_ways;
};

struct plan_builder *plan_builder_new(void)
{
    return calloc(1, sizeof(struct plan_builder));
}

void plan_builder_free(struct plan_builder *b)
{
    if (!b)
        return;
    free(b->nodes);
    free(b->pairs);
    free(b);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 1024;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = nc;
    return 0;
}

int plan_builder_add_node(struct plan_builder *b, int64_t id, double lat, double lon)
{
    if (grow((void **)&b->nodes, &b->cap_nodes, b->n_nodes + 1, sizeof *b->nodes) < 0)
        return -1;
    b->nodes[b->n_nodes++] = (struct bnode){id, lat, lon};
    return 0;
}

int plan_builder_add_way(struct plan_builder *b, const int64_t *refs, size_t n_refs,
                         const struct plan_tag *tags, size_t n_tags)
{
    b->n_ways++;
    if (!plan_way_walkable(tags, n_tags))
        return 0;
    b->n_walk_ways++;
    if (n_refs < 2)
        return 0;
    if (grow((void **)&b->pairs, &b->cap_pairs, 2 * (b->n_pairs + n_refs - 1), sizeof *b->pairs) < 0)
        return -1;
    for (size_t i = 0; i + 1 < n_refs; i++) {
        if (refs[i] == refs[i + 1])
            continue;
        b->pairs[2 * b->n_pairs] = refs[i];
        b->pairs[2 * b->n_pairs + 1] = refs[i + 1];
        b->n_pairs++;
    }
    return 0;
}

static int cmp_bnode(const void *a, const void *b)
{
    int64_t x = ((const struct bnode *)a)->id, y = ((const struct bnode *)b)->id;
    return (x > y) - (x < y);
}

/* index of id in the sorted node array, or -1 */
static long find_node(const struct bnode *nodes, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (nodes[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < n && nodes[lo].id == id) ? (long)lo : -1;
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* k-d tree over unit vectors: implicit, median split, axis of the widest extent */
#define KD_LEAF 8

static void kd_swap(struct plan_kd_item *kd, size_t i, size_t j)
{
    struct plan_kd_item t = kd[i];
    kd[i] = kd[j];
    kd[j] = t;
}

/* partially order [lo, hi) so that position k holds the k-th smallest on axis */
static void kd_select(struct plan_kd_item *kd, size_t lo, size_t hi, size_t k, int axis)
{
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        /* median of three as pivot */
        double a = kd[lo].xyz[axis], b = kd[mid].xyz[axis], c = kd[hi - 1].xyz[axis];
        size_t piv = (a < b) ? ((b < c) ? mid : (a < c ? hi - 1 : lo)) : ((a < c) ? lo : (b < c ? hi - 1 : mid));
        kd_swap(kd, piv, hi - 1);
        double pv = kd[hi - 1].xyz[axis];
        size_t store = lo;
        for (size_t i = lo; i < hi - 1; i++)
            if (kd[i].xyz[axis] < pv)
                kd_swap(kd, i, store++);
        kd_swap(kd, store, hi - 1);
        if (store == k)
            return;
        if (k < store)
            hi = store;
        else
            lo = store + 1;
    }
}

/* split axis: the widest extent, estimated from at most 64 evenly spaced entries (the choice
 * affects only the balance of the tree, never the answers) */
static void kd_build(struct plan_graph *g, size_t lo, size_t hi)
{
    struct plan_kd_item *kd = g->kd;
    while (hi - lo > KD_LEAF) {
        double mn[3] = {2, 2, 2}, mx[3] = {-2, -2, -2};
        size_t step = (hi - lo) / 64 + 1;
        for (size_t i = lo; i < hi; i += step)
            for (int k = 0; k < 3; k++) {
                double v = kd[i].xyz[k];
                if (v < mn[k])
                    mn[k] = v;
                if (v > mx[k])
                    mx[k] = v;
            }
        int axis = 0;
        for (int k = 1; k < 3; k++)
            if (mx[k] - mn[k] > mx[axis] - mn[axis])
                axis = k;
        size_t mid = lo + (hi - lo) / 2;
        kd_select(kd, lo, hi, mid, axis);
        g->kd_axis[mid] = (uint8_t)axis;
        kd_build(g, lo, mid);
        lo = mid + 1;
    }
}

static void unit_vector(double lat, double lon, double v[3])
{
    double p = lat * DEG, l = lon * DEG;
    v[0] = cos(p) * cos(l);
    v[1] = cos(p) * sin(l);
    v[2] = sin(p);
}

void plan_graph_free(struct plan_graph *g)
{
    if (!g)
        return;
    free(g->ids);
    free(g->lat);
    free(g->lon);
    free(g->off);
    free(g->adj);
    free(g->len);
    free(g->kd);
    free(g->kd_axis);
    free(g);
}

int plan_builder_finish(struct plan_builder *b, struct plan_graph **out, struct err *e)
{
    *out = NULL;
    struct plan_graph *g = NULL;
    uint32_t *ends = NULL, *parent = NULL, *size = NULL, *newidx = NULL;
    int rc = -1;

    /* nodes sorted by id, exact duplicates dropped */
    int sorted = 1;
    for (size_t i = 1; i < b->n_nodes && sorted; i++)
        if (b->nodes[i].id <= b->nodes[i - 1].id)
            sorted = 0;
    if (!sorted) {
        qsort(b->nodes, b->n_nodes, sizeof *b->nodes, cmp_bnode);
        size_t w = 0;
        for (size_t i = 0; i < b->n_nodes; i++) {
            if (w > 0 && b->nodes[i].id == b->nodes[w - 1].id) {
                if (b->nodes[i].lat != b->nodes[w - 1].lat || b->nodes[i].lon != b->nodes[w - 1].lon) {
                    err_set(e, 422, "network_node", "node",
                            "路网文件中节点 %lld 重复且坐标不同", (long long)b->nodes[i].id);
                    goto done;
                }
                continue;
            }
            b->nodes[w++] = b->nodes[i];
        }
        b->n_nodes = w;
    }
    if (b->n_nodes >= UINT32_MAX) {
        err_set(e, 422, "network_too_large", "node", "路网节点过多");
        goto done;
    }
    for (size_t i = 0; i < b->n_nodes; i++)
        if (!(fabs(b->nodes[i].lat) <= 90 && fabs(b->nodes[i].lon) <= 180)) {
            err_set(e, 422, "network_node", "node", "路网文件中节点 %lld 坐标无效",
                     (long long)b->nodes[i].id);
            goto done;
        }

    /* resolve edge ends to node positions */
    size_t n_edges = 0;
    ends = malloc((b->n_pairs ? b->n_pairs : 1) * 2 * sizeof *ends);
    parent = malloc((b->n_nodes ? b->n_nodes : 1) * sizeof *parent);
    size = calloc(b->n_nodes ? b->n_nodes : 1, sizeof *size);
    if (!ends || !parent || !size)
        goto nomem;
    for (size_t i = 0; i < b->n_nodes; i++)
        parent[i] = UINT32_MAX; /* not on any edge yet */
    /* ids dense enough (generated files, renumbered extracts): a direct lookup table */
    uint32_t *direct = NULL;
    int64_t id0 = b->n_nodes ? b->nodes[0].id : 0;
    /* offsets from id0 in unsigned arithmetic: ids may span all of int64 (a hostile file), where
     * a signed difference would overflow */
    uint64_t last = b->n_nodes ? (uint64_t)b->nodes[b->n_nodes - 1].id - (uint64_t)id0 : 0;
    uint64_t span = 0;
    if (b->n_nodes && last < 4 * (uint64_t)b->n_nodes + 1024) {
        span = last + 1;
        direct = malloc(span * sizeof *direct);
        if (direct) {
            memset(direct, 0xff, span * sizeof *direct);
            for (size_t i = 0; i < b->n_nodes; i++)
                direct[(uint64_t)b->nodes[i].id - (uint64_t)id0] = (uint32_t)i;
        }
    }
    for (size_t k = 0; k < b->n_pairs; k++) {
        long x, y;
        if (direct) {
            /* an id below id0 wraps to a value ≥ span */
            uint64_t a = (uint64_t)b->pairs[2 * k] - (uint64_t)id0, c = (uint64_t)b->pairs[2 * k + 1] - (uint64_t)id0;
            x = a < span && direct[a] != UINT32_MAX ? (long)direct[a] : -1;
            y = c < span && direct[c] != UINT32_MAX ? (long)direct[c] : -1;
        } else {
            x = find_node(b->nodes, b->n_nodes, b->pairs[2 * k]);
            y = find_node(b->nodes, b->n_nodes, b->pairs[2 * k + 1]);
        }
        if (x < 0 || y < 0)
            continue;
        ends[2 * n_edges] = (uint32_t)x;
        ends[2 * n_edges + 1] = (uint32_t)y;
        n_edges++;
        if (parent[x] == UINT32_MAX)
            parent[x] = (uint32_t)x;
        if (parent[y] == UINT32_MAX)
            parent[y] = (uint32_t)y;
        uint32_t rx = uf_find(parent, (uint32_t)x), ry = uf_find(parent, (uint32_t)y);
        if (rx != ry) {
            if (rx < ry)
                parent[ry] = rx;
            else
                parent[rx] = ry;
        }
    }
    free(direct);
    if (n_edges == 0) {
        err_set(e, 422, "network_empty", "network", "路网文件中没有可步行的道路");
        goto done;
    }
    size_t walk_nodes = 0, components = 0;
    for (size_t i = 0; i < b->n_nodes; i++) {
        if (parent[i] == UINT32_MAX)
            continue;
        walk_nodes++;
        uint32_t r = uf_find(parent, (uint32_t)i);
        if (size[r]++ == 0)
            components++;
    }
    /* largest component; scanning in ascending id, the first root met with the largest
     * size belongs to the component with the lowest node id among the tied ones */
    uint32_t best_root = UINT32_MAX, best_size = 0;
    for (size_t i = 0; i < b->n_nodes; i++) {
        if (parent[i] == UINT32_MAX)
            continue;
        uint32_t r = uf_find(parent, (uint32_t)i);
        if (size[r] > best_size) {
            best_size = size[r];
            best_root = r;
        }
    }

    g = calloc(1, sizeof *g);
    newidx = malloc(b->n_nodes * sizeof *newidx);
    if (!g || !newidx)
        goto nomem;
    size_t n = best_size;
    g->n = n;
    g->ids = malloc(n * sizeof *g->ids);
    g->lat = malloc(n * sizeof *g->lat);
    g->lon = malloc(n * sizeof *g->lon);
    g->off = calloc(n + 1, sizeof *g->off);
    if (!g->ids || !g->lat || !g->lon || !g->off)
        goto nomem;
    size_t m = 0;
    for (size_t i = 0; i < b->n_nodes; i++) {
        if (parent[i] != UINT32_MAX && uf_find(parent, (uint32_t)i) == best_root) {
            newidx[i] = (uint32_t)m;
            g->ids[m] = b->nodes[i].id;
            g->lat[m] = b->nodes[i].lat;
            g->lon[m] = b->nodes[i].lon;
            m++;
        } else {
            newidx[i] = UINT32_MAX;
        }
    }
    size_t kept = 0;
    for (size_t k = 0; k < n_edges; k++) {
        uint32_t x = newidx[ends[2 * k]];
        if (x == UINT32_MAX)
            continue;
        uint32_t y = newidx[ends[2 * k + 1]];
        g->off[x + 1]++;
        g->off[y + 1]++;
        kept++;
    }
    for (size_t i = 0; i < n; i++)
        g->off[i + 1] += g->off[i];
    g->adj = malloc(2 * kept * sizeof *g->adj);
    g->len = malloc(2 * kept * sizeof *g->len);
    if (!g->adj || !g->len)
        goto nomem;
    /* fill using size[] as a cursor (reuse) */
    size_t *cur = malloc(n * sizeof *cur);
    if (!cur)
        goto nomem;
    memcpy(cur, g->off, n * sizeof *cur);
    for (size_t k = 0; k < n_edges; k++) {
        uint32_t x = newidx[ends[2 * k]];
        if (x == UINT32_MAX)
            continue;
        uint32_t y = newidx[ends[2 * k + 1]];
        double d = geo_haversine_m(g->lat[x], g->lon[x], g->lat[y], g->lon[y]);
        g->adj[cur[x]] = y;
        g->len[cur[x]++] = d;
        g->adj[cur[y]] = x;
        g->len[cur[y]++] = d;
    }
    free(cur);
    g->edges = kept;
    g->input_nodes = b->n_nodes;
    g->input_ways = b->n_ways;
    g->walk_ways = b->n_walk_ways;
    g->walk_nodes = walk_nodes;
    g->components = components;

    g->min_lat = g->max_lat = g->lat[0];
    g->min_lon = g->max_lon = g->lon[0];
    for (size_t i = 1; i < n; i++) {
        if (g->lat[i] < g->min_lat) g->min_lat = g->lat[i];
        if (g->lat[i] > g->max_lat) g->max_lat = g->lat[i];
        if (g->lon[i] < g->min_lon) g->min_lon = g->lon[i];
        if (g->lon[i] > g->max_lon) g->max_lon = g->lon[i];
    }

    g->kd = malloc(n * sizeof *g->kd);
    g->kd_axis = calloc(n, 1);
    if (!g->kd || !g->kd_axis)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        g->kd[i].node = (uint32_t)i;
        unit_vector(g->lat[i], g->lon[i], g->kd[i].xyz);
    }
    kd_build(g, 0, n);

    *out = g;
    g = NULL;
    rc = 0;
    goto done;
nomem:
    err_set(e, 500, "out_of_memory", "", "内存不足");
done:
    plan_graph_free(g);
    free(ends);
    free(parent);
    free(size);
    free(newidx);
    return rc;
}

/* ---- snapping ------------------------------------------------------------------------ */

struct snap_query {
    const struct plan_graph *g;
    double lat, lon, q[3];
    double best;
    uint32_t best_node;
};

static void snap_consider(struct snap_query *s, uint32_t v)
{
    double d = geo_haversine_m(s->lat, s->lon, s->g->lat[v], s->g->lon[v]);
    if (d < s->best || (d == s->best && v < s->best_node)) {
        s->best = d;
        s->best_node = v;
    }
}

/* slack so that floating-point error in the chord bound never prunes a tie */
#define SNAP_SLACK_M 1e-6

static void snap_search(struct snap_query *s, size_t lo, size_t hi)
{
    while (hi - lo > KD_LEAF) {
        size_t mid = lo + (hi - lo) / 2;
        int axis = s->g->kd_axis[mid];
        snap_consider(s, s->g->kd[mid].node);
        double diff = s->q[axis] - s->g->kd[mid].xyz[axis];
        size_t nlo, nhi, flo, fhi;
        if (diff < 0) {
            nlo = lo, nhi = mid, flo = mid + 1, fhi = hi;
        } else {
            nlo = mid + 1, nhi = hi, flo = lo, fhi = mid;
        }
        snap_search(s, nlo, nhi);
        double c = fabs(diff) / 2;
        double bound = 2 * GEO_EARTH_RADIUS_M * asin(c > 1 ? 1 : c);
        if (bound > s->best + SNAP_SLACK_M)
            return;
        lo = flo;
        hi = fhi;
    }
    for (size_t i = lo; i < hi; i++)
        snap_consider(s, s->g->kd[i].node);
}

uint32_t plan_graph_snap(const struct plan_graph *g, double lat, double lon, double *dist_m)
{
    struct snap_query s = {.g = g, .lat = lat, .lon = lon, .best = INFINITY, .best_node = UINT32_MAX};
    unit_vector(lat, lon, s.q);
    snap_search(&s, 0, g->n);
    if (dist_m)
        *dist_m = s.best;
    return s.best_node;
}

int plan_graph_contains(const struct plan_graph *g, double lat, double lon, double margin_m)
{
    double dlat = margin_m / (GEO_EARTH_RADIUS_M * DEG);
    double maxabs = fmax(fabs(g->min_lat), fabs(g->max_lat)) + dlat;
    double c = maxabs >= 89.9 ? 0 : cos(maxabs * DEG);
    double dlon = c > 0 ? dlat / c : 360;
    return lat >= g->min_lat - dlat && lat <= g->max_lat + dlat && lon >= g->min_lon - dlon &&
           lon <= g->max_lon + dlon;
}

/* ---- Dijkstra ------------------------------------------------------------------------ */

struct plan_heap_item {
    double d;
    uint32_t v;
};

int plan_search_init(struct plan_search *s, const struct plan_graph *g)
{
    memset(s, 0, sizeof *s);
    s->n = g->n;
    s->dist = malloc(g->n * sizeof *s->dist);
    s->settled = malloc(g->n * sizeof *s->settled);
    s->touched = malloc(g->n * sizeof *s->touched);
    s->heap_cap = 1024;
    s->heap = malloc(s->heap_cap * sizeof *s->heap);
    if (!s->dist || !s->settled || !s->touched || !s->heap) {
        plan_search_free(s);
        return -1;
    }
    for (size_t i = 0; i < g->n; i++)
        s->dist[i] = INFINITY;
    return 0;
}

void plan_search_free(struct plan_search *s)
{
    free(s->dist);
    free(s->settled);
    free(s->touched);
    free(s->heap);
    memset(s, 0, sizeof *s);
}

static int heap_push(struct plan_search *s, double d, uint32_t v)
{
    if (s->heap_len == s->heap_cap) {
        struct plan_heap_item *h = realloc(s->heap, 2 * s->heap_cap * sizeof *h);
        if (!h)
            return -1;
        s->heap = h;
        s->heap_cap *= 2;
    }
    size_t i = s->heap_len++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (s->heap[p].d <= d)
            break;
        s->heap[i] = s->heap[p];
        i = p;
    }
    s->heap[i] = (struct plan_heap_item){d, v};
    return 0;
}

static struct plan_heap_item heap_pop(struct plan_search *s)
{
    struct plan_heap_item top = s->heap[0];
    struct plan_heap_item last = s->heap[--s->heap_len];
    size_t i = 0, n = s->heap_len;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && s->heap[c + 1].d < s->heap[c].d)
            c++;
        if (s->heap[c].d >= last.d)
            break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    if (n > 0)
        s->heap[i] = last;
    return top;
}

int plan_search_run(struct plan_search *s, const struct plan_graph *g, uint32_t source, double limit_m)
{
    for (size_t i = 0; i < s->n_touched; i++)
        s->dist[s->touched[i]] = INFINITY;
    s->n_touched = 0;
    s->n_settled = 0;
    s->heap_len = 0;
    if (source >= g->n || !(limit_m >= 0))
        return 0;
    s->dist[source] = 0;
    s->touched[s->n_touched++] = source;
    if (heap_push(s, 0, source) < 0)
        return -1;
    while (s->heap_len > 0) {
        struct plan_heap_item it = heap_pop(s);
        if (it.d > s->dist[it.v])
            continue; /* stale entry */
        if (it.d > limit_m)
            break;
        s->settled[s->n_settled++] = it.v;
        for (size_t k = g->off[it.v]; k < g->off[it.v + 1]; k++) {
            uint32_t w = g->adj[k];
            double nd = it.d + g->len[k];
            if (nd < s->dist[w] && nd <= limit_m) {
                if (s->dist[w] == INFINITY)
                    s->touched[s->n_touched++] = w;
                s->dist[w] = nd;
                if (heap_push(s, nd, w) < 0)
                    return -1;
            }
        }
    }
    return 0;
}
