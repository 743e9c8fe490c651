/* ratio.c — the live caregiver ratio of a class: present children against caregivers on duty,
 * with the registry's children-per-caregiver parameter for the class type (see ratio.h). */
#include "duty/ratio.h"

#include <math.h>
#include <stdlib.h>

int duty_ratio_compute(const struct registry_rules *r, int type, int present, int on_duty, struct duty_ratio *out)
{
    if (type < 0 || type >= CLASS_TYPE_COUNT || present < 0 || on_duty < 0 || !(r->children_per_caregiver[type] > 0))
        return -1;
    out->per = r->children_per_caregiver[type];
    out->present = present;
    out->on_duty = on_duty;
    out->needed = (int)ceil((double)present / out->per);
    if (present == 0)
        out->state = DUTY_RATIO_EMPTY;
    else
        /* the registry's rule: caregivers × per must cover the children */
        out->state = (double)on_duty * out->per < (double)present ? DUTY_RATIO_BROKEN : DUTY_RATIO_OK;
    return 0;
}

int duty_ratio_overdue(int64_t broken_since, int64_t now, int limit_minutes)
{
    return broken_since >= 0 && now - broken_since > (int64_t)limit_minutes;
}

static int by_minute(const void *a, const void *b)
{
    const struct duty_event *x = a, *y = b;
    return (x->minute > y->minute) - (x->minute < y->minute);
}

/* A break from..to (minutes; ended, or running at to): the longest so far when longer (the earlier
 * on a tie), and a break over the limit when longer than limit. */
static void keep_break(struct duty_day *d, int from, int to, int ended, int limit)
{
    if (duty_ratio_overdue(from, to, limit) && d->nover < DUTY_MAX_OVER)
        d->over[d->nover++] = (struct duty_break){from, ended ? to : -1};
    if (to - from > d->longest_minutes) {
        d->longest_from = from;
        d->longest_to = ended ? to : -1;
        d->longest_minutes = to - from;
    }
}

int duty_ratio_day(const struct registry_rules *r, int type, struct duty_event *ev, size_t n, int now_minute,
                   int limit_minutes, struct duty_day *out)
{
    if (now_minute < 0 || now_minute >= 24 * 60 || duty_ratio_compute(r, type, 0, 0, &out->now) < 0)
        return -1;
    out->broken_since = out->longest_from = out->longest_to = -1;
    out->longest_minutes = out->nover = 0;
    if (n)
        qsort(ev, n, sizeof *ev, by_minute);
    int children = 0, caregivers = 0;
    for (size_t i = 0; i < n && ev[i].minute <= now_minute;) {
        int minute = ev[i].minute;
        for (; i < n && ev[i].minute == minute; i++) {
            children += ev[i].children;
            caregivers += ev[i].caregivers;
        }
        if (children < 0)
            children = 0;
        if (caregivers < 0)
            caregivers = 0;
        duty_ratio_compute(r, type, children, caregivers, &out->now);
        int broken = out->now.state == DUTY_RATIO_BROKEN;
        if (broken && out->broken_since < 0) {
            out->broken_since = minute;
        } else if (!broken && out->broken_since >= 0) {
            keep_break(out, out->broken_since, minute, 1, limit_minutes);
            out->broken_since = -1;
        }
    }
    if (out->broken_since >= 0)
        keep_break(out, out->broken_since, now_minute, 0, limit_minutes);
    return 0;
}
