/* progress.h — quarterly progress reports (每季进度报送, issue 19 item 4), the pure part: quarters,
 * the moves of a report, and the body a town writes. The pilot plan 五(五) asks for a quarterly
 * progress report; the district reviews each town's.
 *
 * A town's report of a quarter moves draft → submitted → approved, or submitted → returned (with
 * the district's reason) → submitted again. Approval locks the quarter: nothing of an approved
 * report changes, and submitting or editing it is refused (409 period_locked). A correction is a
 * reopen by the district with its reason: a new version starts as a draft and the approved one
 * is kept as superseded. The indicators are computed from the platform's data while the report is
 * drafted and frozen into it when it is submitted. */
#ifndef TUOYU_PROGRESS_H
#define TUOYU_PROGRESS_H

#include <jansson.h>

#include "base/date.h"
#include "base/err.h"
#include "http/http.h"

#define PROGRESS_PERIOD_LEN 8 /* "2026-Q3" and its NUL */

struct progress_period {
    char code[PROGRESS_PERIOD_LEN];
    int year, quarter;
    char first[DATE_DAY_LEN], last[DATE_DAY_LEN]; /* its first and last days */
};

/* Parse "YYYY-Qn" (n 1–4, the year from 2023, the pilot's first): 0, or -1 with e = 422
 * bad_period naming field. */
int progress_period_parse(const char *s, const char *field, struct progress_period *out, struct err *e);
/* The quarter day falls in. */
void progress_period_of(const char *day, struct progress_period *out);
/* A report of p may be written from its first day: 0, or -1 with e = 422 period_not_started. */
int progress_period_started(const struct progress_period *p, const char *today, struct err *e);
/* The day reports of p are due: its last day plus due_days. */
void progress_period_due(const struct progress_period *p, int due_days, char out[DATE_DAY_LEN]);
/* The day its indicators are read on: its last day, or today while it runs. */
const char *progress_period_as_of(const struct progress_period *p, const char *today);

/* A move of a report: the event fired in state `from`, the policy action it needs, whether the
 * event needs a comment (a return's reason, a reopen's), and the state after ("" for reopen: the
 * report becomes superseded and a new version starts as a draft). */
struct progress_move {
    const char *from, *event, *to, *action, *name;
    int needs_comment;
};

/* The move of event on a report in state with comment: 0 with *out, or -1 with e: 409
 * period_locked (an approved or superseded report: its quarter is locked), 409
 * event_not_allowed (field "event"), 422 comment_required. */
int progress_move(const char *state, const char *event, const char *comment, const struct progress_move **out,
                struct err *e);
/* May the narrative of a report in state be written? 0, or -1 with e: 409 period_locked (approved,
 * superseded), 409 report_submitted (awaiting the district's review). */
int progress_editable(const char *state, struct err *e);
/* A submission needs what was done this quarter: 0, or -1 with e = 422 required naming
 * "progress" when progress is empty (spaces only count as empty). */
int progress_submission_check(const char *progress, struct err *e);
/* The Chinese name of a state ("" when unknown). */
const char *progress_state_name(const char *state);

/* The bodies: a new report {town_code, period}, its narrative {progress, problems, next_steps},
 * an event {event, comment}. */
extern const struct http_schema progress_create_schema, progress_text_schema, progress_event_schema;

#endif
