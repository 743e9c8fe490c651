/* api.c — routes of the staff registry: an institution's staff (list, add), one person (read,
 * update), the certificates expiring or lapsed across the caller's jurisdiction, and the
 * findings of every institution in it. Operators manage their own institution's people; the town
 * and the district read, masked unless they ask for full names and the policy lets them
 * (staff.read.personal); every read of a roster or a person is written to the audit log. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "audit/export.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/parse.h"
#include "registry/api.h"
#include "registry/store.h"
#include "staff/api.h"
#include "staff/store.h"

/* Does the caller ask for full names (?full=1), and may they see them here? */
static int full_names(struct http_req *req, const char *town, int64_t institution_id)
{
    const char *q = http_query(req, "full");
    if (!q || strcmp(q, "1"))
        return 0;
    struct authz_target t = {.town_code = town, .institution_id = institution_id};
    return authz_allows(req, "staff.read.personal", &t);
}

/* Audit a read of personal data: a person or a roster of n. */
static int audit_read(struct http_req *req, const char *action, const char *target_type, const char *target_id,
                      int full, int n, struct err *e)
{
    json_t *f = json_pack("{s:b, s:i}", "full_name", full, "count", n);
    int rc = audit_staff_read(req, action, target_type, target_id, f, e);
    json_decref(f);
    return rc;
}

/* The person of the path, with the action checked on their institution. */
static struct staff *load_staff(struct http_req *req, const char *action, struct err *e)
{
    struct staff *s = http_alloc(req, sizeof *s);
    if (staff_load(req->db, &req->app->key, req->district, http_param_id(req, "id"), s, e) < 0)
        return NULL;
    struct authz_target t = {.town_code = s->town_code, .institution_id = s->institution_id};
    return authz_require(req, action, &t, e) < 0 ? NULL : s;
}

static int list_staff(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "staff.list", &e);
    if (!in)
        return http_reply_err(rep, &e);
    int full = full_names(req, in->town_code, in->id);
    struct staff_filter f = {.institution_id = in->id};
    struct staff *list;
    int n;
    if (staff_roster(req->db, full ? &req->app->key : NULL, req->district, &f, &list, &n, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = staff_to_json(&list[i], full);
        json_object_set_new(o, "on_duty", json_boolean(staff_on_duty(&list[i], req->today)));
        json_array_append_new(items, o);
    }
    free(list);
    if (n && audit_read(req, "staff.list", "institution", http_printf(req, "%" PRId64, in->id), full, n, &e) < 0) {
        json_decref(items);
        return http_reply_err(rep, &e);
    }
    return http_reply_json(rep, 200, json_pack("{s:s, s:o}", "as_of", req->today, "items", items));
}

/* GET /api/v1/institutions/{id}/staff-summary: the staffing behind the findings, no names. */
static int staff_summary(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "institution.findings", &e);
    if (!in)
        return http_reply_err(rep, &e);
    struct staff_rules rules;
    struct staff_filter f = {.institution_id = in->id};
    struct staff *list;
    int n;
    if (staff_rules_from_params(req->db, req->district, req->today, &rules, &e) < 0 ||
        staff_roster(req->db, NULL, req->district, &f, &list, &n, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o = staff_summary_json(in, list, n, &rules, req->today);
    free(list);
    return http_reply_json(rep, 200, o);
}

/* Write s (new when s->id is 0; before: the record it replaces) with its audit row and the
 * operators' certificate reminders in one transaction, and reply. */
static int save(struct http_req *req, struct http_reply *rep, const struct staff *before, struct staff *s,
                const struct staff_rules *rules, int status)
{
    struct err e = {0};
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    int creating = s->id == 0;
    if (db_begin(req->db, &e) < 0)
        return http_reply_err(rep, &e);
    if ((creating ? staff_insert : staff_update)(req->db, &req->app->key, req->district, s, now_ts, &e) < 0 ||
        staff_post_reminders(req->db, req->district, before, s, rules, req->today, now_ts, &e) < 0)
        goto fail;
    json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "name", s->name_masked, "id_number", s->id_masked, "role",
                          staff_role_code(s->role), "employment", s->employment, "classes", s->nclasses,
                          "certificates", s->ncerts);
    if (audit_write_commit(req, creating ? "staff.create" : "staff.update", "staff", s->id, f, &e) < 0)
        return http_reply_err(rep, &e);
    /* the caller just wrote the name: the reply shows it as sent */
    json_t *o = staff_to_json(s, 1);
    json_object_set_new(o, "on_duty", json_boolean(staff_on_duty(s, req->today)));
    return http_reply_json(rep, status, o);
fail:
    return http_reply_rollback(req, rep, &e);
}

static int create_staff(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "staff.manage", &e);
    if (!in)
        return http_reply_err(rep, &e);
    struct staff_rules rules;
    struct staff *s = http_alloc(req, sizeof *s);
    memset(s, 0, sizeof *s);
    s->institution_id = in->id;
    if (staff_rules_from_params(req->db, req->district, req->today, &rules, &e) < 0 ||
        staff_from_json(http_body(req), &rules, req->today, 1, s, &e) < 0)
        return http_reply_err(rep, &e);
    snprintf(s->institution_name, sizeof s->institution_name, "%s", in->name);
    return save(req, rep, NULL, s, &rules, 201);
}

static int get_staff(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct staff *s = load_staff(req, "staff.read", &e);
    if (!s)
        return http_reply_err(rep, &e);
    int full = full_names(req, s->town_code, s->institution_id);
    if (audit_read(req, "staff.read", "staff", http_printf(req, "%" PRId64, s->id), full, 1, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *o = staff_to_json(s, full);
    json_object_set_new(o, "on_duty", json_boolean(staff_on_duty(s, req->today)));
    return http_reply_json(rep, 200, o);
}

static int update_staff(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct staff *s = load_staff(req, "staff.manage", &e);
    if (!s)
        return http_reply_err(rep, &e);
    struct staff_rules rules;
    struct staff *before = http_alloc(req, sizeof *before);
    *before = *s;
    if (staff_rules_from_params(req->db, req->district, req->today, &rules, &e) < 0 ||
        staff_from_json(http_body(req), &rules, req->today, 0, s, &e) < 0)
        return http_reply_err(rep, &e);
    return save(req, rep, before, s, &rules, 200);
}

/* ?days=N (1–366) overrides the warning horizon of the parameter staff.cert_expiry_warning_days. */
static int expiring(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct staff_rules rules;
    if (authz_scope(req, "staff.expiring", "i.town_code", "s.institution_id", NULL, &scope, &e) < 0 ||
        staff_rules_from_params(req->db, req->district, req->today, &rules, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t days = rules.warning_days, limit = 1000;
    const char *q;
    if ((q = http_query(req, "days")) && (parse_int64(q, &days) < 0 || days < 0 || days > 366))
        return http_reply_error(rep, 400, "bad_days", "days", "days 应为 0–366 的整数");
    if ((q = http_query(req, "limit")) && (parse_int64(q, &limit) < 0 || limit < 1 || limit > 5000))
        return http_reply_error(rep, 400, "bad_limit", "limit", "limit 应为 1–5000 的整数");
    char until[DATE_DAY_LEN];
    date_add_days(req->today, days, until);
    json_t *rows;
    if (staff_expiring(req->db, req->district, &scope, req->today, until, (int)limit, &rows, &e) < 0)
        return http_reply_err(rep, &e);
    return http_reply_json(rep, 200, json_pack("{s:s, s:s, s:o}", "as_of", req->today, "until", until, "items", rows));
}

/* ---- import: all or nothing ---- */

static json_t *row_error(int line, const char *column, const char *value, const struct err *e)
{
    json_t *text = json_string(value ? value : "");
    if (!text)
        value = "（不是 UTF-8 文字）";
    json_decref(text);
    return json_pack("{s:i, s:s, s:s, s:s, s:s}", "row", line, "field", column, "value", value ? value : "", "code",
                     e->code, "reason", e->message);
}

/* POST /api/v1/institutions/{id}/staff/import: a CSV or .xlsx file of the template's columns.
 * Every row is checked first; any error answers 422 with all of them and nothing is written.
 * Then every person is written in one transaction (a person full time elsewhere, or already
 * here, refuses the whole file, naming the row), with one audit row. */
static int import_staff(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct institution *in = registry_load_for(req, "staff.manage", &e);
    if (!in)
        return http_reply_err(rep, &e);
    struct staff_rules rules;
    struct sheet_table t;
    if (staff_rules_from_params(req->db, req->district, req->today, &rules, &e) < 0)
        return http_reply_err(rep, &e);
    if (staff_import_file(req->body, req->body_len, &t, &e) < 0) {
        sheet_table_free(&t);
        return http_reply_err(rep, &e);
    }
    struct staff *people = calloc((size_t)t.nrows + 1, sizeof *people);
    int *first_line = calloc((size_t)t.nrows + 1, sizeof *first_line);
    json_t *errors = json_array();
    int n = 0;
    for (int r = 0; people && first_line && r < t.nrows; r++) {
        struct staff *p = &people[n];
        int col = 0;
        p->institution_id = in->id;
        /* a row repeating an earlier row's ID number takes that row's person columns left blank */
        for (int k = 0; k < r; k++)
            if (staff_import_same_person((const char *const *)t.cells[k], (const char *const *)t.cells[r])) {
                staff_import_fill(t.cells[k], t.cells[r]);
                break;
            }
        if (staff_import_row((const char *const *)t.cells[r], in, &rules, req->today, p, &col, &e) < 0) {
            json_array_append_new(errors, row_error(t.line[r], staff_import_heading(col), t.cells[r][col], &e));
            continue;
        }
        /* a repeated ID number adds its certificate to the person of the earlier row */
        int same = -1;
        for (int k = 0; k < n && same < 0; k++)
            if (strcmp(people[k].id_number, p->id_number) == 0)
                same = k;
        if (same < 0) {
            first_line[n++] = t.line[r];
            continue;
        }
        if (staff_import_merge(&people[same], p, &e) < 0)
            json_array_append_new(errors, row_error(t.line[r], staff_import_heading(STAFF_COL_KIND),
                                                    t.cells[r][STAFF_COL_KIND], &e));
        memset(p, 0, sizeof *p);
    }
    if (!people || !first_line) {
        err_set(&e, 500, "oom", "", "内存不足");
        goto fail_nodb;
    }
    if (t.nrows == 0)
        json_array_append_new(errors, row_error(1, "姓名", "", &(struct err){.code = "empty", .message = "文件中没有人员"}));
    if (json_array_size(errors)) {
        sheet_table_free(&t);
        free(people), free(first_line);
        return http_reply_import_rows(rep, errors, "人员");
    }
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    if (db_begin(req->db, &e) < 0)
        goto fail_nodb;
    for (int k = 0; k < n; k++) {
        snprintf(people[k].institution_name, sizeof people[k].institution_name, "%s", in->name);
        if (staff_insert(req->db, &req->app->key, req->district, &people[k], now_ts, &e) < 0 ||
            staff_post_reminders(req->db, req->district, NULL, &people[k], &rules, req->today, now_ts, &e) < 0) {
            db_rollback(req->db);
            if (e.status >= 500)
                goto fail_nodb;
            json_array_append_new(errors, row_error(first_line[k], "身份证号", people[k].id_masked, &e));
            sheet_table_free(&t);
            free(people), free(first_line);
            return http_reply_import_rows(rep, errors, "人员");
        }
    }
    json_t *f = json_pack("{s:i, s:i}", "rows", t.nrows, "count", n);
    int rc = audit_request(req, "staff.import", "institution", http_printf(req, "%" PRId64, in->id), f, &e);
    json_decref(f);
    if (rc < 0 || db_commit(req->db, &e) < 0) {
        db_rollback(req->db);
        goto fail_nodb;
    }
    json_t *items = json_array();
    for (int k = 0; k < n; k++)
        json_array_append_new(items, staff_to_json(&people[k], 1));
    sheet_table_free(&t);
    free(people), free(first_line);
    json_decref(errors);
    return http_reply_json(rep, 201, json_pack("{s:i, s:o}", "imported", n, "items", items));
fail_nodb:
    sheet_table_free(&t);
    free(people), free(first_line);
    json_decref(errors);
    return http_reply_err(rep, &e);
}

/* GET /api/v1/staff/import-template: the import template (staff_import_template). */
static int import_template(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {.institution_id = req->user->institution_id, .town_code = req->user->town_code};
    if (authz_require(req, "staff.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    double widths[STAFF_IMPORT_COLS];
    const char *head[STAFF_IMPORT_COLS];
    for (int c = 0; c < STAFF_IMPORT_COLS; c++) {
        widths[c] = c == 1 ? 22 : c == 12 ? 28 : 14;
        head[c] = staff_import_heading((enum staff_import_col)c);
    }
    const struct audit_xlsx x = {"工作人员导入模板", head, widths, STAFF_IMPORT_COLS, staff_import_template, NULL,
                                 NULL, NULL, NULL, "staff-template", "工作人员导入模板"};
    return audit_reply_xlsx(req, rep, &x);
}

/* ---- export: a real .xlsx of the staff in reach ---- */

/* The certificates of s in words: "保育师 四级 BYS-1（温州市人社局，2024-06-30 至 2029-06-29）；…". */
static void certificates_words(const struct staff *s, char *out, size_t n)
{
    static const char *const GRADES[] = {"", "一级", "二级", "三级", "四级", "五级"};
    size_t used = 0;
    out[0] = 0;
    for (int i = 0; i < s->ncerts && used < n; i++) {
        const struct staff_cert *c = &s->certs[i];
        const char *kind = staff_cert_kind_name(c->kind);
        int w = snprintf(out + used, n - used, "%s%s%s%s %s（%s，%s 至 %s）", used ? "；" : "", kind ? kind : c->kind,
                         c->grade ? " " : "", c->grade > 0 && c->grade <= 5 ? GRADES[c->grade] : "", c->number,
                         c->issuer, c->issue_date, c->expiry_date[0] ? c->expiry_date : "长期");
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

static const char *const EXPORT_HEAD[] = {"编号", "机构", "姓名", "身份证号（打码）", "岗位", "用工形式", "入职日期",
                                          "离职日期", "所带班级编号", "健康证明日期", "健康证明有效期至",
                                          "无犯罪记录证明日期", "资格证书", "今日在岗"};
static const double EXPORT_WIDTH[] = {8, 30, 12, 22, 10, 10, 12, 12, 14, 14, 16, 18, 70, 10};
#define EXPORT_COLS (int)(sizeof EXPORT_HEAD / sizeof *EXPORT_HEAD)

/* The staff of an export: n of them, names in full where full[i]. */
struct staff_rows {
    const struct staff *list;
    int n;
    const unsigned char *full;
    const char *today;
};

static int write_staff_rows(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    const struct staff_rows *r = ctx;
    int rc = 0;
    for (int i = 0; rc == 0 && i < r->n; i++) {
        const struct staff *s = &r->list[i];
        char classes[STAFF_MAX_CLASSES * 21] = "", certs[2048];
        for (int k = 0; k < s->nclasses; k++)
            snprintf(classes + strlen(classes), sizeof classes - strlen(classes), "%s%" PRId64, k ? "、" : "",
                     s->class_ids[k]);
        certificates_words(s, certs, sizeof certs);
        const char *cells[] = {s->institution_name, r->full[i] && s->name[0] ? s->name : s->name_masked, s->id_masked,
                               staff_role_name(s->role), strcmp(s->employment, "full_time") ? "兼职" : "全职",
                               s->start_date, s->end_date, classes, s->health_cert_date, s->health_cert_expiry,
                               s->no_crime_cert_date, certs, staff_on_duty(s, r->today) ? "是" : "否"};
        xlsx_next_row(x);
        rc = xlsx_number(x, 0, (double)s->id, e);
        for (int c = 0; rc == 0 && c < (int)(sizeof cells / sizeof *cells); c++)
            rc = xlsx_text(x, c + 1, cells[c], e);
    }
    return rc;
}

/* The post-subsidy rows of one month: the caregivers of list employed in it. */
struct post_rows {
    const struct staff *list;
    int n;
    const char *month;
};

static int write_post_rows(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    static const char *const GRADES[] = {"无", "一级", "二级", "三级", "四级", "五级"};
    const struct post_rows *r = ctx;
    int rc = 0;
    for (int i = 0; rc == 0 && i < r->n; i++) {
        struct staff_post_month pm;
        const struct staff *s = &r->list[i];
        if (!staff_post_month(s, r->month, &pm))
            continue;
        xlsx_next_row(x);
        const char *kind = pm.kind ? staff_cert_kind_name(pm.kind) : "";
        rc = xlsx_text(x, 0, r->month, e);
        rc = rc ? rc : xlsx_number(x, 1, (double)s->institution_id, e);
        rc = rc ? rc : xlsx_text(x, 2, s->institution_name, e);
        rc = rc ? rc : xlsx_number(x, 3, (double)s->id, e);
        rc = rc ? rc : xlsx_text(x, 4, s->name_masked, e);
        rc = rc ? rc : xlsx_text(x, 5, strcmp(s->employment, "full_time") ? "兼职" : "全职", e);
        rc = rc ? rc : xlsx_text(x, 6, kind, e);
        rc = rc ? rc : xlsx_text(x, 7, GRADES[pm.grade], e);
        rc = rc ? rc : xlsx_number(x, 8, pm.days, e);
        rc = rc ? rc : xlsx_number(x, 9, pm.months, e);
    }
    return rc;
}

/* GET /api/v1/staff/post-subsidy?month=YYYY-MM: the post-subsidy inputs of the caregivers in
 * reach for one month (staff_post_month) as .xlsx, names masked, with the staff id the funds
 * issue keys on; audited. */
static int export_post_subsidy(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct staff_filter f = {.scope = &scope};
    char month[8];
    const char *q = http_query(req, "month");
    int y, m;
    char tail;
    snprintf(month, sizeof month, "%.7s", q ? q : req->today);
    if (authz_scope(req, "staff.export", "i.town_code", "s.institution_id", NULL, &scope, &e) < 0)
        return http_reply_err(rep, &e);
    if (strlen(q ? q : month) != 7 || sscanf(month, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12)
        return http_reply_error(rep, 400, "bad_month", "month", "month 应为 YYYY-MM");
    struct staff *list;
    int n;
    if (staff_roster(req->db, NULL, req->district, &f, &list, &n, &e) < 0)
        return http_reply_err(rep, &e);
    static const char *const HEAD[] = {"月份", "机构编号", "机构", "员工编号", "姓名（打码）", "用工形式", "资格证书",
                                       "技能等级", "本月在岗天数", "累计任职月数"};
    static const double WIDTH[] = {10, 10, 30, 10, 12, 10, 12, 10, 14, 14};
    struct post_rows rows = {list, n, month};
    json_t *fields = json_pack("{s:s}", "month", month);
    const struct audit_xlsx x = {"岗位补贴测算", HEAD, WIDTH, (int)(sizeof HEAD / sizeof *HEAD), write_post_rows, &rows,
                                 "staff.post_subsidy", "staff", fields, http_printf(req, "post-subsidy-%s", month), NULL};
    int rc = audit_reply_xlsx(req, rep, &x);
    json_decref(fields);
    free(list);
    return rc;
}

/* GET /api/v1/staff/export[?institution_id=N][&full=1]: the staff in the caller's reach (or of
 * one institution) as .xlsx, names masked unless asked for and allowed row by row; audited. */
static int export_staff(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    struct staff_filter f = {.scope = &scope};
    if (authz_scope(req, "staff.export", "i.town_code", "s.institution_id", NULL, &scope, &e) < 0 ||
        http_query_id(req, "institution_id", "机构编号", &f.institution_id, &e) < 0)
        return http_reply_err(rep, &e);
    const char *fq = http_query(req, "full");
    int want_full = fq && strcmp(fq, "1") == 0;
    struct staff *list;
    int n;
    if (staff_roster(req->db, want_full ? &req->app->key : NULL, req->district, &f, &list, &n, &e) < 0)
        return http_reply_err(rep, &e);
    unsigned char *full = http_alloc(req, (size_t)n + 1);
    int shown_full = 0;
    for (int i = 0; i < n; i++) {
        struct authz_target t = {.town_code = list[i].town_code, .institution_id = list[i].institution_id};
        full[i] = want_full && authz_allows(req, "staff.read.personal", &t);
        shown_full += full[i];
    }
    json_t *fields = json_pack("{s:i}", "full_name", shown_full);
    if (f.institution_id)
        json_object_set_new(fields, "institution_id", json_integer(f.institution_id));
    struct staff_rows rows = {list, n, full, req->today};
    const struct audit_xlsx x = {"工作人员", EXPORT_HEAD, EXPORT_WIDTH, EXPORT_COLS, write_staff_rows, &rows,
                                 "staff.export", "staff", fields, http_printf(req, "staff-%s", req->today),
                                 http_printf(req, "工作人员-%s", req->today)};
    int rc = audit_reply_xlsx(req, rep, &x);
    json_decref(fields);
    free(list);
    return rc;
}

#include "staff/api.schemas.inc"

#define PERSONAL HTTP_SUBACTIONS("staff.read.personal")

const struct route staff_routes[] = {
    {"GET", "/api/v1/institutions/{id}/staff", "staff.list", list_staff, NULL, &STAFF_LIST, 0, PERSONAL},
    {"POST", "/api/v1/institutions/{id}/staff", "staff.manage", create_staff, &staff_schema, &STAFF, 201},
    {"GET", "/api/v1/institutions/{id}/staff-summary", "institution.findings", staff_summary, NULL, &SUMMARY},
    {"POST", "/api/v1/institutions/{id}/staff/import", "staff.manage", import_staff, &IMPORT_FILE, &IMPORTED, 201},
    {"GET", "/api/v1/staff/expiring", "staff.expiring", expiring, NULL, &EXPIRING},
    {"GET", "/api/v1/staff/export", "staff.export", export_staff, NULL, &WORKBOOK, 0, PERSONAL},
    {"GET", "/api/v1/staff/import-template", "staff.manage", import_template, NULL, &TEMPLATE},
    {"GET", "/api/v1/staff/post-subsidy", "staff.export", export_post_subsidy, NULL, &POST_SUBSIDY},
    {"GET", "/api/v1/staff/{id}", "staff.read", get_staff, NULL, &STAFF, 0, PERSONAL},
    {"PUT", "/api/v1/staff/{id}", "staff.manage", update_staff, &staff_schema, &STAFF},
    {NULL, NULL, NULL, NULL},
};
