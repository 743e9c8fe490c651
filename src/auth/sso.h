/* sso.h — single sign-on with 浙里办 (issue 12 item 1): an OpenID Connect authorization-code
 * client with PKCE (src/auth/sso.c). A parent who logs in through the provider gets (or logs in
 * to, or links) a family account carrying the real-name identity the provider vouched for: the
 * name and resident ID number, recorded as verified (已实名核验).
 *
 * Configuration (`tuoyu sso`, table sso_config): issuer, client id, client secret (sealed with the
 * personal-data key), redirect URI (the web app's address: the provider sends the browser back
 * there with ?code=…&state=…, and the app finishes the login with POST /api/v1/sso/callback) and
 * scopes. The provider's endpoints and keys are read from {issuer}/.well-known/openid-configuration
 * and its jwks_uri at each login (logins are rare; a rotated key is taken up at once), through the
 * platform's HTTP client (base/http_client.h). */
#ifndef TUOYU_SSO_H
#define TUOYU_SSO_H

#include "base/crypt.h"
#include "base/err.h"
#include "db/db.h"
#include "http/http.h"

/* seconds a started login may take to come back (state, nonce and PKCE verifier are then void) */
#define SSO_LOGIN_TTL 600
#define SSO_DEFAULT_SCOPES "openid profile"

struct sso_config {
    char issuer[512];
    char client_id[256];
    char client_secret[512];
    char redirect_uri[512];
    char scopes[256];
};

/* The configuration of district: 1 read, 0 none stored, -1 with e. */
int sso_config_load(struct db *db, const struct crypt_key *k, const char *district, struct sso_config *c,
                    struct err *e);
/* Check and store (replace) c, the secret sealed, inside the caller's transaction. 0, or -1 with
 * e (422 url_invalid for issuer / redirect_uri, required, too_long, scopes_invalid). */
int sso_config_store(struct db *db, const struct crypt_key *k, const char *district, const struct sso_config *c,
                     const char *now_ts, struct err *e);

extern const struct route sso_routes[];

#endif
