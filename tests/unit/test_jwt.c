/* test_jwt.c — ID token checks (src/auth/jwt.c) with RSA keys made here by OpenSSL: a good token
 * passes; a changed payload, alg "none" or HS256, an unknown kid, a key under 2048 bits, another
 * issuer, audience (also a list without azp), an expired token, one issued in the future or long
 * ago, a wrong or missing nonce and a missing sub are each refused with their code. And the URL
 * rule and form encoding of the outbound HTTP client (src/base/http_client.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include "auth/jwt.h"
#include "base/http_client.h"

#define NOW 1780000000

static EVP_PKEY *key2048, *key1024;

static char *b64url(const unsigned char *b, size_t n)
{
    size_t cap = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *s = malloc(cap);
    sodium_bin2base64(s, cap, b, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return s;
}

static char *b64url_text(const char *t) { return b64url((const unsigned char *)t, strlen(t)); }

static char *bn_b64(EVP_PKEY *k, const char *name)
{
    BIGNUM *bn = NULL;
    EVP_PKEY_get_bn_param(k, name, &bn);
    unsigned char buf[1024];
    int n = BN_bn2bin(bn, buf);
    BN_free(bn);
    return b64url(buf, (size_t)n);
}

/* {"keys":[{kty RSA, kid, n, e}]} of k */
static json_t *jwks_of(EVP_PKEY *k, const char *kid)
{
    char *n = bn_b64(k, OSSL_PKEY_PARAM_RSA_N), *e = bn_b64(k, OSSL_PKEY_PARAM_RSA_E);
    json_t *j = json_pack("{s:[{s:s, s:s, s:s, s:s, s:s}]}", "keys", "kty", "RSA", "kid", kid, "use", "sig", "n", n, "e", e);
    free(n);
    free(e);
    return j;
}

/* header.payload.signature with header {"alg": alg, "kid": "k1"} signed RS256 by k */
static char *token(EVP_PKEY *k, const char *alg, json_t *payload)
{
    json_t *h = json_pack("{s:s, s:s}", "alg", alg, "kid", "k1");
    char *hs = json_dumps(h, JSON_COMPACT), *ps = json_dumps(payload, JSON_COMPACT);
    char *h64 = b64url_text(hs), *p64 = b64url_text(ps);
    char *input = NULL;
    if (asprintf(&input, "%s.%s", h64, p64) < 0)
        abort();
    unsigned char sig[1024];
    size_t sl = sizeof sig;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k), 1);
    assert_int_equal(EVP_DigestSign(md, sig, &sl, (unsigned char *)input, strlen(input)), 1);
    EVP_MD_CTX_free(md);
    char *s64 = b64url(sig, sl), *out = NULL;
    if (asprintf(&out, "%s.%s", input, s64) < 0)
        abort();
    json_decref(h);
    json_decref(payload);
    free(hs), free(ps), free(h64), free(p64), free(input), free(s64);
    return out;
}

static json_t *claims(void)
{
    return json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s}", "iss", "https://idp.example", "aud", "tuoyu", "sub", "u1",
                     "iat", NOW - 5, "exp", NOW + 300, "nonce", "n-123", "name", "林小雨");
}

static const struct jwt_expect X = {.issuer = "https://idp.example", .audience = "tuoyu", .nonce = "n-123", .now = NOW};

/* the code jwt_verify_id_token gives tok under jwks ("" when it passes) */
static const char *verdict(char *tok, json_t *jwks)
{
    static struct err e;
    json_t *c = NULL;
    memset(&e, 0, sizeof e);
    int rc = jwt_verify_id_token(tok, jwks, &X, &c, &e);
    free(tok);
    if (rc == 0) {
        assert_non_null(c);
        assert_string_equal(json_string_value(json_object_get(c, "name")), "林小雨");
        json_decref(c);
        return "";
    }
    assert_null(c);
    assert_int_equal(e.status, 401);
    return e.code;
}

static json_t *with(const char *k, json_t *v)
{
    json_t *c = claims();
    if (v)
        json_object_set_new(c, k, v);
    else
        json_object_del(c, k);
    return c;
}

static void test_id_token(void **state)
{
    json_t *jwks = jwks_of(key2048, "k1");
    assert_string_equal(verdict(token(key2048, "RS256", claims()), jwks), "");
    /* a payload changed after signing */
    char *t = token(key2048, "RS256", claims());
    char *dot = strchr(t, '.');
    char *p64 = b64url_text("{\"iss\":\"https://idp.example\",\"aud\":\"tuoyu\",\"sub\":\"admin\"}");
    char *forged = NULL;
    if (asprintf(&forged, "%.*s.%s%s", (int)(dot - t), t, p64, strchr(dot + 1, '.')) < 0)
        abort();
    free(t);
    free(p64);
    assert_string_equal(verdict(forged, jwks), "sso_token_signature");
    assert_string_equal(verdict(token(key2048, "none", claims()), jwks), "sso_token_alg");
    assert_string_equal(verdict(token(key2048, "HS256", claims()), jwks), "sso_token_alg");
    assert_string_equal(verdict(strdup("a.b"), jwks), "sso_token_malformed");
    assert_string_equal(verdict(strdup("e30.e30.e30.e30"), jwks), "sso_token_malformed");
    /* keys: another kid, a short key, another key under the same kid */
    json_t *other_kid = jwks_of(key2048, "k2"), *short_key = jwks_of(key1024, "k1");
    assert_string_equal(verdict(token(key2048, "RS256", claims()), other_kid), "sso_token_key");
    assert_string_equal(verdict(token(key1024, "RS256", claims()), short_key), "sso_token_key");
    assert_string_equal(verdict(token(key1024, "RS256", claims()), jwks), "sso_token_signature");
    /* claims */
    assert_string_equal(verdict(token(key2048, "RS256", with("iss", json_string("https://evil.example"))), jwks),
                        "sso_token_issuer");
    assert_string_equal(verdict(token(key2048, "RS256", with("aud", json_string("other"))), jwks), "sso_token_audience");
    assert_string_equal(verdict(token(key2048, "RS256", with("aud", json_pack("[s]", "tuoyu"))), jwks), "");
    assert_string_equal(verdict(token(key2048, "RS256", with("aud", json_pack("[s, s]", "tuoyu", "x"))), jwks),
                        "sso_token_audience");
    json_t *azp = with("aud", json_pack("[s, s]", "tuoyu", "x"));
    json_object_set_new(azp, "azp", json_string("tuoyu"));
    assert_string_equal(verdict(token(key2048, "RS256", azp), jwks), "");
    assert_string_equal(verdict(token(key2048, "RS256", with("exp", json_integer(NOW - JWT_CLOCK_SKEW))), jwks),
                        "sso_token_expired");
    assert_string_equal(verdict(token(key2048, "RS256", with("exp", json_integer(NOW - 10))), jwks), "");
    assert_string_equal(verdict(token(key2048, "RS256", with("exp", json_string("later"))), jwks), "sso_token_expired");
    assert_string_equal(verdict(token(key2048, "RS256", with("iat", json_integer(NOW + 600))), jwks), "sso_token_iat");
    assert_string_equal(verdict(token(key2048, "RS256", with("iat", json_integer(NOW - 7200))), jwks), "sso_token_iat");
    assert_string_equal(verdict(token(key2048, "RS256", with("nonce", json_string("n-124"))), jwks), "sso_token_nonce");
    assert_string_equal(verdict(token(key2048, "RS256", with("nonce", json_string("n-1234"))), jwks), "sso_token_nonce");
    assert_string_equal(verdict(token(key2048, "RS256", with("nonce", NULL)), jwks), "sso_token_nonce");
    assert_string_equal(verdict(token(key2048, "RS256", with("sub", json_string(""))), jwks), "sso_token_subject");
    json_decref(jwks);
    json_decref(other_kid);
    json_decref(short_key);
}

static void test_outbound_urls(void **state)
{
    struct err e;
    assert_int_equal(http_client_check_url("https://sms.gov.example/send", "url", &e), 0);
    assert_int_equal(http_client_check_url("http://127.0.0.1:8080/x", "url", &e), 0);
    assert_int_equal(http_client_check_url("http://127.9.9.9/x", "url", &e), 0);
    assert_int_equal(http_client_check_url("http://localhost/x", "url", &e), 0);
    assert_int_equal(http_client_check_url("http://[::1]:9/x", "url", &e), 0);
    const char *bad[] = {"http://sms.gov.example/send", "http://128.0.0.1/", "ftp://127.0.0.1/", "file:///etc/passwd",
                         "https://", "not a url", "https://a.example/x y", NULL};
    for (const char **u = bad; *u; u++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(http_client_check_url(*u, "issuer", &e), -1);
        assert_string_equal(e.code, "url_invalid");
        assert_string_equal(e.field, "issuer");
    }
    char *f = http_client_form((const char *const[]){"a", "1 2", "redirect_uri", "https://x/?q=1&r", "空", "", NULL});
    assert_string_equal(f, "a=1%202&redirect_uri=https%3A%2F%2Fx%2F%3Fq%3D1%26r&%E7%A9%BA=");
    free(f);
    f = http_client_form((const char *const[]){NULL});
    assert_string_equal(f, "");
    free(f);
}

int main(void)
{
    assert_true(sodium_init() >= 0);
    key2048 = EVP_RSA_gen(2048);
    key1024 = EVP_RSA_gen(1024);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_id_token), cmocka_unit_test(test_outbound_urls)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    EVP_PKEY_free(key2048);
    EVP_PKEY_free(key1024);
    return rc;
}
