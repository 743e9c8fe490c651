/* store.c — the SMS channel's SQL (store.h). */
#include "inbox/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sms_store_gateway(struct db *db, const char *district, char *url, size_t url_cap, char *sealed, size_t sealed_cap,
                      struct err *e)
{
    struct db_stmt *st = db_query(db, e, "SELECT url, credentials_sealed FROM sms_gateway WHERE district_code = ?",
                                  "t", district);
    int found = db_first_row(st, e);
    if (found == 1) {
        db_col_copy(st, 0, url, url_cap);
        db_col_copy(st, 1, sealed, sealed_cap);
        db_finalize(st);
    }
    return found;
}

int sms_store_gateway_write(struct db *db, const char *district, const char *url, const char *sealed,
                            const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO sms_gateway (district_code, url, credentials_sealed, updated_at) VALUES (?,?,?,?) "
                    "ON CONFLICT (district_code) DO UPDATE SET url = excluded.url, "
                    "credentials_sealed = excluded.credentials_sealed, updated_at = excluded.updated_at",
                    "tttt", district, url, sealed, now_ts);
}

int sms_store_enqueue(struct db *db, const char *district, const char *mobile_sealed, const char *body_sealed,
                      const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO sms_queue (district_code, mobile_sealed, body_sealed, created_at) VALUES (?,?,?,?)",
                    "tttt", district, mobile_sealed, body_sealed, now_ts);
}

int sms_store_due(struct db *db, enum sms_source src, const char *district, const char *now_ts, int64_t *ids, int max,
                  int *n, struct err *e)
{
    struct db_stmt *st =
        src == SMS_FROM_QUEUE
            ? db_query(db, e,
                       "SELECT id FROM sms_queue WHERE district_code = ? AND sent_at IS NULL ORDER BY id LIMIT ?", "ti",
                       district, (int64_t)max)
            : db_query(db, e,
                       "SELECT o.id FROM outbox o JOIN app_user u ON u.id = o.user_id WHERE o.district_code = ? "
                       "AND o.sent_at IS NULL AND o.cancelled_at IS NULL AND o.due_at <= ? "
                       "AND u.mobile_sealed IS NOT NULL ORDER BY o.id LIMIT ?",
                       "tti", district, now_ts, (int64_t)max);
    if (!st)
        return -1;
    int rc = 0;
    *n = 0;
    while (*n < max && (rc = db_step(st, e)) == DB_ROW)
        ids[(*n)++] = db_col_int64(st, 0);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

static char *dup_text(struct db_stmt *st, int col)
{
    const char *s = db_col_text(st, col);
    return strdup(s ? s : "");
}

int sms_store_text(struct db *db, enum sms_source src, int64_t id, struct sms_text *t, struct err *e)
{
    memset(t, 0, sizeof *t);
    struct db_stmt *st =
        src == SMS_FROM_QUEUE
            ? db_query(db, e, "SELECT mobile_sealed, body_sealed FROM sms_queue WHERE id = ? AND sent_at IS NULL", "i",
                       id)
            : db_query(db, e,
                       "SELECT u.mobile_sealed, o.subject, o.body FROM outbox o JOIN app_user u ON u.id = o.user_id "
                       "WHERE o.id = ? AND o.sent_at IS NULL",
                       "i", id);
    int found = db_first_row(st, e);
    if (found != 1)
        return found;
    db_col_copy(st, 0, t->mobile_sealed, sizeof t->mobile_sealed);
    int oom;
    if (src == SMS_FROM_QUEUE) {
        t->body_sealed = dup_text(st, 1);
        oom = !t->body_sealed;
    } else {
        t->subject = dup_text(st, 1);
        t->body = dup_text(st, 2);
        oom = !t->subject || !t->body;
    }
    db_finalize(st);
    if (oom) {
        sms_text_free(t);
        return err_set(e, 500, "oom", "", "内存不足");
    }
    return 1;
}

void sms_text_free(struct sms_text *t)
{
    free(t->body_sealed);
    free(t->subject);
    free(t->body);
    t->body_sealed = t->subject = t->body = NULL;
}

int64_t sms_store_claim(struct db *db, enum sms_source src, int64_t id, const char *now_ts, struct err *e)
{
    return db_run(db, e,
                  src == SMS_FROM_QUEUE ? "UPDATE sms_queue SET sent_at = ? WHERE id = ? AND sent_at IS NULL"
                                        : "UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
                  "ti", now_ts, id);
}

int sms_store_sent(struct db *db, enum sms_source src, int64_t id, struct err *e)
{
    if (src != SMS_FROM_QUEUE)
        return 0;
    return db_write(db, e, "UPDATE sms_queue SET body_sealed = '' WHERE id = ?", "i", id);
}

int sms_store_release(struct db *db, enum sms_source src, int64_t id, struct err *e)
{
    return db_write(db, e,
                    src == SMS_FROM_QUEUE ? "UPDATE sms_queue SET sent_at = NULL WHERE id = ?"
                                          : "UPDATE outbox SET sent_at = NULL WHERE id = ?",
                    "i", id);
}
