/* json.c — the JSON member readers of json.h. */
#include "base/json.h"

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
