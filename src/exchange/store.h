/* store.h — SQL of the data exchange's feed: the change numbers of the institutions' records.
 * The caller holds the transaction. */
#ifndef TUOYU_EXCHANGE_STORE_H
#define TUOYU_EXCHANGE_STORE_H

#include <jansson.h>

#include "db/db.h"

/* Compare records (an array of objects with "id", as registry_exchange_records gives them) with
 * the fingerprints last published and give each new or changed one the district's next change
 * number, changed_at now_ts. Refreshes of one district run one after the other (the counter row
 * is locked first), so numbers are committed in order. 0, or -1 with e. */
int exchange_store_refresh(struct db *db, const char *district, const json_t *records, const char *now_ts,
                           struct err *e);

/* The changes after change number after_seq (and, when since is not "", changed at or after
 * since), in change order, at most limit rows: an array of {institution_id, seq, changed_at}. */
int exchange_store_changes(struct db *db, const char *district, int64_t after_seq, const char *since, int limit,
                           json_t **rows, struct err *e);

/* The local id of the record of kind that source sent as external_id, or else of the
 * institution with this unified social credit code (uscc may be NULL): 1 with *id, 0 when none,
 * -1 with e. */
int exchange_store_find(struct db *db, const char *district, const char *source, const char *kind,
                        const char *external_id, const char *uscc, int64_t *id, struct err *e);
/* Remember that source's external_id of kind is our local_id (nothing when it is known already). */
int exchange_store_link(struct db *db, const char *district, const char *source, const char *kind,
                        const char *external_id, int64_t local_id, const char *now_ts, struct err *e);

#endif
