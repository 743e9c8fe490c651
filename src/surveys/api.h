/* api.h — routes of surveys (调查问卷, src/surveys/api.c). */
#ifndef TUOYU_SURVEYS_API_H
#define TUOYU_SURVEYS_API_H

#include "http/http.h"

extern const struct route surveys_routes[];

#endif
