/* demo.c — demonstration daily care (demo.h): placements, entry checks, pick-up persons, a month
 * of attendance and 晨检 through the care store, and an outbreak cluster raised by the real
 * engine (outbreak_scan) so the alert screens have something true to show. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "care/demo.h"
#include "care/outbreak.h"
#include "care/store.h"
#include "inbox/inbox.h"
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

static int raise_found(struct db *db, const char *district, int64_t institution_id, const char *day,
                       const struct params *p, struct outbreak_rules r, const char *now_ts, struct err *e);

/* Raise the engine's alerts of institution_id for the window ending on day, as the check route does. */
static int raise(struct db *db, const char *district, int64_t institution_id, const char *day, const char *now_ts,
                 struct err *e)
{
    struct params *p = malloc(sizeof *p);
    double class_cases, inst_cases, window;
    if (!p)
        return err_set(e, 500, "oom", "", "内存不足");
    if (params_load(db, district, day, p, e) < 0 || params_num(p, "care.outbreak.class_cases", &class_cases, e) < 0 ||
        params_num(p, "care.outbreak.institution_cases", &inst_cases, e) < 0 ||
        params_num(p, "care.outbreak.window_days", &window, e) < 0 || raise_found(db, district, institution_id, day, p,
        (struct outbreak_rules){(int)class_cases, (int)inst_cases, (int)window}, now_ts, e) < 0) {
        free(p);
        return -1;
    }
    free(p);
    return 0;
}

/* raise's body: the engine over the window and each alert it finds raised and posted. */
static int raise_found(struct db *db, const char *district, int64_t institution_id, const char *day,
                       const struct params *p, struct outbreak_rules r, const char *now_ts, struct err *e)
{
    char from[DATE_DAY_LEN];
    struct date_ymd d;
    if (date_parse(day, &d, e) < 0 || date_add_days(day, 1 - r.window_days, from) < 0)
        return -1;
    struct outbreak_case *cases;
    size_t n;
    if (care_outbreak_cases(db, institution_id, from, day, &cases, &n, e) < 0)
        return -1;
    struct outbreak_alert found[4];
    int nfound = outbreak_scan(cases, n, (int32_t)date_to_days(&d), &r, found, 4);
    free(cases);
    if (nfound < 0)
        return err_set(e, 500, "outbreak_scan", "", "预警计算失败");
    for (int i = 0; i < nfound && i < 4; i++) {
        const struct outbreak_alert *a = &found[i];
        int in_class = a->scope == OUTBREAK_CLASS;
        char first[DATE_DAY_LEN], last[DATE_DAY_LEN], rule[256], subject[160], body[768];
        struct date_ymd y;
        date_from_days(a->first_day, &y);
        date_format(&y, first);
        date_from_days(a->last_day, &y);
        date_format(&y, last);
        const char *key = in_class ? "care.outbreak.class_cases" : "care.outbreak.institution_cases";
        snprintf(rule, sizeof rule, "%s%d天内有%d名婴幼儿出现「%s」（预警界值：%d名，参数 %s、care.outbreak.window_days）",
                 in_class ? "同一班级" : "同一机构", r.window_days, a->nchildren, outbreak_group_name(a->group),
                 in_class ? r.class_cases : r.institution_cases, key);
        struct care_alert_row row = {
            .institution_id = institution_id, .class_id = a->class_id, .group = outbreak_group_code(a->group),
            .first_day = first, .last_day = last, .cases = a->nchildren, .children = a->children,
            .nchildren = a->nchildren < OUTBREAK_MAX_CHILDREN ? a->nchildren : OUTBREAK_MAX_CHILDREN,
            .rule = rule, .basis = params_basis(p, key) ? params_basis(p, key) : "",
        };
        int64_t id;
        int fresh = care_alert_raise(db, district, &row, now_ts, &id, e);
        if (fresh < 0)
            return -1;
        if (!fresh)
            continue;
        int64_t *to;
        size_t nto;
        if (care_alert_recipients(db, district, institution_id, &to, &nto, e) < 0)
            return -1;
        snprintf(subject, sizeof subject, "传染病预警：%s", outbreak_group_name(a->group));
        snprintf(body, sizeof body, "%s（%s 至 %s）。请及时排查、隔离观察并按规定报告。依据：%s", rule, first, last, row.basis);
        struct inbox_message m = {.kind = "care.outbreak", .subject = subject, .body = body, .ref_type = "care_alert",
                                  .ref_id = id, .due_at = now_ts};
        int rc = 0;
        for (size_t k = 0; k < nto && rc == 0; k++) {
            m.user_id = to[k];
            rc = inbox_post(db, district, &m, now_ts, e);
        }
        free(to);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int care_demo_institution(struct db *db, const struct crypt_key *key, const char *district, int64_t institution_id,
                          const int64_t *children, int n, int64_t operator_id, int days, int fever_cluster, uint64_t seed,
                          const char *today, const char *now_ts, struct err *e)
{
    struct institution *in = malloc(sizeof *in);
    if (!in)
        return err_set(e, 500, "oom", "", "内存不足");
    int loaded = registry_load(db, district, institution_id, in, e);
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
    /* the weekdays of the month; the fever cluster on three consecutive weekdays ending on the
     * latest Wednesday to Friday (inside the engine's window whatever day today is): child k on the
     * k-th day back from it */
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
            int sick = fever_cluster && k < 3 && back == end_back + k;
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
                rc = raise(db, district, institution_id, day, now_ts, e);
        }
    }
    free(pickup);
    return rc;
}
