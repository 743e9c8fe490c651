/* api.h — the routes of the jurisdiction tree above the districts (api.c). */
#ifndef TUOYU_JURISDICTION_API_H
#define TUOYU_JURISDICTION_API_H

#include "http/http.h"

extern const struct route jurisdiction_routes[];

#endif
