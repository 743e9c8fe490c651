/* store.h — SQL of the fee catalogues (fees.h): dated changes (fee_change) with their items
 * (fee_item), and the cost worksheets (fee_worksheet). The catalogue in force on a day is the
 * latest change, not withdrawn, dated on or before it. The caller holds the transaction of a write. */
#ifndef TUOYU_FEES_STORE_H
#define TUOYU_FEES_STORE_H

#include <jansson.h>

#include "db/db.h"
#include "fees/fees.h"

/* The id of institution alias's catalogue in force on a day, as a scalar subquery with one
 * placeholder (the day); alias is the SQL name of the institution's id ("i.id", "?"). */
#define FEES_IN_FORCE_SQL(inst)                                                                          \
    "(SELECT fc.id FROM fee_change fc WHERE fc.institution_id = " inst " AND fc.effective_from <= ? " \
    "AND fc.withdrawn_at IS NULL ORDER BY fc.effective_from DESC, fc.id DESC LIMIT 1)"

/* A fee item's columns (alias f) and their reader, for a store that reads items beside its own rows:
 * the item at columns col… of st into out. */
#define FEES_ITEM_COLUMNS "f.item, f.category, f.service_type, f.amount_fen, f.unit"
void fees_store_read_item(struct db_stmt *st, int col, struct fee_item *out);

/* The items of inst's catalogue in force on day into out[max], their count into *n. */
int fees_store_in_force(struct db *db, int64_t inst, const char *day, struct fee_item *out, int max, int *n,
                        struct err *e);
/* Publish items as inst's catalogue from day `from` (the caller has refused a day in the past):
 * the announced changes dated on or after it are withdrawn. changed_by 0: made with the record
 * (creation, filing, import). The new change's id, or -1 with e. */
int64_t fees_store_publish(struct db *db, const char *district, int64_t inst, const char *from, const char *note,
                           int64_t changed_by, const struct fee_item *items, int n, const char *now_ts, struct err *e);
/* The registry's write of a record: items published from day when they differ from the catalogue
 * in force on day (nothing written when they are the same). */
int fees_store_sync(struct db *db, const char *district, int64_t inst, const char *day, const struct fee_item *items,
                    int n, const char *now_ts, struct err *e);
/* Every change of inst, newest day first: [{id, effective_from, note, changed_by_name, changed_at,
 * withdrawn_at, state (in_force | announced | past | withdrawn on day), items [fees_item_json]}]. */
int fees_store_history(struct db *db, int64_t inst, const char *day, json_t **rows, struct err *e);
/* The same for every institution of district in one read: {"<institution id>": [change, …]}, an
 * institution without changes absent. */
int fees_store_histories(struct db *db, const char *district, const char *day, json_t **by_inst, struct err *e);

/* One item of a catalogue in force, with its institution, for the district's list. */
struct fees_listed {
    int64_t id, institution_id;
    char institution_name[128], town_code[16], town_name[64], ownership[12], effective_from[11];
    int inclusive;
    struct fee_item item;
};
/* The items in force on day of the institutions within scope_sql (over alias i), after item id
 * after_id, at most limit, in item id order; *out malloc'd. service: only that service type ("" any). */
int fees_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                    const char *day, const char *town, const char *service, int64_t after_id, int limit,
                    struct fees_listed **out, int *n, struct err *e);

/* inst's worksheet of year: 1 with *w and updated_at, 0 when none, -1 with e. */
int fees_store_worksheet(struct db *db, int64_t inst, int year, struct fee_worksheet *w, char updated_at[32],
                         struct err *e);
/* The years inst has a worksheet for, newest first, as a JSON array of integers. */
int fees_store_worksheet_years(struct db *db, int64_t inst, json_t **years, struct err *e);
int fees_store_worksheet_save(struct db *db, const char *district, int64_t inst, const struct fee_worksheet *w,
                              int64_t user_id, const char *now_ts, struct err *e);

#endif
