/* duty.h — caregivers on duty and the day pages (issue 15 items 5 and 10): a caregiver of an
 * institution checks in on duty for a class and out again (recorded by the institution's operator),
 * and the day of each class — attendance, morning checks, the live ratio (ratio.h) — summed up for
 * the institution's 今日 page and, per institution, for the district's. This file is the pure part
 * (request bodies, the checks of a duty, the day of a class from its rows); store.c holds the SQL
 * and api.c the routes. */
#ifndef TUOYU_DUTY_H
#define TUOYU_DUTY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "duty/ratio.h"
#include "http/http.h"

/* The request bodies: check in (staff_id, class_id, date, time, covering), check out (staff_id,
 * date, time). */
extern const struct http_schema duty_check_in_schema, duty_check_out_schema;

/* When a check-in or check-out happens: a day and a minute of it. */
struct duty_when {
    char day[11];
    int minute;
};

/* The day and minute of a body's "date" (default today) and "time" ("HH:MM"; default now when the
 * day is today, required before): 422 future_date (a day after today), bad_time, required (time
 * on an earlier day), future_time (later today than now). */
int duty_when_from_json(const json_t *body, const char *today, int now_minute, struct duty_when *out, struct err *e);

/* What a check-in is checked against: the staff member as stored. */
struct duty_person {
    int64_t institution_id;
    int caregiver;          /* role caregiver (保育人员: only they count for the ratio) */
    int employed;           /* started and not left on the day (staff_on_duty) */
    int assigned;           /* assigned to the class (staff_class) */
};

/* May the person check in for a class of institution_id? covering: the body says the person covers
 * a class they are not assigned to. 0, or -1 with 422 unknown_staff (not of the institution),
 * not_caregiver, not_employed, not_assigned (not the person's class and not said to cover it). */
int duty_check_person(const struct duty_person *p, int64_t institution_id, int covering, struct err *e);

/* "HH:MM" of a minute of the day into out (6 bytes). */
void duty_hhmm(int minute, char out[6]);

/* ---- the day of each class, from its rows ---- */

struct duty_class_row {
    int64_t id, institution_id;
    int type;                /* enum class_type */
    char name[64];
    char institution_name[128];
    int placed;              /* children placed in the class on the day */
};
struct duty_attendance_row {
    int64_t class_id, child_id;
    int present;             /* 1 present, 0 absent */
    int in, out;             /* minutes of check-in and check-out, -1 when none */
};
struct duty_check_row {
    int64_t class_id, child_id;
    int abnormal;            /* a symptom, or an action other than none */
};
struct duty_shift_row {
    int64_t class_id;
    int in, out;             /* minutes, out -1 while on duty */
};

/* The rows of a day of some classes (one institution's, or the district's). */
struct duty_board {
    struct duty_class_row *classes;
    size_t nclasses;
    struct duty_attendance_row *attendance;
    size_t nattendance;
    struct duty_check_row *checks;     /* the morning checks */
    size_t nchecks;
    struct duty_shift_row *shifts;
    size_t nshifts;
};

/* A class's day at a minute. */
struct duty_class_day {
    int present, absent, unmarked; /* attendance recorded (present / absent) and not yet */
    int present_now;               /* checked in by the minute and not checked out */
    int checks_done, checks_missing, checks_abnormal; /* morning checks: children checked, present
                                                       * children not checked, checks not normal */
    struct duty_day ratio;         /* the live ratio replayed to the minute */
    int finding;                   /* a break that day was longer than the limit (ratio.over) */
};

/* The day of each class of b at now_minute (out[i] for b->classes[i]); limit_minutes:
 * duty.ratio_broken_minutes. b's rows are sorted here. 0, or -1 (out of memory, or a class of a type
 * without a ratio parameter). */
int duty_board_days(struct duty_board *b, const struct registry_rules *r, int now_minute, int limit_minutes,
                    struct duty_class_day *out);
/* A class's day as the replies show it. */
json_t *duty_class_day_json(const struct duty_class_row *c, const struct duty_class_day *d, int now_minute);

#endif
