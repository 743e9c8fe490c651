/* cli.c — `tuoyu subsidy childcare|construction`: subsidies for a CSV of children or institutions,
 * CSV out (like `tuoyu zscore`), on the parameters the database holds for the day. For batch use
 * by the finance bureau and for checking a figure by hand. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app_setup.h"
#include "base/cli.h"
#include "base/date.h"
#include "base/parse.h"
#include "commands.h"
#include "funds/store.h"
#include "funds/subsidy_csv.h"

static const char USAGE[] =
    "usage: tuoyu subsidy childcare [--year YYYY] [--date YYYY-MM-DD] [--db PATH | --pg CONNINFO] < in.csv > out.csv\n"
    "       tuoyu subsidy construction [--date YYYY-MM-DD] [--db PATH | --pg CONNINFO] < in.csv > out.csv\n"
    "  Subsidies computed from the parameters the database holds (policy parameters, console 政策参数),\n"
    "  those in force on --date (default today, Beijing time).\n"
    "  --year YYYY   childcare: also the months and amount falling in that calendar year (paid by year)\n";

int cmd_subsidy(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        fputs(FUNDS_CSV_HELP, stdout);
        return CLI_OK;
    }
    struct app_options o;
    app_options_defaults(&o);
    o.no_key = 1; /* the rules hold no personal data, and the rows never reach the database */
    const char *kind = NULL, *date = NULL, *year_arg = NULL;
    for (int i = 1; i < argc; i++) {
        int r = strncmp(argv[i], "--", 2) == 0 ? app_parse_db_option(&o, argc, argv, &i) : 0;
        if (r < 0)
            return cli_usage_error("subsidy", "%s needs a value", argv[i]);
        if (r > 0)
            continue;
        if ((strcmp(argv[i], "--date") == 0 || strcmp(argv[i], "--year") == 0) && i + 1 < argc) {
            *(argv[i][2] == 'd' ? &date : &year_arg) = argv[i + 1];
            i++;
        } else if (strncmp(argv[i], "--", 2) == 0 || kind) {
            return cli_usage_error("subsidy", "unknown argument: %s", argv[i]);
        } else {
            kind = argv[i];
        }
    }
    int childcare = kind && strcmp(kind, "childcare") == 0, construction = kind && strcmp(kind, "construction") == 0;
    if (!kind)
        return cli_usage_error("subsidy", "childcare or construction expected");
    if (!childcare && !construction)
        return cli_usage_error("subsidy", "unknown kind: %s (childcare or construction)", kind);
    char today[DATE_DAY_LEN];
    struct err e = {0};
    if (date && date_parse(date, NULL, &e) < 0)
        return cli_usage_error("subsidy", "--date: %s", e.message);
    if (date)
        snprintf(today, sizeof today, "%s", date);
    else
        date_format_day(time(NULL), today, sizeof today);
    int64_t year = 0;
    if (year_arg && !childcare)
        return cli_usage_error("subsidy", "--year goes with childcare");
    if (year_arg && (parse_int64(year_arg, &year) < 0 || year < 1900 || year > 9999))
        return cli_usage_error("subsidy", "--year must be a year (1900–9999): %s", year_arg);

    static struct app app;
    struct db *db;
    if (app_open(&app, &o, &db, &e) < 0)
        return app_open_failed("subsidy", &e);
    struct funds_childcare_rules cr;
    struct funds_construction_rules kr;
    int rc = childcare ? funds_store_childcare_rules(db, app.district_code, today, &cr, &e)
                       : funds_store_construction_rules(db, app.district_code, today, &kr, NULL, &e);
    db_close(db);
    if (rc < 0) {
        fprintf(stderr, "tuoyu subsidy: %s\n", e.message);
        return CLI_FAIL;
    }
    long rows = childcare ? funds_childcare_csv(stdin, "stdin", stdout, &cr, today, (int)year, &e)
                          : funds_construction_csv(stdin, "stdin", stdout, &kr, &e);
    if (rows < 0) {
        fprintf(stderr, "tuoyu subsidy: %s\n", e.message);
        return CLI_USAGE;
    }
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}
