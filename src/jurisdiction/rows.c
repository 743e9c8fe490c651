/* rows.c — a district's row of 区县比较, kept per district, and the keeper that makes a province's
 * rows ahead of the first reader (rows.h). */
#include "jurisdiction/rows.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/date.h"
#include "http/http.h"
#include "jurisdiction/store.h"
#include "supervision/snapshot.h"
#include "ticker.h"

int region_row(struct db *db, const char *code, const char *today, const int64_t s[5], struct town_totals *towns,
               struct region_row *row, struct err *e)
{
    char version[160];
    snprintf(version, sizeof version, "%s %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64, today, s[0], s[1],
             s[2], s[3], s[4]);
    size_t size;
    struct region_row *kept = http_kept_part_get("region.district", code, version, &size);
    if (kept && size == sizeof *row) {
        *row = *kept;
        free(kept);
        return 0;
    }
    free(kept);
    memset(row, 0, sizeof *row);
    int ntowns = 0;
    if (supervision_totals(db, code, NULL, today, towns, DASH_MAX_TOWNS, &ntowns, e) < 0)
        return -1;
    row->on_platform = ntowns > 0;
    if (row->on_platform) {
        if (supervision_targets(db, code, today, &row->targets, e) < 0)
            return -1;
        dashboard_kpi(towns, ntowns, &row->k);
    }
    http_kept_part_put("region.district", code, version, row, sizeof *row);
    return 0;
}

int region_rows_keep(struct db *db, const char *code, const char *today, struct err *e)
{
    struct district_stamps *stamps;
    int n, rc = 0;
    struct town_totals *towns = malloc(DASH_MAX_TOWNS * sizeof *towns);
    if (!towns)
        return err_set(e, 500, "oom", "", "内存不足");
    if (supervision_store_district_stamps(db, code, &stamps, &n, e) < 0) {
        free(towns);
        return -1;
    }
    for (int i = 0; rc == 0 && i < n; i++) {
        struct region_row row;
        rc = region_row(db, stamps[i].code, today, stamps[i].s, towns, &row, e);
    }
    free(stamps);
    free(towns);
    return rc;
}

struct region_keeper {
    struct app *app;
    int interval;
    char province[16]; /* the deployment's province, once read from the tree ("" before) */
    struct ticker *ticker;
};

static void keeper_tick(void *ctx)
{
    struct region_keeper *k = ctx;
    struct err e = {0};
    char today[DATE_DAY_LEN];
    int found = 1;
    date_format_day(app_now(k->app), today, sizeof today);
    struct db *db = db_thread_conn(&k->app->db, &e);
    if (!db || (!k->province[0] && (found = jurisdiction_store_top(db, k->app->district_code, k->province, &e)) < 0) ||
        (found && region_rows_keep(db, k->province, today, &e) < 0))
        fprintf(stderr, "tuoyu: 区县比较 rows: %s (%s); trying again in %d s\n", e.message, e.code, k->interval);
}

struct region_keeper *region_keeper_start(struct app *app, int interval, struct err *e)
{
    struct region_keeper *k = calloc(1, sizeof *k);
    if (!k) {
        err_set(e, 500, "oom", "", "内存不足");
        return NULL;
    }
    *k = (struct region_keeper){.app = app, .interval = interval > 0 ? interval : 60};
    if (!(k->ticker = ticker_start(keeper_tick, k, k->interval, "区县比较更新", e))) {
        free(k);
        return NULL;
    }
    return k;
}

void region_keeper_stop(struct region_keeper *k)
{
    if (!k)
        return;
    ticker_stop(k->ticker);
    free(k);
}
