/* sha1.h — SHA-1 (RFC 3174 / FIPS 180-4) and HMAC-SHA-1 (RFC 2104), for TOTP only.
 * libsodium has no SHA-1, and RFC 6238 authenticator apps default to HMAC-SHA-1. SHA-1's
 * collision weakness does not affect HMAC-SHA-1 as a PRF. Do not use it for anything else.
 * Pure and thread-safe (state lives in the caller's struct). */
#ifndef TUOYU_SHA1_H
#define TUOYU_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_LEN 20
#define SHA1_BLOCK_LEN 64

struct sha1_ctx {
    uint32_t h[5];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[SHA1_BLOCK_LEN];
    size_t used; /* bytes in block */
};

void sha1_init(struct sha1_ctx *c);
void sha1_update(struct sha1_ctx *c, const void *data, size_t n);
void sha1_final(struct sha1_ctx *c, uint8_t out[SHA1_DIGEST_LEN]);
/* One-shot digest. */
void sha1_digest(const void *data, size_t n, uint8_t out[SHA1_DIGEST_LEN]);
/* HMAC-SHA-1 of msg under key (any length; keys over 64 bytes are hashed first). */
void sha1_hmac(const void *key, size_t keylen, const void *msg, size_t n, uint8_t out[SHA1_DIGEST_LEN]);

#endif
