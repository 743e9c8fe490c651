/* requests.h — two-person approval of changes to privileged accounts (table account_request,
 * migration 011). The security administrator's change to a district administrator, security
 * administrator or auditor account (creating it, its role or scope, its password, disabling or
 * enabling it) is not made but filed as a pending request; another privileged person approves it
 * (then the change is made) or rejects it; a request nobody decides expires after the parameter
 * auth.account_request_expiry_hours. Nobody decides a request they filed or one about their own
 * account, nor one that gives a role ranked above their own (authz_may_grant_role). Each step is
 * audited in its transaction and posted to every active auditor's inbox. */
#ifndef TUOYU_REQUESTS_H
#define TUOYU_REQUESTS_H

#include <jansson.h>
#include <stdint.h>

#include "auth/auth.h"
#include "base/err.h"
#include "http/http.h"

/* File a request inside the caller's transaction: kind "create" (target_id 0) or "update";
 * changes is the JSON of what changes (never the password itself: "password": true), hash the
 * new password's hash or NULL. Audits account_request.create and tells the auditors. *out gets
 * the request as the API shows it (caller decrefs). */
int account_requests_file(struct http_req *req, const char *kind, int64_t target_id, const char *login, enum role role,
                          const json_t *changes, const char *password_hash, json_t **out, struct err *e);
/* 409 "request_pending" when a pending request concerns account target_id, or a pending creation
 * the same login; 0 otherwise. */
int account_requests_check_none_pending(struct db *db, const char *district, int64_t target_id, const char *login,
                                        struct err *e);
/* Mark every pending request past its expiry as expired, each in its own transaction with its
 * audit row and the auditors' messages. Call before reading or deciding requests. */
int account_requests_expire_due(struct http_req *req, struct err *e);

/* GET /api/v1/account-requests, POST /api/v1/account-requests/{id}/approve and …/reject
 * (listed in users_routes). */
int account_requests_list(struct http_req *req, struct http_reply *rep);
int account_requests_approve(struct http_req *req, struct http_reply *rep);
int account_requests_reject(struct http_req *req, struct http_reply *rep);
/* Their request and reply schemas (the route table is users_routes). */
extern const struct http_schema ACCOUNT_REQUEST_PAGE, ACCOUNT_REQUEST_DECISION, ACCOUNT_REQUEST_DECIDED;

#endif
