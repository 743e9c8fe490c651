/* inspection.h — 督查 (issue 19 item 5): the checklist an inspection is recorded against (the
 * compliance rules the platform checks, from the registry and the staff records, and "other" for a
 * point the team writes) and the checks of a recorded inspection. Pure: storage is store.c, routes
 * inspection_api.c (every failed point raised as a rectification item there). */
#ifndef TUOYU_OVERSIGHT_INSPECTION_H
#define TUOYU_OVERSIGHT_INSPECTION_H

#include <jansson.h>

#include "base/err.h"
#include "http/http.h"

#define INSPECTION_MAX_ITEMS 60

struct inspection_point {
    char code[40], name[96];
    char result[8];  /* pass | fail | na */
    char note[400];
};

struct inspection {
    char kind[16];          /* planned | unannounced */
    char inspected_on[11];
    char team[200];
    char summary[1000];
    int npoints;
    struct inspection_point points[INSPECTION_MAX_ITEMS];
};

extern const struct http_schema inspection_schema;
/* The checklist: {"items":[{"code","name"}]} — every rule code with its name, then "other". */
json_t *inspection_checklist_json(void);
/* Parse and check a body the schema admitted (today: the day may not be after it). 0, or -1 with
 * e: 422 bad_kind, future_date, unknown_point (items[i].code), duplicate_point, note_required (a
 * failed point without what was found), other_needs_name, bad_result, empty_checklist. */
int inspection_from_json(const json_t *body, const char *today, struct inspection *out, struct err *e);

#endif
