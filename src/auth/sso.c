/* sso.c — single sign-on with 浙里办 (sso.h): the configuration, and the routes of the
 * authorization-code flow.
 *
 *   POST /api/v1/sso/start {privacy_version}   a login: state, nonce and PKCE verifier (S256) are
 *        made here and stored (state and browser cookie as keyed hashes, the verifier sealed),
 *        short-lived (SSO_LOGIN_TTL) and spent once; the reply is the provider's authorization
 *        URL, and the cookie tuoyu_sso binds the login to this browser.
 *   POST /api/v1/sso/link {privacy_version}    the same for a signed-in parent linking the
 *        provider to the account (account.identity).
 *   POST /api/v1/sso/callback {code, state}    the web app's landing page hands back what the
 *        provider sent: the state is checked (known, this browser's, not expired, not spent), the
 *        code exchanged at the token endpoint (client_secret_basic, with the PKCE verifier), the
 *        ID token checked (jwt.c: RS256 against the provider's JWKS; iss, aud, exp, iat, nonce).
 *        Then, in one transaction with the state spent and the audit rows: the account linked to
 *        the subject logs in, or the linking parent's account is linked, or a new family account
 *        is made (consent to the privacy notice recorded as at sign-up) — each carrying the
 *        real-name identity (claims "name" and "id_number") as verified. Any failure is a 4xx
 *        (or 502 when the provider cannot be reached) with a stable code, and nothing is written.
 *   GET /api/v1/sso                              whether single sign-on is configured (the login
 *        page shows the 浙里办 button only then).
 *   GET /api/v1/me/identity                      the parent's own real-name identity (ID number
 *        masked) and whether it is verified.
 *
 * The resident ID number is stored as children's are (crypt_protect_id_number: sealed, keyed
 * lookup hash, masked copy); one verified ID number belongs to one account. */
#include "auth/sso.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/jwt.h"
#include "auth/session.h"
#include "auth/users.h"
#include "base/date.h"
#include "base/http_client.h"
#include "params/params.h"

#define SSO_COOKIE "tuoyu_sso"
/* a new account's login: this prefix and 16 hex digits of the subject's lookup hash */
#define SSO_LOGIN_PREFIX "z-"
/* the provider that vouched for a real-name identity (app_user.real_name_source) */
#define SSO_SOURCE "zlb"
/* 32 random bytes in base64url without padding */
#define RANDOM_TEXT_LEN 44

/* ---- configuration ---- */

int sso_config_load(struct db *db, const struct crypt_key *k, const char *district, struct sso_config *c,
                    struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT issuer, client_id, client_secret_sealed, redirect_uri, scopes FROM sso_config "
                                  "WHERE district_code = ?",
                                  "t", district);
    int rc = db_first_row(st, e);
    if (rc != 1)
        return rc;
    char sealed[1024];
    db_scan(st, DB_TEXT(c->issuer), DB_TEXT(c->client_id), DB_TEXT(sealed), DB_TEXT(c->redirect_uri),
            DB_TEXT(c->scopes));
    db_finalize(st);
    return crypt_open(k, sealed, c->client_secret, sizeof c->client_secret, e) < 0 ? -1 : 1;
}

int sso_config_store(struct db *db, const struct crypt_key *k, const char *district, const struct sso_config *c,
                     const char *now_ts, struct err *e)
{
    const struct {
        const char *name, *value;
        size_t max;
    } fields[] = {{"issuer", c->issuer, 400},
                  {"client_id", c->client_id, sizeof c->client_id - 1},
                  {"client_secret", c->client_secret, sizeof c->client_secret - 1},
                  {"redirect_uri", c->redirect_uri, sizeof c->redirect_uri - 1},
                  {"scopes", c->scopes, sizeof c->scopes - 1}};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        if (!fields[i].value[0])
            return err_set(e, 422, "required", fields[i].name, "缺少 %s", fields[i].name);
        if (strlen(fields[i].value) > fields[i].max || strpbrk(fields[i].value, "\r\n"))
            return err_set(e, 422, "too_long", fields[i].name, "%s 须为一行，且不超过 %zu 字节", fields[i].name,
                           fields[i].max);
    }
    if (http_client_check_url(c->issuer, "issuer", e) < 0 || http_client_check_url(c->redirect_uri, "redirect_uri", e) < 0)
        return -1;
    if (strncmp(c->scopes, "openid", 6) != 0 || (c->scopes[6] && c->scopes[6] != ' '))
        return err_set(e, 422, "scopes_invalid", "scopes", "scopes 须以 openid 开头，以空格分隔");
    char sealed[1024];
    if (crypt_seal(k, c->client_secret, sealed, sizeof sealed, e) < 0)
        return -1;
    return db_write(db, e,
                    "INSERT INTO sso_config (district_code, issuer, client_id, client_secret_sealed, redirect_uri, scopes, "
                    "updated_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (district_code) DO UPDATE SET issuer = excluded.issuer, "
                    "client_id = excluded.client_id, client_secret_sealed = excluded.client_secret_sealed, "
                    "redirect_uri = excluded.redirect_uri, scopes = excluded.scopes, updated_at = excluded.updated_at",
                    "ttttttt", district, c->issuer, c->client_id, sealed, c->redirect_uri, c->scopes, now_ts);
}

/* ---- talking to the provider ---- */

struct provider {
    char authorization_endpoint[1024], token_endpoint[1024], jwks_uri[1024];
};

static int provider_error(struct err *e, const char *what)
{
    char why[sizeof e->message];
    snprintf(why, sizeof why, "%s", e->message);
    return err_set(e, 502, "sso_provider", "", "浙里办身份认证服务%s：%s", what, why);
}

/* A JSON object from url (GET, or POST of a form body with headers); *out to json_decref. */
static int fetch_json(const char *url, const char *const *headers, const char *form, json_t **out, long *status,
                      struct err *e)
{
    struct http_client_request r = {.method = form ? "POST" : "GET", .url = url, .headers = headers, .body = form,
                                    .body_len = form ? strlen(form) : 0};
    struct http_client_response res;
    if (http_client_send(&r, &res, e) < 0)
        return -1;
    *status = res.status;
    *out = json_loadb(res.body, res.len, 0, NULL);
    http_client_response_free(&res);
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return err_set(e, 502, "sso_provider", "", "回复不是 JSON 对象（状态 %ld）", *status);
    }
    return 0;
}

static int copy_endpoint(const json_t *doc, const char *name, char *out, size_t cap, struct err *e)
{
    const char *v = json_string_value(json_object_get(doc, name));
    if (!v || strlen(v) >= cap)
        return err_set(e, 502, "sso_provider", "", "配置文档缺少 %s", name);
    if (http_client_check_url(v, name, e) < 0)
        return -1;
    snprintf(out, cap, "%s", v);
    return 0;
}

/* OpenID Connect Discovery 1.0: the document at {issuer}/.well-known/openid-configuration, whose
 * issuer must be the configured one. */
static int discover(const struct sso_config *c, struct provider *p, struct err *e)
{
    size_t n = strlen(c->issuer);
    char url[600];
    snprintf(url, sizeof url, "%.*s/.well-known/openid-configuration", (int)(n && c->issuer[n - 1] == '/' ? n - 1 : n),
             c->issuer);
    json_t *doc = NULL;
    long status = 0;
    if (fetch_json(url, NULL, NULL, &doc, &status, e) < 0)
        return provider_error(e, "无法访问");
    const char *issuer = json_string_value(json_object_get(doc, "issuer"));
    int rc = status != 200                              ? err_set(e, 502, "sso_provider", "", "状态 %ld", status)
             : !issuer || strcmp(issuer, c->issuer) != 0 ? err_set(e, 502, "sso_provider", "", "配置文档的 issuer 与本平台配置不符")
             : copy_endpoint(doc, "authorization_endpoint", p->authorization_endpoint, sizeof p->authorization_endpoint, e) < 0 ||
                     copy_endpoint(doc, "token_endpoint", p->token_endpoint, sizeof p->token_endpoint, e) < 0 ||
                     copy_endpoint(doc, "jwks_uri", p->jwks_uri, sizeof p->jwks_uri, e) < 0
                 ? -1
                 : 0;
    json_decref(doc);
    return rc < 0 ? provider_error(e, "配置有误") : 0;
}

/* 32 random bytes as base64url text */
static void random_text(char out[RANDOM_TEXT_LEN])
{
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    sodium_bin2base64(out, RANDOM_TEXT_LEN, b, sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void keyed_hash(const struct crypt_key *k, const char *use, const char *value, char out[CRYPT_LOOKUP_HEX_LEN])
{
    char *material = NULL;
    if (asprintf(&material, "%s:%s", use, value) < 0) {
        out[0] = '\0';
        return;
    }
    crypt_lookup_hash(k, material, out);
    sodium_memzero(material, strlen(material));
    free(material);
}

static int load_config(struct http_req *req, struct sso_config *c, struct err *e)
{
    int rc = sso_config_load(req->db, &req->app->key, req->district, c, e);
    if (rc == 0)
        return err_set(e, 503, "sso_unavailable", "", "浙里办登录暂未开通");
    return rc < 0 ? -1 : 0;
}

/* ---- starting a login ---- */

static int start(struct http_req *req, struct http_reply *rep, int64_t link_user)
{
    struct err e = {0};
    struct sso_config c;
    struct provider p;
    double notice;
    int64_t consented = json_integer_value(json_object_get(http_body(req), "privacy_version"));
    if (load_config(req, &c, &e) < 0 ||
        params_get(req->db, req->district, "privacy.notice_version", req->today, &notice, &e) < 0)
        goto fail;
    if (consented != (int64_t)notice) {
        err_set(&e, 422, "consent_required", "privacy_version", "请阅读并同意最新的《隐私政策》（第 %" PRId64 " 版）后再登录",
                (int64_t)notice);
        goto fail;
    }
    if (discover(&c, &p, &e) < 0)
        goto fail;
    char state[RANDOM_TEXT_LEN], nonce[RANDOM_TEXT_LEN], verifier[RANDOM_TEXT_LEN], browser[RANDOM_TEXT_LEN];
    char challenge[RANDOM_TEXT_LEN], state_h[CRYPT_LOOKUP_HEX_LEN], browser_h[CRYPT_LOOKUP_HEX_LEN], sealed[256];
    unsigned char digest[crypto_hash_sha256_BYTES];
    random_text(state);
    random_text(nonce);
    random_text(verifier);
    random_text(browser);
    crypto_hash_sha256(digest, (const unsigned char *)verifier, strlen(verifier));
    sodium_bin2base64(challenge, sizeof challenge, digest, sizeof digest, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    keyed_hash(&req->app->key, "sso_state", state, state_h);
    keyed_hash(&req->app->key, "sso_browser", browser, browser_h);
    int rc = crypt_seal(&req->app->key, verifier, sealed, sizeof sealed, &e);
    sodium_memzero(verifier, sizeof verifier);
    if (rc < 0)
        goto fail;
    json_t *f = json_pack("{s:b}", "link", link_user != 0);
    rc = db_begin(req->db, &e) < 0 ||
         db_run(req->db, &e, "DELETE FROM sso_login WHERE district_code = ? AND expires_at < ?", "ti",
                req->district, req->now - SSO_LOGIN_TTL) < 0 ||
         db_run(req->db, &e,
                "INSERT INTO sso_login (district_code, state_hash, browser_hash, nonce, verifier_sealed, privacy_version, "
                "link_user_id, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?)",
                "tttttitii", req->district, state_h, browser_h, nonce, sealed, consented,
                link_user ? http_printf(req, "%" PRId64, link_user) : NULL, req->now, req->now + SSO_LOGIN_TTL) < 0 ||
         audit_request_commit(req, "sso.start", "sso_login", http_printf(req, "%.16s", state_h), f, &e) < 0;
    json_decref(f);
    if (rc)
        goto fail;
    const char *const q[] = {"response_type", "code", "client_id", c.client_id, "redirect_uri", c.redirect_uri,
                             "scope", c.scopes, "state", state, "nonce", nonce, "code_challenge", challenge,
                             "code_challenge_method", "S256", NULL};
    char *query = http_client_form(q);
    if (!query) {
        err_set(&e, 500, "oom", "", "内存不足");
        goto fail;
    }
    char *url = http_printf(req, "%s%c%s", p.authorization_endpoint, strchr(p.authorization_endpoint, '?') ? '&' : '?',
                            query);
    free(query);
    sodium_memzero(&c, sizeof c);
    http_reply_header(rep, "Set-Cookie",
                      http_printf(req, "%s=%s; Path=/api/v1/sso; Max-Age=%d; HttpOnly; SameSite=Lax%s", SSO_COOKIE,
                                  browser, SSO_LOGIN_TTL, req->tls ? "; Secure" : ""));
    return http_reply_json(rep, 200, json_pack("{s:s, s:i}", "authorize_url", url, "expires_in", SSO_LOGIN_TTL));
fail:
    db_rollback(req->db);
    sodium_memzero(&c, sizeof c);
    return http_reply_err(rep, &e);
}

/* POST /api/v1/sso/start */
static int sso_start(struct http_req *req, struct http_reply *rep) { return start(req, rep, 0); }

/* POST /api/v1/sso/link */
static int sso_link(struct http_req *req, struct http_reply *rep) { return start(req, rep, req->user->id); }

/* ---- finishing it ---- */

struct pending {
    int64_t id, privacy_version, link_user;
    char nonce[RANDOM_TEXT_LEN + 8];
    char verifier[RANDOM_TEXT_LEN + 8];
};

/* The login of state, checked against this browser's cookie: 0, or -1 with a 400. */
static int find_pending(struct http_req *req, const char *state, struct pending *out, struct err *e)
{
    char state_h[CRYPT_LOOKUP_HEX_LEN], browser_h[CRYPT_LOOKUP_HEX_LEN], sealed[256];
    keyed_hash(&req->app->key, "sso_state", state, state_h);
    struct db_stmt *st = db_query(req->db, e,
                                  "SELECT id, browser_hash, nonce, verifier_sealed, privacy_version, link_user_id, "
                                  "expires_at, used_at FROM sso_login WHERE state_hash = ? AND district_code = ?",
                                  "tt", state_h, req->district);
    int rc = db_first_row(st, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(e, 400, "sso_state_invalid", "state", "登录请求无效，请重新点击“浙里办登录”");
    db_scan(st, DB_I64(&out->id), DB_TEXT(browser_h), DB_TEXT(out->nonce), DB_TEXT(sealed),
            DB_I64(&out->privacy_version));
    out->link_user = db_col_is_null(st, 5) ? 0 : db_col_int64(st, 5);
    int64_t expires = db_col_int64(st, 6);
    int used = !db_col_is_null(st, 7);
    db_finalize(st);
    if (used)
        return err_set(e, 400, "sso_state_used", "state", "该登录请求已使用，请重新点击“浙里办登录”");
    if (req->now >= expires)
        return err_set(e, 400, "sso_state_expired", "state", "登录请求已过期，请重新点击“浙里办登录”");
    const char *cookie = http_cookie(req, SSO_COOKIE);
    char cookie_h[CRYPT_LOOKUP_HEX_LEN];
    keyed_hash(&req->app->key, "sso_browser", cookie ? cookie : "", cookie_h);
    if (!cookie || sodium_memcmp(cookie_h, browser_h, sizeof cookie_h) != 0)
        return err_set(e, 400, "sso_state_browser", "state", "登录须在发起登录的浏览器中完成，请重新点击“浙里办登录”");
    return crypt_open(&req->app->key, sealed, out->verifier, sizeof out->verifier, e);
}

/* The code exchanged for tokens, the ID token checked: 0 with *claims, or -1 with e. */
static int redeem(const struct sso_config *c, const struct provider *p, const struct pending *pl, const char *code,
                  int64_t now, json_t **claims, struct err *e)
{
    char *secret = http_client_form((const char *const[]){c->client_id, c->client_secret, NULL});
    char *form = http_client_form((const char *const[]){"grant_type", "authorization_code", "code", code,
                                                        "redirect_uri", c->redirect_uri, "code_verifier", pl->verifier,
                                                        "client_id", c->client_id, NULL});
    /* client_secret_basic: base64 of urlencoded id ":" urlencoded secret (RFC 6749 §2.3.1) */
    char basic[1200] = "", header[1300] = "";
    if (secret) {
        char *eq = strchr(secret, '=');
        if (eq)
            *eq = ':';
        if (strlen(secret) < 850)
            sodium_bin2base64(basic, sizeof basic, (const unsigned char *)secret, strlen(secret),
                              sodium_base64_VARIANT_ORIGINAL);
        snprintf(header, sizeof header, "Authorization: Basic %s", basic);
        sodium_memzero(secret, strlen(secret));
        free(secret);
    }
    json_t *tokens = NULL, *jwks = NULL;
    long status = 0;
    int rc = -1;
    if (!form || !basic[0]) {
        err_set(e, 500, "oom", "", "内存不足");
        goto out;
    }
    const char *const headers[] = {header, "Accept: application/json", NULL};
    if (fetch_json(p->token_endpoint, headers, form, &tokens, &status, e) < 0) {
        provider_error(e, "换取令牌失败");
        goto out;
    }
    if (status != 200) {
        const char *why = json_string_value(json_object_get(tokens, "error"));
        err_set(e, 400, "sso_code_rejected", "code", "浙里办未接受本次登录的授权码（%s），请重新登录", why ? why : "未说明原因");
        goto out;
    }
    const char *id_token = json_string_value(json_object_get(tokens, "id_token"));
    if (!id_token) {
        err_set(e, 401, "sso_token_malformed", "id_token", "浙里办未返回身份令牌");
        goto out;
    }
    if (fetch_json(p->jwks_uri, NULL, NULL, &jwks, &status, e) < 0 || status != 200) {
        if (status != 200 && jwks)
            err_set(e, 502, "sso_provider", "", "状态 %ld", status);
        provider_error(e, "的公钥无法获取");
        goto out;
    }
    struct jwt_expect x = {.issuer = c->issuer, .audience = c->client_id, .nonce = pl->nonce, .now = now};
    rc = jwt_verify_id_token(id_token, jwks, &x, claims, e);
out:
    if (form) {
        sodium_memzero(form, strlen(form));
        free(form);
    }
    sodium_memzero(header, sizeof header);
    sodium_memzero(basic, sizeof basic);
    json_decref(tokens);
    json_decref(jwks);
    return rc;
}

/* The account an ID number is already verified on, other than uid: 409, or 0. */
static int id_number_free(struct http_req *req, const char *lookup, int64_t uid, struct err *e)
{
    int found;
    int64_t other = db_query_int(req->db, e, &found, "SELECT id FROM app_user WHERE id_lookup = ? AND id <> ?", "ti",
                                 lookup, uid);
    if (other < 0)
        return -1;
    return found ? err_set(e, 409, "id_number_registered", "id_number",
                           "该身份证号已在另一个账号上实名核验，请用该账号登录")
                 : 0;
}

static int record_identity(struct http_req *req, int64_t uid, const char *name, const struct crypt_protected_id *pid,
                           const char *now_ts, struct err *e)
{
    return id_number_free(req, pid->lookup, uid, e) < 0 ||
                   db_run(req->db, e,
                          "UPDATE app_user SET name = ?, id_sealed = ?, id_lookup = ?, id_masked = ?, "
                          "real_name_verified_at = ?, real_name_source = ?, updated_at = ? WHERE id = ?",
                          "ttttttti", name, pid->sealed, pid->lookup, pid->masked, now_ts, SSO_SOURCE, now_ts, uid) < 0
               ? -1
               : 0;
}

/* POST /api/v1/sso/callback {code, state} */
static int sso_callback(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req), *claims = NULL;
    const char *code = json_string_value(json_object_get(body, "code"));
    const char *state = json_string_value(json_object_get(body, "state"));
    struct sso_config c;
    struct provider p;
    struct pending pl;
    int created = 0;
    if (load_config(req, &c, &e) < 0 || find_pending(req, state, &pl, &e) < 0 || discover(&c, &p, &e) < 0 ||
        redeem(&c, &p, &pl, code, req->now, &claims, &e) < 0)
        goto fail;
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    const char *name = json_string_value(json_object_get(claims, "name"));
    const char *id_number = json_string_value(json_object_get(claims, "id_number"));
    struct crypt_protected_id pid;
    if (!name || !name[0] || strlen(name) > 60 || !id_number) {
        err_set(&e, 422, "sso_identity_missing", "id_token", "浙里办未提供实名信息（姓名、身份证号），无法实名核验");
        goto fail;
    }
    if (crypt_protect_id_number(&req->app->key, id_number, req->today, &pid, &e) < 0) {
        err_set(&e, 422, "sso_id_number_invalid", "id_number", "浙里办提供的身份证号无效");
        goto fail;
    }
    char now_ts[DATE_TIMESTAMP_LEN], subject_h[CRYPT_LOOKUP_HEX_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    keyed_hash(&req->app->key, "sso_subject", http_printf(req, "%s\n%s", c.issuer, sub), subject_h);
    if (db_begin(req->db, &e) < 0)
        goto fail;
    /* the state is spent first: of two requests with it, one goes on */
    int64_t spent = db_run(req->db, &e, "UPDATE sso_login SET used_at = ? WHERE id = ? AND used_at IS NULL", "ii",
                           req->now, pl.id);
    if (spent < 0)
        goto fail;
    if (spent == 0) {
        err_set(&e, 400, "sso_state_used", "state", "该登录请求已使用，请重新点击“浙里办登录”");
        goto fail;
    }
    int found;
    int64_t uid = db_query_int(req->db, &e, &found,
                               "SELECT user_id FROM sso_identity WHERE issuer = ? AND subject = ? AND district_code = ?",
                               "ttt", c.issuer, sub, req->district);
    if (uid < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:s, s:s}", "method", "sso", "name", name, "id_number", pid.masked);
    const char *action = "session.login";
    int rc = 0;
    if (found && pl.link_user && pl.link_user != uid) {
        rc = err_set(&e, 409, "sso_linked_elsewhere", "state", "该浙里办账号已关联另一个家长账号");
    } else if (!found && pl.link_user) {
        uid = pl.link_user;
        int linked = 0;
        int64_t other = db_query_int(req->db, &e, &linked, "SELECT id FROM sso_identity WHERE issuer = ? AND user_id = ?",
                                     "ti", c.issuer, uid);
        rc = other < 0 ? -1
             : linked  ? err_set(&e, 409, "sso_already_linked", "state", "本账号已关联另一个浙里办账号")
                       : 0;
        action = "account.sso_link";
    } else if (!found) {
        char login[24];
        snprintf(login, sizeof login, "%s%.16s", SSO_LOGIN_PREFIX, subject_h);
        struct new_user u = {.login = login, .name = name, .role = ROLE_FAMILY, .password_hash = "!"};
        rc = users_create(req->db, req->district, &u, now_ts, &uid, &e) < 0 ||
                     db_run(req->db, &e, "UPDATE app_user SET privacy_version = ?, privacy_consent_at = ? WHERE id = ?",
                            "iti", pl.privacy_version, now_ts, uid) < 0
                 ? -1
                 : 0;
        json_object_set_new(f, "privacy_version", json_integer(pl.privacy_version));
        action = "account.signup";
        created = 1;
    }
    struct account_info a;
    if (rc == 0 && (!found) &&
        db_run(req->db, &e,
               "INSERT INTO sso_identity (district_code, issuer, subject, user_id, linked_at) VALUES (?,?,?,?,?)", "tttit",
               req->district, c.issuer, sub, uid, now_ts) < 0)
        rc = -1;
    if (rc == 0 && users_load(req->db, req->district, uid, &a, &e) < 0)
        rc = -1;
    if (rc == 0 && (a.disabled || a.role != ROLE_FAMILY))
        rc = err_set(&e, 403, "account_disabled", "", "该账号已停用或不是家长账号，请联系区卫健局");
    if (rc == 0)
        rc = record_identity(req, uid, name, &pid, now_ts, &e);
    struct user u = {.id = uid, .role = ROLE_FAMILY};
    char token[TOKEN_TEXT_LEN], csrf[65];
    if (rc == 0) {
        snprintf(u.login, sizeof u.login, "%s", a.login);
        snprintf(u.name, sizeof u.name, "%s", name);
        snprintf(u.district_code, sizeof u.district_code, "%s", req->district);
        if (strcmp(action, "session.login") != 0 &&
            audit_request(req, action, "user", http_printf(req, "%" PRId64, uid), f, &e) < 0)
            rc = -1;
    }
    if (rc == 0) {
        json_t *lf = json_pack("{s:s, s:s}", "remote_addr", req->remote_addr, "method", "sso");
        rc = auth_session_open(req, &u, a.login, "session.login", lf, token, csrf, &e);
        json_decref(lf);
    }
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    json_decref(claims);
    sodium_memzero(&c, sizeof c);
    sodium_memzero(&pl, sizeof pl);
    http_reply_header(rep, "Set-Cookie",
                      http_printf(req, "%s=; Path=/api/v1/sso; Max-Age=0; HttpOnly; SameSite=Lax%s", SSO_COOKIE,
                                  req->tls ? "; Secure" : ""));
    return auth_session_reply(req, rep, &u, token, csrf, created ? 201 : 200);
fail:
    db_rollback(req->db);
    json_decref(claims);
    sodium_memzero(&c, sizeof c);
    sodium_memzero(&pl, sizeof pl);
    return http_reply_err(rep, &e);
}

/* GET /api/v1/sso */
static int sso_status(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct sso_config c;
    int rc = sso_config_load(req->db, &req->app->key, req->district, &c, &e);
    sodium_memzero(&c, sizeof c);
    if (rc < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:b}", "enabled", rc == 1));
}

/* GET /api/v1/me/identity */
static int my_identity(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct db_stmt *st = db_query(req->db, &e,
                                  "SELECT u.name, u.id_masked, u.real_name_verified_at, u.real_name_source, "
                                  "(SELECT COUNT(*) FROM sso_identity i WHERE i.user_id = u.id) FROM app_user u WHERE u.id = ?",
                                  "i", req->user->id);
    int rc = db_first_row(st, &e);
    if (rc <= 0)
        return rc < 0 ? http_reply_err(rep, &e) : http_reply_error(rep, 404, "not_found", "", "未找到该账号");
    json_t *o = json_pack("{s:s, s:s?, s:b, s:s?, s:s?, s:b}", "name", db_col_text(st, 0), "id_number", db_col_text(st, 1),
                          "verified", !db_col_is_null(st, 2), "verified_at", db_col_text(st, 2), "source",
                          db_col_text(st, 3), "sso_linked", db_col_int64(st, 4) > 0);
    db_finalize(st);
    return http_reply_json(rep, 200, o);
}

#include "auth/sso.schemas.inc"

const struct route sso_routes[] = {
    {"GET", "/api/v1/sso", "public", sso_status, NULL, &STATUS},
    {"POST", "/api/v1/sso/start", "public", sso_start, &START_BODY, &STARTED},
    {"POST", "/api/v1/sso/link", "account.identity", sso_link, &START_BODY, &STARTED},
    {"POST", "/api/v1/sso/callback", "public", sso_callback, &CALLBACK_BODY, &AUTH_SESSION},
    {"GET", "/api/v1/me/identity", "account.identity", my_identity, NULL, &IDENTITY},
    {NULL, NULL, NULL, NULL},
};
