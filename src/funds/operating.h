/* operating.h — the quarterly operating subsidies of 普惠 institutions (issue 18 item 1): the
 * per-child operating subsidy (生均保育经费, seed 四(五)15: the children in care on the counting
 * day of each month of the quarter × the monthly standard) and the award by star level (星级运营奖
 * 补, seed 四(二)7: a quarter of the yearly amount of the level in force at the quarter's end,
 * withheld while a 保育费 is outside its price guidance, the seed tying the money to 普惠性收费).
 * Pure: the caller gathers the counts, the level and the prices (store_operating.c) and the
 * parameters; each amount comes with its explanation for the ledger. */
#ifndef TUOYU_FUNDS_OPERATING_H
#define TUOYU_FUNDS_OPERATING_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "funds/ledger.h"

/* A quarter "YYYY-Qn": its first and last day and the counting day of each of its months. */
struct funds_quarter {
    char label[8];          /* "2026-Q1" */
    char first[11], last[11];
    char count_days[3][11]; /* YYYY-MM-DD: the counting day of each month */
};
/* Parse s with the counting day (1–28). 0, or -1 with e (422 bad_quarter on field "quarter"). */
int funds_quarter_parse(const char *s, int count_day, struct funds_quarter *out, struct err *e);

/* per child, count day, star1…star5, requires prices within, post grade1…grade5 */
#define FUNDS_OPERATING_PARAMS 13
struct funds_operating_rules {
    int64_t per_child_month_fen;
    int count_day;
    int64_t star_award_year_fen[6]; /* by stars 1–5 ([0] unused) */
    int award_requires_prices_within;
    int64_t post_grade_month_fen[6]; /* 岗位补贴 by certificate grade 1–5 ([0] unused) */
};

/* What one institution brought to the quarter. */
struct funds_operating_input {
    int children[3];     /* in care on each counting day */
    int stars;           /* the star level in force at the quarter's end (0: none) */
    int prices_outside;  /* 保育费 items outside the guidance at the quarter's end */
};

enum funds_award_withheld { FUNDS_AWARD_PAID, FUNDS_AWARD_NO_LEVEL, FUNDS_AWARD_NO_AMOUNT, FUNDS_AWARD_PRICES };

struct funds_operating {
    int child_months;
    int64_t per_child_fen;   /* child_months × the monthly standard */
    int64_t award_fen;       /* a quarter of the level's yearly amount, or 0 */
    enum funds_award_withheld award_state;
};

void funds_operating_compute(const struct funds_operating_rules *r, const struct funds_operating_input *in,
                             struct funds_operating *out);
/* 岗位补贴: a caregiver on a month's counting day with the best certificate grade held then (1–5). */
struct funds_post_month {
    int64_t staff_id;
    char name_masked[32];
    int month;  /* 0–2: the month of the quarter */
    int grade;
};
/* The post subsidy of one institution's caregiver-months: the sum of each one's grade amount. */
int64_t funds_post_compute(const struct funds_operating_rules *r, const struct funds_post_month *m, int n);
json_t *funds_post_explain(const struct funds_quarter *q, const struct funds_operating_rules *r,
                           const struct funds_post_month *m, int n, int64_t amount, const struct funds_param_used *params);

/* Why an award is 0, in Chinese ("" when paid). */
const char *funds_award_withheld_text(enum funds_award_withheld w);

/* The explanations stored with the ledger rows (the caller's reference): {"rule", "inputs",
 * "steps", "amount_fen", "params"}. params are the versions read (FUNDS_OPERATING_PARAMS). */
json_t *funds_operating_explain(const struct funds_quarter *q, const struct funds_operating_rules *r,
                                const struct funds_operating_input *in, const struct funds_operating *o,
                                const struct funds_param_used *params);
json_t *funds_award_explain(const struct funds_quarter *q, const struct funds_operating_rules *r,
                            const struct funds_operating_input *in, const struct funds_operating *o,
                            const struct funds_param_used *params);

#endif
