/* import.c — `tuoyu import institutions FILE.csv`: bulk registration, all or nothing. Every row
 * is checked with the same validation as the API; when any row fails, nothing is written and
 * every failure is reported as `row, field, value, reason`. Classes and fees use a compact
 * cell syntax (see --help). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_setup.h"
#include "audit/audit.h"
#include "base/buf.h"
#include "base/cli.h"
#include "base/csv.h"
#include "base/date.h"
#include "base/parse.h"
#include "base/textenc.h"
#include "commands.h"
#include "registry/store.h"

static const char USAGE[] =
    "usage: tuoyu import institutions FILE.csv [--db PATH | --pg CONNINFO]\n"
    "  Register institutions from a CSV file with a header row, in UTF-8 (with or without its mark) or\n"
    "  GBK/GB18030 as Excel saves it on Chinese Windows (detected; a file mixing encodings is refused).\n"
    "  All rows are validated first; if any row is invalid nothing is imported and each problem is\n"
    "  printed as: row,field,value,reason.\n"
    "  Columns (any order): name, uscc, town_code, address, lon, lat, operating_model, ownership,\n"
    "  inclusive (0/1), status (filed/pending/closed), premises_tenure (owned/leased), lease_start,\n"
    "  lease_end, floor, health_workers, opening_hours, phone, director,\n"
    "  classes  e.g. \"infant:10:8:3;toddler_old:20:18:3\"  (class_type:capacity:enrolled:caregivers)\n"
    "  fees     e.g. \"保育费:basic:250000:月;伙食费:other:2000:日\" (item:category:amount_fen:unit)\n";

static const char *const TEXT_COLUMNS[] = {"name", "uscc", "town_code", "address", "operating_model", "ownership",
                                           "status", "opening_hours", "phone", "director", NULL};

/* Split "a:b:c;d:e:f" into JSON objects with the given keys; numeric keys become integers. */
static json_t *split_compact(const char *cell, const char *const keys[4], const int numeric[4], int *bad)
{
    json_t *arr = json_array();
    char *copy = strdup(cell ? cell : ""), *save = NULL;
    for (char *part = strtok_r(copy, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
        json_t *o = json_object();
        char *save2 = NULL;
        int k = 0;
        for (char *f = strtok_r(part, ":", &save2); f; f = strtok_r(NULL, ":", &save2), k++) {
            if (k >= 4) {
                *bad = 1;
                break;
            }
            int64_t n;
            if (numeric[k]) {
                if (parse_int64(f, &n) < 0) {
                    *bad = 1;
                    break;
                }
                json_object_set_new(o, keys[k], json_integer(n));
            } else {
                json_object_set_new(o, keys[k], json_string(f));
            }
        }
        if (k != 4)
            *bad = 1;
        json_array_append_new(arr, o);
    }
    free(copy);
    return arr;
}

static json_t *row_to_json(struct csv_reader *r, char *bad_field, size_t cap)
{
    json_t *o = json_object();
    for (const char *const *c = TEXT_COLUMNS; *c; c++) {
        const char *v = csv_get(r, csv_column(r, *c));
        if (v && v[0])
            json_object_set_new(o, *c, json_string(v));
    }
    const char *v;
    double d;
    int64_t n;
    static const char *const nums[] = {"lon", "lat"};
    for (int i = 0; i < 2; i++) {
        v = csv_get(r, csv_column(r, nums[i]));
        if (v && v[0]) {
            if (parse_double(v, &d) < 0)
                return snprintf(bad_field, cap, "%s", nums[i]), json_decref(o), NULL;
            json_object_set_new(o, nums[i], json_real(d));
        }
    }
    static const char *const ints[] = {"floor", "health_workers"};
    json_t *premises = json_object();
    for (int i = 0; i < 2; i++) {
        v = csv_get(r, csv_column(r, ints[i]));
        if (v && v[0]) {
            if (parse_int64(v, &n) < 0)
                return snprintf(bad_field, cap, "%s", ints[i]), json_decref(o), json_decref(premises), NULL;
            json_object_set_new(i == 0 ? premises : o, ints[i], json_integer(n));
        }
    }
    v = csv_get(r, csv_column(r, "inclusive"));
    if (v && v[0]) {
        if (strcmp(v, "0") && strcmp(v, "1"))
            return snprintf(bad_field, cap, "inclusive"), json_decref(o), json_decref(premises), NULL;
        json_object_set_new(o, "inclusive", json_boolean(v[0] == '1'));
    }
    static const char *const prem[] = {"premises_tenure", "lease_start", "lease_end"};
    static const char *const prem_key[] = {"tenure", "lease_start", "lease_end"};
    for (int i = 0; i < 3; i++) {
        v = csv_get(r, csv_column(r, prem[i]));
        if (v && v[0])
            json_object_set_new(premises, prem_key[i], json_string(v));
    }
    json_object_set_new(o, "premises", premises);
    static const char *const class_keys[4] = {"class_type", "capacity", "enrolled", "caregivers"};
    static const int class_num[4] = {0, 1, 1, 1};
    static const char *const fee_keys[4] = {"item", "category", "amount_fen", "unit"};
    static const int fee_num[4] = {0, 0, 1, 0};
    int bad = 0;
    json_object_set_new(o, "classes", split_compact(csv_get(r, csv_column(r, "classes")), class_keys, class_num, &bad));
    if (bad)
        return snprintf(bad_field, cap, "classes"), json_decref(o), NULL;
    json_object_set_new(o, "fees", split_compact(csv_get(r, csv_column(r, "fees")), fee_keys, fee_num, &bad));
    if (bad)
        return snprintf(bad_field, cap, "fees"), json_decref(o), NULL;
    return o;
}

/* The raw value of a (possibly nested) field for the error report. */
static const char *raw_value(struct csv_reader *r, const char *field)
{
    static const struct {
        const char *prefix, *column;
    } map[] = {{"premises.tenure", "premises_tenure"}, {"premises.lease_start", "lease_start"},
               {"premises.lease_end", "lease_end"},     {"premises.floor", "floor"},
               {"classes", "classes"},                  {"fees", "fees"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strncmp(field, map[i].prefix, strlen(map[i].prefix)) == 0)
            return csv_get(r, csv_column(r, map[i].column));
    const char *v = csv_get(r, csv_column(r, field));
    return v ? v : "";
}

/* The file at path as UTF-8 text, whatever a spreadsheet saved it as (textenc: UTF-8 with or
 * without its mark, GBK/GB18030): 0, or -1 with e (422 when the encoding cannot be decided). */
static int read_text(const char *path, char **text, size_t *len, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, 404, "no_file", "file", "无法打开文件");
    struct buf b = {0};
    size_t got;
    do {
        if (buf_reserve(&b, 65536) < 0)
            break;
        got = fread(b.p + b.len, 1, 65536, f);
        b.len += got;
    } while (got > 0);
    int failed = b.failed || ferror(f);
    fclose(f);
    enum textenc enc;
    int rc = failed ? err_set(e, 500, "read_failed", "file", "读取文件失败")
                    : textenc_to_utf8(b.p ? b.p : "", b.len, text, len, &enc, e);
    free(b.p);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    if (argc < 3 || strcmp(argv[1], "institutions") != 0)
        return cli_usage_error("import", "usage: tuoyu import institutions FILE.csv");
    struct app_options o;
    app_options_defaults(&o);
    for (int i = 3; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r <= 0)
            return cli_usage_error("import", "unknown argument or missing value: %s", argv[i]);
    }
    const char *path = argv[2];
    char *text;
    size_t len;
    struct err te = {0};
    if (read_text(path, &text, &len, &te) < 0) {
        fprintf(stderr, "tuoyu import: %s: %s\n", path, te.message);
        return te.status == 422 ? CLI_FAIL : cli_usage_error("import", "cannot read %s", path);
    }
    FILE *f = fmemopen(text, len, "r");
    if (!f) {
        free(text);
        return cli_usage_error("import", "cannot read %s", path);
    }
    static struct app app;
    struct db *db;
    struct err e = {0};
    if (app_open(&app, &o, &db, &e) < 0) {
        fclose(f);
        return app_open_failed("import", &e);
    }
    char now_ts[32], today[11];
    int64_t now = app_now(&app);
    date_format_timestamp(now, now_ts, sizeof now_ts);
    date_format_day(now, today, sizeof today);
    struct registry_rules rules;
    struct csv_reader *r = csv_open(f, path);
    int errors = 0, imported = 0, rc;
    struct institution *in = malloc(sizeof *in);
    if (!in || registry_rules_from_params(db, app.district_code, today, &rules, NULL, &e) < 0 || csv_read_header(r) < 0) {
        fprintf(stderr, "tuoyu import: %s\n", in ? (e.message[0] ? e.message : csv_error(r)) : "out of memory");
        rc = CLI_FAIL;
        goto out;
    }
    static const char *const required[] = {"name", "uscc", "town_code", "address", "lon", "lat", "operating_model",
                                           "ownership", "premises_tenure"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (csv_column(r, required[i]) < 0) {
            fprintf(stderr, "tuoyu import: %s: missing column '%s'\n", path, required[i]);
            rc = CLI_USAGE;
            goto out;
        }
    if (db_begin(db, &e) < 0) {
        fprintf(stderr, "tuoyu import: %s\n", e.message);
        rc = CLI_FAIL;
        goto out;
    }
    printf("row,field,value,reason\n");
    while ((rc = csv_next(r)) > 0) {
        char bad_field[64] = "";
        char row[24];
        snprintf(row, sizeof row, "%ld", csv_line(r));
        json_t *body = row_to_json(r, bad_field, sizeof bad_field);
        memset(in, 0, sizeof *in);
        snprintf(in->status, sizeof in->status, "filed");
        in->floor = 1;
        err_clear(&e);
        int ok = body && registry_from_json(body, &rules, today, in, &e) == 0;
        json_decref(body);
        if (!body)
            err_set(&e, 422, "not_a_number", bad_field, "格式错误");
        if (ok) {
            int town = registry_town_name(db, app.district_code, in->town_code, NULL, 0, &e);
            if (town == 0)
                err_set(&e, 422, "unknown_town", "town_code", "镇街代码不存在");
            ok = town == 1 && registry_insert(db, app.district_code, in, now_ts, 0, &e) == 0;
        }
        if (!ok) {
            const char *cells[] = {row, e.field, raw_value(r, e.field), e.message};
            csv_write_row(stdout, cells, 4);
            errors++;
            /* a failed statement may have aborted the transaction (PostgreSQL): keep checking
             * the remaining rows for the report, but nothing will be committed */
            if (db_kind_of(db) == DB_PG) {
                db_rollback(db);
                db_begin(db, &e);
            }
            continue;
        }
        imported++;
    }
    if (rc < 0) {
        fprintf(stderr, "tuoyu import: %s\n", csv_error(r));
        db_rollback(db);
        rc = CLI_USAGE;
        goto out;
    }
    if (errors) {
        db_rollback(db);
        fprintf(stderr, "tuoyu import: %d row(s) invalid; nothing imported\n", errors);
        rc = CLI_USAGE;
        goto out;
    }
    json_t *fields = json_pack("{s:s, s:i}", "file", path, "rows", imported);
    struct audit_entry a = {.district_code = app.district_code, .at = now, .login = "cli", .action = "institution.import",
                            .target_type = "institution", .fields = fields};
    rc = audit_append(db, &a, &e);
    json_decref(fields);
    if (rc < 0 || db_commit(db, &e) < 0) {
        db_rollback(db);
        fprintf(stderr, "tuoyu import: %s\n", e.message);
        rc = CLI_FAIL;
        goto out;
    }
    fprintf(stderr, "tuoyu import: imported %d institutions\n", imported);
    rc = CLI_OK;
out:
    free(in);
    csv_close(r);
    fclose(f);
    free(text);
    db_close(db);
    return rc;
}
