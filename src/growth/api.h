/* api.h — the growth engine's route table (see api.c). */
#ifndef TUOYU_GROWTH_API_H
#define TUOYU_GROWTH_API_H

#include "http/http.h"

extern const struct route growth_routes[];

#endif
