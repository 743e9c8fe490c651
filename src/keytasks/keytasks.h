/* keytasks.h — the pilot's key-task plan (重点工作计划, issue 19 item 3), the pure part: a task as
 * the district writes it (the plan item it carries out, its owner, deadline and milestones), the
 * states a task moves through as its owner reports progress, and when it is overdue.
 *
 * Owners: the district (区卫生健康局, which leads the pilot: 五(四)), a department of the district
 * (发改、教育、财政 … by code) or a town. A task is planned → in_progress → done, or cancelled by
 * the district; it is done only with a note and evidence attached; past its deadline and neither
 * done nor cancelled it is overdue (a milestone likewise). */
#ifndef TUOYU_KEYTASKS_H
#define TUOYU_KEYTASKS_H

#include <jansson.h>

#include "base/date.h"
#include "base/err.h"
#include "http/http.h"

#define KEYTASK_MAX_MILESTONES 12

struct keytask_milestone {
    char title[200];
    char due_on[DATE_DAY_LEN];
};

struct keytask {
    char item[32];
    char title[200];
    char description[2000];
    char owner_kind[16];  /* district | department | town */
    char owner_code[24];  /* "" for the district */
    char due_on[DATE_DAY_LEN];
    int nmilestones;
    struct keytask_milestone milestones[KEYTASK_MAX_MILESTONES];
};

/* A task from a body the schema admitted: 0, or -1 with e (422): bad_owner_kind (owner_kind),
 * owner_required (owner_code, for a department or a town), owner_not_allowed (owner_code, for the
 * district), milestone_after_deadline (milestones[i].due_on), bad_date. */
int keytask_from_json(const json_t *body, struct keytask *out, struct err *e);

/* The state a progress report moves a task in state `from` to: 0, or -1 with e: 409 task_closed
 * (the task is done or cancelled), 422 bad_state (state: a report says in_progress or done), 422
 * note_required (a report says what was done). Marking done also needs evidence (the caller
 * counts it: keytask_done_check). */
int keytask_report_check(const char *from, const char *to, const char *note, struct err *e);
/* Done needs at least one piece of evidence: 0, or -1 with e = 422 evidence_required. */
int keytask_done_check(int evidence, struct err *e);

/* Is a task (or milestone) in state due on due_on overdue on today? */
int keytask_overdue(const char *state, const char *due_on, const char *done_on, const char *today);
const char *keytask_state_name(const char *state); /* "进行中"; "" when unknown */
const char *keytask_owner_kind_name(const char *kind);

/* The bodies: a task (POST, PUT), a progress report {state, note, milestones_done: [positions]}. */
extern const struct http_schema keytask_schema, keytask_report_schema;

#endif
