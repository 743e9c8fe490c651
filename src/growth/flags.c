/* flags.c — which indicators of a measurement lie beyond the WS/T 423 "下" / "上" cut-offs
 * (flags.h). Pure. */
#include "growth/flags.h"

static const enum growth_indicator GRADED[GROWTH_FLAGS_MAX] = {GROWTH_WEI, GROWTH_LEN, GROWTH_WFL, GROWTH_BMI,
                                                                GROWTH_HC};

int growth_flags_of(const struct growth_input *m, const struct growth_cutoffs *cut, struct growth_flag *out,
                    struct err *e)
{
    struct growth_result r;
    if (growth_zscores(m, &r, e) < 0)
        return -1;
    int n = 0;
    for (int k = 0; k < GROWTH_FLAGS_MAX; k++) {
        const struct growth_z *z = &r.ind[GRADED[k]];
        int grade = growth_grade(z->z, cut);
        if (grade == 1 || grade == 5)
            out[n++] = (struct growth_flag){GRADED[k], *z, grade};
    }
    return n;
}
