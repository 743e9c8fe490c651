/* main.c — the tuoyu command line: dispatches `tuoyu COMMAND ...` to the module that owns it. */
#include <stdio.h>
#include <string.h>

#include "base/cli.h"
#include "commands.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    /* one line per command, kept in this order; add yours above the end marker */
    {"serve", cmd_serve, "serve the API and the web app (http://127.0.0.1:8080)"},
    {"migrate", cmd_migrate, "apply pending database migrations"},
    {"demo", cmd_demo, "create the Ouhai demonstration data (演示数据)"},
    {"user", cmd_user, "add a user, change a password, disable an account"},
    {"import", cmd_import, "import institutions from the template's .xlsx or a CSV (UTF-8 or GBK; all or nothing)"},
    {"template", cmd_template, "write the institutions import template (.xlsx) to standard output"},
    {"backup", cmd_backup, "online backup of the database with its key file (SQLite, PostgreSQL)"},
    {"restore", cmd_restore, "put a backup in place after checking its integrity and key"},
    {"audit", cmd_audit, "verify the audit log's hash chain"},
    {"routes", cmd_routes, "list HTTP routes with their schemas and authorization policy"},
    {"openapi", cmd_openapi, "print the OpenAPI 3.1 document of the HTTP API"},
    {"zscore", cmd_zscore, "WHO growth z-scores, flags and percentiles for a CSV (stdin → stdout)"},
    {"plan", cmd_plan, "15-minute service circle: coverage, E2SFCA access, new sites (路网)"},
    {"allocate", cmd_allocate, "allocate places: deferred acceptance with points and lottery (CSV)"},
    {"sms-gateway", cmd_sms_gateway, "store the HTTP SMS gateway (URL, sealed credentials) parents' codes go through"},
    {"sso", cmd_sso, "store the 浙里办 single sign-on provider (OpenID Connect issuer, client, sealed secret)"},
    {"workdays", cmd_workdays, "working days on the calendar: the date N working days after a date (工作日)"},
    {"subsidy", cmd_subsidy, "subsidies for a CSV: 育儿补贴 by eligible month, construction subsidy with its cap (CSV in, CSV out)"},
    {"purge", cmd_purge, "delete records past their retention period (retention.* parameters), audited"},
    {"checkup-reminders", cmd_checkup_reminders, "remind families of their children's health checks falling due (daily, once per window)"},
    {"duty-scan", cmd_duty_scan, "record classes whose caregiver ratio stayed broken too long and tell the institution (and the town); every few minutes"},
    {"exchange-client", cmd_exchange_client, "machine clients of the data exchange feed: add (prints its token once), revoke, list"},
    {NULL, NULL, NULL} /* end */
};

static void usage(FILE *out)
{
    fprintf(out, "tuoyu — 瓯海区普惠托育基本公共服务平台\n\nusage: tuoyu COMMAND [options]   (tuoyu COMMAND --help for each)\n\n");
    for (const struct command *c = commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    for (const struct command *c = commands; c->name; c++)
        if (strcmp(argv[1], c->name) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "tuoyu: unknown command '%s' (see tuoyu --help)\n", argv[1]);
    return CLI_USAGE;
}
