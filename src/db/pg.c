/* pg.c — the PostgreSQL implementation of db.h through libpq: `?` → $n rewriting, statements
 * prepared once per connection (PQprepare/PQexecPrepared), parameters typed int64 → bigint,
 * double → double precision, blob → binary bytea, text untyped like a quoted literal so the
 * server infers it from the context; rows read in text format; SQLSTATE → error codes
 * (23505/23503 → db_conflict 409; 40001/40P01/55P03 → db_busy 503); BEGIN/COMMIT/ROLLBACK
 * with READ COMMITTED. Round trips are what a write transaction waits on while it holds row
 * locks, so BEGIN goes with the transaction's first statement and db_step_commit sends the last
 * statement with COMMIT, each pair in one round trip (libpq pipeline mode). */
#include "db/db_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- `?` → $n ---- */

static int ident_char(unsigned char c)
{
    return c == '_' || c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Length of a dollar-quote opener "$tag$" at p (0 when p does not start one). */
static size_t dollar_tag(const char *p)
{
    size_t n = 1;
    if (p[n] >= '0' && p[n] <= '9')
        return 0; /* $1 is a positional parameter */
    while (p[n] && p[n] != '$' && ident_char((unsigned char)p[n]))
        n++;
    return p[n] == '$' ? n + 1 : 0;
}

int db_pg_rewrite(const char *sql, char **out, int *nparams)
{
    size_t len = strlen(sql), q = 0;
    for (const char *p = sql; *p; p++)
        q += *p == '?';
    char *o = malloc(len + q * 11 + 1), *w = o; /* "?" → "$" and up to 10 digits */
    if (!o)
        return -1;
    int n = 0;
    const char *p = sql;
    while (*p) {
        char c = *p;
        if (c == '\'') {
            int esc = p > sql && (p[-1] == 'E' || p[-1] == 'e') && (p - 1 == sql || !ident_char((unsigned char)p[-2]));
            *w++ = *p++;
            while (*p) {
                if (*p == '\'') {
                    *w++ = *p++;
                    if (*p != '\'') /* '' is a quote inside the string */
                        break;
                } else if (esc && *p == '\\' && p[1]) {
                    *w++ = *p++;
                }
                *w++ = *p++;
            }
        } else if (c == '"') {
            *w++ = *p++;
            while (*p && *p != '"')
                *w++ = *p++;
            if (*p)
                *w++ = *p++;
        } else if (c == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                *w++ = *p++;
        } else if (c == '/' && p[1] == '*') { /* PostgreSQL block comments nest */
            int depth = 0;
            do {
                if (p[0] == '/' && p[1] == '*') {
                    depth++;
                    *w++ = *p++;
                } else if (p[0] == '*' && p[1] == '/') {
                    depth--;
                    *w++ = *p++;
                }
                *w++ = *p++;
            } while (*p && depth > 0);
        } else if (c == '$' && (p == sql || !ident_char((unsigned char)p[-1])) && dollar_tag(p)) {
            size_t t = dollar_tag(p);
            const char *end = p + t;
            while (*end && !(end[0] == '$' && strncmp(end, p, t) == 0))
                end++;
            end = *end ? end + t : end;
            memcpy(w, p, (size_t)(end - p));
            w += end - p;
            p = end;
        } else if (c == '?') {
            w += sprintf(w, "$%d", ++n);
            p++;
        } else {
            *w++ = *p++;
        }
    }
    *w = 0;
    *out = o;
    *nparams = n;
    return 0;
}

/* ---- errors ---- */

static int pg_err(struct db *db, PGresult *r, struct err *e)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char buf[400];
    if (!msg) {
        snprintf(buf, sizeof buf, "%s", PQerrorMessage(db->pg));
        buf[strcspn(buf, "\n")] = 0;
        msg = buf;
    }
    if (!state)
        state = "";
    if (strcmp(state, "23505") == 0) {
        /* DETAIL "Key (login)=(x) already exists." → field "login" */
        const char *d = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
        const char *k = d ? strstr(d, "Key (") : NULL;
        return db_err_unique(e, k ? k + 5 : NULL, ",)", msg);
    }
    if (strcmp(state, "23503") == 0)
        return db_err_foreign_key(e, msg);
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
        return db_err_busy(e, msg);
    if (PQstatus(db->pg) != CONNECTION_OK || strncmp(state, "08", 2) == 0)
        return err_set(e, 503, "db_error", "", "数据库连接中断：%s", msg);
    return err_set(e, 500, "db_error", "", "数据库错误：%s", msg);
}

/* ---- connection ---- */

static void quiet(void *arg, const char *message) { (void)arg, (void)message; }

int dbpg_open(const char *conninfo, struct db *db, struct err *e)
{
    const char *const keys[] = {"dbname", "client_encoding", "fallback_application_name", NULL};
    const char *const vals[] = {conninfo, "UTF8", "tuoyu", NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (!c)
        return err_set(e, 500, "oom", "", "内存不足");
    if (PQstatus(c) != CONNECTION_OK) {
        char buf[400];
        snprintf(buf, sizeof buf, "%s", PQerrorMessage(c));
        buf[strcspn(buf, "\n")] = 0;
        PQfinish(c);
        return err_set(e, 503, "db_error", "", "无法连接 PostgreSQL：%s", buf);
    }
    PQsetNoticeProcessor(c, quiet, NULL);
    db->pg = c;
    return 0;
}

/* Forget every prepared statement (the server forgets them when the connection ends). */
static void prep_clear(struct db *db)
{
    for (int i = 0; i < DB_PG_PREP; i++) {
        free(db->pg_prep[i].sql);
        free(db->pg_prep[i].types);
        memset(&db->pg_prep[i], 0, sizeof db->pg_prep[i]);
    }
}

void dbpg_close(struct db *db)
{
    prep_clear(db);
    PQfinish(db->pg);
}

int dbpg_check(struct db *db)
{
    if (PQstatus(db->pg) == CONNECTION_OK)
        return 0;
    prep_clear(db);
    db->pg_begin_pending = 0;
    PQreset(db->pg);
    return PQstatus(db->pg) == CONNECTION_OK ? 0 : -1;
}

int dbpg_in_tx(struct db *db) { return db->pg_begin_pending || PQtransactionStatus(db->pg) != PQTRANS_IDLE; }

/* Run a parameterless command; 0 when it succeeded. */
static int simple(struct db *db, const char *sql, struct err *e)
{
    PGresult *r = PQexec(db->pg, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY ? 0 : pg_err(db, r, e);
    PQclear(r);
    return rc;
}

/* Send the BEGIN db_begin deferred, on its own (before a command that cannot go in a pipeline). */
static int begin_now(struct db *db, struct err *e)
{
    if (!db->pg_begin_pending)
        return 0;
    db->pg_begin_pending = 0;
    return simple(db, "BEGIN", e);
}

int dbpg_exec(struct db *db, const char *sql, struct err *e)
{
    if (begin_now(db, e) < 0)
        return -1;
    return simple(db, sql, e);
}

int dbpg_begin(struct db *db, struct err *e)
{
    if (dbpg_in_tx(db))
        return err_set(e, 500, "db_error", "", "数据库错误：事务已开启");
    db->pg_begin_pending = 1;
    return 0;
}

/* The result of COMMIT: 0, or -1 with e (then the transaction is gone or must be rolled back). */
static int commit_result(struct db *db, PGresult *r, struct err *e)
{
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return pg_err(db, r, e);
    if (strcmp(PQcmdStatus(r), "COMMIT") != 0) /* "ROLLBACK": an earlier statement failed */
        return err_set(e, 500, "db_error", "", "数据库错误：事务中有语句失败，已整体回滚");
    return 0;
}

int dbpg_commit(struct db *db, struct err *e)
{
    if (db->pg_begin_pending) { /* nothing ran: nothing to commit */
        db->pg_begin_pending = 0;
        return 0;
    }
    if (PQtransactionStatus(db->pg) == PQTRANS_IDLE)
        return err_set(e, 500, "db_error", "", "数据库错误：没有进行中的事务");
    PGresult *r = PQexec(db->pg, "COMMIT");
    int rc = commit_result(db, r, e);
    PQclear(r);
    if (rc < 0)
        dbpg_rollback(db);
    return rc;
}

int dbpg_rollback(struct db *db)
{
    db->pg_begin_pending = 0;
    if (!dbpg_in_tx(db))
        return 0;
    PGresult *r = PQexec(db->pg, "ROLLBACK");
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
    PQclear(r);
    return rc;
}

/* ---- statements ---- */

int dbpg_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *e)
{
    struct db_stmt *st = calloc(1, sizeof *st);
    if (!st)
        return err_set(e, 500, "oom", "", "内存不足");
    st->db = db;
    if (db_pg_rewrite(sql, &st->sql, &st->nparams) < 0 ||
        (st->nparams && !(st->params = calloc((size_t)st->nparams, sizeof *st->params)))) {
        free(st->sql);
        free(st);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    if (st->nparams > 65535) {
        dbpg_finalize(st);
        return err_set(e, 500, "db_error", "", "数据库错误：参数过多");
    }
    *out = st;
    return 0;
}

int dbpg_bind(struct db_stmt *st, int i, const void *v, size_t n, int format, Oid type)
{
    if (i < 1 || i > st->nparams || n > 0x7fffffff)
        return -1;
    struct db_pg_param *p = &st->params[i - 1];
    free(p->heap);
    p->heap = NULL;
    p->format = format;
    p->type = type;
    p->len = (int)n;
    if (!v) {
        p->val = NULL;
        return 0;
    }
    if (n < DB_PG_INLINE) {
        p->val = p->inline_buf;
    } else {
        if (!(p->heap = malloc(n + 1))) {
            p->val = NULL;
            return -1;
        }
        p->val = p->heap;
    }
    memcpy(p->val, v, n);
    p->val[n] = 0;
    return 0;
}

static void free_blobs(struct db_stmt *st)
{
    for (int i = 0; i < st->nblobs; i++) {
        if (st->blobs[i].p)
            PQfreemem(st->blobs[i].p);
    }
    free(st->blobs);
    st->blobs = NULL;
    st->nblobs = 0;
}

enum { PG_STACK_PARAMS = 32 };

static unsigned prep_hash(const char *sql, const Oid *types, int n)
{
    unsigned h = 2166136261u;
    for (const char *p = sql; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    for (int i = 0; i < n; i++)
        h = (h ^ types[i]) * 16777619u;
    return h;
}

/* The server-side prepared statement for this SQL and these parameter types, preparing it on
 * first use (one extra round trip, then parse and plan are skipped). NULL with *rc == 0 when the
 * cache is full (run unprepared); NULL with *rc < 0 on error. Measured: bench/db.sh. */
static struct db_pg_prep *prepared(struct db_stmt *st, const Oid *types, int *rc, struct err *e)
{
    struct db *db = st->db;
    int n = st->nparams;
    unsigned h = prep_hash(st->sql, types, n);
    struct db_pg_prep *slot = NULL;
    *rc = 0;
    for (int i = 0; i < DB_PG_PREP; i++) {
        struct db_pg_prep *p = &db->pg_prep[i];
        if (!p->sql) {
            if (!slot)
                slot = p;
        } else if (p->hash == h && p->nparams == n && memcmp(p->types, types, (size_t)n * sizeof *types) == 0 &&
                   strcmp(p->sql, st->sql) == 0) {
            return p;
        }
    }
    if (!slot)
        return NULL;
    char *sql = strdup(st->sql);
    Oid *t = malloc((size_t)(n ? n : 1) * sizeof *t);
    if (!sql || !t) {
        free(sql);
        free(t);
        return NULL; /* run unprepared */
    }
    memcpy(t, types, (size_t)n * sizeof *t);
    char name[sizeof slot->name];
    snprintf(name, sizeof name, "tuoyu_%u", ++db->pg_prep_seq);
    PGresult *r = PQprepare(db->pg, name, st->sql, n, types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        *rc = pg_err(db, r, e);
        PQclear(r);
        free(sql);
        free(t);
        return NULL;
    }
    PQclear(r);
    slot->hash = h;
    slot->nparams = n;
    slot->sql = sql;
    slot->types = t;
    memcpy(slot->name, name, sizeof name);
    return slot;
}

/* One statement in a pipeline: BEGIN before it when begin, COMMIT after it when commit, then a
 * sync, all sent at once; the results read in order. Returns the statement's result (NULL when
 * none came: the connection broke); *tx_rc is negative, with e, when BEGIN or COMMIT failed
 * (an aborted COMMIT after a failed statement is the statement's failure, not reported twice). */
static PGresult *pipelined(struct db *db, const struct db_pg_prep *p, const struct db_stmt *st, const Oid *types,
                           const char *const *vals, const int *lens, const int *fmts, int begin, int commit,
                           int *tx_rc, struct err *e)
{
    PGconn *c = db->pg;
    *tx_rc = 0;
    if (!PQenterPipelineMode(c))
        return NULL;
    int n = st->nparams;
    if ((!begin || PQsendQueryParams(c, "BEGIN", 0, NULL, NULL, NULL, NULL, 0)) &&
        (p ? PQsendQueryPrepared(c, p->name, n, vals, lens, fmts, 0)
           : PQsendQueryParams(c, st->sql, n, types, vals, lens, fmts, 0)) &&
        commit)
        PQsendQueryParams(c, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
    PQpipelineSync(c); /* always: what was sent is answered, and the results end */
    /* each query's result is followed by a NULL; the sync's result ends the pipeline */
    PGresult *res = NULL, *r;
    int k = 0, nulls = 0;
    while (nulls < 2) {
        if (!(r = PQgetResult(c))) {
            nulls++;
            continue;
        }
        nulls = 0;
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        int q = k++;
        if (q == begin) {
            res = r;
            continue;
        }
        if (*tx_rc == 0 && s != PGRES_PIPELINE_ABORTED)
            *tx_rc = q < begin ? (s == PGRES_COMMAND_OK ? 0 : pg_err(db, r, e)) : commit_result(db, r, e);
        PQclear(r);
    }
    PQexitPipelineMode(c);
    return res;
}

/* Execute st with its bound parameters into st->res: BEGIN first when one is pending, COMMIT
 * after when commit, in one round trip. 0 or negative (st->res NULL). */
static int execute(struct db_stmt *st, int commit, struct err *e)
{
    struct db *db = st->db;
    int n = st->nparams;
    const char *vals_s[PG_STACK_PARAMS];
    int lens_s[PG_STACK_PARAMS], fmts_s[PG_STACK_PARAMS];
    Oid types_s[PG_STACK_PARAMS];
    const char **vals = vals_s;
    int *lens = lens_s, *fmts = fmts_s;
    Oid *types = types_s;
    void *heap = NULL;
    if (n > PG_STACK_PARAMS) {
        heap = malloc((size_t)n * (sizeof *vals + sizeof *lens + sizeof *fmts + sizeof *types));
        if (!heap)
            return err_set(e, 500, "oom", "", "内存不足");
        vals = heap;
        types = (Oid *)(vals + n);
        lens = (int *)(types + n);
        fmts = lens + n;
    }
    for (int i = 0; i < n; i++) {
        vals[i] = st->params[i].val;
        lens[i] = st->params[i].len;
        fmts[i] = st->params[i].format;
        types[i] = st->params[i].type;
    }
    int rc, tx_rc = 0;
    struct db_pg_prep *p = prepared(st, types, &rc, e);
    if (rc < 0) {
        free(heap);
        return rc;
    }
    int begin = db->pg_begin_pending;
    db->pg_begin_pending = 0;
    if (begin || commit)
        st->res = pipelined(db, p, st, types, vals, lens, fmts, begin, commit, &tx_rc, e);
    else if (p)
        st->res = PQexecPrepared(db->pg, p->name, n, vals, lens, fmts, 0);
    else
        st->res = PQexecParams(db->pg, st->sql, n, types, vals, lens, fmts, 0);
    free(heap);
    ExecStatusType s = PQresultStatus(st->res);
    if (tx_rc < 0 || (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK)) {
        const char *state = PQresultErrorField(st->res, PG_DIAG_SQLSTATE);
        if (p && state && strcmp(state, "0A000") == 0) {
            /* "cached plan must not change result type" after DDL: prepare afresh next time */
            free(p->sql);
            free(p->types);
            memset(p, 0, sizeof *p);
        }
        rc = tx_rc < 0 ? tx_rc : pg_err(db, st->res, e);
        PQclear(st->res);
        st->res = NULL;
        st->nrows = 0;
        st->changes = 0;
        return rc;
    }
    st->nrows = s == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
    st->row = -1;
    const char *tag = PQcmdStatus(st->res);
    st->changes = strncmp(tag, "SELECT", 6) == 0 ? 0 : strtoll(PQcmdTuples(st->res), NULL, 10);
    return 0;
}

int dbpg_step(struct db_stmt *st, struct err *e)
{
    free_blobs(st);
    if (!st->res) {
        int rc = execute(st, 0, e);
        if (rc < 0)
            return rc;
    }
    if (st->row < st->nrows)
        st->row++;
    return st->row < st->nrows ? DB_ROW : DB_DONE;
}

int dbpg_step_commit(struct db_stmt *st, struct err *e)
{
    free_blobs(st);
    PQclear(st->res);
    st->res = NULL;
    int rc = dbpg_in_tx(st->db) ? execute(st, 1, e)
                                : err_set(e, 500, "db_error", "", "数据库错误：没有进行中的事务");
    if (rc < 0) {
        dbpg_rollback(st->db);
        return rc;
    }
    st->row = st->nrows; /* the rows are not read */
    return 0;
}

const char *dbpg_col_text(struct db_stmt *st, int i)
{
    if (!st->res || st->row < 0 || st->row >= st->nrows || i < 0 || i >= PQnfields(st->res) ||
        PQgetisnull(st->res, st->row, i))
        return NULL;
    return PQgetvalue(st->res, st->row, i);
}

const void *dbpg_col_blob(struct db_stmt *st, int i, size_t *n)
{
    if (n)
        *n = 0;
    const char *s = dbpg_col_text(st, i);
    if (!s)
        return NULL;
    if (!st->blobs) {
        int nf = PQnfields(st->res);
        if (!(st->blobs = calloc((size_t)nf, sizeof *st->blobs)))
            return NULL;
        st->nblobs = nf;
    }
    if (!st->blobs[i].p) {
        st->blobs[i].p = PQunescapeBytea((const unsigned char *)s, &st->blobs[i].n);
        if (!st->blobs[i].p)
            return NULL;
    }
    if (n)
        *n = st->blobs[i].n;
    return st->blobs[i].p;
}

void dbpg_finalize(struct db_stmt *st)
{
    free_blobs(st);
    PQclear(st->res);
    for (int i = 0; i < st->nparams; i++)
        free(st->params[i].heap);
    free(st->params);
    free(st->sql);
    free(st);
}

/* ---- bulk loading (copy.c) ---- */

int dbpg_copy_begin(struct db *db, const char *sql, struct err *e)
{
    if (begin_now(db, e) < 0)
        return -1;
    PGresult *r = PQexec(db->pg, sql);
    int rc = PQresultStatus(r) == PGRES_COPY_IN ? 0 : pg_err(db, r, e);
    PQclear(r);
    return rc;
}

int dbpg_copy_put(struct db *db, const char *data, size_t n, struct err *e)
{
    if (n > INT32_MAX || PQputCopyData(db->pg, data, (int)n) != 1)
        return pg_err(db, NULL, e);
    return 0;
}

int dbpg_copy_end(struct db *db, const char *failure, struct err *e)
{
    if (PQputCopyEnd(db->pg, failure) != 1)
        return pg_err(db, NULL, e);
    int rc = 0;
    for (PGresult *r; (r = PQgetResult(db->pg));) {
        if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pg_err(db, r, e);
        PQclear(r);
    }
    return rc;
}
