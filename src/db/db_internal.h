/* db_internal.h — what db.c (dispatch, thread connections, stats), migrate.c, sqlite.c, pg.c
 * and pg_tools.c share: the connection and statement structs and each backend's functions.
 * Not for use outside src/db/ (tests/unit/test_db.c includes it for the rewriter). */
#ifndef TUOYU_DB_INTERNAL_H
#define TUOYU_DB_INTERNAL_H

#include <libpq-fe.h>
#include <sqlite3.h>

#include "db/db.h"

#define DB_SQ_CACHE 32 /* prepared statements kept per SQLite connection */
#define DB_PG_INLINE 32 /* bytes of a PostgreSQL parameter value stored without malloc */
#define DB_PG_PREP 128  /* server-side prepared statements kept per PostgreSQL connection */

/* A statement prepared on the PostgreSQL server, keyed by rewritten SQL and parameter types. */
struct db_pg_prep {
    unsigned hash;
    int nparams;
    char *sql;                 /* NULL: free slot */
    Oid *types;
    char name[24];
};

struct db_pg_param {
    char *val;                 /* points at inline or at heap; NULL for SQL NULL */
    char *heap;                /* owned copy when the value does not fit inline */
    int len;
    int format;                /* 0 text, 1 binary */
    Oid type;                  /* 0 = let the server infer (text), INT8OID, FLOAT8OID, BYTEAOID */
    char inline_buf[DB_PG_INLINE];
};

struct db_stmt {
    struct db *db;
    int stepped;               /* db_step called since the last (re)bind */
    /* SQLite */
    sqlite3_stmt *sq;
    int cached;                /* lives in db->sq_cache; db_finalize resets instead of freeing */
    int in_use;
    unsigned hash;
    char *sql;                 /* SQLite cache key; PostgreSQL rewritten text */
    /* PostgreSQL */
    int nparams;
    struct db_pg_param *params;
    PGresult *res;
    int row, nrows;
    int64_t changes;
    struct db_pg_blob { unsigned char *p; size_t n; } *blobs; /* decoded bytea per column of the row */
    int nblobs;
};

struct db {
    enum db_kind kind;
    sqlite3 *sq;
    PGconn *pg;
    struct db_stmt sq_cache[DB_SQ_CACHE];
    int sq_clock;              /* next eviction candidate */
    struct db_pg_prep pg_prep[DB_PG_PREP];
    unsigned pg_prep_seq;      /* names are "tuoyu_<seq>" */
    int pg_begin_pending;      /* db_begin sent nothing yet: BEGIN goes with the next statement */
};

/* Stats (db.c): add one call and its duration. */
void db_stats_add(uint64_t calls, uint64_t nanos);
uint64_t db_now_ns(void);

/* The errors both engines map theirs to (db.c), each returning -1 with e filled: a unique violation
 * (db_conflict 409, field = the column name starting at column, up to the first character of
 * stop; column NULL when unknown), a foreign-key violation (db_conflict 409), a busy database
 * (db_busy 503). msg is the engine's own message. */
int db_err_unique(struct err *e, const char *column, const char *stop, const char *msg);
int db_err_foreign_key(struct err *e, const char *msg);
int db_err_busy(struct err *e, const char *msg);

/* Rewrite `?` to $1, $2, … outside '…' and E'…' strings, "…" identifiers, $tag$…$tag$
 * strings, -- and block comments. *out is malloc'd. Returns 0 or -1 (out of memory). */
int db_pg_rewrite(const char *sql, char **out, int *nparams);

/* Expand {{ID}}, {{BLOB}}, {{NOW}} for kind (migrate.c). *out is malloc'd. Unknown macro: -1. */
int db_expand_macros(enum db_kind kind, const char *sql, char **out, struct err *e);

/* Backends. The same contracts as the public functions in db.h. */
int dbsq_open(const char *path, struct db *db, struct err *e);
void dbsq_close(struct db *db);
int dbsq_exec(struct db *db, const char *sql, struct err *e);
int dbsq_begin(struct db *db, struct err *e);
int dbsq_commit(struct db *db, struct err *e);
int dbsq_rollback(struct db *db);
int dbsq_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *e);
int dbsq_step(struct db_stmt *st, struct err *e);
void dbsq_finalize(struct db_stmt *st);
int dbsq_backup(struct db *db, const char *to_path, struct err *e);
int dbsq_in_tx(struct db *db);

int dbpg_open(const char *conninfo, struct db *db, struct err *e);
void dbpg_close(struct db *db);
int dbpg_exec(struct db *db, const char *sql, struct err *e);
int dbpg_begin(struct db *db, struct err *e);
int dbpg_commit(struct db *db, struct err *e);
int dbpg_rollback(struct db *db);
int dbpg_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *e);
int dbpg_bind(struct db_stmt *st, int i, const void *v, size_t n, int format, Oid type);
int dbpg_step(struct db_stmt *st, struct err *e);
int dbpg_step_commit(struct db_stmt *st, struct err *e);
const char *dbpg_col_text(struct db_stmt *st, int i);
const void *dbpg_col_blob(struct db_stmt *st, int i, size_t *n);
void dbpg_finalize(struct db_stmt *st);
int dbpg_in_tx(struct db *db);
int dbpg_check(struct db *db); /* reconnect a broken connection; 0 when usable */
int dbpg_backup(struct db *db, const char *to_path, struct err *e); /* pg_tools.c */
/* Bulk loading (copy.c): start `COPY … FROM STDIN` (after a deferred BEGIN), send rows in the text
 * format, end it (failure non-NULL: abort the COPY with that message) and read its result. */
int dbpg_copy_begin(struct db *db, const char *sql, struct err *e);
int dbpg_copy_put(struct db *db, const char *data, size_t n, struct err *e);
int dbpg_copy_end(struct db *db, const char *failure, struct err *e);

#endif
