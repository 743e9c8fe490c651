/* api.h — the registry's route table (see api.c). */
#ifndef TUOYU_REGISTRY_API_H
#define TUOYU_REGISTRY_API_H

#include "http/http.h"

extern const struct route registry_routes[];

#endif
