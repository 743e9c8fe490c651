/* replica.c — reads on a PostgreSQL streaming replica while it keeps up (replica.h). */
#include "db/replica.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What the watcher saw, and the process's counters (one replica per process). */
enum state { USABLE, BEHIND, DOWN };
static atomic_int configured;
static atomic_int state = DOWN;
static _Atomic uint64_t replayed;   /* the replica's replay position at the last look */
/* Moves each time the replica answers again after not answering: a worker's connection made
 * before is to a server that has gone (restarted), so it opens a new one. */
static atomic_long epoch;
static _Thread_local long thread_epoch;
static _Atomic uint64_t reads;
static _Atomic uint64_t misses[DB_REPLICA_MISSES];

/* The primary's position at a moment: the ring of the last looks, long enough to reach back
 * max_lag_ms. */
struct sample {
    uint64_t at_ms;
    uint64_t lsn;
};

struct db_replica {
    struct db_config primary, replica;
    int max_lag_ms;
    struct sample *ring;
    int ring_cap, ring_n, ring_head;
    pthread_t thread;
    atomic_int stop;
    int logged;                        /* the last state logged, so each change is logged once */
};

uint64_t db_lsn_parse(const char *s)
{
    if (!s)
        return 0;
    char *end;
    unsigned long long hi = strtoull(s, &end, 16);
    if (end == s || *end != '/' || hi > 0xffffffffULL)
        return 0;
    const char *lo_text = end + 1;
    unsigned long long lo = strtoull(lo_text, &end, 16);
    if (end == lo_text || *end || lo > 0xffffffffULL)
        return 0;
    return ((uint64_t)hi << 32) | (uint64_t)lo;
}

void db_lsn_format(uint64_t lsn, char *out, size_t cap)
{
    snprintf(out, cap, "%" PRIX64 "/%" PRIX64, lsn >> 32, lsn & 0xffffffffu);
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* One position read by sql (one LSN column) on db; 0 when NULL or on error. */
static uint64_t position(struct db *db, const char *sql, struct err *e)
{
    struct db_stmt *st = db_query(db, e, sql, "");
    if (db_first_row(st, e) != 1)
        return 0;
    uint64_t lsn = db_lsn_parse(db_col_text(st, 0));
    db_finalize(st);
    return lsn;
}

int db_replica_primary_position(struct db *db, uint64_t *lsn, struct err *e)
{
    *lsn = position(db, "SELECT CAST(pg_current_wal_insert_lsn() AS TEXT)", e);
    return *lsn ? 0 : -1;
}

/* The replica's replay position on its connection db; 0 when it is not a standby or on error. */
static uint64_t replay_position(struct db *db, struct err *e)
{
    return position(db, "SELECT CAST(pg_last_wal_replay_lsn() AS TEXT)", e);
}

/* The primary's position max_lag_ms ago (the newest look at least that old); 0 when the ring
 * does not reach back that far yet. */
static uint64_t position_lag_ago(const struct db_replica *r, uint64_t now)
{
    uint64_t found = 0;
    for (int i = 0; i < r->ring_n; i++) {
        const struct sample *s = &r->ring[(r->ring_head - 1 - i + r->ring_cap) % r->ring_cap];
        if (s->at_ms + (uint64_t)r->max_lag_ms <= now) {
            found = s->lsn;
            break;
        }
    }
    return found;
}

static void look(struct db_replica *r)
{
    struct err e = {0};
    uint64_t now = now_ms();
    struct db *p = db_thread_conn(&r->primary, &e);
    uint64_t primary_at = 0;
    if (p && db_replica_primary_position(p, &primary_at, &e) == 0) {
        r->ring[r->ring_head] = (struct sample){now, primary_at};
        r->ring_head = (r->ring_head + 1) % r->ring_cap;
        if (r->ring_n < r->ring_cap)
            r->ring_n++;
    }
    struct db *q = db_thread_conn(&r->replica, &e);
    uint64_t at = q ? replay_position(q, &e) : 0;
    if (at == 0 && q)
        db_thread_forget(&r->replica); /* broken or not a standby: connect afresh next look */
    enum state now_state = at == 0 ? DOWN : at >= position_lag_ago(r, now) ? USABLE : BEHIND;
    if (at)
        atomic_store(&replayed, at);
    if (now_state != DOWN && r->logged == DOWN)
        atomic_fetch_add(&epoch, 1);
    atomic_store(&state, now_state);
    if ((int)now_state != r->logged) {
        static const char *const said[] = {"usable", "behind by more than the allowed lag", "not answering as a standby"};
        fprintf(stderr, "{\"event\":\"read_replica\",\"state\":\"%s\"}\n", said[now_state]);
        r->logged = (int)now_state;
    }
}

static void *watch(void *arg)
{
    struct db_replica *r = arg;
    while (!atomic_load(&r->stop)) {
        look(r);
        struct timespec pause = {0, DB_REPLICA_LOOK_MS * 1000000L};
        nanosleep(&pause, NULL);
    }
    db_thread_release();
    return NULL;
}

struct db_replica *db_replica_start(const struct db_config *primary, const struct db_config *replica, int max_lag_ms,
                                    struct err *e)
{
    struct db_replica *r = calloc(1, sizeof *r);
    int cap = max_lag_ms / DB_REPLICA_LOOK_MS + 8;
    if (r)
        r->ring = calloc((size_t)cap, sizeof *r->ring);
    if (!r || !r->ring) {
        free(r);
        err_set(e, 500, "oom", "", "内存不足");
        return NULL;
    }
    r->primary = *primary;
    r->replica = *replica;
    r->max_lag_ms = max_lag_ms;
    r->ring_cap = cap;
    r->logged = DOWN;
    atomic_store(&configured, 1);
    look(r); /* usable or not from the first request on */
    if (pthread_create(&r->thread, NULL, watch, r) != 0) {
        free(r->ring);
        free(r);
        atomic_store(&configured, 0);
        err_set(e, 500, "thread", "", "无法启动只读副本监视线程");
        return NULL;
    }
    return r;
}

void db_replica_stop(struct db_replica *r)
{
    if (!r)
        return;
    atomic_store(&r->stop, 1);
    pthread_join(r->thread, NULL);
    atomic_store(&configured, 0);
    atomic_store(&state, DOWN);
    free(r->ring);
    free(r);
}

static struct db *miss(enum db_replica_miss why)
{
    atomic_fetch_add_explicit(&misses[why], 1, memory_order_relaxed);
    return NULL;
}

struct db *db_replica_conn(struct db_replica *r, uint64_t wrote)
{
    enum state now_state = atomic_load(&state);
    if (now_state != USABLE)
        return miss(now_state == BEHIND ? DB_REPLICA_BEHIND : DB_REPLICA_DOWN);
    long current = atomic_load(&epoch);
    if (thread_epoch != current) {
        db_thread_forget(&r->replica);
        thread_epoch = current;
    }
    struct err e = {0};
    struct db *q = db_thread_conn(&r->replica, &e);
    if (!q)
        return miss(DB_REPLICA_DOWN);
    if (wrote > atomic_load(&replayed)) {
        /* the last look is older than the session's write: ask the replica itself */
        uint64_t at = replay_position(q, &e);
        if (at == 0)
            return miss(DB_REPLICA_DOWN);
        if (at < wrote)
            return miss(DB_REPLICA_OWN_WRITE);
    }
    atomic_fetch_add_explicit(&reads, 1, memory_order_relaxed);
    return q;
}

void db_replica_counts(struct db_replica_counts *out)
{
    out->configured = atomic_load(&configured);
    out->usable = atomic_load(&state) == USABLE;
    out->reads = atomic_load_explicit(&reads, memory_order_relaxed);
    for (int i = 0; i < DB_REPLICA_MISSES; i++)
        out->misses[i] = atomic_load_explicit(&misses[i], memory_order_relaxed);
}
