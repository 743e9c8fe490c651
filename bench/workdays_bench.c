/* workdays_bench.c — date_add_working_days on the shipped calendar (data/holidays/holidays.csv,
 * 2023–2026): N calls over every day of 2023–2025 and counts 0…30 (what deadlines ask: 5 and 15
 * working days, 30 for a subsidy review), plus date_is_working_day. Target (issue 13): ≥ 10
 * million date_add_working_days calls per second on one core. Prints calls, seconds, calls/s and
 * a checksum of the results (the same on every run). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/csv.h"
#include "base/workdays.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 20000000;
    static char dates[400][DATE_DAY_LEN];
    static struct date_calendar_entry rows[400];
    int nrows = 0;
    FILE *f = fopen("data/holidays/holidays.csv", "r");
    if (!f) {
        perror("data/holidays/holidays.csv");
        return 1;
    }
    struct csv_reader *r = csv_open(f, "holidays.csv");
    csv_read_header(r);
    int cdate = csv_column(r, "date"), ckind = csv_column(r, "kind");
    while (csv_next(r) > 0 && nrows < 400) {
        snprintf(dates[nrows], DATE_DAY_LEN, "%s", csv_get(r, cdate));
        rows[nrows] = (struct date_calendar_entry){dates[nrows], strcmp(csv_get(r, ckind), "work") == 0};
        nrows++;
    }
    csv_close(r);
    fclose(f);
    int years[] = {2023, 2024, 2025, 2026};
    struct date_calendar cal;
    struct err e = {0};
    double t = now_s();
    if (date_calendar_build(&cal, years, 4, rows, nrows, &e) < 0) {
        fprintf(stderr, "%s\n", e.message);
        return 1;
    }
    printf("%-34s %10.1f us\n", "date_calendar_build (4 years)", (now_s() - t) * 1e6);

    /* the start days: every day of 2023–2025 */
    static char day[1096][DATE_DAY_LEN];
    int ndays = 0;
    for (snprintf(day[0], DATE_DAY_LEN, "2023-01-01"); strcmp(day[ndays], "2026-01-01") < 0; ndays++)
        date_add_days(day[ndays], 1, day[ndays + 1]);

    uint64_t sum = 0;
    char out[DATE_DAY_LEN];
    t = now_s();
    for (long i = 0; i < n; i++) {
        if (date_add_working_days(&cal, day[i % ndays], (int)(i % 31), out, &e) < 0)
            return 1;
        sum += (uint64_t)(out[8] - '0') * 10 + (uint64_t)(out[9] - '0');
    }
    double secs = now_s() - t;
    printf("%-34s %10ld calls %8.3f s %8.2f M calls/s  checksum %llu\n", "date_add_working_days", n, secs, n / secs / 1e6,
           (unsigned long long)sum);
    t = now_s();
    int w;
    sum = 0;
    for (long i = 0; i < n; i++) {
        date_is_working_day(&cal, day[i % ndays], &w, &e);
        sum += (uint64_t)w;
    }
    secs = now_s() - t;
    printf("%-34s %10ld calls %8.3f s %8.2f M calls/s  checksum %llu\n", "date_is_working_day", n, secs, n / secs / 1e6,
           (unsigned long long)sum);
    date_calendar_free(&cal);
    return 0;
}
