/* store.h — SQL of towns' population by year (src/population/). */
#ifndef TUOYU_POPULATION_STORE_H
#define TUOYU_POPULATION_STORE_H

#include <jansson.h>

#include "base/err.h"
#include "db/db.h"
#include "population/population.h"

/* The district's town codes into codes[max][16]; *n of them. 0 or -1 with e. */
int population_store_towns(struct db *db, const char *district, char (*codes)[16], int max, int *n, struct err *e);

/* The years with figures, newest first, as a JSON array of integers. */
int population_store_years(struct db *db, const char *district, json_t **years, struct err *e);

/* Every town of the scope (scope_sql over t.code) with its figures of year (null members when the
 * town has none that year), by code. */
int population_store_year(struct db *db, const char *district, const char *scope_sql,
                          const struct db_params *scope_params, int year, json_t **rows, struct err *e);

/* Write a year's rows (insert or replace each town's), in the caller's transaction; user_id 0 when
 * no person entered them (generated demonstration data). */
int population_store_put(struct db *db, const char *district, int year, const struct population_row *rows, int n,
                         const char *source, int64_t user_id, const char *now_ts, struct err *e);
/* The district's residents in year, summed over its towns (0 when none). 0 or -1 with e. */
int population_store_residents(struct db *db, const char *district, int year, int64_t *out, struct err *e);

#endif
