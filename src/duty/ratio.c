/* ratio.c — the live caregiver ratio of a class: present children against caregivers on duty,
 * with the registry's children-per-caregiver parameter for the class type (see ratio.h). */
#include "duty/ratio.h"

#include <math.h>

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
