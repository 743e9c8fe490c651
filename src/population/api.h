/* api.h — routes of towns' population by year (api.c). */
#ifndef TUOYU_POPULATION_API_H
#define TUOYU_POPULATION_API_H

#include "http/http.h"

extern const struct route population_routes[];

#endif
