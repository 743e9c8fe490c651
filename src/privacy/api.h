/* api.h — routes of guardians' consent to the processing of a child's health data (api.c). */
#ifndef TUOYU_PRIVACY_API_H
#define TUOYU_PRIVACY_API_H

#include "http/http.h"

extern const struct route privacy_routes[];

#endif
