/* store.h — SQL of the planning domain: the road networks, communities and candidate sites of
 * the district, the registry's institutions and the parameters as planning reads them, and the
 * result cache's table. All functions run on the caller's connection; writers expect the caller
 * to hold a transaction (and to write the audit row in it). */
#ifndef TUOYU_PLANNING_STORE_H
#define TUOYU_PLANNING_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "planning/planning.h"

/* The planning parameters in force on today (YYYY-MM-DD); 500 param_missing when one is absent. */
int planning_store_settings(struct db *db, const char *district, const char *today, struct planning_settings *out,
                            struct err *e);
/* The district's towns in code order (at most PLANNING_MAX_TOWNS) into in->towns. */
int planning_store_towns(struct db *db, const char *district, struct planning_inputs *in, struct err *e);
/* The network in use: the newest stored one; out->id is 0 when none is stored. */
int planning_store_network(struct db *db, const char *district, struct planning_network *out, struct err *e);
/* Stored network id's format and a malloc'd copy of its file; 404 not_found when absent. */
int planning_store_network_file(struct db *db, const char *district, int64_t id, char format[8], void **data,
                                size_t *len, struct err *e);
/* Insert a network (every field of n but id and the file bytes); sets n->id. */
int planning_store_add_network(struct db *db, const char *district, struct planning_network *n, const void *bytes,
                               size_t len, struct err *e);
/* The communities of town (NULL: of the whole district) in id order; *out is malloc'd. */
int planning_store_communities(struct db *db, const char *district, const char *town,
                               struct planning_community **out, size_t *n, struct err *e);
/* Insert a community created at now_ts; sets c->id. */
int planning_store_add_community(struct db *db, const char *district, struct planning_community *c,
                                 const char *now_ts, struct err *e);
/* The candidate sites in id order; *out is malloc'd. */
int planning_store_candidates(struct db *db, const char *district, struct planning_candidate **out, size_t *n,
                              struct err *e);
/* Insert a candidate site created at now_ts; sets c->id. */
int planning_store_add_candidate(struct db *db, const char *district, struct planning_candidate *c,
                                 const char *now_ts, struct err *e);
/* The registry's institutions that are not closed, in id order; *out is malloc'd. */
int planning_store_institutions(struct db *db, const char *district, const char *today,
                                struct planning_institution **out, size_t *n,
                                struct err *e);
/* Everything an analysis reads: the settings in force on today, the towns, the network in use,
 * the communities, the institutions, and the candidate sites when with_candidates. On failure
 * nothing stays allocated. */
int planning_store_inputs(struct db *db, const char *district, const char *today, int with_candidates,
                          struct planning_inputs *in, struct err *e);
/* The cached result of kind under key: *out is the parsed JSON, or NULL when none. */
int planning_store_result(struct db *db, const char *district, const char *kind, const char *key, json_t **out,
                          struct err *e);
/* Make text (JSON) the one cached result of kind, under key. */
int planning_store_result_replace(struct db *db, const char *district, const char *kind, const char *key,
                                  const char *text, const char *computed_at, struct err *e);

#endif
