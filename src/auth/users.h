/* users.h — accounts: creating, changing and listing users, shared by the security admin's
 * API (users.c routes), the `tuoyu user` CLI and the demo generator. Every change is audited
 * by the caller's transaction. */
#ifndef TUOYU_USERS_H
#define TUOYU_USERS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "base/err.h"
#include "db/db.h"

struct new_user {
    const char *login;
    const char *name;
    enum role role;
    const char *town_code;      /* required for town officers */
    int64_t institution_id;     /* required for institution and station operators */
    const char *password_hash;  /* from users_hash_password */
};

/* Check a new password against the policy (min_length and the rest of password.h) and hash it
 * with Argon2id into hash. The hash costs ~19 MiB and tens of milliseconds: call this BEFORE
 * opening the transaction, so that no write lock is held while it runs. 0 or -1 with e. */
int users_hash_password(const char *password, int min_length, char hash[256], struct err *e);
/* Validate (login format, role scope) and insert with the given hash. Caller holds the
 * transaction. */
int users_create(struct db *db, const char *district, const struct new_user *u, const char *now_ts, int64_t *id,
                 struct err *e);
/* Store a new password hash (users_hash_password) and end every session of the account. */
int users_set_password(struct db *db, int64_t id, const char *hash, const char *now_ts, struct err *e);
int users_set_disabled(struct db *db, int64_t id, int disabled, const char *now_ts, struct err *e);
/* Give the account a new TOTP secret (stored sealed) and write its otpauth:// URI to uri. */
struct crypt_key;
int users_enrol_totp(struct db *db, const struct crypt_key *key, int64_t id, const char *login, char *uri,
                     size_t uri_cap, struct err *e);
/* 0 and *id when the login exists; -1 with 404 otherwise. */
int users_find(struct db *db, const char *login, int64_t *id, struct err *e);

extern const struct route users_routes[];

#endif
