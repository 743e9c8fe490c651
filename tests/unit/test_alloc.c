/* test_alloc.c — the allocation engine (src/alloc/): hand-made deferred-acceptance cases (points
 * before lottery, points per program, rejection chains, capacity 0, empty lists), input errors,
 * fixed places for waitlist re-runs, cut-offs; property tests on thousands of random instances
 * (capacity respected, stable: no justified envy and no wasted seat, equal to an independent
 * round-by-round Gale–Shapley, equal to the child-optimal stable matching found by enumerating
 * every matching on small instances, independent of child order, re-runs with places fixed and
 * children removed leave nobody worse off); the lottery's known answers (computed independently
 * from the ChaCha20 keystream in Python, docs/allocation.md) and permutation property; the CSV
 * batch and `tuoyu allocate` with good and bad files. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "alloc/alloc.h"
#include "alloc/alloc_csv.h"
#include "alloc/lottery.h"
#include "commands.h"

/* ---------------------------------------------------------------- a small instance builder */

#define MAXC 400
#define MAXP 40
#define MAXE (MAXC * 8)

struct inst {
    int32_t np, nc;
    int32_t cap[MAXP];
    int64_t lot[MAXC];
    int32_t start[MAXC + 1];
    struct alloc_choice ch[MAXE];
    int32_t fixed[MAXC];
    int use_fixed;
};

static struct inst *inst_new(int32_t np, const int32_t *cap)
{
    struct inst *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->np = np;
    for (int32_t p = 0; p < np; p++)
        t->cap[p] = cap[p];
    return t;
}

/* add a child: lottery number, then (program, points) pairs, ending with -1 */
static int32_t inst_child(struct inst *t, int64_t lottery, ...)
{
    int32_t c = t->nc++;
    t->lot[c] = lottery;
    t->fixed[c] = ALLOC_NONE;
    int32_t at = t->start[c];
    va_list ap;
    va_start(ap, lottery);
    for (;;) {
        int p = va_arg(ap, int);
        if (p < 0)
            break;
        t->ch[at].program = p;
        t->ch[at].points = va_arg(ap, double);
        at++;
    }
    va_end(ap);
    t->start[c + 1] = at;
    return c;
}

static struct alloc_input inst_input(const struct inst *t)
{
    struct alloc_input in = {.n_programs = t->np, .capacity = t->cap, .n_children = t->nc,
                             .lottery = t->lot, .choice_start = t->start, .choices = t->ch,
                             .fixed = t->use_fixed ? t->fixed : NULL};
    return in;
}

static struct alloc_result solve(const struct inst *t)
{
    struct alloc_input in = inst_input(t);
    struct alloc_result r;
    struct err e = {0};
    int rc = alloc_run(&in, &r, &e);
    if (rc != 0)
        fprintf(stderr, "alloc_run: %s\n", e.message);
    assert_int_equal(rc, 0);
    return r;
}

/* ---------------------------------------------------------------- hand-made cases */

static void points_then_lottery(void **state)
{
    (void)state;
    /* A has 1 seat. c0 has more points at A than c1 (lottery worse): points win. c2 ties c0 on
     * points with a better lottery number: c2 wins A, c0 goes to B. */
    int32_t cap[] = {1, 1};
    struct inst *t = inst_new(2, cap);
    inst_child(t, 50, 0, 10.0, 1, 0.0, -1);  /* c0 */
    inst_child(t, 1, 0, 5.0, -1);            /* c1 */
    inst_child(t, 7, 0, 10.0, 1, 0.0, -1);   /* c2 */
    struct alloc_result r = solve(t);
    assert_int_equal(r.program[0], 1);
    assert_int_equal(r.choice[0], 1);
    assert_int_equal(r.program[1], ALLOC_NONE);
    assert_int_equal(r.choice[1], ALLOC_NONE);
    assert_int_equal(r.program[2], 0);
    assert_int_equal(r.choice[2], 0);
    /* cut-offs: A full with last admitted c2 (10 points, lottery 7) */
    assert_int_equal(r.cutoff[0].admitted, 1);
    assert_int_equal(r.cutoff[0].full, 1);
    assert_int_equal(r.cutoff[0].last_child, 2);
    assert_float_equal(r.cutoff[0].last_points, 10.0, 0);
    assert_int_equal(r.cutoff[0].last_lottery, 7);
    assert_false(alloc_would_admit(&r.cutoff[0], 10.0, 50, 0)); /* c0: same points, worse lottery */
    assert_false(alloc_would_admit(&r.cutoff[0], 5.0, 1, 1));
    assert_true(alloc_would_admit(&r.cutoff[0], 10.0, 7, 2));  /* the last admitted itself */
    assert_true(alloc_would_admit(&r.cutoff[0], 10.5, 99, 9)); /* more points */
    alloc_result_free(&r);
    alloc_result_free(&r); /* freeing twice is safe */
    free(t);
}

static void points_are_per_program(void **state)
{
    (void)state;
    /* c0 has priority at A (sibling there), c1 at B; both rank A first, then B. */
    int32_t cap[] = {1, 1};
    struct inst *t = inst_new(2, cap);
    inst_child(t, 1, 0, 0.0, 1, 9.0, -1);
    inst_child(t, 2, 0, 3.0, 1, 0.0, -1);
    struct alloc_result r = solve(t);
    assert_int_equal(r.program[0], 1); /* lost A to c1's points there, then B */
    assert_int_equal(r.program[1], 0);
    alloc_result_free(&r);
    free(t);
}

static void rejection_chain(void **state)
{
    (void)state;
    /* The textbook chain: c3 displaces c0 from A, c0 displaces c1 from B, c1 displaces c2 from C,
     * c2 falls to D. All points 0, lottery = priority. */
    int32_t cap[] = {1, 1, 1, 1};
    struct inst *t = inst_new(4, cap);
    inst_child(t, 2, 0, 0.0, 1, 0.0, -1);         /* c0 */
    inst_child(t, 3, 1, 0.0, 2, 0.0, -1);         /* c1 */
    inst_child(t, 4, 2, 0.0, 3, 0.0, -1);         /* c2 */
    inst_child(t, 1, 0, 0.0, -1);                 /* c3 */
    struct alloc_result r = solve(t);
    assert_int_equal(r.program[3], 0);
    assert_int_equal(r.program[0], 1);
    assert_int_equal(r.program[1], 2);
    assert_int_equal(r.program[2], 3);
    assert_int_equal(r.choice[2], 1);
    assert_true(r.proposals >= 7);
    alloc_result_free(&r);
    free(t);
}

static void child_optimal_not_program_optimal(void **state)
{
    (void)state;
    /* Two stable matchings exist: {c0:A, c1:B} (children's favourite) and {c0:B, c1:A} (programs'
     * favourite). Child-proposing must give the first. */
    int32_t cap[] = {1, 1};
    struct inst *t = inst_new(2, cap);
    inst_child(t, 0, 0, 0.0, 1, 1.0, -1); /* c0 prefers A; B prefers c0 (1 point) */
    inst_child(t, 0, 1, 0.0, 0, 1.0, -1); /* c1 prefers B; A prefers c1 */
    /* equal lottery numbers: the child index breaks the (otherwise absent) tie */
    struct alloc_result r = solve(t);
    assert_int_equal(r.program[0], 0);
    assert_int_equal(r.program[1], 1);
    alloc_result_free(&r);
    free(t);
}

static void zero_capacity_and_empty_lists(void **state)
{
    (void)state;
    int32_t cap[] = {0, 2, 3};
    struct inst *t = inst_new(3, cap);
    inst_child(t, 1, 0, 100.0, -1);          /* only a 0-seat program */
    inst_child(t, 2, -1);                     /* no applications */
    inst_child(t, 3, 0, 1.0, 1, 1.0, -1);
    struct alloc_result r = solve(t);
    assert_int_equal(r.program[0], ALLOC_NONE);
    assert_int_equal(r.program[1], ALLOC_NONE);
    assert_int_equal(r.program[2], 1);
    assert_int_equal(r.choice[2], 1);
    assert_int_equal(r.cutoff[0].full, 1);
    assert_int_equal(r.cutoff[0].admitted, 0);
    assert_int_equal(r.cutoff[0].last_child, ALLOC_NONE);
    assert_false(alloc_would_admit(&r.cutoff[0], 1e9, -1000, 0));
    assert_int_equal(r.cutoff[1].full, 0);
    assert_true(alloc_would_admit(&r.cutoff[1], -5, 1000, 7));
    assert_int_equal(r.cutoff[2].admitted, 0);
    assert_int_equal(r.cutoff[2].full, 0);
    alloc_result_free(&r);
    free(t);
}

static void empty_instance(void **state)
{
    (void)state;
    struct alloc_input in = {0};
    struct alloc_result r;
    struct err e = {0};
    assert_int_equal(alloc_run(&in, &r, &e), 0);
    assert_int_equal(r.n_children, 0);
    assert_int_equal(r.proposals, 0);
    alloc_result_free(&r);
}

static void bad_input_is_refused(void **state)
{
    (void)state;
    int32_t cap[] = {1, 1};
    struct alloc_result r;
    struct err e;

    struct inst *t = inst_new(2, cap);
    inst_child(t, 1, 0, 0.0, 2, 0.0, -1); /* program 2 does not exist */
    struct alloc_input in = inst_input(t);
    assert_int_equal(alloc_run(&in, &r, &e), -1);
    assert_string_equal(e.code, "alloc_input");
    assert_int_equal(e.status, 400);
    assert_null(r.program);
    free(t);

    t = inst_new(2, cap);
    inst_child(t, 1, 0, 0.0, 1, 0.0, 0, 3.0, -1); /* A twice */
    in = inst_input(t);
    assert_int_equal(alloc_run(&in, &r, &e), -1);
    assert_string_equal(e.field, "program");
    free(t);

    t = inst_new(2, cap);
    inst_child(t, 1, 0, NAN, -1);
    in = inst_input(t);
    assert_int_equal(alloc_run(&in, &r, &e), -1);
    assert_string_equal(e.field, "points");
    free(t);

    int32_t neg[] = {1, -1};
    t = inst_new(2, neg);
    in = inst_input(t);
    assert_int_equal(alloc_run(&in, &r, &e), -1);
    assert_string_equal(e.field, "capacity");
    free(t);

    t = inst_new(2, cap);
    inst_child(t, 1, 0, 0.0, -1);
    t->start[1] = -1; /* decreasing choice_start */
    in = inst_input(t);
    assert_int_equal(alloc_run(&in, &r, &e), -1);
    assert_string_equal(e.field, "choice_start");
    free(t);

    t = inst_new(2, cap);
    inst_child(t, 1, -1);
    inst_child(t, 2, -1);
    t->use_fixed = 1;
    t->fixed[0] = 0;
    t->fixed[1] = 0; /* two fixed places in a 1-seat program */
    in = inst_input(t);
    assert_int_equal(alloc_run(&in, &r, &e), -1);
    assert_string_equal(e.field, "fixed");
    t->fixed[1] = 5; /* out of range */
    assert_int_equal(alloc_run(&in, &r, &e), -1);
    assert_string_equal(e.field, "fixed");
    free(t);

    in = (struct alloc_input){.n_programs = -1};
    assert_int_equal(alloc_run(&in, &r, &e), -1);
}

static void fixed_places_stay(void **state)
{
    (void)state;
    /* A (2 seats) already holds c0, who accepted it. c1 (better priority than c2) and c2 apply
     * to A: one seat is left, c1 gets it. c3 is fixed at B, which is not in its list. */
    int32_t cap[] = {2, 1};
    struct inst *t = inst_new(2, cap);
    inst_child(t, 9, 0, 0.0, -1);            /* c0: low priority, but fixed */
    inst_child(t, 1, 0, 5.0, -1);            /* c1 */
    inst_child(t, 2, 0, 5.0, 1, 0.0, -1);    /* c2 */
    inst_child(t, 3, 0, 99.0, -1);           /* c3: fixed at B; its list is ignored */
    t->use_fixed = 1;
    t->fixed[0] = 0;
    t->fixed[3] = 1;
    struct alloc_result r = solve(t);
    assert_int_equal(r.program[0], 0);
    assert_int_equal(r.choice[0], 0);
    assert_int_equal(r.program[1], 0);
    assert_int_equal(r.program[2], ALLOC_NONE); /* B is full with c3 */
    assert_int_equal(r.program[3], 1);
    assert_int_equal(r.choice[3], ALLOC_NONE);  /* B is not in c3's list */
    assert_int_equal(r.cutoff[0].fixed, 1);
    assert_int_equal(r.cutoff[0].admitted, 1);
    assert_int_equal(r.cutoff[0].full, 1);
    assert_int_equal(r.cutoff[0].last_child, 1); /* cut-off among children admitted by this run */
    assert_int_equal(r.cutoff[1].fixed, 1);
    assert_int_equal(r.cutoff[1].admitted, 0);
    assert_int_equal(r.cutoff[1].full, 1);
    assert_false(alloc_would_admit(&r.cutoff[1], 100, 0, 2));
    alloc_result_free(&r);
    free(t);
}

static void priority_order(void **state)
{
    (void)state;
    assert_true(alloc_priority_cmp(2, 9, 9, 1, 1, 1) < 0);
    assert_true(alloc_priority_cmp(1, 9, 0, 2, 1, 1) > 0);
    assert_true(alloc_priority_cmp(1, 3, 9, 1, 4, 0) < 0);
    assert_true(alloc_priority_cmp(1, 3, 0, 1, 3, 1) < 0);
    assert_int_equal(alloc_priority_cmp(1, 3, 1, 1, 3, 1), 0);
    assert_true(alloc_priority_cmp(-1, 3, 1, -0.5, 3, 1) > 0);
}

/* ---------------------------------------------------------------- random instances */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static int32_t rng_below(uint64_t *s, int32_t n) { return (int32_t)(rng_next(s) % (uint64_t)n); }

/* nc children, np programs, capacities 0..maxcap, lists of 0..maxlen distinct programs, points
 * from a few values (so ties are common) with some programs favouring some children */
static struct inst *random_inst(uint64_t *s, int32_t nc, int32_t np, int32_t maxcap, int32_t maxlen)
{
    int32_t cap[MAXP];
    for (int32_t p = 0; p < np; p++)
        cap[p] = rng_below(s, maxcap + 1);
    struct inst *t = inst_new(np, cap);
    int32_t perm[MAXC];
    for (int32_t i = 0; i < nc; i++)
        perm[i] = i;
    for (int32_t i = nc - 1; i > 0; i--) {
        int32_t j = rng_below(s, i + 1), x = perm[i];
        perm[i] = perm[j];
        perm[j] = x;
    }
    /* 0: all points equal, 1: small integers, 2: halves, 3: spread out (programs disagree) */
    int style = rng_below(s, 4);
    for (int32_t c = 0; c < nc; c++) {
        t->lot[c] = (int64_t)perm[c] * 3 - 50; /* unique, some negative */
        t->fixed[c] = ALLOC_NONE;
        int32_t len = rng_below(s, (maxlen < np ? maxlen : np) + 1), at = t->start[c];
        int32_t progs[MAXP];
        for (int32_t p = 0; p < np; p++)
            progs[p] = p;
        for (int32_t k = 0; k < len; k++) {
            int32_t j = k + rng_below(s, np - k), x = progs[k];
            progs[k] = progs[j];
            progs[j] = x;
            t->ch[at].program = progs[k];
            t->ch[at].points = style == 0   ? 0
                               : style == 1 ? rng_below(s, 4)
                               : style == 2 ? rng_below(s, 5) * 0.5
                                            : rng_below(s, 1000);
            at++;
        }
        t->nc++;
        t->start[c + 1] = at;
    }
    return t;
}

/* position of program p in child c's list, or -1 */
static int32_t list_pos(const struct inst *t, int32_t c, int32_t p)
{
    for (int32_t k = t->start[c]; k < t->start[c + 1]; k++)
        if (t->ch[k].program == p)
            return k - t->start[c];
    return -1;
}

static double points_at(const struct inst *t, int32_t c, int32_t p)
{
    return t->ch[t->start[c] + list_pos(t, c, p)].points;
}

/* rank of an outcome for child c: its list position, len when unassigned (worse than any) */
static int32_t outcome_rank(const struct inst *t, int32_t c, int32_t p)
{
    return p == ALLOC_NONE ? t->start[c + 1] - t->start[c] : list_pos(t, c, p);
}

/* The properties every result must have: capacity respected; assignments come from the lists
 * (or the fixed place); no blocking pair — no child c and program p it ranks above its own where
 * p has a free seat (waste) or holds a non-fixed child with lower priority than c (justified
 * envy); the cut-offs are the weakest admitted child and explain every refusal. */
static void check_stable(const struct inst *t, const struct alloc_result *r)
{
    int32_t count[MAXP] = {0}, fixed[MAXP] = {0}, admitted[MAXP] = {0};
    for (int32_t c = 0; c < t->nc; c++) {
        int32_t f = t->use_fixed ? t->fixed[c] : ALLOC_NONE, p = r->program[c];
        if (f != ALLOC_NONE) {
            assert_int_equal(p, f);
            fixed[p]++;
        } else if (p != ALLOC_NONE) {
            assert_int_equal(r->choice[c], list_pos(t, c, p));
            admitted[p]++;
        } else {
            assert_int_equal(r->choice[c], ALLOC_NONE);
        }
        if (p != ALLOC_NONE)
            count[p]++;
    }
    for (int32_t p = 0; p < t->np; p++) {
        const struct alloc_cutoff *cut = &r->cutoff[p];
        assert_true(count[p] <= t->cap[p]);
        assert_int_equal(cut->capacity, t->cap[p]);
        assert_int_equal(cut->fixed, fixed[p]);
        assert_int_equal(cut->admitted, admitted[p]);
        assert_int_equal(cut->full, count[p] == t->cap[p]);
        /* the last admitted is the weakest non-fixed child held */
        int32_t last = ALLOC_NONE;
        for (int32_t c = 0; c < t->nc; c++) {
            if (r->program[c] != p || (t->use_fixed && t->fixed[c] != ALLOC_NONE))
                continue;
            if (last == ALLOC_NONE || alloc_priority_cmp(points_at(t, c, p), t->lot[c], c, points_at(t, last, p),
                                                         t->lot[last], last) > 0)
                last = c;
        }
        assert_int_equal(cut->last_child, last);
        if (last != ALLOC_NONE) {
            assert_true(cut->last_points == points_at(t, last, p));
            assert_int_equal(cut->last_lottery, t->lot[last]);
        }
    }
    for (int32_t c = 0; c < t->nc; c++) {
        if (t->use_fixed && t->fixed[c] != ALLOC_NONE)
            continue;
        int32_t own = outcome_rank(t, c, r->program[c]);
        if (r->program[c] != ALLOC_NONE)
            assert_true(alloc_would_admit(&r->cutoff[r->program[c]], points_at(t, c, r->program[c]), t->lot[c], c));
        for (int32_t k = 0; k < own; k++) {
            const struct alloc_choice *ch = &t->ch[t->start[c] + k];
            int32_t p = ch->program;
            assert_int_equal(count[p], t->cap[p]); /* no wasted seat */
            for (int32_t d = 0; d < t->nc; d++) {   /* no justified envy */
                if (r->program[d] != p || (t->use_fixed && t->fixed[d] != ALLOC_NONE))
                    continue;
                assert_true(alloc_priority_cmp(points_at(t, d, p), t->lot[d], d, ch->points, t->lot[c], c) < 0);
            }
            assert_false(alloc_would_admit(&r->cutoff[p], ch->points, t->lot[c], c)); /* the explanation */
        }
    }
}

struct cand {
    double points;
    int64_t lottery;
    int32_t child;
};

static int cand_cmp(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    return alloc_priority_cmp(x->points, x->lottery, x->child, y->points, y->lottery, y->child);
}

/* An independent Gale–Shapley, round by round as in the textbook: every free child proposes to
 * its next program at once, every program keeps its best (seats left) among held and new, the
 * rest are rejected; until nobody proposes. */
static void reference_da(const struct inst *t, int32_t *assign)
{
    int32_t next[MAXC], held_at[MAXC];
    static struct cand pool[MAXP][MAXC];
    int32_t npool[MAXP];
    int32_t seats[MAXP];
    for (int32_t p = 0; p < t->np; p++)
        seats[p] = t->cap[p];
    for (int32_t c = 0; c < t->nc; c++) {
        next[c] = t->start[c];
        held_at[c] = ALLOC_NONE;
        if (t->use_fixed && t->fixed[c] != ALLOC_NONE)
            seats[t->fixed[c]]--;
    }
    for (;;) {
        int any = 0;
        for (int32_t p = 0; p < t->np; p++)
            npool[p] = 0;
        for (int32_t c = 0; c < t->nc; c++)
            if (held_at[c] != ALLOC_NONE)
                pool[held_at[c]][npool[held_at[c]]++] = (struct cand){points_at(t, c, held_at[c]), t->lot[c], c};
        for (int32_t c = 0; c < t->nc; c++) {
            if ((t->use_fixed && t->fixed[c] != ALLOC_NONE) || held_at[c] != ALLOC_NONE || next[c] == t->start[c + 1])
                continue;
            const struct alloc_choice *ch = &t->ch[next[c]++];
            pool[ch->program][npool[ch->program]++] = (struct cand){ch->points, t->lot[c], c};
            any = 1;
        }
        if (!any)
            break;
        for (int32_t p = 0; p < t->np; p++) {
            qsort(pool[p], (size_t)npool[p], sizeof pool[p][0], cand_cmp);
            for (int32_t i = 0; i < npool[p]; i++)
                held_at[pool[p][i].child] = i < seats[p] ? p : ALLOC_NONE;
        }
    }
    for (int32_t c = 0; c < t->nc; c++)
        assign[c] = (t->use_fixed && t->fixed[c] != ALLOC_NONE) ? t->fixed[c] : held_at[c];
}

static void random_instances_are_stable_and_match_reference(void **state)
{
    (void)state;
    uint64_t s = 20261129;
    int32_t assign[MAXC];
    long unassigned = 0, placed = 0;
    for (int iter = 0; iter < 1500; iter++) {
        int32_t nc = 1 + rng_below(&s, iter < 1000 ? 40 : MAXC);
        int32_t np = 1 + rng_below(&s, iter < 1000 ? 8 : MAXP);
        struct inst *t = random_inst(&s, nc, np, iter % 3 == 0 ? 2 : 8, 1 + rng_below(&s, 6));
        struct alloc_result r = solve(t);
        check_stable(t, &r);
        reference_da(t, assign);
        for (int32_t c = 0; c < nc; c++) {
            assert_int_equal(r.program[c], assign[c]);
            if (assign[c] == ALLOC_NONE)
                unassigned++;
            else
                placed++;
        }
        alloc_result_free(&r);
        free(t);
    }
    /* the instances exercise both outcomes */
    assert_true(unassigned > 1000);
    assert_true(placed > 1000);
}

/* Every matching of a small instance: a child gets one program of its list or none. Keeps the
 * stable ones and checks that the engine's result is the child-optimal one: stable, and every
 * child gets there the best outcome it has in any stable matching. */
static void brute_force_child_optimal(void **state)
{
    (void)state;
    uint64_t s = 42;
    long stable_total = 0, multi = 0;
    for (int iter = 0; iter < 6000; iter++) {
        int32_t nc = 1 + rng_below(&s, 6), np = 1 + rng_below(&s, 3);
        struct inst *t = random_inst(&s, nc, np, 2, 3);
        if (iter % 2) {
            /* one seat each, full lists, spread points: programs and children often disagree,
             * which is where several stable matchings exist */
            int32_t at = 0;
            for (int32_t p = 0; p < np; p++)
                t->cap[p] = 1;
            for (int32_t c = 0; c < nc; c++) {
                t->start[c] = at;
                for (int32_t k = 0; k < np; k++) {
                    int32_t j = rng_below(&s, k + 1); /* inside-out shuffle of 0..np-1 */
                    t->ch[at + k] = t->ch[at + j];
                    t->ch[at + j].program = k;
                    t->ch[at + j].points = rng_below(&s, 1000);
                }
                at += np;
            }
            t->start[nc] = at;
        }
        struct alloc_result r = solve(t);
        int32_t best[MAXC], cur[MAXC], opt[MAXC];
        for (int32_t c = 0; c < nc; c++) {
            best[c] = INT32_MAX;
            opt[c] = ALLOC_NONE;
        }
        long combos = 1;
        for (int32_t c = 0; c < nc; c++)
            combos *= t->start[c + 1] - t->start[c] + 1;
        int nstable = 0, dav_is_stable = 0;
        for (long m = 0; m < combos; m++) {
            long x = m;
            int32_t count[MAXP] = {0};
            int ok = 1;
            for (int32_t c = 0; c < nc; c++) {
                int32_t len = t->start[c + 1] - t->start[c], o = (int32_t)(x % (len + 1));
                x /= len + 1;
                cur[c] = o == len ? ALLOC_NONE : t->ch[t->start[c] + o].program;
                if (cur[c] != ALLOC_NONE && ++count[cur[c]] > t->cap[cur[c]])
                    ok = 0;
            }
            if (!ok)
                continue;
            /* blocking pair? */
            for (int32_t c = 0; c < nc && ok; c++) {
                int32_t own = outcome_rank(t, c, cur[c]);
                for (int32_t k = 0; k < own && ok; k++) {
                    const struct alloc_choice *ch = &t->ch[t->start[c] + k];
                    if (count[ch->program] < t->cap[ch->program])
                        ok = 0;
                    for (int32_t d = 0; d < nc && ok; d++)
                        if (cur[d] == ch->program &&
                            alloc_priority_cmp(ch->points, t->lot[c], c, points_at(t, d, ch->program), t->lot[d], d) < 0)
                            ok = 0;
                }
            }
            if (!ok)
                continue;
            nstable++;
            int same = 1;
            for (int32_t c = 0; c < nc; c++) {
                int32_t rk = outcome_rank(t, c, cur[c]);
                if (rk < best[c]) {
                    best[c] = rk;
                    opt[c] = cur[c];
                }
                same &= cur[c] == r.program[c];
            }
            dav_is_stable |= same;
        }
        assert_true(nstable >= 1); /* a stable matching always exists */
        assert_true(dav_is_stable);
        for (int32_t c = 0; c < nc; c++)
            assert_int_equal(r.program[c], opt[c]);
        stable_total += nstable;
        multi += nstable > 1;
        alloc_result_free(&r);
        free(t);
    }
    assert_true(multi > 80); /* some instances had a choice between stable matchings */
    assert_true(stable_total > 6000);
}

/* Renumbering the children (keeping their lottery numbers and lists) changes nothing. */
static void child_order_does_not_matter(void **state)
{
    (void)state;
    uint64_t s = 7;
    for (int iter = 0; iter < 300; iter++) {
        int32_t nc = 2 + rng_below(&s, 150), np = 1 + rng_below(&s, 12);
        struct inst *t = random_inst(&s, nc, np, 6, 5);
        struct inst *u = inst_new(np, t->cap);
        int32_t perm[MAXC];
        for (int32_t i = 0; i < nc; i++)
            perm[i] = nc - 1 - i;
        for (int32_t i = 0; i < nc; i++) { /* u's child i is t's child perm[i] */
            int32_t c = perm[i], at = u->start[i];
            u->lot[i] = t->lot[c];
            u->fixed[i] = ALLOC_NONE;
            for (int32_t k = t->start[c]; k < t->start[c + 1]; k++)
                u->ch[at++] = t->ch[k];
            u->start[i + 1] = at;
            u->nc++;
        }
        struct alloc_result a = solve(t), b = solve(u);
        for (int32_t i = 0; i < nc; i++)
            assert_int_equal(b.program[i], a.program[perm[i]]);
        alloc_result_free(&a);
        alloc_result_free(&b);
        free(t);
        free(u);
    }
}

/* Waitlist re-run: after a round some children accept (fixed), some decline (left out); the
 * re-run keeps accepted places, equals deferred acceptance on the instance with those seats
 * taken away, and leaves every remaining child at least as well off as in the round. */
static void rerun_with_fixed_places(void **state)
{
    (void)state;
    uint64_t s = 99;
    int32_t assign[MAXC];
    long improved = 0;
    for (int iter = 0; iter < 800; iter++) {
        int32_t nc = 2 + rng_below(&s, iter < 400 ? 30 : 300), np = 1 + rng_below(&s, iter < 400 ? 6 : 30);
        struct inst *t = random_inst(&s, nc, np, 5, 5);
        struct alloc_result first = solve(t);
        /* children placed in the round accept (fixed) or decline (list emptied); others wait */
        struct inst *u = inst_new(np, t->cap);
        memcpy(u, t, sizeof *u);
        u->use_fixed = 1;
        int32_t declined[MAXC] = {0};
        for (int32_t c = 0; c < nc; c++) {
            if (first.program[c] == ALLOC_NONE)
                continue;
            int32_t roll = rng_below(&s, 4);
            if (roll == 0)
                u->fixed[c] = first.program[c];
            else if (roll == 1)
                declined[c] = 1;
        }
        /* declining: the child leaves the round (its list is emptied; entries shift down) */
        int32_t at = 0;
        for (int32_t c = 0; c < nc; c++) {
            int32_t from = t->start[c], to = t->start[c + 1];
            u->start[c] = at;
            if (!declined[c])
                for (int32_t k = from; k < to; k++)
                    u->ch[at++] = t->ch[k];
        }
        u->start[nc] = at;
        struct alloc_result again = solve(u);
        check_stable(u, &again);
        reference_da(u, assign);
        for (int32_t c = 0; c < nc; c++) {
            assert_int_equal(again.program[c], assign[c]);
            if (u->fixed[c] != ALLOC_NONE) {
                assert_int_equal(again.program[c], first.program[c]);
            } else if (!declined[c]) {
                int32_t before = outcome_rank(t, c, first.program[c]), after = outcome_rank(t, c, again.program[c]);
                assert_true(after <= before); /* nobody loses a place or moves down */
                improved += after < before;
            } else {
                assert_int_equal(again.program[c], ALLOC_NONE);
            }
        }
        alloc_result_free(&first);
        alloc_result_free(&again);
        free(t);
        free(u);
    }
    assert_true(improved > 50); /* freed places did go to the waitlist */
}

/* ---------------------------------------------------------------- lottery */

static const unsigned char SEED_0_31[32] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15,
                                            16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

static void lottery_known_answers(void **state)
{
    (void)state;
    /* The keystream is ChaCha20 (RFC 8439), key = seed, nonce "LibsodiumDRG", counter 0; the
     * expected values were computed with Python's `cryptography` ChaCha20, independently of
     * libsodium (script in docs/allocation.md). */
    unsigned char ks[16];
    randombytes_buf_deterministic(ks, sizeof ks, SEED_0_31);
    static const unsigned char ks_expect[16] = {0x0d, 0x8e, 0x6c, 0xc6, 0x87, 0x15, 0x64, 0x89,
                                                0x26, 0x73, 0x2e, 0x7e, 0xa7, 0x32, 0x50, 0xcf};
    assert_memory_equal(ks, ks_expect, 16);

    int64_t lot[10];
    struct err e;
    assert_int_equal(alloc_lottery(SEED_0_31, 10, lot, &e), 0);
    static const int64_t expect[10] = {3, 9, 1, 7, 4, 5, 6, 8, 2, 10};
    for (int i = 0; i < 10; i++)
        assert_int_equal(lot[i], expect[i]);

    unsigned char zero[32] = {0};
    assert_int_equal(alloc_lottery(zero, 10, lot, &e), 0);
    static const int64_t expect0[10] = {8, 5, 6, 9, 4, 3, 1, 10, 7, 2};
    for (int i = 0; i < 10; i++)
        assert_int_equal(lot[i], expect0[i]);

    assert_int_equal(alloc_lottery(SEED_0_31, 4, lot, &e), 0);
    static const int64_t expect4[4] = {1, 4, 2, 3};
    for (int i = 0; i < 4; i++)
        assert_int_equal(lot[i], expect4[i]);

    assert_int_equal(alloc_lottery(SEED_0_31, 1, lot, &e), 0);
    assert_int_equal(lot[0], 1);
    assert_int_equal(alloc_lottery(SEED_0_31, 0, lot, &e), 0);
    assert_int_equal(alloc_lottery(SEED_0_31, -1, lot, &e), -1);
}

static void lottery_is_a_permutation_and_fair(void **state)
{
    (void)state;
    enum { N = 5000 };
    int64_t *lot = malloc(N * sizeof *lot), *again = malloc(N * sizeof *again);
    char *seen = calloc(N + 1, 1);
    assert_non_null(lot);
    assert_non_null(again);
    assert_non_null(seen);
    struct err e;
    assert_int_equal(alloc_lottery(SEED_0_31, N, lot, &e), 0);
    for (int i = 0; i < N; i++) {
        assert_true(lot[i] >= 1 && lot[i] <= N);
        assert_false(seen[lot[i]]);
        seen[lot[i]] = 1;
    }
    assert_int_equal(alloc_lottery(SEED_0_31, N, again, &e), 0); /* deterministic */
    assert_memory_equal(lot, again, N * sizeof *lot);
    unsigned char other[32];
    memcpy(other, SEED_0_31, 32);
    other[31] ^= 1;
    assert_int_equal(alloc_lottery(other, N, again, &e), 0);
    int same = 0;
    for (int i = 0; i < N; i++)
        same += lot[i] == again[i];
    assert_true(same < 20); /* about 1 expected */

    /* all 6 orders of 3 children come up about equally over 6000 seeds */
    int freq[6] = {0};
    unsigned char seed[32] = {0};
    for (int k = 0; k < 6000; k++) {
        seed[0] = (unsigned char)k;
        seed[1] = (unsigned char)(k >> 8);
        int64_t l3[3];
        assert_int_equal(alloc_lottery(seed, 3, l3, &e), 0);
        freq[(l3[0] - 1) * 2 + (l3[1] > l3[2])]++;
    }
    for (int i = 0; i < 6; i++)
        assert_true(freq[i] > 850 && freq[i] < 1150);
    free(lot);
    free(again);
    free(seen);
}

static void seed_parse_and_format(void **state)
{
    (void)state;
    unsigned char seed[32];
    char hex[65];
    struct err e;
    assert_int_equal(alloc_seed_parse(" 000102030405060708090A0B0C0D0E0F101112131415161718191a1b1c1d1e1f\n", seed, &e), 0);
    assert_memory_equal(seed, SEED_0_31, 32);
    alloc_seed_format(seed, hex);
    assert_string_equal(hex, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    assert_int_equal(alloc_seed_parse("00", seed, &e), -1);
    assert_string_equal(e.code, "alloc_seed");
    assert_int_equal(alloc_seed_parse("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g", seed, &e), -1);
    assert_int_equal(alloc_seed_parse(NULL, seed, &e), -1);
}

/* ---------------------------------------------------------------- CSV batch and CLI */

static struct alloc_csv *read_text(const char *programs, const char *children, const char *apps,
                                   const unsigned char *seed, struct err *e)
{
    FILE *f[3] = {fmemopen((void *)programs, strlen(programs), "r"), fmemopen((void *)children, strlen(children), "r"),
                  fmemopen((void *)apps, strlen(apps), "r")};
    assert_non_null(f[0]);
    assert_non_null(f[1]);
    assert_non_null(f[2]);
    struct alloc_csv_files in = {f[0], f[1], f[2], "programs.csv", "children.csv", "apps.csv", seed};
    struct alloc_csv *a = NULL;
    int rc = alloc_csv_read(&in, &a, e);
    for (int k = 0; k < 3; k++)
        fclose(f[k]);
    if (rc < 0)
        assert_null(a);
    return a;
}

static char *solve_text(const char *programs, const char *children, const char *apps, const unsigned char *seed,
                        char **cutoffs)
{
    struct err e = {0};
    struct alloc_csv *a = read_text(programs, children, apps, seed, &e);
    if (!a)
        fprintf(stderr, "%s\n", e.message);
    assert_non_null(a);
    assert_int_equal(alloc_csv_solve(a, &e), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    assert_int_equal(alloc_csv_write(a, out), 0);
    fclose(out);
    if (cutoffs) {
        size_t clen = 0;
        out = open_memstream(cutoffs, &clen);
        assert_int_equal(alloc_csv_write_cutoffs(a, out), 0);
        fclose(out);
    }
    alloc_csv_free(a);
    return buf;
}

static void csv_batch(void **state)
{
    (void)state;
    char *cut = NULL;
    /* columns in another order, extra columns, a BOM, CRLF, quoted ids with a comma, spaces */
    char *out = solve_text("\xEF\xBB\xBF" "name,capacity,program_id\r\nA班,1,A\r\nB班,2, B \r\nZ,0,\"Z,0\"\r\n",
                           "lottery,child_id,note\n3,c1,x\n1,c2,\n2,\"c,3\",\n4,c4,\n",
                           "points,program_id,rank,child_id\n10,A,1,c1\n0,B,2,c1\n0,A,1,c2\n0,B,2,c2\n"
                           "2.5,B,1,\"c,3\"\n1,\"Z,0\",2,\"c,3\"\n-1,\"Z,0\",7,c4\n",
                           NULL, &cut);
    assert_string_equal(out, "child_id,program_id\nc1,A\nc2,B\n\"c,3\",B\nc4,\n");
    assert_string_equal(cut, "program_id,capacity,fixed,admitted,full,cutoff_points,cutoff_lottery\n"
                             "A,1,0,1,1,10,3\n"
                             "B,2,0,2,1,0,1\n"
                             "\"Z,0\",0,0,0,1,,\n");
    free(out);
    free(cut);

    /* ranks need not be consecutive nor in file order; fixed places */
    out = solve_text("program_id,capacity\nA,1\nB,1\n", "child_id,lottery,fixed_program_id\nk1,1,\nk2,2,A\nk3,3,\n",
                     "child_id,rank,program_id,points\nk1,20,B,0\nk1,10,A,0\nk3,5,B,0.0\n", NULL, &cut);
    assert_string_equal(out, "child_id,program_id\nk1,B\nk2,A\nk3,\n");
    assert_string_equal(cut, "program_id,capacity,fixed,admitted,full,cutoff_points,cutoff_lottery\n"
                             "A,1,1,0,1,,\nB,1,0,1,1,0,1\n");
    free(out);
    free(cut);

    /* lottery drawn from the seed in file order (known answer for 4 children: 1,4,2,3) */
    out = solve_text("program_id,capacity\nA,1\n", "child_id\nc1\nc2\nc3\nc4\n",
                     "child_id,rank,program_id,points\nc2,1,A,0\nc3,1,A,0\n", SEED_0_31, NULL);
    assert_string_equal(out, "child_id,program_id,lottery\nc1,,1\nc2,,4\nc3,A,2\nc4,,3\n");
    free(out);

    /* children without applications and no programs at all */
    out = solve_text("program_id,capacity\n", "child_id,lottery\nx,5\n", "child_id,rank,program_id,points\n", NULL, NULL);
    assert_string_equal(out, "child_id,program_id\nx,\n");
    free(out);
}

/* points are read exactly as strtod reads them (the fast path for short decimals included) */
static void csv_points_like_strtod(void **state)
{
    (void)state;
    uint64_t s = 3;
    enum { N = 3000 };
    char *apps = malloc(N * 64 + 64), *children = malloc(N * 32 + 32);
    static char texts[N][40];
    assert_non_null(apps);
    assert_non_null(children);
    char *a = apps + sprintf(apps, "child_id,rank,program_id,points\n");
    char *c = children + sprintf(children, "child_id,lottery\n");
    for (int i = 0; i < N; i++) {
        int intd = 1 + rng_below(&s, 12), fracd = rng_below(&s, 10);
        char *t = texts[i];
        if (rng_below(&s, 3) == 0)
            *t++ = rng_below(&s, 2) ? '-' : '+';
        for (int k = 0; k < intd; k++)
            *t++ = (char)('0' + rng_below(&s, 10));
        if (fracd) {
            *t++ = '.';
            for (int k = 0; k < fracd; k++)
                *t++ = (char)('0' + rng_below(&s, 10));
        }
        *t = 0;
        a += sprintf(a, "k%d,1,A, %s\n", i, texts[i]);
        c += sprintf(c, "k%d,%d\n", i, i);
    }
    struct err e = {0};
    struct alloc_csv *ac = read_text("program_id,capacity\nA,1\n", children, apps, NULL, &e);
    assert_non_null(ac);
    const struct alloc_input *in = alloc_csv_input(ac);
    assert_int_equal(in->n_children, N);
    for (int i = 0; i < N; i++) {
        double want = strtod(texts[i], NULL);
        if (memcmp(&in->choices[in->choice_start[i]].points, &want, sizeof want) != 0 &&
            in->choices[in->choice_start[i]].points != want)
            fail_msg("'%s' read as %.17g, strtod %.17g", texts[i], in->choices[in->choice_start[i]].points, want);
    }
    alloc_csv_free(ac);
    free(apps);
    free(children);
}

/* a child listing many programs: the repeat checks switch to a hash set after 32 entries */
static void csv_long_lists(void **state)
{
    (void)state;
    static char programs[4096], apps[8192];
    char *p = programs + sprintf(programs, "program_id,capacity\n");
    for (int i = 0; i < 60; i++)
        p += sprintf(p, "P%d,%d\n", i, i == 3 ? 1 : 0);
    /* k1 lists P0..P49 with ranks 50..1 (so P49 is its first choice); only P3 has a seat */
    char *a = apps + sprintf(apps, "child_id,rank,program_id,points\n");
    for (int i = 0; i < 50; i++)
        a += sprintf(a, "k1,%d,P%d,0\n", 50 - i, i);
    char *good_end = a;
    struct err e = {0};
    struct alloc_csv *ac = read_text(programs, "child_id,lottery\nk1,1\n", apps, NULL, &e);
    assert_non_null(ac);
    const struct alloc_input *in = alloc_csv_input(ac);
    assert_int_equal(in->choice_start[1], 50);
    assert_int_equal(in->choices[0].program, 49);
    assert_int_equal(in->choices[49].program, 0);
    assert_int_equal(alloc_csv_solve(ac, &e), 0);
    assert_int_equal(alloc_csv_result(ac)->program[0], 3);
    assert_int_equal(alloc_csv_result(ac)->choice[0], 46);
    alloc_csv_free(ac);

    sprintf(good_end, "k1,51,P7,0\n"); /* P7 again, line 52; first at line 9 */
    ac = read_text(programs, "child_id,lottery\nk1,1\n", apps, NULL, &e);
    assert_null(ac);
    assert_non_null(strstr(e.message, "apps.csv:52:"));
    assert_non_null(strstr(e.message, "'P7'"));
    assert_non_null(strstr(e.message, "第 9 行"));
    assert_string_equal(e.field, "program_id");

    sprintf(good_end, "k1,17,P55,0\n"); /* rank 17 again (P33, line 35) */
    ac = read_text(programs, "child_id,lottery\nk1,1\n", apps, NULL, &e);
    assert_null(ac);
    assert_non_null(strstr(e.message, "apps.csv:52:"));
    assert_non_null(strstr(e.message, "'17'"));
    assert_non_null(strstr(e.message, "第 35 行"));
    assert_string_equal(e.field, "rank");
}

struct bad_case {
    const char *programs, *children, *apps;
    const char *where; /* "file:line:" */
    const char *value; /* quoted in the message */
};

static const char P_OK[] = "program_id,capacity\nA,2\nB,1\n";
static const char C_OK[] = "child_id,lottery\nc1,1\nc2,2\n";
static const char A_OK[] = "child_id,rank,program_id,points\nc1,1,A,1\nc2,1,B,0\n";

static const struct bad_case BAD[] = {
    {"program_id,capacity\nA,2\nB,-1\n", C_OK, A_OK, "programs.csv:3:", "'-1'"},
    {"program_id,capacity\nA,two\n", C_OK, A_OK, "programs.csv:2:", "'two'"},
    {"program_id,capacity\nA,1.5\n", C_OK, A_OK, "programs.csv:2:", "'1.5'"},
    {"program_id,capacity\nA,\n", C_OK, A_OK, "programs.csv:2:", "''"},
    {"program_id,capacity\nA,1\nB,1\nA,3\n", C_OK, A_OK, "programs.csv:4:", "'A'"},
    {"program_id,capacity\n,1\n", C_OK, A_OK, "programs.csv:2:", "''"},
    {"program_id,seats\nA,1\n", C_OK, A_OK, "programs.csv:1:", "'capacity'"},
    {"", C_OK, A_OK, "programs.csv:1:", NULL},
    {P_OK, "child_id,lottery\nc1,1\nc2,1\n", A_OK, "children.csv:3:", "'1'"},
    {P_OK, "child_id,lottery\nc1,1\nc2,x\n", A_OK, "children.csv:3:", "'x'"},
    {P_OK, "child_id,lottery\nc1,1\nc2,2\nc1,3\n", A_OK, "children.csv:4:", "'c1'"},
    {P_OK, "child_id\nc1\n", A_OK, "children.csv:1:", "'lottery'"},
    {P_OK, "child_id,lottery,fixed_program_id\nc1,1,Q\n", A_OK, "children.csv:2:", "'Q'"},
    {P_OK, "child_id,lottery,fixed_program_id\nc1,1,B\nc2,2,B\n", A_OK, "children.csv:3:", "'B'"},
    {P_OK, C_OK, "child_id,rank,program_id,points\nc1,1,A,1\nc9,1,A,0\n", "apps.csv:3:", "'c9'"},
    {P_OK, C_OK, "child_id,rank,program_id,points\nc1,1,A,1\nc2,1,X,0\n", "apps.csv:3:", "'X'"},
    {P_OK, C_OK, "child_id,rank,program_id,points\nc1,1,A,1\nc1,1,B,0\n", "apps.csv:3:", "'1'"},
    {P_OK, C_OK, "child_id,rank,program_id,points\nc1,1,A,1\nc2,1,A,0\nc1,2,A,0\n", "apps.csv:4:", "第 2 行"},
    {P_OK, C_OK, "child_id,rank,program_id,points\nc1,0,A,1\n", "apps.csv:2:", "'0'"},
    {P_OK, C_OK, "child_id,rank,program_id,points\nc1,first,A,1\n", "apps.csv:2:", "'first'"},
    {P_OK, C_OK, "child_id,rank,program_id,points\nc1,1,A,lots\n", "apps.csv:2:", "'lots'"},
    {P_OK, C_OK, "child_id,rank,program_id,points\nc1,1,A,1e3\n", "apps.csv:2:", "'1e3'"},
    {P_OK, C_OK, "child_id,rank,program_id,points\nc1,1,A,nan\n", "apps.csv:2:", "'nan'"},
    {P_OK, C_OK, "child_id,rank,program_id,points\nc1,1,A,\n", "apps.csv:2:", "''"},
    {P_OK, C_OK, "child_id,rank,program_id\nc1,1,A\n", "apps.csv:1:", "'points'"},
    {P_OK, C_OK, "child_id,rank,program_id,points\n\"c1,1,A,1\n", "apps.csv", NULL},
};

static void csv_bad_input(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        struct err e = {0};
        struct alloc_csv *a = read_text(BAD[i].programs, BAD[i].children, BAD[i].apps, NULL, &e);
        if (a || !strstr(e.message, BAD[i].where) || (BAD[i].value && !strstr(e.message, BAD[i].value)))
            fail_msg("case %zu: message '%s', wanted %s and %s", i, e.message, BAD[i].where,
                     BAD[i].value ? BAD[i].value : "-");
        assert_int_equal(e.status, 400);
    }
}

/* run cmd_allocate with stdout and stderr captured */
static int run_cli(int argc, char **argv, char *out, size_t outn, char *errs, size_t errn)
{
    fflush(stdout);
    fflush(stderr);
    FILE *fo = tmpfile(), *fe = tmpfile();
    assert_non_null(fo);
    assert_non_null(fe);
    int so = dup(1), se = dup(2);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    int rc = cmd_allocate(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    rewind(fo);
    rewind(fe);
    size_t n = fread(out, 1, outn - 1, fo);
    out[n] = 0;
    n = fread(errs, 1, errn - 1, fe);
    errs[n] = 0;
    fclose(fo);
    fclose(fe);
    return rc;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void cli_good_and_bad(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_alloc_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[256], c[256], a[256], co[256], out[4096], errs[4096];
    snprintf(p, sizeof p, "%s/programs.csv", dir);
    snprintf(c, sizeof c, "%s/children.csv", dir);
    snprintf(a, sizeof a, "%s/apps.csv", dir);
    snprintf(co, sizeof co, "%s/cutoffs.csv", dir);
    write_file(p, "program_id,capacity\nP1,1\nP2,0\n");
    write_file(c, "child_id,lottery\nx,2\ny,1\n");
    write_file(a, "child_id,rank,program_id,points\nx,1,P1,3\ny,1,P1,0\ny,2,P2,9\n");

    char *ok[] = {"allocate", "--programs", p, "--children", c, "--applications", a, "--cutoffs", co};
    assert_int_equal(run_cli(9, ok, out, sizeof out, errs, sizeof errs), 0);
    assert_string_equal(out, "child_id,program_id\nx,P1\ny,\n");
    assert_string_equal(errs, "");
    FILE *f = fopen(co, "r");
    assert_non_null(f);
    char line[200];
    assert_non_null(fgets(line, sizeof line, f));
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "P1,1,0,1,1,3,2\n");
    fclose(f);

    char seed_opt[] = "--seed=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    char *seeded[] = {"allocate", "--programs", p, "--children", c, "--applications", a, seed_opt};
    assert_int_equal(run_cli(8, seeded, out, sizeof out, errs, sizeof errs), 0);
    assert_string_equal(out, "child_id,program_id,lottery\nx,P1,1\ny,,2\n");

    /* bad input: exit 2, the file, line and value on stderr, nothing on stdout */
    write_file(a, "child_id,rank,program_id,points\nx,1,P1,3\ny,1,P1,0\ny,2,P1,9\n");
    assert_int_equal(run_cli(7, ok, out, sizeof out, errs, sizeof errs), 2);
    assert_string_equal(out, "");
    char where[300];
    snprintf(where, sizeof where, "%s:4:", a);
    assert_non_null(strstr(errs, where));
    assert_non_null(strstr(errs, "'P1'"));

    write_file(c, "child_id,lottery\nx,2\ny,2\n");
    assert_int_equal(run_cli(7, ok, out, sizeof out, errs, sizeof errs), 2);
    assert_string_equal(out, "");
    snprintf(where, sizeof where, "%s:3:", c);
    assert_non_null(strstr(errs, where));

    /* usage errors */
    char *missing[] = {"allocate", "--programs", p, "--children", c};
    assert_int_equal(run_cli(5, missing, out, sizeof out, errs, sizeof errs), 2);
    assert_string_equal(out, "");
    char *noval[] = {"allocate", "--programs"};
    assert_int_equal(run_cli(2, noval, out, sizeof out, errs, sizeof errs), 2);
    char *unknown[] = {"allocate", "--frobnicate"};
    assert_int_equal(run_cli(2, unknown, out, sizeof out, errs, sizeof errs), 2);
    char nofile[300];
    snprintf(nofile, sizeof nofile, "%s/nope.csv", dir);
    char *absent[] = {"allocate", "--programs", nofile, "--children", c, "--applications", a};
    assert_int_equal(run_cli(7, absent, out, sizeof out, errs, sizeof errs), 2);
    assert_non_null(strstr(errs, nofile));
    char badseed[] = "--seed=abc";
    char *bs[] = {"allocate", "--programs", p, "--children", c, "--applications", a, badseed};
    assert_int_equal(run_cli(8, bs, out, sizeof out, errs, sizeof errs), 2);
    char *help[] = {"allocate", "--help"};
    assert_int_equal(run_cli(2, help, out, sizeof out, errs, sizeof errs), 0);
    assert_non_null(strstr(out, "order of children.csv"));

    unlink(p);
    unlink(c);
    unlink(a);
    unlink(co);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_then_lottery),
        cmocka_unit_test(points_are_per_program),
        cmocka_unit_test(rejection_chain),
        cmocka_unit_test(child_optimal_not_program_optimal),
        cmocka_unit_test(zero_capacity_and_empty_lists),
        cmocka_unit_test(empty_instance),
        cmocka_unit_test(bad_input_is_refused),
        cmocka_unit_test(fixed_places_stay),
        cmocka_unit_test(priority_order),
        cmocka_unit_test(random_instances_are_stable_and_match_reference),
        cmocka_unit_test(brute_force_child_optimal),
        cmocka_unit_test(child_order_does_not_matter),
        cmocka_unit_test(rerun_with_fixed_places),
        cmocka_unit_test(lottery_known_answers),
        cmocka_unit_test(lottery_is_a_permutation_and_fair),
        cmocka_unit_test(seed_parse_and_format),
        cmocka_unit_test(csv_batch),
        cmocka_unit_test(csv_points_like_strtod),
        cmocka_unit_test(csv_long_lists),
        cmocka_unit_test(csv_bad_input),
        cmocka_unit_test(cli_good_and_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
