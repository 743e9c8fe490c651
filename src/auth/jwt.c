/* jwt.c — ID token checks (jwt.h): base64url with libsodium, the RSA key from its JWK modulus and
 * exponent and the RS256 (RSASSA-PKCS1-v1_5 with SHA-256) verification with OpenSSL 3. */
#include "auth/jwt.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

/* RSA keys shorter than this are refused (bits) */
#define JWT_MIN_RSA_BITS 2048

static int fail(struct err *e, const char *code, const char *what)
{
    return err_set(e, 401, code, "id_token", "浙里办身份令牌无效：%s", what);
}

/* Decode base64url text of len bytes (no padding) into a malloc'd buffer; NULL when not base64url. */
static unsigned char *b64url(const char *text, size_t len, size_t *out_len)
{
    unsigned char *buf = malloc(len * 3 / 4 + 2);
    if (!buf || sodium_base642bin(buf, len * 3 / 4 + 2, text, len, NULL, out_len, NULL,
                                  sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static json_t *b64url_json(const char *text, size_t len)
{
    size_t n;
    unsigned char *raw = b64url(text, len, &n);
    json_t *j = raw ? json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, NULL) : NULL;
    free(raw);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

/* The public key of an RSA JWK, or NULL. */
static EVP_PKEY *rsa_key(const json_t *jwk)
{
    const char *n64 = json_string_value(json_object_get(jwk, "n")), *e64 = json_string_value(json_object_get(jwk, "e"));
    if (!n64 || !e64)
        return NULL;
    size_t nl = 0, el = 0;
    unsigned char *n = b64url(n64, strlen(n64), &nl), *ex = b64url(e64, strlen(e64), &el);
    BIGNUM *bn = n ? BN_bin2bn(n, (int)nl, NULL) : NULL, *be = ex ? BN_bin2bn(ex, (int)el, NULL) : NULL;
    free(n);
    free(ex);
    EVP_PKEY *key = NULL;
    OSSL_PARAM_BLD *bld = bn && be ? OSSL_PARAM_BLD_new() : NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    if (bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) &&
        (params = OSSL_PARAM_BLD_to_param(bld)) && (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) &&
        EVP_PKEY_fromdata_init(ctx) == 1)
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn);
    BN_free(be);
    if (key && EVP_PKEY_get_bits(key) < JWT_MIN_RSA_BITS) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    return key;
}

/* The JWK of kid in the set (kid NULL: the set's only RSA key), or NULL. */
static const json_t *find_key(const json_t *jwks, const char *kid)
{
    const json_t *keys = json_object_get(jwks, "keys"), *k, *found = NULL;
    size_t i, rsa = 0;
    json_array_foreach(keys, i, k)
    {
        const char *kty = json_string_value(json_object_get(k, "kty")), *use = json_string_value(json_object_get(k, "use"));
        const char *id = json_string_value(json_object_get(k, "kid"));
        if (!kty || strcmp(kty, "RSA") != 0 || (use && strcmp(use, "sig") != 0))
            continue;
        rsa++;
        if (!kid || (id && strcmp(id, kid) == 0))
            found = k;
    }
    return kid || rsa == 1 ? found : NULL;
}

static int check_signature(const char *token, size_t signed_len, const char *sig64, const json_t *jwks, const char *kid,
                           struct err *e)
{
    const json_t *jwk = find_key(jwks, kid);
    EVP_PKEY *key = jwk ? rsa_key(jwk) : NULL;
    if (!key)
        return fail(e, "sso_token_key", "签名密钥不在身份提供方公布的密钥中");
    size_t sl = 0;
    unsigned char *sig = b64url(sig64, strlen(sig64), &sl);
    EVP_MD_CTX *md = sig ? EVP_MD_CTX_new() : NULL;
    int ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
             EVP_DigestVerify(md, sig, sl, (const unsigned char *)token, signed_len) == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    free(sig);
    return ok ? 0 : fail(e, "sso_token_signature", "签名校验未通过");
}

static int audience_ok(const json_t *claims, const char *audience)
{
    const json_t *aud = json_object_get(claims, "aud"), *a;
    if (json_is_string(aud))
        return strcmp(json_string_value(aud), audience) == 0;
    size_t i, n = json_array_size(aud);
    int listed = 0;
    json_array_foreach(aud, i, a) listed |= json_is_string(a) && strcmp(json_string_value(a), audience) == 0;
    const char *azp = json_string_value(json_object_get(claims, "azp"));
    return listed && (n == 1 || (azp && strcmp(azp, audience) == 0));
}

static int check_claims(const json_t *c, const struct jwt_expect *x, struct err *e)
{
    const char *iss = json_string_value(json_object_get(c, "iss")), *nonce = json_string_value(json_object_get(c, "nonce"));
    const char *sub = json_string_value(json_object_get(c, "sub"));
    const json_t *exp = json_object_get(c, "exp"), *iat = json_object_get(c, "iat");
    if (!iss || strcmp(iss, x->issuer) != 0)
        return fail(e, "sso_token_issuer", "签发方不符");
    if (!audience_ok(c, x->audience))
        return fail(e, "sso_token_audience", "令牌不是签发给本平台的");
    if (!json_is_integer(exp) || json_integer_value(exp) + JWT_CLOCK_SKEW <= x->now)
        return fail(e, "sso_token_expired", "令牌已过期");
    if (!json_is_integer(iat) || json_integer_value(iat) > x->now + JWT_CLOCK_SKEW ||
        json_integer_value(iat) < x->now - JWT_MAX_AGE - JWT_CLOCK_SKEW)
        return fail(e, "sso_token_iat", "令牌签发时间不合理");
    if (!nonce || strlen(nonce) != strlen(x->nonce) || sodium_memcmp(nonce, x->nonce, strlen(nonce)) != 0)
        return fail(e, "sso_token_nonce", "令牌不属于本次登录");
    if (!sub || !sub[0] || strlen(sub) > 255)
        return fail(e, "sso_token_subject", "令牌缺少用户标识");
    return 0;
}

int jwt_verify_id_token(const char *token, const json_t *jwks, const struct jwt_expect *x, json_t **claims,
                        struct err *e)
{
    *claims = NULL;
    const char *dot1 = token ? strchr(token, '.') : NULL, *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || strchr(dot2 + 1, '.') || strlen(token) > 16384)
        return fail(e, "sso_token_malformed", "格式错误");
    json_t *header = b64url_json(token, (size_t)(dot1 - token));
    if (!header)
        return fail(e, "sso_token_malformed", "格式错误");
    const char *alg = json_string_value(json_object_get(header, "alg"));
    int rc = !alg || strcmp(alg, "RS256") != 0
                 ? fail(e, "sso_token_alg", "签名算法须为 RS256")
                 : check_signature(token, (size_t)(dot2 - token), dot2 + 1, jwks,
                                   json_string_value(json_object_get(header, "kid")), e);
    json_decref(header);
    if (rc < 0)
        return -1;
    json_t *payload = b64url_json(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    if (!payload)
        return fail(e, "sso_token_malformed", "格式错误");
    if (check_claims(payload, x, e) < 0) {
        json_decref(payload);
        return -1;
    }
    *claims = payload;
    return 0;
}
