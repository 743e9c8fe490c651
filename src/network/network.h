/* network.h — the health guidance network (C5.1, C5.2): request bodies of assignments and duties
 * and their checks. Pure: no database, no clock. */
#ifndef TUOYU_NETWORK_NETWORK_H
#define TUOYU_NETWORK_NETWORK_H

#include <jansson.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "http/http.h"
#include "network/duties.h"

extern const struct http_schema network_assign_schema, network_unassign_schema, network_duty_schema,
    network_activity_schema, network_registration_schema, network_attendance_schema;

/* An assignment's first or last day: the body's member (default today), never after today. */
int network_day_from_json(const json_t *body, const char *key, const char *today, char out[DATE_DAY_LEN],
                          struct err *e);

/* A duty as recorded. */
struct network_duty {
    enum network_kind kind;
    char done_on[DATE_DAY_LEN];
    const char *content, *findings, *advice, *follow_up, *follow_up_by; /* follow_up_by NULL: none */
};

/* The duty a body describes (strings point into body), checked: a known kind, a day not after
 * today and not before assigned_from (the caller's assignment), a follow-up only on a visit and
 * its date not before the visit. 0 or -1 with e (422). */
int network_duty_from_json(const json_t *body, const char *today, const char *assigned_from, struct network_duty *out,
                           struct err *e);

/* A care-group activity (养育照护小组活动) as scheduled. */
struct network_activity {
    const char *topic, *age_band, *place, *host, *town_code; /* town_code NULL: the scheduler's */
    char starts_at[DATE_TIMESTAMP_LEN];                      /* UTC */
    int64_t capacity;
};
/* The Chinese name of an age band code (0_12, 12_24, 24_36, 0_36), or NULL when unknown. */
const char *network_age_band_name(const char *code);

/* The activity a body describes (strings point into body), checked: a known age band, a start
 * with its zone after now. 0 or -1 with e (422). */
int network_activity_from_json(const json_t *body, int64_t now, struct network_activity *out, struct err *e);

/* The registrations that came to an activity, from an attendance body (its ids, schema-checked):
 * came[0..*n), at most NETWORK_MAX_ATTENDEES. 0, or -1 with e (422 duplicate). */
#define NETWORK_MAX_ATTENDEES 500
int network_attendance_from_json(const json_t *body, int64_t *came, int *n, struct err *e);

/* The UTC bounds [from, to) of the Beijing calendar year `year` ("YYYY"): 0, or -1 when year is
 * not four digits. */
int network_year_bounds(const char *year, char from[DATE_TIMESTAMP_LEN], char to[DATE_TIMESTAMP_LEN]);

#endif
