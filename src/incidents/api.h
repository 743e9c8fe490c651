/* api.h — the routes of incidents and mandatory reports (api.c). */
#ifndef TUOYU_INCIDENTS_API_H
#define TUOYU_INCIDENTS_API_H

#include "http/http.h"

extern const struct route incidents_routes[];

#endif
