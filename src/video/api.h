/* api.h — routes of 可视托 video supervision (api.c). */
#ifndef TUOYU_VIDEO_API_H
#define TUOYU_VIDEO_API_H

#include <jansson.h>

#include "db/db.h"
#include "http/http.h"

extern const struct route video_routes[];

/* The 可视托 findings of the open institutions in reach — one (institution_id > 0), a town's (town
 * not NULL) or the district's — on today's retention parameter: 0 with *by_institution, a JSON
 * object {"<institution id>": [{rule, severity, camera_id|class_id, message, basis}]} holding the
 * institutions that have any (the caller's); -1 with e. The institution's video page, the findings
 * list and the dashboard read them from here. */
int video_findings_in(struct db *db, const char *district, const char *town, int64_t institution_id, const char *today,
                      json_t **by_institution, struct err *e);

#endif
