/* duty.c — caregivers on duty and the day of a class (duty.h): request bodies, the checks of a
 * check-in, and the summary of a day's rows the day pages show. */
#include "duty/duty.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "registry/registry.h"

#include "duty/duty.schemas.inc"

int duty_when_from_json(const json_t *body, const char *today, int now_minute, struct duty_when *out, struct err *e)
{
    const char *day = jfield_text(body, "date"), *time = jfield_text(body, "time");
    snprintf(out->day, sizeof out->day, "%s", day ? day : today);
    if (strcmp(out->day, today) > 0)
        return err_set(e, 422, "future_date", "date", "不能登记今天以后的在岗");
    if (!time) {
        if (strcmp(out->day, today) < 0)
            return err_set(e, 422, "required", "time", "补登以前日期的在岗须填写时间");
        out->minute = now_minute;
        return 0;
    }
    out->minute = date_hhmm_minutes(time);
    if (out->minute < 0)
        return err_set(e, 422, "bad_time", "time", "时间格式应为 时:分（如 07:50）");
    if (strcmp(out->day, today) == 0 && out->minute > now_minute)
        return err_set(e, 422, "future_time", "time", "不能登记晚于现在的时间");
    return 0;
}

int duty_check_person(const struct duty_person *p, int64_t institution_id, int covering, struct err *e)
{
    if (p->institution_id != institution_id)
        return err_set(e, 422, "unknown_staff", "staff_id", "本机构没有这名工作人员");
    if (!p->caregiver)
        return err_set(e, 422, "not_caregiver", "staff_id", "只有保育人员计入师幼比，可登记在岗");
    if (!p->employed)
        return err_set(e, 422, "not_employed", "staff_id", "该工作人员当天未在职（尚未入职或已离职）");
    if (!p->assigned && !covering)
        return err_set(e, 422, "not_assigned", "class_id", "该保育人员未分配到这个班级；临时顶班请勾选“顶班”");
    return 0;
}

void duty_hhmm(int minute, char out[6])
{
    int m = (minute % 1440 + 1440) % 1440;
    out[0] = (char)('0' + m / 600);
    out[1] = (char)('0' + m / 60 % 10);
    out[2] = ':';
    out[3] = (char)('0' + m % 60 / 10);
    out[4] = (char)('0' + m % 10);
    out[5] = 0;
}

/* ---- the day of each class ---- */

static int cmp_id(int64_t a, int64_t b) { return (a > b) - (a < b); }

static int attendance_order(const void *a, const void *b)
{
    const struct duty_attendance_row *x = a, *y = b;
    int c = cmp_id(x->class_id, y->class_id);
    return c ? c : cmp_id(x->child_id, y->child_id);
}

static int check_order(const void *a, const void *b)
{
    const struct duty_check_row *x = a, *y = b;
    int c = cmp_id(x->class_id, y->class_id);
    return c ? c : cmp_id(x->child_id, y->child_id);
}

static int shift_order(const void *a, const void *b)
{
    const struct duty_shift_row *x = a, *y = b;
    return cmp_id(x->class_id, y->class_id);
}

/* The first index of rows (n of them, size bytes each, sorted by a leading int64_t class id) whose
 * class is class_id or greater. */
static size_t first_of(const void *rows, size_t n, size_t size, int64_t class_id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t k;
        memcpy(&k, (const char *)rows + mid * size, sizeof k);
        if (k < class_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The morning checks of one class's children (checks, n of them, sorted by child) against its
 * attendance (att, m rows, sorted by child). */
static void morning_checks(const struct duty_check_row *checks, size_t n, const struct duty_attendance_row *att,
                           size_t m, struct duty_class_day *d)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && checks[i].child_id == checks[i - 1].child_id) {
            /* another check of the same child: abnormal once */
            if (checks[i].abnormal && !checks[i - 1].abnormal)
                d->checks_abnormal++;
            continue;
        }
        d->checks_done++;
        d->checks_abnormal += checks[i].abnormal != 0;
    }
    for (size_t k = 0; k < m; k++) {
        if (!att[k].present)
            continue;
        while (j < n && checks[j].child_id < att[k].child_id)
            j++;
        if (j == n || checks[j].child_id != att[k].child_id)
            d->checks_missing++;
    }
}

int duty_board_days(struct duty_board *b, const struct registry_rules *r, int now_minute, int limit_minutes,
                    struct duty_class_day *out)
{
    if (b->nattendance)
        qsort(b->attendance, b->nattendance, sizeof *b->attendance, attendance_order);
    if (b->nchecks)
        qsort(b->checks, b->nchecks, sizeof *b->checks, check_order);
    if (b->nshifts)
        qsort(b->shifts, b->nshifts, sizeof *b->shifts, shift_order);
    size_t cap = 2 * b->nattendance + 2 * b->nshifts;
    struct duty_event *ev = malloc((cap ? cap : 1) * sizeof *ev);
    if (!ev)
        return -1;
    int rc = 0;
    for (size_t c = 0; c < b->nclasses && rc == 0; c++) {
        const struct duty_class_row *k = &b->classes[c];
        struct duty_class_day *d = &out[c];
        memset(d, 0, sizeof *d);
        size_t n = 0;
        size_t a = first_of(b->attendance, b->nattendance, sizeof *b->attendance, k->id), a0 = a;
        for (; a < b->nattendance && b->attendance[a].class_id == k->id; a++) {
            const struct duty_attendance_row *x = &b->attendance[a];
            if (!x->present) {
                d->absent++;
                continue;
            }
            d->present++;
            if (x->in < 0)
                continue;
            ev[n++] = (struct duty_event){x->in, 1, 0};
            if (x->out >= 0)
                ev[n++] = (struct duty_event){x->out, -1, 0};
            d->present_now += x->in <= now_minute && (x->out < 0 || x->out > now_minute);
        }
        d->unmarked = k->placed > d->present + d->absent ? k->placed - d->present - d->absent : 0;
        size_t h = first_of(b->checks, b->nchecks, sizeof *b->checks, k->id), h0 = h;
        while (h < b->nchecks && b->checks[h].class_id == k->id)
            h++;
        morning_checks(b->checks + h0, h - h0, b->attendance + a0, a - a0, d);
        for (size_t s = first_of(b->shifts, b->nshifts, sizeof *b->shifts, k->id);
             s < b->nshifts && b->shifts[s].class_id == k->id; s++) {
            ev[n++] = (struct duty_event){b->shifts[s].in, 0, 1};
            if (b->shifts[s].out >= 0)
                ev[n++] = (struct duty_event){b->shifts[s].out, 0, -1};
        }
        rc = duty_ratio_day(r, k->type, ev, n, now_minute, limit_minutes, &d->ratio);
        d->finding = d->ratio.nover > 0;
    }
    free(ev);
    return rc;
}

static const char *state_code(enum duty_ratio_state s)
{
    return s == DUTY_RATIO_BROKEN ? "broken" : s == DUTY_RATIO_OK ? "ok" : "empty";
}

/* "HH:MM" of a minute, or null for -1. */
static json_t *minute_json(int minute)
{
    char t[6];
    if (minute < 0)
        return json_null();
    duty_hhmm(minute, t);
    return json_string(t);
}

json_t *duty_class_day_json(const struct duty_class_row *c, const struct duty_class_day *d, int now_minute)
{
    const struct duty_day *y = &d->ratio;
    json_t *longest = y->longest_minutes
                          ? json_pack("{s:o, s:o, s:i}", "from", minute_json(y->longest_from), "to",
                                      minute_json(y->longest_to), "minutes", y->longest_minutes)
                          : json_null();
    json_t *ratio = json_pack("{s:s, s:i, s:i, s:i, s:f, s:o, s:i, s:o, s:b}", "state", state_code(y->now.state),
                              "present", y->now.present, "on_duty", y->now.on_duty, "needed", y->now.needed,
                              "children_per_caregiver", y->now.per, "broken_since", minute_json(y->broken_since),
                              "broken_minutes", y->broken_since >= 0 ? now_minute - y->broken_since : 0,
                              "longest_break", longest, "finding", d->finding);
    return json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:{s:i, s:i, s:i}, s:o}", "class_id",
                     (json_int_t)c->id, "class_name", c->name, "class_type", class_type_code((enum class_type)c->type),
                     "class_type_name", class_type_name((enum class_type)c->type), "placed", c->placed, "present",
                     d->present, "absent", d->absent, "unmarked", d->unmarked, "present_now", d->present_now,
                     "morning_checks", "done", d->checks_done, "missing", d->checks_missing, "abnormal",
                     d->checks_abnormal, "ratio", ratio);
}
