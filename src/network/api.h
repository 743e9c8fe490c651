/* api.h — the routes of the health guidance network (api.c). */
#ifndef TUOYU_NETWORK_API_H
#define TUOYU_NETWORK_API_H

#include "http/http.h"

extern const struct route network_routes[];
/* The network's organisations and their instructors (orgs.c). */
extern const struct route network_org_routes[];
/* Care-group activities: scheduling, registration, attendance (activities.c). */
extern const struct route activity_routes[];

#endif
