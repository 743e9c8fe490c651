/* signup.c — families' own accounts (issue 12 item 1): a one-time code sent by SMS to a mobile
 * number proves the number; with it a parent signs up (name, optional password, consent to the
 * privacy notice whose version is recorded), logs in, or sets a new password.
 *
 * Codes: 6 digits from the system's random source, valid sms.code_ttl_seconds, at most
 * sms.max_tries wrong tries, a new one for a number and purpose no sooner than sms.resend_seconds
 * after the last, at most sms.max_per_number_per_day per number and sms.max_per_address_per_hour per
 * client address (dated parameters, migration 016). Only the newest code of a number and purpose
 * counts, and only its keyed hash is stored ("sms_code:<lookup>:<code>" under the lookup key, so a
 * copy of the database without the key cannot try the million codes); the text leaves through the
 * SMS queue (src/inbox/sms.c), sealed until the gateway took it. Neither codes nor numbers reach
 * the audit log or the request log: the audit rows carry the masked number.
 *
 * The mobile number is stored sealed with a lookup hash and a masked copy (base/mobile.h); the
 * account's login is "m-" and the first 16 hex digits of that hash, and the parent logs in with
 * the number itself (session.c looks a number up by its hash). */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/session.h"
#include "auth/users.h"
#include "base/date.h"
#include "base/mobile.h"
#include "inbox/sms.h"
#include "params/params.h"

#define CODE_DIGITS 6

struct sms_rules {
    int64_t ttl, max_tries, resend, per_number, per_address;
};

static int load_rules(struct http_req *req, struct sms_rules *r, struct err *e)
{
    struct params p;
    double ttl, tries, resend, per_number, per_address;
    if (params_load(req->db, req->district, req->today, &p, e) < 0 ||
        params_num(&p, "sms.code_ttl_seconds", &ttl, e) || params_num(&p, "sms.max_tries", &tries, e) ||
        params_num(&p, "sms.resend_seconds", &resend, e) ||
        params_num(&p, "sms.max_per_number_per_day", &per_number, e) ||
        params_num(&p, "sms.max_per_address_per_hour", &per_address, e))
        return -1;
    *r = (struct sms_rules){(int64_t)ttl, (int64_t)tries, (int64_t)resend, (int64_t)per_number, (int64_t)per_address};
    return 0;
}

static void code_hash(const struct crypt_key *k, const char *lookup, const char *code, char out[CRYPT_LOOKUP_HEX_LEN])
{
    char material[128];
    snprintf(material, sizeof material, "sms_code:%s:%s", lookup, code);
    crypt_lookup_hash(k, material, out);
    sodium_memzero(material, sizeof material);
}

/* The account holding a verified number: 1 (id), 0 none, -1 error. */
static int account_of(struct http_req *req, const char *lookup, int64_t *id, int *disabled, struct err *e)
{
    struct db_stmt *st = db_query(req->db, e, "SELECT id, disabled FROM app_user WHERE mobile_lookup = ?", "t", lookup);
    int rc = db_first_row(st, e);
    if (rc == 1) {
        db_scan(st, DB_I64(id), DB_INT(disabled));
        db_finalize(st);
    }
    return rc;
}

static int reply_wait(struct http_req *req, struct http_reply *rep, int64_t seconds, const char *code, const char *text)
{
    if (seconds < 1)
        seconds = 1;
    http_reply_header(rep, "Retry-After", http_printf(req, "%" PRId64, seconds));
    if (seconds >= 120)
        return http_reply_error(rep, 429, code, "mobile", "%s，请 %" PRId64 " 分钟后再试", text, (seconds + 59) / 60);
    return http_reply_error(rep, 429, code, "mobile", "%s，请 %" PRId64 " 秒后再试", text, seconds);
}

static const char *purpose_words(const char *purpose)
{
    return strcmp(purpose, "signup") == 0  ? "注册"
           : strcmp(purpose, "login") == 0 ? "登录"
                                           : "重设密码";
}

/* POST /api/v1/sms-codes {"mobile", "purpose"}: a new code, sent by SMS. */
static int send_code(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    const char *purpose = json_string_value(json_object_get(body, "purpose"));
    if (strcmp(purpose, "signup") && strcmp(purpose, "login") && strcmp(purpose, "reset"))
        return http_reply_error(rep, 422, "bad_purpose", "purpose", "用途须为 signup（注册）、login（登录）或 reset（重设密码）");
    struct mobile_protected m;
    struct sms_rules r;
    if (mobile_protect(&req->app->key, json_string_value(json_object_get(body, "mobile")), &m, &e) < 0 ||
        load_rules(req, &r, &e) < 0)
        return http_reply_err(rep, &e);
    if (!req->app->sms_enabled)
        return http_reply_error(rep, 503, "sms_unavailable", "", "短信服务暂不可用，请稍后再试或联系区卫健局");
    int64_t uid = 0;
    int disabled = 0, found = account_of(req, m.lookup, &uid, &disabled, &e);
    if (found < 0)
        return http_reply_err(rep, &e);
    if (found && strcmp(purpose, "signup") == 0)
        return http_reply_error(rep, 409, "mobile_registered", "mobile", "该手机号已注册，请直接用验证码或密码登录");
    if (!found && strcmp(purpose, "signup"))
        return http_reply_error(rep, 404, "mobile_unknown", "mobile", "该手机号尚未注册，请先注册");

    if (db_begin(req->db, &e) < 0) /* SQLite: the write lock first, so the limits below hold */
        return http_reply_err(rep, &e);
    int any;
    int64_t last = db_query_int(req->db, &e, &any,
                                "SELECT MAX(created_at) FROM sms_code WHERE mobile_lookup = ? AND purpose = ?", "tt",
                                m.lookup, purpose);
    int64_t per_number = last < 0 ? -1
                                  : db_query_int(req->db, &e, &any,
                                                 "SELECT COUNT(*) FROM sms_code WHERE mobile_lookup = ? AND created_at > ?",
                                                 "ti", m.lookup, req->now - 86400);
    int64_t per_address = per_number < 0 ? -1
                                         : db_query_int(req->db, &e, &any,
                                                        "SELECT COUNT(*) FROM sms_code WHERE remote_addr = ? AND created_at > ?",
                                                        "ti", req->remote_addr, req->now - 3600);
    if (per_address < 0)
        goto fail;
    if (last && req->now < last + r.resend) {
        db_rollback(req->db);
        return reply_wait(req, rep, last + r.resend - req->now, "code_resend", "验证码已发送，获取新验证码须稍候");
    }
    if (per_number >= r.per_number) {
        db_rollback(req->db);
        return reply_wait(req, rep, 86400, "sms_limit_number", "该手机号今天获取验证码的次数已达上限");
    }
    if (per_address >= r.per_address) {
        db_rollback(req->db);
        return reply_wait(req, rep, 3600, "sms_limit_address", "本网络获取验证码的次数过多");
    }
    char code[CODE_DIGITS + 1], hash[CRYPT_LOOKUP_HEX_LEN];
    snprintf(code, sizeof code, "%06" PRIu32, randombytes_uniform(1000000));
    code_hash(&req->app->key, m.lookup, code, hash);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    char *text = http_printf(req, "【托育服务】您的%s验证码为 %s，%" PRId64 " 分钟内有效。请勿告诉他人；如非本人操作，请忽略本短信。",
                             purpose_words(purpose), code, r.ttl / 60);
    sodium_memzero(code, sizeof code);
    int rc = db_run(req->db, &e,
                    "INSERT INTO sms_code (district_code, mobile_lookup, purpose, code_hash, remote_addr, created_at, "
                    "expires_at) VALUES (?,?,?,?,?,?,?)",
                    "tttttii", req->district, m.lookup, purpose, hash, req->remote_addr, req->now,
                    req->now + r.ttl) < 0 ||
             sms_enqueue(req->db, &req->app->key, req->district, m.number, text, now_ts, &e) < 0;
    sodium_memzero(text, strlen(text));
    if (rc)
        goto fail;
    json_t *f = json_pack("{s:s, s:s}", "mobile", m.masked, "purpose", purpose);
    rc = audit_request_commit(req, "sms_code.send", found ? "user" : "mobile",
                              found ? http_printf(req, "%" PRId64, uid) : m.masked, f, &e);
    json_decref(f);
    if (rc < 0)
        goto fail;
    return http_reply_json(rep, 202, json_pack("{s:s, s:I, s:I}", "mobile", m.masked, "expires_in", (json_int_t)r.ttl,
                                               "resend_after", (json_int_t)r.resend));
fail:
    return http_reply_rollback(req, rep, &e);
}

/* Check the newest code of (number, purpose) against the one typed. 0 with *code_id when right
 * (the caller spends it with spend_code in its transaction); otherwise the error, and a wrong
 * try is counted (and audited) at once. */
static int check_code(struct http_req *req, const struct mobile_protected *m, const char *purpose, const char *code,
                      int64_t user_id, int64_t *code_id, struct err *e)
{
    if (strlen(code) != CODE_DIGITS || strspn(code, "0123456789") != CODE_DIGITS)
        return err_set(e, 422, "code_invalid", "code", "请输入短信中的6位数字验证码");
    struct sms_rules r;
    if (load_rules(req, &r, e) < 0)
        return -1;
    struct db_stmt *st = db_query(req->db, e,
                                  "SELECT id, code_hash, expires_at, tries, used_at FROM sms_code WHERE mobile_lookup = ? "
                                  "AND purpose = ? ORDER BY id DESC LIMIT 1",
                                  "tt", m->lookup, purpose);
    int rc = db_first_row(st, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(e, 422, "code_missing", "code", "请先获取短信验证码");
    int64_t id = db_col_int64(st, 0), expires = db_col_int64(st, 2), tries = db_col_int64(st, 3);
    int used = !db_col_is_null(st, 4);
    char stored[CRYPT_LOOKUP_HEX_LEN], typed[CRYPT_LOOKUP_HEX_LEN];
    db_col_copy(st, 1, stored, sizeof stored);
    db_finalize(st);
    if (used)
        return err_set(e, 422, "code_used", "code", "该验证码已使用，请重新获取");
    if (req->now >= expires)
        return err_set(e, 422, "code_expired", "code", "验证码已过期，请重新获取");
    if (tries >= r.max_tries)
        return err_set(e, 429, "code_tries", "code", "验证码错误次数过多，请重新获取");
    code_hash(&req->app->key, m->lookup, code, typed);
    if (sodium_memcmp(stored, typed, sizeof stored) == 0) {
        *code_id = id;
        return 0;
    }
    json_t *f = json_pack("{s:s, s:s, s:I}", "mobile", m->masked, "purpose", purpose, "tries", (json_int_t)(tries + 1));
    struct err werr = {0};
    int wrc = db_begin(req->db, &werr) < 0 ||
              db_run(req->db, &werr, "UPDATE sms_code SET tries = tries + 1 WHERE id = ?", "i", id) < 0 ||
              audit_request_commit(req, "sms_code.failed", user_id ? "user" : "mobile",
                                   user_id ? http_printf(req, "%" PRId64, user_id) : m->masked, f, &werr) < 0;
    json_decref(f);
    if (wrc) {
        db_rollback(req->db);
        *e = werr;
        return -1;
    }
    if (tries + 1 >= r.max_tries)
        return err_set(e, 429, "code_tries", "code", "验证码错误次数过多，请重新获取");
    return err_set(e, 422, "code_wrong", "code", "验证码错误，还可尝试 %" PRId64 " 次", r.max_tries - tries - 1);
}

/* Inside the transaction: spend the code (once: a concurrent use of the same code loses). */
static int spend_code(struct http_req *req, int64_t code_id, struct err *e)
{
    int64_t n = db_run(req->db, e, "UPDATE sms_code SET used_at = ? WHERE id = ? AND used_at IS NULL", "ii", req->now,
                       code_id);
    if (n < 0)
        return -1;
    return n == 1 ? 0 : err_set(e, 422, "code_used", "code", "该验证码已使用，请重新获取");
}

static int current_notice(struct http_req *req, int64_t *version, struct err *e)
{
    double v;
    if (params_get(req->db, req->district, "privacy.notice_version", req->today, &v, e) < 0)
        return -1;
    *version = (int64_t)v;
    return 0;
}

/* POST /api/v1/signup {"mobile", "code", "name", "password"?, "privacy_version"} */
static int signup(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    const char *name = json_string_value(json_object_get(body, "name"));
    const char *password = json_string_value(json_object_get(body, "password"));
    int64_t consented = json_integer_value(json_object_get(body, "privacy_version")), notice;
    struct mobile_protected m;
    if (mobile_protect(&req->app->key, json_string_value(json_object_get(body, "mobile")), &m, &e) < 0 ||
        current_notice(req, &notice, &e) < 0)
        return http_reply_err(rep, &e);
    while (*name == ' ')
        name++;
    if (!name[0])
        return http_reply_error(rep, 422, "required", "name", "请填写家长姓名");
    if (consented != notice)
        return http_reply_error(rep, 422, "consent_required", "privacy_version",
                                "请阅读并同意最新的《隐私政策》（第 %" PRId64 " 版）后再注册", notice);
    struct new_user u = {.name = name, .role = ROLE_FAMILY};
    char login[24], hash[256] = "!"; /* "!": no password; only a code logs in */
    snprintf(login, sizeof login, "%s%.16s", SIGNUP_LOGIN_PREFIX, m.lookup);
    u.login = login;
    if (password && password[0]) {
        double min_len;
        if (params_get(req->db, req->district, "auth.password_min_length", req->today, &min_len, &e) < 0 ||
            users_hash_password(password, login, (int)min_len, hash, &e) < 0)
            return http_reply_err(rep, &e);
    }
    u.password_hash = hash;
    int64_t code_id, uid = 0;
    int disabled;
    int found = account_of(req, m.lookup, &uid, &disabled, &e);
    if (found < 0)
        return http_reply_err(rep, &e);
    if (found)
        return http_reply_error(rep, 409, "mobile_registered", "mobile", "该手机号已注册，请直接用验证码或密码登录");
    if (check_code(req, &m, "signup", json_string_value(json_object_get(body, "code")), 0, &code_id, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN], token[TOKEN_TEXT_LEN], csrf[65];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    struct user nu = {.role = ROLE_FAMILY};
    if (spend_code(req, code_id, &e) < 0 || users_create(req->db, req->district, &u, now_ts, &nu.id, &e) < 0 ||
        users_set_mobile(req->db, nu.id, m.sealed, m.lookup, m.masked, notice, now_ts, &e) < 0)
        goto fail;
    snprintf(nu.login, sizeof nu.login, "%s", login);
    snprintf(nu.name, sizeof nu.name, "%s", name);
    snprintf(nu.district_code, sizeof nu.district_code, "%s", req->district);
    json_t *f = json_pack("{s:s, s:s, s:I, s:b}", "mobile", m.masked, "name", name, "privacy_version", (json_int_t)notice,
                          "password", hash[0] != '!');
    int rc = audit_request(req, "account.signup", "user", http_printf(req, "%" PRId64, nu.id), f, &e) < 0 ||
             auth_session_open(req, &nu, login, "session.login", NULL, token, csrf, &e) < 0;
    json_decref(f);
    if (rc || db_commit(req->db, &e) < 0)
        goto fail;
    sodium_memzero(hash, sizeof hash);
    return auth_session_reply(req, rep, &nu, token, csrf, 201);
fail:
    sodium_memzero(hash, sizeof hash);
    db_rollback(req->db);
    if (strcmp(e.code, "login_taken") == 0 || strcmp(e.code, "db_conflict") == 0)
        err_set(&e, 409, "mobile_registered", "mobile", "该手机号已注册，请直接用验证码或密码登录");
    return http_reply_err(rep, &e);
}

/* The family account of a number, for logging in or a new password: 0 with *id, or the error. */
static int family_of(struct http_req *req, const struct mobile_protected *m, int64_t *id, struct err *e)
{
    int disabled = 0;
    int found = account_of(req, m->lookup, id, &disabled, e);
    if (found < 0)
        return -1;
    if (!found)
        return err_set(e, 404, "mobile_unknown", "mobile", "该手机号尚未注册，请先注册");
    if (disabled)
        return err_set(e, 403, "account_disabled", "mobile", "该账号已停用，请联系区卫健局");
    return 0;
}

/* POST /api/v1/session/sms {"mobile", "code"}: log in with a code. */
static int login_by_code(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    struct mobile_protected m;
    int64_t uid, code_id;
    struct account_info a;
    if (mobile_protect(&req->app->key, json_string_value(json_object_get(body, "mobile")), &m, &e) < 0 ||
        family_of(req, &m, &uid, &e) < 0 ||
        check_code(req, &m, "login", json_string_value(json_object_get(body, "code")), uid, &code_id, &e) < 0 ||
        users_load(req->db, req->district, uid, &a, &e) < 0)
        return http_reply_err(rep, &e);
    struct user u = {.id = a.id, .role = a.role, .institution_id = a.institution_id};
    snprintf(u.login, sizeof u.login, "%s", a.login);
    snprintf(u.name, sizeof u.name, "%s", a.name);
    snprintf(u.town_code, sizeof u.town_code, "%s", a.town_code);
    snprintf(u.district_code, sizeof u.district_code, "%s", req->district);
    char token[TOKEN_TEXT_LEN], csrf[65];
    json_t *f = json_pack("{s:s, s:s}", "remote_addr", req->remote_addr, "method", "sms");
    int rc = db_begin(req->db, &e) < 0 || spend_code(req, code_id, &e) < 0 ||
             auth_session_open(req, &u, a.login, "session.login", f, token, csrf, &e) < 0 || db_commit(req->db, &e) < 0;
    json_decref(f);
    if (rc) {
        db_rollback(req->db);
        return http_reply_err(rep, &e);
    }
    return auth_session_reply(req, rep, &u, token, csrf, 200);
}

/* POST /api/v1/password-reset {"mobile", "code", "password"}: a new password; every session of
 * the account ends. */
static int reset_password(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    struct mobile_protected m;
    int64_t uid, code_id;
    struct account_info a;
    double min_len;
    char hash[256], now_ts[DATE_TIMESTAMP_LEN];
    if (mobile_protect(&req->app->key, json_string_value(json_object_get(body, "mobile")), &m, &e) < 0 ||
        family_of(req, &m, &uid, &e) < 0 || users_load(req->db, req->district, uid, &a, &e) < 0 ||
        params_get(req->db, req->district, "auth.password_min_length", req->today, &min_len, &e) < 0 ||
        users_hash_password(json_string_value(json_object_get(body, "password")), a.login, (int)min_len, hash, &e) < 0 ||
        check_code(req, &m, "reset", json_string_value(json_object_get(body, "code")), uid, &code_id, &e) < 0)
        return http_reply_err(rep, &e);
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    json_t *f = json_pack("{s:s}", "mobile", m.masked);
    int rc = db_begin(req->db, &e) < 0 || spend_code(req, code_id, &e) < 0 ||
             users_set_password(req->db, uid, hash, now_ts, &e) < 0 ||
             audit_request_commit(req, "account.password_reset", "user", http_printf(req, "%" PRId64, uid), f, &e) < 0;
    json_decref(f);
    sodium_memzero(hash, sizeof hash);
    if (rc) {
        db_rollback(req->db);
        return http_reply_err(rep, &e);
    }
    auth_sessions_changed(req->app);
    return http_reply_json(rep, 200, json_pack("{s:b}", "ok", 1));
}

/* GET /api/v1/privacy-notice: the version a parent consents to at sign-up (the text is the web
 * app's, web/src/portal/family/privacy.js, kept at the same version). */
static int privacy_notice(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t v;
    if (current_notice(req, &v, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:I, s:b}", "version", (json_int_t)v, "sms", req->app->sms_enabled));
}

#include "auth/signup.schemas.inc"

const struct route signup_routes[] = {
    {"GET", "/api/v1/privacy-notice", "public", privacy_notice, NULL, &NOTICE},
    {"POST", "/api/v1/sms-codes", "public", send_code, &CODE_BODY, &CODE_SENT, 202},
    {"POST", "/api/v1/signup", "public", signup, &SIGNUP_BODY, &AUTH_SESSION, 201},
    {"POST", "/api/v1/session/sms", "public", login_by_code, &SMS_LOGIN_BODY, &AUTH_SESSION},
    {"POST", "/api/v1/password-reset", "public", reset_password, &RESET_BODY, &AUTH_OK},
    {NULL, NULL, NULL, NULL},
};
