/* childsub.h — 育儿补贴 applied for by a family (issue 18 items 4, 6, 7), the pure part: the
 * application's body and its checks (the birth certificate number, the guardian relation, the
 * bank and its account — Luhn where the account is a bank card), the account masked for every
 * reply, the town's decision with the four-eyes rule, and the explanation of a calendar year's
 * ledger row month by month (each month, its amount, the parameter version and basis in force).
 * No database, no clock: src/funds/childsub_api.c loads, seals and stores. */
#ifndef TUOYU_FUNDS_CHILDSUB_H
#define TUOYU_FUNDS_CHILDSUB_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "funds/funds.h"
#include "http/http.h"

#define CHILDSUB_ACCOUNT_MIN 12
#define CHILDSUB_ACCOUNT_MAX 30

/* The body of POST /api/v1/children/{id}/childcare-subsidy. */
extern const struct http_schema childsub_schema;

struct childsub_in {
    char cert[11];            /* normalised: one capital letter and 9 digits */
    char cert_masked[16];
    char relation[16];        /* father | mother | guardian */
    char bank_name[64];
    char account[CHILDSUB_ACCOUNT_MAX + 1];   /* digits only; plain only in memory */
    char account_masked[40];
};

/* Parse and check what the schema admitted: 0, or -1 with e (422): birth_cert_no
 * (birth_cert_format …, idcard_birth_cert_validate), relation (bad_relation), bank_name
 * (bank_name_required), bank_account (account_digits, account_length, account_luhn). */
int childsub_from_json(const json_t *body, struct childsub_in *out, struct err *e);

/* The Luhn (ISO/IEC 7812-1 mod 10) check of a string of digits: 1 passes, 0 not. */
int childsub_luhn(const char *digits);
/* Whether an account of these digits is a bank card number whose last digit is a Luhn check
 * digit: 16–19 digits beginning 62 (the 银联 IIN range; a card number's last digit is the ISO/IEC
 * 7812-1 Luhn check digit). Other accounts (passbook, settlement) carry no check digit, and a
 * card of another scheme is not refused on it: the bank is the final check. */
int childsub_is_card(const char *digits);
/* "6222 **** **** 1234": the first and last four digits, never more (an account of 12+ digits). */
void childsub_mask_account(const char *digits, char out[40]);
/* "O4******45": the letter, the last two digits. */
void childsub_mask_cert(const char *cert, char out[16]);
/* The relation's Chinese name, NULL for an unknown code. */
const char *childsub_relation_name(const char *code);
/* The state's Chinese name (submitted 待镇街审核, approved 已核准, rejected 已驳回). */
const char *childsub_state_name(const char *state);

/* The town's decision on an application in state made by applicant: decision approve | reject,
 * by the deciding official. 0 with *to (approved | rejected), or -1 with e: 409 not_submitted
 * (decided already), 403 own_application (four eyes: nobody decides their own), 422
 * reason_required (a rejection names why), 422 bad_decision. */
int childsub_decide(const char *state, int64_t applicant, int64_t by, const char *decision, const char *reason,
                    const char **to, struct err *e);

/* The explanation of the ledger row of year for a child born in birth_month (funds_month) whose
 * entitlement c was computed for that year on rules: {"rule", "basis", "inputs": {birth_month,
 * first_month, last_month, max_age_months, year}, "months": [{month, amount_fen, param,
 * valid_from, basis}], "months_in_year", "amount_fen"} — the months of the year that are
 * eligible, each at the amount of the version in force on its first day. The caller's reference. */
json_t *childsub_explain_year(const struct funds_childcare_rules *r, const struct funds_childcare *c,
                              funds_month birth_month, int year);

/* Every eligible month of c (all years) as that explanation's "months" array. */
json_t *childsub_months(const struct funds_childcare_rules *r, const struct funds_childcare *c, int year);

#endif
