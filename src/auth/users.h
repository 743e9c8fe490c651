/* users.h — accounts: creating, changing and listing users, shared by the security admin's
 * API (users.c routes), the `tuoyu user` CLI, the demo generator and the approval of account
 * requests (requests.c). Every change is audited by the caller's transaction. */
#ifndef TUOYU_USERS_H
#define TUOYU_USERS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "base/err.h"
#include "db/db.h"

/* The issuer shown by authenticator apps for this platform's TOTP secrets. */
#define USERS_TOTP_ISSUER "tuoyu 瓯海托育"

struct new_user {
    const char *login;
    const char *name;
    enum role role;
    const char *town_code;      /* town officers only ("" or NULL otherwise) */
    int64_t institution_id;     /* institution and station operators only (0 otherwise) */
    const char *password_hash;  /* from users_hash_password */
};

/* An account as stored. */
struct account_info {
    int64_t id;
    char login[64];
    char name[96];
    enum role role;
    char town_code[16];
    int64_t institution_id;
    int disabled;
};

/* Check a new password against the policy (min_length, not containing login, not common: see
 * password.h) and hash it with Argon2id into hash. The hash costs ~19 MiB and tens of
 * milliseconds: call this BEFORE opening the transaction, so that no write lock is held while it
 * runs. 0 or -1 with e. */
int users_hash_password(const char *password, const char *login, int min_length, char hash[256], struct err *e);
/* The scope an account of role in district (its jurisdiction code) must have: a jurisdiction of
 * the role's level (role_level: 422 "bad_jurisdiction"), and the scope fields it must carry
 * (role_scope): a town officer a town of the district, an institution or station operator an
 * institution of the district, and no role a field it has no use for (422 "field_not_allowed"
 * naming town_code or institution_id). town "" counts as none. */
int users_check_scope(struct db *db, const char *district, enum role role, const char *town_code,
                      int64_t institution_id, struct err *e);
/* Everything users_create checks before inserting (login format and not taken, name, role,
 * scope), without inserting: for a request that creates the account later. */
int users_validate_new(struct db *db, const char *district, const struct new_user *u, struct err *e);
/* Validate (users_validate_new) and insert with the given hash. Caller holds the transaction. */
int users_create(struct db *db, const char *district, const struct new_user *u, const char *now_ts, int64_t *id,
                 struct err *e);
/* Load account id of district: 0, or -1 with 404 "not_found" (field "id"). */
int users_load(struct db *db, const char *district, int64_t id, struct account_info *out, struct err *e);
/* Store a new password hash (users_hash_password) and end every session of the account. */
int users_set_password(struct db *db, int64_t id, const char *hash, const char *now_ts, struct err *e);
int users_set_disabled(struct db *db, int64_t id, int disabled, const char *now_ts, struct err *e);
/* Give the account a role with its scope fields (checked by users_check_scope); ends its sessions. */
int users_set_role(struct db *db, const char *district, int64_t id, enum role role, const char *town_code,
                   int64_t institution_id, const char *now_ts, struct err *e);
/* 409 "last_auditor" when account a is an active auditor and the only one: disabling it or taking
 * the role away would leave nobody to read the audit log. */
int users_check_not_last_auditor(struct db *db, const char *district, const struct account_info *a, struct err *e);
/* Give the account a new TOTP secret (stored sealed) and write its otpauth:// URI to uri. */
struct crypt_key;
int users_enrol_totp(struct db *db, const struct crypt_key *key, int64_t id, const char *login, char *uri,
                     size_t uri_cap, struct err *e);
/* 0 and *id when the login exists; -1 with 404 otherwise. */
int users_find(struct db *db, const char *login, int64_t *id, struct err *e);
/* An inbox message to every active auditor of district, in the caller's transaction: account
 * changes reach the people who audit them at once. ref_type/ref_id say what it is about. */
int users_notify_auditors(struct db *db, const char *district, const char *kind, const char *subject,
                          const char *body, const char *ref_type, int64_t ref_id, const char *now_ts, struct err *e);

/* Record a family's verified mobile number (mobile.h: sealed, lookup, masked) and the privacy
 * notice version it consented to at now_ts, in the caller's transaction. 0 or -1 (409
 * "mobile_registered" when another account holds the number). */
int users_set_mobile(struct db *db, int64_t id, const char *sealed, const char *lookup, const char *masked,
                     int64_t privacy_version, const char *now_ts, struct err *e);

/* How to reach a family (issue 12 item 2): its name and verified mobile number, in full when
 * reveal, else masked (mask_name, or the stored masked number); mobile "" when it has none. */
struct users_contact {
    char name[96];
    char mobile[16];
};
int users_contact(struct db *db, const struct crypt_key *key, int64_t id, int reveal, struct users_contact *out,
                  struct err *e);

extern const struct route users_routes[];

#endif
