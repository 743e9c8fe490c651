/* test_enrol.c — the pure rules of enrolment (src/enrol/enrol.h): free places, age bands, the
 * application and offer transition tables (every state × every event against a table written out
 * here), priority points from the points table and the declared / computed criteria, the offer
 * deadline and a round's explanation; and the points table and deadline read from the dated
 * parameters seeded by the migrations (in a scratch SQLite file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "db/db.h"
#include "enrol/enrol.h"

static void free_places(void **state)
{
    (void)state;
    assert_int_equal(enrol_free_places(10, 3, 2), 5);
    assert_int_equal(enrol_free_places(10, 3, 0), 7);
    assert_int_equal(enrol_free_places(10, 0, 4), 6);
    assert_int_equal(enrol_free_places(5, 5, 0), 0);
    assert_int_equal(enrol_free_places(5, 4, 1), 0);
    /* never below 0: more enrolled or held than places (capacity lowered later) */
    assert_int_equal(enrol_free_places(5, 6, 0), 0);
    assert_int_equal(enrol_free_places(5, 2, 7), 0);
    assert_int_equal(enrol_free_places(0, 0, 0), 0);
}

static void class_free_places(void **state)
{
    (void)state;
    int out[3];
    /* two 托大班 of 10 with 4 and 5 enrolled: 6 and 5 each, not 11 twice */
    enrol_class_free_places(2, (int[]){10, 10}, (int[]){4, 5}, 0, out);
    assert_int_equal(out[0], 6);
    assert_int_equal(out[1], 5);
    /* held places take the room of the first class with room, as enrolment fills it */
    enrol_class_free_places(2, (int[]){10, 10}, (int[]){4, 5}, 7, out);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 4);
    enrol_class_free_places(3, (int[]){10, 10, 10}, (int[]){10, 8, 0}, 1, out);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 1);
    assert_int_equal(out[2], 10);
    /* a class over its capacity takes from the others, so the classes add up to the program */
    enrol_class_free_places(2, (int[]){5, 10}, (int[]){7, 4}, 1, out);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 3);
    assert_int_equal(out[0] + out[1], enrol_free_places(15, 11, 1));
    enrol_class_free_places(2, (int[]){10, 10}, (int[]){4, 5}, 30, out);
    assert_int_equal(out[0] + out[1], 0);
}

static void one_place_per_child(void **state)
{
    (void)state;
    struct err e = {0};
    struct enrol_holding none = {0}, booked = {.booking_id = 7}, pending = {.offers_open = 1},
                         placed = {.offers_accepted = 1}, both = {.booking_id = 9, .offers_open = 1};
    assert_int_equal(enrol_may_book(&none, &e), 0);
    assert_int_equal(enrol_may_book(&booked, &e), -1);
    assert_string_equal(e.code, "already_booked");
    assert_int_equal(enrol_may_book(&pending, &e), -1);
    assert_string_equal(e.code, "offer_pending");
    assert_int_equal(enrol_may_book(&placed, &e), -1);
    assert_string_equal(e.code, "already_placed");
    assert_int_equal(e.status, 409);
    assert_int_equal(enrol_accept_releases(&none), 0);
    assert_int_equal(enrol_accept_releases(&both), 9);
}

static void age_bands(void **state)
{
    (void)state;
    struct enrol_bands b = {.min_months = {6, 12, 24, 12}, .max_months = {12, 24, 36, 36}};
    /* completed months on the first day of the start month */
    assert_int_equal(enrol_age_months("2024-01-15", "2026-09"), 31);
    assert_int_equal(enrol_age_months("2024-09-01", "2026-09"), 24);
    assert_int_equal(enrol_age_months("2024-09-02", "2026-09"), 23);
    assert_int_equal(enrol_age_months("2026-09-02", "2026-09"), -1);
    assert_true(enrol_band_fits(&b, CLASS_TODDLER_OLD, 24));
    assert_true(enrol_band_fits(&b, CLASS_TODDLER_OLD, 35));
    assert_false(enrol_band_fits(&b, CLASS_TODDLER_OLD, 36));
    assert_false(enrol_band_fits(&b, CLASS_TODDLER_OLD, 23));
    assert_false(enrol_band_fits(&b, CLASS_INFANT, -1));
    struct err e = {0};
    assert_int_equal(enrol_bands_check(&b, -1, "2026-09-01", &e), 0);
    b.max_months[CLASS_TODDLER_YOUNG] = -1;
    assert_int_equal(enrol_bands_check(&b, CLASS_TODDLER_OLD, "2026-09-01", &e), 0);
    assert_int_equal(enrol_bands_check(&b, CLASS_TODDLER_YOUNG, "2026-09-01", &e), -1);
    assert_int_equal(e.status, 500);
    assert_string_equal(e.code, "param_missing");
    assert_string_equal(e.field, "class.toddler_young.max_months");
    assert_non_null(strstr(e.message, "2026-09-01"));
    b.min_months[CLASS_INFANT] = -1;
    assert_int_equal(enrol_bands_check(&b, -1, "2026-09-01", &e), -1);
    assert_string_equal(e.field, "class.infant.min_months"); /* the first missing, in class type order */
}

static const char *const APP_STATES[] = {"", "draft", "submitted", "in_round", "offered", "waitlisted",
                                         "accepted", "declined", "lapsed", "withdrawn", "nonsense"};
static const char *const APP_EVENTS[] = {"create", "update", "submit", "withdraw", "freeze", "offer",
                                         "waitlist", "accept", "decline", "lapse", "supersede", "nonsense"};

/* The application table written out: the state each (state, event) leads to, NULL where none. */
static const char *expected_app(const char *s, const char *ev)
{
    static const char *const rows[][3] = {
        {"", "create", "draft"},
        {"draft", "update", "draft"},          {"draft", "submit", "submitted"},
        {"draft", "withdraw", "withdrawn"},    {"submitted", "freeze", "in_round"},
        {"submitted", "withdraw", "withdrawn"}, {"in_round", "offer", "offered"},
        {"in_round", "waitlist", "waitlisted"}, {"in_round", "withdraw", "withdrawn"},
        {"offered", "offer", "offered"},       {"offered", "waitlist", "waitlisted"},
        {"offered", "accept", "accepted"},     {"offered", "decline", "declined"},
        {"offered", "lapse", "lapsed"},        {"offered", "withdraw", "withdrawn"},
        {"waitlisted", "offer", "offered"},    {"waitlisted", "withdraw", "withdrawn"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        if (strcmp(rows[i][0], s) == 0 && strcmp(rows[i][1], ev) == 0)
            return rows[i][2];
    return NULL;
}

static void application_moves(void **state)
{
    (void)state;
    int moves = 0;
    for (size_t i = 0; i < sizeof APP_STATES / sizeof *APP_STATES; i++)
        for (size_t j = 0; j < sizeof APP_EVENTS / sizeof *APP_EVENTS; j++) {
            const char *want = expected_app(APP_STATES[i], APP_EVENTS[j]), *got = enrol_app_next(APP_STATES[i], APP_EVENTS[j]);
            if (!want) {
                if (got)
                    fail_msg("%s -%s-> %s: no such move expected", APP_STATES[i], APP_EVENTS[j], got);
                assert_false(enrol_app_may(APP_STATES[i], APP_EVENTS[j]));
                continue;
            }
            if (!got || strcmp(got, want))
                fail_msg("%s -%s-> expected %s, got %s", APP_STATES[i], APP_EVENTS[j], want, got ? got : "none");
            assert_true(enrol_app_may(APP_STATES[i], APP_EVENTS[j]));
            moves++;
        }
    assert_int_equal(moves, 17);
    assert_null(enrol_app_next(NULL, "submit"));
    assert_null(enrol_app_next("draft", NULL));
    /* closed: no place and no way to one, so the child may apply again for the intake */
    const char *closed[] = {"declined", "lapsed", "withdrawn"}, *standing[] = {"draft", "submitted", "in_round", "offered",
                                                                                 "waitlisted", "accepted"};
    for (size_t i = 0; i < 3; i++)
        assert_true(enrol_app_closed(closed[i]));
    for (size_t i = 0; i < 6; i++)
        assert_false(enrol_app_closed(standing[i]));
}

static void offer_moves(void **state)
{
    (void)state;
    const char *states[] = {"", "offered", "accepted", "declined", "lapsed", "withdrawn", "superseded"};
    const char *to[][2] = {{"accept", "accepted"}, {"decline", "declined"}, {"lapse", "lapsed"},
                           {"withdraw", "withdrawn"}, {"supersede", "superseded"}};
    for (size_t i = 0; i < sizeof states / sizeof *states; i++)
        for (size_t j = 0; j < sizeof APP_EVENTS / sizeof *APP_EVENTS; j++) {
            const char *want = NULL;
            if (strcmp(states[i], "") == 0 && strcmp(APP_EVENTS[j], "offer") == 0)
                want = "offered";
            for (size_t k = 0; strcmp(states[i], "offered") == 0 && k < 5; k++)
                if (strcmp(APP_EVENTS[j], to[k][0]) == 0)
                    want = to[k][1];
            const char *got = enrol_offer_next(states[i], APP_EVENTS[j]);
            if (want ? !got || strcmp(got, want) : got != NULL)
                fail_msg("offer %s -%s-> expected %s, got %s", states[i], APP_EVENTS[j], want ? want : "none",
                         got ? got : "none");
        }
}

static void person_moves_name_policy_actions(void **state)
{
    (void)state;
    const char *want[][2] = {{"update", "application.update"}, {"submit", "application.submit"},
                             {"withdraw", "application.withdraw"}, {"accept", "offer.accept"},
                             {"decline", "offer.decline"}};
    int n = 0;
    for (const struct enrol_person_move *m = enrol_person_moves; m->event; m++, n++) {
        assert_true(n < 5);
        assert_string_equal(m->event, want[n][0]);
        assert_string_equal(m->action, want[n][1]);
        assert_true(authz_action_known(m->action));
        /* each is a move of the application table from some state */
        int somewhere = 0;
        for (size_t i = 0; i < sizeof APP_STATES / sizeof *APP_STATES; i++)
            somewhere |= enrol_app_may(APP_STATES[i], m->event);
        assert_true(somewhere);
    }
    assert_int_equal(n, 5);
}

static const struct enrol_points_table T = {.multi_child = 2, .both_parents_working = 1, .ouhai_residence = 2,
                                            .disability = 3, .hardship = 3, .sibling_at_institution = 2,
                                            .same_town = 1};

static void points_add_up(void **state)
{
    (void)state;
    struct enrol_criteria none = {0}, all = {1, 1, 1, 1, 1}, some = {.multi_child = 1, .hardship = 1};
    assert_true(enrol_points(&T, &none, 0, 0) == 0);
    assert_true(enrol_points(&T, &none, 1, 0) == 2);
    assert_true(enrol_points(&T, &none, 0, 1) == 1);
    assert_true(enrol_points(&T, &some, 0, 0) == 5);
    assert_true(enrol_points(&T, &all, 1, 1) == 14);
    /* each criterion counts its own row, not another's */
    struct enrol_points_table t = {0};
    t.disability = 7;
    struct enrol_criteria d = {.disability = 1};
    assert_true(enrol_points(&t, &d, 1, 1) == 7);
    assert_true(enrol_points(&t, &some, 0, 0) == 0);
}

static void choice_points_from_data(void **state)
{
    (void)state;
    struct enrol_criteria some = {.multi_child = 1, .hardship = 1};
    assert_true(enrol_choice_points(&T, &some, 0, "330304001", "330304002") == 5);
    assert_true(enrol_choice_points(&T, &some, 1, "330304001", "330304002") == 7);   /* a sibling there */
    assert_true(enrol_choice_points(&T, &some, 3, "330304001", "330304001") == 8);   /* and the same town */
    assert_true(enrol_choice_points(&T, &some, 0, "", "") == 5);                     /* unknown town: no point */
    assert_true(enrol_choice_points(&T, &some, 0, "330304001", NULL) == 5);
}

static void criteria_keys_match_struct(void **state)
{
    (void)state;
    int n = 0;
    while (enrol_criteria_keys[n])
        n++;
    assert_int_equal(n, (int)(sizeof(struct enrol_criteria) / sizeof(int)));
    assert_string_equal(enrol_criteria_keys[0], "multi_child");
    assert_string_equal(enrol_criteria_keys[4], "hardship");
    struct enrol_criteria c;
    enrol_criteria_parse("{\"disability\":true,\"hardship\":\"yes\",\"multi_child\":false,\"other\":true}", &c);
    assert_int_equal(c.disability, 1);
    assert_int_equal(c.hardship, 0); /* only true counts */
    assert_int_equal(c.multi_child + c.both_parents_working + c.ouhai_residence, 0);
    enrol_criteria_parse(NULL, &c);
    assert_int_equal(c.disability, 0);
    enrol_criteria_parse("not json", &c);
    assert_int_equal(c.disability, 0);
}

static void explanation(void **state)
{
    (void)state;
    json_t *cutoffs = json_loads(
        "[{\"institution_id\":1,\"class_type\":\"toddler_old\",\"full\":true,\"last_points\":3,\"last_lottery\":10,"
        "\"last_application_id\":7},"
        "{\"institution_id\":2,\"class_type\":\"toddler_old\",\"full\":false,\"last_points\":0,\"last_lottery\":0,"
        "\"last_application_id\":null},"
        "{\"institution_id\":3,\"class_type\":\"toddler_old\",\"full\":true,\"last_points\":0,\"last_lottery\":0,"
        "\"last_application_id\":null}]",
        0, NULL);
    assert_non_null(cutoffs);
    struct {
        int64_t inst;
        double points;
        int64_t lottery;
        int within; /* -1: no cut-off */
    } cases[] = {
        {1, 4, 99, 1}, /* more points than the last admitted */
        {1, 3, 10, 1}, /* same points, the same lottery number */
        {1, 3, 9, 1},  /* same points, drawn earlier */
        {1, 3, 11, 0}, /* same points, drawn later */
        {1, 3, 0, 0},  /* same points, no lottery number */
        {1, 2, 1, 0},  /* fewer points */
        {2, 0, 50, 1}, /* not full */
        {3, 9, 1, 0},  /* full with fixed places only: nobody admitted to rank against */
        {4, 9, 1, -1}, /* a program without a cut-off */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *choices = json_pack("[{s:I, s:s, s:f}]", "institution_id", (json_int_t)cases[i].inst, "class_type",
                                    "toddler_old", "points", cases[i].points);
        enrol_explain(choices, cutoffs, cases[i].lottery);
        json_t *c = json_array_get(choices, 0);
        if (cases[i].within < 0) {
            assert_null(json_object_get(c, "cutoff"));
            assert_null(json_object_get(c, "within_cutoff"));
        } else {
            assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "cutoff"), "institution_id")),
                             cases[i].inst);
            if (json_is_true(json_object_get(c, "within_cutoff")) != cases[i].within)
                fail_msg("case %zu: within_cutoff should be %d", i, cases[i].within);
        }
        json_decref(choices);
    }
    json_t *choices = json_pack("[{s:I, s:s, s:f}]", "institution_id", 1, "class_type", "toddler_old", "points", 9.0);
    enrol_explain(choices, NULL, 1); /* before a round */
    assert_null(json_object_get(json_array_get(choices, 0), "cutoff"));
    json_decref(choices);
    json_decref(cutoffs);
}

static void rules_from_parameters(void **state)
{
    (void)state;
    struct db_config cfg = {.kind = DB_SQLITE};
    snprintf(cfg.target, sizeof cfg.target, "/tmp/tuoyu-test-enrol-%d.db", (int)getpid());
    unlink(cfg.target);
    struct db *db = NULL;
    struct err e = {0};
    assert_int_equal(db_open(&cfg, &db, &e), 0);
    assert_true(db_migrate(db, &e) > 0);
    static struct params p;
    struct enrol_points_table t;
    assert_int_equal(params_load(db, "330304", "2026-06-01", &p, &e), 0);
    assert_int_equal(enrol_points_from_params(&p, &t, &e), 0);
    assert_true(t.multi_child == 2 && t.both_parents_working == 1 && t.ouhai_residence == 2);
    assert_true(t.disability == 3 && t.hardship == 3 && t.sibling_at_institution == 2 && t.same_town == 1);
    /* an offer made on a day is open for enrol.offer_deadline_days (14) days */
    char deadline[DATE_DAY_LEN];
    assert_int_equal(enrol_offer_deadline(&p, "2026-06-01", deadline, &e), 0);
    assert_string_equal(deadline, "2026-06-15");
    assert_int_equal(enrol_offer_deadline(&p, "2026-12-25", deadline, &e), 0);
    assert_string_equal(deadline, "2027-01-08");
    /* before the rows are in force: the parameter is missing, an error, not a silent 0 */
    assert_int_equal(params_load(db, "330304", "2020-01-01", &p, &e), 0);
    assert_int_equal(enrol_points_from_params(&p, &t, &e), -1);
    assert_int_equal(e.status, 500);
    assert_string_equal(e.code, "param_missing");
    assert_int_equal(enrol_offer_deadline(&p, "2020-01-01", deadline, &e), -1);
    assert_int_equal(e.status, 500);
    db_close(db);
    unlink(cfg.target);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(free_places),
        cmocka_unit_test(class_free_places),
        cmocka_unit_test(one_place_per_child),
        cmocka_unit_test(age_bands),
        cmocka_unit_test(application_moves),
        cmocka_unit_test(offer_moves),
        cmocka_unit_test(person_moves_name_policy_actions),
        cmocka_unit_test(points_add_up),
        cmocka_unit_test(choice_points_from_data),
        cmocka_unit_test(criteria_keys_match_struct),
        cmocka_unit_test(explanation),
        cmocka_unit_test(rules_from_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
