/* inbox.h — messages to users: the in-app inbox and the outbox a later SMS or WeChat gateway
 * drains (table outbox, migration 009). A message has a due time: a reminder is written when the
 * event is booked and appears in the inbox once due; it is withdrawn (cancelled_at) if the event
 * is cancelled first. Writers call inbox_post/inbox_withdraw inside their own transaction, so a
 * message exists exactly when the change that caused it was committed. */
#ifndef TUOYU_INBOX_H
#define TUOYU_INBOX_H

#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "http/http.h"

/* One message. due_at and now_ts are UTC timestamps "YYYY-MM-DDTHH:MM:SSZ" (date.h). */
struct inbox_message {
    int64_t user_id;
    const char *kind;     /* "visit.booked", "visit.reminder", "offer.made", ... */
    const char *subject;  /* Chinese, one line */
    const char *body;     /* Chinese */
    const char *ref_type; /* what it is about: "visit_booking", "offer", ... */
    int64_t ref_id;
    const char *due_at;
};

/* Queue m for its user in district. 0 or -1 with e. */
int inbox_post(struct db *db, const char *district, const struct inbox_message *m, const char *now_ts, struct err *e);
/* The same message queued for each of users[0..n) (m->user_id not used). 0 or -1 with e. */
int inbox_post_each(struct db *db, const char *district, const struct inbox_message *m, const int64_t *users, size_t n,
                    const char *now_ts, struct err *e);

/* Withdraw the messages about (ref_type, ref_id) that are not yet due at now_ts and not yet
 * sent, optionally only those of kind (NULL: any kind). Returns the number withdrawn or -1. */
int64_t inbox_withdraw(struct db *db, const char *ref_type, int64_t ref_id, const char *kind, const char *now_ts,
                       struct err *e);


/* GET /api/v1/inbox and POST /api/v1/inbox/read. */
extern const struct route inbox_routes[];

#endif
