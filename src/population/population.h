/* population.h — towns' population by year (issue 19 item 2): the rules of a year's figures as the
 * district enters them (PUT /api/v1/population/{year}): a year in range, each town of the district
 * once, residents positive, under-3s and births not above the residents. Pure. */
#ifndef TUOYU_POPULATION_H
#define TUOYU_POPULATION_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "http/http.h"

#define POPULATION_MAX_ROWS 64

struct population_row {
    char town_code[16];
    int64_t residents, under3, births; /* under3, births: -1 when not given */
};

/* The body of PUT /api/v1/population/{year}. */
extern const struct http_schema population_body_schema;

/* Parse a body population_body_schema admitted into rows (at most POPULATION_MAX_ROWS): each town
 * code one of known[0..nknown) (422 unknown_town on rows[i].town_code), none twice (422
 * duplicate_town), under3 and births each at most residents (422 more_than_residents). *n rows.
 * 0, or -1 with e. */
int population_rows_from_json(const json_t *body, const char *const *known, int nknown, struct population_row *rows,
                              int *n, struct err *e);

/* Is year one the district may enter (2000 … this_year + 1)? 0, or -1 with e (422 bad_year). */
int population_year_check(int64_t year, int this_year, struct err *e);

#endif
