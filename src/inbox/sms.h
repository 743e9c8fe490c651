/* sms.h — the SMS channel of the outbox: one-time codes queued for a number (table sms_queue,
 * migration 016) and the outbox's messages to families with a verified mobile number
 * (outbox.sent_at) leave through a gateway adapter drained by one sender thread of the server.
 *
 * Adapters:
 *   - HTTP: a production deployment stores its gateway with `tuoyu sms-gateway` (table
 *     sms_gateway: URL and credentials sealed with the personal-data key). Each message is
 *     POST URL with {"mobile":"…","text":"…"} and "Authorization: <credentials>"; any 2xx is
 *     delivered. https:// (a private CA: `tuoyu serve --ca-file`), or http:// to a loopback
 *     host for tests; sent through the platform's HTTP client (base/http_client.h).
 *   - sink: `tuoyu serve --sms-sink FILE` appends "time<TAB>mobile<TAB>text" lines to FILE (0600)
 *     for the tests and the demonstration. It is refused when the server listens on anything but
 *     a loopback address or when an HTTP gateway is stored (docs/decisions.md: codes in a file
 *     must never be what a deployment runs on).
 * Without either, the server sends nothing and POST /api/v1/sms-codes answers 503. */
#ifndef TUOYU_SMS_H
#define TUOYU_SMS_H

#include <stdint.h>

#include "base/crypt.h"
#include "base/err.h"
#include "db/db.h"

enum sms_adapter { SMS_NONE = 0, SMS_SINK, SMS_HTTP };

struct sms_gateway {
    enum sms_adapter adapter;
    char sink_path[512];
    char url[512];                      /* HTTP: the gateway's URL */
    char credentials[512];              /* HTTP: opened from credentials_sealed */
};

/* Read the stored HTTP gateway of district into g (adapter SMS_HTTP), or leave g untouched when
 * none is stored. 1 when one was read, 0 none, -1 with e. */
int sms_gateway_load(struct db *db, const struct crypt_key *k, const char *district, struct sms_gateway *g,
                     struct err *e);
/* Store (replace) the HTTP gateway: url "https://host[:port]/path" (http:// to loopback only),
 * credentials sealed. 0 or -1 (422 "url_invalid" for another URL). */
int sms_gateway_store(struct db *db, const struct crypt_key *k, const char *district, const char *url,
                      const char *credentials, const char *now_ts, struct err *e);

/* Queue text for number (normalised, mobile.h), inside the caller's transaction. 0 or -1. */
int sms_enqueue(struct db *db, const struct crypt_key *k, const char *district, const char *number, const char *text,
                const char *now_ts, struct err *e);

/* Send what is waiting at now_ts through g: queued texts (wiped once sent) and due outbox messages
 * of users with a verified number (sent_at set). Each message is claimed before it is sent, so two
 * senders never send one twice; one that fails is released for the next round, and the round
 * stops. Returns the number sent, or -1 with e. */
int sms_drain(struct db *db, const struct crypt_key *k, const char *district, const struct sms_gateway *g,
              const char *now_ts, struct err *e);

/* The server's sender thread: drains every second until sms_sender_stop(), which waits for it. */
struct app;
struct sms_sender;
struct sms_sender *sms_sender_start(struct app *app, const struct sms_gateway *g, struct err *e);
void sms_sender_stop(struct sms_sender *s);

#endif
