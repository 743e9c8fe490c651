/* app_setup.h — options every command that touches the database shares (--db, --pg, --key)
 * and opening the app context from them (app.c). */
#ifndef TUOYU_APP_SETUP_H
#define TUOYU_APP_SETUP_H

#include "app.h"
#include "http/http.h"

struct app_options {
    struct db_config db;       /* default: SQLite var/tuoyu.db */
    const char *key_path;      /* default: <db>.key next to the SQLite file, ./tuoyu.key for PostgreSQL */
};

void app_options_defaults(struct app_options *o);
/* Consume --db PATH, --pg CONNINFO or --key FILE at argv[*i]: 1 when consumed, 0 when argv[*i]
 * is something else, -1 when its value is missing. */
int app_parse_db_option(struct app_options *o, int argc, char **argv, int *i);
/* Load or create the key, open the database and apply migrations. */
int app_open(struct app *app, const struct app_options *o, struct db **db, struct err *e);

extern const struct route *const app_route_tables[];

#endif
