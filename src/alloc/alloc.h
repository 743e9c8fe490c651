/* alloc.h — the allocation engine of enrolment rounds (入托一件事, issue 5 part 4): child-proposing
 * (family-proposing) deferred acceptance with priority points per child and program and a single
 * public lottery for ties, places already accepted kept fixed for waitlist re-runs, and each
 * program's cut-off so every family can be told why. Pure C: no I/O, no clock, no globals;
 * thread-safe (each call works on its own memory). The lottery generator is in alloc/lottery.h,
 * the CSV batch form (`tuoyu allocate`) in alloc/alloc_csv.h; docs/allocation.md has the rules.
 *
 * Everything is addressed by index: programs 0..n_programs-1, children 0..n_children-1.
 * Child i's rank list is choices[choice_start[i] .. choice_start[i+1]), first choice first.
 *
 * Priority at a program (who goes first when seats are short): higher points first, then the lower
 * lottery number, then — only if the caller passed equal lottery numbers, which a real round never
 * does — the lower child index. This is a strict order, so the result is unique: the
 * child-optimal stable matching (every child gets the best program it can get in any stable
 * matching; no child envies another at a program where it has higher priority; no seat is left
 * free at a program some child prefers to its own).
 *
 *   struct alloc_input in = {.n_programs = np, .capacity = cap, .n_children = nc,
 *                            .lottery = lot, .choice_start = start, .choices = ch};
 *   struct alloc_result res;
 *   if (alloc_run(&in, &res, &e) < 0) ...  (e.code: alloc_input, alloc_nomem)
 *   ... res.program[i], res.choice[i], res.cutoff[p] ...
 *   alloc_result_free(&res);
 *
 * Waitlist re-runs (part 5): pass fixed[i] = the program where child i holds an accepted place.
 * Fixed children keep it and use one of its seats; they make no proposals. Children whose
 * applications were withdrawn, declined or lapsed are left out by the caller (empty rank list, or
 * the declined program removed from the list). Re-running deferred acceptance with a child removed
 * or a seat added never makes any other child worse off, so pending offers stay valid or improve.
 */
#ifndef TUOYU_ALLOC_H
#define TUOYU_ALLOC_H

#include <stdint.h>

#include "base/err.h"

#define ALLOC_NONE (-1) /* no program / no choice / no child */

/* One entry of a child's rank list. */
struct alloc_choice {
    int32_t program; /* program index, 0..n_programs-1; a program appears at most once per child */
    double points;   /* the child's priority points at this program (finite; higher goes first) */
};

struct alloc_input {
    int32_t n_programs;
    const int32_t *capacity;     /* [n_programs] seats, >= 0, fixed places included */
    int32_t n_children;
    const int64_t *lottery;      /* [n_children] lottery numbers (lower goes first), unique */
    const int32_t *choice_start; /* [n_children + 1], non-decreasing, choice_start[0] = 0 */
    const struct alloc_choice *choices; /* [choice_start[n_children]] */
    const int32_t *fixed;        /* optional [n_children]: program index or ALLOC_NONE; NULL = none */
};

/* Per program: what the run filled and the last admitted child (the cut-off). */
struct alloc_cutoff {
    int32_t capacity;     /* as given */
    int32_t fixed;        /* seats held by fixed children */
    int32_t admitted;     /* children admitted by this run (fixed ones not counted) */
    int full;             /* 1 when fixed + admitted == capacity (0 seats counts as full) */
    int32_t last_child;   /* lowest-priority child admitted by this run, ALLOC_NONE if admitted == 0 */
    double last_points;   /* that child's points here (0 when none) */
    int64_t last_lottery; /* that child's lottery number (0 when none) */
};

struct alloc_result {
    int32_t n_children, n_programs;
    int32_t *program;            /* [n_children] assigned program, or ALLOC_NONE */
    int32_t *choice;             /* [n_children] position of it in the child's list (0 = first
                                    choice); ALLOC_NONE when unassigned, or fixed at a program
                                    that is not in its list */
    struct alloc_cutoff *cutoff; /* [n_programs] */
    int64_t proposals;           /* number of proposals made (work done; for benchmarks) */
};

/* Run deferred acceptance. On success returns 0 and fills *out (free with alloc_result_free).
 * Returns -1 with e filled (status 400, code "alloc_input") on invalid input: negative counts or
 * capacity, a bad choice_start, a program index out of range, a program twice in one list,
 * non-finite points, a fixed program out of range, or more fixed children than seats; or
 * (status 500, code "alloc_nomem") when memory runs out. *out is then zeroed. */
int alloc_run(const struct alloc_input *in, struct alloc_result *out, struct err *e);

/* Free what alloc_run allocated; safe on a zeroed or already freed result. */
void alloc_result_free(struct alloc_result *r);

/* The priority order at one program: < 0 when (points_a, lottery_a, child_a) goes before
 * (points_b, lottery_b, child_b), > 0 when after, 0 when identical. */
int alloc_priority_cmp(double points_a, int64_t lottery_a, int32_t child_a, double points_b,
                       int64_t lottery_b, int32_t child_b);

/* Would a child with these points and lottery number have been admitted to the program of this
 * cut-off, had it applied there and preferred it? 1 when the program was not full or the child
 * goes before the last admitted child; 0 otherwise. This is the "why" told to families: a child
 * was refused at a program it ranked higher only because that program was full of children with
 * higher priority (points, then lottery). */
int alloc_would_admit(const struct alloc_cutoff *c, double points, int64_t lottery, int32_t child);

#endif
