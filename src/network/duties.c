/* duties.c — the compliance rule of health instructors' duties (duties.h). */
#include "network/duties.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *code, *name;
    int months;
} KINDS[NETWORK_KINDS] = {
    [NETWORK_VISIT] = {"visit", "实地指导", 3},
    [NETWORK_LECTURE] = {"lecture", "健康知识讲座", 6},
    [NETWORK_REVIEW] = {"review", "卫生保健工作梳理", 12},
};

const char *network_kind_code(enum network_kind k) { return k < NETWORK_KINDS ? KINDS[k].code : ""; }
const char *network_kind_name(enum network_kind k) { return k < NETWORK_KINDS ? KINDS[k].name : ""; }
int network_kind_months(enum network_kind k) { return k < NETWORK_KINDS ? KINDS[k].months : 0; }

int network_kind_from_code(const char *code)
{
    for (int k = 0; code && k < NETWORK_KINDS; k++)
        if (strcmp(KINDS[k].code, code) == 0)
            return k;
    return -1;
}

const char *network_state_code(enum network_state s)
{
    static const char *const CODES[] = {"done", "due", "overdue", "not_owed"};
    return s <= NETWORK_NOT_OWED ? CODES[s] : "";
}

/* The first day of the period of `months` that holds day d. */
static void period_start(const struct date_ymd *d, int months, char out[DATE_DAY_LEN])
{
    struct date_ymd s = {d->year, (d->month - 1) / months * months + 1, 1};
    date_format(&s, out);
}

/* Is day within [from, to] (to "" open)? */
static int covers(const struct network_assignment *a, const char *day)
{
    return strcmp(a->from, day) <= 0 && (!a->to[0] || strcmp(day, a->to) <= 0);
}

/* The instructor responsible for [start, end] seen on today (duties.h): among the assignments
 * overlapping the period, one covering its last day (or today while it runs) before any other,
 * and the latest begun among equals. */
static int64_t responsible(const struct network_institution *in, const char *start, const char *end)
{
    const char *on = strcmp(in->today, end) < 0 ? in->today : end;
    const struct network_assignment *best = NULL;
    int best_covers = 0;
    for (size_t i = 0; i < in->nassignments; i++) {
        const struct network_assignment *a = &in->assignments[i];
        if (strcmp(a->from, end) > 0 || (a->to[0] && strcmp(a->to, start) < 0))
            continue;
        int c = covers(a, on);
        if (!best || c > best_covers || (c == best_covers && strcmp(a->from, best->from) > 0)) {
            best = a;
            best_covers = c;
        }
    }
    return best ? best->user_id : 0;
}

int network_duty_periods(const struct network_rule *r, const struct network_institution *in,
                         struct network_period *out, size_t cap)
{
    struct date_ymd since;
    struct err e;
    char window[DATE_DAY_LEN];
    if (date_parse(in->since, &since, &e) < 0 || !date_is_valid(in->today) || date_add_days(in->today, -365, window) < 0)
        return -1;
    for (size_t i = 0; i < in->nassignments; i++)
        if (!date_is_valid(in->assignments[i].from) || (in->assignments[i].to[0] && !date_is_valid(in->assignments[i].to)))
            return -1;
    for (size_t i = 0; i < in->ndone; i++)
        if (!date_is_valid(in->done[i].on) || in->done[i].kind >= NETWORK_KINDS)
            return -1;
    size_t n = 0;
    if (strcmp(in->since, in->today) > 0)
        return 0; /* not in the network yet */
    for (int k = 0; k < NETWORK_KINDS; k++) {
        int months = KINDS[k].months;
        if (r->required[k] <= 0)
            continue;
        /* the period of since: owed when it begins on since, listed as not owed otherwise */
        char start[DATE_DAY_LEN], next[DATE_DAY_LEN];
        period_start(&since, months, start);
        for (; strcmp(start, in->today) <= 0; memcpy(start, next, DATE_DAY_LEN)) {
            int owed = strcmp(start, in->since) >= 0;
            struct network_period p = {.kind = (enum network_kind)k, .required = owed ? r->required[k] : 0};
            date_add_months(start, months, next);
            memcpy(p.start, start, DATE_DAY_LEN);
            date_add_days(next, -1, p.end);
            date_add_days(p.end, r->grace_days, p.due);
            if (strcmp(p.due, window) < 0)
                continue;
            for (size_t i = 0; i < in->ndone; i++)
                p.done += (int)in->done[i].kind == k && strcmp(in->done[i].on, p.start) >= 0 &&
                          strcmp(in->done[i].on, p.end) <= 0;
            p.state = !owed                      ? NETWORK_NOT_OWED
                      : p.done >= p.required     ? NETWORK_DONE
                      : strcmp(in->today, p.due) > 0 ? NETWORK_OVERDUE
                                                     : NETWORK_DUE;
            p.responsible = responsible(in, p.start, p.end);
            if (n == cap)
                return -1;
            out[n++] = p;
        }
    }
    return (int)n;
}
