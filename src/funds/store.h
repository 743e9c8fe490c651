/* store.h — the subsidy rules' parameters read from the database into the engine's structs
 * (funds.h): the versions of the monthly 育儿补贴 amount by month, and the figures in force on a
 * day. */
#ifndef TUOYU_FUNDS_STORE_H
#define TUOYU_FUNDS_STORE_H

#include "db/db.h"
#include "funds/funds.h"
#include "funds/ledger.h"
#include "funds/forecast.h"
#include "funds/operating.h"

/* 育儿补贴: every version of subsidy.childcare.per_month_fen as the months it is in force on the
 * first day of (a version from mid-month starts the month after), and
 * subsidy.childcare.max_age_months in force on day. 0, or -1 with e (500 param_missing). */
int funds_store_childcare_rules(struct db *db, const char *district, const char *day,
                                struct funds_childcare_rules *out, struct err *e);

/* The construction subsidy's subsidy.construction.* parameters in force on day; when used is not
 * NULL, also each parameter read with its version and basis (FUNDS_CONSTRUCTION_PARAMS of them,
 * their strings valid until the next call on this thread). */
#define FUNDS_CONSTRUCTION_PARAMS 4
int funds_store_construction_rules(struct db *db, const char *district, const char *day,
                                   struct funds_construction_rules *out, struct funds_param_used *used,
                                   struct err *e);

/* The operating subsidies' parameters in force on day (subsidy.operating.*, subsidy.award.*), each
 * read with its version into used (FUNDS_OPERATING_PARAMS, strings valid until the next call on
 * this thread). */
int funds_store_operating_rules(struct db *db, const char *district, const char *day,
                                struct funds_operating_rules *out, struct funds_param_used *used, struct err *e);
/* The children in care (a placement open) on day, by institution: *out malloc'd pairs
 * {institution_id, children}, *n of them. */
struct funds_in_care {
    int64_t institution_id;
    int children;
};
int funds_store_in_care(struct db *db, const char *district, const char *day, struct funds_in_care **out, size_t *n,
                        struct err *e);
/* The caregivers employed on day with a valid 保育师/育婴员 certificate of a grade, by institution
 * (ordered), each with the best grade held then: *out malloc'd, *n of them (month left 0). */
struct funds_post_row {
    int64_t institution_id;
    struct funds_post_month m;
};
int funds_store_post_months(struct db *db, const char *district, const char *day, struct funds_post_row **out,
                            size_t *n, struct err *e);
/* The live rows of the ledger for period (not rejected, not reversed, not a reversal) that name an
 * institution: their kind and institution, in no order (free *out). */
struct funds_live {
    char kind[24];
    int64_t institution_id;
};
int funds_store_live_of_period(struct db *db, const char *district, const char *period, struct funds_live **out,
                               size_t *n, struct err *e);

/* What next year's forecast (forecast.h) reckons from: the parameters in force on year's first
 * day and today's children in care, star levels, stations awaiting acceptance, open vouchers, and
 * the latest population year before it. */
int funds_store_forecast_inputs(struct db *db, const char *district, int year, const char *today,
                                struct funds_forecast_inputs *in, struct err *e);

/* ---- the ledger (migration 035). Writers run in the caller's transaction. ---- */

/* A new entitlement, state computed, with its history row: *id. */
struct funds_new {
    const char *kind;
    int64_t institution_id;   /* 0 none */
    const char *town_code;
    const char *beneficiary;
    const char *period;
    int64_t amount_fen;
    const json_t *explanation;
    int64_t reverses_id;      /* a reversal: the row it reverses; 0 none */
};
int funds_store_insert(struct db *db, const char *district, const struct funds_new *n, int64_t by, const char *now,
                       int64_t *id, struct err *e);

/* The row as the rules see it, and where it is: 404 not_found when not in the district. */
struct funds_stored {
    int64_t id, institution_id, amount_fen, reverses_id;
    char town_code[16], kind[24], beneficiary[160], period[40];
    struct funds_row row;
};
int funds_store_load(struct db *db, const char *district, int64_t id, struct funds_stored *out, struct err *e);

/* Move id from state from to to (applied/reviewed/approved set their _by column to by), with its
 * history row; 409 state_changed when the row is no longer in from (a concurrent move won). */
int funds_store_move(struct db *db, const char *district, int64_t id, const char *from, const char *to, int64_t by,
                     const char *comment, const char *now, struct err *e);

/* Whether id has a reversal already: 1 yes, 0 no, -1 with e. */
int funds_store_reversed(struct db *db, int64_t id, struct err *e);

/* One entitlement as JSON with its explanation and history; 404 not_found. */
int funds_store_json(struct db *db, const char *district, int64_t id, json_t **out, struct err *e);

/* Entitlements in the caller's scope (scope_sql over columns f.town_code, f.institution_id),
 * filtered, id ascending after after_id, at most limit rows, and the totals over every row the
 * filter takes (not only the page): {count, amount_fen}. */
struct funds_filter {
    const char *kind, *state, *town;
    int64_t institution_id, batch_id, after_id;
    int limit;
};
int funds_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                     const struct funds_filter *f, json_t **rows, json_t **totals, struct err *e);

/* The ledger within scope_sql (over f) summed by by ("kind", "town", "institution" or "period"),
 * rejected rows left out, of the rows made in year (0: any): [{id (the row's number), key, name,
 * count, amount_fen, approved_fen (approved or in a batch), paid_fen}] in key order. */
int funds_store_totals(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                       const char *by, int year, json_t **rows, struct err *e);

/* A payment batch of the approved rows ids (each moved to batched, with its history row): *id.
 * 409 not_approved naming entitlement_ids[i] when one is not approved (a rejected one …), 404
 * not_found when one is not the district's. */
int funds_store_batch_create(struct db *db, const char *district, const char *name, const int64_t *ids, int n,
                             int64_t by, const char *now, int64_t *id, struct err *e);
/* Mark an open batch paid and every row in it; 409 batch_paid when it was already. */
int funds_store_batch_pay(struct db *db, const char *district, int64_t id, int64_t by, const char *now, struct err *e);
/* A batch row as its export writes it (strings valid during the call). */
struct funds_export_row {
    int64_t id, amount_fen;
    const char *kind, *beneficiary, *town_name, *bank_name, *account_masked, *period, *basis;
};
/* Each row of batch id in id order to row(ctx, r) (which stops the walk returning -1); 404
 * not_found when the district has no such batch. */
int funds_store_batch_each(struct db *db, const char *district, int64_t id,
                           int (*row)(void *ctx, const struct funds_export_row *r, struct err *e), void *ctx,
                           struct err *e);
/* Whether the district has batch id: 0, or -1 with e (404 not_found). */
int funds_store_batch_exists(struct db *db, const char *district, int64_t id, struct err *e);
/* The batch with its total and its first FUNDS_BATCH_ITEMS_SHOWN rows (a batch holds up to
 * 100,000: the whole list is GET /api/v1/funds/entitlements?batch_id= or the export); 404
 * not_found. */
#define FUNDS_BATCH_ITEMS_SHOWN 200
int funds_store_batch_json(struct db *db, const char *district, int64_t id, json_t **out, struct err *e);

#endif
