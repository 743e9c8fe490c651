/* replica.h — a PostgreSQL streaming replica for reads (`tuoyu serve --pg PRIMARY --pg-read REPLICA`).
 *
 * A watcher thread looks at both servers every DB_REPLICA_LOOK_MS: the primary's WAL insert
 * position and the replica's replay position. The replica is usable while it answers, is in
 * recovery (a standby, not a promoted or mistaken primary), and has replayed everything the
 * primary had written max_lag_ms ago; otherwise reads go to the primary. A request that reads
 * what its own session wrote names the primary's position after that write (the `tuoyu_wrote`
 * cookie, src/auth/session.c); the replica serves it only once it has replayed that far.
 *
 * Positions are PostgreSQL LSNs as 64-bit numbers ("16/B374D848" → 0x16B374D848). */
#ifndef TUOYU_DB_REPLICA_H
#define TUOYU_DB_REPLICA_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"

#define DB_REPLICA_LOOK_MS 100
#define DB_REPLICA_DEFAULT_MAX_LAG_MS 5000

struct db_replica;

/* Why a read did not go to the replica (the metrics' reasons). */
enum db_replica_miss { DB_REPLICA_DOWN, DB_REPLICA_BEHIND, DB_REPLICA_OWN_WRITE, DB_REPLICA_MISSES };

/* Start watching replica (both PostgreSQL). NULL with e when the thread cannot start; an
 * unreachable replica is not an error (reads use the primary until it answers). */
struct db_replica *db_replica_start(const struct db_config *primary, const struct db_config *replica, int max_lag_ms,
                                    struct err *e);
void db_replica_stop(struct db_replica *r);

/* The calling thread's replica connection for a read that must see the primary's position
 * wrote (0: no such need), or NULL when the read must go to the primary (counted by reason). */
struct db *db_replica_conn(struct db_replica *r, uint64_t wrote);

/* The primary's WAL insert position now, read on db (a primary connection). 0 or -1 with e. */
int db_replica_primary_position(struct db *db, uint64_t *lsn, struct err *e);

/* "16/B374D848" → 0x16B374D848; 0 when s is not an LSN. out: at least 18 bytes. */
uint64_t db_lsn_parse(const char *s);
void db_lsn_format(uint64_t lsn, char *out, size_t cap);

/* The process's replica counters, for /metrics: whether one is configured and usable now, the
 * requests read on it, and the reads sent to the primary instead, by reason. */
struct db_replica_counts {
    int configured;
    int usable;                        /* 1 while reads may go to the replica */
    uint64_t reads;                    /* requests read on the replica */
    uint64_t misses[DB_REPLICA_MISSES];
};
void db_replica_counts(struct db_replica_counts *out);

#endif
