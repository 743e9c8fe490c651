/* api.h — the routes of quality assessment and star rating (see api.c). */
#ifndef TUOYU_RATING_API_H
#define TUOYU_RATING_API_H

#include "http/http.h"

extern const struct route rating_routes[];

#endif
