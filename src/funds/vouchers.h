/* vouchers.h — 托育券 (issue 18 item 5; seed 四(五)15): an issue's terms as the district enters them
 * (face value, validity, the children's ages, the basis document) and their checks, who is
 * eligible on the issuing day, and a voucher's state as a family reads it on a day (an issued one
 * past its last day is expired). Pure: storage is store_vouchers.c, routes vouchers_api.c. */
#ifndef TUOYU_FUNDS_VOUCHERS_H
#define TUOYU_FUNDS_VOUCHERS_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "http/http.h"

struct voucher_terms {
    char name[96];
    int64_t face_fen;
    char valid_from[11], valid_to[11];
    int min_age_months, max_age_months;
    char basis[200];
};

/* The body of POST /api/v1/voucher-issues. */
extern const struct http_schema voucher_terms_schema;
/* Parse and check terms (a body the schema admitted; today: the last day may not be before it). 0,
 * or -1 with e: 422 bad_validity (valid_to before valid_from or before today), bad_ages (min not
 * below max, or beyond 36 months). */
int voucher_terms_from_json(const json_t *body, const char *today, struct voucher_terms *t, struct err *e);

/* Whether a child born on birth is eligible for terms on day: its age in whole months within
 * [min_age_months, max_age_months). */
int voucher_eligible(const struct voucher_terms *t, const char *birth, const char *day);

/* The state a voucher reads as on today: "expired" for one still issued after valid_to, else state. */
const char *voucher_state_on(const char *state, const char *valid_to, const char *today);
const char *voucher_state_name(const char *state); /* "待使用" … */

#endif
