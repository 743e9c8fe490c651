/* store.h — SQL for the institution registry. All functions run on the caller's connection;
 * writers expect the caller to hold a transaction (and to write the audit row in it). */
#ifndef TUOYU_REGISTRY_STORE_H
#define TUOYU_REGISTRY_STORE_H

#include "db/db.h"
#include "params/params.h"
#include "registry/registry.h"

/* 0 when found, -1 with e = 404 not_found otherwise. */
int registry_load(struct db *db, const char *district, int64_t id, struct institution *out, struct err *e);
/* Load classes and fees for n institutions already holding id and header fields (bulk). */
int registry_load_details(struct db *db, struct institution *list, int n, struct err *e);
/* Every institution of the district whose rows satisfy scope_sql (a WHERE fragment over alias i)
 * with its parameters bound by the callback; *out is malloc'd. */
int registry_load_where(struct db *db, const char *district, const char *scope_sql,
                        int (*bind)(struct db_stmt *st, int first, const void *arg), const void *arg,
                        struct institution **out, int *n, struct err *e);
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
