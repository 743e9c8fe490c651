/* api.h — the supervision module's route table (see api.c). */
#ifndef TUOYU_SUPERVISION_API_H
#define TUOYU_SUPERVISION_API_H

#include "auth/auth.h"
#include "http/http.h"

extern const struct route supervision_routes[];
/* GET /api/v1/findings, the district's compliance findings (findings.c). */
extern const struct route findings_routes[];

/* The version (http.h `kept`) of the dashboard's and the findings list's answers for the caller:
 * authorized for action on target as the handler does, then the district, the caller's own town
 * ("*": the whole district), the day and the stamps of what they are made from (store.h). 0, or
 * -1 with e. */
int supervision_kept_version(struct http_req *req, const char *action, const struct authz_target *target,
                             char *version, size_t cap, struct err *e);

#endif
