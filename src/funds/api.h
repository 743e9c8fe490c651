/* api.h — the routes of the subsidy ledger (see api.c). */
#ifndef TUOYU_FUNDS_API_H
#define TUOYU_FUNDS_API_H

#include "http/http.h"

extern const struct route funds_routes[];
/* POST /api/v1/funds/operating-rounds (operating_api.c) */
extern const struct route funds_operating_routes[];
/* 托育券 (vouchers_api.c) */
extern const struct route vouchers_routes[];

#endif
