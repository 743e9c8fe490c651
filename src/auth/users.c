/* users.c — account storage and the security admin's user-management routes. */
#include "auth/users.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/password.h"
#include "auth/totp.h"
#include "base/crypt.h"
#include "base/date.h"
#include "http/http.h"
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

static int exists(struct db *db, const char *sql, const char *text, int64_t num, struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    if (text)
        db_bind_text(st, 1, text);
    else
        db_bind_int64(st, 1, num);
    int rc = db_step(st, e);
    db_finalize(st);
    return rc < 0 ? -1 : rc == DB_ROW;
}

int users_hash_password(const char *password, int min_length, char hash[256], struct err *e)
{
    if (password_policy_check(password, min_length, e) < 0)
        return -1;
    return password_hash(password, hash, 256, e);
}

int users_create(struct db *db, const char *district, const struct new_user *u, const char *now_ts, int64_t *id,
                 struct err *e)
{
    if (!valid_login(u->login))
        return err_set(e, 422, "bad_login", "login", "账号须为 3–63 位小写字母、数字或 - _ .");
    if (!u->name || !u->name[0] || strlen(u->name) > 90)
        return err_set(e, 422, "required", "name", "姓名为必填项");
    if (u->role == ROLE_NONE)
        return err_set(e, 422, "bad_role", "role", "角色无效");
    if (u->role == ROLE_TOWN_OFFICER) {
        int rc = u->town_code ? exists(db, "SELECT 1 FROM town WHERE code = ?", u->town_code, 0, e) : 0;
        if (rc < 0)
            return -1;
        if (!rc)
            return err_set(e, 422, "unknown_town", "town_code", "镇街专员须指定存在的镇街代码");
    }
    if (u->role == ROLE_INSTITUTION_OPERATOR || u->role == ROLE_STATION_OPERATOR) {
        int rc = u->institution_id ? exists(db, "SELECT 1 FROM institution WHERE id = ?", NULL, u->institution_id, e) : 0;
        if (rc < 0)
            return -1;
        if (!rc)
            return err_set(e, 422, "unknown_institution", "institution_id", "机构账号须指定存在的机构");
    }
    if (!u->password_hash || !u->password_hash[0])
        return err_set(e, 422, "required", "password", "请设置密码");
    struct db_stmt *st;
    if (db_prepare(db,
                   "INSERT INTO app_user (district_code, login, name, role, town_code, institution_id, password_hash, "
                   "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                   &st, e) < 0)
        return -1;
    db_bind_text(st, 1, district);
    db_bind_text(st, 2, u->login);
    db_bind_text(st, 3, u->name);
    db_bind_text(st, 4, role_code(u->role));
    db_bind_text(st, 5, u->town_code && u->town_code[0] ? u->town_code : NULL);
    if (u->institution_id)
        db_bind_int64(st, 6, u->institution_id);
    else
        db_bind_null(st, 6);
    db_bind_text(st, 7, u->password_hash);
    db_bind_text(st, 8, now_ts);
    db_bind_text(st, 9, now_ts);
    int rc = db_step(st, e);
    if (rc == DB_ROW)
        *id = db_col_int64(st, 0);
    db_finalize(st);
    if (rc < 0 && strcmp(e->code, "db_conflict") == 0)
        return err_set(e, 409, "login_taken", "login", "账号 %s 已存在", u->login);
    return rc < 0 ? -1 : 0;
}

static int update_one(struct db *db, const char *sql, const char *text, int64_t num, int64_t id, struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(db, sql, &st, e) < 0)
        return -1;
    if (text)
        db_bind_text(st, 1, text);
    else
        db_bind_int64(st, 1, num);
    db_bind_int64(st, 2, id);
    int rc = db_step(st, e);
    int64_t changed = rc < 0 ? 0 : db_changes(st);
    db_finalize(st);
    if (rc < 0)
        return -1;
    return changed ? 0 : err_set(e, 404, "not_found", "id", "未找到该用户");
}

static int end_sessions(struct db *db, int64_t id, struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(db, "DELETE FROM user_session WHERE user_id = ?", &st, e) < 0)
        return -1;
    db_bind_int64(st, 1, id);
    int rc = db_step(st, e);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
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

int users_enrol_totp(struct db *db, const struct crypt_key *key, int64_t id, const char *login, char *uri,
                     size_t uri_cap, struct err *e)
{
    char secret[TOTP_SECRET_TEXT_LEN], sealed[256];
    if (totp_new_secret(secret) < 0 || crypt_seal(key, secret, sealed, sizeof sealed, e) < 0)
        return err_set(e, 500, "totp_secret", "", "无法生成动态口令密钥");
    if (totp_uri("tuoyu 瓯海托育", login, secret, uri, uri_cap, e) < 0)
        return -1;
    struct db_stmt *st;
    if (db_prepare(db, "UPDATE app_user SET totp_secret = ?, totp_last_step = 0 WHERE id = ?", &st, e) < 0)
        return -1;
    db_bind_text(st, 1, sealed);
    db_bind_int64(st, 2, id);
    int rc = db_step(st, e);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

int users_find(struct db *db, const char *login, int64_t *id, struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(db, "SELECT id FROM app_user WHERE login = ?", &st, e) < 0)
        return -1;
    db_bind_text(st, 1, login);
    int rc = db_step(st, e);
    if (rc == DB_ROW)
        *id = db_col_int64(st, 0);
    db_finalize(st);
    if (rc < 0)
        return -1;
    return rc == DB_ROW ? 0 : err_set(e, 404, "not_found", "login", "账号不存在：%s", login);
}

/* ---- routes (security admin) ---- */

static int min_password_length(struct http_req *req, int *out, struct err *e)
{
    char today[11];
    double v;
    date_format_day(req->now, today, sizeof today);
    if (params_get(req->db, req->app->district_code, "auth.password_min_length", today, &v, e) < 0)
        return -1;
    *out = (int)v;
    return 0;
}

static int list_users(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    struct http_page page;
    if (authz_require(req, "user.manage", &t, &e) < 0 || http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st;
    if (db_prepare(req->db,
                   "SELECT id, login, name, role, town_code, institution_id, disabled, totp_secret IS NOT NULL "
                   "FROM app_user WHERE district_code = ? AND id > ? ORDER BY id LIMIT ?",
                   &st, &e) < 0)
        return http_reply_err(rep, &e);
    db_bind_text(st, 1, req->app->district_code);
    db_bind_int64(st, 2, page.after_id);
    db_bind_int64(st, 3, page.limit + 1);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW && http_page_take(req, &page, db_col_int64(st, 0), NULL)) {
        enum role r = role_from_code(db_col_text(st, 3));
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:o, s:b, s:b}", "id",
                                               (json_int_t)db_col_int64(st, 0), "login", db_col_text(st, 1), "name",
                                               db_col_text(st, 2), "role", role_code(r), "role_name", role_name(r),
                                               "town_code", db_col_text(st, 4), "institution_id",
                                               db_col_is_null(st, 5) ? json_null() : json_integer(db_col_int64(st, 5)),
                                               "disabled", (int)db_col_int64(st, 6), "totp", (int)db_col_int64(st, 7)));
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, http_page_reply(req, &page, items));
}

static int create_user(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "user.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    int minlen;
    if (min_password_length(req, &minlen, &e) < 0)
        return http_reply_err(rep, &e);
    struct new_user u = {
        .login = json_string_value(json_object_get(body, "login")),
        .name = json_string_value(json_object_get(body, "name")),
        .role = role_from_code(json_string_value(json_object_get(body, "role"))),
        .town_code = json_string_value(json_object_get(body, "town_code")),
        .institution_id = json_integer_value(json_object_get(body, "institution_id")),
    };
    char now_ts[32], hash[256];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int64_t id = 0;
    /* hashed before the transaction: Argon2 must not hold the write lock */
    if (users_hash_password(json_string_value(json_object_get(body, "password")), minlen, hash, &e) < 0)
        return http_reply_err(rep, &e);
    u.password_hash = hash;
    if (db_begin(req->db, &e) < 0)
        goto fail;
    if (users_create(req->db, req->app->district_code, &u, now_ts, &id, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:s, s:s?, s:o}", "login", u.login, "role", role_code(u.role), "town_code",
                          u.town_code, "institution_id", u.institution_id ? json_integer(u.institution_id) : json_null());
    int rc = audit_request(req, "user.create", "user", http_printf(req, "%" PRId64, id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    return http_reply_json(rep, 201, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "login", u.login, "name",
                                               u.name, "role", role_code(u.role)));
fail:
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

static int update_user(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "user.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t id = http_param_id(req, "id");
    json_t *body = http_body(req);
    int minlen;
    if (min_password_length(req, &minlen, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[32];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    json_t *pw = json_object_get(body, "password"), *dis = json_object_get(body, "disabled");
    char hash[256];
    if (pw && json_string_value(pw) && users_hash_password(json_string_value(pw), minlen, hash, &e) < 0)
        return http_reply_err(rep, &e); /* hashed before the transaction, as in create_user */
    json_t *f = json_object();
    if (db_begin(req->db, &e) < 0)
        goto fail;
    if (pw && json_string_value(pw)) {
        if (users_set_password(req->db, id, hash, now_ts, &e) < 0)
            goto fail;
        json_object_set_new(f, "password", json_string("******"));
    }
    if (dis) {
        if (users_set_disabled(req->db, id, json_is_true(dis), now_ts, &e) < 0)
            goto fail;
        json_object_set(f, "disabled", dis);
    }
    if (audit_request(req, "user.update", "user", http_printf(req, "%" PRId64, id), f, &e) < 0 ||
        db_commit(req->db, &e) < 0)
        goto fail;
    auth_sessions_changed(req->app);
    json_decref(f);
    return http_reply_json(rep, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "ok", 1));
fail:
    db_rollback(req->db);
    json_decref(f);
    return http_reply_err(rep, &e);
}

static const struct http_schema CREATE_BODY = {
    NULL, HTTP_OBJECT, 0, "新用户",
    .members = (const struct http_schema[]){
        {"login", HTTP_STRING, HTTP_REQUIRED, "账号（3–63 位小写字母、数字或 - _ .）", 63},
        {"name", HTTP_STRING, HTTP_REQUIRED | HTTP_TRIM, "姓名", 90},
        {"role", HTTP_STRING, HTTP_REQUIRED, "角色", 32},
        {"town_code", HTTP_STRING, HTTP_NULLABLE, "镇街代码（镇街专员）", 15},
        {"institution_id", HTTP_ID, HTTP_NULLABLE, "机构（机构账号）"},
        {"password", HTTP_STRING, HTTP_REQUIRED, "密码", 256},
        {NULL}}};
static const struct http_schema UPDATE_BODY = {
    NULL, HTTP_OBJECT, 0, "用户的修改",
    .members = (const struct http_schema[]){
        {"password", HTTP_STRING, HTTP_NULLABLE, "新密码", 256},
        {"disabled", HTTP_BOOLEAN, 0, "停用"},
        {NULL}}};
static const struct http_schema USER_MEMBERS[] = {
    {"id", HTTP_ID, HTTP_REQUIRED, "用户编号"},
    {"login", HTTP_STRING, 0, "账号"},
    {"name", HTTP_STRING, 0, "姓名"},
    {"role", HTTP_STRING, 0, "角色"},
    {"role_name", HTTP_STRING, 0, "角色名称"},
    {"town_code", HTTP_STRING, HTTP_NULLABLE, "镇街代码"},
    {"institution_id", HTTP_ID, HTTP_NULLABLE, "机构"},
    {"disabled", HTTP_BOOLEAN, 0, "停用"},
    {"totp", HTTP_BOOLEAN, 0, "已绑定动态口令"},
    {"ok", HTTP_BOOLEAN, 0, "已修改（PUT）"},
    {NULL},
};
static const struct http_schema USER = {NULL, HTTP_OBJECT, 0, "用户", .members = USER_MEMBERS};
static const struct http_schema USER_PAGE = HTTP_PAGE_OF(USER);

const struct route users_routes[] = {
    {"GET", "/api/v1/users", "user.manage", list_users, NULL, &USER_PAGE},
    {"POST", "/api/v1/users", "user.manage", create_user, &CREATE_BODY, &USER, 201},
    {"PUT", "/api/v1/users/{id}", "user.manage", update_user, &UPDATE_BODY, &USER},
    {NULL, NULL, NULL, NULL},
};
