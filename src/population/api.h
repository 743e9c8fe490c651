/* api.h — routes of towns' population by year (api.c, import.c). */
#ifndef TUOYU_POPULATION_API_H
#define TUOYU_POPULATION_API_H

#include "http/http.h"
#include "population/population.h"

extern const struct route population_routes[];
/* The spreadsheet template and its upload (import.c). */
extern const struct route population_import_routes[];

/* What a write of a year's figures starts with (the form and the upload): population.manage
 * checked, the path's year read and in range, and the district's towns. 0, or -1 with e. */
struct population_towns {
    int64_t year;
    int n;
    char codes[POPULATION_MAX_ROWS][16];
    const char *known[POPULATION_MAX_ROWS];
};
int population_write_begin(struct http_req *req, struct population_towns *towns, struct err *e);

#endif
