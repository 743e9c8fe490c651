/* test_audit.c — the hash chain on a real SQLite database (and PostgreSQL when TUOYU_TEST_PG is
 * set): appends link rows, verify accepts an intact chain and names the first tampered,
 * deleted or truncated row, and a rolled-back transaction leaves no audit row behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit/audit.h"
#include "db/db.h"

struct fixture {
    struct db *db;
    char path[256];
};

static int setup_sqlite(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/tuoyu-test-audit-%d.db", (int)getpid());
    unlink(f->path);
    struct db_config cfg = {.kind = DB_SQLITE};
    snprintf(cfg.target, sizeof cfg.target, "%s", f->path);
    struct err e = {0};
    assert_int_equal(db_open(&cfg, &f->db, &e), 0);
    assert_true(db_migrate(f->db, &e) >= 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    if (f->path[0]) {
        char p[300];
        unlink(f->path);
        snprintf(p, sizeof p, "%s-wal", f->path);
        unlink(p);
        snprintf(p, sizeof p, "%s-shm", f->path);
        unlink(p);
    }
    free(f);
    return 0;
}

static void append(struct db *db, const char *action, int64_t at)
{
    struct err e = {0};
    json_t *fields = json_pack("{s:s, s:i}", "name", "某某托育", "places", 20);
    struct audit_entry a = {.district_code = "330304", .at = at, .user_id = 0, .login = "test", .action = action,
                            .target_type = "institution", .target_id = "7", .fields = fields, .request_id = "req-1"};
    assert_int_equal(db_begin(db, &e), 0);
    assert_int_equal(audit_append(db, &a, &e), 0);
    assert_int_equal(db_commit(db, &e), 0);
    json_decref(fields);
}

static void exec(struct db *db, const char *sql)
{
    struct err e = {0};
    assert_int_equal(db_exec(db, sql, &e), 0);
}

static void test_chain_intact_then_tampered(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int64_t bad, rows;
    assert_int_equal(audit_verify(f->db, "330304", &bad, &rows, &e), 0);
    assert_int_equal(rows, 0);
    for (int i = 0; i < 5; i++)
        append(f->db, "institution.update", 1700000000 + i);
    assert_int_equal(audit_verify(f->db, "330304", &bad, &rows, &e), 0);
    assert_int_equal(rows, 5);

    exec(f->db, "UPDATE audit_log SET fields = '{\"places\":99}' WHERE id = 3");
    assert_int_equal(audit_verify(f->db, "330304", &bad, &rows, &e), 1);
    assert_int_equal(bad, 3);
}

static void test_deleted_row_and_truncated_tail_are_found(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int64_t bad, rows;
    for (int i = 0; i < 4; i++)
        append(f->db, "institution.create", 1700000000 + i);
    exec(f->db, "DELETE FROM audit_log WHERE id = 2");
    assert_int_equal(audit_verify(f->db, "330304", &bad, &rows, &e), 1);
    assert_int_equal(bad, 3); /* the row after the gap no longer links */

    exec(f->db, "DELETE FROM audit_log");
    exec(f->db, "UPDATE audit_head SET seq = 0, "
                "last_hash = '0000000000000000000000000000000000000000000000000000000000000000'");
    for (int i = 0; i < 3; i++)
        append(f->db, "institution.create", 1700000000 + i);
    exec(f->db, "DELETE FROM audit_log WHERE id = 3");
    assert_int_equal(audit_verify(f->db, "330304", &bad, &rows, &e), 1);
    assert_int_equal(bad, 3); /* the head still points at the deleted last row */
}

static void test_rollback_leaves_no_row(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    json_t *fields = json_object();
    struct audit_entry a = {.district_code = "330304", .at = 1700000000, .login = "t", .action = "x.y",
                            .target_type = "t", .fields = fields};
    assert_int_equal(db_begin(f->db, &e), 0);
    assert_int_equal(audit_append(f->db, &a, &e), 0);
    db_rollback(f->db);
    json_decref(fields);
    int64_t bad, rows;
    assert_int_equal(audit_verify(f->db, "330304", &bad, &rows, &e), 0);
    assert_int_equal(rows, 0);
    append(f->db, "after.rollback", 1700000001);
    assert_int_equal(audit_verify(f->db, "330304", &bad, &rows, &e), 0);
    assert_int_equal(rows, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chain_intact_then_tampered, setup_sqlite, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_row_and_truncated_tail_are_found, setup_sqlite, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_no_row, setup_sqlite, teardown),
    };
    return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
