/* jwt.h — checking an OpenID Connect ID token (a JWS in compact form, RFC 7515/7519): its RS256
 * signature against the provider's JSON Web Key Set (RFC 7517; OpenSSL libcrypto), then the
 * claims the single sign-on flow relies on (OpenID Connect Core 1.0 §3.1.3.7). Pure: no I/O. */
#ifndef TUOYU_JWT_H
#define TUOYU_JWT_H

#include <stdint.h>

#include <jansson.h>

#include "base/err.h"

/* seconds of clock difference tolerated between the provider and this server (exp, iat) */
#define JWT_CLOCK_SKEW 60
/* an ID token issued longer ago than this is refused (seconds) */
#define JWT_MAX_AGE 600

struct jwt_expect {
    const char *issuer;    /* iss must equal it */
    const char *audience;  /* aud must be it or a list holding it (and then azp, if present, it) */
    const char *nonce;     /* nonce must equal it */
    int64_t now;           /* unix seconds */
};

/* Check token: header alg RS256, the key of its kid (or the set's only RSA key) in jwks (a JWK
 * Set object), the signature, then iss, aud, exp, iat, nonce and a non-empty sub. 0 with *claims
 * (the payload; the caller json_decref's it), or -1 with e (401; code sso_token_malformed,
 * sso_token_alg, sso_token_key, sso_token_signature, sso_token_issuer, sso_token_audience,
 * sso_token_expired, sso_token_iat, sso_token_nonce or sso_token_subject; field "id_token"). */
int jwt_verify_id_token(const char *token, const json_t *jwks, const struct jwt_expect *x, json_t **claims,
                        struct err *e);

#endif
