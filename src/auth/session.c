/* session.c — logging in and out, the session cookie, CSRF, and the server's before-hook that
 * authenticates every request and checks its route's action against the policy.
 *
 * The cookie holds 32 random bytes (base64url); the database holds only their SHA-256. The CSRF
 * token is derived from the session token with the server's keyed hash, so it needs no storage
 * and cannot be computed without the key. Idle and absolute timeouts, login throttling and the
 * TOTP requirement of all staff are policy parameters.
 *
 * Throttling: failures of one account from one address lock that (account, address) pair
 * (login.max_failures within login.failure_window_seconds, for login.lock_seconds); failures from
 * other addresses never lock the account, they make each further attempt wait a delay that doubles
 * with every failure (login.backoff_base_seconds … login.backoff_max_seconds), so nobody can lock
 * a person out by failing logins as them. One address failing too often over any accounts
 * (login.max_failures_per_address) is refused altogether.
 *
 * Second factor: the privileged roles (district_admin, security_admin, auditor) must use TOTP
 * when the server requires it (app.staff_totp_required: `tuoyu serve` decides at start, required
 * unless the database holds the demonstration data), every staff role when the parameter
 * auth.totp_required_staff is 1, and every account that has enrolled. Someone who must but has
 * not enrolled gets, for the right password, a session that may only enrol (POST /api/v1/me/totp,
 * then …/confirm with the first code), after which they log in again with a code.
 *
 * Machines: a client of the data exchange (role exchange_client, `tuoyu exchange-client`) sends
 * "Authorization: Bearer TOKEN" instead of a cookie; the policy lets that role only its own
 * actions (exchange.*), never "session" ones.
 *
 * A family may type its mobile number as the login: it becomes the account's login (signup.c:
 * "m-" and its lookup hash) before anything else, so no attempt records the number. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/token.h"
#include "auth/totp.h"
#include "auth/users.h"
#include "base/crypt.h"
#include "base/date.h"
#include "base/mobile.h"
#include "db/replica.h"
#include "http/http.h"
#include "jurisdiction/store.h"
#include "params/params.h"

#define SESSION_COOKIE "tuoyu_session"
/* the primary's WAL position after the caller's last write (src/db/replica.h): until the read
 * replica has replayed it, the caller's reads go to the primary */
#define WROTE_COOKIE "tuoyu_wrote"
/* last_seen_at is refreshed at most this often (seconds), to keep reads read-only */
#define TOUCH_INTERVAL 30
/* A worker thread remembers a session it has just checked for this long (seconds), so a client's
 * next requests on its keep-alive connection skip the session query. Logout, a new password and
 * disabling an account bump app.sessions_generation, which empties every thread's cache at once;
 * a change made by another process (the `tuoyu user` CLI, a second server) takes effect within
 * this time. */
#define SESSION_CACHE_SECONDS 2
#define SESSION_CACHE_SLOTS 256

struct session_cache_slot {
    char hash[65];
    long generation;
    int64_t cached_at, created, seen;
    struct user user;
};
static _Thread_local struct session_cache_slot session_cache[SESSION_CACHE_SLOTS];

static struct session_cache_slot *session_slot(const char *hash)
{
    unsigned v = 0;
    for (int i = 0; i < 4 && hash[i]; i++)
        v = v * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
    return &session_cache[v % SESSION_CACHE_SLOTS];
}

void auth_sessions_changed(struct app *app) { atomic_fetch_add(&app->sessions_generation, 1); }

json_t *auth_user_json(const struct user *u, const char *town_name)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:o}", "id", (json_int_t)u->id, "login", u->login,
                     "name", u->name, "role", role_code(u->role), "role_name", role_name(u->role), "town_code",
                     u->town_code[0] ? u->town_code : NULL, "town_name", town_name, "institution_id",
                     u->institution_id ? json_integer(u->institution_id) : json_null());
}

static void csrf_for(const struct app *app, const char *token, char out[65])
{
    char material[128];
    snprintf(material, sizeof material, "csrf:%s", token);
    crypt_lookup_hash(&app->key, material, out);
}

static const char *town_name_of(struct http_req *req, const char *code)
{
    if (!code || !code[0])
        return NULL;
    struct err e;
    const char *name = NULL;
    struct db_stmt *st = db_query(req->db, &e, "SELECT name FROM town WHERE code = ?", "t", code);
    if (db_first_row(st, &e) == 1) {
        name = http_strdup(req, db_col_text(st, 0));
        db_finalize(st);
    }
    return name;
}

/* Failed attempts of one address over all logins since `since`. */
static int count_address_failures(struct db *db, const char *addr, int64_t since, struct err *e)
{
    return (int)db_query_int(db, e, NULL,
                             "SELECT COUNT(*) FROM login_attempt WHERE remote_addr = ? AND ok = 0 AND at > ?", "ti",
                             addr, since);
}

/* Failed attempts of one login since a time: from this address and from all others. */
struct login_failures {
    int64_t here, here_last;   /* from this address: count and time of the last */
    int64_t others, last;      /* from other addresses; time of the last failure from anywhere */
};

static int count_login_failures(struct db *db, const char *login, const char *addr, int64_t since,
                                struct login_failures *f, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT COALESCE(SUM(CASE WHEN remote_addr = ? THEN 1 ELSE 0 END), 0), "
                                  "COALESCE(MAX(CASE WHEN remote_addr = ? THEN at END), 0), "
                                  "COALESCE(SUM(CASE WHEN remote_addr <> ? THEN 1 ELSE 0 END), 0), COALESCE(MAX(at), 0) "
                                  "FROM login_attempt WHERE login = ? AND ok = 0 AND at > ?",
                                  "tttti", addr, addr, addr, login, since);
    int rc = db_first_row(st, e);
    if (rc == 1) {
        db_scan(st, DB_I64(&f->here), DB_I64(&f->here_last), DB_I64(&f->others), DB_I64(&f->last));
        db_finalize(st);
    }
    return rc == 1 ? 0 : rc < 0 ? -1 : err_set(e, 500, "db_error", "", "读取登录失败记录失败");
}

/* Seconds to wait after the last failure from another address: none below max_fail failures,
 * then base, doubling with each further failure, never more than cap. */
static int64_t backoff_seconds(int64_t others, int64_t max_fail, double base, double cap)
{
    if (others < max_fail)
        return 0;
    double d = base;
    for (int64_t k = max_fail; k < others && d < cap; k++)
        d *= 2;
    return (int64_t)(d < cap ? d : cap);
}

static int reply_wait(struct http_req *req, struct http_reply *rep, int64_t seconds, const char *code,
                      const char *field, const char *message)
{
    if (seconds < 1)
        seconds = 1;
    http_reply_header(rep, "Retry-After", http_printf(req, "%" PRId64, seconds));
    if (seconds >= 120)
        return http_reply_error(rep, 429, code, field, "%s，请 %" PRId64 " 分钟后再试", message, (seconds + 59) / 60);
    return http_reply_error(rep, 429, code, field, "%s，请 %" PRId64 " 秒后再试", message, seconds);
}

static int record_attempt(struct http_req *req, const char *login, int ok, int64_t user_id, struct err *e)
{
    if (db_begin(req->db, e) < 0)
        return -1;
    if (db_run(req->db, e, "INSERT INTO login_attempt (district_code, login, remote_addr, at, ok) VALUES (?,?,?,?,?)",
               "tttii", req->district, login, req->remote_addr, req->now, (int64_t)ok) < 0)
        goto fail;
    if (!ok) {
        json_t *f = json_pack("{s:s, s:s}", "login", login, "remote_addr", req->remote_addr);
        struct audit_entry a = {.district_code = req->district, .at = req->now, .user_id = user_id,
                                .login = login, .action = "session.login_failed", .target_type = "user",
                                .fields = f, .request_id = req->request_id};
        int rc = audit_append(req->db, &a, e);
        json_decref(f);
        if (rc < 0)
            goto fail;
    }
    return db_commit(req->db, e);
fail:
    db_rollback(req->db);
    return -1;
}

struct account {
    struct user user;
    char password_hash[256];
    char totp_secret[256];
    int64_t totp_last_step;
    int disabled;
};

/* The account columns id, login, name, role, district_code, town_code, institution_id from column
 * first on. */
static void user_from_row(struct db_stmt *st, int first, struct user *u)
{
    memset(u, 0, sizeof *u);
    u->id = db_col_int64(st, first);
    db_col_copy(st, first + 1, u->login, sizeof u->login);
    db_col_copy(st, first + 2, u->name, sizeof u->name);
    u->role = role_from_code(db_col_text(st, first + 3));
    db_col_copy(st, first + 4, u->district_code, sizeof u->district_code);
    db_col_copy(st, first + 5, u->town_code, sizeof u->town_code);
    u->institution_id = db_col_is_null(st, first + 6) ? 0 : db_col_int64(st, first + 6);
}

static int load_account(struct db *db, const char *login, struct account *a, struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, login, name, role, district_code, town_code, institution_id, password_hash, "
                                  "totp_secret, totp_last_step, disabled FROM app_user WHERE login = ?",
                                  "t", login);
    int rc = db_first_row(st, e);
    if (rc == 1) {
        memset(a, 0, sizeof *a);
        user_from_row(st, 0, &a->user);
        db_scan_from(st, 7, DB_TEXT(a->password_hash), DB_TEXT(a->totp_secret), DB_I64(&a->totp_last_step),
                     DB_INT(&a->disabled));
        db_finalize(st);
    }
    return rc;
}

static void set_cookie(struct http_req *req, struct http_reply *rep, const char *token, int64_t max_age)
{
    http_reply_header(rep, "Set-Cookie",
                      http_printf(req, "%s=%s; Path=/; Max-Age=%" PRId64 "; HttpOnly; SameSite=Strict%s",
                                  SESSION_COOKIE, token, max_age, req->tls ? "; Secure" : ""));
}

static int session_create(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req);
    const char *login = json_string_value(json_object_get(body, "login"));
    const char *password = json_string_value(json_object_get(body, "password"));
    const char *totp = json_string_value(json_object_get(body, "totp"));
    /* a family logs in with its mobile number: the account's login is made from the number's
     * lookup hash (signup.c), so throttling and the audit log never hold the number itself */
    char number[MOBILE_LEN + 1], lookup[CRYPT_LOOKUP_HEX_LEN];
    struct err not_mobile;
    if (mobile_normalise(login, number, &not_mobile) == 0 && mobile_lookup(&req->app->key, number, lookup, &e) == 0)
        login = http_printf(req, "%s%.16s", SIGNUP_LOGIN_PREFIX, lookup);
    struct params p;
    if (params_load(req->db, req->district, req->today, &p, &e) < 0)
        return http_reply_err(rep, &e);
    double window, max_fail, lock_s, max_addr, totp_required, backoff_base, backoff_max;
    if (params_num(&p, "login.failure_window_seconds", &window, &e) ||
        params_num(&p, "login.max_failures", &max_fail, &e) || params_num(&p, "login.lock_seconds", &lock_s, &e) ||
        params_num(&p, "login.max_failures_per_address", &max_addr, &e) ||
        params_num(&p, "login.backoff_base_seconds", &backoff_base, &e) ||
        params_num(&p, "login.backoff_max_seconds", &backoff_max, &e) ||
        params_num(&p, "auth.totp_required_staff", &totp_required, &e))
        return http_reply_err(rep, &e);

    int64_t since = req->now - (int64_t)window;
    int addr_fails = count_address_failures(req->db, req->remote_addr, since, &e);
    if (addr_fails < 0)
        return http_reply_err(rep, &e);
    if (addr_fails >= (int)max_addr)
        return http_reply_error(rep, 429, "rate_limited", "", "登录失败次数过多，请 %d 分钟后再试",
                                (int)(window / 60));
    struct login_failures lf = {0};
    if (count_login_failures(req->db, login, req->remote_addr, since, &lf, &e) < 0)
        return http_reply_err(rep, &e);
    /* locked here: this address failed too often for this account */
    if (lf.here >= (int64_t)max_fail && req->now < lf.here_last + (int64_t)lock_s)
        return reply_wait(req, rep, lf.here_last + (int64_t)lock_s - req->now, "account_locked", "login",
                          "该账号在本地址多次登录失败，已暂时锁定");
    /* failures from elsewhere: wait, never locked */
    int64_t delay = backoff_seconds(lf.others, (int64_t)max_fail, backoff_base, backoff_max);
    /* times are whole seconds: a failure at T.9 is stored as T, so the attempt must wait until
     * after T + delay, or the stated delay could shrink to a fraction of a second */
    if (delay && req->now <= lf.last + delay)
        return reply_wait(req, rep, lf.last + delay + 1 - req->now, "login_delayed", "login",
                          "该账号近期多次登录失败，须稍候再试");

    struct account acc;
    int found = load_account(req->db, login, &acc, &e);
    if (found < 0)
        return http_reply_err(rep, &e);
    /* verify against a dummy hash when the login is unknown, so timing does not reveal accounts */
    int ok = password_verify(found ? acc.password_hash : password_dummy_hash(), password) == 0 && found &&
             !acc.disabled && acc.user.role != ROLE_NONE;
    if (!ok) {
        if (record_attempt(req, login, 0, found ? acc.user.id : 0, &e) < 0)
            return http_reply_err(rep, &e);
        return http_reply_error(rep, 401, "bad_credentials", "password", "账号或密码错误");
    }
    int64_t totp_step = 0;
    int must_totp = role_is_staff(acc.user.role) &&
                    (totp_required >= 1 || (req->app->staff_totp_required && role_is_privileged(acc.user.role)));
    int enrolment_only = must_totp && !acc.totp_secret[0];
    if (role_is_staff(acc.user.role) && acc.totp_secret[0]) {
        if (!totp || !totp[0])
            return http_reply_error(rep, 401, "totp_required", "totp", "请输入动态口令");
        char secret[128];
        if (crypt_open(&req->app->key, acc.totp_secret, secret, sizeof secret, &e) < 0)
            return http_reply_err(rep, &e);
        int bad = totp_verify_base32(secret, totp, req->now, &totp_step) < 0 || totp_step <= acc.totp_last_step;
        sodium_memzero(secret, sizeof secret);
        if (bad) {
            if (record_attempt(req, login, 0, acc.user.id, &e) < 0)
                return http_reply_err(rep, &e);
            return http_reply_error(rep, 401, "bad_totp", "totp", "动态口令错误或已使用");
        }
    }
    acc.user.enrolment_only = enrolment_only;

    char token[TOKEN_TEXT_LEN], csrf[65];
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *f = json_pack("{s:s, s:b}", "remote_addr", req->remote_addr, "enrolment_only", enrolment_only);
    int rc = auth_session_open(req, &acc.user, login, "session.login", f, token, csrf, &e);
    json_decref(f);
    if (rc < 0)
        goto fail;
    if (totp_step && db_run(req->db, &e, "UPDATE app_user SET totp_last_step = ? WHERE id = ?", "ii", totp_step,
                            acc.user.id) < 0)
        goto fail;
    if (db_commit(req->db, &e) < 0)
        goto fail;
    return auth_session_reply(req, rep, &acc.user, token, csrf, 200);
fail:
    return http_reply_rollback(req, rep, &e);
}

int auth_session_open(struct http_req *req, struct user *u, const char *login, const char *action, json_t *fields,
                      char token[TOKEN_TEXT_LEN], char csrf[65], struct err *e)
{
    char token_h[65];
    token_new(token);
    token_hash(token, token_h);
    csrf_for(req->app, token, csrf);
    if (db_run(req->db, e,
               "INSERT INTO user_session (district_code, token_hash, user_id, created_at, last_seen_at, remote_addr, "
               "enrolment_only) VALUES (?,?,?,?,?,?,?)",
               "ttiiiti", u->district_code, token_h, u->id, req->now, req->now, req->remote_addr,
               (int64_t)u->enrolment_only) < 0 ||
        db_run(req->db, e, "INSERT INTO login_attempt (district_code, login, remote_addr, at, ok) VALUES (?,?,?,?,1)",
               "ttti", req->district, login, req->remote_addr, req->now) < 0)
        return -1;
    struct user *saved = req->user;
    req->user = u;
    int rc = audit_request(req, action, "user", http_printf(req, "%" PRId64, u->id), fields, e);
    req->user = saved;
    return rc;
}

static int session_delete(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *token = http_cookie(req, SESSION_COOKIE);
    char h[65];
    token_hash(token ? token : "", h);
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_run(req->db, &e, "DELETE FROM user_session WHERE token_hash = ?", "t", h) < 0 ||
        audit_request(req, "session.logout", "user", http_printf(req, "%" PRId64, req->user->id), NULL, &e) < 0 ||
        db_commit(req->db, &e) < 0)
        goto fail;
    auth_sessions_changed(req->app);
    set_cookie(req, rep, "", 0);
    return http_reply_json(rep, 200, json_pack("{s:b}", "ok", 1));
fail:
    return http_reply_rollback(req, rep, &e);
}

static int session_me(struct http_req *req, struct http_reply *rep)
{
    char csrf[65];
    csrf_for(req->app, http_cookie(req, SESSION_COOKIE), csrf);
    return http_reply_json(rep, 200,
                           json_pack("{s:o, s:s, s:o, s:b}", "user", auth_user_json(req->user, town_name_of(req, req->user->town_code)),
                                     "csrf_token", csrf, "actions", authz_actions_json(req->user), "enrolment_required",
                                     req->user->enrolment_only));
}

/* ---- enrolling one's own second factor (account.totp) ---- */

/* POST /api/v1/me/totp: a new secret, kept as pending until a code from it confirms it. */
static int totp_start(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    int64_t enrolled = db_query_int(req->db, &e, NULL, "SELECT totp_secret IS NOT NULL FROM app_user WHERE id = ?",
                                    "i", req->user->id);
    if (enrolled < 0)
        return http_reply_err(rep, &e);
    if (enrolled)
        return http_reply_error(rep, 409, "totp_enrolled", "totp", "本账号已绑定动态口令；如需更换手机，请联系安全管理员");
    char secret[TOTP_SECRET_TEXT_LEN], sealed[256], uri[512];
    if (totp_new_secret(secret) < 0 || crypt_seal(&req->app->key, secret, sealed, sizeof sealed, &e) < 0 ||
        totp_uri(USERS_TOTP_ISSUER, req->user->login, secret, uri, sizeof uri, &e) < 0) {
        sodium_memzero(secret, sizeof secret);
        if (!e.code[0])
            err_set(&e, 500, "totp_secret", "", "无法生成动态口令密钥");
        return http_reply_err(rep, &e);
    }
    if (db_begin(req->db, &e) < 0)
        goto fail;
    if (db_run(req->db, &e, "UPDATE app_user SET totp_pending = ? WHERE id = ?", "ti", sealed, req->user->id) < 0 ||
        audit_request(req, "account.totp_start", "user", http_printf(req, "%" PRId64, req->user->id), NULL, &e) < 0 ||
        db_commit(req->db, &e) < 0)
        goto fail;
    json_t *out = json_pack("{s:s, s:s, s:s, s:s}", "uri", uri, "secret", secret, "issuer", USERS_TOTP_ISSUER,
                            "account", req->user->login);
    sodium_memzero(secret, sizeof secret);
    return http_reply_json(rep, 200, out);
fail:
    sodium_memzero(secret, sizeof secret);
    db_rollback(req->db);
    return http_reply_err(rep, &e);
}

/* POST /api/v1/me/totp/confirm {"code"}: the first code makes the pending secret the account's.
 * A session that could only enrol ends: the user logs in again, now with a code. */
static int totp_confirm(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    const char *code = json_string_value(json_object_get(http_body(req), "code"));
    struct db_stmt *st = db_query(req->db, &e, "SELECT totp_pending FROM app_user WHERE id = ?", "i", req->user->id);
    int rc = db_first_row(st, &e);
    char sealed[256] = "";
    if (rc == 1) {
        if (db_col_text(st, 0))
            db_col_copy(st, 0, sealed, sizeof sealed);
        db_finalize(st);
    }
    if (rc < 0)
        return http_reply_err(rep, &e);
    if (!sealed[0])
        return http_reply_error(rep, 409, "no_pending_totp", "code", "请先生成动态口令二维码");
    char secret[128];
    int64_t step = 0;
    if (crypt_open(&req->app->key, sealed, secret, sizeof secret, &e) < 0)
        return http_reply_err(rep, &e);
    int bad = totp_verify_base32(secret, code, req->now, &step) < 0;
    sodium_memzero(secret, sizeof secret);
    if (bad)
        return http_reply_error(rep, 422, "bad_totp", "code", "动态口令不正确：请确认手机时间准确，并输入当前显示的6位数字");
    int relogin = req->user->enrolment_only;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (db_run(req->db, &e,
               "UPDATE app_user SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = ? WHERE id = ?",
               "ii", step, req->user->id) < 0 ||
        db_run(req->db, &e, "DELETE FROM user_session WHERE user_id = ? AND enrolment_only = 1", "i", req->user->id) < 0 ||
        audit_request(req, "account.totp_enrol", "user", http_printf(req, "%" PRId64, req->user->id), NULL, &e) < 0 ||
        db_commit(req->db, &e) < 0)
        goto fail;
    auth_sessions_changed(req->app);
    if (relogin)
        set_cookie(req, rep, "", 0);
    /* login_again: the session ended; log in with the password and a new code */
    return http_reply_json(rep, 200, json_pack("{s:b, s:b}", "ok", 1, "login_again", relogin));
fail:
    return http_reply_rollback(req, rep, &e);
}

int auth_demo_data(struct db *db, const char *district, struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT value FROM instance_flag WHERE district_code = ? AND name = 'demo_data'",
                                  "t", district);
    int rc = db_first_row(st, e);
    if (rc != 1)
        return rc;
    int demo = strcmp(db_col_text(st, 0), "1") == 0;
    db_finalize(st);
    return demo;
}

int auth_mark_demo_data(struct db *db, const char *district, const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO instance_flag (district_code, name, value, set_at) VALUES (?, 'demo_data', '1', ?)",
                    "tt", district, now_ts);
}

#include "auth/session.schemas.inc"

const struct route auth_routes[] = {
    {"POST", "/api/v1/session", "public", session_create, &LOGIN, &AUTH_SESSION},
    {"DELETE", "/api/v1/session", "session", session_delete, NULL, &AUTH_OK},
    {"GET", "/api/v1/me", "session", session_me, NULL, &AUTH_SESSION},
    {"POST", "/api/v1/me/totp", "account.totp", totp_start, &NO_MEMBERS, &TOTP_SECRET},
    {"POST", "/api/v1/me/totp/confirm", "account.totp", totp_confirm, &TOTP_CONFIRM, &TOTP_CONFIRMED},
    {NULL, NULL, NULL, NULL},
};

/* Per-thread copy of the session parameters, refreshed every minute, when the day changes, or when
 * this process changed a parameter (other processes' changes apply within the minute). */
struct session_limits {
    char day[11];
    int64_t loaded_at;
    long generation;
    int64_t idle, absolute;
};
static _Thread_local struct session_limits limits;

static int session_limits(struct http_req *req, struct err *e)
{
    const char *today = req->today;
    long generation = atomic_load(&req->app->params_generation);
    if (limits.loaded_at && strcmp(limits.day, today) == 0 && req->now - limits.loaded_at < 60 &&
        limits.generation == generation)
        return 0;
    double idle, absolute; /* the deployment's: sessions are checked before the district is known */
    if (params_get(req->db, req->app->district_code, "session.idle_timeout_seconds", today, &idle, e) < 0 ||
        params_get(req->db, req->app->district_code, "session.absolute_timeout_seconds", today, &absolute, e) < 0)
        return -1;
    limits.idle = (int64_t)idle;
    limits.absolute = (int64_t)absolute;
    limits.loaded_at = req->now;
    limits.generation = generation;
    snprintf(limits.day, sizeof limits.day, "%s", today);
    return 0;
}

int auth_session_reply(struct http_req *req, struct http_reply *rep, const struct user *u, const char *token,
                       const char *csrf, int status)
{
    struct err e = {0};
    if (session_limits(req, &e) < 0)
        return http_reply_err(rep, &e);
    req->user_id = u->id;
    set_cookie(req, rep, token, limits.absolute); /* the browser keeps it no longer than the server honours it */
    /* enrolment_required: this session may only enrol a second factor (then log in again) */
    return http_reply_json(rep, status,
                           json_pack("{s:o, s:s, s:b}", "user", auth_user_json(u, town_name_of(req, u->town_code)),
                                     "csrf_token", csrf, "enrolment_required", u->enrolment_only));
}

/* A machine client's request: "Authorization: Bearer TOKEN" with a token of `tuoyu
 * exchange-client add` that is not revoked, of an account not disabled (auth/clients.c). Its
 * last use is noted once a day at most, so reading the feed is not a write each time. */
static int authenticate_bearer(struct http_req *req, const char *token, struct err *e)
{
    char h[65];
    token_hash(token, h);
    struct db_stmt *st = db_query(req->db, e,
                                  "SELECT u.id, u.login, u.name, u.role, u.district_code, u.town_code, "
                                  "u.institution_id, c.id, c.last_used_at FROM api_client c "
                                  "JOIN app_user u ON u.id = c.user_id WHERE c.token_hash = ? "
                                  "AND c.revoked_at IS NULL AND u.disabled = 0",
                                  "t", h);
    int rc = db_first_row(st, e);
    if (rc != 1)
        return rc < 0 ? -1 : err_set(e, 401, "unauthenticated", "", "访问令牌无效或已撤销");
    struct user *u = http_alloc(req, sizeof *u);
    user_from_row(st, 0, u);
    int64_t client = db_col_int64(st, 7);
    char used[DATE_DAY_LEN] = "";
    if (!db_col_is_null(st, 8))
        db_col_copy(st, 8, used, sizeof used);
    db_finalize(st);
    if (u->role != ROLE_EXCHANGE_CLIENT) /* a token is never a person's */
        return err_set(e, 401, "unauthenticated", "", "访问令牌无效或已撤销");
    if (strcmp(used, req->today) != 0 &&
        db_run(req->db, e, "UPDATE api_client SET last_used_at = ? WHERE id = ?", "ti", req->today, client) < 0)
        return -1;
    req->user = u;
    req->user_id = u->id;
    return 0;
}

static int authenticate(struct http_req *req, struct err *e)
{
    const char *token = http_cookie(req, SESSION_COOKIE);
    const char *auth = http_header(req, "Authorization");
    if (!token && auth && strncasecmp(auth, "Bearer ", 7) == 0 && token_is_well_formed(auth + 7))
        return authenticate_bearer(req, auth + 7, e);
    if (!token || !token_is_well_formed(token))
        return err_set(e, 401, "unauthenticated", "", "请先登录");
    if (session_limits(req, e) < 0)
        return -1;
    char h[65];
    token_hash(token, h);
    long generation = atomic_load(&req->app->sessions_generation);
    struct session_cache_slot *c = session_slot(h);
    if (c->cached_at && c->generation == generation && strcmp(c->hash, h) == 0 && req->now >= c->cached_at &&
        req->now - c->cached_at < SESSION_CACHE_SECONDS && req->now - c->seen < TOUCH_INTERVAL &&
        req->now - c->seen <= limits.idle && req->now - c->created <= limits.absolute) {
        struct user *cu = http_alloc(req, sizeof *cu);
        *cu = c->user;
        req->user = cu;
        req->user_id = cu->id;
        return 0;
    }
    struct db_stmt *st = db_query(req->db, e,
                                  "SELECT s.id, s.created_at, s.last_seen_at, u.id, u.login, u.name, u.role, "
                                  "u.district_code, u.town_code, u.institution_id, u.disabled, s.enrolment_only "
                                  "FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ?",
                                  "t", h);
    int rc = db_first_row(st, e);
    if (rc != 1)
        return rc < 0 ? -1 : err_set(e, 401, "unauthenticated", "", "登录已失效，请重新登录");
    int64_t session_id = db_col_int64(st, 0), created = db_col_int64(st, 1), seen = db_col_int64(st, 2);
    struct user *u = http_alloc(req, sizeof *u);
    user_from_row(st, 3, u);
    int disabled = (int)db_col_int64(st, 10);
    u->enrolment_only = (int)db_col_int64(st, 11);
    db_finalize(st);

    int expired = disabled || req->now - seen > limits.idle || req->now - created > limits.absolute;
    if (expired || req->now - seen >= TOUCH_INTERVAL) {
        const char *sql = expired ? "DELETE FROM user_session WHERE id = ?"
                                  : "UPDATE user_session SET last_seen_at = ? WHERE id = ?";
        if ((expired ? db_run(req->db, e, sql, "i", session_id) : db_run(req->db, e, sql, "ii", req->now, session_id)) < 0)
            return -1;
    }
    if (expired) {
        c->cached_at = 0;
        return err_set(e, 401, "session_expired", "", "登录已超时，请重新登录");
    }
    snprintf(c->hash, sizeof c->hash, "%s", h);
    c->generation = generation;
    c->cached_at = req->now;
    c->created = created;
    c->seen = req->now - seen >= TOUCH_INTERVAL ? req->now : seen;
    c->user = *u;
    req->user = u;
    req->user_id = u->id;
    return 0;
}

static int is_safe_method(const char *m) { return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0; }

/* A read (GET, HEAD) goes to the read replica when there is one that keeps up and has replayed
 * the caller's last write; a machine client's (which carries no cookie) and a route's that reads
 * what it writes (on_primary) stay on the primary. Who the caller is was read on the primary. */
static void read_on_replica(struct http_req *req)
{
    if (!req->app->replica || !is_safe_method(req->method) || req->route->on_primary ||
        (req->user && req->user->role == ROLE_EXCHANGE_CLIENT))
        return;
    struct db *replica = db_replica_conn(req->app->replica, db_lsn_parse(http_cookie(req, WROTE_COOKIE)));
    if (replica)
        req->db = replica;
}

/* The district the request works in (req->district). A district's account works in its own
 * district. A province or city administrator names one of the districts below them in the header
 * X-Tuoyu-District or the cookie tuoyu_district (the console's district chooser sets the cookie);
 * without either, the deployment's district when it is below them, else their own province or city
 * code, which no district's rows carry. Asking for a district not below them is refused. */
static int choose_district(struct http_req *req, struct err *e)
{
    const struct user *u = req->user;
    req->district = u->district_code;
    if (!role_above_district(u->role))
        return 0;
    const char *asked = http_header(req, AUTH_DISTRICT_HEADER), *by = AUTH_DISTRICT_HEADER;
    if (!asked || !*asked)
        asked = http_cookie(req, AUTH_DISTRICT_COOKIE), by = AUTH_DISTRICT_COOKIE;
    int named = asked && *asked;
    if (named && (strlen(asked) != 6 || strspn(asked, "0123456789") != 6))
        return err_set(e, 400, "bad_district", by, "区县代码须为 6 位数字（GB/T 2260）");
    const char *district = named ? asked : req->app->district_code;
    int below = jurisdiction_store_reaches(req->db, u->district_code, district, e);
    if (below < 0)
        return -1;
    if (below)
        req->district = http_strdup(req, district);
    else if (named)
        return err_set(e, 403, "district_out_of_reach", by, "所选区县（%s）不在您的管辖范围内", asked);
    return 0;
}

/* The district a public request reads: the one named by ?district= (six digits, a district of the
 * tree — every district's public list is public), else the deployment's. Public requests do not
 * read the session: looking it up would also end an expired one before the console is told why.
 * 400 bad_district, 404 unknown_district. A kept public answer
 * names the district in its version (registry_public_version), so one district's answer is never
 * served for another. */
static int public_district(struct http_req *req, struct err *e)
{
    const char *asked = http_query(req, "district");
    if (!asked || !*asked)
        return 0;
    if (strlen(asked) != 6 || strspn(asked, "0123456789") != 6)
        return err_set(e, 400, "bad_district", "district", "区县代码须为 6 位数字（GB/T 2260）");
    struct jurisdiction_node node;
    int found = jurisdiction_store_get(req->db, asked, &node, e);
    if (found < 0)
        return -1;
    if (!found || strcmp(node.level, "district") != 0)
        return err_set(e, 404, "unknown_district", "district", "没有该区县：%s", asked);
    req->district = http_strdup(req, asked);
    return 0;
}

int auth_before(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    req->district = req->app->district_code; /* an anonymous caller's: the deployment's */
    req->db = req->primary = db_thread_conn(&req->app->db, &e);
    if (!req->db)
        return http_reply_err(rep, &e), 1;
    const char *action = req->route->action;
    if (strcmp(action, "public") == 0) {
        if (public_district(req, &e) < 0)
            return http_reply_err(rep, &e), 1;
        read_on_replica(req);
        return 0;
    }
    if (authenticate(req, &e) < 0 || choose_district(req, &e) < 0)
        return http_reply_err(rep, &e), 1;
    /* a machine client sends no cookie, so no request of its can be forged by a browser */
    if (!is_safe_method(req->method) && req->user->role != ROLE_EXCHANGE_CLIENT) {
        char csrf[65];
        csrf_for(req->app, http_cookie(req, SESSION_COOKIE), csrf);
        const char *sent = http_header(req, "X-CSRF-Token");
        if (!sent || !token_equal(sent, csrf))
            return http_reply_error(rep, 403, "csrf", "", "请求缺少有效的 CSRF 令牌，请刷新页面后重试"), 1;
    }
    if (req->user->enrolment_only && !authz_enrolment_allows(action))
        return http_reply_error(rep, 403, "totp_enrolment_required", "totp", "请先绑定动态口令，再重新登录使用系统"), 1;
    if (!authz_role_may(req->user->role, action))
        return http_reply_error(rep, 403, "forbidden", "", "当前角色无权执行此操作"), 1;
    read_on_replica(req);
    return 0;
}

void auth_replying(struct http_req *req, struct http_reply *rep)
{
    if (!req->app->replica || is_safe_method(req->method) || rep->status >= 400 || !req->primary)
        return;
    struct err e = {0};
    uint64_t at;
    if (db_replica_primary_position(req->primary, &at, &e) < 0)
        return; /* the caller may read its write late, never wrongly */
    char lsn[24];
    db_lsn_format(at, lsn, sizeof lsn);
    http_reply_header(rep, "Set-Cookie",
                      http_printf(req, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", WROTE_COOKIE, lsn,
                                  req->app->replica_mark_seconds, req->tls ? "; Secure" : ""));
}

void auth_after(struct http_req *req)
{
    if (req->db)
        db_rollback(req->db); /* a handler that failed mid-transaction leaves nothing behind */
    if (req->primary && req->primary != req->db)
        db_rollback(req->primary);
}
