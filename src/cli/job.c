/* job.c — the frame of a command run from cron (job.h). */
#include "cli/job.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app_setup.h"
#include "audit/audit.h"
#include "base/cli.h"

int cli_job_open(struct cli_job *j, const char *name, const char *usage, int argc, char **argv, int *code)
{
    j->name = name;
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        *code = CLI_OK;
        return 0;
    }
    struct app_options o;
    app_options_defaults(&o);
    j->now = (int64_t)time(NULL);
    for (int i = 1; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r < 0) {
            *code = cli_usage_error(name, "%s needs a value", argv[i]);
            return 0;
        }
        if (r > 0)
            continue;
        if (i + 1 < argc && strcmp(argv[i], "--now") == 0) {
            if (date_parse_timestamp(argv[++i], &j->now) < 0) {
                *code = cli_usage_error(name, "--now: not an ISO timestamp: %s", argv[i]);
                return 0;
            }
        } else {
            *code = cli_usage_error(name, "unknown option or missing value: %s", argv[i]);
            return 0;
        }
    }
    struct err e = {0};
    if (app_open(&j->app, &o, &j->db, &e) < 0) {
        *code = app_open_failed(name, &e);
        return 0;
    }
    date_format_day(j->now, j->today, sizeof j->today);
    date_format_timestamp(j->now, j->now_ts, sizeof j->now_ts);
    return 1;
}

int cli_job_close(struct cli_job *j, int rc, const char *action, const char *target_type, json_t *fields,
                  struct err *e)
{
    if (rc == 0) {
        struct audit_entry a = {.district_code = j->app.district_code, .at = j->now, .action = action,
                                .target_type = target_type, .fields = fields};
        rc = audit_append_commit(j->db, &a, e);
    }
    if (rc < 0)
        db_rollback(j->db);
    db_close(j->db);
    if (rc < 0) {
        fprintf(stderr, "tuoyu %s: %s\n", j->name, e->message);
        return CLI_FAIL;
    }
    return CLI_OK;
}
