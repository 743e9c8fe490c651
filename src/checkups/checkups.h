/* checkups.h — the health-check schedule of a child (issue 15 item 8, requirements C5.4): a pure
 * engine that, for a child's birth date, the day it entered care, the checks recorded and a day,
 * gives each scheduled check with its due window and whether it is done, due, overdue or still
 * to come. No database, no clock; the figures are the checkup.* parameters (migration 028).
 *
 * Two rules (domain-rules §5):
 *   - the age schedule of the 0～6岁儿童健康管理服务规范 (国家基本公共卫生服务规范 第三版,
 *     国卫基层发〔2017〕13号): a check at each age in checkup.ages_months (3, 6, 8, 12, 18, 24, 30,
 *     36 months), each within its own month of age — the window opens window_before_days before
 *     the day the child reaches the age and closes the day before it reaches age +
 *     window_months (1: "满3月至不满4月");
 *   - the care rule of the 托儿所幼儿园卫生保健工作规范 (2012): a child of care_from_months to
 *     care_to_months (1–3 years) in care is checked twice a year, care_interval_months (6) apart.
 *     Counted from the later of the day it entered care and its first birthday: when no age check
 *     falls within care_interval_months of the last check (or of that start), a care check falls
 *     due then. With the default ages (every 6 months from 12 to 36) the age schedule already
 *     meets the rule; the care checks fill the gaps a sparser ages parameter leaves.
 *
 * Months are added as date_add_months does (a day past the end of the month becomes its last
 * day: born 2024-02-29, 12 months on 2025-02-28). */
#ifndef TUOYU_CHECKUPS_H
#define TUOYU_CHECKUPS_H

#include "base/date.h"
#include "base/err.h"
#include <stddef.h>

#define CHECKUPS_MAX_AGES 16  /* ages the schedule parameter may list */
#define CHECKUPS_MAX 48       /* scheduled checks of one child, age and care checks together */
#define CHECKUPS_CODE_LEN 8   /* "m36", "care", "entry", "other" and NUL */

/* The rules in force (parameters checkup.*). */
struct checkups_rules {
    int ages_months[CHECKUPS_MAX_AGES]; /* ascending */
    int nages;
    int window_before_days;   /* the window opens this many days before the age is reached */
    int window_months;        /* and closes the day before age + this many months */
    int care_from_months;     /* the care rule applies from this age … */
    int care_to_months;       /* … to this age (exclusive) … */
    int care_interval_months; /* … with checks at most this far apart; 0: no care rule */
};

/* A check recorded: its code ("m6" for the 6-month check, "care" for a care check, "entry" for
 * the entry health check of 管理规范 Art. 11, "other") and its day. */
struct checkups_done {
    char code[CHECKUPS_CODE_LEN];
    char day[DATE_DAY_LEN];
};

enum checkups_status { CHECKUPS_UPCOMING, CHECKUPS_DUE, CHECKUPS_OVERDUE, CHECKUPS_DONE };
enum checkups_timing { CHECKUPS_ON_TIME, CHECKUPS_EARLY, CHECKUPS_LATE };

/* One scheduled check. */
struct checkups_item {
    char code[CHECKUPS_CODE_LEN];  /* "m6", or "care" */
    int age_months;                /* the age check's age; a care check's age in whole months on target */
    char target[DATE_DAY_LEN];     /* the day the age is reached (a care check: its due day) */
    char opens[DATE_DAY_LEN];      /* the window, both days included */
    char closes[DATE_DAY_LEN];
    enum checkups_status status;
    char done_on[DATE_DAY_LEN];    /* when done: the day of the record that did it */
    enum checkups_timing timing;   /* when done: against the window */
    int in_care;                   /* the child was in care when the window closed (the
                                    * institution's to see to): entered on or before closes */
};

/* The child: birth date, the day it entered care ("" when not in care) and its n records (any
 * order). */
struct checkups_child {
    const char *birth_date;
    const char *care_from;
    const struct checkups_done *done;
    int ndone;
};

/* The schedule of child c on today under rules r: at most max items into out, in target order.
 * Returns the number of items, or -1 with e (422 bad_date for a date that is not one; 500
 * checkups_full when max is too small). An age check is done by a record with its code (the
 * first by day if several); a care check by any record from the day after the previous check to
 * its window's close. */
int checkups_schedule(const struct checkups_child *c, const struct checkups_rules *r, const char *today,
                      struct checkups_item *out, int max, struct err *e);

/* The code of the age check at age months ("m6"), into out (CHECKUPS_CODE_LEN). */
void checkups_age_code(int months, char out[CHECKUPS_CODE_LEN]);
/* 1 when code names a check of r's schedule ("m6" with 6 in ages), "care", "entry" or "other". */
int checkups_code_valid(const struct checkups_rules *r, const char *code);
/* Chinese name of a scheduled check ("6月龄健康检查", "在园定期健康检查", "入园健康检查", "其他健康检查"). */
const char *checkups_code_name(const char *code, char *out, size_t n);
const char *checkups_status_code(enum checkups_status s); /* "upcoming", "due", "overdue", "done" */
const char *checkups_status_name(enum checkups_status s); /* "未到期", "待检查", "已逾期", "已完成" */
const char *checkups_timing_code(enum checkups_timing t); /* "on_time", "early", "late" */

/* The rules in force from the parameter set p: checkup.ages_months ("3,6,8,12,18,24,30,36",
 * ascending ages in months), checkup.window_before_days, checkup.window_months,
 * checkup.care_from_months, checkup.care_to_months, checkup.care_interval_months. 0, or -1 with
 * e (500 param_missing, or 500 bad_param when the ages are not ascending whole months). */
struct params;
int checkups_rules_from_params(const struct params *p, struct checkups_rules *r, struct err *e);

#endif
