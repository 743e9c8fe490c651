/* audit.h — the hash-chained audit log. Every write, and every staff read of a person's record,
 * appends one row in the SAME transaction as the change: who, when, action, target, changed
 * fields (personal data already masked by the caller), request id, and
 * hash = SHA-256(prev_hash || canonical row). Rows are numbered without gaps by audit_head,
 * whose row lock also serialises appenders on PostgreSQL (there one statement appends, the hash
 * computed by the server). Only the auditor role reads it. */
#ifndef TUOYU_AUDIT_H
#define TUOYU_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"

struct http_req;

struct audit_entry {
    const char *district_code;
    int64_t at;                /* unix seconds */
    int64_t user_id;           /* 0 for the system / CLI */
    const char *login;         /* "" or NULL for the system */
    const char *action;        /* e.g. "institution.update" */
    const char *target_type;   /* e.g. "institution" */
    const char *target_id;     /* may be NULL */
    const json_t *fields;      /* changed fields (masked); NULL = {} */
    const char *request_id;    /* may be NULL (CLI) */
};

/* Append inside the caller's open transaction. */
int audit_append(struct db *db, const struct audit_entry *a, struct err *e);

/* Append as the last statement of the caller's open transaction and commit it. The head row that
 * serialises appenders is then held only for this append and the commit; on PostgreSQL both go in
 * one round trip (db_step_commit). On failure the transaction is rolled back. */
int audit_append_commit(struct db *db, const struct audit_entry *a, struct err *e);

/* Append for an HTTP request: who and request id come from req. */
int audit_request(struct http_req *req, const char *action, const char *target_type, const char *target_id,
                  const json_t *fields, struct err *e);
/* The same, then commit: audit_append_commit for an HTTP request. */
int audit_request_commit(struct http_req *req, const char *action, const char *target_type, const char *target_id,
                         const json_t *fields, struct err *e);

/* The last step of a write handler: audit_request_commit of action on the record target_type #id,
 * with fields (stolen; NULL = {}). On failure the transaction is rolled back. 0, or -1 with e. */
int audit_write_commit(struct http_req *req, const char *action, const char *target_type, int64_t id, json_t *fields,
                       struct err *e);

/* A staff member's read of personal data (a child's record, a family's application, a list of
 * them): appended in its own short transaction, since a read has none. Families reading their own
 * records are not staff reads and are not logged. 0 or -1 with e. */
int audit_staff_read(struct http_req *req, const char *action, const char *target_type, const char *target_id,
                     const json_t *fields, struct err *e);

/* A staff member's read of a list naming n people's records: one audit_staff_read row with
 * fields {count_key: n}; nothing when the list is empty. */
int audit_staff_list(struct http_req *req, const char *action, const char *target_type, const char *count_key,
                     size_t n, struct err *e);

/* Check the whole chain of a district. Returns 0 when intact; 1 when broken, with *bad_id the
 * first row whose hash or link does not match (and *rows the rows checked); -1 on error. */
int audit_verify(struct db *db, const char *district, int64_t *bad_id, int64_t *rows, struct err *e);

/* Which rows to read; NULL or "" members match anything. Days are business days (China Standard
 * Time), both ends included; the caller has checked them (date_parse). */
struct audit_filter {
    const char *login;       /* the account that acted */
    const char *action;      /* e.g. "user.update" */
    const char *target_type; /* e.g. "institution" */
    const char *target_id;
    const char *from_day;    /* YYYY-MM-DD */
    const char *to_day;
};

/* Called with each row as JSON (id, at, user_id, login, action, target_type, target_id, fields,
 * request_id, hash; the callee takes no reference of its own unless it keeps the row): 0 to go
 * on, 1 to stop, -1 (with e) to fail. */
typedef int (*audit_row_fn)(json_t *row, void *ctx, struct err *e);

/* The rows matching f (NULL = all), newest first, id < before (0 = from the newest), at most
 * limit, each to fn. 0, or -1 with e. */
int audit_each(struct db *db, const char *district, const struct audit_filter *f, int64_t before, int64_t limit,
               audit_row_fn fn, void *ctx, struct err *e);

/* The same rows as one JSON array. */
int audit_list_json(struct db *db, const char *district, const struct audit_filter *f, int64_t before, int limit,
                    json_t **items, struct err *e);

/* The Chinese names people read for what the log records (names.c): an action ("user.update" →
 * "修改用户账号"), a target type ("institution" → "托育机构"), a member of a row's fields
 * ("valid_from" → "生效日期"); NULL when unknown. audit_names_json: the three tables as
 * {"actions":{code:name…}, "targets":{…}, "fields":{…}} (GET /api/v1/public/labels). */
const char *audit_action_name(const char *action);
const char *audit_target_name(const char *target_type);
const char *audit_field_name(const char *field);
json_t *audit_names_json(void);

#endif
