/* alerts.c — the outbreak early warning raised (alerts.h): the window's cases from the store, the
 * pure engine (outbreak.c) over them, each alert stored with the rule that fired and its basis, and
 * a new one told to those who act on it. */
#include <stdio.h>
#include <stdlib.h>

#include "base/date.h"
#include "care/alerts.h"
#include "care/outbreak.h"
#include "care/store.h"
#include "inbox/inbox.h"
#include "registry/registry.h"
#include "registry/store.h"

/* Post alert id (of row, fired in group) to every recipient of institution_id's alerts. */
static int tell(struct db *db, const char *district, int64_t institution_id, int64_t id, const struct care_alert_row *row,
                int group, const char *now_ts, struct err *e)
{
    struct institution *in = malloc(sizeof *in);
    if (!in)
        return err_set(e, 500, "oom", "", "内存不足");
    int64_t *to = NULL;
    size_t nto = 0;
    char subject[256], body[1024];
    int rc = registry_load(db, district, institution_id, row->last_day, in, e);
    if (rc == 0) {
        snprintf(subject, sizeof subject, "传染病预警：%s %s", in->name, outbreak_group_name(group));
        snprintf(body, sizeof body, "%s：%s（%s 至 %s）。请及时排查、隔离观察并按规定报告。依据：%s", in->name, row->rule,
                 row->first_day, row->last_day, row->basis);
        rc = care_alert_recipients(db, district, institution_id, &to, &nto, e);
    }
    free(in);
    struct inbox_message m = {.kind = "care.outbreak", .subject = subject, .body = body, .ref_type = "care_alert",
                              .ref_id = id, .due_at = now_ts};
    if (rc == 0)
        rc = inbox_post_each(db, district, &m, to, nto, now_ts, e);
    free(to);
    return rc < 0 ? -1 : 0;
}

int care_outbreak_raise(struct db *db, const char *district, int64_t institution_id, const char *day,
                        const struct params *p, const char *now_ts, struct care_raised *raised, int cap,
                        struct err *e)
{
    double class_cases, inst_cases, window;
    if (params_num(p, "care.outbreak.class_cases", &class_cases, e) < 0 ||
        params_num(p, "care.outbreak.institution_cases", &inst_cases, e) < 0 ||
        params_num(p, "care.outbreak.window_days", &window, e) < 0)
        return -1;
    struct outbreak_rules r = {(int)class_cases, (int)inst_cases, (int)window};
    struct date_ymd d;
    char from[DATE_DAY_LEN];
    if (date_parse(day, &d, e) < 0 || date_add_days(day, 1 - r.window_days, from) < 0)
        return -1;
    struct outbreak_case *cases;
    size_t n;
    if (care_outbreak_cases(db, institution_id, from, day, &cases, &n, e) < 0)
        return -1;
    struct outbreak_alert *found = malloc(CARE_MAX_RAISED * sizeof *found);
    int nfound = found ? outbreak_scan(cases, n, (int32_t)date_to_days(&d), &r, found, CARE_MAX_RAISED) : -1;
    free(cases);
    if (nfound < 0) {
        free(found);
        return err_set(e, 500, "outbreak_scan", "", "预警计算失败");
    }
    int nraised = 0;
    for (int i = 0; i < nfound && i < CARE_MAX_RAISED; i++) {
        const struct outbreak_alert *a = &found[i];
        int in_class = a->scope == OUTBREAK_CLASS;
        char first[DATE_DAY_LEN], last[DATE_DAY_LEN], rule[512];
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
        if (fresh > 0 && tell(db, district, institution_id, id, &row, a->group, now_ts, e) < 0)
            fresh = -1;
        if (fresh < 0) {
            free(found);
            return -1;
        }
        if (fresh && nraised < cap) {
            struct care_raised *x = &raised[nraised++];
            x->id = id;
            x->group = row.group;
            x->cases = a->nchildren;
            snprintf(x->rule, sizeof x->rule, "%s", rule);
        }
    }
    free(found);
    return nraised;
}
