/* cutoffs.h — growth classification cut-offs from the policy parameter table. */
#ifndef TUOYU_GROWTH_CUTOFFS_H
#define TUOYU_GROWTH_CUTOFFS_H

#include "base/err.h"
#include "growth/growth.h"

struct params;

/* Fill c from the parameters in force (keys growth.underweight_z, growth.severe_z,
 * growth.overweight_z, growth.obesity_z, growth.grade_low_z, growth.grade_lower_middle_z,
 * growth.grade_upper_middle_z, growth.grade_high_z; optional growth.overweight_5to19_z and
 * growth.obesity_5to19_z, default +1 / +2). Returns 0, or -1 with e filled ("param_missing")
 * when a required key is absent. */
int growth_cutoffs_from_params(const struct params *p, struct growth_cutoffs *c, struct err *e);

#endif
