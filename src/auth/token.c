/* token.c — random tokens, their SHA-256, constant-time comparison. */
#include "auth/token.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypt.h"

void token_new(char out[TOKEN_TEXT_LEN])
{
    if (crypt_init() < 0)
        abort(); /* no random source: issuing a guessable session token is not an option */
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, TOKEN_TEXT_LEN, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void token_hash(const char *token, char out[TOKEN_HASH_LEN])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    (void)crypt_init(); /* SHA-256 needs no key or randomness; this only picks the fastest code */
    const char *t = token ? token : "";
    crypto_hash_sha256(h, (const unsigned char *)t, strlen(t));
    sodium_bin2hex(out, TOKEN_HASH_LEN, h, sizeof h);
}

int token_equal(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    size_t na = strlen(a), nb = strlen(b);
    if (na != nb)
        return 0;
    return sodium_memcmp(a, b, na) == 0;
}

int token_is_well_formed(const char *s)
{
    if (!s)
        return 0;
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return 0;
        if (n >= TOKEN_TEXT_LEN - 1)
            return 0;
    }
    return n == TOKEN_TEXT_LEN - 1;
}
