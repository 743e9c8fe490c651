/* childsub_api.h — the routes of 育儿补贴 applications (see childsub_api.c). */
#ifndef TUOYU_FUNDS_CHILDSUB_API_H
#define TUOYU_FUNDS_CHILDSUB_API_H

#include "http/http.h"

extern const struct route childsub_routes[];

#endif
