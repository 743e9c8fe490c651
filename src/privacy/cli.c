/* cli.c — `tuoyu purge`: delete the records whose retention period (retention.* parameters in
 * force today) has passed, one transaction per kind with its audit row, printing the counts; with
 * --dry-run only count them and write nothing. The audit log is never purged. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_setup.h"
#include "audit/audit.h"
#include "base/cli.h"
#include "base/date.h"
#include "commands.h"
#include "params/params.h"
#include "privacy/privacy.h"
#include "privacy/store.h"

static const char USAGE[] =
    "usage: tuoyu purge [--dry-run] [--now YYYY-MM-DDTHH:MM:SSZ] [--db PATH | --pg CONNINFO] [--key FILE]\n"
    "  Delete the records older than their retention period (parameters retention.*, in force today):\n"
    "  attendance, morning checks, entry checks, growth measurements, SMS codes and sent code texts.\n"
    "  One transaction per kind, each with its audit row; prints \"KIND CUTOFF COUNT\" per kind (records\n"
    "  dated before CUTOFF). --dry-run counts without deleting or writing anything. The audit log is\n"
    "  never purged. --now sets the clock (tests).\n";

int cmd_purge(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    struct app_options o;
    app_options_defaults(&o);
    int dry_run = 0;
    int64_t now = (int64_t)time(NULL);
    for (int i = 1; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r < 0)
            return cli_usage_error("purge", "%s needs a value", argv[i]);
        if (r > 0)
            continue;
        if (strcmp(argv[i], "--dry-run") == 0)
            dry_run = 1;
        else if (i + 1 < argc && strcmp(argv[i], "--now") == 0) {
            if (date_parse_timestamp(argv[++i], &now) < 0)
                return cli_usage_error("purge", "--now: not an ISO timestamp: %s", argv[i]);
        } else
            return cli_usage_error("purge", "unknown option or missing value: %s", argv[i]);
    }
    static struct app app;
    static struct params p;
    struct db *db;
    struct err e = {0};
    if (app_open(&app, &o, &db, &e) < 0)
        return app_open_failed("purge", &e);
    char today[DATE_DAY_LEN];
    date_format_day(now, today, sizeof today);
    int rc = params_load(db, app.district_code, today, &p, &e);
    for (const struct privacy_retention *k = privacy_retention_kinds; rc == 0 && k->kind; k++) {
        double period;
        char cutoff[DATE_DAY_LEN];
        int64_t n = 0;
        if ((rc = params_num(&p, k->param, &period, &e)) < 0)
            break;
        if (privacy_cutoff(today, k, (int)period, cutoff) < 0) {
            rc = err_set(&e, 500, "bad_date", "", "无法计算 %s 的截止日期", k->kind);
            break;
        }
        if (dry_run) {
            rc = privacy_purge_kind(db, app.district_code, k, cutoff, 1, &n, &e);
        } else {
            json_t *fields = NULL;
            rc = db_begin(db, &e);
            if (rc == 0)
                rc = privacy_purge_kind(db, app.district_code, k, cutoff, 0, &n, &e);
            if (rc == 0) {
                fields = json_pack("{s:s, s:s, s:I, s:I}", "param", k->param, "cutoff", cutoff, "period",
                                   (json_int_t)period, "deleted", (json_int_t)n);
                struct audit_entry a = {.district_code = app.district_code, .at = now, .action = "privacy.purge",
                                        .target_type = "retention", .target_id = k->kind, .fields = fields};
                rc = audit_append_commit(db, &a, &e);
            }
            json_decref(fields);
            if (rc < 0)
                db_rollback(db);
        }
        if (rc == 0)
            printf("%s %s %lld%s\n", k->kind, cutoff, (long long)n, dry_run ? " (dry run)" : "");
    }
    db_close(db);
    if (rc < 0) {
        fprintf(stderr, "tuoyu purge: %s\n", e.message);
        return CLI_FAIL;
    }
    return CLI_OK;
}
