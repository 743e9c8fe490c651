/* mclp.c — maximal covering location by greedy selection and swap local search. */
#include "plan/mclp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* improvements smaller than this are treated as none (weights are counts of children) */
#define EPS 1e-9

struct state {
    const struct plan_mclp *in;
    uint32_t *cnt;     /* how many chosen candidates cover each demand */
    uint8_t *mark;     /* per demand scratch */
    uint8_t *is_chosen;
    double *gain;      /* per candidate scratch */
};

static double gain_of(const struct state *s, uint32_t c)
{
    const struct plan_mclp *in = s->in;
    double g = 0;
    for (size_t k = in->cover_off[c]; k < in->cover_off[c + 1]; k++)
        if (s->cnt[in->cover[k]] == 0)
            g += in->weight[in->cover[k]];
    return g;
}

static void add_cand(struct state *s, uint32_t c, int delta)
{
    const struct plan_mclp *in = s->in;
    for (size_t k = in->cover_off[c]; k < in->cover_off[c + 1]; k++)
        s->cnt[in->cover[k]] += (uint32_t)delta;
    s->is_chosen[c] = delta > 0;
}

/* rank a set by greedy marginal gain within it (ties to the lower candidate index) */
static void rank_set(struct state *s, uint32_t *set, size_t n, double *added, double *total)
{
    const struct plan_mclp *in = s->in;
    memset(s->cnt, 0, in->n_demand * sizeof *s->cnt);
    *total = 0;
    for (size_t r = 0; r < n; r++) {
        size_t best = r;
        double bg = -1;
        for (size_t q = r; q < n; q++) {
            double g = gain_of(s, set[q]);
            if (g > bg + EPS || (fabs(g - bg) <= EPS && set[q] < set[best])) {
                bg = g;
                best = q;
            }
        }
        uint32_t t = set[r];
        set[r] = set[best];
        set[best] = t;
        added[r] = bg;
        *total += bg;
        add_cand(s, set[r], +1);
    }
}

static int state_init(struct state *s, const struct plan_mclp *in)
{
    s->in = in;
    s->cnt = calloc(in->n_demand ? in->n_demand : 1, sizeof *s->cnt);
    s->mark = calloc(in->n_demand ? in->n_demand : 1, 1);
    s->is_chosen = calloc(in->n_cand ? in->n_cand : 1, 1);
    s->gain = calloc(in->n_cand ? in->n_cand : 1, sizeof *s->gain);
    return (s->cnt && s->mark && s->is_chosen && s->gain) ? 0 : -1;
}

static void state_free(struct state *s)
{
    free(s->cnt);
    free(s->mark);
    free(s->is_chosen);
    free(s->gain);
}

double plan_mclp_value(const struct plan_mclp *in, const uint32_t *set, size_t n)
{
    uint8_t *seen = calloc(in->n_demand ? in->n_demand : 1, 1);
    if (!seen)
        return -1;
    double v = 0;
    for (size_t r = 0; r < n; r++) {
        uint32_t c = set[r];
        for (size_t k = in->cover_off[c]; k < in->cover_off[c + 1]; k++)
            if (!seen[in->cover[k]]) {
                seen[in->cover[k]] = 1;
                v += in->weight[in->cover[k]];
            }
    }
    free(seen);
    return v;
}

/* best 1-swap; returns its improvement (<= EPS when none) and the pair */
static double best_swap1(struct state *s, const uint32_t *set, size_t n, size_t *out_pos, uint32_t *out_c)
{
    const struct plan_mclp *in = s->in;
    double best = EPS;
    for (size_t p = 0; p < n; p++) {
        uint32_t a = set[p];
        double loss = 0;
        for (size_t k = in->cover_off[a]; k < in->cover_off[a + 1]; k++) {
            uint32_t i = in->cover[k];
            if (s->cnt[i] == 1) {
                s->mark[i] = 1;
                loss += in->weight[i];
            }
        }
        for (uint32_t b = 0; b < in->n_cand; b++) {
            if (s->is_chosen[b])
                continue;
            double g = 0;
            for (size_t k = in->cover_off[b]; k < in->cover_off[b + 1]; k++) {
                uint32_t i = in->cover[k];
                if (s->cnt[i] == 0 || s->mark[i])
                    g += in->weight[i];
            }
            if (g - loss > best) {
                best = g - loss;
                *out_pos = p;
                *out_c = b;
            }
        }
        for (size_t k = in->cover_off[a]; k < in->cover_off[a + 1]; k++)
            s->mark[in->cover[k]] = 0;
    }
    return best;
}

/* best 2-swap; returns its improvement (<= EPS when none) */
static double best_swap2(struct state *s, const uint32_t *set, size_t n, size_t pos[2], uint32_t cand[2])
{
    const struct plan_mclp *in = s->in;
    double best = EPS;
    for (size_t p1 = 0; p1 < n; p1++)
        for (size_t p2 = p1 + 1; p2 < n; p2++) {
            uint32_t a1 = set[p1], a2 = set[p2];
            double loss = 0;
            add_cand(s, a1, -1);
            add_cand(s, a2, -1);
            for (int t = 0; t < 2; t++) {
                uint32_t a = t ? a2 : a1;
                for (size_t k = in->cover_off[a]; k < in->cover_off[a + 1]; k++) {
                    uint32_t i = in->cover[k];
                    if (s->cnt[i] == 0 && !s->mark[i]) {
                        s->mark[i] = 2; /* lost by removing the pair */
                        loss += in->weight[i];
                    }
                }
            }
            for (int t = 0; t < 2; t++) {
                uint32_t a = t ? a2 : a1;
                for (size_t k = in->cover_off[a]; k < in->cover_off[a + 1]; k++)
                    s->mark[in->cover[k]] = 0;
            }
            /* now cnt is the coverage without a1, a2 (they are flagged unchosen); gain[b] is
             * what b alone would add back, and g(b1) + g(b2) bounds what a pair adds */
            double max_g = 0;
            for (uint32_t b = 0; b < in->n_cand; b++) {
                s->gain[b] = s->is_chosen[b] ? 0 : gain_of(s, b);
                if (s->gain[b] > max_g)
                    max_g = s->gain[b];
            }
            for (uint32_t b1 = 0; b1 < in->n_cand; b1++) {
                if (s->is_chosen[b1] || b1 == a1 || b1 == a2)
                    continue;
                double g1 = s->gain[b1];
                if (g1 + max_g - loss <= best)
                    continue;
                for (size_t k = in->cover_off[b1]; k < in->cover_off[b1 + 1]; k++)
                    if (s->cnt[in->cover[k]] == 0)
                        s->mark[in->cover[k]] = 1;
                for (uint32_t b2 = b1 + 1; b2 < in->n_cand; b2++) {
                    if (s->is_chosen[b2] || b2 == a1 || b2 == a2 || g1 + s->gain[b2] - loss <= best)
                        continue;
                    double g = g1;
                    for (size_t k = in->cover_off[b2]; k < in->cover_off[b2 + 1]; k++) {
                        uint32_t i = in->cover[k];
                        if (s->cnt[i] == 0 && !s->mark[i])
                            g += in->weight[i];
                    }
                    if (g - loss > best) {
                        best = g - loss;
                        pos[0] = p1, pos[1] = p2;
                        cand[0] = b1, cand[1] = b2;
                    }
                }
                for (size_t k = in->cover_off[b1]; k < in->cover_off[b1 + 1]; k++)
                    s->mark[in->cover[k]] = 0;
            }
            add_cand(s, a1, +1);
            add_cand(s, a2, +1);
        }
    return best;
}

/* fill set[from..n) greedily (largest marginal gain, ties to the lower index) */
static void greedy_fill(struct state *s, uint32_t *set, size_t from, size_t n)
{
    const struct plan_mclp *in = s->in;
    for (size_t r = from; r < n; r++) {
        double bg = -1;
        uint32_t bc = 0;
        for (uint32_t c = 0; c < in->n_cand; c++) {
            if (s->is_chosen[c])
                continue;
            double g = gain_of(s, c);
            if (g > bg + EPS) {
                bg = g;
                bc = c;
            }
        }
        set[r] = bc;
        add_cand(s, bc, +1);
    }
}

/* improve set to a swap optimum: best 1-swaps, then best 2-swaps when affordable */
static void local_search(struct state *s, uint32_t *set, size_t n)
{
    const struct plan_mclp *in = s->in;
    if (n >= in->n_cand)
        return;
    double avg = (double)in->cover_off[in->n_cand] / (double)in->n_cand;
    double u = (double)(in->n_cand - n);
    double work2 = (double)n * (double)(n - 1) / 2 * u * (u - 1) / 2 * (avg + 1);
    double budget = in->swap2_budget > 0 ? in->swap2_budget : 2e10;
    for (;;) {
        size_t pos = 0;
        uint32_t c = 0;
        if (best_swap1(s, set, n, &pos, &c) > EPS) {
            add_cand(s, set[pos], -1);
            set[pos] = c;
            add_cand(s, c, +1);
            continue;
        }
        if (n < 2 || work2 > budget)
            break;
        size_t pos2[2] = {0, 0};
        uint32_t c2[2] = {0, 0};
        if (best_swap2(s, set, n, pos2, c2) > EPS) {
            for (int t = 0; t < 2; t++) {
                add_cand(s, set[pos2[t]], -1);
                set[pos2[t]] = c2[t];
                add_cand(s, c2[t], +1);
            }
            continue;
        }
        break;
    }
}

static void clear_state(struct state *s)
{
    memset(s->cnt, 0, s->in->n_demand * sizeof *s->cnt);
    memset(s->is_chosen, 0, s->in->n_cand);
}

struct singleton {
    double gain;
    uint32_t c;
};

static int cmp_singleton(const void *a, const void *b)
{
    const struct singleton *x = a, *y = b;
    if (x->gain != y->gain)
        return x->gain > y->gain ? -1 : 1;
    return (x->c > y->c) - (x->c < y->c);
}

int plan_mclp_solve(const struct plan_mclp *in, struct plan_mclp_result *out, struct err *e)
{
    size_t n = in->k < in->n_cand ? in->k : in->n_cand;
    out->n_chosen = n;
    out->total = 0;
    if (n == 0)
        return 0;
    struct state s;
    uint32_t *trial = malloc(n * sizeof *trial);
    struct singleton *single = malloc(in->n_cand * sizeof *single);
    if (state_init(&s, in) < 0 || !trial || !single) {
        state_free(&s);
        free(trial);
        free(single);
        return err_set(e, 500, "out_of_memory", "", "内存不足");
    }
    for (uint32_t c = 0; c < in->n_cand; c++)
        single[c] = (struct singleton){gain_of(&s, c), c};
    qsort(single, in->n_cand, sizeof *single, cmp_singleton);
    size_t starts = in->starts > 0 ? in->starts : 8;
    if (starts > in->n_cand || n == in->n_cand)
        starts = n == in->n_cand ? 1 : in->n_cand;
    double best = -1;
    for (size_t t = 0; t < starts; t++) {
        /* start t: the t-th best single candidate first, the rest greedy (t = 0: plain greedy) */
        clear_state(&s);
        trial[0] = single[t].c;
        add_cand(&s, trial[0], +1);
        greedy_fill(&s, trial, 1, n);
        local_search(&s, trial, n);
        double v = plan_mclp_value(in, trial, n);
        if (v > best + EPS) {
            best = v;
            memcpy(out->chosen, trial, n * sizeof *trial);
        }
    }
    rank_set(&s, out->chosen, n, out->added, &out->total);
    state_free(&s);
    free(trial);
    free(single);
    return 0;
}
