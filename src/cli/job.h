/* job.h — the frame of a command run from cron (`tuoyu checkup-reminders`, `tuoyu duty-scan`):
 * --help, its options (--now and the database's), the app opened, the day and time it runs at;
 * at the end its audit row committed with its work in one transaction (or all of it rolled back),
 * the database closed and a failure reported. */
#ifndef TUOYU_CLI_JOB_H
#define TUOYU_CLI_JOB_H

#include <jansson.h>
#include <stdint.h>

#include "app.h"
#include "base/date.h"
#include "base/err.h"

struct cli_job {
    const char *name; /* the command, for its messages */
    struct app app;
    struct db *db;
    int64_t now; /* the clock: --now (tests), else the time */
    char today[DATE_DAY_LEN], now_ts[DATE_TIMESTAMP_LEN];
};

/* Print usage for --help, read --now and the database options, open the app: 1 when the job is
 * to run, else 0 with *code the command's exit code (help printed, a usage error, no app). j is
 * large: keep it static. */
int cli_job_open(struct cli_job *j, const char *name, const char *usage, int argc, char **argv, int *code);
/* The end of the job's transaction, rc its result so far (0, or negative with e filled): when 0,
 * the audit row (action on target_type, with fields, the caller's) is appended and the transaction
 * committed; otherwise, or when that fails, rolled back. The database is closed and a failure
 * printed: CLI_OK or CLI_FAIL. */
int cli_job_close(struct cli_job *j, int rc, const char *action, const char *target_type, json_t *fields,
                  struct err *e);

#endif
