/* api.h — the data exchange's route table (see api.c). */
#ifndef TUOYU_EXCHANGE_API_H
#define TUOYU_EXCHANGE_API_H

#include "http/http.h"

extern const struct route exchange_routes[];

#endif
