/* test_token.c — session and CSRF tokens: 256 random bits in 43 base64url characters, unique,
 * their SHA-256 (checked against a published vector), and the constant-time equality. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "auth/token.h"

static void tokens_are_long_random_base64url(void **state)
{
    (void)state;
    char seen[64][TOKEN_TEXT_LEN];
    for (int i = 0; i < 64; i++) {
        token_new(seen[i]);
        assert_int_equal(strlen(seen[i]), 43);
        assert_true(token_is_well_formed(seen[i]));
        for (const char *p = seen[i]; *p; p++)
            assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
        for (int j = 0; j < i; j++)
            assert_string_not_equal(seen[i], seen[j]);
    }
    assert_false(token_is_well_formed(NULL));
    assert_false(token_is_well_formed(""));
    assert_false(token_is_well_formed("abc"));
    char t[64];
    memcpy(t, seen[0], TOKEN_TEXT_LEN);
    t[5] = '+';
    assert_false(token_is_well_formed(t));
    memcpy(t, seen[0], TOKEN_TEXT_LEN);
    strcat(t, "A");
    assert_false(token_is_well_formed(t));
}

static void hash_is_sha256_hex(void **state)
{
    (void)state;
    char h[TOKEN_HASH_LEN];
    token_hash("abc", h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); /* FIPS 180-2 */
    token_hash("", h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    char again[TOKEN_HASH_LEN];
    token_hash(NULL, again);
    assert_string_equal(h, again);
}

static void equality(void **state)
{
    (void)state;
    assert_true(token_equal("abc", "abc"));
    assert_true(token_equal("", ""));
    assert_false(token_equal("abc", "abd"));
    assert_false(token_equal("abc", "abcd"));
    assert_false(token_equal("abcd", "abc"));
    assert_false(token_equal(NULL, "abc"));
    assert_false(token_equal("abc", NULL));
    assert_false(token_equal(NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tokens_are_long_random_base64url),
        cmocka_unit_test(hash_is_sha256_hex),
        cmocka_unit_test(equality),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
