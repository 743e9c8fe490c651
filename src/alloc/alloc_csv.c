/* alloc_csv.c — reading, checking and writing the CSV files of `tuoyu allocate` (alloc_csv.h).
 * Ids are interned in one text buffer and found through open-addressing hash tables; each
 * child's applications are chained as they are read, so a repeated rank or program is reported
 * at the first line where it happens; the chains then become the engine's rank lists. */
#include "alloc/alloc_csv.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/parse.h"

#define SHOW "%.120s" /* values quoted in messages are cut at 120 bytes */

/* ---------------------------------------------------------------- id tables */

struct slot {
    int32_t idx;
    uint32_t hash; /* high bits of the hash: most mismatches are settled without a string compare */
};

struct ids {
    char *text;
    size_t text_len, text_cap;
    size_t *off;   /* id i is text + off[i] */
    long *line;    /* line where id i was defined */
    int32_t n, cap;
    struct slot *slot; /* open addressing, idx -1 = empty */
    size_t mask;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

static void ids_free(struct ids *t)
{
    free(t->text);
    free(t->off);
    free(t->line);
    free(t->slot);
}

static const char *ids_name(const struct ids *t, int32_t i) { return t->text + t->off[i]; }

/* index of the id s[0..n), or -1 */
static int32_t ids_find(const struct ids *t, const char *s, size_t n)
{
    if (!t->slot)
        return -1;
    uint64_t h = hash_bytes(s, n);
    uint32_t tag = (uint32_t)(h >> 32);
    for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
        const struct slot *sl = &t->slot[i];
        if (sl->idx < 0)
            return -1;
        if (sl->hash != tag)
            continue;
        const char *name = ids_name(t, sl->idx);
        if (strncmp(name, s, n) == 0 && name[n] == 0)
            return sl->idx;
    }
}

static void ids_place(struct slot *slot, size_t mask, uint64_t h, int32_t idx)
{
    size_t i = h & mask;
    while (slot[i].idx >= 0)
        i = (i + 1) & mask;
    slot[i].idx = idx;
    slot[i].hash = (uint32_t)(h >> 32);
}

static int ids_rehash(struct ids *t, size_t nslots)
{
    struct slot *slot = malloc(nslots * sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < nslots; i++)
        slot[i].idx = -1;
    for (int32_t i = 0; i < t->n; i++) {
        const char *name = ids_name(t, i);
        ids_place(slot, nslots - 1, hash_bytes(name, strlen(name)), i);
    }
    free(t->slot);
    t->slot = slot;
    t->mask = nslots - 1;
    return 0;
}

/* add s[0..n) (known to be absent); returns its index or -1 when out of memory */
static int32_t ids_add(struct ids *t, const char *s, size_t n, long line)
{
    if (t->n == INT32_MAX - 1)
        return -1;
    if (t->n == t->cap) {
        int32_t cap = t->cap ? (t->cap > INT32_MAX / 4 ? INT32_MAX - 1 : t->cap * 2) : 256;
        size_t *off = realloc(t->off, (size_t)cap * sizeof *off);
        if (!off)
            return -1;
        t->off = off;
        long *ln = realloc(t->line, (size_t)cap * sizeof *ln);
        if (!ln)
            return -1;
        t->line = ln;
        t->cap = cap;
    }
    if (t->text_len + n + 1 > t->text_cap) {
        size_t cap = t->text_cap ? t->text_cap : 4096;
        while (cap < t->text_len + n + 1)
            cap *= 2;
        char *text = realloc(t->text, cap);
        if (!text)
            return -1;
        t->text = text;
        t->text_cap = cap;
    }
    memcpy(t->text + t->text_len, s, n);
    t->text[t->text_len + n] = 0;
    t->off[t->n] = t->text_len;
    t->line[t->n] = line;
    t->text_len += n + 1;
    int32_t i = t->n++;
    if (!t->slot || (size_t)t->n * 2 > t->mask + 1) {
        if (ids_rehash(t, t->slot ? (t->mask + 1) * 2 : 1024) < 0)
            return -1;
    } else {
        ids_place(t->slot, t->mask, hash_bytes(s, n), i);
    }
    return i;
}

/* ---------------------------------------------------------------- the instance */

struct alloc_csv {
    struct ids programs, children;
    int32_t *capacity;
    int64_t *lottery;
    int32_t *fixed;
    int any_fixed, drawn;
    /* applications in file order, chained per child (newest first) */
    int32_t n_apps, apps_cap;
    int32_t *app_rank, *app_program, *app_next;
    double *app_points;
    long *app_line;
    int32_t *head;     /* newest application of each child, -1 = none */
    int32_t *list_len; /* applications of each child so far */
    /* the engine's rank lists */
    int32_t *choice_start;
    struct alloc_choice *choices;
    struct alloc_input input;
    struct alloc_result result;
    int solved;
};

void alloc_csv_free(struct alloc_csv *a)
{
    if (!a)
        return;
    ids_free(&a->programs);
    ids_free(&a->children);
    free(a->capacity);
    free(a->lottery);
    free(a->fixed);
    free(a->list_len);
    free(a->app_rank);
    free(a->app_program);
    free(a->app_next);
    free(a->app_points);
    free(a->app_line);
    free(a->head);
    free(a->choice_start);
    free(a->choices);
    alloc_result_free(&a->result);
    free(a);
}

const struct alloc_input *alloc_csv_input(const struct alloc_csv *a) { return &a->input; }
const struct alloc_result *alloc_csv_result(const struct alloc_csv *a) { return a->solved ? &a->result : NULL; }

static int nomem(struct err *e) { return err_set(e, 500, "alloc_nomem", "", "内存不足"); }

/* resize *pp to cap elements of size sz */
static int resize(void *pp, size_t sz, int32_t cap)
{
    void **p = pp;
    void *np = realloc(*p, (size_t)cap * sz);
    if (!np)
        return -1;
    *p = np;
    return 0;
}

/* the next capacity when n elements are held in cap (doubling), or -1 at the limit */
static int32_t next_cap(int32_t n, int32_t cap)
{
    if (n < cap)
        return cap;
    if (cap >= INT32_MAX / 2)
        return -1;
    return cap ? cap * 2 : 1024;
}

/* the trimmed extent of a field */
static const char *trim(const char *s, size_t *n)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    *n = len;
    return s;
}

/* an integer as parse_int64 reads it; the common case (spaces, sign, up to 18 digits) without
 * strtoll */
static int parse_int(const char *s, int64_t *out)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    int neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    int64_t v = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 18) {
        v = v * 10 + (*p++ - '0');
        digits++;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (digits == 0 || *p != 0)
        return parse_int64(s, out); /* anything else: the strict general parser decides */
    *out = neg ? -v : v;
    return 0;
}

/* points: an optional sign, digits, an optional fraction — nothing else (no exponents, hex, inf).
 * Up to 15 significant digits the value is m / 10^f with m and 10^f exact doubles, which is the
 * correctly rounded value strtod gives; longer numbers go through strtod. */
static int parse_points(const char *s, double *out)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    size_t n;
    const char *p = trim(s, &n), *end = p + n;
    const char *q = p;
    int neg = 0;
    if (q < end && (*q == '+' || *q == '-'))
        neg = *q++ == '-';
    int digits = 0, frac = 0;
    int64_t m = 0;
    while (q < end && isdigit((unsigned char)*q)) {
        m = digits < 15 ? m * 10 + (*q - '0') : m;
        q++, digits++;
    }
    if (q < end && *q == '.') {
        q++;
        while (q < end && isdigit((unsigned char)*q)) {
            m = digits < 15 ? m * 10 + (*q - '0') : m;
            q++, digits++, frac++;
        }
    }
    if (!digits || q != end)
        return -1;
    if (digits > 15)
        return parse_double(s, out);
    double v = (double)m / pow10[frac];
    *out = neg ? -v : v;
    return 0;
}

static int bad(struct err *e, const char *file, long line, const char *field, const char *fmt_zh_en,
               const char *value, const char *extra)
{
    char what[300];
    snprintf(what, sizeof what, fmt_zh_en, extra ? extra : "");
    return err_set(e, 400, "alloc_input", field, "%s:%ld: %s '" SHOW "'", file, line, what, value);
}

static int open_header(struct csv_reader *r, const char *file, const char *const *cols, int *idx, int n,
                       struct err *e)
{
    if (csv_read_header(r) < 0)
        return err_set(e, 400, "alloc_input", "", "%s:1: %s", file, csv_error(r));
    for (int i = 0; i < n; i++) {
        idx[i] = csv_column(r, cols[i]);
        if (idx[i] < 0 && cols[i][0] != '?')
            return err_set(e, 400, "alloc_input", cols[i], "%s:1: 缺少列 (missing column) '%s'", file, cols[i]);
    }
    return 0;
}

/* The id in column col of the row at line, trimmed (*n its length); NULL with e filled when it is
 * empty or already in ids (what names the ids in the message, e.g. 托班编号). */
static const char *new_id(struct csv_reader *r, int col, const struct ids *ids, const char *file, long line,
                          const char *field, const char *what, size_t *n, struct err *e)
{
    const char *raw = csv_get(r, col), *id = trim(raw, n);
    char msg[160];
    int32_t dup = *n ? ids_find(ids, id, *n) : -1;
    if (*n == 0)
        snprintf(msg, sizeof msg, "%s 为空 (empty %s)", field, field);
    else if (dup >= 0)
        snprintf(msg, sizeof msg, "%s重复，首次出现在第 %ld 行 (duplicate %s)", what, ids->line[dup], field);
    else
        return id;
    bad(e, file, line, field, "%s", raw, msg);
    return NULL;
}

/* The index in ids of the id in column col of the row at line; -1 with e filled by unknown (the
 * message) when it is not there. */
static int32_t known_id(struct csv_reader *r, int col, const struct ids *ids, const char *file, long line,
                        const char *field, const char *unknown, struct err *e)
{
    size_t n;
    const char *raw = csv_get(r, col), *id = trim(raw, &n);
    int32_t i = ids_find(ids, id, n);
    if (i < 0)
        bad(e, file, line, field, unknown, raw, NULL);
    return i;
}

static int read_programs(struct alloc_csv *a, FILE *f, const char *file, struct err *e)
{
    struct csv_reader *r = csv_open(f, file);
    if (!r)
        return nomem(e);
    static const char *const cols[] = {"program_id", "capacity"};
    int col[2], rc, cap = 0;
    if (open_header(r, file, cols, col, 2, e) < 0)
        goto fail;
    while ((rc = csv_next(r)) > 0) {
        long line = csv_line(r);
        size_t n;
        const char *id = new_id(r, col[0], &a->programs, file, line, "program_id", "托班编号", &n, e);
        if (!id)
            goto fail;
        const char *cs = csv_get(r, col[1]);
        int64_t c;
        if (parse_int(cs, &c) < 0) {
            bad(e, file, line, "capacity", "容量不是整数 (capacity is not an integer)%s", cs, NULL);
            goto fail;
        }
        if (c < 0) {
            bad(e, file, line, "capacity", "容量为负数 (negative capacity)%s", cs, NULL);
            goto fail;
        }
        int32_t i = ids_add(&a->programs, id, n, line), ncap = next_cap(i, cap);
        if (i < 0 || ncap < 0 || (ncap != cap && resize(&a->capacity, sizeof *a->capacity, ncap) < 0)) {
            nomem(e);
            goto fail;
        }
        cap = ncap;
        a->capacity[i] = c > INT32_MAX ? INT32_MAX : (int32_t)c;
    }
    if (rc < 0) {
        err_set(e, 400, "alloc_input", "", "%s", csv_error(r));
        goto fail;
    }
    csv_close(r);
    return 0;
fail:
    csv_close(r);
    return -1;
}

/* lottery numbers seen: int64 -> child index, open addressing */
struct lotset {
    int64_t *key;
    int32_t *child; /* -1 = empty */
    size_t mask;
    int32_t n;
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static int lotset_put(struct lotset *s, int64_t v, int32_t child, int32_t *found)
{
    if ((size_t)(s->n + 1) * 2 > (s->child ? s->mask + 1 : 0)) {
        size_t nslots = s->child ? (s->mask + 1) * 2 : 1024;
        int64_t *key = malloc(nslots * sizeof *key);
        int32_t *ch = malloc(nslots * sizeof *ch);
        if (!key || !ch) {
            free(key);
            free(ch);
            return -1;
        }
        memset(ch, 0xff, nslots * sizeof *ch);
        for (size_t i = 0; s->child && i <= s->mask; i++) {
            if (s->child[i] < 0)
                continue;
            size_t h = mix64((uint64_t)s->key[i]) & (nslots - 1);
            while (ch[h] >= 0)
                h = (h + 1) & (nslots - 1);
            key[h] = s->key[i];
            ch[h] = s->child[i];
        }
        free(s->key);
        free(s->child);
        s->key = key;
        s->child = ch;
        s->mask = nslots - 1;
    }
    size_t h = mix64((uint64_t)v) & s->mask;
    for (; s->child[h] >= 0; h = (h + 1) & s->mask)
        if (s->key[h] == v) {
            *found = s->child[h];
            return 0;
        }
    s->key[h] = v;
    s->child[h] = child;
    s->n++;
    *found = -1;
    return 0;
}

/* a child's list longer than this is checked for repeats through a hash set, not by scanning */
#define LONG_LIST 32
#define RANK_KEY(c, rank) ((int64_t)(c) << 32 | (int64_t)1 << 31 | (int64_t)(rank))
#define PROGRAM_KEY(c, p) ((int64_t)(c) << 32 | (int64_t)(p))

static int read_children(struct alloc_csv *a, FILE *f, const char *file, const unsigned char *seed, struct err *e)
{
    struct csv_reader *r = csv_open(f, file);
    if (!r)
        return nomem(e);
    static const char *const cols[] = {"child_id", "lottery", "fixed_program_id"};
    static const char *const cols_seed[] = {"child_id", "?lottery", "fixed_program_id"};
    int col[3], rc, cap = 0;
    struct lotset seen = {0};
    int32_t *fixed_count = calloc((size_t)a->programs.n + 1, sizeof *fixed_count);
    if (!fixed_count) {
        csv_close(r);
        return nomem(e);
    }
    if (open_header(r, file, seed ? cols_seed : cols, col, 2, e) < 0)
        goto fail;
    col[2] = csv_column(r, "fixed_program_id");
    while ((rc = csv_next(r)) > 0) {
        long line = csv_line(r);
        size_t n;
        const char *id = new_id(r, col[0], &a->children, file, line, "child_id", "儿童编号", &n, e);
        if (!id)
            goto fail;
        int64_t lot = 0;
        if (!seed) {
            const char *ls = csv_get(r, col[1]);
            if (parse_int(ls, &lot) < 0) {
                bad(e, file, line, "lottery", "摇号号码不是整数 (lottery is not an integer)%s", ls, NULL);
                goto fail;
            }
            int32_t other;
            if (lotset_put(&seen, lot, a->children.n, &other) < 0) {
                nomem(e);
                goto fail;
            }
            if (other >= 0) {
                char extra[64];
                snprintf(extra, sizeof extra, "%ld", a->children.line[other]);
                bad(e, file, line, "lottery", "摇号号码重复，与第 %s 行相同 (duplicate lottery number)", ls, extra);
                goto fail;
            }
        }
        int32_t fixed = ALLOC_NONE;
        if (col[2] >= 0) {
            size_t fn;
            const char *fraw = csv_get(r, col[2]), *fid = trim(fraw, &fn);
            if (fn > 0) {
                fixed = ids_find(&a->programs, fid, fn);
                if (fixed < 0) {
                    bad(e, file, line, "fixed_program_id", "未知的托班 (unknown program)%s", fraw, NULL);
                    goto fail;
                }
                if (++fixed_count[fixed] > a->capacity[fixed]) {
                    char extra[64];
                    snprintf(extra, sizeof extra, "%d", (int)a->capacity[fixed]);
                    bad(e, file, line, "fixed_program_id",
                        "已录取人数超过容量 %s (more fixed places than capacity)", fraw, extra);
                    goto fail;
                }
                a->any_fixed = 1;
            }
        }
        int32_t i = ids_add(&a->children, id, n, line), ncap = next_cap(i, cap);
        if (i < 0 || ncap < 0 ||
            (ncap != cap && (resize(&a->lottery, sizeof *a->lottery, ncap) < 0 ||
                             resize(&a->fixed, sizeof *a->fixed, ncap) < 0))) {
            nomem(e);
            goto fail;
        }
        cap = ncap;
        a->lottery[i] = lot;
        a->fixed[i] = fixed;
    }
    if (rc < 0) {
        err_set(e, 400, "alloc_input", "", "%s", csv_error(r));
        goto fail;
    }
    if (seed && a->children.n > 0) {
        if (alloc_lottery(seed, a->children.n, a->lottery, e) < 0)
            goto fail;
        a->drawn = 1;
    }
    free(seen.key);
    free(seen.child);
    free(fixed_count);
    csv_close(r);
    return 0;
fail:
    free(seen.key);
    free(seen.child);
    free(fixed_count);
    csv_close(r);
    return -1;
}

static int read_applications(struct alloc_csv *a, FILE *f, const char *file, struct err *e)
{
    struct csv_reader *r = csv_open(f, file);
    if (!r)
        return nomem(e);
    static const char *const cols[] = {"child_id", "rank", "program_id", "points"};
    int col[4], rc;
    struct lotset entries = {0}; /* (child, rank) and (child, program) of long lists */
    a->head = malloc(((size_t)a->children.n + 1) * sizeof *a->head);
    a->list_len = calloc((size_t)a->children.n + 1, sizeof *a->list_len);
    if (!a->head || !a->list_len) {
        csv_close(r);
        return nomem(e);
    }
    memset(a->head, 0xff, ((size_t)a->children.n + 1) * sizeof *a->head);
    if (open_header(r, file, cols, col, 4, e) < 0)
        goto fail;
    while ((rc = csv_next(r)) > 0) {
        long line = csv_line(r);
        int32_t c = known_id(r, col[0], &a->children, file, line, "child_id", "未知的儿童 (unknown child)%s", e);
        if (c < 0)
            goto fail;
        const char *rs = csv_get(r, col[1]);
        int64_t rank;
        if (parse_int(rs, &rank) < 0) {
            bad(e, file, line, "rank", "志愿顺序不是整数 (rank is not an integer)%s", rs, NULL);
            goto fail;
        }
        if (rank < 1 || rank > INT32_MAX) {
            bad(e, file, line, "rank", "志愿顺序须为正整数 (rank must be 1 or more)%s", rs, NULL);
            goto fail;
        }
        int32_t p =
            known_id(r, col[2], &a->programs, file, line, "program_id", "未知的托班 (unknown program)%s", e);
        if (p < 0)
            goto fail;
        const char *ps = csv_get(r, col[3]);
        double points;
        if (parse_points(ps, &points) < 0) {
            bad(e, file, line, "points", "积分不是数字 (points is not a number)%s", ps, NULL);
            goto fail;
        }
        /* the same rank or program earlier for this child? Short lists are scanned; a child
         * with a long list (only in odd files) gets its entries in a hash set, so no input
         * makes this quadratic */
        int32_t same_rank = -1, same_program = -1, i = a->n_apps;
        if (a->list_len[c] < LONG_LIST) {
            for (int32_t k = a->head[c]; k >= 0 && same_rank < 0; k = a->app_next[k])
                if (a->app_rank[k] == (int32_t)rank)
                    same_rank = k;
            for (int32_t k = a->head[c]; k >= 0 && same_program < 0; k = a->app_next[k])
                if (a->app_program[k] == p)
                    same_program = k;
        } else {
            int32_t found = -1, oom = 0;
            if (a->list_len[c] == LONG_LIST) /* the list just became long: index what it holds */
                for (int32_t k = a->head[c]; k >= 0 && !oom; k = a->app_next[k])
                    oom = lotset_put(&entries, RANK_KEY(c, a->app_rank[k]), k, &found) < 0 ||
                          lotset_put(&entries, PROGRAM_KEY(c, a->app_program[k]), k, &found) < 0;
            if (!oom && lotset_put(&entries, RANK_KEY(c, rank), i, &same_rank) < 0)
                oom = 1;
            if (!oom && same_rank < 0 && lotset_put(&entries, PROGRAM_KEY(c, p), i, &same_program) < 0)
                oom = 1;
            if (oom) {
                nomem(e);
                goto fail;
            }
        }
        if (same_rank >= 0 || same_program >= 0) {
            char extra[200];
            int32_t k = same_rank >= 0 ? same_rank : same_program;
            snprintf(extra, sizeof extra, "%.120s", ids_name(&a->children, c));
            size_t len = strlen(extra);
            snprintf(extra + len, sizeof extra - len, same_rank >= 0 ? " 的志愿顺序重复（首次在第 %ld 行）(repeated rank)"
                                                                    : " 重复填报同一托班（首次在第 %ld 行）(program listed twice)",
                     a->app_line[k]);
            if (same_rank >= 0)
                bad(e, file, line, "rank", "儿童 %s", rs, extra);
            else
                bad(e, file, line, "program_id", "儿童 %s", csv_get(r, col[2]), extra);
            goto fail;
        }
        int32_t ncap = next_cap(i, a->apps_cap);
        if (ncap < 0 ||
            (ncap != a->apps_cap && (resize(&a->app_rank, sizeof *a->app_rank, ncap) < 0 ||
                                     resize(&a->app_program, sizeof *a->app_program, ncap) < 0 ||
                                     resize(&a->app_next, sizeof *a->app_next, ncap) < 0 ||
                                     resize(&a->app_points, sizeof *a->app_points, ncap) < 0 ||
                                     resize(&a->app_line, sizeof *a->app_line, ncap) < 0))) {
            nomem(e);
            goto fail;
        }
        a->apps_cap = ncap;
        a->app_rank[i] = (int32_t)rank;
        a->app_program[i] = p;
        a->app_points[i] = points;
        a->app_line[i] = line;
        a->app_next[i] = a->head[c];
        a->head[c] = i;
        a->list_len[c]++;
        a->n_apps++;
    }
    if (rc < 0) {
        err_set(e, 400, "alloc_input", "", "%s", csv_error(r));
        goto fail;
    }
    free(entries.key);
    free(entries.child);
    csv_close(r);
    return 0;
fail:
    free(entries.key);
    free(entries.child);
    csv_close(r);
    return -1;
}

/* rank lists: each child's applications sorted by rank */
static int build_lists(struct alloc_csv *a, struct err *e)
{
    int32_t nc = a->children.n;
    a->choice_start = malloc(((size_t)nc + 1) * sizeof *a->choice_start);
    a->choices = malloc(((size_t)a->n_apps + 1) * sizeof *a->choices);
    int32_t *rank = malloc(((size_t)a->n_apps + 1) * sizeof *rank);
    if (!a->choice_start || !a->choices || !rank) {
        free(rank);
        return nomem(e);
    }
    int32_t at = 0;
    for (int32_t c = 0; c < nc; c++) {
        a->choice_start[c] = at;
        for (int32_t k = a->head[c]; k >= 0; k = a->app_next[k]) {
            /* insertion by rank (lists are short; chains are newest first) */
            int32_t j = at++;
            while (j > a->choice_start[c] && rank[j - 1] > a->app_rank[k]) {
                rank[j] = rank[j - 1];
                a->choices[j] = a->choices[j - 1];
                j--;
            }
            rank[j] = a->app_rank[k];
            a->choices[j].program = a->app_program[k];
            a->choices[j].points = a->app_points[k];
        }
    }
    a->choice_start[nc] = at;
    free(rank);
    a->input = (struct alloc_input){.n_programs = a->programs.n,
                                    .capacity = a->capacity,
                                    .n_children = nc,
                                    .lottery = a->lottery,
                                    .choice_start = a->choice_start,
                                    .choices = a->choices,
                                    .fixed = a->any_fixed ? a->fixed : NULL};
    return 0;
}

int alloc_csv_read(const struct alloc_csv_files *in, struct alloc_csv **out, struct err *e)
{
    *out = NULL;
    struct alloc_csv *a = calloc(1, sizeof *a);
    if (!a)
        return nomem(e);
    if (read_programs(a, in->programs, in->programs_name ? in->programs_name : "programs.csv", e) < 0 ||
        read_children(a, in->children, in->children_name ? in->children_name : "children.csv", in->seed, e) < 0 ||
        read_applications(a, in->applications,
                          in->applications_name ? in->applications_name : "applications.csv", e) < 0 ||
        build_lists(a, e) < 0) {
        alloc_csv_free(a);
        return -1;
    }
    *out = a;
    return 0;
}

int alloc_csv_solve(struct alloc_csv *a, struct err *e)
{
    alloc_result_free(&a->result);
    a->solved = 0;
    if (alloc_run(&a->input, &a->result, e) < 0)
        return -1;
    a->solved = 1;
    return 0;
}

int alloc_csv_write(const struct alloc_csv *a, FILE *out)
{
    if (!a->solved)
        return -1;
    fputs(a->drawn ? "child_id,program_id,lottery\n" : "child_id,program_id\n", out);
    for (int32_t c = 0; c < a->children.n; c++) {
        csv_write_field(out, ids_name(&a->children, c));
        putc(',', out);
        int32_t p = a->result.program[c];
        if (p != ALLOC_NONE)
            csv_write_field(out, ids_name(&a->programs, p));
        if (a->drawn)
            fprintf(out, ",%" PRId64, a->lottery[c]);
        putc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

/* shortest decimal text that reads back as the same double */
static void format_points(char *buf, size_t n, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, n, "%.0f", v == 0 ? 0.0 : v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

int alloc_csv_write_cutoffs(const struct alloc_csv *a, FILE *out)
{
    if (!a->solved)
        return -1;
    fputs("program_id,capacity,fixed,admitted,full,cutoff_points,cutoff_lottery\n", out);
    for (int32_t p = 0; p < a->programs.n; p++) {
        const struct alloc_cutoff *c = &a->result.cutoff[p];
        csv_write_field(out, ids_name(&a->programs, p));
        fprintf(out, ",%d,%d,%d,%d,", (int)c->capacity, (int)c->fixed, (int)c->admitted, c->full);
        if (c->admitted > 0) {
            char pts[40];
            format_points(pts, sizeof pts, c->last_points);
            fprintf(out, "%s,%" PRId64, pts, c->last_lottery);
        } else {
            putc(',', out);
        }
        putc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}
