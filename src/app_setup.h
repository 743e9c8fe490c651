/* app_setup.h — options every command that touches the database shares (--db, --pg, --key)
 * and opening the app context from them (app.c). */
#ifndef TUOYU_APP_SETUP_H
#define TUOYU_APP_SETUP_H

#include "app.h"

struct app_options {
    struct db_config db;       /* default: SQLite var/tuoyu.db */
    const char *key_path;      /* default: <db>.key next to the SQLite file, ./tuoyu.key for PostgreSQL */
    int no_key;                /* the command touches no personal data: no key is read or created */
};

void app_options_defaults(struct app_options *o);
/* Consume --db PATH, --pg CONNINFO or --key FILE at argv[*i]: 1 when consumed, 0 when argv[*i]
 * is something else, -1 when its value is missing. */
int app_parse_db_option(struct app_options *o, int argc, char **argv, int *i);
/* The key file's path: --key, else the default above. */
void app_key_path(const struct app_options *o, char *out, size_t n);
/* Load the key, open the database, apply migrations and bind the key to the database
 * (app_key.h: a key that does not match is refused; one is created only for a database that
 * holds nothing sealed). Warns on stderr when the SQLite files are group- or world-readable. */
int app_open(struct app *app, const struct app_options *o, struct db **db, struct err *e);
/* Print "tuoyu CMD: message" for a failed app_open; the exit code: CLI_USAGE (2) when the key
 * was refused (wrong key, missing key for sealed data), else CLI_FAIL. */
int app_open_failed(const char *cmd, const struct err *e);

#endif
