/* token.h — session and CSRF tokens: 256 random bits as base64url text (no padding), of which
 * the server stores only the SHA-256; and a constant-time comparison for secrets.
 * Thread-safe (libsodium's random source). */
#ifndef TUOYU_TOKEN_H
#define TUOYU_TOKEN_H

#include <stddef.h>

#define TOKEN_BYTES 32     /* random bytes in a token: 256 bits */
#define TOKEN_TEXT_LEN 44  /* 43 base64url characters and the NUL */
#define TOKEN_HASH_LEN 65  /* 64 hex digits and the NUL */

/* A fresh random token into out. Aborts only if libsodium cannot initialise (no random source),
 * which sodium itself treats as fatal. */
void token_new(char out[TOKEN_TEXT_LEN]);

/* SHA-256 of the token text (NULL counts as "") as 64 lowercase hex digits. */
void token_hash(const char *token, char out[TOKEN_HASH_LEN]);

/* 1 when a and b are equal strings, 0 otherwise (NULL equals nothing). The time depends only on
 * the lengths, not on where the contents differ. */
int token_equal(const char *a, const char *b);

/* 1 when s looks like a token made by token_new (43 base64url characters), 0 otherwise: a cheap
 * check before a database look-up. */
int token_is_well_formed(const char *s);

#endif
