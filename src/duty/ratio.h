/* ratio.h — the live caregiver ratio (issue 15 item 5): a pure engine that, for one class, compares
 * the children present now (checked in, not checked out) with the caregivers on duty now against
 * the class type's ratio.<type>.children_per_caregiver parameter — the same parameter, loaded by
 * registry_rules_from_params, that the registry's caregiver_ratio finding reads. No database, no
 * clock: the caller passes the figures (or the day's arrivals and departures), the minute the
 * ratio broke and the minute it is now. */
#ifndef TUOYU_DUTY_RATIO_H
#define TUOYU_DUTY_RATIO_H

#include <stddef.h>
#include <stdint.h>

#include "registry/registry.h"

enum duty_ratio_state {
    DUTY_RATIO_EMPTY,   /* no child present: nothing to keep */
    DUTY_RATIO_OK,      /* enough caregivers on duty */
    DUTY_RATIO_BROKEN   /* fewer caregivers than the present children need */
};

struct duty_ratio {
    enum duty_ratio_state state;
    int present;          /* children present now */
    int on_duty;          /* caregivers on duty now */
    int needed;           /* caregivers the present children need: ceil(present / per) */
    double per;           /* children per caregiver for the class type */
};

/* The class's ratio now. type is the class's enum class_type; a negative present or on_duty, an
 * unknown type or a non-positive parameter is a programming error and returns -1. */
int duty_ratio_compute(const struct registry_rules *r, int type, int present, int on_duty, struct duty_ratio *out);

/* Whether a ratio broken since broken_since (minutes on any common clock, e.g. since the epoch)
 * has stayed broken for longer than limit_minutes at now: the finding of item 5. A ratio that is
 * not broken (broken_since < 0) is never overdue. */
int duty_ratio_overdue(int64_t broken_since, int64_t now, int limit_minutes);

/* One change in a class during a day, at minute (0–1439, Beijing time) of it: a child checked in
 * (+1 children) or out (-1), a caregiver came on duty (+1 caregivers) or went off (-1). */
struct duty_event {
    int minute;
    int children;
    int caregivers;
};

#define DUTY_MAX_OVER 8 /* breaks longer than the limit one day keeps (a class has few) */

/* A break of the ratio: its first minute and the minute it ended (-1 while it runs). */
struct duty_break {
    int from, to;
};

/* A class's day replayed up to a minute. */
struct duty_day {
    struct duty_ratio now;  /* the ratio at that minute */
    int broken_since;       /* the minute the break running then began; -1 when not broken */
    int longest_from;       /* the day's longest break so far (the running one counted up to the
                             * minute; the earliest of equal ones): its first minute, -1 none */
    int longest_to;         /* the minute it ended, -1 while it is still running */
    int longest_minutes;    /* its length in minutes, 0 when none */
    int nover;              /* breaks longer than the limit (the finding of item 5), in order; the
                             * running one counts up to the minute; at most DUTY_MAX_OVER kept */
    struct duty_break over[DUTY_MAX_OVER];
};

/* Replay a class's day up to now_minute: the events at or before it, sorted here (ev is
 * reordered), those of one minute taken together — a caregiver handing over to another in the same
 * minute does not break the ratio. Counts never go below zero (a check-out without its check-in
 * is ignored). Breaks longer than limit_minutes (duty_ratio_overdue) are listed in over. 0, or -1
 * as duty_ratio_compute (bad type or parameter, now_minute outside the day). */
int duty_ratio_day(const struct registry_rules *r, int type, struct duty_event *ev, size_t n, int now_minute,
                   int limit_minutes, struct duty_day *out);

#endif
