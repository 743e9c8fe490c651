/* store_childsub.h — every SQL text of 育儿补贴 applications (migration 045: childcare_application,
 * and the child's rows of funds_entitlement). Writers run in the caller's transaction. */
#ifndef TUOYU_FUNDS_CHILDSUB_STORE_H
#define TUOYU_FUNDS_CHILDSUB_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"

struct childsub_new {
    int64_t child_id, family_user_id;
    const char *town_code;
    const char *cert_sealed, *cert_masked, *relation, *bank_name, *account_sealed, *account_masked;
    int months_total;
    int64_t amount_fen;
    const char *submitted_on, *due_on;
};
/* A new application, state submitted: *id. 409 live_application when the child has one live. */
int childsub_store_insert(struct db *db, const char *district, const struct childsub_new *n, const char *now,
                          int64_t *id, struct err *e);

/* An application as the decision needs it. */
struct childsub_stored {
    int64_t id, child_id, family_user_id;
    char town_code[16], state[16];
};
/* The child's live application (submitted or approved): 1 found, 0 none, -1 with e. */
int childsub_store_live(struct db *db, const char *district, int64_t child_id, struct childsub_stored *out,
                        struct err *e);
/* Move a submitted application to to (approved | rejected) by by, with the reason of a
 * rejection; 409 state_changed when it is no longer submitted. */
int childsub_store_decide(struct db *db, const char *district, int64_t id, const char *to, int64_t by,
                          const char *reason, const char *now, struct err *e);

/* Applications as replies show them (masked), newest first for one child (child_id ≠ 0), or in
 * scope (a WHERE fragment over a.town_code, a.family_user_id) of state and town (NULL any), due
 * order, after (after_due, after_id), at most limit. */
int childsub_store_of_child(struct db *db, const char *district, int64_t child_id, json_t **rows, struct err *e);
struct childsub_filter {
    const char *state, *town, *after_due;
    int64_t after_id;
    int limit;
};
int childsub_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *params,
                        const struct childsub_filter *f, json_t **rows, struct err *e);

/* The child's ledger rows: [{id, period, amount_fen, state, state_name, batch_id}] in id order. */
int childsub_store_ledger(struct db *db, const char *district, int64_t child_id, json_t **rows, struct err *e);

/* Name the ledger row id as the child's subsidy, from application app, with the basis its
 * payment batch's export shows. */
int childsub_store_link(struct db *db, int64_t id, int64_t child_id, int64_t app, const char *basis, struct err *e);

#endif
