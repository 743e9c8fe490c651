/* serve.c — `tuoyu serve`: open the database (applying migrations), start the HTTP server with
 * every route table, and run until SIGINT/SIGTERM. Also the transport (TLS, trusted proxies, the
 * /metrics token) and the connection limits and deadlines, and the descriptor limit they need. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "app_setup.h"
#include "audit/export.h"
#include "auth/auth.h"
#include "base/cli.h"
#include "base/date.h"
#include "base/http_client.h"
#include "base/parse.h"
#include "commands.h"
#include "db/replica.h"
#include "inbox/sms.h"
#include "materials/store.h"
#include "jurisdiction/rows.h"
#include "planning/keeper.h"
#include "routes.h"
#include "video/record.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static const char USAGE[] =
    "usage: tuoyu serve [--db PATH | --pg CONNINFO [--pg-read CONNINFO]] [--key FILE] [--listen ADDR:PORT]\n"
    "                   [--web DIR] [--pg-read-max-lag-ms MS]\n"
    "                   [--threads N] [--now YYYY-MM-DDTHH:MM:SSZ] [--staff-totp MODE] [--quiet]\n"
    "                   [--tls-cert FILE --tls-key FILE] [--trusted-proxy ADDR[,ADDR...]]\n"
    "                   [--metrics-token-file FILE] [--max-connections N] [--max-connections-per-addr N]\n"
    "                   [--header-timeout S] [--body-timeout S] [--idle-timeout S] [--sms-sink FILE]\n"
    "                   [--ca-file FILE] [--outbound-timeout S] [--video-probe-seconds S]\n"
    "                   [--planning-refresh-seconds S]\n"
    "                   [--video-loopback-only]\n"
    "  Serve the API and the web app. Migrations are applied at start.\n"
    "  --db PATH        SQLite database file (default var/tuoyu.db)\n"
    "  --pg CONNINFO    PostgreSQL connection string instead of SQLite\n"
    "  --pg-read CONNINFO  a streaming replica of --pg (docs/scale.md): reads (GET) go there while it\n"
    "                   has replayed what the primary wrote --pg-read-max-lag-ms ago and the caller's\n"
    "                   own last write; everything else, and every read when it falls behind or does\n"
    "                   not answer, goes to the primary\n"
    "  --pg-read-max-lag-ms MS  how far behind the replica may be (default " STR(DB_REPLICA_DEFAULT_MAX_LAG_MS) ")\n"
    "  --key FILE       personal-data key file (default: PATH.key beside the SQLite file; created 0600)\n"
    "  --listen A:P     address and port (default 127.0.0.1:8080; port 0 picks a free one)\n"
    "  --web DIR        static web app to serve (default web/dist when it exists)\n"
    "  --threads N      worker threads (default 4)\n"
    "  --now TIME       run with the clock set to TIME (for tests and demonstrations)\n"
    "  --staff-totp MODE  second factor (TOTP) of district_admin, security_admin and auditor:\n"
    "                   auto (default): required, unless the database holds the demonstration data;\n"
    "                   required; optional (not advised: only until the administrators have enrolled)\n"
    "  --quiet          no request log\n"
    " Transport (docs/operations.md):\n"
    "  --tls-cert FILE  serve HTTPS (TLS 1.2 and 1.3) with this PEM certificate chain; needs --tls-key\n"
    "  --tls-key FILE   the certificate's PEM private key\n"
    "  --trusted-proxy ADDR  a reverse proxy, an address or network (10.0.0.0/8); repeatable or a comma\n"
    "                   list. Its X-Forwarded-For names the client (logs, login throttle) and its\n"
    "                   X-Forwarded-Proto: https makes the session cookie Secure and adds HSTS\n"
    "  --metrics-token-file FILE  GET /metrics answers clients on this machine, and others that send\n"
    "                   \"Authorization: Bearer TOKEN\" with TOKEN the file's first line (16+ characters)\n"
    " Connections (a client over a limit or past a deadline is closed):\n"
    "  --max-connections N  all clients together (default " STR(HTTP_DEFAULT_MAX_CONNECTIONS) ", lowered to what the\n"
    "                   descriptor limit allows; the soft limit is raised to the hard one at start)\n"
    "  --max-connections-per-addr N  one IPv4 address or IPv6 /64 (default " STR(HTTP_DEFAULT_MAX_PER_ADDR) "; 0 = no limit);\n"
    "                   trusted proxies are exempt\n"
    "  --header-timeout S  a request's headers must be in S seconds after the connection opened or the\n"
    "                   request's first byte came (default " STR(HTTP_DEFAULT_HEADER_TIMEOUT) ")\n"
    "  --body-timeout S its body S seconds after its headers (default " STR(HTTP_DEFAULT_BODY_TIMEOUT) ")\n"
    "  --idle-timeout S a connection with nothing to do for S seconds (default " STR(HTTP_DEFAULT_IDLE_TIMEOUT) ")\n"
    "  --sms-sink FILE  tests and demonstrations: text messages (sign-up codes included) are appended to\n"
    "                   FILE instead of sent; only with a loopback --listen and no stored SMS gateway\n"
    "                   (a deployment stores its gateway with `tuoyu sms-gateway`)\n"
    " Outbound HTTPS (the SMS gateway, single sign-on; certificates always verified):\n"
    "  --ca-file FILE   also trust the certificate authorities of this PEM file (a private CA)\n"
    "  --outbound-timeout S  a whole outbound exchange (default " STR(HTTP_CLIENT_DEFAULT_TIMEOUT) ")\n"
    " 可视托 video supervision (src/video/: every active camera probed for liveness):\n"
    "  --video-probe-seconds S  probe every S seconds instead of the parameter video.probe_interval_s;\n"
    "                   0 (default) follows the parameter\n"
    "  --video-loopback-only  tests: cameras may only be registered at loopback addresses\n"
    " 一屏掌控 (src/planning/keeper.c: the 15-minute service circle kept current):\n"
    "  --planning-refresh-seconds S  look for changed inputs every S seconds (default 60)\n"
    " 区县比较 (src/jurisdiction/rows.c: the province's district rows made ahead of the first reader):\n"
    "  --region-refresh-seconds S  look for changed districts every S seconds (default 60; 0: none\n"
    "                   made ahead, the first reader makes them)\n";

/* Each client connection takes a descriptor: let the process have as many as its hard limit
 * allows (the server sizes its connection limit from what it gets). */
static void raise_descriptor_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl); /* a hard limit of "unlimited" may be refused: keep the soft one */
    }
}

/* The whole of a file of at most max bytes, NUL-terminated and malloc'd; NULL after a message. */
static char *read_small_file(const char *flag, const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "tuoyu serve: %s: cannot read %s\n", flag, path);
        return NULL;
    }
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    int bad = !buf || ferror(f) || n > max;
    fclose(f);
    if (bad) {
        fprintf(stderr, "tuoyu serve: %s: %s is unreadable or larger than %zu bytes\n", flag, path, max);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* The /metrics token: the file's first line, at least 16 printable ASCII characters. */
static char *read_token(const char *path)
{
    char *t = read_small_file("--metrics-token-file", path, 4096);
    if (!t)
        return NULL;
    t[strcspn(t, "\r\n")] = '\0';
    size_t n = strlen(t);
    for (size_t i = 0; i < n; i++)
        if (t[i] <= ' ' || t[i] > '~')
            n = 0;
    if (n < 16) {
        fprintf(stderr, "tuoyu serve: --metrics-token-file: the first line of %s must be a token of 16 or more "
                        "printable characters without spaces\n", path);
        free(t);
        return NULL;
    }
    return t;
}

static int64_t app_clock(struct app *app) { return app_now(app); }

/* Is the --listen address a loopback one (127.0.0.0/8, ::1)? */
static int is_loopback(const char *addr)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, addr, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    const char *a = addr[0] == '[' ? addr + 1 : addr;
    char bare[64];
    snprintf(bare, sizeof bare, "%.*s", (int)strcspn(a, "]"), a);
    return inet_pton(AF_INET6, bare, &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    struct app_options opt;
    app_options_defaults(&opt);
    char listen_addr[64] = "127.0.0.1";
    int64_t port = 8080, threads = 4, max_conns = HTTP_DEFAULT_MAX_CONNECTIONS, per_addr = HTTP_DEFAULT_MAX_PER_ADDR;
    int64_t outbound_timeout = HTTP_CLIENT_DEFAULT_TIMEOUT, video_probe_seconds = 0, planning_refresh_seconds = 60,
            region_refresh_seconds = 60, replica_max_lag_ms = DB_REPLICA_DEFAULT_MAX_LAG_MS;
    int64_t header_timeout = HTTP_DEFAULT_HEADER_TIMEOUT, body_timeout = HTTP_DEFAULT_BODY_TIMEOUT,
            idle_timeout = HTTP_DEFAULT_IDLE_TIMEOUT;
    const char *web = NULL, *now = NULL, *staff_totp = "auto", *tls_cert = NULL, *tls_key = NULL, *token_file = NULL,
               *sms_sink = NULL, *ca_file = NULL, *pg_read = NULL;
    char trusted[2048] = "";
    int quiet = 0, video_loopback_only = 0;
    /* integer flags and their ranges */
    const struct {
        const char *flag;
        int64_t *value, min, max;
    } ints[] = {
        {"--threads", &threads, 1, 256},
        {"--max-connections", &max_conns, 1, 1000000},
        {"--max-connections-per-addr", &per_addr, 0, 1000000},
        {"--header-timeout", &header_timeout, 1, 3600},
        {"--body-timeout", &body_timeout, 1, 3600},
        {"--idle-timeout", &idle_timeout, 1, 3600},
        {"--outbound-timeout", &outbound_timeout, 1, 600},
        {"--video-probe-seconds", &video_probe_seconds, 0, 86400},
        {"--planning-refresh-seconds", &planning_refresh_seconds, 1, 86400},
        {"--region-refresh-seconds", &region_refresh_seconds, 0, 86400},
        {"--pg-read-max-lag-ms", &replica_max_lag_ms, 100, 600000},
    };
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
        if (strcmp(argv[i], "--video-loopback-only") == 0) {
            video_loopback_only = 1;
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
        } else if (strcmp(argv[i - 1], "--now") == 0) {
            now = v;
        } else if (strcmp(argv[i - 1], "--staff-totp") == 0) {
            if (strcmp(v, "auto") && strcmp(v, "required") && strcmp(v, "optional"))
                return cli_usage_error("serve", "--staff-totp wants auto, required or optional, got '%s'", v);
            staff_totp = v;
        } else if (strcmp(argv[i - 1], "--tls-cert") == 0) {
            tls_cert = v;
        } else if (strcmp(argv[i - 1], "--tls-key") == 0) {
            tls_key = v;
        } else if (strcmp(argv[i - 1], "--sms-sink") == 0) {
            sms_sink = v;
        } else if (strcmp(argv[i - 1], "--ca-file") == 0) {
            ca_file = v;
        } else if (strcmp(argv[i - 1], "--pg-read") == 0) {
            pg_read = v;
        } else if (strcmp(argv[i - 1], "--metrics-token-file") == 0) {
            token_file = v;
        } else if (strcmp(argv[i - 1], "--trusted-proxy") == 0) {
            size_t used = strlen(trusted);
            if (used + strlen(v) + 2 > sizeof trusted)
                return cli_usage_error("serve", "--trusted-proxy: too many addresses");
            snprintf(trusted + used, sizeof trusted - used, "%s%s", used ? "," : "", v);
        } else {
            size_t k = 0, nints = sizeof ints / sizeof ints[0];
            while (k < nints && strcmp(argv[i - 1], ints[k].flag) != 0)
                k++;
            if (k == nints)
                return cli_usage_error("serve", "unknown option: %s", argv[i - 1]);
            if (parse_int64(v, ints[k].value) < 0 || *ints[k].value < ints[k].min || *ints[k].value > ints[k].max)
                return cli_usage_error("serve", "%s wants %" PRId64 "..%" PRId64 ", got '%s'", ints[k].flag,
                                       ints[k].min, ints[k].max, v);
        }
    }
    struct db_config replica = {.kind = DB_PG};
    if (pg_read) {
        if (opt.db.kind != DB_PG)
            return cli_usage_error("serve", "--pg-read goes with --pg (a replica of that PostgreSQL)");
        if (strlen(pg_read) >= sizeof replica.target)
            return cli_usage_error("serve", "--pg-read: connection string too long");
        snprintf(replica.target, sizeof replica.target, "%s", pg_read);
    }
    struct stat sb;
    if (!web && stat("web/dist/index.html", &sb) == 0)
        web = "web/dist";
    if (web && (stat(web, &sb) != 0 || !S_ISDIR(sb.st_mode)))
        return cli_usage_error("serve", "--web: '%s' is not a directory", web);

    raise_descriptor_limit();
    static struct app app; /* lives as long as the server */
    struct http_server_config cfg = {
        .port = (int)port,
        .threads = (int)threads,
        .max_body = 1 << 20,
        .web_dir = web,
        .tables = app_route_tables,
        .app = &app,
        .before = auth_before,
        .after = auth_after,
        .replying = auth_replying,
        .on_export = audit_list_export,
        .clock = app_clock,
        .quiet = quiet,
        .max_connections = (int)max_conns,
        .max_per_addr = per_addr ? (int)per_addr : -1,
        .header_timeout = (int)header_timeout,
        .body_timeout = (int)body_timeout,
        .idle_timeout = (int)idle_timeout,
        .trusted_proxies = trusted,
    };
    snprintf(cfg.listen_addr, sizeof cfg.listen_addr, "%s", listen_addr);
    char *cert_pem = NULL, *key_pem = NULL, *token = NULL;
    int rc = CLI_FAIL;
    if ((tls_cert && !(cfg.tls_cert_pem = cert_pem = read_small_file("--tls-cert", tls_cert, 1 << 20))) ||
        (tls_key && !(cfg.tls_key_pem = key_pem = read_small_file("--tls-key", tls_key, 1 << 20))) ||
        (token_file && !(cfg.metrics_token = token = read_token(token_file))))
        goto out;

    struct err e = {0};
    if (http_client_setup(ca_file, (int)outbound_timeout, &e) < 0) {
        rc = cli_usage_error("serve", "--ca-file: %s", e.message);
        goto out;
    }
    if (http_server_check_config(&cfg, &e) < 0) {
        rc = cli_usage_error("serve", "%s", e.message);
        goto out;
    }
    struct db *db;
    if (app_open(&app, &opt, &db, &e) < 0) {
        rc = app_open_failed("serve", &e); /* exit 2 when the key does not belong to the database */
        goto out;
    }
    int demo = auth_demo_data(db, app.district_code, &e);
    static struct sms_gateway sms; /* the sender thread's copy is made at its start */
    int stored_gateway = demo < 0 ? -1 : sms_gateway_load(db, &app.key, app.district_code, &sms, &e);
    db_close(db); /* workers open their own connections */
    if (demo < 0 || stored_gateway < 0) {
        fprintf(stderr, "tuoyu serve: %s\n", e.message);
        goto out;
    }
    if (sms_sink) {
        /* codes written to a file are for tests and demonstrations on this machine only */
        if (stored_gateway) {
            rc = cli_usage_error("serve", "--sms-sink: this database has an SMS gateway (tuoyu sms-gateway); refused");
            goto out;
        }
        if (!is_loopback(listen_addr)) {
            rc = cli_usage_error("serve", "--sms-sink: only with a loopback --listen address (127.0.0.1, ::1); refused");
            goto out;
        }
        sms.adapter = SMS_SINK;
        snprintf(sms.sink_path, sizeof sms.sink_path, "%s", sms_sink);
    }
    app.sms_enabled = sms.adapter != SMS_NONE;
    app.video_loopback_only = video_loopback_only;
    app.staff_totp_required = strcmp(staff_totp, "required") == 0 || (strcmp(staff_totp, "auto") == 0 && !demo);
    if (now) {
        int64_t t;
        if (date_parse_timestamp(now, &t) < 0) {
            fprintf(stderr, "tuoyu serve: --now: not an ISO timestamp: %s\n", now);
            rc = CLI_USAGE;
            goto out;
        }
        app.clock_offset = t - (int64_t)time(NULL);
    }
    for (const struct route *const *t = app_route_tables; *t; t++)
        for (const struct route *r = *t; r->method; r++) {
            const char *unknown = authz_action_known(r->action) ? NULL : r->action;
            for (const char *const *s = r->subactions; !unknown && s && *s; s++)
                if (!authz_action_known(*s))
                    unknown = *s;
            if (unknown) {
                fprintf(stderr, "tuoyu serve: route %s %s names action '%s' that has no policy rule\n", r->method,
                        r->pattern, unknown);
                goto out;
            }
        }

    /* materials of a SQLite deployment live beside the database, and uploads stream into the same
     * directory so that a finished one is linked into place (src/materials/store.h) */
    static struct materials_store materials;
    materials_store_of(&opt.db, &materials);
    if (materials_store_prepare(&materials, &e) < 0) {
        fprintf(stderr, "tuoyu serve: %s\n", e.message);
        goto out;
    }
    cfg.upload_dir = materials_store_in_files(&materials) ? materials.dir : NULL;

    if (pg_read) {
        app.replica_mark_seconds = (int)((replica_max_lag_ms + 999) / 1000) + 2;
        if (!(app.replica = db_replica_start(&opt.db, &replica, (int)replica_max_lag_ms, &e))) {
            fprintf(stderr, "tuoyu serve: %s\n", e.message);
            goto out;
        }
    }
    struct http_server *srv;
    if (http_server_start(&cfg, &srv, &e) < 0) {
        fprintf(stderr, "tuoyu serve: %s\n", e.message);
        goto out;
    }
    struct sms_sender *sender = NULL;
    if (app.sms_enabled && !(sender = sms_sender_start(&app, &sms, &e))) {
        fprintf(stderr, "tuoyu serve: %s\n", e.message);
        http_server_stop(srv);
        goto out;
    }
    sodium_memzero(&sms, sizeof sms);
    struct video_prober *prober = video_prober_start(&app, (int)video_probe_seconds, &e);
    if (!prober) {
        fprintf(stderr, "tuoyu serve: %s\n", e.message);
        sms_sender_stop(sender);
        http_server_stop(srv);
        goto out;
    }
    struct planning_keeper *keeper = planning_keeper_start(&app, (int)planning_refresh_seconds, &e);
    struct region_keeper *regions = NULL;
    if (!keeper || (region_refresh_seconds > 0 && !(regions = region_keeper_start(&app, (int)region_refresh_seconds, &e)))) {
        fprintf(stderr, "tuoyu serve: %s\n", e.message);
        planning_keeper_stop(keeper);
        video_prober_stop(prober);
        sms_sender_stop(sender);
        http_server_stop(srv);
        goto out;
    }
    fprintf(stderr, "tuoyu: SMS: %s\n",
            !sender ? "none (no gateway stored; sign-up by SMS code is unavailable)"
            : sms_sink ? "written to the --sms-sink file (tests and demonstrations only)"
                       : "HTTP gateway");
    fprintf(stderr, "tuoyu: second factor (TOTP) of district_admin, security_admin and auditor: %s\n",
            app.staff_totp_required ? "required" : demo ? "not required (demonstration data)" : "not required (--staff-totp optional)");
    int limit, limit_per_addr;
    http_server_limits(srv, &limit, &limit_per_addr);
    char per_addr_text[32] = "no limit";
    if (limit_per_addr)
        snprintf(per_addr_text, sizeof per_addr_text, "%d", limit_per_addr);
    fprintf(stderr, "tuoyu: serving %s://%s:%d/ (%s %s; up to %d connections, %s per address)\n",
            cert_pem ? "https" : "http", listen_addr, http_server_port(srv),
            opt.db.kind == DB_SQLITE ? "SQLite" : "PostgreSQL", opt.db.kind == DB_SQLITE ? opt.db.target : "", limit,
            per_addr_text);
    http_server_wait(srv);
    region_keeper_stop(regions);
    planning_keeper_stop(keeper);
    video_prober_stop(prober);
    sms_sender_stop(sender);
    http_server_stop(srv);
    rc = CLI_OK;
out:
    db_replica_stop(app.replica); /* after the workers: none reads on it any more */
    app.replica = NULL;
    if (key_pem)
        sodium_memzero(key_pem, strlen(key_pem));
    free(cert_pem);
    free(key_pem);
    free(token);
    return rc;
}
