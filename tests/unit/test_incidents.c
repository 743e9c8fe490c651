/* test_incidents.c — the pure part of incidents (incidents.c): the routing rule (which kinds are
 * reported, which are withheld from the family), every validation of a recorded incident (time
 * not in the future and with a zone, coded kind, body part and severity that agree, hospital,
 * the guardian told once and after the incident, the police only for reported kinds), closing,
 * and the mandatory report's process on the cases engine (acknowledge by the deadline, then
 * handle with an outcome; nothing out of order; only the regulators' actions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/date.h"
#include "incidents/incidents.h"

static int64_t NOW; /* 2026-06-01T10:00:00+08:00 */

static int parse(const char *text, struct incident_input *out, struct err *e)
{
    struct err se = {0};
    json_t *b = http_json_check(&incident_schema, text, strlen(text), &se);
    if (!b)
        fail_msg("schema refused %s: %s %s", text, se.code, se.field);
    int rc = incident_from_json(b, NOW, out, e);
    json_decref(b);
    return rc;
}

#define BASE "\"child_id\":7,\"place\":\"活动室\",\"description\":\"跌倒\""

static void test_routing(void **state)
{
    (void)state;
    const struct incident_kind *fall = incident_kind_find("fall"), *dv = incident_kind_find("suspected_domestic_violence"),
                               *abuse = incident_kind_find("suspected_abuse");
    assert_non_null(fall);
    assert_false(fall->mandatory);
    assert_true(fall->family_visible);
    assert_true(dv->mandatory);
    assert_false(dv->family_visible);
    assert_non_null(strstr(dv->basis, "第二十五条"));
    assert_true(abuse->mandatory);
    assert_true(abuse->family_visible);
    assert_null(incident_kind_find("alien"));
    assert_null(incident_kind_find(NULL));
    assert_string_equal(incident_name("leg"), "下肢");
    assert_string_equal(incident_name("fall"), "跌倒、坠落");
    assert_string_equal(incident_name("nothing"), "");
}

static void test_valid(void **state)
{
    (void)state;
    struct incident_input in;
    struct err e = {0};
    assert_int_equal(parse("{" BASE ",\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:30:00+08:00\",\"body_part\":\"leg\","
                           "\"severity\":\"minor\",\"hospital\":true,\"hospital_note\":\"区人民医院\","
                           "\"guardian_notified_at\":\"2026-06-01T01:40:00Z\",\"guardian_channel\":\"phone\"}",
                           &in, &e),
                     0);
    assert_int_equal(in.child_id, 7);
    assert_int_equal(NOW - in.occurred_at, 30 * 60);
    assert_int_equal(in.guardian_notified_at - in.occurred_at, 10 * 60);
    assert_true(in.hospital);
    assert_false(in.notify_guardian);
    /* no injury at all; a reported kind with its police report; now itself is not the future */
    assert_int_equal(parse("{" BASE ",\"kind\":\"lost_child\",\"occurred_at\":\"2026-06-01T02:00:00Z\",\"severity\":\"none\","
                           "\"notify_guardian\":true}",
                           &in, &e),
                     0);
    assert_int_equal(parse("{" BASE ",\"kind\":\"suspected_domestic_violence\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\","
                           "\"severity\":\"none\",\"police_reported_at\":\"2026-06-01T09:30:00+08:00\"}",
                           &in, &e),
                     0);
}

static void test_invalid(void **state)
{
    (void)state;
    struct {
        const char *members, *code, *field;
    } bad[] = {
        {"\"kind\":\"alien\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"none\"", "bad_kind", "kind"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T10:00:01+08:00\",\"severity\":\"none\"", "future_time", "occurred_at"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00\",\"severity\":\"none\"", "bad_time", "occurred_at"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"body_part\":\"tail\",\"severity\":\"minor\"",
         "bad_body_part", "body_part"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"bad\"", "bad_severity", "severity"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"body_part\":\"leg\",\"severity\":\"none\"",
         "injury_without_severity", "severity"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"severe\"", "severity_without_injury",
         "body_part"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"none\",\"hospital_note\":\"x\"",
         "hospital_note_without_visit", "hospital_note"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"none\",\"notify_guardian\":true,"
         "\"guardian_notified_at\":\"2026-06-01T09:10:00+08:00\",\"guardian_channel\":\"phone\"",
         "guardian_twice", "guardian_notified_at"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"none\","
         "\"guardian_notified_at\":\"2026-06-01T08:59:00+08:00\",\"guardian_channel\":\"phone\"",
         "bad_notice_time", "guardian_notified_at"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"none\","
         "\"guardian_notified_at\":\"2026-06-01T10:01:00+08:00\",\"guardian_channel\":\"phone\"",
         "bad_notice_time", "guardian_notified_at"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"none\","
         "\"guardian_notified_at\":\"2026-06-01T09:10:00+08:00\",\"guardian_channel\":\"inbox\"",
         "bad_channel", "guardian_channel"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"none\",\"guardian_channel\":\"phone\"",
         "channel_without_time", "guardian_channel"},
        {"\"kind\":\"suspected_domestic_violence\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"none\","
         "\"notify_guardian\":true",
         "guardian_notice_withheld", "notify_guardian"},
        {"\"kind\":\"suspected_domestic_violence\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"none\","
         "\"guardian_notified_at\":\"2026-06-01T09:10:00+08:00\",\"guardian_channel\":\"phone\"",
         "guardian_notice_withheld", "guardian_notified_at"},
        {"\"kind\":\"fall\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"none\","
         "\"police_reported_at\":\"2026-06-01T09:10:00+08:00\"",
         "police_not_applicable", "police_reported_at"},
        {"\"kind\":\"suspected_abuse\",\"occurred_at\":\"2026-06-01T09:00:00+08:00\",\"severity\":\"none\","
         "\"police_reported_at\":\"2026-06-01T08:10:00+08:00\"",
         "bad_police_time", "police_reported_at"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[1024];
        snprintf(text, sizeof text, "{" BASE ",%s}", bad[i].members);
        struct incident_input in;
        struct err e = {0};
        if (parse(text, &in, &e) != -1)
            fail_msg("accepted %s", text);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.code, bad[i].code);
        assert_string_equal(e.field, bad[i].field);
    }
}

static void test_close(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(incident_may_close("open", 1, 1, &e), 0);
    assert_int_equal(incident_may_close("open", 0, 0, &e), 0); /* withheld: never told through the platform */
    assert_int_equal(incident_may_close("open", 1, 0, &e), -1);
    assert_string_equal(e.code, "guardian_not_notified");
    assert_int_equal(incident_may_close("closed", 1, 1, &e), -1);
    assert_int_equal(e.status, 409);
    assert_string_equal(e.code, "incident_closed");
}

/* ---- the report's process ---- */

static int may(void *ctx, const char *action)
{
    const char *list = ctx;
    const char *hit = strstr(list, action);
    return hit && (hit[strlen(action)] == ',' || hit[strlen(action)] == '\0');
}

static int fire(const char *state, const char *event, const char *comment, const char *actions, const char *today,
                struct cases_result *r, struct err *e)
{
    static struct params prm;
    prm.count = 1;
    snprintf(prm.items[0].key, sizeof prm.items[0].key, "incident.report.ack_days");
    snprintf(prm.items[0].value, sizeof prm.items[0].value, "1");
    prm.items[0].number = 1;
    const struct cases_process *p = &incident_report_process;
    const struct cases_state *s = cases_state(p, state);
    struct cases_task open = {.id = 5};
    snprintf(open.step, sizeof open.step, "%s", s->steps[0] ? s->steps[0]->code : "");
    snprintf(open.action, sizeof open.action, "%s", s->steps[0] ? s->steps[0]->action : "");
    struct cases_actor a = {may, (void *)actions, ""};
    struct cases_clock c = {today, NULL, &prm};
    return cases_transition(p, NULL, state, "", &open, s->steps[0] ? 1 : 0, event, 0, comment, &a, &c, r, e);
}

static void test_report_process(void **state)
{
    (void)state;
    const char *REGULATOR = "report.acknowledge,report.handle";
    const struct cases_process *p = &incident_report_process;
    struct cases_result r;
    struct err e = {0};
    /* opened: the acknowledgement is due incident.report.ack_days calendar days on */
    const struct cases_step *ack = cases_state(p, p->initial)->steps[0];
    struct params prm = {.count = 1};
    snprintf(prm.items[0].key, sizeof prm.items[0].key, "incident.report.ack_days");
    prm.items[0].number = 1;
    struct cases_clock c = {"2026-12-31", NULL, &prm};
    char due[DATE_DAY_LEN];
    assert_int_equal(cases_due(ack, "", "2026-12-31", &c, due, &e), 0);
    assert_string_equal(due, "2027-01-01");
    /* the institution may not acknowledge; the regulator may, once */
    assert_int_equal(fire("reported", "acknowledge", NULL, "incident.write", "2026-06-01", &r, &e), -1);
    assert_int_equal(e.status, 403);
    assert_int_equal(fire("reported", "handle", "x", REGULATOR, "2026-06-01", &r, &e), -1);
    assert_string_equal(e.code, "event_not_allowed");
    assert_int_equal(fire("reported", "acknowledge", NULL, REGULATOR, "2026-06-01", &r, &e), 0);
    assert_string_equal(r.to, "acknowledged");
    assert_int_equal(r.done_task, 5);
    assert_int_equal(r.nopened, 1);
    assert_string_equal(r.opened[0].due_on, ""); /* handling has no deadline */
    assert_int_equal(fire("acknowledged", "acknowledge", NULL, REGULATOR, "2026-06-01", &r, &e), -1);
    assert_string_equal(e.code, "event_not_allowed");
    /* handled with an outcome, which is required */
    assert_int_equal(fire("acknowledged", "handle", "", REGULATOR, "2026-06-02", &r, &e), -1);
    assert_string_equal(e.code, "comment_required");
    assert_int_equal(fire("acknowledged", "handle", "移送公安", REGULATOR, "2026-06-02", &r, &e), 0);
    assert_string_equal(r.to, "handled");
    assert_true(r.final);
}

static void test_labels(void **state)
{
    (void)state;
    json_t *l = incident_labels_json();
    assert_true(json_array_size(json_object_get(l, "kinds")) >= 12);
    assert_string_equal(json_string_value(json_object_get(json_object_get(l, "names"), "reported")), "待签收");
    json_decref(l);
}

int main(void)
{
    date_parse_timestamp("2026-06-01T10:00:00+08:00", &NOW);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routing), cmocka_unit_test(test_valid),          cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_close),   cmocka_unit_test(test_report_process), cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests_name("incidents", tests, NULL, NULL);
}
