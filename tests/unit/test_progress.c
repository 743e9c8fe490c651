/* test_progress.c — the rules of quarterly progress reports (progress.c): quarters parsed and
 * bounded, the day a quarter's reports are due and the day its figures are read on, the moves a
 * report may make (an approved quarter locked, a return and a reopen only with a reason), what may
 * be edited, and a submission that says nothing refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "progress/progress.h"

static void test_periods(void **state)
{
    (void)state;
    struct progress_period p;
    struct err e = {0};
    assert_int_equal(progress_period_parse("2026-Q3", "period", &p, &e), 0);
    assert_string_equal(p.code, "2026-Q3");
    assert_string_equal(p.first, "2026-07-01");
    assert_string_equal(p.last, "2026-09-30");
    assert_int_equal(progress_period_parse("2024-Q1", "period", &p, &e), 0);
    assert_string_equal(p.last, "2024-03-31");
    assert_int_equal(progress_period_parse("2025-Q4", "period", &p, &e), 0);
    assert_string_equal(p.last, "2025-12-31");
    static const char *const BAD[] = {"2026-Q0", "2026-Q5", "2022-Q4", "2026Q3", "2026-q3", "26-Q3", "2026-Q3 ", ""};
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        struct err b = {0};
        assert_int_equal(progress_period_parse(BAD[i], "period", &p, &b), -1);
        assert_string_equal(b.code, "bad_period");
        assert_string_equal(b.field, "period");
    }
    progress_period_of("2026-12-05", &p);
    assert_string_equal(p.code, "2026-Q4");
    progress_period_of("2026-04-01", &p);
    assert_string_equal(p.code, "2026-Q2");
    progress_period_of("2026-03-31", &p);
    assert_string_equal(p.code, "2026-Q1");

    /* due ten days after the quarter; read on its last day once it has ended */
    char due[DATE_DAY_LEN];
    progress_period_parse("2026-Q3", "period", &p, &e);
    progress_period_due(&p, 10, due);
    assert_string_equal(due, "2026-10-10");
    assert_string_equal(progress_period_as_of(&p, "2026-12-05"), "2026-09-30");
    assert_string_equal(progress_period_as_of(&p, "2026-08-15"), "2026-08-15");
    assert_int_equal(progress_period_started(&p, "2026-07-01", &e), 0);
    struct err ns = {0};
    assert_int_equal(progress_period_started(&p, "2026-06-30", &ns), -1);
    assert_string_equal(ns.code, "period_not_started");
}

static void expect_move(const char *state, const char *event, const char *comment, const char *to, const char *action)
{
    const struct progress_move *m;
    struct err e = {0};
    assert_int_equal(progress_move(state, event, comment, &m, &e), 0);
    assert_string_equal(m->to, to);
    assert_string_equal(m->action, action);
}

static void expect_refused(const char *state, const char *event, const char *comment, int status, const char *code)
{
    const struct progress_move *m;
    struct err e = {0};
    assert_int_equal(progress_move(state, event, comment, &m, &e), -1);
    assert_int_equal(e.status, status);
    assert_string_equal(e.code, code);
}

static void test_moves(void **state)
{
    (void)state;
    expect_move("draft", "submit", NULL, "submitted", "progress.write");
    expect_move("returned", "submit", NULL, "submitted", "progress.write");
    expect_move("submitted", "approve", NULL, "approved", "progress.review");
    expect_move("submitted", "return", "数据有误", "returned", "progress.review");
    expect_move("approved", "reopen", "口径更正", "", "progress.review");
    /* a return and a reopen say why; blank does not count */
    expect_refused("submitted", "return", NULL, 422, "comment_required");
    expect_refused("submitted", "return", " \n", 422, "comment_required");
    expect_refused("approved", "reopen", "", 422, "comment_required");
    /* an approved (or superseded) quarter is locked */
    expect_refused("approved", "submit", NULL, 409, "period_locked");
    expect_refused("approved", "approve", NULL, 409, "period_locked");
    expect_refused("superseded", "submit", NULL, 409, "period_locked");
    expect_refused("superseded", "reopen", "x", 409, "event_not_allowed");
    expect_refused("draft", "approve", NULL, 409, "event_not_allowed");
    expect_refused("submitted", "submit", NULL, 409, "event_not_allowed");
    expect_refused("draft", "nonsense", NULL, 409, "event_not_allowed");
}

static void test_editing(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(progress_editable("draft", &e), 0);
    assert_int_equal(progress_editable("returned", &e), 0);
    static const char *const LOCKED[][2] = {{"submitted", "report_submitted"}, {"approved", "period_locked"},
                                            {"superseded", "period_locked"}};
    for (size_t i = 0; i < 3; i++) {
        struct err l = {0};
        assert_int_equal(progress_editable(LOCKED[i][0], &l), -1);
        assert_int_equal(l.status, 409);
        assert_string_equal(l.code, LOCKED[i][1]);
    }
    assert_int_equal(progress_submission_check("新增托位 60 个", &e), 0);
    struct err r = {0};
    assert_int_equal(progress_submission_check(" \t\n", &r), -1);
    assert_string_equal(r.field, "progress");
    assert_string_equal(progress_state_name("approved"), "已审核（已锁定）");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_moves),
        cmocka_unit_test(test_editing),
    };
    return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
