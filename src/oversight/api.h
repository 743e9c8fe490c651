/* api.h — the routes of rectification items (api.c). */
#ifndef TUOYU_OVERSIGHT_API_H
#define TUOYU_OVERSIGHT_API_H

#include "http/http.h"

extern const struct route oversight_routes[];

#endif
