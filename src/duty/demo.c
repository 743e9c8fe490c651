/* demo.c — demonstration duty (demo.h): the caregivers assigned to each class on duty on the days its
 * children attended, so that the 今日 page's live ratios have caregivers to count. */
#include "duty/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty/store.h"

struct class_day {
    int64_t class_id, staff_id;
    char day[11];
};

static void class_day_row(struct db_stmt *st, void *item)
{
    struct class_day *x = item;
    x->class_id = db_col_int64(st, 0);
    x->staff_id = db_col_int64(st, 1);
    db_col_copy(st, 2, x->day, sizeof x->day);
}

int duty_demo_institution(struct db *db, const char *district, int64_t institution_id, int64_t operator_id,
                          const char *today, const char *now_ts, struct err *e)
{
    /* each class and day with attendance, with each caregiver assigned to the class and employed then */
    struct db_stmt *st = db_query(db, e,
                                  "SELECT d.class_id, m.id, d.day FROM (SELECT DISTINCT class_id, day FROM care_attendance "
                                  "WHERE institution_id = ?) d JOIN staff_class sc ON sc.class_id = d.class_id JOIN "
                                  "staff_member m ON m.id = sc.staff_id AND m.role = 'caregiver' AND m.start_date <= d.day "
                                  "AND (m.end_date IS NULL OR m.end_date >= d.day) ORDER BY d.day, d.class_id, m.id",
                                  "i", institution_id);
    void *rows;
    size_t n;
    if (db_rows(st, e, sizeof(struct class_day), class_day_row, &rows, &n) < 0)
        return -1;
    struct class_day *x = rows;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int64_t id;
        rc = duty_insert(db, district, x[i].staff_id, institution_id, x[i].class_id, x[i].day, "07:30", 0, operator_id,
                         now_ts, &id, e);
        if (rc == 0 && strcmp(x[i].day, today) < 0 && duty_close(db, id, "17:30", now_ts, e) < 0)
            rc = -1;
    }
    free(rows);
    return rc;
}
