/* db_bench.c — what a point read costs through src/db/ (prepare, bind, step, read 5 columns,
 * finalize) against the raw client libraries, so the statement cache and the PostgreSQL
 * execution path are decided by measurement. Built and run by bench/db.sh.
 *   db_bench sqlite N            SQLite temp file: db API vs sqlite3 prepare-per-call vs kept statement
 *   db_bench pg N CONNINFO       PostgreSQL: db API vs raw PQexecParams vs raw PQexecPrepared
 *   db_bench commit N PATH|-     SQLite commits per second (synchronous=FULL, one insert each) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/db_internal.h"

#define ROWS 120
static const char *point_sql = "SELECT id, name, town_code, lon, lat FROM inst WHERE id = ?";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct err *e)
{
    fprintf(stderr, "db_bench: %s: %s\n", what, e ? e->message : "");
    exit(1);
}

static void fill(struct db *db)
{
    struct err e = {0};
    char *sql;
    if (db_expand_macros(db_kind_of(db), "DROP TABLE IF EXISTS inst; CREATE TABLE inst (id {{ID}}, name TEXT NOT NULL, "
                         "town_code TEXT NOT NULL, lon DOUBLE PRECISION, lat DOUBLE PRECISION)", &sql, &e) < 0 ||
        db_exec(db, sql, &e) < 0)
        die("create", &e);
    free(sql);
    if (db_begin(db, &e) < 0)
        die("begin", &e);
    for (int i = 0; i < ROWS; i++) {
        struct db_stmt *st;
        char name[64];
        snprintf(name, sizeof name, "瓯海区第%d托育园", i + 1);
        if (db_prepare(db, "INSERT INTO inst (name, town_code, lon, lat) VALUES (?, ?, ?, ?)", &st, &e) < 0)
            die("prepare", &e);
        db_bind_text(st, 1, name);
        db_bind_text(st, 2, "330304001");
        db_bind_double(st, 3, 120.6 + i * 0.001);
        db_bind_double(st, 4, 27.9 + i * 0.001);
        if (db_step(st, &e) < 0)
            die("insert", &e);
        db_finalize(st);
    }
    if (db_commit(db, &e) < 0)
        die("commit", &e);
}

static long sink;

static double bench_api(struct db *db, int n)
{
    struct err e = {0};
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        struct db_stmt *st;
        if (db_prepare(db, point_sql, &st, &e) < 0)
            die("prepare", &e);
        db_bind_int64(st, 1, i % ROWS + 1);
        if (db_step(st, &e) != DB_ROW)
            die("step", &e);
        sink += db_col_int64(st, 0) + (long)strlen(db_col_text(st, 1)) + (long)strlen(db_col_text(st, 2)) +
                (long)db_col_double(st, 3) + (long)db_col_double(st, 4);
        db_finalize(st);
    }
    return (now_s() - t0) / n * 1e6;
}

static double bench_sqlite_raw(sqlite3 *h, int n, int keep)
{
    sqlite3_stmt *kept = NULL;
    if (keep)
        sqlite3_prepare_v2(h, point_sql, -1, &kept, NULL);
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        sqlite3_stmt *st = kept;
        if (!keep && sqlite3_prepare_v2(h, point_sql, -1, &st, NULL) != SQLITE_OK)
            die("raw prepare", NULL);
        sqlite3_bind_int64(st, 1, i % ROWS + 1);
        if (sqlite3_step(st) != SQLITE_ROW)
            die("raw step", NULL);
        sink += sqlite3_column_int64(st, 0) + (long)strlen((const char *)sqlite3_column_text(st, 1)) +
                (long)strlen((const char *)sqlite3_column_text(st, 2)) + (long)sqlite3_column_double(st, 3) +
                (long)sqlite3_column_double(st, 4);
        if (keep) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
        } else {
            sqlite3_finalize(st);
        }
    }
    double us = (now_s() - t0) / n * 1e6;
    sqlite3_finalize(kept);
    return us;
}

/* separate symbols so callgrind --toggle-collect can count each */
static double __attribute__((noinline)) bench_sqlite_prepare_each(sqlite3 *h, int n)
{
    return bench_sqlite_raw(h, n, 0);
}
static double __attribute__((noinline)) bench_sqlite_kept(sqlite3 *h, int n) { return bench_sqlite_raw(h, n, 1); }

static double bench_pg_params(PGconn *c, int n)
{
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "%d", i % ROWS + 1);
        const char *vals[1] = {id};
        PGresult *r = PQexecParams(c, "SELECT id, name, town_code, lon, lat FROM inst WHERE id = $1", 1, NULL, vals,
                                   NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
            die(PQerrorMessage(c), NULL);
        sink += strtol(PQgetvalue(r, 0, 0), NULL, 10) + (long)strlen(PQgetvalue(r, 0, 1));
        PQclear(r);
    }
    return (now_s() - t0) / n * 1e6;
}

static double bench_pg_prepared(PGconn *c, int n)
{
    PGresult *r = PQprepare(c, "point", "SELECT id, name, town_code, lon, lat FROM inst WHERE id = $1", 1, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die(PQerrorMessage(c), NULL);
    PQclear(r);
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "%d", i % ROWS + 1);
        const char *vals[1] = {id};
        r = PQexecPrepared(c, "point", 1, vals, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
            die(PQerrorMessage(c), NULL);
        sink += strtol(PQgetvalue(r, 0, 0), NULL, 10) + (long)strlen(PQgetvalue(r, 0, 1));
        PQclear(r);
    }
    return (now_s() - t0) / n * 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: db_bench sqlite N | pg N CONNINFO | commit N PATH\n");
        return 2;
    }
    int n = atoi(argv[2]);
    struct err e = {0};
    struct db_config cfg = {0};
    char path[64];
    snprintf(path, sizeof path, "/tmp/tuoyu-db-bench-%d.db", (int)getpid());
    if (strcmp(argv[1], "pg") == 0 && argc > 3) {
        cfg.kind = DB_PG;
        snprintf(cfg.target, sizeof cfg.target, "%s", argv[3]);
    } else {
        cfg.kind = DB_SQLITE;
        snprintf(cfg.target, sizeof cfg.target, "%s", path);
    }
    struct db *db;
    if (db_open(&cfg, &db, &e) < 0)
        die("open", &e);
    if (strcmp(argv[1], "commit") == 0) {
        if (db_exec(db, "CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, v INTEGER)", &e) < 0)
            die("create", &e);
        double t0 = now_s();
        for (int i = 0; i < n; i++) {
            struct db_stmt *st;
            if (db_begin(db, &e) < 0 || db_prepare(db, "INSERT INTO item (v) VALUES (?)", &st, &e) < 0)
                die("insert", &e);
            db_bind_int64(st, 1, i);
            db_step(st, &e);
            db_finalize(st);
            if (db_commit(db, &e) < 0)
                die("commit", &e);
        }
        double s = now_s() - t0;
        printf("sqlite commit (synchronous=FULL, 1 insert each): %.0f commits/s, %.1f us each\n", n / s, s / n * 1e6);
    } else {
        fill(db);
        bench_api(db, 1000); /* warm up */
        if (cfg.kind == DB_SQLITE) {
            printf("sqlite point read, db API (statement cache): %.2f us\n", bench_api(db, n));
            printf("sqlite point read, raw prepare per call:     %.2f us\n", bench_sqlite_prepare_each(db->sq, n));
            printf("sqlite point read, raw kept statement:       %.2f us\n", bench_sqlite_kept(db->sq, n));
        } else {
            printf("pg point read, db API (prepared statement cache): %.2f us\n", bench_api(db, n));
            printf("pg point read, raw PQexecParams (unprepared):     %.2f us\n", bench_pg_params(db->pg, n));
            printf("pg point read, raw PQexecPrepared:                %.2f us\n", bench_pg_prepared(db->pg, n));
            db_exec(db, "DROP TABLE inst", &e);
        }
    }
    uint64_t calls, micros;
    db_stats(&calls, &micros);
    printf("db_stats: %llu calls, %llu us (checksum %ld)\n", (unsigned long long)calls, (unsigned long long)micros,
           sink);
    db_close(db);
    if (cfg.kind == DB_SQLITE) {
        char p[128];
        unlink(path);
        snprintf(p, sizeof p, "%s-wal", path);
        unlink(p);
        snprintf(p, sizeof p, "%s-shm", path);
        unlink(p);
    }
    return 0;
}
