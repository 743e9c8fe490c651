/* demo.c — demonstration daily care (demo.h): placements, entry checks, pick-up persons, a month
 * of attendance and 晨检 through the care store, fevers sent home with the guardian's notice as the
 * check route posts it, and an outbreak cluster raised by the real engine (outbreak_scan) so the
 * alert screens have something true to show. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "care/alerts.h"
#include "care/demo.h"
#include "care/notice.h"
#include "care/outbreak.h"
#include "care/store.h"
#include "care/store_outdoor.h"
#include "children/store.h"
#include "params/params.h"
#include "privacy/privacy.h"
#include "privacy/store.h"
#include "registry/registry.h"
#include "registry/store.h"

#define DEMO_DAYS 30 /* placed a month before today */

static const char *const PICKUP_NAMES[] = {"王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊"};
static const char *const PICKUP_RELATIONS[] = {"母亲", "父亲", "祖母", "祖父"};

static uint64_t next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* Raise the engine's alerts of institution_id for the window ending on day, as the check route does. */
static int raise(struct db *db, const char *district, int64_t institution_id, const char *day, const char *now_ts,
                 struct err *e)
{
    struct params *p = malloc(sizeof *p);
    struct care_raised *raised = malloc(CARE_MAX_RAISED * sizeof *raised);
    int rc = p && raised ? 0 : err_set(e, 500, "oom", "", "内存不足");
    if (rc == 0 && (params_load(db, district, day, p, e) < 0 ||
                    care_outbreak_raise(db, district, institution_id, day, p, now_ts, raised, CARE_MAX_RAISED, e) < 0))
        rc = -1;
    free(raised);
    free(p);
    return rc;
}

/* The guardian's notice of check id (c, of child_id sent home) when the child has a family account. */
static int notify(struct db *db, const struct crypt_key *key, const char *district, int64_t child_id,
                  const struct care_check *c, int64_t id, const char *now_ts, struct err *e)
{
    struct child ch;
    if (children_load(db, key, district, child_id, &ch, e) < 0)
        return -1;
    return ch.family_user_id ? care_check_notify(db, district, &ch, c, id, now_ts, e) : 0;
}

int care_demo_institution(struct db *db, const struct crypt_key *key, const char *district, int64_t institution_id,
                          const int64_t *children, int n, int64_t operator_id, int days, int fevers, uint64_t seed,
                          const char *today, const char *now_ts, struct err *e)
{
    struct institution *in = malloc(sizeof *in);
    if (!in)
        return err_set(e, 500, "oom", "", "内存不足");
    int loaded = registry_load(db, district, institution_id, today, in, e);
    int64_t class_id = loaded == 0 && in->nclasses > 0 ? in->classes[0].id : 0;
    free(in);
    if (loaded < 0 || class_id == 0)
        return loaded < 0 ? -1 : 0;
    uint64_t s = seed ^ (uint64_t)institution_id * 0x9E3779B97F4A7C15ULL;
    char start[DATE_DAY_LEN], checked[DATE_DAY_LEN];
    if (date_add_days(today, -DEMO_DAYS, start) < 0 || date_add_days(today, -DEMO_DAYS - 7, checked) < 0)
        return err_set(e, 500, "bad_date", "", "日期无效");
    int64_t *pickup = malloc((size_t)n * sizeof *pickup);
    if (!pickup)
        return err_set(e, 500, "oom", "", "内存不足");
    int rc = 0;
    for (int k = 0; !rc && k < n; k++) {
        int64_t id;
        rc = care_place(db, district, children[k], institution_id, class_id, start, now_ts, &id, e);
        if (!rc)
            rc = care_insert_entry_check(db, district, children[k], "health_check", checked, "pass", "", 0, operator_id,
                                         now_ts, &id, e);
        if (!rc)
            rc = care_insert_entry_check(db, district, children[k], "vaccination", checked, "pass", "", 0, operator_id,
                                         now_ts, &id, e);
        if (!rc)
            rc = care_insert_pickup(db, key, district, children[k], PICKUP_NAMES[next(&s) % 6],
                                    PICKUP_RELATIONS[next(&s) % 4], now_ts, &pickup[k], e);
        if (!rc)
            rc = privacy_consent_require(db, children[k], PRIVACY_CARE_HEALTH, e);
    }
    /* the weekdays of the month; the fevers on consecutive weekdays ending on the latest Wednesday
     * to Friday (three inside the engine's window whatever day today is): child k on the k-th day
     * back from it */
    int end_back = 0;
    for (char d[DATE_DAY_LEN]; end_back < 7; end_back++)
        if (date_add_days(today, -end_back, d) == 0 && date_day_of_week(d) >= 3 && date_day_of_week(d) <= 5)
            break;
    for (int back = days - 1; !rc && back >= 0; back--) {
        char day[DATE_DAY_LEN];
        date_add_days(today, -back, day);
        if (date_day_of_week(day) >= 6)
            continue;
        for (int k = 0; !rc && k < n; k++) {
            int sick = k < fevers && back == end_back + k;
            struct care_entry x = {.child_id = children[k], .present = next(&s) % 12 != 0 || sick};
            if (x.present) {
                snprintf(x.check_in, sizeof x.check_in, "08:%02d", (int)(next(&s) % 40));
                x.brought_by = pickup[k];
            } else
                snprintf(x.absence_cause, sizeof x.absence_cause, "%s", next(&s) % 2 ? "family" : "other");
            rc = care_insert_attendance(db, district, institution_id, class_id, day, &x, operator_id, now_ts, e);
            if (rc || !x.present)
                continue;
            if (back > 0 || sick) /* today's children have not all gone home yet */
                rc = care_check_out(db, children[k], day, "17:00", pickup[k], now_ts, e) < 0 ? -1 : 0;
            struct care_check c = {.slot = "morning", .temperature_c = sick ? 38.2 + (double)(next(&s) % 6) / 10
                                                                              : 36.3 + (double)(next(&s) % 5) / 10};
            snprintf(c.day, sizeof c.day, "%s", day);
            snprintf(c.action, sizeof c.action, "%s", sick ? "send_home" : "none");
            if (sick) {
                c.nsymptoms = 1;
                snprintf(c.symptoms[0], sizeof c.symptoms[0], "fever");
            }
            int64_t id;
            if (!rc)
                rc = care_insert_health_check(db, district, children[k], institution_id, class_id, &c, sick, operator_id,
                                              now_ts, &id, e);
            if (!rc && sick)
                rc = notify(db, key, district, children[k], &c, id, now_ts, e);
            if (!rc && sick)
                rc = raise(db, district, institution_id, day, now_ts, e);
        }
        /* the class's outdoor time of each day gone (today's is not over): mostly two hours and
         * more, a wet day shortened and said so, now and then a short day with no reason (a
         * finding); from the day and the institution, not the draws above */
        if (!rc && back > 0) {
            unsigned h = (unsigned)(back * 7 + institution_id);
            struct care_outdoor o = {.class_id = class_id, .minutes = 120 + (int)(h % 4) * 15};
            snprintf(o.day, sizeof o.day, "%s", day);
            if (h % 9 == 4)
                o.minutes = 70, snprintf(o.weather, sizeof o.weather, "rain");
            else if (h % 11 == 6)
                o.minutes = 95;
            rc = care_outdoor_save(db, district, institution_id, &o, operator_id, now_ts, e);
        }
    }
    free(pickup);
    return rc;
}
