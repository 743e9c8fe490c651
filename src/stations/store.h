/* store.h — SQL of the growth stations (stations.h): their site records on the registry's
 * institutions of model `station`. The caller holds the transaction of a write. */
#ifndef TUOYU_STATIONS_STORE_H
#define TUOYU_STATIONS_STORE_H

#include <jansson.h>

#include "db/db.h"
#include "stations/stations.h"

/* The stations of the district within scope_sql (a WHERE fragment over alias i, the institution)
 * after id after_id, at most limit, in id order: {id, name, town_code, town_name, address, lon,
 * lat, opening_hours, phone, status, site (null before one is recorded: {area_m2, surroundings,
 * weekly_visits, services [], investment_fen}), accepted_on, open_case_id}. one_id: only that
 * station (0: all). */
int stations_store_list(struct db *db, const char *district, const char *scope_sql, const struct db_params *scope_params,
                        int64_t one_id, int64_t after_id, int limit, json_t **rows, struct err *e);
/* The stations within scope_sql (over alias i): how many there are, how many were accepted on or
 * before day, and in how many towns an accepted one is. */
int stations_store_counts(struct db *db, const char *district, const char *scope_sql,
                          const struct db_params *scope_params, const char *day, int *stations, int *accepted,
                          int *towns_covered, struct err *e);
/* Record the site of station id (the institution must be of model station: 404 otherwise). */
int stations_store_save(struct db *db, const char *district, int64_t id, const struct station_site *s,
                        const char *now_ts, struct err *e);
/* The site of station id: 1 with *s and accepted (1 once accepted), 0 when none is recorded, -1 with e. */
int stations_store_site(struct db *db, const char *district, int64_t id, struct station_site *s, int *accepted,
                        struct err *e);
/* The joint acceptance of station id by case case_id on day (0: accepted before the platform, on
 * paper; the demo's). */
int stations_store_accept(struct db *db, const char *district, int64_t id, int64_t case_id, const char *day,
                          const char *now_ts, struct err *e);

/* The towns of the district in code order that have institutions, with where those stand on
 * average (where a new station of the town goes: the demo's), at most max. */
struct stations_town {
    char code[16], name[64];
    double lon, lat;
};
int stations_store_towns(struct db *db, const char *district, struct stations_town *out, int max, int *n,
                         struct err *e);

#endif
