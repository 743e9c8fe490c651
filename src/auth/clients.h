/* clients.h — machine clients of the data exchange (浙有善育, 安心托, a city platform): each is an
 * account of role exchange_client that has no usable password and is reached only by a bearer
 * token (auth/session.c), of which the database keeps the SHA-256. Made, listed and revoked by
 * whoever runs the server (`tuoyu exchange-client`), never through the API. The caller holds the
 * transaction and writes the audit row. */
#ifndef TUOYU_AUTH_CLIENTS_H
#define TUOYU_AUTH_CLIENTS_H

#include <jansson.h>
#include <stdint.h>

#include "auth/token.h"
#include "base/err.h"
#include "db/db.h"

/* Create client login (named name) and its first token into token (shown once, never stored):
 * 0 with *user_id, or -1 with e (409 login_taken, 422 on a bad login). */
int clients_add(struct db *db, const char *district, const char *login, const char *name, const char *now_ts,
                char token[TOKEN_TEXT_LEN], int64_t *user_id, struct err *e);
/* Revoke every token of client login: 0 with *user_id, or -1 with e (404 when no such client). */
int clients_revoke(struct db *db, const char *district, const char *login, const char *now_ts, int64_t *user_id,
                   struct err *e);
/* The district's clients as rows {login, name, created_at, revoked_at, last_used_at}. */
int clients_list(struct db *db, const char *district, json_t **rows, struct err *e);

#endif
