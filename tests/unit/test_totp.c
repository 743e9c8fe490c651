/* test_totp.c — SHA-1 (RFC 3174 vectors), HMAC-SHA-1 (RFC 2202 vectors), HOTP (RFC 4226
 * Appendix D), TOTP (RFC 6238 Appendix B, SHA-1), the ±1 step window and the returned step
 * used for replay protection, base32 (RFC 4648 §10 vectors) and the otpauth URI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth/sha1.h"
#include "auth/totp.h"

static void hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static void sha1_vectors(void **state)
{
    (void)state;
    uint8_t d[SHA1_DIGEST_LEN];
    char h[41];
    sha1_digest("abc", 3, d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *t2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha1_digest(t2, strlen(t2), d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    sha1_digest("", 0, d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    /* one million 'a', fed in uneven pieces */
    struct sha1_ctx c;
    char a[1000];
    memset(a, 'a', sizeof a);
    sha1_init(&c);
    size_t left = 1000000, piece = 1;
    while (left) {
        size_t n = piece < left ? piece : left;
        sha1_update(&c, a, n);
        left -= n;
        piece = piece % 987 + 13; /* 13..999, never past the buffer */
    }
    sha1_final(&c, d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    /* RFC 3174 test 4: "01234567" × 80 */
    sha1_init(&c);
    for (int i = 0; i < 80; i++)
        sha1_update(&c, "01234567", 8);
    sha1_final(&c, d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "dea356a2cddd90c7a7ecedc5ebb563934f460452");
    /* lengths around the padding boundary (55, 56, 64 bytes) */
    sha1_digest(a, 55, d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "c1c8bbdc22796e28c0e15163d20899b65621d65a");
    sha1_digest(a, 56, d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "c2db330f6083854c99d4b5bfb6e8f29f201be699");
    sha1_digest(a, 64, d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

static void hmac_sha1_vectors(void **state)
{
    (void)state;
    uint8_t d[SHA1_DIGEST_LEN], key[80], data[50];
    char h[41];
    memset(key, 0x0b, 20);
    sha1_hmac(key, 20, "Hi There", 8, d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "b617318655057264e28bc0b6fb378c8ef146be00");
    sha1_hmac("Jefe", 4, "what do ya want for nothing?", 28, d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    memset(key, 0xaa, 20);
    memset(data, 0xdd, 50);
    sha1_hmac(key, 20, data, 50, d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
    memset(key, 0xaa, 80);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    sha1_hmac(key, 80, m6, strlen(m6), d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "aa4ae5e15272d00e95705637ce8a3b55ed402112");
    const char *m7 = "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data";
    sha1_hmac(key, 80, m7, strlen(m7), d);
    hex(d, sizeof d, h);
    assert_string_equal(h, "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

static const uint8_t *RFC_KEY = (const uint8_t *)"12345678901234567890";

static void hotp_vectors(void **state)
{
    (void)state;
    static const char *want[10] = {"755224", "287082", "359152", "969429", "338314",
                                   "254676", "287922", "162583", "399871", "520489"};
    char out[16];
    for (int i = 0; i < 10; i++) {
        assert_int_equal(totp_hotp(RFC_KEY, 20, (uint64_t)i, 6, out, sizeof out), 0);
        assert_string_equal(out, want[i]);
    }
    assert_int_equal(totp_hotp(RFC_KEY, 20, 0, 5, out, sizeof out), -1);
    assert_int_equal(totp_hotp(RFC_KEY, 20, 0, 10, out, sizeof out), -1);
    assert_int_equal(totp_hotp(RFC_KEY, 20, 0, 6, out, 6), -1);
}

static void totp_rfc6238_vectors(void **state)
{
    (void)state;
    static const int64_t times[6] = {59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000LL};
    static const char *want[6] = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
    char out[16];
    for (int i = 0; i < 6; i++) {
        int64_t step = totp_step(times[i], 30);
        assert_int_equal(totp_hotp(RFC_KEY, 20, (uint64_t)step, 8, out, sizeof out), 0);
        assert_string_equal(out, want[i]);
        int64_t matched = -1;
        assert_int_equal(totp_verify_params(RFC_KEY, 20, want[i], times[i], 30, 8, 1, &matched), 0);
        assert_int_equal(matched, step);
    }
    assert_int_equal(totp_step(-1, 30), -1);
    assert_int_equal(totp_step(59, 0), -1);
}

static void window_and_replay_step(void **state)
{
    (void)state;
    char code[8];
    int64_t now = 1111111109, step = totp_step(now, 30), matched = -1;
    /* the code of the previous, current and next step is accepted, and its step returned */
    for (int d = -1; d <= 1; d++) {
        totp_hotp(RFC_KEY, 20, (uint64_t)(step + d), 6, code, sizeof code);
        assert_int_equal(totp_verify(RFC_KEY, 20, code, now, &matched), 0);
        assert_int_equal(matched, step + d);
    }
    /* two steps away is refused */
    totp_hotp(RFC_KEY, 20, (uint64_t)(step - 2), 6, code, sizeof code);
    assert_int_equal(totp_verify(RFC_KEY, 20, code, now, &matched), -1);
    totp_hotp(RFC_KEY, 20, (uint64_t)(step + 2), 6, code, sizeof code);
    assert_int_equal(totp_verify(RFC_KEY, 20, code, now, &matched), -1);
    /* the caller refuses a step not above the last used one: same code, same step */
    totp_hotp(RFC_KEY, 20, (uint64_t)step, 6, code, sizeof code);
    int64_t first = -1, second = -1;
    assert_int_equal(totp_verify(RFC_KEY, 20, code, now, &first), 0);
    assert_int_equal(totp_verify(RFC_KEY, 20, code, now + 10, &second), 0);
    assert_int_equal(first, second);
    /* spaces inside are fine ("123 456"), anything else is not */
    char spaced[16];
    snprintf(spaced, sizeof spaced, "%.3s %s", code, code + 3);
    assert_int_equal(totp_verify(RFC_KEY, 20, spaced, now, &matched), 0);
    assert_int_equal(totp_verify(RFC_KEY, 20, "", now, &matched), -1);
    assert_int_equal(totp_verify(RFC_KEY, 20, "12345", now, &matched), -1);
    assert_int_equal(totp_verify(RFC_KEY, 20, "1234567", now, &matched), -1);
    assert_int_equal(totp_verify(RFC_KEY, 20, "12345a", now, &matched), -1);
    assert_int_equal(totp_verify(RFC_KEY, 20, NULL, now, &matched), -1);
    code[5] = code[5] == '9' ? '0' : (char)(code[5] + 1);
    assert_int_equal(totp_verify(RFC_KEY, 20, code, now, &matched), -1);
    /* at time 0 the window does not go below step 0 */
    totp_hotp(RFC_KEY, 20, 0, 6, code, sizeof code);
    assert_int_equal(totp_verify(RFC_KEY, 20, code, 5, &matched), 0);
    assert_int_equal(matched, 0);
    assert_int_equal(totp_verify(RFC_KEY, 20, code, -5, &matched), -1);
}

static void base32(void **state)
{
    (void)state;
    static const char *in[7] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *padded[7] = {"", "MY======", "MZXQ====", "MZXW6===", "MZXW6YQ=", "MZXW6YTB", "MZXW6YTBOI======"};
    static const char *bare[7] = {"", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"};
    char out[64];
    uint8_t bin[64];
    size_t n;
    for (int i = 0; i < 7; i++) {
        size_t len = strlen(in[i]);
        assert_int_equal(totp_base32_encode((const uint8_t *)in[i], len, 1, out, sizeof out), 0);
        assert_string_equal(out, padded[i]);
        assert_int_equal(totp_base32_len(len, 1), strlen(padded[i]) + 1);
        assert_int_equal(totp_base32_encode((const uint8_t *)in[i], len, 0, out, sizeof out), 0);
        assert_string_equal(out, bare[i]);
        assert_int_equal(totp_base32_len(len, 0), strlen(bare[i]) + 1);
        assert_int_equal(totp_base32_decode(padded[i], bin, sizeof bin, &n), 0);
        assert_int_equal(n, len);
        assert_memory_equal(bin, in[i], len);
        assert_int_equal(totp_base32_decode(bare[i], bin, sizeof bin, &n), 0);
        assert_int_equal(n, len);
    }
    assert_int_equal(totp_base32_decode("mzxw 6ytb-oi", bin, sizeof bin, &n), 0);
    assert_int_equal(n, 6);
    assert_memory_equal(bin, "foobar", 6);
    assert_int_equal(totp_base32_decode("MZXW1", bin, sizeof bin, &n), -1);    /* 1 is not base32 */
    assert_int_equal(totp_base32_decode("M", bin, sizeof bin, &n), -1);        /* impossible length */
    assert_int_equal(totp_base32_decode("MZX", bin, sizeof bin, &n), -1);
    assert_int_equal(totp_base32_decode("MZ", bin, sizeof bin, &n), -1);       /* spare bits not zero */
    assert_int_equal(totp_base32_decode("MY=A", bin, sizeof bin, &n), -1);     /* data after padding */
    assert_int_equal(totp_base32_decode("MY===", bin, sizeof bin, &n), -1);    /* wrong padding */
    assert_int_equal(totp_base32_decode("MZXW6YTBOI", bin, 5, &n), -1);        /* too small */
    assert_int_equal(totp_base32_encode((const uint8_t *)"foobar", 6, 1, out, 16), -1);
    assert_string_equal(out, "");
}

static void secrets_and_uri(void **state)
{
    (void)state;
    char s1[TOTP_SECRET_TEXT_LEN], s2[TOTP_SECRET_TEXT_LEN];
    assert_int_equal(totp_new_secret(s1), 0);
    assert_int_equal(totp_new_secret(s2), 0);
    assert_int_equal(strlen(s1), 32);
    assert_string_not_equal(s1, s2);
    uint8_t key[32];
    size_t n;
    assert_int_equal(totp_base32_decode(s1, key, sizeof key, &n), 0);
    assert_int_equal(n, TOTP_SECRET_BYTES);
    /* a code made from the decoded key verifies against the text secret */
    char code[8];
    int64_t now = 1700000000, matched;
    totp_hotp(key, n, (uint64_t)totp_step(now, 30), 6, code, sizeof code);
    assert_int_equal(totp_verify_base32(s1, code, now, &matched), 0);
    assert_int_equal(matched, now / 30);
    assert_int_equal(totp_verify_base32("not base32!", code, now, &matched), -1);
    assert_int_equal(totp_verify_base32("", code, now, &matched), -1);
    assert_int_equal(totp_verify_base32(NULL, code, now, &matched), -1);

    char uri[512];
    struct err e = {0};
    assert_int_equal(totp_uri("瓯海托育", "town-330304001", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", uri, sizeof uri, &e), 0);
    assert_string_equal(uri, "otpauth://totp/%E7%93%AF%E6%B5%B7%E6%89%98%E8%82%B2:town-330304001"
                             "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%E7%93%AF%E6%B5%B7%E6%89%98%E8%82%B2"
                             "&algorithm=SHA1&digits=6&period=30");
    assert_int_equal(totp_uri("Ouhai Care", "a@b", "GEZDGNBV", uri, sizeof uri, &e), 0);
    assert_non_null(strstr(uri, "totp/Ouhai%20Care:a%40b?"));
    assert_int_equal(totp_uri("x:y", "a", "GEZDGNBV", uri, sizeof uri, &e), -1);
    assert_string_equal(e.code, "totp_uri");
    assert_int_equal(totp_uri("x", "a", "!!", uri, sizeof uri, &e), -1);
    assert_int_equal(totp_uri("x", "", "GEZDGNBV", uri, sizeof uri, &e), -1);
    assert_int_equal(totp_uri("x", "a", "GEZDGNBV", uri, 40, &e), -1);
    assert_string_equal(uri, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha1_vectors),       cmocka_unit_test(hmac_sha1_vectors),
        cmocka_unit_test(hotp_vectors),       cmocka_unit_test(totp_rfc6238_vectors),
        cmocka_unit_test(window_and_replay_step), cmocka_unit_test(base32),
        cmocka_unit_test(secrets_and_uri),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
