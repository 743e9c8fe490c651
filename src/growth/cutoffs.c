/* cutoffs.c — fills the growth classification cut-offs from the dated policy parameters
 * (table `param`, keys growth.*), so the API and reports classify with the values in force. */
#include "growth/cutoffs.h"

#include "params/params.h"

int growth_cutoffs_from_params(const struct params *p, struct growth_cutoffs *c, struct err *e)
{
    growth_cutoffs_default(c);
    static const char *const required[] = {"growth.underweight_z",       "growth.severe_z",
                                           "growth.overweight_z",        "growth.obesity_z",
                                           "growth.grade_low_z",         "growth.grade_lower_middle_z",
                                           "growth.grade_upper_middle_z", "growth.grade_high_z",
                                           "growth.overweight_5to19_z",  "growth.obesity_5to19_z"};
    double *targets[] = {&c->low_below,     &c->severe_below,  &c->overweight_above, &c->obese_above,
                         &c->grade_cuts[0], &c->grade_cuts[1], &c->grade_cuts[2],    &c->grade_cuts[3],
                         &c->overweight07_above, &c->obese07_above};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (params_num(p, required[i], targets[i], e) < 0)
            return -1;
    return 0;
}
