/* json_fields.h — the members a JSON request object may have. Every handler that reads an object
 * refuses a member it does not know (a misspelt field must not be silently ignored). */
#ifndef TUOYU_JSON_FIELDS_H
#define TUOYU_JSON_FIELDS_H

#include <jansson.h>

#include "base/err.h"

/* 0 when every member of obj is named in allowed (NULL-terminated); -1 with e = 400
 * "unknown_field" naming the first other member ("不支持的字段：colour"), or 400 "bad_json" when
 * obj is not an object. */
int json_fields_only(const json_t *obj, const char *const allowed[], struct err *e);

#endif
