/* duties.h — the compliance rule of health instructors' duties (C5.2; seed 四(二)4): at least
 * health.visits_per_quarter on-site visits to each institution every calendar quarter,
 * health.lectures_per_half_year health lectures every half year and health.reviews_per_year
 * reviews of its health-care work every year. Pure: no database, no clock (today is an input).
 *
 * The rule, in one function (network_duty_periods):
 *   - periods are calendar quarters, halves and years;
 *   - an institution owes a period's duties from the first period that begins on or after the day
 *     it joined the network (filed); filed in mid-quarter, its first quarter owed is the next one,
 *     and the partial quarter is listed as not owed (required 0) with the duties done in it;
 *   - the duty belongs to the institution: a duty recorded by any instructor in the period counts,
 *     so a visit by the instructor who left in mid-quarter counts for the quarter;
 *   - the instructor responsible for a period is the one assigned on its last day (or today while
 *     it runs): a reassigned institution's open quarter is on the new instructor's list; with
 *     nobody assigned then, the latest instructor assigned during the period; 0 when none was;
 *   - a period is done when its count reaches the required number, overdue when not done after
 *     its last day plus health.duty_grace_days, and due before that. */
#ifndef TUOYU_NETWORK_DUTIES_H
#define TUOYU_NETWORK_DUTIES_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"

enum network_kind { NETWORK_VISIT, NETWORK_LECTURE, NETWORK_REVIEW, NETWORK_KINDS };

/* "visit" / "lecture" / "review"; its Chinese name; the months of its period (3, 6, 12). */
const char *network_kind_code(enum network_kind k);
const char *network_kind_name(enum network_kind k);
int network_kind_months(enum network_kind k);
/* The kind of a code, or -1. */
int network_kind_from_code(const char *code);

/* The parameters in force: the count required per period of each kind (0: not required) and the
 * grace days after a period's last day. */
struct network_rule {
    int required[NETWORK_KINDS];
    int grace_days;
};

/* An instructor's assignment to the institution: first and last day (to "" while current). */
struct network_assignment {
    int64_t user_id;
    char from[DATE_DAY_LEN], to[DATE_DAY_LEN];
};

/* A duty recorded at the institution. */
struct network_done {
    enum network_kind kind;
    char on[DATE_DAY_LEN];
};

/* One institution as the rule sees it: today, the day it joined the network, its assignments
 * (any order) and its duties (any order). */
struct network_institution {
    const char *today, *since;
    const struct network_assignment *assignments;
    size_t nassignments;
    const struct network_done *done;
    size_t ndone;
};

enum network_state { NETWORK_DONE, NETWORK_DUE, NETWORK_OVERDUE, NETWORK_NOT_OWED };
const char *network_state_code(enum network_state s); /* "done" / "due" / "overdue" / "not_owed" */

struct network_period {
    enum network_kind kind;
    char start[DATE_DAY_LEN], end[DATE_DAY_LEN], due[DATE_DAY_LEN]; /* due: end + grace days */
    int required, done;
    enum network_state state;
    int64_t responsible; /* the instructor's user id, 0 when none was assigned */
};

/* The longest a period list gets: the periods that fell due within the year before today or fall
 * due later (at most 5 quarters, 3 halves, 2 years). */
#define NETWORK_MAX_PERIODS 12

/* The periods the institution owes that fell due within the 365 days before today or are still
 * running (started on or before today), by kind then start, into out (cap NETWORK_MAX_PERIODS):
 * their number, or -1 when a date is not YYYY-MM-DD. */
int network_duty_periods(const struct network_rule *r, const struct network_institution *in,
                         struct network_period *out, size_t cap);

#endif
