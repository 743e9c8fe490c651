/* store_vouchers.h — SQL of 托育券 (vouchers.h; migration 052). Writers run in the caller's
 * transaction. */
#ifndef TUOYU_FUNDS_STORE_VOUCHERS_H
#define TUOYU_FUNDS_STORE_VOUCHERS_H

#include <jansson.h>

#include "db/db.h"
#include "funds/vouchers.h"

int vouchers_store_issue_insert(struct db *db, const char *district, const struct voucher_terms *t, int64_t by,
                                const char *now_ts, int64_t *id, struct err *e);
/* Issue id's terms and the day its vouchers went out ("" not yet): 0, or -1 with e (404). */
int vouchers_store_issue_load(struct db *db, const char *district, int64_t id, struct voucher_terms *t,
                              char issued_on[11], struct err *e);
/* Every issue, newest first: [{id, name, face_fen, valid_from, valid_to, min_age_months,
 * max_age_months, basis, issued_on, issued, redeemed, claimed}]. */
int vouchers_store_issues(struct db *db, const char *district, json_t **rows, struct err *e);
/* One voucher to each child of a family account eligible for t on day (voucher_eligible), with a
 * random code; the issue marked issued on day. *count: how many. 409 already_issued the second
 * time (the mark is a conditional update: two racing give one). */
int vouchers_store_issue_out(struct db *db, const char *district, int64_t issue_id, const struct voucher_terms *t,
                             const char *day, const char *now_ts, int *count, struct err *e);

/* A voucher as lists show it. */
#define VOUCHER_COLUMNS                                                                                        \
    "v.id, v.code, v.state, v.child_id, c.name_masked, v.family_user_id, v.issue_id, s.name, s.face_fen, "     \
    "s.valid_from, s.valid_to, v.institution_id, i.name, v.redeemed_at, v.claimed_at, v.entitlement_id"
/* The vouchers within scope_sql (a WHERE fragment over v, the voucher) after after_id, at most
 * limit, in id order, each {id, code, state (as on today), state_name, child_id, child_name,
 * issue_id, issue_name, face_fen, valid_from, valid_to, institution_id, institution_name,
 * redeemed_at, claimed_at, entitlement_id}. one_id: only that voucher (0: all). */
int vouchers_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                        const char *today, int64_t one_id, int64_t after_id, int limit, json_t **rows, struct err *e);
/* issued → redeemed at inst, only while issued and within its validity on today: 1 moved, 0 not
 * (someone else redeemed it first, or it is no longer valid). */
int vouchers_store_redeem(struct db *db, int64_t id, int64_t inst, const char *today, const char *now_ts,
                          struct err *e);
/* redeemed → claimed with its ledger row: 1 moved, 0 not (claimed already). */
int vouchers_store_claim(struct db *db, int64_t id, int64_t entitlement_id, const char *now_ts, struct err *e);
/* Whether child is in care at inst on day (an open placement): 1, 0, -1 with e. */
int vouchers_store_in_care(struct db *db, int64_t child, int64_t inst, const char *day, struct err *e);

#endif
