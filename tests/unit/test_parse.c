/* test_parse.c — copying text into a fixed buffer without cutting a UTF-8 character (a parameter's
 * basis, a JSON member): what does not fit is dropped whole characters at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "base/parse.h"

static void copies_whole_characters(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(parse_copy_text(out, sizeof out, "托育"), 0); /* 6 bytes + NUL fit */
    assert_string_equal(out, "托育");
    assert_int_equal(parse_copy_text(out, sizeof out, "托育服务"), 1); /* 12 bytes: the third character would be cut */
    assert_string_equal(out, "托育");
    assert_int_equal(parse_copy_text(out, sizeof out, "ab托育服务"), 1); /* 2 + 3 + 3 = 8 bytes do not fit with NUL */
    assert_string_equal(out, "ab托");
    assert_int_equal(parse_copy_text(out, sizeof out, "abcdefgh"), 1); /* ASCII is cut at the byte */
    assert_string_equal(out, "abcdefg");
    assert_int_equal(parse_copy_text(out, sizeof out, NULL), 0);
    assert_string_equal(out, "");
    char one[1];
    assert_int_equal(parse_copy_text(one, sizeof one, "托"), 1);
    assert_string_equal(one, "");
    char four[4];
    assert_int_equal(parse_copy_text(four, sizeof four, "托"), 0); /* exactly 3 bytes + NUL */
    assert_string_equal(four, "托");
    assert_int_equal(parse_copy_text(four, sizeof four, "😀"), 1); /* a 4-byte character never fits in 3 */
    assert_string_equal(four, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(copies_whole_characters)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
