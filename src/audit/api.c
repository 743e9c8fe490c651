/* api.c — the audit log for the auditor: GET /api/v1/audit (newest first, paged, filtered by
 * account, action, target and business days), GET /api/v1/audit/export (the same rows as an
 * .xlsx workbook in Chinese, written with libxlsxwriter; the export itself is audited), and
 * GET /api/v1/audit/verify (the check `tuoyu audit verify` runs). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/api.h"
#include "audit/audit.h"
#include "audit/export.h"
#include "auth/auth.h"
#include "base/date.h"
#include "http/http.h"

/* The longest filter value accepted (an account, action, target type or id). */
#define FILTER_MAX 100

/* The filter from the query: login, action, target_type, target_id, from, to (YYYY-MM-DD,
 * business days, both included). 0, or -1 with e (422 naming the parameter). */
static int read_filter(struct http_req *req, struct audit_filter *f, struct err *e)
{
    *f = (struct audit_filter){http_query(req, "login"),       http_query(req, "action"),
                               http_query(req, "target_type"), http_query(req, "target_id"),
                               http_query(req, "from"),        http_query(req, "to")};
    const char *names[] = {"login", "action", "target_type", "target_id"};
    const char *values[] = {f->login, f->action, f->target_type, f->target_id};
    for (int i = 0; i < 4; i++)
        if (values[i] && strlen(values[i]) > FILTER_MAX)
            return err_set(e, 422, "too_long", names[i], "查询条件过长（最多 %d 字节）", FILTER_MAX);
    struct date_ymd d;
    const char *days[] = {f->from_day, f->to_day}, *day_names[] = {"from", "to"};
    for (int i = 0; i < 2; i++)
        if (days[i] && days[i][0] && date_parse(days[i], &d, e) < 0) {
            snprintf(e->field, sizeof e->field, "%s", day_names[i]);
            return -1;
        }
    if (f->from_day && f->from_day[0] && f->to_day && f->to_day[0] && strcmp(f->from_day, f->to_day) > 0) {
        char a[DATE_WORDS_LEN], b[DATE_WORDS_LEN];
        return err_set(e, 422, "bad_range", "to", "截止日期（%s）早于起始日期（%s）", date_words(f->to_day, b, sizeof b),
                       date_words(f->from_day, a, sizeof a));
    }
    return 0;
}

static int list_audit(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "audit.read", &t, &e) < 0)
        return http_reply_err(rep, &e);
    struct http_page page;
    struct audit_filter f;
    if (http_page_begin(req, &page, &e) < 0 || read_filter(req, &f, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *all;
    if (audit_list_json(req->db, req->district, &f, page.after_id, page.limit + 1, &all, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, http_page_reply(req, &page, http_page_rows(req, &page, all, "id", NULL)));
}

/* ---- the .xlsx export ---- */

/* A value of a row's fields as people read it. */
static void value_words(const json_t *v, char *out, size_t n)
{
    if (json_is_string(v))
        date_words(json_string_value(v), out, n);
    else if (json_is_true(v))
        snprintf(out, n, "是");
    else if (json_is_false(v))
        snprintf(out, n, "否");
    else if (json_is_null(v))
        snprintf(out, n, "（空）");
    else {
        char *s = json_dumps(v, JSON_COMPACT);
        snprintf(out, n, "%s", s ? s : "");
        free(s);
    }
}

/* The row's fields as "名称：值；…" (a member without a Chinese name keeps its code); a change
 * that records its previous value reads "值：原 → 新". */
static void fields_words(const json_t *fields, char *out, size_t n)
{
    size_t used = 0;
    const char *key;
    json_t *v, *prev = json_object_get(fields, "previous"), *now = json_object_get(fields, "value");
    out[0] = 0;
    if (prev && now) {
        char a[512], b[512];
        value_words(prev, a, sizeof a);
        value_words(now, b, sizeof b);
        int w = snprintf(out, n, "值：%s → %s", a, b);
        used = w > 0 && (size_t)w < n ? (size_t)w : 0;
    }
    json_object_foreach((json_t *)fields, key, v)
    {
        if (prev && now && (strcmp(key, "previous") == 0 || strcmp(key, "value") == 0))
            continue;
        char value[512];
        const char *name = audit_field_name(key);
        value_words(v, value, sizeof value);
        int w = snprintf(out + used, n - used, "%s%s：%s", used ? "；" : "", name ? name : key, value);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

static int write_row(json_t *r, void *ctx, struct err *e)
{
    struct xlsx_sheet *s = ctx;
    const char *action = json_string_value(json_object_get(r, "action"));
    const char *type = json_string_value(json_object_get(r, "target_type"));
    const char *action_name = audit_action_name(action), *type_name = audit_target_name(type);
    char at[DATE_WORDS_LEN], fields[4096];
    int64_t t = 0;
    date_parse_timestamp(json_string_value(json_object_get(r, "at")), &t);
    date_words_time(t, at, sizeof at);
    fields_words(json_object_get(r, "fields"), fields, sizeof fields);
    const char *login = json_string_value(json_object_get(r, "login"));
    const char *cells[] = {at,
                           login && login[0] ? login : "系统",
                           action_name ? action_name : action,
                           action,
                           type_name ? type_name : type,
                           json_string_value(json_object_get(r, "target_id")),
                           fields,
                           json_string_value(json_object_get(r, "request_id")),
                           json_string_value(json_object_get(r, "hash"))};
    xlsx_next_row(s);
    if (xlsx_number(s, 0, (double)json_integer_value(json_object_get(r, "id")), e) < 0)
        return -1;
    for (int c = 0; c < (int)(sizeof cells / sizeof *cells); c++)
        if (xlsx_text(s, c + 1, cells[c], e) < 0)
            return -1;
    return 0;
}

/* The rows matching the filter, below the heading. */
struct audit_rows {
    struct http_req *req;
    const struct audit_filter *filter;
};

static int write_rows(struct xlsx_sheet *s, void *ctx, struct err *e)
{
    const struct audit_rows *a = ctx;
    return audit_each(a->req->db, a->req->district, a->filter, 0, INT64_MAX, write_row, s, e);
}

static int export_audit(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    struct audit_filter f;
    if (authz_require(req, "audit.export", &t, &e) < 0 || read_filter(req, &f, &e) < 0)
        return http_reply_err(rep, &e);
    static const char *const HEAD[] = {"序号", "时间（北京时间）", "操作账号", "动作", "动作代码",
                                       "对象类型", "对象编号", "变更内容", "请求编号", "本条哈希"};
    static const double WIDTH[] = {8, 22, 18, 20, 22, 14, 12, 60, 20, 66};
    json_t *fj = json_object();
    const char *keys[] = {"login", "action", "target_type", "target_id", "from", "to"};
    const char *values[] = {f.login, f.action, f.target_type, f.target_id, f.from_day, f.to_day};
    for (int i = 0; i < 6; i++)
        if (values[i] && values[i][0])
            json_object_set_new(fj, keys[i], json_string(values[i]));
    char day[DATE_DAY_LEN];
    date_format_day(req->now, day, sizeof day);
    struct audit_rows rows = {req, &f};
    const struct audit_xlsx x = {"审计日志", HEAD, WIDTH, (int)(sizeof HEAD / sizeof *HEAD), write_rows, &rows,
                                 "audit.export", "audit_log", fj, http_printf(req, "audit-%s", day),
                                 http_printf(req, "审计日志-%s", day)};
    int rc = audit_reply_xlsx(req, rep, &x);
    json_decref(fj);
    return rc;
}

static int verify_audit(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "audit.read", &t, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t bad = 0, rows = 0;
    int rc = audit_verify(req->db, req->district, &bad, &rows, &e);
    if (rc < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:b, s:I, s:o}", "intact", rc == 0, "rows", (json_int_t)rows,
                                               "first_bad_id", rc ? json_integer(bad) : json_null()));
}

#include "audit/api.schemas.inc"

const struct route audit_routes[] = {
    {"GET", "/api/v1/audit", "audit.read", list_audit, NULL, &ENTRY_PAGE},
    {"GET", "/api/v1/audit/export", "audit.export", export_audit, NULL, &WORKBOOK},
    {"GET", "/api/v1/audit/verify", "audit.read", verify_audit, NULL, &VERIFY},
    {NULL, NULL, NULL, NULL},
};
