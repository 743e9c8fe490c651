/* db.h — the one storage interface. Two implementations behind it: SQLite (embedded default,
 * sqlite.c) and PostgreSQL through libpq (pg.c). Callers write one SQL text with `?`
 * placeholders; for PostgreSQL they are rewritten to $1, $2, … (outside string literals).
 * Migrations may use the macros {{ID}} (auto-increment integer primary key), {{BLOB}}
 * (binary column) and {{NOW}} (current UTC timestamp text); nothing else is dialect-specific.
 *
 * A struct db is one connection and is used by one thread at a time. The server keeps one
 * per worker thread (db_thread_conn). Every write goes inside db_begin/db_commit.
 *
 *   struct db_stmt *st;
 *   if (db_prepare(db, "SELECT id, name FROM institution WHERE town_code = ?", &st, &e)) ...
 *   db_bind_text(st, 1, town);
 *   while ((rc = db_step(st, &e)) == DB_ROW) { db_col_int64(st, 0); db_col_text(st, 1); }
 *   db_finalize(st);
 *
 * Return values: 0 (or DB_ROW/DB_DONE from db_step) on success, negative on error with
 * struct err filled (code "db_error", or "db_conflict" for a unique/foreign-key violation,
 * status 409, field = the unique column when known; "db_busy", status 503, when the database
 * stayed locked past the busy timeout or PostgreSQL reported a serialization failure/deadlock). */
#ifndef TUOYU_DB_H
#define TUOYU_DB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum db_kind { DB_SQLITE = 1, DB_PG = 2 };
enum { DB_DONE = 0, DB_ROW = 1 };

struct db;
struct db_stmt;
struct db_params;

/* Where the database is: kind plus a path (SQLite) or a libpq conninfo (PostgreSQL). */
struct db_config {
    enum db_kind kind;
    char target[1024];
};

/* Open a connection. SQLite: WAL, foreign_keys=ON, synchronous=FULL, busy_timeout 5 s.
 * The file is created when missing. */
int db_open(const struct db_config *cfg, struct db **out, struct err *e);
void db_close(struct db *db);
enum db_kind db_kind_of(const struct db *db);

/* The calling thread's connection for cfg, opened on first use and closed at thread exit
 * (do not db_close it). One per thread and (kind, target); a PostgreSQL connection found broken
 * is reopened here. */
struct db *db_thread_conn(const struct db_config *cfg, struct err *e);
/* Close the calling thread's connection for cfg now, if it has one: the next db_thread_conn opens
 * a new one (a server found restarted, whose old connections are gone without a word). */
void db_thread_forget(const struct db_config *cfg);
/* Close the calling thread's db_thread_conn connections now (e.g. the main thread at exit). */
void db_thread_release(void);

/* Apply every embedded migration not yet applied (table schema_migrations), each in its own
 * transaction. Returns the number applied (>= 0) or negative on error. */
int db_migrate(struct db *db, struct err *e);
/* The same for a given list ended by {NULL, NULL} (db_migrate passes db_migrations; tests pass
 * their own). Applied in name order; a migration must not contain BEGIN/COMMIT. */
struct embedded_file;
int db_migrate_files(struct db *db, const struct embedded_file *files, struct err *e);

/* Transactions do not nest (db_begin inside one is an error). A failed db_commit rolls back.
 * PostgreSQL sends BEGIN together with the transaction's first statement (one round trip).
 * After a failed statement SQLite undoes only that statement, PostgreSQL aborts the whole
 * transaction (db_commit then fails): on an error, roll back. */
int db_begin(struct db *db, struct err *e);   /* SQLite: BEGIN IMMEDIATE */
int db_commit(struct db *db, struct err *e);
int db_rollback(struct db *db);               /* safe to call when no transaction is open */

/* Run SQL without parameters or results (may hold several statements). */
int db_exec(struct db *db, const char *sql, struct err *e);

/* One statement. Prepared statements are cached per connection by SQL text, so preparing the
 * same text again is cheap. A syntax error shows here (SQLite) or at the first db_step (PG). */
int db_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *e);
/* Parameters are 1-based. Text is copied. Binding again after db_step starts a new execution
 * of the statement (other parameters keep their values). Unbound parameters are NULL.
 * PostgreSQL: int64 is sent as bigint, double as double precision, blob as bytea, text untyped
 * (inferred from context like a quoted literal, so `? IS NULL` needs CAST(? AS TEXT) there).
 * A NaN double binds SQL NULL. */
int db_bind_text(struct db_stmt *st, int i, const char *v);   /* NULL binds SQL NULL */
int db_bind_int64(struct db_stmt *st, int i, int64_t v);
int db_bind_double(struct db_stmt *st, int i, double v);
int db_bind_blob(struct db_stmt *st, int i, const void *v, size_t n); /* NULL v binds SQL NULL */
int db_bind_null(struct db_stmt *st, int i);
/* Optional values of a record: an id of 0 binds SQL NULL, and so does an empty or NULL text. */
int db_bind_id_or_null(struct db_stmt *st, int i, int64_t v);
int db_bind_text_or_null(struct db_stmt *st, int i, const char *v);
/* DB_ROW when a row is ready, DB_DONE when finished, negative on error. */
int db_step(struct db_stmt *st, struct err *e);
/* Execute st as the last statement of the open transaction and commit, its rows (if any) unread:
 * on PostgreSQL the statement and COMMIT go in one round trip (pipeline mode), so locks the
 * statement takes are held only until that round trip's commit. On any failure the transaction
 * is rolled back and e filled. 0 or negative. */
int db_step_commit(struct db_stmt *st, struct err *e);
int db_col_count(struct db_stmt *st);
int db_col_is_null(struct db_stmt *st, int i);               /* columns are 0-based */
const char *db_col_text(struct db_stmt *st, int i);          /* NULL for SQL NULL; valid until next step */
int64_t db_col_int64(struct db_stmt *st, int i);
double db_col_double(struct db_stmt *st, int i);
const void *db_col_blob(struct db_stmt *st, int i, size_t *n);
json_t *db_col_json_text(struct db_stmt *st, int i);        /* a JSON string, or null for SQL NULL */
json_t *db_col_json_id(struct db_stmt *st, int i);          /* a JSON integer, or null for SQL NULL */
/* Column i's text (SQL NULL: "") into out of cap bytes, cut as parse_copy_text cuts (whole UTF-8
 * characters) when it does not fit: the text fields of a record read from a row. */
void db_col_copy(struct db_stmt *st, int i, char *out, size_t cap);
int64_t db_changes(struct db_stmt *st);                      /* rows changed by the last step */
void db_finalize(struct db_stmt *st);

/* A row's columns into a record's fields, in column order from column 0: one DB_I64, DB_INT, DB_F64 or
 * DB_TEXT a column, the way db_query's letters bind parameters in order. Each takes the field's address
 * (DB_TEXT: the char array itself, whose size it takes; a pointer does not compile), so a field of
 * another type is a compile error (-Werror=incompatible-pointer-types) and no column number is written
 * by hand. SQL NULL reads as 0 and "" (db_col_int64, db_col_copy). db_scan_from starts at column first,
 * for a row whose leading columns are read otherwise.
 *   db_scan(st, DB_I64(&r->id), DB_TEXT(r->town_code), DB_INT(&r->capacity), DB_F64(&r->lon)); */
struct db_col {
    char kind; /* 'i' int64_t, 'n' int, 'd' double, 't' text */
    int64_t *i64;
    int *num;
    double *f64;
    char *text;
    size_t cap;
};
#define DB_I64(p) ((struct db_col){.kind = 'i', .i64 = (p)})
#define DB_INT(p) ((struct db_col){.kind = 'n', .num = (p)})
#define DB_F64(p) ((struct db_col){.kind = 'd', .f64 = (p)})
#define DB_TEXT(a) ((struct db_col){.kind = 't', .text = (a), .cap = sizeof(a) + DB_MUST_BE_ARRAY(a)})
#define DB_MUST_BE_ARRAY(a)                                                                                            \
    0 * sizeof(struct {                                                                                                \
        _Static_assert(!__builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0])), "DB_TEXT needs an array");   \
        int x;                                                                                                         \
    })
void db_scan_cols(struct db_stmt *st, int first, const struct db_col *cols, size_t n);
#define DB_COLS(...)                                                                                                   \
    (const struct db_col[]){__VA_ARGS__}, sizeof((const struct db_col[]){__VA_ARGS__}) / sizeof(struct db_col)
#define db_scan(st, ...) db_scan_cols((st), 0, DB_COLS(__VA_ARGS__))
#define db_scan_from(st, first, ...) db_scan_cols((st), (first), DB_COLS(__VA_ARGS__))

/* Prepare, bind and run in one call, for the many statements with a handful of parameters. The
 * arguments after types are bound in order, one letter of types each: 'i' int64_t, 't' const char *
 * (NULL binds SQL NULL), 'I' and 'T' the same for an optional value of a record (db_bind_id_or_null,
 * db_bind_text_or_null: 0, "" and NULL bind SQL NULL), 'd' double, 'b' a blob as two arguments,
 * const void * (NULL binds SQL NULL) and its size_t length; any other letter fails with e
 * (500 "db_bind_types").
 *   db_query:     the statement, ready to step (finalize it), or NULL with e;
 *   db_run:       step once and finalize: the rows changed (>= 0), or -1 with e;
 *   db_write:     the same where the count does not matter: 0, or -1 with e;
 *   db_query_int: step once and finalize: the first column of the first row as an integer, with
 *                 *found = 1; *found = 0 (and 0 returned) when there is no row or it is NULL;
 *                 -1 with e on error. found may be NULL where a row always comes (a COUNT, an
 *                 INSERT … RETURNING) or 0 already means none.
 *   int64_t n = db_run(db, &e, "UPDATE offer SET status = ? WHERE id = ?", "ti", "lapsed", id); */
struct db_stmt *db_query(struct db *db, struct err *e, const char *sql, const char *types, ...);
int64_t db_run(struct db *db, struct err *e, const char *sql, const char *types, ...);
int db_write(struct db *db, struct err *e, const char *sql, const char *types, ...);
int64_t db_query_int(struct db *db, struct err *e, int *found, const char *sql, const char *types, ...);
/* db_query_int of the first n columns (counts, sums): out[i], 0 for NULL or when there is no row.
 * 0, or -1 with e. */
int db_query_counts(struct db *db, struct err *e, int64_t *out, int n, const char *sql, const char *types, ...);
/* db_query of a list in the caller's jurisdiction: fmt holds one %s where the scope's WHERE fragment
 * (authz_scope's sql) goes, the arguments of types are bound first, then the scope's parameters,
 * then limit as the last placeholder (limit < 0: fmt has no LIMIT placeholder).
 *   db_query_scoped(db, e, "SELECT … WHERE i.district_code = ? AND i.id > ? AND %s ORDER BY i.id LIMIT ?",
 *                   scope.sql, &scope.params, page.limit + 1, "ti", district, after_id); */
struct db_stmt *db_query_scoped(struct db *db, struct err *e, const char *fmt, const char *scope_sql,
                                const struct db_params *scope, int64_t limit, const char *types, ...);
/* A statement expected to give at most one row (st may be a failed db_query's NULL), stepped once:
 * 1 when the row is ready (read it, then db_finalize), 0 when there is none and -1 with e on error;
 * st is finalized in those two cases. */
int db_first_row(struct db_stmt *st, struct err *e);

/* The one row of st (from db_query; a NULL st gives -1, e already filled) read by row(st, item)
 * into item, zeroed first (size bytes): 1 when a row came, 0 when none did (item untouched), -1 with
 * e. st is finalized. db_one_or_404: no row is 404 not_found on field with the Chinese message;
 * 0 or -1 with e.
 *   return db_one_or_404(db_query(db, e, "SELECT … WHERE id = ? AND district_code = ?", "it", id, district),
 *                        e, sizeof *out, report_row, out, "id", "未找到该强制报告"); */
int db_one(struct db_stmt *st, struct err *e, size_t size, void (*row)(struct db_stmt *st, void *item), void *item);
int db_one_or_404(struct db_stmt *st, struct err *e, size_t size, void (*row)(struct db_stmt *st, void *item),
                  void *item, const char *field, const char *message);

/* Every row of st (from db_query; a NULL st gives -1, e already filled) into a malloc'd array of
 * items of size bytes each, row(st, item) filling each. 0 with *items (free it; NULL when
 * there are none) and *n, or -1 with e filled, *items NULL and *n 0. st is finalized. */
int db_rows(struct db_stmt *st, struct err *e, size_t size, void (*row)(struct db_stmt *st, void *item), void **items,
            size_t *n);
/* Every row of st (from db_query; a NULL st gives -1, e already filled) as a JSON array, row(st, ctx)
 * making each element: 0 with *out (the caller's), or -1 with e filled and *out NULL. st is finalized. */
int db_rows_json(struct db_stmt *st, struct err *e, json_t *(*row)(struct db_stmt *st, void *ctx), void *ctx,
                 json_t **out);
/* The row function of a list of ids: the first column into the int64_t at item. */
void db_row_int64(struct db_stmt *st, void *item);

/* After a failed write (e filled): a unique or foreign-key refusal (code "db_conflict") restated as
 * the caller's own 409 — its code, field and message (a printf format, Chinese); any other error
 * left as it is. Returns -1.
 *   if (db_run(...) < 0) return db_conflict_as(e, "already_recorded", "child_id", "该婴幼儿当天的考勤已登记"); */
int db_conflict_as(struct err *e, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "%q%" with % _ and \ escaped, for "… LIKE ? ESCAPE '\'" (a search by part of a name or
 * address), into out of cap bytes; cap DB_LIKE_SIZE(strlen(q)) always fits. -1 (out empty) when
 * it does not fit. */
#define DB_LIKE_SIZE(n) (2 * (n) + 3)
int db_like_contains(const char *q, char *out, size_t cap);

/* Values for the placeholders of a statement assembled from parts (filters of a list, the
 * authorization scope's WHERE fragment): each text or integer, bound in the order added. Text is
 * not copied (it must live until bound). Callers add a fixed, small number of values; adding more
 * than DB_PARAMS_MAX is a programming error (assert). */
#define DB_PARAMS_MAX 16
struct db_params {
    int n;
    int is_text[DB_PARAMS_MAX];
    const char *text[DB_PARAMS_MAX];
    int64_t num[DB_PARAMS_MAX];
};
void db_params_text(struct db_params *p, const char *v);
void db_params_int64(struct db_params *p, int64_t v);
/* Bind p's values to st from index first on; returns the next free index. */
int db_params_bind(const struct db_params *p, struct db_stmt *st, int first);

/* Bulk loading (the province-size demonstration data): many rows into one table inside the caller's
 * transaction, much faster than one INSERT each. PostgreSQL: COPY … FROM STDIN in the text format,
 * streamed; SQLite: one prepared INSERT stepped per row. columns is the table's column list ("a, b,
 * c"); each row gives one value per column with db_run's letters (i t I T d; no blobs). Nothing else
 * may run on db between db_copy_begin and db_copy_end, which frees c in every case (a PostgreSQL
 * row's error, a foreign key for instance, shows only there). 0, or -1 with e.
 *   db_copy_begin(db, "measurement", "district_code, child_id, measured_on", &c, e);
 *   db_copy_row(c, e, "tit", district, child_id, day);  …  db_copy_end(c, e); */
struct db_copy;
int db_copy_begin(struct db *db, const char *table, const char *columns, struct db_copy **out, struct err *e);
int db_copy_row(struct db_copy *c, struct err *e, const char *types, ...);
int db_copy_end(struct db_copy *c, struct err *e);
/* n new ids for table's {{ID}} column, first … first + n − 1, for rows written with their id given
 * (db_copy does not return ids): nobody else is given them. In a transaction. 0, or -1 with e. */
int db_reserve_ids(struct db *db, const char *table, int64_t n, int64_t *first, struct err *e);

/* Time spent in the database by this process, for /metrics: calls (statement executions —
 * the first db_step after prepare or rebind — plus db_exec calls) and total microseconds spent
 * in db_step and db_exec. Lock-free; any thread. */
void db_stats(uint64_t *calls, uint64_t *micros);

/* Online, consistent copy to a new file (mode 0600, never replacing one; code "backup_exists"
 * 409 when to_path exists). SQLite: the backup API, a self-contained file (journal_mode=DELETE).
 * PostgreSQL: pg_dump in custom format (-Fc) of the connection's database (pg_tools.c: the
 * program from PATH, the connection's parameters and password in its environment). */
int db_backup(struct db *db, const char *to_path, struct err *e);

/* Restoring. SQLite: copy the backup at from (opened read-only) to a new file to (0600, never
 * replacing) through the backup API and check the result with PRAGMA integrity_check; code
 * "backup_invalid" (422) when from is not a sound SQLite database, nothing left at to on error. */
int db_restore_sqlite(const char *from, const char *to, struct err *e);
/* PostgreSQL: read the whole archive at from (every data block, pg_restore to /dev/null; 422
 * "backup_invalid"), refuse a database that already holds tables or other relations (409
 * "restore_not_empty"), then pg_restore into db's database in one transaction, objects owned by
 * the connecting role (--no-owner --no-privileges). */
int db_restore_pg(struct db *db, const char *from, struct err *e);
/* PostgreSQL: the rows of one table in the archive at from, as pg_restore writes them for COPY:
 * *columns "a, b, c", *rows one line per row, tab-separated, \N for NULL (both "" when the
 * archive holds no such table; malloc'd, free both). 0 or -1. */
int db_archive_rows(const char *from, const char *table, char **columns, char **rows, struct err *e);

#endif
