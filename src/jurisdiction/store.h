/* store.h — SQL of the jurisdiction tree (tables jurisdiction and jurisdiction_ancestor,
 * migration 067): whether a district is below a province or city, and the districts below one. */
#ifndef TUOYU_JURISDICTION_STORE_H
#define TUOYU_JURISDICTION_STORE_H

#include "db/db.h"

struct jurisdiction_node {
    char code[16];
    char level[12];       /* province | city | district */
    char name[64];
    char parent_code[16]; /* the level above ("" for the province) */
    char city_code[16];   /* a district's city ("" for the province and the cities) */
    char city_name[64];
};

/* The division code: 1 with out, 0 when the tree has no such code, -1 with e. */
int jurisdiction_store_get(struct db *db, const char *code, struct jurisdiction_node *out, struct err *e);

/* Is district a district at or below code (itself, or in the province or city code)? 1, 0, or -1
 * with e. */
int jurisdiction_store_reaches(struct db *db, const char *code, const char *district, struct err *e);

/* The top of district's chain (its province) into out (16 bytes): 1, 0 when the tree does not hold
 * district, -1 with e. */
int jurisdiction_store_top(struct db *db, const char *district, char out[16], struct err *e);

/* The districts of the tree this deployment serves (those with their towns here), in code order, as
 * JSON rows {code, name, city_name}. 0 with *out, or -1 with e. */
int jurisdiction_store_served(struct db *db, json_t **out, struct err *e);

/* Add a town (乡级: street or town) of district, with its residents of year. 0 or -1 with e. */
int jurisdiction_store_add_town(struct db *db, const char *code, const char *district, const char *name,
                                const char *kind, int64_t residents, int year, struct err *e);

/* The districts at or below code, in code order, each with its city; *out is malloc'd (free it),
 * *n of them. 0 or -1 with e. */
int jurisdiction_store_districts(struct db *db, const char *code, struct jurisdiction_node **out, int *n,
                                 struct err *e);

#endif
