/* test_rating.c — the star-rating engine (issue 17 item 2): a scheme's coherence, a sheet's range,
 * the level from the points (a tie at a threshold reaches it, below the lowest none), a failed
 * veto capping the level or withholding it, and experts' sheets combined by mean and by trimmed
 * mean, rounded half up; then the two schemes migration 031 ships, read from a real SQLite
 * database through the store, judged at their edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "rating/rating.h"
#include "rating/store.h"

/* Two dimensions: A holds items 0 (40 points) and 1 (30), B holds item 2 (30) and the veto 3.
 * Levels: 三星 ≥ 85, 二星 ≥ 70, 一星 ≥ 60; a failed veto caps at 一星 (index 2). */
static struct rating_scheme scheme(void)
{
    struct rating_scheme s = {0};
    s.ndimensions = 2;
    s.nitems = 4;
    s.items[0] = (struct rating_item){0, RATING_POINTS, 400};
    s.items[1] = (struct rating_item){0, RATING_POINTS, 300};
    s.items[2] = (struct rating_item){1, RATING_POINTS, 300};
    s.items[3] = (struct rating_item){1, RATING_VETO, 0};
    s.nlevels = 3;
    s.levels[0].min_tenths = 850;
    s.levels[1].min_tenths = 700;
    s.levels[2].min_tenths = 600;
    s.veto_cap = 2;
    s.combine = RATING_MEAN;
    return s;
}

static struct rating_sheet sheet(int a, int b, int c, int veto)
{
    struct rating_sheet x;
    for (int i = 0; i < RATING_MAX_ITEMS; i++)
        x.score[i] = RATING_UNSCORED;
    x.score[0] = a;
    x.score[1] = b;
    x.score[2] = c;
    x.score[3] = veto;
    return x;
}

static void test_scheme_check(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s = scheme();
    assert_int_equal(rating_scheme_check(&s, &e), 0);
    s.levels[1].min_tenths = 850; /* two levels at one threshold */
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    assert_string_equal(e.field, "levels[1]");
    s = scheme();
    s.levels[0].min_tenths = 1001; /* above the full 100 points */
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    s = scheme();
    s.items[3].max_tenths = 10; /* a veto carries no points */
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    assert_string_equal(e.field, "items[3]");
    s = scheme();
    s.items[1].dimension = 2;
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    s = scheme();
    s.veto_cap = 4;
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    s = scheme();
    s.combine = RATING_TRIMMED_MEAN;
    s.trim_from = 2;
    assert_int_equal(rating_scheme_check(&s, &e), -1);
    assert_string_equal(e.field, "trim_from");
}

static void test_sheet_check(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s = scheme();
    struct rating_sheet x = sheet(400, 301, 300, RATING_MET);
    assert_int_equal(rating_sheet_check(&s, &x, 0, &e), -1);
    assert_string_equal(e.code, "score_above_max");
    assert_string_equal(e.field, "items[1]");
    x = sheet(-5, 0, 0, RATING_MET);
    assert_int_equal(rating_sheet_check(&s, &x, 0, &e), -1);
    assert_string_equal(e.code, "score_negative");
    x = sheet(0, 0, 0, 2);
    assert_int_equal(rating_sheet_check(&s, &x, 0, &e), -1);
    assert_string_equal(e.code, "bad_veto");
    x = sheet(100, RATING_UNSCORED, 0, RATING_MET);
    assert_int_equal(rating_sheet_check(&s, &x, 0, &e), -1);
    assert_string_equal(e.code, "item_unscored");
    assert_int_equal(rating_sheet_check(&s, &x, 1, &e), 0); /* a draft may leave it */
    struct rating_result r;
    assert_int_equal(rating_judge(&s, &x, &r, &e), -1);      /* a judged sheet may not */
}

static void test_levels_and_ties(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s = scheme();
    struct rating_result r;
    struct rating_sheet x = sheet(400, 250, 200, RATING_MET); /* 85.0: exactly 三星's line */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.total_tenths, 850);
    assert_int_equal(r.max_tenths, 1000);
    assert_int_equal(r.dimension_tenths[0], 650);
    assert_int_equal(r.dimension_tenths[1], 200);
    assert_int_equal(r.points_level, 0);
    assert_int_equal(r.level, 0);
    x = sheet(400, 249, 200, RATING_MET); /* 84.9: half a point short */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, 1);
    x = sheet(300, 200, 99, RATING_MET); /* 59.9: below the lowest line */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, RATING_NO_LEVEL);
    x = sheet(300, 200, 100, RATING_MET); /* 60.0 */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, 2);
}

static void test_veto_caps(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s = scheme();
    struct rating_result r;
    struct rating_sheet x = sheet(400, 300, 300, RATING_NOT_MET); /* full points, veto failed */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.total_tenths, 1000);
    assert_int_equal(r.points_level, 0);
    assert_int_equal(r.level, 2); /* capped at 一星 */
    assert_int_equal(r.nvetoes_failed, 1);
    assert_int_equal(r.vetoes_failed[0], 3);
    x = sheet(0, 0, 0, RATING_NOT_MET); /* a cap never raises a level the points do not reach */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, RATING_NO_LEVEL);
    s.veto_cap = s.nlevels; /* a scheme where a failed veto withholds any level */
    x = sheet(400, 300, 300, RATING_NOT_MET);
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.points_level, 0);
    assert_int_equal(r.level, RATING_NO_LEVEL);
    x = sheet(400, 300, 300, RATING_MET);
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, 0);
    assert_int_equal(r.nvetoes_failed, 0);
}

static void test_combine(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s = scheme();
    struct rating_sheet ex[5], out;
    ex[0] = sheet(400, 200, 100, RATING_MET);
    ex[1] = sheet(300, 201, 100, RATING_MET);
    ex[2] = sheet(350, 200, 101, RATING_NOT_MET);
    /* mean: (400+300+350)/3 = 350; (200+201+200)/3 = 200.33 → 200; (100+100+101)/3 → 100 */
    assert_int_equal(rating_combine_sheets(&s, ex, 3, &out, &e), 0);
    assert_int_equal(out.score[0], 350);
    assert_int_equal(out.score[1], 200);
    assert_int_equal(out.score[2], 100);
    assert_int_equal(out.score[3], RATING_NOT_MET); /* one expert saw the baseline unmet */
    /* half up: (1 + 2) / 2 = 1.5 → 2 */
    ex[0] = sheet(1, 0, 0, RATING_MET);
    ex[1] = sheet(2, 0, 0, RATING_MET);
    assert_int_equal(rating_combine_sheets(&s, ex, 2, &out, &e), 0);
    assert_int_equal(out.score[0], 2);
    assert_int_equal(out.score[3], RATING_MET);
    /* trimmed from 5 experts: the 400 and the 0 are dropped, (300+310+320)/3 = 310 */
    s.combine = RATING_TRIMMED_MEAN;
    s.trim_from = 5;
    int a[5] = {400, 300, 0, 310, 320};
    for (int k = 0; k < 5; k++)
        ex[k] = sheet(a[k], 0, 0, RATING_MET);
    assert_int_equal(rating_combine_sheets(&s, ex, 5, &out, &e), 0);
    assert_int_equal(out.score[0], 310);
    /* four experts are fewer than trim_from: the plain mean (400+300+0+310)/4 = 252.5 → 253 */
    assert_int_equal(rating_combine_sheets(&s, ex, 4, &out, &e), 0);
    assert_int_equal(out.score[0], 253);
    /* a bad count or an out-of-range sheet combines nothing */
    assert_int_equal(rating_combine_sheets(&s, ex, 0, &out, &e), -1);
    assert_string_equal(e.code, "bad_expert_count");
    ex[1].score[2] = 301;
    assert_int_equal(rating_combine_sheets(&s, ex, 3, &out, &e), -1);
    assert_string_equal(e.code, "score_above_max");
}

/* ---- the shipped schemes ---- */

static struct db *db;
static char path[256];

static int db_setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/tuoyu-test-rating-%d.db", (int)getpid());
    unlink(path);
    struct db_config cfg = {.kind = DB_SQLITE};
    snprintf(cfg.target, sizeof cfg.target, "%s", path);
    struct err e = {0};
    assert_int_equal(db_open(&cfg, &db, &e), 0);
    assert_true(db_migrate(db, &e) > 0);
    return 0;
}

static int db_teardown(void **state)
{
    (void)state;
    db_close(db);
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    return 0;
}

/* the shipped scheme code into s, with its description in *doc */
static void load_shipped(const char *code, struct rating_scheme *s, json_t **doc)
{
    struct err e = {0};
    int found;
    int64_t id = db_query_int(db, &e, &found, "SELECT id FROM rating_scheme WHERE district_code = '330304' AND code = ?",
                              "t", code);
    assert_int_equal(found, 1);
    assert_int_equal(rating_store_load(db, "330304", id, s, doc, &e), 0);
}

/* the index of the item code in the scheme's description */
static int item_index(json_t *doc, const char *code)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(doc, "items"), i, it) if (strcmp(json_string_value(json_object_get(it, "code")),
                                                                        code) == 0) return (int)i;
    fail_msg("no item %s", code);
    return -1;
}

/* every item at full points and every veto met */
static struct rating_sheet full_marks(const struct rating_scheme *s)
{
    struct rating_sheet x;
    for (int i = 0; i < RATING_MAX_ITEMS; i++)
        x.score[i] = i < s->nitems ? (s->items[i].kind == RATING_VETO ? RATING_MET : s->items[i].max_tenths)
                                   : RATING_UNSCORED;
    return x;
}

/* take tenths off the items in order until the total is down by that much */
static void take_off(const struct rating_scheme *s, struct rating_sheet *x, int tenths)
{
    for (int i = 0; i < s->nitems && tenths > 0; i++) {
        if (s->items[i].kind == RATING_VETO)
            continue;
        int cut = tenths < x->score[i] ? tenths : x->score[i];
        x->score[i] -= cut;
        tenths -= cut;
    }
}

static void test_shipped_national(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s;
    json_t *doc;
    load_shipped("wst821", &s, &doc);
    /* WS/T 821—2023: seven dimensions, 1,000 points; A–D, a failed baseline indicator gives D */
    assert_int_equal(s.ndimensions, 7);
    assert_int_equal(s.nlevels, 4);
    struct rating_result r;
    struct rating_sheet x = full_marks(&s);
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.max_tenths, 10000);
    assert_int_equal(r.total_tenths, 10000);
    assert_int_equal(r.level, 0);
    int dims[7] = {1000, 1400, 2000, 2100, 800, 2000, 700};
    for (int d = 0; d < 7; d++)
        assert_int_equal(r.dimension_tenths[d], dims[d]);
    take_off(&s, &x, 1000); /* 900.0: exactly A's line */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, 0);
    take_off(&s, &x, 1); /* 899.9 */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, 1);
    x = full_marks(&s);
    x.score[item_index(doc, "b9.4.3")] = RATING_NOT_MET; /* no CCTV: capped at D */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.points_level, 0);
    assert_int_equal(r.level, 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(doc, "levels"), 3), "code")),
                        "D");
    json_decref(doc);
}

static void test_shipped_ouhai(void **state)
{
    (void)state;
    struct err e = {0};
    struct rating_scheme s;
    json_t *doc;
    load_shipped("ouhai_star", &s, &doc);
    /* the seed's five dimensions, 100 points, five stars; a failed baseline item: no star */
    assert_int_equal(s.ndimensions, 5);
    assert_int_equal(s.nlevels, 5);
    assert_int_equal(s.veto_cap, s.nlevels);
    assert_int_equal(s.combine, RATING_TRIMMED_MEAN);
    struct rating_result r;
    struct rating_sheet ex[5];
    for (int k = 0; k < 5; k++) {
        ex[k] = full_marks(&s);
        take_off(&s, &ex[k], 100); /* each expert 90.0 */
    }
    take_off(&s, &ex[0], 300);     /* one expert far lower (60.0): trimmed away */
    struct rating_sheet combined;
    assert_int_equal(rating_combine_sheets(&s, ex, 5, &combined, &e), 0);
    assert_int_equal(rating_judge(&s, &combined, &r, &e), 0);
    assert_int_equal(r.total_tenths, 900);
    assert_int_equal(r.level, 0);  /* 五星 at exactly 90.0 */
    assert_int_equal(rating_combine_sheets(&s, ex, 4, &combined, &e), 0); /* four: plain mean */
    assert_int_equal(rating_judge(&s, &combined, &r, &e), 0);
    assert_int_equal(r.level, 1);
    struct rating_sheet x = full_marks(&s);
    x.score[item_index(doc, "v1")] = RATING_NOT_MET;
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.points_level, 0);
    assert_int_equal(r.level, RATING_NO_LEVEL);
    x = full_marks(&s);
    take_off(&s, &x, 401); /* 59.9: below 一星 */
    assert_int_equal(rating_judge(&s, &x, &r, &e), 0);
    assert_int_equal(r.level, RATING_NO_LEVEL);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scheme_check),     cmocka_unit_test(test_sheet_check),
        cmocka_unit_test(test_levels_and_ties),  cmocka_unit_test(test_veto_caps),
        cmocka_unit_test(test_combine),
        cmocka_unit_test_setup_teardown(test_shipped_national, db_setup, db_teardown),
        cmocka_unit_test_setup_teardown(test_shipped_ouhai, db_setup, db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
