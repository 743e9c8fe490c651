/* test_uscc.c — GB 32100-2015 unified social credit codes: known valid codes, the computed
 * check character, every single-character change caught, and each error code with its field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/uscc.h"

static void known_codes_are_valid(void **state)
{
    (void)state;
    const char *good[] = {"91350100M000100Y43", /* the GB 32100 example */
                          "91110108551385082Q", /* a published company code */
                          "12330304MB0000000P", "91330304MA2A00000N", NULL};
    for (int i = 0; good[i]; i++) {
        struct err e = {0};
        assert_int_equal(uscc_validate(good[i], &e), 0);
        assert_int_equal(uscc_check_char(good[i]), good[i][17]);
    }
}

static void check_char_is_computed(void **state)
{
    (void)state;
    assert_int_equal(uscc_check_char("91350100M000100Y4"), '3');
    assert_int_equal(uscc_check_char("91350100M000100Y4 ignored"), '3');
    assert_int_equal(uscc_check_char("9135010"), 0);     /* too short */
    assert_int_equal(uscc_check_char("91350100I000100Y4"), 0); /* I is not in the charset */
    assert_int_equal(uscc_check_char("91350100m000100Y4"), 0);
    assert_int_equal(uscc_check_char(NULL), 0);
    /* what the demo generator does: any 17-character body gets a code that validates */
    const char cs[] = USCC_CHARSET;
    char code[19];
    for (int i = 0; i < 31 * 31; i++) {
        snprintf(code, sizeof code, "9133030400000%c%c00", cs[i % 31], cs[i / 31]);
        code[17] = uscc_check_char(code);
        code[18] = 0;
        assert_int_equal(uscc_validate(code, NULL), 0);
    }
}

static void every_single_change_is_caught(void **state)
{
    (void)state;
    const char cs[] = USCC_CHARSET;
    char code[19];
    for (int pos = 0; pos < 18; pos++) {
        for (int k = 0; k < 31; k++) {
            memcpy(code, "91350100M000100Y43", 19);
            if (code[pos] == cs[k])
                continue;
            code[pos] = cs[k];
            struct err e = {0};
            assert_int_equal(uscc_validate(code, &e), -1);
            /* positions 3–8 must be digits; otherwise the check character catches it */
            if (pos >= 2 && pos <= 7 && (cs[k] < '0' || cs[k] > '9'))
                assert_string_equal(e.code, "uscc_chars");
            else
                assert_string_equal(e.code, "uscc_checksum");
            assert_string_equal(e.field, "uscc");
        }
    }
    /* adjacent transpositions of different characters are caught too */
    for (int pos = 0; pos < 17; pos++) {
        memcpy(code, "91110108551385082Q", 19);
        if (code[pos] == code[pos + 1])
            continue;
        char t = code[pos];
        code[pos] = code[pos + 1];
        code[pos + 1] = t;
        assert_int_equal(uscc_validate(code, NULL), -1);
    }
}

static void error_codes_and_messages(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(uscc_validate("91350100M000100Y44", &e), -1);
    assert_string_equal(e.code, "uscc_checksum");
    assert_int_equal(e.status, 422);
    assert_non_null(strstr(e.message, "统一社会信用代码校验位错误"));
    assert_non_null(strstr(e.message, "3"));

    assert_int_equal(uscc_validate("91350100M000100Y4", &e), -1);
    assert_string_equal(e.code, "uscc_length");
    assert_non_null(strstr(e.message, "17"));
    assert_int_equal(uscc_validate("91350100M000100Y433", &e), -1);
    assert_string_equal(e.code, "uscc_length");
    assert_int_equal(uscc_validate("统一社会信用代码", &e), -1);
    assert_string_equal(e.code, "uscc_length");
    assert_int_equal(uscc_validate("", &e), -1);
    assert_string_equal(e.code, "uscc_required");
    assert_int_equal(uscc_validate(NULL, &e), -1);
    assert_string_equal(e.code, "uscc_required");

    assert_int_equal(uscc_validate("91350100m000100y43", &e), -1);
    assert_string_equal(e.code, "uscc_chars");
    assert_non_null(strstr(e.message, "第9位"));
    assert_int_equal(uscc_validate("91350100O000100Y43", &e), -1); /* letter O, not zero */
    assert_string_equal(e.code, "uscc_chars");
    assert_int_equal(uscc_validate("91350100 000100Y43", &e), -1);
    assert_string_equal(e.code, "uscc_chars");
    assert_int_equal(uscc_validate("91A50100M000100Y43", &e), -1);
    assert_string_equal(e.code, "uscc_chars");
    assert_non_null(strstr(e.message, "行政区划"));
    char nul_inside[19] = "91350100M000100Y43";
    nul_inside[5] = '\x80';
    assert_int_equal(uscc_validate(nul_inside, &e), -1);
    assert_string_equal(e.code, "uscc_chars");
}

static void normalize(void **state)
{
    (void)state;
    char out[USCC_LEN + 1];
    assert_int_equal(uscc_normalize("  91350100m000100y43\t", out), 0);
    assert_string_equal(out, "91350100M000100Y43");
    assert_int_equal(uscc_validate(out, NULL), 0);
    assert_int_equal(uscc_normalize("91350100M000100Y431", out), -1);
    assert_string_equal(out, "");
    assert_int_equal(uscc_normalize("", out), 0);
    assert_string_equal(out, "");
    assert_int_equal(uscc_normalize(NULL, out), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_codes_are_valid),
        cmocka_unit_test(check_char_is_computed),
        cmocka_unit_test(every_single_change_is_caught),
        cmocka_unit_test(error_codes_and_messages),
        cmocka_unit_test(normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
