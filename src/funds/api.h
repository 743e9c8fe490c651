/* api.h — the routes of the subsidy ledger (see api.c). */
#ifndef TUOYU_FUNDS_API_H
#define TUOYU_FUNDS_API_H

#include "http/http.h"

extern const struct route funds_routes[];

#endif
