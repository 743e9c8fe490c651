/* demo.c — demonstration duty (demo.h): the caregivers assigned to each class on duty on the days its
 * children attended, so that the 今日 page's live ratios have caregivers to count. */
#include "duty/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty/store.h"

int duty_demo_institution(struct db *db, const char *district, int64_t institution_id, int64_t operator_id,
                          const char *today, const char *now_ts, struct err *e)
{
    struct duty_attended *x;
    size_t n;
    if (duty_attended_class_days(db, institution_id, &x, &n, e) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int64_t id;
        rc = duty_insert(db, district, x[i].staff_id, institution_id, x[i].class_id, x[i].day, "07:30", 0, operator_id,
                         now_ts, &id, e);
        if (rc == 0 && strcmp(x[i].day, today) < 0 && duty_close(db, id, "17:30", now_ts, e) < 0)
            rc = -1;
    }
    free(x);
    return rc;
}
