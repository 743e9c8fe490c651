/* import.c — a year's population figures from a spreadsheet (issue 19 item 2): the template of
 * the district's towns (GET /api/v1/population/template: one row per town, its code and name
 * filled in) and its upload (POST /api/v1/population/{year}/import?source=…: .xlsx or CSV in
 * UTF-8 or GBK, base/sheet.h), every row checked as the form's rows are (population.c) — all rows
 * or none, the bad ones listed by line and column (422 import_rows) — then written and audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit/audit.h"
#include "audit/export.h"
#include "auth/auth.h"
#include "base/date.h"
#include "base/parse.h"
#include "materials/table.h"
#include "population/api.h"
#include "population/population.h"
#include "population/store.h"

enum { COL_CODE, COL_NAME, COL_RESIDENTS, COL_UNDER3, COL_BIRTHS, NCOLS };
static const struct sheet_column COLUMNS[NCOLS] = {
    {"镇街代码", "town_code", 1},  {"镇街", "town_name", 0}, {"常住人口", "residents", 1},
    {"3岁以下婴幼儿数", "under3", 0}, {"出生人口", "births", 0},
};
static const char *const MEMBERS[NCOLS] = {"town_code", "town_name", "residents", "under3", "births"};

static void report(json_t *errors, const struct sheet_table *t, int r, int c, const char *code, const char *reason)
{
    json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s, s:s}", "row", t->line[r], "field",
                                            t->written[c] ? t->written[c] : COLUMNS[c].heading, "value",
                                            t->cells[r][c] ? t->cells[r][c] : "", "code", code, "reason", reason));
}

/* Row r of t as a JSON row of the form's shape (population_body_schema), or NULL reported. */
static json_t *row_of(const struct sheet_table *t, int r, json_t *errors)
{
    char code[32];
    sheet_trim(t->cells[r][COL_CODE] ? t->cells[r][COL_CODE] : "", code, sizeof code);
    json_t *row = json_pack("{s:s}", "town_code", code);
    for (int c = COL_RESIDENTS; c < NCOLS; c++) {
        char text[32];
        int64_t v;
        sheet_trim(t->cells[r][c] ? t->cells[r][c] : "", text, sizeof text);
        if (!*text && c != COL_RESIDENTS)
            continue;
        if (parse_int64(text, &v) < 0 || v < (c == COL_RESIDENTS ? 1 : 0) || v > 100000000) {
            report(errors, t, r, c, "not_count", c == COL_RESIDENTS ? "应为正整数" : "应为非负整数（不知道可不填）");
            json_decref(row);
            return NULL;
        }
        json_object_set_new(row, MEMBERS[c], json_integer(v));
    }
    return row;
}

static int import_begin(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_target t = {0};
    if (authz_require(req, "population.manage", &t, &e) < 0)
        return http_reply_err(rep, &e);
    http_upload_limit(req, 2u << 20);
    return 0;
}

static int import_population(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct population_towns *towns = http_alloc(req, sizeof *towns);
    int n = 0;
    if (population_write_begin(req, towns, &e) < 0)
        return http_reply_err(rep, &e);
    int64_t year = towns->year;
    struct sheet_table t;
    if (materials_upload_table(req, COLUMNS, NCOLS, POPULATION_MAX_ROWS, &t, &e) < 0) {
        sheet_table_free(&t);
        return http_reply_err(rep, &e);
    }
    const char *source = http_query(req, "source");
    if (!source || !*source || strlen(source) > 200) {
        sheet_table_free(&t);
        return http_reply_error(rep, 422, "required", "source", "请注明数据来源（source，最多 200 字节）");
    }
    json_t *errors = json_array(), *rows = json_array();
    int *lines = http_alloc(req, ((size_t)t.nrows + 1) * sizeof *lines);
    for (int r = 0; r < t.nrows; r++) {
        json_t *row = row_of(&t, r, errors);
        if (row) {
            lines[json_array_size(rows)] = r;
            json_array_append_new(rows, row);
        }
    }
    if (t.nrows == 0)
        json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s, s:s}", "row", 1, "field", COLUMNS[0].heading,
                                                "value", "", "code", "empty", "reason", "文件中没有镇街"));
    struct population_row *parsed = http_alloc(req, POPULATION_MAX_ROWS * sizeof *parsed);
    json_t *body = json_pack("{s:O}", "rows", rows);
    struct err re = {0};
    if (json_array_size(errors) == 0 && population_rows_from_json(body, towns->known, towns->n, parsed, &n, &re) < 0) {
        /* the form's check names rows[i].member: the line and column of the file instead */
        size_t i = strtoul(re.field + 5, NULL, 10);
        const char *member = strchr(re.field, '.') ? strchr(re.field, '.') + 1 : "town_code";
        int c = 0;
        while (c < NCOLS - 1 && strcmp(MEMBERS[c], member))
            c++;
        report(errors, &t, lines[i < json_array_size(rows) ? i : 0], c, re.code, re.message);
    }
    json_decref(body);
    int rc = 0;
    if (json_array_size(errors) == 0) {
        char now_ts[DATE_TIMESTAMP_LEN];
        date_format_timestamp(req->now, now_ts, sizeof now_ts);
        json_t *f = json_pack("{s:I, s:s, s:O}", "year", (json_int_t)year, "source", source, "rows", rows);
        rc = db_begin(req->db, &e) < 0 ||
                     population_store_put(req->db, req->district, (int)year, parsed, n, source, req->user->id,
                                          now_ts, &e) < 0
                 ? (db_rollback(req->db), -1)
                 : audit_request_commit(req, "population.import", "population", http_printf(req, "%lld", (long long)year),
                                        f, &e);
        json_decref(f);
    }
    json_decref(rows);
    sheet_table_free(&t);
    if (rc < 0) {
        json_decref(errors);
        return http_reply_err(rep, &e);
    }
    if (json_array_size(errors))
        return http_reply_import_rows(rep, errors, "数据");
    json_decref(errors);
    return http_reply_json(rep, 201, json_pack("{s:I, s:i}", "year", (json_int_t)year, "imported", n));
}

/* the template's rows: each town of the district, its code and name */
static int template_rows(struct xlsx_sheet *x, void *ctx, struct err *e)
{
    const json_t *towns = ctx;
    size_t i;
    json_t *t;
    json_array_foreach(towns, i, t)
    {
        xlsx_next_row(x);
        if (xlsx_text(x, COL_CODE, json_string_value(json_object_get(t, "town_code")), e) < 0 ||
            xlsx_text(x, COL_NAME, json_string_value(json_object_get(t, "town_name")), e) < 0)
            return -1;
        for (int c = COL_RESIDENTS; c < NCOLS; c++) {
            json_t *v = json_object_get(t, MEMBERS[c]);
            if (json_is_integer(v) && xlsx_number(x, c, (double)json_integer_value(v), e) < 0)
                return -1;
        }
    }
    static const char *const NOTES[] = {
        "镇街人口数据导入模板 填写说明", "",
        "1. 每个镇街一行，镇街代码为统计用区划代码（已按本区填好）。必填：常住人口；3岁以下婴幼儿数、出生人口不知道可不填。",
        "2. 已填的数字是截至今年最近一年录入的数据，请改为要导入年份的数据。",
        "3. 文件可保存为 .xlsx，或 CSV（UTF-8 或 GBK）。全部行正确才会导入；有错误时逐行列出，不导入任何数据。",
    };
    return xlsx_notes(x, "填写说明", NOTES, (int)(sizeof NOTES / sizeof *NOTES), e);
}

static int population_template(struct http_req *req, struct http_reply *rep)
{
    struct err e = {0};
    struct authz_scope scope;
    json_t *years, *towns;
    if (authz_scope(req, "population.manage", "t.code", NULL, NULL, &scope, &e) < 0 ||
        population_store_years(req->db, req->district, &years, &e) < 0)
        return http_reply_err(rep, &e);
    /* prefilled from the latest year not after this one (a later year may be partial, announced early) */
    int year = atoi(req->today);
    for (size_t i = json_array_size(years); i-- > 0;)
        if (json_integer_value(json_array_get(years, i)) <= atoi(req->today))
            year = (int)json_integer_value(json_array_get(years, i));
    json_decref(years);
    if (population_store_year(req->db, req->district, scope.sql, &scope.params, year, &towns, &e) < 0)
        return http_reply_err(rep, &e);
    const char *heads[NCOLS];
    static const double WIDTHS[NCOLS] = {14, 14, 12, 18, 12};
    for (int c = 0; c < NCOLS; c++)
        heads[c] = COLUMNS[c].heading;
    const struct audit_xlsx x = {"镇街人口数据", heads, WIDTHS, NCOLS, template_rows, towns, NULL, NULL, NULL,
                                 "population-template", "镇街人口数据导入模板"};
    int rc = audit_reply_xlsx(req, rep, &x);
    json_decref(towns);
    return rc;
}

#include "population/import.schemas.inc"

const struct route population_import_routes[] = {
    {"POST", "/api/v1/population/{year}/import", "population.manage", import_population, &FILE_BODY, &IMPORTED, 201,
     .begin = import_begin},
    {"GET", "/api/v1/population/template", "population.manage", population_template, NULL, &TEMPLATE},
    {NULL, NULL, NULL, NULL},
};
