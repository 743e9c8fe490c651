/* growth_bench.c — throughput of the growth engine: all indicators (z-score, flag, percentile)
 * for N generated measurements (default 1,000,000) on one core, WHO 2006 standards and WHO 2007
 * reference. Built and run by bench/growth.sh. The generator is deterministic (splitmix64), so
 * every run computes the same values; the checksum printed at the end shows it. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "growth/growth.h"

struct rng {
    uint64_t s;
};
static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double uniform(struct rng *r) { return (double)(rng_next(r) >> 11) / 9007199254740992.0; }
static double gauss(struct rng *r)
{
    double u = uniform(r) + 1e-12, v = uniform(r);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}
static double round_to(double x, double step) { return floor(x / step + 0.5) * step; }

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    struct growth_input *in = malloc(sizeof *in * (size_t)n);
    struct growth07_input *in07 = malloc(sizeof *in07 * (size_t)n);
    if (!in || !in07) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    struct rng r = {42};
    for (long i = 0; i < n; i++) {
        double age = floor(uniform(&r) * 1827);
        double len = age < 600 ? 50 + age * 0.035 : 71 + age * 0.0215;
        len = round_to(len + gauss(&r) * 3.5, 0.1);
        in[i] = (struct growth_input){
            .sex = 1 + (int)(rng_next(&r) & 1),
            .age = age,
            .weight_kg = round_to(3.3 + len * len * len / 100000.0 * 0.9 + gauss(&r) * 1.2, 0.01),
            .lenhei_cm = len,
            .measure = age < 731 ? 'l' : 'h',
            .headc_cm = round_to(35 + 13 * (1 - exp(-age / 300)) + gauss(&r) * 1.5, 0.1),
            .armc_cm = round_to(15 + gauss(&r) * 1.3, 0.1),
            .triskin_mm = round_to(9 + gauss(&r) * 2, 0.1),
            .subskin_mm = round_to(7 + gauss(&r) * 1.5, 0.1),
            .oedema = (rng_next(&r) % 1000) == 0,
        };
        double m = 60 + uniform(&r) * 168;
        double h = round_to(110 + (m - 60) * 0.35 + gauss(&r) * 6, 0.1);
        in07[i] = (struct growth07_input){.sex = 1 + (int)(rng_next(&r) & 1), .age_months = round_to(m, 0.01),
                                          .height_cm = h, .weight_kg = round_to(h * h / 10000 * (15.5 + gauss(&r) * 2), 0.1)};
    }

    struct growth_result res;
    struct growth07_result res07;
    struct err e;
    long values = 0, computed = 0;
    double checksum = 0;
    double t0 = seconds();
    for (long i = 0; i < n; i++) {
        if (growth_zscores(&in[i], &res, &e) < 0)
            continue;
        for (int k = 0; k < GROWTH_N2006; k++) {
            values++;
            if (!isnan(res.ind[k].z)) {
                computed++;
                checksum += res.ind[k].z + res.ind[k].pct * 1e-3 + res.ind[k].flag;
            }
        }
    }
    double t1 = seconds();
    long values07 = 0, computed07 = 0;
    for (long i = 0; i < n; i++) {
        if (growth_zscores_2007(&in07[i], &res07, &e) < 0)
            continue;
        for (int k = 0; k < GROWTH_N2007; k++) {
            values07++;
            if (!isnan(res07.ind[k].z)) {
                computed07++;
                checksum += res07.ind[k].z + res07.ind[k].pct * 1e-3 + res07.ind[k].flag;
            }
        }
    }
    double t2 = seconds();
    printf("WHO 2006: %ld measurements, %ld indicator values (%ld computed, rest out of range/NA) in %.3f s = %.2f million values/s (%.0f ns per measurement)\n",
           n, values, computed, t1 - t0, values / (t1 - t0) / 1e6, (t1 - t0) / n * 1e9);
    printf("WHO 2007: %ld measurements, %ld indicator values (%ld computed) in %.3f s = %.2f million values/s\n",
           n, values07, computed07, t2 - t1, values07 / (t2 - t1) / 1e6);
    printf("checksum %.6f\n", checksum);
    free(in);
    free(in07);
    return 0;
}
