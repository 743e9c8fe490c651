/* import_api.c — the institutions import in the console (issue 21 items 1–3; registry/import.h):
 * POST /api/v1/institutions/import takes the file (multipart, streamed to a temporary file: a
 * town's workbook is larger than a request body), checks every row and, with
 * ?dry_run=1, answers what would be imported (the console's preview) or else writes every
 * institution in one transaction with one audit row; any error answers 422 import_rows with every
 * row at fault and writes nothing. GET /api/v1/institutions/import-template is the .xlsx to fill;
 * GET /api/v1/institutions/export is the district's registry in the same form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "audit/export.h"
#include "auth/auth.h"
#include "base/date.h"
#include "materials/table.h"
#include "registry/api.h"
#include "registry/import.h"
#include "registry/store.h"

/* Before the file's bytes: who may import, and how large a file is taken. */
static int import_begin(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "institution.create", &t, &e) < 0)
        return http_reply_err(rep, &e);
    http_upload_limit(req, REGISTRY_IMPORT_MAX_BYTES);
    return 0;
}

/* The uploaded file as the import's table (materials/table.h). */
static int read_upload(struct http_req *req, struct sheet_table *table, struct err *e)
{
    return materials_upload_table(req, registry_import_columns, REGISTRY_IMPORT_COLS, REGISTRY_IMPORT_MAX_ROWS, table, e);
}

static int import_institutions(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "institution.create", &t, &e) < 0)
        return http_reply_err(rep, &e);
    const char *dry = http_query(req, "dry_run");
    int dry_run = dry && strcmp(dry, "1") == 0;
    struct sheet_table table;
    if (read_upload(req, &table, &e) < 0) {
        sheet_table_free(&table);
        return http_reply_err(rep, &e);
    }
    char now_ts[DATE_TIMESTAMP_LEN];
    date_format_timestamp(req->now, now_ts, sizeof now_ts);
    struct registry_rules rules;
    json_t *towns = NULL, *errors = json_array(), *created = json_array();
    int rc = registry_rules_from_params(req->db, req->district, req->today, &rules, NULL, &e) < 0 ||
                     registry_towns(req->db, req->district, &towns, &e) < 0 || db_begin(req->db, &e) < 0 ||
                     registry_import(req->db, req->district, &rules, towns, &table, req->today, now_ts,
                                     dry_run, errors, created, &e) < 0
                 ? -1
                 : 0;
    sheet_table_free(&table);
    json_decref(towns);
    if (rc == 0 && json_array_size(errors)) {
        db_rollback(req->db);
        json_decref(created);
        return http_reply_import_rows(rep, errors, "机构");
    }
    json_decref(errors);
    if (rc == 0 && dry_run) {
        db_rollback(req->db);
        return http_reply_json(rep, 200, json_pack("{s:b, s:i, s:o}", "dry_run", 1, "count",
                                                   (int)json_array_size(created), "items", created));
    }
    json_t *fields = json_pack("{s:i}", "rows", (int)json_array_size(created));
    if (rc == 0 && audit_request_commit(req, "institution.import", "institution", NULL, fields, &e) < 0)
        rc = -1;
    json_decref(fields);
    if (rc < 0) {
        json_decref(created);
        return http_reply_rollback(req, rep, &e);
    }
    return http_reply_json(rep, 201, json_pack("{s:b, s:i, s:o}", "dry_run", 0, "count", (int)json_array_size(created),
                                               "items", created));
}

/* POST /api/v1/institutions/import-report: the same file checked (nothing written) and sent back
 * as a workbook with the cells at fault marked and each row's faults beside it. */
static int import_report(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "institution.create", &t, &e) < 0)
        return http_reply_err(rep, &e);
    struct sheet_table table;
    if (read_upload(req, &table, &e) < 0) {
        sheet_table_free(&table);
        return http_reply_err(rep, &e);
    }
    struct registry_rules rules;
    json_t *towns = NULL, *errors = json_array(), *created = json_array();
    int rc = registry_rules_from_params(req->db, req->district, req->today, &rules, NULL, &e) < 0 ||
                     registry_towns(req->db, req->district, &towns, &e) < 0 ||
                     registry_import(req->db, req->district, &rules, towns, &table, req->today, "", 1,
                                     errors, created, &e) < 0
                 ? -1
                 : 0;
    if (rc == 0) {
        const char *heads[REGISTRY_IMPORT_COLS + 1];
        double widths[REGISTRY_IMPORT_COLS + 1];
        registry_import_heads(heads, widths);
        heads[REGISTRY_IMPORT_COLS] = "错误说明";
        widths[REGISTRY_IMPORT_COLS] = 80;
        struct registry_report report = {&table, errors};
        const struct audit_xlsx x = {"导入检查结果", heads, widths, REGISTRY_IMPORT_COLS + 1, registry_import_report,
                                     &report, NULL, NULL, NULL, "import-report", "导入检查结果"};
        rc = audit_reply_xlsx(req, rep, &x);
    } else {
        rc = http_reply_err(rep, &e);
    }
    json_decref(towns);
    json_decref(errors);
    json_decref(created);
    sheet_table_free(&table);
    return rc;
}

static int import_template(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "institution.create", &t, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *towns;
    if (registry_towns(req->db, req->district, &towns, &e) < 0)
        return http_reply_err(rep, &e);
    const char *heads[REGISTRY_IMPORT_COLS];
    double widths[REGISTRY_IMPORT_COLS];
    registry_import_heads(heads, widths);
    const struct audit_xlsx x = {"托育机构导入模板", heads, widths, REGISTRY_IMPORT_COLS, registry_import_example, towns,
                                 NULL, NULL, NULL, "institutions-template", "托育机构导入模板"};
    int rc = audit_reply_xlsx(req, rep, &x);
    json_decref(towns);
    return rc;
}

/* GET /api/v1/institutions/export: every institution of the district in the template's form, so
 * the file imports back as it is (registry_export_rows); audited with the count. */
static int export_institutions(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "institution.export", &t, &e) < 0)
        return http_reply_err(rep, &e);
    json_t *towns = NULL;
    if (registry_towns(req->db, req->district, &towns, &e) < 0)
        return http_reply_err(rep, &e);
    struct registry_export ex = {req->db, req->district, towns, req->today};
    const char *heads[REGISTRY_IMPORT_COLS];
    double widths[REGISTRY_IMPORT_COLS];
    registry_import_heads(heads, widths);
    json_t *fields = json_object();
    const struct audit_xlsx x = {"托育机构", heads, widths, REGISTRY_IMPORT_COLS, registry_export_rows, &ex,
                                 "institution.export", "institution", fields,
                                 http_printf(req, "institutions-%s", req->today),
                                 http_printf(req, "托育机构名录-%s", req->today)};
    int rc = audit_reply_xlsx(req, rep, &x);
    json_decref(fields);
    json_decref(towns);
    return rc;
}

#include "registry/import_api.schemas.inc"

const struct route registry_import_routes[] = {
    {"POST", "/api/v1/institutions/import", "institution.create", import_institutions, &IMPORT_FILE, &IMPORTED, 201,
     .begin = import_begin},
    {"POST", "/api/v1/institutions/import-report", "institution.create", import_report, &IMPORT_FILE, &REPORT, 0,
     .begin = import_begin},
    {"GET", "/api/v1/institutions/import-template", "institution.create", import_template, NULL, &TEMPLATE},
    {"GET", "/api/v1/institutions/export", "institution.export", export_institutions, NULL, &WORKBOOK},
    {NULL, NULL, NULL, NULL},
};
