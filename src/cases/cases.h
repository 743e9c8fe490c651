/* cases.h — the cases engine's pure part (案件流程引擎): processes as data, and the transition
 * function every case of every process moves by.
 *
 * A process (办托一件事 filing, change filing, cancellation …; processes.c) is a table of states and
 * transitions. Entering a state opens its steps as tasks — several steps open together run in
 * parallel: each is closed by its own department, all must be approved before the case moves on,
 * and any one may send the case back. A step's deadline is a parameter counted in working days
 * (date_add_working_days) or calendar days from a named event (the submission, or entering the
 * state). A transition names the policy action that may fire it; one fired on a task is also
 * bound to the task's department. Each step declares the materials its reviewers examine
 * (cases_need); a submission's checklist is what the steps it will pass need (cases_checklist).
 * Hooks are pure functions of the process: the checks of the submission, and what the outcome
 * does to the subject (processes.c).
 *
 * cases_transition is the whole rule: (process, state, open tasks, event, actor, clock, calendar)
 * → the new state, the tasks closed and opened, their deadlines. No database, no clock: the store
 * (store.c) writes what it decided, in one transaction with the history and audit rows. */
#ifndef TUOYU_CASES_H
#define TUOYU_CASES_H

#include <jansson.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "base/workdays.h"
#include "http/http.h"
#include "params/params.h"

#define CASES_MAX_STEPS 8   /* steps of one state (parallel) */
#define CASES_MAX_OPEN 16   /* open tasks of one case */
#define CASES_MAX_NEEDING 4 /* steps of a process that need one material */

/* Where a step's deadline counts from. */
enum cases_due_from {
    CASES_FROM_SUBMITTED, /* the case's last submission */
    CASES_FROM_ENTERED,   /* the day the state was entered */
};

/* When a step needs a material, beyond the kinds of subject it applies to. */
enum cases_when {
    CASES_ALWAYS,
    CASES_IF_MEALS,  /* the case's data says meals are served */
    CASES_IF_PROFIT, /* the institution is for profit */
};

/* A material a step needs (its reviewers examine it): a checklist item's code, for the subjects of
 * the kinds it names (NULL all; as cases_step.kinds and except), when its condition holds. */
struct cases_need {
    const char *item; /* NULL ends a step's list */
    const char *kinds;
    int except;
    enum cases_when when;
};

struct cases_step {
    const char *code;       /* "review_fire" */
    const char *name;       /* "消防救援审核" */
    const char *action;     /* the policy action that may act on it (case.review …) */
    const char *department; /* the department whose reviewers act on it; NULL: none */
    const char *due_param;  /* the parameter giving the deadline; NULL: none */
    int working;            /* 1: due_param counts working days; 0: calendar days */
    enum cases_due_from due_from;
    /* The subjects it applies to, by kind (an institution's operating model): NULL all; else a
     * comma-separated list of the kinds it applies to, or (except = 1) of those it does not. */
    const char *kinds;
    int except;
    int by_subject; /* 1: the subject's own accounts act on it (the institution's operator), so its
                     * reminders go to them; 0: the district's or a department's staff */
    const struct cases_need *needs; /* the materials it examines, {NULL}-ended; NULL: none */
};

/* Does step s apply to a subject of kind? */
int cases_step_applies(const struct cases_step *s, const char *kind);

struct cases_state {
    const char *code; /* NULL ends a process's states */
    const char *name; /* "部门审核" */
    int final;        /* no way out: the case is closed */
    const struct cases_step *steps[CASES_MAX_STEPS + 1]; /* opened on entry, in parallel; NULL-ended */
};

struct cases_transition {
    const char *from, *event, *to; /* NULL event ends a process's transitions */
    const char *name;              /* "受理" */
    const char *action;            /* the policy action that may fire it */
    int on_task;       /* fired on an open task of the state whose step has `action` */
    int wait_all;      /* parallel approval: moves to `to` only when it closes the last open task */
    int needs_comment; /* a comment is required (a deficiency names what is wrong) */
    int submits;       /* the submission: checked by the process's hook, submitted_on = today */
    int lock;          /* materials: 1 lock, -1 unlock, 0 unchanged */
    int applies;       /* the process's outcome is applied (the institution filed …) */
};

/* What a process does to its subject when a transition applies (processes.c, store.c). */
enum cases_outcome {
    CASES_OUTCOME_NONE,
    CASES_OUTCOME_FILE,
    CASES_OUTCOME_CHANGE,
    CASES_OUTCOME_CANCEL,
    CASES_OUTCOME_PREMISES, /* the idle state premises applied for go to the institution (src/premises) */
    CASES_OUTCOME_RATING,   /* the assessed level takes force (src/rating) */
    CASES_OUTCOME_STATION,  /* the growth station is accepted, its subsidy in the ledger (src/stations) */
};

struct institution;
struct finding;
struct http_req;
struct cases_result;
struct cases_checklist_item {
    const char *code; /* business_licence */
    const char *name; /* 营业执照或其他法人登记证书 */
};

struct cases_process {
    const char *code; /* filing, change, cancel */
    const char *name; /* 办托一件事（托育机构备案） */
    const char *initial;
    const struct cases_state *states;
    const struct cases_transition *transitions;
    enum cases_outcome outcome;
    /* The institution status a case of this process may be opened on ("pending", "filed"). */
    const char *opens_on_status;
    int one_open;        /* at most one case of the process open per institution */
    int checks_record;   /* a submission is refused when the institution record is invalid or has a
                          * high-severity compliance finding (filing, change; not a cancellation) */
    /* NULL: a case is opened with POST /api/v1/cases; else the route that opens one, because the
     * case needs more than the institution (the premises entry an application asks for) */
    const char *opened_by;
    /* NULL, or the process's own check of every event the engine allowed on case case_id, called
     * in the event's transaction before the outcome is applied (r: the engine's decision, its
     * transition r->t): the domain refuses it (-1 with e; *detail, when set, is answered in the
     * error as "missing": each thing lacking) or records what the move decides; fields are the
     * event's audit fields, which it may add to. */
    int (*guard)(struct http_req *req, int64_t case_id, const struct cases_result *r, json_t *fields, json_t **detail,
                 struct err *e);
};

/* Every process, NULL-ended; one by code (NULL when unknown). */
extern const struct cases_process *const cases_processes[];
const struct cases_process *cases_process(const char *code);
const struct cases_state *cases_state(const struct cases_process *p, const char *code);
/* The distinct actions the steps of every process wait for (what an inbox may list), at most max
 * into out; returns the count. */
int cases_step_actions(const char **out, int max);
/* A checklist item by code across every process, NULL when unknown. */
const struct cases_checklist_item *cases_checklist_item(const char *code);

/* One item of a case's checklist: the material and the steps of the process that need it. */
struct cases_checklist_entry {
    const struct cases_checklist_item *item;
    const struct cases_step *steps[CASES_MAX_NEEDING];
    int nsteps;
};
/* The checklist of a submission of process p for institution in (its operating model, whether for
 * profit) with the case's data (meals served): every material needed by a step of the process
 * that applies to the institution, when the need's own kinds and condition hold — each once, in
 * the catalogue's order, with the steps needing it. At most max into out; returns the count. */
int cases_checklist(const struct cases_process *p, const struct institution *in, const json_t *data,
                    struct cases_checklist_entry *out, int max);

/* A task as the engine sees it. */
struct cases_task {
    int64_t id;
    char step[32];
    char action[40];
    char department[24]; /* "" when none */
    char due_on[DATE_DAY_LEN]; /* "" when none */
};

/* Who fires the event: may(ctx, action) says whether the policy lets them perform action on the
 * case (the role and the jurisdiction); department is theirs ("" when none). */
struct cases_actor {
    int (*may)(void *ctx, const char *action);
    void *ctx;
    const char *department;
};

/* The clock and what deadlines count on. */
struct cases_clock {
    const char *today; /* the business day */
    const struct date_calendar *cal;
    const struct params *params;
};

struct cases_opened {
    const struct cases_step *step;
    char due_on[DATE_DAY_LEN]; /* "" when the step has no deadline */
};

struct cases_result {
    const struct cases_transition *t;
    const char *to;      /* the state after (the same state while parallel tasks remain) */
    int entered;         /* 1 when `to` was entered (its steps opened, other tasks closed) */
    int64_t done_task;   /* the task the event closed; 0 none */
    int ncancelled;      /* other open tasks closed by entering `to` */
    int64_t cancelled[CASES_MAX_OPEN];
    int nopened;
    struct cases_opened opened[CASES_MAX_STEPS];
    char submitted_on[DATE_DAY_LEN]; /* the case's submission day after the transition ("" none) */
    int final;
};

/* Fire event on a case of process p about a subject of kind (its operating model) in state, with its open tasks, submitted on submitted_on
 * ("" never), by actor, on task task_id (0: the transition finds the only open task it may
 * act on). 0 with out filled, or -1 with e:
 *   409 event_not_allowed (field "event") when the state has no such event;
 *   403 forbidden when the policy does not let the actor fire it (asked before anything of the task);
 *   409 task_closed (field "task_id") when the task is not an open task of the case the event acts on;
 *   403 other_department when the task belongs to another department;
 *   422 comment_required when the transition needs a comment and comment is empty;
 *   422 calendar_year_missing naming the year to add when a deadline falls outside the calendar;
 *   500 param_missing when a deadline's parameter is missing. */
int cases_transition(const struct cases_process *p, const char *kind, const char *state, const char *submitted_on,
                     const struct cases_task *open, int nopen, const char *event, int64_t task_id, const char *comment,
                     const struct cases_actor *actor, const struct cases_clock *clk, struct cases_result *out,
                     struct err *e);

/* The events state allows (for the 409 reply and the case page): a JSON array of {event, name,
 * action}; the events on tasks only when a task of the state is open. */
json_t *cases_allowed_events(const struct cases_process *p, const char *state, const struct cases_task *open,
                             int nopen);

/* The deadline of step s entered on `entered` for a case submitted on submitted_on: out, or "" when
 * it has none. 0 or -1 with e (as cases_transition). */
int cases_due(const struct cases_step *s, const char *submitted_on, const char *entered, const struct cases_clock *clk,
              char out[DATE_DAY_LEN], struct err *e);

/* Working days from today to due: > 0 still to go (due the next working day: 1; due today: 0),
 * < 0 working days past. 0, or -1 with e (422 calendar_year_missing). */
int cases_working_days_left(const struct date_calendar *cal, const char *today, const char *due, int *out,
                            struct err *e);

/* ---- the filing's data and checks (processes.c) ---- */

/* The body of PUT /api/v1/cases/{id}/checklist: {meals, materials: [{item, material_id}]} (the
 * case's data keeps it beside the institution record, which PUT …/institution replaces). */
extern const struct http_schema cases_checklist_schema;
/* Check what the schema admitted of a checklist body: every item a known one. 0 or -1 with e
 * (422 unknown_item naming materials[i].item). */
int cases_checklist_check(const json_t *body, struct err *e);

/* What a submission lacks (cases.c, beside cases_checklist): each checklist item with no material
 * attached (the codes), as a JSON array of {item, name}; active_ids are the case's active materials (the others do not count). */
json_t *cases_missing_materials(const struct cases_process *p, const struct institution *in, const json_t *data,
                                const int64_t *active_ids, int nactive);

#endif
