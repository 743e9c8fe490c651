/* users.c — the security admin's user-management routes (accounts in accounts.c; changes to
 * privileged accounts filed as two-person requests, requests.c). */
#include "auth/users.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/password.h"
#include "auth/requests.h"
#include "base/crypt.h"
#include "base/date.h"
#include "base/parse.h"
#include "http/http.h"
#include "params/params.h"

/* ---- routes (security admin) ---- */

static int min_password_length(struct http_req *req, int *out, struct err *e)
{
    double v;
    if (params_get(req->db, req->district, "auth.password_min_length", req->today, &v, e) < 0)
        return -1;
    *out = (int)v;
    return 0;
}

/* The longest search text for the user list. */
#define USERS_SEARCH_MAX 100

/* ?q= (a part of a login or name) as the pattern of "… LIKE ? ESCAPE '\'" into pat, "" when
 * absent or empty: 0, or -1 with e (422 too_long) when it is longer than USERS_SEARCH_MAX. */
static int search_pattern(struct http_req *req, char pat[DB_LIKE_SIZE(USERS_SEARCH_MAX)], struct err *e)
{
    const char *q = http_query(req, "q");
    pat[0] = 0;
    if (q && strlen(q) > USERS_SEARCH_MAX)
        return err_set(e, 422, "too_long", "q", "搜索词过长（最多 %d 字节）", USERS_SEARCH_MAX);
    if (q && q[0])
        db_like_contains(q, pat, DB_LIKE_SIZE(USERS_SEARCH_MAX));
    return 0;
}

/* A row of the account list as the API shows it. */
static json_t *user_row(struct db_stmt *st, void *ctx)
{
    enum role r = role_from_code(db_col_text(st, 3));
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:o, s:s?, s:b, s:b, s:b}", "id",
                     (json_int_t)db_col_int64(st, 0), "login", db_col_text(st, 1), "name", db_col_text(st, 2), "role",
                     role_code(r), "role_name", role_name(r), "town_code", db_col_text(st, 4), "town_name",
                     db_col_text(st, 8), "institution_id", db_col_json_id(st, 5), "institution_name",
                     db_col_text(st, 9), "disabled", (int)db_col_int64(st, 6), "totp", (int)db_col_int64(st, 7),
                     "privileged", role_is_privileged(r));
}

/* GET /api/v1/users?q=: the accounts by id, paged; q (part of the login, in any case, or of the
 * name) narrows them.
 * Each names its town and institution, not only their codes. */
static int list_users(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    struct http_page page;
    char pat[DB_LIKE_SIZE(USERS_SEARCH_MAX)];
    if (authz_require(req, "user.manage", &t, &e) < 0 || http_page_begin(req, &page, &e) < 0 ||
        search_pattern(req, pat, &e) < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st = db_query(req->db, &e,
                                  "SELECT u.id, u.login, u.name, u.role, u.town_code, u.institution_id, u.disabled, "
                                  "u.totp_secret IS NOT NULL, t.name, i.name FROM app_user u "
                                  "LEFT JOIN town t ON t.code = u.town_code LEFT JOIN institution i ON i.id = u.institution_id "
                                  "WHERE u.district_code = ? AND u.id > ? "
                                  "AND (? = '' OR LOWER(u.login) LIKE LOWER(?) ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\') "
                                  "ORDER BY u.id LIMIT ?",
                                  "tittti", req->district, page.after_id, pat, pat, pat,
                                  (int64_t)(page.limit + 1));
    json_t *rows;
    if (db_rows_json(st, &e, user_row, NULL, &rows) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL)));
}

static json_t *institution_choice_row(struct db_stmt *st, void *ctx)
{
    return json_pack("{s:I, s:s, s:s?, s:s}", "id", (json_int_t)db_col_int64(st, 0), "name", db_col_text(st, 1),
                     "town_name", db_col_text(st, 2), "status", db_col_text(st, 3));
}

/* GET /api/v1/users/institution-choices?q=: the institutions an institution account may be bound
 * to, found by part of their name (the add-user form picks one; the security administrator does
 * not read the registry itself, so only id, name, town and filing status). */
static int institution_choices(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct http_page page;
    char pat[DB_LIKE_SIZE(USERS_SEARCH_MAX)];
    if (http_page_begin(req, &page, &e) < 0 || search_pattern(req, pat, &e) < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st = db_query(req->db, &e,
                                  "SELECT i.id, i.name, t.name, i.status FROM institution i LEFT JOIN town t ON t.code = i.town_code "
                                  "WHERE i.district_code = ? AND i.id > ? AND (? = '' OR i.name LIKE ? ESCAPE '\\') "
                                  "ORDER BY i.id LIMIT ?",
                                  "titti", req->district, page.after_id, pat, pat, (int64_t)(page.limit + 1));
    json_t *rows;
    if (db_rows_json(st, &e, institution_choice_row, NULL, &rows) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL)));
}

/* 403 when the user may not give an account this role (authz_may_grant_role) */
static int check_may_grant(struct http_req *req, enum role role, struct err *e)
{
    if (authz_may_grant_role(req->user->role, role))
        return 0;
    return err_set(e, 403, "role_above_own", "role", "不能授予高于本人角色（%s）的角色：%s", role_name(req->user->role),
                   role_name(role));
}

static int create_user(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "user.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    int minlen;
    json_t *out = NULL;
    if (min_password_length(req, &minlen, &e) < 0)
        return http_reply_err(rep, &e);
    struct new_user u = {
        .login = json_string_value(json_object_get(body, "login")),
        .name = json_string_value(json_object_get(body, "name")),
        .role = role_from_code(json_string_value(json_object_get(body, "role"))),
        .town_code = json_string_value(json_object_get(body, "town_code")),
        .institution_id = json_integer_value(json_object_get(body, "institution_id")),
    };
    if (u.role == ROLE_NONE)
        return http_reply_error(rep, 422, "bad_role", "role", "角色无效");
    if (check_may_grant(req, u.role, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[32], hash[256];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int64_t id = 0;
    /* hashed before the transaction: Argon2 must not hold the write lock */
    if (users_hash_password(json_string_value(json_object_get(body, "password")), u.login, minlen, hash, &e) < 0)
        return http_reply_err(rep, &e);
    u.password_hash = hash;
    if (role_is_privileged(u.role) && account_requests_expire_due(req, &e) < 0)
        goto fail;
    if (db_begin(req->db, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:s, s:s, s:s?, s:o}", "login", u.login ? u.login : "", "name", u.name ? u.name : "",
                          "role", role_code(u.role), "town_code", u.town_code && u.town_code[0] ? u.town_code : NULL,
                          "institution_id", u.institution_id ? json_integer(u.institution_id) : json_null());
    if (role_is_privileged(u.role)) {
        /* a privileged account is not made now: another privileged person approves it */
        int rc = users_validate_new(req->db, req->district, &u, &e) < 0 ||
                         account_requests_check_none_pending(req->db, req->district, 0, u.login, &e) < 0 ||
                         account_requests_file(req, "create", 0, u.login, u.role, f, hash, &out, &e) < 0 ||
                         db_commit(req->db, &e) < 0
                     ? -1
                     : 0;
        json_decref(f);
        if (rc < 0)
            goto fail;
        return http_reply_json(rep, 202, json_pack("{s:o}", "request", out));
    }
    json_object_del(f, "name");
    if (users_create(req->db, req->district, &u, now_ts, &id, &e) < 0) {
        json_decref(f);
        goto fail;
    }
    if (audit_write_commit(req, "user.create", "user", id, f, &e) < 0)
        return http_reply_err(rep, &e);
    out = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "login", u.login, "name", u.name, "role",
                    role_code(u.role));
    return http_reply_json(rep, 201, out);
fail:
    return http_reply_rollback(req, rep, &e);
}

/* What PUT /api/v1/users/{id} asks to change. */
struct user_change {
    const char *password;       /* new password, or NULL */
    int set_disabled, disabled;
    int set_role;               /* role or a scope field given: role, town_code, institution_id */
    enum role role;
    const char *town_code;
    int64_t institution_id;
};

static int read_change(struct http_req *req, json_t *body, const struct account_info *a, struct user_change *c,
                       struct err *e)
{
    memset(c, 0, sizeof *c);
    json_t *pw = json_object_get(body, "password"), *dis = json_object_get(body, "disabled"),
           *role = json_object_get(body, "role"), *town = json_object_get(body, "town_code"),
           *inst = json_object_get(body, "institution_id");
    c->password = json_string_value(pw);
    c->set_disabled = dis != NULL;
    c->disabled = json_is_true(dis);
    c->set_role = (role && !json_is_null(role)) || town || inst;
    c->role = role && !json_is_null(role) ? role_from_code(json_string_value(role)) : a->role;
    c->town_code = json_string_value(town);
    c->institution_id = json_integer_value(inst);
    if (!c->password && !c->set_disabled && !c->set_role)
        return err_set(e, 422, "nothing_to_change", "", "请指定要修改的内容（密码、启用状态或角色）");
    if (c->role == ROLE_NONE)
        return err_set(e, 422, "bad_role", "role", "角色无效");
    int self = a->id == req->user->id;
    if (self && c->set_disabled && c->disabled)
        return err_set(e, 409, "self_disable", "disabled", "不能停用本人的账号");
    if (self && c->set_role)
        return err_set(e, 409, "self_change", "role", "不能修改本人的角色或管辖范围");
    if (c->set_role && check_may_grant(req, c->role, e) < 0)
        return -1;
    if (c->set_role && users_check_scope(req->db, req->district, c->role, c->town_code, c->institution_id, e) < 0)
        return -1;
    /* the last active auditor may be neither disabled nor given another role */
    if (((c->set_disabled && c->disabled) || (c->set_role && c->role != ROLE_AUDITOR)) &&
        users_check_not_last_auditor(req->db, req->district, a, e) < 0)
        return -1;
    return 0;
}

/* The change as audit fields and request changes: never the password, only that it changes. */
static json_t *change_json(const struct user_change *c)
{
    json_t *f = json_object();
    if (c->password)
        json_object_set_new(f, "password", json_true());
    if (c->set_disabled)
        json_object_set_new(f, "disabled", json_boolean(c->disabled));
    if (c->set_role) {
        json_object_set_new(f, "role", json_string(role_code(c->role)));
        json_object_set_new(f, "town_code", c->town_code && c->town_code[0] ? json_string(c->town_code) : json_null());
        json_object_set_new(f, "institution_id", c->institution_id ? json_integer(c->institution_id) : json_null());
    }
    return f;
}

static int update_user(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "user.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t id = http_param_id(req, "id");
    struct account_info a;
    if (users_load(req->db, req->district, id, &a, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *body = http_body(req);
    int minlen;
    struct user_change c;
    json_t *f = NULL, *out = NULL;
    char hash[256] = "", now_ts[32];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (read_change(req, body, &a, &c, &e) < 0 ||
        min_password_length(req, &minlen, &e) < 0)
        goto fail;
    /* hashed before the transaction, as in create_user */
    if (c.password && users_hash_password(c.password, a.login, minlen, hash, &e) < 0)
        goto fail;
    int privileged = role_is_privileged(a.role) || role_is_privileged(c.role);
    if (privileged && account_requests_expire_due(req, &e) < 0)
        goto fail;
    f = change_json(&c);
    if (db_begin(req->db, &e) < 0)
        goto fail;
    if (privileged) {
        /* a privileged account changes only when another privileged person approves */
        if (account_requests_check_none_pending(req->db, req->district, a.id, a.login, &e) < 0 ||
            account_requests_file(req, "update", a.id, a.login, c.role, f, c.password ? hash : NULL, &out, &e) < 0 ||
            db_commit(req->db, &e) < 0)
            goto fail;
        json_decref(f);
        return http_reply_json(rep, 202, json_pack("{s:o}", "request", out));
    }
    if ((c.password && users_set_password(req->db, id, hash, now_ts, &e) < 0) ||
        (c.set_disabled && users_set_disabled(req->db, id, c.disabled, now_ts, &e) < 0) ||
        (c.set_role && users_set_role(req->db, req->district, id, c.role, c.town_code, c.institution_id, now_ts, &e) < 0))
        goto fail;
    if (c.password)
        json_object_set_new(f, "password", json_string("******"));
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

#include "auth/users.schemas.inc"

const struct route users_routes[] = {
    {"GET", "/api/v1/users", "user.manage", list_users, NULL, &USER_PAGE},
    {"POST", "/api/v1/users", "user.manage", create_user, &CREATE_BODY, &USER, 201},
    {"GET", "/api/v1/users/institution-choices", "user.manage", institution_choices, NULL, &INSTITUTION_CHOICE_PAGE},
    {"PUT", "/api/v1/users/{id}", "user.manage", update_user, &UPDATE_BODY, &USER},
    /* the list first expires the requests past their time (written, then read: on the primary) */
    {"GET", "/api/v1/account-requests", "account_request.list", account_requests_list, NULL, &ACCOUNT_REQUEST_PAGE,
     .on_primary = 1},
    {"POST", "/api/v1/account-requests/{id}/approve", "account_request.decide", account_requests_approve,
     &ACCOUNT_REQUEST_DECISION, &ACCOUNT_REQUEST_DECIDED},
    {"POST", "/api/v1/account-requests/{id}/reject", "account_request.decide", account_requests_reject,
     &ACCOUNT_REQUEST_DECISION, &ACCOUNT_REQUEST_DECIDED},
    {NULL, NULL, NULL, NULL},
};
