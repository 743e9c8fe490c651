/* app_key.c — binding the personal-data key to the database through its key check value:
 * compare, back-fill after opening every sealed value, or refuse (see app_key.h). */
#include "app_key/app_key.h"

#include <inttypes.h>
#include <string.h>

#include "app_key/store.h"

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
    int rc = app_key_store_read_check(db, enc, lookup, e);
    if (rc == 0) /* still none under the write lock (SQLite) */
        rc = app_key_store_scan_sealed(db, k, &total, &bad, e);
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
    if (rc == 0)
        rc = app_key_store_write_check(db, &mine, e);
    if (rc < 0 || db_commit(db, e) < 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

int app_key_bind(struct db *db, struct crypt_key *k, int loaded, const char *key_path, struct err *e)
{
    if (!loaded) {
        int held = app_key_store_holds_sealed(db, e);
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
    int found = app_key_store_read_check(db, enc, lookup, e);
    if (found < 0)
        return -1;
    if (!found) {
        if (back_fill(db, k, key_path, e) < 0)
            return -1;
        /* another process may have stored its value first: compare with what is there now */
        found = app_key_store_read_check(db, enc, lookup, e);
        if (found <= 0)
            return found < 0 ? -1 : err_set(e, 500, "key_check", "", "密钥校验值未能写入数据库");
    }
    return app_key_compare(k, enc, lookup, key_path, e);
}
