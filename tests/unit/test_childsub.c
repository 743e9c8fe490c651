/* test_childsub.c — 育儿补贴 applications, the pure part (src/funds/childsub.c): the Luhn check on
 * known card numbers and which accounts it applies to, the account and certificate masks, the
 * application body's checks (certificate format, relation, account digits and length, a 银联 card
 * with a wrong check digit), the town's decision (four eyes: nobody decides their own; a
 * rejection names why; a decided one is not decided again), and a year's explanation month by
 * month across a rate change, each month at the version in force with its basis. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "funds/childsub.h"

static void test_luhn(void **state)
{
    (void)state;
    assert_true(childsub_luhn("79927398713"));        /* the textbook example */
    assert_false(childsub_luhn("79927398710"));
    assert_true(childsub_luhn("6222021234567890128")); /* 19 digits, check digit 8 */
    assert_false(childsub_luhn("6222021234567890127"));
    assert_false(childsub_luhn("62a2"));
    assert_true(childsub_is_card("6222021234567890128"));
    assert_true(childsub_is_card("6222021234567894"));
    assert_false(childsub_is_card("622202123456789"));        /* 15 digits: no card */
    assert_false(childsub_is_card("33030401234567890123"));   /* a passbook account */
    assert_false(childsub_is_card("4222021234567890127"));
}

static void test_masks(void **state)
{
    (void)state;
    char a[40], c[16];
    childsub_mask_account("6222021234567890128", a);
    assert_string_equal(a, "6222 **** **** 0128");
    childsub_mask_account("330304012345", a);
    assert_string_equal(a, "3303 **** **** 2345");
    childsub_mask_cert("O440012345", c);
    assert_string_equal(c, "O*******45");
}

static int parse(const char *json, struct childsub_in *in, struct err *e)
{
    json_t *b = json_loads(json, 0, NULL);
    assert_non_null(b);
    int rc = childsub_from_json(b, in, e);
    json_decref(b);
    return rc;
}

static void test_body(void **state)
{
    (void)state;
    struct childsub_in in;
    struct err e = {0};
    assert_int_equal(parse("{\"birth_cert_no\":\"o440012345\",\"relation\":\"mother\",\"bank_name\":\"工行\","
                           "\"bank_account\":\"6222 0212 3456 7890 128\"}",
                           &in, &e),
                     0);
    assert_string_equal(in.cert, "O440012345");
    assert_string_equal(in.account, "6222021234567890128");
    assert_string_equal(in.account_masked, "6222 **** **** 0128");
    static const struct {
        const char *json, *field, *code;
    } BAD[] = {
        {"{\"birth_cert_no\":\"O44001234\",\"relation\":\"mother\",\"bank_name\":\"x\",\"bank_account\":\"330304012345\"}",
         "birth_cert_no", "birth_cert_format"},
        {"{\"birth_cert_no\":\"O440012345\",\"relation\":\"aunt\",\"bank_name\":\"x\",\"bank_account\":\"330304012345\"}",
         "relation", "bad_relation"},
        {"{\"birth_cert_no\":\"O440012345\",\"relation\":\"father\",\"bank_name\":\"\",\"bank_account\":\"330304012345\"}",
         "bank_name", "bank_name_required"},
        {"{\"birth_cert_no\":\"O440012345\",\"relation\":\"father\",\"bank_name\":\"x\",\"bank_account\":\"3303-04012345\"}",
         "bank_account", "account_digits"},
        {"{\"birth_cert_no\":\"O440012345\",\"relation\":\"father\",\"bank_name\":\"x\",\"bank_account\":\"33030401234\"}",
         "bank_account", "account_length"},
        {"{\"birth_cert_no\":\"O440012345\",\"relation\":\"father\",\"bank_name\":\"x\",\"bank_account\":"
         "\"1234567890123456789012345678901\"}",
         "bank_account", "account_length"},
        {"{\"birth_cert_no\":\"O440012345\",\"relation\":\"father\",\"bank_name\":\"x\",\"bank_account\":"
         "\"6222021234567890127\"}",
         "bank_account", "account_luhn"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        e = (struct err){0};
        assert_int_equal(parse(BAD[i].json, &in, &e), -1);
        assert_string_equal(e.field, BAD[i].field);
        assert_string_equal(e.code, BAD[i].code);
        assert_int_equal(e.status, 422);
    }
}

static void test_decide(void **state)
{
    (void)state;
    const char *to = NULL;
    struct err e = {0};
    assert_int_equal(childsub_decide("submitted", 7, 9, "approve", NULL, &to, &e), 0);
    assert_string_equal(to, "approved");
    assert_int_equal(childsub_decide("submitted", 7, 9, "reject", "不符", &to, &e), 0);
    assert_string_equal(to, "rejected");
    assert_int_equal(childsub_decide("submitted", 7, 7, "approve", NULL, &to, &e), -1);
    assert_string_equal(e.code, "own_application");
    assert_int_equal(e.status, 403);
    assert_int_equal(childsub_decide("submitted", 7, 9, "reject", NULL, &to, &e), -1);
    assert_string_equal(e.code, "reason_required");
    assert_int_equal(childsub_decide("approved", 7, 9, "approve", NULL, &to, &e), -1);
    assert_string_equal(e.code, "not_submitted");
    assert_int_equal(childsub_decide("submitted", 7, 9, "maybe", NULL, &to, &e), -1);
    assert_string_equal(e.code, "bad_decision");
}

static void test_explain(void **state)
{
    (void)state;
    struct funds_childcare_rules r = {0};
    r.nrates = 2;
    r.rates[0] = (struct funds_rate){funds_month_of(2025, 1), funds_month_of(2026, 6), 30000, "2025-01-01", "国家"};
    r.rates[1] = (struct funds_rate){funds_month_of(2026, 7), funds_month_of(9999, 12), 40000, "2026-07-01", "省"};
    r.max_age_months = 36;
    struct funds_childcare c;
    struct err e = {0};
    assert_int_equal(funds_childcare_compute(&r, "2025-06-15", "", "2026-12-04", 2026, &c, &e), 0);
    json_t *x = childsub_explain_year(&r, &c, funds_month_of(2025, 6), 2026);
    json_t *months = json_object_get(x, "months");
    assert_int_equal(json_array_size(months), 12);
    assert_int_equal(json_integer_value(json_object_get(x, "amount_fen")), 6 * 30000 + 6 * 40000);
    json_t *june = json_array_get(months, 5), *july = json_array_get(months, 6);
    assert_string_equal(json_string_value(json_object_get(june, "month")), "2026-06");
    assert_int_equal(json_integer_value(json_object_get(june, "amount_fen")), 30000);
    assert_string_equal(json_string_value(json_object_get(june, "valid_from")), "2025-01-01");
    assert_string_equal(json_string_value(json_object_get(july, "month")), "2026-07");
    assert_int_equal(json_integer_value(json_object_get(july, "amount_fen")), 40000);
    assert_string_equal(json_string_value(json_object_get(july, "basis")), "省");
    assert_string_equal(json_string_value(json_object_get(json_object_get(x, "inputs"), "first_month")), "2025-06");
    json_decref(x);
    /* all years: 36 months */
    assert_int_equal(funds_childcare_compute(&r, "2025-06-15", "", "2026-12-04", 0, &c, &e), 0);
    json_t *all = childsub_months(&r, &c, 0);
    assert_int_equal(json_array_size(all), 36);
    json_decref(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_luhn),   cmocka_unit_test(test_masks),   cmocka_unit_test(test_body),
        cmocka_unit_test(test_decide), cmocka_unit_test(test_explain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
