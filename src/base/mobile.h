/* mobile.h — mainland China mobile numbers as personal data: checked and normalised, sealed,
 * found through a keyed lookup hash and masked, the way crypt.h stores an ID number.
 *   mobile_protect(key, input, &m, e) → m.number (11 digits), m.sealed (column mobile_sealed),
 *                                       m.lookup (mobile_lookup, unique), m.masked ("138****1234")
 * The lookup material is "mobile:<number>" (crypt.h: prefix lookup material with its use). */
#ifndef TUOYU_MOBILE_H
#define TUOYU_MOBILE_H

#include "base/crypt.h"
#include "base/err.h"

#define MOBILE_LEN 11
#define MOBILE_SEALED_LEN 80 /* ≥ crypt_sealed_size(11) */

/* Normalise input to 11 digits: spaces and '-' are dropped and a leading "+86" or "86" (before 11
 * more digits) is removed; the result must be 1[3-9] followed by 9 digits. 0, or -1 with e (422,
 * field "mobile", code "mobile_invalid"). out needs MOBILE_LEN + 1 bytes. */
int mobile_normalise(const char *input, char out[MOBILE_LEN + 1], struct err *e);

struct mobile_protected {
    char number[MOBILE_LEN + 1];
    char sealed[MOBILE_SEALED_LEN];
    char lookup[CRYPT_LOOKUP_HEX_LEN];
    char masked[MOBILE_LEN + 1];
};
/* Normalise input (mobile_normalise's errors) and fill out. 0 or -1. */
int mobile_protect(const struct crypt_key *k, const char *input, struct mobile_protected *out, struct err *e);
/* The lookup hash of an already normalised number. 0 or -1 (libsodium unusable, 500). */
int mobile_lookup(const struct crypt_key *k, const char *number, char out[CRYPT_LOOKUP_HEX_LEN], struct err *e);

#endif
