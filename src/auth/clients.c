/* clients.c — machine clients of the data exchange (clients.h). */
#include "auth/clients.h"

#include "auth/auth.h"
#include "auth/users.h"

/* Not a PHC string: password_verify refuses it, so no password ever opens the account. */
#define NO_PASSWORD "!machine"

int clients_add(struct db *db, const char *district, const char *login, const char *name, const char *now_ts,
                char token[TOKEN_TEXT_LEN], int64_t *user_id, struct err *e)
{
    const struct new_user u = {.login = login, .name = name, .role = ROLE_EXCHANGE_CLIENT, .password_hash = NO_PASSWORD};
    if (users_create(db, district, &u, now_ts, user_id, e) < 0)
        return -1;
    char h[TOKEN_HASH_LEN];
    token_new(token);
    token_hash(token, h);
    return db_write(db, e, "INSERT INTO api_client (district_code, user_id, token_hash, created_at) VALUES (?,?,?,?)",
                    "titt", district, *user_id, h, now_ts);
}

int clients_revoke(struct db *db, const char *district, const char *login, const char *now_ts, int64_t *user_id,
                   struct err *e)
{
    *user_id = db_query_int(db, e, NULL,
                            "SELECT id FROM app_user WHERE district_code = ? AND login = ? AND role = ?", "ttt",
                            district, login, role_code(ROLE_EXCHANGE_CLIENT));
    if (*user_id < 0)
        return -1;
    if (*user_id == 0)
        return err_set(e, 404, "not_found", "login", "没有这个数据交换账号：%s", login);
    return db_write(db, e,
                    "UPDATE api_client SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", "ti", now_ts,
                    *user_id);
}

static json_t *client_json(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "login", db_col_json_text(st, 0), "name", db_col_json_text(st, 1),
                     "created_at", db_col_json_text(st, 2), "revoked_at", db_col_json_text(st, 3), "last_used_at",
                     db_col_json_text(st, 4));
}

int clients_list(struct db *db, const char *district, json_t **rows, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT u.login, u.name, c.created_at, c.revoked_at, c.last_used_at FROM api_client c "
                                 "JOIN app_user u ON u.id = c.user_id WHERE c.district_code = ? ORDER BY c.id",
                                 "t", district),
                        e, client_json, NULL, rows);
}
