/* test_premises.c — the idle state premises register's pure part without a database: an entry
 * parsed and validated (coordinates inside the district, no floor 0), the status it shows
 * ("applied" while an application waits), who may apply (普惠 only: 422 not_inclusive) and be
 * allocated it (once: 409 premises_allocated) — and its application process on the cases engine
 * (submit → the district's review due in working days → allocate / return / refuse), run by the
 * engine's own transition function with no code of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cases/cases.h"
#include "premises/premises.h"

static const struct premises_bounds OUHAI = {120.40, 120.80, 27.80, 28.10};

static json_t *body(const char *extra)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"town_code\":\"330304001\",\"address\":\"景山路 18 号\",\"lon\":120.626,\"lat\":27.983,"
             "\"area_m2\":420,\"floor\":1,\"owner_unit\":\"区机关事务管理中心\",\"relief_terms\":\"前三年免租\","
             "\"rent_free_months\":36%s}",
             extra);
    json_t *o = json_loads(text, 0, NULL);
    assert_non_null(o);
    return o;
}

static void parses_a_valid_entry(void **state)
{
    (void)state;
    struct premises p = {0};
    struct err e = {0};
    json_t *b = body("");
    assert_int_equal(premises_from_json(b, &OUHAI, &p, &e), 0);
    assert_string_equal(p.town_code, "330304001");
    assert_string_equal(p.owner_unit, "区机关事务管理中心");
    assert_true(p.area_m2 == 420 && p.floor == 1 && p.rent_free_months == 36);
    json_decref(b);
}

static void refuses_coordinates_outside_and_floor_zero(void **state)
{
    (void)state;
    const char *cases[][3] = {{",\"lon\":121.5", "outside_district", "lon"},
                              {",\"lat\":27.1", "outside_district", "lat"},
                              {",\"floor\":0", "bad_floor", "floor"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct premises p = {0};
        struct err e = {0};
        json_t *b = body(cases[i][0]); /* the later member wins in jansson's parser */
        assert_int_equal(premises_from_json(b, &OUHAI, &p, &e), -1);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.code, cases[i][1]);
        assert_string_equal(e.field, cases[i][2]);
        json_decref(b);
    }
    /* a basement is a floor */
    struct premises p = {0};
    struct err e = {0};
    json_t *b = body(",\"floor\":-1");
    assert_int_equal(premises_from_json(b, &OUHAI, &p, &e), 0);
    json_decref(b);
}

static void shows_applied_while_an_application_waits(void **state)
{
    (void)state;
    struct premises p = {.status = "available"};
    assert_string_equal(premises_status_shown(&p), "available");
    p.open_applications = 2;
    assert_string_equal(premises_status_shown(&p), "applied");
    assert_string_equal(premises_status_name("applied"), "已有申请");
    snprintf(p.status, sizeof p.status, "allocated");
    assert_string_equal(premises_status_shown(&p), "allocated");
    assert_null(premises_status_name("gone"));
}

static void only_inclusive_institutions_apply_and_one_allocation(void **state)
{
    (void)state;
    struct premises p = {.status = "available"};
    struct err e = {0};
    assert_int_equal(premises_may_apply(&p, 1, &e), 0);
    assert_int_equal(premises_may_apply(&p, 0, &e), -1);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.code, "not_inclusive");
    assert_string_equal(e.field, "institution_id");
    assert_int_equal(premises_may_allocate(&p, 1, &e), 0);
    snprintf(p.status, sizeof p.status, "allocated");
    memset(&e, 0, sizeof e);
    assert_int_equal(premises_may_allocate(&p, 1, &e), -1);
    assert_int_equal(e.status, 409);
    assert_string_equal(e.code, "premises_allocated");
    memset(&e, 0, sizeof e);
    assert_int_equal(premises_may_apply(&p, 1, &e), -1);
    assert_string_equal(e.code, "premises_unavailable");
    memset(&e, 0, sizeof e);
    assert_int_equal(premises_may_change(&p, &e), -1);
    assert_string_equal(e.code, "premises_closed");
    snprintf(p.status, sizeof p.status, "withdrawn");
    memset(&e, 0, sizeof e);
    assert_int_equal(premises_may_allocate(&p, 1, &e), -1);
    assert_string_equal(e.code, "premises_unavailable");
}

/* ---- the application process on the cases engine ---- */

static struct date_calendar cal;
static struct params prm;

static int setup(void **state)
{
    (void)state;
    static const struct date_calendar_entry days[] = {
        {"2024-09-29", 1}, {"2024-10-01", 0}, {"2024-10-02", 0}, {"2024-10-03", 0}, {"2024-10-04", 0},
        {"2024-10-05", 0}, {"2024-10-06", 0}, {"2024-10-07", 0}, {"2024-10-12", 1},
    };
    int years[] = {2024};
    struct err e = {0};
    assert_int_equal(date_calendar_build(&cal, years, 1, days, sizeof days / sizeof *days, &e), 0);
    const char *keys[][2] = {{"filing.correction_days", "30"}, {"premises.review_working_days", "15"}};
    prm.count = 2;
    for (int i = 0; i < 2; i++) {
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

static int may(void *ctx, const char *action) { return strstr((const char *)ctx, action) != NULL; }

static int fire(const char *state, const struct cases_task *open, int nopen, const char *event, const char *comment,
                const char *who, struct cases_result *out, struct err *e)
{
    struct cases_actor a = {may, (void *)who, ""};
    struct cases_clock c = {"2024-09-30", &cal, &prm};
    memset(e, 0, sizeof *e);
    return cases_transition(cases_process("premises"), "community", state, "", open, nopen, event, 0, comment, &a, &c,
                            out, e);
}

static void the_application_runs_on_the_engine(void **state)
{
    (void)state;
    const struct cases_process *p = cases_process("premises");
    assert_non_null(p);
    assert_int_equal(p->outcome, CASES_OUTCOME_PREMISES);
    assert_non_null(p->opened_by);
    struct cases_result r;
    struct err e;
    /* submitted: the district's review, due 15 working days on (across National Day) */
    assert_int_equal(fire("draft", NULL, 0, "submit", "", "case.submit", &r, &e), 0);
    assert_string_equal(r.to, "submitted");
    assert_int_equal(r.nopened, 1);
    assert_string_equal(r.opened[0].step->code, "premises_review");
    assert_string_equal(r.opened[0].due_on, "2024-10-25");
    struct cases_task t = {.id = 7};
    snprintf(t.step, sizeof t.step, "premises_review");
    snprintf(t.action, sizeof t.action, "case.decide");
    /* the operator may not allocate; the district may, and the outcome applies */
    assert_int_equal(fire("submitted", &t, 1, "allocate", "", "case.submit", &r, &e), -1);
    assert_int_equal(e.status, 403);
    assert_int_equal(fire("submitted", &t, 1, "allocate", "", "case.decide", &r, &e), 0);
    assert_string_equal(r.to, "allocated");
    assert_true(r.final && r.t->applies);
    assert_int_equal(r.done_task, 7);
    /* a refusal or a return names why; neither applies the outcome */
    assert_int_equal(fire("submitted", &t, 1, "refuse", "", "case.decide", &r, &e), -1);
    assert_string_equal(e.code, "comment_required");
    assert_int_equal(fire("submitted", &t, 1, "refuse", "已分配给其他机构", "case.decide", &r, &e), 0);
    assert_string_equal(r.to, "refused");
    assert_true(r.final && !r.t->applies);
    assert_int_equal(fire("submitted", &t, 1, "return", "请补充收费承诺", "case.decide", &r, &e), 0);
    assert_string_equal(r.to, "deficient");
    assert_false(r.final);
    /* what the state does not allow */
    assert_int_equal(fire("allocated", NULL, 0, "allocate", "", "case.decide", &r, &e), -1);
    assert_int_equal(e.status, 409);
    assert_string_equal(e.code, "event_not_allowed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_a_valid_entry),
        cmocka_unit_test(refuses_coordinates_outside_and_floor_zero),
        cmocka_unit_test(shows_applied_while_an_application_waits),
        cmocka_unit_test(only_inclusive_institutions_apply_and_one_allocation),
        cmocka_unit_test_setup_teardown(the_application_runs_on_the_engine, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
