/* keeper.c — planning results by their inputs, and the coverage kept current (keeper.h). */
#include "planning/keeper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/date.h"
#include "planning/cache.h"
#include "planning/network.h"
#include "planning/store.h"
#include "ticker.h"

json_t *planning_result(struct db *db, struct db *cache_db, const char *district, const char *kind,
                        const struct planning_inputs *in, size_t k, int64_t now, struct err *e)
{
    char key[65];
    planning_cache_key(in, kind, (long)k, key);
    json_t *o = planning_cache_get(db, district, kind, key);
    if (o) {
        json_object_set_new(o, "cached", json_true());
        return o;
    }
    struct plan_graph *g;
    if (planning_network_graph(db, district, in->network.id, &g, e) < 0)
        return NULL;
    int rc = strcmp(kind, "sites") == 0 ? planning_sites(in, g, k, &o, e) : planning_coverage(in, g, &o, e);
    plan_graph_free(g);
    if (rc < 0)
        return NULL;
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(now, now_ts, sizeof now_ts);
    json_object_set_new(o, "input_hash", json_string(key));
    json_object_set_new(o, "computed_at", json_string(now_ts));
    planning_cache_put(cache_db, district, kind, key, now_ts, o);
    json_object_set_new(o, "cached", json_false());
    return o;
}

int planning_coverage_refresh(struct db *db, const char *district, int64_t now, int *computed, struct err *e)
{
    char today[DATE_DAY_LEN];
    date_format_day(now, today, sizeof today);
    struct planning_inputs in;
    *computed = 0;
    if (planning_store_inputs(db, district, today, 0, &in, e) < 0)
        return -1;
    json_t *o = planning_result(db, db, district, "coverage", &in, 0, now, e);
    planning_inputs_free(&in);
    if (!o)
        return -1;
    *computed = json_is_false(json_object_get(o, "cached"));
    json_decref(o);
    return 0;
}

struct planning_keeper {
    struct app *app;
    int interval;
    struct ticker *ticker;
};

static void keeper_tick(void *ctx)
{
    struct planning_keeper *k = ctx;
    struct err e = {0};
    int computed;
    int64_t now = app_now(k->app);
    struct db *db = db_thread_conn(&k->app->db, &e);
    if (!db || planning_coverage_refresh(db, k->app->district_code, now, &computed, &e) < 0)
        fprintf(stderr, "tuoyu: 15-minute coverage: %s (%s); trying again in %d s\n", e.message, e.code, k->interval);
    else if (computed)
        fprintf(stderr, "tuoyu: 15-minute coverage computed for the current inputs\n");
}

struct planning_keeper *planning_keeper_start(struct app *app, int interval, struct err *e)
{
    struct planning_keeper *k = calloc(1, sizeof *k);
    if (!k) {
        err_set(e, 500, "oom", "", "内存不足");
        return NULL;
    }
    k->app = app;
    k->interval = interval > 0 ? interval : 60;
    if (!(k->ticker = ticker_start(keeper_tick, k, k->interval, "规划覆盖率更新", e))) {
        free(k);
        return NULL;
    }
    return k;
}

void planning_keeper_stop(struct planning_keeper *k)
{
    if (!k)
        return;
    ticker_stop(k->ticker);
    free(k);
}
