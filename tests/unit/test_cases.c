/* test_cases.c — the cases engine's transition function without a database: the filing's path
 * (submit → receipt due in 5 working days across National Day 2024 → parallel department review →
 * decision → filed), parallel steps (each closes its own task, the last moves the case, any sends it
 * back and the others are cancelled), who may fire what (policy action, department), bad events
 * (409 with what is allowed), comments a deficiency needs, deadlines outside the calendar (422
 * naming the year), resubmission, working days left, and the checklist by institution type —
 * declared per step, each department's materials its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cases/cases.h"
#include "cases/store.h"
#include "registry/registry.h"

static struct date_calendar cal;
static struct params prm;

static int setup(void **state)
{
    (void)state;
    /* 2024 as the State Council's notice has it around National Day */
    static const struct date_calendar_entry days[] = {
        {"2024-09-29", 1}, {"2024-10-01", 0}, {"2024-10-02", 0}, {"2024-10-03", 0}, {"2024-10-04", 0},
        {"2024-10-05", 0}, {"2024-10-06", 0}, {"2024-10-07", 0}, {"2024-10-12", 1},
    };
    int years[] = {2024};
    struct err e = {0};
    assert_int_equal(date_calendar_build(&cal, years, 1, days, sizeof days / sizeof *days, &e), 0);
    const char *keys[][2] = {{"filing.correction_days", "30"}, {"filing.notice_working_days", "15"},
                             {"filing.receipt_working_days", "5"}};
    prm.count = 3;
    for (int i = 0; i < 3; i++) {
        snprintf(prm.items[i].key, sizeof prm.items[i].key, "%s", keys[i][0]);
        snprintf(prm.items[i].value, sizeof prm.items[i].value, "%s", keys[i][1]);
        sscanf(keys[i][1], "%lf", &prm.items[i].number);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    date_calendar_free(&cal);
    return 0;
}

/* An actor: the actions it may perform (comma-separated) and its department. */
struct who {
    const char *actions;
};
static int may(void *ctx, const char *action)
{
    const char *list = ((struct who *)ctx)->actions;
    const char *hit = strstr(list, action);
    size_t n = strlen(action);
    return hit && (hit[n] == ',' || hit[n] == '\0');
}
static struct who OPERATOR = {"case.submit"}, ADMIN = {"case.receive,case.decide"}, REVIEWER = {"case.review"};

static const struct cases_process *filing(void) { return cases_process("filing"); }

static struct cases_task task(int64_t id, const struct cases_step *s)
{
    struct cases_task t = {.id = id};
    snprintf(t.step, sizeof t.step, "%s", s->code);
    snprintf(t.action, sizeof t.action, "%s", s->action);
    snprintf(t.department, sizeof t.department, "%s", s->department ? s->department : "");
    return t;
}

static int fire(const char *kind, const char *state, const char *submitted, const struct cases_task *open, int nopen,
                const char *event, int64_t task_id, const char *comment, struct who *w, const char *dept,
                const char *today, struct cases_result *out, struct err *e)
{
    struct cases_actor a = {may, w, dept};
    struct cases_clock c = {today, &cal, &prm};
    memset(e, 0, sizeof *e);
    return cases_transition(filing(), kind, state, submitted, open, nopen, event, task_id, comment, &a, &c, out, e);
}

static void submit_opens_the_receipt_due_in_five_working_days(void **state)
{
    (void)state;
    struct cases_result r;
    struct err e;
    assert_int_equal(fire("community", "draft", "", NULL, 0, "submit", 0, "", &OPERATOR, "", "2024-09-30", &r, &e), 0);
    assert_string_equal(r.to, "submitted");
    assert_true(r.entered);
    assert_true(r.t->submits && r.t->lock == 1);
    assert_string_equal(r.submitted_on, "2024-09-30");
    assert_int_equal(r.nopened, 1);
    assert_string_equal(r.opened[0].step->code, "receipt");
    /* National Day 10-01…10-07 off, Saturday 10-12 a working day */
    assert_string_equal(r.opened[0].due_on, "2024-10-12");
}

/* The review opened on receipt for an institution of kind: its step codes, comma-separated. */
static void review_steps(const char *kind, char *out, size_t cap, struct cases_result *r)
{
    struct err e;
    struct cases_task receipt = task(1, cases_state(filing(), "submitted")->steps[0]);
    assert_int_equal(fire(kind, "submitted", "2024-09-30", &receipt, 1, "receive", 1, "", &ADMIN, "", "2024-10-08", r, &e), 0);
    assert_string_equal(r->to, "review");
    assert_int_equal(r->done_task, 1);
    out[0] = '\0';
    for (int i = 0; i < r->nopened; i++) {
        strncat(out, r->opened[i].step->code, cap - strlen(out) - 1);
        strncat(out, ",", cap - strlen(out) - 1);
        /* the departments decide within 15 working days of the submission */
        assert_string_equal(r->opened[i].due_on, "2024-10-25");
    }
}

static void departments_review_in_parallel_by_institution_type(void **state)
{
    (void)state;
    char steps[256];
    struct cases_result r;
    review_steps("community", steps, sizeof steps, &r);
    assert_string_equal(steps, "review_fire,review_market,review_health,");
    review_steps("kindergarten", steps, sizeof steps, &r);
    assert_string_equal(steps, "review_fire,review_market,review_health,review_education,");
    review_steps("family_point", steps, sizeof steps, &r);
    assert_string_equal(steps, "review_market,review_housing,review_emergency,");
}

/* The three tasks of a community institution's review. */
static int review_tasks(struct cases_task *t)
{
    const struct cases_state *s = cases_state(filing(), "review");
    t[0] = task(11, s->steps[0]);
    t[1] = task(12, s->steps[1]);
    t[2] = task(13, s->steps[2]);
    return 3;
}

static void all_must_approve_the_last_moves_the_case(void **state)
{
    (void)state;
    struct cases_task t[3];
    int n = review_tasks(t);
    struct cases_result r;
    struct err e;
    assert_int_equal(fire("community", "review", "2024-09-30", t, n, "approve", 12, "", &REVIEWER, "market", "2024-10-10", &r, &e), 0);
    assert_string_equal(r.to, "review");
    assert_false(r.entered);
    assert_int_equal(r.done_task, 12);
    assert_int_equal(r.nopened, 0);
    assert_int_equal(r.ncancelled, 0);
    /* the last one: the decision opens, due 15 working days after the submission */
    assert_int_equal(fire("community", "review", "2024-09-30", &t[2], 1, "approve", 13, "", &REVIEWER, "health", "2024-10-11", &r, &e), 0);
    assert_string_equal(r.to, "deciding");
    assert_true(r.entered);
    assert_int_equal(r.nopened, 1);
    assert_string_equal(r.opened[0].step->code, "decision");
    assert_string_equal(r.opened[0].due_on, "2024-10-25");
}

static void any_department_sends_back_and_the_others_are_cancelled(void **state)
{
    (void)state;
    struct cases_task t[3];
    int n = review_tasks(t);
    struct cases_result r;
    struct err e;
    assert_int_equal(fire("community", "review", "2024-09-30", t, n, "return", 11, "消防验收意见书缺失", &REVIEWER, "fire",
                          "2024-10-10", &r, &e), 0);
    assert_string_equal(r.to, "deficient");
    assert_int_equal(r.t->lock, -1);
    assert_int_equal(r.done_task, 11);
    assert_int_equal(r.ncancelled, 2);
    assert_int_equal(r.cancelled[0], 12);
    assert_int_equal(r.cancelled[1], 13);
    /* the operator's correction: 30 calendar days from the notice */
    assert_int_equal(r.nopened, 1);
    assert_string_equal(r.opened[0].step->code, "correct");
    assert_string_equal(r.opened[0].due_on, "2024-11-09");
}

static void who_may_fire(void **state)
{
    (void)state;
    struct cases_task t[3];
    int n = review_tasks(t);
    struct cases_result r;
    struct err e;
    /* another department's task */
    assert_int_equal(fire("community", "review", "2024-09-30", t, n, "approve", 11, "", &REVIEWER, "market", "2024-10-10", &r, &e), -1);
    assert_int_equal(e.status, 403);
    assert_string_equal(e.code, "other_department");
    /* a role the policy does not let review */
    assert_int_equal(fire("community", "review", "2024-09-30", t, n, "approve", 11, "", &ADMIN, "", "2024-10-10", &r, &e), -1);
    assert_int_equal(e.status, 403);
    assert_string_equal(e.code, "forbidden");
    /* the operator may not submit a case in review: the state does not allow it */
    assert_int_equal(fire("community", "review", "2024-09-30", t, n, "submit", 0, "", &OPERATOR, "", "2024-10-10", &r, &e), -1);
    assert_int_equal(e.status, 409);
    assert_string_equal(e.code, "event_not_allowed");
    assert_non_null(strstr(e.message, "approve"));
    assert_non_null(strstr(e.message, "return"));
    /* a task that is not open (decided by someone else meanwhile) */
    assert_int_equal(fire("community", "review", "2024-09-30", t, n, "approve", 99, "", &REVIEWER, "fire", "2024-10-10", &r, &e), -1);
    assert_int_equal(e.status, 409);
    assert_string_equal(e.code, "task_closed");
    /* a deficiency names what is wrong */
    assert_int_equal(fire("community", "review", "2024-09-30", t, n, "return", 11, "", &REVIEWER, "fire", "2024-10-10", &r, &e), -1);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.code, "comment_required");
}

static void allowed_events_name_what_the_state_allows(void **state)
{
    (void)state;
    struct cases_task t[3];
    int n = review_tasks(t);
    json_t *a = cases_allowed_events(filing(), "review", t, n);
    assert_int_equal(json_array_size(a), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "event")), "approve");
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 1), "event")), "return");
    json_decref(a);
    a = cases_allowed_events(filing(), "draft", NULL, 0);
    assert_int_equal(json_array_size(a), 2); /* submit, withdraw */
    json_decref(a);
    a = cases_allowed_events(filing(), "filed", NULL, 0);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
}

static void a_deadline_outside_the_calendar_names_the_year(void **state)
{
    (void)state;
    struct cases_result r;
    struct err e;
    assert_int_equal(fire("community", "draft", "", NULL, 0, "submit", 0, "", &OPERATOR, "", "2024-12-27", &r, &e), -1);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.code, "calendar_year_missing");
    assert_non_null(strstr(e.message, "2025"));
}

static void resubmission_closes_the_correction_and_counts_anew(void **state)
{
    (void)state;
    struct cases_task correct = task(21, cases_state(filing(), "deficient")->steps[0]);
    struct cases_result r;
    struct err e;
    assert_int_equal(fire("community", "deficient", "2024-09-30", &correct, 1, "submit", 0, "", &OPERATOR, "",
                          "2024-10-14", &r, &e), 0);
    assert_int_equal(r.done_task, 21);
    assert_string_equal(r.to, "submitted");
    assert_string_equal(r.submitted_on, "2024-10-14");
    assert_string_equal(r.opened[0].due_on, "2024-10-21");
    assert_int_equal(r.t->lock, 1);
}

static void the_decision_files_and_closes(void **state)
{
    (void)state;
    struct cases_task d = task(31, cases_state(filing(), "deciding")->steps[0]);
    struct cases_result r;
    struct err e;
    assert_int_equal(fire("community", "deciding", "2024-09-30", &d, 1, "file", 31, "", &ADMIN, "", "2024-10-20", &r, &e), 0);
    assert_string_equal(r.to, "filed");
    assert_true(r.final);
    assert_true(r.t->applies);
    assert_int_equal(r.nopened, 0);
    /* change and cancellation are definitions on the same engine */
    assert_int_equal(cases_process("change")->outcome, CASES_OUTCOME_CHANGE);
    assert_int_equal(cases_process("cancel")->outcome, CASES_OUTCOME_CANCEL);
    assert_null(cases_process("nonsense"));
    /* what an inbox may list: every step's action, once */
    const char *actions[8];
    assert_int_equal(cases_step_actions(actions, 8), 5);
    assert_string_equal(actions[0], "case.receive");
    /* the star rating's town check (src/rating) is one of them */
    assert_string_equal(actions[4], "case.town_check");
    assert_int_equal(cases_process("rating")->outcome, CASES_OUTCOME_RATING);
    assert_non_null(cases_process("rating")->guard);
}

/* A growth station's joint acceptance: the health bureau and the town each sign; the first
 * signature leaves the case where it is (not entered: the outcome is not applied yet), the second
 * accepts it; a party that signed has no task left; every process code fits the case's column. */
static void joint_acceptance_needs_both_signatures(void **state)
{
    (void)state;
    const struct cases_process *p = cases_process("station_accept");
    assert_non_null(p);
    const struct cases_state *joint = cases_state(p, "joint");
    struct cases_task t[2] = {task(21, joint->steps[0]), task(22, joint->steps[1])};
    struct who district = {"case.decide"}, town = {"case.town_check"};
    struct cases_actor ad = {may, &district, NULL}, at = {may, &town, NULL};
    struct cases_clock c = {"2026-06-01", &cal, &prm};
    struct cases_result r;
    struct err e = {0};
    assert_int_equal(cases_transition(p, "station", "joint", "2026-05-30", t, 2, "sign_health", 0, "", &ad, &c, &r, &e), 0);
    assert_string_equal(r.to, "joint");
    assert_false(r.entered);
    assert_true(r.t->applies);
    /* signing again: the health bureau's task is done, only the town's is open */
    assert_int_equal(cases_transition(p, "station", "joint", "2026-05-30", &t[1], 1, "sign_health", 0, "", &ad, &c, &r, &e), -1);
    assert_string_equal(e.code, "task_closed");
    assert_int_equal(cases_transition(p, "station", "joint", "2026-05-30", &t[1], 1, "sign_town", 0, "", &at, &c, &r, &e), 0);
    assert_string_equal(r.to, "accepted");
    assert_true(r.entered);
    assert_true(r.final);
    for (const struct cases_process *const *q = cases_processes; *q; q++)
        assert_true(strlen((*q)->code) < sizeof((struct cases_case *)0)->process);
}

static void working_days_left(void **state)
{
    (void)state;
    int n;
    struct err e = {0};
    assert_int_equal(cases_working_days_left(&cal, "2024-09-30", "2024-10-12", &n, &e), 0);
    assert_int_equal(n, 5);
    assert_int_equal(cases_working_days_left(&cal, "2024-10-12", "2024-10-12", &n, &e), 0);
    assert_int_equal(n, 0);
    assert_int_equal(cases_working_days_left(&cal, "2024-10-14", "2024-10-12", &n, &e), 0);
    assert_int_equal(n, -1);
    assert_int_equal(cases_working_days_left(&cal, "2024-10-14", "2024-10-08", &n, &e), 0);
    assert_int_equal(n, -5);
}

static void checklist_by_institution_type(void **state)
{
    (void)state;
    struct institution in = {0};
    snprintf(in.operating_model, sizeof in.operating_model, "community");
    json_t *data = json_pack("{s:b, s:[{s:s, s:i}, {s:s, s:i}]}", "meals", 1, "materials", "item", "premises",
                             "material_id", 5, "item", "filing_form", "material_id", 6);
    int64_t active[] = {5};
    json_t *missing = cases_missing_materials(filing(), &in, data, active, 1);
    /* 8 items with meals; premises attached; the filing form's material is not an active one */
    assert_int_equal(json_array_size(missing), 7);
    assert_string_equal(json_string_value(json_object_get(json_array_get(missing, 0), "item")), "business_licence");
    json_decref(missing);
    snprintf(in.operating_model, sizeof in.operating_model, "family_point");
    json_object_set_new(data, "meals", json_false());
    missing = cases_missing_materials(filing(), &in, data, active, 1);
    assert_int_equal(json_array_size(missing), 2); /* 备案书, 承诺书 */
    json_decref(missing);
    json_decref(data);
    struct err e = {0};
    json_t *bad = json_pack("{s:[{s:s, s:i}]}", "materials", "item", "passport", "material_id", 1);
    assert_int_equal(cases_checklist_check(bad, &e), -1);
    assert_string_equal(e.field, "materials[0].item");
    json_decref(bad);
}

/* The items of p's checklist for an institution of model (for profit or not, meals or not), as
 * "item:step+step,…". */
static void checklist_of(const char *process, const char *model, int profit, int meals, char *out, size_t cap)
{
    struct institution in = {.profit = profit};
    snprintf(in.operating_model, sizeof in.operating_model, "%s", model);
    json_t *data = json_pack("{s:b}", "meals", meals);
    struct cases_checklist_entry c[16];
    int n = cases_checklist(cases_process(process), &in, data, c, 16);
    json_decref(data);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%s:", i ? "," : "", c[i].item->code);
        for (int k = 0; k < c[i].nsteps; k++) {
            len = strlen(out);
            snprintf(out + len, cap - len, "%s%s", k ? "+" : "", c[i].steps[k]->code);
        }
    }
}

static void checklist_declared_per_step(void **state)
{
    (void)state;
    char got[512];
    /* each department examines its own materials; the district receives the forms and the premises proof */
    checklist_of("filing", "community", 1, 1, got, sizeof got);
    assert_string_equal(got, "business_licence:review_market,premises:receipt,staff_certificates:review_health,"
                             "hygiene_report:review_health,fire_safety:review_fire,food_licence:review_market,"
                             "filing_form:receipt,undertaking:receipt");
    /* a kindergarten's staff certificates go to education as well */
    checklist_of("filing", "kindergarten", 0, 0, got, sizeof got);
    assert_non_null(strstr(got, "staff_certificates:review_health+review_education"));
    /* a family point: no fire, health or staff certificates; its premises go to housing too; its
     * licence only when for profit */
    checklist_of("filing", "family_point", 0, 0, got, sizeof got);
    assert_string_equal(got, "premises:receipt+review_housing,filing_form:receipt,undertaking:receipt");
    checklist_of("filing", "family_point", 1, 0, got, sizeof got);
    assert_string_equal(got, "business_licence:review_market,premises:receipt+review_housing,filing_form:receipt,"
                             "undertaking:receipt");
    /* the same departments, other materials: a change's and a cancellation's steps declare their own */
    checklist_of("change", "community", 0, 1, got, sizeof got);
    assert_string_equal(got, "food_licence:review_market,filing_form:receipt,change_evidence:receipt");
    checklist_of("cancel", "community", 0, 1, got, sizeof got);
    assert_string_equal(got, "cancel_statement:decision");
    checklist_of("premises", "community", 0, 1, got, sizeof got);
    assert_string_equal(got, "");
    /* every material a step of a process names is in the catalogue */
    for (const struct cases_process *const *p = cases_processes; *p; p++)
        for (const struct cases_state *s = (*p)->states; s->code; s++)
            for (int i = 0; s->steps[i]; i++)
                for (const struct cases_need *nd = s->steps[i]->needs; nd && nd->item; nd++)
                    assert_non_null(cases_checklist_item(nd->item));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(submit_opens_the_receipt_due_in_five_working_days),
        cmocka_unit_test(departments_review_in_parallel_by_institution_type),
        cmocka_unit_test(all_must_approve_the_last_moves_the_case),
        cmocka_unit_test(any_department_sends_back_and_the_others_are_cancelled),
        cmocka_unit_test(who_may_fire),
        cmocka_unit_test(allowed_events_name_what_the_state_allows),
        cmocka_unit_test(a_deadline_outside_the_calendar_names_the_year),
        cmocka_unit_test(resubmission_closes_the_correction_and_counts_anew),
        cmocka_unit_test(the_decision_files_and_closes),
        cmocka_unit_test(working_days_left),
        cmocka_unit_test(joint_acceptance_needs_both_signatures),
        cmocka_unit_test(checklist_by_institution_type),
        cmocka_unit_test(checklist_declared_per_step),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
