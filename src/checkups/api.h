/* api.h — routes of the health-check schedule (api.c). */
#ifndef TUOYU_CHECKUPS_API_H
#define TUOYU_CHECKUPS_API_H

#include "http/http.h"

extern const struct route checkups_routes[];

#endif
