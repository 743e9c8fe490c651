/* app.c — building the server-wide context from command-line options (database, key file,
 * clock), shared by `tuoyu serve` and the admin commands, and the list of route tables. */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_setup.h"
#include "audit/api.h"
#include "auth/auth.h"
#include "auth/users.h"
#include "base/cli.h"
#include "base/date.h"
#include "children/children.h"
#include "enrol/enrol.h"
#include "enrol/rounds.h"
#include "growth/api.h"
#include "inbox/inbox.h"
#include "params/api.h"
#include "plan/api.h"
#include "registry/api.h"
#include "supervision/api.h"

int64_t app_now(const struct app *app) { return (int64_t)time(NULL) + app->clock_offset; }

const struct route *const app_route_tables[] = {
    auth_routes,  registry_routes, supervision_routes, params_routes, audit_routes,
    users_routes, children_routes, growth_routes, enrol_routes, planning_routes, applications_routes, rounds_routes,
    visits_routes, inbox_routes, programs_routes, http_openapi_routes, NULL,
};

int app_parse_db_option(struct app_options *o, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    if (strcmp(arg, "--db") == 0 || strcmp(arg, "--pg") == 0 || strcmp(arg, "--key") == 0) {
        if (*i + 1 >= argc)
            return -1;
        const char *v = argv[++*i];
        if (strcmp(arg, "--key") == 0) {
            o->key_path = v;
        } else {
            o->db.kind = arg[2] == 'd' ? DB_SQLITE : DB_PG;
            snprintf(o->db.target, sizeof o->db.target, "%s", v);
        }
        return 1;
    }
    return 0;
}

void app_options_defaults(struct app_options *o)
{
    memset(o, 0, sizeof *o);
    o->db.kind = DB_SQLITE;
    snprintf(o->db.target, sizeof o->db.target, "var/tuoyu.db");
}

int app_open(struct app *app, const struct app_options *o, struct db **db, struct err *e)
{
    memset(app, 0, sizeof *app);
    app->db = o->db;
    snprintf(app->district_code, sizeof app->district_code, "330304");
    char key_path[1100];
    if (o->key_path)
        snprintf(key_path, sizeof key_path, "%s", o->key_path);
    else if (o->db.kind == DB_SQLITE)
        snprintf(key_path, sizeof key_path, "%s.key", o->db.target);
    else
        snprintf(key_path, sizeof key_path, "tuoyu.key");
    if (crypt_load_or_create_key(key_path, &app->key, e) < 0)
        return -1;
    if (db_open(&app->db, db, e) < 0)
        return -1;
    if (db_migrate(*db, e) < 0) {
        db_close(*db);
        *db = NULL;
        return -1;
    }
    return 0;
}
