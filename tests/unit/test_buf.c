/* test_buf.c — the growable byte buffer: an empty append still gives a string, appends past the
 * first allocations keep every byte in order with a NUL after them, bytes that are not text
 * (NUL included) are kept, len can be reset to reuse the buffer, a writer can reserve room and
 * write in place, a size that would wrap fails the buffer, and a failed buffer ignores what
 * comes after. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"

static void empty_append_is_a_string(void **state)
{
    (void)state;
    struct buf b = {0};
    buf_add(&b, NULL, 0);
    assert_non_null(b.p);
    assert_string_equal(b.p, "");
    assert_int_equal(b.len, 0);
    free(b.p);
}

static void grows_and_keeps_order(void **state)
{
    (void)state;
    struct buf b = {0};
    char expect[10001];
    for (int i = 0; i < 10000; i++) {
        char c = (char)('a' + i % 26);
        expect[i] = c;
        buf_add(&b, &c, 1);
    }
    expect[10000] = 0;
    assert_false(b.failed);
    assert_int_equal(b.len, 10000);
    assert_true(b.cap > b.len);
    assert_string_equal(b.p, expect);
    buf_add(&b, expect, 10000); /* one append larger than what is held */
    assert_int_equal(b.len, 20000);
    assert_memory_equal(b.p + 10000, expect, 10000);
    assert_int_equal(b.p[20000], 0);
    free(b.p);
}

static void binary_bytes_and_reuse(void **state)
{
    (void)state;
    struct buf b = {0};
    const unsigned char bytes[] = {0x00, 0xff, 0x80, 0x00, 0x7f};
    buf_add(&b, bytes, sizeof bytes);
    assert_int_equal(b.len, sizeof bytes);
    assert_memory_equal(b.p, bytes, sizeof bytes);
    b.len = 0;
    buf_add(&b, "ok", 2);
    assert_string_equal(b.p, "ok");
    free(b.p);
}

static void reserve_then_write_in_place(void **state)
{
    (void)state;
    struct buf b = {0};
    buf_add(&b, "ab", 2);
    assert_int_equal(buf_reserve(&b, 5000), 0);
    assert_true(b.cap >= b.len + 5000 + 1);
    memset(b.p + b.len, 'x', 5000);
    b.len += 5000;
    b.p[b.len] = 0;
    assert_int_equal(strlen(b.p), 5002);
    assert_int_equal(b.p[1], 'b');
    assert_int_equal(buf_reserve(&b, SIZE_MAX - 1), -1); /* would wrap */
    assert_true(b.failed);
    assert_int_equal(buf_reserve(&b, 1), -1);
    assert_int_equal(b.len, 5002);
    free(b.p);
}

static void failed_ignores_the_rest(void **state)
{
    (void)state;
    struct buf b = {0};
    buf_add(&b, "abc", 3);
    b.failed = 1;
    buf_add(&b, "def", 3);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.p, "abc");
    free(b.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_append_is_a_string),
        cmocka_unit_test(grows_and_keeps_order),
        cmocka_unit_test(binary_bytes_and_reuse),
        cmocka_unit_test(reserve_then_write_in_place),
        cmocka_unit_test(failed_ignores_the_rest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
