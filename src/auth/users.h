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
    const char *password;
    const char *password_hash;  /* precomputed Argon2id hash instead of password (demo accounts) */
};

/* Validate (login format, role scope, password policy with min_length) and insert; the
 * password is hashed with Argon2id. Caller holds the transaction. */
int users_create(struct db *db, const char *district, const struct new_user *u, int min_password_length,
                 const char *now_ts, int64_t *id, struct err *e);
int users_set_password(struct db *db, int64_t id, const char *password, int min_password_length,
                       const char *now_ts, struct err *e);
int users_set_disabled(struct db *db, int64_t id, int disabled, const char *now_ts, struct err *e);
/* Give the account a new TOTP secret (stored sealed) and write its otpauth:// URI to uri. */
struct crypt_key;
int users_enrol_totp(struct db *db, const struct crypt_key *key, int64_t id, const char *login, char *uri,
                     size_t uri_cap, struct err *e);
/* 0 and *id when the login exists; -1 with 404 otherwise. */
int users_find(struct db *db, const char *login, int64_t *id, struct err *e);

extern const struct route users_routes[];

#endif
