/* store.h — SQL for the institution registry. All functions run on the caller's connection;
 * writers expect the caller to hold a transaction (and to write the audit row in it). */
#ifndef TUOYU_REGISTRY_STORE_H
#define TUOYU_REGISTRY_STORE_H

#include <jansson.h>

#include "db/db.h"
#include "params/params.h"
#include "registry/registry.h"

/* The state of the district's public answers about institutions (src/http/kept.c): how many
 * institutions, the sum of their public stamps (moved by triggers, migration 063) and of their ids.
 * 0 with out, or -1 with e. */
int registry_store_public_stamps(struct db *db, const char *district, int64_t out[3], struct err *e);

/* The institution with its classes and the fee catalogue in force on day (YYYY-MM-DD): 0 when
 * found, -1 with e = 404 not_found otherwise. */
int registry_load(struct db *db, const char *district, int64_t id, const char *day, struct institution *out,
                  struct err *e);
/* Which institutions a list takes; each member NULL/"" (or -1 for inclusive) for any. Values are
 * validated by the caller; q is matched literally (its % _ \\ escaped here). */
struct registry_filter {
    const char *town;            /* town code */
    const char *operating_model; /* operating model code */
    const char *status;          /* exactly this status */
    int open_only;               /* any status but closed */
    int inclusive;               /* -1 any, 0 or 1 */
    const char *q;               /* name or address contains q */
    int64_t after_id;            /* ids above this one (paging) */
    int limit;                   /* registry_load_filtered: at most this many (0: all) */
    const char *day;             /* registry_load_filtered: the day whose fee catalogue is loaded */
};
/* Every institution of the district f takes, in id order, with classes and fees; *out is malloc'd. */
int registry_load_filtered(struct db *db, const char *district, const struct registry_filter *f,
                           struct institution **out, int *n, struct err *e);
/* The staff list: up to limit institutions f takes within the caller's jurisdiction (scope_sql, a
 * WHERE fragment over alias i, with scope_params), in id order, as JSON rows {id, name, uscc,
 * town_code, town_name, address, operating_model, ownership, inclusive, status, star_level, lon,
 * lat, places, enrolled}. */
int registry_list_rows(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                       const struct registry_filter *f, int limit, json_t **rows, struct err *e);
/* The institution's town and row version (bumped by every update): 1 found, 0 not, -1 with e. */
int registry_version(struct db *db, const char *district, int64_t id, char town[16], int64_t *version, struct err *e);
/* Places held (active bookings, open offers: view held_place) per institution and class type —
 * of one institution, or of all when only_inst is 0; *out is malloc'd (free it). */
struct registry_held {
    int64_t institution_id;
    int class_type; /* enum class_type, -1 for an unknown code */
    int count;
};
int registry_held_places(struct db *db, const char *district, int64_t only_inst, struct registry_held **out, int *n,
                         struct err *e);
/* The district's towns in code order as JSON rows {code, name, kind, population}. */
int registry_towns(struct db *db, const char *district, json_t **rows, struct err *e);
int registry_insert(struct db *db, const char *district, struct institution *in, const char *now_ts, int demo,
                    struct err *e);
int registry_update(struct db *db, const char *district, struct institution *in, const char *now_ts,
                    struct err *e);
/* 1 when the town exists in the district, 0 when not, -1 on error. Fills name when found. */
int registry_town_name(struct db *db, const char *district, const char *code, char *name, size_t cap,
                       struct err *e);

/* Rule figures and their basis documents from the parameters in force. */
int registry_rules_from_params(struct db *db, const char *district, const char *date,
                               struct registry_rules *r, char basis[RULE_COUNT][160], struct err *e);

#endif
