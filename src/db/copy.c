/* copy.c — bulk loading (db.h: db_copy_*, db_reserve_ids): rows streamed to PostgreSQL's
 * COPY … FROM STDIN in its text format (pg.c sends them), or one prepared INSERT stepped per row on
 * SQLite, inside the caller's transaction. */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"

#define COPY_FLUSH (256 * 1024) /* bytes of rows sent to PostgreSQL at a time */

struct db_copy {
    struct db *db;
    int ncolumns;
    struct db_stmt *insert; /* SQLite */
    char *buf;              /* PostgreSQL: rows not sent yet */
    size_t len, cap;
    int failed;
};

/* A table's name as the loader accepts it: letters, digits and underscores. */
static int plain_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

int db_copy_begin(struct db *db, const char *table, const char *columns, struct db_copy **out, struct err *e)
{
    *out = NULL;
    if (!plain_name(table))
        return err_set(e, 500, "db_error", "", "数据库错误：表名无效");
    struct db_copy *c = calloc(1, sizeof *c);
    if (!c)
        return err_set(e, 500, "oom", "", "内存不足");
    c->db = db;
    c->ncolumns = 1;
    for (const char *p = columns; *p; p++)
        c->ncolumns += *p == ',';
    size_t cap = strlen(table) + strlen(columns) + 4 * (size_t)c->ncolumns + 64;
    char *sql = malloc(cap);
    int rc = sql ? 0 : err_set(e, 500, "oom", "", "内存不足");
    if (rc == 0 && db->kind == DB_PG) {
        snprintf(sql, cap, "COPY %s (%s) FROM STDIN", table, columns);
        c->cap = COPY_FLUSH + 4096;
        rc = (c->buf = malloc(c->cap)) ? dbpg_copy_begin(db, sql, e) : err_set(e, 500, "oom", "", "内存不足");
    } else if (rc == 0) {
        size_t n = (size_t)snprintf(sql, cap, "INSERT INTO %s (%s) VALUES (", table, columns);
        for (int i = 0; i < c->ncolumns; i++)
            n += (size_t)snprintf(sql + n, cap - n, "%s?", i ? "," : "");
        snprintf(sql + n, cap - n, ")");
        rc = db_prepare(db, sql, &c->insert, e);
    }
    free(sql);
    if (rc < 0) {
        free(c->buf);
        free(c);
        return -1;
    }
    *out = c;
    return 0;
}

/* Room for n more bytes in c's buffer. */
static int reserve(struct db_copy *c, size_t n, struct err *e)
{
    if (c->len + n <= c->cap)
        return 0;
    size_t cap = (c->len + n) * 2;
    char *p = realloc(c->buf, cap);
    if (!p)
        return err_set(e, 500, "oom", "", "内存不足");
    c->buf = p;
    c->cap = cap;
    return 0;
}

/* A value in COPY's text format: \N for NULL; backslash, tab, newline and carriage return escaped. */
static int put_text(struct db_copy *c, const char *v, struct err *e)
{
    if (!v)
        v = "\\N";
    else if (reserve(c, 2 * strlen(v), e) < 0)
        return -1;
    else {
        for (; *v; v++) {
            char esc = *v == '\\' ? '\\' : *v == '\t' ? 't' : *v == '\n' ? 'n' : *v == '\r' ? 'r' : 0;
            if (esc)
                c->buf[c->len++] = '\\';
            c->buf[c->len++] = esc ? esc : *v;
        }
        return 0;
    }
    if (reserve(c, 2, e) < 0)
        return -1;
    memcpy(c->buf + c->len, v, 2);
    c->len += 2;
    return 0;
}

/* One value of a PostgreSQL row into the buffer, after a tab unless it is the first. */
static int put_value(struct db_copy *c, int i, const char *text, struct err *e)
{
    if (i > 0) {
        if (reserve(c, 1, e) < 0)
            return -1;
        c->buf[c->len++] = '\t';
    }
    return put_text(c, text, e);
}

/* The row's values as the types say: bound to the INSERT (SQLite, as db_run binds them) or written
 * in COPY's text format (PostgreSQL). */
static int put_row(struct db_copy *c, const char *types, va_list ap, struct err *e)
{
    struct db_stmt *st = c->insert;
    for (int i = 0; types[i]; i++) {
        char num[40];
        const char *text = num;
        if (types[i] == 'i' || types[i] == 'I') {
            int64_t v = va_arg(ap, int64_t);
            if (st) {
                types[i] == 'i' ? db_bind_int64(st, i + 1, v) : db_bind_id_or_null(st, i + 1, v);
                continue;
            }
            snprintf(num, sizeof num, "%" PRId64, v);
            if (types[i] == 'I' && v == 0)
                text = NULL;
        } else if (types[i] == 't' || types[i] == 'T') {
            text = va_arg(ap, const char *);
            if (types[i] == 'T' && text && !*text)
                text = NULL;
            if (st) {
                db_bind_text(st, i + 1, text);
                continue;
            }
        } else if (types[i] == 'd') {
            double v = va_arg(ap, double);
            if (st) {
                db_bind_double(st, i + 1, v);
                continue;
            }
            snprintf(num, sizeof num, "%.17g", v);
            if (isnan(v))
                text = NULL;
        } else
            return err_set(e, 500, "db_bind_types", "", "参数类型 '%c' 无效", types[i]);
        if (put_value(c, i, text, e) < 0)
            return -1;
    }
    if (st)
        return db_step(st, e) < 0 ? -1 : 0;
    if (reserve(c, 1, e) < 0)
        return -1;
    c->buf[c->len++] = '\n';
    if (c->len >= COPY_FLUSH) {
        if (dbpg_copy_put(c->db, c->buf, c->len, e) < 0)
            return -1;
        c->len = 0;
    }
    return 0;
}

int db_copy_row(struct db_copy *c, struct err *e, const char *types, ...)
{
    int rc;
    if ((int)strlen(types) != c->ncolumns)
        rc = err_set(e, 500, "db_bind_types", "", "每行应有 %d 个值，给了 %zu 个", c->ncolumns, strlen(types));
    else {
        va_list ap;
        va_start(ap, types);
        rc = put_row(c, types, ap, e);
        va_end(ap);
    }
    if (rc < 0)
        c->failed = 1;
    return rc;
}

int db_copy_end(struct db_copy *c, struct err *e)
{
    int rc = 0;
    if (c->insert) {
        db_finalize(c->insert);
        rc = c->failed ? -1 : 0;
    } else {
        if (!c->failed && c->len)
            rc = dbpg_copy_put(c->db, c->buf, c->len, e);
        /* a failed row ends the COPY with an error, so the server keeps none of it */
        struct err ignored = {0};
        int failed = c->failed || rc < 0;
        rc = dbpg_copy_end(c->db, failed ? "tuoyu: bulk load abandoned" : NULL, failed ? &ignored : e);
        if (failed)
            rc = -1;
    }
    free(c->buf);
    free(c);
    return rc;
}

int db_reserve_ids(struct db *db, const char *table, int64_t n, int64_t *first, struct err *e)
{
    if (!plain_name(table))
        return err_set(e, 500, "db_error", "", "数据库错误：表名无效");
    if (db->kind == DB_PG) { /* the identity column's sequence moved past the block */
        *first = db_query_int(db, e, NULL,
                              "SELECT setval(pg_get_serial_sequence(?, 'id'), "
                              "nextval(pg_get_serial_sequence(?, 'id')) + ? - 1) - ? + 1",
                              "ttii", table, table, n, n);
        return *first < 0 ? -1 : 0;
    }
    /* AUTOINCREMENT gives max(sqlite_sequence's seq, largest id) + 1: moving seq past the block
     * reserves it */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), "
             "COALESCE((SELECT MAX(id) FROM %s), 0)) + 1",
             table);
    *first = db_query_int(db, e, NULL, sql, "t", table);
    if (*first < 0)
        return -1;
    if (db_write(db, e, "DELETE FROM sqlite_sequence WHERE name = ?", "t", table) < 0 ||
        db_write(db, e, "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", "ti", table, *first + n - 1) < 0)
        return -1;
    return 0;
}
