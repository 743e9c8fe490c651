/* test_keytasks.c — the rules of the key-task plan (keytasks.c): an owner of a known kind, named
 * unless it is the district; milestones not after the deadline; a progress report moves an open
 * task to in_progress or done with a note; done needs evidence; overdue past the deadline unless
 * done or cancelled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "keytasks/keytasks.h"

static int task_of(const char *text, struct keytask *t, struct err *e)
{
    struct err se = {0};
    json_t *b = http_json_check(&keytask_schema, text, strlen(text), &se);
    if (!b) {
        *e = se;
        return -2;
    }
    int rc = keytask_from_json(b, t, e);
    json_decref(b);
    return rc;
}

static void expect_refused(const char *text, const char *code, const char *field)
{
    struct keytask t;
    struct err e = {0};
    assert_int_not_equal(task_of(text, &t, &e), 0);
    assert_string_equal(e.code, code);
    assert_string_equal(e.field, field);
}

static void test_tasks(void **state)
{
    (void)state;
    struct keytask t;
    struct err e = {0};
    assert_int_equal(task_of("{\"title\":\"建成综合服务中心\",\"owner_kind\":\"district\",\"due_on\":\"2026-12-31\","
                             "\"milestones\":[{\"title\":\"装修\",\"due_on\":\"2026-10-01\"},{\"title\":\"开放\","
                             "\"due_on\":\"2026-12-31\"}]}",
                             &t, &e),
                     0);
    assert_int_equal(t.nmilestones, 2);
    assert_string_equal(t.owner_code, "");
    assert_string_equal(t.milestones[1].due_on, "2026-12-31");
    assert_int_equal(task_of("{\"title\":\"x\",\"owner_kind\":\"town\",\"owner_code\":\"330304001\",\"due_on\":\"2026-12-31\"}",
                             &t, &e),
                     0);
    expect_refused("{\"title\":\"x\",\"owner_kind\":\"village\",\"due_on\":\"2026-12-31\"}", "bad_owner_kind", "owner_kind");
    expect_refused("{\"title\":\"x\",\"owner_kind\":\"department\",\"due_on\":\"2026-12-31\"}", "owner_required", "owner_code");
    expect_refused("{\"title\":\"x\",\"owner_kind\":\"district\",\"owner_code\":\"finance\",\"due_on\":\"2026-12-31\"}",
                   "owner_not_allowed", "owner_code");
    expect_refused("{\"title\":\"x\",\"owner_kind\":\"district\",\"due_on\":\"2026-12-31\",\"milestones\":[{\"title\":\"a\","
                   "\"due_on\":\"2026-12-01\"},{\"title\":\"b\",\"due_on\":\"2027-01-01\"}]}",
                   "milestone_after_deadline", "milestones[1].due_on");
}

static void test_reports(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(keytask_report_check("planned", "in_progress", "开工", &e), 0);
    assert_int_equal(keytask_report_check("in_progress", "done", "完成", &e), 0);
    static const char *const BAD[][4] = {
        {"done", "in_progress", "x", "task_closed"},   {"cancelled", "done", "x", "task_closed"},
        {"planned", "planned", "x", "bad_state"},      {"planned", "cancelled", "x", "bad_state"},
        {"planned", "in_progress", " \n", "note_required"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        struct err b = {0};
        assert_int_equal(keytask_report_check(BAD[i][0], BAD[i][1], BAD[i][2], &b), -1);
        assert_string_equal(b.code, BAD[i][3]);
    }
    struct err d = {0};
    assert_int_equal(keytask_done_check(0, &d), -1);
    assert_string_equal(d.code, "evidence_required");
    assert_int_equal(keytask_done_check(1, &e), 0);
}

static void test_overdue(void **state)
{
    (void)state;
    assert_true(keytask_overdue("in_progress", "2026-12-04", NULL, "2026-12-05"));
    assert_true(keytask_overdue("planned", "2026-12-04", "", "2026-12-05"));
    assert_false(keytask_overdue("in_progress", "2026-12-05", NULL, "2026-12-05")); /* due today: not yet */
    assert_false(keytask_overdue("done", "2026-12-04", "2026-12-04", "2026-12-05"));
    assert_false(keytask_overdue("cancelled", "2026-01-01", NULL, "2026-12-05"));
    assert_false(keytask_overdue("in_progress", "2026-01-01", "2026-01-01", "2026-12-05")); /* a milestone done */
    assert_string_equal(keytask_state_name("in_progress"), "进行中");
    assert_string_equal(keytask_owner_kind_name("town"), "镇街");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_tasks), cmocka_unit_test(test_reports),
                                       cmocka_unit_test(test_overdue)};
    return cmocka_run_group_tests_name("keytasks", tests, NULL, NULL);
}
