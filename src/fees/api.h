/* api.h — the fee catalogues' routes (api.c). */
#ifndef TUOYU_FEES_API_H
#define TUOYU_FEES_API_H

#include "http/http.h"

extern const struct route fees_routes[];

#endif
