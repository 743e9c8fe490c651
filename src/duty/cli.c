/* cli.c — `tuoyu duty-scan`: replay today's classes of the district to now and record each break
 * of the caregiver ratio longer than duty.ratio_broken_minutes (findings.c), telling the
 * institution's operators of a new one and the town's officers of one past duty.ratio_town_minutes.
 * A break nobody touches (no duty or attendance written while it lasts) is found here: run it from
 * cron every few minutes during opening hours. A second run records nothing new. One transaction
 * with its audit row. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_setup.h"
#include "audit/audit.h"
#include "base/cli.h"
#include "base/date.h"
#include "commands.h"
#include "duty/findings.h"

static const char USAGE[] =
    "usage: tuoyu duty-scan [--now YYYY-MM-DDTHH:MM:SSZ] [--db PATH | --pg CONNINFO] [--key FILE]\n"
    "  Record the classes whose caregiver ratio (children present against caregivers on duty) has\n"
    "  been broken longer than duty.ratio_broken_minutes today, tell the institution's operators of\n"
    "  each new one and the town's officers of one longer than duty.ratio_town_minutes (once).\n"
    "  Prints the number of new findings and of those told to the town. Run every few minutes.\n"
    "  --now sets the clock (tests).\n";

int cmd_duty_scan(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    struct app_options o;
    app_options_defaults(&o);
    int64_t now = (int64_t)time(NULL);
    for (int i = 1; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r < 0)
            return cli_usage_error("duty-scan", "%s needs a value", argv[i]);
        if (r > 0)
            continue;
        if (i + 1 < argc && strcmp(argv[i], "--now") == 0) {
            if (date_parse_timestamp(argv[++i], &now) < 0)
                return cli_usage_error("duty-scan", "--now: not an ISO timestamp: %s", argv[i]);
        } else
            return cli_usage_error("duty-scan", "unknown option or missing value: %s", argv[i]);
    }
    static struct app app;
    static struct duty_raised raised[DUTY_MAX_RAISED];
    struct db *db;
    struct err e = {0};
    if (app_open(&app, &o, &db, &e) < 0)
        return app_open_failed("duty-scan", &e);
    char today[DATE_DAY_LEN], now_ts[DATE_TIMESTAMP_LEN];
    date_format_day(now, today, sizeof today);
    date_format_timestamp(now, now_ts, sizeof now_ts);
    struct authz_scope district = {.sql = "1 = 1"};
    int town = 0;
    int n = db_begin(db, &e) < 0 ? -1
                                 : duty_findings_scan(db, app.district_code, &district, today, date_minute_of_day(now),
                                                      now_ts, raised, DUTY_MAX_RAISED, &town, &e);
    int found = n - town;
    int rc = n < 0 ? -1 : 0;
    if (rc == 0) {
        json_t *fields = json_pack("{s:s, s:i, s:i}", "date", today, "found", found, "town_told", town);
        struct audit_entry a = {.district_code = app.district_code, .at = now, .action = "duty.scan",
                                .target_type = "duty_finding", .fields = fields};
        rc = audit_append_commit(db, &a, &e);
        json_decref(fields);
    }
    if (rc < 0)
        db_rollback(db);
    db_close(db);
    if (rc < 0) {
        fprintf(stderr, "tuoyu duty-scan: %s\n", e.message);
        return CLI_FAIL;
    }
    printf("%d %d\n", found, town);
    return CLI_OK;
}
