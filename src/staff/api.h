/* api.h — the staff registry's route table (see api.c). */
#ifndef TUOYU_STAFF_API_H
#define TUOYU_STAFF_API_H

#include "http/http.h"

extern const struct route staff_routes[];

#endif
