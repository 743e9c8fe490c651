/* api.h — the routes of daily care (api.c). */
#ifndef TUOYU_CARE_API_H
#define TUOYU_CARE_API_H

#include "http/http.h"

extern const struct route care_routes[];

#endif
