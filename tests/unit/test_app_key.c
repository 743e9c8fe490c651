/* test_app_key.c — binding the personal-data key to a database (src/app_key.c) on a real SQLite
 * file and, when TUOYU_TEST_PG is set, PostgreSQL (a schema per test): a fresh database gets a
 * key and its check value; another key or a missing one is refused and no key is invented for
 * sealed data; a database from before the check value gets one only when every sealed value
 * opens and every ID lookup hash matches; data sealed under two keys is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_key/app_key.h"
#include "db/db.h"

static enum db_kind cur_kind;
static const char *pg_base; /* TUOYU_TEST_PG */
static int seq;

struct fx {
    struct db *db;
    char dir[128];
    char key_path[200];
    char schema[64];
};

static void admin_exec(const char *sql)
{
    struct db_config c = {.kind = DB_PG};
    snprintf(c.target, sizeof c.target, "%s", pg_base);
    struct db *db;
    struct err e = {0};
    if (db_open(&c, &db, &e) < 0 || db_exec(db, sql, &e) < 0)
        fail_msg("%s: %s", sql, e.message);
    db_close(db);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/tuoyu-test-appkey-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->key_path, sizeof f->key_path, "%s/tuoyu.key", f->dir);
    struct db_config cfg = {.kind = cur_kind};
    if (cur_kind == DB_SQLITE) {
        snprintf(cfg.target, sizeof cfg.target, "%s/tuoyu.db", f->dir);
    } else {
        snprintf(f->schema, sizeof f->schema, "tak_%d_%d_%ld", (int)getpid(), ++seq, (long)time(NULL) % 100000);
        char sql[128];
        snprintf(sql, sizeof sql, "CREATE SCHEMA %s", f->schema);
        admin_exec(sql);
        snprintf(cfg.target, sizeof cfg.target, "%s options='-csearch_path=%s'", pg_base, f->schema);
    }
    struct err e = {0};
    if (db_open(&cfg, &f->db, &e) < 0 || db_migrate(f->db, &e) < 0)
        fail_msg("open: %s", e.message);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    db_close(f->db);
    if (cur_kind == DB_PG) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", f->schema);
        admin_exec(sql);
    }
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static void fixed_key(struct crypt_key *k, unsigned char seed)
{
    for (int i = 0; i < CRYPT_KEY_BYTES; i++) {
        k->enc[i] = (unsigned char)(seed + i);
        k->lookup[i] = (unsigned char)(seed * 7 + i);
    }
}

static void exec(struct db *db, const char *sql)
{
    struct err e = {0};
    if (db_exec(db, sql, &e) < 0)
        fail_msg("%s: %s", sql, e.message);
}

static int64_t count(struct db *db, const char *sql)
{
    struct db_stmt *st;
    struct err e = {0};
    assert_int_equal(db_prepare(db, sql, &st, &e), 0);
    assert_int_equal(db_step(st, &e), DB_ROW);
    int64_t v = db_col_int64(st, 0);
    db_finalize(st);
    return v;
}

/* A child sealed under seal (names and ID), its lookup hash under lookup's lookup key, as
 * children/api.c stores one. */
static void insert_child(struct db *db, const struct crypt_key *seal, const struct crypt_key *lookup, int n)
{
    char name[32], id[32], material[64], name_sealed[256], id_sealed[256], hash[CRYPT_LOOKUP_HEX_LEN];
    struct err e = {0};
    snprintf(name, sizeof name, "测试儿童%d", n);
    snprintf(id, sizeof id, "O33001%04d", n);
    snprintf(material, sizeof material, "birth_cert:%s", id);
    assert_int_equal(crypt_seal(seal, name, name_sealed, sizeof name_sealed, &e), 0);
    assert_int_equal(crypt_seal(seal, id, id_sealed, sizeof id_sealed, &e), 0);
    assert_int_equal(crypt_lookup_hash(lookup, material, hash), 0);
    struct db_stmt *st;
    assert_int_equal(db_prepare(db,
                                "INSERT INTO child (district_code, name_sealed, name_masked, sex, birth_date, id_kind, "
                                "id_sealed, id_lookup, id_masked, created_at, updated_at) "
                                "VALUES ('330304', ?, '测*', 1, '2025-01-01', 'birth_cert', ?, ?, 'O*', 'x', 'x')",
                                &st, &e),
                     0);
    db_bind_text(st, 1, name_sealed);
    db_bind_text(st, 2, id_sealed);
    db_bind_text(st, 3, hash);
    if (db_step(st, &e) < 0)
        fail_msg("insert child: %s", e.message);
    db_finalize(st);
}

static void insert_totp_user(struct db *db, const struct crypt_key *seal)
{
    char sealed[256];
    struct err e = {0};
    assert_int_equal(crypt_seal(seal, "JBSWY3DPEHPK3PXP", sealed, sizeof sealed, &e), 0);
    struct db_stmt *st;
    assert_int_equal(db_prepare(db,
                                "INSERT INTO app_user (district_code, login, name, role, password_hash, totp_secret, "
                                "created_at, updated_at) VALUES ('330304', 'totp-user', 'T', 'auditor', 'x', ?, 'x', 'x')",
                                &st, &e),
                     0);
    db_bind_text(st, 1, sealed);
    if (db_step(st, &e) < 0)
        fail_msg("insert user: %s", e.message);
    db_finalize(st);
}

static int bind_key(struct fx *f, const struct crypt_key *k, struct err *e)
{
    struct crypt_key copy = *k;
    err_clear(e);
    return app_key_bind(f->db, &copy, 1, f->key_path, e);
}

static void assert_stored_check_is(struct fx *f, const struct crypt_key *k)
{
    struct crypt_key_check c;
    assert_int_equal(crypt_key_check(k, &c), 0);
    struct db_stmt *st;
    struct err e = {0};
    assert_int_equal(db_prepare(f->db, "SELECT enc_check, lookup_check FROM key_check", &st, &e), 0);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_string_equal(db_col_text(st, 0), c.enc);
    assert_string_equal(db_col_text(st, 1), c.lookup);
    db_finalize(st);
}

static void fresh_database_gets_a_key_and_its_check_value(void **state)
{
    struct fx *f = *state;
    struct crypt_key k, other;
    struct err e = {0};
    assert_int_equal(app_key_bind(f->db, &k, 0, f->key_path, &e), 0); /* no file: created */
    struct stat st;
    assert_int_equal(stat(f->key_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_stored_check_is(f, &k);
    struct crypt_key loaded;
    assert_int_equal(crypt_load_key(f->key_path, &loaded, &e), 0);
    assert_memory_equal(&loaded, &k, sizeof k);
    assert_int_equal(bind_key(f, &k, &e), 0); /* again: matches */
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM key_check"), 1);
    fixed_key(&other, 9);
    assert_int_equal(bind_key(f, &other, &e), -1);
    assert_string_equal(e.code, "key_mismatch");
    assert_int_equal(e.status, 409);
    assert_true(app_key_refusal(&e));
    assert_non_null(strstr(e.message, "与数据库不符"));
    assert_non_null(strstr(e.message, "does not match"));
    assert_stored_check_is(f, &k);
}

static void missing_key_never_replaced_by_a_fresh_one(void **state)
{
    struct fx *f = *state;
    struct crypt_key a, k;
    struct err e = {0};
    fixed_key(&a, 1);
    /* sealed rows without a check value (a database from before migration 012) */
    insert_totp_user(f->db, &a);
    assert_int_equal(app_key_bind(f->db, &k, 0, f->key_path, &e), -1);
    assert_string_equal(e.code, "key_missing");
    assert_non_null(strstr(e.message, "no new key"));
    assert_int_equal(access(f->key_path, F_OK), -1);
    exec(f->db, "DELETE FROM app_user");
    insert_child(f->db, &a, &a, 1);
    assert_int_equal(app_key_bind(f->db, &k, 0, f->key_path, &e), -1);
    assert_string_equal(e.code, "key_missing");
    /* a check value alone is enough */
    exec(f->db, "DELETE FROM child");
    assert_int_equal(bind_key(f, &a, &e), 0);
    assert_int_equal(app_key_bind(f->db, &k, 0, f->key_path, &e), -1);
    assert_string_equal(e.code, "key_missing");
    assert_int_equal(access(f->key_path, F_OK), -1);
}

static void back_fill_only_when_every_sealed_value_opens(void **state)
{
    struct fx *f = *state;
    struct crypt_key a, b;
    struct err e = {0};
    fixed_key(&a, 1);
    fixed_key(&b, 2);
    for (int i = 0; i < 3; i++)
        insert_child(f->db, &a, &a, i);
    insert_totp_user(f->db, &a);
    assert_int_equal(bind_key(f, &b, &e), -1);
    assert_string_equal(e.code, "key_mismatch");
    assert_non_null(strstr(e.message, "4 values"));
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM key_check"), 0);
    assert_int_equal(bind_key(f, &a, &e), 0);
    assert_stored_check_is(f, &a);
    assert_int_equal(bind_key(f, &b, &e), -1); /* from now on by the check value */
    assert_string_equal(e.code, "key_mismatch");
}

static void data_under_two_keys_is_refused(void **state)
{
    struct fx *f = *state;
    struct crypt_key a, b;
    struct err e = {0};
    fixed_key(&a, 1);
    fixed_key(&b, 2);
    insert_child(f->db, &a, &a, 1);
    insert_child(f->db, &a, &a, 2);
    insert_child(f->db, &b, &b, 3); /* written after a fresh key was made for a restored copy */
    assert_int_equal(bind_key(f, &a, &e), -1);
    assert_string_equal(e.code, "key_mixed");
    assert_true(app_key_refusal(&e));
    assert_non_null(strstr(e.message, "2 of 3"));
    assert_int_equal(bind_key(f, &b, &e), -1);
    assert_string_equal(e.code, "key_mixed");
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM key_check"), 0);
}

/* names open with the encryption key alone; the lookup hash is what refuses a second
 * registration of the same ID number, so a wrong lookup key must be refused as well */
static void the_lookup_key_is_checked_too(void **state)
{
    struct fx *f = *state;
    struct crypt_key a, wrong_lookup;
    struct err e = {0};
    fixed_key(&a, 1);
    wrong_lookup = a;
    wrong_lookup.lookup[0] ^= 1;
    insert_child(f->db, &a, &a, 1);
    assert_int_equal(bind_key(f, &wrong_lookup, &e), -1);
    assert_string_equal(e.code, "key_mismatch");
    assert_int_equal(bind_key(f, &a, &e), 0);
    assert_int_equal(bind_key(f, &wrong_lookup, &e), -1);
    assert_string_equal(e.code, "key_mismatch");
    assert_int_equal(app_key_compare(&a, NULL, NULL, f->key_path, &e), -1);
    assert_string_equal(e.code, "key_mismatch");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(fresh_database_gets_a_key_and_its_check_value), T(missing_key_never_replaced_by_a_fresh_one),
        T(back_fill_only_when_every_sealed_value_opens),  T(data_under_two_keys_is_refused),
        T(the_lookup_key_is_checked_too),
    };
    cur_kind = DB_SQLITE;
    int failed = cmocka_run_group_tests_name("app_key_sqlite", tests, NULL, NULL);
    pg_base = getenv("TUOYU_TEST_PG");
    if (pg_base && *pg_base) {
        cur_kind = DB_PG;
        failed += cmocka_run_group_tests_name("app_key_pg", tests, NULL, NULL);
    } else {
        printf("\n# test_app_key: PostgreSQL half SKIPPED: TUOYU_TEST_PG is not set\n");
    }
    return failed;
}
