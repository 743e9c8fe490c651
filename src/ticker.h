/* ticker.h — a thread that calls a function at once and then every interval seconds until it is
 * stopped (the keepers: planning's 15-minute coverage, 区县比较's district rows); the thread's
 * database connections (db_thread_conn) are closed when it ends. */
#ifndef TUOYU_TICKER_H
#define TUOYU_TICKER_H

#include "base/err.h"

struct ticker;
/* Start calling tick(ctx); what names the thread in the error when it cannot start (Chinese). NULL
 * with e then. */
struct ticker *ticker_start(void (*tick)(void *ctx), void *ctx, int interval, const char *what, struct err *e);
/* Stop it and wait for a tick under way to end; NULL is ignored. */
void ticker_stop(struct ticker *t);

#endif
