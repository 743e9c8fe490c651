/* cli.c — `tuoyu exchange-client`: the machine clients of the data exchange feed, managed by
 * whoever runs the server (never through the API): add one (its token is printed once, on
 * stdout, and only its SHA-256 is kept), revoke its tokens, list them. Adding and revoking are
 * audited. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_setup.h"
#include "audit/audit.h"
#include "auth/clients.h"
#include "base/cli.h"
#include "base/date.h"
#include "commands.h"

static const char USAGE[] =
    "usage: tuoyu exchange-client add LOGIN --name NAME [--db PATH | --pg CONNINFO]\n"
    "       tuoyu exchange-client revoke LOGIN [--db PATH | --pg CONNINFO]\n"
    "       tuoyu exchange-client list [--db PATH | --pg CONNINFO]\n"
    "  A machine client (浙有善育, 安心托, a city platform) reads GET /api/v1/exchange/institutions with\n"
    "  \"Authorization: Bearer TOKEN\" and nothing else. add prints TOKEN once on stdout: give it to the\n"
    "  client over a safe channel; it is not stored. revoke ends every token of the client. Both are\n"
    "  written to the audit log. docs/exchange.md describes the feed.\n";

int cmd_exchange_client(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    if (argc < 2)
        return cli_usage_error("exchange-client", "add, revoke or list?");
    const char *verb = argv[1], *login = NULL, *name = NULL;
    struct app_options o;
    app_options_defaults(&o);
    int first = strcmp(verb, "list") == 0 ? 2 : 3;
    if (strcmp(verb, "add") && strcmp(verb, "revoke") && strcmp(verb, "list"))
        return cli_usage_error("exchange-client", "unknown verb: %s", verb);
    if (first == 3) {
        if (argc < 3 || argv[2][0] == '-')
            return cli_usage_error("exchange-client", "%s needs the client's LOGIN", verb);
        login = argv[2];
    }
    for (int i = first; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r < 0)
            return cli_usage_error("exchange-client", "%s needs a value", argv[i]);
        if (r > 0)
            continue;
        if (i + 1 < argc && strcmp(argv[i], "--name") == 0 && strcmp(verb, "add") == 0)
            name = argv[++i];
        else
            return cli_usage_error("exchange-client", "unknown option or missing value: %s", argv[i]);
    }
    if (strcmp(verb, "add") == 0 && !name)
        return cli_usage_error("exchange-client", "add needs --name NAME");
    static struct app app;
    struct db *db;
    struct err e = {0};
    if (app_open(&app, &o, &db, &e) < 0)
        return app_open_failed("exchange-client", &e);
    int rc = 0;
    if (first == 2) {
        json_t *rows;
        if ((rc = clients_list(db, app.district_code, &rows, &e)) == 0) {
            char *text = json_dumps(rows, JSON_INDENT(2));
            puts(text ? text : "[]");
            free(text);
            json_decref(rows);
        }
    } else {
        char now_ts[DATE_TIMESTAMP_LEN], token[TOKEN_TEXT_LEN] = "";
        int64_t now = (int64_t)time(NULL), user_id = 0;
        date_format_timestamp(now, now_ts, sizeof now_ts);
        int adding = strcmp(verb, "add") == 0;
        json_t *fields = json_pack("{s:s}", "login", login);
        char target[24];
        rc = db_begin(db, &e);
        if (rc == 0)
            rc = adding ? clients_add(db, app.district_code, login, name, now_ts, token, &user_id, &e)
                        : clients_revoke(db, app.district_code, login, now_ts, &user_id, &e);
        snprintf(target, sizeof target, "%" PRId64, user_id);
        struct audit_entry a = {.district_code = app.district_code, .at = now,
                                .action = adding ? "exchange_client.add" : "exchange_client.revoke",
                                .target_type = "user", .target_id = target, .fields = fields};
        if (rc == 0)
            rc = audit_append_commit(db, &a, &e);
        json_decref(fields);
        if (rc < 0)
            db_rollback(db);
        else if (adding)
            printf("%s\n", token);
        else
            fprintf(stderr, "tuoyu exchange-client: the tokens of %s are revoked\n", login);
    }
    db_close(db);
    if (rc < 0) {
        fprintf(stderr, "tuoyu exchange-client: %s\n", e.message);
        return e.status == 422 || e.status == 409 || e.status == 404 ? CLI_USAGE : CLI_FAIL;
    }
    return CLI_OK;
}
