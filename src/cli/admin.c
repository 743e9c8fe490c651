/* admin.c — the administrator's commands: migrate, user (add, passwd, disable), audit verify,
 * routes (the route table with its schemas and policy, for tests and reviewers) and openapi (the
 * OpenAPI document generated from the route table). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_setup.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/users.h"
#include "base/cli.h"
#include "base/date.h"
#include "base/parse.h"
#include "commands.h"
#include "params/params.h"
#include "routes.h"

/* Parse only the database options; anything else is a usage error. */
static int only_db_options(const char *cmd, struct app_options *o, int argc, char **argv, int first)
{
    for (int i = first; i < argc; i++) {
        int r = app_parse_db_option(o, argc, argv, &i);
        if (r < 0)
            return cli_usage_error(cmd, "%s needs a value", argv[i]);
        if (r == 0)
            return cli_usage_error(cmd, "unknown argument: %s", argv[i]);
    }
    return 0;
}

/* Open the app; on failure print why and return the exit code (> 0), else 0. */
static int open_or_fail(const char *cmd, struct app *app, const struct app_options *o, struct db **db)
{
    struct err e = {0};
    return app_open(app, o, db, &e) < 0 ? app_open_failed(cmd, &e) : 0;
}

int cmd_migrate(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts("usage: tuoyu migrate [--db PATH | --pg CONNINFO] [--key FILE]\n"
             "  Apply every pending schema migration (serve also does this at start).");
        return CLI_OK;
    }
    struct app_options o;
    app_options_defaults(&o);
    if (only_db_options("migrate", &o, argc, argv, 1))
        return CLI_USAGE;
    static struct app app;
    struct db *db;
    int rc = open_or_fail("migrate", &app, &o, &db);
    if (rc)
        return rc;
    db_close(db);
    fprintf(stderr, "tuoyu migrate: schema up to date\n");
    return CLI_OK;
}

int cmd_audit(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        puts("usage: tuoyu audit verify [--db PATH | --pg CONNINFO]\n"
             "  Check the hash chain of the audit log; exit 0 when intact, 1 naming the first broken row.");
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    if (strcmp(argv[1], "verify") != 0)
        return cli_usage_error("audit", "unknown subcommand: %s", argv[1]);
    struct app_options o;
    app_options_defaults(&o);
    if (only_db_options("audit", &o, argc, argv, 2))
        return CLI_USAGE;
    o.no_key = 1; /* the chain holds no sealed data: verifiable without the key */
    static struct app app;
    struct db *db;
    int rc = open_or_fail("audit", &app, &o, &db);
    if (rc)
        return rc;
    struct err e = {0};
    int64_t bad, rows;
    rc = audit_verify(db, app.district_code, &bad, &rows, &e);
    db_close(db);
    if (rc < 0) {
        fprintf(stderr, "tuoyu audit verify: %s\n", e.message);
        return CLI_FAIL;
    }
    if (rc > 0) {
        printf("audit chain BROKEN at row %" PRId64 " (%" PRId64 " rows checked)\n", bad, rows);
        return CLI_FAIL;
    }
    printf("audit chain intact: %" PRId64 " rows\n", rows);
    return CLI_OK;
}

int cmd_routes(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts("usage: tuoyu routes\n  Print every HTTP route with its action, request body and reply schemas (JSON Schema\n"
             "  2020-12) and the roles the policy allows (JSON).");
        return CLI_OK;
    }
    json_t *out = json_pack("{s:o, s:o}", "routes", http_routes_json(app_route_tables), "policy", authz_policy_json());
    char *text = json_dumps(out, JSON_INDENT(1) | JSON_ENSURE_ASCII);
    puts(text);
    free(text);
    json_decref(out);
    return CLI_OK;
}

int cmd_openapi(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts("usage: tuoyu openapi\n  Print the OpenAPI 3.1 document of the HTTP API, generated from the route table (the\n"
             "  server also serves it at GET /api/v1/openapi.json).");
        return CLI_OK;
    }
    json_t *doc = http_openapi_json(app_route_tables);
    char *text = json_dumps(doc, JSON_INDENT(1));
    puts(text);
    free(text);
    json_decref(doc);
    return CLI_OK;
}

static const char USER_USAGE[] =
    "usage: tuoyu user add LOGIN --role ROLE --name NAME [--town CODE] [--institution ID] [--password P]\n"
    "                     [--jurisdiction CODE]\n"
    "       tuoyu user passwd LOGIN [--password P]\n"
    "       tuoyu user disable LOGIN\n"
    "       tuoyu user totp LOGIN       enrol a TOTP second factor; prints the otpauth:// URI once\n"
    "  (each also takes --db PATH | --pg CONNINFO)\n"
    "  Without --password the password is read from the first line of standard input.\n"
    "  --jurisdiction CODE: the account's district, or the province's or city's GB/T 2260 code for\n"
    "  province_admin and city_admin (default: the deployment's district, 330304); give it to\n"
    "  passwd, disable and totp too for an account of another jurisdiction.\n"
    "  Roles: district_admin dept_reviewer town_officer institution_operator health_instructor\n"
    "         station_operator family evaluator auditor security_admin province_admin city_admin\n";

static int read_password_stdin(char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, stdin))
        return -1;
    buf[strcspn(buf, "\r\n")] = 0;
    return 0;
}

int cmd_user(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(USER_USAGE, stdout);
        return CLI_OK;
    }
    if (argc < 3)
        return cli_usage_error("user", "needs a subcommand and a login");
    const char *sub = argv[1], *login = argv[2];
    if (strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "disable") && strcmp(sub, "totp"))
        return cli_usage_error("user", "unknown subcommand: %s", sub);
    struct app_options o;
    app_options_defaults(&o);
    const char *role = NULL, *name = NULL, *town = NULL, *password = NULL, *jurisdiction = NULL;
    int64_t institution = 0;
    for (int i = 3; i < argc; i++) {
        int r = app_parse_db_option(&o, argc, argv, &i);
        if (r < 0)
            return cli_usage_error("user", "%s needs a value", argv[i]);
        if (r > 0)
            continue;
        if (i + 1 >= argc)
            return cli_usage_error("user", "unknown option or missing value: %s", argv[i]);
        const char *flag = argv[i], *v = argv[++i];
        if (strcmp(flag, "--role") == 0)
            role = v;
        else if (strcmp(flag, "--name") == 0)
            name = v;
        else if (strcmp(flag, "--town") == 0)
            town = v;
        else if (strcmp(flag, "--password") == 0)
            password = v;
        else if (strcmp(flag, "--jurisdiction") == 0)
            jurisdiction = v;
        else if (strcmp(flag, "--institution") == 0) {
            if (parse_int64(v, &institution) < 0 || institution <= 0)
                return cli_usage_error("user", "--institution wants a positive id, got '%s'", v);
        } else
            return cli_usage_error("user", "unknown option: %s", flag);
    }
    if (strcmp(sub, "add") == 0 && (!role || role_from_code(role) == ROLE_NONE))
        return cli_usage_error("user", "add needs --role with a known role, got '%s'", role ? role : "");
    if (role && !authz_role_may(role_from_code(role), "session"))
        return cli_usage_error("user", "%s is a machine client's role: use tuoyu exchange-client add", role);
    if (strcmp(sub, "add") == 0 && !name)
        return cli_usage_error("user", "add needs --name");
    char pwbuf[300];
    if (strcmp(sub, "disable") && strcmp(sub, "totp") && !password) {
        if (read_password_stdin(pwbuf, sizeof pwbuf) < 0)
            return cli_usage_error("user", "no --password and nothing on standard input");
        password = pwbuf;
    }
    static struct app app;
    struct db *db;
    int opened = open_or_fail("user", &app, &o, &db);
    if (opened)
        return opened;
    struct err e = {0};
    const char *account_district = jurisdiction ? jurisdiction : app.district_code;
    char now_ts[32], today[11];
    int64_t now = app_now(&app);
    date_format_timestamp(now, now_ts, sizeof now_ts);
    date_format_day(now, today, sizeof today);
    double minlen = 10;
    int64_t id = 0;
    const char *action = strcmp(sub, "add") == 0      ? "user.create"
                         : strcmp(sub, "passwd") == 0 ? "user.passwd"
                         : strcmp(sub, "totp") == 0   ? "user.totp"
                                                      : "user.disable";
    char uri[512] = "";
    char hash[256] = "";
    int rc = params_get(db, app.district_code, "auth.password_min_length", today, &minlen, &e);
    if (rc == 0 && (strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0)) /* before the transaction */
        rc = users_hash_password(password, login, (int)minlen, hash, &e);
    if (rc == 0)
        rc = db_begin(db, &e);
    if (rc == 0) {
        enum role target_role = role_from_code(role);
        if (strcmp(sub, "add") == 0) {
            struct new_user u = {.login = login, .name = name, .role = role_from_code(role), .town_code = town,
                                 .institution_id = institution, .password_hash = hash};
            rc = users_create(db, account_district, &u, now_ts, &id, &e);
        } else {
            struct account_info a;
            rc = users_find(db, login, &id, &e);
            if (rc == 0)
                rc = users_load(db, account_district, id, &a, &e);
            if (rc == 0 && strcmp(sub, "disable") == 0)
                rc = users_check_not_last_auditor(db, account_district, &a, &e);
            if (rc == 0) {
                target_role = a.role;
                rc = strcmp(sub, "passwd") == 0 ? users_set_password(db, id, hash, now_ts, &e)
                     : strcmp(sub, "totp") == 0 ? users_enrol_totp(db, &app.key, id, login, uri, sizeof uri, &e)
                                                : users_set_disabled(db, id, 1, now_ts, &e);
            }
        }
        if (rc == 0) {
            char target[32];
            snprintf(target, sizeof target, "%" PRId64, id);
            json_t *f = json_pack("{s:s, s:s}", "login", login, "role", role_code(target_role));
            struct audit_entry a = {.district_code = app.district_code, .at = now, .login = "cli", .action = action,
                                    .target_type = "user", .target_id = target, .fields = f};
            rc = audit_append(db, &a, &e);
            json_decref(f);
        }
        /* the server's operator needs no second person, but the auditors learn of it at once */
        if (rc == 0 && role_is_privileged(target_role)) {
            char subject[200], body[400];
            snprintf(subject, sizeof subject, "命令行变更了特权账号：%s（%s）", login, role_name(target_role));
            snprintf(body, sizeof body, "服务器命令行 tuoyu user %s 于 %s（UTC）变更了账号 %s（%s），未经第二人审批。", sub,
                     now_ts, login, role_name(target_role));
            rc = users_notify_auditors(db, app.district_code, "account.cli_change", subject, body, "user", id, now_ts, &e);
        }
        if (rc == 0)
            rc = db_commit(db, &e);
        else
            db_rollback(db);
    }
    db_close(db);
    if (rc < 0) {
        fprintf(stderr, "tuoyu user %s: %s%s%s\n", sub, e.field[0] ? e.field : "", e.field[0] ? ": " : "", e.message);
        return e.status == 422 || e.status == 409 || e.status == 404 ? CLI_USAGE : CLI_FAIL;
    }
    if (uri[0])
        printf("%s\n", uri); /* shown once: scan it into an authenticator app */
    fprintf(stderr, "tuoyu user %s: done (%s, id %" PRId64 ")\n", sub, login, id);
    return CLI_OK;
}
