/* test_password.c — Argon2id hashes (right algorithm and minimum cost in the PHC string,
 * salted, verify accepts only the right password, rehash when the cost changes), the dummy
 * hash for unknown accounts, and the password policy with its Chinese messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "auth/password.h"

static void hash_and_verify(void **state)
{
    (void)state;
    char h1[PASSWORD_HASH_LEN], h2[PASSWORD_HASH_LEN];
    struct err e = {0};
    assert_int_equal(password_hash("Ouhai-demo-2023", h1, sizeof h1, &e), 0);
    assert_int_equal(password_hash("Ouhai-demo-2023", h2, sizeof h2, &e), 0);
    assert_memory_equal(h1, "$argon2id$v=19$m=19456,t=2,p=1$", 31);
    assert_string_not_equal(h1, h2); /* random salt */
    assert_int_equal(password_verify(h1, "Ouhai-demo-2023"), 0);
    assert_int_equal(password_verify(h2, "Ouhai-demo-2023"), 0);
    assert_int_equal(password_verify(h1, "ouhai-demo-2023"), -1);
    assert_int_equal(password_verify(h1, "Ouhai-demo-202"), -1);
    assert_int_equal(password_verify(h1, ""), -1);
    assert_int_equal(password_verify(h1, NULL), -1);
    assert_int_equal(password_verify(NULL, "x"), -1);
    assert_int_equal(password_verify("", "x"), -1);
    assert_int_equal(password_verify("$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "x"), -1);
    assert_int_equal(password_verify("plaintext", "plaintext"), -1);
    /* a changed character in the hash breaks it */
    h1[strlen(h1) - 3] ^= 1;
    assert_int_equal(password_verify(h1, "Ouhai-demo-2023"), -1);
    /* buffer too small */
    assert_int_equal(password_hash("Ouhai-demo-2023", h2, 16, &e), -1);
    assert_string_equal(e.code, "password_hash");
}

static void cost_and_rehash(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_LEN];
    struct err e = {0};
    struct password_cost low = {1, 8 * 1024 * 1024}; /* below the minimum: raised */
    assert_int_equal(password_hash_cost("Ouhai-demo-2023", &low, h, sizeof h, &e), 0);
    assert_memory_equal(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31);
    assert_int_equal(password_needs_rehash(h, NULL), 0);
    struct password_cost high = {3, 32u * 1024 * 1024};
    assert_int_equal(password_needs_rehash(h, &high), 1);
    assert_int_equal(password_hash_cost("Ouhai-demo-2023", &high, h, sizeof h, &e), 0);
    assert_memory_equal(h, "$argon2id$v=19$m=32768,t=3,p=1$", 31);
    assert_int_equal(password_verify(h, "Ouhai-demo-2023"), 0);
    assert_int_equal(password_needs_rehash(h, &high), 0);
    assert_int_equal(password_needs_rehash(h, NULL), 1);
    assert_int_equal(password_needs_rehash("$2y$10$bcrypt", NULL), 1);
    assert_int_equal(password_needs_rehash(NULL, NULL), 1);
}

static void dummy_hash(void **state)
{
    (void)state;
    const char *d = password_dummy_hash();
    assert_memory_equal(d, "$argon2id$v=19$m=19456,t=2,p=1$", 31);
    assert_int_equal(password_needs_rehash(d, NULL), 0); /* same cost as real hashes: same time */
    assert_int_equal(password_verify(d, "Ouhai-demo-2023"), -1);
    assert_int_equal(password_verify(d, ""), -1);
}

static void expect_policy_login(const char *pw, const char *login, int min, const char *code)
{
    struct err e = {0};
    assert_int_equal(password_policy_check(pw, login, min, &e), -1);
    assert_string_equal(e.code, code);
    assert_string_equal(e.field, "password");
    assert_int_equal(e.status, 422);
}

static void expect_policy(const char *pw, int min, const char *code)
{
    expect_policy_login(pw, NULL, min, code);
}

static void policy(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(password_policy_check("Ouhai-demo-2023", NULL, 10, &e), 0);
    assert_int_equal(password_policy_check("ouhaidemo2023", NULL, 10, &e), 0);
    assert_int_equal(password_policy_check("瓯海托育服务平台2023", NULL, 10, &e), 0);
    expect_policy("瓯海托育服务平台管理员", 10, "password_too_simple"); /* non-ASCII counts as "other" */
    expect_policy("Ouhai-2023", 12, "password_too_short");
    assert_int_equal(password_policy_check("Ouhai-202", NULL, 10, &e), -1);
    assert_non_null(strstr(e.message, "至少需要10个字符"));
    expect_policy("瓯海托育2023", 10, "password_too_short"); /* 8 characters though 16 bytes */
    expect_policy("abcdefghijkl", 10, "password_too_simple");
    expect_policy("123456789012", 10, "password_too_simple");
    expect_policy("ABCDEFGHIJKL", 10, "password_too_simple");
    expect_policy("!!!!!!!!!!!!", 10, "password_too_simple");
    assert_int_equal(password_policy_check("abcdefghijkl", NULL, 10, &e), -1);
    assert_non_null(strstr(e.message, "至少两类"));
    expect_policy("Password123", 10, "password_common");
    expect_policy("1qaz2wsx3edc", 10, "password_common");
    expect_policy("", 10, "password_required");
    expect_policy(NULL, 10, "password_required");
    expect_policy("Ouhai\tdemo-2023", 10, "password_chars");
    char longpw[300];
    memset(longpw, 'a', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = 0;
    longpw[0] = 'A';
    expect_policy(longpw, 10, "password_too_long");
    assert_int_equal(password_policy_check("a1", NULL, 0, &e), 0); /* min below 1 counts as 1 */
}

/* not containing the login, ignoring case; the shipped list of data/common-passwords/ */
static void policy_login_and_list(void **state)
{
    (void)state;
    struct err e = {0};
    expect_policy_login("Zhang-San-2026", "zhang-san", 10, "password_contains_login");
    expect_policy_login("2026ZHANG-SANx", "zhang-san", 10, "password_contains_login");
    assert_int_equal(password_policy_check("Zhang-Pass-2026", "zhang-san", 10, &e), 0);
    assert_int_equal(password_policy_check("Ouhai-demo-2023", "", 10, &e), 0);
    /* from the SecLists top 10,000 (not in the old built-in list) and from the local additions */
    expect_policy("q1w2e3r4t5y6", 10, "password_common");
    expect_policy("Q1W2E3R4T5Y6", 10, "password_common");
    expect_policy("123qweasdzxc", 10, "password_common");
    expect_policy("Woaini5201314", 10, "password_common");
    assert_int_equal(password_is_common("123456"), 1);
    assert_int_equal(password_is_common("PASSWORD"), 1);
    assert_int_equal(password_is_common("Ouhai-demo-2023"), 0);
    assert_int_equal(password_is_common(""), 0);
    /* the table is sorted and unique, as the binary search needs */
    assert_true(password_common_count > 9900); /* 10,062 entries, some equal ignoring case */
    for (size_t i = 1; i < password_common_count; i++)
        assert_true(strcmp(password_common_list[i - 1], password_common_list[i]) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hash_and_verify),
        cmocka_unit_test(cost_and_rehash),
        cmocka_unit_test(dummy_hash),
        cmocka_unit_test(policy),
        cmocka_unit_test(policy_login_and_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
