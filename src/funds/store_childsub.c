/* store_childsub.c — SQL of 育儿补贴 applications (store_childsub.h). */
#include "funds/store_childsub.h"

#include <stdio.h>
#include <string.h>

#include "funds/childsub.h"
#include "funds/ledger.h"

int childsub_store_insert(struct db *db, const char *district, const struct childsub_new *n, const char *now,
                          int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO childcare_application (district_code, child_id, family_user_id, town_code, "
                       "cert_sealed, cert_masked, relation, bank_name, account_sealed, account_masked, state, "
                       "months_total, amount_fen, submitted_on, due_on, created_at, updated_at) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?,'submitted',?,?,?,?,?,?) RETURNING id",
                       "tiitttttttiitttt", district, n->child_id, n->family_user_id, n->town_code, n->cert_sealed,
                       n->cert_masked, n->relation, n->bank_name, n->account_sealed, n->account_masked,
                       (int64_t)n->months_total, n->amount_fen, n->submitted_on, n->due_on, now, now);
    if (*id < 0)
        return db_conflict_as(e, "live_application", "child_id", "该婴幼儿已有办理中或已核准的育儿补贴申请");
    return 0;
}

int childsub_store_live(struct db *db, const char *district, int64_t child_id, struct childsub_stored *out,
                        struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT id, child_id, family_user_id, town_code, state FROM childcare_application "
                                  "WHERE district_code = ? AND child_id = ? AND state IN ('submitted', 'approved')",
                                  "ti", district, child_id);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc;
    *out = (struct childsub_stored){db_col_int64(st, 0), db_col_int64(st, 1), db_col_int64(st, 2)};
    db_scan_from(st, 3, DB_TEXT(out->town_code), DB_TEXT(out->state));
    db_finalize(st);
    return 1;
}

int childsub_store_decide(struct db *db, const char *district, int64_t id, const char *to, int64_t by,
                          const char *reason, const char *now, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE childcare_application SET state = ?, decided_by = ?, decided_at = ?, reason = ?, "
                       "updated_at = ? WHERE district_code = ? AND id = ? AND state = 'submitted'",
                       "titTtti", to, by, now, reason, now, district, id);
    if (n < 0)
        return -1;
    return n == 0 ? err_set(e, 409, "state_changed", "decision", "申请已被他人审核，请刷新") : 0;
}

#define APP_COLUMNS                                                                                               \
    "a.id, a.child_id, c.name_masked, a.town_code, t.name, a.relation, a.bank_name, a.account_masked, "           \
    "a.cert_masked, a.state, a.months_total, a.amount_fen, a.submitted_on, a.due_on, a.decided_by, a.decided_at, " \
    "a.reason, a.created_at"
#define APP_FROM                                                                                                  \
    " FROM childcare_application a JOIN child c ON c.id = a.child_id LEFT JOIN town t ON t.code = a.town_code "

static json_t *app_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    const char *rel = db_col_text(st, 5), *state = db_col_text(st, 9);
    const char *rel_name = childsub_relation_name(rel);
    return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:s, s:s, s:o, s:o, "
                     "s:o, s:s}",
                     "id", (json_int_t)db_col_int64(st, 0), "child_id", (json_int_t)db_col_int64(st, 1), "child_name",
                     db_col_text(st, 2), "town_code", db_col_text(st, 3), "town_name", db_col_json_text(st, 4),
                     "relation", rel, "relation_name", rel_name ? rel_name : rel, "bank_name", db_col_text(st, 6),
                     "bank_account", db_col_text(st, 7), "birth_cert_no", db_col_text(st, 8), "state", state,
                     "state_name", childsub_state_name(state), "months_total", (int)db_col_int64(st, 10), "amount_fen",
                     (json_int_t)db_col_int64(st, 11), "submitted_on", db_col_text(st, 12), "due_on",
                     db_col_text(st, 13), "decided_by", db_col_json_id(st, 14), "decided_at", db_col_json_text(st, 15),
                     "reason", db_col_json_text(st, 16), "created_at", db_col_text(st, 17));
}

int childsub_store_of_child(struct db *db, const char *district, int64_t child_id, json_t **rows, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT " APP_COLUMNS APP_FROM "WHERE a.district_code = ? AND a.child_id = ? "
                                 "ORDER BY a.id DESC",
                                 "ti", district, child_id),
                        e, app_row, NULL, rows);
}

int childsub_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *params,
                        const struct childsub_filter *f, json_t **rows, struct err *e)
{
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT " APP_COLUMNS APP_FROM "WHERE a.district_code = ? AND (CAST(? AS TEXT) IS NULL OR a.state = ?) "
        "AND (CAST(? AS TEXT) IS NULL OR a.town_code = ?) AND (a.due_on > ? OR (a.due_on = ? AND a.id > ?)) "
        "AND %s ORDER BY a.due_on, a.id LIMIT ?",
        scope_sql, params, f->limit, "ttttttti", district, f->state, f->state, f->town, f->town, f->after_due,
        f->after_due, f->after_id);
    return db_rows_json(st, e, app_row, NULL, rows);
}

static json_t *ledger_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    const char *state = db_col_text(st, 3);
    const char *name = funds_state_name(state);
    return json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)db_col_int64(st, 0), "period",
                     db_col_text(st, 1), "amount_fen", (json_int_t)db_col_int64(st, 2), "state", state, "state_name",
                     name ? name : state, "batch_id", db_col_json_id(st, 4), "explanation",
                     json_loads(db_col_text(st, 5), 0, NULL));
}

int childsub_store_ledger(struct db *db, const char *district, int64_t child_id, json_t **rows, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT id, period, amount_fen, state, batch_id, explanation FROM funds_entitlement "
                                 "WHERE district_code = ? AND child_id = ? ORDER BY id",
                                 "ti", district, child_id),
                        e, ledger_row, NULL, rows);
}

int childsub_store_link(struct db *db, int64_t id, int64_t child_id, int64_t app, const char *basis, struct err *e)
{
    return db_write(db, e,
                    "UPDATE funds_entitlement SET child_id = ?, childcare_application_id = ?, basis = ? WHERE id = ?",
                    "iiti", child_id, app, basis, id);
}
