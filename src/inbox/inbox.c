/* inbox.c — the outbox table as each user's in-app inbox: post and withdraw messages inside the
 * caller's transaction, list a user's due messages, mark them read. */
#include "inbox/inbox.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/date.h"

int inbox_post(struct db *db, const char *district, const struct inbox_message *m, const char *now_ts, struct err *e)
{
    return db_write(db, e,
                    "INSERT INTO outbox (district_code, user_id, kind, subject, body, ref_type, ref_id, due_at, "
                    "created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                    "tittttitt", district, m->user_id, m->kind, m->subject, m->body, m->ref_type, m->ref_id, m->due_at,
                    now_ts);
}

int inbox_post_each(struct db *db, const char *district, const struct inbox_message *m, const int64_t *users, size_t n,
                    const char *now_ts, struct err *e)
{
    struct inbox_message each = *m;
    for (size_t k = 0; k < n; k++) {
        each.user_id = users[k];
        if (inbox_post(db, district, &each, now_ts, e) < 0)
            return -1;
    }
    return 0;
}

int64_t inbox_withdraw(struct db *db, const char *ref_type, int64_t ref_id, const char *kind, const char *now_ts,
                       struct err *e)
{
    return db_run(db, e,
                  "UPDATE outbox SET cancelled_at = ? WHERE ref_type = ? AND ref_id = ? AND due_at > ? "
                  "AND cancelled_at IS NULL AND sent_at IS NULL AND (CAST(? AS TEXT) IS NULL OR kind = ?)",
                  "ttittt", now_ts, ref_type, ref_id, now_ts, kind, kind);
}

static int list_inbox(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st = db_query(
        req->db, &e,
        "SELECT id, kind, subject, body, ref_type, ref_id, created_at, due_at, read_at FROM outbox "
        "WHERE user_id = ? AND due_at <= ? AND cancelled_at IS NULL "
        "AND (? = 0 OR due_at < ? OR (due_at = ? AND id < ?)) ORDER BY due_at DESC, id DESC LIMIT ?",
        "itittii", req->user->id, now_ts, page.after_id, page.after_key, page.after_key, page.after_id,
        (int64_t)(page.limit + 1));
    if (!st)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW && http_page_take(req, &page, db_col_int64(st, 0), db_col_text(st, 7))) {
        const char *read_at = db_col_text(st, 8);
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o}", "id",
                                               (json_int_t)db_col_int64(st, 0), "kind", db_col_text(st, 1), "subject",
                                               db_col_text(st, 2), "body", db_col_text(st, 3), "ref_type",
                                               db_col_text(st, 4), "ref_id", (json_int_t)db_col_int64(st, 5),
                                               "created_at", db_col_text(st, 6), "due_at", db_col_text(st, 7),
                                               "read_at", read_at ? json_string(read_at) : json_null()));
    }
    db_finalize(st);
    int64_t unread = rc < 0 ? -1
                            : db_query_int(req->db, &e, NULL,
                                           "SELECT COUNT(*) FROM outbox WHERE user_id = ? AND due_at <= ? "
                                           "AND cancelled_at IS NULL AND read_at IS NULL",
                                           "it", req->user->id, now_ts);
    if (rc < 0 || unread < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    json_t *o = http_page_reply(req, &page, items);
    json_object_set_new(o, "unread", json_integer((json_int_t)unread));
    return http_reply_json(rep, 200, o);
}

/* {"ids":[…]} marks those of the user's due messages read; {"all":true} marks every due one. */
static int mark_read(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    json_t *body = http_body(req), *ids = json_object_get(body, "ids");
    int all = json_is_true(json_object_get(body, "all"));
    size_t i;
    if (!all && json_array_size(ids) == 0)
        return http_reply_error(rep, 422, "required", "ids", "请指定要标为已读的消息");
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int64_t changed = 0;
    if (db_begin(req->db, &e) < 0)
        goto fail;
    size_t n = all ? 1 : json_array_size(ids);
    for (i = 0; i < n; i++) {
        int64_t n_read = db_run(req->db, &e,
                                "UPDATE outbox SET read_at = ? WHERE user_id = ? AND due_at <= ? "
                                "AND cancelled_at IS NULL AND read_at IS NULL AND (? = 1 OR id = ?)",
                                "titii", now_ts, req->user->id, now_ts, (int64_t)all,
                                (int64_t)(all ? 0 : json_integer_value(json_array_get(ids, i))));
        if (n_read < 0)
            goto fail;
        changed += n_read;
    }
    json_t *f = json_pack("{s:b, s:O, s:I}", "all", all, "ids", ids ? ids : json_null(), "marked", (json_int_t)changed);
    int arc = audit_request(req, "inbox.read", "outbox", all ? "all" : "ids", f, &e);
    json_decref(f);
    if (arc < 0 || db_commit(req->db, &e) < 0)
        goto fail;
    return http_reply_json(rep, 200, json_pack("{s:I, s:s}", "marked", (json_int_t)changed, "read_at", now_ts));
fail:
    return http_reply_rollback(req, rep, &e);
}

#include "inbox/inbox.schemas.inc"

const struct route inbox_routes[] = {
    {"GET", "/api/v1/inbox", "inbox.read", list_inbox, NULL, &INBOX},
    {"POST", "/api/v1/inbox/read", "inbox.read", mark_read, &READ_BODY, &MARKED},
    {NULL, NULL, NULL, NULL},
};
