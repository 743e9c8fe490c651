/* import.c — `tuoyu import institutions FILE`: bulk registration from an .xlsx or CSV in the
 * template's form (src/registry/import.h), all or nothing. Every row is checked as the API checks
 * a request; when any fails, nothing is written and every failure is printed as
 * `row,field,value,reason` (the column as the file writes it). And `tuoyu template institutions`:
 * that template, as the console downloads it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_setup.h"
#include "audit/audit.h"
#include "base/buf.h"
#include "base/cli.h"
#include "base/csv.h"
#include "base/date.h"
#include "commands.h"
#include "registry/import.h"
#include "registry/store.h"

static const char USAGE[] =
    "usage: tuoyu import institutions FILE.xlsx|FILE.csv [--db PATH | --pg CONNINFO]\n"
    "  Register institutions from the import template (GET /api/v1/institutions/import-template, or\n"
    "  `tuoyu template institutions > FILE.xlsx`): an .xlsx, or a CSV in UTF-8 (with or without its\n"
    "  mark) or GBK/GB18030 as Excel saves it on Chinese Windows (a file mixing encodings is refused).\n"
    "  The first row names the columns in Chinese (机构名称, 统一社会信用代码, 所属镇街, 地址, 经度, 纬度,\n"
    "  办托模式, 举办性质, 普惠, 备案状态, 场地权属, 租赁起始日期, 租赁截止日期, 所在楼层, 卫生保健人员数,\n"
    "  服务时间, 联系电话, 负责人, 班型, 班级名称, 托位数, 在托人数, 保育人员数, 收费项目, 收费类别,\n"
    "  收费标准（元）, 计费单位) or by their English keys (name, uscc, town_code …); values as people write\n"
    "  them (社会机构市场办, 民办, 是/否, 托大班, a town's name or code, money in yuan). A row with the same\n"
    "  机构名称 as the row above, or none, adds another class and/or fee to that institution.\n"
    "  All rows are checked first; if any is invalid nothing is imported and each problem is printed\n"
    "  as: row,field,value,reason.\n";

/* The bytes of the file at path into b: 0, or -1. */
static int read_file(const char *path, struct buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t got;
    do {
        if (buf_reserve(b, 65536) < 0)
            break;
        got = fread(b->p + b->len, 1, 65536, f);
        b->len += got;
    } while (got > 0);
    int failed = b->failed || ferror(f);
    fclose(f);
    return failed ? -1 : 0;
}

int cmd_import(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    if (argc < 3 || strcmp(argv[1], "institutions") != 0)
        return cli_usage_error("import", "usage: tuoyu import institutions FILE.xlsx|FILE.csv");
    struct app_options o;
    app_options_defaults(&o);
    for (int i = 3; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r <= 0)
            return cli_usage_error("import", "unknown argument or missing value: %s", argv[i]);
    }
    const char *path = argv[2];
    struct buf file = {0};
    if (read_file(path, &file) < 0) {
        free(file.p);
        return cli_usage_error("import", "cannot read %s", path);
    }
    struct sheet_table t;
    struct err e = {0};
    int rc = sheet_read(file.p ? file.p : "", file.len, registry_import_columns, REGISTRY_IMPORT_COLS,
                        REGISTRY_IMPORT_MAX_ROWS, &t, &e);
    free(file.p);
    if (rc < 0) {
        sheet_table_free(&t);
        fprintf(stderr, "tuoyu import: %s: %s\n", path, e.message);
        return CLI_USAGE;
    }
    static struct app app;
    struct db *db;
    if (app_open(&app, &o, &db, &e) < 0) {
        sheet_table_free(&t);
        return app_open_failed("import", &e);
    }
    char now_ts[DATE_TIMESTAMP_LEN], today[DATE_DAY_LEN];
    int64_t now = app_now(&app);
    date_format_timestamp(now, now_ts, sizeof now_ts);
    date_format_day(now, today, sizeof today);
    struct registry_rules rules;
    json_t *towns = NULL, *errors = json_array(), *created = json_array();
    rc = registry_rules_from_params(db, app.district_code, today, &rules, NULL, &e) < 0 ||
                 registry_towns(db, app.district_code, &towns, &e) < 0 || db_begin(db, &e) < 0 ||
                 registry_import(db, app.district_code, &rules, towns, &t, today, now_ts, 0, errors, created, &e) < 0
             ? CLI_FAIL
             : CLI_OK;
    if (rc == CLI_OK && json_array_size(errors)) {
        db_rollback(db);
        printf("row,field,value,reason\n");
        size_t i;
        json_t *x;
        json_array_foreach(errors, i, x)
        {
            char row[16];
            snprintf(row, sizeof row, "%d", (int)json_integer_value(json_object_get(x, "row")));
            const char *cells[] = {row, json_string_value(json_object_get(x, "field")),
                                   json_string_value(json_object_get(x, "value")),
                                   json_string_value(json_object_get(x, "reason"))};
            csv_write_row(stdout, cells, 4);
        }
        fprintf(stderr, "tuoyu import: %zu problem(s) in %s; nothing imported\n", json_array_size(errors), path);
        rc = CLI_USAGE;
    } else if (rc == CLI_OK) {
        json_t *fields = json_pack("{s:s, s:i}", "file", path, "rows", (int)json_array_size(created));
        struct audit_entry a = {.district_code = app.district_code, .at = now, .login = "cli",
                                .action = "institution.import", .target_type = "institution", .fields = fields};
        if (audit_append(db, &a, &e) < 0 || db_commit(db, &e) < 0)
            rc = CLI_FAIL;
        json_decref(fields);
        if (rc == CLI_OK)
            fprintf(stderr, "tuoyu import: imported %zu institutions\n", json_array_size(created));
    }
    if (rc == CLI_FAIL) {
        db_rollback(db);
        fprintf(stderr, "tuoyu import: %s\n", e.message);
    }
    json_decref(towns);
    json_decref(errors);
    json_decref(created);
    sheet_table_free(&t);
    db_close(db);
    return rc;
}

static const char TEMPLATE_USAGE[] =
    "usage: tuoyu template institutions [--db PATH | --pg CONNINFO] > FILE.xlsx\n"
    "  Write the institutions import template (Chinese headings, an example institution with two\n"
    "  classes and two fees, drop-down lists, a sheet of notes) to standard output, which must be a\n"
    "  file. With a database, the 所属镇街 column offers its district's towns.\n";

int cmd_template(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(TEMPLATE_USAGE, stdout);
        return CLI_OK;
    }
    if (argc < 2 || strcmp(argv[1], "institutions") != 0)
        return cli_usage_error("template", "usage: tuoyu template institutions [--db PATH | --pg CONNINFO] > FILE.xlsx");
    struct app_options o;
    app_options_defaults(&o);
    int with_db = 0;
    for (int i = 2; i < argc; i++, with_db = 1)
        if (app_parse_db_option(&o, argc, argv, &i) <= 0)
            return cli_usage_error("template", "unknown argument or missing value: %s", argv[i]);
    if (isatty(STDOUT_FILENO))
        return cli_usage_error("template", "the template is a .xlsx: redirect standard output to a file");
    struct err e = {0};
    json_t *towns = NULL;
    if (with_db) {
        static struct app app;
        struct db *db;
        if (app_open(&app, &o, &db, &e) < 0)
            return app_open_failed("template", &e);
        int rc = registry_towns(db, app.district_code, &towns, &e);
        db_close(db);
        if (rc < 0) {
            fprintf(stderr, "tuoyu template: %s\n", e.message);
            return CLI_FAIL;
        }
    }
    fflush(stdout);
    const char *heads[REGISTRY_IMPORT_COLS];
    double widths[REGISTRY_IMPORT_COLS];
    registry_import_heads(heads, widths);
    struct xlsx_sheet x;
    /* libxlsxwriter writes to a path: standard output's, when it is a file */
    int rc = xlsx_begin(&x, "/proc/self/fd/1", "托育机构导入模板", heads, widths, REGISTRY_IMPORT_COLS, &e);
    if (rc == 0)
        rc = registry_import_example(&x, towns, &e);
    json_decref(towns);
    if (xlsx_end(&x, rc, &e) < 0) {
        fprintf(stderr, "tuoyu template: %s\n", e.message);
        return CLI_FAIL;
    }
    return CLI_OK;
}
