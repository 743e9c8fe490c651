/* api.h — the parameter routes (see api.c). */
#ifndef TUOYU_PARAMS_API_H
#define TUOYU_PARAMS_API_H

#include "http/http.h"

extern const struct route params_routes[];

#endif
