/* outbreak_bench.c — the outbreak early warning engine (src/care/outbreak.c) over a year of a
 * district's check rows, built here: INSTITUTIONS institutions × CHILDREN children each, two
 * checks (morning, noon) per child on each of 250 days, about 1 % of them with a symptom group and
 * a few clusters. Each institution's rows are scanned for the window ending on every 10th day.
 * Target (issue 15): ≥ 10 million check rows scanned per second on one core. Prints rows
 * scanned, seconds, rows/s and the alerts found (the same on every run). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "care/outbreak.h"

#define INSTITUTIONS 120
#define CHILDREN 50 /* per institution: 6,000 in the district */
#define DAYS 250
#define CLASS_SIZE 15

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 3;
    size_t per = (size_t)CHILDREN * DAYS * 2;
    struct outbreak_case *rows = malloc((size_t)INSTITUTIONS * per * sizeof *rows);
    if (!rows)
        return 1;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (int inst = 0; inst < INSTITUTIONS; inst++)
        for (int d = 0; d < DAYS; d++)
            for (int k = 0; k < CHILDREN; k++)
                for (int slot = 0; slot < 2; slot++) {
                    seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
                    uint32_t groups = seed % 100 == 0 ? 1u << (seed >> 32) % OUTBREAK_GROUP_COUNT : 0;
                    /* a cluster: hand-foot-mouth signs in the first class of every 10th institution, days 147–149 */
                    if (inst % 10 == 0 && d >= 147 && d <= 149 && k < 4)
                        groups |= 1u << OUTBREAK_HFMD;
                    rows[(size_t)inst * per + ((size_t)d * CHILDREN + k) * 2 + slot] = (struct outbreak_case){
                        inst * 1000 + k + 1, inst * 10 + k / CLASS_SIZE + 1, 20000 + d, groups};
                }
    struct outbreak_rules r = {.class_cases = 3, .institution_cases = 5, .window_days = 3};
    struct outbreak_alert alerts[64];
    for (int round = 0; round < rounds; round++) {
        long found = 0;
        size_t scanned = 0;
        double t0 = now_s();
        for (int inst = 0; inst < INSTITUTIONS; inst++)
            for (int end = 20000 + 9; end < 20000 + DAYS; end += 10) {
                found += outbreak_scan(rows + (size_t)inst * per, per, end, &r, alerts, 64);
                scanned += per;
            }
        double s = now_s() - t0;
        printf("rows %zu  seconds %.3f  rows/s %.1f M  alerts %ld\n", scanned, s, scanned / s / 1e6, found);
    }
    free(rows);
    return 0;
}
