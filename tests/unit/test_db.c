/* test_db.c — the storage layer (src/db/) against SQLite (a temp file) and, when the environment
 * variable TUOYU_TEST_PG holds a libpq conninfo, against PostgreSQL too (each test in its own
 * schema, so parallel runs do not collide). Covers: value types round trip, `?` rewriting,
 * transactions (and db_step_commit), error codes, migrations (order, once, concurrent, failure), one connection per
 * thread, backup and restore (SQLite file copies; PostgreSQL through pg_dump/pg_restore into
 * databases of its own), new files 0600, stats, and durability: a child killed with SIGKILL
 * mid-burst loses no acknowledged write. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/embed.h"
#include "db/db.h"
#include "db/db_internal.h"
#include "db/replica.h"

/* ---- fixtures: one fresh database per test ---- */

static enum db_kind cur_kind;   /* the group being run */
static const char *pg_base;     /* TUOYU_TEST_PG */
static int fixture_seq;

struct fx {
    struct db_config cfg;
    struct db *db;
    char path[256];   /* SQLite file */
    char schema[64];  /* PostgreSQL schema */
};

static void admin_exec(const char *sql)
{
    struct db_config c = {.kind = DB_PG};
    snprintf(c.target, sizeof c.target, "%s", pg_base);
    struct db *db;
    struct err e = {0};
    if (db_open(&c, &db, &e) < 0)
        fail_msg("cannot connect to TUOYU_TEST_PG: %s", e.message);
    if (db_exec(db, sql, &e) < 0)
        fail_msg("%s: %s", sql, e.message);
    db_close(db);
}

static void unlink_sqlite(const char *path)
{
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-journal", path);
    unlink(p);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->cfg.kind = cur_kind;
    fixture_seq++;
    if (cur_kind == DB_SQLITE) {
        snprintf(f->path, sizeof f->path, "/tmp/tuoyu-test-db-%d-%d.db", (int)getpid(), fixture_seq);
        unlink_sqlite(f->path);
        snprintf(f->cfg.target, sizeof f->cfg.target, "%s", f->path);
    } else {
        snprintf(f->schema, sizeof f->schema, "tdb_%d_%d_%ld", (int)getpid(), fixture_seq, (long)time(NULL) % 100000);
        char sql[128];
        snprintf(sql, sizeof sql, "CREATE SCHEMA %s", f->schema);
        admin_exec(sql);
        if (strstr(pg_base, "://"))
            snprintf(f->cfg.target, sizeof f->cfg.target, "%s%soptions=-csearch_path%%3D%s", pg_base,
                     strchr(pg_base, '?') ? "&" : "?", f->schema);
        else
            snprintf(f->cfg.target, sizeof f->cfg.target, "%s options='-csearch_path=%s'", pg_base, f->schema);
    }
    struct err e = {0};
    if (db_open(&f->cfg, &f->db, &e) < 0)
        fail_msg("db_open: %s", e.message);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    db_close(f->db);
    if (cur_kind == DB_SQLITE) {
        unlink_sqlite(f->path);
    } else {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", f->schema);
        admin_exec(sql);
    }
    free(f);
    return 0;
}

/* ---- helpers ---- */

static void run(struct db *db, const char *sql_with_macros)
{
    char *sql;
    struct err e = {0};
    assert_int_equal(db_expand_macros(db_kind_of(db), sql_with_macros, &sql, &e), 0);
    if (db_exec(db, sql, &e) < 0)
        fail_msg("%s: %s", sql, e.message);
    free(sql);
}

static int64_t scalar(struct db *db, const char *sql)
{
    struct db_stmt *st;
    struct err e = {0};
    if (db_prepare(db, sql, &st, &e) < 0)
        fail_msg("%s: %s", sql, e.message);
    int rc = db_step(st, &e);
    if (rc != DB_ROW)
        fail_msg("%s: no row (%s)", sql, e.message);
    int64_t v = db_col_int64(st, 0);
    db_finalize(st);
    return v;
}

static void insert_item(struct db *db, int64_t v)
{
    struct db_stmt *st;
    struct err e = {0};
    assert_int_equal(db_prepare(db, "INSERT INTO item (v) VALUES (?)", &st, &e), 0);
    db_bind_int64(st, 1, v);
    if (db_step(st, &e) != DB_DONE)
        fail_msg("insert: %s", e.message);
    db_finalize(st);
}

/* ---- value types ---- */

static const unsigned char blob_bytes[] = {0, 'a', 0, 0xff, 0x5c, 0x78, 0};

static void test_types(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    run(f->db, "CREATE TABLE v (id {{ID}}, t TEXT, i BIGINT, d DOUBLE PRECISION, b {{BLOB}})");
    const char *texts[] = {"托育服务 瓯海区 330304 \xF0\x9F\x91\xB6", "", "it's \"quoted\" ? $1 \\"};
    const int64_t ints[] = {INT64_MAX, INT64_MIN, 0, -1, 1};
    const double dbls[] = {3.141592653589793, -0.5, 1e-300, 1.7976931348623157e308, 0.1};
    int64_t ids[5];
    for (int r = 0; r < 5; r++) {
        struct db_stmt *st;
        assert_int_equal(db_prepare(f->db, "INSERT INTO v (t, i, d, b) VALUES (?, ?, ?, ?) RETURNING id", &st, &e), 0);
        if (r < 3)
            assert_int_equal(db_bind_text(st, 1, texts[r]), 0);
        else
            assert_int_equal(db_bind_text(st, 1, NULL), 0);
        assert_int_equal(db_bind_int64(st, 2, ints[r]), 0);
        assert_int_equal(db_bind_double(st, 3, dbls[r]), 0);
        if (r == 0)
            assert_int_equal(db_bind_blob(st, 4, blob_bytes, sizeof blob_bytes), 0);
        else if (r == 1)
            assert_int_equal(db_bind_blob(st, 4, "", 0), 0);
        else if (r == 2)
            assert_int_equal(db_bind_blob(st, 4, NULL, 0), 0);
        else
            assert_int_equal(db_bind_null(st, 4), 0);
        assert_true(db_bind_int64(st, 5, 1) < 0); /* out of range */
        assert_int_equal(db_step(st, &e), DB_ROW);
        ids[r] = db_col_int64(st, 0);
        assert_true(ids[r] > 0);
        assert_int_equal(db_step(st, &e), DB_DONE);
        db_finalize(st);
    }
    assert_true(ids[1] > ids[0]);

    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "SELECT t, i, d, b, NULL FROM v WHERE id = ?", &st, &e), 0);
    for (int r = 0; r < 5; r++) {
        db_bind_int64(st, 1, ids[r]); /* rebinding re-executes */
        assert_int_equal(db_step(st, &e), DB_ROW);
        assert_int_equal(db_col_count(st), 5);
        if (r < 3) {
            assert_string_equal(db_col_text(st, 0), texts[r]);
            assert_false(db_col_is_null(st, 0));
        } else {
            assert_null(db_col_text(st, 0));
            assert_true(db_col_is_null(st, 0));
        }
        assert_true(db_col_int64(st, 1) == ints[r]);
        assert_true(db_col_double(st, 2) == dbls[r]);
        size_t n = 99;
        const void *b = db_col_blob(st, 3, &n);
        if (r == 0) {
            assert_int_equal(n, sizeof blob_bytes);
            assert_memory_equal(b, blob_bytes, sizeof blob_bytes);
            assert_ptr_equal(db_col_blob(st, 3, &n), b); /* stable within the row */
        } else if (r == 1) {
            assert_non_null(b);
            assert_int_equal(n, 0);
            assert_false(db_col_is_null(st, 3));
        } else {
            assert_null(b);
            assert_int_equal(n, 0);
            assert_true(db_col_is_null(st, 3));
        }
        assert_true(db_col_is_null(st, 4));
        assert_int_equal(db_step(st, &e), DB_DONE);
    }
    db_finalize(st);

    /* changes: an UPDATE of three rows, a SELECT changes nothing */
    assert_int_equal(db_prepare(f->db, "UPDATE v SET i = i WHERE id >= ?", &st, &e), 0);
    db_bind_int64(st, 1, ids[2]);
    assert_int_equal(db_step(st, &e), DB_DONE);
    assert_int_equal(db_changes(st), 3);
    db_finalize(st);
    assert_int_equal(db_prepare(f->db, "SELECT id FROM v", &st, &e), 0);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_int_equal(db_changes(st), 0);
    db_finalize(st);
    assert_int_equal(db_prepare(f->db, "DELETE FROM v WHERE id = ? RETURNING id", &st, &e), 0);
    db_bind_int64(st, 1, ids[4]);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_true(db_col_int64(st, 0) == ids[4]);
    db_finalize(st);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM v"), 4);

    /* the same statement prepared twice at once (nested use) works */
    struct db_stmt *a, *b;
    assert_int_equal(db_prepare(f->db, "SELECT id FROM v ORDER BY id", &a, &e), 0);
    assert_int_equal(db_prepare(f->db, "SELECT id FROM v ORDER BY id", &b, &e), 0);
    assert_ptr_not_equal(a, b);
    int rows = 0;
    while (db_step(a, &e) == DB_ROW) {
        assert_int_equal(db_step(b, &e), DB_ROW);
        assert_true(db_col_int64(a, 0) == db_col_int64(b, 0));
        rows++;
    }
    assert_int_equal(rows, 4);
    db_finalize(a);
    db_finalize(b);
}

/* ---- prepare-bind-step in one call, and every row into an array ---- */

static void test_query_helpers(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    int found;
    run(f->db, "CREATE TABLE q (id {{ID}}, v BIGINT, d DOUBLE PRECISION, b {{BLOB}})");
    for (int64_t v = 1; v <= 100; v++) /* more rows than db_rows' first allocation */
        assert_int_equal(db_run(f->db, &e, "INSERT INTO q (v) VALUES (?)", "i", v), 1);
    assert_int_equal(db_run(f->db, &e, "UPDATE q SET v = v WHERE v > ?", "i", (int64_t)90), 10);

    /* 'b' binds the bytes as they are (NUL, backslash); a NaN double binds SQL NULL on both */
    int64_t id = db_query_int(f->db, &e, &found, "INSERT INTO q (v, d, b) VALUES (?, ?, ?) RETURNING id", "idb",
                              (int64_t)0, NAN, blob_bytes, sizeof blob_bytes);
    assert_true(id > 0);
    assert_int_equal(found, 1);
    struct db_stmt *st = db_query(f->db, &e, "SELECT b, d FROM q WHERE id = ?", "i", id);
    assert_int_equal(db_first_row(st, &e), 1);
    size_t n = 0;
    const void *b = db_col_blob(st, 0, &n);
    assert_int_equal(n, sizeof blob_bytes);
    assert_memory_equal(b, blob_bytes, sizeof blob_bytes);
    assert_true(db_col_is_null(st, 1));
    db_finalize(st);

    /* no row, a NULL value, a bad type letter */
    assert_int_equal(db_first_row(db_query(f->db, &e, "SELECT v FROM q WHERE id = ?", "i", (int64_t)-1), &e), 0);
    assert_int_equal(db_query_int(f->db, &e, &found, "SELECT v FROM q WHERE id = ?", "i", (int64_t)-1), 0);
    assert_int_equal(found, 0);
    assert_int_equal(db_query_int(f->db, &e, &found, "SELECT d FROM q WHERE id = ?", "i", id), 0);
    assert_int_equal(found, 0);
    /* no found to fill: the value alone */
    assert_int_equal(db_query_int(f->db, &e, NULL, "SELECT COUNT(*) FROM q WHERE v > ?", "i", (int64_t)90), 10);
    assert_int_equal(db_query_int(f->db, &e, NULL, "SELECT v FROM q WHERE id = ?", "i", (int64_t)-1), 0);
    assert_int_equal(db_run(f->db, &e, "UPDATE q SET v = ? WHERE id = ?", "xi", (int64_t)1, id), -1);
    assert_string_equal(e.code, "db_bind_types");

    /* 'I' and 'T', an optional value of a record: 0 and "" bind SQL NULL, other values as 'i' and 't' */
    run(f->db, "CREATE TABLE opt (id {{ID}}, n BIGINT, s TEXT)");
    int64_t none = db_query_int(f->db, &e, NULL, "INSERT INTO opt (n, s) VALUES (?, ?) RETURNING id", "IT",
                                (int64_t)0, "");
    int64_t some = db_query_int(f->db, &e, NULL, "INSERT INTO opt (n, s) VALUES (?, ?) RETURNING id", "IT",
                                (int64_t)7, "托育");
    assert_true(none > 0 && some > none);
    st = db_query(f->db, &e, "SELECT n, s FROM opt WHERE id = ?", "i", none);
    assert_int_equal(db_first_row(st, &e), 1);
    assert_true(db_col_is_null(st, 0) && db_col_is_null(st, 1));
    char text[8] = "x";
    db_col_copy(st, 1, text, sizeof text); /* SQL NULL: "" */
    assert_string_equal(text, "");
    db_finalize(st);
    st = db_query(f->db, &e, "SELECT n, s FROM opt WHERE id = ?", "i", some);
    assert_int_equal(db_first_row(st, &e), 1);
    assert_true(db_col_int64(st, 0) == 7);
    db_col_copy(st, 1, text, sizeof text);
    assert_string_equal(text, "托育");
    db_col_copy(st, 1, text, 5); /* too long: cut before the character that does not fit whole */
    assert_string_equal(text, "托");
    db_finalize(st);

    /* db_scan: columns in order into fields of their types, NULL as 0 and "", text cut to the array */
    struct {
        int64_t n;
        char s[5];
        int count;
        double ratio;
    } rec = {99, "x", 99, 9.5};
    st = db_query(f->db, &e, "SELECT n, s, 3, 0.25 FROM opt WHERE id = ?", "i", some);
    assert_int_equal(db_first_row(st, &e), 1);
    db_scan(st, DB_I64(&rec.n), DB_TEXT(rec.s), DB_INT(&rec.count), DB_F64(&rec.ratio));
    assert_true(rec.n == 7 && rec.count == 3 && rec.ratio == 0.25);
    assert_string_equal(rec.s, "托");
    db_finalize(st);
    st = db_query(f->db, &e, "SELECT 'skipped', n, s FROM opt WHERE id = ?", "i", none);
    assert_int_equal(db_first_row(st, &e), 1);
    db_scan_from(st, 1, DB_I64(&rec.n), DB_TEXT(rec.s));
    assert_true(rec.n == 0);
    assert_string_equal(rec.s, "");
    db_finalize(st);

    /* db_conflict_as: a unique refusal restated as the caller's 409; another error left as it is */
    run(f->db, "CREATE TABLE uq (id {{ID}}, k TEXT UNIQUE)");
    assert_int_equal(db_run(f->db, &e, "INSERT INTO uq (k) VALUES (?)", "t", "a"), 1);
    assert_int_equal(db_run(f->db, &e, "INSERT INTO uq (k) VALUES (?)", "t", "a"), -1);
    assert_string_equal(e.code, "db_conflict");
    assert_int_equal(db_conflict_as(&e, "k_taken", "k", "键 %s 已存在", "a"), -1);
    assert_int_equal(e.status, 409);
    assert_string_equal(e.code, "k_taken");
    assert_string_equal(e.field, "k");
    assert_string_equal(e.message, "键 a 已存在");
    assert_int_equal(db_run(f->db, &e, "INSERT INTO nowhere (k) VALUES (?)", "t", "a"), -1);
    char code[sizeof e.code];
    snprintf(code, sizeof code, "%s", e.code);
    assert_int_equal(db_conflict_as(&e, "k_taken", "k", "键已存在"), -1);
    assert_string_equal(e.code, code);

    void *rows;
    size_t count;
    assert_int_equal(db_rows(db_query(f->db, &e, "SELECT v FROM q WHERE v > ? ORDER BY v", "i", (int64_t)0), &e,
                             sizeof(int64_t), db_row_int64, &rows, &count),
                     0);
    assert_int_equal(count, 100);
    for (size_t i = 0; i < count; i++)
        assert_true(((int64_t *)rows)[i] == (int64_t)i + 1);
    free(rows);
    assert_int_equal(db_rows(db_query(f->db, &e, "SELECT v FROM q WHERE v > ?", "i", (int64_t)1000), &e,
                             sizeof(int64_t), db_row_int64, &rows, &count),
                     0);
    assert_null(rows);
    assert_int_equal(count, 0);
    assert_int_equal(db_rows(db_query(f->db, &e, "SELECT nothing FROM q", NULL), &e, sizeof(int64_t), db_row_int64,
                             &rows, &count),
                     -1);
    assert_null(rows);
}

/* ---- LIKE patterns: % _ and \ in the search text match only themselves ---- */

static void test_like_contains(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    char pat[DB_LIKE_SIZE(8)];
    assert_int_equal(db_like_contains("50%_a\\", pat, sizeof pat), 0);
    assert_string_equal(pat, "%50\\%\\_a\\\\%");
    assert_int_equal(db_like_contains("123456789", pat, sizeof pat), -1); /* does not fit: empty */
    assert_string_equal(pat, "");
    run(f->db, "CREATE TABLE lk (s TEXT)");
    run(f->db, "INSERT INTO lk VALUES ('托育50%_a\\园'), ('托育50xya\\园'), ('托育50%_ab园')");
    int found;
    assert_int_equal(db_like_contains("50%_a\\", pat, sizeof pat), 0);
    assert_int_equal(db_query_int(f->db, &e, &found, "SELECT COUNT(*) FROM lk WHERE s LIKE ? ESCAPE '\\'", "t", pat), 1);
    assert_int_equal(db_like_contains("", pat, sizeof pat), 0);
    assert_int_equal(db_query_int(f->db, &e, &found, "SELECT COUNT(*) FROM lk WHERE s LIKE ? ESCAPE '\\'", "t", pat), 3);
}

/* ---- `?` rewriting ---- */

static void test_rewrite_pure(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        int n;
    } cases[] = {
        {"SELECT 1", "SELECT 1", 0},
        {"SELECT ?", "SELECT $1", 1},
        {"SELECT ?,?", "SELECT $1,$2", 2},
        {"SELECT '?', ?", "SELECT '?', $1", 1},
        {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1},
        {"SELECT \"a?\" FROM t WHERE x = ?", "SELECT \"a?\" FROM t WHERE x = $1", 1},
        {"SELECT \"a\"\"?\" , ?", "SELECT \"a\"\"?\" , $1", 1},
        {"SELECT ? -- what?\n, ?", "SELECT $1 -- what?\n, $2", 2},
        {"SELECT ? -- ? at the end", "SELECT $1 -- ? at the end", 1},
        {"SELECT /* ? /* ? */ ? */ ?", "SELECT /* ? /* ? */ ? */ $1", 1},
        {"SELECT E'\\'?', ?", "SELECT E'\\'?', $1", 1},
        {"SELECT e'\\\\', ?", "SELECT e'\\\\', $1", 1},
        {"SELECT E'a''\\'?', ?", "SELECT E'a''\\'?', $1", 1},
        {"SELECT '', ?, ''''", "SELECT '', $1, ''''", 1},
        {"SELECT x'?', ?", "SELECT x'?', $1", 1},
        {"SELECT '\\', ?", "SELECT '\\', $1", 1}, /* standard strings: backslash is plain */
        {"SELECT $$ ? $$, $t$ '?' $t$, ?", "SELECT $$ ? $$, $t$ '?' $t$, $1", 1},
        {"SELECT '托育?', ?", "SELECT '托育?', $1", 1},
        {"SELECT 'unterminated ?", "SELECT 'unterminated ?", 0},
        {"SELECT /* unterminated ?", "SELECT /* unterminated ?", 0},
        {"?????????????", "$1$2$3$4$5$6$7$8$9$10$11$12$13", 13},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out;
        int n = -1;
        assert_int_equal(db_pg_rewrite(cases[i].in, &out, &n), 0);
        assert_string_equal(out, cases[i].out);
        assert_int_equal(n, cases[i].n);
        free(out);
    }
}

static void test_placeholders(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    run(f->db, "CREATE TABLE p (\"a?b\" TEXT, c TEXT, n BIGINT)");
    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db,
                                "INSERT INTO p (\"a?b\", c, n) -- are there ? marks here\n"
                                "VALUES (?, '?''?', /* ? */ ?)",
                                &st, &e),
                     0);
    db_bind_text(st, 1, "x?");
    db_bind_int64(st, 2, 42);
    assert_int_equal(db_step(st, &e), DB_DONE);
    assert_int_equal(db_changes(st), 1);
    db_finalize(st);
    assert_int_equal(db_prepare(f->db, "SELECT \"a?b\", c, n FROM p WHERE c = '?''?' AND \"a?b\" = ? AND n = ?", &st,
                                &e),
                     0);
    db_bind_text(st, 1, "x?");
    db_bind_int64(st, 2, 42);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "x?");
    assert_string_equal(db_col_text(st, 1), "?'?");
    assert_int_equal(db_col_int64(st, 2), 42);
    assert_int_equal(db_step(st, &e), DB_DONE);
    db_finalize(st);
    /* an unbound parameter is NULL; an extra bind is refused */
    assert_int_equal(db_prepare(f->db, "SELECT COUNT(*) FROM p WHERE c = ?", &st, &e), 0);
    assert_true(db_bind_text(st, 2, "x") < 0);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_int_equal(db_col_int64(st, 0), 0);
    db_finalize(st);
}

/* ---- transactions ---- */

static void test_transactions(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    run(f->db, "CREATE TABLE item (id {{ID}}, v BIGINT NOT NULL UNIQUE)");
    assert_int_equal(db_rollback(f->db), 0); /* no transaction: fine */

    assert_int_equal(db_begin(f->db, &e), 0);
    assert_true(db_begin(f->db, &e) < 0);    /* nested: refused, outer one still open */
    insert_item(f->db, 1);
    insert_item(f->db, 2);
    assert_int_equal(db_rollback(f->db), 0);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM item"), 0);

    assert_int_equal(db_begin(f->db, &e), 0);
    insert_item(f->db, 3);
    assert_int_equal(db_commit(f->db, &e), 0);
    assert_true(db_commit(f->db, &e) < 0);   /* nothing open */

    /* committed data is visible to another connection; uncommitted is not */
    struct db *other;
    assert_int_equal(db_open(&f->cfg, &other, &e), 0);
    assert_int_equal(scalar(other, "SELECT COUNT(*) FROM item WHERE v = 3"), 1);
    assert_int_equal(db_begin(f->db, &e), 0);
    insert_item(f->db, 4);
    assert_int_equal(scalar(other, "SELECT COUNT(*) FROM item"), 1);
    assert_int_equal(db_commit(f->db, &e), 0);
    assert_int_equal(scalar(other, "SELECT COUNT(*) FROM item"), 2);
    db_close(other);

    /* a failed statement inside a transaction: the caller rolls back, nothing of it stays */
    assert_int_equal(db_begin(f->db, &e), 0);
    insert_item(f->db, 5);
    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "INSERT INTO item (v) VALUES (?)", &st, &e), 0);
    db_bind_int64(st, 1, 3);
    assert_true(db_step(st, &e) < 0);
    db_finalize(st);
    assert_int_equal(db_rollback(f->db), 0);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM item"), 2);

    if (cur_kind == DB_PG) {
        /* PostgreSQL aborts the whole transaction: COMMIT must report it, not pretend */
        assert_int_equal(db_begin(f->db, &e), 0);
        insert_item(f->db, 6);
        assert_int_equal(db_prepare(f->db, "INSERT INTO item (v) VALUES (?)", &st, &e), 0);
        db_bind_int64(st, 1, 3);
        assert_true(db_step(st, &e) < 0);
        db_finalize(st);
        assert_true(db_commit(f->db, &e) < 0);
        assert_string_equal(e.code, "db_error");
        assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM item"), 2); /* connection usable */
    }
    /* exec runs several statements */
    assert_int_equal(db_exec(f->db, "INSERT INTO item (v) VALUES (10); INSERT INTO item (v) VALUES (11);", &e), 0);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM item"), 4);
    assert_true(db_exec(f->db, "INSERT INTO nonexistent VALUES (1)", &e) < 0);
    assert_string_equal(e.code, "db_error");
    assert_int_equal(e.status, 500);
}

/* db_step_commit: the last statement and COMMIT together (one round trip on PostgreSQL); a failure
 * of either rolls the whole transaction back. Also PostgreSQL's deferred BEGIN (sent with the
 * first statement): an empty transaction, and db_exec as the first statement. */
static void test_step_commit(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    struct db_stmt *st;
    run(f->db, "CREATE TABLE item (id {{ID}}, v BIGINT NOT NULL UNIQUE)");
    struct db *other;
    assert_int_equal(db_open(&f->cfg, &other, &e), 0);

    assert_int_equal(db_begin(f->db, &e), 0);
    insert_item(f->db, 1);
    assert_int_equal(db_prepare(f->db, "INSERT INTO item (v) VALUES (?) RETURNING id", &st, &e), 0);
    db_bind_int64(st, 1, 2);
    assert_int_equal(db_step_commit(st, &e), 0);
    db_finalize(st);
    assert_int_equal(scalar(other, "SELECT COUNT(*) FROM item"), 2);
    assert_true(db_commit(f->db, &e) < 0); /* committed: nothing open */

    /* the only statement of its transaction (PostgreSQL: BEGIN, it and COMMIT in one trip) */
    assert_int_equal(db_begin(f->db, &e), 0);
    assert_int_equal(db_prepare(f->db, "INSERT INTO item (v) VALUES (?)", &st, &e), 0);
    db_bind_int64(st, 1, 3);
    assert_int_equal(db_step_commit(st, &e), 0);
    db_finalize(st);
    assert_int_equal(scalar(other, "SELECT COUNT(*) FROM item"), 3);

    /* the last statement fails: the earlier one is rolled back with it, the connection is usable */
    assert_int_equal(db_begin(f->db, &e), 0);
    insert_item(f->db, 4);
    assert_int_equal(db_prepare(f->db, "INSERT INTO item (v) VALUES (?)", &st, &e), 0);
    db_bind_int64(st, 1, 1);
    assert_true(db_step_commit(st, &e) < 0);
    assert_string_equal(e.code, "db_conflict");
    db_finalize(st);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM item"), 3);
    assert_int_equal(scalar(other, "SELECT COUNT(*) FROM item WHERE v = 4"), 0);

    /* no transaction: refused, nothing run */
    assert_int_equal(db_prepare(f->db, "INSERT INTO item (v) VALUES (?)", &st, &e), 0);
    db_bind_int64(st, 1, 5);
    assert_true(db_step_commit(st, &e) < 0);
    db_finalize(st);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM item WHERE v = 5"), 0);

    /* an empty transaction commits; db_exec as the first statement runs inside the transaction */
    assert_int_equal(db_begin(f->db, &e), 0);
    assert_int_equal(db_commit(f->db, &e), 0);
    assert_int_equal(db_begin(f->db, &e), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO item (v) VALUES (6)", &e), 0);
    assert_int_equal(scalar(other, "SELECT COUNT(*) FROM item WHERE v = 6"), 0);
    assert_int_equal(db_rollback(f->db), 0);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM item WHERE v = 6"), 0);
    db_close(other);
}

/* ---- error codes ---- */

static void test_conflicts(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    run(f->db, "CREATE TABLE parent (id {{ID}}, login TEXT NOT NULL UNIQUE);"
               "CREATE TABLE child (id {{ID}}, parent_id BIGINT NOT NULL REFERENCES parent(id))");
    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "INSERT INTO parent (login) VALUES (?) RETURNING id", &st, &e), 0);
    db_bind_text(st, 1, "district-admin");
    assert_int_equal(db_step(st, &e), DB_ROW);
    int64_t pid = db_col_int64(st, 0);
    db_finalize(st);

    err_clear(&e);
    assert_int_equal(db_prepare(f->db, "INSERT INTO parent (login) VALUES (?)", &st, &e), 0);
    db_bind_text(st, 1, "district-admin");
    assert_true(db_step(st, &e) < 0);
    db_finalize(st);
    assert_string_equal(e.code, "db_conflict");
    assert_int_equal(e.status, 409);
    assert_string_equal(e.field, "login");

    err_clear(&e);
    assert_int_equal(db_prepare(f->db, "INSERT INTO child (parent_id) VALUES (?)", &st, &e), 0);
    db_bind_int64(st, 1, pid + 1000); /* foreign keys are enforced */
    assert_true(db_step(st, &e) < 0);
    db_finalize(st);
    assert_string_equal(e.code, "db_conflict");
    assert_int_equal(e.status, 409);

    assert_int_equal(db_prepare(f->db, "INSERT INTO child (parent_id) VALUES (?)", &st, &e), 0);
    db_bind_int64(st, 1, pid);
    assert_int_equal(db_step(st, &e), DB_DONE);
    db_finalize(st);
    err_clear(&e);
    assert_int_equal(db_prepare(f->db, "DELETE FROM parent WHERE id = ?", &st, &e), 0);
    db_bind_int64(st, 1, pid); /* still referenced */
    assert_true(db_step(st, &e) < 0);
    db_finalize(st);
    assert_string_equal(e.code, "db_conflict");

    err_clear(&e); /* NOT NULL is a plain error */
    assert_int_equal(db_prepare(f->db, "INSERT INTO parent (login) VALUES (?)", &st, &e), 0);
    assert_true(db_step(st, &e) < 0);
    db_finalize(st);
    assert_string_equal(e.code, "db_error");
    assert_int_equal(e.status, 500);

    err_clear(&e);
    /* a syntax error shows at db_prepare (SQLite) or at the first db_step (PostgreSQL) */
    if (db_prepare(f->db, "SELEKT 1", &st, &e) == 0) {
        assert_true(db_step(st, &e) < 0);
        db_finalize(st);
    }
    assert_string_equal(e.code, "db_error");
}

/* Another connection holds the write lock: SQLite waits out the 5 s busy timeout, PostgreSQL
 * (lock_timeout set here) reports lock_not_available; both map to db_busy. */
static void test_busy(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    run(f->db, "CREATE TABLE item (id {{ID}}, v BIGINT NOT NULL UNIQUE)");
    insert_item(f->db, 1);
    struct db *other;
    assert_int_equal(db_open(&f->cfg, &other, &e), 0);
    assert_int_equal(db_begin(f->db, &e), 0);
    assert_int_equal(db_exec(f->db, "UPDATE item SET v = 2", &e), 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc;
    if (cur_kind == DB_SQLITE) {
        rc = db_begin(other, &e);
    } else {
        assert_int_equal(db_exec(other, "SET lock_timeout = '200ms'", &e), 0);
        rc = db_exec(other, "UPDATE item SET v = 3", &e);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(rc < 0);
    assert_string_equal(e.code, "db_busy");
    assert_int_equal(e.status, 503);
    if (cur_kind == DB_SQLITE)
        assert_true(waited >= 4.5 && waited < 10.0);
    db_rollback(other);
    assert_int_equal(db_commit(f->db, &e), 0);
    assert_int_equal(scalar(other, "SELECT v FROM item"), 2);
    db_close(other);
}

/* ---- migrations ---- */

static const struct embedded_file migs_v1[] = {
    /* out of name order on purpose: 002 needs 001's table */
    {"002_more.sql", "INSERT INTO m1 (name) VALUES ('second');\n"
                     "CREATE TABLE m2 (id {{ID}}, m1_id BIGINT REFERENCES m1(id), data {{BLOB}});\n"},
    {"001_first.sql", "-- a comment with {braces} and 'quotes'\n"
                      "CREATE TABLE m1 (id {{ID}}, name TEXT NOT NULL, at TEXT NOT NULL DEFAULT {{NOW}});\n"
                      "INSERT INTO m1 (name) VALUES ('first');\n"},
    {NULL, NULL},
};

static const struct embedded_file migs_v2[] = {
    {"001_first.sql", "this text is not run again"},
    {"002_more.sql", "nor this"},
    {"003_third.sql", "INSERT INTO m1 (name) VALUES ('third');"},
    {NULL, NULL},
};

static const struct embedded_file migs_bad[] = {
    {"004_half.sql", "CREATE TABLE m4 (id {{ID}});\nINSERT INTO m4 (nonexistent) VALUES (1);"},
    {NULL, NULL},
};

static const struct embedded_file migs_macro[] = {
    {"005_macro.sql", "CREATE TABLE m5 (id {{SERIAL}});"},
    {NULL, NULL},
};

static int iso_utc(const char *s)
{
    /* YYYY-MM-DDTHH:MM:SSZ */
    if (!s || strlen(s) != 20)
        return 0;
    for (int i = 0; i < 20; i++) {
        char want = "0000-00-00T00:00:00Z"[i];
        if (want == '0' ? (s[i] < '0' || s[i] > '9') : s[i] != want)
            return 0;
    }
    return 1;
}

static int table_exists(struct db *db, const char *name)
{
    struct db_stmt *st;
    struct err e = {0};
    const char *sql = db_kind_of(db) == DB_SQLITE
                          ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
                          : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                            "AND table_name = ?";
    assert_int_equal(db_prepare(db, sql, &st, &e), 0);
    db_bind_text(st, 1, name);
    assert_int_equal(db_step(st, &e), DB_ROW);
    int n = (int)db_col_int64(st, 0);
    db_finalize(st);
    return n;
}

static void test_migrations(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    assert_int_equal(db_migrate_files(f->db, migs_v1, &e), 2);
    assert_int_equal(db_migrate_files(f->db, migs_v1, &e), 0);
    assert_int_equal(db_migrate_files(f->db, migs_v2, &e), 1);
    assert_int_equal(db_migrate_files(f->db, migs_v2, &e), 0);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM m1"), 3);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM schema_migrations"), 3);

    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "SELECT m1.name, m1.at, s.applied_at FROM m1, schema_migrations s "
                                       "WHERE s.name = '001_first.sql' ORDER BY m1.id",
                                &st, &e),
                     0);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "first"); /* 001 ran before 002 */
    assert_true(iso_utc(db_col_text(st, 1)));         /* {{NOW}} as a column default */
    assert_true(iso_utc(db_col_text(st, 2)));
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "second");
    db_finalize(st);

    /* {{ID}} and {{BLOB}} work in both dialects */
    assert_int_equal(db_prepare(f->db, "INSERT INTO m2 (m1_id, data) VALUES (1, ?) RETURNING id", &st, &e), 0);
    db_bind_blob(st, 1, blob_bytes, sizeof blob_bytes);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_true(db_col_int64(st, 0) >= 1);
    db_finalize(st);

    /* a failing migration: named in the error, nothing of it kept, not recorded */
    err_clear(&e);
    assert_true(db_migrate_files(f->db, migs_bad, &e) < 0);
    assert_string_equal(e.field, "004_half.sql");
    assert_non_null(strstr(e.message, "004_half.sql"));
    assert_int_equal(table_exists(f->db, "m4"), 0);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM schema_migrations"), 3);
    err_clear(&e);
    assert_true(db_migrate_files(f->db, migs_macro, &e) < 0);
    assert_non_null(strstr(e.message, "SERIAL"));
    assert_int_equal(table_exists(f->db, "m5"), 0);
}

struct mig_thread {
    struct db_config cfg;
    int applied;
    char err[512];
};

static const struct embedded_file migs_many[] = {
    {"001.sql", "CREATE TABLE once (name TEXT NOT NULL);"},
    {"002.sql", "INSERT INTO once VALUES ('002');"},
    {"003.sql", "INSERT INTO once VALUES ('003');"},
    {"004.sql", "INSERT INTO once VALUES ('004');"},
    {"005.sql", "INSERT INTO once VALUES ('005');"},
    {"006.sql", "INSERT INTO once VALUES ('006');"},
    {NULL, NULL},
};

static void *mig_run(void *arg)
{
    struct mig_thread *t = arg;
    struct db *db;
    struct err e = {0};
    t->applied = -1;
    if (db_open(&t->cfg, &db, &e) == 0) {
        t->applied = db_migrate_files(db, migs_many, &e);
        db_close(db);
    }
    snprintf(t->err, sizeof t->err, "%s", e.message);
    return NULL;
}

/* Several processes starting at once (here: threads with their own connections) apply each
 * migration exactly once between them. */
static void test_migrations_concurrent(void **state)
{
    struct fx *f = *state;
    enum { N = 4 };
    struct mig_thread t[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        memset(&t[i], 0, sizeof t[i]);
        t[i].cfg = f->cfg;
        assert_int_equal(pthread_create(&th[i], NULL, mig_run, &t[i]), 0);
    }
    int total = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        if (t[i].applied < 0)
            fail_msg("migrate in thread %d: %s", i, t[i].err);
        total += t[i].applied;
    }
    assert_int_equal(total, 6);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM once"), 5);
    assert_int_equal(scalar(f->db, "SELECT COUNT(DISTINCT name) FROM once"), 5);
}

/* The application's own migrations (src/db/migrations) apply on this database, once: all but
 * those written for the other dialect (*.pg.sql on SQLite, *.sqlite.sql on PostgreSQL). */
static void test_app_migrations(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    const char *other = db_kind_of(f->db) == DB_SQLITE ? ".pg.sql" : ".sqlite.sql";
    int n = 0, others = 0;
    for (int i = 0; db_migrations[i].name; i++) {
        const char *name = db_migrations[i].name;
        size_t len = strlen(name), k = strlen(other);
        if (len >= k && strcmp(name + len - k, other) == 0)
            others++;
        else
            n++;
    }
    assert_true(others > 0); /* the findings stamp's triggers (060) are written per dialect */
    int rc = db_migrate(f->db, &e);
    if (rc < 0)
        fail_msg("db_migrate: %s", e.message);
    assert_int_equal(rc, n);
    assert_int_equal(db_migrate(f->db, &e), 0);
}

/* ---- one connection per thread ---- */

struct conn_thread {
    const struct db_config *cfg, *cfg2;
    struct db *first, *second, *other;
    int ok;
};

static void *conn_run(void *arg)
{
    struct conn_thread *t = arg;
    struct err e = {0};
    t->first = db_thread_conn(t->cfg, &e);
    t->second = db_thread_conn(t->cfg, &e);
    if (t->cfg2)
        t->other = db_thread_conn(t->cfg2, &e);
    if (!t->first)
        return NULL;
    t->ok = 1;
    for (int i = 0; i < 20 && t->ok; i++) {
        int64_t v = (int64_t)(uintptr_t)t * 100 + i;
        struct db_stmt *st;
        t->ok = db_begin(t->first, &e) == 0 && db_prepare(t->first, "INSERT INTO item (v) VALUES (?)", &st, &e) == 0;
        if (!t->ok)
            break;
        db_bind_int64(st, 1, v % 1000000007);
        t->ok = db_step(st, &e) == DB_DONE;
        db_finalize(st);
        t->ok = t->ok && db_commit(t->first, &e) == 0;
    }
    if (!t->ok)
        fprintf(stderr, "conn thread: %s\n", e.message);
    return NULL; /* the thread's connections close here (key destructor) */
}

static void test_thread_conns(void **state)
{
    struct fx *f = *state;
    run(f->db, "CREATE TABLE item (id {{ID}}, v BIGINT NOT NULL)");
    struct db_config cfg2 = f->cfg;
    char path2[300] = "";
    if (cur_kind == DB_SQLITE) {
        snprintf(path2, sizeof path2, "%s-second.db", f->path);
        snprintf(cfg2.target, sizeof cfg2.target, "%s", path2);
    } else {
        snprintf(cfg2.target, sizeof cfg2.target, "%.990s application_name=second", f->cfg.target);
    }
    enum { N = 4 };
    struct conn_thread t[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        memset(&t[i], 0, sizeof t[i]);
        t[i].cfg = &f->cfg;
        t[i].cfg2 = &cfg2;
        assert_int_equal(pthread_create(&th[i], NULL, conn_run, &t[i]), 0);
    }
    for (int i = 0; i < N; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < N; i++) {
        assert_true(t[i].ok);
        assert_ptr_equal(t[i].first, t[i].second); /* the same connection within a thread */
        assert_non_null(t[i].other);
        assert_ptr_not_equal(t[i].first, t[i].other); /* another config, another connection */
    }
    /* each thread had its own connection: all alive at the same time, so all distinct */
    /* (pointers may be reused after a thread exits, so compare only via the row count) */
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM item"), N * 20);

    /* the main thread: same pointer twice, released on demand */
    struct err e = {0};
    struct db *a = db_thread_conn(&f->cfg, &e), *b = db_thread_conn(&f->cfg, &e);
    assert_non_null(a);
    assert_ptr_equal(a, b);
    assert_int_equal(scalar(a, "SELECT COUNT(*) FROM item"), N * 20);
    db_thread_release();
    db_thread_release(); /* twice is harmless */
    if (path2[0])
        unlink_sqlite(path2);
}

/* Threads that are alive at the same time never share a connection. */
struct hold_thread {
    const struct db_config *cfg;
    struct db *db;
    pthread_barrier_t *barrier;
};

static void *hold_run(void *arg)
{
    struct hold_thread *t = arg;
    struct err e = {0};
    t->db = db_thread_conn(t->cfg, &e);
    pthread_barrier_wait(t->barrier); /* everyone holds theirs before anyone exits */
    return NULL;
}

static void test_thread_conns_distinct(void **state)
{
    struct fx *f = *state;
    enum { N = 6 };
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, N);
    struct hold_thread t[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        t[i] = (struct hold_thread){.cfg = &f->cfg, .barrier = &barrier};
        assert_int_equal(pthread_create(&th[i], NULL, hold_run, &t[i]), 0);
    }
    for (int i = 0; i < N; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&barrier);
    for (int i = 0; i < N; i++) {
        assert_non_null(t[i].db);
        for (int j = 0; j < i; j++)
            assert_ptr_not_equal(t[i].db, t[j].db);
    }
}

/* db_thread_forget: the thread's connection for that config is closed and the next call opens
 * a new one that works; another config's connection is untouched. Run on its own thread, whose
 * connections close when it ends. */
static void *forget_run(void *arg)
{
    struct fx *f = arg;
    struct err e = {0};
    struct db_config other = f->cfg;
    if (cur_kind == DB_SQLITE)
        snprintf(other.target, sizeof other.target, "%s-other.db", f->path);
    else
        snprintf(other.target, sizeof other.target, "%.990s application_name=other", f->cfg.target);
    struct db *a = db_thread_conn(&f->cfg, &e), *b = db_thread_conn(&other, &e);
    assert_non_null(a);
    assert_non_null(b);
    db_thread_forget(&f->cfg);
    struct db *a2 = db_thread_conn(&f->cfg, &e);
    assert_non_null(a2);
    int found = 0;
    assert_int_equal(db_query_int(a2, &e, &found, "SELECT 1", ""), 1);
    assert_ptr_equal(db_thread_conn(&other, &e), b);
    db_thread_forget(&f->cfg); /* forgetting twice, or a config it has none for, is harmless */
    db_thread_forget(&f->cfg);
    return NULL;
}

static void test_thread_forget(void **state)
{
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, forget_run, *state), 0);
    pthread_join(th, NULL);
}

/* PostgreSQL WAL positions as the read replica's watcher reads and the tuoyu_wrote cookie carries
 * them: "hi/lo" in hex, both 32-bit. */
static void test_lsn(void **state)
{
    (void)state;
    assert_true(db_lsn_parse("16/B374D848") == 0x16B374D848ULL);
    assert_true(db_lsn_parse("0/3000000") == 0x3000000ULL);
    assert_true(db_lsn_parse("FFFFFFFF/FFFFFFFF") == 0xFFFFFFFFFFFFFFFFULL);
    char text[24];
    db_lsn_format(0x16B374D848ULL, text, sizeof text);
    assert_string_equal(text, "16/B374D848");
    assert_true(db_lsn_parse(text) == 0x16B374D848ULL);
    /* anything else is no position (0): a forged or cut cookie only sends reads to the primary */
    const char *bad[] = {NULL, "", "16", "/1", "1/", "16/B374D848x", "1 /2", "G/1", "100000000/0", "1/100000000", "1/2/3"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_true(db_lsn_parse(bad[i]) == 0);
}

/* ---- backup and restore ---- */

static mode_t file_mode(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 0777;
}

/* pg_base with another dbname (key=value or URI form alike) */
static void pg_conninfo_for(const char *dbname, char *out, size_t n)
{
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(pg_base, &errmsg);
    if (!opts)
        fail_msg("TUOYU_TEST_PG: %s", errmsg ? errmsg : "unparsable");
    size_t len = 0;
    out[0] = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        const char *v = strcmp(o->keyword, "dbname") == 0 ? dbname : o->val;
        if (v)
            len += (size_t)snprintf(out + len, n - len, "%s='%s' ", o->keyword, v);
        assert_true(len < n);
    }
    PQconninfoFree(opts);
}

/* PostgreSQL: a whole database is dumped and restored, so the test makes two of its own */
static void test_backup_pg(struct fx *f, const char *to)
{
    char name_a[64], name_b[64], sql[160], conn[1024];
    snprintf(name_a, sizeof name_a, "tuoyu_tdb_%d_%d_a", (int)getpid(), fixture_seq);
    snprintf(name_b, sizeof name_b, "tuoyu_tdb_%d_%d_b", (int)getpid(), fixture_seq);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'", name_a);
    admin_exec(sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'", name_b);
    admin_exec(sql);
    struct db_config ca = {.kind = DB_PG}, cb = {.kind = DB_PG};
    pg_conninfo_for(name_a, conn, sizeof conn);
    snprintf(ca.target, sizeof ca.target, "%s", conn);
    pg_conninfo_for(name_b, conn, sizeof conn);
    snprintf(cb.target, sizeof cb.target, "%s", conn);
    struct err e = {0};
    struct db *a, *b;
    assert_int_equal(db_open(&ca, &a, &e), 0);
    assert_int_equal(db_open(&cb, &b, &e), 0);
    (void)f;
    run(a, "CREATE TABLE item (id {{ID}}, v BIGINT NOT NULL)");
    for (int i = 0; i < 500; i++)
        insert_item(a, i);
    assert_int_equal(db_backup(a, to, &e), 0);
    assert_int_equal(file_mode(to), 0600);
    char magic[6] = "";
    FILE *fp = fopen(to, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(magic, 1, 5, fp), 5);
    fclose(fp);
    assert_string_equal(magic, "PGDMP"); /* pg_dump custom format */
    assert_true(db_backup(a, to, &e) < 0);
    assert_string_equal(e.code, "backup_exists");
    /* one table's rows read from the archive */
    char *columns, *rows;
    assert_int_equal(db_archive_rows(to, "item", &columns, &rows, &e), 0);
    assert_string_equal(columns, "id, v");
    int lines = 0;
    for (const char *p = rows; (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, 500);
    assert_int_equal(strncmp(rows, "1\t0\n", 4), 0);
    free(columns);
    free(rows);
    assert_int_equal(db_archive_rows(to, "no_such_table", &columns, &rows, &e), 0);
    assert_string_equal(rows, "");
    free(columns);
    free(rows);
    /* restored into the empty database; a second time it is not empty any more */
    assert_int_equal(db_restore_pg(b, to, &e), 0);
    assert_int_equal(scalar(b, "SELECT COUNT(*) FROM item"), 500);
    assert_int_equal(scalar(b, "SELECT SUM(v) FROM item"), 499 * 500 / 2);
    assert_true(db_restore_pg(b, to, &e) < 0);
    assert_string_equal(e.code, "restore_not_empty");
    /* a truncated archive is refused before anything is restored */
    assert_int_equal(truncate(to, 300), 0);
    assert_true(db_restore_pg(b, to, &e) < 0);
    assert_string_equal(e.code, "backup_invalid");
    db_close(a);
    db_close(b);
    unlink(to);
    snprintf(sql, sizeof sql, "DROP DATABASE %s", name_a);
    admin_exec(sql);
    snprintf(sql, sizeof sql, "DROP DATABASE %s", name_b);
    admin_exec(sql);
}

static void test_backup(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    char to[300], restored[320];
    snprintf(to, sizeof to, "/tmp/tuoyu-test-db-backup-%d-%d.db", (int)getpid(), fixture_seq);
    snprintf(restored, sizeof restored, "%s.restored", to);
    unlink_sqlite(to);
    unlink_sqlite(restored);
    mode_t old_umask = umask(022);
    if (cur_kind == DB_PG) {
        test_backup_pg(f, to);
        umask(old_umask);
        return;
    }
    run(f->db, "CREATE TABLE item (id {{ID}}, v BIGINT NOT NULL)");
    for (int i = 0; i < 500; i++)
        insert_item(f->db, i);
    assert_int_equal(db_backup(f->db, to, &e), 0);
    assert_int_equal(file_mode(to), 0600);
    struct db_config c = {.kind = DB_SQLITE};
    snprintf(c.target, sizeof c.target, "%s", to);
    struct db *copy;
    assert_int_equal(db_open(&c, &copy, &e), 0);
    assert_int_equal(scalar(copy, "SELECT COUNT(*) FROM item"), 500);
    assert_int_equal(scalar(copy, "SELECT SUM(v) FROM item"), 499 * 500 / 2);
    db_close(copy);
    /* never overwrite */
    struct stat before, after;
    assert_int_equal(stat(to, &before), 0);
    insert_item(f->db, 1000);
    err_clear(&e);
    assert_true(db_backup(f->db, to, &e) < 0);
    assert_string_equal(e.code, "backup_exists");
    assert_int_equal(stat(to, &after), 0);
    assert_true(before.st_size == after.st_size && before.st_mtime == after.st_mtime);
    /* restore: a checked copy in a new 0600 file, never over an existing one */
    assert_int_equal(db_restore_sqlite(to, restored, &e), 0);
    assert_int_equal(file_mode(restored), 0600);
    snprintf(c.target, sizeof c.target, "%s", restored);
    assert_int_equal(db_open(&c, &copy, &e), 0);
    assert_int_equal(scalar(copy, "SELECT SUM(v) FROM item"), 499 * 500 / 2);
    db_close(copy);
    assert_true(db_restore_sqlite(to, restored, &e) < 0);
    assert_int_equal(e.status, 409);
    unlink_sqlite(restored);
    /* a damaged copy fails the integrity check and leaves nothing behind */
    int fd = open(to, O_WRONLY);
    assert_true(fd >= 0);
    char junk[4096];
    memset(junk, 0x5a, sizeof junk);
    assert_int_equal(pwrite(fd, junk, sizeof junk, 4096), (ssize_t)sizeof junk); /* page 2: the table */
    close(fd);
    assert_true(db_restore_sqlite(to, restored, &e) < 0);
    assert_string_equal(e.code, "backup_invalid");
    assert_int_equal(access(restored, F_OK), -1);
    unlink_sqlite(to);
    /* an unwritable place: error, nothing left behind */
    err_clear(&e);
    assert_true(db_backup(f->db, "/nonexistent-dir/x.db", &e) < 0);
    assert_string_equal(e.code, "backup_failed");
    umask(old_umask);
}

/* ---- stats ---- */

static void test_stats(void **state)
{
    struct fx *f = *state;
    uint64_t c0, m0, c1, m1;
    db_stats(&c0, &m0);
    run(f->db, "CREATE TABLE item (id {{ID}}, v BIGINT NOT NULL)");
    for (int i = 0; i < 10; i++)
        insert_item(f->db, i);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM item"), 10);
    db_stats(&c1, &m1);
    assert_true(c1 >= c0 + 12); /* 1 exec, 10 inserts, 1 select */
    assert_true(m1 >= m0);
}

/* ---- durability: SIGKILL mid-burst loses no acknowledged write ---- */

static void durability_child(const struct db_config *cfg, int fd)
{
    struct db *db;
    struct err e = {0};
    if (db_open(cfg, &db, &e) < 0)
        _exit(3);
    for (int64_t i = 1;; i++) {
        struct db_stmt *st;
        if (db_begin(db, &e) < 0 || db_prepare(db, "INSERT INTO item (v) VALUES (?)", &st, &e) < 0)
            _exit(4);
        db_bind_int64(st, 1, i);
        int rc = db_step(st, &e);
        db_finalize(st);
        if (rc != DB_DONE || db_commit(db, &e) < 0)
            _exit(5);
        /* acknowledged only now, after the commit returned */
        if (write(fd, &i, sizeof i) != (ssize_t)sizeof i)
            _exit(6);
    }
}

static void test_durability(void **state)
{
    struct fx *f = *state;
    run(f->db, "CREATE TABLE item (id {{ID}}, v BIGINT NOT NULL UNIQUE)");
    int p[2];
    assert_int_equal(pipe(p), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        durability_child(&f->cfg, p[1]);
        _exit(0);
    }
    close(p[1]);
    int64_t *acked = malloc(sizeof *acked * 1000000);
    assert_non_null(acked);
    size_t n = 0;
    int64_t v;
    while (n < 150 && read(p[0], &v, sizeof v) == (ssize_t)sizeof v)
        acked[n++] = v;
    kill(pid, SIGKILL); /* mid-burst: the child is between commits or inside one */
    while (n < 1000000 && read(p[0], &v, sizeof v) == (ssize_t)sizeof v)
        acked[n++] = v; /* written before the kill: acknowledged too */
    close(p[0]);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_true(n >= 150);

    /* reopen from scratch, as after a crash */
    db_close(f->db);
    struct err e = {0};
    assert_int_equal(db_open(&f->cfg, &f->db, &e), 0);
    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "SELECT COUNT(*) FROM item WHERE v = ?", &st, &e), 0);
    for (size_t i = 0; i < n; i++) {
        assert_true(acked[i] == (int64_t)i + 1);
        db_bind_int64(st, 1, acked[i]);
        assert_int_equal(db_step(st, &e), DB_ROW);
        if (db_col_int64(st, 0) != 1)
            fail_msg("acknowledged write %lld lost", (long long)acked[i]);
    }
    db_finalize(st);
    /* at most the one in flight beyond the last acknowledgement */
    assert_true(scalar(f->db, "SELECT COUNT(*) FROM item") <= (int64_t)n + 1);
    free(acked);
}

/* ---- SQLite specifics ---- */

static void test_sqlite_settings(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    assert_int_equal(scalar(f->db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(scalar(f->db, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(scalar(f->db, "PRAGMA busy_timeout"), 5000);
    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "PRAGMA journal_mode", &st, &e), 0);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "wal");
    db_finalize(st);
    /* one statement per db_prepare; trailing semicolons and comments are fine */
    assert_true(db_prepare(f->db, "SELECT 1; SELECT 2", &st, &e) < 0);
    assert_int_equal(db_prepare(f->db, "SELECT 1; -- done\n", &st, &e), 0);
    db_finalize(st);
    /* more distinct statements than the cache holds */
    for (int i = 0; i < 3 * DB_SQ_CACHE; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT %d", i);
        assert_int_equal(scalar(f->db, sql), i);
    }
    /* the file is opened in place: a second db_open sees the same data */
    assert_int_equal(db_exec(f->db, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);", &e), 0);
    struct db *again;
    assert_int_equal(db_open(&f->cfg, &again, &e), 0);
    assert_int_equal(scalar(again, "SELECT x FROM t"), 7);
    db_close(again);
    struct db_config bad = {.kind = DB_SQLITE, .target = "/nonexistent-dir/x.db"};
    assert_true(db_open(&bad, &again, &e) < 0);
    assert_string_equal(e.code, "db_error");
    /* a new database and its -wal and -shm are 0600 whatever the umask (password hashes inside) */
    struct db_config fresh = {.kind = DB_SQLITE};
    snprintf(fresh.target, sizeof fresh.target, "%s.new", f->path);
    unlink_sqlite(fresh.target);
    mode_t old_umask = umask(022);
    assert_int_equal(db_open(&fresh, &again, &e), 0);
    assert_int_equal(db_exec(again, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);", &e), 0);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[1100];
        snprintf(p, sizeof p, "%s%s", fresh.target, suffix[i]);
        assert_int_equal(file_mode(p), 0600);
    }
    db_close(again);
    umask(old_umask);
    unlink_sqlite(fresh.target);
}

static void test_pg_settings(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "SHOW client_encoding", &st, &e), 0);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "UTF8");
    db_finalize(st);
    /* booleans read as 0/1 */
    assert_int_equal(scalar(f->db, "SELECT 1 = 1"), 1);
    assert_int_equal(scalar(f->db, "SELECT 1 = 2"), 0);

    /* statements are prepared once per connection, survive a rollback, and recover from DDL */
    run(f->db, "CREATE TABLE item (id {{ID}}, v BIGINT NOT NULL)");
    for (int i = 0; i < 5; i++)
        insert_item(f->db, i);
    assert_int_equal(db_begin(f->db, &e), 0);
    insert_item(f->db, 5);
    assert_int_equal(db_rollback(f->db), 0);
    insert_item(f->db, 6);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE "
                                   "'INSERT INTO item (v) VALUES ($1)'"),
                     1);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM item"), 6);
    assert_int_equal(db_prepare(f->db, "SELECT * FROM item WHERE v = ?", &st, &e), 0);
    db_bind_int64(st, 1, 6);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_int_equal(db_col_count(st), 2);
    db_finalize(st);
    run(f->db, "ALTER TABLE item ADD COLUMN w TEXT");
    for (int i = 0, ok = 0; i < 2 && !ok; i++) { /* the first try may fail: cached plan changed type */
        assert_int_equal(db_prepare(f->db, "SELECT * FROM item WHERE v = ?", &st, &e), 0);
        db_bind_int64(st, 1, 6);
        ok = db_step(st, &e) == DB_ROW;
        if (ok)
            assert_int_equal(db_col_count(st), 3);
        else
            assert_int_equal(i, 0);
        db_finalize(st);
    }

    /* a thread connection whose server session died is reopened by db_thread_conn */
    struct db *tc = db_thread_conn(&f->cfg, &e);
    assert_non_null(tc);
    assert_int_equal(scalar(tc, "SELECT COUNT(*) FROM item WHERE v >= 0"), 6); /* prepared on tc */
    char kill_sql[96];
    snprintf(kill_sql, sizeof kill_sql, "SELECT pg_terminate_backend(%lld)",
             (long long)scalar(tc, "SELECT pg_backend_pid()"));
    admin_exec(kill_sql);
    assert_int_equal(db_prepare(tc, "SELECT COUNT(*) FROM item WHERE v >= 0", &st, &e), 0);
    assert_true(db_step(st, &e) < 0);
    db_finalize(st);
    assert_ptr_equal(db_thread_conn(&f->cfg, &e), tc);
    assert_int_equal(scalar(tc, "SELECT COUNT(*) FROM item WHERE v >= 0"), 6);
    db_thread_release();

    struct db_config bad = {.kind = DB_PG, .target = "host=127.0.0.1 port=1 dbname=x connect_timeout=2"};
    struct db *db;
    assert_true(db_open(&bad, &db, &e) < 0);
}

#define BOTH(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* ---- bulk loading ---- */

/* db_copy writes what db_run would (text with the characters COPY escapes, numbers, NULLs), with
 * ids given from db_reserve_ids, which the table's own ids then skip; a bad row rolls nothing in. */
static void test_copy(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    run(f->db, "CREATE TABLE thing (id {{ID}}, t TEXT, n BIGINT, x DOUBLE PRECISION)");
    assert_int_equal(db_begin(f->db, &e), 0);
    assert_int_equal(db_write(f->db, &e, "INSERT INTO thing (t) VALUES ('first')", ""), 0);
    int64_t first = 0;
    assert_int_equal(db_reserve_ids(f->db, "thing", 3, &first, &e), 0);
    assert_int_equal(first, 2);
    struct db_copy *c;
    assert_int_equal(db_copy_begin(f->db, "thing", "id, t, n, x", &c, &e), 0);
    static const char tricky[] = "tab\there, line\nnext, back\\slash \\N, 中文\r";
    assert_int_equal(db_copy_row(c, &e, "itid", first, tricky, (int64_t)-42, 0.1), 0);
    assert_int_equal(db_copy_row(c, &e, "iTId", first + 1, "", (int64_t)0, 1e300), 0);
    assert_int_equal(db_copy_row(c, &e, "itid", first + 2, "\\N", INT64_MAX, -2.5), 0);
    assert_int_equal(db_copy_row(c, &e, "it", first, "too few"), -1);
    assert_string_equal(e.code, "db_bind_types");
    assert_int_equal(db_copy_end(c, &e), -1); /* a bad row: the load is abandoned */
    db_rollback(f->db);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM thing"), 0);

    assert_int_equal(db_begin(f->db, &e), 0);
    assert_int_equal(db_reserve_ids(f->db, "thing", 3, &first, &e), 0);
    assert_int_equal(db_copy_begin(f->db, "thing", "id, t, n, x", &c, &e), 0);
    assert_int_equal(db_copy_row(c, &e, "itid", first, tricky, (int64_t)-42, 0.1), 0);
    assert_int_equal(db_copy_row(c, &e, "iTId", first + 1, "", (int64_t)0, 1e300), 0);
    assert_int_equal(db_copy_row(c, &e, "itid", first + 2, "\\N", INT64_MAX, -2.5), 0);
    if (db_copy_end(c, &e) < 0)
        fail_msg("db_copy_end: %s", e.message);
    assert_int_equal(db_write(f->db, &e, "INSERT INTO thing (t) VALUES ('after')", ""), 0);
    assert_int_equal(db_commit(f->db, &e), 0);
    struct db_stmt *st = db_query(f->db, &e, "SELECT id, t, n, x FROM thing ORDER BY id", "");
    assert_non_null(st);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_int_equal(db_col_int64(st, 0), first);
    assert_string_equal(db_col_text(st, 1), tricky);
    assert_int_equal(db_col_int64(st, 2), -42);
    assert_true(db_col_double(st, 3) == 0.1);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_true(db_col_is_null(st, 1) && db_col_is_null(st, 2));
    assert_true(db_col_double(st, 3) == 1e300);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_string_equal(db_col_text(st, 1), "\\N");
    assert_int_equal(db_col_int64(st, 2), INT64_MAX);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_int_equal(db_col_int64(st, 0), first + 3); /* the table's next id skips the reserved ones */
    assert_string_equal(db_col_text(st, 1), "after");
    assert_int_equal(db_step(st, &e), DB_DONE);
    db_finalize(st);
    /* a foreign key refused inside a COPY shows at its end, as a conflict */
    run(f->db, "CREATE TABLE part (id {{ID}}, thing_id BIGINT NOT NULL REFERENCES thing(id))");
    assert_int_equal(db_begin(f->db, &e), 0);
    assert_int_equal(db_copy_begin(f->db, "part", "thing_id", &c, &e), 0);
    int rc = db_copy_row(c, &e, "i", (int64_t)999);
    rc = db_copy_end(c, &e) < 0 || rc < 0 || db_commit(f->db, &e) < 0 ? -1 : 0;
    assert_int_equal(rc, -1);
    assert_string_equal(e.code, "db_conflict");
    db_rollback(f->db);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM part"), 0);
    assert_int_equal(db_copy_begin(f->db, "thing; DROP TABLE thing", "id", &c, &e), -1);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_rewrite_pure),
        cmocka_unit_test(test_lsn),
    };
    const struct CMUnitTest common[] = {
        BOTH(test_types),         BOTH(test_placeholders),          BOTH(test_transactions),
        BOTH(test_conflicts),     BOTH(test_busy),                  BOTH(test_migrations),
        BOTH(test_migrations_concurrent), BOTH(test_app_migrations), BOTH(test_thread_conns),
        BOTH(test_thread_conns_distinct), BOTH(test_backup),        BOTH(test_stats),
        BOTH(test_durability),    BOTH(test_step_commit),       BOTH(test_query_helpers),
        BOTH(test_like_contains),  BOTH(test_thread_forget),      BOTH(test_copy),
    };
    const struct CMUnitTest sqlite_only[] = {BOTH(test_sqlite_settings)};
    const struct CMUnitTest pg_only[] = {BOTH(test_pg_settings)};
    int failed = cmocka_run_group_tests_name("db_rewrite", pure, NULL, NULL);
    cur_kind = DB_SQLITE;
    failed += cmocka_run_group_tests_name("db_sqlite", common, NULL, NULL);
    failed += cmocka_run_group_tests_name("db_sqlite_only", sqlite_only, NULL, NULL);
    pg_base = getenv("TUOYU_TEST_PG");
    if (pg_base && *pg_base) {
        cur_kind = DB_PG;
        failed += cmocka_run_group_tests_name("db_pg", common, NULL, NULL);
        failed += cmocka_run_group_tests_name("db_pg_only", pg_only, NULL, NULL);
    } else {
        printf("\n# test_db: PostgreSQL half SKIPPED: TUOYU_TEST_PG is not set "
               "(e.g. TUOYU_TEST_PG=\"$(sh tools/pg-test.sh | tail -n 1)\")\n");
    }
    return failed;
}
