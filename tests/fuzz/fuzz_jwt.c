/* fuzz_jwt.c — fuzz target for the ID token checks of single sign-on (src/auth/jwt.c): arbitrary
 * bytes split at the first NUL into a token and a JWK Set (JSON), as a provider could send them.
 * Must never crash, leak or trip the sanitizers; a refusal is a 401 with an sso_token_ code and
 * no claims. (A valid signature cannot be forged, so what passes here is nothing.) */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t tl = nul ? (size_t)(nul - data) : size;
    char *tok = malloc(tl + 1);
    if (!tok)
        return 0;
    memcpy(tok, data, tl);
    tok[tl] = '\0';
    json_t *jwks = nul ? json_loadb((const char *)nul + 1, size - tl - 1, 0, NULL) : NULL;
    struct jwt_expect x = {.issuer = "https://idp.example", .audience = "tuoyu", .nonce = "n", .now = 1780000000};
    json_t *claims = NULL;
    struct err e = {0};
    if (jwt_verify_id_token(tok, jwks, &x, &claims, &e) < 0) {
        if (claims || e.status != 401 || strncmp(e.code, "sso_token_", 10) != 0)
            abort();
    } else {
        json_decref(claims);
    }
    json_decref(jwks);
    free(tok);
    return 0;
}
