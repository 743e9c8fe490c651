/* store.h — the subsidy rules' parameters read from the database into the engine's structs
 * (funds.h): the versions of the monthly 育儿补贴 amount by month, and the figures in force on a
 * day. */
#ifndef TUOYU_FUNDS_STORE_H
#define TUOYU_FUNDS_STORE_H

#include "db/db.h"
#include "funds/funds.h"

/* 育儿补贴: every version of subsidy.childcare.per_month_fen as the months it is in force on the
 * first day of (a version from mid-month starts the month after), and
 * subsidy.childcare.max_age_months in force on day. 0, or -1 with e (500 param_missing). */
int funds_store_childcare_rules(struct db *db, const char *district, const char *day,
                                struct funds_childcare_rules *out, struct err *e);

/* The construction subsidy's subsidy.construction.* parameters in force on day. */
int funds_store_construction_rules(struct db *db, const char *district, const char *day,
                                   struct funds_construction_rules *out, struct err *e);

#endif
