/* app_key.c — binding the personal-data key to the database through its key check value:
 * compare, back-fill after opening every sealed value, or refuse (see app_key.h). */
#include "app_key.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int app_key_refusal(const struct err *e)
{
    return strcmp(e->code, "key_mismatch") == 0 || strcmp(e->code, "key_missing") == 0 ||
           strcmp(e->code, "key_mixed") == 0;
}

int app_key_compare(const struct crypt_key *k, const char *enc_check, const char *lookup_check, const char *key_path,
                    struct err *e)
{
    struct crypt_key_check mine;
    if (crypt_key_check(k, &mine) < 0)
        return err_set(e, 500, "crypt", "", "加密库初始化失败");
    if (enc_check && lookup_check && strcmp(mine.enc, enc_check) == 0 && strcmp(mine.lookup, lookup_check) == 0)
        return 0;
    return err_set(e, 409, "key_mismatch", "key",
                   "密钥文件 %s 与数据库不符（密钥校验值不同），拒绝使用：请用与该数据库一起备份的密钥文件 / "
                   "this key file does not match the database (key check value differs); refused: use the key "
                   "file backed up with it",
                   key_path);
}

/* The stored check value: 1 found (enc, lookup filled), 0 none, -1 error. */
static int read_check(struct db *db, char enc[CRYPT_LOOKUP_HEX_LEN], char lookup[CRYPT_LOOKUP_HEX_LEN], struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(db, "SELECT enc_check, lookup_check FROM key_check WHERE id = 1", &st, e) < 0)
        return -1;
    int rc = db_step(st, e);
    if (rc == DB_ROW) {
        snprintf(enc, CRYPT_LOOKUP_HEX_LEN, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
        snprintf(lookup, CRYPT_LOOKUP_HEX_LEN, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
    }
    db_finalize(st);
    return rc < 0 ? -1 : rc == DB_ROW;
}

/* 1 when the database holds a check value or any sealed field, 0 when not, -1 error. */
static int holds_sealed(struct db *db, struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(db,
                   "SELECT CASE WHEN EXISTS (SELECT 1 FROM key_check) OR EXISTS (SELECT 1 FROM child) "
                   "OR EXISTS (SELECT 1 FROM app_user WHERE totp_secret IS NOT NULL) THEN 1 ELSE 0 END",
                   &st, e) < 0)
        return -1;
    int rc = db_step(st, e);
    int held = rc == DB_ROW && db_col_int64(st, 0) == 1;
    db_finalize(st);
    return rc < 0 ? -1 : held;
}

static int opens(const struct crypt_key *k, const char *sealed, char *out, size_t n)
{
    struct err ignored = {0};
    return sealed && crypt_open(k, sealed, out, n, &ignored) == 0;
}

/* Open every sealed value under k: children's names and ID numbers (with the ID lookup hash
 * recomputed as children/api.c makes it, "<id_kind>:<number>", which proves the lookup key) and
 * TOTP secrets. Counts rows and the rows that do not open. */
static int scan_sealed(struct db *db, const struct crypt_key *k, int64_t *total, int64_t *bad, struct err *e)
{
    *total = *bad = 0;
    char plain[1024], material[1100], lookup[CRYPT_LOOKUP_HEX_LEN];
    struct db_stmt *st;
    if (db_prepare(db, "SELECT id_kind, name_sealed, id_sealed, id_lookup FROM child", &st, e) < 0)
        return -1;
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        int ok = opens(k, db_col_text(st, 1), plain, sizeof plain) && opens(k, db_col_text(st, 2), plain, sizeof plain);
        if (ok) {
            snprintf(material, sizeof material, "%s:%s", db_col_text(st, 0) ? db_col_text(st, 0) : "", plain);
            ok = crypt_lookup_hash(k, material, lookup) == 0 && db_col_text(st, 3) &&
                 strcmp(lookup, db_col_text(st, 3)) == 0;
        }
        ++*total;
        *bad += !ok;
    }
    db_finalize(st);
    if (rc < 0 ||
        db_prepare(db, "SELECT totp_secret FROM app_user WHERE totp_secret IS NOT NULL", &st, e) < 0)
        goto out;
    while ((rc = db_step(st, e)) == DB_ROW) {
        ++*total;
        *bad += !opens(k, db_col_text(st, 0), plain, sizeof plain);
    }
    db_finalize(st);
out:
    sodium_memzero(plain, sizeof plain);
    sodium_memzero(material, sizeof material);
    return rc < 0 ? -1 : 0;
}

/* No check value yet: store k's after checking every sealed value opens under it. */
static int back_fill(struct db *db, const struct crypt_key *k, const char *key_path, struct err *e)
{
    struct crypt_key_check mine;
    if (crypt_key_check(k, &mine) < 0)
        return err_set(e, 500, "crypt", "", "加密库初始化失败");
    if (db_begin(db, e) < 0)
        return -1;
    char enc[CRYPT_LOOKUP_HEX_LEN], lookup[CRYPT_LOOKUP_HEX_LEN];
    int64_t total = 0, bad = 0;
    int rc = read_check(db, enc, lookup, e);
    if (rc == 0) /* still none under the write lock (SQLite) */
        rc = scan_sealed(db, k, &total, &bad, e);
    if (rc == 0 && bad > 0 && bad == total)
        rc = err_set(e, 409, "key_mismatch", "key",
                     "密钥文件 %s 无法解密数据库中的加密数据（%" PRId64 " 条），拒绝使用：请用数据库原来的密钥文件 / "
                     "this key file cannot open the database's sealed data (%" PRId64 " values); refused: use the "
                     "database's original key file",
                     key_path, total, total);
    else if (rc == 0 && bad > 0)
        rc = err_set(e, 409, "key_mixed", "key",
                     "密钥文件 %s 只能解密数据库中 %" PRId64 " 条加密数据中的 %" PRId64 " 条：数据混用了不同密钥，拒绝使用 / "
                     "the database holds data sealed under more than one key (%" PRId64 " of %" PRId64
                     " values open with this key file); refused",
                     key_path, total, total - bad, total - bad, total);
    if (rc == 0) {
        struct db_stmt *st;
        rc = db_prepare(db, "INSERT INTO key_check (id, enc_check, lookup_check) VALUES (1, ?, ?) "
                            "ON CONFLICT (id) DO NOTHING",
                        &st, e);
        if (rc == 0) {
            db_bind_text(st, 1, mine.enc);
            db_bind_text(st, 2, mine.lookup);
            rc = db_step(st, e) < 0 ? -1 : 0;
            db_finalize(st);
        }
    }
    if (rc < 0 || db_commit(db, e) < 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

int app_key_bind(struct db *db, struct crypt_key *k, int loaded, const char *key_path, struct err *e)
{
    if (!loaded) {
        int held = holds_sealed(db, e);
        if (held < 0)
            return -1;
        if (held)
            return err_set(e, 409, "key_missing", "key",
                           "密钥文件 %s 不存在，但数据库已有加密数据：不会新建密钥，请恢复原密钥文件或用 --key 指定 / "
                           "key file missing but the database holds sealed data: no new key is created; restore "
                           "the original key file or give --key FILE",
                           key_path);
        if (crypt_load_or_create_key(key_path, k, e) < 0)
            return -1;
    }
    char enc[CRYPT_LOOKUP_HEX_LEN], lookup[CRYPT_LOOKUP_HEX_LEN];
    int found = read_check(db, enc, lookup, e);
    if (found < 0)
        return -1;
    if (!found) {
        if (back_fill(db, k, key_path, e) < 0)
            return -1;
        /* another process may have stored its value first: compare with what is there now */
        found = read_check(db, enc, lookup, e);
        if (found <= 0)
            return found < 0 ? -1 : err_set(e, 500, "key_check", "", "密钥校验值未能写入数据库");
    }
    return app_key_compare(k, enc, lookup, key_path, e);
}
