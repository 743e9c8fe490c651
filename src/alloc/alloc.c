/* alloc.c — child-proposing deferred acceptance (Gale–Shapley) for enrolment rounds.
 *
 * Each program keeps the children it tentatively holds in a binary heap whose top is the
 * lowest-priority holder, sized min(seats left after fixed places, number of applicants), all
 * heaps in one array. A free child proposes to the next program on its list: a program with a
 * free seat holds it; a full one compares it with its top and keeps the better of the two, and
 * the child turned away proposes further down its own list. Every child proposes to each program
 * at most once, so the work is O(E log C) for E list entries and C seats per program; the result
 * does not depend on the order of proposals (it is the child-optimal stable matching). */
#include "alloc/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* a child held by a program: its priority there, and where its list stands (so a child turned
 * out continues without touching any per-child array: one cache line, not four) */
struct held {
    double points;
    int64_t lottery;
    int32_t child;
    int32_t k;   /* the list entry this proposal came from */
    int32_t end; /* end of the child's list */
    int32_t pad;
};

int alloc_priority_cmp(double points_a, int64_t lottery_a, int32_t child_a, double points_b,
                       int64_t lottery_b, int32_t child_b)
{
    if (points_a != points_b)
        return points_a > points_b ? -1 : 1;
    if (lottery_a != lottery_b)
        return lottery_a < lottery_b ? -1 : 1;
    if (child_a != child_b)
        return child_a < child_b ? -1 : 1;
    return 0;
}

int alloc_would_admit(const struct alloc_cutoff *c, double points, int64_t lottery, int32_t child)
{
    if (!c->full)
        return 1;
    if (c->admitted == 0)
        return 0;
    return alloc_priority_cmp(points, lottery, child, c->last_points, c->last_lottery, c->last_child) <= 0;
}

/* a goes after b at the program (lower priority) */
static inline int held_after(const struct held *a, const struct held *b)
{
    if (a->points != b->points)
        return a->points < b->points;
    if (a->lottery != b->lottery)
        return a->lottery > b->lottery;
    return a->child > b->child;
}

/* heap of n entries, top = the entry that goes last */
static void heap_up(struct held *h, int32_t i)
{
    struct held x = h[i];
    while (i > 0) {
        int32_t parent = (i - 1) / 2;
        if (!held_after(&x, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = x;
}

static void heap_down(struct held *h, int32_t n, int32_t i)
{
    struct held x = h[i];
    for (;;) {
        int32_t l = 2 * i + 1;
        if (l >= n)
            break;
        int32_t r = l + 1;
        int32_t m = (r < n && held_after(&h[r], &h[l])) ? r : l;
        if (!held_after(&h[m], &x))
            break;
        h[i] = h[m];
        i = m;
    }
    h[i] = x;
}

void alloc_result_free(struct alloc_result *r)
{
    if (!r)
        return;
    free(r->program);
    free(r->choice);
    free(r->cutoff);
    memset(r, 0, sizeof *r);
}

static int check_input(const struct alloc_input *in, struct err *e)
{
    if (in->n_programs < 0 || in->n_children < 0)
        return err_set(e, 400, "alloc_input", "", "托班数或儿童数为负数");
    if ((in->n_programs > 0 && !in->capacity) ||
        (in->n_children > 0 && (!in->lottery || !in->choice_start)))
        return err_set(e, 400, "alloc_input", "", "缺少输入数组");
    for (int32_t p = 0; p < in->n_programs; p++)
        if (in->capacity[p] < 0)
            return err_set(e, 400, "alloc_input", "capacity", "托班 %d 的容量为负数：%d", (int)p,
                           (int)in->capacity[p]);
    if (in->n_children > 0) {
        if (in->choice_start[0] != 0)
            return err_set(e, 400, "alloc_input", "choice_start", "choice_start[0] 须为 0");
        for (int32_t c = 0; c < in->n_children; c++)
            if (in->choice_start[c + 1] < in->choice_start[c])
                return err_set(e, 400, "alloc_input", "choice_start", "儿童 %d 的志愿区间无效", (int)c);
        if (in->choice_start[in->n_children] > 0 && !in->choices)
            return err_set(e, 400, "alloc_input", "choices", "缺少志愿数组");
    }
    for (int32_t c = 0; c < in->n_children; c++) {
        for (int32_t k = in->choice_start[c]; k < in->choice_start[c + 1]; k++) {
            int32_t p = in->choices[k].program;
            if (p < 0 || p >= in->n_programs)
                return err_set(e, 400, "alloc_input", "program", "儿童 %d 的第 %d 志愿托班编号越界：%d",
                               (int)c, (int)(k - in->choice_start[c] + 1), (int)p);
            if (!isfinite(in->choices[k].points))
                return err_set(e, 400, "alloc_input", "points", "儿童 %d 的第 %d 志愿积分不是有限数",
                               (int)c, (int)(k - in->choice_start[c] + 1));
        }
        if (in->fixed && in->fixed[c] != ALLOC_NONE && (in->fixed[c] < 0 || in->fixed[c] >= in->n_programs))
            return err_set(e, 400, "alloc_input", "fixed", "儿童 %d 的已录取托班编号越界：%d", (int)c,
                           (int)in->fixed[c]);
    }
    return 0;
}

int alloc_run(const struct alloc_input *in, struct alloc_result *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (check_input(in, e) < 0)
        return -1;
    const int32_t np = in->n_programs, nc = in->n_children;
    const struct alloc_choice *choices = in->choices;
    const int32_t *start = in->choice_start;

    out->n_children = nc;
    out->n_programs = np;
    out->program = malloc(((size_t)nc + 1) * sizeof *out->program);
    out->choice = malloc(((size_t)nc + 1) * sizeof *out->choice);
    out->cutoff = calloc((size_t)np + 1, sizeof *out->cutoff);
    /* per program: heap offset, heap size, seats free for proposers; "seen" marks duplicates */
    int32_t *heap_at = malloc(((size_t)np + 1) * sizeof *heap_at);
    int32_t *heap_len = calloc((size_t)np + 1, sizeof *heap_len);
    int32_t *seats = malloc(((size_t)np + 1) * sizeof *seats);
    int32_t *seen = malloc(((size_t)np + 1) * sizeof *seen);
    struct held *heap = NULL;
    if (!out->program || !out->choice || !out->cutoff || !heap_at || !heap_len || !seats || !seen)
        goto nomem;

    for (int32_t p = 0; p < np; p++) {
        out->cutoff[p].capacity = in->capacity[p];
        out->cutoff[p].last_child = ALLOC_NONE;
        seen[p] = ALLOC_NONE;
    }
    /* fixed places first: they take seats and are never moved */
    for (int32_t c = 0; c < nc; c++) {
        out->program[c] = ALLOC_NONE;
        out->choice[c] = ALLOC_NONE;
        int32_t f = in->fixed ? in->fixed[c] : ALLOC_NONE;
        if (f != ALLOC_NONE) {
            out->program[c] = f;
            out->cutoff[f].fixed++;
        }
    }
    for (int32_t p = 0; p < np; p++) {
        if (out->cutoff[p].fixed > in->capacity[p]) {
            err_set(e, 400, "alloc_input", "fixed", "托班 %d 的已录取人数 %d 超过容量 %d", (int)p,
                    (int)out->cutoff[p].fixed, (int)in->capacity[p]);
            goto fail;
        }
        seats[p] = in->capacity[p] - out->cutoff[p].fixed;
    }
    /* applicants per program (children who propose), checking each list for repeats; the heap of
     * a program never holds more than its applicants, so the heaps fit in E entries */
    for (int32_t c = 0; c < nc; c++) {
        int proposes = out->program[c] == ALLOC_NONE;
        for (int32_t k = start[c]; k < start[c + 1]; k++) {
            int32_t p = choices[k].program;
            if (seen[p] == c) {
                err_set(e, 400, "alloc_input", "program", "儿童 %d 的志愿中托班 %d 出现两次", (int)c, (int)p);
                goto fail;
            }
            seen[p] = c;
            if (proposes)
                heap_len[p]++;
            else if (p == out->program[c])
                out->choice[c] = k - start[c];
        }
    }
    int64_t total = 0;
    for (int32_t p = 0; p < np; p++) {
        int32_t room = heap_len[p] < seats[p] ? heap_len[p] : seats[p];
        heap_at[p] = (int32_t)total;
        total += room;
        seats[p] = room;
        heap_len[p] = 0;
    }
    heap = malloc(((size_t)total + 1) * sizeof *heap);
    if (!heap)
        goto nomem;

    /* each free child in turn proposes down its list; a child turned out of a seat continues
     * from where it had got to */
    int64_t proposals = 0;
    for (int32_t c0 = 0; c0 < nc; c0++) {
        if (out->program[c0] != ALLOC_NONE)
            continue;
        struct held x = {0, in->lottery[c0], c0, start[c0], start[c0 + 1], 0};
        while (x.k < x.end) {
            proposals++;
            int32_t p = choices[x.k].program;
            x.points = choices[x.k].points;
            struct held *h = heap + heap_at[p];
            if (heap_len[p] < seats[p]) {
                h[heap_len[p]] = x;
                heap_up(h, heap_len[p]);
                heap_len[p]++;
                break;
            }
            if (seats[p] > 0 && held_after(&h[0], &x)) {
                struct held turned_out = h[0];
                h[0] = x;
                heap_down(h, heap_len[p], 0);
                x = turned_out;
            }
            x.k++;
        }
    }

    for (int32_t p = 0; p < np; p++) {
        struct alloc_cutoff *cut = &out->cutoff[p];
        const struct held *h = heap + heap_at[p];
        for (int32_t i = 0; i < heap_len[p]; i++) {
            int32_t c = h[i].child;
            out->program[c] = p;
            out->choice[c] = h[i].k - start[c];
        }
        cut->admitted = heap_len[p];
        cut->full = cut->fixed + cut->admitted == cut->capacity;
        if (heap_len[p] > 0) {
            cut->last_child = h[0].child;
            cut->last_points = h[0].points;
            cut->last_lottery = h[0].lottery;
        }
    }
    out->proposals = proposals;
    free(heap);
    free(heap_at);
    free(heap_len);
    free(seats);
    free(seen);
    return 0;

nomem:
    err_set(e, 500, "alloc_nomem", "", "内存不足");
fail:
    free(heap);
    free(heap_at);
    free(heap_len);
    free(seats);
    free(seen);
    alloc_result_free(out);
    return -1;
}
