/* accounts.c — account storage and rules (users.h): create, load, change role, password, state,
 * TOTP and mobile number, the last-auditor rule, notices to auditors. Used by the security
 * admin's routes (users.c), the two-person requests (requests.c) and sign-up (signup.c). */
#include "auth/users.h"
#include "jurisdiction/store.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/password.h"
#include "auth/totp.h"
#include "base/crypt.h"
#include "base/date.h"
#include "base/parse.h"
#include "http/http.h"
#include "inbox/inbox.h"
#include "params/params.h"

static int valid_login(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 3 || n > 63)
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

static int exists(struct db *db, const char *district, const char *sql, const char *text, int64_t num, struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    int k = 1;
    if (district)
        db_bind_text(st, k++, district);
    if (text)
        db_bind_text(st, k, text);
    else
        db_bind_int64(st, k, num);
    int rc = db_step(st, e);
    db_finalize(st);
    return rc < 0 ? -1 : rc == DB_ROW;
}

int users_hash_password(const char *password, const char *login, int min_length, char hash[256], struct err *e)
{
    if (password_policy_check(password, login, min_length, e) < 0)
        return -1;
    return password_hash(password, hash, 256, e);
}

/* The account's jurisdiction is of its role's level: a province or a city for their
 * administrators, a district for every other role — one of the tree, or a deployment's own
 * district the tree does not hold (it has its audit chain). */
static int check_level(struct db *db, const char *district, enum role role, struct err *e)
{
    struct jurisdiction_node node = {0};
    int known = jurisdiction_store_get(db, district, &node, e);
    if (!known)
        known = exists(db, NULL, "SELECT 1 FROM audit_head WHERE district_code = ?", district, 0, e);
    if (known < 0)
        return -1;
    const char *level = role_level(role);
    if (known && (node.level[0] ? strcmp(node.level, level) == 0 : strcmp(level, "district") == 0))
        return 0;
    return err_set(e, 422, "bad_jurisdiction", "jurisdiction", "%s账号须属于%s级行政区划，%s 不是", role_name(role),
                   strcmp(level, "province") == 0 ? "省" : strcmp(level, "city") == 0 ? "市" : "区（县、市）", district);
}

int users_check_scope(struct db *db, const char *district, enum role role, const char *town_code,
                      int64_t institution_id, struct err *e)
{
    if (check_level(db, district, role, e) < 0)
        return -1;
    int has_town = town_code && town_code[0];
    enum role_scope scope = role_scope(role);
    if (has_town && scope != ROLE_SCOPE_TOWN)
        return err_set(e, 422, "field_not_allowed", "town_code", "%s账号不设镇街，请勿填写镇街", role_name(role));
    if (institution_id && scope != ROLE_SCOPE_INSTITUTION)
        return err_set(e, 422, "field_not_allowed", "institution_id", "%s账号不关联机构，请勿填写机构", role_name(role));
    if (scope == ROLE_SCOPE_TOWN) {
        int rc = has_town ? exists(db, district, "SELECT 1 FROM town WHERE district_code = ? AND code = ?", town_code, 0, e)
                          : 0;
        if (rc < 0)
            return -1;
        if (!rc)
            return err_set(e, 422, "unknown_town", "town_code", "镇街专员须指定存在的镇街代码");
    }
    if (scope == ROLE_SCOPE_INSTITUTION) {
        int rc = institution_id > 0 ? exists(db, district, "SELECT 1 FROM institution WHERE district_code = ? AND id = ?",
                                             NULL, institution_id, e)
                                    : 0;
        if (rc < 0)
            return -1;
        if (!rc)
            return err_set(e, 422, "unknown_institution", "institution_id", "机构账号须指定存在的机构");
    }
    return 0;
}

int users_validate_new(struct db *db, const char *district, const struct new_user *u, struct err *e)
{
    if (!valid_login(u->login))
        return err_set(e, 422, "bad_login", "login", "账号须为 3–63 位小写字母、数字或 - _ .");
    if (!u->name || parse_is_blank(u->name) || strlen(u->name) > 90)
        return err_set(e, 422, "required", "name", "姓名为必填项");
    if (u->role == ROLE_NONE)
        return err_set(e, 422, "bad_role", "role", "角色无效");
    if (users_check_scope(db, district, u->role, u->town_code, u->institution_id, e) < 0)
        return -1;
    int taken = exists(db, NULL, "SELECT 1 FROM app_user WHERE login = ?", u->login, 0, e);
    if (taken < 0)
        return -1;
    return taken ? err_set(e, 409, "login_taken", "login", "账号 %s 已存在", u->login) : 0;
}

int users_create(struct db *db, const char *district, const struct new_user *u, const char *now_ts, int64_t *id,
                 struct err *e)
{
    if (users_validate_new(db, district, u, e) < 0)
        return -1;
    if (!u->password_hash || !u->password_hash[0])
        return err_set(e, 422, "required", "password", "请设置密码");
    int64_t new_id = db_query_int(
        db, e, NULL,
        "INSERT INTO app_user (district_code, login, name, role, town_code, institution_id, password_hash, "
        "created_at, updated_at) VALUES (?,?,?,?,NULLIF(?, ''),NULLIF(?, 0),?,?,?) RETURNING id",
        "tttttittt", district, u->login, u->name, role_code(u->role), u->town_code ? u->town_code : "",
        u->institution_id, u->password_hash, now_ts, now_ts);
    int rc = new_id < 0 ? -1 : 0;
    if (rc == 0)
        *id = new_id;
    return rc < 0 ? db_conflict_as(e, "login_taken", "login", "账号 %s 已存在", u->login) : 0;
}

int users_load(struct db *db, const char *district, int64_t id, struct account_info *out, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, login, name, role, town_code, institution_id, disabled FROM app_user "
                                  "WHERE id = ? AND district_code = ?",
                                  "it", id, district);
    int rc = db_first_row(st, e);
    if (rc == 1) {
        memset(out, 0, sizeof *out);
        db_scan(st, DB_I64(&out->id), DB_TEXT(out->login), DB_TEXT(out->name));
        out->role = role_from_code(db_col_text(st, 3));
        db_col_copy(st, 4, out->town_code, sizeof out->town_code);
        out->institution_id = db_col_is_null(st, 5) ? 0 : db_col_int64(st, 5);
        out->disabled = (int)db_col_int64(st, 6);
        db_finalize(st);
    }
    if (rc < 0)
        return -1;
    return rc == 1 ? 0 : err_set(e, 404, "not_found", "id", "未找到该用户");
}

/* One UPDATE of one account by id (sql's placeholders: the value, then the id); 404 when no such account. */
static int update_one(struct db *db, const char *sql, const char *text, int64_t num, int64_t id, struct err *e)
{
    int64_t changed = text ? db_run(db, e, sql, "ti", text, id) : db_run(db, e, sql, "ii", num, id);
    if (changed < 0)
        return -1;
    return changed ? 0 : err_set(e, 404, "not_found", "id", "未找到该用户");
}

static int end_sessions(struct db *db, int64_t id, struct err *e)
{
    return db_write(db, e, "DELETE FROM user_session WHERE user_id = ?", "i", id);
}

int users_set_password(struct db *db, int64_t id, const char *hash, const char *now_ts, struct err *e)
{
    if (update_one(db, "UPDATE app_user SET password_hash = ? WHERE id = ?", hash, 0, id, e) < 0 ||
        update_one(db, "UPDATE app_user SET updated_at = ? WHERE id = ?", now_ts, 0, id, e) < 0)
        return -1;
    return end_sessions(db, id, e); /* a new password ends every session of the account */
}

int users_set_disabled(struct db *db, int64_t id, int disabled, const char *now_ts, struct err *e)
{
    if (update_one(db, "UPDATE app_user SET disabled = ? WHERE id = ?", NULL, disabled ? 1 : 0, id, e) < 0 ||
        update_one(db, "UPDATE app_user SET updated_at = ? WHERE id = ?", now_ts, 0, id, e) < 0)
        return -1;
    return disabled ? end_sessions(db, id, e) : 0;
}

int users_set_role(struct db *db, const char *district, int64_t id, enum role role, const char *town_code,
                   int64_t institution_id, const char *now_ts, struct err *e)
{
    if (role == ROLE_NONE)
        return err_set(e, 422, "bad_role", "role", "角色无效");
    if (users_check_scope(db, district, role, town_code, institution_id, e) < 0)
        return -1;
    int64_t changed = db_run(db, e,
                             "UPDATE app_user SET role = ?, town_code = NULLIF(?, ''), institution_id = NULLIF(?, 0), "
                             "updated_at = ? WHERE id = ?",
                             "ttiti", role_code(role), town_code ? town_code : "", institution_id, now_ts, id);
    if (changed < 0)
        return -1;
    if (!changed)
        return err_set(e, 404, "not_found", "id", "未找到该用户");
    return end_sessions(db, id, e); /* the next login carries the new role */
}

int users_check_not_last_auditor(struct db *db, const char *district, const struct account_info *a, struct err *e)
{
    if (a->role != ROLE_AUDITOR || a->disabled)
        return 0;
    int64_t others = db_query_int(db, e, NULL,
                                  "SELECT COUNT(*) FROM app_user WHERE district_code = ? AND role = 'auditor' "
                                  "AND disabled = 0 AND id <> ?",
                                  "ti", district, a->id);
    if (others < 0)
        return -1;
    return others ? 0
                  : err_set(e, 409, "last_auditor", "disabled",
                            "%s 是唯一在用的审计员，停用或改变其角色后将无人审计，请先新增另一名审计员", a->login);
}

int users_enrol_totp(struct db *db, const struct crypt_key *key, int64_t id, const char *login, char *uri,
                     size_t uri_cap, struct err *e)
{
    char secret[TOTP_SECRET_TEXT_LEN], sealed[256];
    if (totp_new_secret(secret) < 0 || crypt_seal(key, secret, sealed, sizeof sealed, e) < 0)
        return err_set(e, 500, "totp_secret", "", "无法生成动态口令密钥");
    if (totp_uri(USERS_TOTP_ISSUER, login, secret, uri, uri_cap, e) < 0)
        return -1;
    return db_write(db, e, "UPDATE app_user SET totp_secret = ?, totp_last_step = 0, totp_pending = NULL WHERE id = ?",
                    "ti", sealed, id);
}

int users_find(struct db *db, const char *login, int64_t *id, struct err *e)
{
    int found;
    int64_t uid = db_query_int(db, e, &found, "SELECT id FROM app_user WHERE login = ?", "t", login);
    if (uid < 0)
        return -1;
    if (found)
        *id = uid;
    return found ? 0 : err_set(e, 404, "not_found", "login", "账号不存在：%s", login);
}

int users_notify_auditors(struct db *db, const char *district, const char *kind, const char *subject,
                          const char *body, const char *ref_type, int64_t ref_id, const char *now_ts, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id FROM app_user WHERE district_code = ? AND role = 'auditor' AND disabled = 0 "
                                  "ORDER BY id",
                                  "t", district);
    void *rows;
    size_t n;
    int rc = db_rows(st, e, sizeof(int64_t), db_row_int64, &rows, &n);
    int64_t *ids = rows;
    struct inbox_message m = {
        .kind = kind, .subject = subject, .body = body, .ref_type = ref_type, .ref_id = ref_id, .due_at = now_ts};
    if (rc >= 0)
        rc = inbox_post_each(db, district, &m, ids, n, now_ts, e);
    free(ids);
    return rc < 0 ? -1 : 0;
}

int users_set_mobile(struct db *db, int64_t id, const char *sealed, const char *lookup, const char *masked,
                     int64_t privacy_version, const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE app_user SET mobile_sealed = ?, mobile_lookup = ?, mobile_masked = ?, mobile_verified_at = ?, "
                       "privacy_version = ?, privacy_consent_at = ?, updated_at = ? WHERE id = ?",
                       "ttttitti", sealed, lookup, masked, now_ts, privacy_version, now_ts, now_ts, id);
    return n < 0 ? db_conflict_as(e, "mobile_registered", "mobile", "该手机号已注册，请直接用验证码或密码登录") : 0;
}

int users_contact(struct db *db, const struct crypt_key *key, int64_t id, int reveal, struct users_contact *out,
                  struct err *e)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_query(db, e, "SELECT name, mobile_sealed, mobile_masked FROM app_user WHERE id = ?", "i", id);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该用户");
    const char *name = db_col_text(st, 0), *sealed = db_col_text(st, 1), *masked = db_col_text(st, 2);
    if (reveal) {
        snprintf(out->name, sizeof out->name, "%s", name);
        rc = sealed ? crypt_open(key, sealed, out->mobile, sizeof out->mobile, e) : 0;
    } else {
        mask_name(name, out->name, sizeof out->name);
        snprintf(out->mobile, sizeof out->mobile, "%s", masked ? masked : "");
    }
    db_finalize(st);
    return rc;
}
