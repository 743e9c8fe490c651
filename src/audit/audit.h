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

/* Rows newest first, id < before (0 = from the newest), at most limit. */
int audit_list_json(struct db *db, const char *district, int64_t before, int limit, json_t **items,
                    struct err *e);

#endif
