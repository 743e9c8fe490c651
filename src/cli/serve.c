/* serve.c — `tuoyu serve`: open the database (applying migrations), start the HTTP server with
 * every route table, and run until SIGINT/SIGTERM. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app_setup.h"
#include "auth/auth.h"
#include "base/cli.h"
#include "base/date.h"
#include "base/parse.h"
#include "commands.h"

static const char USAGE[] =
    "usage: tuoyu serve [--db PATH | --pg CONNINFO] [--key FILE] [--listen ADDR:PORT] [--web DIR]\n"
    "                   [--threads N] [--now YYYY-MM-DDTHH:MM:SSZ] [--staff-totp MODE] [--quiet]\n"
    "  Serve the API and the web app. Migrations are applied at start.\n"
    "  --db PATH        SQLite database file (default var/tuoyu.db)\n"
    "  --pg CONNINFO    PostgreSQL connection string instead of SQLite\n"
    "  --key FILE       personal-data key file (default: PATH.key beside the SQLite file; created 0600)\n"
    "  --listen A:P     address and port (default 127.0.0.1:8080; port 0 picks a free one)\n"
    "  --web DIR        static web app to serve (default web/dist when it exists)\n"
    "  --threads N      worker threads (default 4)\n"
    "  --now TIME       run with the clock set to TIME (for tests and demonstrations)\n"
    "  --staff-totp MODE  second factor (TOTP) of district_admin, security_admin and auditor:\n"
    "                   auto (default): required, unless the database holds the demonstration data;\n"
    "                   required; optional (not advised: only until the administrators have enrolled)\n"
    "  --quiet          no request log\n";

static int64_t app_clock(struct app *app) { return app_now(app); }

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    struct app_options opt;
    app_options_defaults(&opt);
    char listen_addr[64] = "127.0.0.1";
    int64_t port = 8080, threads = 4;
    const char *web = NULL, *now = NULL, *staff_totp = "auto";
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        int r = app_parse_db_option(&opt, argc, argv, &i);
        if (r < 0)
            return cli_usage_error("serve", "%s needs a value", argv[i]);
        if (r > 0)
            continue;
        if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error("serve", "unknown option or missing value: %s", argv[i]);
        const char *v = argv[++i];
        if (strcmp(argv[i - 1], "--listen") == 0) {
            const char *colon = strrchr(v, ':');
            if (!colon || colon == v || (size_t)(colon - v) >= sizeof listen_addr || parse_int64(colon + 1, &port) < 0 ||
                port < 0 || port > 65535)
                return cli_usage_error("serve", "--listen wants ADDR:PORT, got '%s'", v);
            snprintf(listen_addr, sizeof listen_addr, "%.*s", (int)(colon - v), v);
        } else if (strcmp(argv[i - 1], "--web") == 0) {
            web = v;
        } else if (strcmp(argv[i - 1], "--threads") == 0) {
            if (parse_int64(v, &threads) < 0 || threads < 1 || threads > 256)
                return cli_usage_error("serve", "--threads wants 1..256, got '%s'", v);
        } else if (strcmp(argv[i - 1], "--now") == 0) {
            now = v;
        } else if (strcmp(argv[i - 1], "--staff-totp") == 0) {
            if (strcmp(v, "auto") && strcmp(v, "required") && strcmp(v, "optional"))
                return cli_usage_error("serve", "--staff-totp wants auto, required or optional, got '%s'", v);
            staff_totp = v;
        } else {
            return cli_usage_error("serve", "unknown option: %s", argv[i - 1]);
        }
    }
    struct stat sb;
    if (!web && stat("web/dist/index.html", &sb) == 0)
        web = "web/dist";
    if (web && (stat(web, &sb) != 0 || !S_ISDIR(sb.st_mode)))
        return cli_usage_error("serve", "--web: '%s' is not a directory", web);

    static struct app app; /* lives as long as the server */
    struct db *db;
    struct err e = {0};
    if (app_open(&app, &opt, &db, &e) < 0)
        return app_open_failed("serve", &e); /* exit 2 when the key does not belong to the database */
    int demo = auth_demo_data(db, app.district_code, &e);
    db_close(db); /* workers open their own connections */
    if (demo < 0) {
        fprintf(stderr, "tuoyu serve: %s\n", e.message);
        return CLI_FAIL;
    }
    app.staff_totp_required = strcmp(staff_totp, "required") == 0 || (strcmp(staff_totp, "auto") == 0 && !demo);
    if (now) {
        int64_t t;
        if (date_parse_timestamp(now, &t) < 0) {
            fprintf(stderr, "tuoyu serve: --now: not an ISO timestamp: %s\n", now);
            return CLI_USAGE;
        }
        app.clock_offset = t - (int64_t)time(NULL);
    }
    for (const struct route *const *t = app_route_tables; *t; t++)
        for (const struct route *r = *t; r->method; r++)
            if (!authz_action_known(r->action)) {
                fprintf(stderr, "tuoyu serve: route %s %s names action '%s' that has no policy rule\n", r->method,
                        r->pattern, r->action);
                return CLI_FAIL;
            }

    struct http_server_config cfg = {
        .port = (int)port,
        .threads = (int)threads,
        .max_body = 1 << 20,
        .web_dir = web,
        .tables = app_route_tables,
        .app = &app,
        .before = auth_before,
        .after = auth_after,
        .clock = app_clock,
        .quiet = quiet,
    };
    snprintf(cfg.listen_addr, sizeof cfg.listen_addr, "%s", listen_addr);
    struct http_server *srv;
    if (http_server_start(&cfg, &srv, &e) < 0) {
        fprintf(stderr, "tuoyu serve: %s\n", e.message);
        return CLI_FAIL;
    }
    fprintf(stderr, "tuoyu: second factor (TOTP) of district_admin, security_admin and auditor: %s\n",
            app.staff_totp_required ? "required" : demo ? "not required (demonstration data)" : "not required (--staff-totp optional)");
    fprintf(stderr, "tuoyu: serving http://%s:%d/ (%s %s)\n", listen_addr, http_server_port(srv),
            opt.db.kind == DB_SQLITE ? "SQLite" : "PostgreSQL", opt.db.kind == DB_SQLITE ? opt.db.target : "");
    http_server_wait(srv);
    http_server_stop(srv);
    return CLI_OK;
}
