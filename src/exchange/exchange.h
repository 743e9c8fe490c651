/* exchange.h — the data exchange's own rules (issue 21 item 5; docs/exchange.md): a record's
 * stable source id (district code and local id, as the province joins records of many districts),
 * the fingerprint by which the feed notices a changed record, and the feed's query. Pure. */
#ifndef TUOYU_EXCHANGE_H
#define TUOYU_EXCHANGE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"

#define EXCHANGE_HASH_LEN 65 /* 64 hex digits and the NUL */

/* "330304:123" into out (32 bytes). */
void exchange_source_id(const char *district, int64_t id, char out[32]);

/* The fingerprint of a record: BLAKE2b-256 of its canonical JSON (keys sorted, compact), in hex.
 * Two records have the same fingerprint exactly when they carry the same members and values. */
void exchange_record_hash(const json_t *record, char out[EXCHANGE_HASH_LEN]);

/* The feed's query: changed_since (RFC 3339 UTC "YYYY-MM-DDTHH:MM:SSZ", optional) normalised into
 * since (DATE_TIMESTAMP_LEN bytes, "" when absent), and format "json" (default) or "jsonl" into
 * *jsonl. 0, or -1 with e (400 bad_changed_since / bad_format naming the parameter). */
int exchange_query(const char *changed_since, const char *format, char *since, size_t since_cap, int *jsonl,
                   struct err *e);

#endif
