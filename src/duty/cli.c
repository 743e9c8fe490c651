/* cli.c — `tuoyu duty-scan`: replay today's classes of the district to now and record each break
 * of the caregiver ratio longer than duty.ratio_broken_minutes (findings.c), telling the
 * institution's operators of a new one and the town's officers of one past duty.ratio_town_minutes.
 * A break nobody touches (no duty or attendance written while it lasts) is found here: run it from
 * cron every few minutes during opening hours. A second run records nothing new. One transaction
 * with its audit row. */
#include <stdio.h>

#include "base/cli.h"
#include "base/date.h"
#include "cli/job.h"
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
    static struct cli_job j;
    static struct duty_raised raised[DUTY_MAX_RAISED];
    int code;
    if (!cli_job_open(&j, "duty-scan", USAGE, argc, argv, &code))
        return code;
    struct err e = {0};
    struct authz_scope district = {.sql = "1 = 1"};
    int town = 0;
    int n = db_begin(j.db, &e) < 0 ? -1
                                   : duty_findings_scan(j.db, j.app.district_code, &district, j.today,
                                                        date_minute_of_day(j.now), j.now_ts, raised, DUTY_MAX_RAISED,
                                                        &town, &e);
    int found = n - town;
    json_t *fields = json_pack("{s:s, s:i, s:i}", "date", j.today, "found", found, "town_told", town);
    code = cli_job_close(&j, n < 0 ? -1 : 0, "duty.scan", "duty_finding", fields, &e);
    json_decref(fields);
    if (code == CLI_OK)
        printf("%d %d\n", found, town);
    return code;
}
