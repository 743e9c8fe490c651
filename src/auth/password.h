/* password.h — password hashing (Argon2id, libsodium crypto_pwhash) and the password policy.
 *
 * Hashes are PHC strings ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash", < 128 bytes) carrying
 * their own parameters, so the cost can be raised later: password_needs_rehash() tells the
 * login code to re-hash with the current cost after a successful password_verify().
 *
 * Cost: the default is the minimum of issue 2 / OWASP for Argon2id — 19 MiB of memory, 2
 * passes, 1 lane. Each login (and each failed login: unknown accounts are verified against
 * password_dummy_hash() so timing reveals nothing) costs one hash: about 19 MiB and tens of
 * milliseconds of one core (see bench/RESULTS.md), so logins are throttled by the caller.
 *
 * Thread-safe; no global mutable state. */
#ifndef TUOYU_PASSWORD_H
#define TUOYU_PASSWORD_H

#include <stddef.h>

#include "base/err.h"

#define PASSWORD_HASH_LEN 128                       /* bytes a hash needs, with the NUL */
#define PASSWORD_DEFAULT_OPSLIMIT 2ULL              /* Argon2id t (passes) */
#define PASSWORD_DEFAULT_MEMLIMIT (19u * 1024 * 1024) /* Argon2id m, bytes (19 MiB) */
#define PASSWORD_MAX_BYTES 256                      /* longer input is refused */

struct password_cost {
    unsigned long long opslimit; /* ≥ 2 */
    size_t memlimit;             /* bytes, ≥ 19 MiB */
};

/* Hash password with the default cost into out (outsz ≥ PASSWORD_HASH_LEN). 0, or -1 and e
 * (500 "password_hash" when out of memory, 422 "password_too_long"). */
int password_hash(const char *password, char *out, size_t outsz, struct err *e);
/* The same with an explicit cost; a cost below the minimum (t 2, 19 MiB) is raised to it. */
int password_hash_cost(const char *password, const struct password_cost *cost, char *out, size_t outsz,
                       struct err *e);

/* 0 when password matches hash, -1 when it does not, the hash is malformed or not Argon2id,
 * or the password is NULL or longer than PASSWORD_MAX_BYTES. Timing does not depend on where
 * the password differs. */
int password_verify(const char *hash, const char *password);

/* 1 when hash was made with a cost other than `cost` (NULL = the default) or is not an
 * Argon2id hash, so it should be replaced after the next successful login; 0 otherwise. */
int password_needs_rehash(const char *hash, const struct password_cost *cost);

/* A valid Argon2id hash (default cost) of a random password nobody knows, for verifying when
 * the account does not exist, so that the reply takes the same time. A constant string. */
const char *password_dummy_hash(void);

/* The password policy for new and changed passwords (GB/T 22239—2019 口令复杂度): at least
 * min_length characters (UTF-8 characters; a min_length below 1 counts as 1), at most 128
 * characters and PASSWORD_MAX_BYTES bytes, no control characters, characters of at least two
 * classes among upper-case letters, lower-case letters, digits and others, and not one of the
 * most common passwords. 0, or -1 and e (422, field "password"):
 *   password_required, password_too_short, password_too_long, password_chars,
 *   password_too_simple, password_common. */
int password_policy_check(const char *password, int min_length, struct err *e);

#endif
