/* api.h — the audit log's route table (see api.c). */
#ifndef TUOYU_AUDIT_API_H
#define TUOYU_AUDIT_API_H

#include "http/http.h"

extern const struct route audit_routes[];

#endif
