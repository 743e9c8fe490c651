/* sso.c — `tuoyu sso`: store the 浙里办 single sign-on provider a deployment's parents log in
 * through (src/auth/sso.h): the OpenID Connect issuer, the client id, the client secret (read
 * from a file so it never appears in a process list or a shell history; stored sealed with the
 * personal-data key), the redirect URI registered with the provider, the scopes. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_setup.h"
#include "audit/audit.h"
#include "auth/sso.h"
#include "base/cli.h"
#include "base/date.h"
#include "commands.h"

static const char USAGE[] =
    "usage: tuoyu sso --issuer URL --client-id ID --client-secret-file FILE --redirect-uri URL\n"
    "                 [--scopes \"openid profile\"] [--db PATH | --pg CONNINFO] [--key FILE]\n"
    "  Store the 浙里办 OpenID Connect provider: discovery at URL/.well-known/openid-configuration;\n"
    "  the client secret is the first line of FILE, stored sealed with the personal-data key;\n"
    "  --redirect-uri is the web app's address as registered with the provider (https://HOST/).\n"
    "  The login page shows 浙里办登录 at once (no restart). URLs: https://, or http:// to loopback.\n";

int cmd_sso(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    struct app_options o;
    app_options_defaults(&o);
    static struct sso_config c;
    snprintf(c.scopes, sizeof c.scopes, "%s", SSO_DEFAULT_SCOPES);
    const char *file = NULL;
    const struct {
        const char *flag;
        char *out;
        size_t cap;
    } texts[] = {{"--issuer", c.issuer, sizeof c.issuer},
                 {"--client-id", c.client_id, sizeof c.client_id},
                 {"--redirect-uri", c.redirect_uri, sizeof c.redirect_uri},
                 {"--scopes", c.scopes, sizeof c.scopes}};
    for (int i = 1; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r < 0)
            return cli_usage_error("sso", "%s needs a value", argv[i]);
        if (r > 0)
            continue;
        size_t k = 0, n = sizeof texts / sizeof *texts;
        while (k < n && strcmp(argv[i], texts[k].flag) != 0)
            k++;
        if (i + 1 < argc && k < n) {
            if (strlen(argv[++i]) >= texts[k].cap)
                return cli_usage_error("sso", "%s is too long", texts[k].flag);
            snprintf(texts[k].out, texts[k].cap, "%s", argv[i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--client-secret-file") == 0) {
            file = argv[++i];
        } else {
            return cli_usage_error("sso", "unknown option or missing value: %s", argv[i]);
        }
    }
    if (!c.issuer[0] || !c.client_id[0] || !c.redirect_uri[0] || !file)
        return cli_usage_error("sso", "--issuer, --client-id, --client-secret-file and --redirect-uri are required");
    FILE *f = fopen(file, "r");
    if (!f || !fgets(c.client_secret, sizeof c.client_secret, f)) {
        if (f)
            fclose(f);
        fprintf(stderr, "tuoyu sso: cannot read the client secret from %s\n", file);
        return CLI_FAIL;
    }
    fclose(f);
    c.client_secret[strcspn(c.client_secret, "\r\n")] = '\0';
    static struct app app;
    struct db *db;
    struct err e = {0};
    if (app_open(&app, &o, &db, &e) < 0) {
        sodium_memzero(&c, sizeof c);
        return app_open_failed("sso", &e);
    }
    char now_ts[DATE_TIMESTAMP_LEN];
    int64_t now = (int64_t)time(NULL);
    date_format_timestamp(now, now_ts, sizeof now_ts);
    json_t *fields = json_pack("{s:s, s:s, s:s, s:s}", "issuer", c.issuer, "client_id", c.client_id, "redirect_uri",
                               c.redirect_uri, "scopes", c.scopes);
    struct audit_entry a = {.district_code = app.district_code, .at = now, .action = "sso.configure",
                            .target_type = "sso_config", .target_id = app.district_code, .fields = fields};
    int rc = db_begin(db, &e) < 0 || sso_config_store(db, &app.key, app.district_code, &c, now_ts, &e) < 0 ||
             audit_append_commit(db, &a, &e) < 0;
    json_decref(fields);
    sodium_memzero(&c, sizeof c);
    if (rc)
        db_rollback(db);
    db_close(db);
    if (rc) {
        fprintf(stderr, "tuoyu sso: %s (%s)\n", e.message, e.field);
        return e.status == 422 ? CLI_USAGE : CLI_FAIL;
    }
    fprintf(stderr, "tuoyu sso: stored; parents can log in with 浙里办\n");
    return CLI_OK;
}
