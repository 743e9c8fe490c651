/* api.h — the routes of caregivers on duty and the day pages (api.c). */
#ifndef TUOYU_DUTY_API_H
#define TUOYU_DUTY_API_H

#include "http/http.h"

extern const struct route duty_routes[];

#endif
