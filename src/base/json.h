/* json.h — reading members of a JSON object whose shape a schema has already checked (request
 * bodies after http/schema.c, rows of a batch): one reader per kind of value, so every module
 * treats an absent member, a JSON null and a member of another type alike; the one way rows of
 * two statements are nested; and objects keyed by record id. */
#ifndef TUOYU_JSON_H
#define TUOYU_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The string member key of o; NULL when absent, null or not a string. */
const char *jfield_text(const json_t *o, const char *key);
/* The string member key of o copied into out (cap bytes, cut to fit); "" when absent or null. */
void jfield_copy(const json_t *o, const char *key, char *out, size_t cap);
/* The number member key of o (integer or real); NAN when absent, null or not a number. */
double jfield_number(const json_t *o, const char *key);

/* Put each of children (rows that name their parent by member parent_key) into the array member
 * list_key of the parent whose member id_key equals it, in the children's order, without
 * parent_key; a child of no parent is dropped. For a list read in two statements (tasks and their
 * milestones, organisations and their members). */
void jarray_attach(json_t *parents, const char *id_key, const char *list_key, json_t *children,
                   const char *parent_key);

/* An object keyed by record id ({"12": …}), for what a store reads once for a whole district and a
 * caller looks up record by record: the member for id (NULL when absent), and v set as it (taking
 * the reference). */
json_t *jobject_by_id(const json_t *o, int64_t id);
void jobject_set_by_id(json_t *o, int64_t id, json_t *v);

#endif
