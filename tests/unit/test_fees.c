/* test_fees.c — the fee catalogue's rules (fees.c): an item's category, service type and unit and
 * when they fit together, the full-day monthly fee families compare, the price guidance of 公办 and
 * 社会办普惠 institutions and an item outside it (bounds included), and the cost worksheet worked
 * out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fees/fees.h"

static struct fee_item item(const char *name, const char *category, const char *service, int64_t fen, const char *unit)
{
    struct fee_item f;
    memset(&f, 0, sizeof f);
    snprintf(f.item, sizeof f.item, "%s", name);
    snprintf(f.category, sizeof f.category, "%s", category);
    snprintf(f.service_type, sizeof f.service_type, "%s", service);
    f.amount_fen = fen;
    snprintf(f.unit, sizeof f.unit, "%s", unit);
    return f;
}

static void test_item_check(void **state)
{
    (void)state;
    struct err e = {0};
    /* a basic item without its type takes the one its unit can only mean */
    struct fee_item f = item("保育费", "basic", "", 200000, "月");
    assert_int_equal(fees_item_check(&f, "items[0]", &e), 0);
    assert_string_equal(f.service_type, "full_day");
    f = item("计时托", "basic", "", 4200, "小时");
    assert_int_equal(fees_item_check(&f, "items[0]", &e), 0);
    assert_string_equal(f.service_type, "hourly");
    f = item("临时托", "basic", "", 12000, "次");
    assert_int_equal(fees_item_check(&f, "items[0]", &e), 0);
    assert_string_equal(f.service_type, "temporary");
    f = item("半日托", "basic", "half_day", 120000, "月");
    assert_int_equal(fees_item_check(&f, "items[0]", &e), 0);
    f = item("伙食费", "other", "", 2000, "日");
    assert_int_equal(fees_item_check(&f, "items[0]", &e), 0);

    struct {
        struct fee_item f;
        const char *code, *field;
    } bad[] = {
        {item("保育费", "basic", "", 200000, "周"), "bad_fee_unit", "items[1].unit"},
        {item("保育费", "tuition", "", 200000, "月"), "bad_fee_category", "items[1].category"},
        {item("保育费", "basic", "", -1, "月"), "negative_fee", "items[1].amount_fen"},
        {item("伙食费", "other", "full_day", 2000, "日"), "service_type_on_other", "items[1].service_type"},
        {item("保育费", "basic", "", 600000, "学期"), "service_type_required", "items[1].service_type"},
        {item("保育费", "basic", "all_day", 200000, "月"), "bad_service_type", "items[1].service_type"},
        {item("计时托", "basic", "hourly", 4200, "月"), "unit_mismatch", "items[1].unit"},
        {item("全日托", "basic", "full_day", 9000, "日"), "unit_mismatch", "items[1].unit"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(fees_item_check(&bad[i].f, "items[1]", &e), -1);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.code, bad[i].code);
        assert_string_equal(e.field, bad[i].field);
    }
}

static void test_items_from_json(void **state)
{
    (void)state;
    struct fee_item out[4];
    struct err e = {0};
    json_t *a = json_loads("[{\"item\":\"保育费\",\"category\":\"basic\",\"amount_fen\":1,\"unit\":\"月\"},"
                           "{\"item\":\"保育费\",\"category\":\"basic\",\"amount_fen\":2,\"unit\":\"月\"}]",
                           0, NULL);
    assert_int_equal(fees_items_from_json(a, "items", out, 4, &e), -1);
    assert_string_equal(e.code, "duplicate_fee");
    assert_string_equal(e.field, "items[1].item");
    json_decref(a);
    a = json_loads("[{\"item\":\"保育费\",\"category\":\"basic\",\"amount_fen\":1,\"unit\":\"月\"},"
                   "{\"item\":\"保育费\",\"category\":\"basic\",\"amount_fen\":2,\"unit\":\"小时\"}]",
                   0, NULL);
    memset(&e, 0, sizeof e);
    assert_int_equal(fees_items_from_json(a, "items", out, 4, &e), 2);
    assert_string_equal(out[1].service_type, "hourly");
    json_decref(a);
}

static void test_monthly_full_day(void **state)
{
    (void)state;
    struct fee_item list[] = {
        item("半日托", "basic", "half_day", 150000, "月"), /* cheaper, but not full day */
        item("计时托", "basic", "hourly", 4200, "小时"),   /* an hourly price is no monthly fee */
        item("全日托（托大班）", "basic", "full_day", 480000, "月"),
        item("全日托（托小班）", "basic", "full_day", 520000, "月"),
        item("伙食费", "other", "", 100, "月"),
    };
    assert_int_equal(fees_monthly_full_day(list, 5), 480000);
    assert_int_equal(fees_monthly_full_day(list, 2), -1);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct param_value *)a)->key, ((const struct param_value *)b)->key);
}

static struct params *guidance_params(void)
{
    static const struct {
        const char *key;
        double value;
    } rows[] = {
        {"fees.guided.full_day_fen", 200000},        {"fees.guided.half_day_fen", 120000},
        {"fees.guided.hourly_fen", 3000},            {"fees.guided.temporary_fen", 12000},
        {"fees.guided.float_pct", 10},               {"fees.reference.full_day_min_fen", 150000},
        {"fees.reference.full_day_max_fen", 350000}, {"fees.reference.half_day_min_fen", 90000},
        {"fees.reference.half_day_max_fen", 210000}, {"fees.reference.hourly_min_fen", 2000},
        {"fees.reference.hourly_max_fen", 6000},     {"fees.reference.temporary_min_fen", 8000},
        {"fees.reference.temporary_max_fen", 20000},
    };
    struct params *p = calloc(1, sizeof *p);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        snprintf(p->items[i].key, sizeof p->items[i].key, "%s", rows[i].key);
        snprintf(p->items[i].value, sizeof p->items[i].value, "%g", rows[i].value);
        snprintf(p->items[i].basis, sizeof p->items[i].basis, "发改价格〔2024〕1477号");
        p->items[i].number = rows[i].value;
    }
    p->count = (int)(sizeof rows / sizeof *rows);
    qsort(p->items, (size_t)p->count, sizeof *p->items, by_key);
    return p;
}

static void test_guidance(void **state)
{
    (void)state;
    struct params *p = guidance_params();
    struct fee_guidance g;
    struct err e = {0};
    char msg[256];
    /* 公办: benchmark ± 10 %, the bounds themselves within */
    assert_int_equal(fees_guidance(p, "public", 1, &g, &e), 0);
    assert_int_equal(g.kind, FEE_GUIDE_GUIDED);
    assert_int_equal(g.min_fen[FEE_SVC_FULL_DAY], 180000);
    assert_int_equal(g.max_fen[FEE_SVC_FULL_DAY], 220000);
    struct fee_item f = item("全日托", "basic", "full_day", 220000, "月");
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 0);
    f.amount_fen = 180000;
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 0);
    f.amount_fen = 179999;
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "低于政府指导价"));
    f.amount_fen = 230000;
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "高于政府指导价允许范围 1800.00–2200.00 元"));
    /* hourly by the hour; a per-visit temporary price and boarding have no band */
    f = item("计时托", "basic", "hourly", 3400, "小时");
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 1);
    f = item("临时托", "basic", "temporary", 99900, "次");
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 0);
    f = item("住宿费", "basic", "boarding", 99900, "月");
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 0);
    f = item("伙食费", "other", "", 99900, "月");
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 0);
    /* 社会办普惠: the reference range */
    assert_int_equal(fees_guidance(p, "private", 1, &g, &e), 0);
    assert_int_equal(g.kind, FEE_GUIDE_REFERENCE);
    f = item("全日托", "basic", "full_day", 350000, "月");
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 0);
    f.amount_fen = 350100;
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "社会办普惠参考区间 1500.00–3500.00 元"));
    /* a private institution that is not inclusive: market price, nothing outside */
    assert_int_equal(fees_guidance(p, "private", 0, &g, &e), 0);
    assert_int_equal(g.kind, FEE_GUIDE_MARKET);
    f.amount_fen = 9000000;
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 0);
    /* a missing figure is an error, not a silent zero band */
    p->count = 3;
    assert_int_equal(fees_guidance(p, "public", 1, &g, &e), -1);
    assert_string_equal(e.code, "param_missing");
    /* a day before any guidance is in force: none, and nothing is outside it */
    p->count = 0;
    assert_int_equal(fees_guidance(p, "public", 1, &g, &e), 0);
    assert_int_equal(g.kind, FEE_GUIDE_NONE);
    f = item("全日托", "basic", "full_day", 9000000, "月");
    assert_int_equal(fees_outside_band(&f, &g, msg, sizeof msg), 0);
    free(p);
}

static void test_worksheet(void **state)
{
    (void)state;
    /* by hand: costs 1,200,000 + 300,000 + 60,000 + 40,000 + 50,000 + 30,000 = 1,680,000 元, less
     * 280,000 of government support = 1,400,000 元 over 60 children × 12 months = 720 child-months:
     * 1,944.44 元 a child-month; plus 5 % = 2,041.67 → 2,042 元; food 180,000 / 720 = 250 元;
     * 2,042 over a month of 75,448 元 a year (6,287.33) = 32.48 % */
    json_t *body = json_loads("{\"staff_fen\":120000000,\"rent_fen\":30000000,\"utilities_fen\":6000000,"
                              "\"materials_fen\":4000000,\"depreciation_fen\":5000000,\"other_fen\":3000000,"
                              "\"food_fen\":18000000,\"subsidy_fen\":28000000,\"places\":80,\"avg_enrolled\":60,"
                              "\"months\":12,\"note\":\"2026 年度\"}",
                              0, NULL);
    struct fee_worksheet w;
    struct fee_worksheet_result r;
    struct err e = {0};
    assert_int_equal(fees_worksheet_from_json(body, 2026, &w, &e), 0);
    fees_worksheet_compute(&w, 5, 7544800, &r);
    assert_int_equal(r.care_cost_fen, 140000000);
    assert_int_equal(r.child_months, 720);
    assert_float_equal(r.occupancy_pct, 75.0, 1e-9);
    assert_int_equal(r.cost_per_child_month_fen, 194444);
    assert_int_equal(r.suggested_fee_fen, 204200);
    assert_int_equal(r.food_per_child_month_fen, 25000);
    assert_float_equal(r.income_share_pct, 32.478, 0.001);
    /* support above the costs leaves nothing to charge, not a negative price */
    w.subsidy_fen = 999999999;
    fees_worksheet_compute(&w, 0, 7544800, &r);
    assert_int_equal(r.care_cost_fen, 0);
    assert_int_equal(r.suggested_fee_fen, 0);
    /* refusals */
    json_object_set_new(body, "avg_enrolled", json_integer(81));
    assert_int_equal(fees_worksheet_from_json(body, 2026, &w, &e), -1);
    assert_string_equal(e.code, "bad_avg_enrolled");
    json_object_set_new(body, "avg_enrolled", json_integer(60));
    json_object_set_new(body, "months", json_integer(13));
    assert_int_equal(fees_worksheet_from_json(body, 2026, &w, &e), -1);
    assert_string_equal(e.code, "bad_months");
    json_object_set_new(body, "months", json_integer(12));
    json_object_set_new(body, "rent_fen", json_integer(-5));
    assert_int_equal(fees_worksheet_from_json(body, 2026, &w, &e), -1);
    assert_string_equal(e.code, "negative_amount");
    assert_string_equal(e.field, "rent_fen");
    json_decref(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_item_check),      cmocka_unit_test(test_items_from_json),
        cmocka_unit_test(test_monthly_full_day), cmocka_unit_test(test_guidance),
        cmocka_unit_test(test_worksheet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
