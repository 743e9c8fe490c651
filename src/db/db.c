/* db.c — the storage interface's front: dispatch to SQLite (sqlite.c) or PostgreSQL (pg.c),
 * binding and reading values (also prepare-bind-run in one call, and parameter lists built in
 * parts), one connection per thread per database (db_thread_conn), and the process-wide
 * call/time counters behind db_stats. */
#include "db/db_internal.h"

#include "base/parse.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- stats: the only process-wide state, two atomic counters ---- */

static _Atomic uint64_t stat_calls;
static _Atomic uint64_t stat_nanos;

uint64_t db_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void db_stats_add(uint64_t calls, uint64_t nanos)
{
    if (calls)
        atomic_fetch_add_explicit(&stat_calls, calls, memory_order_relaxed);
    atomic_fetch_add_explicit(&stat_nanos, nanos, memory_order_relaxed);
}

void db_stats(uint64_t *calls, uint64_t *micros)
{
    if (calls)
        *calls = atomic_load_explicit(&stat_calls, memory_order_relaxed);
    if (micros)
        *micros = atomic_load_explicit(&stat_nanos, memory_order_relaxed) / 1000u;
}

/* ---- connections ---- */

int db_open(const struct db_config *cfg, struct db **out, struct err *e)
{
    *out = NULL;
    if (!cfg || (cfg->kind != DB_SQLITE && cfg->kind != DB_PG))
        return err_set(e, 500, "db_error", "", "数据库配置无效");
    struct db *db = calloc(1, sizeof *db);
    if (!db)
        return err_set(e, 500, "oom", "", "内存不足");
    db->kind = cfg->kind;
    int rc = cfg->kind == DB_SQLITE ? dbsq_open(cfg->target, db, e) : dbpg_open(cfg->target, db, e);
    if (rc < 0) {
        free(db);
        return -1;
    }
    *out = db;
    return 0;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    if (db->kind == DB_SQLITE)
        dbsq_close(db);
    else
        dbpg_close(db);
    free(db);
}

enum db_kind db_kind_of(const struct db *db) { return db->kind; }

/* ---- one connection per thread and database ---- */

struct tconn {
    enum db_kind kind;
    char *target;
    struct db *db;
};

struct tconn_list {
    int n, cap;
    struct tconn *v;
};

static pthread_key_t tconn_key;
static pthread_once_t tconn_once = PTHREAD_ONCE_INIT;
static int tconn_key_ok;

static void tconn_free(void *p)
{
    struct tconn_list *l = p;
    if (!l)
        return;
    for (int i = 0; i < l->n; i++) {
        db_close(l->v[i].db);
        free(l->v[i].target);
    }
    free(l->v);
    free(l);
}

static void tconn_init(void) { tconn_key_ok = pthread_key_create(&tconn_key, tconn_free) == 0; }

struct db *db_thread_conn(const struct db_config *cfg, struct err *e)
{
    pthread_once(&tconn_once, tconn_init);
    if (!tconn_key_ok) {
        err_set(e, 500, "db_error", "", "无法创建线程连接表");
        return NULL;
    }
    struct tconn_list *l = pthread_getspecific(tconn_key);
    if (l) {
        for (int i = 0; i < l->n; i++) {
            struct tconn *t = &l->v[i];
            if (t->kind == cfg->kind && strcmp(t->target, cfg->target) == 0) {
                if (t->kind == DB_PG && dbpg_check(t->db) < 0) {
                    err_set(e, 503, "db_busy", "", "数据库连接已断开，重连失败");
                    return NULL;
                }
                return t->db;
            }
        }
    } else {
        l = calloc(1, sizeof *l);
        if (!l || pthread_setspecific(tconn_key, l) != 0) {
            free(l);
            err_set(e, 500, "oom", "", "内存不足");
            return NULL;
        }
    }
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 2;
        struct tconn *v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v) {
            err_set(e, 500, "oom", "", "内存不足");
            return NULL;
        }
        l->v = v;
        l->cap = cap;
    }
    struct tconn t = {.kind = cfg->kind, .target = strdup(cfg->target)};
    if (!t.target) {
        err_set(e, 500, "oom", "", "内存不足");
        return NULL;
    }
    if (db_open(cfg, &t.db, e) < 0) {
        free(t.target);
        return NULL;
    }
    l->v[l->n++] = t;
    return t.db;
}

void db_thread_forget(const struct db_config *cfg)
{
    struct tconn_list *l = tconn_key_ok ? pthread_getspecific(tconn_key) : NULL;
    for (int i = 0; l && i < l->n; i++) {
        if (l->v[i].kind == cfg->kind && strcmp(l->v[i].target, cfg->target) == 0) {
            db_close(l->v[i].db);
            free(l->v[i].target);
            l->v[i] = l->v[--l->n];
            return;
        }
    }
}

void db_thread_release(void)
{
    pthread_once(&tconn_once, tconn_init);
    if (!tconn_key_ok)
        return;
    struct tconn_list *l = pthread_getspecific(tconn_key);
    if (l) {
        pthread_setspecific(tconn_key, NULL);
        tconn_free(l);
    }
}

/* ---- transactions and plain SQL ---- */

int db_begin(struct db *db, struct err *e) { return db->kind == DB_SQLITE ? dbsq_begin(db, e) : dbpg_begin(db, e); }

int db_commit(struct db *db, struct err *e)
{
    return db->kind == DB_SQLITE ? dbsq_commit(db, e) : dbpg_commit(db, e);
}

int db_rollback(struct db *db)
{
    if (!db)
        return 0;
    return db->kind == DB_SQLITE ? dbsq_rollback(db) : dbpg_rollback(db);
}

int db_exec(struct db *db, const char *sql, struct err *e)
{
    uint64_t t0 = db_now_ns();
    int rc = db->kind == DB_SQLITE ? dbsq_exec(db, sql, e) : dbpg_exec(db, sql, e);
    db_stats_add(1, db_now_ns() - t0);
    return rc;
}

/* ---- statements ---- */

int db_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *e)
{
    *out = NULL;
    return db->kind == DB_SQLITE ? dbsq_prepare(db, sql, out, e) : dbpg_prepare(db, sql, out, e);
}

/* Binding after a step starts a new execution with the other parameters kept. */
static void rebind(struct db_stmt *st)
{
    if (!st->stepped)
        return;
    st->stepped = 0;
    if (st->sq) {
        sqlite3_reset(st->sq);
    } else {
        PQclear(st->res);
        st->res = NULL;
    }
}

int db_bind_text(struct db_stmt *st, int i, const char *v)
{
    rebind(st);
    if (st->sq) {
        if (!v)
            return sqlite3_bind_null(st->sq, i) == SQLITE_OK ? 0 : -1;
        return sqlite3_bind_text(st->sq, i, v, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
    }
    return dbpg_bind(st, i, v, v ? strlen(v) : 0, 0, 0);
}

int db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
    rebind(st);
    if (st->sq)
        return sqlite3_bind_int64(st->sq, i, v) == SQLITE_OK ? 0 : -1;
    /* digits by hand: snprintf is measurably slower on the hot path */
    char buf[24], *p = buf + sizeof buf;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return dbpg_bind(st, i, p, (size_t)(buf + sizeof buf - p), 0, 20 /* INT8OID */);
}

int db_bind_double(struct db_stmt *st, int i, double v)
{
    if (isnan(v)) /* as SQLite does by itself, on both */
        return db_bind_null(st, i);
    rebind(st);
    if (st->sq)
        return sqlite3_bind_double(st->sq, i, v) == SQLITE_OK ? 0 : -1;
    char buf[40];
    int n = snprintf(buf, sizeof buf, "%.17g", v);
    return dbpg_bind(st, i, buf, (size_t)n, 0, 701 /* FLOAT8OID */);
}

int db_bind_blob(struct db_stmt *st, int i, const void *v, size_t n)
{
    rebind(st);
    if (!v)
        return db_bind_null(st, i);
    if (st->sq) {
        /* zeroblob for empty so an empty blob is not confused with NULL */
        if (n == 0)
            return sqlite3_bind_zeroblob(st->sq, i, 0) == SQLITE_OK ? 0 : -1;
        return sqlite3_bind_blob64(st->sq, i, v, n, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
    }
    return dbpg_bind(st, i, v, n, 1, 17 /* BYTEAOID */);
}

int db_bind_null(struct db_stmt *st, int i)
{
    rebind(st);
    if (st->sq)
        return sqlite3_bind_null(st->sq, i) == SQLITE_OK ? 0 : -1;
    return dbpg_bind(st, i, NULL, 0, 0, 0);
}

int db_step(struct db_stmt *st, struct err *e)
{
    uint64_t t0 = db_now_ns();
    int first = !st->stepped;
    st->stepped = 1;
    int rc = st->sq ? dbsq_step(st, e) : dbpg_step(st, e);
    db_stats_add(first, db_now_ns() - t0);
    return rc;
}

int db_step_commit(struct db_stmt *st, struct err *e)
{
    uint64_t t0 = db_now_ns();
    st->stepped = 1;
    int rc;
    if (st->sq && !dbsq_in_tx(st->db)) {
        rc = err_set(e, 500, "db_error", "", "数据库错误：没有进行中的事务");
    } else if (st->sq) {
        rc = dbsq_step(st, e);
        sqlite3_reset(st->sq); /* the statement is done before COMMIT */
        if (rc < 0)
            dbsq_rollback(st->db);
        else
            rc = dbsq_commit(st->db, e);
    } else {
        rc = dbpg_step_commit(st, e);
    }
    db_stats_add(1, db_now_ns() - t0);
    return rc < 0 ? rc : 0;
}

int db_col_count(struct db_stmt *st)
{
    if (st->sq)
        return sqlite3_column_count(st->sq);
    return st->res ? PQnfields(st->res) : 0;
}

int db_col_is_null(struct db_stmt *st, int i)
{
    if (st->sq)
        return sqlite3_column_type(st->sq, i) == SQLITE_NULL;
    return dbpg_col_text(st, i) == NULL;
}

const char *db_col_text(struct db_stmt *st, int i)
{
    if (st->sq)
        return (const char *)sqlite3_column_text(st->sq, i);
    return dbpg_col_text(st, i);
}

int64_t db_col_int64(struct db_stmt *st, int i)
{
    if (st->sq)
        return sqlite3_column_int64(st->sq, i);
    const char *s = dbpg_col_text(st, i);
    if (!s)
        return 0;
    if (s[0] == 't' && !s[1])   /* boolean */
        return 1;
    return strtoll(s, NULL, 10);
}

double db_col_double(struct db_stmt *st, int i)
{
    if (st->sq)
        return sqlite3_column_double(st->sq, i);
    const char *s = dbpg_col_text(st, i);
    return s ? strtod(s, NULL) : 0.0;
}

const void *db_col_blob(struct db_stmt *st, int i, size_t *n)
{
    if (st->sq) {
        const void *p = sqlite3_column_blob(st->sq, i);
        int len = sqlite3_column_bytes(st->sq, i);
        if (n)
            *n = (size_t)len;
        if (!p && sqlite3_column_type(st->sq, i) != SQLITE_NULL)
            return "";   /* empty, not NULL */
        return p;
    }
    return dbpg_col_blob(st, i, n);
}

int64_t db_changes(struct db_stmt *st)
{
    if (st->sq) {
        if (sqlite3_stmt_readonly(st->sq))
            return 0;
        return sqlite3_changes64(sqlite3_db_handle(st->sq));
    }
    return st->changes;
}

void db_finalize(struct db_stmt *st)
{
    if (!st)
        return;
    if (st->sq)
        dbsq_finalize(st);
    else
        dbpg_finalize(st);
}

/* ---- prepare-bind-run in one call; parameter lists built in parts ---- */

static struct db_stmt *query_va(struct db *db, struct err *e, const char *sql, const char *types, va_list ap)
{
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return NULL;
    for (int i = 0; types && types[i]; i++) {
        if (types[i] == 'i') {
            db_bind_int64(st, i + 1, va_arg(ap, int64_t));
        } else if (types[i] == 't') {
            db_bind_text(st, i + 1, va_arg(ap, const char *));
        } else if (types[i] == 'I') {
            db_bind_id_or_null(st, i + 1, va_arg(ap, int64_t));
        } else if (types[i] == 'T') {
            db_bind_text_or_null(st, i + 1, va_arg(ap, const char *));
        } else if (types[i] == 'd') {
            db_bind_double(st, i + 1, va_arg(ap, double));
        } else if (types[i] == 'b') {
            const void *v = va_arg(ap, const void *);
            db_bind_blob(st, i + 1, v, va_arg(ap, size_t));
        } else { /* the arguments after it cannot be read safely */
            db_finalize(st);
            err_set(e, 500, "db_bind_types", "", "参数类型 '%c' 无效", types[i]);
            return NULL;
        }
    }
    return st;
}

/* query_va stepped once: db_step's result, or -1 when it could not be prepared (*out NULL). */
static int step_va(struct db *db, struct err *e, const char *sql, const char *types, va_list ap,
                   struct db_stmt **out)
{
    *out = query_va(db, e, sql, types, ap);
    return *out ? db_step(*out, e) : -1;
}

struct db_stmt *db_query(struct db *db, struct err *e, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = query_va(db, e, sql, types, ap);
    va_end(ap);
    return st;
}

struct db_stmt *db_query_scoped(struct db *db, struct err *e, const char *fmt, const char *scope_sql,
                                const struct db_params *scope, int64_t limit, const char *types, ...)
{
    size_t cap = strlen(fmt) + strlen(scope_sql) + 1;
    char *sql = malloc(cap);
    if (!sql) {
        err_set(e, 500, "oom", "", "内存不足");
        return NULL;
    }
    snprintf(sql, cap, fmt, scope_sql);
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = query_va(db, e, sql, types, ap);
    va_end(ap);
    free(sql);
    if (st) {
        int next = db_params_bind(scope, st, (int)strlen(types) + 1);
        if (limit >= 0)
            db_bind_int64(st, next, limit);
    }
    return st;
}

int64_t db_run(struct db *db, struct err *e, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st;
    int rc = step_va(db, e, sql, types, ap, &st);
    va_end(ap);
    int64_t n = rc < 0 ? -1 : db_changes(st);
    db_finalize(st);
    return n;
}

int db_write(struct db *db, struct err *e, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st;
    int rc = step_va(db, e, sql, types, ap, &st);
    va_end(ap);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int64_t db_query_int(struct db *db, struct err *e, int *found, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st;
    int rc = step_va(db, e, sql, types, ap, &st);
    va_end(ap);
    int got = rc == DB_ROW && !db_col_is_null(st, 0);
    if (found)
        *found = got;
    int64_t v = got ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    return rc < 0 ? -1 : v;
}

int db_query_counts(struct db *db, struct err *e, int64_t *out, int n, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st;
    int rc = step_va(db, e, sql, types, ap, &st);
    va_end(ap);
    for (int i = 0; i < n; i++)
        out[i] = rc == DB_ROW && !db_col_is_null(st, i) ? db_col_int64(st, i) : 0;
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int db_first_row(struct db_stmt *st, struct err *e)
{
    if (!st)
        return -1;
    int rc = db_step(st, e);
    if (rc == DB_ROW)
        return 1;
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int db_one(struct db_stmt *st, struct err *e, size_t size, void (*row)(struct db_stmt *st, void *item), void *item)
{
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc;
    memset(item, 0, size);
    row(st, item);
    db_finalize(st);
    return 1;
}

int db_one_or_404(struct db_stmt *st, struct err *e, size_t size, void (*row)(struct db_stmt *st, void *item),
                  void *item, const char *field, const char *message)
{
    int rc = db_one(st, e, size, row, item);
    return rc < 0 ? -1 : rc == 0 ? err_set(e, 404, "not_found", field, "%s", message) : 0;
}

int db_rows(struct db_stmt *st, struct err *e, size_t size, void (*row)(struct db_stmt *st, void *item), void **items,
            size_t *n)
{
    *items = NULL;
    *n = 0;
    if (!st)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (*n == cap) {
            void *more = realloc(*items, (cap = cap ? 2 * cap : 64) * size);
            if (!more) {
                rc = err_set(e, 500, "oom", "", "内存不足");
                break;
            }
            *items = more;
        }
        row(st, (char *)*items + (*n)++ * size);
    }
    db_finalize(st);
    if (rc < 0) {
        free(*items);
        *items = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

json_t *db_col_json_text(struct db_stmt *st, int i)
{
    return db_col_is_null(st, i) ? json_null() : json_string(db_col_text(st, i));
}

json_t *db_col_json_id(struct db_stmt *st, int i)
{
    return db_col_is_null(st, i) ? json_null() : json_integer(db_col_int64(st, i));
}

void db_col_copy(struct db_stmt *st, int i, char *out, size_t cap) { parse_copy_text(out, cap, db_col_text(st, i)); }

void db_scan_cols(struct db_stmt *st, int first, const struct db_col *cols, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int i = first + (int)k;
        switch (cols[k].kind) {
        case 'i':
            *cols[k].i64 = db_col_int64(st, i);
            break;
        case 'n':
            *cols[k].num = (int)db_col_int64(st, i);
            break;
        case 'd':
            *cols[k].f64 = db_col_double(st, i);
            break;
        default:
            db_col_copy(st, i, cols[k].text, cols[k].cap);
        }
    }
}

int db_rows_json(struct db_stmt *st, struct err *e, json_t *(*row)(struct db_stmt *st, void *ctx), void *ctx,
                 json_t **out)
{
    *out = NULL;
    if (!st)
        return -1;
    json_t *a = json_array();
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW)
        json_array_append_new(a, row(st, ctx));
    db_finalize(st);
    if (rc < 0) {
        json_decref(a);
        return -1;
    }
    *out = a;
    return 0;
}

void db_row_int64(struct db_stmt *st, void *item)
{
    *(int64_t *)item = db_col_int64(st, 0);
}

int db_like_contains(const char *q, char *out, size_t cap)
{
    if (cap < DB_LIKE_SIZE(strlen(q))) {
        if (cap)
            *out = 0;
        return -1;
    }
    char *p = out;
    *p++ = '%';
    for (; *q; q++) {
        if (*q == '%' || *q == '_' || *q == '\\')
            *p++ = '\\';
        *p++ = *q;
    }
    *p++ = '%';
    *p = 0;
    return 0;
}

void db_params_text(struct db_params *p, const char *v)
{
    assert(p->n < DB_PARAMS_MAX);
    p->is_text[p->n] = 1;
    p->text[p->n++] = v;
}

void db_params_int64(struct db_params *p, int64_t v)
{
    assert(p->n < DB_PARAMS_MAX);
    p->is_text[p->n] = 0;
    p->num[p->n++] = v;
}

int db_params_bind(const struct db_params *p, struct db_stmt *st, int first)
{
    for (int i = 0; i < p->n; i++, first++) {
        if (p->is_text[i])
            db_bind_text(st, first, p->text[i]);
        else
            db_bind_int64(st, first, p->num[i]);
    }
    return first;
}

int db_backup(struct db *db, const char *to_path, struct err *e)
{
    return db->kind == DB_SQLITE ? dbsq_backup(db, to_path, e) : dbpg_backup(db, to_path, e);
}

int db_bind_id_or_null(struct db_stmt *st, int i, int64_t v) { return v ? db_bind_int64(st, i, v) : db_bind_null(st, i); }

int db_bind_text_or_null(struct db_stmt *st, int i, const char *v) { return db_bind_text(st, i, v && v[0] ? v : NULL); }
