/* workdays.c — `tuoyu workdays add|is`: the working-day calendar of the database, from the command
 * line, for checking a deadline and for officials (the same counting as every deadline of the
 * server: date_add_working_days on the calendar src/calendar/ loads). */
#include <stdio.h>
#include <string.h>

#include "app_setup.h"
#include "base/cli.h"
#include "base/parse.h"
#include "base/workdays.h"
#include "calendar/store.h"
#include "commands.h"

static const char USAGE[] =
    "usage: tuoyu workdays add YYYY-MM-DD N [--db PATH | --pg CONNINFO]\n"
    "       tuoyu workdays is YYYY-MM-DD [--db PATH | --pg CONNINFO]\n"
    "  add  print the date N working days after YYYY-MM-DD; the day itself never counts, N = 0 prints\n"
    "       it, a negative N counts backwards:  tuoyu workdays add 2024-09-30 5  →  2024-10-12\n"
    "  is   print work (a working day) or off\n"
    "  Working days are Monday–Friday and the adjusted working days (调休) the calendar lists, less\n"
    "  the holidays it lists. The calendar is the database's (seeded 2023–2026 from the State\n"
    "  Council's notices; the district administrator adds years: console 工作日历, PUT\n"
    "  /api/v1/calendar/{year}). A date, or a count, reaching a year the calendar does not hold is\n"
    "  an error naming the year to add (exit 2).\n";

int cmd_workdays(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    struct app_options o;
    app_options_defaults(&o);
    o.no_key = 1; /* the calendar holds no personal data */
    const char *args[3];
    int nargs = 0;
    for (int i = 1; i < argc; i++) {
        int r = strncmp(argv[i], "--", 2) == 0 ? app_parse_db_option(&o, argc, argv, &i) : 0;
        if (r < 0)
            return cli_usage_error("workdays", "%s needs a value", argv[i]);
        if (r == 0 && (strncmp(argv[i], "--", 2) == 0 || nargs == 3))
            return cli_usage_error("workdays", "unknown argument: %s", argv[i]);
        if (r == 0)
            args[nargs++] = argv[i];
    }
    int add = nargs > 0 && strcmp(args[0], "add") == 0, is = nargs > 0 && strcmp(args[0], "is") == 0;
    if (nargs == 0)
        return cli_usage_error("workdays", "add or is expected");
    if (!add && !is)
        return cli_usage_error("workdays", "unknown subcommand: %s", args[0]);
    if (nargs != (add ? 3 : 2))
        return cli_usage_error("workdays", add ? "add takes a date and a number of working days"
                                               : "is takes one date");
    struct err e = {0};
    if (date_parse(args[1], NULL, &e) < 0)
        return cli_usage_error("workdays", "%s", e.message);
    int64_t n = 0;
    if (add && (parse_int64(args[2], &n) < 0 || n < -DATE_MAX_WORKING_DAYS || n > DATE_MAX_WORKING_DAYS))
        return cli_usage_error("workdays", "N must be a whole number of working days (%d to %d): %s",
                               -DATE_MAX_WORKING_DAYS, DATE_MAX_WORKING_DAYS, args[2]);

    static struct app app;
    struct db *db;
    if (app_open(&app, &o, &db, &e) < 0)
        return app_open_failed("workdays", &e);
    struct date_calendar cal;
    int rc = calendar_load(db, app.district_code, &cal, &e);
    db_close(db);
    if (rc < 0) {
        fprintf(stderr, "tuoyu workdays: %s\n", e.message);
        return CLI_FAIL;
    }
    char out[DATE_DAY_LEN];
    int working = 0;
    rc = add ? date_add_working_days(&cal, args[1], (int)n, out, &e) : date_is_working_day(&cal, args[1], &working, &e);
    date_calendar_free(&cal);
    if (rc < 0) {
        fprintf(stderr, "tuoyu workdays: %s\n", e.message);
        return CLI_USAGE;
    }
    puts(add ? out : working ? "work" : "off");
    return CLI_OK;
}
