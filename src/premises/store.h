/* store.h — every SQL text of the idle state premises register (tables of migration 020: premises,
 * premises_application). Functions run on the caller's connection; writers expect the caller's
 * transaction (with its audit row). */
#ifndef TUOYU_PREMISES_STORE_H
#define TUOYU_PREMISES_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "premises/premises.h"

/* The entry id of the district (with its open applications counted): 0, or -1 with e = 404
 * not_found. */
int premises_store_load(struct db *db, const char *district, int64_t id, struct premises *out, struct err *e);
/* The entry id as JSON (premises_to_json, with its town's and institution's names): 0, or -1 with
 * e = 404 not_found. */
int premises_store_json(struct db *db, const char *district, int64_t id, json_t **out, struct err *e);
/* Insert p (sets p->id, version 1, status available). */
int premises_store_insert(struct db *db, const char *district, struct premises *p, const char *now_ts, struct err *e);
/* Write p's fields over the entry still available at p->version (version + 1): 409
 * premises_changed when it changed or left available meanwhile. */
int premises_store_update(struct db *db, const char *district, struct premises *p, const char *now_ts, struct err *e);
/* Withdraw the entry still available at version, with reason: as premises_store_update. */
int premises_store_withdraw(struct db *db, const char *district, int64_t id, int64_t version, const char *reason,
                            const char *now_ts, struct err *e);
/* Allocate the entry to institution_id by case_id on today, only while it is available — the one
 * statement two allocations at once race on: 409 premises_allocated for the loser. */
int premises_store_allocate(struct db *db, const char *district, int64_t id, int64_t institution_id, int64_t case_id,
                            const char *today, const char *now_ts, struct err *e);

/* Entries within scope (a WHERE fragment over p.town_code, p.institution_id), optionally of one
 * town and one shown status (available, applied, allocated, withdrawn), id above after_id, at most
 * limit, in id order: JSON rows as premises_to_json. */
struct premises_filter {
    const char *town, *status;
    int64_t after_id;
    int limit;
};
int premises_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                        const struct premises_filter *f, json_t **rows, struct err *e);

/* Link case_id (an application of institution_id) to the entry. */
int premises_store_link(struct db *db, const char *district, int64_t case_id, int64_t premises_id,
                        int64_t institution_id, struct err *e);
/* The entry case_id applies for: 1 (*premises_id set), 0 none, -1 with e. */
int premises_store_of_case(struct db *db, const char *district, int64_t case_id, int64_t *premises_id, struct err *e);
/* Applications of institution_id for the entry not yet closed: *n. */
int premises_store_open_applications(struct db *db, const char *district, int64_t premises_id, int64_t institution_id,
                                     int *n, struct err *e);
/* What an application asks of an institution on today: 普惠 (recognised, and on or before today),
 * its name, filing status and town. 0, or -1 with e = 404 not_found. */
struct premises_applicant {
    int inclusive;
    char name[128], status[12], town_code[16];
};
int premises_store_institution(struct db *db, const char *district, int64_t institution_id, const char *today,
                               struct premises_applicant *out, struct err *e);

/* Planning's candidate site of the entry (kind idle_premises) as the entry now is: one row while it
 * is available, none once allocated or withdrawn. Call after every write of the entry. */
int premises_store_sync_candidate(struct db *db, const char *district, int64_t id, const char *now_ts, struct err *e);

#endif
