/* alloc_bench.c — benchmark of the allocation engine (issue 5): a generated district of
 * N children (default 100,000) each ranking 5 of P programs (default 1,500), timed through
 * alloc_run(); and the same instance written as CSV files for timing `tuoyu allocate`.
 *
 *   alloc_bench run [N] [P] [REPEAT]   time the lottery and alloc_run (min and median of REPEAT)
 *   alloc_bench csv DIR [N] [P] [SEED] write DIR/programs.csv, children.csv, applications.csv
 *
 * The instance (fixed PRNG seed, so every run and machine sees the same one): capacities 0..100
 * (in general 0..2m with m = 0.75 N / P; so about 75,000 seats for 100,000 children; 1 in 50
 * programs has 0 seats);
 * programs chosen with a skewed popularity (weight 1/(1 + p/60), the first programs are the
 * sought-after ones), which makes long rejection chains; points per child from a points table
 * (多孩 10, both parents working 5, local residence 8, disability 20, 低保 15) plus per program
 * (sibling there 10, same town 5); lottery numbers from a fixed seed through alloc_lottery(). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc/alloc.h"
#include "alloc/lottery.h"

#define CHOICES 5

static uint64_t rng(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double unif(uint64_t *s) { return (double)(rng(s) >> 11) * 0x1.0p-53; }

struct instance {
    int32_t np, nc;
    int32_t *capacity;
    int64_t *lottery;
    int32_t *start;
    struct alloc_choice *choices;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "alloc_bench: out of memory\n");
        exit(1);
    }
    return p;
}

static struct instance generate(int32_t nc, int32_t np, uint64_t s)
{
    struct instance in = {np, nc, xmalloc((size_t)np * 4), xmalloc((size_t)nc * 8), xmalloc(((size_t)nc + 1) * 4),
                          xmalloc((size_t)nc * CHOICES * sizeof(struct alloc_choice))};
    double *cum = xmalloc((size_t)np * sizeof *cum), total = 0;
    int64_t mean_cap = (int64_t)(0.75 * nc / np); /* seats for about 3 children in 4 */
    if (mean_cap < 1)
        mean_cap = 1;
    for (int32_t p = 0; p < np; p++) {
        in.capacity[p] = rng(&s) % 50 == 0 ? 0 : (int32_t)(rng(&s) % (uint64_t)(2 * mean_cap + 1));
        total += 1.0 / (1.0 + p / 60.0);
        cum[p] = total;
    }
    int32_t at = 0;
    for (int32_t c = 0; c < nc; c++) {
        in.start[c] = at;
        double base = (unif(&s) < 0.3 ? 10 : 0) + (unif(&s) < 0.6 ? 5 : 0) + (unif(&s) < 0.7 ? 8 : 0) +
                      (unif(&s) < 0.01 ? 20 : 0) + (unif(&s) < 0.02 ? 15 : 0);
        int32_t len = np < CHOICES ? np : CHOICES;
        for (int32_t k = 0; k < len; k++) {
            int32_t p;
            int dup;
            do { /* popularity-weighted draw, without repeats */
                double x = unif(&s) * total;
                int32_t lo = 0, hi = np - 1;
                while (lo < hi) {
                    int32_t mid = (lo + hi) / 2;
                    if (cum[mid] < x)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                p = lo;
                dup = 0;
                for (int32_t j = in.start[c]; j < at; j++)
                    dup |= in.choices[j].program == p;
            } while (dup);
            in.choices[at].program = p;
            in.choices[at].points = base + (unif(&s) < 0.03 ? 10 : 0) + (unif(&s) < 0.25 ? 5 : 0);
            at++;
        }
    }
    in.start[nc] = at;
    free(cum);
    unsigned char seed[ALLOC_SEED_BYTES];
    for (int i = 0; i < ALLOC_SEED_BYTES; i++)
        seed[i] = (unsigned char)i;
    struct err e;
    if (alloc_lottery(seed, nc, in.lottery, &e) < 0) {
        fprintf(stderr, "alloc_bench: %s\n", e.message);
        exit(1);
    }
    return in;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run(int32_t nc, int32_t np, int repeat)
{
    struct instance in = generate(nc, np, 5);
    struct alloc_input ai = {.n_programs = np, .capacity = in.capacity, .n_children = nc, .lottery = in.lottery,
                             .choice_start = in.start, .choices = in.choices};
    double *ms = xmalloc((size_t)repeat * sizeof *ms), *cpu_ms = xmalloc((size_t)repeat * sizeof *cpu_ms), *lot_ms = xmalloc((size_t)repeat * sizeof *lot_ms);
    int64_t *lot = xmalloc((size_t)nc * sizeof *lot);
    unsigned char seed[ALLOC_SEED_BYTES] = {1};
    uint64_t check = 0;
    int64_t placed = 0, first = 0, proposals = 0;
    for (int r = 0; r < repeat; r++) {
        struct err e;
        double t0 = now();
        if (alloc_lottery(seed, nc, lot, &e) < 0)
            return 1;
        double t1 = now(), c1 = cpu_now();
        struct alloc_result res;
        if (alloc_run(&ai, &res, &e) < 0) {
            fprintf(stderr, "alloc_bench: %s\n", e.message);
            return 1;
        }
        double t2 = now(), c2 = cpu_now();
        cpu_ms[r] = (c2 - c1) * 1e3;
        lot_ms[r] = (t1 - t0) * 1e3;
        ms[r] = (t2 - t1) * 1e3;
        check = 0;
        placed = first = 0;
        for (int32_t c = 0; c < nc; c++) {
            check = check * 31 + (uint64_t)(res.program[c] + 1);
            placed += res.program[c] != ALLOC_NONE;
            first += res.choice[c] == 0;
        }
        proposals = res.proposals;
        alloc_result_free(&res);
    }
    qsort(ms, (size_t)repeat, sizeof *ms, cmp_double);
    qsort(cpu_ms, (size_t)repeat, sizeof *cpu_ms, cmp_double);
    qsort(lot_ms, (size_t)repeat, sizeof *lot_ms, cmp_double);
    int64_t seats = 0;
    for (int32_t p = 0; p < np; p++)
        seats += in.capacity[p];
    printf("alloc_run: %d children x %d choices, %d programs, %" PRId64 " seats: min %.1f ms, median %.1f ms, "
           "max %.1f ms over %d runs\n",
           (int)nc, CHOICES, (int)np, seats, ms[0], ms[repeat / 2], ms[repeat - 1], repeat);
    printf("  CPU time of alloc_run (excludes time the thread waited for a core): min %.1f ms, median %.1f ms\n",
           cpu_ms[0], cpu_ms[repeat / 2]);
    printf("  placed %" PRId64 ", at first choice %" PRId64 ", proposals %" PRId64 ", checksum %016" PRIx64 "\n",
           placed, first, proposals, check);
    printf("alloc_lottery: %d numbers: min %.2f ms, median %.2f ms\n", (int)nc, lot_ms[0], lot_ms[repeat / 2]);
    free(ms);
    free(cpu_ms);
    free(lot_ms);
    free(lot);
    return 0;
}

static int write_csv(const char *dir, int32_t nc, int32_t np, uint64_t seed)
{
    struct instance in = generate(nc, np, seed);
    char path[4096];
    snprintf(path, sizeof path, "%s/programs.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return perror(path), 1;
    fputs("program_id,capacity\n", f);
    for (int32_t p = 0; p < np; p++)
        fprintf(f, "P%05d,%d\n", (int)p, (int)in.capacity[p]);
    fclose(f);
    snprintf(path, sizeof path, "%s/children.csv", dir);
    if (!(f = fopen(path, "w")))
        return perror(path), 1;
    fputs("child_id,lottery\n", f);
    for (int32_t c = 0; c < nc; c++)
        fprintf(f, "C%06d,%" PRId64 "\n", (int)c, in.lottery[c]);
    fclose(f);
    snprintf(path, sizeof path, "%s/applications.csv", dir);
    if (!(f = fopen(path, "w")))
        return perror(path), 1;
    fputs("child_id,rank,program_id,points\n", f);
    for (int32_t c = 0; c < nc; c++)
        for (int32_t k = in.start[c]; k < in.start[c + 1]; k++)
            fprintf(f, "C%06d,%d,P%05d,%g\n", (int)c, (int)(k - in.start[c] + 1), (int)in.choices[k].program,
                    in.choices[k].points);
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "run") == 0) {
        int32_t nc = argc > 2 ? atoi(argv[2]) : 100000, np = argc > 3 ? atoi(argv[3]) : 1500;
        int repeat = argc > 4 ? atoi(argv[4]) : 11;
        return run(nc, np, repeat < 1 ? 1 : repeat);
    }
    if (argc >= 3 && strcmp(argv[1], "csv") == 0) {
        int32_t nc = argc > 3 ? atoi(argv[3]) : 100000, np = argc > 4 ? atoi(argv[4]) : 1500;
        return write_csv(argv[2], nc, np, argc > 5 ? strtoull(argv[5], NULL, 10) : 5);
    }
    fprintf(stderr, "usage: alloc_bench run [N] [P] [REPEAT] | alloc_bench csv DIR [N] [P] [SEED]\n");
    return 2;
}
