/* record.c — a round of probes recorded, and the server's thread that runs a round each period
 * (record.h). */
#include "video/record.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app.h"
#include "base/date.h"
#include "inbox/inbox.h"
#include "params/params.h"
#include "video/probe.h"
#include "video/store.h"

/* Tell the institution's operators and the supervision centre that t went down or came back. */
static int tell(struct db *db, const char *district, const struct video_target *t, enum video_event ev,
                const char *reason, int64_t outage, const char *now_ts, struct err *e)
{
    int64_t *to = NULL;
    size_t nto = 0;
    if (video_store_recipients(db, district, t->institution_id, &to, &nto, e) < 0)
        return -1;
    char subject[320], body[640];
    if (ev == VIDEO_EV_DOWN) {
        snprintf(subject, sizeof subject, "摄像头离线：%s %s", t->institution_name, t->name);
        snprintf(body, sizeof body, "%s 的摄像头“%s”自 %s 起连续 %d 次在线检测失败（%s）。请尽快检查设备与网络。",
                 t->institution_name, t->name, t->failing_since[0] ? t->failing_since : now_ts, t->live.failures + 1,
                 reason);
    } else {
        snprintf(subject, sizeof subject, "摄像头恢复在线：%s %s", t->institution_name, t->name);
        snprintf(body, sizeof body, "%s 的摄像头“%s”已于 %s 恢复在线。", t->institution_name, t->name, now_ts);
    }
    struct inbox_message m = {.kind = ev == VIDEO_EV_DOWN ? "video.outage" : "video.recovered", .subject = subject,
                              .body = body, .ref_type = "camera_outage", .ref_id = outage, .due_at = now_ts};
    int rc = inbox_post_each(db, district, &m, to, nto, now_ts, e);
    free(to);
    return rc;
}

int video_probe_cycle(struct db *db, struct app *app, int64_t camera_id, int *interval_s, struct err *e)
{
    char now_ts[DATE_TIMESTAMP_LEN], today[DATE_DAY_LEN];
    int64_t now = app_now(app);
    date_format_timestamp(now, now_ts, sizeof now_ts);
    snprintf(today, sizeof today, "%.10s", now_ts);
    struct params *p = malloc(sizeof *p);
    if (!p)
        return err_set(e, 500, "oom", "", "内存不足");
    double interval, timeout, failures, concurrency;
    int rc = params_load(db, app->district_code, today, p, e) < 0 ||
                     params_num(p, "video.probe_interval_s", &interval, e) < 0 ||
                     params_num(p, "video.probe_timeout_ms", &timeout, e) < 0 ||
                     params_num(p, "video.outage_failures", &failures, e) < 0 ||
                     params_num(p, "video.probe_concurrency", &concurrency, e) < 0
                 ? -1
                 : 0;
    free(p);
    if (rc < 0)
        return -1;
    *interval_s = interval < 1 ? 1 : (int)interval;
    struct video_target *t = NULL;
    size_t n = 0;
    if (video_store_targets(db, app->district_code, camera_id, &t, &n, e) < 0)
        return -1;
    struct video_url *urls = calloc(n ? n : 1, sizeof *urls);
    struct video_result *results = calloc(n ? n : 1, sizeof *results);
    if (!urls || !results) {
        rc = err_set(e, 500, "oom", "", "内存不足");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        urls[i] = t[i].url;
    if (video_probe_all(urls, n, (int)concurrency, (int)timeout, results) < 0) {
        rc = err_set(e, 500, "oom", "", "内存不足");
        goto out;
    }
    /* the probes took time: the results are recorded at the time they ended */
    date_format_timestamp(app_now(app), now_ts, sizeof now_ts);
    if (n && db_begin(db, e) < 0) {
        rc = -1;
        goto out;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct video_liveness live = t[i].live;
        enum video_event ev = video_after_probe(&live, results[i].ok, (int)failures);
        int64_t outage = 0;
        rc = video_store_probe(db, app->district_code, &t[i], &live, ev, results[i].ok, results[i].reason, now_ts,
                               &outage, e);
        if (rc == 0 && ev != VIDEO_EV_NONE)
            rc = tell(db, app->district_code, &t[i], ev, results[i].reason, outage, now_ts, e);
    }
    if (n)
        rc = rc < 0 ? (db_rollback(db), -1) : db_commit(db, e);
out:
    free(t);
    free(urls);
    free(results);
    return rc < 0 ? -1 : (int)n;
}

/* ---- the server's prober thread ---- */

struct video_prober {
    pthread_t thread;
    atomic_int stop;
    struct app *app;
    int interval_override;
};

static void *prober_main(void *arg)
{
    struct video_prober *p = arg;
    while (!atomic_load(&p->stop)) {
        struct err e = {0};
        int interval = 60;
        int64_t started = video_clock_ms(); /* each camera probed every interval, however long a round takes */
        struct db *db = db_thread_conn(&p->app->db, &e);
        if (!db || video_probe_cycle(db, p->app, 0, &interval, &e) < 0)
            fprintf(stderr, "tuoyu: video probe: %s (%s); retrying\n", e.message, e.code);
        if (p->interval_override > 0)
            interval = p->interval_override;
        int64_t until = started + (int64_t)interval * 1000;
        while (!atomic_load(&p->stop) && video_clock_ms() < until)
            nanosleep(&(struct timespec){.tv_nsec = 50 * 1000 * 1000}, NULL);
    }
    db_thread_release();
    return NULL;
}

struct video_prober *video_prober_start(struct app *app, int interval_override, struct err *e)
{
    struct video_prober *p = calloc(1, sizeof *p);
    if (!p) {
        err_set(e, 500, "oom", "", "内存不足");
        return NULL;
    }
    p->app = app;
    p->interval_override = interval_override;
    if (pthread_create(&p->thread, NULL, prober_main, p) != 0) {
        free(p);
        err_set(e, 500, "thread", "", "无法启动视频在线检测线程");
        return NULL;
    }
    return p;
}

void video_prober_stop(struct video_prober *p)
{
    if (!p)
        return;
    atomic_store(&p->stop, 1);
    pthread_join(p->thread, NULL);
    free(p);
}
