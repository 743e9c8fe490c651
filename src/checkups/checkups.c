/* checkups.c — the health-check schedule engine (checkups.h): age checks with their windows, the
 * care rule's checks in the gaps, and which record did each. Pure: dates in, items out. */
#include "checkups/checkups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "params/params.h"

void checkups_age_code(int months, char out[CHECKUPS_CODE_LEN]) { snprintf(out, CHECKUPS_CODE_LEN, "m%d", months); }

int checkups_code_valid(const struct checkups_rules *r, const char *code)
{
    if (!code)
        return 0;
    if (strcmp(code, "care") == 0 || strcmp(code, "entry") == 0 || strcmp(code, "other") == 0)
        return 1;
    char c[CHECKUPS_CODE_LEN];
    for (int i = 0; i < r->nages; i++) {
        checkups_age_code(r->ages_months[i], c);
        if (strcmp(c, code) == 0)
            return 1;
    }
    return 0;
}

const char *checkups_code_name(const char *code, char *out, size_t n)
{
    if (strcmp(code, "care") == 0)
        snprintf(out, n, "在园定期健康检查");
    else if (strcmp(code, "entry") == 0)
        snprintf(out, n, "入园健康检查");
    else if (code[0] == 'm')
        snprintf(out, n, "%s月龄健康检查", code + 1);
    else
        snprintf(out, n, "其他健康检查");
    return out;
}

const char *checkups_status_code(enum checkups_status s)
{
    static const char *const codes[] = {"upcoming", "due", "overdue", "done"};
    return codes[s];
}

const char *checkups_status_name(enum checkups_status s)
{
    static const char *const names[] = {"未到期", "待检查", "已逾期", "已完成"};
    return names[s];
}

const char *checkups_timing_code(enum checkups_timing t)
{
    static const char *const codes[] = {"on_time", "early", "late"};
    return codes[t];
}

int checkups_rules_from_params(const struct params *p, struct checkups_rules *r, struct err *e)
{
    static const struct {
        const char *key;
        size_t offset;
    } nums[] = {
        {"checkup.window_before_days", offsetof(struct checkups_rules, window_before_days)},
        {"checkup.window_months", offsetof(struct checkups_rules, window_months)},
        {"checkup.care_from_months", offsetof(struct checkups_rules, care_from_months)},
        {"checkup.care_to_months", offsetof(struct checkups_rules, care_to_months)},
        {"checkup.care_interval_months", offsetof(struct checkups_rules, care_interval_months)},
    };
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        double v;
        if (params_num(p, nums[i].key, &v, e) < 0)
            return -1;
        if (v < 0 || v > 120 || v != (int)v)
            return err_set(e, 500, "bad_param", "", "参数 %s 应为 0–120 的整数：%g", nums[i].key, v);
        *(int *)((char *)r + nums[i].offset) = (int)v;
    }
    const struct param_value *ages = NULL;
    for (int i = 0; i < p->count; i++)
        if (strcmp(p->items[i].key, "checkup.ages_months") == 0)
            ages = &p->items[i];
    if (!ages)
        return err_set(e, 500, "param_missing", "", "缺少参数 checkup.ages_months");
    char buf[sizeof ages->value];
    snprintf(buf, sizeof buf, "%s", ages->value);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int64_t m;
        if (r->nages == CHECKUPS_MAX_AGES || parse_int64(tok, &m) < 0 || m < 1 || m > 120 ||
            (r->nages && m <= r->ages_months[r->nages - 1]))
            return err_set(e, 500, "bad_param", "", "参数 checkup.ages_months 应为递增的月龄列表：%s", ages->value);
        r->ages_months[r->nages++] = (int)m;
    }
    if (!r->nages || r->window_months < 1)
        return err_set(e, 500, "bad_param", "", "健康检查时间表参数无效");
    return 0;
}

/* out = day + months − 1 day: the last day before the date months on. */
static int day_before_months(const char *day, int months, char out[DATE_DAY_LEN])
{
    char t[DATE_DAY_LEN];
    return date_add_months(day, months, t) < 0 ? -1 : date_add_days(t, -1, out);
}

/* Status of a check not done, on today. */
static enum checkups_status open_status(const struct checkups_item *it, const char *today)
{
    if (strcmp(today, it->opens) < 0)
        return CHECKUPS_UPCOMING;
    return strcmp(today, it->closes) <= 0 ? CHECKUPS_DUE : CHECKUPS_OVERDUE;
}

/* Mark it done by record d. */
static void mark_done(struct checkups_item *it, const struct checkups_done *d)
{
    it->status = CHECKUPS_DONE;
    snprintf(it->done_on, sizeof it->done_on, "%s", d->day);
    it->timing = strcmp(d->day, it->opens) < 0 ? CHECKUPS_EARLY
                 : strcmp(d->day, it->closes) > 0 ? CHECKUPS_LATE
                                                  : CHECKUPS_ON_TIME;
}

/* The window of a check due window_months after `from` (the birth date for an age check of
 * months, the due day itself for a care check): the target set, the window opens
 * window_before_days before it and closes the day before from + months + window_months, so an
 * age check's window is its month of age even where month ends clamp the target. */
static int set_window(struct checkups_item *it, const char *from, int months, const struct checkups_rules *r)
{
    return date_add_months(from, months, it->target) < 0 ||
                   date_add_days(it->target, -r->window_before_days, it->opens) < 0 ||
                   day_before_months(from, months + r->window_months, it->closes) < 0
               ? -1
               : 0;
}

/* The earliest record with code (NULL: any code) dated after `after` ("" none) up to `until`
 * ("": no bound). */
static const struct checkups_done *earliest(const struct checkups_child *c, const char *code, const char *after,
                                            const char *until)
{
    const struct checkups_done *best = NULL;
    for (int i = 0; i < c->ndone; i++) {
        const struct checkups_done *d = &c->done[i];
        if ((code && strcmp(d->code, code)) || strcmp(d->day, after) <= 0 || (until[0] && strcmp(d->day, until) > 0))
            continue;
        if (!best || strcmp(d->day, best->day) < 0)
            best = d;
    }
    return best;
}

static int by_target(const void *a, const void *b)
{
    const struct checkups_item *x = a, *y = b;
    int c = strcmp(x->target, y->target);
    return c ? c : strcmp(x->code, y->code);
}

static int bad_date(struct err *e, const char *field, const char *day)
{
    return err_set(e, 422, "bad_date", field, "日期无效：%s", day ? day : "（空）");
}

int checkups_schedule(const struct checkups_child *c, const struct checkups_rules *r, const char *today,
                      struct checkups_item *out, int max, struct err *e)
{
    const char *care_from = c->care_from ? c->care_from : "";
    if (!date_is_valid(c->birth_date))
        return bad_date(e, "birth_date", c->birth_date);
    if (!date_is_valid(today))
        return bad_date(e, "today", today);
    if (care_from[0] && !date_is_valid(care_from))
        return bad_date(e, "care_from", care_from);
    for (int i = 0; i < c->ndone; i++)
        if (!date_is_valid(c->done[i].day))
            return bad_date(e, "done", c->done[i].day);
    int n = 0;
    for (int i = 0; i < r->nages; i++) {
        if (n == max)
            return err_set(e, 500, "checkups_full", "", "健康检查时间表超出容量");
        struct checkups_item *it = memset(&out[n++], 0, sizeof *out);
        it->age_months = r->ages_months[i];
        checkups_age_code(it->age_months, it->code);
        if (set_window(it, c->birth_date, it->age_months, r) < 0)
            return bad_date(e, "birth_date", c->birth_date);
        const struct checkups_done *d = earliest(c, it->code, "", "");
        if (d)
            mark_done(it, d);
        else
            it->status = open_status(it, today);
        it->in_care = care_from[0] && strcmp(care_from, it->closes) <= 0;
    }
    int ages_end = n;
    if (care_from[0] && r->care_interval_months > 0) {
        char anchor[DATE_DAY_LEN], end[DATE_DAY_LEN];
        if (date_add_months(c->birth_date, r->care_from_months, anchor) < 0 ||
            date_add_months(c->birth_date, r->care_to_months, end) < 0)
            return bad_date(e, "birth_date", c->birth_date);
        if (strcmp(care_from, anchor) > 0)
            snprintf(anchor, sizeof anchor, "%s", care_from);
        for (;;) {
            char next[DATE_DAY_LEN];
            if (date_add_months(anchor, r->care_interval_months, next) < 0)
                return bad_date(e, "care_from", care_from);
            if (strcmp(next, end) >= 0)
                break;
            /* the latest age check falling due in (anchor, next] keeps the interval */
            const char *age_target = NULL;
            for (int i = 0; i < ages_end; i++)
                if (strcmp(out[i].target, anchor) > 0 && strcmp(out[i].target, next) <= 0)
                    age_target = out[i].target;
            if (age_target) {
                snprintf(anchor, sizeof anchor, "%s", age_target);
                continue;
            }
            if (n == max)
                return err_set(e, 500, "checkups_full", "", "健康检查时间表超出容量");
            struct checkups_item *it = memset(&out[n++], 0, sizeof *out);
            snprintf(it->code, sizeof it->code, "care");
            it->age_months = date_months_between(c->birth_date, next);
            it->in_care = 1;
            if (set_window(it, next, 0, r) < 0)
                return bad_date(e, "care_from", care_from);
            const struct checkups_done *d = earliest(c, NULL, anchor, it->closes);
            if (d)
                mark_done(it, d);
            else
                it->status = open_status(it, today);
            snprintf(anchor, sizeof anchor, "%s", d ? d->day : next);
        }
    }
    qsort(out, (size_t)n, sizeof *out, by_target);
    return n;
}
