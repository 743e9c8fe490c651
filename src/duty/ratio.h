/* ratio.h — the live caregiver ratio (issue 15 item 5): a pure engine that, for one class, compares
 * the children present now (checked in, not checked out) with the caregivers on duty now against
 * the class type's ratio.<type>.children_per_caregiver parameter — the same parameter, loaded by
 * registry_rules_from_params, that the registry's caregiver_ratio finding reads. No database, no
 * clock: the caller passes the figures, the minute the ratio broke and the minute it is now. */
#ifndef TUOYU_DUTY_RATIO_H
#define TUOYU_DUTY_RATIO_H

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

#endif
