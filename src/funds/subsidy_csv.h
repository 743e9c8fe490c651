/* subsidy_csv.h — subsidies over CSV: the body of `tuoyu subsidy`, apart from the command so tests
 * and the fuzz target drive it with in-memory streams. Input: a CSV with a header, columns by name
 * (any order, case-insensitive, others ignored). Output: a CSV with a header, one row per input
 * row in input order; a row whose values are unusable gets a stable code in column `error` and
 * empty amounts, and the following rows are still processed. FUNDS_CSV_HELP documents it. */
#ifndef TUOYU_FUNDS_SUBSIDY_CSV_H
#define TUOYU_FUNDS_SUBSIDY_CSV_H

#include <stdio.h>

#include "funds/funds.h"

extern const char FUNDS_CSV_HELP[];

/* 育儿补贴: in `id,birth_date[,end_date]` → out `id,error,first_month,last_month,months_total,
 * amount_total_yuan,months_in_year,amount_in_year_yuan` (the last two empty when year is 0). A
 * birth date after today is an error. Data rows written (≥ 0), or -1 with e when the input cannot
 * be read or lacks a required column. */
long funds_childcare_csv(FILE *in, const char *name, FILE *out, const struct funds_childcare_rules *r,
                         const char *today, int year, struct err *e);

/* Construction subsidy: in `id,ownership,investment_yuan` → out `id,error,subsidy_yuan,cap_yuan,
 * capped`. As above. */
long funds_construction_csv(FILE *in, const char *name, FILE *out, const struct funds_construction_rules *r,
                            struct err *e);

#endif
