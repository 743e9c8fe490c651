/* sms.c — `tuoyu sms-gateway`: store the HTTP SMS gateway a deployment sends through (its URL,
 * and credentials sealed with the personal-data key; src/inbox/sms.h). The credentials are read
 * from a file so they never appear in a process list or a shell history. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_setup.h"
#include "audit/audit.h"
#include "base/cli.h"
#include "base/date.h"
#include "commands.h"
#include "inbox/sms.h"

static const char USAGE[] =
    "usage: tuoyu sms-gateway --url https://HOST[:PORT]/PATH --credentials-file FILE\n"
    "                         [--db PATH | --pg CONNINFO] [--key FILE]\n"
    "  Store the HTTP SMS gateway: each message is POSTed to URL as {\"mobile\",\"text\"} with the first\n"
    "  line of FILE as the Authorization header; stored sealed with the personal-data key. The server\n"
    "  uses it from its next start (and then refuses --sms-sink); a private CA: `tuoyu serve --ca-file`.\n"
    "  http:// is accepted only for a loopback host (tests).\n";

int cmd_sms_gateway(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    struct app_options o;
    app_options_defaults(&o);
    const char *url = NULL, *file = NULL;
    for (int i = 1; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r < 0)
            return cli_usage_error("sms-gateway", "%s needs a value", argv[i]);
        if (r > 0)
            continue;
        if (i + 1 < argc && strcmp(argv[i], "--url") == 0)
            url = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--credentials-file") == 0)
            file = argv[++i];
        else
            return cli_usage_error("sms-gateway", "unknown option or missing value: %s", argv[i]);
    }
    if (!url || !file)
        return cli_usage_error("sms-gateway", "--url and --credentials-file are required");
    char credentials[600] = "";
    FILE *f = fopen(file, "r");
    if (!f || !fgets(credentials, sizeof credentials, f)) {
        if (f)
            fclose(f);
        fprintf(stderr, "tuoyu sms-gateway: cannot read the credentials from %s\n", file);
        return CLI_FAIL;
    }
    fclose(f);
    credentials[strcspn(credentials, "\r\n")] = '\0';
    static struct app app;
    struct db *db;
    struct err e = {0};
    if (app_open(&app, &o, &db, &e) < 0) {
        sodium_memzero(credentials, sizeof credentials);
        return app_open_failed("sms-gateway", &e);
    }
    char now_ts[DATE_TIMESTAMP_LEN];
    int64_t now = (int64_t)time(NULL);
    date_format_timestamp(now, now_ts, sizeof now_ts);
    json_t *fields = json_pack("{s:s}", "url", url);
    struct audit_entry a = {.district_code = app.district_code, .at = now, .action = "sms_gateway.set",
                            .target_type = "sms_gateway", .target_id = app.district_code, .fields = fields};
    int rc = db_begin(db, &e) < 0 ||
             sms_gateway_store(db, &app.key, app.district_code, url, credentials, now_ts, &e) < 0 ||
             audit_append_commit(db, &a, &e) < 0;
    json_decref(fields);
    sodium_memzero(credentials, sizeof credentials);
    if (rc)
        db_rollback(db);
    db_close(db);
    if (rc) {
        fprintf(stderr, "tuoyu sms-gateway: %s\n", e.message);
        return e.status == 422 ? CLI_USAGE : CLI_FAIL;
    }
    fprintf(stderr, "tuoyu sms-gateway: stored %s (restart the server to use it)\n", url);
    return CLI_OK;
}
