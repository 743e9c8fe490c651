/* api.h — the supervision module's route table (see api.c). */
#ifndef TUOYU_SUPERVISION_API_H
#define TUOYU_SUPERVISION_API_H

#include "http/http.h"

extern const struct route supervision_routes[];
/* GET /api/v1/findings, the district's compliance findings (findings.c). */
extern const struct route findings_routes[];

#endif
