/* api.h — routes of towns' population by year (api.c, import.c). */
#ifndef TUOYU_POPULATION_API_H
#define TUOYU_POPULATION_API_H

#include "http/http.h"

extern const struct route population_routes[];
/* The spreadsheet template and its upload (import.c). */
extern const struct route population_import_routes[];

#endif
