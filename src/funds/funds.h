/* funds.h — the subsidy rules engine (issue 18 item 1, requirements C8, domain-rules §3): each
 * subsidy kind a pure function of its inputs and the parameters in force, returning the amount in
 * fen and what it was made of (the rule, each input, the caps applied) so that a ledger row can
 * be explained to the finance bureau. No database, no clock: the caller loads the parameters
 * (store.c, cli.c) and passes the day. Amounts are integers in fen; nothing is a float.
 *
 * 育儿补贴 (《育儿补贴制度实施方案》, 中办 国办 2025-07; docs/decisions.md "育儿补贴 months"): a child
 * is paid for each eligible month at the monthly amount in force in that month
 * (subsidy.childcare.per_month_fen, 3,600/12 = 300 yuan from 2025-01-01: the plan's start is that
 * parameter's first version). The eligible months run from the later of the birth month and the
 * first month a monthly amount is in force, through the month before the month of the birthday
 * at subsidy.childcare.max_age_months (36: the third), or through the month of an end date (the
 * household moved out) when that is earlier. A child born 2025-06-15 has 2025-06…2028-05, 36
 * months, 10,800 yuan; one born 2022-10-08 has 2025-01…2025-09, 9 months, 2,700 yuan.
 *
 * Construction subsidy (seed 四(五)14): counted as subsidy.construction.classes_counted classes
 * (2); a public institution is covered in full, at most public_per_class_max_fen per class; a
 * private one gets private_share (49 %) of the assessed investment, at most
 * private_per_class_max_fen per class. */
#ifndef TUOYU_FUNDS_FUNDS_H
#define TUOYU_FUNDS_FUNDS_H

#include <stdint.h>

#include "base/err.h"

/* A month as one number: year × 12 + (month − 1). */
typedef int32_t funds_month;
funds_month funds_month_of(int year, int month);
/* "YYYY-MM" into out (8 bytes). */
void funds_month_format(funds_month m, char out[8]);

/* ---- 育儿补贴 ---- */

#define FUNDS_MAX_RATES 16

/* A monthly amount in force over a run of months (from … to, both included). */
struct funds_rate {
    funds_month from, to;
    int64_t per_month_fen;
    char valid_from[11];             /* the parameter version's first day ("" when not known) */
    char basis[200];                 /* and its basis document */
};

struct funds_childcare_rules {
    int nrates;                      /* ascending, not overlapping */
    struct funds_rate rates[FUNDS_MAX_RATES];
    int max_age_months;              /* paid until the child reaches this age in months */
};

struct funds_childcare {
    int months_total;                /* eligible months (0: none — e.g. already 3 before the start) */
    funds_month first, last;         /* the first and last eligible month (when months_total > 0) */
    int64_t amount_total_fen;
    int months_in_year;              /* of those, the months in the year asked (0 when none asked) */
    int64_t amount_in_year_fen;
};

/* The entitlement of a child born on birth ("YYYY-MM-DD"), eligibility ending early with the
 * month of end ("" none), seen on today (a birth after it is an error), with the months of year
 * counted apart (0: no year). 0 with out, or -1 with e: 422 bad_birth_date (not a date),
 * birth_before_1900, future_birth_date, bad_end_date, end_before_birth, bad_year. */
int funds_childcare_compute(const struct funds_childcare_rules *r, const char *birth, const char *end,
                            const char *today, int year, struct funds_childcare *out, struct err *e);

/* ---- construction subsidy ---- */

enum funds_ownership { FUNDS_PUBLIC, FUNDS_PRIVATE };

struct funds_construction_rules {
    int classes_counted;
    int64_t public_per_class_max_fen;
    int64_t private_per_class_max_fen;
    int private_share_bp;            /* the private share in basis points (0.49 → 4900) */
};

struct funds_construction {
    int64_t subsidy_fen;
    int64_t base_fen;                /* before the cap: the investment, or its share */
    int64_t cap_fen;                 /* classes counted × the per-class cap */
    int capped;
};

/* The subsidy for an assessed eligible investment (fen, ≥ 0). 0, or -1 with e (422
 * negative_investment). The private share is rounded half up to a fen. */
int funds_construction_compute(const struct funds_construction_rules *r, enum funds_ownership own,
                               int64_t investment_fen, struct funds_construction *out, struct err *e);

/* "public"/"private" → the ownership; -1 when neither. */
int funds_ownership_of(const char *s);

/* A yuan amount with at most two decimals ("12", "12.5", "12.50", "-3") into fen, exactly. 0, or
 * -1 when it is not such a number (or out of range). */
int funds_parse_yuan(const char *s, int64_t *fen);
/* fen as yuan with two decimals ("10800.00", "-0.50") into out; returns its length. */
int funds_format_yuan(int64_t fen, char out[24]);

#endif
