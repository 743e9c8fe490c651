/* store_vouchers.c — SQL of 托育券 (store_vouchers.h). */
#include "funds/store_vouchers.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vouchers_store_issue_insert(struct db *db, const char *district, const struct voucher_terms *t, int64_t by,
                                const char *now_ts, int64_t *id, struct err *e)
{
    *id = db_query_int(db, e, NULL,
                       "INSERT INTO voucher_issue (district_code, name, face_fen, valid_from, valid_to, min_age_months, "
                       "max_age_months, basis, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
                       "ttittiitit", district, t->name, t->face_fen, t->valid_from, t->valid_to,
                       (int64_t)t->min_age_months, (int64_t)t->max_age_months, t->basis, by, now_ts);
    return *id < 0 ? -1 : 0;
}

int vouchers_store_issue_load(struct db *db, const char *district, int64_t id, struct voucher_terms *t,
                              char issued_on[11], struct err *e)
{
    struct db_stmt *st = db_query(db, e,
                                  "SELECT name, face_fen, valid_from, valid_to, min_age_months, max_age_months, basis, "
                                  "issued_on FROM voucher_issue WHERE id = ? AND district_code = ?",
                                  "it", id, district);
    int rc = db_first_row(st, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(e, 404, "not_found", "id", "未找到该托育券发放批次");
    memset(t, 0, sizeof *t);
    db_scan(st, DB_TEXT(t->name), DB_I64(&t->face_fen), DB_TEXT(t->valid_from), DB_TEXT(t->valid_to),
            DB_INT(&t->min_age_months), DB_INT(&t->max_age_months), DB_TEXT(t->basis));
    db_col_copy(st, 7, issued_on, 11);
    db_finalize(st);
    return 0;
}

static json_t *issue_row(struct db_stmt *st, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:s, s:I, s:s, s:s, s:i, s:i, s:s, s:o, s:I, s:I, s:I}", "id", (json_int_t)db_col_int64(st, 0),
                     "name", db_col_text(st, 1), "face_fen", (json_int_t)db_col_int64(st, 2), "valid_from",
                     db_col_text(st, 3), "valid_to", db_col_text(st, 4), "min_age_months", (int)db_col_int64(st, 5),
                     "max_age_months", (int)db_col_int64(st, 6), "basis", db_col_text(st, 7), "issued_on",
                     db_col_json_text(st, 8), "issued", (json_int_t)db_col_int64(st, 9), "redeemed",
                     (json_int_t)db_col_int64(st, 10), "claimed", (json_int_t)db_col_int64(st, 11));
}

int vouchers_store_issues(struct db *db, const char *district, json_t **rows, struct err *e)
{
    return db_rows_json(db_query(db, e,
                                 "SELECT s.id, s.name, s.face_fen, s.valid_from, s.valid_to, s.min_age_months, "
                                 "s.max_age_months, s.basis, s.issued_on, "
                                 "(SELECT COUNT(*) FROM voucher v WHERE v.issue_id = s.id), "
                                 "(SELECT COUNT(*) FROM voucher v WHERE v.issue_id = s.id AND v.state <> 'issued'), "
                                 "(SELECT COUNT(*) FROM voucher v WHERE v.issue_id = s.id AND v.state = 'claimed') "
                                 "FROM voucher_issue s WHERE s.district_code = ? ORDER BY s.id DESC",
                                 "t", district),
                        e, issue_row, NULL, rows);
}

struct eligible {
    int64_t child_id, family_user_id;
    char birth[11];
};

static void read_eligible(struct db_stmt *st, void *item)
{
    struct eligible *x = item;
    db_scan(st, DB_I64(&x->child_id), DB_I64(&x->family_user_id), DB_TEXT(x->birth));
}

/* "TY" and ten characters of an alphabet without 0/O and 1/I, in two groups: TY-7KQ4M-X2PZH */
static void voucher_code(char out[16])
{
    static const char ALPHABET[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    char c[10];
    for (int i = 0; i < 10; i++)
        c[i] = ALPHABET[randombytes_uniform(sizeof ALPHABET - 1)];
    snprintf(out, 16, "TY-%.5s-%.5s", c, c + 5);
}

int vouchers_store_issue_out(struct db *db, const char *district, int64_t issue_id, const struct voucher_terms *t,
                             const char *day, const char *now_ts, int *count, struct err *e)
{
    *count = 0;
    int64_t marked = db_run(db, e,
                            "UPDATE voucher_issue SET issued_on = ? WHERE id = ? AND district_code = ? AND issued_on IS NULL",
                            "tit", day, issue_id, district);
    if (marked < 0)
        return -1;
    if (marked == 0)
        return err_set(e, 409, "already_issued", "id", "该批次的托育券已发放");
    void *list;
    size_t n;
    if (db_rows(db_query(db, e,
                         "SELECT id, family_user_id, birth_date FROM child WHERE district_code = ? "
                         "AND family_user_id IS NOT NULL ORDER BY id",
                         "t", district),
                e, sizeof(struct eligible), read_eligible, &list, &n) < 0)
        return -1;
    const struct eligible *kids = list;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!voucher_eligible(t, kids[i].birth, day))
            continue;
        char code[16];
        voucher_code(code);
        rc = db_run(db, e,
                    "INSERT INTO voucher (district_code, issue_id, child_id, family_user_id, code, state, created_at) "
                    "VALUES (?,?,?,?,?,'issued',?)",
                    "tiiitt", district, issue_id, kids[i].child_id, kids[i].family_user_id, code, now_ts) < 0
                 ? -1
                 : 0;
        *count += rc == 0;
    }
    free(list);
    return rc;
}

static json_t *voucher_row(struct db_stmt *st, void *ctx)
{
    const char *today = ctx;
    const char *state = voucher_state_on(db_col_text(st, 2), db_col_text(st, 10), today);
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
                     (json_int_t)db_col_int64(st, 0), "code", db_col_text(st, 1), "state", state, "state_name",
                     voucher_state_name(state), "child_id", (json_int_t)db_col_int64(st, 3), "child_name",
                     db_col_text(st, 4), "issue_id", (json_int_t)db_col_int64(st, 6), "issue_name", db_col_text(st, 7),
                     "face_fen", (json_int_t)db_col_int64(st, 8), "valid_from", db_col_text(st, 9), "valid_to",
                     db_col_text(st, 10), "institution_id", db_col_json_id(st, 11), "institution_name",
                     db_col_json_text(st, 12), "redeemed_at", db_col_json_text(st, 13), "claimed_at",
                     db_col_json_text(st, 14), "entitlement_id", db_col_json_id(st, 15));
}

int vouchers_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                        const char *today, int64_t one_id, int64_t after_id, int limit, json_t **rows, struct err *e)
{
    struct db_stmt *st = db_query_scoped(
        db, e,
        "SELECT " VOUCHER_COLUMNS " FROM voucher v JOIN voucher_issue s ON s.id = v.issue_id "
        "JOIN child c ON c.id = v.child_id LEFT JOIN institution i ON i.id = v.institution_id "
        "WHERE v.district_code = ? AND (? = 0 OR v.id = ?) AND v.id > ? AND %s ORDER BY v.id LIMIT ?",
        scope_sql, scope_params, limit, "tiii", district, one_id, one_id, after_id);
    return db_rows_json(st, e, voucher_row, (void *)today, rows);
}

int vouchers_store_redeem(struct db *db, int64_t id, int64_t inst, const char *today, const char *now_ts,
                          struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE voucher SET state = 'redeemed', institution_id = ?, redeemed_at = ? WHERE id = ? "
                       "AND state = 'issued' AND EXISTS (SELECT 1 FROM voucher_issue s WHERE s.id = voucher.issue_id "
                       "AND s.valid_from <= ? AND s.valid_to >= ?)",
                       "ititt", inst, now_ts, id, today, today);
    return n < 0 ? -1 : (int)n;
}

int vouchers_store_claim(struct db *db, int64_t id, int64_t entitlement_id, const char *now_ts, struct err *e)
{
    int64_t n = db_run(db, e,
                       "UPDATE voucher SET state = 'claimed', claimed_at = ?, entitlement_id = ? WHERE id = ? "
                       "AND state = 'redeemed'",
                       "tii", now_ts, entitlement_id, id);
    return n < 0 ? -1 : (int)n;
}

int vouchers_store_in_care(struct db *db, int64_t child, int64_t inst, const char *day, struct err *e)
{
    int found = 0;
    if (db_query_int(db, e, &found,
                     "SELECT 1 FROM care_placement WHERE child_id = ? AND institution_id = ? AND start_date <= ? "
                     "AND (end_date IS NULL OR end_date > ?)",
                     "iitt", child, inst, day, day) < 0)
        return -1;
    return found;
}
