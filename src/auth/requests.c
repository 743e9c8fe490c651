/* requests.c — two-person approval of changes to privileged accounts: filing, listing, approving,
 * rejecting and expiring account_request rows (see requests.h for the rules). */
#include "auth/requests.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "auth/users.h"
#include "base/date.h"
#include "base/parse.h"
#include "inbox/inbox.h"
#include "params/params.h"

/* every column request_json reads, in its order */
#define REQUEST_SELECT                                                                                            \
    "SELECT r.id, r.kind, r.state, r.target_user_id, r.login, r.role, r.changes, r.requested_by, q.login, "     \
    "q.name, r.requested_at, r.expires_at, r.decided_by, d.login, d.name, r.decided_at, r.note, t.role "         \
    "FROM account_request r JOIN app_user q ON q.id = r.requested_by LEFT JOIN app_user d ON d.id = r.decided_by " \
    "LEFT JOIN app_user t ON t.id = r.target_user_id "

/* "新增账号 aud2（审计员）" or "账号 auditor：重置密码、停用" into out */
static void summary(const char *kind, const char *login, enum role role, const json_t *changes, char *out, size_t n)
{
    if (strcmp(kind, "create") == 0) {
        snprintf(out, n, "新增账号 %s（%s）", login, role_name(role));
        return;
    }
    char parts[256] = "";
    size_t o = 0;
    const char *sep = "";
    if (json_is_true(json_object_get(changes, "password")))
        o += (size_t)snprintf(parts + o, sizeof parts - o, "%s重置密码", sep), sep = "、";
    json_t *dis = json_object_get(changes, "disabled");
    if (dis && o < sizeof parts)
        o += (size_t)snprintf(parts + o, sizeof parts - o, "%s%s", sep, json_is_true(dis) ? "停用" : "启用"), sep = "、";
    if (json_object_get(changes, "role") && o < sizeof parts)
        snprintf(parts + o, sizeof parts - o, "%s角色或范围改为%s", sep, role_name(role));
    snprintf(out, n, "账号 %s：%s", login, parts);
}

static json_t *person(struct db_stmt *st, int id_col)
{
    if (db_col_is_null(st, id_col))
        return json_null();
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_col_int64(st, id_col), "login", db_col_text(st, id_col + 1),
                     "name", db_col_text(st, id_col + 2));
}

/* One row of REQUEST_SELECT as the API shows it, with whether the viewer (ctx, a struct user) may
 * approve it. */
static json_t *request_json(struct db_stmt *st, void *ctx)
{
    const struct user *viewer = ctx;
    const char *kind = db_col_text(st, 1), *state = db_col_text(st, 2);
    enum role role = role_from_code(db_col_text(st, 5));
    json_t *changes = json_loads(db_col_text(st, 6), 0, NULL);
    if (!changes)
        changes = json_object();
    char text[400];
    summary(kind, db_col_text(st, 4), role, changes, text, sizeof text);
    int64_t target = db_col_is_null(st, 3) ? 0 : db_col_int64(st, 3);
    enum role target_role = db_col_is_null(st, 17) ? ROLE_NONE : role_from_code(db_col_text(st, 17));
    int can_approve = strcmp(state, "pending") == 0 && db_col_int64(st, 7) != viewer->id && target != viewer->id &&
                      authz_role_may(viewer->role, "account_request.decide") && authz_may_grant_role(viewer->role, role) &&
                      (target_role == ROLE_NONE || authz_may_grant_role(viewer->role, target_role));
    return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:o, s:s?, s:s?, s:b}", "id",
                     (json_int_t)db_col_int64(st, 0), "kind", kind, "state", state, "target_user_id",
                     target ? json_integer(target) : json_null(), "login", db_col_text(st, 4), "role", role_code(role),
                     "role_name", role_name(role), "changes", changes, "summary", text, "requested_by", person(st, 7),
                     "requested_at", db_col_text(st, 10), "expires_at", db_col_text(st, 11), "decided_by",
                     person(st, 12), "decided_at", db_col_text(st, 15), "note", db_col_text(st, 16), "can_approve",
                     can_approve);
}

static int load_request_json(struct http_req *req, int64_t id, json_t **out, struct err *e)
{
    struct db_stmt *st = db_query(req->db, e, REQUEST_SELECT "WHERE r.id = ? AND r.district_code = ?", "it", id,
                                  req->district);
    int rc = db_first_row(st, e);
    if (rc == 1) {
        *out = request_json(st, req->user);
        db_finalize(st);
    }
    if (rc < 0)
        return -1;
    return rc == 1 ? 0 : err_set(e, 404, "not_found", "id", "未找到该申请");
}

/* A message about request id to every active auditor and, when requester is not 0, to the
 * person who filed it. */
static int tell(struct http_req *req, const char *kind, int64_t id, int64_t requester, const char *subject,
                const char *body, struct err *e)
{
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (users_notify_auditors(req->db, req->district, kind, subject, body, "account_request", id, now_ts, e) < 0)
        return -1;
    if (!requester)
        return 0;
    struct inbox_message m = {.user_id = requester, .kind = kind, .subject = subject, .body = body,
                              .ref_type = "account_request", .ref_id = id, .due_at = now_ts};
    return inbox_post(req->db, req->district, &m, now_ts, e);
}

int account_requests_file(struct http_req *req, const char *kind, int64_t target_id, const char *login, enum role role,
                          const json_t *changes, const char *password_hash, json_t **out, struct err *e)
{
    char now_ts[DATE_TIMESTAMP_LEN], expires_ts[DATE_TIMESTAMP_LEN];
    double hours;
    if (params_get(req->db, req->district, "auth.account_request_expiry_hours", req->today, &hours, e) < 0)
        return -1;
    int64_t expires = req->now + (int64_t)(hours * 3600);
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    date_format_timestamp(expires, expires_ts, sizeof expires_ts);
    char *text = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        return err_set(e, 500, "oom", "", "内存不足");
    int64_t id = db_query_int(req->db, e, NULL,
                              "INSERT INTO account_request (district_code, kind, target_user_id, login, role, changes, "
                              "password_hash, requested_by, requested_at, expires_at) "
                              "VALUES (?,?,NULLIF(?, 0),?,?,?,?,?,?,?) RETURNING id",
                              "ttittttitt", req->district, kind, target_id, login, role_code(role), text,
                              password_hash, req->user->id, now_ts, expires_ts);
    free(text);
    if (id < 0)
        return -1;
    /* the audit row names no person: the new account's name stays out, as in user.create */
    json_t *audited = json_deep_copy(changes);
    json_object_del(audited, "name");
    json_t *f = json_pack("{s:s, s:s, s:s, s:o, s:s}", "kind", kind, "login", login, "role", role_code(role), "changes",
                          audited, "expires_at", expires_ts);
    int rc = audit_request(req, "account_request.create", "account_request", http_printf(req, "%" PRId64, id), f, e);
    json_decref(f);
    if (rc < 0)
        return -1;
    char what[400], until[DATE_WORDS_LEN], subject[480], body[1024];
    summary(kind, login, role, changes, what, sizeof what);
    date_words_minute(expires, until, sizeof until);
    snprintf(subject, sizeof subject, "特权账号变更待审批：%s", what);
    snprintf(body, sizeof body, "%s（%s）提出申请（第 %" PRId64 " 号）：%s。须由另一名管理员在 %s 前批准，否则自动失效。",
             req->user->name, req->user->login, id, what, until);
    if (tell(req, "account_request.created", id, 0, subject, body, e) < 0)
        return -1;
    return load_request_json(req, id, out, e);
}

int account_requests_check_none_pending(struct db *db, const char *district, int64_t target_id, const char *login,
                                        struct err *e)
{
    int found;
    int64_t id = db_query_int(db, e, &found,
                              "SELECT id FROM account_request WHERE district_code = ? AND state = 'pending' AND "
                              "(target_user_id = ? OR (kind = 'create' AND login = ?))",
                              "tit", district, target_id, login);
    if (id < 0)
        return -1;
    return found ? err_set(e, 409, "request_pending", "id", "账号 %s 已有待审批的变更申请（第 %" PRId64 " 号）", login, id)
                        : 0;
}

/* Expire request id if still pending: state, audit row and messages in one transaction. */
static int expire_one(struct http_req *req, int64_t id, struct err *e)
{
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, e) < 0)
        return -1;
    struct db_stmt *st = db_query(req->db, e,
                                  "UPDATE account_request SET state = 'expired', decided_at = ?, password_hash = NULL "
                                  "WHERE id = ? AND state = 'pending' RETURNING kind, login, role, changes, requested_by",
                                  "ti", now_ts, id);
    int rc = db_first_row(st, e);
    if (rc != 1) {
        if (rc < 0)
            goto fail;
        db_rollback(req->db); /* decided meanwhile */
        return 0;
    }
    char kind[16], login[64], what[400], subject[480], body[600];
    db_scan(st, DB_TEXT(kind), DB_TEXT(login));
    enum role role = role_from_code(db_col_text(st, 2));
    json_t *changes = json_loads(db_col_text(st, 3), 0, NULL);
    int64_t requester = db_col_int64(st, 4);
    db_finalize(st);
    summary(kind, login, role, changes, what, sizeof what);
    json_decref(changes);
    /* nobody did it: the system's row, like the CLI's */
    json_t *f = json_pack("{s:s, s:s}", "login", login, "state", "expired");
    struct audit_entry a = {.district_code = req->district, .at = req->now, .login = "system",
                            .action = "account_request.expire", .target_type = "account_request",
                            .target_id = http_printf(req, "%" PRId64, id), .fields = f, .request_id = req->request_id};
    rc = audit_append(req->db, &a, e);
    json_decref(f);
    snprintf(subject, sizeof subject, "特权账号变更申请已失效：%s", what);
    snprintf(body, sizeof body, "第 %" PRId64 " 号申请（%s）在有效期内无人批准，已自动失效，未作任何变更。", id, what);
    if (rc < 0 || tell(req, "account_request.expired", id, requester, subject, body, e) < 0 || db_commit(req->db, e) < 0)
        goto fail;
    return 0;
fail:
    db_rollback(req->db);
    return -1;
}

int account_requests_expire_due(struct http_req *req, struct err *e)
{
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct db_stmt *st = db_query(req->db, e,
                                  "SELECT id FROM account_request WHERE district_code = ? AND state = 'pending' "
                                  "AND expires_at <= ? ORDER BY id LIMIT 100",
                                  "tt", req->district, now_ts);
    if (!st)
        return -1;
    int64_t ids[100];
    int n = 0, rc;
    while ((rc = db_step(st, e)) == DB_ROW)
        ids[n++] = db_col_int64(st, 0);
    db_finalize(st);
    for (int i = 0; rc >= 0 && i < n; i++)
        rc = expire_one(req, ids[i], e);
    return rc < 0 ? -1 : 0;
}

int account_requests_list(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "account_request.list", &t, &e) < 0)
        return http_reply_err(rep, &e);
    const char *state = http_query(req, "state");
    if (state && strcmp(state, "pending") && strcmp(state, "approved") && strcmp(state, "rejected") &&
        strcmp(state, "expired"))
        return http_reply_error(rep, 422, "bad_state", "state", "状态须为 pending、approved、rejected 或 expired");
    if (account_requests_expire_due(req, &e) < 0)
        return http_reply_err(rep, &e);
    struct http_page page;
    if (http_page_begin(req, &page, &e) < 0)
        return http_reply_err(rep, &e);
    struct db_stmt *st = db_query(req->db, &e,
                                  REQUEST_SELECT "WHERE r.district_code = ? AND (CAST(? AS TEXT) IS NULL OR r.state = ?) "
                                                 "AND (? = 0 OR r.id < ?) ORDER BY r.id DESC LIMIT ?",
                                  "tttiii", req->district, state, state, page.after_id, page.after_id,
                                  (int64_t)(page.limit + 1));
    json_t *rows;
    if (db_rows_json(st, &e, request_json, req->user, &rows) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, rows, "id", NULL)));
}

/* A pending request as the decision needs it. */
struct pending {
    int64_t id, target_id, requester;
    char kind[16], login[64];
    enum role role;
    json_t *changes;
    char password_hash[256];
    struct account_info target; /* kind "update" */
};

/* Read request id for a decision by req->user inside the transaction, refusing what they may not
 * decide. approving: also the rules of approval (not one's own request, no more than one holds). */
static int load_pending(struct http_req *req, int64_t id, int approving, struct pending *p, struct err *e)
{
    memset(p, 0, sizeof *p);
    struct db_stmt *st = db_query(req->db, e,
                                  "SELECT kind, state, target_user_id, login, role, changes, password_hash, requested_by "
                                  "FROM account_request WHERE id = ? AND district_code = ?",
                                  "it", id, req->district);
    int rc = db_first_row(st, e);
    int pending = 0;
    if (rc == 1) {
        p->id = id;
        db_col_copy(st, 0, p->kind, sizeof p->kind);
        pending = strcmp(db_col_text(st, 1), "pending") == 0;
        p->target_id = db_col_is_null(st, 2) ? 0 : db_col_int64(st, 2);
        db_col_copy(st, 3, p->login, sizeof p->login);
        p->role = role_from_code(db_col_text(st, 4));
        p->changes = json_loads(db_col_text(st, 5), 0, NULL);
        db_scan_from(st, 6, DB_TEXT(p->password_hash), DB_I64(&p->requester));
        db_finalize(st);
    }
    if (rc < 0)
        return -1;
    if (rc != 1)
        return err_set(e, 404, "not_found", "id", "未找到该申请");
    if (!p->changes)
        return err_set(e, 500, "bad_request_row", "", "申请内容损坏");
    if (!pending)
        return err_set(e, 409, "not_pending", "id", "该申请已处理或已失效");
    const struct user *me = req->user;
    if (p->target_id) {
        if (users_load(req->db, req->district, p->target_id, &p->target, e) < 0)
            return -1;
        if (p->target_id == me->id)
            return err_set(e, 403, "own_account", "id", "不能审批与本人账号有关的申请");
    }
    if (!approving)
        return 0;
    if (p->requester == me->id)
        return err_set(e, 403, "self_approval", "id", "不能批准本人提出的申请，须由另一名管理员批准");
    if (!authz_may_grant_role(me->role, p->role) || (p->target_id && !authz_may_grant_role(me->role, p->target.role)))
        return err_set(e, 403, "role_above_own", "role", "该申请涉及高于本人角色（%s）的账号，无权批准", role_name(me->role));
    return 0;
}

/* Make the change of an approved request (its rules are checked again on today's data). */
static int apply(struct http_req *req, struct pending *p, struct err *e)
{
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    const json_t *c = p->changes;
    json_t *f = json_deep_copy(c);
    json_object_set_new(f, "request_id", json_integer(p->id));
    int rc;
    if (strcmp(p->kind, "create") == 0) {
        struct new_user u = {.login = p->login, .name = json_string_value(json_object_get(c, "name")), .role = p->role,
                             .town_code = json_string_value(json_object_get(c, "town_code")),
                             .institution_id = json_integer_value(json_object_get(c, "institution_id")),
                             .password_hash = p->password_hash};
        int64_t id = 0;
        rc = users_create(req->db, req->district, &u, now_ts, &id, e);
        if (rc == 0 && db_run(req->db, e, "UPDATE account_request SET target_user_id = ? WHERE id = ?", "ii", id,
                              p->id) < 0)
            rc = -1;
        json_object_del(f, "name");
        if (rc == 0)
            rc = audit_request(req, "user.create", "user", http_printf(req, "%" PRId64, id), f, e);
        p->target_id = id;
    } else {
        json_t *dis = json_object_get(c, "disabled");
        int role_changes = json_object_get(c, "role") != NULL;
        int disabling = json_is_true(dis);
        rc = 0;
        if ((disabling || (role_changes && p->role != ROLE_AUDITOR)) &&
            users_check_not_last_auditor(req->db, req->district, &p->target, e) < 0)
            rc = -1;
        if (rc == 0 && json_is_true(json_object_get(c, "password")))
            rc = users_set_password(req->db, p->target_id, p->password_hash, now_ts, e);
        if (rc == 0 && dis)
            rc = users_set_disabled(req->db, p->target_id, disabling, now_ts, e);
        if (rc == 0 && role_changes)
            rc = users_set_role(req->db, req->district, p->target_id, p->role, json_string_value(json_object_get(c, "town_code")),
                                json_integer_value(json_object_get(c, "institution_id")), now_ts, e);
        if (json_is_true(json_object_get(c, "password")))
            json_object_set_new(f, "password", json_string("******"));
        if (rc == 0)
            rc = audit_request(req, "user.update", "user", http_printf(req, "%" PRId64, p->target_id), f, e);
    }
    json_decref(f);
    return rc;
}

/* approve or reject request {id}: both answer 200 {"request": …} */
static int decide(struct http_req *req, struct http_reply *rep, int approving)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "account_request.decide", &t, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t id = http_param_id(req, "id");
    const char *note = json_string_value(json_object_get(http_body(req), "note"));
    if (account_requests_expire_due(req, &e) < 0)
        return http_reply_err(rep, &e);
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct pending p;
    json_t *out = NULL;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if (load_pending(req, id, approving, &p, &e) < 0)
        goto fail;
    /* the conditional UPDATE claims the request: of two people deciding at once, one wins */
    int64_t claimed = db_run(req->db, &e,
                             "UPDATE account_request SET state = ?, decided_by = ?, decided_at = ?, note = ?, "
                             "password_hash = NULL WHERE id = ? AND state = 'pending'",
                             "titti", approving ? "approved" : "rejected", req->user->id, now_ts,
                             note && note[0] ? note : NULL, id);
    if (claimed < 0)
        goto fail;
    if (!claimed) {
        err_set(&e, 409, "not_pending", "id", "该申请已处理或已失效");
        goto fail;
    }
    if (approving && apply(req, &p, &e) < 0)
        goto fail;
    char what[400], subject[480], body[1024];
    summary(p.kind, p.login, p.role, p.changes, what, sizeof what);
    json_t *f = json_pack("{s:s, s:s, s:s?}", "login", p.login, "state", approving ? "approved" : "rejected", "note", note);
    int rc = audit_request(req, approving ? "account_request.approve" : "account_request.reject", "account_request",
                       http_printf(req, "%" PRId64, id), f, &e);
    json_decref(f);
    snprintf(subject, sizeof subject, "特权账号变更申请已%s：%s", approving ? "批准" : "驳回", what);
    snprintf(body, sizeof body, "%s（%s）%s了第 %" PRId64 " 号申请：%s。%s%s", req->user->name, req->user->login,
             approving ? "批准" : "驳回", id, what, note && note[0] ? "说明：" : "", note ? note : "");
    if (rc < 0 ||
        tell(req, approving ? "account_request.approved" : "account_request.rejected", id,
             p.requester == req->user->id ? 0 : p.requester, subject, body, &e) < 0 ||
        db_commit(req->db, &e) < 0)
        goto fail;
    json_decref(p.changes);
    if (approving)
        auth_sessions_changed(req->app);
    if (load_request_json(req, id, &out, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:o}", "request", out));
fail:
    db_rollback(req->db);
    json_decref(p.changes);
    return http_reply_err(rep, &e);
}

int account_requests_approve(struct http_req *req, struct http_reply *rep) { return decide(req, rep, 1); }
int account_requests_reject(struct http_req *req, struct http_reply *rep) { return decide(req, rep, 0); }

#include "auth/requests.schemas.inc"
