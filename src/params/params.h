/* params.h — dated policy parameters (rules are data). Every amount, ratio, deadline and
 * threshold lives in table `param` with its unit and basis document; rules read the value in
 * force on the date in question. A request loads the whole set in force once (one query) and
 * looks values up by key. */
#ifndef TUOYU_PARAMS_H
#define TUOYU_PARAMS_H

#include <jansson.h>

#include "base/err.h"
#include "db/db.h"
#include "jurisdiction/jurisdiction.h"

#define PARAMS_MAX 256

struct param_value {
    char key[64];
    char value[64];
    double number;     /* value parsed as a number, NAN when not numeric */
    char basis[192];   /* basis document */
};

struct params {
    char date[11];     /* YYYY-MM-DD the set was loaded for */
    int count;
    struct param_value items[PARAMS_MAX];  /* sorted by key */
};

/* Load every parameter of the district in force on date (YYYY-MM-DD): for each key, the version
 * of the nearest level that sets it (the district, its city, its province). */
int params_load(struct db *db, const char *district, const char *date, struct params *out, struct err *e);
/* The numeric value of key, or fills e (code "param_missing", status 500) and returns -1. */
int params_num(const struct params *p, const char *key, double *out, struct err *e);
/* Numeric value or fallback when the key is absent: for optional tuning knobs, and targets a
 * district may not set (NAN: no target). */
double params_num_or(const struct params *p, const char *key, double fallback);
/* The basis document of key, or "" when absent. */
const char *params_basis(const struct params *p, const char *key);
/* One parameter's value in force on a date, as a scalar subquery with five placeholders
 * (district, district, key, date, date): the row of the nearest level that sets the key (the
 * district, then its city, then its province: src/jurisdiction/), and of those the one with the
 * latest valid_from in force that day. params_get uses it; so may a caller that folds a parameter
 * into a larger statement. */
#define PARAMS_VALUE_SQL                                                                                          \
    "(SELECT p.value FROM param p JOIN " JURISDICTION_LEVELS_SQL " l ON l.code = p.district_code "              \
    "WHERE p.key = ? AND p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to >= ?) "                       \
    "ORDER BY l.distance, p.valid_from DESC LIMIT 1)"

/* Convenience: load one numeric parameter in force on date. */
int params_get(struct db *db, const char *district, const char *key, const char *date, double *out,
               struct err *e);

/* The version of key in force on date for the district, of the nearest level that sets it (a new
 * version copies its unit and description): 1 found, 0 none, -1 with e. */
struct param_version {
    int64_t id;
    char district_code[16];     /* the level it is set at: the district's own, its city's or province's */
    char value[64], unit[64], description[256], valid_from[11];
};
int params_version_on(struct db *db, const char *district, const char *key, const char *date, struct param_version *out,
                      struct err *e);
/* A target, a figure to reach by a day (stations.target_count): the latest version of key set by the
 * district or the nearest level above it, whatever its days, with its basis, description and last
 * day (by: valid_to, "" when open-ended). 1 found, 0 none (no target set here), -1 with e. */
struct param_target {
    double value;
    char basis[192], description[256], by[11];
};
int params_target(struct db *db, const char *district, const char *key, struct param_target *out, struct err *e);

/* Add the district's key = value from `from` on, with its basis and prev's unit and description
 * (certainty LOCAL), closing prev the day before when it is the district's own (a version set
 * above the district stays in force for the others; the district's own now wins for it). Runs in
 * the caller's transaction. */
int params_add_version(struct db *db, const char *district, const struct param_version *prev, const char *key,
                       const char *value, const char *from, const char *basis, struct err *e);

/* Copy the versions of from that are open (in force or to come) as versions of level to, each basis
 * between before and after (the province's parameters of the province-size demonstration data). */
int params_copy_open(struct db *db, const char *from, const char *to, const char *before, const char *after,
                     struct err *e);

/* Every parameter row in force on date, as JSON items for GET /api/v1/params. */
int params_list_json(struct db *db, const char *district, const char *date, json_t **items, struct err *e);

#endif
