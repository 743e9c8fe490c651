/* store.h — the SQL of the SMS channel (sms.c): the stored HTTP gateway, the queue of texts to a
 * number (codes), and the outbox's due messages to families with a verified number. Values stay
 * sealed here; sms.c seals and opens them. Return values: 0 (or a count, a 1/0 "found") on
 * success, -1 with e on error. */
#ifndef TUOYU_INBOX_STORE_H
#define TUOYU_INBOX_STORE_H

#include <stdint.h>

#include "base/err.h"
#include "db/db.h"

/* The district's gateway: url and sealed credentials (1 found, 0 none). */
int sms_store_gateway(struct db *db, const char *district, char *url, size_t url_cap, char *sealed, size_t sealed_cap,
                      struct err *e);
int sms_store_gateway_write(struct db *db, const char *district, const char *url, const char *sealed,
                            const char *now_ts, struct err *e);
int sms_store_enqueue(struct db *db, const char *district, const char *mobile_sealed, const char *body_sealed,
                      const char *now_ts, struct err *e);

/* Where a text waits: the queue of texts to a number, or the outbox (messages to users). */
enum sms_source { SMS_FROM_QUEUE, SMS_FROM_OUTBOX };
/* Up to max ids of unsent texts of source due at now_ts, oldest first, into ids (*n of them). */
int sms_store_due(struct db *db, enum sms_source src, const char *district, const char *now_ts, int64_t *ids, int max,
                  int *n, struct err *e);
/* Unsent text id of source: its sealed number, and its text — sealed (queue) or as subject and
 * body (outbox), which the caller formats. 1 found, 0 gone or sent. */
struct sms_text {
    char mobile_sealed[256];
    char *body_sealed;  /* queue (malloc'd) */
    char *subject;      /* outbox (malloc'd) */
    char *body;         /* outbox (malloc'd) */
};
int sms_store_text(struct db *db, enum sms_source src, int64_t id, struct sms_text *t, struct err *e);
void sms_text_free(struct sms_text *t);
/* Claim text id (sent_at = now_ts while it is unsent): 1 claimed, 0 someone else had it. */
int64_t sms_store_claim(struct db *db, enum sms_source src, int64_t id, const char *now_ts, struct err *e);
/* Sent: a queued text's sealed body is wiped (the outbox keeps its message). */
int sms_store_sent(struct db *db, enum sms_source src, int64_t id, struct err *e);
/* Not sent: unclaim it for the next round. */
int sms_store_release(struct db *db, enum sms_source src, int64_t id, struct err *e);

#endif
