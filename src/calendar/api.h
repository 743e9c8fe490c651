/* api.h — the working-day calendar's routes (see api.c), and the calendar every deadline of a
 * request counts on. */
#ifndef TUOYU_CALENDAR_API_H
#define TUOYU_CALENDAR_API_H

#include "base/workdays.h"
#include "http/http.h"

extern const struct route calendar_routes[];

/* The district's working-day calendar for this request (date_add_working_days counts on it):
 * this worker thread's copy, loaded again when the calendar changed in this process
 * (app->calendar_generation) and at least once a minute (a change made by another process).
 * Valid until the thread's next call. 0, or -1 with e. */
int calendar_for_request(struct http_req *req, const struct date_calendar **out, struct err *e);

#endif
