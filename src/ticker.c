/* ticker.c — a thread calling a function every interval seconds (ticker.h). */
#include "ticker.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "db/db.h"

struct ticker {
    void (*tick)(void *ctx);
    void *ctx;
    int interval;
    atomic_int stop;
    pthread_t thread;
};

static void *ticker_main(void *arg)
{
    struct ticker *t = arg;
    while (!atomic_load(&t->stop)) {
        t->tick(t->ctx);
        /* in steps of 50 ms, so that a stop is not kept waiting */
        for (int waited = 0; !atomic_load(&t->stop) && waited < t->interval * 20; waited++)
            nanosleep(&(struct timespec){.tv_nsec = 50 * 1000 * 1000}, NULL);
    }
    db_thread_release();
    return NULL;
}

struct ticker *ticker_start(void (*tick)(void *ctx), void *ctx, int interval, const char *what, struct err *e)
{
    struct ticker *t = calloc(1, sizeof *t);
    if (!t) {
        err_set(e, 500, "oom", "", "内存不足");
        return NULL;
    }
    *t = (struct ticker){.tick = tick, .ctx = ctx, .interval = interval > 0 ? interval : 60};
    if (pthread_create(&t->thread, NULL, ticker_main, t) != 0) {
        free(t);
        err_set(e, 500, "thread", "", "无法启动%s线程", what);
        return NULL;
    }
    return t;
}

void ticker_stop(struct ticker *t)
{
    if (!t)
        return;
    atomic_store(&t->stop, 1);
    pthread_join(t->thread, NULL);
    free(t);
}
