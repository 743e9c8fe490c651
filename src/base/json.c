/* json.c — the JSON member readers of json.h. */
#include "base/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "base/parse.h"

const char *jfield_text(const json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

void jfield_copy(const json_t *o, const char *key, char *out, size_t cap)
{
    parse_copy_text(out, cap, jfield_text(o, key));
}

double jfield_number(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

void jarray_attach(json_t *parents, const char *id_key, const char *list_key, json_t *children,
                   const char *parent_key)
{
    size_t i, k;
    json_t *child, *parent;
    json_array_foreach(children, i, child) {
        json_array_foreach(parents, k, parent) {
            if (json_equal(json_object_get(parent, id_key), json_object_get(child, parent_key))) {
                json_object_del(child, parent_key);
                json_array_append(json_object_get(parent, list_key), child);
                break;
            }
        }
    }
}

json_t *jobject_by_id(const json_t *o, int64_t id)
{
    char key[24];
    snprintf(key, sizeof key, "%" PRId64, id);
    return json_object_get(o, key);
}

void jobject_set_by_id(json_t *o, int64_t id, json_t *v)
{
    char key[24];
    snprintf(key, sizeof key, "%" PRId64, id);
    json_object_set_new(o, key, v);
}
