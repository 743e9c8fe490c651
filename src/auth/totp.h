/* totp.h — time-based one-time passwords (RFC 6238, on HOTP RFC 4226) with HMAC-SHA-1, as
 * authenticator apps expect by default: 6 digits, 30-second steps, T0 = 0. Also base32
 * (RFC 4648) for secrets and the otpauth:// provisioning URI (Google Authenticator "Key Uri
 * Format"), shown to the user as a QR code when enrolling.
 *
 * Replay protection is the caller's: verification returns the matched time step, the caller
 * stores the last accepted step per account and refuses a step not greater than it.
 * Pure (the caller passes now), thread-safe. */
#ifndef TUOYU_TOTP_H
#define TUOYU_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define TOTP_DIGITS 6
#define TOTP_PERIOD 30          /* seconds per step */
#define TOTP_WINDOW 1           /* steps accepted either side of now (clock drift) */
#define TOTP_SECRET_BYTES 20    /* 160-bit secrets, as RFC 4226 recommends */
#define TOTP_SECRET_TEXT_LEN 33 /* base32 of 20 bytes: 32 characters and the NUL */

/* HOTP value (RFC 4226) of counter under key, written as `digits` digits (6–9, zero-padded)
 * into out (outsz > digits). 0, or -1 when digits or outsz is out of range. */
int totp_hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits, char *out, size_t outsz);

/* The time step of unix time t: floor(t / period); -1 when t < 0 or period < 1. */
int64_t totp_step(int64_t t, int period);

/* Check code (digits, surrounding or inner spaces ignored) against the steps now−window …
 * now+window. Returns 0 and *matched_step (the absolute step number; the latest one if several
 * match), or -1 when it matches none or is malformed. Constant time over the window. */
int totp_verify_params(const uint8_t *key, size_t keylen, const char *code, int64_t now, int period, int digits,
                       int window, int64_t *matched_step);
/* totp_verify_params with the defaults (6 digits, 30 s, ±1 step). */
int totp_verify(const uint8_t *key, size_t keylen, const char *code, int64_t now, int64_t *matched_step);
/* The same with the secret as base32 text (as stored): -1 also when the secret does not decode. */
int totp_verify_base32(const char *secret_b32, const char *code, int64_t now, int64_t *matched_step);

/* RFC 4648 base32 of n bytes into out (outsz ≥ totp_base32_len(n, pad)), upper case, with '='
 * padding when pad is 1 (authenticator URIs use none). 0, or -1 when out is too small. */
int totp_base32_encode(const uint8_t *in, size_t n, int pad, char *out, size_t outsz);
/* Bytes needed by totp_base32_encode, with the NUL. */
size_t totp_base32_len(size_t n, int pad);
/* Decode base32 text: letters of either case, spaces and '-' ignored, trailing '=' allowed.
 * Writes *outlen bytes. 0, or -1 on a bad character, a bad length, non-zero trailing bits,
 * or out too small. */
int totp_base32_decode(const char *in, uint8_t *out, size_t outsz, size_t *outlen);

/* A new random secret as base32 (no padding) into out. 0, or -1 if libsodium is unusable. */
int totp_new_secret(char out[TOTP_SECRET_TEXT_LEN]);

/* "otpauth://totp/ISSUER:ACCOUNT?secret=S&issuer=ISSUER&algorithm=SHA1&digits=6&period=30"
 * with issuer and account percent-encoded (UTF-8, so "瓯海托育" works in current apps).
 * 0, or -1 and e (500 "totp_uri") when out is too small or an argument is missing or holds a
 * ':' that would break the label. */
int totp_uri(const char *issuer, const char *account, const char *secret_b32, char *out, size_t outsz,
             struct err *e);

#endif
