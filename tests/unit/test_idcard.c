/* test_idcard.c — GB 11643-1999 identity numbers (check character, birth date that exists and
 * is not in the future, province code, lowercase x, extracted birth date and sex) and birth
 * medical certificate numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "base/idcard.h"

#define TODAY "2026-03-01"

static void expect_code(const char *number, const char *today, const char *code)
{
    struct err e = {0};
    struct idcard_info info;
    assert_int_equal(idcard_validate(number, today, &info, &e), -1);
    assert_string_equal(e.code, code);
    assert_string_equal(e.field, "id_number");
    assert_int_equal(e.status, 422);
    assert_true(strlen(e.message) > 0);
}

static void standard_vector(void **state)
{
    (void)state;
    struct err e = {0};
    struct idcard_info info;
    assert_int_equal(idcard_validate("11010519491231002X", TODAY, &info, &e), 0);
    assert_string_equal(info.number, "11010519491231002X");
    assert_string_equal(info.region, "110105");
    assert_string_equal(info.birth_date, "1949-12-31");
    assert_int_equal(info.sex, IDCARD_FEMALE); /* sequence 002: even */
    assert_int_equal(idcard_check_char("11010519491231002"), 'X');
}

static void lowercase_x_and_spaces_are_normalised(void **state)
{
    (void)state;
    struct idcard_info info;
    assert_int_equal(idcard_validate(" 11010519491231002x\n", TODAY, &info, NULL), 0);
    assert_string_equal(info.number, "11010519491231002X");
}

static void more_valid_numbers(void **state)
{
    (void)state;
    struct idcard_info info;
    assert_int_equal(idcard_validate("330304202002290026", TODAY, &info, NULL), 0); /* leap day */
    assert_string_equal(info.birth_date, "2020-02-29");
    assert_int_equal(info.sex, IDCARD_FEMALE);
    assert_int_equal(idcard_validate("330304202001150013", TODAY, &info, NULL), 0);
    assert_int_equal(info.sex, IDCARD_MALE);
    assert_int_equal(idcard_validate("440304202312311238", TODAY, &info, NULL), 0);
    assert_int_equal(idcard_validate("810000190001010018", TODAY, &info, NULL), 0); /* HK resident permit */
    /* born today is fine, tomorrow is not */
    assert_int_equal(idcard_validate("330304202603010018", TODAY, &info, NULL), 0);
    expect_code("330304202603020013", TODAY, "id_birth_date");
    /* without today the future check is skipped */
    assert_int_equal(idcard_validate("330304202603020013", NULL, &info, NULL), 0);
    assert_int_equal(idcard_check_char("33030420260302001"), '3');
}

static void every_single_digit_change_is_caught(void **state)
{
    (void)state;
    char n[19];
    for (int pos = 0; pos < 18; pos++) {
        for (char d = '0'; d <= '9'; d++) {
            memcpy(n, "330304202001150013", 19);
            if (n[pos] == d)
                continue;
            n[pos] = d;
            struct err e = {0};
            assert_int_equal(idcard_validate(n, TODAY, NULL, &e), -1);
        }
    }
}

static void errors(void **state)
{
    (void)state;
    expect_code("11010519491231002", TODAY, "id_length");
    expect_code("11010519491231002XX", TODAY, "id_length");
    expect_code("110105491231002", TODAY, "id_length"); /* first-generation 15 digits */
    expect_code("", TODAY, "id_required");
    expect_code("   ", TODAY, "id_required");
    expect_code(NULL, TODAY, "id_required");
    expect_code("1101051949123100XX", TODAY, "id_chars");
    expect_code("11010519491231002Y", TODAY, "id_chars");
    expect_code("1101051949123１002", TODAY, "id_length"); /* a full-width digit is 3 bytes */
    expect_code("110105194912310 2X", TODAY, "id_chars");
    expect_code("990105194912310025", TODAY, "id_region");
    expect_code("000000194912310025", TODAY, "id_region");
    expect_code("110105194902300021", TODAY, "id_birth_date"); /* 02-30 */
    expect_code("110105202302290021", TODAY, "id_birth_date"); /* 2023 is not a leap year */
    expect_code("110105189912310021", TODAY, "id_birth_date"); /* before 1900 */
    expect_code("110105194913310021", TODAY, "id_birth_date");
    expect_code("110105194912310021", TODAY, "id_checksum");
    expect_code("110105194912310020", TODAY, "id_checksum");

    struct err e = {0};
    assert_int_equal(idcard_validate("110105194912310025", TODAY, NULL, &e), -1);
    assert_non_null(strstr(e.message, "校验位错误"));
    assert_int_equal(idcard_validate("11010519491231002X", "2026-02-30", NULL, &e), -1);
    assert_string_equal(e.code, "bad_today");
    assert_int_equal(idcard_validate("110105202302290021", TODAY, NULL, &e), -1);
    assert_non_null(strstr(e.message, "20230229"));
}

static void birth_certificates(void **state)
{
    (void)state;
    char out[11];
    struct err e = {0};
    assert_int_equal(idcard_birth_cert_validate("O440012345", out, &e), 0);
    assert_string_equal(out, "O440012345");
    assert_int_equal(idcard_birth_cert_validate(" p330012345 ", out, &e), 0);
    assert_string_equal(out, "P330012345");
    const char *bad[] = {"O44001234", "O4400123456", "0440012345", "OO40012345", "O44001234X", "Ｏ440012345",
                         "O44 012345", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(idcard_birth_cert_validate(bad[i], out, &e), -1);
        assert_string_equal(e.code, "birth_cert_format");
        assert_string_equal(e.field, "birth_cert_no");
        assert_string_equal(out, "");
    }
    assert_int_equal(idcard_birth_cert_validate("", out, &e), -1);
    assert_string_equal(e.code, "birth_cert_required");
    assert_int_equal(idcard_birth_cert_validate(NULL, NULL, &e), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standard_vector),
        cmocka_unit_test(lowercase_x_and_spaces_are_normalised),
        cmocka_unit_test(more_valid_numbers),
        cmocka_unit_test(every_single_digit_change_is_caught),
        cmocka_unit_test(errors),
        cmocka_unit_test(birth_certificates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
